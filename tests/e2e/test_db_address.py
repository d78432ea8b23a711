"""`--db` with a PostgreSQL address: until the PostgreSQL store implements
what a command needs, every command refuses it with a clear message (exit
64, the usage error), never a crash or a SQLite file named after the address.

    QUIRE_BIN=.build/debug/quire python3 -m pytest -q tests/e2e/test_db_address.py
"""
import subprocess


def test_a_postgres_address_is_refused_plainly(quire_bin):
    # No server is contacted: the refusal comes before any connection.
    address = "postgres://quire:secret@127.0.0.1:1/quire"
    result = subprocess.run([quire_bin, "stats", "--db", address], capture_output=True, text=True, timeout=60)
    assert result.returncode == 64, result.stderr
    assert "the PostgreSQL store is not built yet for this command" in result.stderr
    assert "secret" not in result.stderr, "the address may hold a password: never echoed"
