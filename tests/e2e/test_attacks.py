"""An attacker against a running `quire serve`: host-header poisoning, open
redirects, CSRF, oversize and malformed bodies, slow clients, calendar and
integer edges, account enumeration by timing. After each attack the server
must still answer, and nothing it should not have done may have happened."""
import socket
import statistics
import time

import pytest
import requests

from conftest import start_quire
from readers import PASSWORD, Reader, link_in, mails_to


@pytest.fixture(scope="module")
def target(quire_bin, tmp_path_factory):
    """Defaults as on a public server (real bcrypt cost, real lockout), but a
    public URL and generous login limits so the timing test can measure."""
    process, base, mail, db = start_quire(quire_bin, tmp_path_factory, "attacks", [
        "--public-url", "http://papers.example.org", "--logins-per-five-minutes", "1000",
        "--signups-per-hour", "1000", "--searches-per-minute", "40"])
    try:
        yield {"base": base, "mail": mail, "process": process}
    finally:
        process.terminate()
        process.wait(timeout=10)


def alive(base):
    assert requests.get(base + "/health", timeout=5).text == "ok"


def test_host_header_poisoning_does_not_reach_reset_mail(target):
    base, mail = target["base"], target["mail"]
    reader = Reader(base).signup()
    anonymous = Reader(base)
    csrf = anonymous.csrf("/reset")
    # requests matches cookies against the Host header, so the CSRF cookie is sent by hand.
    cookie = {"Cookie": "quire_csrf=" + anonymous.session.cookies["quire_csrf"]}
    for headers in ({"Host": "evil.example"}, {"X-Forwarded-Host": "evil.example"},
                    {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"}):
        sent = requests.post(base + "/reset", data={"email": reader.email, "csrf": csrf}, headers=dict(headers, **cookie))
        assert sent.status_code == 200
    resets = [m for m in mails_to(mail, reader.email) if m["Subject"] == "Reset your Quire password"]
    assert len(resets) == 3
    for message in resets:
        assert link_in(message, "/reset/").startswith("http://papers.example.org/reset/")
        assert "evil.example" not in message.as_string()
    # Feeds' links come from the public URL too.
    feed = requests.get(base + "/feeds/daily/atom", headers={"Host": "evil.example"}).text
    assert "evil.example" not in feed and "http://papers.example.org/" in feed


def test_without_a_public_url_serve_uses_its_listen_address_and_says_so(quire_bin, tmp_path_factory):
    process, base, mail, db = start_quire(quire_bin, tmp_path_factory, "nopublic", ["--bcrypt-cost", "4"])
    try:
        reader = Reader(base).signup()
        anonymous = Reader(base)
        csrf = anonymous.csrf("/reset")
        requests.post(base + "/reset", data={"email": reader.email, "csrf": csrf},
                      headers={"Host": "evil.example", "Cookie": "quire_csrf=" + anonymous.session.cookies["quire_csrf"]})
        [reset] = [m for m in mails_to(mail, reader.email) if m["Subject"] == "Reset your Quire password"]
        assert link_in(reset, "/reset/").startswith(base + "/reset/")
    finally:
        process.terminate()
        process.wait(timeout=10)
    log = (db.parent / "serve.log").read_text()
    assert "no --public-url or QUIRE_PUBLIC_URL" in log


@pytest.mark.parametrize("next_value", [
    "//evil.example", "/\t/evil.example", "/\\evil.example", "/\\/evil.example",
    "https://evil.example/", "/\r\n/evil.example", "\\\\evil.example", "/ /evil.example", "//%2Fevil.example",
])
def test_login_never_redirects_off_site(target, next_value):
    base = target["base"]
    reader = Reader(base).signup()
    reader.session.cookies.clear()
    page = reader.get("/login", params={"next": next_value}).text
    assert "evil.example" not in page
    response = reader.post("/login", {"login": reader.username, "password": PASSWORD, "next": next_value}, page="/login")
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_cross_site_forms_are_refused(target):
    base = target["base"]
    reader = Reader(base).signup()
    # A form on another site: the browser sends our cookies but cannot read our token.
    forged = reader.session.post(base + "/account/tokens", data={"name": "stolen"}, allow_redirects=False,
                                 headers={"Origin": "https://evil.example"})
    assert forged.status_code == 403
    assert "stolen" not in reader.get("/account").text


def test_oversize_and_malformed_bodies(target):
    base = target["base"]
    reader = Reader(base).signup()
    token = reader.token()
    api = reader.api(token)
    big = b"x" * (2 * 1024 * 1024)

    def refused(response_or_reset):
        # The server may answer 413 and close before it has read all we send.
        try:
            return response_or_reset().status_code
        except requests.ConnectionError:
            return "closed"

    assert refused(lambda: requests.post(base + "/login", data=big, headers={"Content-Type": "application/x-www-form-urlencoded"})) in (413, "closed")
    assert refused(lambda: api.post(base + "/api/comments", data=big, headers={"Content-Type": "application/json"})) in (413, "closed")
    for junk in (b"{", b"[}]", b"null", b'{"paper": 5, "body": []}', b"\xff\xfe", b'{"paper": "2410.17243", "body": "' + b"a" * 100_000 + b'"}'):
        response = api.post(base + "/api/comments", data=junk, headers={"Content-Type": "application/json"})
        assert 400 <= response.status_code < 500 and "error" in response.json(), (junk[:20], response.status_code)
    alive(base)


def test_slow_clients_do_not_hold_the_server(target):
    base = target["base"]
    host, port = base.removeprefix("http://").split(":")
    sockets = []
    try:
        for _ in range(64):
            s = socket.create_connection((host, int(port)), timeout=5)
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")  # and never finish the headers
            sockets.append(s)
        start = time.monotonic()
        for _ in range(10):
            alive(base)
        assert time.monotonic() - start < 5
    finally:
        for s in sockets:
            s.close()
    alive(base)


@pytest.mark.parametrize("path", [
    "/papers/month/9999-12", "/papers/month/0001-01", "/papers/week/9999-W52", "/papers/week/0001-W01",
    "/papers/week/9999-W53", "/papers/date/9999-12-31", "/papers/date/0001-01-01", "/papers/month/0000-00",
    "/api/daily_papers?month=9999-12", "/api/daily_papers?month=9999-12&sort=trending", "/api/daily_papers?week=0001-W01",
    "/api/daily_papers?date=9999-12-31&limit=100&p=99", "/api/daily_papers?p=99999999999999999999999",
    "/api/daily_papers?limit=-1", "/api/daily_papers?limit=0", "/api/papers/search?q=a&limit=120&p=9223372036854775807",
    "/?p=9223372036854775807", "/papers/trending?p=-9223372036854775808", "/api/papers/search?q=a&after=9999-12-31&before=0001-01-01",
])
def test_calendar_and_integer_edges_get_an_answer(target, path):
    base = target["base"]
    response = requests.get(base + path, timeout=10)
    assert response.status_code in (200, 400, 404, 429), (path, response.status_code)
    if path.startswith("/api/") and response.status_code >= 400:
        assert "error" in response.json()
    alive(base)


def test_searches_are_rate_limited_per_address(target):
    base = target["base"]
    statuses = [requests.get(base + "/api/papers/search", params={"q": f"memory {i}"}).status_code for i in range(60)]
    assert 429 in statuses and statuses[0] in (200, 429)
    limited = requests.get(base + "/api/papers/search", params={"q": "memory"})
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1 and "error" in limited.json()
    alive(base)  # other pages are not limited


def test_unknown_names_and_wrong_passwords_take_the_same_time(target):
    """Real bcrypt cost (12): an unknown name is checked against a decoy of the same cost."""
    base = target["base"]
    reader = Reader(base).signup()

    def timed(login):
        client = Reader(base, login, "not the password")
        csrf = client.csrf("/login")
        start = time.perf_counter()
        response = client.session.post(base + "/login", data={"login": login, "password": "not the password", "csrf": csrf},
                                       allow_redirects=False)
        elapsed = time.perf_counter() - start
        assert response.status_code == 401 and "Wrong username or password." in response.text
        return elapsed

    unknown, known = [], []
    for i in range(6):
        unknown.append(timed(f"nobody{i}"))
        known.append(timed(reader.username))
    ratio = statistics.median(unknown) / statistics.median(known)
    print(f"login timing: unknown {statistics.median(unknown) * 1000:.0f} ms, wrong password {statistics.median(known) * 1000:.0f} ms, ratio {ratio:.2f}")
    assert 0.6 < ratio < 1.6
