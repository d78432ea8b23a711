"""Several interests in "For you" (issue 14), with the real binary: a reader
makes two collections interests of their own (one from /for-you, one from
the collection's page) and sees picks by interest on the page (390 px
screenshots), in /api/me/feed?interest= and in the private feed
(?interest=, parsed by feedparser); and the digest's "For you" section,
through a real SMTP server (aiosmtpd), holds only papers of the digest's
window, and none once the reader turns it off.

The server's papers: the sample papers, plus 40 real Hugging Face papers
(../shared/data/seed-papers.jsonl) put on the daily list of today or of
twelve days ago, alternately, so that a digest's window holds some of them.

Set QUIRE_SCREENSHOTS to a folder to keep the screenshots.

Run: QUIRE_BIN=$PWD/.build/debug/quire python3 -m pytest -q tests/e2e/test_for_you_interests.py
"""
import datetime
import os
import re
import subprocess
from types import SimpleNamespace

import feedparser
import requests

from cdp import Browser
from readers import PASSWORD, Reader
from test_digests import header, messages, next_weekday_morning, part
from test_for_you import keep
from test_for_you_reach import confirmed_reader, foryou_server, local, new_feed_links  # noqa: F401 (the fixture, for this module too)
from test_reader_walkthrough import dark, no_sideways_scroll, path, pixels, shot, text, visible_box

def collection(api: requests.Session, base: str, name: str, papers: list[str]) -> int:
    made = api.post(base + "/api/collections", json={"name": name})
    assert made.status_code == 201, made.text
    number = made.json()["id"]
    for paper in papers:
        assert api.put(f"{base}/api/collections/{number}/papers/{paper}").status_code == 204
    return number


def reader_with_two_interests(server) -> SimpleNamespace:
    """A reader with "Alpha" (the first five dated papers listed long ago) made an
    interest on /for-you, and "Beta" (the next five) from the collection's page."""
    base = server.base
    reader = Reader(base).signup()
    api = reader.api(reader.token())
    stale = sorted(server.stale)
    alpha = collection(api, base, "Alpha", stale[:5])
    beta = collection(api, base, "Beta", stale[5:10])
    page = reader.get("/for-you").text
    assert 'id="your-interests"' in page and "Make it an interest of its own" in page
    made = reader.post("/for-you/interests", {"collection": str(alpha), "on": "1", "back": "/for-you"}, page="/for-you")
    assert made.status_code == 303 and made.headers["location"] == "/for-you"
    assert "Make it an interest of its own" in reader.get(f"/collections/{beta}").text
    made = reader.post("/for-you/interests", {"collection": str(beta), "on": "1", "back": f"/collections/{beta}"}, page=f"/collections/{beta}")
    assert made.status_code == 303 and made.headers["location"] == f"/collections/{beta}"
    assert "Stop using it as an interest" in reader.get(f"/collections/{beta}").text
    return SimpleNamespace(reader=reader, api=api, alpha=alpha, beta=beta, liked=stale[:10])


