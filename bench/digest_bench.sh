#!/usr/bin/env bash
# Benchmark of `quire digest send`: time to build and send N digests (not a test).
#
#   bench/digest_bench.sh [N]        (default N=10000)
#
# Makes a database with the sample papers, N confirmed readers subscribed to a
# daily digest (written straight into SQLite: creating them is not what is
# measured), and papers on today's list. Then, in the same run:
#   1. baseline: digests built and written as .eml files (no network);
#   2. the same digests sent to a local SMTP server (tests/smtp_server.py,
#      aiosmtpd, writing a Maildir).
# Prints digests/s for both; the second is the figure that matters.
# Environment: BENCH_DIR (default /tmp/quire-bench), SCRATCH (default .build),
# CONCURRENCY (default 8).
set -euo pipefail
cd "$(dirname "$0")/.."

N="${1:-10000}"
DIR="${BENCH_DIR:-/tmp/quire-bench}/digests"
SCRATCH="${SCRATCH:-.build}"
CONCURRENCY="${CONCURRENCY:-8}"
rm -rf "$DIR" && mkdir -p "$DIR"

swift build -c release --scratch-path "$SCRATCH" --product quire >&2
BIN="$SCRATCH/release/quire"
SAMPLES=(../shared/fixtures/hf-papers/daily_papers-2024-10-25-first8.json ../shared/fixtures/arxiv-snapshot/first200.jsonl)

# The next weekday at 07:05 UTC: every digest is due then.
SLOT=$(python3 -c '
import datetime
d = datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=1)
while d.weekday() >= 5: d += datetime.timedelta(days=1)
print(f"{d}T07:05:00Z")')

make_db() { # path
    "$BIN" import --db "$1" --no-embed "${SAMPLES[@]}" >/dev/null
    python3 - "$1" "$N" <<'PY'
import datetime, sqlite3, sys
db, n = sys.argv[1], int(sys.argv[2])
con = sqlite3.connect(db)
now = datetime.datetime.now(datetime.timezone.utc)
today = now.date().isoformat()
stamp = (now - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
# Twenty papers on today's list, with upvotes, so every digest has something to say.
con.execute("UPDATE papers SET daily_date = ?, list_day = ?, reader_upvotes = seq % 7 WHERE seq IN (SELECT seq FROM papers ORDER BY seq LIMIT 20)", (today, today))
con.executemany("INSERT INTO users (username, email, email_confirmed_at, password_hash, role, created_at) VALUES (?, ?, ?, 'x', 'reader', ?)",
                [(f"reader{i}", f"reader{i}@example.org", stamp, stamp) for i in range(n)])
con.execute("""INSERT INTO subscriptions (user_id, frequency, hour, time_zone, include_top, include_trending, include_followed,
               include_saved_searches, max_papers, created_at, updated_at)
               SELECT id, 'daily', 7, 'UTC', 1, 1, 1, 1, 10, ?, ? FROM users""", (stamp, stamp))
con.commit()
PY
}

run() { # label, db, environment...
    local label=$1 db=$2; shift 2
    local start end
    start=$(date +%s.%N)
    env "$@" "$BIN" digest send --db "$db" --now "$SLOT" --concurrency "$CONCURRENCY" --public-url http://quire.test | tail -1 >&2
    end=$(date +%s.%N)
    python3 -c "import sys; s = float(sys.argv[2]) - float(sys.argv[1]); print(f'{sys.argv[3]:<34} {sys.argv[4]} digests in {s:6.1f} s = {int(sys.argv[4]) / s:7.0f} digests/s')" "$start" "$end" "$label" "$N"
}

echo "digest benchmark: $N readers, concurrency $CONCURRENCY, slot $SLOT" >&2
make_db "$DIR/baseline.sqlite"
run "baseline: build + write .eml files" "$DIR/baseline.sqlite" QUIRE_MAIL_DIR="$DIR/eml" QUIRE_MAIL_FROM="Quire <digest@example.org>"

make_db "$DIR/smtp.sqlite"
coproc SMTP { python3 tests/smtp_server.py serve --maildir "$DIR/maildir" --lifetime 3600; }
read -r _ PORT <&"${SMTP[0]}"
run "build + send over SMTP (aiosmtpd)" "$DIR/smtp.sqlite" QUIRE_SMTP_HOST=127.0.0.1 QUIRE_SMTP_PORT="$PORT" QUIRE_SMTP_TLS=none \
    QUIRE_MAIL_FROM="Quire <digest@example.org>"
kill "$SMTP_PID" 2>/dev/null || true
echo "messages in the Maildir: $(ls "$DIR/maildir/new" | wc -l)" >&2
