#!/usr/bin/env bash
# Benchmark (not a test): the daily page `/` and search through HAProxy in
# front of one and of two `quire serve` on one PostgreSQL database, with
# one server reached directly as the baseline, all in the same run:
#
#   direct     wrk -> quire serve #1
#   proxy x1   wrk -> HAProxy -> quire serve #1
#   proxy x2   wrk -> HAProxy -> quire serve #1, #2 (round robin)
#
# Each measures `/health` (no database work: the proxy's own cost), `/`
# (the daily page) and searches through the API, every request a different
# query (`bench/haproxy_search.lua`), so no cache answers them; req/s and
# p99 from wrk, and the cores each part used meanwhile
# (`bench/cpu_seconds.py`). The three take turns, ROUNDS times; medians.
# The change feed's delay to a second server is postgres_search_bench.sh's.
#
#   bench/haproxy_bench.sh [N]            (default N=20000 papers)
#
# Starts PostgreSQL (scripts/postgres.sh; a database of its own, dropped at
# the end) and HAProxy (scripts/haproxy.sh, the configuration docs/deploy.md
# explains). Servers run `--no-semantic` (keyword search: the embedding
# model would make each search a matter of the model, not of serving) and
# `--no-digests`. Environment: QUIRE_BIN (default: the release build, made
# by this script), BENCH_DIR (default /tmp/quire-bench-haproxy), DURATION
# (default 5s a run), CONNECTIONS (default 32), ROUNDS (default 3).
#
# Everything shares this machine's cores: wrk, HAProxy, PostgreSQL and the
# servers. On two cores a second server cannot double throughput (the
# first already has every core the others leave); the CPU columns say where
# the cores went.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-20000}"
DIR="${BENCH_DIR:-/tmp/quire-bench-haproxy}"
DURATION="${DURATION:-5s}"
CONNECTIONS="${CONNECTIONS:-32}"
ROUNDS="${ROUNDS:-3}"
command -v wrk >/dev/null || { echo "wrk is missing: run scripts/setup.sh" >&2; exit 1; }
mkdir -p "$DIR"
if [ -z "${QUIRE_BIN:-}" ]; then
    swift build -c release --product quire >&2
    QUIRE_BIN="$(swift build -c release --show-bin-path)/quire"
fi
BIN="$QUIRE_BIN"

eval "$(bash scripts/postgres.sh start)"
DATA="$DIR/snapshot-$N.jsonl"
[ -s "$DATA" ] || { echo "generating $N papers into $DATA" >&2; python3 bench/gen_snapshot.py "$N" "$DATA"; }

NAME="quire_haproxy_bench_$$"
PG="${QUIRE_TEST_POSTGRES_URL%/*}/$NAME"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    for proxy in haproxy1 haproxy2; do HAPROXY_DIR="$DIR/$proxy" bash scripts/haproxy.sh stop || true; done
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
# CPU seconds so far: the servers, HAProxy, PostgreSQL (every process of the
# cluster, so also anyone else's use of it) and the whole machine.
cpu() { python3 bench/cpu_seconds.py "quire=$(IFS=,; echo "${PIDS[*]}")" haproxy=@haproxy postgres=@postgres; }
measure() { # label base-url path
    local before after started figures
    before=$(cpu); started=$(date +%s.%N)
    if [ "$3" = search ]; then figures=$(wrk_figures "$2/api/papers/search" bench/haproxy_search.lua)
    else figures=$(wrk_figures "$2$3"); fi
    after=$(cpu)
    echo "$1 $3 $figures $(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$started" "$(date +%s.%N)") $before $after" >>"$RESULTS"
}

# Two proxies at once, one in front of server 1, one in front of both, so
# the three set-ups take turns, round after round: whatever else loads the
# machine meanwhile falls on all three alike.
eval "$(HAPROXY_DIR="$DIR/haproxy1" bash scripts/haproxy.sh start "${PORTS[0]}")"; PROXY1="$QUIRE_PROXY_URL"
eval "$(HAPROXY_DIR="$DIR/haproxy2" bash scripts/haproxy.sh start "${PORTS[0]}" "${PORTS[1]}")"; PROXY2="$QUIRE_PROXY_URL"
sleep 1.5 # every backend passes a health check
echo "== $CONNECTIONS connections, $DURATION a run, median of $ROUNDS rounds; $(nproc) cores shared by wrk, HAProxy, PostgreSQL, the servers and whatever else runs"
for round in $(seq "$ROUNDS"); do
    for what in /health / search; do
        measure direct "http://127.0.0.1:${PORTS[0]}" "$what"
        measure proxy1 "$PROXY1" "$what"
        measure proxy2 "$PROXY2" "$what"
    done
done
python3 - "$RESULTS" "$(nproc)" <<'PY'
import statistics, sys
runs, cores = {}, int(sys.argv[2])
for line in open(sys.argv[1]):
    label, what, rps, p99, errors, elapsed, *cpu = line.split()
    half = len(cpu) // 2
    used = {b.split("=")[0]: float(a.split("=")[1]) - float(b.split("=")[1]) for b, a in zip(cpu[:half], cpu[half:])}
    runs.setdefault((label, what), []).append((float(rps), float(p99), int(errors), {k: max(0, v) / float(elapsed) for k, v in used.items()}))
names = {"direct": "direct to one server (baseline)", "proxy1": "HAProxy, one server", "proxy2": "HAProxy, two servers"}
median = lambda values: statistics.median(values)
for what in ("/health", "/", "search"):
    base = median([r[0] for r in runs[("direct", what)]])
    print(f"{what if what != 'search' else 'search (API, distinct queries)'}:")
    for label in ("direct", "proxy1", "proxy2"):
        rs = runs[(label, what)]
        rps, p99 = median([r[0] for r in rs]), median([r[1] for r in rs])
        cpu = {k: median([r[3][k] for r in rs]) for k in rs[0][3]}
        rest = max(0, cpu["machine"] - cpu["quire"] - cpu["haproxy"] - cpu["postgres"])
        print(f"  {names[label]:34s} {rps:9,.0f} req/s  {100 * rps / base:5.0f} % of direct  p99 {p99:7.1f} ms  errors {sum(r[2] for r in rs)}"
              f"   cores: servers {cpu['quire']:.2f}, HAProxy {cpu['haproxy']:.2f}, PostgreSQL {cpu['postgres']:.2f},"
              f" wrk and the rest {rest:.2f} (busy {cpu['machine']:.2f} of {cores})")
PY
