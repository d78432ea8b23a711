#!/usr/bin/env bash
# Benchmark of `quire import` into PostgreSQL (not a test), against SQLite
# and against a baseline binary (the code before, e.g. main's) in the same
# run: same file, one import after the other.
#
#   eval "$(bash scripts/postgres.sh start)"
#   bench/postgres_import_bench.sh [N] [BIN] [BASELINE_BIN]
#       (default N=100000, BIN=.build/release/quire, no baseline)
#
# Generates N papers with bench/gen_snapshot.py if the file is missing (N=200
# uses the shared fixture first200.jsonl instead). For each binary, imports
# them into a fresh SQLite file and into a fresh PostgreSQL database on the
# server of QUIRE_TEST_POSTGRES_URL (made and dropped here), then imports
# the same file again into each (the idempotent, all-"unchanged" path).
# Prints papers/s (wall) for each run, the client's CPU time and, when the
# server is scripts/postgres.sh's (PGTEST_DIR, default /tmp/quire-pgtest),
# the server's CPU time too (the postmaster and all its processes: only
# meaningful when nothing else uses that server meanwhile; give the bench a
# server of its own with PGTEST_DIR=/tmp/x PGTEST_PORT=55439). Then the
# ratios PostgreSQL/SQLite and new/baseline. Papers per CPU-second (client +
# server) says what the machine's cores allow: with the client and the
# server each on a core of their own, at most twice that.
# Environment: BENCH_DIR (default /tmp/quire-bench), PGTEST_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

N="${1:-100000}"
BIN="${2:-.build/release/quire}"
BASE_BIN="${3:-}"
DIR="${BENCH_DIR:-/tmp/quire-bench}"
PGDIR="${PGTEST_DIR:-/tmp/quire-pgtest}"
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

PG_DATABASES=()
cleanup() {
    for name in "${PG_DATABASES[@]}"; do
        psql "$QUIRE_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $name WITH (FORCE)" || true
    done
}
trap cleanup EXIT

# The CPU seconds (user + sys) the PostgreSQL server has used, its ended
# backends included; empty when its postmaster is not ours to read.
server_cpu() {
    python3 - "$PGDIR/data/postmaster.pid" <<'PY'
import os, sys
try:
    root = int(open(sys.argv[1]).readline())
except (OSError, ValueError):
    sys.exit(0)
tick = os.sysconf("SC_CLK_TCK")
def stat(pid):
    try:
        text = open(f"/proc/{pid}/stat").read()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return int(fields[1]), [int(f) for f in fields[11:15]]  # ppid; utime stime cutime cstime
children, total = {}, 0
for name in os.listdir("/proc"):
    if name.isdigit() and (s := stat(int(name))):
        children.setdefault(s[0], []).append(int(name))
todo = [root]
while todo:
    pid = todo.pop()
    if (s := stat(pid)):
        total += sum(s[1]) if pid == root else s[1][0] + s[1][1]
    todo += children.get(pid, [])
print(total / tick)
PY
}

run() { # label binary database -> prints the figures, leaves papers/s and papers/CPU-s in $DIR/rate
    local label=$1 bin=$2 db=$3 start end out server_before server_after
    server_before=$(server_cpu)
    start=$(date +%s.%N)
    out=$(/usr/bin/time -f '%U %S' -o "$DIR/time.txt" "$bin" import --quiet --no-embed --db "$db" --format arxiv-snapshot "$DATA")
    end=$(date +%s.%N)
    server_after=$(server_cpu)
    python3 - "$label" "$N" "$start" "$end" "$(cat "$DIR/time.txt")" "$server_before" "$server_after" "$db" "$DIR/rate" <<'PY'
import sys
label, n, start, end, client, before, after, db, rate_file = sys.argv[1:]
n, wall = int(n), float(end) - float(start)
client = sum(float(x) for x in client.split())
line = f"  {label}: {n} papers in {wall:.2f} s wall = {n / wall:,.0f} papers/s; client CPU {client:.1f} s"
cpu = client
if db.startswith("postgres") and before and after:
    server = float(after) - float(before)
    cpu += server
    line += f", server CPU {server:.1f} s"
line += f" = {n / cpu:,.0f} papers/CPU-s"
print(line)
open(rate_file, "w").write(f"{n / wall} {n / cpu}\n")
PY
    echo "    ($out)" | sed "s|$DATA|FILE|"
}

ratio() { # label a b -> "label: a/b = …x papers/s, …x papers/CPU-s"
    python3 -c "
import sys
label, a, b = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()
print(f'{label} = {float(a[0]) / float(b[0]):.2f}x papers/s, {float(a[1]) / float(b[1]):.2f}x papers/CPU-s')" "$@"
}

bench() { # name binary -> runs the four imports, leaves the rates in R_<name>_<run>
    local name=$1 bin=$2 sqlite="$DIR/pg-bench-$1.sqlite" pg_name="quire_bench_$$_$1"
    rm -f "$sqlite" "$sqlite-wal" "$sqlite-shm"
    psql "$QUIRE_TEST_POSTGRES_URL" -qc "CREATE DATABASE $pg_name"
    PG_DATABASES+=("$pg_name")
    local pg="${QUIRE_TEST_POSTGRES_URL%/*}/$pg_name"
    echo "== $name: $bin, $N papers"
    run "first import,  SQLite    " "$bin" "$sqlite"; printf -v "R_${name}_sqlite1" '%s' "$(cat "$DIR/rate")"
    run "first import,  PostgreSQL" "$bin" "$pg"; printf -v "R_${name}_pg1" '%s' "$(cat "$DIR/rate")"
    run "second import, SQLite    " "$bin" "$sqlite"; printf -v "R_${name}_sqlite2" '%s' "$(cat "$DIR/rate")"
    run "second import, PostgreSQL" "$bin" "$pg"; printf -v "R_${name}_pg2" '%s' "$(cat "$DIR/rate")"
}

[ -n "$BASE_BIN" ] && bench baseline "$BASE_BIN"
bench new "$BIN"
echo "== summary"
ratio "new, first import:  PostgreSQL/SQLite" "$R_new_pg1" "$R_new_sqlite1"
ratio "new, second import: PostgreSQL/SQLite" "$R_new_pg2" "$R_new_sqlite2"
if [ -n "$BASE_BIN" ]; then
    ratio "baseline, first import:  PostgreSQL/SQLite" "$R_baseline_pg1" "$R_baseline_sqlite1"
    ratio "baseline, second import: PostgreSQL/SQLite" "$R_baseline_pg2" "$R_baseline_sqlite2"
    ratio "PostgreSQL, first import:  new/baseline" "$R_new_pg1" "$R_baseline_pg1"
    ratio "PostgreSQL, second import: new/baseline" "$R_new_pg2" "$R_baseline_pg2"
fi
