#!/usr/bin/env bash
# Category benchmark (not a test): what `category=` costs a list. Each
# request below is a different list (limit 1..N), so none is answered from
# the page or list caches: every one counts and loads its page from SQLite.
# The same requests without `category=` are the baseline, measured in the
# same run against the same server, alternating so load on the machine
# falls on both alike. Prints the median per request and the ratio.
#
#   bench/category_list_bench.sh [DB]
#
# DB defaults to $BENCH_DIR/bench.sqlite (see bench/http_bench.sh, which
# builds it; this script only reads it). Environment: REQUESTS (default 60),
# QUIRE_BIN (default: the debug build), MONTH (default: the latest month).
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${BENCH_DIR:-/tmp/quire-bench-http}"
DB="${1:-$DIR/bench.sqlite}"
REQUESTS="${REQUESTS:-60}"
BIN="${QUIRE_BIN:-$(swift build --show-bin-path)/quire}"
[ -f "$DB" ] || { echo "no database at $DB: run bench/http_bench.sh first, or pass one" >&2; exit 1; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
LOG=$(mktemp)
"$BIN" serve --db "$DB" --port "$PORT" --no-semantic >"$LOG" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -f "$LOG"' EXIT
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.2; done

python3 - "$PORT" "$REQUESTS" "${MONTH:-}" <<'PY'
import json, statistics, sys, time, urllib.request
port, requests, month = sys.argv[1], int(sys.argv[2]), sys.argv[3]
base = f"http://127.0.0.1:{port}"
if not month:
    month = json.load(urllib.request.urlopen(base + "/api/stats"))["lastDay"][:7]
variants = {
    "every category (baseline)": "",
    "category=math.CO": "&category=math.CO",
    "category=math (archive)": "&category=math",
    "category=math.CO&category=stat.ML": "&category=math.CO&category=stat.ML",
}
times = {name: [] for name in variants}
totals = {}
for limit in range(1, requests + 1):
    for name, extra in variants.items():
        url = f"{base}/api/daily_papers?month={month}&limit={limit}{extra}"
        start = time.perf_counter()
        with urllib.request.urlopen(url) as response:
            response.read()
            totals[name] = response.headers["X-Total-Count"]
        times[name].append((time.perf_counter() - start) * 1000)
baseline = statistics.median(times["every category (baseline)"])
print(f"/api/daily_papers?month={month}, {requests} uncached lists each")
for name, values in times.items():
    median = statistics.median(values)
    print(f"{name:38s} {totals[name]:>6s} papers  median {median:7.2f} ms  {median / baseline:5.2f} x baseline")
PY
