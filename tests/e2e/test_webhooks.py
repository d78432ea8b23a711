"""Webhooks end to end: a local fake Slack endpoint (a small HTTP server in
this test) receives digests posted by the real `quire digest send`, exactly
once per slot, retried after a 500 with backoff, and disabled after five
failures in a row with a mail to the owner at the real SMTP server
(aiosmtpd). The server here runs with --webhook-allow-insecure-loopback (for
tests only) so the fake can be http on 127.0.0.1; without it (the shared
accounts server) every SSRF case is refused with a precise form error."""
import datetime
import html
import json
import pathlib
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cdp import Browser
from readers import Reader
from test_digests import Mail, header, messages, next_weekday_morning, subscribe

OUT = pathlib.Path(__file__).resolve().parents[2] / "out" / "screenshots"
RETRY_BASE = 60


class FakeSlack:
    """An incoming-webhook endpoint: answers each path from a script of
    statuses (200 once the script runs out) and keeps every JSON body."""

    def __init__(self):
        self.posts: list[tuple[str, dict]] = []
        self.scripts: dict[str, list[int]] = {}
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                fake.posts.append((self.path, json.loads(self.rfile.read(length) or b"{}")))
                script = fake.scripts.get(self.path, [])
                status = script.pop(0) if script else 200
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok" if status == 200 else b"invalid_token")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def to(self, path):
        return [body for p, body in self.posts if p == path]


@pytest.fixture(scope="module")
def slack():
    fake = FakeSlack()
    yield fake
    fake.server.shutdown()


@pytest.fixture(scope="module")
def hooks(quire_bin, tmp_path_factory, arxiv_fixture_server):
    setup = Mail(quire_bin, tmp_path_factory, arxiv_fixture_server,
                 quire_options=["--webhook-allow-insecure-loopback", "--webhook-retry-base", str(RETRY_BASE)])
    setup.list_papers("0704.0030", "0704.0031")
    yield setup
    setup.stop()


def at(slot: str, seconds: int) -> str:
    instant = datetime.datetime.fromisoformat(slot.replace("Z", "+00:00")) + datetime.timedelta(seconds=seconds)
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def reader_with_webhook(hooks, url, format="slack"):
    reader = hooks.confirmed_reader()
    subscribe(reader)
    page = reader.post("/account/webhooks", {"url": url, "format": format}, page="/account/digest")
    assert page.status_code == 200 and "Webhook added" in page.text, page.text[:2000]
    return reader, int(re.search(r'action="/account/webhooks/(\d+)/test"', page.text).group(1))


def test_a_digest_reaches_the_webhook_exactly_once_and_a_test_message_on_demand(hooks, slack):
    reader, hook = reader_with_webhook(hooks, slack.url + "/services/T0/B0/once")
    tested = reader.post(f"/account/webhooks/{hook}/test", page="/account/digest")
    assert tested.status_code == 200 and "Test message sent" in tested.text and "HTTP 200" in tested.text
    [test_message] = slack.to("/services/T0/B0/once")
    assert "This is a test message from Quire" in test_message["text"]

    slot = next_weekday_morning()
    first = hooks.send("--now", slot, "--user", reader.username)
    assert "posted 2 papers" in first.stdout, first.stdout
    posts = slack.to("/services/T0/B0/once")[1:]
    assert len(posts) == 1
    [digest] = posts
    assert digest["text"].startswith("Quire daily digest") and digest["blocks"][0]["type"] == "header"
    section = digest["blocks"][1]["text"]["text"]
    assert section.startswith("*Top of the daily list*") and "<http://quire.test/papers/0704.0030|" in section
    # Runs again (as every minute in `quire serve`, or a second server): nothing more.
    for later in (30, 3600):
        hooks.send("--now", at(slot, later), "--user", reader.username)
    assert len(slack.to("/services/T0/B0/once")) == 2
    # In the reader's data export and their digest settings' API, without anyone else's.
    export = reader.get("/account/export.json").json()
    assert [w["url"] for w in export["webhooks"]] == [slack.url + "/services/T0/B0/once"]


