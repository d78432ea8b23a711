"""Every feed, read by feedparser (the library most feed readers' authors
test against): no "bozo" errors, the expected entries, and conditional GET."""
import json

import feedparser
import pytest
import requests

FEEDS = ["/feeds/daily/{}", "/feeds/trending/{}", "/feeds/search/{}?q=contrastive+loss",
         "/feeds/authors/c-balazs/{}", "/feeds/organizations/nonexistent/{}"]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_xml_feeds_parse_cleanly(server, fmt):
    daily = feedparser.parse(requests.get(server + f"/feeds/daily/{fmt}").content)
    assert daily.bozo == 0, daily.get("bozo_exception")
    assert {e.link.rsplit("/", 1)[-1] for e in daily.entries} >= {"2410.17243", "2410.18978"}
    assert len(daily.entries) == 8
    search = feedparser.parse(requests.get(server + f"/feeds/search/{fmt}?q=contrastive+loss").content)
    assert search.bozo == 0 and search.entries[0].link.endswith("/papers/2410.17243") or any(
        e.link.endswith("/papers/2410.17243") for e in search.entries)
    author = feedparser.parse(requests.get(server + f"/feeds/authors/c-balazs/{fmt}").content)
    assert author.bozo == 0 and author.entries[0].title.startswith("Calculation of prompt diphoton")


def test_json_feed(server):
    response = requests.get(server + "/feeds/trending/json")
    assert response.headers["Content-Type"].startswith("application/feed+json")
    feed = response.json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["items"][0]["url"].endswith("/papers/2410.17243")


def test_conditional_get_and_errors(server):
    first = requests.get(server + "/feeds/daily/atom")
    again = requests.get(server + "/feeds/daily/atom", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.content == b""
    assert requests.get(server + "/feeds/daily/yaml").status_code == 404
    assert requests.get(server + "/feeds/organizations/nonexistent/rss").status_code == 404
    assert "q is required" in requests.get(server + "/feeds/search/rss").json()["error"]


def test_pages_announce_their_feeds(server):
    html = requests.get(server + "/").text
    assert '<link rel="alternate" type="application/rss+xml"' in html and 'href="/feeds/daily/rss"' in html
    html = requests.get(server + "/search", params={"q": "diphoton"}).text
    assert 'href="/feeds/search/atom?q=diphoton"' in html
