"""Accounts against a running `quire serve`: the whole life cycle, CSRF,
session expiry, lockout, rate limits and API tokens."""
import subprocess
import time

import pytest
import requests

from conftest import start_quire
from readers import PASSWORD, Reader, link_in, mails_to, unique


def test_account_life_cycle(accounts_server):
    base, mail = accounts_server["base"], accounts_server["mail"]
    reader = Reader(base).signup()

    # Signed in at once; the header names the reader.
    page = reader.get("/account").text
    assert f"<h1>{reader.username}</h1>" in page and "not confirmed yet" in page

    # The confirmation mail's link opens a page; only its POST confirms (nothing changes on GET).
    [confirmation] = mails_to(mail, reader.email)
    assert confirmation["Subject"] == "Confirm your email address for Quire"
    link = link_in(confirmation, "/confirm/")
    path = link.split(base, 1)[1]
    assert reader.get(path).status_code == 200
    assert "not confirmed yet" in reader.get("/account").text
    assert reader.post(path, page=path, follow=True).status_code == 200
    assert "(confirmed)" in reader.get("/account").text
    assert reader.post(path, page=path).status_code == 410  # a link works once

    # Log out: the session is gone on the server too.
    cookie = reader.session.cookies.get("quire_session")
    assert reader.post("/logout", page="/account").status_code == 303
    stale = requests.Session()
    stale.cookies.set("quire_session", cookie)
    assert stale.get(base + "/account", allow_redirects=False).status_code == 303

    # Log in, change the password; a second device is logged out by the change.
    assert reader.login().status_code == 303
    other = Reader(base, reader.username)
    assert other.login().status_code == 303
    changed = reader.post("/account/password", {"current": PASSWORD, "password": "a brand new password"}, page="/account")
    assert changed.status_code == 200 and "Password changed" in changed.text
    assert other.get("/account", allow_redirects=False).status_code == 303
    assert Reader(base, reader.username).login().status_code == 401
    assert Reader(base, reader.username, "a brand new password").login().status_code == 303

    # Forgotten password: the reset mail's link sets a new one and ends every session.
    anonymous = Reader(base)
    sent = anonymous.post("/reset", {"email": reader.email}, page="/reset")
    assert sent.status_code == 200 and "on its way" in sent.text
    # The same answer for an address nobody has, so the form reveals nothing.
    assert "on its way" in anonymous.post("/reset", {"email": "nobody@example.org"}, page="/reset").text
    reset = [m for m in mails_to(mail, reader.email) if m["Subject"] == "Reset your Quire password"][-1]
    reset_path = link_in(reset, "/reset/").split(base, 1)[1]
    assert anonymous.post(reset_path, {"password": "short"}, page=reset_path).status_code == 400
    done = anonymous.post(reset_path, {"password": "password number three"}, page=reset_path)
    assert done.status_code == 303 and done.headers["Location"] == "/login?reset=1"
    assert anonymous.post(reset_path, {"password": "password number four"}, page=reset_path).status_code == 410
    assert reader.get("/account", allow_redirects=False).status_code == 303
    reader.password = "password number three"
    assert reader.login().status_code == 303

    # Delete the account: wrong password refused, right one removes everything.
    assert reader.post("/account/delete", {"password": "wrong password!"}, page="/account").status_code == 401
    gone = reader.post("/account/delete", {"password": reader.password}, page="/account")
    assert gone.status_code == 200 and "Account deleted" in gone.text
    # The page after deletion is drawn for nobody: no username, no "Log out".
    assert reader.username not in gone.text and "Log out" not in gone.text and "Log in" in gone.text
    assert reader.login().status_code == 401


def test_signup_refuses_bad_input_and_duplicates(accounts_server):
    base = accounts_server["base"]
    taken = Reader(base).signup()
    cases = [
        ({"username": "x", "email": "a@example.org", "password": PASSWORD}, 400, "3 to 30"),
        ({"username": "has space", "email": "a@example.org", "password": PASSWORD}, 400, "3 to 30"),
        ({"username": unique("u"), "email": "not-an-address", "password": PASSWORD}, 400, "not an email address"),
        ({"username": unique("u"), "email": "b@example.org", "password": "short"}, 400, "at least 10"),
        ({"username": unique("u"), "email": "b@example.org", "password": "x" * 80}, 400, "at most 72 bytes"),
        ({"username": taken.username.upper(), "email": "c@example.org", "password": PASSWORD}, 409, "is taken"),
        ({"username": unique("u"), "email": taken.email, "password": PASSWORD}, 409, "already exists"),
    ]
    for fields, status, message in cases:
        response = Reader(base).post("/signup", fields, page="/signup")
        assert response.status_code == status, (fields, response.text[:300])
        assert message in response.text


