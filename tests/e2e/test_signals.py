"""Readers' signals against a running `quire serve`: upvotes (exact under
concurrency), submissions, comments (and what they can never inject),
collections with BibTeX, organizations and the data export."""
import datetime
import html.parser
import pathlib
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor

import feedparser
import requests

import browser
from readers import PASSWORD, Reader, unique

PAYLOADS = pathlib.Path(__file__).resolve().parents[2] / "Tests/QuireTests/Fixtures/xss-payloads.txt"


def upvotes(base, paper_id):
    return requests.get(f"{base}/api/papers/{paper_id}").json()["upvotes"]


def daily_ids(base):
    return [entry["paper"]["id"] for entry in requests.get(base + "/api/daily_papers?date=2024-10-25").json()]


def test_concurrent_upvotes_count_exactly(accounts_server):
    base = accounts_server["base"]
    paper = daily_ids(base)[3]
    before = upvotes(base, paper)
    readers = [Reader(base).signup() for _ in range(30)]
    clients = [r.api(r.token()) for r in readers]

    # Every reader clicks three times at once: 90 requests in flight, 30 votes.
    with ThreadPoolExecutor(max_workers=32) as pool:
        results = list(pool.map(lambda c: c.post(f"{base}/api/upvotes/{paper}").status_code, clients * 3))
    assert results == [200] * 90
    assert upvotes(base, paper) == before + 30

    # Half take it back, twice each, while the others click again.
    jobs = [(c, "delete") for c in clients[:15]] * 2 + [(c, "post") for c in clients[15:]]
    with ThreadPoolExecutor(max_workers=32) as pool:
        list(pool.map(lambda job: getattr(job[0], job[1])(f"{base}/api/upvotes/{paper}").raise_for_status(), jobs))
    assert upvotes(base, paper) == before + 15


def test_upvotes_are_marked_for_their_reader(accounts_server):
    base = accounts_server["base"]
    paper = daily_ids(base)[5]
    reader = Reader(base).signup()
    before = upvotes(base, paper)
    done = reader.post("/upvote", {"paper": paper, "on": "1", "back": "/papers/date/2024-10-25"}, page="/papers/date/2024-10-25")
    assert done.status_code == 303 and done.headers["Location"] == f"/papers/date/2024-10-25#paper-{paper}"
    entry = re.search(rf'<li data-paper-id="{re.escape(paper)}"[^>]*>.*?</li>', reader.get("/papers/date/2024-10-25").text, re.S).group(0)
    assert f"<b>{before + 1}</b>" in entry and "▲ Upvoted" in entry
    # Someone else sees the count, not the mark.
    other = Reader(base).signup().get("/papers/date/2024-10-25").text
    other_entry = re.search(rf'<li data-paper-id="{re.escape(paper)}"[^>]*>.*?</li>', other, re.S).group(0)
    assert f"<b>{before + 1}</b>" in other_entry and "▲ Upvoted" not in other_entry
    # Trending states its formula and counts readers' votes.
    trending = requests.get(base + "/papers/trending").text
    assert "(upvotes + 1)" in trending
    # Off-site "back" addresses are ignored.
    away = reader.post("/upvote", {"paper": paper, "on": "0", "back": "//evil.example/"}, page="/")
    assert away.headers["Location"].startswith("/papers/")


