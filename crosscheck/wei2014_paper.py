"""An independent implementation of Wei, Ullah & Schiff 2014 (REFERENCES 1b.3),
written from the equations (not from nakpump's mechanisms), solved with SciPy.

Both forms count ions as amounts (concentrations are diluted as the
volumes change) and differ where the authors' code and nakpump's preset do:

``"authors"``       as the authors' code (ported in xalbrain's
                    ``wei_manual.py`` and the MATLAB ``model_int_cotrans``):
                    gamma recomputed from the current volume and the area
                    of a sphere of that volume, the pump current rho/gamma
                    (so the pump, KCC2 and NKCC1 rates are per cytosol
                    volume), impermeants 132 mM inside and 18 mM outside.
``"nakpump"``       nakpump's reading: a fixed membrane area, the pump and
                    cotransporters per membrane area (at the initial
                    gamma), and impermeants that make both sides
                    electroneutral (152 mM inside; 18 mM anions + 20 mM
                    neutral osmolytes outside).

The "nakpump" form must agree with ``nakpump.catalog.wei2014`` to the
solvers' tolerance; the "authors" form shows what our reading changes
(``python crosscheck/wei2014_paper.py`` prints both side by side).

Units: ms, mV, mM, uA/cm2; rates printed in the paper in mM/s are x1e-3 here.
"""

from __future__ import annotations

import math
import sys

import numpy as np
from numba import njit
from scipy.integrate import solve_ivp

F, R = 1.602176634e-19 * 6.02214076e23, 1.380649e-23 * 6.02214076e23  # exact SI
T = 309.15
RTF = 1e3 * R * T / F
AREA = 4.0 * math.pi * 7.0 ** 2          # um2
W0 = 4.0 / 3.0 * math.pi * 7.0 ** 3      # um3
GAMMA0 = 1e4 / F * AREA / W0             # mM/s per uA/cm2 (0.04442)
BETA0 = 7.0
W_TOTAL = W0 * (1.0 + 1.0 / BETA0)

# V, m, h, n, Na_i, K_i, Cl_i, Na_o, K_o, Cl_o, W_i (um3), O2 (mg/L)
NAMES = ("V", "m", "h", "n", "Na_i", "K_i", "Cl_i", "Na_o", "K_o", "Cl_o", "W_i", "O2")
STATE = {name: j for j, name in enumerate(NAMES)}
"""Position of each state (by name) in the state vector: ``sol.sol(t)[STATE["K_o"]]``."""


@njit(cache=False)  # imported under more than one module name; a cache would mix them
def _efun(x):
    return 1.0 - x / 2.0 if abs(x) < 1e-6 else x / (math.exp(x) - 1.0)


@njit(cache=False)  # imported under more than one module name; a cache would mix them
def rhs(t, y, k_bath, o2_bath, per_area, a_i, a_o):
    V, m, h, n, nai, ki, cli, nao, ko, clo, W, o2 = y
    Wo = W_TOTAL - W
    if per_area:   # fixed membrane area
        gamma = GAMMA0 * W0 / W
    else:          # the area of a sphere of volume W
        gamma = GAMMA0 * (W0 / W) ** (1.0 / 3.0)
    beta = W / Wo
    ena, ek, ecl = RTF * math.log(nao / nai), RTF * math.log(ko / ki), -RTF * math.log(clo / cli)
    am, bm = 0.32 * 4.0 * _efun(-(V + 54.0) / 4.0), 0.28 * 5.0 * _efun((V + 27.0) / 5.0)
    ah, bh = 0.128 * math.exp(-(V + 50.0) / 18.0), 4.0 / (1.0 + math.exp(-(V + 27.0) / 5.0))
    an, bn = 0.032 * 5.0 * _efun(-(V + 52.0) / 5.0), 0.5 * math.exp(-(V + 57.0) / 40.0)
    ina = (30.0 * m ** 3 * h + 0.0247) * (V - ena)
    ik = (25.0 * n ** 4 + 0.05) * (V - ek)
    icl = 0.1 * (V - ecl)
    f_o2 = 1.0 / (1.0 + math.exp((20.0 - o2) / 3.0))
    sk = 1.0 / (1.0 + math.exp(3.5 - ko))
    if per_area:
        rho = 0.8 * f_o2 / GAMMA0                 # uA/cm2 per membrane area
        per_vol = W0 / W                          # mM/s rates written per W0 become per area
    else:
        rho = 0.8 * f_o2 / gamma
        per_vol = 1.0
    ipump = rho / (1.0 + math.exp((25.0 - nai) / 3.0)) * sk
    glia_pump = 0.8 * f_o2 / 3.0 / (1.0 + math.exp((25.0 - 18.0) / 3.0)) * sk   # gamma I_gliapump, mM/s
    kcc2 = 0.3 * per_vol * math.log(ki * cli / (ko * clo))
    nkcc1 = (0.1 * per_vol / (1.0 + math.exp(16.0 - ko))
             * (math.log(ki * cli / (ko * clo)) + math.log(nai * cli / (nao * clo))))
    f_o = 1.0 / (1.0 + math.exp((2.5 - o2_bath) / 0.2))
    f_v = 1.0 / (1.0 + math.exp((beta - 20.0) / 2.0))
    clear = (0.25 * f_o * f_v * (ko - k_bath) + 5.0 * f_o / (1.0 + math.exp((18.0 - ko) / 2.5))
             + 2.0 * glia_pump)
    # intracellular rates, mM/s (the paper's balances)
    dna = -gamma * (ina + 3.0 * ipump) - nkcc1
    dk = -gamma * (ik - 2.0 * ipump) - kcc2 - nkcc1
    dcl = gamma * icl - kcc2 - 2.0 * nkcc1
    pi_i = nai + ki + cli + a_i * W0 / W
    pi_o = nao + ko + clo + a_o * (W0 / BETA0) / Wo
    dW = (W0 * (1.1029 - 0.1029 * math.exp((pi_o - pi_i) / 20.0)) - W) / 250.0   # um3/ms
    out = np.empty(12)
    out[0] = -(ina + ik + icl + ipump)
    out[1] = am * (1.0 - m) - bm * m
    out[2] = ah * (1.0 - h) - bh * h
    out[3] = an * (1.0 - n) - bn * n
    out[4] = 1e-3 * dna
    out[5] = 1e-3 * dk
    out[6] = 1e-3 * dcl
    out[7] = -1e-3 * beta * dna
    out[8] = -1e-3 * (beta * dk + clear)
    out[9] = -1e-3 * beta * dcl
    out[10] = dW
    out[11] = 1e-3 * (-5.3 * (gamma * ipump + glia_pump) + 0.17 * (o2_bath - o2))
    for j in range(4, 7):  # amounts are conserved: concentrations dilute as water moves
        out[j] -= y[j] * dW / W
    for j in range(7, 10):
        out[j] += y[j] * dW / Wo
    return out


