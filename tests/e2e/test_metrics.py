"""`quire serve --metrics-port`: Prometheus metrics on a port of their own,
read back with the Prometheus client library's own parser, from a server on
SQLite and one on PostgreSQL."""
import json
import os
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import SAMPLES, free_port, postgres_database, wait_for


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture(scope="module")
def metered(sample_db, quire_bin, tmp_path_factory):
    port, metrics_port = free_port(), free_port()
    log = open(tmp_path_factory.mktemp("metrics") / "serve.log", "w")
    process = subprocess.Popen([quire_bin, "serve", "--db", str(sample_db), "--port", str(port),
                                "--metrics-port", str(metrics_port), "--no-digests"], stdout=log, stderr=log)
    try:
        wait_for(f"http://127.0.0.1:{port}/health", process)
        yield f"http://127.0.0.1:{port}", f"http://127.0.0.1:{metrics_port}/metrics"
    finally:
        process.terminate()
        process.wait(timeout=10)


def samples(metrics_url):
    status, text = get(metrics_url)
    assert status == 200
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append(sample)
    return found


def total(found, name, **labels):
    return sum(s.value for s in found.get(name, []) if all(s.labels.get(k) == v for k, v in labels.items()))


def test_requests_are_counted_by_route_and_status_class(metered):
    base, metrics_url = metered
    for _ in range(4):
        assert get(base + "/")[0] == 200
    for name in ["ada", "grace", "edsger"]:
        get(f"{base}/authors/{name}")
    assert get(base + "/search?q=transformer")[0] == 200
    assert get(base + "/api/papers/0000.00000-not-a-paper")[0] == 404
    found = samples(metrics_url)
    assert total(found, "quire_http_requests_total", route="/", method="GET", status="2xx") == 4
    assert total(found, "quire_http_requests_total", route="/authors/{slug}") == 3
    assert total(found, "quire_http_request_duration_seconds_count", route="/", status="2xx") == 4
    assert total(found, "quire_search_duration_seconds_count", mode="hybrid") >= 1
    # The database's use, read at each scrape: the requests above opened reader connections.
    assert total(found, "quire_db_reader_connections") >= 1
    assert total(found, "quire_db_reads_running") >= 0 and "quire_db_writes_queued" in found and "quire_db_reads_queued" in found
    # Raw paths never become labels: the series stay bounded.
    for series in found.get("quire_http_requests_total", []):
        assert "grace" not in series.labels["route"] and "not-a-paper" not in series.labels["route"]


def test_embedding_backlog_is_reported(metered):
    _, metrics_url = metered
    deadline = time.time() + 20
    while time.time() < deadline:
        found = samples(metrics_url)
        if "quire_embedding_backlog_papers" in found:
            # The sample database is fully embedded.
            assert total(found, "quire_embedding_backlog_papers") == 0
            return
        time.sleep(0.2)
    pytest.fail("no quire_embedding_backlog_papers in /metrics")


def test_the_readers_port_has_no_metrics(metered):
    base, _ = metered
    assert get(base + "/metrics")[0] == 404


def new_paper(folder, arxiv_id, title):
    """A one-paper snapshot file, as `quire import` reads them."""
    record = {"id": arxiv_id, "submitter": "Ada", "authors": "Ada Lovelace", "title": title, "comments": None, "journal-ref": None,
              "doi": None, "categories": "cs.CL", "license": None, "abstract": f"{title}, imported while the server runs.",
              "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}], "update_date": "2008-11-13",
              "authors_parsed": [["Lovelace", "Ada", ""]]}
    path = folder / f"{arxiv_id}.jsonl"
    path.write_text(json.dumps(record) + "\n")
    return str(path)