def test_a_failed_post_is_retried_after_the_backoff(hooks, slack):
    path = "/services/T0/B0/flaky"
    slack.scripts[path] = [500]
    reader, _ = reader_with_webhook(hooks, slack.url + path, format="discord")
    slot = next_weekday_morning()
    failed = hooks.send("--now", slot, "--user", reader.username, check=False)
    assert failed.returncode == 3 and "failed (HTTP 500: invalid_token), retried in 60 s" in failed.stdout, failed.stdout
    hooks.send("--now", at(slot, RETRY_BASE - 5), "--user", reader.username, check=False)
    assert len(slack.to(path)) == 1  # not before the backoff
    retried = hooks.send("--now", at(slot, RETRY_BASE + 1), "--user", reader.username)
    assert "posted 2 papers" in retried.stdout
    first, second = slack.to(path)
    assert first == second and second["embeds"][0]["title"] == "Top of the daily list" and "content" in second
    hooks.send("--now", at(slot, 3 * RETRY_BASE), "--user", reader.username)
    assert len(slack.to(path)) == 2


def test_repeated_failures_disable_the_webhook_and_mail_the_owner(hooks, slack):
    path = "/services/T0/B0/gone"
    slack.scripts[path] = [500] * 100
    reader, hook = reader_with_webhook(hooks, slack.url + path, format="matrix")
    slot = next_weekday_morning()
    elapsed, wait = 0, RETRY_BASE
    for attempt in range(1, 6):
        run = hooks.send("--now", at(slot, elapsed), "--user", reader.username, check=False)
        assert len(slack.to(path)) == attempt, run.stdout
        elapsed, wait = elapsed + wait, wait * 2
    assert "webhook disabled after 5 failures" in run.stdout
    [notice] = [m for m in messages(hooks.maildir) if header(m, "To").endswith(f"<{reader.email}>")
                and header(m, "Subject") == "Quire: your webhook was disabled"]
    body = notice["parts"][0]["body"]
    assert "after 5 failed attempts in a row" in body and "HTTP 500" in body and "http://quire.test/account/digest" in body
    assert slack.url + path not in body  # the address is a secret: shown shortened
    # Disabled: nothing more is posted, and the page says so and offers to turn it on.
    hooks.send("--now", at(slot, elapsed + 86400), "--user", reader.username, check=False)
    assert len(slack.to(path)) == 5
    page = reader.get("/account/digest").text
    assert "<strong>disabled</strong>" in page and f"/account/webhooks/{hook}/enable" in page
    [matrix] = slack.to(path)[:1]
    assert matrix["format"] == "org.matrix.custom.html" and "<a href=" in matrix["html"] and "<a href" not in matrix["text"]


