"""The Cressman et al. 2009 neuron as the authors wrote it, independently of
nakpump (REFERENCES 1b.2), solved with SciPy, to measure what nakpump's
conservative preset ``cressman2009`` changes.

The authors' form: the pump current is left out of the membrane equation,
K_i = 140 + (18 - Na_i), Na_o = 144 - beta (Na_i - 18), Cl- fixed (6 and
130 mM), and the Ca2+-activated AHP current with [Ca]_i as a state.  Two
switches turn it, one step at a time, toward nakpump's preset:
``electrogenic`` puts the pump's net current (rho/gamma x sigmoids, uA/cm2)
into the membrane equation.  Constants: ``"paper"`` the 2009 values as
transcribed (epsilon 1.2/s, G_glia 66 mM/s); ``"2011"`` those of the
Barreto & Cressman 2011 code, ModelDB 142630 (epsilon 4/3, G_glia 200/3).

``python crosscheck/cressman2009_paper.py`` prints the burst period, K_o and
Na_i ranges for each variant at bath K+ 8 mM.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit
from scipy.integrate import solve_ivp

RTF = 26.64
GAMMA = 4.45e-2
BETA = 7.0

NAMES = ("V", "m", "h", "n", "Ca", "K_o", "Na_i")
STATE = {name: j for j, name in enumerate(NAMES)}
"""Position of each state (by name) in the state vector."""


@njit(cache=False)  # imported under more than one module name; a cache would mix them
def _efun(x):
    return 1.0 - x / 2.0 if abs(x) < 1e-6 else x / (math.exp(x) - 1.0)


@njit(cache=False)  # imported under more than one module name; a cache would mix them
def rhs(t, y, k_bath, eps, g_glia, electrogenic):
    V, m, h, n, ca, ko, nai = y
    ki = 140.0 + (18.0 - nai)
    nao = 144.0 - BETA * (nai - 18.0)
    ena, ek, ecl = RTF * math.log(nao / nai), RTF * math.log(ko / ki), RTF * math.log(6.0 / 130.0)
    am, bm = 0.1 * 10.0 * _efun(-0.1 * (V + 30.0)), 4.0 * math.exp(-(V + 55.0) / 18.0)
    ah, bh = 0.07 * math.exp(-(V + 44.0) / 20.0), 1.0 / (1.0 + math.exp(-0.1 * (V + 14.0)))
    an, bn = 0.01 * 10.0 * _efun(-0.1 * (V + 34.0)), 0.125 * math.exp(-(V + 44.0) / 80.0)
    ina = 100.0 * m ** 3 * h * (V - ena) + 0.0175 * (V - ena)
    ik = (40.0 * n ** 4 + 0.01 * ca / (1.0 + ca) + 0.05) * (V - ek)
    icl = 0.05 * (V - ecl)
    pump = 1.25 / (1.0 + math.exp((25.0 - nai) / 3.0)) / (1.0 + math.exp(5.5 - ko))   # mM/s
    glia = g_glia / (1.0 + math.exp((18.0 - ko) / 2.5))
    diff = eps * (ko - k_bath)
    out = np.empty(7)
    out[0] = -(ina + ik + icl + (pump / GAMMA if electrogenic else 0.0))
    out[1] = 3.0 * (am * (1.0 - m) - bm * m)
    out[2] = 3.0 * (ah * (1.0 - h) - bh * h)
    out[3] = 3.0 * (an * (1.0 - n) - bn * n)
    out[4] = -0.002 * 0.1 * (V - 120.0) / (1.0 + math.exp(-(V + 25.0) / 2.5)) - ca / 80.0
    out[5] = 1e-3 * (GAMMA * BETA * ik - 2.0 * BETA * pump - glia - diff)
    out[6] = 1e-3 * (-GAMMA * ina - 3.0 * pump)
    return out


def bursting(k_bath=8.0, constants="paper", electrogenic=False, duration=600000.0):
    """Burst period (s, mean over the second half), K_o and Na_i ranges (mM)
    after the first third of a run from the state (V -67, K_o 4, Na_i 18)."""
    eps, g_glia = (1.2, 66.0) if constants == "paper" else (4.0 / 3.0, 200.0 / 3.0)
    V = -67.0
    am, bm = 0.1 * 10.0 * _efun(-0.1 * (V + 30.0)), 4.0 * math.exp(-(V + 55.0) / 18.0)
    ah, bh = 0.07 * math.exp(-(V + 44.0) / 20.0), 1.0 / (1.0 + math.exp(-0.1 * (V + 14.0)))
    an, bn = 0.01 * 10.0 * _efun(-0.1 * (V + 34.0)), 0.125 * math.exp(-(V + 44.0) / 80.0)
    y0 = np.array([V, am / (am + bm), ah / (ah + bh), an / (an + bn), 0.0, 4.0, 18.0])
    # every step the solver took (no dense output: over a 0.05 ms grid it tripled the time); a
    # spike is an upward crossing of 0 mV, its time interpolated between the two steps around it
    # (steps of at most a few 0.01 ms on a spike's upstroke: the burst starts to that)
    sol = solve_ivp(rhs, (0.0, duration), y0, method="LSODA", rtol=1e-8, atol=1e-9,
                    args=(k_bath, eps, g_glia, electrogenic))
    t, v = sol.t, sol.y[STATE["V"]]
    j = np.nonzero((v[:-1] < 0.0) & (v[1:] >= 0.0))[0]
    up = t[j] + (t[j + 1] - t[j]) * (-v[j]) / (v[j + 1] - v[j])
    starts = up[np.concatenate([[True], np.diff(up) > 1000.0])] if len(up) else up
    late = starts[starts > duration / 3]
    y = dict(zip(NAMES, sol.y[:, t > duration / 3], strict=True))
    return dict(spikes=len(up), bursts=len(starts),
                period=float(np.mean(np.diff(late))) / 1000.0 if len(late) > 2 else None,
                K_o=(float(y["K_o"].min()), float(y["K_o"].max())),
                Na_i=(float(y["Na_i"].min()), float(y["Na_i"].max())))


if __name__ == "__main__":
    for constants in ("paper", "2011"):
        for electrogenic in (False, True):
            print(f"constants {constants:5s} electrogenic pump {electrogenic!s:5s}",
                  bursting(constants=constants, electrogenic=electrogenic), flush=True)
