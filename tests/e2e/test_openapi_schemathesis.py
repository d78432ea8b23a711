"""/openapi.json is the truth: schemathesis runs every check it has (`--checks
all`) on every API operation against a running `quire serve`, signed in with
a real reader's API token, and must find nothing. The server keeps its real
rate limits: 429s (with Retry-After) are part of the document."""
import os
import re
import subprocess

from conftest import start_quire
from readers import Reader

# Bounded so the run stays near two minutes on two shared cores; raise
# QUIRE_SCHEMATHESIS_EXAMPLES for a deeper search.
EXAMPLES = os.environ.get("QUIRE_SCHEMATHESIS_EXAMPLES", "25")
SEED = os.environ.get("QUIRE_SCHEMATHESIS_SEED", "20261128")


def test_schemathesis_finds_no_failure(quire_bin, tmp_path_factory, arxiv_fixture_server):
    process, base, _, db = start_quire(quire_bin, tmp_path_factory, "schemathesis", [
        "--bcrypt-cost", "4", "--no-digests",
        # Unknown papers a submission names are looked up here, not on arXiv.
        "--arxiv-api-url", arxiv_fixture_server + "/api/query"])
    try:
        reader = Reader(base, username="fuzzer")
        subprocess.run([quire_bin, "user", "add", "--moderator", "--password-stdin", "--db", str(db), reader.username, reader.email],
                       input=reader.password, text=True, check=True, capture_output=True)
        assert reader.login().status_code == 303
        token = reader.token("schemathesis")

        report = tmp_path_factory.mktemp("schemathesis-report")
        run = subprocess.run([
            "schemathesis", "run", base + "/openapi.json",
            "--checks", "all",
            "--header", f"Authorization: Bearer {token}",
            "--phases", "examples,coverage,fuzzing,stateful",
            "--max-examples", EXAMPLES, "--seed", SEED,
            "--workers", "2", "--request-timeout", "20",
            "--report", "junit", "--report-dir", str(report),
            "--no-color",
        ], capture_output=True, text=True, timeout=600)
        output = run.stdout + run.stderr
        print(output[-6000:])
        summary = re.search(r"API Operations:\s+(\d+) selected / (\d+) total", output)
        assert summary and summary.group(1) == summary.group(2), "every operation is tested"
        assert run.returncode == 0, output[-6000:]
        assert "No issues found" in output, output[-6000:]
    finally:
        process.terminate()
        process.wait(timeout=10)
