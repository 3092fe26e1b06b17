"""Load test of ``nakpump serve`` on loopback: N concurrent clients, each with
its own run, streaming chunks for S seconds from a real uvicorn server (a
subprocess).  Reports the chunk latency (arrival minus the chunk's place in
the stream's schedule: stream start + seq x chunk_ms / speed), its p50/p95/max,
errors, lost chunks (gaps in seq or in model time) and whether every run
stopped advancing once its client disconnected.

    python benchmarks/serve_load.py [--clients 20] [--seconds 30] [--speed 200] [--chunk-ms 200]

Prints a JSON report; exits 1 on any error, lost chunk or run that kept going.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time

SERVER = """
import sys, uvicorn
from nakpump.serve.app import create_app
n = int(sys.argv[2])
uvicorn.run(create_app(max_runs_total=n + 8, max_runs_per_client=n + 8, max_workers=4),
            host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def wait_ready(client, base: str, timeout: float = 300.0) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        try:
            h = (await client.get(f"{base}/api/health")).json()
            started_cells = {k: v for k, v in h["cells"].items() if v != "not started"}  # presets: on use
            if started_cells and all(v == "ready" for v in started_cells.values()):
                return time.perf_counter() - started
            if any(v == "failed" for v in h["cells"].values()):
                raise RuntimeError(f"a cell failed to build: {h['errors']}")
        except Exception as err:  # not listening yet
            if isinstance(err, RuntimeError):
                raise
        await asyncio.sleep(0.1)
    raise TimeoutError("the server did not get ready")


async def warm_click(client, base: str) -> dict:
    """On the idle, warm server: a click that makes a run, a settings change, and the
    time from opening a stream to its first chunk (100 ms of model time), ms."""
    out = {}
    for cell in ("tissue", "pump-leak"):
        t = time.perf_counter()
        r = await client.post(f"{base}/api/runs", json={"cell": cell})
        out[f"new_run_{cell}_ms"] = round((time.perf_counter() - t) * 1000, 1)
        rid = r.json()["id"]
        t = time.perf_counter()
        await client.post(f"{base}/api/runs/{rid}/settings", json={"pump.block": 1})
        out[f"settings_{cell}_ms"] = round((time.perf_counter() - t) * 1000, 1)
        t = time.perf_counter()
        async with client.stream("GET", f"{base}/api/runs/{rid}/stream",
                                 params={"speed": 1000, "chunk_ms": 100, "max_chunks": 1}) as resp:
            async for line in resp.aiter_lines():
                if line.startswith("data:"):
                    out[f"first_chunk_{cell}_ms"] = round((time.perf_counter() - t) * 1000, 1)
                    break
        await client.delete(f"{base}/api/runs/{rid}")
    return out


async def one_client(client, base: str, k: int, seconds: float, speed: float, chunk_ms: float, out: dict):
    cell = "tissue" if k % 2 == 0 else "pump-leak"
    settings = {"stim.on": 1, "stim.frequency": 5 + k % 10}
    clicked = time.perf_counter()
    r = await client.post(f"{base}/api/runs", json={"cell": cell, "settings": settings})
    out["click_s"].append(time.perf_counter() - clicked)
    if r.status_code != 201:
        out["errors"].append(f"client {k}: POST /api/runs {r.status_code} {r.text[:200]}")
        return None
    rid = r.json()["id"]
    interval = chunk_ms / speed
    last_seq, last_t = -1, 0.0
    start = prev = time.perf_counter()
    try:
        async with client.stream("GET", f"{base}/api/runs/{rid}/stream",
                                 params={"speed": speed, "chunk_ms": chunk_ms}) as resp:
            if resp.status_code != 200:
                out["errors"].append(f"client {k}: stream {resp.status_code}")
                return rid
            event = None
            async for line in resp.aiter_lines():
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    now = time.perf_counter()
                    data = json.loads(line[5:])
                    if event != "chunk":
                        out["errors"].append(f"client {k}: event {event}: {line[:200]}")
                        return rid
                    seq = data["seq"]
                    if seq != last_seq + 1 or abs(data["t0"] - last_t) > 1e-6:
                        out["lost"] += 1
                    last_seq, last_t = seq, data["t0"] + chunk_ms
                    out["lag_s"].append(now - (start + seq * interval))
                    if seq > 0:
                        out["latency_s"].append(now - prev - interval)
                    prev = now
                    out["compute_ms"].append(data["compute_ms"])
                    out["chunks"] += 1
                    if now - start >= seconds:
                        break
    except Exception as err:
        out["errors"].append(f"client {k}: {type(err).__name__}: {err}")
    return rid


async def main_async(args) -> dict:
    import httpx

    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(port), str(args.clients)],
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    out = {"errors": [], "lost": 0, "chunks": 0, "latency_s": [], "lag_s": [], "compute_ms": [],
           "click_s": []}
    try:
        limits = httpx.Limits(max_connections=args.clients * 2 + 4)
        async with httpx.AsyncClient(timeout=60.0, limits=limits) as client:
            ready = await wait_ready(client, base)
            startup = time.perf_counter() - started
            warm = await warm_click(client, base)
            ids = await asyncio.gather(*[
                one_client(client, base, k, args.seconds, args.speed, args.chunk_ms, out)
                for k in range(args.clients)])
            # every stream is closed now: each run must stop advancing
            await asyncio.sleep(0.5)
            first = [(await client.get(f"{base}/api/runs/{rid}")).json() for rid in ids if rid]
            await asyncio.sleep(max(1.0, 3 * args.chunk_ms / args.speed))
            second = [(await client.get(f"{base}/api/runs/{rid}")).json() for rid in ids if rid]
            kept_going = sum(1 for a, b in zip(first, second, strict=True)
                             if b["t_ms"] != a["t_ms"] or b["streaming"])
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    def q(values, p, scale=1000.0):
        v = sorted(values)
        return round(v[min(len(v) - 1, int(p * len(v)))] * scale, 1) if v else None

    expected = args.clients * args.seconds * args.speed / args.chunk_ms
    return {"clients": args.clients, "seconds": args.seconds, "speed_model_ms_per_s": args.speed,
            "chunk_ms": args.chunk_ms, "startup_s": round(startup, 2), "ready_wait_s": round(ready, 2),
            "first_click_ms": round(min(out["click_s"]) * 1000, 1) if out["click_s"] else None,
            "click_p95_ms": round(sorted(out["click_s"])[int(0.95 * (len(out["click_s"]) - 1))] * 1000, 1)
            if out["click_s"] else None,
            "chunks": out["chunks"], "chunks_scheduled": int(expected),
            "warm_click": warm,
            "latency_ms": {"p50": q(out["latency_s"], 0.5), "p95": q(out["latency_s"], 0.95),
                           "max": q(out["latency_s"], 1.0),
                           "what": "arrival minus (previous arrival + chunk_ms / speed)"},
            "lag_ms": {"p50": q(out["lag_s"], 0.5), "p95": q(out["lag_s"], 0.95), "max": q(out["lag_s"], 1.0),
                       "what": "arrival minus the stream's ideal schedule (start + seq x chunk_ms / speed)"},
            "compute_ms": {"p50": q(out["compute_ms"], 0.5, 1.0), "p95": q(out["compute_ms"], 0.95, 1.0)},
            "lost_chunks": out["lost"], "errors": out["errors"][:20], "n_errors": len(out["errors"]),
            "runs_still_advancing_after_disconnect": kept_going}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--speed", type=float, default=200.0, help="model ms per wall s")
    parser.add_argument("--chunk-ms", type=float, default=200.0, help="model ms per chunk")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    report = main()
    print(json.dumps(report, indent=1))
    bad = report["n_errors"] or report["lost_chunks"] or report["runs_still_advancing_after_disconnect"]
    sys.exit(1 if bad else 0)
