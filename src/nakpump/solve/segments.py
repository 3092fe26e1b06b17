"""A protocol as segments: the intervals between its edges, each with the
parameter vector in force and the concentration changes made at its start.
Solvers integrate segment by segment and never step across an edge."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..model.protocol import Protocol, SetConcentration, SetParameter


@dataclass
class Segment:
    """[t0, t1] ms with parameters ``p``; ``resets``: (ion, mM) set outside at t0."""

    t0: float
    t1: float
    p: np.ndarray
    resets: list = field(default_factory=list)


def segments(system, protocol: Protocol, duration: float, p0: np.ndarray | None = None) -> list[Segment]:
    """The segments of ``protocol`` over [0, duration] ms for ``system``, from
    the parameters ``p0`` (default ``system.p0``).  Every parameter change is
    checked (name and range) here, before any solving, including those after
    the end of the run."""
    lay = system.layout
    stim = lay.param(lay.membranes[0]["stim"])
    edges = protocol.edges(duration)
    currents = protocol.current_at(edges[:-1])
    changes = protocol.changes()
    for ev in changes:
        if isinstance(ev, SetParameter):
            system.index(ev.name)
            system.check_value(ev.name, ev.value)
    p = (system.p0 if p0 is None else p0).copy()
    out = []
    ci = 0
    for t0, t1, current in zip(edges[:-1], edges[1:], currents, strict=True):
        resets = []
        while ci < len(changes) and changes[ci].time <= t0:
            ev = changes[ci]
            p = p.copy()
            if isinstance(ev, SetParameter):
                p[system.index(ev.name)] = system.check_value(ev.name, ev.value)
            elif isinstance(ev, SetConcentration):
                if lay.has_param(f"cell.{ev.name}"):
                    p[lay.param(f"cell.{ev.name}")] = ev.value
                resets.append((ev.name[:-2], ev.value))
            ci += 1
        p = p.copy()
        p[stim] = current
        out.append(Segment(float(t0), float(t1), p, resets))
    return out