def test_picks_by_interest_in_the_api_and_the_private_feed(foryou_server):
    base = foryou_server.base
    r = reader_with_two_interests(foryou_server)
    interests = r.api.get(base + "/api/me/interests").json()
    assert interests == [
        {"id": "liked", "name": "Everything you liked", "papers": 10, "ready": True},
        {"id": str(r.alpha), "name": "Alpha", "papers": 5, "ready": True},
        {"id": str(r.beta), "name": "Beta", "papers": 5, "ready": True},
    ]
    # Blended: the interests take turns, each pick says which it is for.
    blended = r.api.get(base + "/api/me/feed?limit=12").json()
    assert len(blended) == 12 and len({e["id"] for e in blended}) == 12
    assert [e["interest"]["id"] for e in blended[:3]] == ["liked", str(r.alpha), str(r.beta)]
    assert {e["interest"]["name"] for e in blended} == {"Everything you liked", "Alpha", "Beta"}
    assert not {e["id"] for e in blended} & set(r.liked)
    # One at a time.
    by_interest = {}
    for interest in ["liked", str(r.alpha), str(r.beta)]:
        entries = r.api.get(f"{base}/api/me/feed?limit=10&interest={interest}").json()
        assert len(entries) == 10 and {e["interest"]["id"] for e in entries} == {interest}, interest
        by_interest[interest] = [e["id"] for e in entries]
    assert by_interest[str(r.alpha)] != by_interest[str(r.beta)]
    assert r.api.get(base + "/api/me/feed?limit=12&interest=all").json() == blended
    # Unknown or malformed interests: 400 with a JSON error.
    for bad in ["999999", "0", "abc", "-1", str(r.alpha) + "x"]:
        response = r.api.get(f"{base}/api/me/feed?interest={bad}")
        assert response.status_code == 400 and "interest" in response.json()["error"], (bad, response.text)
    stranger = Reader(base).signup()
    other = stranger.api(stranger.token()).get(f"{base}/api/me/feed?interest={r.alpha}")
    assert other.status_code == 400 and "no interest" in other.json()["error"]

    # The private feed takes the same ?interest=, read by feedparser.
    link = local(new_feed_links(r.reader.post("/for-you/feed-link", page="/for-you").text)["rss"], base)
    for interest in [str(r.alpha), str(r.beta)]:
        response = requests.get(f"{link}?interest={interest}")
        assert response.status_code == 200
        feed = feedparser.parse(response.content)
        assert not feed.bozo, feed.bozo_exception
        expected = [e["id"] for e in r.api.get(f"{base}/api/me/feed?limit=50&interest={interest}").json()]
        assert [entry.link.rsplit("/papers/", 1)[1] for entry in feed.entries] == expected
    everything = feedparser.parse(requests.get(link).content)
    assert [e.link.rsplit("/papers/", 1)[1] for e in everything.entries] == [e["id"] for e in r.api.get(base + "/api/me/feed?limit=50").json()]
    assert requests.get(f"{link}?interest=999999").status_code == 400
    assert requests.get(f"{link}?interest=nonsense").status_code == 400

    # An interest with fewer than five papers says so, and picks nothing.
    small = collection(r.api, base, "Gamma", sorted(foryou_server.stale)[10:12])
    assert r.api.put(f"{base}/api/me/interests/{small}").status_code == 200
    assert r.api.get(f"{base}/api/me/feed?interest={small}").json() == []
    page = r.reader.get(f"/for-you?interest={small}").text
    assert 'id="interest-short"' in page and "has 2 of the 5 papers" in page
    assert "Gamma" in page and "(2 of 5 papers)" in page
    assert r.api.delete(f"{base}/api/me/interests/{small}").json()[-1]["name"] == "Beta"
    # Another reader's collection cannot be made theirs.
    assert stranger.api(stranger.token("t2")).put(f"{base}/api/me/interests/{r.alpha}").status_code == 404
    # In the data export.
    assert set(r.api.get(base + "/api/me/export").json()["interestCollections"]) == {r.alpha, r.beta}


def test_the_page_shows_interests_blended_or_one_at_a_time_at_390_px(foryou_server, tmp_path):
    base = foryou_server.base
    r = reader_with_two_interests(foryou_server)
    with Browser(390, 844, True) as b:
        b.label = "phone"
        b.navigate(base + "/login")
        b.fill("input[name=login]", r.reader.username)
        b.fill("input[name=password]", PASSWORD)
        b.click("form[action='/login'] button[type=submit]")
        b.navigate(base + "/for-you")
        assert (path(b), b.status) == ("/for-you", 200)
        assert "All interests" in text(b, "#interests") and "Alpha" in text(b, "#interests")
        assert "take turns" in text(b, "#blend")
        reasons = b.evaluate("[...document.querySelectorAll('#picks > li .reason')].map(p => p.innerText)")
        assert len(reasons) >= 10
        assert reasons[0].startswith("For “Everything you liked”") and reasons[1].startswith("For “Alpha”") and reasons[2].startswith("For “Beta”")
        no_sideways_scroll(b)
        image = shot(b, tmp_path, "interests-1-blended")
        keep(tmp_path / "phone-interests-1-blended.png")
        assert dark(pixels(image, visible_box(b, "#interests"), inset=0)) > 0.02, "the interests' links are drawn"

        b.click(f"#interests a[href='/for-you?interest={r.alpha}']")
        assert b.evaluate("location.search") == f"?interest={r.alpha}"
        reasons = b.evaluate("[...document.querySelectorAll('#picks > li .reason')].map(p => p.innerText)")
        assert reasons and all(reason.startswith("For “Alpha”") for reason in reasons)
        assert "Only “Alpha”" in text(b, "#blend")
        no_sideways_scroll(b)
        shot(b, tmp_path, "interests-2-alpha")
        keep(tmp_path / "phone-interests-2-alpha.png")
        b.scroll_to("#your-interests")
        image = shot(b, tmp_path, "interests-3-toggles")
        keep(tmp_path / "phone-interests-3-toggles.png")
        assert dark(pixels(image, visible_box(b, "#your-interests h2"), inset=0)) > 0.02
        # An unknown interest in the address: a 400 page, not a crash.
        b.navigate(base + "/for-you?interest=nonsense")
        assert b.status == 400


