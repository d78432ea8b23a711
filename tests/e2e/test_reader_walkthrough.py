"""A new reader's first visit, in a real headless Chromium driven over the
DevTools protocol: sign up, upvote a paper, comment on it, save it to a new
collection, and download their data. After every step we check what the
reader sees: the rendered text, where things sit in the window, and the
pixels of a screenshot. The whole walk runs at a desktop and a phone size.

Run: QUIRE_BIN=$PWD/.build/debug/quire python3 -m pytest -q tests/e2e/test_reader_walkthrough.py
"""
import json
import pathlib
import re
import time
import uuid

import pytest

from browser import Image
from cdp import Browser

PAPER = "2410.17243"  # on the daily list of the sample data
PASSWORD = "correct horse battery"

SCREENSHOTS = pathlib.Path(__file__).resolve().parents[2] / "out" / "screenshots"

VIEWPORTS = {"desktop": (1280, 900, False), "phone": (390, 844, True)}

# Colours from Layout.css.
BUTTON = (0xF6, 0xF8, 0xFA)      # button background, var(--soft)
BUTTON_ON = (0xE8, 0xF0, 0xFE)   # button.on: "▲ Upvoted"
OK_BOX = (0xDA, 0xFB, 0xE1)      # .ok message


@pytest.fixture(params=list(VIEWPORTS))
def reader(request, accounts_server):
    """A fresh browser (one reader, no cookies yet) at the parametrized size."""
    width, height, mobile = VIEWPORTS[request.param]
    with Browser(width, height, mobile) as browser:
        browser.label = request.param
        yield browser


# -- looking at the screen

def shot(browser, tmp_path, name) -> Image:
    """Screenshot of the viewport, decoded; fails on a blank or half-drawn page."""
    image = Image.read(browser.screenshot(tmp_path / f"{browser.label}-{name}.png"))
    assert (image.width, image.height) == (browser.width, browser.height)
    sample = {pixel for row in image.rows[::7] for pixel in row[::7]}
    assert len(sample) > 20, f"{name}: the page looks blank ({len(sample)} colours)"
    assert image.ink() > 0.003, f"{name}: almost no text drawn"
    return image


def pixels(image, box, inset=3):
    """The pixels inside an element's box (minus its border)."""
    x0, y0 = int(box["x"]) + inset, int(box["y"]) + inset
    x1, y1 = int(box["x"] + box["width"]) - inset, int(box["y"] + box["height"]) - inset
    assert x1 > x0 and y1 > y0, f"box too small to look at: {box}"
    return [pixel for row in image.rows[y0:y1] for pixel in row[x0:x1]]


def share(pixels_, colour, tolerance=3):
    return sum(all(abs(a - b) <= tolerance for a, b in zip(p, colour)) for p in pixels_) / len(pixels_)


def dark(pixels_):
    """Share of clearly dark pixels (text) in the region."""
    return sum(sum(p) < 400 for p in pixels_) / len(pixels_)


def visible_box(browser, selector):
    """The element's box where it is drawn now; asserts it is really inside the window."""
    box = browser.box(selector)
    assert box["width"] > 0 and box["height"] > 0, f"{selector} is not displayed: {box}"
    assert 0 <= box["x"] and box["x"] + box["width"] <= browser.width, f"{selector} sticks out sideways: {box}"
    assert 0 <= box["y"] and box["y"] + box["height"] <= browser.height, f"{selector} is outside the window: {box}"
    return box


def text(browser, selector):
    return browser.evaluate(f"document.querySelector({json.dumps(selector)})?.innerText ?? null")


def wait_until(condition, what, seconds=10.0):
    deadline = time.time() + seconds
    while not condition():
        assert time.time() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.05)


def path(browser):
    return browser.evaluate("location.pathname")


def page_width(browser):
    """How wide the page is drawn; wider than the window means sideways scrolling."""
    return browser.evaluate("document.documentElement.scrollWidth")


def no_sideways_scroll(browser):
    width = page_width(browser)
    assert width <= browser.width, f"{path(browser)} is {width} px wide in a {browser.width} px window"


# -- the walk

