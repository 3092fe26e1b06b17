"""Populations: N cells of one structure, each with its own parameters (and
protocol), run in parallel threads, each with its own adaptive Rodas4 step.

``simulate_batch(cell, protocol, params={"pump.imax": array}, ...)`` compiles
the cell once and runs the cells in blocks through its population driver
(``nakpump.compile.lanes``, called by ``nakpump.solve.lanes``): four cells
per vector step, each with the single-cell driver's algorithm, so the same
solver, accuracy and conservation as ``simulate``, cell by cell.  The
driver releases the GIL, so ``threads`` threads (default: one per core) run
blocks side by side; a block's output rows are held only while it runs (at
most about 64 MB), and only what ``record`` names (on the ``dt`` grid) and
the summaries (spike times, final state, step counts) are kept, so memory
grows with N times what is recorded, not with N times the states.

A cell whose parameters are out of range, or whose run fails, gets its error
message in ``error`` and NaNs, and the others run on.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from ..errors import SolverError
from ..model.protocol import Protocol, _check_time
from .lanes import Block, init_rows, run_block
from .run_arrays import STATUS_EVENTS_FULL, Event, Record, cursor
from .segments import segments
from .simulate import CHUNK_MS, Tolerances, _controls, _plan, default_dt

__all__ = ["BLOCK", "EVENT_ROOM", "simulate_batch"]

BLOCK = (8, 1024)
"""Cells per block (one call of the population's driver): at least two vector steps' worth, at most
this many; else about eight blocks per thread, and at most about 64 MB of recorded rows."""
EVENT_ROOM = (64, 0.1)
"""Room for each cell's spike times in a block: at least this many, or this many per ms of the run;
a cell with more runs again alone through the single-cell driver, which makes room as it goes."""


def _values(params: dict | None) -> tuple[dict[str, np.ndarray], int | None]:
    """Each parameter's values as a float array, and the common length (None: all scalars)."""
    out, n = {}, None
    for name, v in (params or {}).items():
        if not isinstance(name, str):
            raise ValueError(f"params: the names must be strings (got {name!r})")
        a = np.atleast_1d(np.asarray(v, dtype=float))
        if a.ndim != 1:
            raise ValueError(f"params[{name!r}]: one value per cell expected (got shape {a.shape})")
        if len(a) > 1 or np.ndim(v) > 0:
            if n is not None and len(a) != n:
                raise ValueError(f"params[{name!r}]: {len(a)} values, but another parameter has {n}")
            n = len(a)
        out[name] = a
    return out, n


@dataclass
class _Cells:
    """What each cell starts from: y0 rows and the protocol's parameter rows,
    built from a shared plan where the varied parameters only enter p."""

    system: object
    protocols: list
    duration: float
    values: dict
    n: int
    max_step: float | None

    def __post_init__(self):
        sys_, lay = self.system, self.system.layout
        self.columns: dict[str, int] = {}
        self.rebuild: list[str] = []
        for name in self.values:
            if lay.has_param(name) and not self._moves_initial_state(name):
                self.columns[name] = lay.param(name)
            else:
                sys_.cell[name]  # the one-line error for unknown names
                self.rebuild.append(name)
        self.shared = None
        if len(self.protocols) == 1 and not self.rebuild:
            self.shared = self._plan(self.protocols[0], sys_.p0)

    def _moves_initial_state(self, name: str) -> bool:
        """Whether changing ``name`` changes more than its own entry of p (the initial amounts,
        another parameter): such a cell is rebuilt from a copy of the Cell."""
        from ..compile.system import initial_vectors

        cell = self.system.cell
        base = cell[name]
        try:
            probe = cell.with_params({name: base * 1.01 + 1e-3})
        except ValueError:
            probe = cell.with_params({name: base * 0.99 - 1e-3})
        y0, p0 = initial_vectors(cell, self.system.layout)
        y1, p1 = initial_vectors(probe, self.system.layout)
        changed = np.nonzero(p0 != p1)[0]
        return not np.array_equal(y0, y1) or list(changed) != [self.system.layout.param(name)]

    def _plan(self, protocol, p0):
        segs = segments(self.system, protocol, self.duration, p0=p0)
        plan, ions = _plan(self.system, segs, self.duration, self.max_step)
        free = np.ones(plan.P.shape, dtype=bool)
        for k in range(1, len(segs)):  # a parameter the protocol sets keeps the protocol's value
            free[k] = free[k - 1] & (plan.P[k] == plan.P[k - 1])
        return plan, ions, free

    def block(self, indices: np.ndarray, atol: np.ndarray, tol):
        """The starts of cells ``indices``: (Block of the cells that start, their indices, {index:
        error message} for those whose parameters are out of range).  Where the cells share one
        plan and differ only in p, this is array arithmetic; otherwise cell by cell (``start``)."""
        sys_ = self.system
        errors: dict[int, str] = {}
        if self.shared is None:
            ys, plans, atols, ok = [], [], [], []
            for i in indices:
                try:
                    y, p0, plan = self.start(int(i))
                except ValueError as exc:
                    errors[int(i)] = str(exc)
                    continue
                ys.append(y)
                plans.append(plan)
                atols.append(tol.vector(sys_, p0) if self.rebuild else atol)
                ok.append(int(i))
            start = Block(np.array(ys).reshape(-1, sys_.layout.n_states), plans, np.array(atols))
            return start, np.array(ok, dtype=int), errors
        plan, _, free = self.shared
        P0 = np.repeat(sys_.p0[None], len(indices), axis=0)
        good = np.ones(len(indices), dtype=bool)
        for name, col in self.columns.items():
            v = self.values[name]
            v = v[indices] if len(v) > 1 else np.repeat(v, len(indices))
            e = sys_.layout.param_entry(name)
            bad = ~(np.isfinite(v) & (v >= e.lo) & (v <= e.hi))
            for k in np.nonzero(bad & good)[0]:
                try:
                    sys_.check_value(name, v[k])
                except ValueError as exc:
                    errors[int(indices[k])] = str(exc)
            good &= ~bad
            P0[:, col] = v
        P0, ok = P0[good], np.asarray(indices)[good]
        Y = np.repeat(sys_.y0[None], len(ok), axis=0)
        if self.columns:
            init_rows(sys_, Y, P0)
        P = np.repeat(plan.P[None], len(ok), axis=0)
        for col in self.columns.values():
            P[:, free[:, col], col] = P0[:, col][:, None]
        plans = [plan._replace(P=P[k]) for k in range(len(ok))]
        return Block(Y, plans, np.repeat(atol[None], len(ok), axis=0)), ok, errors

    def start(self, i: int):
        """(y0, p0, plan) of cell ``i``: its start (gates at steady state, as ``compile_cell`` sets
        them), its parameters and its protocol's rows; or raises ValueError naming the bad
        parameter."""
        sys_ = self.system

        def value(name):
            return float(self.values[name][i if len(self.values[name]) > 1 else 0])

        for name in self.columns:
            sys_.check_value(name, value(name))
        if self.rebuild:
            from ..compile.system import initial_vectors

            cell = sys_.cell.with_params({name: value(name) for name in self.rebuild})
            cell.validate()
            y0, p0 = initial_vectors(cell, sys_.layout)
        else:
            y0, p0 = sys_.y0, sys_.p0
        for name, col in self.columns.items():
            p0 = p0.copy()
            p0[col] = value(name)
        if self.shared is not None:
            plan, _, free = self.shared
            P = plan.P.copy()
            for col in self.columns.values():
                P[free[:, col], col] = p0[col]
            plan = plan._replace(P=P, exchanged=np.zeros_like(plan.exchanged))
        else:
            plan, _, _ = self._plan(self.protocols[i if len(self.protocols) > 1 else 0], p0)
        y0 = sys_.with_steady_gates(y0, p0) if (self.rebuild or self.columns) else sys_.y0.copy()
        return y0, p0, plan


def simulate_batch(model, protocol=None, params: dict | None = None, duration: float = 1000.0,
                   dt: float | None = None, record=("V",), tol: Tolerances | None = None,
                   spike_threshold: float = 0.0, threads: int | None = None, max_step: float | None = None,
                   n: int | None = None, progress=None):
    """Run a population of cells of one structure and return an xarray Dataset.

    Parameters
    ----------
    model : Cell or System
        The cells' structure and default parameters (compiled once).
    protocol : Protocol, or a sequence of Protocols (one per cell)
        Stimuli and timed changes; protocols may differ between cells in their
        values (amplitudes, times).
    params : dict name -> values
        Per-cell parameters (``"pump.imax"``, ``"cell.T"``, ``"cell.K_o"``, any
        parameter of the cell): an array with one value per cell, or a
        scalar for all.  Parameters that set the initial state (volumes,
        concentrations) rebuild that cell's initial state.
    duration : float
        Length of each run, ms.
    dt : float, optional
        Interval of the recorded samples, ms (default: ``default_dt``).
    record : sequence of str
        States and observables to keep on the ``dt`` grid (``"V"``,
        ``"Na_i"``, ...); empty: summaries only.
    threads : int, optional
        Worker threads (default: the number of cores).
    n : int, optional
        The number of cells where neither params nor protocols say it.

    Returns
    -------
    xarray.Dataset
        Dimension ``cell`` (the parameters as coordinates along it) and, for
        recorded variables, ``time`` (ms); ``spike_times`` (cell, spike; NaN
        after the last), ``spike_count``, ``final`` (cell, state: the state
        at the end), ``steps``, ``rejected_steps`` and ``error`` (empty where
        the cell ran to the end).
    """
    import xarray as xr

    from ..compile.system import System, compile_cell
    from .machine import MachineAdvance, has_machine_driver

    duration = _check_time(duration, "duration", allow_zero=False)
    system = model if isinstance(model, System) else compile_cell(model)
    lay = system.layout
    protocols = list(protocol) if isinstance(protocol, list | tuple) else [protocol or Protocol()]
    for k, p in enumerate(protocols):
        if not isinstance(p, Protocol):
            raise ValueError(f"protocol {k}: a Protocol expected (got {type(p).__name__})")
    values, count = _values(params)
    sizes = {s for s in (count, len(protocols) if len(protocols) > 1 else None, n) if s is not None}
    if len(sizes) > 1:
        raise ValueError(f"the number of cells is ambiguous: params, protocols and n say {sorted(sizes)}")
    n_cells = sizes.pop() if sizes else 1
    if not 1 <= n_cells <= 10_000_000:
        raise ValueError(f"n = {n_cells} cells is out of range (allowed 1 to 1e7)")
    dt = default_dt(duration) if dt is None else _check_time(dt, "dt", allow_zero=False)
    if dt > duration:
        raise ValueError(f"dt = {dt:g} ms is out of range (allowed more than 0 to duration {duration:g} ms)")
    names = list(record or ())
    observed = {e.name for e in lay.observables}
    for name in names:
        if name != "V" and name not in observed and not any(e.name == name for e in lay.states):
            raise ValueError(f"record: no state or observable named {name!r} (have: V, "
                             f"{', '.join(sorted(observed))})")
    threads = int(os.cpu_count() or 1) if threads is None else int(threads)
    if threads < 1:
        raise ValueError(f"threads = {threads} is out of range (allowed at least 1)")
    tol = tol or Tolerances()
    ctl = _controls(system, tol, 50_000_000)
    if not has_machine_driver(system) or system.lanes() is None:
        raise ValueError(f"simulate_batch needs a cell compiled by LLVM ({system.jac_note})")
    cells = _Cells(system, protocols, duration, values, n_cells, max_step)
    advance = MachineAdvance(system)
    n_out = int(np.floor(duration / dt + 1e-9)) + 1
    tout = np.minimum(np.arange(n_out) * dt, duration)
    rows_at = tout if names else tout[:0]  # the driver writes rows only where something is recorded
    kept = {name: np.full((n_cells, n_out), np.nan) for name in names}
    final = np.full((n_cells, lay.n_states), np.nan)
    stats = np.zeros((n_cells, 2), dtype=np.int64)
    spikes: list = [np.empty(0)] * n_cells
    errors = [""] * n_cells
    event = Event(int(lay.V), float(spike_threshold))
    done = [0]
    lock = threading.Lock()

    def run_one(i: int) -> None:
        """Cell i alone through the single-cell driver, its events' room doubled as they fill (and
        the run taken again with room for all, should a stretch have found more than it had)."""
        room = 2 * cap
        while True:
            y, p0, plan = cells.start(i)
            c = ctl if not cells.rebuild else ctl._replace(atol=tol.vector(system, p0))
            rec = Record(rows_at, np.empty((n_out, lay.n_states)),
                         np.empty(n_out, dtype=np.int64), np.empty(room), np.zeros(4, dtype=np.int64))
            pos, tf = cursor()
            while True:
                advance(y, plan, c, event, rec, pos, tf, duration)
                if pos[3] != STATUS_EVENTS_FULL:
                    break
                rec = rec._replace(events=np.concatenate([rec.events, np.empty(len(rec.events))]))
                pos[3] = 0
            if pos[2] <= len(rec.events):
                break
            room = 2 * int(pos[2])
        finish(i, y, plan, pos, tf, rec.stats, rec.events, rec.yout, rec.segment)

    def finish(i, y, plan, pos, tf, counts, events, yout, segment) -> None:
        """Cell i's results into the Dataset's arrays."""
        kout = int(pos[1])
        if pos[3] != 0:
            why = "the step size fell below round-off" if pos[3] == 1 else "too many steps"
            errors[i] = str(SolverError(f"solver stopped at t = {tf[0]:g} ms: {why}"))
        else:
            final[i] = y
        if names and kout:
            Y = yout[:kout]
            obs = system.observe(Y, plan.P, segment[:kout]) if set(names) & observed else {}
            for name in names:
                kept[name][i, :kout] = Y[:, lay.V] if name == "V" else obs[name] if name in obs else \
                    Y[:, lay.state(name)]
        spikes[i] = events[:int(pos[2])].copy()
        stats[i] = counts[0], counts[1]

    def block(start: int, stop: int) -> None:
        cells_in, ok, bad = cells.block(np.arange(start, stop), ctl.atol, tol)
        for i, message in bad.items():
            errors[i] = message
        if len(ok):
            run_block(system, cells_in, ctl, event, rows_at, duration, cap)
        for k, i in enumerate(ok):
            if cells_in.pos[k, 3] == STATUS_EVENTS_FULL or cells_in.pos[k, 2] > cap:  # spikes beyond room
                run_one(int(i))
            else:
                finish(int(i), cells_in.y[k], cells_in.plans[k], cells_in.pos[k], cells_in.tf[k],
                       cells_in.stats[k], cells_in.events[k], cells_in.yout[k], cells_in.segment[k])
        if progress is not None:
            with lock:
                done[0] += stop - start
                progress(done[0] / n_cells)

    cap = max(EVENT_ROOM[0], int(duration * EVENT_ROOM[1]))
    row_bytes = 8 * (lay.n_states + 1) * n_out if names else 0
    size = max(1, min(max(BLOCK[0], -(-n_cells // (8 * threads))), BLOCK[1], (64 << 20) // max(1, row_bytes)))
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for f in [pool.submit(block, a, min(a + size, n_cells)) for a in range(0, n_cells, size)]:
            f.result()
    most = max((len(s) for s in spikes), default=0)
    times = np.full((n_cells, most), np.nan)
    for i, s in enumerate(spikes):
        times[i, :len(s)] = s
    units = {e.name: e.unit for e in (*lay.states, *lay.observables)}
    coords = {"cell": np.arange(n_cells), "time": tout, "state": [e.name for e in lay.states]}
    for name, v in values.items():
        coords[name] = ("cell", np.broadcast_to(v, (n_cells,)).copy())
    data = {name: (("cell", "time"), a, {"units": "mV" if name == "V" else units.get(name, "")})
            for name, a in kept.items()}
    data.update({
        "spike_times": (("cell", "spike"), times, {"units": "ms"}),
        "spike_count": ("cell", np.array([len(s) for s in spikes]), {"units": "1"}),
        "final": (("cell", "state"), final, {"units": "the layout's (per state: attrs state_units)"}),
        "steps": ("cell", stats[:, 0], {"units": "1"}),
        "rejected_steps": ("cell", stats[:, 1], {"units": "1"}),
        "error": ("cell", np.array(errors, dtype=str), {"units": ""}),
    })
    from .._version import __version__

    attrs = {"nakpump_version": __version__, "cell": system.cell.name, "duration_ms": duration, "dt_ms": dt,
             "rtol": tol.rtol, "atol_V_mV": tol.atol_V, "atol_conc_mM": tol.atol_conc,
             "atol_gate": tol.atol_gate, "spike_threshold_mV": float(spike_threshold),
             "protocol": protocols[0].describe() if len(protocols) == 1 else "one per cell",
             "state_units": [e.unit for e in lay.states], "chunk_ms": CHUNK_MS}
    return xr.Dataset(data, coords=coords, attrs=attrs)
