"""`quire embed` workers sharing a backlog on PostgreSQL: two processes on a
2,000-paper backlog embed every paper exactly once, even when one is killed
mid-batch (its claimed batch is taken over when the lease runs out, not
before). Uses the real model, like the other embed tests; summaries are left
out (`--no-summaries`), as they are not shared work. QUIRE_E2E_EMBED_BACKLOG
sets another size. The test prints how long the two workers took.

    eval "$(bash scripts/postgres.sh start)"
    QUIRE_BIN=.build/debug/quire python3 -m pytest -q tests/e2e/test_embed_workers.py
"""
import os
import pathlib
import re
import signal
import subprocess
import sys
import time

import pytest

from conftest import REPO
from test_db_address import postgres_db, psql, quire  # noqa: F401 (the fixture)

BACKLOG = int(os.environ.get("QUIRE_E2E_EMBED_BACKLOG", "2000"))
LEASE = 10


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    path = tmp_path_factory.mktemp("embed-workers") / f"snapshot-{BACKLOG}.jsonl"
    subprocess.run([sys.executable, str(REPO / "bench/gen_snapshot.py"), str(BACKLOG), str(path)], check=True)
    return path


def start_worker(quire_bin, db, log):
    return subprocess.Popen([quire_bin, "embed", "--no-summaries", "--db", db, "--batch-size", "16", "--lease", str(LEASE)],
                            stdout=subprocess.PIPE, stderr=log, text=True)


def cpu_seconds(pid):
    """CPU time (user and system) a process has used so far, from /proc; 0 once it is gone."""
    try:
        fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def embedded_by(process, seconds=1800):
    """Waits for a worker; returns the papers it says it stored ("embedded N
    papers in S s") and the CPU time it used (read until it ends: the wall
    time says little on a machine shared with other work)."""
    deadline, cpu = time.time() + seconds, 0
    while time.time() < deadline:
        cpu = cpu_seconds(process.pid) or cpu
        if process.poll() is not None:
            break
        time.sleep(0.2)
    out, _ = process.communicate(timeout=10)
    assert process.returncode == 0, out
    return int(out.split("embedded ", 1)[1].split(" ", 1)[0]), cpu


def reported_by(log):
    """The papers a worker's progress line last said it stored ("embedded N papers (R/s) …", standard error)."""
    counts = re.findall(r"embedded (\d+) papers \(", log.read_text())
    return int(counts[-1]) if counts else 0


def vector_inserts(db):
    """Rows inserted into and written over in paper_embeddings (an ON CONFLICT
    update: a paper stored twice). A backend's counters reach pg_stat when it ends."""
    for _ in range(50):
        inserted, updated = map(int, psql(db, "SELECT n_tup_ins, n_tup_upd FROM pg_stat_user_tables WHERE relname = 'paper_embeddings'").split("|"))
        if inserted >= BACKLOG:
            return inserted, updated
        time.sleep(0.2)
    raise AssertionError(f"the statistics show {inserted} vectors inserted, not {BACKLOG}")


def kill_mid_batch(db, a, b, a_log):
    """Kills worker "a" once it has stored a batch, while it holds a claim it
    has not stored ("b" need not have stored yet: on a loaded machine it may
    lose its first claims to "a", and it stores the dead worker's batch
    anyway); returns the claimed papers, when their lease ends and the CPU
    time "a" had used."""
    deadline = time.time() + 1200
    while time.time() < deadline:
        assert a.poll() is None and b.poll() is None, "a worker ended before the kill"
        if reported_by(a_log) > 0:
            # Held still, and a moment for a store it had already sent to land:
            # what it holds now is what it dies with.
            a.send_signal(signal.SIGSTOP)
            time.sleep(0.5)
            held = psql(db, f"SELECT paper_seq FROM embedding_claims WHERE worker LIKE '%:{a.pid}:%' ORDER BY 1").split()
            until = psql(db, f"SELECT min(expires_at) FROM embedding_claims WHERE worker LIKE '%:{a.pid}:%'")
            if held:
                cpu = cpu_seconds(a.pid)
                a.send_signal(signal.SIGKILL)
                a.wait(timeout=30)
                return held, until, cpu
            a.send_signal(signal.SIGCONT)  # between batches: let it claim the next one
        time.sleep(0.2)
    raise AssertionError("worker a never stored a batch")


