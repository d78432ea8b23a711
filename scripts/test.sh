#!/usr/bin/env bash
# `make test`: set up, then run the Swift tests and the end-to-end tests
# (huggingface_hub client, headless chromium, harvester kill test) against
# the real binary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

echo "test: building (debug)"
swift build --build-tests
export QUIRE_BIN="$(swift build --show-bin-path)/quire"

echo "test: Swift tests"
swift test --skip-build

echo "test: end-to-end tests"
python3 -m pytest -q tests/e2e
