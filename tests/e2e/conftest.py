"""Shared fixtures for the end-to-end tests: the real `quire` binary, a real
SQLite file filled with the recorded sample data, and a running server."""
import contextlib
import os
import pathlib
import socket
import subprocess
import time
import urllib.request
import uuid

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
QUIRE_BIN = os.environ.get("QUIRE_BIN", str(REPO / ".build" / "debug" / "quire"))

SAMPLES = [
    SHARED / "fixtures/hf-papers/daily_papers-2024-10-25-first8.json",
    SHARED / "fixtures/arxiv-snapshot/first200.jsonl",
]


POSTGRES_SERVER = os.environ.get("QUIRE_TEST_POSTGRES_URL")


@contextlib.contextmanager
def postgres_database():
    """A database of its own on the test server (scripts/postgres.sh), dropped at the end; skips without a server."""
    if not POSTGRES_SERVER:
        pytest.skip("QUIRE_TEST_POSTGRES_URL is not set: eval \"$(bash scripts/postgres.sh start)\"")
    name = "quire_e2e_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", POSTGRES_SERVER, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    try:
        yield POSTGRES_SERVER.rsplit("/", 1)[0] + "/" + name
    finally:
        subprocess.run(["psql", POSTGRES_SERVER, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True, capture_output=True)


@pytest.fixture
def postgres_db():
    """A database of its own for one test."""
    with postgres_database() as address:
        yield address


def psql(address, sql):
    return subprocess.run(["psql", address, "-Atc", sql], check=True, capture_output=True, text=True).stdout.strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"quire serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@pytest.fixture(scope="session")
def quire_bin() -> str:
    assert os.path.exists(QUIRE_BIN), f"build quire first: {QUIRE_BIN} is missing"
    return QUIRE_BIN


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory, quire_bin) -> pathlib.Path:
    db = tmp_path_factory.mktemp("db") / "quire.sqlite"
    subprocess.run([quire_bin, "import", "--db", str(db), *map(str, SAMPLES)], check=True, capture_output=True)
    subprocess.run([quire_bin, "embed", "--db", str(db)], check=True, capture_output=True)
    return db


@pytest.fixture(scope="session")
def server(sample_db, quire_bin, tmp_path_factory):
    """A running `quire serve` on a free loopback port; yields its base URL."""
    port = free_port()
    log = open(tmp_path_factory.mktemp("log") / "serve.log", "w")
    process = subprocess.Popen([quire_bin, "serve", "--db", str(sample_db), "--port", str(port), "--searches-per-minute", "100000"],
                               stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/health", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def arxiv_fixture_server():
    """tests/fixture_server.py on a free port (recorded arXiv and Hugging Face answers); yields its base URL."""
    process = subprocess.Popen(["python3", str(REPO / "tests/fixture_server.py"), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = int(process.stdout.readline().split()[1])
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def start_quire(quire_bin, tmp_path_factory, name, extra_args=(), env=None, samples=True):
    """Starts `quire serve` on a fresh database (with the samples), mail
    written to a folder; returns (process, base URL, mail folder, db path)."""
    folder = tmp_path_factory.mktemp(name)
    db = folder / "quire.sqlite"
    if samples:
        subprocess.run([quire_bin, "import", "--db", str(db), "--no-embed", *map(str, SAMPLES)], check=True, capture_output=True)
    mail = folder / "mail"
    port = free_port()
    environment = dict(os.environ, QUIRE_MAIL_DIR=str(mail), QUIRE_MAIL_FROM="Quire <quire@example.org>")
    environment.update(env or {})
    log = open(folder / "serve.log", "w")
    process = subprocess.Popen([quire_bin, "serve", "--db", str(db), "--port", str(port), "--no-semantic", *extra_args],
                               stdout=log, stderr=log, env=environment)
    base = f"http://127.0.0.1:{port}"
    wait_for(base + "/health", process)
    return process, base, mail, db


@pytest.fixture(scope="session")
def accounts_server(quire_bin, tmp_path_factory, arxiv_fixture_server):
    """A server for reader tests: cheap bcrypt (still bcrypt), generous limits,
    any paper age accepted, unknown papers fetched from the fixture arXiv."""
    process, base, mail, db = start_quire(quire_bin, tmp_path_factory, "accounts", [
        "--bcrypt-cost", "4", "--submission-max-age-days", "100000", "--submissions-per-day", "3",
        "--writes-per-minute", "100000", "--logins-per-five-minutes", "1000", "--signups-per-hour", "100000",
        "--searches-per-minute", "100000", "--arxiv-api-url", arxiv_fixture_server + "/api/query"])
    try:
        yield {"base": base, "mail": mail, "db": db}
    finally:
        process.terminate()
        process.wait(timeout=10)
