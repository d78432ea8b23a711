"""`--db` (or `QUIRE_DB`) with a PostgreSQL address: the commands the
PostgreSQL store serves (accounts, stats, import, embed, ingest) work on a
real server; the ones that need keyword search, which the PostgreSQL store
does not have yet, refuse with a message naming it (exit 64, the usage
error). An unreachable server is a plain message too, and the address, which
may hold a password, is never echoed.

    eval "$(bash scripts/postgres.sh start)"
    QUIRE_BIN=.build/debug/quire python3 -m pytest -q tests/e2e/test_db_address.py
"""
import json
import os
import subprocess
import uuid

import pytest

from conftest import SHARED

SERVER = os.environ.get("QUIRE_TEST_POSTGRES_URL")


def quire(quire_bin, *args, env=None, stdin=None):
    return subprocess.run([quire_bin, *args], capture_output=True, text=True, timeout=300, input=stdin,
                          env={**os.environ, **(env or {})})


@pytest.fixture
def postgres_db():
    """A database of its own on the test server (scripts/postgres.sh), dropped after the test."""
    if not SERVER:
        pytest.skip("QUIRE_TEST_POSTGRES_URL is not set: eval \"$(bash scripts/postgres.sh start)\"")
    name = "quire_e2e_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", SERVER, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    yield SERVER.rsplit("/", 1)[0] + "/" + name
    subprocess.run(["psql", SERVER, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True, capture_output=True)


def psql(address, sql):
    return subprocess.run(["psql", address, "-Atc", sql], check=True, capture_output=True, text=True).stdout.strip()


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
    assert psql(postgres_db, "SELECT max(version) FROM schema_migrations") == "2"


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


def test_commands_that_search_name_what_postgres_lacks(quire_bin):
    # No server is contacted: the refusal comes before any connection.
    address = "postgres://quire:secret@127.0.0.1:1/quire"
    for command in (["serve"], ["search", "attention"], ["digest", "send"]):
        result = quire(quire_bin, *command, "--db", address)
        assert result.returncode == 64, (command, result.stderr)
        assert "cannot use a PostgreSQL database yet" in result.stderr and "keyword search" in result.stderr, result.stderr
        assert "secret" not in result.stderr, "the address may hold a password: never echoed"


def test_an_unreachable_server_is_a_plain_message(quire_bin):
    result = quire(quire_bin, "stats", env={"QUIRE_DB": "postgres://quire:secret@127.0.0.1:1/quire"})
    assert result.returncode == 64, result.stderr
    assert "cannot use the PostgreSQL server at 127.0.0.1:1" in result.stderr and "refused" in result.stderr, result.stderr
    assert "secret" not in result.stderr
    malformed = quire(quire_bin, "stats", "--db", "postgres://:secret@/quire")
    assert malformed.returncode == 64 and "not a usable PostgreSQL address" in malformed.stderr
    assert "secret" not in malformed.stderr
