"""Categories and citations as readers' tools meet them: a category feed
read by feedparser, citation files a reference manager would import, arXiv's
address habits, the paper listing walked through its Link headers, and the
paper page (Cite box, category badges) in headless Chromium on a phone."""
import pathlib
import re

import feedparser
import pytest
import requests

from cdp import Browser

OUT = pathlib.Path(__file__).resolve().parents[2] / "out" / "screenshots"


@pytest.fixture(scope="module")
def arxiv_server(quire_bin, tmp_path_factory):
    """Only the recorded arXiv papers (March and April 2007): their latest
    week is the daily feed's, and every one has categories."""
    from conftest import SHARED, start_quire
    import subprocess
    process, base, _, _ = start_quire(quire_bin, tmp_path_factory, "categories", samples=False)
    subprocess.run([quire_bin, "import", "--db", str(_db(process)), "--no-embed",
                    str(SHARED / "fixtures/arxiv-snapshot/first200.jsonl")], check=True, capture_output=True)
    try:
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def _db(process):
    return process.args[process.args.index("--db") + 1]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_a_category_feed_parses_and_holds_only_its_category(arxiv_server, fmt):
    every = feedparser.parse(requests.get(arxiv_server + f"/feeds/daily/{fmt}").content)
    hep = feedparser.parse(requests.get(arxiv_server + f"/feeds/daily/{fmt}?category=hep-th&category=hep-ph").content)
    assert every.bozo == 0 and hep.bozo == 0, hep.get("bozo_exception")
    assert "hep-ph, hep-th" in hep.feed.title
    assert 0 < len(hep.entries) < len(every.entries)
    for entry in hep.entries:
        paper = requests.get(arxiv_server + "/api/papers/" + entry.link.split("/papers/", 1)[1]).json()
        assert {"hep-th", "hep-ph"} & set(paper["categories"]), paper["id"]
    # A whole archive; and an unknown category is refused, saying the valid form.
    math = feedparser.parse(requests.get(arxiv_server + f"/feeds/daily/{fmt}?category=math").content)
    assert math.bozo == 0 and len(math.entries) > 0
    refused = requests.get(arxiv_server + f"/feeds/daily/{fmt}?category=hep")
    assert refused.status_code == 400 and "such as cs.CL" in refused.json()["error"]


def test_citation_files_import(arxiv_server):
    bib = requests.get(arxiv_server + "/papers/0704.0081.bib")
    assert bib.headers["Content-Type"].startswith("text/x-bibtex")
    assert bib.headers["Content-Disposition"] == 'attachment; filename="0704.0081.bib"'
    assert re.match(r"@misc\{\w+2007\w*,\n  title = \{\{", bib.text)
    ris = requests.get(arxiv_server + "/papers/0704.0081.ris").content.decode()
    lines = ris.split("\r\n")
    assert lines[0] == "TY  - UNPB" and lines[-2] == "ER  - " and lines[-1] == ""
    assert all(re.match(r"^[A-Z][A-Z0-9]  - ", line) for line in lines[:-1])
    items = requests.get(arxiv_server + "/papers/0704.0081.csl.json").json()
    item = items[0]
    assert {"id", "type", "title", "author", "issued", "URL"} <= item.keys()
    assert all({"family", "given"} <= a.keys() for a in item["author"] if "literal" not in a)
    assert isinstance(item["issued"]["date-parts"][0][0], int)


def test_arxiv_habits_redirect(arxiv_server):
    for path, status in [("/abs/0704.0081v1", 301), ("/pdf/0704.0081v1.pdf", 302), ("/pdf/0704.0081", 302)]:
        response = requests.get(arxiv_server + path, allow_redirects=False)
        assert response.status_code == status and response.headers["Location"] == "/papers/0704.0081", path
    assert requests.get(arxiv_server + "/abs/0704.0081").url.endswith("/papers/0704.0081")
    assert requests.get(arxiv_server + "/abs/0704.9999", allow_redirects=False).status_code == 404


def test_the_listing_walks_every_paper(arxiv_server):
    url, ids = arxiv_server + "/api/papers?limit=64", []
    while url:
        response = requests.get(url)
        assert response.status_code == 200
        ids += [paper["id"] for paper in response.json()]
        url = response.links.get("next", {}).get("url")
        if url:
            # Absolute, from the configured public URL (the default one here), so point it at this server.
            assert url.startswith("http://") and "/api/papers?" in url
            url = arxiv_server + url[url.index("/api/papers"):]
    assert len(ids) == len(set(ids)) == requests.get(arxiv_server + "/api/stats").json()["papers"]


def test_paper_page_on_a_phone_shows_the_cite_box_and_badges(arxiv_server):
    OUT.mkdir(parents=True, exist_ok=True)
    with Browser(390, 844, mobile=True) as browser:
        browser.navigate(arxiv_server + "/papers/0704.0081")
        badges = browser.evaluate("[...document.querySelectorAll('dl.facts a.badge')].map(a => a.getAttribute('href'))")
        assert badges == ["/categories/math.QA", "/categories/hep-th", "/categories/math-ph", "/categories/math.MP", "/categories/math.RT"]
        browser.click("details.cite summary", navigates=False)
        assert browser.evaluate("document.querySelector('details.cite').open")
        browser.scroll_to("details.cite")
        width = browser.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the paper page is {width} px wide on a 390 px phone"
        box = browser.box("details.cite pre")
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, box
        # The entry wraps rather than scrolling sideways inside its box.
        assert browser.evaluate("(() => { const p = document.querySelector('details.cite pre'); return p.scrollWidth <= p.clientWidth; })()")
        browser.screenshot(OUT / "paper-cite-mobile.png")
        # Following a badge leads to the category's page.
        browser.click("dl.facts a.badge[href='/categories/hep-th']")
        assert browser.evaluate("location.pathname") == "/categories/hep-th"
        assert browser.evaluate("document.querySelector('h1').textContent") == "hep-th"
