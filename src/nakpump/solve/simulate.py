"""Run a compiled cell through a protocol with the adaptive Rodas4 solver,
piecewise between protocol edges, sampling on a requested grid."""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from ..errors import SolverError
from ..model.protocol import MAX_TIME_MS, Protocol, _check_time
from ..results.result import Result
from .segments import segments

__all__ = ["MAX_TIME_MS", "SolverError", "Tolerances", "simulate", "run_to", "default_dt",
           "finite_difference_jacobian"]


@dataclass
class Tolerances:
    """Error tolerances of the adaptive solver.

    rtol : relative tolerance (all states).
    atol_V : absolute tolerance of membrane potentials, mV.
    atol_conc : absolute tolerance of concentrations, mM.
    atol_gate : absolute tolerance of gates and other states.
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

    def vector(self, system, p: np.ndarray | None = None) -> np.ndarray:
        """Absolute tolerance of each state: amounts scaled by their
        compartment's volume/area (from ``p``, default ``system.p0``) so that
        the tolerance is in mM."""
        lay = system.layout
        p = system.p0 if p is None else p
        atol = np.full(lay.n_states, self.atol_gate)
        for j, e in enumerate(lay.states):
            if e.kind == "potential":
                atol[j] = self.atol_V
            elif e.kind == "amount":
                atol[j] = self.atol_conc * p[lay.param(f"geometry.w_{e.where}")]
            elif e.kind == "ledger":
                atol[j] = self.atol_conc
        return atol


def finite_difference_floors(layout) -> np.ndarray:
    """Smallest magnitude sizing each state's finite-difference increment:
    1 mV for potentials, 1e-3 of the unit for everything else (amounts never
    approach 0; gates are 0-1)."""
    return np.array([1.0 if e.kind == "potential" else 1e-3 for e in layout.states])


JACOBIANS = ("exact", "finite-difference")

CHUNK_MS = 100.0
"""Steps end on multiples of this much model time (ms): the solver returns
there to report progress and to see Ctrl-C, and the chunks' grid is the same
for every run of a protocol, whatever its duration, so a 6 s run and the
first 6 s of a 120 s run take the same steps."""


def finite_difference_jacobian(system, y: np.ndarray | None = None,
                               p: np.ndarray | None = None) -> np.ndarray:
    """The Jacobian as the solver takes it without an exact one (``jacobian="finite-difference"``):
    forward differences of ``rhs`` at ``y`` (default ``y0``) with parameters ``p``, in the shape
    and units of ``System.jacobian``."""
    from .rodas import jacobian as forward_differences

    y = np.array(system.y0 if y is None else y, dtype=float)
    p = np.ascontiguousarray(system.p0 if p is None else p, dtype=float)
    lay = system.layout
    J = np.zeros((lay.n_states, lay.n_dyn))
    forward_differences(system.solver_rhs, y, p, system.rhs(y, p), J, np.empty_like(y), np.empty_like(y),
                        finite_difference_floors(lay), lay.n_dyn)
    return J


def _controls(system, tol: Tolerances, max_steps: int, jacobian: str = "exact"):
    from .run_arrays import Controls

    if jacobian not in JACOBIANS:
        raise ValueError(f"jacobian = {jacobian!r}; allowed: {', '.join(map(repr, JACOBIANS))}")
    lay = system.layout
    exact = jacobian == "exact" and system.jac is not None
    return Controls(float(tol.rtol), tol.vector(system), finite_difference_floors(lay), int(lay.n_dyn),
                    int(max_steps), int(lay.V), int(exact))


def _plan(system, segs, duration: float, max_step: float | None):
    """The segments as the compiled drivers read them (``run_arrays.Plan``), and the
    ion of each concentration change it makes."""
    from .run_arrays import Plan

    lay = system.layout
    vol = lay.compartment("o")["volume"]
    rows = [(k, lay.state(lay.amount(ion, "o")), value, ion) for k, s in enumerate(segs)
            for ion, value in s.resets if lay.amount(ion, "o")]
    w_state = lay.state(vol) if lay.has_state(vol) else -1
    w_fixed = system.p0[lay.param(vol)] if w_state < 0 else 0.0
    column = [np.array([r[j] for r in rows], dtype=np.int64 if j < 2 else float) for j in range(3)]
    return Plan(np.array([s.t0 for s in segs] + [segs[-1].t1]), np.array([s.p for s in segs]),
                CHUNK_MS, float(max_step or 0.0), column[0], column[1],
                np.full(len(rows), w_state, dtype=np.int64), np.full(len(rows), float(w_fixed)),
                column[2], np.zeros(len(rows))), [r[3] for r in rows]


def _driver(system, ctl):
    """The compiled driver that runs ``system``: the cell's own (LLVM, exact
    Jacobian; ``solve.machine``) or, for finite differences or a cell that
    could not be traced, Numba's (``rodas.advance``), as
    ``advance(y, plan, ctl, event, rec, pos, tf, until)``."""
    from .machine import MachineAdvance, has_machine_driver

    if ctl.exact_jac and has_machine_driver(system):
        return MachineAdvance(system)
    from .rodas import advance

    rhs, jac = system.solver_rhs, system.solver_jac
    return lambda *args: advance(rhs, jac, *args)


def default_dt(duration: float) -> float:
    """Output interval (ms) used when none is given: 0.025 ms for short runs,
    coarser for long ones (at most about 40,000 samples, at most 5 ms)."""
    return float(min(5.0, max(0.025, duration / 40000.0)))


def simulate(model, protocol: Protocol | None = None, duration: float = 100.0,
             dt: float | None = None, tol: Tolerances | None = None, y0=None,
             spike_threshold: float = 0.0, progress=None, max_steps: int = 50_000_000,
             max_step: float | None = None, jacobian: str = "exact") -> Result:
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
        Initial state in the layout's order (default: the cell's initial
        state with gates at steady state).
    spike_threshold : float
        Upward crossings of the membrane potential through this value (mV)
        are reported as spikes.
    max_step : float, optional
        Largest solver step, ms (default: no limit beyond the protocol's edges).
    progress : callable(fraction), optional
        Called as the run advances.
    jacobian : "exact" or "finite-difference"
        How the solver gets the Jacobian: the exact one traced from the
        model (``System.jac``; cells whose kernels cannot be traced fall back
        to finite differences) or forward differences of the right-hand side.

    Returns
    -------
    Result
        The run.  A KeyboardInterrupt stops it between chunks and returns
        what was computed, with ``result.interrupted = True``.
    """
    from ..compile.system import System, compile_cell

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
    lay = system.layout
    n_out = int(np.floor(duration / dt + 1e-9)) + 1
    tout = np.minimum(np.arange(n_out) * dt, duration)
    y = np.array(system.y0 if y0 is None else y0, dtype=float)
    if y.shape != (lay.n_states,) or not np.all(np.isfinite(y)):
        raise ValueError(f"y0 must be {lay.n_states} finite numbers (the layout's states)")
    segs = segments(system, protocol, duration)

    loading = time.perf_counter()
    ctl = _controls(system, tol, max_steps, jacobian)
    advance = _driver(system, ctl)
    from .run_arrays import Event, Record, cursor
    solver_load = time.perf_counter() - loading

    yout = np.full((n_out, lay.n_states), np.nan)
    stats = np.zeros(4, dtype=np.int64)
    events = np.empty(max(1000, int(duration * 1.0)))
    rec = Record(tout, yout, np.zeros(n_out, dtype=np.int64), events, stats)
    plan, reset_ions = _plan(system, segs, duration, max_step)
    event = Event(int(lay.V), spike_threshold)
    pos, tf = cursor()
    interrupted = False
    longest = duration / 50.0  # progress in steps of 2 %
    span = min(longest, 1000.0)
    started_utc = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    wall = time.perf_counter()
    pressed: list[bool] = []
    try:
        with _ctrl_c_flag() as pressed:
            while pos[0] < len(segs) and not pressed:
                started = time.perf_counter()
                t_from = tf[0]
                advance(y, plan, ctl, event, rec, pos, tf, min(duration, t_from + span))
                if pos[3] == 3:  # the event buffer is full
                    rec = rec._replace(events=np.concatenate([rec.events, np.empty(rec.events.shape[0])]))
                    pos[3] = 0
                elif pos[3] != 0:
                    break
                if progress is not None:
                    progress(tf[0] / duration)
                took = time.perf_counter() - started
                if tf[0] > t_from:  # at most about 0.2 s of wall time per call (Ctrl-C and progress)
                    span = min(max(span * min(0.2 / max(took, 1e-6), 10.0), 1.0), longest)
    except KeyboardInterrupt:  # not on the main thread: the flag could not be set up
        interrupted = True
    interrupted = interrupted or bool(pressed)
    wall = time.perf_counter() - wall
    kout, nspk, status, t_reached = int(pos[1]), int(pos[2]), int(pos[3]), float(tf[0])
    if nspk > rec.events.shape[0]:  # room for a spike per ms: only a model firing faster gets here
        raise SolverError(f"more than {rec.events.shape[0]} spikes by t = {t_reached:g} ms: more than "
                          "one per ms of the run, more than the solver keeps")
    if kout:  # a failed stretch recorded samples past its start
        t_reached = max(t_reached, float(tout[kout - 1]))
    if kout < n_out and t_reached >= duration and status == 0 and not interrupted:
        raise RuntimeError("internal: output grid not filled")
    done = int(pos[4])
    exchanged = [(float(plan.edges[s]), ion, float(a)) for s, ion, a in
                 zip(plan.reset_segment[:done], reset_ions[:done], plan.exchanged[:done], strict=True)]
    keep = kout
    obs = system.observe(yout[:keep], plan.P, rec.segment[:keep]) if keep else {
        e.name: np.empty(0) for e in lay.observables}
    meta = {
        "started_utc": started_utc, "duration_ms": duration, "dt_ms": dt,
        "rtol": tol.rtol, "atol_V_mV": tol.atol_V, "atol_conc_mM": tol.atol_conc, "atol_gate": tol.atol_gate,
        "steps": int(stats[0]), "rejected_steps": int(stats[1]), "rhs_calls": int(stats[2]),
        "jacobians": int(stats[3]), "jacobian": "exact" if ctl.exact_jac else "finite-difference",
        "wall_time_s": wall, "compile_time_s": system.compile_time + solver_load,
        "interrupted": bool(interrupted), "t_reached_ms": t_reached,
        "exchanged": [(float(t0), ion, float(a)) for t0, ion, a in exchanged],
        "protocol": protocol.describe(),
    }
    res = Result.from_run(system.cell, lay, system.p0, tout[:keep], yout[:keep], obs,
                          rec.events[:nspk].copy(), protocol.injected_charge(tout[:keep]), meta)
    if status != 0:
        why = "the step size fell below round-off" if status == 1 else "too many steps"
        raise SolverError(f"solver stopped at t = {t_reached:g} ms: {why}; the model may be "
                          "unphysical there (check parameters) or try tighter tolerances", res)
    return res


