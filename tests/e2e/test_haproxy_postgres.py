"""Two `quire serve` on one PostgreSQL database behind HAProxy
(scripts/haproxy.sh, as docs/deploy.md sets it up): Hugging Face's client
through the proxy; 30 readers upvoting through both servers at once give
exact counts; a session made on one server works on the other; a paper
imported by `quire import` is searchable on both within 5 s (the lag is
printed); with both servers' digest schedulers running (and a cron
`quire digest send` beside them), each due digest goes once to a real SMTP
server. The schedulers are the real ones on a clock shifted to the next
weekday morning (`--digest-clock-start`), ticking every second.

    eval "$(bash scripts/postgres.sh start)"
    QUIRE_BIN=.build/debug/quire python3 -m pytest -q tests/e2e/test_haproxy_postgres.py
"""
import os
import re
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from conftest import SAMPLES, free_port, postgres_database, psql, wait_for
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
        # Every mail (confirmations, digests) goes to a real SMTP server.
        smtp, smtp_port = start_smtp(folder / "maildir")
        env = dict(os.environ, QUIRE_SMTP_HOST="127.0.0.1", QUIRE_SMTP_PORT=str(smtp_port), QUIRE_SMTP_TLS="none",
                   QUIRE_MAIL_FROM="Quire Digest <digest@example.org>")
        # Both schedulers run, on the same shifted clock, every second: a slot is due as soon as a reader is.
        slot = next_weekday_morning()
        servers, ports = [], [free_port(), free_port()]
        try:
            for i, port in enumerate(ports):
                log = open(folder / f"serve-{i}.log", "w")
                servers.append(subprocess.Popen([
                    quire_bin, "serve", "--db", db, "--port", str(port), "--no-semantic", "--trust-proxy",
                    "--digest-clock-start", slot, "--digest-interval", "1",
                    "--public-url", public, "--bcrypt-cost", "4", "--signups-per-hour", "100000", "--writes-per-minute", "100000",
                    "--logins-per-five-minutes", "100000", "--searches-per-minute", "100000", "--submission-max-age-days", "100000",
                    "--submissions-per-day", "50"], stdout=log, stderr=log, env=env))
            for port, server in zip(ports, servers):
                wait_for(f"http://127.0.0.1:{port}/health", server)
            base = proxy(folder, ports, port=proxy_port)
            wait_for(base + "/health", servers[0])
            yield {"db": db, "base": base, "servers": [f"http://127.0.0.1:{port}" for port in ports], "folder": folder,
                   "maildir": folder / "maildir", "mail_env": env, "slot": slot}
        finally:
            stop_proxy(folder)
            for server in servers:
                server.terminate()
                server.wait(timeout=10)
            smtp.stdin.close()
            smtp.wait(timeout=10)


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


def test_an_imported_paper_is_searchable_on_both_servers_within_5_seconds(cluster, quire_bin, capsys):
    lag = searchable_after(quire_bin, cluster["db"], cluster["servers"], "2511.00077", "zymology", cluster["folder"])
    with capsys.disabled():
        print(f"\n  imported paper searchable on both servers after {lag if lag is None else round(lag, 2)} s (goal: under 5 s)")
    assert lag is not None and lag < 5, f"not searchable on both within 5 s: {lag}"


READERS = 20


def confirmation_links(maildir, readers, seconds=60):
    """Each reader's confirmation link, from the mail sign-up sent them."""
    deadline, links = time.time() + seconds, {}
    while len(links) < len(readers) and time.time() < deadline:
        for m in messages(maildir):
            to, subject = m["headers"]["To"][0], m["headers"]["Subject"][0]
            for reader in readers:
                if subject.startswith("Confirm") and to.endswith(f"<{reader.email}>"):
                    text = next(p["body"] for p in m["parts"] if p["content_type"] == "text/plain")
                    links[reader.username] = "/confirm/" + re.search(r"/confirm/(\S+)", text).group(1)
        time.sleep(0.2)
    assert len(links) == len(readers), f"{len(links)} of {len(readers)} confirmation mails arrived"
    return links


