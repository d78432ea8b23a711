"""A reader as a browser would be: a cookie jar, the CSRF token scraped
from the page a form is on, and the forms Quire's pages send."""
import email
import pathlib
import re
import uuid

import requests

PASSWORD = "correct horse battery"


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


class Reader:
    def __init__(self, base: str, username: str | None = None, password: str = PASSWORD):
        self.base = base
        self.session = requests.Session()
        self.username = username or unique("r")
        self.email = f"{self.username}@example.org"
        self.password = password

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.session.get(self.base + path, **kwargs)

    def csrf(self, page: str = "/") -> str:
        match = re.search(r'name="csrf" value="([^"]+)"', self.get(page).text)
        assert match, f"no CSRF field on {page}"
        return match.group(1)

    def post(self, path: str, data: dict | None = None, page: str = "/", follow: bool = False) -> requests.Response:
        """Sends a form the way the page at `page` would: with its CSRF token."""
        fields = dict(data or {}, csrf=self.csrf(page))
        return self.session.post(self.base + path, data=fields, allow_redirects=follow)

    def signup(self) -> "Reader":
        response = self.post("/signup", {"username": self.username, "email": self.email, "password": self.password}, page="/signup")
        assert response.status_code == 303, response.text[:500]
        return self

    def login(self, password: str | None = None) -> requests.Response:
        return self.post("/login", {"login": self.username, "password": password or self.password}, page="/login")

    def token(self, name: str = "tests") -> str:
        html = self.post("/account/tokens", {"name": name}, page="/account").text
        match = re.search(r'id="new-token">([^<]+)<', html)
        assert match, html[:1000]
        return match.group(1)

    def api(self, token: str) -> requests.Session:
        s = requests.Session()
        s.headers["Authorization"] = f"Bearer {token}"
        return s


def mails_to(folder: pathlib.Path, address: str) -> list[email.message.Message]:
    """The messages written to the mail folder for `address`, oldest first."""
    if not folder.exists():
        return []
    found = []
    for path in sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime):
        message = email.message_from_bytes(path.read_bytes())
        if address in message["To"]:
            found.append(message)
    return found


def text_part(message: email.message.Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode("utf-8")
    raise AssertionError("no text/plain part")


def link_in(message: email.message.Message, path_prefix: str) -> str:
    match = re.search(r"https?://\S+" + re.escape(path_prefix) + r"\S+", text_part(message))
    assert match, text_part(message)
    return match.group(0)
