"""SIGKILL `quire import` at random points of a 10,000-line import, run the
same import again, and get exactly the database an uninterrupted import makes.

    QUIRE_BIN=.build/debug/quire python3 -m pytest -q tests/e2e/test_import_kill.py

The file is bench/gen_snapshot.py's synthetic arXiv snapshot (seeded, so the
same every run) with a few broken lines mixed in. The kill points are seeded
too (IMPORT_KILL_SEED): one while the database is created, the others a
random moment after a random number of batches are committed, so they land
inside transactions and between them whatever the machine's speed. After
each kill the stored papers must be whole batches, each paper exactly as the
uninterrupted import stores it.

Compared: every table, row for row, including the row keys (papers.seq,
authors.id, organizations.id, paper_text_changes.change) and the full-text
index's content term by term. Not compared, because they legitimately differ:
papers.created_at and papers.modified_at (when the run that wrote the row
happened), schema_migrations.applied_at (when the database was created), and
the FTS5 index's raw b-tree pages (papers_fts_data, papers_fts_idx: their
layout depends on which transactions wrote them; their content is compared
through fts5vocab instead, and FTS5's own integrity-check must pass).
"""
import hashlib
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
GENERATOR = os.path.join(REPO, "bench", "gen_snapshot.py")
LINES = 10_000
KILLS = 5
BATCH = 500  # papers per transaction (--batch-size): several batches in LINES, so kills land between and inside them

IGNORED_COLUMNS = {
    "papers": {"created_at", "modified_at"},
    "schema_migrations": {"applied_at"},
}
# FTS5's b-tree pages; compared by content through fts5vocab instead.
PHYSICAL_TABLES = {"papers_fts_data", "papers_fts_idx"}


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    """10,000 lines: the synthetic snapshot, one line in 997 replaced by a broken one."""
    folder = tmp_path_factory.mktemp("import-kill")
    clean = folder / "clean.jsonl"
    subprocess.run([sys.executable, GENERATOR, str(LINES), str(clean)], check=True, capture_output=True)
    lines = clean.read_text(encoding="utf-8").splitlines(keepends=True)
    assert len(lines) == LINES
    for k in range(500, LINES, 997):
        lines[k] = lines[k][: len(lines[k]) // 2] + "\n"  # cut mid-record: truncated JSON
    path = folder / "snapshot.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    return str(path)


def import_args(db, path):
    return [QUIRE_BIN, "import", "--db", db, "--no-embed", "--quiet", "--batch-size", str(BATCH), path]


def dump(db):
    """Every table as sorted rows (less the ignored columns), the full-text
    index as a digest of its (term, paper, column, offset) instances."""
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        con.execute("INSERT INTO papers_fts(papers_fts) VALUES ('integrity-check')")
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name")]
        out = {}
        for table in tables:
            if table in PHYSICAL_TABLES:
                continue
            columns = [r[1] for r in con.execute("PRAGMA table_info(%s)" % table)
                       if r[1] not in IGNORED_COLUMNS.get(table, ())]
            listed = ", ".join('"%s"' % c for c in columns)
            out[table] = (columns, con.execute('SELECT %s FROM "%s" ORDER BY %s' % (listed, table, listed)).fetchall())
        con.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab('main', 'papers_fts', 'instance')")
        digest = hashlib.sha256()
        instances = 0
        for row in con.execute("SELECT term, doc, col, offset FROM temp.vocab ORDER BY term, doc, col, offset"):
            digest.update(repr(row).encode())
            instances += 1
        out["papers_fts (instances)"] = (instances, digest.hexdigest())
        return out
    finally:
        con.close()


def papers_by_id(db):
    con = sqlite3.connect(db)
    try:
        columns = [r[1] for r in con.execute("PRAGMA table_info(papers)") if r[1] not in IGNORED_COLUMNS["papers"]]
        if not columns:
            return {}  # killed before the schema was committed: an empty file, nothing half-made
        rows = con.execute("SELECT %s FROM papers" % ", ".join(columns)).fetchall()
        at = columns.index("id")
        return {row[at]: row for row in rows}
    finally:
        con.close()


def stored_count(db):
    """Papers committed so far, read beside the running import (WAL lets it)."""
    if not os.path.exists(db):
        return 0
    try:
        con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=1)
        try:
            return con.execute("SELECT count(*) FROM papers").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return 0  # not created or migrated yet


def kill_after(db, snapshot, papers, delay):
    """Starts the import and SIGKILLs it `delay` seconds after `papers` papers
    are committed: inside the next batch's transaction, or between two.
    Returns whether the kill landed before the import finished."""
    process = subprocess.Popen(import_args(db, snapshot), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while process.poll() is None and stored_count(db) < papers:
        time.sleep(0.02)
    time.sleep(delay)
    landed = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait()
    return landed


def test_import_killed_at_random_points_then_rerun_makes_the_same_database(snapshot, tmp_path):
    started = time.monotonic()
    broken = len(range(500, LINES, 997))
    total = LINES - broken
    # The uninterrupted import runs beside the interrupted ones.
    reference = str(tmp_path / "reference.sqlite")
    uninterrupted = subprocess.Popen(import_args(reference, snapshot), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    interrupted = str(tmp_path / "interrupted.sqlite")
    rng = random.Random(int(os.environ.get("IMPORT_KILL_SEED", "11")))
    # One kill while the database is being created or the first batch
    # written, the others after a random number of batches, each a random
    # moment into the next one.
    plan = [(0, rng.uniform(0.0, 0.3))] + [(n * BATCH, rng.uniform(0.0, 0.3))
                                          for n in sorted(rng.sample(range(1, total // BATCH), KILLS - 1))]
    stored_after_kill = []  # (papers committed, the rows) after each kill
    for papers, delay in plan:
        assert kill_after(interrupted, snapshot, papers, delay), "the import finished before kill %d" % len(stored_after_kill)
        stored_after_kill.append(papers_by_id(interrupted) if os.path.exists(interrupted) else {})

    final = subprocess.run(import_args(interrupted, snapshot), capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr
    out, err = uninterrupted.communicate(timeout=300)
    assert uninterrupted.returncode == 0, err
    assert err.count("truncated JSON") == broken
    reference_papers = papers_by_id(reference)
    assert len(reference_papers) == total

    # Whole batches or nothing after every kill: each stored paper is the
    # one the uninterrupted import stores, and their number is whole batches.
    for stored in stored_after_kill:
        assert len(stored) % BATCH == 0, len(stored)
        for paper_id, row in stored.items():
            assert row == reference_papers[paper_id], paper_id
    counts = [len(stored) for stored in stored_after_kill]
    assert any(0 < n < total for n in counts), counts

    expected, got = dump(reference), dump(interrupted)
    assert sorted(got) == sorted(expected)
    for table in expected:
        assert got[table] == expected[table], "table %s differs after kills with %s papers stored" % (table, counts)
    rows = sum(v[0] if table.endswith("(instances)") else len(v[1]) for table, v in expected.items())
    print("\n%d lines, %d kills (papers stored after each: %s), %d rows compared, %.1f s" % (
        LINES, len(plan), counts, rows, time.monotonic() - started))
