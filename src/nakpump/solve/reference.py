"""An independent reference solver: SciPy's Radau (implicit Runge-Kutta,
order 5) on the same compiled right-hand side, piecewise between the same
protocol edges, at tight tolerances.  Slow; used to measure the accuracy
of the Rodas4 solver and of other simulators."""

from __future__ import annotations

import numpy as np
from scipy.integrate import solve_ivp

from ..ions import ION_NAMES, N_IONS
from ..protocol import Protocol
from .simulate import _segments


def solve_reference(system, protocol: Protocol, duration: float, t_eval: np.ndarray,
                    rtol: float = 1e-10, atol_scale: float = 1e-4, method: str = "Radau",
                    spike_threshold: float = 0.0):
    """Integrate ``system`` through ``protocol`` with SciPy.

    Returns ``(Y, spikes)``: states at ``t_eval`` (rows) and spike times (ms),
    upward crossings of ``spike_threshold`` located by SciPy's event finder.
    ``atol_scale`` times rtol sets the absolute tolerance relative to each
    state's typical size (V 100 mV, amounts their initial values, gates 1).
    """
    y = system.y0.copy()
    typical = np.maximum(np.abs(system.y0), 1.0)
    typical[0] = 100.0
    atol = rtol * atol_scale * typical
    t_eval = np.asarray(t_eval, float)
    Y = np.full((len(t_eval), system.n_states), np.nan)
    spikes = []
    w = np.empty(system.module.NWORK)
    rhs = system.module.rhs

    def crossing(t, yy):
        return yy[0] - spike_threshold
    crossing.direction = 1.0

    for t0, t1, p, resets in _segments(system, protocol, duration):
        for ion, value in resets:
            k = ION_NAMES.index(ion)
            if system.closed:
                i_wo = system.layout.i_wo
                y[1 + N_IONS + k] = value * (y[i_wo] if i_wo is not None else system.p0[3])

        def f(t, yy, p=p):
            dy = np.empty_like(yy)
            rhs(yy, p, w, dy)
            return dy

        mask = (t_eval >= t0) & (t_eval <= t1)
        inner = t_eval[mask]
        extra = len(inner) == 0 or inner[-1] < t1
        te = np.append(inner, t1) if extra else inner
        sol = solve_ivp(f, (t0, t1), y, method=method, rtol=rtol, atol=atol,
                        t_eval=te, events=crossing, first_step=1e-4)
        if not sol.success:
            raise RuntimeError(f"reference solver failed in [{t0}, {t1}] ms: {sol.message}")
        Y[mask] = (sol.y[:, :-1] if extra else sol.y).T
        spikes.extend(sol.t_events[0].tolist())
        y = sol.y[:, -1].copy()
    return Y, np.array(sorted(set(spikes)))
