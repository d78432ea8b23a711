""""For you" (issue 14) in a real headless Chromium, over a server with the
sample papers' vectors: a new reader signs up, picks 5 papers with "More
like this", sees picks that each say why, dismisses one, reloads, and it is
gone. At a desktop and a phone size, with screenshots looked at for what is
drawn where. Then the same feed through the API with a token.

Set QUIRE_SCREENSHOTS to a folder to keep the screenshots.

Run: QUIRE_BIN=$PWD/.build/debug/quire python3 -m pytest -q tests/e2e/test_for_you.py
"""
import json
import os
import pathlib
import shutil
import subprocess
import uuid

import pytest
import requests

from browser import Image
from cdp import Browser
from conftest import free_port, wait_for
from readers import Reader
from test_reader_walkthrough import PASSWORD, dark, no_sideways_scroll, path, pixels, shot, text, visible_box

VIEWPORTS = {"desktop": (1280, 900, False), "phone": (390, 844, True)}


@pytest.fixture(scope="module")
def foryou_server(sample_db, quire_bin, tmp_path_factory):
    """`quire serve` with semantic search on (the vectors `sample_db` holds), on its own copy."""
    folder = tmp_path_factory.mktemp("foryou")
    db = folder / "quire.sqlite"
    shutil.copy(sample_db, db)
    port = free_port()
    log = open(folder / "serve.log", "w")
    process = subprocess.Popen([quire_bin, "serve", "--db", str(db), "--port", str(port), "--bcrypt-cost", "4",
                                "--writes-per-minute", "100000", "--signups-per-hour", "100000", "--no-digests"],
                               stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/health", process, seconds=120)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def keep(image_path: pathlib.Path):
    folder = os.environ.get("QUIRE_SCREENSHOTS")
    if folder:
        pathlib.Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(image_path, pathlib.Path(folder) / image_path.name)


def ids(b, list_id):
    return b.evaluate(f"[...document.querySelectorAll('#{list_id} > li')].map(li => li.dataset.paperId)")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_new_reader_picks_five_papers_then_dismisses_a_pick(foryou_server, tmp_path, viewport):
    base = foryou_server
    width, height, mobile = VIEWPORTS[viewport]
    with Browser(width, height, mobile) as b:
        b.label = viewport
        username = f"fy_{viewport}_{uuid.uuid4().hex[:8]}"
        b.navigate(base + "/signup")
        b.fill("input[name=username]", username)
        b.fill("input[name=email]", f"{username}@example.org")
        b.fill("input[name=password]", PASSWORD)
        b.click("form[action='/signup'] button[type=submit]")
        assert path(b) == "/account"

        # The header links to the feed; a new reader gets trending papers and papers to pick from.
        b.click("nav.account a[href='/for-you']")
        assert (path(b), b.status) == ("/for-you", 200)
        assert "0 of 5 so far" in text(b, "#warming-up")
        offered = ids(b, "onboarding")
        assert len(offered) >= 5, b.visible_text()[:1000]
        assert len(set(offered)) == len(offered)
        image = shot(b, tmp_path, "1-onboarding")
        assert dark(pixels(image, visible_box(b, "#warming-up"), inset=0)) > 0.02, "the warming-up line is drawn"
        no_sideways_scroll(b)

        # Five "More like this": each picked paper leaves the list it was picked from.
        picked = []
        for number in range(1, 6):
            first = ids(b, "onboarding")[0]
            b.click(f"#onboarding li[data-paper-id='{first}'] button.feed-more_like_this")
            assert (path(b), b.status) == ("/for-you", 200)
            picked.append(first)
            if number < 5:
                assert f"{number} of 5 so far" in text(b, "#warming-up")
                assert first not in ids(b, "onboarding")

        # Picks now, each with its reason, none of the five picked.
        assert b.evaluate("document.querySelector('#warming-up')") is None
        picks = ids(b, "picks")
        assert len(picks) >= 10 and not set(picks) & set(picked), picks
        reasons = b.evaluate("[...document.querySelectorAll('#picks > li .reason')].map(p => p.innerText)")
        assert len(reasons) == len(picks) and all(r.startswith("Because you asked for more like “") for r in reasons), reasons[:3]
        no_sideways_scroll(b)
        image = shot(b, tmp_path, "2-picks")
        keep(tmp_path / f"{viewport}-2-picks.png")
        b.scroll_to("#picks > li:first-child .actions")
        image = shot(b, tmp_path, "2-first-pick")
        keep(tmp_path / f"{viewport}-2-first-pick.png")
        assert dark(pixels(image, visible_box(b, "#picks > li:first-child .reason"), inset=0)) > 0.02, "the reason is drawn"
        assert dark(pixels(image, visible_box(b, "#picks > li:first-child button.feed-not_interested"), inset=0)) > 0.02

        # "Not interested" on the first pick: gone, and still gone after a reload.
        dismissed = picks[0]
        b.click(f"#picks li[data-paper-id='{dismissed}'] button.feed-not_interested")
        assert (path(b), b.status) == ("/for-you", 200)
        assert dismissed not in ids(b, "picks")
        b.navigate(base + "/for-you")
        assert dismissed not in ids(b, "picks") and len(ids(b, "picks")) >= 10

        # "Mark as read": gone from the feed, listed in the reading history on /account.
        read = ids(b, "picks")[0]
        b.click(f"#picks li[data-paper-id='{read}'] button.feed-read")
        assert read not in ids(b, "picks")
        b.navigate(base + "/account")
        history = b.evaluate("[...document.querySelectorAll('#read-history li a')].map(a => a.getAttribute('href'))")
        assert history == [f"/papers/{read}"]
        assert dismissed in (text(b, "#not-interested") or "") or b.evaluate(
            f"!!document.querySelector('#not-interested a[href=\"/papers/{dismissed}\"]')")
        b.click("#read-history button.feed-read")  # "Mark as unread"
        assert b.evaluate("document.querySelector('#read-history')") is None
        b.navigate(base + "/for-you")
        image = shot(b, tmp_path, "3-after")
        keep(tmp_path / f"{viewport}-3-after.png")
        keep(tmp_path / f"{viewport}-1-onboarding.png")


def test_the_feed_in_the_api_and_for_strangers(foryou_server):
    base = foryou_server
    # Anonymous readers are sent to log in, and come back.
    response = requests.get(base + "/for-you", allow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login?next=%2Ffor-you"
    assert requests.get(base + "/api/me/feed").status_code == 401

    reader = Reader(base).signup()
    api = reader.api(reader.token())
    feed = api.get(base + "/api/me/feed?limit=5").json()
    assert len(feed) == 5 and all(entry["trending"] and "until you pick 5 papers" in entry["reason"] for entry in feed)
    for entry in feed:
        state = api.post(f"{base}/api/me/more-like-this/{entry['id']}").json()
        assert state == {"paperId": entry["id"], "kind": "more_like_this", "on": True}
    picks = api.get(base + "/api/me/feed?limit=7").json()
    assert len(picks) == 7 and not any(p["trending"] for p in picks)
    assert all(p["reason"].startswith("Because you asked for more like") and 1 <= len(p["because"]) <= 3 for p in picks)
    assert {"id", "title", "summary", "authors", "upvotes"} <= set(picks[0])  # the Hugging Face paper fields
    assert not {p["id"] for p in picks} & {e["id"] for e in feed}
    assert api.post(f"{base}/api/me/not-interested/{picks[0]['id']}").status_code == 200
    assert picks[0]["id"] not in [p["id"] for p in api.get(base + "/api/me/feed?limit=7").json()]
    # Bad input: a clear 4xx, never a crash.
    assert api.get(base + "/api/me/feed?limit=0").status_code == 400
    assert api.get(base + "/api/me/feed?since=2024-13-01").status_code == 400
    assert api.post(f"{base}/api/me/read/2499.99999").status_code == 404
    signals = api.get(base + "/api/me/export").json()["feedSignals"]
    assert {(s["paperId"], s["kind"]) for s in signals} == {(e["id"], "more_like_this") for e in feed} | {(picks[0]["id"], "not_interested")}
