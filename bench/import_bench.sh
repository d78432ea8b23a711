#!/usr/bin/env bash
# Benchmark of `quire import` on a synthetic arXiv snapshot (not a test),
# against the previous release in the same run.
#
#   bench/import_bench.sh [N]        (default N=100000)
#
# Generates N papers with bench/gen_snapshot.py if the file is missing, builds
# the release binary of this checkout and of the baseline release (git tag
# BASELINE, default v0.1.0, checked out in a worktree of its own), then for
# each binary imports into a fresh database and imports the same file again
# (the idempotent, all-"unchanged" path). Prints papers/s (wall) and papers
# per CPU-second (user + sys) for each run, and the ratios new/baseline of
# both: on a machine shared with other work the wall time also measures the
# others' load, the CPU time much less so.
# Environment: BENCH_DIR (default /tmp/quire-bench), SCRATCH (default .build),
# BASELINE (default v0.1.0). The baseline binary is kept in BENCH_DIR, named
# by its commit, and reused while the tag names that commit.
set -euo pipefail
cd "$(dirname "$0")/.."

N="${1:-100000}"
DIR="${BENCH_DIR:-/tmp/quire-bench}"
SCRATCH="${SCRATCH:-.build}"
BASELINE="${BASELINE:-v0.1.0}"
DATA="$DIR/snapshot-$N.jsonl"
BASE_SRC="$DIR/baseline-src"
BASE_SCRATCH="$DIR/baseline-build"
mkdir -p "$DIR"

if [ ! -s "$DATA" ]; then
    echo "generating $N papers into $DATA" >&2
    python3 bench/gen_snapshot.py "$N" "$DATA.tmp" && mv "$DATA.tmp" "$DATA"
fi

# Both release builds at once (each is slow cold). The baseline's binary is
# kept as $DIR/quire-<commit> and only built when missing, from a detached
# worktree at the tag's commit.
BASE_COMMIT=$(git rev-parse "$BASELINE^{commit}")
BASE_BIN="$DIR/quire-$BASE_COMMIT"
build_baseline() {
    [ -x "$BASE_BIN" ] && return 0
    git worktree prune
    if [ -e "$BASE_SRC/.git" ]; then
        git -C "$BASE_SRC" checkout --quiet --detach "$BASE_COMMIT"
    else
        git worktree add --detach "$BASE_SRC" "$BASE_COMMIT" >&2
    fi
    (cd "$BASE_SRC" && swift build -c release --scratch-path "$BASE_SCRATCH" --product quire) >"$DIR/baseline-build.log" 2>&1
    cp "$BASE_SCRATCH/release/quire" "$BASE_BIN"
}
build_baseline &
BASE_BUILD=$!
swift build -c release --scratch-path "$SCRATCH" --product quire >&2
if ! wait "$BASE_BUILD"; then
    echo "baseline build failed; see $DIR/baseline-build.log" >&2
    exit 1
fi
NEW_BIN="$SCRATCH/release/quire"

run() { # label binary database -> prints the figures, leaves papers/s in $DIR/rate and papers/CPU-s in $DIR/cpurate
    local label=$1 bin=$2 db=$3 start end out
    start=$(date +%s.%N)
    out=$( { /usr/bin/time -f '%U %S %M' "$bin" import --quiet --no-embed --db "$db" --format arxiv-snapshot "$DATA" 2>"$DIR/time.txt"; } )
    end=$(date +%s.%N)
    echo "  $out"
    read -r user sys maxrss < <(tail -1 "$DIR/time.txt")
    python3 - "$label" "$N" "$start" "$end" "$user" "$sys" "$maxrss" "$DIR/rate" "$DIR/cpurate" <<'PY'
import sys
label, n, start, end, user, sys_, rss, rate_file, cpu_rate_file = sys.argv[1:]
wall = float(end) - float(start)
cpu = float(user) + float(sys_)
print(f"  {label}: {n} papers in {wall:.1f} s wall = {int(n)/wall:,.0f} papers/s "
      f"(CPU {cpu:.1f} s = {int(n)/cpu:,.0f} papers/CPU-s; max RSS {int(rss)/1024:.0f} MiB)")
open(rate_file, "w").write(f"{int(n)/wall}\n")
open(cpu_rate_file, "w").write(f"{int(n)/cpu}\n")
PY
}

ratio() { # label new baseline new-per-CPU-s baseline-per-CPU-s
    python3 -c "import sys; a = sys.argv; print(f'{a[1]}: new/baseline = {float(a[2])/float(a[3]):.2f}x papers/s, {float(a[4])/float(a[5]):.2f}x papers/CPU-s')" "$@"
}

BASE_DB="$DIR/baseline.sqlite"
NEW_DB="$DIR/new.sqlite"
rm -f "$BASE_DB" "$BASE_DB-wal" "$BASE_DB-shm" "$NEW_DB" "$NEW_DB-wal" "$NEW_DB-shm"

echo "== first import (all inserted)"
run "baseline $BASELINE" "$BASE_BIN" "$BASE_DB"; BASE_FIRST=$(cat "$DIR/rate"); BASE_FIRST_CPU=$(cat "$DIR/cpurate")
run "new" "$NEW_BIN" "$NEW_DB"; NEW_FIRST=$(cat "$DIR/rate"); NEW_FIRST_CPU=$(cat "$DIR/cpurate")
echo "== second import (all unchanged)"
run "baseline $BASELINE" "$BASE_BIN" "$BASE_DB"; BASE_SECOND=$(cat "$DIR/rate"); BASE_SECOND_CPU=$(cat "$DIR/cpurate")
run "new" "$NEW_BIN" "$NEW_DB"; NEW_SECOND=$(cat "$DIR/rate"); NEW_SECOND_CPU=$(cat "$DIR/cpurate")
echo "== summary"
ratio "first import " "$NEW_FIRST" "$BASE_FIRST" "$NEW_FIRST_CPU" "$BASE_FIRST_CPU"
ratio "second import" "$NEW_SECOND" "$BASE_SECOND" "$NEW_SECOND_CPU" "$BASE_SECOND_CPU"
ls -la "$BASE_DB" "$NEW_DB" | awk '{print "database size: " $9 " " $5/1048576 " MiB"}'
