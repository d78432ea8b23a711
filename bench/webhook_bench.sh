#!/usr/bin/env bash
# Benchmark of webhook posting in `quire digest send` (not a test).
#
#   bench/webhook_bench.sh [N]        (default N=1000)
#
# Makes a database with the sample papers and N confirmed readers subscribed
# to a daily digest (written straight into SQLite). Then, in the same run:
#   1. baseline: digests built and written as .eml files, no webhooks;
#   2. the same, plus one Slack webhook per reader posting to a local fake
#      endpoint (a Python ThreadingHTTPServer on 127.0.0.1, so the run uses
#      --webhook-allow-insecure-loopback, for tests and benchmarks only).
# Prints digests/s for both, and the posts the endpoint received.
# Environment: BENCH_DIR (default /tmp/quire-bench), SCRATCH (default .build),
# BIN (a quire binary to use instead of building a release one).
set -euo pipefail
cd "$(dirname "$0")/.."

N="${1:-1000}"
DIR="${BENCH_DIR:-/tmp/quire-bench}/webhooks"
SCRATCH="${SCRATCH:-.build}"
rm -rf "$DIR" && mkdir -p "$DIR"

if [ -z "${BIN:-}" ]; then
    swift build -c release --scratch-path "$SCRATCH" --product quire >&2
    BIN="$SCRATCH/release/quire"
fi
SAMPLES=(../shared/fixtures/hf-papers/daily_papers-2024-10-25-first8.json ../shared/fixtures/arxiv-snapshot/first200.jsonl)

SLOT=$(python3 -c '
import datetime
d = datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=1)
while d.weekday() >= 5: d += datetime.timedelta(days=1)
print(f"{d}T07:05:00Z")')

# The fake endpoint: counts posts, answers 200; prints its port first.
coproc FAKE { exec python3 -u -c '
import sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
count = 0
lock = threading.Lock()
class H(BaseHTTPRequestHandler):
    def do_POST(self):
        global count
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with lock: count += 1
        self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers(); self.wfile.write(b"ok")
    def do_GET(self):
        body = str(count).encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
server = ThreadingHTTPServer(("127.0.0.1", 0), H)
print("port", server.server_address[1])
server.serve_forever()'; }
read -r _ PORT <&"${FAKE[0]}"
trap 'kill "$FAKE_PID" 2>/dev/null || true' EXIT

make_db() { # path, with webhooks (0/1)
    "$BIN" import --db "$1" --no-embed "${SAMPLES[@]}" >/dev/null
    python3 - "$1" "$N" "$2" "$PORT" <<'PY'
import datetime, sqlite3, sys
db, n, hooks, port = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "1", sys.argv[4]
con = sqlite3.connect(db)
now = datetime.datetime.now(datetime.timezone.utc)
today = now.date().isoformat()
stamp = (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
con.execute("UPDATE papers SET daily_date = ?, list_day = ?, reader_upvotes = seq % 7 WHERE seq IN (SELECT seq FROM papers ORDER BY seq LIMIT 20)", (today, today))
con.executemany("INSERT INTO users (username, email, email_confirmed_at, password_hash, role, created_at) VALUES (?, ?, ?, 'x', 'reader', ?)",
                [(f"reader{i}", f"reader{i}@example.org", stamp, stamp) for i in range(n)])
con.execute("""INSERT INTO subscriptions (user_id, frequency, hour, time_zone, include_top, include_trending, include_followed,
               include_saved_searches, max_papers, created_at, updated_at)
               SELECT id, 'daily', 7, 'UTC', 1, 1, 1, 1, 10, ?, ? FROM users""", (stamp, stamp))
if hooks:
    con.execute("INSERT INTO webhooks (user_id, url, format, created_at) SELECT id, 'http://127.0.0.1:' || ? || '/services/T0/B0/' || id, 'slack', ? FROM users",
                (port, stamp))
con.commit()
PY
}

run() { # label, db
    local start end
    start=$(date +%s.%N)
    env QUIRE_MAIL_DIR="$DIR/eml-$1" QUIRE_MAIL_FROM="Quire <digest@example.org>" \
        "$BIN" digest send --db "$2" --now "$SLOT" --public-url http://quire.test --webhook-allow-insecure-loopback | tail -2 >&2
    end=$(date +%s.%N)
    python3 -c "import sys; s = float(sys.argv[2]) - float(sys.argv[1]); print(f'{sys.argv[3]:<44} {sys.argv[4]} digests in {s:6.1f} s = {int(sys.argv[4]) / s:7.0f} digests/s')" "$start" "$end" "$1" "$N"
}

echo "webhook benchmark: $N readers, slot $SLOT" >&2
make_db "$DIR/baseline.sqlite" 0
run "baseline: mail as .eml files, no webhooks" "$DIR/baseline.sqlite"
make_db "$DIR/webhooks.sqlite" 1
run "the same + one Slack webhook per reader" "$DIR/webhooks.sqlite"
echo "posts the fake endpoint received: $(curl -s "http://127.0.0.1:$PORT/")" >&2
kill "$FAKE_PID" 2>/dev/null || true
