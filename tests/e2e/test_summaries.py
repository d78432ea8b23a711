"""Summaries and keyphrases made inside Quire (`quire embed`, the sample
database of the `server` fixture): Hugging Face's own client reads them as
`ai_summary` and `ai_keywords`, the OpenAPI document names them, and the
pages show them without scrolling sideways on a phone (screenshot kept in
out/screenshots)."""
import pathlib
import re

import pytest
import requests
from huggingface_hub import HfApi

from cdp import Browser

OUT = pathlib.Path(__file__).resolve().parents[2] / "out" / "screenshots"


def one_line(text):
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture
def api(server):
    return HfApi(endpoint=server, token=False)


def check(summary, keywords, abstract):
    assert isinstance(summary, str) and summary, summary
    # Extractive: one or two sentences of the abstract as written (two need not be next to each other).
    assert summary[:60] in one_line(abstract) and summary[-60:] in one_line(abstract), (summary, abstract)
    assert isinstance(keywords, list) and 3 <= len(keywords) <= 10, keywords
    assert all(isinstance(k, str) and k.strip() == k and k for k in keywords), keywords
    assert len(set(keywords)) == len(keywords)


def test_paper_info_has_ai_summary_and_keywords(api):
    paper = api.paper_info("2410.17243")
    check(paper.ai_summary, paper.ai_keywords, paper.summary)
    assert any("contrastive" in k.lower() or "batch" in k.lower() for k in paper.ai_keywords), paper.ai_keywords


def test_daily_papers_and_search_carry_them(api):
    papers = list(api.list_daily_papers(date="2024-10-25"))
    assert len(papers) == 8
    for paper in papers:
        check(paper.ai_summary, paper.ai_keywords, paper.summary)
    results = list(api.list_papers(query="contrastive loss batch size memory", limit=3))
    assert results and results[0].ai_keywords == api.paper_info(results[0].id).ai_keywords


def test_openapi_names_them(server):
    document = requests.get(server + "/openapi.json").json()
    properties = document["components"]["schemas"]["Paper"]["properties"]
    assert properties["ai_summary"]["type"] == "string"
    assert properties["ai_keywords"]["items"]["type"] == "string"


def test_pages_show_them_and_fit_a_phone(server):
    OUT.mkdir(parents=True, exist_ok=True)
    with Browser(390, 844, mobile=True) as browser:
        for path, name in (("/papers/2410.17243", "paper-summary-mobile.png"), ("/?date=2024-10-25", "list-summary-mobile.png")):
            browser.navigate(server + path)
            chips = browser.evaluate("[...document.querySelectorAll('ul.keyphrases a')].map(a => a.textContent)")
            assert len(chips) >= 3, path
            # Chips are small, not list entries' boxes.
            heights = browser.evaluate("[...document.querySelectorAll('ul.keyphrases li')].map(li => li.getBoundingClientRect().height)")
            assert max(heights) < 40, heights
            assert browser.evaluate("document.querySelectorAll('.ai-summary').length") >= 1, path
            width = browser.evaluate("document.documentElement.scrollWidth")
            wide = browser.evaluate("""[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 390.5)
                .map(e => e.tagName + '.' + e.className).slice(0, 5)""")
            assert width <= 390, f"{path} is {width} px wide on a 390 px phone: {wide}"
            browser.screenshot(OUT / name)
        # A chip is a search for its phrase.
        first = browser.evaluate("document.querySelector('ul.keyphrases a').textContent")
        browser.click("ul.keyphrases a")
        assert browser.evaluate("location.pathname") == "/search"
        assert first in browser.evaluate("new URLSearchParams(location.search).get('q')")