def digests_received(maildir, readers):
    """How many digests each reader's address got."""
    received = [m["headers"]["To"][0] for m in messages(maildir) if m["headers"]["Subject"][0].startswith("Quire daily digest")]
    return {reader.username: sum(to.endswith(f"<{reader.email}>") for to in received) for reader in readers}


def ledger(db, readers):
    """The delivery ledger's digest rows for these readers: (username, slot, status)."""
    names = ",".join(f"'{reader.username}'" for reader in readers)
    rows = psql(db, "SELECT u.username, d.slot, d.status FROM digest_deliveries d JOIN users u ON u.id = d.user_id "
                    f"WHERE d.kind = 'digest' AND u.username IN ({names}) ORDER BY 1")
    return [tuple(line.split("|")) for line in rows.splitlines()]


def sent_by_scheduler(log):
    """Digests a server's scheduler says it sent ("digests: N sent, …")."""
    return sum(int(n) for n in re.findall(r"digests: (\d+) sent", log.read_text()))


def test_both_schedulers_and_a_cron_run_send_each_due_digest_once(cluster, quire_bin, capsys):
    base, db, maildir, folder = cluster["base"], cluster["db"], cluster["maildir"], cluster["folder"]
    # Today's list gets a paper first, so every digest has something new once it is due.
    submitter = Reader(base)
    subprocess.run([quire_bin, "user", "add", "--db", db, "--password-stdin", "--bcrypt-cost", "4", submitter.username, submitter.email],
                   input=PASSWORD + "\n", check=True, capture_output=True, text=True)
    assert submitter.login().status_code == 303
    api = submitter.api(submitter.token())
    assert api.post(base + "/api/submissions", json={"paper": "0704.0001"}, timeout=30).status_code == 201

    # Readers sign up and choose a daily digest through the proxy; unconfirmed, none is due yet.
    def join(_):
        reader = Reader(base).signup()
        subscribe(reader)
        return reader

    with ThreadPoolExecutor(max_workers=8) as pool:
        readers = list(pool.map(join, range(READERS)))
    links = confirmation_links(maildir, readers)
    assert ledger(db, readers) == []

    # All confirm at once: the same digests fall due for both schedulers (each ticking every second), and for
    # a cron run started beside them (it loads the model first, so it mostly finds them taken: a late sender).
    def confirm(reader):
        return reader.post(links[reader.username], page=links[reader.username]).status_code

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=READERS) as pool:
        assert list(pool.map(confirm, readers)) == [200] * READERS
    cron = subprocess.Popen([quire_bin, "digest", "send", "--db", db, "--public-url", base, "--now", cluster["slot"]],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cluster["mail_env"])
    try:
        cron_out, cron_err = cron.communicate(timeout=300)
    finally:
        if cron.poll() is None:
            cron.kill()
    # A run that finds a digest another sender claimed and has not finished leaves it ("deferred", exit 3): never a second copy.
    assert cron.returncode in (0, 3), cron_out + cron_err
    by_cron = int(re.search(r"^sent (\d+),", cron_out, re.M).group(1))

    deadline, slot = time.time() + 120, cluster["slot"][:10]
    while time.time() < deadline:
        rows = ledger(db, readers)
        if len(rows) == READERS and all(status == "sent" for _, _, status in rows):
            break
        time.sleep(0.2)
    took = time.monotonic() - started
    # One row per reader and slot, each sent: from here no sender may claim that digest again.
    assert ledger(db, readers) == sorted((reader.username, slot, "sent") for reader in readers)
    # A negative check needs time: a few more ticks of both schedulers (1 s each) add no copy.
    time.sleep(3)
    assert digests_received(maildir, readers) == {reader.username: 1 for reader in readers}
    by_servers = [sent_by_scheduler(folder / f"serve-{i}.log") for i in range(2)]
    assert sum(by_servers) + by_cron == READERS, (by_servers, by_cron, cron_out)
    with capsys.disabled():
        print(f"\n  {READERS} digests, each sent once in {took:.1f} s: {by_servers[0]} and {by_servers[1]} by the two servers' schedulers, "
              f"{by_cron} by the cron run")
