"""Trending code as an operator and a reader meet it: `quire ingest github`
counts stars against a local stand-in for GitHub's API (tests/fixture_server.py,
a conditional request the second time), a week later one repository has
grown, and the trending page's "Trending code" tab and `/api/daily_papers?sort=stars`
rank by the stars gained, stating the formula. A phone screenshot of the tab."""
import datetime
import json
import pathlib
import subprocess

import pytest
import requests

from cdp import Browser

OUT = pathlib.Path(__file__).resolve().parents[2] / "out" / "screenshots"

PAPERS = [
    {"id": "2411.00101", "title": "Fast code", "abstract": "A repository that grows.", "categories": ["cs.LG"],
     "published": "2024-11-01", "github_repo": "lab/fast"},
    {"id": "2411.00102", "title": "Big code", "abstract": "A repository with many stars that stand still.", "categories": ["cs.CL"],
     "published": "2024-11-01", "github_repo": "https://github.com/lab/slowrepo"},
    {"id": "2411.00103", "title": "Lost code", "abstract": "A repository that is gone.", "categories": ["cs.LG"],
     "published": "2024-11-01", "github_repo": "lab/gone1"},
]


@pytest.fixture(scope="module")
def code_server(quire_bin, tmp_path_factory, arxiv_fixture_server):
    from conftest import start_quire
    process, base, _, db = start_quire(quire_bin, tmp_path_factory, "stars", samples=False)
    papers = db.parent / "papers.jsonl"
    papers.write_text("".join(json.dumps(p) + "\n" for p in PAPERS))
    subprocess.run([quire_bin, "import", "--db", str(db), "--no-embed", str(papers)], check=True, capture_output=True)
    try:
        yield {"base": base, "db": db, "github": arxiv_fixture_server}
    finally:
        process.terminate()
        process.wait(timeout=10)


def ingest(quire_bin, server, github, when, *extra):
    return subprocess.run([quire_bin, "ingest", "github", "--db", str(server["db"]), "--github-url", github, "--interval", "0",
                           "--json", "--now", when.strftime("%Y-%m-%dT%H:%M:%SZ"), *extra],
                          capture_output=True, text=True, env={"QUIRE_GITHUB_TOKEN": "secret-token", "PATH": "/usr/bin:/bin"})


def test_stars_are_counted_and_ranked_by_growth(quire_bin, code_server):
    now = datetime.datetime.now(datetime.timezone.utc)
    week_ago, base, github = now - datetime.timedelta(days=6), code_server["base"], code_server["github"]
    first = ingest(quire_bin, code_server, github, week_ago)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == {"counted": 2, "unchanged": 0, "gone": 1, "failed": 0}
    # Nothing is due again within the recheck time.
    assert json.loads(ingest(quire_bin, code_server, github, week_ago).stdout)["counted"] == 0
    # A week on, lab/fast gained 500 stars; lab/slowrepo answers 304 to its ETag.
    later = ingest(quire_bin, code_server, github + "/x/grow_fast=500", now - datetime.timedelta(hours=1))
    assert json.loads(later.stdout) == {"counted": 1, "unchanged": 1, "gone": 1, "failed": 0}, later.stderr
    log = requests.get(github + "/_log").json()
    asked = [entry for entry in log if "/repos/" in entry["path"]]
    assert all(entry["auth"] == "Bearer secret-token" for entry in asked)
    assert any(entry["path"].endswith("/repos/lab/slowrepo") and entry["etag"] == '"s800"' for entry in asked)

    page = requests.get(base + "/papers/trending?sort=stars")
    assert page.status_code == 200
    html = page.text
    assert "Trending code ranks papers with a GitHub repository by the stars it gained in the last 7 days" in html
    assert html.index('data-paper-id="2411.00101"') < html.index('data-paper-id="2411.00102"')
    assert "★ 900 · +500 in 7 days" in html and "★ 800 · +0 in 7 days" in html
    assert 'data-paper-id="2411.00103"' not in html
    # The category filter applies; an unknown sort is a 400 page.
    narrowed = requests.get(base + "/papers/trending?sort=stars&category=cs.CL").text
    assert 'data-paper-id="2411.00102"' in narrowed and 'data-paper-id="2411.00101"' not in narrowed
    assert requests.get(base + "/papers/trending?sort=forks").status_code == 400

    api = requests.get(base + "/api/daily_papers?sort=stars")
    assert api.status_code == 200
    assert [entry["paper"]["id"] for entry in api.json()] == ["2411.00101", "2411.00102"]
    assert api.json()[0]["paper"].get("githubStars") in (900, None)
    # With a period, that period's papers by stars gained.
    day = requests.get(base + "/api/daily_papers?sort=stars&date=2024-11-01")
    assert [entry["paper"]["id"] for entry in day.json()] == ["2411.00101", "2411.00102"]
    assert requests.get(base + "/api/daily_papers?sort=stars&date=2024-11-02").json() == []

    OUT.mkdir(parents=True, exist_ok=True)
    with Browser(390, 844, mobile=True) as b:
        b.navigate(base + "/papers/trending?sort=stars")
        assert b.evaluate("document.documentElement.scrollWidth") <= 390
        b.screenshot(OUT / "trending-code-phone.png")


def test_a_rate_limit_stops_the_run_with_status_2(quire_bin, code_server):
    now = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=30)
    limited = ingest(quire_bin, code_server, code_server["github"] + "/x/ratelimit", now)
    assert limited.returncode == 2
    assert "403" in json.loads(limited.stdout)["stoppedEarly"]
