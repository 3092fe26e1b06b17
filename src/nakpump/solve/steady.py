"""Steady states: calibrate a cell to rest where you say, or run it to rest.

``calibrate`` solves for named parameters (leak conductances, pump rate)
that make given concentrations and a resting potential a steady state;
``equilibrate`` integrates from any state until every derivative is small.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ..ions import ION_NAMES
from ..model.cell import Cell


def calibrate(cell: Cell, V_rest: float, solve_for: Sequence[str] = ("leak_na.g", "pump.imax"),
              balance: Sequence[str] = ("Na", "K"), tol: float = 1e-13) -> Cell:
    """A copy of ``cell`` resting at ``V_rest`` (mV) with its concentrations.

    The parameters ``solve_for`` (dotted names) are found by Newton's method
    so that the net flux of each ion in ``balance`` across the membrane is
    zero with every gate at its steady state.  When the balanced ions carry
    all the membrane current, dV/dt is zero too.  Raises ValueError when no
    physical (in-range) solution exists.
    """
    from ..compile.system import compile_cell

    if len(solve_for) != len(balance):
        raise ValueError(f"calibrate: {len(solve_for)} parameters to solve for but "
                         f"{len(balance)} ions to balance; give as many of each")
    cell = cell.copy().set(V0=V_rest)
    system = compile_cell(cell)
    lay = system.layout
    idx = [system.index(name) for name in solve_for]
    rows = []
    for what in balance:
        species, _, comp = what.partition("_")
        state = lay.amount(species, comp or "i")
        if state is not None and (species in ION_NAMES or species == "ATP"):
            rows.append(lay.state(state))
        else:
            raise ValueError(f"calibrate: cannot balance {what!r}; allowed: {', '.join(ION_NAMES)}, "
                             "ATP (with an energy mechanism), each optionally _COMPARTMENT (K_g)")
    p = system.p0.copy()
    y = system.y0.copy()

    def residual(x):
        q = p.copy()
        q[idx] = x
        return system.rhs(y, q)[rows]

    x = p[idx].copy()
    converged = False
    for _ in range(50):
        r = residual(x)
        jac = np.empty((len(rows), len(idx)))
        for j in range(len(idx)):
            d = 1e-6 * max(abs(x[j]), 1e-3)
            xp = x.copy()
            xp[j] += d
            jac[:, j] = (residual(xp) - r) / d
        try:
            step = np.linalg.solve(jac, -r)
        except np.linalg.LinAlgError:
            raise ValueError(f"calibrate: {', '.join(solve_for)} do not control the fluxes of "
                             f"{', '.join(balance)}; choose other parameters") from None
        x = x + step
        if np.max(np.abs(step) / np.maximum(np.abs(x), 1e-12)) < tol:
            converged = True
            break
    if not converged or not np.all(np.isfinite(x)):
        raise ValueError(f"calibrate: no steady state at {V_rest:g} mV found by varying "
                         f"{', '.join(solve_for)} (Newton did not converge)")
    new = cell.copy()
    for name, value in zip(solve_for, x, strict=True):
        try:
            new.update({name: value})
        except ValueError:
            raise ValueError(f"calibrate: resting at {V_rest:g} mV needs {name} = {value:.4g}, "
                             f"outside its range; the concentrations and other parameters "
                             f"cannot rest there") from None
    return new


EQUILIBRATE_TOL = dict(rtol=1e-8, atol_V=1e-6, atol_conc=1e-9, atol_gate=1e-8)
"""Solver tolerances of ``equilibrate``'s runs."""


def resting_rate(system, y, p=None) -> float:
    """The largest rate of change in state ``y``: |dV/dt| in mV/ms, each
    concentration's in mM/ms, each gate's per ms (the ledger's running
    totals, which never rest, left out)."""
    lay = system.layout
    p = system.p0 if p is None else p
    nd = lay.n_dyn
    scale = np.ones(nd)
    for j, e in enumerate(lay.states[:nd]):
        if e.kind == "amount":
            scale[j] = p[lay.param(f"geometry.w_{e.where}")]
    return float(np.max(np.abs(system.rhs(y, p)[:nd]) / scale))


def equilibrate(model, max_time: float = 3.6e6, rate_tol: float = 1e-9, tol=None, y0=None):
    """Run ``model`` (Cell or System) with no stimulus until it rests.

    Stops when |dV/dt| < rate_tol mV/ms and every concentration changes by
    less than rate_tol mM/ms (and every gate by less than rate_tol per ms),
    checked after stretches of growing length, up to ``max_time`` ms.
    ``y0`` is the state to start from (default the cell's initial state).
    Returns ``(system, y, t_used)``: the compiled system, the resting state
    vector, and the simulated time it took (ms).  Raises RuntimeError if it
    does not settle.
    """
    from ..compile.system import System, compile_cell
    from .simulate import Tolerances, run_to

    system = model if isinstance(model, System) else compile_cell(model)
    tol = tol or Tolerances(**EQUILIBRATE_TOL)
    y = np.array(system.y0 if y0 is None else y0, dtype=float)
    p = system.p0.copy()
    t_used = 0.0
    span = 10.0
    h = 1e-3
    while True:
        rate = resting_rate(system, y, p)
        if rate < rate_tol:
            return system, y, t_used
        if t_used >= max_time:
            raise RuntimeError(f"equilibrate: not at rest after {max_time:g} ms "
                               f"(largest rate {rate:.3g} per ms); the cell may oscillate or fire")
        span = min(span, max_time - t_used)
        h = run_to(system, y, p, span, tol, h)
        t_used += span
        span *= 2.0


SATURATING = {"V": 40.0, "Na_i": 100.0, "K_o": 20.0, "ATP_i": 10.0, "ADP_i": 1e-9, "Pi_i": 1e-9}
"""Conditions under which a kinetic pump's maximal turnover is measured (mV, mM)."""


def scale_pump(cell: Cell, I_rest: float | None = None, I_max: float | None = None,
               name: str = "pump") -> Cell:
    """A copy of ``cell`` whose pump has resting current ``I_rest`` (uA/cm2, at
    the cell's initial state) or maximal current ``I_max`` (uA/cm2: ``imax``
    of a phenomenological model; for the kinetic model the current at
    ``SATURATING`` conditions).  Scales the pump's ``scale`` parameter; the
    cell is then usually no longer at rest (``equilibrate`` it, or
    ``calibrate`` a leak)."""
    from ..compile.numpy_backend import pump_current
    from ..compile.system import compile_cell

    if (I_rest is None) == (I_max is None):
        raise ValueError("scale_pump: give exactly one of I_rest or I_max")
    pump = cell.mechanism(name)
    scale = getattr(type(pump), "scale", None)
    if scale is None:
        raise ValueError(f"scale_pump: {name} is not a Na+/K+ pump model")
    target = I_rest if I_rest is not None else I_max
    if not (target > 0 and np.isfinite(target)):
        raise ValueError(f"scale_pump: target current {target!r} must be a positive number (uA/cm2)")
    if I_rest is not None:
        system = compile_cell(cell)
        now = float(system.observe(system.y0)[f"I_{name}"][0])
    elif scale == "imax":
        now = pump.values["imax"]
    else:
        now = pump_current(pump, **SATURATING)
    if now <= 0:
        raise ValueError(f"scale_pump: {name} carries no outward current to scale ({now:.3g} uA/cm2)")
    return cell.with_params({f"{name}.{scale}": pump.values[scale] * target / now})
