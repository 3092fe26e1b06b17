"""Run specs: the small text file (JSON) that ``GET /api/runs/{id}/spec``
returns and ``nakpump run --spec FILE`` replays.

A spec names the cell (``tissue``, ``pump-leak`` or a preset of
``catalog.PRESETS``), the initial settings, a lesson's timed steps, every
settings change with its model time (ms), and the chunks the run was
simulated in (``[[chunk_ms, count], ...]``).  Replaying the same chunks with
the same changes repeats the run exactly (the same V, sample for sample).
"""

from __future__ import annotations

from .controls import SettingError
from .sessions import SPEC_FORMAT, CellKind, Run

__all__ = ["replay", "replay_run", "SPEC_FORMAT"]


def replay(spec: dict, kind: CellKind | None = None) -> list[dict]:
    """Repeat the run of ``spec`` (from ``Run.spec``): the same cell, settings,
    changes and chunks; returns its chunk payloads."""
    payloads: list[dict] = []
    replay_run(spec, kind, payloads)
    return payloads


def _check_spec(spec) -> None:
    from ..catalog import PRESETS
    from ..catalog.cells import CELLS

    if not isinstance(spec, dict) or spec.get("format") != SPEC_FORMAT:
        raise ValueError(f"not a spec file of nakpump serve (its 'format' must be {SPEC_FORMAT!r})")
    names = [*CELLS, *PRESETS]
    if not isinstance(spec.get("cell"), str) or spec["cell"] not in names:
        raise ValueError(f"spec cell {str(spec.get('cell'))[:40]!r}; allowed: {', '.join(names)}")
    chunks = spec.get("chunks") or []
    try:
        total = sum(float(ms) * int(n) for ms, n in chunks)
        ok = all(1.0 <= float(ms) <= 10_000.0 and int(n) >= 1 for ms, n in chunks)
        for c in spec.get("changes") or []:
            float(c["at_ms"]), dict(c["settings"])
    except (TypeError, ValueError, KeyError):
        raise ValueError("spec chunks must be [[chunk ms, count], ...] and changes "
                         "[{at_ms, settings}, ...]") from None
    if not ok or total > 1e8:
        raise ValueError("spec chunks out of range (each 1 to 10000 ms, at most 1e8 ms in all)")


def replay_run(spec: dict, kind: CellKind | None = None, payloads: list | None = None) -> Run:
    """The Run that ``spec`` describes, replayed to its end (``payloads`` collects its chunks)."""
    _check_spec(spec)
    kind = kind or CellKind.build(str(spec["cell"]))
    try:
        run = Run(kind, spec.get("settings") or {}, spec.get("lesson"), spec.get("steps") or [])
    except SettingError as err:
        raise ValueError(f"spec settings: {err}") from None
    changes = sorted(spec.get("changes") or [], key=lambda c: float(c["at_ms"]))
    for chunk_ms, count in spec.get("chunks") or []:
        for _ in range(int(count)):
            while changes and float(changes[0]["at_ms"]) <= run.t + 1e-9:
                try:
                    run.update(changes.pop(0)["settings"])
                except SettingError as err:
                    raise ValueError(f"spec change: {err}") from None
            payload = run.advance(float(chunk_ms))
            if payloads is not None:
                payloads.append(payload)
            run.state_end = payload["readouts"]
    return run
