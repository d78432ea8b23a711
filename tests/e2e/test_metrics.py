"""`quire serve --metrics-port`: Prometheus metrics on a port of their own,
read back with the Prometheus client library's own parser."""
import subprocess
import time
import urllib.error
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import free_port, wait_for


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
    assert total(found, "quire_db_reads_running") >= 0 and "quire_db_writes_queued" in found
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
