#!/usr/bin/env bash
# `make run`: set up, build, fill an empty database, serve.
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${DB:-./quire.sqlite}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8080}

bash scripts/setup.sh
echo "run: building quire (release; the first build takes several minutes)"
swift build -c release --product quire
QUIRE="$(swift build -c release --show-bin-path)/quire"

count_papers() { "$QUIRE" stats --db "$DB" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["papers"])'; }

if [ "$(count_papers)" = "0" ]; then
  # First run: today's announcements of a few categories and today's Hugging
  # Face list. Set QUIRE_FIRST_RUN_CATEGORIES to choose, or to "" to skip.
  CATEGORIES=${QUIRE_FIRST_RUN_CATEGORIES-cs.CL,cs.LG,cs.AI,cs.CV}
  if [ -n "$CATEGORIES" ]; then
    echo "run: the database is empty; fetching today's papers ($CATEGORIES and Hugging Face)"
    timeout 300 "$QUIRE" ingest feed --db "$DB" --categories "$CATEGORIES" --max-retries 1 --backoff 1 || true
    timeout 120 "$QUIRE" ingest hf --db "$DB" --max-retries 1 --backoff 1 || true
  fi
fi
if [ "$(count_papers)" = "0" ]; then
  SHARED=../shared
  samples=()
  for f in "$SHARED/data/seed-papers.jsonl" "$SHARED/fixtures/hf-papers/daily_papers-2024-10-25-first8.json" \
           "$SHARED/fixtures/arxiv-snapshot/first200.jsonl"; do
    [ -f "$f" ] && samples+=("$f")
  done
  if ((${#samples[@]})); then
    echo "run: no papers could be fetched; importing the sample papers from $SHARED instead"
    "$QUIRE" import --db "$DB" "${samples[@]}"
  else
    echo "run: no papers could be fetched and no sample files were found in $SHARED; import papers with 'quire import'"
  fi
fi
echo "run: serving at http://$HOST:$PORT (Ctrl-C stops)"
exec "$QUIRE" serve --db "$DB" --host "$HOST" --port "$PORT" ${QUIRE_SERVE_FLAGS:-}
