"""A short version of ``benchmarks/serve_load.py``: 20 clients streaming from
a real uvicorn server on loopback; no error, no lost chunk, every run stops
when its client disconnects.  Marked slow (about 15 s)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytest.importorskip("uvicorn", reason="the serve extra (uvicorn) is not installed")
pytest.importorskip("httpx", reason="httpx is not installed")


@pytest.mark.slow
def test_twenty_clients_stream_without_loss():
    path = Path(__file__).parents[1] / "benchmarks" / "serve_load.py"
    spec = importlib.util.spec_from_file_location("serve_load", path)
    load = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(load)
    report = load.main(["--clients", "20", "--seconds", "6", "--speed", "200", "--chunk-ms", "200"])
    print(report)
    assert report["n_errors"] == 0, report["errors"]
    assert report["lost_chunks"] == 0
    assert report["runs_still_advancing_after_disconnect"] == 0
    assert report["chunks"] >= 20  # every client got at least one chunk


@pytest.mark.slow
def test_nakpump_serve_command_serves_the_api():
    import json
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "nakpump", "serve", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert f"http://localhost:{port}/" in proc.stdout.readline()
        deadline = time.monotonic() + 240
        health = {}
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=5) as r:
                    health = json.load(r)
                if {health["cells"][n] for n in ("tissue", "pump-leak")} == {"ready"}:  # presets: on use
                    break
            except OSError:
                pass
            time.sleep(0.2)
        assert {health.get("cells", {}).get(n) for n in ("tissue", "pump-leak")} == {"ready"}, health
    finally:
        proc.terminate()
        proc.wait(20)
