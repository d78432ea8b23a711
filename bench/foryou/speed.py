#!/usr/bin/env python3
"""The speed of "For you" (bench/foryou_speed.sh runs this; not a test).

  speed.py training QUIRE DB        -- training and ranking time per profile
  speed.py latency BASE_URL         -- /for-you for a reader with ~200 signals
  speed.py picks QUIRE DB [READERS] [NEW] -- the day's picks of READERS readers over the NEW newest papers

`training` writes profiles of 5 and of 200 signals (150 liked, 50 disliked)
drawn from the database's papers, runs `quire recommend --timings` (the model
the feed trains: the same code) and prints the median and p95 of the time to
train one reader's model, beside the time to score every paper with it once
(the baseline, same run).

`latency` signs a reader up, gives them 200 signals through the API (120
"more like this", 40 upvotes, 40 "not interested"), then times in the same
run: GET /for-you with the model kept; GET /for-you right after a new signal
(the model trained again); and, as the baseline, GET /papers/trending for the
same signed-in reader; then /api/me/feed against /api/daily_papers?sort=trending.

`picks` (issue 14: the day's picks for 10,000 readers over 2,000 new papers
in under a minute on 2 cores) writes READERS profiles (5 to 50 liked papers
and 0 to 10 dismissed, drawn from the older papers) and runs `quire recommend
--among` (the NEW newest papers, as the feed's `since` does) in two processes
at once, half the readers each, one per core. Each reader's model is trained
and then ranks the new papers: the wall time is the whole batch with every
model trained (as after the nightly retraining, the worst case), and the
per-reader figures split training from ranking (ranking alone is the batch
when the models are kept, `ReaderModelCache`). Loading the vectors and the
keyword index is timed apart (once per process, not per reader).
"""
import json
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid

import requests


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def line(name, values, unit="ms"):
    print(f"  {name:<46} median {statistics.median(values):8.2f} {unit}   p95 {percentile(values, 0.95):8.2f} {unit}   (n={len(values)})")


def training(quire, db):
    ids = [row[0] for row in sqlite3.connect(db).execute(
        "SELECT p.id FROM papers p JOIN paper_embeddings e ON e.paper_seq = p.seq ORDER BY p.seq")]
    rng = random.Random(14)
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as profiles:
        for n in range(20):
            profiles.write(json.dumps({"_id": f"five-{n}", "liked": rng.sample(ids, 5)}) + "\n")
        for n in range(20):
            chosen = rng.sample(ids, 200)
            profiles.write(json.dumps({"_id": f"two-hundred-{n}", "liked": chosen[:150], "disliked": chosen[150:]}) + "\n")
    done = subprocess.run([quire, "recommend", "--db", db, "--profiles", profiles.name, "--limit", "30", "--timings"],
                          capture_output=True, text=True, check=True)
    rows = [json.loads(l) for l in done.stderr.splitlines() if l.startswith("{")]
    print(f"Training one reader's model, {rows[0]['papers']} papers with vectors ({db})")
    for prefix, label in [("five-", "5 liked"), ("two-hundred-", "150 liked + 50 disliked")]:
        mine = [r for r in rows if r["profile_id"].startswith(prefix)]
        line(f"train, {label}", [r["train_ms"] for r in mine])
        line(f"baseline: score every paper once, {label}", [r["rank_ms"] for r in mine])


