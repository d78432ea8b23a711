""""For you" outside its page (issue 14): the private feed link, read by
feedparser as a feed reader would (no cookies, only the secret in the
link), reset from the page; and the mutes managed on /for-you.

Run: QUIRE_BIN=$PWD/.build/debug/quire python3 -m pytest -q tests/e2e/test_for_you_reach.py
"""
import html
import re

import feedparser
import requests

from readers import Reader
from test_for_you import foryou_server  # noqa: F401 (the fixture: a server with the sample papers' vectors)


def with_picks(base: str) -> tuple[Reader, requests.Session, list[str]]:
    """A new reader who said "More like this" to five trending papers; their API session and those ids."""
    reader = Reader(base).signup()
    api = reader.api(reader.token())
    liked = [entry["id"] for entry in api.get(base + "/api/me/feed?limit=5").json()]
    for paper in liked:
        assert api.post(f"{base}/api/me/more-like-this/{paper}").status_code == 200
    return reader, api, liked


def new_feed_links(page: str) -> dict[str, str]:
    links = [html.unescape(v) for v in re.findall(r'class="feed-url" value="([^"]+)"', page)]
    return {link.rsplit("/", 1)[1]: link for link in links}


def local(link: str, base: str) -> str:
    """The link at the server under test (the page writes the public address)."""
    return re.sub(r"^https?://[^/]+", base, link)


def test_the_private_feed_link_is_read_without_logging_in_and_can_be_reset(foryou_server):  # noqa: F811
    base = foryou_server
    reader, api, liked = with_picks(base)
    page = reader.get("/for-you").text
    assert "Make a private feed link" in page and "feed-url" not in page

    made = reader.post("/for-you/feed-link", page="/for-you")
    assert made.status_code == 200 and "shown only this once" in made.text
    links = new_feed_links(made.text)
    assert set(links) == {"rss", "atom", "json"}
    assert all(re.match(r"http://[^/]+/feeds/for-you/\d+\.[\w-]{43}/(rss|atom|json)$", link) for link in links.values()), links
    # Shown once: the page afterwards says there is a link, without it.
    again = reader.get("/for-you").text
    assert "You have a private feed link" in again and "feed-url" not in again and "Reset the link" in again

    picks = [entry["id"] for entry in api.get(base + "/api/me/feed?limit=50").json()]
    for fmt, link in links.items():
        response = requests.get(local(link, base))  # no cookies, no token header
        assert response.status_code == 200, response.text[:300]
        assert response.headers["cache-control"].startswith("private") and response.headers["x-robots-tag"] == "noindex"
        if fmt == "json":  # JSON Feed 1.1, which this feedparser does not read
            feed = response.json()
            assert feed["version"] == "https://jsonfeed.org/version/1.1" and feed["title"] == f"Quire · For {reader.username}"
            ids = [item["url"].rsplit("/papers/", 1)[1] for item in feed["items"]]
        else:
            feed = feedparser.parse(response.content)
            assert not feed.bozo, (fmt, feed.bozo_exception)
            assert feed.feed.title == f"Quire · For {reader.username}"
            ids = [entry.link.rsplit("/papers/", 1)[1] for entry in feed.entries]
        assert ids == picks, fmt  # the reader's picks, best first
        assert not set(ids) & set(liked)
        # Conditional GET: unchanged, 304.
        assert requests.get(local(link, base), headers={"If-None-Match": response.headers["etag"]}).status_code == 304

    # A dismissed pick leaves the feed too.
    assert api.post(f"{base}/api/me/not-interested/{picks[0]}").status_code == 200
    rss = local(links["rss"], base)
    assert picks[0] not in requests.get(rss).text

    # Reset: the old link is a 404, the new one works.
    reset = reader.post("/for-you/feed-link", page="/for-you")
    fresh = local(new_feed_links(reset.text)["rss"], base)
    assert fresh != rss
    assert requests.get(rss).status_code == 404
    assert requests.get(fresh).status_code == 200

    # Tampered, foreign or malformed tokens: 404, never a crash.
    user_id, secret = fresh.rsplit("/", 2)[1].split(".", 1)
    for token in [f"{int(user_id) + 1}.{secret}", f"{user_id}.{secret[:-1]}A", "nonsense", "1.", "%00", "9" * 400]:
        assert requests.get(f"{base}/feeds/for-you/{token}/rss").status_code == 404, token
    assert requests.get(fresh.replace("/rss", "/xml")).status_code == 404
    # The reset button is a form like any other: without its CSRF token it does nothing.
    assert reader.session.post(base + "/for-you/feed-link", allow_redirects=False).status_code == 403
    assert requests.get(fresh).status_code == 200


def test_a_new_readers_private_feed_is_trending(foryou_server):  # noqa: F811
    base = foryou_server
    reader = Reader(base).signup()
    link = new_feed_links(reader.post("/for-you/feed-link", page="/for-you").text)["json"]
    feed = requests.get(local(link, base)).json()
    trending = [entry["id"] for entry in reader.api(reader.token()).get(base + "/api/me/feed?limit=50").json()]
    assert [item["id"].rsplit("/", 1)[1] for item in feed["items"]] == trending and trending
