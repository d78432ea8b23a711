# The two commands of the quick start, and a few more for development.
# Each sets up what it needs first (scripts/setup.sh is idempotent).

DB ?= ./quire.sqlite
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: run test fuzz setup build release bench clean

## Build and serve Quire on SQLite, filling an empty database with papers.
run:
	@DB="$(DB)" HOST="$(HOST)" PORT="$(PORT)" bash scripts/run.sh

## Run every test: Swift tests, then end-to-end tests against a running server.
test:
	@bash scripts/test.sh

## Fuzz the parsers: `make fuzz SECONDS=600 TARGET=all` (or one target's name).
## A long run goes on past a finding and reports them all at the end.
SECONDS ?= 60
TARGET ?= all
fuzz:
	@FUZZ_KEEP_GOING=1 bash scripts/fuzz.sh "$(SECONDS)" "$(TARGET)"

setup:
	@bash scripts/setup.sh

build: setup
	swift build

release: setup
	swift build -c release --product quire

## Benchmarks print figures; they are not tests.
bench: setup
	bash bench/import_bench.sh
	bash bench/http_bench.sh

clean:
	rm -rf .build .build-*