def test_new_reader_walkthrough(reader, accounts_server, tmp_path):
    base, b = accounts_server["base"], reader
    username = f"walk_{b.label}_{uuid.uuid4().hex[:8]}"
    email = f"{username}@example.org"

    # 1. Sign up.
    b.navigate(base + "/signup")
    assert b.status == 200
    assert text(b, "h1") == "Create your Quire account"
    b.fill("input[name=username]", username)
    b.fill("input[name=email]", email)
    b.fill("input[name=password]", PASSWORD)
    b.click("form[action='/signup'] button[type=submit]")
    assert (path(b), b.status) == ("/account", 200), b.visible_text()[:500]
    assert text(b, "main h1") == username
    assert "Welcome to Quire!" in text(b, "main .ok")
    assert text(b, "nav.account a.me") == username
    assert text(b, "nav.account button") == "Log out"
    assert "Log in" not in text(b, "header.top")
    # The email address is one long word: it must wrap, not widen the page on a phone.
    assert page_width(b) <= b.width, f"/account is {page_width(b)} px wide in a {b.width} px window"
    image = shot(b, tmp_path, "1-account")
    assert dark(pixels(image, visible_box(b, "main h1"))) > 0.03, "the username heading is drawn"
    assert share(pixels(image, visible_box(b, "main .ok")), OK_BOX) > 0.5, "the welcome message sits in a green box"
    assert dark(pixels(image, visible_box(b, "nav.account a.me"), inset=0)) > 0.02, "the username is drawn in the header"

    # 2. Upvote a paper.
    b.navigate(f"{base}/papers/{PAPER}")
    assert b.status == 200
    title = text(b, "article.paper h1")
    assert title and "Breaking the Memory Barrier" in title
    upvote = "article.paper .actions button.upvote"

    def count():
        label = text(b, "article.paper .actions .votes")
        match = re.match(r"(\d+)\s*upvotes?\b", label or "")
        assert match, f"no upvote count in {label!r}"
        return int(match.group(1))

    before = count()
    assert text(b, upvote) == "▲ Upvote"
    b.scroll_to(upvote)
    image = shot(b, tmp_path, "2-paper")
    box = visible_box(b, upvote)
    assert share(pixels(image, box), BUTTON) > 0.5, "the upvote button is grey before"
    assert dark(pixels(image, box)) > 0.02, "its label is drawn"
    # The click updates the box in place (no page load, the window stays
    # where it was); a double click sends one upvote.
    b.evaluate("window.stayedOnThisPage = true")
    scrolled = b.evaluate("window.scrollY")
    b.evaluate(f"(() => {{ const button = document.querySelector({json.dumps(upvote)}); button.click(); button.click(); }})()")
    wait_until(lambda: text(b, upvote) == "▲ Upvoted", "the button to say Upvoted")
    assert b.evaluate("window.stayedOnThisPage === true"), "the upvote loaded a new page"
    assert b.evaluate("window.scrollY") == scrolled
    assert "on" in b.evaluate(f"[...document.querySelector({json.dumps(upvote)}).classList]")
    assert count() == before + 1
    # And it is kept: the page loaded again shows the same.
    b.navigate(f"{base}/papers/{PAPER}")
    assert (text(b, upvote), count()) == ("▲ Upvoted", before + 1)
    no_sideways_scroll(b)
    b.scroll_to(upvote)
    image = shot(b, tmp_path, "2-paper-upvoted")
    box = visible_box(b, upvote)
    assert share(pixels(image, box), BUTTON_ON) > 0.5, "the pressed upvote button turns light blue"

    # 2b. On a list, far down the page: the entry updates where it is.
    b.navigate(base + "/")
    entry = "ol.papers li:nth-child(6)"
    b.scroll_to(f"{entry} .votes button.upvote")
    scrolled, votes = b.evaluate("window.scrollY"), text(b, f"{entry} .votes b")
    assert scrolled > 0 or b.height > 2000
    b.click(f"{entry} .votes button.upvote", navigates=False)
    wait_until(lambda: text(b, f"{entry} .votes button") == "▲ Upvoted", "the list entry to say Upvoted")
    assert b.evaluate("window.scrollY") == scrolled, "the page jumped"
    assert int(text(b, f"{entry} .votes b")) == int(votes) + 1
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    image = Image.read(b.screenshot(SCREENSHOTS / f"in-place-upvote-{b.label}.png"))
    assert share(pixels(image, visible_box(b, f"{entry} .votes button")), BUTTON_ON) > 0.5, "the pressed button turns light blue"
    no_sideways_scroll(b)
    # Clicked again, the swapped-in button takes the upvote back.
    b.click(f"{entry} .votes button.upvote", navigates=False)
    wait_until(lambda: text(b, f"{entry} .votes button") == "▲ Upvote", "the list entry to say Upvote again")
    assert int(text(b, f"{entry} .votes b")) == int(votes)
    b.navigate(f"{base}/papers/{PAPER}")

    # 3. Comment; markup is rendered, HTML is shown as text and never runs.
    comments_before = int(re.search(r"Discussion \((\d+)\)", text(b, "#comments h2")).group(1))
    script = "<script>document.title='pwned'</script>"
    body = f"This is **bold** and {script} stays text."
    b.fill("form.comment-form textarea[name=body]", body)
    b.click("form.comment-form button[type=submit]")
    assert (path(b), b.status) == (f"/papers/{PAPER}", 200)
    anchor = b.evaluate("location.hash")
    assert re.fullmatch(r"#comment-\d+", anchor), anchor
    mine = f"article.comment{anchor}"
    assert text(b, f"{mine} .meta b") == username
    assert text(b, f"{mine} .body strong") == "bold"
    assert script in text(b, f"{mine} .body")
    assert b.evaluate(f"document.querySelectorAll('{mine} script').length") == 0
    assert b.evaluate("document.title") == f"{title} · Quire"
    assert text(b, "#comments h2") == f"Discussion ({comments_before + 1})"
    assert b.evaluate(f"getComputedStyle(document.querySelector('{mine} .body strong')).fontWeight") in ("700", "bold")
    b.scroll_to(f"{mine} .body")
    image = shot(b, tmp_path, "3-comment")
    assert dark(pixels(image, visible_box(b, f"{mine} .body"), inset=0)) > 0.02, "the comment text is drawn where the comment is"

    # 4. Save to a new collection, then find it under /collections.
    collection = f"Walkthrough {uuid.uuid4().hex[:6]}"
    b.click("details.save summary", navigates=False)
    assert b.evaluate("document.querySelector('details.save').open")
    b.scroll_to("details.save input[name=new_collection]")
    image = shot(b, tmp_path, "4-save-form")
    assert dark(pixels(image, visible_box(b, "details.save form"), inset=0)) > 0.01, "the save form is drawn open"
    b.fill("details.save input[name=new_collection]", collection)
    b.click("details.save form button[type=submit]")
    assert (path(b), b.status) == (f"/papers/{PAPER}", 200)
    assert text(b, "details.save summary") == "Saved ✓ (save again)"

    b.navigate(base + "/collections")
    assert b.status == 200
    entry = b.evaluate(f"""[...document.querySelectorAll('ul.collections li')]
        .filter(li => li.querySelector('a').innerText === {json.dumps(collection)}).map(li => li.innerText)""")
    assert len(entry) == 1, b.visible_text()
    assert "1 paper" in entry[0] and "1 papers" not in entry[0]
    image = shot(b, tmp_path, "4-collections")
    assert dark(pixels(image, visible_box(b, "ul.collections"), inset=0)) > 0.02
    b.evaluate(f"""[...document.querySelectorAll('ul.collections a')]
        .find(a => a.innerText === {json.dumps(collection)}).setAttribute('id', 'walk-collection')""")
    b.click("#walk-collection")
    assert re.fullmatch(r"/collections/\d+", path(b)) and b.status == 200
    assert text(b, "main h1") == collection
    assert title in text(b, f"ol.papers li[data-paper-id='{PAPER}']")
    no_sideways_scroll(b)
    b.scroll_to(f"ol.papers li[data-paper-id='{PAPER}'] h2")
    image = shot(b, tmp_path, "4-collection")
    assert dark(pixels(image, visible_box(b, f"ol.papers li[data-paper-id='{PAPER}'] h2"), inset=0)) > 0.02

    # 5. Export: the account page links to the JSON; headless downloads are
    # awkward, so the page fetches it with its own cookies instead.
    b.navigate(base + "/account")
    link = b.evaluate("""(() => { const a = [...document.querySelectorAll('main a')]
        .find(a => a.innerText === 'Download all your data (JSON)'); a.id = 'walk-export';
        return {href: a.getAttribute('href'), download: a.hasAttribute('download')}; })()""")
    assert link == {"href": "/account/export.json", "download": True}
    b.scroll_to("#walk-export")
    image = shot(b, tmp_path, "5-account")
    assert dark(pixels(image, visible_box(b, "#walk-export"), inset=0)) > 0.01, "the export link is drawn"
    answer = b.evaluate("""fetch(document.getElementById('walk-export').href).then(async r => ({
        status: r.status, type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition'),
        body: await r.text()}))""")
    assert answer["status"] == 200, answer
    assert answer["type"].startswith("application/json")
    assert f'filename="quire-{username}.json"' in answer["disposition"]
    assert PASSWORD not in answer["body"] and "hash" not in answer["body"].lower()
    data = json.loads(answer["body"])
    assert (data["user"]["username"], data["user"]["email"], data["user"]["role"]) == (username, email, "reader")
    assert [u["paperId"] for u in data["upvotes"]] == [PAPER]
    assert [(c["paperId"], c["body"], c["author"]) for c in data["comments"]] == [(PAPER, body, username)]
    saved = [c for c in data["collections"] if c["collection"]["name"] == collection]
    assert len(saved) == 1 and saved[0]["collection"]["paperCount"] == 1
    assert [(p["paperId"], p["title"]) for p in saved[0]["papers"]] == [(PAPER, title)]
    assert data["apiTokens"] == [] and data["submissions"] == []