def test_the_digest_picks_only_papers_of_its_window_and_can_leave_them_out(foryou_server):
    server = foryou_server
    base = server.base
    reader = confirmed_reader(server)
    api = reader.api(reader.token())
    # Liked: five papers of long ago, so the model has a topic; the digest's window holds only today's.
    for paper in sorted(server.stale)[:5]:
        assert api.post(f"{base}/api/me/more-like-this/{paper}").status_code == 200
    settings = api.put(base + "/api/me/digest", json={"frequency": "daily", "hour": 7, "timeZone": "UTC", "maxPapers": 5,
                                                      "includeTop": False, "includeFollowed": False, "includeSavedSearches": False})
    assert settings.status_code == 200 and settings.json()["subscription"]["includeForYou"] is True, settings.text
    # The best picks of all time include papers of long ago; the digest's may not.
    assert set(e["id"] for e in api.get(base + "/api/me/feed?limit=30").json()) & server.stale

    def send(slot: str) -> list:
        sent = subprocess.run([server.quire_bin, "digest", "send", "--db", str(server.db), "--public-url", "http://quire.test",
                               "--now", slot, "--user", reader.username],
                              capture_output=True, text=True, env=dict(os.environ, **server.env), timeout=300)
        assert sent.returncode == 0, sent.stdout + sent.stderr
        return [m for m in messages(server.maildir) if header(m, "To").endswith(f"<{reader.email}>") and "digest" in header(m, "Subject")]

    slot = next_weekday_morning()
    [digest] = send(slot)
    text_part = part(digest, "text/plain")
    sections = re.findall(r"^(.+)\n=+$", text_part, re.M)
    assert sections == ["For you"], sections
    for_you = re.split(r"^.+\n=+$", text_part, flags=re.M)[1]
    mailed = re.findall(r"http://quire\.test/papers/([\w.-]+)", for_you)
    assert len(set(mailed)) == 5 and set(mailed) <= server.fresh, mailed

    # Turned off (the settings form's box unticked, as PUT here): no "For you" section, so nothing to mail.
    assert api.put(base + "/api/me/digest", json={"includeForYou": False, "includeTop": True}).json()["subscription"]["includeForYou"] is False
    assert 'name="for_you" value="1">' in reader.get("/account/digest").text  # unticked: no " checked"
    later = (datetime.datetime.fromisoformat(slot.replace("Z", "+00:00")) + datetime.timedelta(days=1))
    while later.weekday() >= 5:
        later += datetime.timedelta(days=1)
    mails = send(later.strftime("%Y-%m-%dT%H:%M:%SZ"))
    newest = [m for m in mails if m is not digest and part(m, "text/plain") != text_part]
    for mail in newest:
        assert "For you\n=" not in part(mail, "text/plain")
    # Bad settings: a 400 with a JSON error, nothing changed.
    for bad in [{"maxPapers": 0}, {"frequency": "hourly"}, {"includeForYou": "yes"}, {"colour": "red"}]:
        response = api.put(base + "/api/me/digest", json=bad)
        assert response.status_code == 400 and "error" in response.json(), (bad, response.text)
    assert api.get(base + "/api/me/digest").json()["subscription"]["includeForYou"] is False
    assert api.get(base + "/api/me/export").json()["digest"]["includeForYou"] is False
