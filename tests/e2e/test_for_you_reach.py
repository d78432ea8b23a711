""""For you" outside its page (issue 14): the private feed link, read by
feedparser as a feed reader would (no cookies, only the secret in the
link), reset from the page; the digest's "For you" section through a real
SMTP server (aiosmtpd), whose signed "Not interested" links work without
logging in; and the mutes managed on /for-you.

Run: QUIRE_BIN=$PWD/.build/debug/quire python3 -m pytest -q tests/e2e/test_for_you_reach.py
"""
import datetime
import html
import os
import re
import shutil
import subprocess
from types import SimpleNamespace
from uuid import uuid4

import feedparser
import pytest
import requests

from conftest import free_port, wait_for
from dated_papers import add_dated_papers
from readers import PASSWORD, Reader
from test_digests import header, messages, next_weekday_morning, part, start_smtp, subscribe


@pytest.fixture(scope="module")
def foryou_server(sample_db, quire_bin, tmp_path_factory):
    """`quire serve` with the sample papers' vectors (semantic search on, so
    the feed has a model), mailing through a real SMTP server."""
    folder = tmp_path_factory.mktemp("reach")
    db = folder / "quire.sqlite"
    shutil.copy(sample_db, db)
    # Papers listed today too: the digest's "For you" picks among the papers its window holds.
    fresh, stale = add_dated_papers(quire_bin, db, folder)
    maildir = folder / "maildir"
    smtp, smtp_port = start_smtp(maildir)
    env = dict(QUIRE_SMTP_HOST="127.0.0.1", QUIRE_SMTP_PORT=str(smtp_port), QUIRE_SMTP_TLS="none",
               QUIRE_MAIL_FROM="Quire Digest <digest@example.org>")
    port = free_port()
    log = open(folder / "serve.log", "w")
    process = subprocess.Popen([quire_bin, "serve", "--db", str(db), "--port", str(port), "--bcrypt-cost", "4",
                                "--writes-per-minute", "100000", "--signups-per-hour", "100000", "--no-digests",
                                "--public-url", "http://quire.test"],
                               stdout=log, stderr=log, env=dict(os.environ, **env))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/health", process, seconds=120)
        yield SimpleNamespace(base=base, db=db, maildir=maildir, env=env, quire_bin=quire_bin, fresh=fresh, stale=stale)
    finally:
        process.terminate()
        process.wait(timeout=10)
        smtp.stdin.close()
        smtp.wait(timeout=10)


def with_picks(base: str) -> tuple[Reader, requests.Session, list[str]]:
    """A new reader who said "More like this" to five trending papers; their API session and those ids."""
    reader = Reader(base).signup()
    api = reader.api(reader.token())
    liked = [entry["id"] for entry in api.get(base + "/api/me/feed?limit=5").json()]
    for paper in liked:
        assert api.post(f"{base}/api/me/more-like-this/{paper}").status_code == 200
    return reader, api, liked


def new_feed_links(page: str) -> dict[str, str]:
    links = [html.unescape(v) for v in re.findall(r'class="feed-url" value="([^"]+)"', page)]
    return {link.rsplit("/", 1)[1]: link for link in links}


def local(link: str, base: str) -> str:
    """The link at the server under test (the page writes the public address)."""
    return re.sub(r"^https?://[^/]+", base, link)


