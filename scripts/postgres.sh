#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for the tests, on loopback only, and
# prints the database address to use (postgres://…). Used by scripts/test.sh;
# run it by hand to get a server for `swift test` or the e2e tests:
#
#   eval "$(bash scripts/postgres.sh start)"   # sets QUIRE_TEST_POSTGRES_URL
#   bash scripts/postgres.sh stop
#
# The cluster lives in PGTEST_DIR (default /tmp/quire-pgtest) and listens on
# PGTEST_PORT (default 55432), so it never touches a PostgreSQL the machine
# runs for other purposes. PostgreSQL refuses to run as root: when we are
# root, the cluster belongs to the `postgres` user (created by Debian's
# package) and its commands run as that user.
set -euo pipefail

DIR="${PGTEST_DIR:-/tmp/quire-pgtest}"
PORT="${PGTEST_PORT:-55432}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$BIN/initdb" ] || { echo "postgres.sh: PostgreSQL is not installed (run scripts/setup.sh)" >&2; exit 1; }

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

url() { echo "postgres://quire:quire@127.0.0.1:$PORT/quire_test"; }

start() {
    if [ ! -s "$DIR/data/PG_VERSION" ]; then
        mkdir -p "$DIR"
        [ "$(id -u)" -eq 0 ] && chown postgres "$DIR"
        as_owner "$BIN/initdb" -D "$DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_owner "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
        # fsync off: a test cluster is thrown away, and fsync is most of its write cost.
        as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
            -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            start >/dev/null
    fi
    # The role and database the tests use; each test makes its own schema.
    as_owner "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -qtA -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
SELECT 'CREATE ROLE quire LOGIN PASSWORD ''quire'' CREATEDB'
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'quire') \gexec
SELECT 'CREATE DATABASE quire_test OWNER quire'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'quire_test') \gexec
SQL
    echo "export QUIRE_TEST_POSTGRES_URL=$(url)"
}

stop() {
    [ -d "$DIR/data" ] && as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >/dev/null 2>&1 || true
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    url) url ;;
    *) echo "usage: postgres.sh start|stop|url" >&2; exit 2 ;;
esac
