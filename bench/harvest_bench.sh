#!/usr/bin/env bash
# Harvest throughput (papers/s) of `quire ingest` against the local fixture
# server (tests/fixture_server.py) with --interval 0: parsing, merging and
# storing, without arXiv's politeness waits.
#
#   bench/harvest_bench.sh              # QUIRE_BIN defaults to .build/release/quire, else .build/debug/quire
#   RUNS=10 QUIRE_BIN=.build-harvest/debug/quire bench/harvest_bench.sh
#
# Each case runs RUNS times into a fresh database (first harvest: inserts) and
# RUNS times again into the filled one (re-harvest: unchanged), and reports the
# median over runs of the harvest time the command measures itself (its JSON
# summary's "seconds", without process start) and of the whole command's wall time.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-5}
if [[ -z "${QUIRE_BIN:-}" ]]; then
  if [[ -x "$ROOT/.build/release/quire" ]]; then QUIRE_BIN="$ROOT/.build/release/quire"; else QUIRE_BIN="$ROOT/.build/debug/quire"; fi
fi
[[ -x "$QUIRE_BIN" ]] || { echo "quire binary not found at $QUIRE_BIN (build it or set QUIRE_BIN)" >&2; exit 1; }

WORK=$(mktemp -d)
mkfifo "$WORK/keepalive"
python3 "$ROOT/tests/fixture_server.py" --port 0 --exit-on-stdin-eof <"$WORK/keepalive" >"$WORK/server.out" &
SERVER=$!
exec 3>"$WORK/keepalive"   # the server stops when this closes (script exit)
cleanup() { exec 3>&- || true; kill "$SERVER" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
for _ in $(seq 100); do grep -q '^PORT ' "$WORK/server.out" 2>/dev/null && break; sleep 0.05; done
PORT=$(awk '/^PORT /{print $2}' "$WORK/server.out")
B="http://127.0.0.1:$PORT"

echo "quire: $QUIRE_BIN ($(uname -m), $(nproc) cores), runs: $RUNS, fixture server on port $PORT"
printf '%-34s %-10s %7s %8s %10s %10s %10s\n' case phase papers requests "harvest s" "papers/s" "wall s"

bench() { # name, then the ingest arguments
  local name=$1; shift
  for phase in first again; do
    local out="$WORK/$name.$phase.tsv"; : >"$out"
    for run in $(seq "$RUNS"); do
      local db="$WORK/$name.$run.sqlite"
      if [[ $phase == first ]]; then rm -f "$db" "$db-wal" "$db-shm"; fi
      local t0 t1
      t0=$(date +%s.%N)
      "$QUIRE_BIN" ingest "$@" --db "$db" --interval 0 --quiet --json >"$WORK/summary.json" || true
      t1=$(date +%s.%N)
      python3 - "$WORK/summary.json" "$t0" "$t1" >>"$out" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1]))
s = s if isinstance(s, list) else [s]
print("%d\t%d\t%.6f\t%.6f" % (sum(x["fetched"] for x in s), sum(x["requests"] for x in s),
                              sum(x["seconds"] for x in s), float(sys.argv[3]) - float(sys.argv[2])))
EOF
    done
    python3 - "$out" "$name" "$phase" <<'EOF'
import statistics, sys
rows = [l.split("\t") for l in open(sys.argv[1]) if l.strip()]
papers = int(rows[0][0]); requests = int(rows[0][1])
harvest = statistics.median(float(r[2]) for r in rows)
wall = statistics.median(float(r[3]) for r in rows)
print("%-34s %-10s %7d %8d %10.3f %10.0f %10.3f" % (sys.argv[2], sys.argv[3], papers, requests, harvest,
                                                  papers / harvest if harvest else 0, wall))
EOF
  done
}

bench "arxiv-api (100 results, 1 page)" arxiv --categories cs.SE,cs.LG --from 2022-01-01 --until 2022-12-31 \
  --page-size 100 --arxiv-api-url "$B/api/query"
bench "arxiv-api (100 results, 10 pages)" arxiv --categories cs.SE,cs.LG --from 2022-01-01 --until 2022-12-31 \
  --page-size 10 --arxiv-api-url "$B/api/query"
bench "oai (19 records, 4 pages)" oai --oai-url "$B/x/pagesize=5/oai" --from 2000-01-01
bench "feed (cs.AI, 7 entries)" feed --categories cs.AI --feed-url "$B/x/drop=0/atom"
bench "hf daily (8 papers)" hf --date 2024-10-25 --hf-url "$B"
