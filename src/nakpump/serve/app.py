"""The explorer's web application (FastAPI): the routes of the HTTP contract
(docs/serve.md), the Server-Sent-Events stream of a run, and the caps.

``create_app()`` returns the app; ``nakpump serve`` runs it with uvicorn.
The two core cells are compiled at startup in a background thread (status
"preparing", then "ready"), the published presets on first use (status "not
started" until then); a run's chunks are simulated in worker threads (at most
``max_workers`` at once) so the event loop stays free; a stream stops when
its client disconnects, at ``max_chunks``, or at the run's cap of model time.

Units: model time ms, speed model ms per wall s, V mV, concentrations mM,
currents uA/cm2, counters amol per cell.
"""

from __future__ import annotations

import asyncio
import json
import math
import threading
import time
import uuid
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .controls import SettingError, validate
from .lessons import LESSONS, get_lesson, public
from .sessions import CORE_TITLES, CellKind, Run

STATIC = Path(__file__).parent / "static"
CORE_CELLS = ("tissue", "pump-leak")
"""Cells compiled at server start."""
PRESET_CELLS = ("hh1952", "cressman2009", "hubel-dahlem2014", "wei2014", "kager2000")
"""Published presets (catalog.PRESETS), compiled on first use in a background thread."""
CELL_NAMES = CORE_CELLS + PRESET_CELLS
SPEED_RANGE = (1.0, 600_000.0)
"""Allowed stream speeds, model ms per wall-clock second (slow motion to 10 model minutes per second)."""
CHUNK_RANGE = (1.0, 10_000.0)
"""Allowed chunk lengths, model ms."""

_KINDS: dict[str, CellKind] = {}
_STATUS: dict[str, str] = {}
_ERRORS: dict[str, str] = {}
_PREP_LOCK = threading.Lock()
_START_LOCK = threading.Lock()


def prepare(names=CORE_CELLS) -> None:
    """Build, compile and warm each cell (a 1 ms run loads the solver); shared by every app
    in the process.  Sets each cell's status: preparing, ready or failed."""
    with _PREP_LOCK:
        for name in names:
            if _STATUS.get(name) == "ready":
                continue
            _STATUS[name] = "preparing"
            _ERRORS.pop(name, None)
            try:
                kind = CellKind.build(name)
                Run(kind).advance(1.0)
                _KINDS[name] = kind
                _STATUS[name] = "ready"
            except Exception as err:  # shown by /api/health; the server keeps serving the others
                _STATUS[name] = "failed"
                _ERRORS[name] = f"{type(err).__name__}: {err}"


def _error(status: int, field: str, allowed: str, message: str) -> JSONResponse:
    return JSONResponse({"detail": [{"field": field, "allowed": allowed, "message": message}]}, status)


def _number(request: Request, name: str, lo: float, hi: float, default: float | None, unit: str):
    """Query parameter ``name`` as a float in [lo, hi], or raise SettingError."""
    raw = request.query_params.get(name)
    allowed = f"{lo:g} to {hi:g} {unit}".strip()
    if raw is None:
        return default
    try:
        x = float(raw)
    except ValueError:
        raise SettingError([{"field": name, "allowed": allowed,
                             "message": f"{name}: {raw[:40]!r} is not a number (allowed {allowed})"}]
                           ) from None
    if not lo <= x <= hi:  # also false for nan
        raise SettingError([{"field": name, "allowed": allowed,
                             "message": f"{name} = {raw[:40]} is out of range (allowed {allowed})"}])
    return x


async def _body(request: Request) -> dict:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise SettingError([{"field": "body", "allowed": "a JSON object",
                             "message": "the request body is not valid JSON"}]) from None
    if not isinstance(data, dict):
        raise SettingError([{"field": "body", "allowed": "a JSON object",
                             "message": "the request body must be a JSON object, not "
                                        f"{type(data).__name__}"}])
    return data


