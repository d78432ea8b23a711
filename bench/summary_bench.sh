#!/usr/bin/env bash
# Summaries and keyphrases benchmark (not a test): what making them adds to
# embedding, per paper, and 20 examples to read.
#
# The 389 Daily Papers of ../shared/data/seed-papers.jsonl are imported
# without vectors; `quire embed --no-summaries` gives them their vectors
# (the baseline: the model run Quire does anyway), then `quire embed` gives
# them their summaries and keyphrases (reusing each paper's vector). Both in
# the same run, on the same machine, one after the other. Prints ms per
# paper for each and the ratio, and writes 20 examples (title, abstract
# start, summary, keyphrases) to bench/out/summary-examples.md.
#
#   bench/summary_bench.sh
#
# Environment: QUIRE_BIN (default: the debug build; the model code is
# optimised in every build).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${QUIRE_BIN:-$(swift build --show-bin-path)/quire}"
SEED=../shared/data/seed-papers.jsonl
OUT=bench/out
mkdir -p "$OUT"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
DB="$WORK/bench.sqlite"

"$BIN" import --quiet --no-embed --db "$DB" "$SEED" >/dev/null
PAPERS=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from papers").fetchone()[0])' "$DB")

start=$(date +%s.%N)
"$BIN" embed --no-summaries --db "$DB" >/dev/null 2>&1
embedded=$(date +%s.%N)
"$BIN" embed --db "$DB" >/dev/null 2>&1
summarised=$(date +%s.%N)

python3 - "$DB" "$OUT/summary-examples.md" "$PAPERS" "$start" "$embedded" "$summarised" <<'PY'
import json, re, sqlite3, sys
db, out, papers = sys.argv[1], sys.argv[2], int(sys.argv[3])
start, embedded, summarised = map(float, sys.argv[4:7])
embed_ms = (embedded - start) * 1000 / papers
summary_ms = (summarised - embedded) * 1000 / papers
print(f"{papers} papers (seed-papers.jsonl), wall time per paper including process start and model load:")
print(f"  embedding (baseline)          {embed_ms:7.1f} ms/paper")
print(f"  summary + keyphrases          {summary_ms:7.1f} ms/paper  ({summary_ms / embed_ms:.2f}x the embedding)")
rows = sqlite3.connect(db).execute("""
    SELECT p.title, p.abstract, s.summary, s.keyphrases FROM papers p JOIN paper_summaries s ON s.paper_seq = p.seq
    ORDER BY p.seq""").fetchall()
counts = [len(json.loads(r[3])) for r in rows]
print(f"  {len(rows)} summarised; keyphrases per paper: min {min(counts)}, max {max(counts)}, mean {sum(counts) / len(counts):.1f}")
step = max(1, len(rows) // 20)
with open(out, "w", encoding="utf-8") as f:
    f.write("# 20 summaries and keyphrases made by Quire (bench/summary_bench.sh)\n\n")
    for n, (title, abstract, summary, keyphrases) in enumerate(rows[::step][:20], 1):
        start_text = re.sub(r"\s+", " ", abstract)[:200]
        f.write(f"## {n}. {title}\n\n- **Abstract starts:** {start_text}…\n- **Summary:** {summary}\n"
                f"- **Keyphrases:** {', '.join(json.loads(keyphrases))}\n\n")
print(f"  examples: {out}")
PY
