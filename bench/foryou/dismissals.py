#!/usr/bin/env python3
"""The "Not interested" loop of the feed, simulated on the evaluation's readers
(make_profiles.py has no dislikes: its records carry none).

Each reader is shown a run's top 10 and dismisses the ones that are not
theirs (not in their held-out papers): those become the profile's `disliked`.
Writes DIR/profiles.jsonl and DIR/qrels.jsonl (the same held-out papers, so
evaluate.py --no-baselines scores reruns of `quire recommend` on them): the
question is how well the model ranks the rest once the reader has said what
they do not want, with dismissals weighed as hard negatives or as one more
sampled paper (`--dislike-weight 0`). A simulation, said so with its figures:
a real reader dismisses what they would not read, not exactly what is outside
an arXiv category.

usage: dismissals.py --out OUT --run RUN.jsonl --dir DIR
"""
import argparse
import json
import os


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True, help="the evaluation's folder (profiles.jsonl, qrels.jsonl)")
    parser.add_argument("--run", required=True, help="output of `quire recommend` on those profiles")
    parser.add_argument("--dir", required=True, help="where to write the profiles with dismissals")
    parser.add_argument("--shown", type=int, default=10)
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    qrels = {}
    with open(os.path.join(args.out, "qrels.jsonl")) as f:
        for line in f:
            row = json.loads(line)
            qrels[row["profile_id"]] = row
    shown = {}
    with open(args.run) as f:
        for line in f:
            row = json.loads(line)
            shown[row["profile_id"]] = [r["id"] for r in row["results"][:args.shown]]
    dismissed = 0
    with open(os.path.join(args.out, "profiles.jsonl")) as f, open(os.path.join(args.dir, "profiles.jsonl"), "w") as out:
        for line in f:
            profile = json.loads(line)
            relevant = set(qrels[profile["_id"]]["relevant"])
            profile["disliked"] = [pid for pid in shown.get(profile["_id"], []) if pid not in relevant]
            dismissed += len(profile["disliked"])
            out.write(json.dumps(profile) + "\n")
    with open(os.path.join(args.out, "qrels.jsonl")) as f, open(os.path.join(args.dir, "qrels.jsonl"), "w") as out:
        out.write(f.read())
    print(f"{len(qrels)} profiles, {dismissed} papers dismissed of the top {args.shown} shown ({dismissed / max(len(qrels), 1):.1f} a profile)")


if __name__ == "__main__":
    main()