def watch_takeover(db, held, until, b):
    """Polls until the dead worker's papers are stored: none may be before its lease ends."""
    seqs = ",".join(held)
    deadline = time.time() + 600
    while time.time() < deadline:
        stored, leased = psql(db, f"SELECT count(*), now() < '{until}'::timestamptz FROM paper_embeddings WHERE paper_seq IN ({seqs})").split("|")
        assert leased == "f" or stored == "0", f"{stored} of the dead worker's papers stored before its lease ended"
        if int(stored) == len(held):
            return
        assert b.poll() is None, "worker b ended without taking over the dead worker's batch"
        time.sleep(0.2)
    raise AssertionError("the dead worker's batch was never taken over")


def test_two_workers_embed_each_paper_once_even_when_one_is_killed(quire_bin, postgres_db, snapshot, tmp_path, capsys):
    imported = quire(quire_bin, "import", "--no-embed", "--quiet", "--db", postgres_db, str(snapshot))
    assert imported.returncode == 0 and f"inserted {BACKLOG}" in imported.stdout, imported.stderr
    started = time.monotonic()
    with open(tmp_path / "a.log", "w") as log_a, open(tmp_path / "b.log", "w") as log_b:
        a = start_worker(quire_bin, postgres_db, log_a)
        b = start_worker(quire_bin, postgres_db, log_b)
        try:
            held, until, cpu_a = kill_mid_batch(postgres_db, a, b, tmp_path / "a.log")
            killed_at = time.monotonic() - started
            # "b" waits for the lease of "a"'s batch to run out, then embeds it.
            watch_takeover(postgres_db, held, until, b)
            by_b, cpu_b = embedded_by(b)
        finally:
            for process in (a, b):
                if process.poll() is None:
                    process.kill()
    took = time.monotonic() - started
    by_a = reported_by(tmp_path / "a.log")
    # Every paper has exactly one vector (paper_seq is the key), and nothing is claimed any more.
    assert psql(postgres_db, "SELECT count(*) FROM paper_embeddings") == str(BACKLOG)
    assert psql(postgres_db, "SELECT count(*) FROM papers p WHERE NOT EXISTS (SELECT 1 FROM paper_embeddings e WHERE e.paper_seq = p.seq)") == "0"
    assert psql(postgres_db, "SELECT count(*) FROM embedding_claims") == "0"
    # Exactly once: the stores the workers report add up to the backlog, and none wrote a vector over another.
    assert 0 < by_a < BACKLOG and 0 < by_b < BACKLOG and by_a + by_b == BACKLOG, (by_a, by_b)
    inserted, updated = vector_inserts(postgres_db)
    assert updated == 0, f"{updated} vectors written twice"
    with capsys.disabled():
        print(f"\n  {BACKLOG} papers embedded by two workers in {took:.0f} s ({BACKLOG / took:.1f} papers/s): "
              f"{by_a} by a (killed at {killed_at:.0f} s holding {len(held)}), {by_b} by b; "
              f"{cpu_a + cpu_b:.0f} CPU s in all, {1000 * (cpu_a + cpu_b) / BACKLOG:.0f} ms a paper")
    # Nothing left: a new worker finds no work and says so at once.
    again = quire(quire_bin, "embed", "--no-summaries", "--db", postgres_db)
    assert again.returncode == 0 and "embedded 0 papers" in again.stdout, again.stderr


def test_workers_need_postgres(quire_bin, tmp_path):
    refused = quire(quire_bin, "embed", "--db", str(tmp_path / "one.sqlite"), "--workers", "2")
    assert refused.returncode == 64 and "several need PostgreSQL" in refused.stderr, refused.stderr
    bad = quire(quire_bin, "embed", "--db", str(tmp_path / "one.sqlite"), "--lease", "1")
    assert bad.returncode == 64 and "--lease must be" in bad.stderr