def index_catches_up(quire_bin, db, metrics_url, folder):
    """Imports a paper in another process: the keyword index is behind the
    feed, then (followed every second, nobody searching) back at 0 within 5 s."""
    imported = subprocess.run([quire_bin, "import", "--no-embed", "--db", db, new_paper(folder, "2511.00042", "Laggard lemmings")],
                              capture_output=True, text=True, timeout=120)
    assert imported.returncode == 0, imported.stderr
    deadline, seen = time.time() + 5, []
    while time.time() < deadline:
        found = samples(metrics_url)
        seen.append((total(found, "quire_keyword_index_lag_changes"), total(found, "quire_keyword_index_lag_seconds")))
        if seen[-1] == (0, 0):
            return seen
        time.sleep(0.05)
    pytest.fail(f"the keyword index did not catch up: {seen[-5:]}")


def test_keyword_index_lag_on_sqlite(metered, sample_db, quire_bin, tmp_path):
    _, metrics_url = metered
    deadline = time.time() + 20
    while total(samples(metrics_url), "quire_keyword_index_lag_changes") != 0:
        assert time.time() < deadline, "the index did not load"
        time.sleep(0.2)
    copy = tmp_path / "copy.sqlite"
    # The shared sample database stays as it is: the server reads a copy.
    subprocess.run([quire_bin, "backup", "--db", str(sample_db), "--to", str(copy)], check=True, capture_output=True)
    port, metrics_port = free_port(), free_port()
    process = subprocess.Popen([quire_bin, "serve", "--db", str(copy), "--port", str(port), "--metrics-port", str(metrics_port),
                                "--no-digests", "--no-semantic"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(f"http://127.0.0.1:{port}/health", process)
        index_catches_up(quire_bin, str(copy), f"http://127.0.0.1:{metrics_port}/metrics", tmp_path)
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def metered_postgres(quire_bin, tmp_path_factory):
    """`quire serve --metrics-port` on a PostgreSQL database of its own holding the sample papers."""
    folder = tmp_path_factory.mktemp("metrics-pg")
    with postgres_database() as db:
        for sample in SAMPLES:
            subprocess.run([quire_bin, "import", "--no-embed", "--db", db, str(sample)], check=True, capture_output=True, timeout=300)
        port, metrics_port = free_port(), free_port()
        log = open(folder / "serve.log", "w")
        env = dict(os.environ, QUIRE_MAIL_DIR=str(folder / "mail"), QUIRE_MAIL_FROM="Quire <quire@example.org>")
        process = subprocess.Popen([quire_bin, "serve", "--db", db, "--port", str(port), "--metrics-port", str(metrics_port),
                                    "--no-digests", "--no-semantic"], stdout=log, stderr=log, env=env)
        try:
            wait_for(f"http://127.0.0.1:{port}/health", process)
            yield db, f"http://127.0.0.1:{port}", f"http://127.0.0.1:{metrics_port}/metrics", folder
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_postgres_pool_use(metered_postgres):
    _, base, metrics_url, _ = metered_postgres
    for _ in range(3):
        assert get(base + "/")[0] == 200
    assert get(base + "/search?q=diphoton")[0] == 200
    found = samples(metrics_url)
    assert total(found, "quire_http_requests_total", route="/", status="2xx") == 3
    # This server's own connections, as PostgreSQL lists them: the scrape's one is idle again.
    assert total(found, "quire_db_pool_connections", state="idle") >= 1
    assert total(found, "quire_db_pool_connections", state="busy") >= 0
    assert total(found, "quire_db_pool_max_connections") == 20
    assert total(found, "quire_db_operations_in_flight") >= 0
    # Pages load papers on one connection of their own (the page cache answers the later two): the wait for it is timed.
    assert total(found, "quire_db_pool_wait_seconds_count") >= 1
    assert total(found, "quire_db_pool_wait_seconds_bucket", le="+Inf") == total(found, "quire_db_pool_wait_seconds_count")
    # SQLite's figures are not reported for PostgreSQL.
    assert "quire_db_reader_connections" not in found


def test_keyword_index_lag_on_postgres(metered_postgres, quire_bin):
    db, base, metrics_url, folder = metered_postgres
    index_catches_up(quire_bin, db, metrics_url, folder)
    status, body = get(base + "/api/papers/search?q=lemmings")
    assert status == 200 and "2511.00042" in body
