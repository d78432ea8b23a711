"""Two `quire serve` on one PostgreSQL database behind HAProxy
(scripts/haproxy.sh, as docs/deploy.md sets it up): Hugging Face's client
through the proxy; 30 readers upvoting through both servers at once give
exact counts; a session made on one server works on the other; a paper
imported by `quire import` is searchable on both within 5 s; two digest
senders at once on the database (as both servers' schedulers would be) send
each due digest once, to a real SMTP server.

    eval "$(bash scripts/postgres.sh start)"
    QUIRE_BIN=.build/debug/quire python3 -m pytest -q tests/e2e/test_haproxy_postgres.py
"""
import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from conftest import SAMPLES, free_port, postgres_database, wait_for
from readers import PASSWORD, Reader
from test_digests import messages, next_weekday_morning, start_smtp, subscribe
from test_haproxy import hugging_face_client_works, proxy, stop_proxy
from test_postgres_serve import searchable_after


@pytest.fixture(scope="module")
def cluster(quire_bin, tmp_path_factory):
    with postgres_database() as db:
        imported = subprocess.run([quire_bin, "import", "--no-embed", "--db", db, *map(str, SAMPLES)], capture_output=True, text=True)
        assert imported.returncode == 0, imported.stderr
        proxy_port = free_port()
        public = f"http://127.0.0.1:{proxy_port}"
        folder = tmp_path_factory.mktemp("pg-cluster")
        env = dict(os.environ, QUIRE_MAIL_DIR=str(folder / "mail"), QUIRE_MAIL_FROM="Quire <quire@example.org>")
        servers, ports = [], [free_port(), free_port()]
        try:
            for i, port in enumerate(ports):
                log = open(folder / f"serve-{i}.log", "w")
                servers.append(subprocess.Popen([
                    quire_bin, "serve", "--db", db, "--port", str(port), "--no-semantic", "--no-digests", "--trust-proxy",
                    "--public-url", public, "--bcrypt-cost", "4", "--signups-per-hour", "100000", "--writes-per-minute", "100000",
                    "--logins-per-five-minutes", "100000", "--searches-per-minute", "100000", "--submission-max-age-days", "100000",
                    "--submissions-per-day", "50"], stdout=log, stderr=log, env=env))
            for port, server in zip(ports, servers):
                wait_for(f"http://127.0.0.1:{port}/health", server)
            base = proxy(folder, ports, port=proxy_port)
            wait_for(base + "/health", servers[0])
            yield {"db": db, "base": base, "servers": [f"http://127.0.0.1:{port}" for port in ports], "folder": folder}
        finally:
            stop_proxy(folder)
            for server in servers:
                server.terminate()
                server.wait(timeout=10)


def upvotes(base, paper_id):
    return requests.get(f"{base}/api/papers/{paper_id}", timeout=10).json()["upvotes"]


def test_hugging_face_client_through_the_proxy(cluster):
    hugging_face_client_works(cluster["base"])


def test_a_session_made_on_one_server_works_on_the_other(cluster):
    first, second = cluster["servers"]
    reader = Reader(first).signup()
    reader.base = second
    account = reader.get("/account", allow_redirects=False)
    assert account.status_code == 200 and reader.username in account.text
    # A form from one server's page is accepted by the other (the CSRF token is the session's, kept in the database).
    reader.base = first
    token = reader.csrf("/account")
    posted = reader.session.post(second + "/account/tokens", data={"name": "other-server", "csrf": token}, allow_redirects=False)
    assert posted.status_code in (200, 303), posted.text[:300]


def test_thirty_readers_upvoting_through_both_servers_count_exactly(cluster):
    base, servers = cluster["base"], cluster["servers"]
    paper = requests.get(base + "/api/daily_papers?date=2024-10-25", timeout=10).json()[3]["paper"]["id"]
    before = upvotes(base, paper)
    readers = [Reader(base).signup() for _ in range(30)]
    tokens = [r.token() for r in readers]
    # Each reader clicks three times, once on each server and once through the proxy: 90 requests in flight, 30 votes.
    jobs = [(token, target) for token in tokens for target in (*servers, base)]

    def click(job, method="post"):
        token, target = job
        return getattr(requests, method)(f"{target}/api/upvotes/{paper}", headers={"Authorization": f"Bearer {token}"}, timeout=30).status_code

    with ThreadPoolExecutor(max_workers=32) as pool:
        assert list(pool.map(click, jobs)) == [200] * 90
    assert [upvotes(server, paper) for server in servers] == [before + 30] * 2
    with ThreadPoolExecutor(max_workers=32) as pool:
        assert set(pool.map(lambda job: click(job, "delete"), jobs[: 15 * 3])) == {200}
    assert [upvotes(server, paper) for server in servers] == [before + 15] * 2


def test_an_imported_paper_is_searchable_on_both_servers_within_5_seconds(cluster, quire_bin):
    lag = searchable_after(quire_bin, cluster["db"], cluster["servers"], "2511.00077", "zymology", cluster["folder"])
    assert lag is not None and lag < 5, f"not searchable on both within 5 s: {lag}"


def test_two_senders_at_once_send_each_due_digest_once(cluster, quire_bin, tmp_path):
    base, db = cluster["base"], cluster["db"]
    readers = []
    for _ in range(3):
        reader = Reader(base)
        subprocess.run([quire_bin, "user", "add", "--db", db, "--password-stdin", "--bcrypt-cost", "4", reader.username, reader.email],
                       input=PASSWORD + "\n", check=True, capture_output=True, text=True)
        assert reader.login().status_code == 303
        subscribe(reader)
        readers.append(reader)
    # Today's list gets a paper, so every digest has something new.
    api = readers[0].api(readers[0].token())
    assert api.post(base + "/api/submissions", json={"paper": "0704.0001"}, timeout=30).status_code == 201

    maildir = tmp_path / "maildir"
    smtp, port = start_smtp(maildir)
    env = dict(os.environ, QUIRE_SMTP_HOST="127.0.0.1", QUIRE_SMTP_PORT=str(port), QUIRE_SMTP_TLS="none",
               QUIRE_MAIL_FROM="Quire Digest <digest@example.org>")
    try:
        command = [quire_bin, "digest", "send", "--db", db, "--public-url", "http://quire.test", "--now", next_weekday_morning()]
        senders = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
        outputs = [sender.communicate(timeout=300) for sender in senders]
        # A sender that finds a digest the other claimed and has not finished leaves it to it
        # ("deferred", exit 3, for cron to notice): never a second copy.
        assert {sender.returncode for sender in senders} <= {0, 3}, outputs
        # The mail summary ("sent N, …"); the webhooks' line follows it.
        summaries = [next(line for line in out.splitlines() if line.startswith("sent ")) for out, _ in outputs]
        assert sum(int(re.match(r"sent (\d+),", line).group(1)) for line in summaries) == 3, summaries
        received = [m["headers"]["To"][0] for m in messages(maildir)]
        for reader in readers:
            assert sum(reader.email in to for to in received) == 1, (reader.email, received, outputs)
    finally:
        smtp.stdin.close()
        smtp.wait(timeout=10)