def test_submissions_follow_the_rules(accounts_server, arxiv_fixture_server):
    base = accounts_server["base"]
    reader = Reader(base).signup()
    api = reader.api(reader.token())
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    known = "0704.0002"  # in the sample snapshot, not on any daily list

    first = api.post(base + "/api/submissions", json={"paper": f"https://arxiv.org/abs/{known}v1", "comment": "worth a read"})
    assert first.status_code == 201, first.text
    assert first.json()["day"] == today
    listed = requests.get(f"{base}/api/daily_papers?date={today}").json()
    entry = next(e for e in listed if e["paper"]["id"] == known)
    assert entry["submittedBy"]["name"] == reader.username

    again = Reader(base).signup()
    duplicate = again.api(again.token()).post(base + "/api/submissions", json={"paper": known})
    assert duplicate.status_code == 409 and "already on the daily list" in duplicate.json()["error"]

    # A paper Quire has never seen is fetched from arXiv (the fixture server here).
    assert requests.get(base + "/api/papers/1605.08386").status_code == 404
    fetched = api.post(base + "/api/submissions", json={"paper": "arXiv:1605.08386"})
    assert fetched.status_code == 201, fetched.text
    assert requests.get(base + "/api/papers/1605.08386").json()["title"]

    # The page form works the same way, and the cap (3 a day here) holds.
    by_form = reader.post("/submit", {"paper": "0704.0003"}, page="/submit")
    assert by_form.status_code == 303 and by_form.headers["Location"] == f"/papers/date/{today}"
    capped = api.post(base + "/api/submissions", json={"paper": "0704.0004"})
    assert capped.status_code == 403 and "most one reader may" in capped.json()["error"]
    assert "3 of 3 used today" in reader.get("/submit").text

    # A string that names no paper is not found, whatever it looks like; a body that is not {"paper": string} is a 400.
    for bad, status in [({"paper": "not a paper"}, 404), ({"paper": "2501.99999"}, 404), ({}, 400), ({"paper": 7}, 400)]:
        response = again.api(again.token(unique("t"))).post(base + "/api/submissions", json=bad)
        assert response.status_code == status, (bad, response.text)
        assert response.json()["error"]
    assert requests.post(base + "/api/submissions", json={"paper": "0704.0005"}).status_code == 401


def test_comments_replies_edits_and_moderation(accounts_server, quire_bin):
    base = accounts_server["base"]
    paper = daily_ids(base)[1]
    alice, bob = Reader(base).signup(), Reader(base).signup()
    alice_api, bob_api = alice.api(alice.token()), bob.api(bob.token())

    posted = alice_api.post(base + "/api/comments", json={"paper": paper, "body": "Is the **memory** claim tested?"})
    assert posted.status_code == 201
    top = posted.json()
    assert top["html"] == "<p>Is the <strong>memory</strong> claim tested?</p>"
    reply = bob_api.post(base + "/api/comments", json={"paper": paper, "body": "Yes, table 2.", "parentId": top["id"]}).json()
    too_deep = alice_api.post(base + "/api/comments", json={"paper": paper, "body": "x", "parentId": reply["id"]})
    assert too_deep.status_code == 409 and "one level deep" in too_deep.json()["error"]
    assert alice_api.post(base + "/api/comments", json={"paper": paper, "body": "   "}).status_code == 400
    assert alice_api.post(base + "/api/comments", json={"paper": paper, "body": "x" * 10_001}).status_code == 400

    edited = alice_api.patch(f"{base}/api/comments/{top['id']}", json={"body": "Is the memory claim *tested*?"})
    assert edited.status_code == 200 and edited.json()["editedAt"]
    assert bob_api.patch(f"{base}/api/comments/{top['id']}", json={"body": "mine now"}).status_code == 403
    assert bob_api.delete(f"{base}/api/comments/{top['id']}").status_code == 403

    # A moderator (made from the command line) hides Bob's reply from the page.
    mod = Reader(base, unique("mod"))
    subprocess.run([quire_bin, "user", "add", "--db", str(accounts_server["db"]), "--moderator", "--password-stdin", "--bcrypt-cost", "4",
                    mod.username, mod.email], input=PASSWORD + "\n", check=True, capture_output=True, text=True)
    assert mod.login().status_code == 303
    page = f"/papers/{paper}"
    assert bob_api.post(f"{base}/api/comments/{reply['id']}/hide").status_code == 403
    hidden = mod.post(f"/comments/{reply['id']}/hide", {"hidden": "1"}, page=page)
    assert hidden.status_code == 303
    assert "Yes, table 2." not in requests.get(base + page).text
    assert [c["id"] for c in requests.get(f"{base}/api/comments?paper={paper}").json()] == [top["id"]]
    assert "hidden by a moderator" in mod.get(page).text and "Yes, table 2." in bob.get(page).text

    # Deleting a comment with replies keeps its place in the thread.
    assert alice_api.delete(f"{base}/api/comments/{top['id']}").status_code == 204
    after = {c["id"]: c for c in bob_api.get(f"{base}/api/comments?paper={paper}").json()}
    assert after[top["id"]]["deleted"] and after[top["id"]]["body"] == "" and reply["id"] in after
    assert "[deleted]" in bob.get(page).text


