#!/usr/bin/env python3
"""Scores "For you" rankings against the held-out papers of make_profiles.py,
and runs the two baselines on the same profiles and the same candidates
(every paper in the database except the profile's liked and disliked ones):

  arxiv-sanity-lite: TF-IDF of title + abstract (compute.py's vectorizer:
    unigrams and bigrams, 20,000 features, sublinear tf, min_df 5, max_df 0.5,
    English stop words), LinearSVC(C=0.01, class_weight="balanced",
    max_iter=10000, tol=1e-6) trained as serve.py does: the liked papers
    against every other paper, ranked by decision_function.
  logistic regression (Scholar Inbox's): sklearn LogisticRegression(C=1.0,
    class_weight="balanced", max_iter=1000) on the same stored MiniLM vectors,
    the liked papers against every other paper.

usage: evaluate.py --db DB --out DIR RUN.jsonl [NAME=RUN.jsonl ...]
Prints nDCG@10 and P@10 per method, over all profiles and per kind of reader,
separately for the tuning readers and the reported ones: a reader (group) is
one or the other by a hash of its name, so that every split of a reader is on
the same side (its splits share most held-out papers: tuning on some splits
of a reader and reporting others would leak). Choose settings on `tune`,
quote `report`. Then, on the reported readers, the first run against each
other method: per-profile wins/ties/losses on nDCG@10 and a 95 % bootstrap
interval of the mean difference, resampling readers (not profiles: a
reader's splits are not independent).

The baselines' rankings are cached in DIR (keyed by the profiles and the
database's vectors), so rerunning after a change of Quire's model costs only
`quire recommend`.
"""
import argparse
import hashlib
import json
import math
import os
import sqlite3
import sys
from collections import defaultdict

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

K = 10
BOOTSTRAP = 2000


def side(group):
    """'tune' or 'report', fixed per reader."""
    return "tune" if int(hashlib.md5(group.encode()).hexdigest(), 16) % 2 == 0 else "report"


def ndcg(ranked, relevant):
    dcg = sum(1 / math.log2(i + 2) for i, pid in enumerate(ranked[:K]) if pid in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(K, len(relevant))))
    return dcg / ideal if ideal else 0.0


def precision(ranked, relevant):
    return sum(1 for pid in ranked[:K] if pid in relevant) / K


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_vectors(db):
    """The vectors Quire stored (float32 blobs), in the database's order."""
    rows = sqlite3.connect(db).execute(
        "SELECT p.id, p.title, p.abstract, e.vector FROM paper_embeddings e JOIN papers p ON p.seq = e.paper_seq ORDER BY e.paper_seq").fetchall()
    ids = [r[0] for r in rows]
    texts = [f"{r[1]} {r[2]}" for r in rows]
    vectors = np.stack([np.frombuffer(r[3], dtype=np.float32) for r in rows])
    return ids, texts, vectors


def top(scores, ids, given):
    order = np.argsort(-scores, kind="stable")
    return [ids[i] for i in order if ids[i] not in given][:K]


def baselines(db, profiles):
    ids, texts, vectors = load_vectors(db)
    position = {pid: i for i, pid in enumerate(ids)}
    tfidf = TfidfVectorizer(input="content", encoding="utf-8", decode_error="replace", strip_accents="unicode",
                            lowercase=True, analyzer="word", stop_words="english",
                            token_pattern=r"(?u)\b[a-zA-Z_][a-zA-Z0-9_]+\b", ngram_range=(1, 2), max_features=20000,
                            norm="l2", use_idf=True, smooth_idf=True, sublinear_tf=True, max_df=0.5, min_df=5)
    x_text = tfidf.fit_transform(texts).astype(np.float32)
    runs = {"arxiv-sanity-lite (TF-IDF + LinearSVC)": {}, "logistic regression on MiniLM": {}}
    for profile in profiles:
        given = set(profile["liked"]) | set(profile.get("disliked", []))
        y = np.zeros(len(ids))
        for pid in profile["liked"]:
            y[position[pid]] = 1
        svm = LinearSVC(class_weight="balanced", verbose=False, max_iter=10000, tol=1e-6, C=0.01).fit(x_text, y)
        runs["arxiv-sanity-lite (TF-IDF + LinearSVC)"][profile["_id"]] = top(svm.decision_function(x_text), ids, given)
        lr = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000).fit(vectors, y)
        runs["logistic regression on MiniLM"][profile["_id"]] = top(lr.decision_function(vectors), ids, given)
    return runs


