#!/usr/bin/env bash
# HTTP benchmark (not a test): requests/s and p99 latency of the list pages
# and `/api/daily_papers` on a 100,000-paper database, one server,
# `--no-semantic`, each as a percentage of `/health` (no database work)
# measured in the same run, then a second phase in which a 50,000-paper
# `quire import` runs in another process against the same database while
# wrk measures `/health` p99 and `/` errors.
#
#   bench/http_bench.sh [DB]
#
# DB defaults to $BENCH_DIR/bench.sqlite (BENCH_DIR defaults to
# /tmp/quire-bench-http); it is built from bench/gen_snapshot.py when missing.
# Environment: DURATION (default 10s), CONNECTIONS (default 32),
# BEFORE_BIN (a `quire` binary of an earlier version, e.g. built from the tag
# v0.1.0: phase 1 is then also run with it, for a same-run "before").
# Phase 1 runs again with `--metrics-port` (the metrics middleware counting
# and timing every request): its cost against the first run (METRICS=0 skips it).
# Targets (issue 12): `/` and `/api/daily_papers` >= 25 % of /health with
# p99 <= 50 ms, `/papers/trending` >= 10 %; during the import /health p99
# < 50 ms and no errors from `/`.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${BENCH_DIR:-/tmp/quire-bench-http}"
DB="${1:-$DIR/bench.sqlite}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-32}"
command -v wrk >/dev/null || { echo "wrk is missing: run scripts/setup.sh" >&2; exit 1; }
mkdir -p "$DIR"

swift build -c release --product quire >&2
BIN="$(swift build -c release --show-bin-path)/quire"

# The 100,000 papers, and 50,000 more whose ids do not collide with them (the
# same generator, numbered from 50001 within each month) for the second phase.
if [ ! -f "$DB" ]; then
    [ -s "$DIR/snapshot-100000.jsonl" ] || python3 bench/gen_snapshot.py 100000 "$DIR/snapshot-100000.jsonl"
    "$BIN" import --quiet --no-embed --db "$DB" --format arxiv-snapshot "$DIR/snapshot-100000.jsonl" >&2
fi
MORE="$DIR/snapshot-50000-more.jsonl"
if [ ! -s "$MORE" ]; then
    python3 bench/gen_snapshot.py 50000 | python3 -c '
import json, sys
for line in sys.stdin:
    paper = json.loads(line)
    month, number = paper["id"].split(".")
    paper["id"] = "%s.%05d" % (month, int(number) + 50000)
    sys.stdout.write(json.dumps(paper, separators=(",", ":")) + "\n")' > "$MORE.tmp"
    mv "$MORE.tmp" "$MORE"
fi

SERVER=""
IMPORT=""
cleanup() { for pid in $SERVER $IMPORT; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

start_server() { # binary database [more serve options]
    PORT=$(free_port)
    "$1" serve --db "$2" --port "$PORT" --no-semantic "${@:3}" >"$DIR/server.log" 2>&1 &
    SERVER=$!
    for _ in $(seq 150); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && return; sleep 0.2; done
    echo "the server did not start: see $DIR/server.log" >&2; exit 1
}
stop_server() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=""; }

# wrk's figures for one path: "req/s p99-in-ms errors" (errors: non-2xx + socket errors).
wrk_figures() { # path connections
    wrk -t2 -c"$2" -d"$DURATION" --latency "http://127.0.0.1:$PORT$1" | python3 bench/wrk_figures.py
}

report() { # path req/s health-req/s p99 errors
    python3 -c 'import sys; path, rps, health, p99, errors = sys.argv[1:]
print(f"{path:34s} {float(rps):9,.0f} req/s  {100*float(rps)/float(health):5.1f} % of /health  p99 {float(p99):6.1f} ms  errors {errors}")' "$@"
}

phase1() { # label binary [more serve options]
    echo "== $1: one server, --no-semantic, $CONNECTIONS connections, $DURATION each"
    start_server "$2" "$DB" "${@:3}"
    local day
    day=$("$BIN" stats --db "$DB" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["lastDay"])')
    # One request each first, so each is measured as it is served, not while made.
    for path in / /api/daily_papers "/api/daily_papers?date=$day" /papers/trending; do curl -sf "http://127.0.0.1:$PORT$path" >/dev/null; done
    local health rps p99 errors
    read -r health p99 errors < <(wrk_figures /health "$CONNECTIONS")
    report /health "$health" "$health" "$p99" "$errors"
    for path in / /api/daily_papers "/api/daily_papers?date=$day" /papers/trending; do
        read -r rps p99 errors < <(wrk_figures "$path" "$CONNECTIONS")
        report "$path" "$rps" "$health" "$p99" "$errors"
    done
    stop_server
}

echo "papers: $("$BIN" stats --db "$DB" --json)"
phase1 "this build" "$BIN"
if [ "${METRICS:-1}" != 0 ]; then phase1 "this build, --metrics-port (every request counted and timed)" "$BIN" --metrics-port "$(free_port)"; fi
if [ -n "${BEFORE_BIN:-}" ]; then phase1 "before ($BEFORE_BIN)" "$BEFORE_BIN"; fi

# Phase 2 writes, so it runs on a copy and the 100,000-paper file stays as it is.
echo "== while 50,000 papers are imported by another process (on a copy of the database)"
COPY="$DIR/during-import.sqlite"
rm -f "$COPY" "$COPY-wal" "$COPY-shm"
cp "$DB" "$COPY"; [ -f "$DB-wal" ] && cp "$DB-wal" "$COPY-wal"
start_server "$BIN" "$COPY"
curl -sf "http://127.0.0.1:$PORT/" >/dev/null
import_start=$(date +%s.%N)
"$BIN" import --quiet --no-embed --db "$COPY" --format arxiv-snapshot "$MORE" >"$DIR/import.log" 2>&1 &
IMPORT=$!
sleep 1
half=$(( CONNECTIONS / 2 ))
wrk_figures /health "$half" >"$DIR/health.txt" &
HEALTH_WRK=$!
wrk_figures / "$half" >"$DIR/home.txt"
wait "$HEALTH_WRK"
sleep 0.5
if kill -0 "$IMPORT" 2>/dev/null; then still="the import was still running when wrk ended"; else still="THE IMPORT ENDED BEFORE WRK DID: make DURATION shorter"; fi
wait "$IMPORT"; IMPORT=""
import_end=$(date +%s.%N)
read -r hrps hp99 herrors <"$DIR/health.txt"
read -r rrps rp99 rerrors <"$DIR/home.txt"
python3 -c 'import sys; hrps, hp99, herrors, rrps, rp99, rerrors, start, end = sys.argv[1:]
print(f"/health  {float(hrps):9,.0f} req/s  p99 {float(hp99):6.1f} ms  errors {herrors}   (target: p99 < 50 ms)")
print(f"/        {float(rrps):9,.0f} req/s  p99 {float(rp99):6.1f} ms  errors {rerrors}   (target: no errors)")
print(f"import: 50,000 papers in {float(end) - float(start):.1f} s")' "$hrps" "$hp99" "$herrors" "$rrps" "$rp99" "$rerrors" "$import_start" "$import_end"
echo "($still)"
stop_server
