#!/usr/bin/env python3
"""Writes a synthetic arXiv metadata snapshot (Kaggle JSON-lines format) for
benchmarking `quire import`.

Usage: bench/gen_snapshot.py [N] [OUT]   (default 100000 papers, stdout)

Titles, abstracts and authors are recombined from the real corpora in
../shared (SciFact abstracts, the Daily Papers seed, the snapshot fixture), so
text lengths, TeX accents and line breaks look like the real file. Ids are
new-style yymm.nnnnn over recent months, with 1-4 versions each. Deterministic
(seeded), so two runs write the same file.
"""
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "shared"))

CATEGORIES = [
    "cs.CL", "cs.LG", "cs.CV", "cs.AI", "cs.IR", "cs.RO", "cs.NE", "cs.CR", "cs.DS", "cs.SE",
    "stat.ML", "math.OC", "math.PR", "math.CO", "physics.comp-ph", "q-bio.QM", "q-bio.NC",
    "eess.AS", "eess.IV", "hep-ph", "hep-th", "astro-ph.GA", "cond-mat.mtrl-sci", "quant-ph",
]
LICENSES = [
    None,
    "http://arxiv.org/licenses/nonexclusive-distrib/1.0/",
    "http://creativecommons.org/licenses/by/4.0/",
    "http://creativecommons.org/licenses/by-nc-sa/4.0/",
]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
DAYS_IN = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def load_corpora():
    titles, sentences, authors = [], [], []
    with open(os.path.join(SHARED, "data", "scifact", "corpus.jsonl"), encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d.get("title"):
                titles.append(d["title"].strip())
            sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", d.get("text", "")) if len(s.strip()) > 20]
    with open(os.path.join(SHARED, "data", "seed-papers.jsonl"), encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            titles.append(d["title"].strip())
            sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", d["abstract"]) if len(s.strip()) > 20]
    with open(os.path.join(SHARED, "fixtures", "arxiv-snapshot", "first200.jsonl"), encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            titles.append(" ".join(d["title"].split()))
            for a in d["authors_parsed"]:
                authors.append([a[0], a[1], a[2] if len(a) > 2 else ""])
    # More names: recombine first and last names of the fixture.
    firsts = [a[1] for a in authors if a[1]]
    lasts = [a[0] for a in authors if a[0]]
    return titles, sentences, authors, firsts, lasts


def wrap(text, indent):
    """Hard line breaks at ~80 columns, as in the real snapshot."""
    lines, current, width = [], [], 0
    for word in text.split():
        if current and width + 1 + len(word) > 78:
            lines.append(" ".join(current))
            current, width = [], 0
        width += len(word) + (1 if current else 0)
        current.append(word)
    if current:
        lines.append(" ".join(current))
    return ("\n" + indent).join(lines)


def rfc2822(y, m, d, rng):
    # Weekday of y-m-d (Zeller-free: use Python's calendar arithmetic).
    import datetime
    day = datetime.date(y, m, d)
    return "%s, %d %s %d %02d:%02d:%02d GMT" % (
        DAYS[day.weekday()], d, MONTHS[m - 1], y, rng.randrange(24), rng.randrange(60), rng.randrange(60))


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
    out = open(sys.argv[2], "w", encoding="utf-8") if len(sys.argv) > 2 else sys.stdout
    rng = random.Random(20241025)
    titles, sentences, authors, firsts, lasts = load_corpora()

    # Recent months, newest last: 2023-01 .. 2025-10, numbered within each month.
    months = [(y, m) for y in (2023, 2024, 2025) for m in range(1, 13) if (y, m) <= (2025, 10)]
    per_month = max(1, -(-n // len(months)))
    written = 0
    for (y, m) in months:
        for k in range(per_month):
            if written >= n:
                break
            written += 1
            pid = "%02d%02d.%05d" % (y % 100, m, k + 1)
            a, b = rng.choice(titles), rng.choice(titles)
            words_a, words_b = a.split(), b.split()
            title = " ".join(words_a[: max(2, len(words_a) // 2)] + words_b[len(words_b) // 2:])
            abstract = " ".join(rng.choice(sentences) for _ in range(rng.randint(4, 9)))
            count = rng.choice([1, 2, 3, 3, 4, 5, 6, 8, 12])
            names = []
            for _ in range(count):
                if rng.random() < 0.3:
                    names.append(list(rng.choice(authors)))
                else:
                    names.append([rng.choice(lasts), rng.choice(firsts), ""])
            cats = rng.sample(CATEGORIES, rng.choice([1, 1, 2, 2, 3]))
            nversions = rng.choice([1, 1, 1, 2, 2, 3, 4])
            versions = []
            vy, vm, vd = y, m, rng.randint(1, DAYS_IN[m - 1])
            for v in range(nversions):
                versions.append({"version": "v%d" % (v + 1), "created": rfc2822(vy, vm, vd, rng)})
                vd += rng.randint(1, 40)
                while vd > DAYS_IN[vm - 1]:
                    vd -= DAYS_IN[vm - 1]
                    vm += 1
                    if vm > 12:
                        vm, vy = 1, vy + 1
            record = {
                "id": pid,
                "submitter": " ".join(x for x in (names[0][1], names[0][0]) if x),
                "authors": ", ".join(" ".join(x for x in (f, l, s) if x) for l, f, s in names),
                "title": wrap(title, "  "),
                "comments": rng.choice([None, "%d pages, %d figures" % (rng.randint(4, 40), rng.randint(0, 12)),
                                        "Accepted at NeurIPS 2024", None]),
                "journal-ref": rng.choice([None, None, None, "Phys.Rev.D%d:%06d,%d" % (rng.randint(60, 110), rng.randint(1, 999999), y)]),
                "doi": rng.choice([None, None, "10.%d/%s.%d" % (rng.randint(1000, 9999), pid, rng.randint(1, 99))]),
                "report-no": None,
                "categories": " ".join(cats),
                "license": rng.choice(LICENSES),
                "abstract": "  " + wrap(abstract, "") + "\n",
                "versions": versions,
                "update_date": "%04d-%02d-%02d" % (vy, vm, min(vd, 28)),
                "authors_parsed": names,
            }
            out.write(json.dumps(record, ensure_ascii=True, separators=(",", ":")) + "\n")
    if out is not sys.stdout:
        out.close()
    print("wrote %d papers" % written, file=sys.stderr)


if __name__ == "__main__":
    main()
