"""Kill -9 in the middle of a harvest, run it again, and get exactly the
database an uninterrupted run gives: no duplicate, no gap.

    QUIRE_BIN=.build/debug/quire python3 -m pytest tests/e2e/test_harvest_kill.py

The harvests run against tests/fixture_server.py, which answers every request
after a delay so that the kills land between and during page writes.
"""
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from conftest import QUIRE_BIN

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERVER = os.path.join(REPO, "tests", "fixture_server.py")
FIXTURES = os.path.normpath(os.path.join(REPO, "..", "shared", "fixtures"))


@pytest.fixture(scope="module")
def server():
    proc = subprocess.Popen([sys.executable, SERVER, "--port", "0", "--fixtures", FIXTURES, "--exit-on-stdin-eof"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline().strip()
    assert line.startswith("PORT "), "fixture server did not start: %r" % line
    yield "http://127.0.0.1:%s" % line.split()[1]
    proc.kill()
    proc.wait()


def dump(db):
    """The stored papers (all columns but the row key and write times), their
    authors and categories, and the checkpoints, as sorted rows."""
    con = sqlite3.connect(db)
    try:
        columns = [r[1] for r in con.execute("PRAGMA table_info(papers)")
                   if r[1] not in ("seq", "created_at", "modified_at")]
        papers = con.execute("SELECT %s FROM papers ORDER BY id" % ", ".join(columns)).fetchall()
        authors = con.execute("""SELECT p.id, pa.position, a.name FROM paper_authors pa
                                 JOIN papers p ON p.seq = pa.paper_seq JOIN authors a ON a.id = pa.author_id
                                 ORDER BY p.id, pa.position""").fetchall()
        categories = con.execute("""SELECT p.id, pc.position, pc.category FROM paper_categories pc
                                    JOIN papers p ON p.seq = pc.paper_seq ORDER BY p.id, pc.position""").fetchall()
        checkpoints = con.execute("SELECT key, value FROM checkpoints ORDER BY key").fetchall()
        ids = [r[0] for r in con.execute("SELECT id FROM papers")]
        assert len(ids) == len(set(ids)), "duplicate paper ids"
        return {"columns": columns, "papers": papers, "authors": authors,
                "categories": categories, "checkpoints": checkpoints}
    finally:
        con.close()


def run(args, db):
    return subprocess.run([QUIRE_BIN, "ingest"] + args + ["--db", db, "--interval", "0", "--backoff", "0.1"],
                          capture_output=True, text=True, timeout=120)


def killed_then_finished(args, db, kills, window):
    """Starts the harvest `kills` times, each killed with SIGKILL after a random
    moment in `window`, then runs it to the end. Returns the resumed runs' stderr."""
    rng = random.Random(int(os.environ.get("HARVEST_KILL_SEED", "7")))
    for _ in range(kills):
        proc = subprocess.Popen([QUIRE_BIN, "ingest"] + args + ["--db", db, "--interval", "0", "--backoff", "0.1"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(*window))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    final = run(args, db)
    assert final.returncode == 0, final.stderr
    return final.stderr


def check(tmp_path, args, kills, window, expected):
    reference = str(tmp_path / "reference.sqlite")
    first = run(args, reference)
    assert first.returncode == 0, first.stderr
    ref = dump(reference)
    assert len(ref["papers"]) == expected

    interrupted = str(tmp_path / "interrupted.sqlite")
    stderr = killed_then_finished(args, interrupted, kills, window)
    got = dump(interrupted)
    assert got["columns"] == ref["columns"]
    assert len(got["papers"]) == expected
    assert got["papers"] == ref["papers"]
    assert got["authors"] == ref["authors"]
    assert got["categories"] == ref["categories"]
    assert got["checkpoints"] == ref["checkpoints"]
    return stderr


def test_oai_killed_mid_run_resumes_without_duplicates_or_gaps(server, tmp_path):
    # 19 records, 2 a page: 10 pages of 0.25 s each.
    args = ["oai", "--oai-url", server + "/x/pagesize=2,delay=0.25/oai"]
    stderr = check(tmp_path, args, kills=3, window=(0.6, 1.8), expected=19)
    assert "resum" in stderr or "fetched" in stderr


def test_arxiv_paging_killed_mid_run_resumes_without_duplicates_or_gaps(server, tmp_path):
    # 100 results, 10 a page: 10 pages of 0.25 s each.
    args = ["arxiv", "--categories", "cs.SE,cs.LG", "--from", "2022-01-01", "--until", "2022-12-31",
            "--page-size", "10", "--arxiv-api-url", server + "/x/delay=0.25/api/query"]
    check(tmp_path, args, kills=3, window=(0.6, 1.8), expected=100)
