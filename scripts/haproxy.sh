#!/usr/bin/env bash
# Starts HAProxy (Debian's package) in front of several `quire serve` on
# loopback, as a plain process of ours (not the system's service), and prints
# the address to use. For the end-to-end tests and for trying a multi-server
# setup by hand:
#
#   eval "$(bash scripts/haproxy.sh start 8081 8082)"   # sets QUIRE_PROXY_URL
#   bash scripts/haproxy.sh stop
#
# Arguments are the backends' loopback ports (or host:port). The proxy
# listens on HAPROXY_PORT (default: a free port) on 127.0.0.1; its config,
# pid file and log live in HAPROXY_DIR (default /tmp/quire-haproxy), so
# several proxies can run at once with different folders. The config is the
# one docs/deploy.md explains: round robin, health checks on /health, and
# X-Forwarded-For / X-Forwarded-Proto set by the proxy (a client's own are
# overwritten), which is what `quire serve --trust-proxy` expects.
# HAPROXY_FORWARDED_PROTO (default http) is the scheme readers use in front
# of the proxy: https where TLS ends before it.
set -euo pipefail

DIR="${HAPROXY_DIR:-/tmp/quire-haproxy}"
PROTO="${HAPROXY_FORWARDED_PROTO:-http}"
command -v haproxy >/dev/null || { echo "haproxy.sh: HAProxy is not installed (run scripts/setup.sh)" >&2; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

running() { [ -s "$DIR/haproxy.pid" ] && kill -0 "$(cat "$DIR/haproxy.pid")" 2>/dev/null; }

start() {
    (($# >= 1)) || { echo "usage: haproxy.sh start PORT [PORT...]" >&2; exit 2; }
    case "$PROTO" in http|https) ;; *) echo "haproxy.sh: HAPROXY_FORWARDED_PROTO must be http or https" >&2; exit 2 ;; esac
    mkdir -p "$DIR"
    running && stop
    local port="${HAPROXY_PORT:-$(free_port)}"
    {
        cat <<CONF
global
    maxconn 2048
    pidfile $DIR/haproxy.pid
    log stderr format short local0 notice

defaults
    mode http
    log global
    option httplog
    option forwardfor
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout http-request 10s

frontend quire
    bind 127.0.0.1:$port
    # The proxy says how the reader came in; whatever the client sent is replaced.
    http-request set-header X-Forwarded-Proto $PROTO
    default_backend quire_servers

backend quire_servers
    balance roundrobin
    option httpchk GET /health
CONF
        local n=0
        for backend in "$@"; do
            n=$((n + 1))
            [[ "$backend" == *:* ]] || backend="127.0.0.1:$backend"
            echo "    server quire$n $backend check inter 1s fall 2 rise 1"
        done
    } > "$DIR/haproxy.cfg"
    haproxy -c -q -f "$DIR/haproxy.cfg" >&2
    haproxy -D -f "$DIR/haproxy.cfg" 2>>"$DIR/haproxy.log"
    for _ in $(seq 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && { echo "export QUIRE_PROXY_URL=http://127.0.0.1:$port"; return; }
        sleep 0.1
    done
    echo "haproxy.sh: HAProxy did not start listening on $port: see $DIR/haproxy.log" >&2
    exit 1
}

stop() {
    if running; then
        local pid; pid="$(cat "$DIR/haproxy.pid")"
        kill "$pid"
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$DIR/haproxy.pid"
}

case "${1:-}" in
    start) shift; start "$@" ;;
    stop) stop ;;
    *) echo "usage: haproxy.sh start PORT [PORT...] | stop" >&2; exit 2 ;;
esac
