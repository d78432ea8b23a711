#!/usr/bin/env bash
# Search latency benchmark (not a test): builds SearchBenchmark in release and
# runs it on synthetic databases of 10,000, 100,000 and 1,000,000 papers, made
# on first use with bench/gen_snapshot.py and `quire import --no-embed` (the
# million takes about 20 minutes and 3 GB of disk, and the run about 4 GB of memory).
#
#   bench/search_bench.sh [--queries N] [--budget N] [--skip-1m]
#
# Prints, for 10k / 100k / 1M papers: the vector search (exact sgemv baseline
# and the 8-bit scan with float32 rescoring, with recall@10/@100 and memory),
# then per database the hybrid search and its parts (embedding; keyword BM25 by
# FTS5 exact, FTS5 budgeted and the in-memory index; vector exact and 8-bit;
# whole search baseline and new), wall and CPU milliseconds, p50 and p95, and
# the keyword index's load time and memory. See Sources/SearchBenchmark/main.swift.
set -euo pipefail
cd "$(dirname "$0")/.."

QUERIES=200
BUDGET=2000
SKIP_1M=0
while [ $# -gt 0 ]; do
  case "$1" in
    --queries) QUERIES="$2"; shift 2 ;;
    --budget) BUDGET="$2"; shift 2 ;;
    --skip-1m) SKIP_1M=1; shift ;;
    *) echo "usage: $0 [--queries N] [--budget N] [--skip-1m]" >&2; exit 2 ;;
  esac
done

SCRATCH=${SCRATCH:-.build-search}
DATA=${QUIRE_BENCH_DIR:-/tmp/quire-bench-search}
mkdir -p "$DATA"
swift build -c release --scratch-path "$SCRATCH" --product quire >/dev/null
swift build -c release --scratch-path "$SCRATCH" --product SearchBenchmark >/dev/null
BIN="$SCRATCH/release"

database() { # N -> path of a database of N synthetic papers
  local n=$1 db="$DATA/bench-$1.sqlite"
  if [ ! -f "$db" ]; then
    python3 bench/gen_snapshot.py "$n" "$DATA/snapshot-$n.jsonl"
    "$BIN/quire" import --db "$db" --no-embed --quiet "$DATA/snapshot-$n.jsonl" >&2
  fi
  echo "$db"
}

"$BIN/SearchBenchmark" --sizes 10000,100000,1000000 --queries "$QUERIES" --budget "$BUDGET" \
  --db "$(database 10000)" --db "$(database 100000)"
if [ "$SKIP_1M" = 0 ]; then
  # FTS5's exact BM25 (the baseline) takes seconds per query at a million papers: fewer queries.
  "$BIN/SearchBenchmark" --sizes "" --queries $(( QUERIES / 4 )) --budget "$BUDGET" --db "$(database 1000000)"
fi
