#!/usr/bin/env bash
# The quality of "For you" (issue 14), not a test: builds the evaluation
# (bench/foryou/make_profiles.py: simulated readers from real records in
# ../shared), imports and embeds it into bench/foryou/out/eval.sqlite (once;
# delete the folder to rebuild), runs `quire recommend` on the profiles, then
# bench/foryou/evaluate.py scores it and the two baselines (arxiv-sanity-lite's
# TF-IDF + LinearSVC, logistic regression on the same MiniLM vectors) on the
# same profiles and candidates. Prints nDCG@10 and P@10 per method, for the
# tuning readers and the reported ones (evaluate.py: settings are chosen on
# `tune`, `report` is quoted), then Quire against each baseline on the
# reported readers: per-profile wins/ties/losses and a bootstrap interval.
# The baselines' rankings are cached in bench/foryou/out, so a rerun after a
# change of the model costs only `quire recommend` (seconds).
#
#   bench/foryou_eval.sh [--ablations]
#
# --ablations also runs Quire's model with a weaker L2 penalty, with the
# similarity to the nearest liked paper or the mean similarity to the liked
# papers summed in, and the nearest similarity alone.
set -euo pipefail
cd "$(dirname "$0")/.."

ABLATIONS=0
[ "${1:-}" = "--ablations" ] && ABLATIONS=1

swift build --product quire 2>&1 | grep -E "error|complete" | tail -3
QUIRE=${QUIRE_BIN:-$(swift build --show-bin-path)/quire}
OUT=bench/foryou/out
python3 bench/foryou/make_profiles.py --out "$OUT" > "$OUT/readers.txt"
head -1 "$OUT/readers.txt"
if [ ! -f "$OUT/eval.sqlite" ]; then
  "$QUIRE" import --quiet --db "$OUT/eval.sqlite" "$OUT/corpus.jsonl"
fi
"$QUIRE" embed --db "$OUT/eval.sqlite" >/dev/null 2>&1 || true # a no-op once every paper has its vector

run() { # NAME, then extra options of quire recommend
  local name=$1; shift
  local start=$(date +%s.%N)
  "$QUIRE" recommend --db "$OUT/eval.sqlite" --limit 100 --profiles "$OUT/profiles.jsonl" "$@" > "$OUT/run-$name.jsonl"
  echo "quire recommend ($name): $(echo "$(date +%s.%N) - $start" | bc) s for $(wc -l < "$OUT/profiles.jsonl") profiles, model loading included" >&2
  RUNS+=("$name=$OUT/run-$name.jsonl")
}
RUNS=()
run "Quire"
if [ "$ABLATIONS" = 1 ]; then
  run "Quire l2 0.003" --l2 0.003
  run "Quire l2 0.001" --l2 0.001
  run "Quire+nearest 0.3" --nearest-weight 0.3
  run "Quire l2 0.001+nearest 0.3" --l2 0.001 --nearest-weight 0.3
  run "Quire+mean 0.3" --mean-weight 0.3
  run "nearest only" --linear-weight 0 --nearest-weight 1
fi
python3 bench/foryou/evaluate.py --db "$OUT/eval.sqlite" --out "$OUT" "${RUNS[@]}"