def test_the_private_feed_link_is_read_without_logging_in_and_can_be_reset(foryou_server):
    base = foryou_server.base
    reader, api, liked = with_picks(base)
    page = reader.get("/for-you").text
    assert "Make a private feed link" in page and 'class="feed-url"' not in page

    made = reader.post("/for-you/feed-link", page="/for-you")
    assert made.status_code == 200 and "shown only this once" in made.text
    links = new_feed_links(made.text)
    assert set(links) == {"rss", "atom", "json"}
    assert all(re.match(r"http://[^/]+/feeds/for-you/\d+\.[\w-]{43}/(rss|atom|json)$", link) for link in links.values()), links
    # Shown once: the page afterwards says there is a link, without it.
    again = reader.get("/for-you").text
    assert "You have a private feed link" in again and 'class="feed-url"' not in again and "Reset the link" in again

    picks = [entry["id"] for entry in api.get(base + "/api/me/feed?limit=50").json()]
    for fmt, link in links.items():
        response = requests.get(local(link, base))  # no cookies, no token header
        assert response.status_code == 200, response.text[:300]
        assert response.headers["cache-control"].startswith("private") and response.headers["x-robots-tag"] == "noindex"
        if fmt == "json":  # JSON Feed 1.1, which this feedparser does not read
            feed = response.json()
            assert feed["version"] == "https://jsonfeed.org/version/1.1" and feed["title"] == f"Quire · For {reader.username}"
            ids = [item["url"].rsplit("/papers/", 1)[1] for item in feed["items"]]
        else:
            feed = feedparser.parse(response.content)
            assert not feed.bozo, (fmt, feed.bozo_exception)
            assert feed.feed.title == f"Quire · For {reader.username}"
            ids = [entry.link.rsplit("/papers/", 1)[1] for entry in feed.entries]
        assert ids == picks, fmt  # the reader's picks, best first
        assert not set(ids) & set(liked)
        # Conditional GET: unchanged, 304.
        assert requests.get(local(link, base), headers={"If-None-Match": response.headers["etag"]}).status_code == 304

    # A dismissed pick leaves the feed too.
    assert api.post(f"{base}/api/me/not-interested/{picks[0]}").status_code == 200
    rss = local(links["rss"], base)
    assert picks[0] not in requests.get(rss).text

    # Reset: the old link is a 404, the new one works.
    reset = reader.post("/for-you/feed-link", page="/for-you")
    fresh = local(new_feed_links(reset.text)["rss"], base)
    assert fresh != rss
    assert requests.get(rss).status_code == 404
    assert requests.get(fresh).status_code == 200

    # Tampered, foreign or malformed tokens: 404, never a crash.
    user_id, secret = fresh.rsplit("/", 2)[1].split(".", 1)
    for token in [f"{int(user_id) + 1}.{secret}", f"{user_id}.{secret[:-1]}A", "nonsense", "1.", "%00", "9" * 400]:
        assert requests.get(f"{base}/feeds/for-you/{token}/rss").status_code == 404, token
    assert requests.get(fresh.replace("/rss", "/xml")).status_code == 404
    # The reset button is a form like any other: without its CSRF token it does nothing.
    assert reader.session.post(base + "/for-you/feed-link", allow_redirects=False).status_code == 403
    assert requests.get(fresh).status_code == 200


def test_a_new_readers_private_feed_is_trending(foryou_server):
    base = foryou_server.base
    reader = Reader(base).signup()
    link = new_feed_links(reader.post("/for-you/feed-link", page="/for-you").text)["json"]
    feed = requests.get(local(link, base)).json()
    trending = [entry["id"] for entry in reader.api(reader.token()).get(base + "/api/me/feed?limit=50").json()]
    assert [item["id"].rsplit("/", 1)[1] for item in feed["items"]] == trending and trending


def confirmed_reader(server) -> Reader:
    """A reader made with `quire user add` and logged in: an address given
    there counts as confirmed, so their digests go out."""
    reader = Reader(server.base)
    subprocess.run([server.quire_bin, "user", "add", "--db", str(server.db), "--password-stdin", "--bcrypt-cost", "4",
                    reader.username, reader.email], input=PASSWORD + "\n", check=True, capture_output=True, text=True)
    assert reader.login().status_code == 303
    return reader


def test_the_digest_has_the_readers_picks_and_not_interested_works_from_the_mail(foryou_server):
    server = foryou_server
    base = server.base
    reader = confirmed_reader(server)
    subscribe(reader, max_papers="3")
    api = reader.api(reader.token())
    for entry in api.get(base + "/api/me/feed?limit=5").json():
        assert api.post(f"{base}/api/me/more-like-this/{entry['id']}").status_code == 200
    slot = next_weekday_morning()
    # The digest picks among the papers of its window: from the day before the slot (Friday's, on a Monday).
    slot_day = datetime.date.fromisoformat(slot[:10])
    since = slot_day - datetime.timedelta(days=3 if slot_day.weekday() == 0 else 1)
    picks = [entry["id"] for entry in api.get(f"{base}/api/me/feed?limit=3&since={since.isoformat()}").json()]

    sent = subprocess.run([server.quire_bin, "digest", "send", "--db", str(server.db), "--public-url", "http://quire.test",
                           "--now", slot, "--user", reader.username],
                          capture_output=True, text=True, env=dict(os.environ, **server.env), timeout=300)
    assert sent.returncode == 0 and f"{reader.username} {slot[:10]}: sent" in sent.stdout, sent.stdout + sent.stderr
    [digest] = [m for m in messages(server.maildir) if header(m, "To").endswith(f"<{reader.email}>") and "digest" in header(m, "Subject")]
    text, body = part(digest, "text/plain"), part(digest, "text/html")

    # The first section is the reader's picks, each with its reason and a signed link.
    sections = re.findall(r"^(.+)\n=+$", text, re.M)
    assert sections[0] == "For you", sections
    for_you = re.split(r"^.+\n=+$", text, flags=re.M)[1]
    assert [p for p in picks if f"http://quire.test/papers/{p}" in for_you] == picks
    assert for_you.count("Because you asked for more like") == 3
    links = re.findall(r"Not interested: (http://quire\.test/mail/not-interested\?\S+)", for_you)
    assert len(links) == 3 and all(f"href=\"{html.escape(link)}\"" in body for link in links)

    # Opening the link only asks (mail scanners open links); the button does it, without a session or CSRF token.
    dismissed = picks[0]
    link = next(link for link in links if f"p={dismissed}&" in link).replace("http://quire.test", base)
    page = requests.get(link)
    assert page.status_code == 200 and 'class="feed-not_interested"' in page.text
    assert dismissed in [e["id"] for e in api.get(base + "/api/me/feed?limit=3").json()]
    tampered = link.replace(f"p={dismissed}", f"p={picks[1]}")
    assert requests.get(tampered).status_code == 400 and requests.post(tampered).status_code == 400
    done = requests.post(link)
    assert done.status_code == 200 and "will not be picked for you again" in done.text
    assert requests.post(link).status_code == 200  # twice is harmless

    # Gone from the feed, and recorded as the reader's own "Not interested".
    assert dismissed not in [e["id"] for e in api.get(base + "/api/me/feed?limit=20").json()]
    signals = api.get(base + "/api/me/export").json()["feedSignals"]
    assert {"paperId": dismissed, "kind": "not_interested"}.items() <= next(s for s in signals if s["paperId"] == dismissed).items()


