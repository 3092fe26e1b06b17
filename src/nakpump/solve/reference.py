"""An independent reference solver: SciPy's Radau (implicit Runge-Kutta,
order 5) on the same compiled right-hand side, piecewise between the same
protocol edges, at tight tolerances.  Slow; used to measure the accuracy
of the Rodas4 solver and of other simulators."""

from __future__ import annotations

import numpy as np

from ..model.protocol import Protocol
from .segments import segments


def solve_reference(system, protocol: Protocol, duration: float, t_eval: np.ndarray,
                    rtol: float = 1e-10, atol_scale: float = 1e-4, method: str = "Radau",
                    spike_threshold: float = 0.0, exact_jacobian: bool = True):
    """Integrate ``system`` through ``protocol`` with SciPy.

    Returns ``(Y, spikes)``: states at ``t_eval`` (rows) and spike times (ms),
    upward crossings of ``spike_threshold`` by the membrane potential,
    located by SciPy's event finder.  ``atol_scale`` times rtol sets the
    absolute tolerance relative to each state's typical size (potentials
    100 mV, amounts their initial values, gates 1).  ``exact_jacobian``: give
    SciPy the cell's exact Jacobian (``System.jac``) for its Newton
    iterations instead of its own finite differences; it changes how fast
    they converge, not the solution they converge to.
    """
    from scipy.integrate import solve_ivp

    lay = system.layout
    iv = lay.V
    y = system.y0.copy()
    typical = np.maximum(np.abs(system.y0), 1.0)
    typical[lay.states_of("potential")] = 100.0
    atol = rtol * atol_scale * typical
    t_eval = np.asarray(t_eval, float)
    Y = np.full((len(t_eval), system.n_states), np.nan)
    spikes = []
    rhs = system.functions.rhs

    def crossing(t, yy):
        return yy[iv] - spike_threshold
    crossing.direction = 1.0

    for seg in segments(system, protocol, duration):
        for ion, value in seg.resets:
            name = lay.amount(ion, "o")
            if name is not None:
                vol = lay.compartment("o")["volume"]
                w = y[lay.state(vol)] if lay.has_state(vol) else system.p0[lay.param(vol)]
                y[lay.state(name)] = value * w

        def f(t, yy, p=seg.p):
            dy = np.empty_like(yy)
            rhs(np.ascontiguousarray(yy), p, dy)
            return dy

        def jac(t, yy, p=seg.p):
            J = np.zeros((lay.n_states, lay.n_states))
            J[:, :lay.n_dyn] = system.jacobian(yy, p)
            return J

        mask = (t_eval >= seg.t0) & (t_eval <= seg.t1)
        inner = t_eval[mask]
        extra = len(inner) == 0 or inner[-1] < seg.t1
        te = np.append(inner, seg.t1) if extra else inner
        sol = solve_ivp(f, (seg.t0, seg.t1), y, method=method, rtol=rtol, atol=atol,
                        t_eval=te, events=crossing, first_step=1e-4,
                        jac=jac if exact_jacobian and system.jac is not None else None)
        if not sol.success:
            raise RuntimeError(f"reference solver failed in [{seg.t0}, {seg.t1}] ms: {sol.message}")
        Y[mask] = (sol.y[:, :-1] if extra else sol.y).T
        spikes.extend(sol.t_events[0].tolist())
        y = sol.y[:, -1].copy()
    return Y, np.array(sorted(set(spikes)))
