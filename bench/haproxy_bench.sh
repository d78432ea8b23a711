#!/usr/bin/env bash
# Benchmark (not a test): the daily page `/` and search through HAProxy in
# front of one and of two `quire serve` on one PostgreSQL database, with
# one server reached directly as the baseline, all in the same run:
#
#   direct     wrk -> quire serve #1
#   proxy x1   wrk -> HAProxy -> quire serve #1
#   proxy x2   wrk -> HAProxy -> quire serve #1, #2 (round robin)
#
# Each phase measures `/health` (no database work: the proxy's own cost),
# `/` (the daily page) and searches through the API, every request a
# different query (`bench/haproxy_search.lua`), so no cache answers them;
# req/s and p99 from wrk. The change feed's delay to a second server is
# bench/postgres_search_bench.sh's first figure.
#
#   bench/haproxy_bench.sh [N]            (default N=20000 papers)
#
# Starts PostgreSQL (scripts/postgres.sh; a database of its own, dropped at
# the end) and HAProxy (scripts/haproxy.sh, the configuration docs/deploy.md
# explains). Servers run `--no-semantic` (keyword search: the embedding
# model would make each search a matter of the model, not of serving) and
# `--no-digests`. Environment: QUIRE_BIN (default: the release build, made
# by this script), BENCH_DIR (default /tmp/quire-bench-haproxy), DURATION
# (default 10s), CONNECTIONS (default 32).
#
# Everything shares this machine's cores: wrk, HAProxy, PostgreSQL and the
# servers. On two cores a second server cannot double throughput; the
# figures say what it does.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-20000}"
DIR="${BENCH_DIR:-/tmp/quire-bench-haproxy}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-32}"
command -v wrk >/dev/null || { echo "wrk is missing: run scripts/setup.sh" >&2; exit 1; }
mkdir -p "$DIR"
if [ -z "${QUIRE_BIN:-}" ]; then
    swift build -c release --product quire >&2
    QUIRE_BIN="$(swift build -c release --show-bin-path)/quire"
fi
BIN="$QUIRE_BIN"

eval "$(bash scripts/postgres.sh start)"
export HAPROXY_DIR="$DIR/haproxy"
DATA="$DIR/snapshot-$N.jsonl"
[ -s "$DATA" ] || { echo "generating $N papers into $DATA" >&2; python3 bench/gen_snapshot.py "$N" "$DATA"; }

NAME="quire_haproxy_bench_$$"
PG="${QUIRE_TEST_POSTGRES_URL%/*}/$NAME"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    bash scripts/haproxy.sh stop || true
    psql "$QUIRE_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $NAME WITH (FORCE)" >/dev/null 2>&1 || true
}
trap cleanup EXIT
psql "$QUIRE_TEST_POSTGRES_URL" -qc "CREATE DATABASE $NAME" >/dev/null
started=$(date +%s.%N)
"$BIN" import --quiet --no-embed --db "$PG" "$DATA" >/dev/null
echo "imported $N papers into PostgreSQL in $(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$started" "$(date +%s.%N)") s"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORTS=()
for n in 1 2; do
    port=$(free_port)
    PORTS+=("$port")
    QUIRE_MAIL_DIR="$DIR/mail" QUIRE_MAIL_FROM="Quire <quire@example.org>" "$BIN" serve --db "$PG" --port "$port" --no-semantic \
        --no-digests --trust-proxy --searches-per-minute 100000000 --public-url http://127.0.0.1 >"$DIR/serve$n.log" 2>&1 &
    PIDS+=($!)
done
for i in 0 1; do
    for _ in $(seq 600); do
        curl -sf "http://127.0.0.1:${PORTS[$i]}/health" >/dev/null && break
        kill -0 "${PIDS[$i]}" 2>/dev/null || { echo "a server exited: see $DIR/serve$((i + 1)).log" >&2; exit 1; }
        sleep 0.2
    done
    # PostgreSQL's searches wait for the keyword index: loaded before measuring.
    curl -sf "http://127.0.0.1:${PORTS[$i]}/api/papers/search?q=warm" >/dev/null
    curl -sf "http://127.0.0.1:${PORTS[$i]}/" >/dev/null
done

# wrk's figures for one URL: "req/s p99-in-ms errors" (errors: non-2xx + socket errors).
wrk_figures() { # url [lua script]
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency ${2:+-s "$2"} "$1" | python3 bench/wrk_figures.py
}

RESULTS="$DIR/results-$$.txt"
: >"$RESULTS"
phase() { # label base-url
    for what in /health / search; do
        if [ "$what" = search ]; then figures=$(wrk_figures "$2/api/papers/search" bench/haproxy_search.lua)
        else figures=$(wrk_figures "$2$what"); fi
        echo "$1 $what $figures" >>"$RESULTS"
    done
}

echo "== $CONNECTIONS connections, $DURATION each, $(nproc) cores shared by wrk, HAProxy, PostgreSQL and the servers"
phase direct "http://127.0.0.1:${PORTS[0]}"
eval "$(bash scripts/haproxy.sh start "${PORTS[0]}")"
phase proxy1 "$QUIRE_PROXY_URL"
eval "$(bash scripts/haproxy.sh start "${PORTS[0]}" "${PORTS[1]}")"
sleep 1.5 # both pass a health check
phase proxy2 "$QUIRE_PROXY_URL"
python3 - "$RESULTS" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    label, what, rps, p99, errors = line.split()
    rows[(label, what)] = (float(rps), float(p99), int(errors))
names = {"direct": "direct to one server (baseline)", "proxy1": "HAProxy, one server", "proxy2": "HAProxy, two servers"}
for what in ("/health", "/", "search"):
    base = rows[("direct", what)][0]
    print(f"{what if what != 'search' else 'search (API, distinct queries)'}:")
    for label in ("direct", "proxy1", "proxy2"):
        rps, p99, errors = rows[(label, what)]
        print(f"  {names[label]:34s} {rps:9,.0f} req/s  {100 * rps / base:5.0f} % of direct  p99 {p99:7.1f} ms  errors {errors}")
PY