def cached_baselines(db, out, profiles):
    """`baselines`, read from DIR when the same profiles were ranked over the same vectors."""
    key = hashlib.sha256()
    key.update(open(os.path.join(out, "profiles.jsonl"), "rb").read())
    for row in sqlite3.connect(db).execute("SELECT p.id, e.vector FROM paper_embeddings e JOIN papers p ON p.seq = e.paper_seq ORDER BY e.paper_seq"):
        key.update(row[0].encode()); key.update(row[1])
    path = os.path.join(out, f"baselines-{key.hexdigest()[:16]}.json")
    if os.path.exists(path):
        return json.load(open(path))
    runs = baselines(db, profiles)
    with open(path + ".tmp", "w") as f:
        json.dump(runs, f)
    os.replace(path + ".tmp", path)
    return runs


def table(runs, profiles, qrels, title):
    kinds = sorted({qrels[p["_id"]]["group"].split(":")[0] for p in profiles})
    print(f"{title}: {len(profiles)} profiles ({len({qrels[p['_id']]['group'] for p in profiles})} readers x splits)")
    print(f"{'method':44} {'nDCG@10':>8} {'P@10':>6}" + "".join(f" {k + ' nDCG':>14} {k + ' P@10':>11}" for k in kinds))
    scores = {}
    for name, ranked in runs.items():
        totals, by_kind = [0.0, 0.0], defaultdict(lambda: [0.0, 0.0, 0])
        missing = [p["_id"] for p in profiles if p["_id"] not in ranked]
        if missing:
            print(f"{name}: no ranking for {len(missing)} profiles, e.g. {missing[0]}", file=sys.stderr)
        scores[name] = {}
        for profile in profiles:
            q = qrels[profile["_id"]]
            relevant = set(q["relevant"])
            r = ranked.get(profile["_id"], [])
            n, p = ndcg(r, relevant), precision(r, relevant)
            scores[name][profile["_id"]] = n
            totals[0] += n; totals[1] += p
            kind = by_kind[q["group"].split(":")[0]]
            kind[0] += n; kind[1] += p; kind[2] += 1
        line = f"{name:44} {totals[0] / len(profiles):8.4f} {totals[1] / len(profiles):6.4f}"
        line += "".join(f" {by_kind[k][0] / by_kind[k][2]:14.4f} {by_kind[k][1] / by_kind[k][2]:11.4f}" for k in kinds)
        print(line)
    return scores


def comparison(scores, profiles, qrels):
    """The first method against each other one, on nDCG@10."""
    names = list(scores)
    first = names[0]
    readers = defaultdict(list)
    for p in profiles:
        readers[qrels[p["_id"]]["group"]].append(p["_id"])
    groups = sorted(readers)
    rng = np.random.default_rng(14)
    print(f"{first} against each method, nDCG@10 on these profiles: wins/ties/losses per profile, "
          f"mean difference and its 95 % bootstrap interval over readers ({BOOTSTRAP} resamples)")
    for other in names[1:]:
        diff = {pid: scores[first][pid] - scores[other][pid] for p in profiles for pid in [p["_id"]]}
        wins = sum(d > 1e-9 for d in diff.values()); losses = sum(d < -1e-9 for d in diff.values())
        per_reader = np.array([np.mean([diff[pid] for pid in readers[g]]) for g in groups])
        means = [per_reader[rng.integers(0, len(groups), len(groups))].mean() for _ in range(BOOTSTRAP)]
        low, high = np.percentile(means, [2.5, 97.5])
        print(f"  vs {other:40} {wins:3d}/{len(diff) - wins - losses:3d}/{losses:3d}   {per_reader.mean():+.4f} [{low:+.4f}, {high:+.4f}]")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", required=True, help="folder with profiles.jsonl and qrels.jsonl")
    parser.add_argument("--no-baselines", action="store_true")
    parser.add_argument("runs", nargs="+", help="NAME=FILE: output of `quire recommend`")
    args = parser.parse_args()
    profiles = read_jsonl(os.path.join(args.out, "profiles.jsonl"))
    qrels = {row["profile_id"]: row for row in read_jsonl(os.path.join(args.out, "qrels.jsonl"))}
    runs = {}
    for spec in args.runs:
        name, _, path = spec.rpartition("=")
        runs[name or "Quire"] = {row["profile_id"]: [r["id"] for r in row["results"]] for row in read_jsonl(path)}
    if not args.no_baselines:
        runs.update(cached_baselines(args.db, args.out, profiles))
    for part in ("tune", "report"):
        chosen = [p for p in profiles if side(qrels[p["_id"]]["group"]) == part]
        print()
        scores = table(runs, chosen, qrels, f"{part} readers")
        if part == "report" and len(runs) > 1:
            comparison(scores, chosen, qrels)


if __name__ == "__main__":
    main()
