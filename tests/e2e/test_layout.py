"""Layout faults a reader would see: the upvote box must hold its button at
desktop width, and /account must not scroll sideways on a phone once the
reader has API tokens (the token table is the widest thing on it)."""
import json
import uuid

from cdp import Browser

PASSWORD = "correct horse battery"


def boxes_inside(browser, outer, inner):
    """For every `outer` element, whether its `inner` element's box lies within it."""
    return browser.evaluate(f"""[...document.querySelectorAll({json.dumps(outer)})].map(o => {{
        const i = o.querySelector({json.dumps(inner)}); if (!i) return null;
        const a = o.getBoundingClientRect(), b = i.getBoundingClientRect();
        return b.left >= a.left - 0.5 && b.right <= a.right + 0.5 && b.top >= a.top - 0.5 && b.bottom <= a.bottom + 0.5; }})""")


def sign_up(browser, base, label):
    # As long as a username may be (30): the header must still fit a phone.
    username = f"layout_{label}_{uuid.uuid4().hex}"[:30]
    browser.navigate(base + "/signup")
    browser.fill("input[name=username]", username)
    browser.fill("input[name=email]", f"{username}@example.org")
    browser.fill("input[name=password]", PASSWORD)
    browser.click("form[action='/signup'] button[type=submit]")
    assert browser.evaluate("location.pathname") == "/account"
    return username


def test_upvote_box_holds_its_button_on_desktop(accounts_server):
    base = accounts_server["base"]
    with Browser(1280, 900) as browser:
        browser.navigate(base + "/")
        inside = boxes_inside(browser, "ol.papers .votes", ".upvote")
        assert inside and all(inside), f"an upvote link sticks out of its box: {inside}"
        sign_up(browser, base, "desktop")
        browser.navigate(base + "/")
        inside = boxes_inside(browser, "ol.papers .votes", "button.upvote")
        assert inside and all(inside), f"an upvote button sticks out of its box: {inside}"


def test_account_with_tokens_fits_a_phone(accounts_server):
    base = accounts_server["base"]
    with Browser(390, 844, mobile=True) as browser:
        sign_up(browser, base, "phone")
        for name in ("laptop script", "a-very-long-token-name-without-any-spaces-at-all-x"):
            browser.fill("form[action='/account/tokens'] input[name=name]", name)
            browser.click("form[action='/account/tokens'] button[type=submit]")
        assert browser.evaluate("document.querySelectorAll('table.list tr').length") == 3
        width = browser.evaluate("document.documentElement.scrollWidth")
        wide = browser.evaluate("""[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 390 || e.scrollWidth > e.clientWidth + 1)
            .map(e => e.tagName + (e.id ? '#' + e.id : '')).slice(0, 5)""")
        assert width <= 390, f"/account is {width} px wide on a 390 px phone: {wide}"
