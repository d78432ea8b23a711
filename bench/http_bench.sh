#!/usr/bin/env bash
# HTTP benchmark (not a test): requests/s and p99 latency of `/` and
# `/api/daily_papers` on a 100,000-paper database, with `/health` (no database
# work) measured in the same run as the baseline to compare against.
#
#   bench/http_bench.sh [DB]     (default: the database bench/import_bench.sh built)
#
# Environment: DURATION (default 10s), CONNECTIONS (default 32).
set -euo pipefail
cd "$(dirname "$0")/.."
DB="${1:-${BENCH_DIR:-/tmp/quire-bench}/bench.sqlite}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-32}"
[ -f "$DB" ] || { echo "no database at $DB: run bench/import_bench.sh first" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: run scripts/setup.sh" >&2; exit 1; }

swift build -c release --product quire >&2
BIN="$(swift build -c release --show-bin-path)/quire"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" serve --db "$DB" --port "$PORT" --no-semantic >/tmp/quire-http-bench.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.2; done

echo "papers: $("$BIN" stats --db "$DB" --json)"
measure() { # label path
    local out rps p99
    out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$PORT$2")
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    errors=$(echo "$out" | grep -E "Non-2xx|Socket errors" || true)
    printf "%-28s %10s req/s   p99 %8s  %s\n" "$1" "$rps" "$p99" "$errors"
}
measure "/health (baseline)" "/health"
measure "/ (latest daily list)" "/"
measure "/api/daily_papers" "/api/daily_papers"
measure "/api/daily_papers?date=" "/api/daily_papers?date=$("$BIN" stats --db "$DB" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["lastDay"])')"
measure "/papers/trending" "/papers/trending"