def picks(quire, db, readers=10_000, new=2_000):
    ids = [row[0] for row in sqlite3.connect(db).execute(
        "SELECT p.id FROM papers p JOIN paper_embeddings e ON e.paper_seq = p.seq ORDER BY p.seq")]
    older, newest = ids[:-new], ids[-new:]
    rng = random.Random(14)
    folder = tempfile.mkdtemp()
    with open(f"{folder}/new.txt", "w") as f:
        f.write("\n".join(newest) + "\n")
    halves = [f"{folder}/readers-{half}.jsonl" for half in (0, 1)]
    files = [open(path, "w") for path in halves]
    for n in range(readers):
        chosen = rng.sample(older, rng.randint(5, 50) + rng.randint(0, 10))
        liked = rng.randint(5, min(50, len(chosen)))
        files[n % 2].write(json.dumps({"_id": f"reader-{n}", "liked": chosen[:liked], "disliked": chosen[liked:]}) + "\n")
    for f in files:
        f.close()
    # Loading alone: a run over no profile.
    open(f"{folder}/none.jsonl", "w").close()
    started = time.perf_counter()
    subprocess.run([quire, "recommend", "--db", db, "--profiles", f"{folder}/none.jsonl"], check=True, capture_output=True)
    loading = time.perf_counter() - started
    started = time.perf_counter()
    runs = [subprocess.Popen([quire, "recommend", "--db", db, "--profiles", path, "--among", f"{folder}/new.txt", "--limit", "20", "--timings"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for path in halves]
    rows = []
    for run in runs:
        _, err = run.communicate()
        assert run.returncode == 0, err[-500:]
        rows += [json.loads(l) for l in err.splitlines() if l.startswith("{")]
    wall = time.perf_counter() - started
    print(f"The day's picks: {readers} readers over the {new} newest of {len(ids)} papers, two processes at once ({db})")
    print(f"  loading the vectors and the keyword index: {loading:.1f} s per process (once a day for the server)")
    print(f"  whole batch, every model trained, loading included: {wall:.1f} s wall; without loading: {wall - loading:.1f} s")
    line("train, per reader", [r["train_ms"] for r in rows])
    line("rank the new papers, per reader", [r["rank_ms"] for r in rows])
    per_core = sum(r["rank_ms"] for r in rows) / 1000 / 2
    print(f"  with the models kept (ranking alone): {per_core:.1f} s of ranking per core")


def latency(base, rounds=200):
    s = requests.Session()
    def csrf(page):
        return re.search(r'name="csrf" value="([^"]+)"', s.get(base + page).text).group(1)
    name = "bench" + uuid.uuid4().hex[:8]
    r = s.post(base + "/signup", data={"username": name, "email": f"{name}@example.org", "password": "correct horse battery",
                                       "csrf": csrf("/signup")}, allow_redirects=False)
    assert r.status_code == 303, r.text[:300]
    token_page = s.post(base + "/account/tokens", data={"name": "bench", "csrf": csrf("/account")}).text
    api = requests.Session()
    api.headers["Authorization"] = "Bearer " + re.search(r'id="new-token">([^<]+)<', token_page).group(1)
    ids = [e["paper"]["id"] for e in requests.get(base + "/api/daily_papers?limit=100").json()]
    page = 0
    while len(ids) < 260:
        page += 1
        more = [e["paper"]["id"] for e in requests.get(f"{base}/api/daily_papers?limit=100&p={page}").json()]
        if not more:
            break
        ids += more
    rng = random.Random(14)
    chosen = rng.sample(ids, 260)
    for paper in chosen[:120]:
        assert api.post(f"{base}/api/me/more-like-this/{paper}").status_code == 200
    for paper in chosen[120:160]:
        assert api.post(f"{base}/api/upvotes/{paper}").status_code == 200
    for paper in chosen[160:200]:
        assert api.post(f"{base}/api/me/not-interested/{paper}").status_code == 200
    spare = chosen[200:]

    def timed(get, path, n):
        values = []
        for _ in range(n):
            started = time.perf_counter()
            response = get(base + path)
            values.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code, response.text[:200])
        return values

    assert "Picked for you" in s.get(base + "/for-you").text
    for path in ["/for-you", "/papers/trending"]:
        timed(s.get, path, 10)  # warm

    def interleaved(pairs, n):
        """Each request of each pair in turn, so that both see the same load."""
        results = [[] for _ in pairs]
        for _ in range(n):
            for values, (get, path) in zip(results, pairs):
                values += timed(get, path, 1)
        return results

    print(f"/for-you for a reader with 200 signals ({base}), {rounds} sequential requests each, interleaved with the baseline")
    page, trending = interleaved([(s.get, "/for-you"), (s.get, "/papers/trending")], rounds)
    line("GET /for-you (model kept)", page)
    line("baseline: GET /papers/trending, same reader", trending)
    after, trending_after = [], []
    for n in range(30):
        paper = spare[n // 2 % len(spare)]
        (api.post if n % 2 == 0 else api.delete)(f"{base}/api/me/more-like-this/{paper}")
        after += timed(s.get, "/for-you", 1)
        trending_after += timed(s.get, "/papers/trending", 1)
    line("GET /for-you right after a new signal (retrained)", after)
    line("baseline: GET /papers/trending, same moments", trending_after)
    feed, daily = interleaved([(api.get, "/api/me/feed?limit=20"), (api.get, "/api/daily_papers?sort=trending&limit=20")], rounds)
    line("GET /api/me/feed?limit=20", feed)
    line("baseline: GET /api/daily_papers?sort=trending&limit=20", daily)


if __name__ == "__main__":
    if sys.argv[1] == "training":
        training(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "picks":
        picks(sys.argv[2], sys.argv[3], *[int(a) for a in sys.argv[4:6]])
    else:
        latency(sys.argv[2])
