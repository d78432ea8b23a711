#!/usr/bin/env bash
# Benchmark of `quire import` into PostgreSQL (not a test), against SQLite
# in the same run: same binary, same file, one after the other.
#
#   eval "$(bash scripts/postgres.sh start)"
#   bench/postgres_import_bench.sh [N] [BIN]   (default N=2000, BIN=.build/release/quire)
#
# Generates N papers with bench/gen_snapshot.py if the file is missing (N=200
# uses the shared fixture first200.jsonl instead), imports them into a fresh
# SQLite file and into a fresh PostgreSQL database on the server of
# QUIRE_TEST_POSTGRES_URL (made and dropped here), then imports the same file
# again into each (the idempotent, all-"unchanged" path). Prints papers/s
# (wall) for each run and the ratios PostgreSQL/SQLite. PostgreSQL's own CPU
# is not in the client's, so only wall time compares the two.
# Environment: BENCH_DIR (default /tmp/quire-bench).
set -euo pipefail
cd "$(dirname "$0")/.."

N="${1:-2000}"
BIN="${2:-.build/release/quire}"
DIR="${BENCH_DIR:-/tmp/quire-bench}"
: "${QUIRE_TEST_POSTGRES_URL:?start a server first: eval \"\$(bash scripts/postgres.sh start)\"}"
mkdir -p "$DIR"

if [ "$N" = 200 ]; then
    DATA="$(cd .. && pwd)/shared/fixtures/arxiv-snapshot/first200.jsonl"
else
    DATA="$DIR/snapshot-$N.jsonl"
    if [ ! -s "$DATA" ]; then
        echo "generating $N papers into $DATA" >&2
        python3 bench/gen_snapshot.py "$N" "$DATA.tmp" && mv "$DATA.tmp" "$DATA"
    fi
fi

SQLITE_DB="$DIR/pg-bench.sqlite"
PG_NAME="quire_bench_$$"
PG_DB="${QUIRE_TEST_POSTGRES_URL%/*}/$PG_NAME"
rm -f "$SQLITE_DB" "$SQLITE_DB-wal" "$SQLITE_DB-shm"
psql "$QUIRE_TEST_POSTGRES_URL" -qc "CREATE DATABASE $PG_NAME"
trap 'psql "$QUIRE_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $PG_NAME WITH (FORCE)"' EXIT

run() { # label database -> prints the figure, leaves papers/s in $DIR/rate
    local label=$1 db=$2 start end out
    start=$(date +%s.%N)
    out=$("$BIN" import --quiet --no-embed --db "$db" --format arxiv-snapshot "$DATA")
    end=$(date +%s.%N)
    python3 - "$label" "$N" "$start" "$end" "$DIR/rate" <<'PY'
import sys
label, n, start, end, rate_file = sys.argv[1:]
wall = float(end) - float(start)
print(f"  {label}: {n} papers in {wall:.2f} s wall = {int(n)/wall:,.0f} papers/s")
open(rate_file, "w").write(f"{int(n)/wall}\n")
PY
    echo "    ($out)" | sed "s|$DATA|FILE|"
}

ratio() { python3 -c "import sys; print(f'{sys.argv[1]}: PostgreSQL/SQLite = {float(sys.argv[2])/float(sys.argv[3]):.2f}x papers/s')" "$@"; }

echo "== $BIN, $N papers"
echo "== first import (all inserted)"
run "SQLite    " "$SQLITE_DB"; SQ1=$(cat "$DIR/rate")
run "PostgreSQL" "$PG_DB"; PG1=$(cat "$DIR/rate")
echo "== second import (all unchanged)"
run "SQLite    " "$SQLITE_DB"; SQ2=$(cat "$DIR/rate")
run "PostgreSQL" "$PG_DB"; PG2=$(cat "$DIR/rate")
echo "== summary"
ratio "first import " "$PG1" "$SQ1"
ratio "second import" "$PG2" "$SQ2"
