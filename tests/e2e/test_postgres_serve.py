"""`quire serve`, `quire search` and `quire digest send` on PostgreSQL: the
same search results as on SQLite for the same papers, and a paper imported
by `quire import` beside a running server found by its searches within a few
seconds (the server's keyword index follows the database's change feed).

    eval "$(bash scripts/postgres.sh start)"
    QUIRE_BIN=.build/debug/quire python3 -m pytest -q tests/e2e/test_postgres_serve.py
"""
import json
import os
import subprocess
import time

import requests

from conftest import SHARED, free_port, postgres_db, wait_for  # noqa: F401 (a fixture)

SNAPSHOT = SHARED / "fixtures/arxiv-snapshot/first200.jsonl"
QUERIES = ["diphoton", "quantum gravity", "\"dark matter\"", "black hole cat:gr-qc", "author:berger", "cat:math.CO", "galaxies -cluster"]


def quire(quire_bin, *args, env=None):
    return subprocess.run([quire_bin, *args], capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})})


def start_server(quire_bin, db, folder, name="serve"):
    """`quire serve` on `db` (keyword search only), mail written to a folder; returns (process, base URL)."""
    port = free_port()
    log = open(folder / f"{name}.log", "w")
    env = dict(os.environ, QUIRE_MAIL_DIR=str(folder / "mail"), QUIRE_MAIL_FROM="Quire <quire@example.org>")
    process = subprocess.Popen([quire_bin, "serve", "--db", db, "--port", str(port), "--no-semantic", "--searches-per-minute", "100000"],
                               stdout=log, stderr=log, env=env)
    base = f"http://127.0.0.1:{port}"
    wait_for(base + "/health", process)
    return process, base


def search_ids(base, q):
    response = requests.get(base + "/api/papers/search", params={"q": q, "limit": 50}, timeout=30)
    assert response.status_code == 200, response.text
    return [entry["paper"]["id"] for entry in response.json()]


def new_paper(path, arxiv_id, title):
    """A one-paper snapshot file, as `quire import` reads them."""
    record = {"id": arxiv_id, "submitter": "Ada", "authors": "Ada Lovelace", "title": title, "comments": None, "journal-ref": None,
              "doi": None, "categories": "cs.CL", "license": None, "abstract": f"{title}, a paper imported while the server runs.",
              "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}], "update_date": "2008-11-13",
              "authors_parsed": [["Lovelace", "Ada", ""]]}
    path.write_text(json.dumps(record) + "\n")
    return str(path)


def searchable_after(quire_bin, db, bases, arxiv_id, word, folder):
    """Imports a paper and returns the seconds until every server's search finds it (None past 10 s)."""
    paper = new_paper(folder / f"{arxiv_id}.jsonl", arxiv_id, f"The {word} of paper {arxiv_id}")
    imported = quire(quire_bin, "import", "--no-embed", "--db", db, paper)
    assert imported.returncode == 0, imported.stderr
    started, waiting = time.monotonic(), set(bases)
    while waiting and time.monotonic() - started < 10:
        waiting = {base for base in waiting if arxiv_id not in search_ids(base, word)}
        time.sleep(0.05)
    return None if waiting else time.monotonic() - started


def test_search_on_postgres_finds_what_sqlite_finds(quire_bin, postgres_db, tmp_path):
    sqlite = str(tmp_path / "quire.sqlite")
    for db in (sqlite, postgres_db):
        result = quire(quire_bin, "import", "--no-embed", "--db", db, str(SNAPSHOT))
        assert result.returncode == 0, result.stderr
    for q in QUERIES:
        answers = [quire(quire_bin, "search", "--db", db, "--mode", "keyword", "--json", q) for db in (sqlite, postgres_db)]
        assert all(a.returncode == 0 for a in answers), [a.stderr for a in answers]
        assert answers[0].stdout == answers[1].stdout, q
    assert json.loads(quire(quire_bin, "search", "--db", postgres_db, "--mode", "keyword", "--json", "diphoton").stdout)[0]["id"] == "0704.0001"

    process, base = start_server(quire_bin, postgres_db, tmp_path)
    try:
        for q in QUERIES:
            assert search_ids(base, q) == [row["id"] for row in json.loads(
                quire(quire_bin, "search", "--db", sqlite, "--mode", "keyword", "--json", "--limit", "50", q).stdout)], q
        lag = searchable_after(quire_bin, postgres_db, [base], "2511.00001", "zymurgy", tmp_path)
        assert lag is not None and lag < 5, f"not searchable within 5 s: {lag}"
        assert "Quire serving PostgreSQL at" in (tmp_path / "serve.log").read_text()
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert "quire:quire@" not in (tmp_path / "serve.log").read_text(), "the address may hold a password: never logged"

    sent = quire(quire_bin, "digest", "send", "--db", postgres_db, env={"QUIRE_MAIL_DIR": str(tmp_path / "mail"), "QUIRE_MAIL_FROM": "Quire <quire@example.org>"})
    assert sent.returncode == 0 and "sent 0" in sent.stdout, sent.stdout + sent.stderr
