"""Papers on the daily list of today and of long ago, for tests of what a
digest's window holds: real Hugging Face papers (../shared/data/seed-papers.jsonl)
in Quire's own import format, imported and embedded into a test database."""
import datetime
import json
import pathlib
import subprocess

from conftest import SHARED

DATED = 40
OLD_DAYS = 12


def dated_papers(folder: pathlib.Path) -> tuple[pathlib.Path, set[str], set[str]]:
    """A Quire JSONL of real papers (no upvotes), alternately listed today and
    `OLD_DAYS` days ago; its path and the ids of each half."""
    today = datetime.datetime.now(datetime.timezone.utc).date()
    old = today - datetime.timedelta(days=OLD_DAYS)
    lines = (SHARED / "data/seed-papers.jsonl").read_text().splitlines()[:DATED]
    fresh, stale, out = set(), set(), []
    for n, line in enumerate(lines):
        record = json.loads(line)
        paper_id = f"seed-{n:03d}"
        (fresh if n % 2 == 0 else stale).add(paper_id)
        # Authors made up (the source has none), seven of them, so lists and mutes by author have some.
        out.append(json.dumps({"id": paper_id, "title": record["title"], "abstract": record["abstract"],
                               "authors": [f"Seed Author {'ABCDEFG'[n % 7]}"],
                               "published": (today if n % 2 == 0 else old).isoformat()}))
    path = folder / "dated.jsonl"
    path.write_text("\n".join(out) + "\n")
    return path, fresh, stale


def add_dated_papers(quire_bin: str, db: pathlib.Path, folder: pathlib.Path) -> tuple[set[str], set[str]]:
    """Imports `dated_papers` into `db` and embeds them: the ids listed today and those listed long ago."""
    source, fresh, stale = dated_papers(folder)
    subprocess.run([quire_bin, "import", "--db", str(db), str(source)], check=True, capture_output=True)
    subprocess.run([quire_bin, "embed", "--db", str(db)], check=True, capture_output=True)
    return fresh, stale
