"""`quire backup`: a copy of the database of a running server, refused over
an existing file unless --force, and as full as the original."""
import subprocess

from conftest import start_quire


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True, timeout=120)


def test_backup_of_a_served_database(quire_bin, tmp_path_factory, tmp_path):
    process, base, _, db = start_quire(quire_bin, tmp_path_factory, "backup")
    try:
        copy = tmp_path / "copy.sqlite"
        result = run(quire_bin, "backup", "--db", str(db), "--to", str(copy))
        assert result.returncode == 0, result.stderr
        assert "integrity check ok" in result.stdout
        original = run(quire_bin, "stats", "--json", "--db", str(db)).stdout
        assert run(quire_bin, "stats", "--json", "--db", str(copy)).stdout == original

        again = run(quire_bin, "backup", "--db", str(db), "--to", str(copy))
        assert again.returncode != 0
        assert "already exists" in again.stderr and "--force" in again.stderr
        forced = run(quire_bin, "backup", "--db", str(db), "--to", str(copy), "--force")
        assert forced.returncode == 0, forced.stderr

        missing = run(quire_bin, "backup", "--db", str(tmp_path / "none.sqlite"), "--to", str(tmp_path / "x.sqlite"))
        assert missing.returncode != 0 and "there is no database" in missing.stderr
        assert not (tmp_path / "x.sqlite").exists()
        postgres = run(quire_bin, "backup", "--db", "postgres://u:p@127.0.0.1:1/q", "--to", str(tmp_path / "y.sqlite"))
        assert postgres.returncode != 0 and "pg_dump" in postgres.stderr
    finally:
        process.terminate()
        process.wait(timeout=10)