def test_mutes_hide_papers_from_the_feed_and_if_asked_from_every_list(foryou_server):
    base = foryou_server.base
    reader, api, liked = with_picks(base)
    picks = api.get(base + "/api/me/feed?limit=10").json()
    first = picks[0]
    word = max(re.findall(r"[A-Za-z]{5,}", first["title"]), key=len).lower()

    def mentions(entry) -> bool:
        return bool(re.search(rf"\b{word}\b", entry["title"] + " " + entry.get("summary", ""), re.I))

    # A word: every paper with it leaves the feed, which stays full.
    added = reader.post("/for-you/mutes", {"kind": "phrase", "value": f"  {word.upper()} "}, page="/for-you")
    assert added.status_code == 303 and added.headers["location"] == "/for-you#mutes"
    after = api.get(base + "/api/me/feed?limit=10").json()
    assert len(after) == 10 and first["id"] not in [e["id"] for e in after] and not any(map(mentions, after))

    # An author by name, listed by name; a category; bad ones are refused with the reason.
    author = next(a["name"] for e in after for a in e.get("authors", []) if a.get("name"))
    assert reader.post("/for-you/mutes", {"kind": "author", "value": author}, page="/for-you").status_code == 303
    assert reader.post("/for-you/mutes", {"kind": "category", "value": "CS.cr"}, page="/for-you").status_code == 303
    refused = reader.post("/for-you/mutes", {"kind": "category", "value": "cs.nope"}, page="/for-you")
    assert refused.status_code == 400 and "is not a category" in refused.text
    unknown = reader.post("/for-you/mutes", {"kind": "author", "value": "Nobody Atall"}, page="/for-you")
    assert unknown.status_code == 404 and "no author" in unknown.text
    assert reader.post("/for-you/mutes", {"kind": "colour", "value": "x"}, page="/for-you").status_code == 400
    page = reader.get("/for-you").text
    listed = re.search(r'<ul class="history" id="mute-list">(.*?)</ul>', page, re.S).group(1)
    assert html.escape(author) in listed and "cs.CR" in listed and word in listed
    assert not any(author in [a.get("name") for a in e.get("authors", [])] for e in api.get(base + "/api/me/feed?limit=10").json())

    # Other lists show muted papers until the reader opts in.
    search = reader.get(f"/search?q={word}").text
    assert f'href="/papers/{first["id"]}"' in search and "hidden by" not in search
    assert reader.post("/for-you/mutes/everywhere", {"on": "1"}, page="/for-you").status_code == 303
    search = reader.get(f"/search?q={word}").text
    assert f'href="/papers/{first["id"]}"' not in search and "hidden by <a href=\"/for-you#mutes\">your mutes</a>" in search
    assert f'href="/papers/{first["id"]}"' in requests.get(f"{base}/search?q={word}").text  # nobody else's lists change
    trending = reader.get("/papers/trending").text
    assert f'data-paper-id="{first["id"]}"' not in trending

    # In the export; removing one brings its papers back.
    mutes = api.get(base + "/api/me/export").json()["mutes"]
    assert mutes["everywhere"] is True and {"kind": "phrase", "value": word} in mutes["mutes"]
    assert reader.post("/for-you/mutes/remove", {"kind": "phrase", "value": word}, page="/for-you").status_code == 303
    assert f'href="/papers/{first["id"]}"' in reader.get(f"/search?q={word}").text


