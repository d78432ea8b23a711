#!/usr/bin/env bash
# Benchmark of `quire import` on a synthetic arXiv snapshot (not a test).
#
#   bench/import_bench.sh [N]        (default N=100000)
#
# Generates N papers with bench/gen_snapshot.py if the file is missing, builds
# the release binary, imports into a fresh database, then imports the same file
# again (the idempotent, all-"unchanged" path), and prints papers/s for both.
# Environment: BENCH_DIR (default /tmp/quire-bench), SCRATCH (default .build-ingest).
set -euo pipefail
cd "$(dirname "$0")/.."

N="${1:-100000}"
DIR="${BENCH_DIR:-/tmp/quire-bench}"
SCRATCH="${SCRATCH:-.build}"
DATA="$DIR/snapshot-$N.jsonl"
DB="$DIR/bench.sqlite"
mkdir -p "$DIR"

if [ ! -s "$DATA" ]; then
    echo "generating $N papers into $DATA" >&2
    python3 bench/gen_snapshot.py "$N" "$DATA.tmp" && mv "$DATA.tmp" "$DATA"
fi

swift build -c release --scratch-path "$SCRATCH" --product quire >&2
BIN="$SCRATCH/release/quire"

rm -f "$DB" "$DB-wal" "$DB-shm"

run() { # label
    local start end out
    start=$(date +%s.%N)
    out=$( { /usr/bin/time -f '%U %S %M' "$BIN" import --quiet --no-embed --db "$DB" --format arxiv-snapshot "$DATA" 2>"$DIR/time.txt"; } )
    end=$(date +%s.%N)
    echo "$out"
    read -r user sys maxrss < <(tail -1 "$DIR/time.txt")
    python3 - "$1" "$N" "$start" "$end" "$user" "$sys" "$maxrss" <<'PY'
import sys
label, n, start, end, user, sys_, rss = sys.argv[1:]
wall = float(end) - float(start)
cpu = float(user) + float(sys_)
print(f"{label}: {n} papers in {wall:.1f} s wall = {int(n)/wall:,.0f} papers/s "
      f"(CPU {cpu:.1f} s = {int(n)/cpu:,.0f} papers/CPU-s; max RSS {int(rss)/1024:.0f} MiB)")
PY
}

echo "== first import (all inserted)"
run "first import"
echo "== second import (all unchanged)"
run "second import"
ls -la "$DB" | awk '{print "database size: " $5/1048576 " MiB"}'
