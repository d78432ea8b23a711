#!/usr/bin/env bash
# Benchmark of `quire embed` workers sharing a PostgreSQL backlog (not a
# test): the same N papers embedded by one worker, then by two `quire embed`
# processes at once, in the same run. Prints papers/s (wall) for each and the
# ratio. On one machine two workers share its cores, so the ratio shows what
# the claims cost, not what a second machine adds.
#
#   eval "$(bash scripts/postgres.sh start)"
#   bench/embed_workers_bench.sh [N] [BIN]   (default N=300, BIN=.build/release/quire)
# Environment: BENCH_DIR (default /tmp/quire-bench).
set -euo pipefail
cd "$(dirname "$0")/.."

N="${1:-300}"
BIN="${2:-.build/release/quire}"
DIR="${BENCH_DIR:-/tmp/quire-bench}"
: "${QUIRE_TEST_POSTGRES_URL:?start a server first: eval \"\$(bash scripts/postgres.sh start)\"}"
mkdir -p "$DIR"
DATA="$DIR/snapshot-$N.jsonl"
[ -s "$DATA" ] || python3 bench/gen_snapshot.py "$N" "$DATA"

PG_NAME="quire_embed_bench_$$"
DB="${QUIRE_TEST_POSTGRES_URL%/*}/$PG_NAME"
psql "$QUIRE_TEST_POSTGRES_URL" -qc "CREATE DATABASE $PG_NAME"
trap 'psql "$QUIRE_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $PG_NAME WITH (FORCE)"' EXIT
"$BIN" import --quiet --no-embed --db "$DB" "$DATA" > /dev/null

rate() { python3 -c "import sys; n, s, e = sys.argv[1:]; w = float(e) - float(s); print(f'{w:.1f} s wall = {int(n)/w:.1f} papers/s'); open('$DIR/rate', 'w').write(str(int(n)/w))" "$N" "$1" "$2"; }

echo "== $BIN, $N papers, all-MiniLM-L6-v2, $(nproc) cores"
start=$(date +%s.%N)
"$BIN" embed --db "$DB" --batch-size 32 > /dev/null 2>&1
echo "  one worker:        $(rate "$start" "$(date +%s.%N)")"; ONE=$(cat "$DIR/rate")

psql "$DB" -qc "DELETE FROM paper_embeddings"
start=$(date +%s.%N)
"$BIN" embed --db "$DB" --batch-size 32 > "$DIR/a.out" 2>/dev/null &
"$BIN" embed --db "$DB" --batch-size 32 > "$DIR/b.out" 2>/dev/null &
wait
echo "  two processes:     $(rate "$start" "$(date +%s.%N)")  ($(cat "$DIR/a.out" | tr -d '\n') / $(cat "$DIR/b.out" | tr -d '\n'))"; TWO=$(cat "$DIR/rate")
[ "$(psql "$DB" -Atc "SELECT count(*) FROM paper_embeddings")" = "$N" ] || { echo "not every paper has its vector" >&2; exit 1; }
python3 -c "import sys; print(f'two processes / one worker = {float(sys.argv[2])/float(sys.argv[1]):.2f}x papers/s')" "$ONE" "$TWO"
