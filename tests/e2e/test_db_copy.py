"""`quire db copy`: a SQLite database a server and readers filled (papers,
authors, vectors, accounts, sessions, tokens, upvotes, comments) goes to
PostgreSQL and back, and every table comes back as it was; a non-empty
target is refused unless --replace.

    eval "$(bash scripts/postgres.sh start)"
    QUIRE_BIN=.build/debug/quire python3 -m pytest -q tests/e2e/test_db_copy.py
"""
import datetime
import os
import re
import sqlite3
import subprocess

from conftest import SHARED, free_port, wait_for
from readers import Reader
from test_db_address import postgres_db, psql, quire  # noqa: F401 (the fixture)

DAILY = SHARED / "fixtures/hf-papers/daily_papers-2024-10-25-first8.json"
SNAPSHOT = SHARED / "fixtures/arxiv-snapshot/first200.jsonl"
# Not data: rebuilt from papers, or the schema's own record.
BOOKKEEPING = re.compile(r"^(sqlite_|papers_fts|schema_migrations$|paper_text_changes$)")
INSTANT = re.compile(r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?$")


def filled_database(quire_bin, folder):
    """Papers with vectors (the 8 daily ones: the model is slow), then what a server and two readers write."""
    db = folder / "quire.sqlite"
    for args in (["import", "--db", str(db), "--no-embed", str(DAILY)], ["embed", "--db", str(db)],
                 ["import", "--db", str(db), "--no-embed", str(SNAPSHOT)]):
        done = quire(quire_bin, *args)
        assert done.returncode == 0, done.stderr
    port = free_port()
    with open(folder / "serve.log", "w") as log:
        server = subprocess.Popen([quire_bin, "serve", "--db", str(db), "--port", str(port), "--no-semantic", "--no-digests",
                                   "--bcrypt-cost", "4"], stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/health", server)
        alice, bob = Reader(base).signup(), Reader(base).signup()
        alice_api, bob_api = alice.api(alice.token()), bob.api(bob.token())
        paper = "2410.17243"
        for api in (alice_api, bob_api):
            assert api.post(f"{base}/api/upvotes/{paper}").status_code == 200
        top = alice_api.post(base + "/api/comments", json={"paper": paper, "body": "Is the **memory** claim tested?"})
        assert top.status_code in (200, 201), top.text
        reply = bob_api.post(base + "/api/comments", json={"paper": paper, "body": "Yes, table 2.", "parentId": top.json()["id"]})
        assert reply.status_code in (200, 201), reply.text
    finally:
        server.terminate()
        server.wait(timeout=10)
    return db


def tables(path):
    with sqlite3.connect(path) as db:
        names = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") if not BOOKKEEPING.match(n)]
        return {n: sorted(map(normalized, db.execute(f'SELECT * FROM "{n}"').fetchall()), key=repr) for n in names}


def normalized(row):
    """Instants as seconds since 1970: each engine writes them in its own format."""
    def value(v):
        if isinstance(v, str) and INSTANT.match(v):
            return int(datetime.datetime.fromisoformat(v.replace("Z", "+00:00").replace(" ", "T")).replace(
                tzinfo=datetime.timezone.utc if not re.search(r"[+-]\d\d:?\d\d$|Z$", v) else None).timestamp() // 1)
        return v
    return tuple(value(v) for v in row)


def test_a_database_goes_to_postgres_and_back_unchanged(quire_bin, postgres_db, tmp_path):
    original = filled_database(quire_bin, tmp_path)
    there = quire(quire_bin, "db", "copy", "--from", str(original), "--to", postgres_db)
    assert there.returncode == 0 and "every table's row count and checksum match the source" in there.stdout, there.stderr
    assert psql(postgres_db, "SELECT count(*) FROM papers") == "208"
    assert psql(postgres_db, "SELECT count(*), min(octet_length(vector)) FROM paper_embeddings") == "8|1536"
    assert psql(postgres_db, "SELECT count(*) FROM comments WHERE parent_id IS NOT NULL") == "1"
    # Into a non-empty database only when told.
    refused = quire(quire_bin, "db", "copy", "--from", str(original), "--to", postgres_db)
    assert refused.returncode == 64 and "already holds rows" in refused.stderr and "--replace" in refused.stderr
    assert psql(postgres_db, "SELECT count(*) FROM papers") == "208"

    back = tmp_path / "back.sqlite"
    home = quire(quire_bin, "db", "copy", "--from", postgres_db, "--to", str(back))
    assert home.returncode == 0, home.stderr
    before, after = tables(original), tables(back)
    assert before.keys() == after.keys()
    for name in before:
        assert before[name] == after[name], f"{name} differs after the round trip"
    # The copy is searchable: the full-text index was rebuilt from the papers.
    found = quire(quire_bin, "search", "--db", str(back), "--mode", "keyword", "--json", "memory")
    assert found.returncode == 0 and "2410." in found.stdout, found.stderr

    replaced = quire(quire_bin, "db", "copy", "--replace", "--quiet", "--from", str(back), "--to", postgres_db)
    assert replaced.returncode == 0, replaced.stderr
    # Ids continue after the copied ones: a new account gets the next id.
    made = quire(quire_bin, "user", "add", "carol", "carol@example.org", "--bcrypt-cost", "4", "--db", postgres_db)
    assert made.returncode == 0, made.stderr
    assert psql(postgres_db, "SELECT id FROM users WHERE username = 'carol'") == "3"


def test_bad_addresses_are_plain_errors(quire_bin, tmp_path):
    missing = quire(quire_bin, "db", "copy", "--from", str(tmp_path / "none.sqlite"), "--to", str(tmp_path / "b.sqlite"))
    assert missing.returncode == 64 and "no database at" in missing.stderr
    same = quire(quire_bin, "db", "copy", "--from", "x.sqlite", "--to", "x.sqlite")
    assert same.returncode == 64 and "the same database" in same.stderr