VIEWPORTS = {"desktop": (1280, 900, False), "phone": (390, 844, True)}


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_feed_buttons_on_every_list_and_the_settings_in_a_browser(foryou_server, tmp_path, viewport):
    """In headless Chromium: the feed's buttons on trending and on a paper
    page turn on in place, where the reader was (without JavaScript they post
    and come back to the entry: test_feed_buttons_in_place.py); then
    /for-you with a private feed link and a mute, screenshot at both sizes."""
    from browser import Image  # noqa: F401 (the screenshot decoder the helpers use)
    from cdp import Browser
    from test_for_you import keep
    from test_reader_walkthrough import dark, no_sideways_scroll, path, pixels, shot, text, visible_box, wait_until

    base = foryou_server.base
    width, height, mobile = VIEWPORTS[viewport]
    with Browser(width, height, mobile) as b:
        b.label = f"reach-{viewport}"
        username = f"reach_{viewport}_{uuid4().hex[:8]}"
        b.navigate(base + "/signup")
        b.fill("input[name=username]", username)
        b.fill("input[name=email]", f"{username}@example.org")
        b.fill("input[name=password]", PASSWORD)
        b.click("form[action='/signup'] button[type=submit]")

        # "More like this" on the fourth trending paper: on in place, the page stays at that paper.
        b.navigate(base + "/papers/trending")
        liked = b.evaluate("[...document.querySelectorAll('ol.papers > li')].map(li => li.dataset.paperId)")[3]
        entry = f"li[data-paper-id='{liked}']"
        b.scroll_to(f"{entry} button.feed-more_like_this")
        b.evaluate("window.stayedOnThisPage = true")
        scrolled = b.evaluate("window.scrollY")
        b.click(f"{entry} button.feed-more_like_this", navigates=False)
        wait_until(lambda: "More like this ✓" in (text(b, f"{entry} .feed-buttons") or ""), "the entry to say More like this ✓")
        assert b.evaluate("window.stayedOnThisPage === true") and path(b) == "/papers/trending"
        assert scrolled > 0 and b.evaluate("window.scrollY") == scrolled, "the page moved away from the paper"

        # "Not interested" on a paper page: on in place, at its buttons.
        other = b.evaluate("[...document.querySelectorAll('ol.papers > li')].map(li => li.dataset.paperId)")[5]
        b.navigate(f"{base}/papers/{other}")
        b.click("#actions button.feed-not_interested", navigates=False)
        wait_until(lambda: "Not interested ✓" in (text(b, "#actions") or ""), "the paper page to say Not interested ✓")
        assert path(b) == f"/papers/{other}"
        b.navigate(base + "/account")
        assert b.evaluate(f"!!document.querySelector('#not-interested a[href=\"/papers/{other}\"]')")
        assert b.evaluate(f"!!document.querySelector('#more-like-this a[href=\"/papers/{liked}\"]')")

        # /for-you: make the private link, mute a word.
        b.navigate(base + "/for-you")
        assert "1 of 5 so far" in text(b, "#warming-up")
        b.click("#private-feed button.feed-link")
        assert (path(b), b.status) == ("/for-you/feed-link", 200)
        links = b.evaluate("[...document.querySelectorAll('#feed-links input.feed-url')].map(i => i.value)")
        assert len(links) == 3 and all("/feeds/for-you/" in link for link in links)
        b.fill("form.mute-add input[name=value]", "reinforcement learning")
        b.click("form.mute-add button[type=submit]")
        assert (path(b), b.evaluate("location.hash")) == ("/for-you", "#mutes")
        assert "reinforcement learning" in text(b, "#mute-list")
        b.click("#private-feed button.feed-link")  # reset, to show the links in the screenshot
        no_sideways_scroll(b)
        b.scroll_to("#private-feed")
        image = shot(b, tmp_path, "for-you-settings")
        keep(tmp_path / f"{b.label}-for-you-settings.png")
        assert dark(pixels(image, visible_box(b, "#feed-links li:first-child"), inset=0)) > 0.02, "the feed link is drawn"
        b.scroll_to("#mutes")
        image = shot(b, tmp_path, "for-you-mutes")
        keep(tmp_path / f"{b.label}-for-you-mutes.png")
        assert dark(pixels(image, visible_box(b, "#mute-list li:first-child"), inset=0)) > 0.02, "the mute is drawn"
        assert dark(pixels(image, visible_box(b, "form.mute-add"), inset=0)) > 0.01, "the form to add one is drawn"
