"""Run a compiled cell through a protocol with the adaptive Rodas4 solver,
piecewise between protocol edges, sampling on a requested grid."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ..ions import ION_NAMES, N_IONS
from ..protocol import MAX_TIME_MS, Protocol, SetConcentration, SetParameter, _check_time


class SolverError(RuntimeError):
    """The solver could not continue; ``partial`` holds the result so far."""

    def __init__(self, message: str, partial=None):
        super().__init__(message)
        self.partial = partial


@dataclass
class Tolerances:
    """Error tolerances of the adaptive solver.

    rtol : relative tolerance (all states).
    atol_V : absolute tolerance of V, mV.
    atol_conc : absolute tolerance of concentrations, mM.
    atol_gate : absolute tolerance of gates and other mechanism states.
    """

    rtol: float = 1e-5
    atol_V: float = 1e-3
    atol_conc: float = 1e-6
    atol_gate: float = 1e-4

    def __post_init__(self):
        for name in ("rtol", "atol_V", "atol_conc", "atol_gate"):
            try:
                x = float(getattr(self, name))
            except (TypeError, ValueError):
                raise ValueError(f"solver {name}: {getattr(self, name)!r} is not a number") from None
            hi = 0.1 if name == "rtol" else 1e3
            if not (np.isfinite(x) and 0 < x <= hi):
                raise ValueError(f"solver {name} = {getattr(self, name)!r} is out of range "
                                 f"(allowed more than 0 to {hi:g})")
            setattr(self, name, x)

    def vector(self, system) -> np.ndarray:
        atol = np.full(system.n_states, self.atol_gate)
        atol[0] = self.atol_V
        for j, unit in enumerate(system.state_units):
            if unit == "mM*um":
                w = system.p0[2] if system.state_names[j].endswith("_i") else system.p0[3]
                atol[j] = self.atol_conc * w
        return atol


def _segments(system, protocol: Protocol, duration: float):
    """(t0, t1, p, state changes at t0) for each interval between edges."""
    edges = protocol.edges(duration)
    currents = protocol.current_at(edges[:-1])
    changes = protocol.changes()
    p = system.p0.copy()
    segs = []
    ci = 0
    for t0, t1, current in zip(edges[:-1], edges[1:], currents, strict=True):
        resets = []
        while ci < len(changes) and changes[ci].time <= t0:
            ev = changes[ci]
            if isinstance(ev, SetParameter):
                j = system.index(ev.name)
                owner, pname = ev.name.split(".")
                if owner == "cell":
                    from ..cell import CELL_PARAMS
                    prm = next(c for c in CELL_PARAMS if c.name == pname)
                    ev_value = prm.check(ev.value, "cell")
                else:
                    ev_value = system.cell.mechanism(owner).param(pname).check(ev.value, owner)
                p = p.copy()
                p[j] = ev_value
            elif isinstance(ev, SetConcentration):
                ion = ev.name[:-2]
                p = p.copy()
                p[5 + ION_NAMES.index(ion)] = ev.value
                resets.append((ion, ev.value))
            ci += 1
        p = p.copy()
        p[4] = current
        segs.append((float(t0), float(t1), p, resets))
    for ev in changes[ci:]:
        if isinstance(ev, SetParameter):
            owner, pname = ev.name.split(".")
            system.index(ev.name)
            if owner != "cell":
                system.cell.mechanism(owner).param(pname).check(ev.value, owner)
    return segs


def default_dt(duration: float) -> float:
    """Output interval (ms) used when none is given: 0.025 ms for short runs,
    coarser for long ones (at most about 40,000 samples, at most 5 ms)."""
    return float(min(5.0, max(0.025, duration / 40000.0)))


def simulate(model, protocol: Protocol | None = None, duration: float = 100.0,
             dt: float | None = None, tol: Tolerances | None = None, y0=None,
             spike_threshold: float = 0.0, progress=None, max_steps: int = 50_000_000,
             max_step: float | None = None):
    """Simulate ``model`` (a Cell or a compiled System) for ``duration`` ms.

    Parameters
    ----------
    protocol : Protocol, optional
        Stimuli and timed changes; none by default.
    duration : float
        Length of the run, ms (more than 0, at most 1e8).
    dt : float, optional
        Output sampling interval, ms (default: ``default_dt(duration)``).
        Spike times are located on the solver's dense output, independent of dt.
    tol : Tolerances, optional
        Solver tolerances.
    y0 : array, optional
        Initial state (default: the cell's initial state with gates at steady state).
    spike_threshold : float
        Upward crossings of this V (mV) are reported as spikes.
    max_step : float, optional
        Largest solver step, ms (default: no limit beyond the protocol's edges).
    progress : callable(fraction), optional
        Called as the run advances.

    Returns a ``Result``.  A KeyboardInterrupt stops the run between chunks
    and returns what was computed, with ``result.interrupted = True``.
    """
    from ..result import Result
    from ..system import System, compile_cell

    duration = _check_time(duration, "duration", allow_zero=False)
    protocol = protocol or Protocol()
    tol = tol or Tolerances()
    system = model if isinstance(model, System) else compile_cell(model)
    if not isinstance(protocol, Protocol):
        protocol = Protocol(list(protocol))
    try:
        spike_threshold = float(spike_threshold)
    except (TypeError, ValueError):
        raise ValueError(f"spike_threshold: {spike_threshold!r} is not a number (mV)") from None
    if dt is None:
        dt = default_dt(duration)
    dt = _check_time(dt, "dt", allow_zero=False)
    if dt > duration:
        raise ValueError(f"dt = {dt:g} ms is out of range (allowed more than 0 to duration {duration:g} ms)")
    if duration / dt > 5e6:
        raise ValueError(f"dt = {dt:g} ms gives {duration / dt:.3g} samples over {duration:g} ms; "
                         f"allowed at most 5e6 (dt at least {duration / 5e6:.3g} ms)")
    n_out = int(np.floor(duration / dt + 1e-9)) + 1
    tout = np.minimum(np.arange(n_out) * dt, duration)
    y = np.array(system.y0 if y0 is None else y0, float)
    if y.shape != (system.n_states,) or not np.all(np.isfinite(y)):
        raise ValueError(f"y0 must be {system.n_states} finite numbers")
    atol = tol.vector(system)
    yout = np.full((n_out, system.n_states), np.nan)
    seg_of = np.zeros(n_out, dtype=np.int64)
    spikes = np.empty(max(1000, int(duration * 1.0)))
    stats = np.zeros(4, dtype=np.int64)
    segs = _segments(system, protocol, duration)
    exchanged = []
    P = np.array([s[2] for s in segs])
    integrate = system.module.integrate

    h = 1e-3
    kout = 0
    nspk = 0
    t_reached = 0.0
    interrupted = False
    status = 0
    chunk = max(duration / 200.0, 1.0)
    wall = time.perf_counter()
    try:
        for si, (t0, t1, p, resets) in enumerate(segs):
            for ion, value in resets:
                k = ION_NAMES.index(ion)
                if system.closed:
                    i_wo = system.layout.i_wo
                    new = value * (y[i_wo] if i_wo is not None else system.p0[3])
                    exchanged.append((t0, ion, new - y[1 + N_IONS + k]))
                    y[1 + N_IONS + k] = new
            k_start = kout
            ta = t0
            while ta < t1:
                tb = min(t1, ta + chunk)
                if t1 - tb < 1e-9 * chunk:
                    tb = t1
                hmax = tb - ta if max_step is None else min(max_step, tb - ta)
                h, kout, nspk, status = integrate(y, p, ta, tb, h, hmax if hmax > 0 else 1.0,
                                                  tol.rtol, atol, tout, yout, kout,
                                                  spike_threshold, spikes, nspk, max_steps, stats)
                if status != 0:
                    break
                ta = tb
                t_reached = tb
                if progress is not None:
                    progress(tb / duration)
                if nspk >= spikes.shape[0] - 1:
                    spikes = np.concatenate([spikes, np.empty(spikes.shape[0])])
            seg_of[k_start:kout] = si
            if status != 0:
                break
    except KeyboardInterrupt:
        interrupted = True
    wall = time.perf_counter() - wall
    if kout < n_out and t_reached >= duration and status == 0 and not interrupted:
        raise RuntimeError("internal: output grid not filled")
    keep = kout
    res = Result.from_run(system, protocol, tout[:keep], yout[:keep], seg_of[:keep], P,
                          spikes[:nspk].copy(), tol=tol, dt=dt, duration=duration,
                          stats=stats, wall=wall, compile_time=system.compile_time,
                          interrupted=interrupted, t_reached=t_reached, exchanged=exchanged)
    if status != 0:
        why = "the step size fell below round-off" if status == 1 else "too many steps"
        raise SolverError(f"solver stopped at t = {t_reached:g} ms: {why}; the model may be "
                          "unphysical there (check parameters) or try tighter tolerances", res)
    return res


def run_to(system, y, p, t_span: float, tol: Tolerances, h: float = 1e-3):
    """Advance state ``y`` (in place) by ``t_span`` ms with fixed parameters
    ``p`` and no output; returns the next step size.  Used by equilibrate."""
    stats = np.zeros(4, dtype=np.int64)
    empty = np.empty(0)
    h, _, _, status = system.module.integrate(y, p, 0.0, float(t_span), h, float(t_span),
                                              tol.rtol, tol.vector(system), empty,
                                              np.empty((0, system.n_states)), 0, 1e300,
                                              np.empty(1), 0, 50_000_000, stats)
    if status != 0:
        raise SolverError(f"solver failed while equilibrating (status {status})")
    return h


__all__ = ["MAX_TIME_MS", "SolverError", "Tolerances", "simulate", "run_to", "default_dt"]
