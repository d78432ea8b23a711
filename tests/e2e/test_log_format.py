"""`quire serve --log-format json`: every line the server logs is one JSON
object with the fields a log collector reads."""
import json
import os
import subprocess
import urllib.request

from conftest import start_quire


def test_json_logs_are_one_object_a_line(quire_bin, tmp_path_factory):
    process, base, _, db = start_quire(quire_bin, tmp_path_factory, "jsonlogs", ["--log-format", "json"])
    try:
        with urllib.request.urlopen(base + "/", timeout=10) as response:
            assert response.status == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
    lines = [line for line in (db.parent / "serve.log").read_text().splitlines() if line.strip()]
    assert lines, "the server logged nothing"
    entries = [json.loads(line) for line in lines]
    for entry in entries:
        assert list(entry)[:4] == ["time", "level", "label", "message"]
        assert entry["level"] in {"trace", "debug", "info", "notice", "warning", "error", "critical"}
    assert any("Quire serving" in entry["message"] for entry in entries)


def test_an_unknown_format_is_refused_clearly(quire_bin, tmp_path):
    result = subprocess.run([quire_bin, "serve", "--db", str(tmp_path / "q.sqlite"), "--log-format", "xml"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert "log-format" in result.stderr and "xml" in result.stderr
    result = subprocess.run([quire_bin, "serve", "--db", str(tmp_path / "q.sqlite")], capture_output=True, text=True,
                            timeout=30, env=dict(os.environ, QUIRE_LOG_FORMAT="yaml"))
    assert result.returncode != 0
    assert "QUIRE_LOG_FORMAT must be text or json" in result.stderr
