"""/openapi.json is the truth: schemathesis runs every check it has (`--checks
all`) on every API operation against a running `quire serve`, signed in with
a real reader's API token, and must find nothing.

It runs twice. First with the server's real rate limits, so the 429s (with
Retry-After) that schemathesis provokes are checked against the document too.
Then with a reader allowed many writes a minute, so the write handlers behind
the limit get fuzzed as deeply as the reads instead of answering 429."""
import os
import re
import subprocess
import sys

import pytest
import requests

from conftest import start_quire
from readers import Reader

# Bounded so both runs stay near a minute each on two shared cores; raise
# QUIRE_SCHEMATHESIS_EXAMPLES for a deeper search, change the seed for another.
EXAMPLES = os.environ.get("QUIRE_SCHEMATHESIS_EXAMPLES", "25")
SEED = os.environ.get("QUIRE_SCHEMATHESIS_SEED", "20261128")


def config(base: str, username: str) -> str:
    """A schemathesis.toml that sometimes (half the time) uses identifiers
    the server holds, so the fuzzer reaches past "not found"."""
    entries = requests.get(base + "/api/daily_papers?date=2024-10-25").json()
    papers = sorted({entry["paper"]["id"] for entry in entries})
    organizations = sorted({entry["organization"]["_id"] for entry in entries if entry.get("organization")})

    def values(items):
        return "[" + ", ".join(f'"{item}"' for item in items) + "]"

    return f"""
[dictionaries.papers]
values = {values(papers)}
[dictionaries.organizations]
values = {values(organizations or ["none"])}
[dictionaries.readers]
values = {values([username])}

[dictionaries.webhooks]
values = ["https://8.8.8.8/hooks/quire"]
[parameters]
"path.paper" = {{ dictionary = "papers", probability = 0.5 }}
"query.paper" = {{ dictionary = "papers", probability = 0.5 }}
"body.paper" = {{ dictionary = "papers", probability = 0.5 }}
"path.slug" = {{ dictionary = "organizations", probability = 0.5 }}
"path.username" = {{ dictionary = "readers", probability = 0.5 }}
"body.url" = {{ dictionary = "webhooks", probability = 0.5 }}

# `interest` is a collection's id by its form, but only the reader's own
# interests are accepted; a digest's `timeZone` is any text by its form, but
# only a zone Quire knows is: another is the documented 400, not a failure.
[[operations]]
include-operation-id = ["getMyFeed", "updateMyDigest"]
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404", "409", "429"]
"""


@pytest.mark.parametrize("limits", ["real", "many writes"])
def test_schemathesis_finds_no_failure(quire_bin, tmp_path_factory, arxiv_fixture_server, limits):
    extra = ["--writes-per-minute", "100000"] if limits == "many writes" else []
    process, base, _, db = start_quire(quire_bin, tmp_path_factory, "schemathesis", [
        "--bcrypt-cost", "4", "--no-digests", *extra,
        # Unknown papers a submission names are looked up here, not on arXiv.
        "--arxiv-api-url", arxiv_fixture_server + "/api/query"])
    try:
        reader = Reader(base, username="fuzzer")
        subprocess.run([quire_bin, "user", "add", "--moderator", "--password-stdin", "--db", str(db), reader.username, reader.email],
                       input=reader.password, text=True, check=True, capture_output=True)
        assert reader.login().status_code == 303
        token = reader.token("schemathesis")

        folder = tmp_path_factory.mktemp("schemathesis")
        (folder / "schemathesis.toml").write_text(config(base, reader.username))
        run = subprocess.run([
            # The same Python that scripts/setup.sh installed it into, whatever PATH says.
            sys.executable, "-m", "schemathesis.cli", "--config-file", str(folder / "schemathesis.toml"), "run", base + "/openapi.json",
            "--checks", "all",
            "--header", f"Authorization: Bearer {token}",
            "--phases", "examples,coverage,fuzzing,stateful",
            "--max-examples", EXAMPLES, "--seed", SEED,
            # One worker: hypothesis describing strategies from two threads trips
            # a CPython 3.11 bug in ast.parse ("recursion depth mismatch").
            "--workers", "1", "--request-timeout", "20",
            "--report", "junit", "--report-dir", str(folder / "report"),
            "--no-color",
        ], capture_output=True, text=True, timeout=600, cwd=folder)  # its caches (.schemathesis, .hypothesis) stay out of the tree
        output = run.stdout + run.stderr
        print(output[-8000:])
        operations = re.search(r"Operations:\s+(\d+) selected / (\d+) total", output)
        assert operations and operations.group(1) == operations.group(2) and int(operations.group(1)) >= 30, output[:2000]
        assert run.returncode == 0, output[-8000:]
        assert re.search(r"\d+ generated, \d+ passed", output) and "failed" not in output.split("SUMMARY")[-1], output[-8000:]
    finally:
        process.terminate()
        process.wait(timeout=10)
