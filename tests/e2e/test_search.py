"""Search through the real server, as a browser's form sends it (`+` for
spaces): what matches, exact counts on every page, "no papers match" as a
real answer, and authors found by name (issue 15, "Search that stops")."""
import feedparser
import requests


def api(server, q, **params):
    response = requests.get(server + "/api/papers/search", params={"q": q, **params})
    assert response.status_code == 200, response.text
    return response.json(), int(response.headers["X-Total-Count"])


def authors(entry):
    return [a["name"] for a in entry["paper"]["authors"]]


def test_counts_are_exact_and_the_same_on_every_page(server):
    entries, total = api(server, "quantum", limit=100)
    assert 0 < total == len(entries) < 100
    seen = []
    for page in range(total // 7 + 2):
        page_entries, page_total = api(server, "quantum", limit=7, p=page)
        assert page_total == total, f"page {page} says {page_total}, page 0 says {total}"
        seen += [e["paper"]["id"] for e in page_entries]
    assert seen == [e["paper"]["id"] for e in entries], "no paper repeated or skipped across pages"
    # The page's Next link stops where the results stop.
    last = (total - 1) // 25
    assert 'rel="next"' not in requests.get(server + "/search?q=quantum&p=%d" % last).text
    assert f"{total} paper" in requests.get(server + "/search?q=quantum").text


def test_nonsense_matches_nothing_everywhere(server):
    entries, total = api(server, "qwxzvb plorkt zzyzx")
    assert (entries, total) == ([], 0)
    html = requests.get(server + "/search?q=qwxzvb+plorkt+zzyzx").text
    assert "No papers match" in html and "0 papers" in html
    feed = feedparser.parse(requests.get(server + "/feeds/search/atom?q=qwxzvb+plorkt+zzyzx").content)
    assert feed.bozo == 0 and feed.entries == []


def test_an_empty_answer_suggests_what_would_match(server):
    html = requests.get(server + "/search?q=quantum+cat%3Amath.NOPE").text
    assert "No papers match" in html
    assert 'href="/search?q=quantum"' in html, "the suggestion drops the filter"


def test_exclusions_drop_matches_in_meaning_too(server):
    entries, total = api(server, "quantum -field")
    assert total == len(entries) > 0
    for entry in entries:
        assert "field" not in (entry["title"] + " " + entry["summary"]).lower()


def test_authors_are_found_by_name(server):
    # Typed into the box as a name, quoted as a filter, or folded (Balázs).
    entries, _ = api(server, "Maxim A. Yurkin")
    assert all("Maxim A. Yurkin" in authors(e) for e in entries[:4])
    entries, total = api(server, 'author:"Maxim A. Yurkin"')
    assert total == 4 and all("Maxim A. Yurkin" in authors(e) for e in entries)
    form = requests.get(server + "/search?q=author%3A%22Maxim+A.+Yurkin%22").text
    assert "4 papers" in form
    entries, _ = api(server, "C. Balazs")
    assert entries and entries[0]["paper"]["id"] == "0704.0001"
