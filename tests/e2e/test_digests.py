"""Email digests end to end: a real SMTP server (aiosmtpd, writing a
Maildir), `quire serve` for the readers' settings, and `quire digest send`
for the sending, with the clock set to the next weekday morning."""
import datetime
import json
import os
import pathlib
import re
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
import requests

from conftest import REPO, start_quire
from readers import PASSWORD, Reader, unique

SMTP_SCRIPT = str(REPO / "tests/smtp_server.py")


def start_smtp(folder: pathlib.Path, *options):
    process = subprocess.Popen([sys.executable, SMTP_SCRIPT, "serve", "--maildir", str(folder), "--lifetime", "1200", *options],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return process, int(process.stdout.readline().split()[1])


def messages(folder: pathlib.Path) -> list[dict]:
    out = subprocess.run([sys.executable, SMTP_SCRIPT, "inspect", str(folder)], capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def header(message: dict, name: str) -> str:
    return message["headers"][name][0]


def part(message: dict, content_type: str) -> str:
    return next(p["body"] for p in message["parts"] if p["content_type"] == content_type)


def next_weekday_morning() -> str:
    """07:05 UTC on the first weekday after today: a slot whose window holds today's list."""
    day = datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return f"{day.isoformat()}T07:05:00Z"


class Mail:
    """An SMTP server and a Quire server that mails through it."""

    def __init__(self, quire_bin, tmp_path_factory, arxiv, smtp_options=(), quire_options=()):
        self.maildir = tmp_path_factory.mktemp("maildir")
        self.smtp, port = start_smtp(self.maildir, *smtp_options)
        self.env = dict(QUIRE_SMTP_HOST="127.0.0.1", QUIRE_SMTP_PORT=str(port), QUIRE_SMTP_TLS="none",
                        QUIRE_MAIL_FROM="Quire Digest <digest@example.org>")
        self.process, self.base, _, self.db = start_quire(quire_bin, tmp_path_factory, "digests", [
            "--bcrypt-cost", "4", "--submission-max-age-days", "100000", "--submissions-per-day", "50", "--no-digests",
            "--signups-per-hour", "100000", "--writes-per-minute", "100000", "--public-url", "http://quire.test",
            "--arxiv-api-url", arxiv + "/api/query", *quire_options], env=self.env)
        self.quire_bin = quire_bin
        self.send_options = list(quire_options)

    def send(self, *args, check=True):
        result = subprocess.run([self.quire_bin, "digest", "send", "--db", str(self.db), "--public-url", "http://quire.test",
                                 *self.send_options, *args],
                                capture_output=True, text=True, env=dict(os.environ, **self.env), timeout=300)
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def confirmed_reader(self) -> Reader:
        """A reader made from the command line (addresses given there count as confirmed), logged in."""
        reader = Reader(self.base)
        subprocess.run([self.quire_bin, "user", "add", "--db", str(self.db), "--password-stdin", "--bcrypt-cost", "4",
                        reader.username, reader.email], input=PASSWORD + "\n", check=True, capture_output=True, text=True)
        assert reader.login().status_code == 303
        return reader

    def list_papers(self, *papers):
        """Puts `papers` on today's list, submitted by a new confirmed reader; returns that reader's API session."""
        submitter = self.confirmed_reader()
        api = submitter.api(submitter.token())
        for paper in papers:
            assert api.post(self.base + "/api/submissions", json={"paper": paper}).status_code == 201
        return api

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
        self.smtp.stdin.close()
        self.smtp.wait(timeout=10)


@pytest.fixture(scope="module")
def mail(quire_bin, tmp_path_factory, arxiv_fixture_server):
    setup = Mail(quire_bin, tmp_path_factory, arxiv_fixture_server)
    yield setup
    setup.stop()


def subscribe(reader: Reader, **settings):
    fields = {"frequency": "daily", "weekday": "1", "hour": "7", "time_zone": "UTC", "max_papers": "10",
              "top": "1", "followed": "1", "searches": "1", "for_you": "1"}
    fields.update({k: v for k, v in settings.items() if v is not None})
    for key in [k for k, v in settings.items() if v is None]:
        fields.pop(key, None)
    response = reader.post("/account/digest", fields, page="/account/digest")
    assert response.status_code == 200 and "Saved" in response.text, response.text[:500]


def test_confirmation_content_headers_and_unsubscribe(mail):
    base = mail.base
    # Sign-up sends the confirmation through SMTP; the digest waits for it.
    reader = Reader(base).signup()
    [confirmation] = [m for m in messages(mail.maildir) if header(m, "To").endswith(f"<{reader.email}>")]
    assert header(confirmation, "Subject") == "Confirm your email address for Quire"
    subscribe(reader, max_papers="1")  # one paper per section, so each section shows
    slot = next_weekday_morning()
    waiting = mail.send("--now", slot, "--user", reader.username)
    assert "address not confirmed" in waiting.stdout
    link = re.search(r"http://\S+/confirm/\S+", part(confirmation, "text/plain")).group(0)
    path = "/confirm/" + link.rsplit("/confirm/", 1)[1]
    assert reader.post(path, page=path).status_code == 200

    # Something to mail: papers put on today's list, an author followed, a saved search.
    api = mail.list_papers("0704.0010", "0704.0011", "0704.0012")
    api.post(base + "/api/upvotes/0704.0011").raise_for_status()
    followed = requests.get(base + "/api/papers/0704.0012").json()
    author_slug = re.search(r'href="/authors/([^"]+)"', requests.get(base + "/papers/0704.0012").text).group(1)
    assert reader.post("/follow", {"kind": "author", "slug": author_slug, "on": "1"}, page=f"/authors/{author_slug}").status_code == 303
    title_word = max(re.findall(r"[A-Za-z]{6,}", requests.get(base + "/api/papers/0704.0010").json()["title"]), key=len)
    saved = reader.post("/searches", {"q": title_word}, page=f"/search?q={title_word}", follow=True)
    assert saved.history[0].status_code == 303
    # The search page says it was saved, and where it went.
    assert "Saved to your searches" in saved.text and 'href="/account/digest"' in saved.text
    assert "Save this search" not in saved.text

    before = len(messages(mail.maildir))
    sent = mail.send("--now", slot)
    assert f"{reader.username} {slot[:10]}: sent" in sent.stdout, sent.stdout
    digest = [m for m in messages(mail.maildir)[before:] if header(m, "To").endswith(f"<{reader.email}>")]
    assert len(digest) == 1
    digest = digest[0]

    # Headers and MIME structure.
    assert header(digest, "From") == "Quire Digest <digest@example.org>"
    assert header(digest, "Subject").startswith("Quire daily digest, ")
    assert re.fullmatch(r"<digest-\d+-" + slot[:10] + r"@example\.org>", header(digest, "Message-ID"))
    unsubscribe = header(digest, "List-Unsubscribe")
    assert unsubscribe.startswith("<http://quire.test/unsubscribe?u=") and unsubscribe.endswith(">")
    assert header(digest, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    assert digest["content_type"] == "multipart/alternative" and not digest["defects"]
    assert [p["content_type"] for p in digest["parts"]] == ["text/plain", "text/html"]
    assert digest["max_line_length"] <= 998
    text, html = part(digest, "text/plain"), part(digest, "text/html")

    # Content per setting: the top of the list (most upvoted), the followed author, the saved search.
    sections = re.findall(r"^(.+)\n=+$", text, re.M)
    assert sections == ["Top of the daily list", "From authors and organizations you follow", f"New for your search “{title_word}”"]
    top, follow, search = re.split(r"^.+\n=+$", text, flags=re.M)[1:]
    assert "0704.0011" in top and "0704.0012" in follow and "0704.0010" in search
    assert followed["title"] in text.replace("\n", " ") or followed["title"].split()[0] in follow
    for paper in ["0704.0010", "0704.0011", "0704.0012"]:
        assert f"http://quire.test/papers/{paper}" in text and f'href="http://quire.test/papers/{paper}"' in html
    assert text.index("0704.0011") < text.index("0704.0010")  # most upvoted first
    assert text.count("http://quire.test/papers/0704.0010") == 1  # once per digest

    # The same slot again: already sent, nothing goes out.
    assert f"{reader.username}" not in mail.send("--now", slot).stdout.replace("nothing new", "")
    assert len([m for m in messages(mail.maildir) if header(m, "To").endswith(f"<{reader.email}>")]) == 2

    # One-click unsubscribe: the GET shows a page and changes nothing; the POST works without cookies.
    url = unsubscribe[1:-1].replace("http://quire.test", base)
    assert requests.get(url).status_code == 200
    api = reader.api(reader.token())  # the API takes tokens, never the browser's session cookie
    assert api.get(base + "/api/me/digest").json()["subscription"]["frequency"] == "daily"
    tampered = re.sub(r"s=[^&]+", "s=AAAA", url)
    assert requests.post(tampered, data={"List-Unsubscribe": "One-Click"}).status_code == 400
    done = requests.post(url, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "Unsubscribed" in done.text
    assert 'value="off" checked' in reader.get("/account/digest").text
    assert api.get(base + "/api/me/digest").json()["subscription"]["frequency"] == "off"


def test_each_setting_shapes_the_digest_and_nothing_new_is_not_sent(mail):
    base = mail.base
    slot = next_weekday_morning()
    only_followed = mail.confirmed_reader()
    subscribe(only_followed, top=None, searches=None)
    trending_only = mail.confirmed_reader()
    subscribe(trending_only, top=None, followed=None, searches=None, trending="1", max_papers="2")

    api = mail.list_papers("0704.0020")
    organization = "Digest Lab " + unique("")
    org = api.post(base + "/api/organizations", json={"name": organization}).json()
    assert api.post(f"{base}/api/organizations/{org['slug']}/claims", json={"paper": "0704.0020"}).status_code == 204
    assert only_followed.post("/follow", {"kind": "organization", "slug": org["slug"], "on": "1"},
                              page=f"/organizations/{org['slug']}").status_code == 303

    before = len(messages(mail.maildir))
    mail.send("--now", slot)
    new = messages(mail.maildir)[before:]
    followed_mail = [m for m in new if only_followed.email in header(m, "To")]
    trending_mail = [m for m in new if trending_only.email in header(m, "To")]
    assert len(followed_mail) == 1 and len(trending_mail) == 1
    followed_text = part(followed_mail[0], "text/plain")
    assert "From authors and organizations you follow" in followed_text and "Top of the daily list" not in followed_text
    assert "0704.0020" in followed_text
    trending_text = part(trending_mail[0], "text/plain")
    assert "Trending" in trending_text and "Top of the daily list" not in trending_text
    assert trending_text.count("http://quire.test/papers/") == 2  # "how many" is respected

    # The next weekday: nothing new for the follower, so no mail at all.
    next_slot = datetime.date.fromisoformat(slot[:10]) + datetime.timedelta(days=1)
    while next_slot.weekday() >= 5:
        next_slot += datetime.timedelta(days=1)
    later = mail.send("--now", f"{next_slot.isoformat()}T07:05:00Z", "--user", only_followed.username)
    assert "nothing new, not sent" in later.stdout
    assert len([m for m in messages(mail.maildir) if only_followed.email in header(m, "To")]) == 1


def test_no_duplicate_after_a_kill_between_deliveries(quire_bin, tmp_path_factory, arxiv_fixture_server):
    # Each RCPT waits 0.3 s before the message exists, so the kill lands between deliveries.
    setup = Mail(quire_bin, tmp_path_factory, arxiv_fixture_server, smtp_options=("--rcpt-delay", "0.3"))
    try:
        readers = [setup.confirmed_reader() for _ in range(12)]
        for reader in readers:
            subscribe(reader)
        setup.list_papers("0704.0030")
        slot = next_weekday_morning()
        command = [quire_bin, "digest", "send", "--db", str(setup.db), "--now", slot, "--concurrency", "1"]
        env = dict(os.environ, **setup.env)
        first = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        # Kill once the ledger records the 4th digest as sent: Quire is then
        # claiming or sending the 5th, whose message cannot exist for 0.3 s (the
        # RCPT delay), so the kill lands between deliveries, where the
        # guarantee is exact. (Between the server writing a message and Quire
        # recording it, a resend is unavoidable; watching the mailbox instead
        # of the ledger landed there on a loaded machine.)
        def recorded_sent() -> int:
            try:
                with sqlite3.connect(f"file:{setup.db}?mode=ro", uri=True, timeout=1) as db:
                    return db.execute("SELECT count(*) FROM digest_deliveries WHERE status = 'sent'").fetchone()[0]
            except sqlite3.OperationalError:
                return 0
        deadline = time.time() + 60
        while recorded_sent() < 4 and time.time() < deadline:
            time.sleep(0.02)
        first.send_signal(signal.SIGKILL)
        first.wait()
        delivered = len(messages(setup.maildir))
        assert 4 <= delivered < len(readers), "the kill should land mid-run"

        # A restart at once leaves the half-claimed digest alone (it might be in flight)...
        again = subprocess.run(command, capture_output=True, text=True, env=env)
        assert again.returncode in (0, 3), again.stderr
        # ...and a run after the stale interval sends it.
        final = subprocess.run(command + ["--stale-after", "0"], capture_output=True, text=True, env=env)
        assert final.returncode == 0, final.stdout + final.stderr
        recipients = [header(m, "To") for m in messages(setup.maildir)]
        for reader in readers:
            assert sum(reader.email in r for r in recipients) == 1, reader.email
    finally:
        setup.stop()


def test_retry_after_a_temporary_smtp_failure(quire_bin, tmp_path_factory, arxiv_fixture_server):
    # The first two DATA commands are answered 451: the transport retries with backoff.
    setup = Mail(quire_bin, tmp_path_factory, arxiv_fixture_server, smtp_options=("--fail-first", "2"))
    try:
        reader = setup.confirmed_reader()
        subscribe(reader)
        setup.list_papers("0704.0040")
        result = setup.send("--now", next_weekday_morning())
        assert f"{reader.username}" in result.stdout and "sent" in result.stdout
        events = [json.loads(line) for line in (setup.maildir / "events.jsonl").read_text().splitlines()]
        assert [e.get("code") for e in events if e["event"] == "data"][:3] == [451, 451, 250]
        assert len([m for m in messages(setup.maildir) if reader.email in header(m, "To")]) == 1
    finally:
        setup.stop()


def test_a_refused_smtp_login_stops_the_run_clearly_and_loses_nothing(quire_bin, tmp_path_factory, arxiv_fixture_server):
    setup = Mail(quire_bin, tmp_path_factory, arxiv_fixture_server, smtp_options=("--auth", "quire:s3cret"))
    try:
        reader = setup.confirmed_reader()
        subscribe(reader)
        setup.list_papers("0704.0050")
        slot = next_weekday_morning()
        setup.env.update(QUIRE_SMTP_USER="quire", QUIRE_SMTP_PASSWORD="wrong")
        refused = setup.send("--now", slot, check=False)
        assert refused.returncode != 0
        assert "login refused" in refused.stderr and "535" in refused.stderr and "mail settings need fixing" in refused.stderr
        assert messages(setup.maildir) == []
        # The digest was not written off: with the right password (and the half-claimed
        # digest stale) it goes out, once.
        setup.env.update(QUIRE_SMTP_PASSWORD="s3cret")
        sent = setup.send("--now", slot, "--stale-after", "0")
        assert f"{reader.username} {slot[:10]}: sent" in sent.stdout
        assert len([m for m in messages(setup.maildir) if reader.email in header(m, "To")]) == 1
    finally:
        setup.stop()


def test_preview_and_test_send(mail):
    """"Preview" shows the next digest without recording it; "Send a test now"
    mails it at once through SMTP, marked as a test, and the real digest of
    the slot still goes out in full afterwards."""
    base = mail.base
    reader = mail.confirmed_reader()
    subscribe(reader, time_zone="Asia/Tokyo", hour="9", searches=None)
    mail.list_papers("0704.0013", "0704.0014")

    page = reader.get("/account/digest/preview")
    assert page.status_code == 200
    assert "(Asia/Tokyo) to " + reader.email in page.text
    assert "<b>Top of the daily list</b>" in page.text and "<iframe class=\"digest-mail\"" in page.text
    api = reader.api(reader.token())
    preview = api.get(base + "/api/me/digest/preview").json()
    assert preview["on"] is True and preview["timeZone"] == "Asia/Tokyo" and preview["to"] == reader.email
    listed = [p["id"] for s in preview["sections"] for p in s["papers"]]
    assert {"0704.0013", "0704.0014"} <= set(listed), preview["sections"]
    assert preview["sendsAt"].endswith("T00:00:00Z")  # 09:00 in Tokyo
    assert api.get(base + "/api/me/digest").json()["deliveries"] == []

    before = len(messages(mail.maildir))
    sent = reader.post("/account/digest/test", page="/account/digest/preview")
    assert sent.status_code == 200 and f"Test digest sent to {reader.email}" in sent.text
    [test_mail] = [m for m in messages(mail.maildir)[before:] if header(m, "To").endswith(f"<{reader.email}>")]
    assert header(test_mail, "Subject").startswith("[Test] Quire daily digest, ")
    assert header(test_mail, "Message-ID").startswith("<digest-test-")
    assert "0704.0013" in part(test_mail, "text/plain")
    assert api.get(base + "/api/me/digest").json()["deliveries"] == []

    # The real digest still holds the same papers.
    run = mail.send("--now", next_weekday_morning(), "--user", reader.username)
    assert "sent" in run.stdout, run.stdout
    real = [m for m in messages(mail.maildir) if header(m, "To").endswith(f"<{reader.email}>") and not header(m, "Subject").startswith("[Test]")]
    assert len(real) == 1 and "0704.0013" in part(real[0], "text/plain")

    # Test sends are rate-limited: a clear 429 page once past the limit.
    statuses = [reader.post("/account/digest/test", page="/account/digest/preview").status_code for _ in range(5)]
    assert statuses[-1] == 429 and statuses.count(200) == 4, statuses