def test_csrf_is_required_on_every_form(accounts_server):
    base = accounts_server["base"]
    reader = Reader(base).signup()
    form = {"paper": "2410.17243", "on": "1"}
    missing = reader.session.post(base + "/upvote", data=form, allow_redirects=False)
    wrong = reader.session.post(base + "/upvote", data=dict(form, csrf="A" * 43), allow_redirects=False)
    assert missing.status_code == 403 and wrong.status_code == 403
    assert "Form expired" in wrong.text
    # Another reader's token does not work for this session.
    stranger = Reader(base).signup()
    foreign = reader.session.post(base + "/upvote", data=dict(form, csrf=stranger.csrf()), allow_redirects=False)
    assert foreign.status_code == 403
    # Anonymous forms (log in, sign up) are protected too.
    assert requests.post(base + "/login", data={"login": reader.username, "password": PASSWORD}).status_code == 403
    # Nothing was upvoted by the refused requests.
    export = reader.get("/account/export.json").json()
    assert export["upvotes"] == []
    # And there is no GET that changes state.
    assert reader.get("/upvote?paper=2410.17243&on=1").status_code in (404, 405)


def test_cookies_are_httponly_and_samesite(accounts_server):
    reader = Reader(accounts_server["base"])
    reader.get("/signup")
    response = reader.post("/signup", {"username": reader.username, "email": reader.email, "password": PASSWORD}, page="/signup")
    cookie = next(c for c in response.raw.headers.getlist("Set-Cookie") if c.startswith("quire_session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # served over plain HTTP here; --public-url https://... turns it on


def test_wrong_passwords_lock_the_account(accounts_server):
    base = accounts_server["base"]
    reader = Reader(base).signup()
    attempts = [Reader(base, reader.username, "wrong password %d" % i).login() for i in range(5)]
    # The lock is not announced to whoever guesses: they see what an unknown name sees.
    assert [a.status_code for a in attempts] == [401] * 5
    assert all("Wrong username or password." in a.text and "locked" not in a.text for a in attempts)
    locked = Reader(base, reader.username).login()  # only the right password learns of the lock
    assert locked.status_code == 429 and "locked" in locked.text and int(locked.headers["Retry-After"]) > 60


def test_api_tokens(accounts_server):
    base = accounts_server["base"]
    reader = Reader(base).signup()
    token = reader.token("script")
    api = reader.api(token)
    me = api.get(base + "/api/me").json()
    assert me["username"] == reader.username and "passwordHash" not in me
    assert api.post(base + "/api/upvotes/2410.17243").json()["upvoted"] is True
    # Listed by its prefix only, then revoked: it stops working at once.
    page = reader.get("/account").text
    assert token[:9] in page and token not in page
    token_id = int(__import__("re").search(r'/account/tokens/(\d+)/revoke', page).group(1))
    assert reader.post(f"/account/tokens/{token_id}/revoke", page="/account").status_code == 200
    revoked = api.get(base + "/api/me")
    assert revoked.status_code == 401 and "not valid" in revoked.json()["error"]
    # The API never takes writes on a cookie (that would need CSRF).
    cookie_write = reader.session.post(base + "/api/upvotes/2410.17243")
    assert cookie_write.status_code == 401 and "Bearer" in cookie_write.json()["error"]
    assert requests.get(base + "/api/me").status_code == 401
    assert requests.get(base + "/api/me", headers={"Authorization": "Basic abc"}).status_code == 401


@pytest.fixture(scope="module")
def strict_server(quire_bin, tmp_path_factory):
    """Short sessions (3 s), 5 writes a minute, the default 14-day submission rule."""
    process, base, mail, db = start_quire(quire_bin, tmp_path_factory, "strict", [
        "--bcrypt-cost", "4", "--session-days", str(3 / 86400), "--writes-per-minute", "5"])
    try:
        yield {"base": base, "db": db}
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_sessions_expire(strict_server):
    reader = Reader(strict_server["base"]).signup()
    assert reader.get("/account", allow_redirects=False).status_code == 200
    time.sleep(3.5)
    expired = reader.get("/account", allow_redirects=False)
    assert expired.status_code == 303 and expired.headers["Location"].startswith("/login")


def test_writes_are_rate_limited(strict_server):
    base = strict_server["base"]
    reader = Reader(base).signup()
    api = reader.api(reader.token())  # the token itself was write 1
    statuses = [api.post(base + "/api/upvotes/2410.17243").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    limited = api.post(base + "/api/upvotes/2410.17243")
    assert limited.status_code == 429 and "Too many requests" in limited.json()["error"]
    assert 1 <= int(limited.headers["Retry-After"]) <= 60


def test_old_papers_cannot_be_submitted(strict_server):
    base = strict_server["base"]
    reader = Reader(base).signup()
    refused = reader.post("/submit", {"paper": "0704.0001"}, page="/submit")
    assert refused.status_code == 403 and "only papers from the last 14 days" in refused.text


def test_admin_from_the_command_line(quire_bin, accounts_server):
    name = unique("admin")
    created = subprocess.run([quire_bin, "user", "add", "--db", str(accounts_server["db"]), "--admin", "--password-stdin",
                              "--bcrypt-cost", "4", name, f"{name}@example.org"], input=PASSWORD + "\n",
                             capture_output=True, text=True)
    assert created.returncode == 0, created.stderr
    admin = Reader(accounts_server["base"], name)
    assert admin.login().status_code == 303
    assert "<dt>Role</dt><dd>admin</dd>" in admin.get("/account").text
    again = subprocess.run([quire_bin, "user", "add", "--db", str(accounts_server["db"]), name, "x@example.org"],
                           capture_output=True, text=True)
    assert again.returncode != 0 and "is taken" in again.stderr
