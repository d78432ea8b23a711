"""`quire serve` stops promptly on SIGTERM even while it is busy embedding a
backlog of papers (the embedding worker checks between small batches), keeps
what it embedded, and a restart carries on from there."""
import signal
import sqlite3
import subprocess
import sys
import time

from conftest import REPO, free_port, wait_for


def embedded(db):
    with sqlite3.connect(db) as connection:
        return connection.execute("SELECT count(*) FROM paper_embeddings").fetchone()[0]


def test_sigterm_while_embedding_a_backlog(quire_bin, tmp_path):
    # 600 papers without vectors: about 30 s of embedding on two cores.
    snapshot = tmp_path / "snapshot.jsonl"
    subprocess.run([sys.executable, str(REPO / "bench/gen_snapshot.py"), "600", str(snapshot)], check=True, capture_output=True)
    db = tmp_path / "quire.sqlite"
    subprocess.run([quire_bin, "import", "--db", str(db), "--no-embed", "--quiet", str(snapshot)], check=True, capture_output=True)
    log_path = tmp_path / "serve.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen([quire_bin, "serve", "--db", str(db), "--port", str(free_port()), "--no-digests"],
                                   stdout=log, stderr=log)
    try:
        deadline = time.time() + 60
        while embedded(db) == 0 and time.time() < deadline:  # the worker is into the backlog
            assert process.poll() is None, log_path.read_text()
            time.sleep(0.2)
        assert embedded(db) > 0, log_path.read_text()
        before = embedded(db)
        process.send_signal(signal.SIGTERM)
        # Generous: how long one batch takes depends on the machine's load.
        code = process.wait(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert code == 0, log_path.read_text()
    # It stopped after the batch in progress (and at most one more that ended
    # between reading `before` and the signal), not after the whole backlog.
    # Counted in batches, not seconds: the test holds on a loaded machine too.
    assert embedded(db) <= before + 2 * 64, f"{embedded(db)} embedded, {before} when asked to stop"
    kept = embedded(db)
    assert 0 < kept < 600, "stopped part-way, with the finished batches stored"