@pytest.mark.parametrize("url, reason", [
    ("http://127.0.0.1/hook", "webhooks go over https only, not http://"),
    ("https://127.0.0.1/hook", "127.0.0.1 is a loopback address: webhooks go only to public internet addresses"),
    ("https://localhost/hook", "'localhost' resolves to "),
    ("https://10.1.2.3/hook", "10.1.2.3 is a private address (10.0.0.0/8)"),
    ("https://172.16.5.4/hook", "172.16.5.4 is a private address (172.16.0.0/12)"),
    ("https://192.168.1.1/hook", "192.168.1.1 is a private address (192.168.0.0/16)"),
    ("https://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
    ("https://100.64.0.1/hook", "100.64.0.1 is a shared (carrier-grade NAT) address"),
    ("https://[::1]/hook", "::1 is a loopback address"),
    ("https://[fe80::1]/hook", "fe80::1 is a link-local address (fe80::/10)"),
    ("https://[fd00::1]/hook", "fd00::1 is a private (unique local) address (fc00::/7)"),
    ("https://[::ffff:127.0.0.1]/hook", "::ffff:127.0.0.1 is an IPv4-mapped address of a loopback address"),
    ("https://0.0.0.0/hook", "0.0.0.0 is the unspecified address"),
    ("https://[::]/hook", ":: is the unspecified address"),
    ("https://2130706433/hook", "'2130706433' resolves to 127.0.0.1, a loopback address"),
    ("https://0177.0.0.1/hook", "'0177.0.0.1' resolves to 127.0.0.1, a loopback address"),
])
def test_ssrf_addresses_are_refused_without_the_test_flag(accounts_server, url, reason):
    reader = Reader(accounts_server["base"]).signup()
    page = reader.post("/account/webhooks", {"url": url, "format": "slack"}, page="/account/digest")
    assert page.status_code == 400, page.text[:500]
    text = html.unescape(page.text)
    assert "Webhook not added: " + reason in text, re.findall(r"Webhook not added[^<]*", text)
    assert "No webhooks: digests go to your mailbox only." in page.text
    assert f'value="{url}"' in page.text  # what was typed stays in the form


def test_the_webhook_settings_fit_a_phone(hooks, slack):
    with Browser(390, 844, mobile=True) as browser:
        reader = hooks.confirmed_reader()
        browser.navigate(hooks.base + "/login")
        browser.fill("input[name=login]", reader.username)
        browser.fill("input[name=password]", reader.password)
        browser.click("form[action='/login'] button[type=submit]")
        browser.navigate(hooks.base + "/account/digest")
        for path, format in (("/services/T0123ABCD/B0456EFGH/averyveryverylongsecretthatdoesnotbreakanywhere", "slack"),
                             ("/api/webhooks/1234567890/discordtokenwithoutanyspacesatallxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "discord")):
            browser.fill("form[action='/account/webhooks'] input[name=url]", slack.url + path)
            browser.evaluate(f"document.querySelector(\"form[action='/account/webhooks'] select[name=format]\").value = '{format}'")
            browser.click("form[action='/account/webhooks'] button[type=submit]")
        assert browser.evaluate("document.querySelectorAll('ul.webhooks li').length") == 2
        browser.click("ul.webhooks li:first-child form[action$='/test'] button")
        assert "Test message sent" in browser.visible_text()
        browser.scroll_to("#webhooks")
        width = browser.evaluate("document.documentElement.scrollWidth")
        wide = browser.evaluate("""[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 390)
            .map(e => e.tagName + (e.className ? '.' + e.className : '')).slice(0, 5)""")
        assert width <= 390, f"/account/digest is {width} px wide on a 390 px phone: {wide}"
        OUT.mkdir(parents=True, exist_ok=True)
        browser.screenshot(OUT / "webhooks-mobile.png")


def test_an_organizations_webhooks_are_every_admins_and_the_api_adds_and_removes_them(hooks, slack):
    base = hooks.base
    founder, second, member = hooks.confirmed_reader(), hooks.confirmed_reader(), hooks.confirmed_reader()
    apis = {reader.username: reader.api(reader.token()) for reader in (founder, second, member)}
    org = apis[founder.username].post(base + "/api/organizations", json={"name": f"Hook Lab {founder.username}"}).json()
    slug = org["slug"]
    for reader, role in ((second, "admin"), (member, "member")):
        assert apis[reader.username].post(f"{base}/api/organizations/{slug}/members").status_code == 202
        approved = apis[founder.username].post(f"{base}/api/organizations/{slug}/members/{reader.username}/approve", json={"role": role})
        assert approved.status_code in (200, 204), approved.text

    # The API applies the form's address check, with JSON errors.
    refused = apis[founder.username].post(base + "/api/me/digest/webhooks", json={"url": "https://169.254.169.254/x", "format": "slack"})
    assert refused.status_code == 403 and "link-local" in refused.json()["error"]
    not_admin = apis[member.username].post(base + "/api/me/digest/webhooks", json={"url": slack.url + "/org", "format": "slack", "organization": slug})
    assert not_admin.status_code == 403 and "only an admin" in not_admin.json()["error"]
    added = apis[founder.username].post(base + "/api/me/digest/webhooks", json={"url": slack.url + "/org", "format": "discord", "organization": slug})
    assert added.status_code == 201, added.text
    hook = added.json()
    assert hook["organizationSlug"] == slug and hook["format"] == "discord"

    # The other admin sees it on their digest page and in their API, and may remove it; a member may not.
    page = second.get("/account/digest").text
    assert f'action="/account/webhooks/{hook["id"]}/test"' in page and f'/organizations/{slug}' in page
    assert [w["id"] for w in apis[second.username].get(base + "/api/me/digest").json()["webhooks"]] == [hook["id"]]
    assert apis[member.username].get(base + "/api/me/digest").json()["webhooks"] == []
    assert apis[member.username].delete(f"{base}/api/me/digest/webhooks/{hook['id']}").status_code == 404
    assert apis[second.username].delete(f"{base}/api/me/digest/webhooks/{hook['id']}").status_code == 204
    assert apis[founder.username].get(base + "/api/me/digest").json()["webhooks"] == []
