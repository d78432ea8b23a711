"""The proof of compatibility: Hugging Face's own Python client, pointed at
Quire, lists a day's papers, reads a paper and searches."""
import pytest
from huggingface_hub import HfApi
from huggingface_hub.errors import HfHubHTTPError


@pytest.fixture
def api(server):
    return HfApi(endpoint=server, token=False)


def test_list_daily_papers_of_a_date(api):
    papers = list(api.list_daily_papers(date="2024-10-25"))
    assert len(papers) == 8
    top = papers[0]
    assert top.id == "2410.17243"
    assert top.title == "Breaking the Memory Barrier: Near Infinite Batch Size Scaling for Contrastive Loss"
    assert top.upvotes == 64
    assert top.authors[0].name == "Zesen Cheng"
    assert top.submitted_by.username == "ClownRat"
    assert top.submitted_at.date().isoformat() == "2024-10-25"
    assert [p.upvotes for p in papers] == sorted((p.upvotes for p in papers), reverse=True)


def test_list_daily_papers_paging_and_trending(api):
    first = list(api.list_daily_papers(month="2007-04", limit=10, p=0))
    second = list(api.list_daily_papers(month="2007-04", limit=10, p=1))
    assert len(first) == len(second) == 10
    assert not {p.id for p in first} & {p.id for p in second}
    trending = list(api.list_daily_papers(sort="trending", limit=5))
    assert len(trending) == 5


def test_paper_info(api):
    paper = api.paper_info("0704.0001")
    assert paper.title.startswith("Calculation of prompt diphoton production")
    assert paper.authors[0].name == "C. Balázs"
    assert paper.published_at.isoformat().startswith("2007-04-02T19:18:42")
    markdown = api.read_paper("0704.0001")
    assert markdown.startswith("# Calculation of prompt diphoton")


def test_unknown_paper_raises_404(api):
    with pytest.raises(HfHubHTTPError) as error:
        api.paper_info("9999.99999")
    assert error.value.response.status_code == 404


def test_search(api):
    results = list(api.list_papers(query="contrastive loss batch size memory", limit=5))
    assert results and results[0].id == "2410.17243"
    assert len(results) <= 5


def test_bad_date_is_a_clear_400(server):
    import requests
    response = requests.get(server + "/api/daily_papers", params={"date": "2024-02-30"})
    assert response.status_code == 400
    assert "date must be a real day" in response.json()["error"]
