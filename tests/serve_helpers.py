"""Shared helpers of the serve tests: a TestClient on an app whose cells are
prepared once per process, and a reader of the SSE stream."""

from __future__ import annotations

import json

import pytest

fastapi = pytest.importorskip("fastapi", reason="the serve extra (fastapi) is not installed")


def make_client(**caps):
    from fastapi.testclient import TestClient

    from nakpump.serve.app import create_app, prepare

    prepare()
    return TestClient(create_app(preload=False, **caps))


def read_stream(client, rid: str, **query) -> list[tuple[str, dict]]:
    """(event, data) of every event of a bounded stream (give max_chunks)."""
    events = []
    with client.stream("GET", f"/api/runs/{rid}/stream", params=query) as resp:
        assert resp.status_code == 200, resp.read()
        event = None
        for line in resp.iter_lines():
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:"):
                events.append((event, json.loads(line[5:])))
    return events


def chunks(events) -> list[dict]:
    return [d for e, d in events if e == "chunk"]