@contextmanager
def _ctrl_c_flag():
    """While the solver runs: Ctrl-C sets a flag (checked between chunks of
    compiled integration) instead of raising inside whatever Python code is
    running, which may be a library's that does not expect it."""
    pressed: list[bool] = []
    if threading.current_thread() is not threading.main_thread() or \
            signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        yield pressed  # someone else handles Ctrl-C here (or cannot, off the main thread)
        return
    signal.signal(signal.SIGINT, lambda *_: pressed.append(True))
    try:
        yield pressed
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def run_to(system, y, p, t_span: float, tol: Tolerances, h: float = 1e-3):
    """Advance state ``y`` (in place) by ``t_span`` ms with fixed parameters
    ``p`` and no output; returns the next step size.  Used by equilibrate."""
    from .run_arrays import Event, Plan, Record, cursor

    rec = Record(np.empty(0), np.empty((0, system.n_states)), np.empty(0, dtype=np.int64), np.empty(2),
                 np.zeros(4, dtype=np.int64))
    ctl = _controls(system, tol, 50_000_000)
    t_span = float(t_span)
    none_i, none_f = np.empty(0, dtype=np.int64), np.empty(0)
    plan = Plan(np.array([0.0, t_span]), np.ascontiguousarray(p, dtype=float)[None, :], t_span, 0.0,
                none_i, none_i, none_i, none_f, none_f, np.empty(0))
    pos, tf = cursor(h)
    _driver(system, ctl)(y, plan, ctl, Event(int(system.layout.V), 1e300), rec, pos, tf, t_span)
    if pos[3] != 0:
        raise SolverError(f"solver failed while equilibrating (status {int(pos[3])})")
    return float(tf[1])