def create_app(preload: bool = True, max_runs_total: int = 64, max_runs_per_client: int = 4,
               max_model_ms_per_run: float = 3_600_000.0, max_workers: int = 4,
               idle_s: float = 600.0) -> FastAPI:
    """The application.

    preload : compile the cells now, in a background thread (else on first use).
    max_runs_total, max_runs_per_client : runs that may exist at once (429 beyond).
    max_model_ms_per_run : model time a run may reach (its stream then ends).
    max_workers : chunks simulated at once (worker threads).
    idle_s : a run with no request or stream for this long is dropped (a closed page).
    """
    import anyio

    app = FastAPI(title="nakpump serve", description="An explorer of the Na+/K+ pump")
    runs: dict[str, Run] = {}
    owner: dict[str, str] = {}
    seen: dict[str, float] = {}
    streaming: set[str] = set()
    limiter = anyio.CapacityLimiter(max_workers)
    app.state.runs = runs
    app.state.caps = {"max_runs_total": max_runs_total, "max_runs_per_client": max_runs_per_client,
                      "max_model_ms_per_run": max_model_ms_per_run, "max_workers": max_workers}

    def start_prepare(names=CORE_CELLS):
        for name in names:  # "preparing" at once (the thread may wait for another cell's build)
            _STATUS.setdefault(name, "preparing")
        threading.Thread(target=prepare, args=(names,), name="nakpump-prepare", daemon=True).start()

    def status(name: str) -> str:
        if name in _STATUS:
            return _STATUS[name]
        return "preparing" if preload and name in CORE_CELLS else "not started"

    if preload:
        start_prepare()

    @app.exception_handler(SettingError)
    async def _setting_error(request: Request, err: SettingError):
        return JSONResponse({"detail": err.details}, 422)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, err: RequestValidationError):
        details = [{"field": ".".join(str(x) for x in e.get("loc", ()) if x not in ("body", "query", "path"))
                    or "body", "allowed": "", "message": str(e.get("msg", "invalid"))} for e in err.errors()]
        return JSONResponse({"detail": details}, 422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, err: StarletteHTTPException):
        return JSONResponse({"detail": [{"field": "", "allowed": "", "message": str(err.detail)}]},
                            err.status_code, headers=getattr(err, "headers", None))

    def _client(request: Request) -> str:
        return request.client.host if request.client else "unknown"

    def _expire() -> None:
        now = time.monotonic()
        for rid in [r for r, t in seen.items() if now - t > idle_s and r not in streaming]:
            _drop(rid)

    def _drop(rid: str) -> None:
        run = runs.pop(rid, None)
        if run is not None:
            run.stop.set()
        owner.pop(rid, None)
        seen.pop(rid, None)

    def _run(rid: str) -> Run | JSONResponse:
        run = runs.get(rid)
        if run is None:
            return _error(404, "id", "an id from POST /api/runs",
                          f"no run {rid[:40]!r} (ended or never made)")
        seen[rid] = time.monotonic()
        return run

    def _kind(name) -> CellKind | JSONResponse:
        if not isinstance(name, str) or name not in CELL_NAMES:
            return _error(404 if isinstance(name, str) else 422, "cell", ", ".join(CELL_NAMES),
                          f"unknown cell {str(name)[:40]!r}; allowed: {', '.join(CELL_NAMES)}")
        if _STATUS.get(name) != "ready":
            if name not in _STATUS:  # first use: compile it in the background (a preset, or no preload)
                with _START_LOCK:
                    if name not in _STATUS:
                        start_prepare((name,) if name in PRESET_CELLS else CORE_CELLS)
            status = _STATUS.get(name, "preparing")
            msg = (f"cell {name} failed to build: {_ERRORS.get(name, '')}" if status == "failed"
                   else f"cell {name} is still preparing (compiling); try again in a few seconds")
            return JSONResponse({"detail": [{"field": "cell", "allowed": "a ready cell", "message": msg}],
                                 "status": status}, 503 if status != "failed" else 500,
                                headers={"Retry-After": "2"})
        return _KINDS[name]

    # ---------------------------------------------------------------- pages --
    @app.get("/", include_in_schema=False)
    async def index():
        page = STATIC / "index.html"
        if page.exists():
            return FileResponse(page)
        return PlainTextResponse("nakpump serve: the page is not installed; the API is under /api", 200)

    if STATIC.is_dir():
        from fastapi.staticfiles import StaticFiles

        app.mount("/static", StaticFiles(directory=STATIC), name="static")

    # ------------------------------------------------------------- the cells --
    @app.get("/api/health")
    async def health():
        return {"ok": True, "cells": {n: status(n) for n in CELL_NAMES},
                "errors": {n: e for n, e in _ERRORS.items()}, "runs": len(runs), "caps": app.state.caps}

    @app.get("/api/cells")
    async def cells():
        from ..catalog import PRESETS

        def pump_mV(n):
            x = _KINDS[n].pump_mV if n in _KINDS else None
            return x if x is not None and math.isfinite(x) else None

        return [{"name": n, "title": CORE_TITLES[n] if n in CORE_TITLES else PRESETS[n].title,
                 "status": status(n), "pump_mV": pump_mV(n)} for n in CELL_NAMES]

    @app.get("/api/cells/{cell}/controls")
    async def controls(cell: str):
        kind = _kind(cell)
        if isinstance(kind, JSONResponse):
            return kind
        return [c.public() for c in kind.controls]

    @app.get("/api/lessons")
    async def lessons():
        return public()

    # -------------------------------------------------------------- the runs --
    @app.post("/api/runs", status_code=201)
    async def new_run(request: Request):
        body = await _body(request)
        unknown = sorted(set(body) - {"cell", "settings", "lesson"})
        if unknown:
            raise SettingError([{"field": str(unknown[0])[:80], "allowed": "cell, settings, lesson",
                                 "message": f"unknown field {str(unknown[0])[:80]!r}; allowed: cell, "
                                            "settings, lesson"}])
        lesson = body.get("lesson")
        steps: list = []
        settings = body.get("settings", {})
        if lesson is not None:
            le = get_lesson(lesson) if isinstance(lesson, str) else None
            if le is None:
                return _error(404 if isinstance(lesson, str) else 422, "lesson",
                              ", ".join(x["id"] for x in LESSONS), f"unknown lesson {str(lesson)[:40]!r}")
            if not isinstance(settings, dict):
                raise SettingError([{"field": "settings", "allowed": "a JSON object of name: number",
                                     "message": "settings must be an object of name: number"}])
            settings = {**le["settings"], **settings}
            steps = le["steps"]
            body.setdefault("cell", le["cell"])
        kind = _kind(body.get("cell", "tissue"))
        if isinstance(kind, JSONResponse):
            return kind
        _expire()
        client = _client(request)
        if len(runs) >= max_runs_total:
            return _error(429, "runs", f"at most {max_runs_total} runs on this server",
                          "the server is full: too many runs at once; try again later")
        if sum(1 for o in owner.values() if o == client) >= max_runs_per_client:
            return _error(429, "runs", f"at most {max_runs_per_client} runs per client",
                          "too many runs from this client: delete one (DELETE /api/runs/{id}) first")
        settings = validate(kind.controls, settings)  # 422 for a bad field
        run = Run(kind, settings, lesson, steps)
        rid = uuid.uuid4().hex[:16]
        runs[rid], owner[rid], seen[rid] = run, client, time.monotonic()
        return JSONResponse({"id": rid, "cell": kind.name, "t_ms": 0.0, "settings": run.settings,
                             "state": run.state()}, 201)

    @app.get("/api/runs/{rid}")
    async def show(rid: str):
        run = _run(rid)
        if isinstance(run, JSONResponse):
            return run
        return {"id": rid, "cell": run.kind.name, "lesson": run.lesson, "t_ms": run.t, "seq": run.seq,
                "settings": run.settings, "streaming": rid in streaming}

    @app.post("/api/runs/{rid}/settings")
    async def settings(rid: str, request: Request):
        run = _run(rid)
        if isinstance(run, JSONResponse):
            return run
        body = await _body(request)
        return {"t_ms": run.t, "settings": run.update(body)}

    @app.post("/api/runs/{rid}/reset")
    async def reset(rid: str):
        run = _run(rid)
        if isinstance(run, JSONResponse):
            return run
        await anyio.to_thread.run_sync(_locked_reset, run, limiter=limiter)
        return {"t_ms": run.t, "settings": run.settings, "state": run.state()}

    def _locked_reset(run: Run):
        with run.lock:
            run.reset()

    @app.delete("/api/runs/{rid}", status_code=204)
    async def delete(rid: str):
        run = _run(rid)
        if isinstance(run, JSONResponse):
            return run
        _drop(rid)
        return Response(status_code=204)

    @app.get("/api/runs/{rid}/csv")
    async def csv(rid: str):
        run = _run(rid)
        if isinstance(run, JSONResponse):
            return run
        return Response(run.csv(), media_type="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="nakpump-{rid}.csv"'})

    @app.get("/api/runs/{rid}/spec")
    async def spec(rid: str):
        run = _run(rid)
        if isinstance(run, JSONResponse):
            return run
        head = {"Content-Disposition": f'attachment; filename="nakpump-{rid}.json"'}
        return PlainTextResponse(json.dumps(run.spec(), indent=1) + "\n", headers=head)

    @app.get("/api/runs/{rid}/stream")
    async def stream(rid: str, request: Request):
        run = _run(rid)
        if isinstance(run, JSONResponse):
            return run
        for key in request.query_params:
            if key not in ("speed", "chunk_ms", "max_chunks"):
                raise SettingError([{"field": key[:40], "allowed": "speed, chunk_ms, max_chunks",
                                     "message": f"unknown query parameter {key[:40]!r}"}])
        speed = _number(request, "speed", *SPEED_RANGE, 1000.0, "model ms per s")
        chunk_ms = _number(request, "chunk_ms", *CHUNK_RANGE, None, "ms")
        max_chunks = _number(request, "max_chunks", 1, 1e6, 1e6, "chunks")
        if chunk_ms is None:  # about 5 chunks a second of wall time
            chunk_ms = min(max(speed / 5.0, CHUNK_RANGE[0]), CHUNK_RANGE[1])
        if rid in streaming:
            return _error(409, "id", "one stream per run", "this run is already streaming to another page; "
                          "close it first")
        streaming.add(rid)

        async def events():
            sent = 0
            next_at = time.monotonic()
            try:
                while sent < max_chunks and not run.stop.is_set():
                    if run.t >= max_model_ms_per_run - 1e-9:
                        yield _sse("end", {"reason": f"the run reached its cap of {max_model_ms_per_run:g} "
                                                     "ms of model time", "t_ms": run.t})
                        return
                    if await request.is_disconnected():
                        return
                    ms = min(chunk_ms, max_model_ms_per_run - run.t)
                    try:
                        payload = await anyio.to_thread.run_sync(run.advance, ms, limiter=limiter)
                    except Exception as err:  # a solver failure ends this stream, not the server
                        yield _sse("error", {"message": f"the simulation stopped: {err}"[:500]})
                        return
                    seen[rid] = time.monotonic()
                    yield _sse("chunk", payload)
                    sent += 1
                    next_at += ms / speed
                    wait = next_at - time.monotonic()
                    if wait > 0:
                        await asyncio.sleep(wait)
                    else:
                        next_at = time.monotonic()
                why = "max_chunks" if sent >= max_chunks else "stopped"
                yield _sse("end", {"reason": why, "t_ms": run.t})
            finally:
                streaming.discard(rid)
                seen[rid] = time.monotonic()

        return StreamingResponse(events(), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    return app


def _sse(event: str, data: dict) -> str:
    return f"event: {event}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"
