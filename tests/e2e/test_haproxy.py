"""Two `quire serve` on one database behind HAProxy (scripts/haproxy.sh, as
docs/deploy.md sets it up): pages and Hugging Face's client work through the
proxy, both servers answer, and with `--trust-proxy` the servers believe
only what the proxy itself says (never a client's forged headers), while
absolute links always come from `--public-url`."""
import os
import subprocess

import pytest
import requests
from huggingface_hub import HfApi
from prometheus_client.parser import text_string_to_metric_families

from conftest import REPO, free_port, start_quire, wait_for

SCRIPT = str(REPO / "scripts/haproxy.sh")
SEARCH_LIMIT = 20


def proxy(folder, backends, port=None, proto="http"):
    """Starts HAProxy in `folder`; returns its base URL."""
    env = dict(os.environ, HAPROXY_DIR=str(folder), HAPROXY_FORWARDED_PROTO=proto)
    if port:
        env["HAPROXY_PORT"] = str(port)
    out = subprocess.run(["bash", SCRIPT, "start", *map(str, backends)], env=env, check=True,
                         capture_output=True, text=True, timeout=30).stdout
    return out.strip().split("=", 1)[1]


def stop_proxy(folder):
    subprocess.run(["bash", SCRIPT, "stop"], env=dict(os.environ, HAPROXY_DIR=str(folder)), timeout=30)


@pytest.fixture(scope="module")
def cluster(quire_bin, tmp_path_factory):
    proxy_port = free_port()
    public = f"http://127.0.0.1:{proxy_port}"
    metrics = [free_port(), free_port()]
    common = ["--trust-proxy", "--public-url", public, "--searches-per-minute", str(SEARCH_LIMIT), "--no-digests"]
    first, first_base, _, db = start_quire(quire_bin, tmp_path_factory, "proxied-a", [*common, "--metrics-port", str(metrics[0])])
    folder = tmp_path_factory.mktemp("proxied-b")
    port = free_port()
    log = open(folder / "serve.log", "w")
    second = subprocess.Popen([quire_bin, "serve", "--db", str(db), "--port", str(port), "--no-semantic",
                               *common, "--metrics-port", str(metrics[1])], stdout=log, stderr=log)
    proxies = [tmp_path_factory.mktemp("haproxy"), tmp_path_factory.mktemp("haproxy-tls")]
    try:
        wait_for(f"http://127.0.0.1:{port}/health", second)
        backends = [first_base.rsplit(":", 1)[1], port]
        base = proxy(proxies[0], backends, port=proxy_port)
        # The same servers as seen from behind a TLS terminator: the proxy says https.
        tls_base = proxy(proxies[1], backends, proto="https")
        wait_for(base + "/health", first)
        yield {"base": base, "tls_base": tls_base, "public": public,
               "metrics": [f"http://127.0.0.1:{m}/metrics" for m in metrics]}
    finally:
        for folder in proxies:
            stop_proxy(folder)
        for process in (first, second):
            process.terminate()
            process.wait(timeout=10)


def requests_served(metrics_url):
    text = requests.get(metrics_url, timeout=10).text
    return sum(sample.value for family in text_string_to_metric_families(text) for sample in family.samples
               if sample.name == "quire_http_requests_total")


def test_pages_through_the_proxy_are_served_by_both_servers(cluster):
    for _ in range(6):
        response = requests.get(cluster["base"] + "/", timeout=10)
        assert response.status_code == 200 and "text/html" in response.headers["content-type"]
    assert requests.get(cluster["base"] + "/papers/0704.0001", timeout=10).status_code == 200
    assert all(requests_served(url) >= 3 for url in cluster["metrics"])


def test_hugging_face_client_through_the_proxy(cluster):
    hugging_face_client_works(cluster["base"])


def hugging_face_client_works(base):
    """Hugging Face's own client, pointed at `base`, reads the daily list, a paper and a search."""
    api = HfApi(endpoint=base, token=False)
    papers = list(api.list_daily_papers(date="2024-10-25"))
    assert len(papers) == 8 and papers[0].id == "2410.17243"
    assert api.paper_info("0704.0001").title.startswith("Calculation of prompt diphoton production")
    assert list(api.list_papers(query="contrastive loss batch size memory", limit=5))[0].id == "2410.17243"


def test_absolute_links_come_from_the_public_url_whatever_the_host(cluster):
    forged = {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"}
    feed = requests.get(cluster["base"] + "/feeds/daily/atom", headers=forged, timeout=10)
    assert feed.status_code == 200
    assert cluster["public"] + "/papers/" in feed.text
    assert "evil.example" not in feed.text


def test_https_is_believed_from_the_proxy_only(cluster):
    # A client's own X-Forwarded-Proto is replaced by the proxy's "http": no Secure cookie.
    plain = requests.get(cluster["base"] + "/", headers={"X-Forwarded-Proto": "https"}, timeout=10)
    assert "set-cookie" in plain.headers and "secure" not in plain.headers["set-cookie"].lower()
    # Behind a proxy that says https (TLS ended before it), cookies are Secure.
    tls = requests.get(cluster["tls_base"] + "/", timeout=10)
    assert "secure" in tls.headers["set-cookie"].lower()


def test_a_forged_forwarded_for_does_not_escape_the_rate_limit(cluster):
    # With --trust-proxy the client is the last X-Forwarded-For entry, the one
    # HAProxy appends: made-up entries before it change nothing.
    statuses = [requests.get(cluster["base"] + "/api/papers/search", params={"q": "loss"},
                             headers={"X-Forwarded-For": f"203.0.113.{i}"}, timeout=10).status_code
                for i in range(2 * SEARCH_LIMIT + 10)]
    assert 429 in statuses