def initial(V0=-68.0, o2=32.0):
    from math import exp
    am, bm = 0.32 * 4.0 * _efun(-(V0 + 54.0) / 4.0), 0.28 * 5.0 * _efun((V0 + 27.0) / 5.0)
    ah, bh = 0.128 * exp(-(V0 + 50.0) / 18.0), 4.0 / (1.0 + exp(-(V0 + 27.0) / 5.0))
    an, bn = 0.032 * 5.0 * _efun(-(V0 + 52.0) / 5.0), 0.5 * exp(-(V0 + 57.0) / 40.0)
    return np.array([V0, am / (am + bm), ah / (ah + bh), an / (an + bn),
                     18.0, 140.0, 6.0, 144.0, 4.0, 130.0, W0, o2])


def run(form: str, k_bath: float, o2_bath: float, duration: float, rtol: float = 1e-9,
        t_eval=None, method: str = "LSODA"):
    """Solve the model in ``form`` ("authors" or "nakpump") from Wei's initial
    state; returns the SciPy solution (t in ms) with ``spikes`` (upward
    crossings of 0 mV, ms) added."""
    if form not in ("authors", "nakpump"):
        raise ValueError(f"form {form!r}: use 'authors' or 'nakpump'")
    per_area = form == "nakpump"
    a_i, a_o = (152.0, 38.0) if per_area else (132.0, 18.0)
    y0 = initial(o2=o2_bath)
    sol = solve_ivp(rhs, (0.0, duration), y0, method=method, rtol=rtol, atol=rtol * 1e-1,
                    args=(k_bath, o2_bath, per_area, a_i, a_o), t_eval=t_eval, dense_output=True,
                    jac=lambda t, y, *a: _jac(t, y, *a))
    ts = sol.sol.ts  # the solver's own steps (at rtol 1e-10, hundredths of a ms on a spike), where a
    v = sol.sol(ts)[STATE["V"]]  # 0.05 ms grid over minutes cost millions of evaluations
    up = np.nonzero((v[:-1] < 0.0) & (v[1:] >= 0.0))[0]
    spikes = []
    for i in up:  # refine on the dense output
        lo, hi = ts[i], ts[i + 1]
        for _ in range(40):
            mid = 0.5 * (lo + hi)
            if sol.sol(mid)[STATE["V"]] < 0.0:
                lo = mid
            else:
                hi = mid
        spikes.append(hi)
    sol.spikes = np.array(spikes)
    return sol


def at(sol, t) -> dict:
    """The states of solution ``sol`` at time(s) ``t`` (ms), by name (``NAMES``)."""
    return dict(zip(NAMES, sol.sol(t), strict=True))


def _jac(t, y, *args):
    f0 = rhs(t, y, *args)
    J = np.empty((len(y), len(y)))
    for j in range(len(y)):
        d = 1e-7 * max(abs(y[j]), 1e-3)
        yp = y.copy()
        yp[j] += d
        J[:, j] = (rhs(t, yp, *args) - f0) / d
    return J


def headline(form: str, k_bath: float, o2_bath: float = 32.0, duration: float = 120000.0) -> dict:
    """Spikes, seizure-like events and the depolarised state of one run."""
    sol = run(form, k_bath, o2_bath, duration, rtol=1e-7)
    sp = sol.spikes
    ts = np.linspace(0.0, duration, int(duration / 10.0) + 1)
    y = at(sol, ts)
    events = 0 if len(sp) == 0 else 1 + int(np.sum(np.diff(sp) > 1000.0))
    depolarised = ts[np.argmax(y["V"] > -40.0)] if np.any(y["V"] > -40.0) else None
    return dict(spikes=len(sp), events=events, K_o_max=float(y["K_o"].max()),
                swelling=float(y["W_i"].max() / W0 - 1.0), V_end=float(y["V"][-1]),
                first_above_m40=depolarised)


if __name__ == "__main__":
    kbs = [float(x) for x in sys.argv[1:]] or [7.0, 8.0, 8.5, 10.0, 15.0, 20.0]
    for kb in kbs:
        for form in ("authors", "nakpump"):
            print(f"K_bath {kb:5.1f} {form:12s}", headline(form, kb), flush=True)
