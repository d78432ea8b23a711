"""`quire recommend` on the sample database: the batch form of "For you"
(issue 14). Checks the output format exactly, that the papers a profile gives
are never recommended back, and that bad lines are refused with their line
number while the good ones are still answered."""
import json
import sqlite3
import subprocess


def recommend(quire_bin, db, profiles_path, *extra):
    return subprocess.run([quire_bin, "recommend", "--db", str(db), "--profiles", str(profiles_path), *extra],
                          capture_output=True, text=True, timeout=120)


def paper_ids(db):
    return [row[0] for row in sqlite3.connect(db).execute("SELECT id FROM papers ORDER BY seq")]


def test_recommend_ranks_every_other_paper_in_the_documented_format(quire_bin, sample_db, tmp_path):
    ids = paper_ids(sample_db)
    liked, disliked = ids[:3], ids[3:4]
    profiles = tmp_path / "profiles.jsonl"
    profiles.write_text(json.dumps({"_id": "reader-1", "liked": liked, "disliked": disliked}) + "\n"
                        + json.dumps({"_id": "reader-2", "liked": ids[10:12]}) + "\n")
    done = recommend(quire_bin, sample_db, profiles, "--limit", "1000")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["profile_id"] for line in lines] == ["reader-1", "reader-2"]
    first = lines[0]
    assert set(first) == {"profile_id", "results"}
    assert all(set(r) == {"id", "score"} and isinstance(r["id"], str) and isinstance(r["score"], float) for r in first["results"])
    ranked = [r["id"] for r in first["results"]]
    # Every paper of the database once, except the four the profile gives.
    assert sorted(ranked) == sorted(set(ids) - set(liked) - set(disliked))
    scores = [r["score"] for r in first["results"]]
    assert scores == sorted(scores, reverse=True)
    assert len(recommend(quire_bin, sample_db, profiles, "--limit", "5").stdout.splitlines()[0].split('"id"')) == 6
    # The same profile gets the same ranking on every run.
    assert recommend(quire_bin, sample_db, profiles, "--limit", "1000").stdout == done.stdout


def test_malformed_lines_are_refused_with_their_line_number(quire_bin, sample_db, tmp_path):
    ids = paper_ids(sample_db)
    profiles = tmp_path / "profiles.jsonl"
    profiles.write_text("\n".join([
        json.dumps({"_id": "good", "liked": ids[:2]}),
        '{"_id": "cut", "liked": [',
        json.dumps({"_id": "no-likes", "liked": []}),
        json.dumps({"_id": "unknown", "liked": ["2499.00000"]}),
        json.dumps({"_id": "wrong", "liked": "2401.00001"}),
        "",
        json.dumps({"_id": "also-good", "liked": ids[5:6], "disliked": ["not-a-paper"]}),
    ]) + "\n")
    done = recommend(quire_bin, sample_db, profiles, "--limit", "3")
    assert done.returncode == 1
    assert [json.loads(line)["profile_id"] for line in done.stdout.splitlines()] == ["good", "also-good"]
    errors = done.stderr.splitlines()
    assert f"{profiles}:2: not valid JSON" in errors
    assert f"{profiles}:3: profile no-likes: no liked papers: like at least one paper to get recommendations" in errors
    assert any(e.startswith(f"{profiles}:4: profile unknown: none of the liked papers is in the database") for e in errors)
    assert f"{profiles}:5: field `liked`: expected an array of paper ids" in errors
    assert f"{profiles}:7: profile also-good: ignored unknown papers not-a-paper" in errors
    assert "Fatal" not in done.stderr and "Trace" not in done.stderr


def test_a_missing_profiles_file_is_an_error_not_a_crash(quire_bin, sample_db, tmp_path):
    done = recommend(quire_bin, sample_db, tmp_path / "absent.jsonl")
    assert done.returncode != 0
    assert "cannot read" in done.stderr
