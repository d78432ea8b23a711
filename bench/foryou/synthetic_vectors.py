#!/usr/bin/env python3
"""Gives every paper of a Quire SQLite database a made-up 384-d unit vector
under the MiniLM model's name, so "For you" can be timed on a corpus far
larger than the model could embed here (bench/foryou_speed.sh). The vectors
are clustered (300 topics, a paper near one), as real ones are; their values
do not matter for timing, only their number and size.

Usage: bench/foryou/synthetic_vectors.py DB
"""
import sqlite3
import sys

import numpy as np

MODEL = "all-MiniLM-L6-v2"
DIMENSION = 384


def main(path: str) -> None:
    db = sqlite3.connect(path)
    seqs = [row[0] for row in db.execute("SELECT seq FROM papers WHERE seq NOT IN (SELECT paper_seq FROM paper_embeddings) ORDER BY seq")]
    random = np.random.default_rng(14)
    topics = random.normal(size=(300, DIMENSION)).astype(np.float32)
    for start in range(0, len(seqs), 10_000):
        batch = seqs[start:start + 10_000]
        vectors = topics[random.integers(0, len(topics), size=len(batch))] + 0.8 * random.normal(size=(len(batch), DIMENSION)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        db.executemany("INSERT INTO paper_embeddings (paper_seq, model, vector) VALUES (?, ?, ?)",
                       [(seq, MODEL, vector.astype("<f4").tobytes()) for seq, vector in zip(batch, vectors)])
        db.commit()
    print(f"{len(seqs)} vectors written", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
