#!/usr/bin/env bash
# Benchmark (not a test) of search on PostgreSQL, against SQLite in the same
# run, on the same papers:
#   1. change-feed lag: a paper imported by `quire import` into PostgreSQL,
#      until each of two `quire serve` on that database finds it by search
#      (they follow `paper_text_changes`); the baseline is the same import
#      into a SQLite file beside a `quire serve` on it. Median and max over
#      IMPORTS imports, timed from the end of the import command (its commit)
#      and polled every 20 ms.
#   2. search speed: the same distinct queries (so no cache answers) to the
#      SQLite server and to a PostgreSQL one, alternating, so load on the
#      machine falls on both alike. Median and p95 per request, and the ratio.
#
#   eval "$(bash scripts/postgres.sh start)"
#   bench/postgres_search_bench.sh [N]    (default N=20000 papers)
#
# Generates N papers with bench/gen_snapshot.py if the file is missing, makes
# and drops a PostgreSQL database of its own on QUIRE_TEST_POSTGRES_URL's
# server. Environment: QUIRE_BIN (default: the debug build), BENCH_DIR
# (default /tmp/quire-bench), IMPORTS (default 10), REQUESTS (default 200).
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-20000}"
DIR="${BENCH_DIR:-/tmp/quire-bench}"
BIN="${QUIRE_BIN:-$(swift build --show-bin-path)/quire}"
: "${QUIRE_TEST_POSTGRES_URL:?start a server first: eval \"\$(bash scripts/postgres.sh start)\"}"
mkdir -p "$DIR"
DATA="$DIR/snapshot-$N.jsonl"
[ -s "$DATA" ] || { echo "generating $N papers into $DATA" >&2; python3 bench/gen_snapshot.py "$N" "$DATA"; }

NAME="quire_search_bench_$$"
PG="${QUIRE_TEST_POSTGRES_URL%/*}/$NAME"
SQLITE="$DIR/search-bench-$$.sqlite"
PIDS=()
cleanup() {
    status=$?
    [ "$status" = 0 ] || for log in "$DIR"/search-bench-$$-*.log; do echo "== $log" >&2; tail -5 "$log" >&2; done
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    psql "$QUIRE_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $NAME WITH (FORCE)" >/dev/null 2>&1 || true
    rm -f "$SQLITE" "$SQLITE-wal" "$SQLITE-shm" "$DIR"/search-bench-$$-*.log
}
trap cleanup EXIT
psql "$QUIRE_TEST_POSTGRES_URL" -qc "CREATE DATABASE $NAME" >/dev/null
echo "importing $N papers into SQLite and PostgreSQL" >&2
"$BIN" import --no-embed --db "$SQLITE" "$DATA" >/dev/null
"$BIN" import --no-embed --db "$PG" "$DATA" >/dev/null

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
start() { # DB NAME: starts a server, its port in PORTS and its process in PIDS
    local port; port=$(free_port)
    PORTS+=("$port")
    QUIRE_MAIL_DIR="$DIR/search-bench-$$-mail" QUIRE_MAIL_FROM="Quire <quire@example.org>" "$BIN" serve --db "$1" --port "$port" --no-semantic --no-digests \
        --searches-per-minute 1000000 >"$DIR/search-bench-$$-$2.log" 2>&1 &
    PIDS+=($!)
}
PORTS=()
start "$SQLITE" sqlite
start "$PG" pg1
start "$PG" pg2
SQLITE_PORT=${PORTS[0]} PG1_PORT=${PORTS[1]} PG2_PORT=${PORTS[2]}
for i in 0 1 2; do
    port=${PORTS[$i]}
    for _ in $(seq 600); do
        curl -sf "http://127.0.0.1:$port/health" >/dev/null && break
        kill -0 "${PIDS[$i]}" 2>/dev/null || { echo "a server exited" >&2; exit 1; }
        sleep 0.2
    done
done

