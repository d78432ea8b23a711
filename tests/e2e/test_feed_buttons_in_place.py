"""The feed's buttons on a list ("More like this", "Not interested", "Mark
as read") update in place, as upvote does, and show their state; in a real
headless Chromium at a desktop and a phone size, with screenshots in
out/screenshots. Without JavaScript the same forms post and come back to
the entry (checked with requests).

Run: QUIRE_BIN=$PWD/.build/debug/quire python3 -m pytest -q tests/e2e/test_feed_buttons_in_place.py
"""
import uuid

import pytest

from browser import Image
from cdp import Browser
from readers import Reader
from test_reader_walkthrough import PASSWORD, SCREENSHOTS, VIEWPORTS, no_sideways_scroll, path, text, visible_box, wait_until

DAY = "/papers/date/2024-10-25"


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_not_interested_updates_in_place_and_undo_works(size, accounts_server):
    base = accounts_server["base"]
    width, height, mobile = VIEWPORTS[size]
    with Browser(width, height, mobile) as b:
        username = f"feedbtn_{size}_{uuid.uuid4().hex[:8]}"
        b.navigate(base + "/signup")
        b.fill("input[name=username]", username)
        b.fill("input[name=email]", f"{username}@example.org")
        b.fill("input[name=password]", PASSWORD)
        b.click("form[action='/signup'] button[type=submit]")
        assert path(b) == "/account", b.visible_text()[:300]

        b.navigate(base + DAY)
        entry = "ol.papers li:nth-child(4)"
        box = f"{entry} .feed-buttons"
        assert "Not interested" in text(b, box) and "✓" not in text(b, box)
        b.scroll_to(f"{box} button.feed-not_interested")
        b.evaluate("window.stayedOnThisPage = true")
        scrolled = b.evaluate("window.scrollY")
        b.click(f"{box} button.feed-not_interested", navigates=False)
        wait_until(lambda: "Not interested ✓" in (text(b, box) or ""), "the entry to say Not interested ✓")
        assert b.evaluate("window.stayedOnThisPage === true"), "the click loaded a new page"
        assert b.evaluate("window.scrollY") == scrolled, "the page jumped"
        assert text(b, f"{box} button.feed-undo") == "Undo"
        visible_box(b, f"{box} .feed-state")
        no_sideways_scroll(b)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        image = Image.read(b.screenshot(SCREENSHOTS / f"in-place-not-interested-{size}.png"))
        assert image.ink() > 0.003, "the screenshot is blank"

        # The state is kept: loaded again, the list shows it.
        b.navigate(base + DAY)
        assert "Not interested ✓" in text(b, box)

        # Undo, in place again.
        b.scroll_to(f"{box} button.feed-undo")
        b.evaluate("window.stayedOnThisPage = true")
        b.click(f"{box} button.feed-undo", navigates=False)
        wait_until(lambda: "✓" not in (text(b, box) or ""), "the entry to lose its ✓")
        assert b.evaluate("window.stayedOnThisPage === true")
        assert text(b, f"{box} button.feed-not_interested") == "Not interested"
        b.navigate(base + DAY)
        assert "✓" not in text(b, box)


def test_without_javascript_the_forms_post_and_come_back_to_the_entry(accounts_server):
    reader = Reader(accounts_server["base"]).signup()
    page = reader.get(DAY).text
    assert 'class="feed-buttons" data-in-place-box' in page
    answer = reader.post("/feed-signal", {"paper": "2410.17243", "kind": "read", "on": "1", "back": DAY + "#paper-2410.17243"}, page=DAY)
    assert answer.status_code == 303 and answer.headers["Location"] == DAY + "#paper-2410.17243"
    assert "Read ✓" in reader.get(DAY).text
    reader.post("/feed-signal", {"paper": "2410.17243", "kind": "read", "on": "0", "back": DAY}, page=DAY)
    assert "Read ✓" not in reader.get(DAY).text
