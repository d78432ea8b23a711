"""`--db` (or `QUIRE_DB`) with a PostgreSQL address: accounts, stats, import,
embed and ingest work on a real server (serve, search and digest send:
test_postgres_serve.py). An unreachable server is a plain message (exit 64,
the usage error), and the address, which may hold a password, is never echoed.

    eval "$(bash scripts/postgres.sh start)"
    QUIRE_BIN=.build/debug/quire python3 -m pytest -q tests/e2e/test_db_address.py
"""
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from conftest import REPO, SHARED, postgres_db, psql  # noqa: F401 (a fixture)


def quire(quire_bin, *args, env=None, stdin=None):
    return subprocess.run([quire_bin, *args], capture_output=True, text=True, timeout=300, input=stdin,
                          env={**os.environ, **(env or {})})


def test_accounts_stats_and_imports_live_in_postgres(quire_bin, postgres_db):
    env = {"QUIRE_DB": postgres_db}  # the environment, as a service unit would set it
    made = quire(quire_bin, "user", "add", "ada", "ada@example.org", "--admin", "--password-stdin", "--bcrypt-cost", "4",
                 env=env, stdin="correct horse battery staple\n")
    assert made.returncode == 0 and "created admin ada" in made.stdout, made.stderr
    again = quire(quire_bin, "user", "add", "ADA", "other@example.org", "--bcrypt-cost", "4", env=env)
    assert again.returncode == 64 and "taken" in again.stderr
    role = quire(quire_bin, "user", "role", "ada", "moderator", env=env)
    assert role.returncode == 0 and "ada is now moderator" in role.stdout, role.stderr

    snapshot = str(SHARED / "fixtures/arxiv-snapshot/first200.jsonl")
    first = quire(quire_bin, "import", "--no-embed", snapshot, env=env)
    assert first.returncode == 0 and "inserted 200, updated 0, unchanged 0, rejected 0" in first.stdout, first.stderr
    # --db wins over QUIRE_DB: the same database named both ways.
    repeat = quire(quire_bin, "import", "--no-embed", "--db", postgres_db, snapshot, env={"QUIRE_DB": "/nonexistent/x.sqlite"})
    assert repeat.returncode == 0 and "inserted 0, updated 0, unchanged 200" in repeat.stdout, repeat.stderr

    stats = quire(quire_bin, "stats", "--json", env=env)
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["papers"] == 200
    # The rows are PostgreSQL's, in the tables the migrations made.
    assert psql(postgres_db, "SELECT count(*) FROM papers") == "200"
    assert psql(postgres_db, "SELECT role FROM users WHERE username = 'ada'") == "moderator"
    # Every migration ran once, whatever the newest is.
    assert int(psql(postgres_db, "SELECT count(*) FROM schema_migrations")) >= 2
    assert psql(postgres_db, "SELECT count(*) = count(DISTINCT version) FROM schema_migrations") == "t"


def test_vectors_are_kept_in_postgres(quire_bin, postgres_db):
    daily = str(SHARED / "fixtures/hf-papers/daily_papers-2024-10-25-first8.json")
    imported = quire(quire_bin, "import", "--no-embed", "--db", postgres_db, daily)
    assert imported.returncode == 0 and "inserted 8" in imported.stdout, imported.stderr
    embedded = quire(quire_bin, "embed", "--db", postgres_db)
    assert embedded.returncode == 0 and "embedded 8 papers" in embedded.stdout, embedded.stderr
    # 384 little-endian Float32s a paper, SQLite's bytes.
    assert psql(postgres_db, "SELECT count(*), min(octet_length(vector)), max(octet_length(vector)) FROM paper_embeddings") == "8|1536|1536"
    again = quire(quire_bin, "embed", "--db", postgres_db)
    assert again.returncode == 0 and "embedded 0 papers" in again.stdout, again.stderr


