"""What a reader sees: the home page and a paper page rendered by headless
Chromium, checked through the rendered DOM and the pixels of a screenshot."""
import pathlib
import re

from browser import dump_dom, screenshot

OUT = pathlib.Path(__file__).resolve().parents[2] / "out" / "screenshots"


def visible_text(dom: str) -> str:
    dom = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", dom, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", dom))


def test_home_page(server):
    dom = dump_dom(server + "/")
    text = visible_text(dom)
    assert "Daily Papers · Oct 25, 2024" in text
    assert "Breaking the Memory Barrier" in text
    assert dom.count('<li data-paper-id=') == 8
    # The most upvoted paper comes first, with its votes beside it.
    assert re.findall(r'<li data-paper-id="([^"]+)"', dom)[0] == "2410.17243"
    assert "64 upvotes" in text

    OUT.mkdir(parents=True, exist_ok=True)
    image = screenshot(server + "/", OUT / "home.png")
    assert (image.width, image.height) == (1280, 1000)
    assert image.ink(0, 60) > 0.005, "header text is drawn"
    body_ink = image.ink(100, 1000, 200, 1080)
    assert 0.02 < body_ink < 0.5, f"the list is drawn as text on a light page ({body_ink:.3f})"


def test_home_page_on_a_phone(server):
    OUT.mkdir(parents=True, exist_ok=True)
    image = screenshot(server + "/", OUT / "home-mobile.png", width=390, height=844)
    assert image.width == 390
    # Text reaches the left column and nothing is cut to a blank page.
    assert image.ink(120, 844, 0, 390) > 0.02


def test_paper_page(server):
    dom = dump_dom(server + "/papers/0704.0001")
    text = visible_text(dom)
    assert "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies" in text
    assert "C. Balázs" in text
    assert 'href="https://arxiv.org/pdf/0704.0001v2"' in dom
    assert "A fully differential calculation in perturbative quantum chromodynamics" in text
    OUT.mkdir(parents=True, exist_ok=True)
    image = screenshot(server + "/papers/0704.0001", OUT / "paper.png")
    assert 0.02 < image.ink(60, 1000) < 0.5


def test_search_box_finds_a_paper_from_a_vague_description(server):
    """A reader types what they remember, not the title, and gets the paper."""
    from urllib.parse import quote
    query = "train CLIP-style models with gigantic batches without running out of GPU RAM"
    dom = dump_dom(server + "/search?q=" + quote(query))
    assert re.findall(r'<li data-paper-id="([^"]+)"', dom)[0] == "2410.17243"
    assert f'value="{query}"' in dom, "the query stays in the box"
    OUT.mkdir(parents=True, exist_ok=True)
    image = screenshot(server + "/search?q=" + quote(query), OUT / "search.png")
    assert 0.02 < image.ink(60, 1000) < 0.5


def test_math_is_typeset(server):
    """TeX in titles and abstracts is drawn as math: the scripts of
    $\\Xi_{cc}^{+}$ sit below and above the letter, the TeX source is not
    shown, and a formula with the author's own macro stays as written."""
    from cdp import Browser
    OUT.mkdir(parents=True, exist_ok=True)
    with Browser(1280, 900) as browser:
        browser.navigate(server + "/papers/0704.0016")
        abstract = browser.evaluate("document.querySelector('p.abstract').innerText")
        assert "\\Xi" not in abstract and "$" not in abstract, abstract
        base = browser.box("p.abstract msubsup > :nth-child(1)")
        below = browser.box("p.abstract msubsup > :nth-child(2)")
        above = browser.box("p.abstract msubsup > :nth-child(3)")
        assert base["height"] > 0
        def middle(box):
            return box["y"] + box["height"] / 2
        assert middle(below) > middle(base) + 2, "the subscript is lowered"
        assert middle(above) < middle(base) - 2, "the superscript is raised"
        assert below["x"] > base["x"] and abs(below["x"] - above["x"]) < 2, "both scripts follow the letter"
        browser.screenshot(OUT / "math-abstract.png")

        # A chemical formula in a title: CeAg$_2$Ge$_2$.
        browser.navigate(server + "/papers/0704.0119")
        title = browser.evaluate("document.querySelector('h1').innerText")
        assert "CeAg" in title and "$" not in title, title
        assert browser.evaluate("document.querySelectorAll('h1 msub').length") == 2
        browser.screenshot(OUT / "math-title.png")

        # An author's macro (\\XQM) is not guessed at: the source stays readable.
        browser.navigate(server + "/papers/0704.0029")
        assert "$\\XQM$" in browser.evaluate("document.querySelector('p.abstract').innerText")


def test_authors_index_on_a_phone(server):
    """A reader types a name as they remember it, without its accent."""
    dom = dump_dom(server + "/authors?q=balazs")
    text = visible_text(dom)
    assert "C. Balázs" in text and "whose name contains “balazs”" in text
    OUT.mkdir(parents=True, exist_ok=True)
    image = screenshot(server + "/authors", OUT / "authors-mobile.png", width=390, height=844)
    assert image.width == 390
    assert image.ink(120, 844, 0, 390) > 0.02
