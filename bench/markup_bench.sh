#!/usr/bin/env bash
# How comment markup's time grows with the input (not a test): renders 24,000
# and 96,000 characters of nested, unclosed constructs, best of three each,
# and prints the ratio (linear ≈ 4, quadratic ≈ 16). The figure comes from
# CommentMarkupTests.timeGrowth, which runs only with QUIRE_BENCH set, so
# that `make test` holds no timed assertion on a shared machine.
#
#   bench/markup_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --build-tests 2>&1 | grep -E "error|Compiling|Build complete" | tail -3
QUIRE_BENCH=1 swift test --skip-build --filter CommentMarkupTests/timeGrowth 2>&1 | grep -E "comment markup|failed|error"