@pytest.fixture(scope="module")
def fixture_server():
    """tests/fixture_server.py: recorded arXiv answers, on a free port."""
    process = subprocess.Popen([sys.executable, str(REPO / "tests/fixture_server.py"), "--port", "0", "--fixtures", str(SHARED / "fixtures"),
                                "--exit-on-stdin-eof"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline().strip()
    assert line.startswith("PORT "), f"fixture server did not start: {line!r}"
    yield f"http://127.0.0.1:{line.split()[1]}"
    process.kill()
    process.wait()


# What a harvest stores, in the same shape from either database: papers (all
# but row keys and write times; instants as text), authors, categories, checkpoints.
PAPER_COLUMNS = "id, version, title, abstract, author_count, comments, journal_ref, doi, license, list_day, daily_date, upvotes"
POSTGRES_DUMP = {
    "papers": f"""SELECT json_build_array({PAPER_COLUMNS}, withdrawn,
                  to_char(submitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
                  to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')) FROM papers ORDER BY id""",
    "authors": """SELECT json_build_array(p.id, pa.position, a.name) FROM paper_authors pa JOIN papers p ON p.seq = pa.paper_seq
                  JOIN authors a ON a.id = pa.author_id ORDER BY p.id, pa.position""",
    "categories": """SELECT json_build_array(p.id, pc.position, pc.category) FROM paper_categories pc JOIN papers p ON p.seq = pc.paper_seq
                     ORDER BY p.id, pc.position""",
    "checkpoints": "SELECT json_build_array(key, value) FROM checkpoints ORDER BY key",
}
SQLITE_DUMP = {
    "papers": f"SELECT {PAPER_COLUMNS}, withdrawn, submitted_at, updated_at FROM papers ORDER BY id",
    "authors": """SELECT p.id, pa.position, a.name FROM paper_authors pa JOIN papers p ON p.seq = pa.paper_seq
                  JOIN authors a ON a.id = pa.author_id ORDER BY p.id, pa.position""",
    "categories": "SELECT p.id, pc.position, pc.category FROM paper_categories pc JOIN papers p ON p.seq = pc.paper_seq ORDER BY p.id, pc.position",
    "checkpoints": "SELECT key, value FROM checkpoints ORDER BY key",
}


def postgres_dump(address):
    return {name: [json.loads(line) for line in psql(address, sql).splitlines()] for name, sql in POSTGRES_DUMP.items()}


def sqlite_dump(path):
    con = sqlite3.connect(path)
    try:
        dump = {name: [list(row) for row in con.execute(sql)] for name, sql in SQLITE_DUMP.items()}
    finally:
        con.close()
    for row in dump["papers"]:
        row[len(PAPER_COLUMNS.split(","))] = bool(row[len(PAPER_COLUMNS.split(","))])  # SQLite's 0/1
    return dump


def test_a_harvest_stores_in_postgres_what_it_stores_in_sqlite(quire_bin, postgres_db, fixture_server, tmp_path):
    # 100 results, 10 a page: ten batches, each written with its checkpoint; then the same again (all merged, nothing new).
    args = ["ingest", "arxiv", "--categories", "cs.SE,cs.LG", "--from", "2022-01-01", "--until", "2022-12-31", "--page-size", "10",
            "--arxiv-api-url", fixture_server + "/api/query", "--interval", "0", "--no-embed", "--quiet"]
    sqlite = str(tmp_path / "quire.sqlite")
    for _ in range(2):
        for db in (sqlite, postgres_db):
            result = quire(quire_bin, *args, "--db", db)
            assert result.returncode == 0, result.stderr
    from_postgres, from_sqlite = postgres_dump(postgres_db), sqlite_dump(sqlite)
    assert len(from_postgres["papers"]) == 100
    for name in SQLITE_DUMP:
        assert from_postgres[name] == from_sqlite[name], name


def test_an_unreachable_server_is_a_plain_message(quire_bin):
    result = quire(quire_bin, "stats", env={"QUIRE_DB": "postgres://quire:secret@127.0.0.1:1/quire"})
    assert result.returncode == 64, result.stderr
    assert "cannot use the PostgreSQL server at 127.0.0.1:1" in result.stderr and "refused" in result.stderr, result.stderr
    assert "secret" not in result.stderr
    malformed = quire(quire_bin, "stats", "--db", "postgres://:secret@/quire")
    assert malformed.returncode == 64 and "not a usable PostgreSQL address" in malformed.stderr
    assert "secret" not in malformed.stderr


def test_an_import_stores_in_postgres_what_it_stores_in_sqlite(quire_bin, postgres_db, tmp_path):
    # PostgreSQL's bulk path (COPY, a batch at a time) against SQLite's, on the
    # same files: a first import in three batches, newer versions of some
    # papers with a broken line among them, then the first file again.
    first = tmp_path / "first.jsonl"
    made = subprocess.run([sys.executable, str(REPO / "bench/gen_snapshot.py"), "1200", str(first)], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    records = [json.loads(line) for line in first.read_text().splitlines()]
    odd = records[7]
    odd["abstract"] = "Back\\slash, tab\there, a literal \\N and \\\\N, and a NUL \u0000 folded away."
    odd["authors_parsed"] = [["Kov\\'acs", "Bal\\'azs", ""], ["O\\Brien", "Tab\tName", ""]]
    first.write_text("".join(json.dumps(r) + "\n" for r in records))
    newer = []
    for r in records[::10]:
        r = dict(r, title=r["title"] + " (revised)", authors_parsed=r["authors_parsed"][::-1] + [["Newcomer", "Nia", ""]])
        r["versions"] = r["versions"] + [{"version": f"v{len(r['versions']) + 1}", "created": "Mon, 3 Nov 2025 10:00:00 GMT"}]
        newer.append(json.dumps(r))
    newer.insert(5, '{"id": "2501.00001", "title": ')
    second = tmp_path / "second.jsonl"
    second.write_text("\n".join(newer) + "\n")

    sqlite = str(tmp_path / "quire.sqlite")
    for db in (sqlite, postgres_db):
        result = quire(quire_bin, "import", "--no-embed", "--batch-size", "500", "--db", db, str(first))
        assert result.returncode == 0 and "inserted 1200, updated 0, unchanged 0, rejected 0" in result.stdout, result.stderr
        result = quire(quire_bin, "import", "--no-embed", "--batch-size", "500", "--db", db, str(second))
        assert result.returncode == 0 and "inserted 0, updated 120, unchanged 0, rejected 1" in result.stdout, result.stderr
        assert f"{second}:6:" in result.stderr, result.stderr
        result = quire(quire_bin, "import", "--no-embed", "--batch-size", "500", "--db", db, str(first))
        assert result.returncode == 0 and "inserted 0, updated 0, unchanged 1200" in result.stdout, result.stderr
    from_postgres, from_sqlite = postgres_dump(postgres_db), sqlite_dump(sqlite)
    assert len(from_postgres["papers"]) == 1200 and len(from_postgres["authors"]) > 1200
    for name in SQLITE_DUMP:
        assert from_postgres[name] == from_sqlite[name], name
    # Every paper's text is in the change feed once, in the order the papers were stored.
    assert psql(postgres_db, "SELECT count(*), count(DISTINCT paper_seq) FROM paper_text_changes") == "1320|1200"
