#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser of outside input, with libFuzzer.
#
#   scripts/fuzz.sh SECONDS [TARGET|all]
#
# Builds QuireFuzz (Sources/QuireFuzz over Sources/FuzzTargets) in release
# with `-sanitize=fuzzer` into .build-fuzz, then runs each target for SECONDS.
# A target's corpus is, in order: a work folder that receives new inputs
# ($FUZZ_WORK/<target>, .build-fuzz/corpus/<target> unless set), the seeds
# committed in fuzz/corpus/<target>, and real recorded responses in
# ../shared, passed read-only (never copied into the repo). A crash, a hang
# (over 5 s on one input) or more than 2 GB of memory stops the target and
# fails the run; the input lands in .build-fuzz/findings/<target>/. Fix the
# parser, then commit the input under fuzz/regressions/<target>/ so that
# `swift test` (FuzzRegressionTests) replays it for good.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH=${1:?usage: scripts/fuzz.sh SECONDS [TARGET|all]}
WHICH=${2:-all}
WORK=${FUZZ_WORK:-.build-fuzz/corpus}
SHARED=../shared

# target                  max input bytes   seeds in ../shared
TARGETS=(
  "import-arxiv-snapshot  16384   fixtures/arxiv-snapshot"
  "import-hf-daily        32768   fixtures/hf-papers"
  "import-seed-lines      16384   data/seed-papers.jsonl"
  "import-quire-jsonl     16384   -"
  "json-array-splitter    32768   fixtures/hf-papers"
  "line-reader            4096    -"
  "harvest-arxiv-atom     65536   fixtures/arxiv-api"
  "harvest-arxiv-rss      65536   fixtures/arxiv-rss"
  "harvest-oai-pmh        65536   fixtures/arxiv-oai"
  "harvest-hf-daily       32768   fixtures/hf-papers"
  "search-query           1024    -"
  "day-period             64      -"
  "comment-markup         8192    -"
  "mime-header            4096    -"
  "form-fields            2048    -"
  "query-string           2048    -"
  "tex-math               4096    -"
  "keyword-tokenizer      8192    fixtures/arxiv-snapshot"
  "summary-text           8192    fixtures/arxiv-snapshot"
  "bibtex-reader          16384   -"
  "multipart-form         8192    -"
)

# FUZZ_SKIP_BUILD=1 reuses the binary, so several targets can run side by side.
if [ -z "${FUZZ_SKIP_BUILD:-}" ]; then
  echo "fuzz: building QuireFuzz (release, -sanitize=fuzzer) in .build-fuzz"
  mkdir -p .build-fuzz
  if ! swift build -c release --scratch-path .build-fuzz --product QuireFuzz \
       -Xswiftc -sanitize=fuzzer -Xswiftc -DQUIRE_FUZZER >.build-fuzz/build.log 2>&1; then
    grep -E 'error:' .build-fuzz/build.log | head -20 || tail -40 .build-fuzz/build.log
    echo "fuzz: build failed (.build-fuzz/build.log)"
    exit 1
  fi
fi
BIN=.build-fuzz/release/QuireFuzz
[ -x "$BIN" ] || { echo "fuzz: build failed"; exit 1; }

# FUZZ_KEEP_GOING=1 (long runs): libFuzzer forks a worker and carries on
# after a crash, hang or OOM, so one finding does not end the whole budget.
keep_going=()
if [ -n "${FUZZ_KEEP_GOING:-}" ]; then
  keep_going=(-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
fi

# Swift's own crash reporter would catch a trap before libFuzzer could save
# the input that caused it.
export SWIFT_BACKTRACE=enable=no

summary=()
failed=()
ran=0
for row in "${TARGETS[@]}"; do
  read -r name max_len seeds <<<"$row"
  [ "$WHICH" = all ] || [ "$WHICH" = "$name" ] || continue
  ran=$((ran + 1))
  work="$WORK/$name"
  findings=.build-fuzz/findings/$name
  mkdir -p "$work" "$findings" "fuzz/corpus/$name"
  dirs=("$work" "fuzz/corpus/$name")
  if [ "$seeds" != - ]; then
    if [ -d "$SHARED/$seeds" ]; then dirs+=("$SHARED/$seeds")
    elif [ -f "$SHARED/$seeds" ]; then cp "$SHARED/$seeds" "$work/shared-$(basename "$seeds")"
    else echo "fuzz: $name: no $SHARED/$seeds, fuzzing without it"; fi
  fi
  log=.build-fuzz/findings/$name.log
  echo "fuzz: $name for ${SECONDS_EACH}s"
  status=0
  found_before=$(ls "$findings" | wc -l)
  QUIRE_FUZZ_TARGET=$name "$BIN" "${dirs[@]}" "${keep_going[@]}" \
    -max_total_time="$SECONDS_EACH" -max_len="$max_len" -timeout=5 -rss_limit_mb=2048 \
    -artifact_prefix="$findings/" -print_final_stats=1 >"$log" 2>&1 || status=$?
  # Going on past a finding, libFuzzer exits 0: the new files say it all.
  found=$(( $(ls "$findings" | wc -l) - found_before ))
  if [ "$status" -eq 0 ] && [ "$found" -gt 0 ]; then status=1; fi
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  [ -n "$execs" ] || execs=$(sed -n 's/^#\([0-9]*\).*/\1/p' <<<"$last")
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$last")
  line=$(printf '%-24s execs %-10s cov %-6s ft %-7s corpus %-6s' "$name" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}")
  if [ "$status" -ne 0 ]; then
    failed+=("$name")
    line="$line FAILED (exit $status, $found new inputs in $findings)"
    echo "fuzz: $name FAILED; the log's end ($log):"
    grep -E 'ERROR|Fatal error|Test unit written|SUMMARY|timeout|out-of-memory' "$log" | head -20 || tail -30 "$log"
  fi
  summary+=("$line")
  echo "  $line"
done
[ "$ran" -gt 0 ] || { echo "fuzz: no target named $WHICH"; exit 2; }

echo "fuzz: per target (${SECONDS_EACH}s each):"
printf '  %s\n' "${summary[@]}"
if ((${#failed[@]})); then
  echo "fuzz: FAILED: ${failed[*]} (inputs in .build-fuzz/findings/)"
  exit 1
fi
