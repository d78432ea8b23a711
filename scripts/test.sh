#!/usr/bin/env bash
# `make test`: set up, then run the Swift tests and the end-to-end tests
# (huggingface_hub client, headless chromium, harvester kill test) against
# the real binary, then fuzz every parser for a short fixed budget.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

echo "test: building (debug)"
swift build --build-tests
export QUIRE_BIN="$(swift build --show-bin-path)/quire"

# The store contract suite runs against PostgreSQL too: a throwaway server
# on loopback (scripts/postgres.sh), stopped however the tests end. A plain
# `swift test` without QUIRE_TEST_POSTGRES_URL leaves PostgreSQL out.
echo "test: starting PostgreSQL for the store contract suite"
eval "$(bash scripts/postgres.sh start)"
trap 'bash scripts/postgres.sh stop' EXIT

echo "test: Swift tests"
swift test --skip-build

echo "test: end-to-end tests"
python3 -m pytest -q tests/e2e

# A short run per target catches what a change broke; `make fuzz` runs long.
# New inputs go to a temporary folder, never into the repo.
echo "test: fuzzing each parser for ${FUZZ_SECONDS:-15}s"
FUZZ_WORK="$(mktemp -d)" bash scripts/fuzz.sh "${FUZZ_SECONDS:-15}" all
