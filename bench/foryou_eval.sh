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
# --ablations also runs Quire's model without the reader's words (the
# vectors alone: main's model before them, the baseline of the same run),
# with their weight and number changed, the words alone, with a weaker L2
# penalty, with the similarity to the nearest liked paper (kNN) or the mean
# similarity summed in, and the nearest similarity alone; then the "Not
# interested" loop (bench/foryou/dismissals.py: each reader dismisses the
# papers of the top 10 that are not theirs), with dismissals weighed as
# sampled negatives (the default) and as hard ones.
set -euo pipefail
cd "$(dirname "$0")/.."

ABLATIONS=0
[ "${1:-}" = "--ablations" ] && ABLATIONS=1

if [ -z "${QUIRE_BIN:-}" ]; then
  swift build --product quire 2>&1 | grep -E "error|complete" | tail -3
fi
QUIRE=${QUIRE_BIN:-$(swift build --show-bin-path)/quire}
OUT=bench/foryou/out
python3 bench/foryou/make_profiles.py --out "$OUT" > "$OUT/readers.txt"
head -1 "$OUT/readers.txt"
if [ ! -f "$OUT/eval.sqlite" ]; then
  "$QUIRE" import --quiet --db "$OUT/eval.sqlite" "$OUT/corpus.jsonl"
fi
"$QUIRE" embed --no-summaries --db "$OUT/eval.sqlite" >/dev/null 2>&1 || true # a no-op once every paper has its vector (summaries are not used here)

run() { # NAME, then extra options of quire recommend
  local name=$1; shift
  local start=$(date +%s.%N)
  "$QUIRE" recommend --db "$OUT/eval.sqlite" --limit 100 --profiles "$PROFILES/profiles.jsonl" "$@" > "$PROFILES/run-$name.jsonl"
  echo "quire recommend ($name): $(echo "$(date +%s.%N) - $start" | bc) s for $(wc -l < "$PROFILES/profiles.jsonl") profiles, model loading included" >&2
  RUNS+=("$name=$PROFILES/run-$name.jsonl")
}
PROFILES=$OUT
RUNS=()
run "Quire"
if [ "$ABLATIONS" = 1 ]; then
  run "vectors only (main's model)" --keyword-weight 0
  run "words 0.25" --keyword-weight 0.25
  run "words 0.75" --keyword-weight 0.75
  run "words 1.0" --keyword-weight 1
  run "words 0.5, 30 words" --keyword-terms 30
  run "words 0.5, 300 words" --keyword-terms 300
  run "words alone" --linear-weight 0 --keyword-weight 1
  run "words 0.5+nearest 0.3" --nearest-weight 0.3
  run "words 0.5, l2 0.001" --l2 0.001
  run "vectors, l2 0.001" --keyword-weight 0 --l2 0.001
  run "vectors+nearest 0.3" --keyword-weight 0 --nearest-weight 0.3
  run "vectors+mean 0.3" --keyword-weight 0 --mean-weight 0.3
  run "nearest only" --linear-weight 0 --keyword-weight 0 --nearest-weight 1
fi
python3 bench/foryou/evaluate.py --db "$OUT/eval.sqlite" --out "$OUT" "${RUNS[@]}"
if [ "$ABLATIONS" = 1 ]; then
  echo
  echo 'The "Not interested" loop (simulated): each reader dismisses the papers of the top 10 that are not theirs'
  python3 bench/foryou/dismissals.py --out "$OUT" --run "$OUT/run-Quire.jsonl" --dir "$OUT/dismissed"
  PROFILES=$OUT/dismissed
  RUNS=()
  run "dismissals as sampled negatives"
  run "dismissals weighed 0.1 of a liked paper" --dislike-weight 0.1
  run "dismissals as hard negatives (1 liked paper each)" --dislike-weight 1
  python3 bench/foryou/evaluate.py --no-baselines --db "$OUT/eval.sqlite" --out "$OUT/dismissed" "${RUNS[@]}"
fi