class TagCollector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


ALLOWED = {"p": set(), "br": set(), "em": set(), "strong": set(), "code": set(), "pre": set(), "blockquote": set(),
           "ul": set(), "li": set(), "a": {"href", "rel", "target"}}


def test_comments_never_inject_markup(accounts_server, tmp_path):
    base = accounts_server["base"]
    paper = daily_ids(base)[2]
    reader = Reader(base).signup()
    api = reader.api(reader.token())
    payloads = [line for line in PAYLOADS.read_text(encoding="utf-8").split("\n") if line.strip()]
    # Payloads that would leave a mark on the page if any of them ran.
    markers = [
        "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">",
        "<script>document.documentElement.setAttribute('data-pwned','script')</script>",
        "<svg onload=\"document.documentElement.setAttribute('data-pwned','svg')\">",
        "[x](javascript:document.documentElement.setAttribute('data-pwned','link'))",
    ]
    for body in payloads + markers:
        response = api.post(base + "/api/comments", json={"paper": paper, "body": body})
        assert response.status_code in (201, 400), (body, response.text)

    def check(fragment: str, source: str):
        collector = TagCollector()
        collector.feed(fragment)
        for tag, attrs in collector.tags:
            assert tag in ALLOWED, (source, tag, attrs)
            assert set(attrs) <= ALLOWED[tag], (source, tag, attrs)
            if tag == "a":
                assert attrs["href"].startswith(("http://", "https://", "/papers/")), (source, attrs)

    # The HTML the API returns for each comment, and the page as served.
    for comment in requests.get(f"{base}/api/comments?paper={paper}").json():
        check(comment["html"], comment["body"])
    page = requests.get(f"{base}/papers/{paper}").text
    for body in re.findall(r'<div class="body">(.*?)</div>\s*<div class="actions">', page, re.S):
        check(body, "page")

    # And in a real browser nothing ran.
    dom = browser.dump_dom(f"{base}/papers/{paper}")
    assert re.search(r"<html[^>]*data-pwned", dom) is None  # the payloads' text is on the page, as text
    assert dom.count("<script") == 0


def test_collections_and_bibtex(accounts_server):
    base = accounts_server["base"]
    owner = Reader(base).signup()
    api = owner.api(owner.token())
    ids = daily_ids(base)[:2]
    public = api.post(base + "/api/collections", json={"name": "Reading group", "description": "week 43", "isPublic": True}).json()
    private = api.post(base + "/api/collections", json={"name": "Mine only"}).json()
    assert api.post(base + "/api/collections", json={"name": "Reading group"}).status_code == 409
    assert api.post(base + "/api/collections", json={"name": ""}).status_code == 400
    for paper in ids:
        assert api.put(f"{base}/api/collections/{public['id']}/papers/{paper}", json={"note": f"note on {paper}"}).status_code == 204
    assert api.put(f"{base}/api/collections/{private['id']}/papers/{ids[0]}").status_code == 204

    shown = requests.get(f"{base}/collections/{public['id']}")
    assert shown.status_code == 200 and f"note on {ids[1]}" in shown.text and "/feeds/collections/" in shown.text
    for kind in ("rss", "atom", "json"):
        feed = requests.get(f"{base}/feeds/collections/{public['id']}/{kind}")
        assert feed.status_code == 200, feed.text
        if kind == "json":
            assert {item["url"].rsplit("/", 1)[1] for item in feed.json()["items"]} == set(ids)
        else:
            parsed = feedparser.parse(feed.content)
            assert not parsed.bozo, parsed.bozo_exception
            assert {entry.link.rsplit("/", 1)[1] for entry in parsed.entries} == set(ids)
    assert requests.get(f"{base}/feeds/collections/{private['id']}/atom").status_code == 404
    bib = requests.get(f"{base}/collections/{public['id']}/bibtex")
    assert bib.headers["Content-Type"].startswith("text/x-bibtex")
    assert bib.text.count("@") == 2 and f"eprint = {{{ids[0]}}}" in bib.text.replace("  ", " ")
    # Private collections are invisible to others, visible to the owner.
    assert requests.get(f"{base}/collections/{private['id']}").status_code == 404
    assert requests.get(f"{base}/api/collections/{private['id']}").status_code == 404
    assert owner.get(f"/collections/{private['id']}").status_code == 200
    stranger = Reader(base).signup()
    assert stranger.api(stranger.token()).put(f"{base}/api/collections/{private['id']}/papers/{ids[1]}").status_code == 404

    # "Save" on a list entry puts the paper in "Saved" and marks it.
    saved = owner.post("/save", {"paper": ids[1], "back": "/papers/date/2024-10-25"}, page="/papers/date/2024-10-25")
    assert saved.status_code == 303
    names = {c["name"]: c for c in api.get(base + "/api/collections").json()}
    assert names["Saved"]["paperCount"] == 1
    assert "Saved ✓" in owner.get("/papers/date/2024-10-25").text