python3 - "$BIN" "$SQLITE" "$PG" "$SQLITE_PORT" "$PG1_PORT" "$PG2_PORT" "${IMPORTS:-10}" "${REQUESTS:-200}" "$DIR/search-bench-$$" <<'PY'
import json, random, statistics, subprocess, sys, time, urllib.parse, urllib.request
bin_, sqlite, pg, sqlite_port, pg1_port, pg2_port, imports, requests, scratch = sys.argv[1:]
imports, requests = int(imports), int(requests)
base = lambda port: f"http://127.0.0.1:{port}"

def ids(port, q, limit=20):
    url = base(port) + "/api/papers/search?" + urllib.parse.urlencode({"q": q, "limit": limit})
    with urllib.request.urlopen(url, timeout=60) as response:
        return [entry["paper"]["id"] for entry in json.load(response)]

# Every server answers the first search once its keyword index is loaded (PostgreSQL's wait for it).
for port in (sqlite_port, pg1_port, pg2_port):
    ids(port, "warm up")

def lag(db, ports, n):
    """Seconds from the import's end until each server in `ports` finds the paper."""
    arxiv_id, word = f"2512.{90000 + n:05d}", f"zymurgy{n}x{random.randrange(10**6)}"
    record = {"id": arxiv_id, "submitter": "Ada", "authors": "Ada Lovelace", "title": f"The {word} paper", "comments": None,
              "journal-ref": None, "doi": None, "categories": "cs.CL", "license": None, "abstract": f"All about {word}.",
              "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}], "update_date": "2008-11-13",
              "authors_parsed": [["Lovelace", "Ada", ""]]}
    path = f"{scratch}-{n}.jsonl"
    open(path, "w").write(json.dumps(record) + "\n")
    subprocess.run([bin_, "import", "--no-embed", "--db", db, path], check=True, capture_output=True)
    done, seen = time.monotonic(), {}
    while len(seen) < len(ports) and time.monotonic() - done < 30:
        for port in ports:
            if port not in seen and arxiv_id in ids(port, word):
                seen[port] = time.monotonic() - done
        time.sleep(0.02)
    return [seen.get(port, float("inf")) for port in ports]

sqlite_lags, pg_lags = [], []
for n in range(imports):
    sqlite_lags.append(lag(sqlite, [sqlite_port], 2 * n)[0])
    pg_lags.append(lag(pg, [pg1_port, pg2_port], 2 * n + 1))
def show(label, values):
    print(f"  {label:38s} median {statistics.median(values) * 1000:7.0f} ms   max {max(values) * 1000:7.0f} ms")
print(f"change-feed lag, import end to found by search ({imports} imports, polled every 20 ms):")
show("SQLite server (baseline)", sqlite_lags)
show("PostgreSQL, first server", [l[0] for l in pg_lags])
show("PostgreSQL, second server", [l[1] for l in pg_lags])
show("PostgreSQL, both servers", [max(l) for l in pg_lags])

words = ["language", "model", "graph", "neural", "protein", "quantum", "learning", "vision", "attention", "retrieval",
         "diffusion", "reinforcement", "cell", "gene", "robot", "speech", "transformer", "optimization", "sparse", "dense"]
rng = random.Random(7)
# Distinct (query, limit) pairs: the API's response cache never answers; the ranking is as deep for any limit.
queries = set()
while len(queries) < requests:
    queries.add((" ".join(rng.sample(words, rng.choice([1, 2, 3]))), rng.randrange(1, 51)))
times = {"sqlite": [], "pg": []}
for q, limit in sorted(queries):
    for name, port in (("sqlite", sqlite_port), ("pg", pg1_port)):
        started = time.perf_counter()
        ids(port, q, limit)
        times[name].append(time.perf_counter() - started)
p95 = lambda values: sorted(values)[int(0.95 * (len(values) - 1))]
print(f"search through the API ({requests} distinct queries, alternating):")
for name, label in (("sqlite", "SQLite server (baseline)"), ("pg", "PostgreSQL server")):
    print(f"  {label:38s} median {statistics.median(times[name]) * 1000:7.1f} ms   p95 {p95(times[name]) * 1000:7.1f} ms")
print(f"  PostgreSQL / SQLite median: {statistics.median(times['pg']) / statistics.median(times['sqlite']):.2f}x")
PY