def test_organizations_members_and_claims(accounts_server):
    base = accounts_server["base"]
    admin, member = Reader(base).signup(), Reader(base).signup()
    name = "Lab " + unique("x")
    created = admin.post("/organizations", {"name": name}, page="/organizations/new")
    assert created.status_code == 303
    slug = created.headers["Location"].rsplit("/", 1)[1]
    member_api = member.api(member.token())
    assert member_api.post(f"{base}/api/organizations/{slug}/members").status_code == 202
    paper = "0704.0006"
    refused = member_api.post(f"{base}/api/organizations/{slug}/claims", json={"paper": paper})
    assert refused.status_code == 403 and "approved members" in refused.json()["error"]
    assert "Asking to join" in admin.get(f"/organizations/{slug}").text
    approved = admin.post(f"/organizations/{slug}/approve", {"username": member.username, "role": "member"}, page=f"/organizations/{slug}")
    assert approved.status_code == 303
    assert member_api.post(f"{base}/api/organizations/{slug}/claims", json={"paper": paper}).status_code == 204
    assert requests.get(f"{base}/api/papers/{paper}").json()["organization"]["fullname"] == name
    members = requests.get(f"{base}/api/organizations/{slug}/members").json()
    assert {(m["username"], m["role"], m["status"]) for m in members} == {
        (admin.username, "admin", "approved"), (member.username, "member", "approved")}
    # Only the organization's admins approve.
    outsider = Reader(base).signup()
    assert outsider.api(outsider.token()).post(f"{base}/api/organizations/{slug}/members/{outsider.username}/approve").status_code == 403


def test_export_holds_everything_about_the_reader(accounts_server):
    base = accounts_server["base"]
    reader = Reader(base).signup()
    api = reader.api(reader.token("export"))
    paper = daily_ids(base)[0]
    api.post(f"{base}/api/upvotes/{paper}").raise_for_status()
    api.post(base + "/api/comments", json={"paper": paper, "body": "exported"}).raise_for_status()
    collection = api.post(base + "/api/collections", json={"name": "To read"}).json()
    api.put(f"{base}/api/collections/{collection['id']}/papers/{paper}", json={"note": "later"}).raise_for_status()

    download = reader.get("/account/export.json")
    assert "attachment" in download.headers["Content-Disposition"]
    data = download.json()
    assert data["user"]["username"] == reader.username
    assert [u["paperId"] for u in data["upvotes"]] == [paper]
    assert [c["body"] for c in data["comments"]] == ["exported"]
    assert data["collections"][0]["papers"][0]["note"] == "later"
    assert [t["name"] for t in data["apiTokens"]] == ["export"]
    assert "passwordHash" not in download.text and "token_hash" not in download.text
    assert api.get(base + "/api/me/export").json()["user"]["username"] == reader.username
