"""The resting state of a compiled cell: the zero-current potential with
the gates at steady state, and what sets it (Nernst potentials, the
conductances, the pump's electrogenic share, GHK permeabilities, input
resistance).  These read the model at fixed concentrations; they run no
simulation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..ions import ION, ION_NAMES
from ..physics import AVOGADRO, ghk_current, ghk_voltage, rt_over_f

__all__ = ["steady_current", "rest_without", "rest_report", "RestReport"]


def _no_stimulus(system) -> np.ndarray:
    p = system.p0.copy()
    for mem in system.layout.membranes:
        p[system.layout.param(mem["stim"])] = 0.0
    return p


def steady_current(system, y: np.ndarray, V: float, exclude: tuple[str, ...] = ()) -> float:
    """Net membrane current (uA/cm2) at potential V with every gate at its
    steady state and the concentrations of ``y``, leaving out the mechanisms
    named in ``exclude`` (blocked: whatever part of their current enters the
    membrane equation, all of it or an ``electrogenic`` fraction, goes)."""
    lay = system.layout
    yy = y.copy()
    yy[lay.V] = V
    p = _no_stimulus(system)
    yy = system.with_steady_gates(yy, p)
    for name in exclude:
        p[lay.param(f"{name}.block")] = 1.0
    return float(-p[lay.param(lay.membranes[0]["Cm"])] * system.rhs(yy, p)[lay.V])


def rest_without(system, y: np.ndarray, exclude: tuple[str, ...] = (), V_guess: float | None = None,
                 max_shift: float = 80.0) -> float:
    """Zero-current potential (mV) with the concentrations of ``y`` kept, every
    gate at its steady state, and the net current of mechanisms ``exclude``
    removed: the root nearest ``V_guess`` (default y's V) within ``max_shift`` mV.
    Raises ValueError when there is none that close."""
    from scipy.optimize import brentq

    V0 = float(y[system.layout.V]) if V_guess is None else V_guess
    f = lambda V: steady_current(system, y, V, exclude)  # noqa: E731
    for span in (1.0, 2.0, 5.0, 10.0, 20.0, 40.0, 80.0):
        span = min(span, max_shift)
        for a, b in ((V0 - span, V0), (V0, V0 + span)):
            fa, fb = f(a), f(b)
            if fa == 0.0:
                return a
            if fa * fb < 0:
                return float(brentq(f, a, b, xtol=1e-10))
        if span >= max_shift:
            break
    what = f" once {', '.join(exclude)} is removed" if exclude else ""
    raise ValueError(f"no zero-current potential within {max_shift:g} mV of {V0:.2f} mV{what}")


@dataclass
class RestReport:
    """What sets the resting potential.

    V_rest : mV.  nernst : E_X (mV).  conductance : g_X (mS/cm2), the
    conductance of every non-pump current of ion X at rest with the gates
    held (dI_X/dV at frozen gates: the chord conductance for ohmic currents,
    the slope conductance for GHK ones).  pump_current : uA/cm2 (net,
    outward).  V_weighted : sum(g_X E_X)/sum(g) (mV), the potential without
    the pump's current at fixed conductances.  pump_mV_chord : -I_pump/sum(g),
    the pump's electrogenic share at fixed conductances.  pump_mV : V with
    the pump minus V with its net current removed and gradients kept (gates
    re-equilibrate: the full answer); nan when no rest lies within 20 mV once
    the pump's current is removed (see ``note``).
    ghk_permeability : equivalent GHK permeabilities (cm/s): those whose GHK
    slope conductance at rest equals g_X; V_ghk : the GHK voltage with them
    (mV, no pump).  atp_flux : mol/(cm2 s).
    input_resistance_MOhm, tau_m_ms : small-signal values at rest.
    note : why a figure is missing, if one is.
    """

    V_rest: float
    nernst: dict
    conductance: dict
    pump_current: float
    V_weighted: float
    pump_mV_chord: float
    pump_mV: float
    ghk_permeability: dict
    V_ghk: float
    atp_flux: float
    atp_per_cell_per_s: float
    input_resistance_MOhm: float
    tau_m_ms: float
    note: str = ""


def rest_report(system, y: np.ndarray | None = None) -> RestReport:
    """Dissect the rest of ``system`` with the concentrations of state ``y``
    (default its y0).  The resting potential is the zero-current potential
    nearest y's V (within 20 mV) with every gate at steady state; a ValueError
    says when there is none (the cell is far from rest or fires)."""
    lay = system.layout
    y = system.y0 if y is None else y
    p = _no_stimulus(system)
    V = rest_without(system, y, (), max_shift=20.0)
    y = y.copy()
    y[lay.V] = V
    y = system.with_steady_gates(y, p)
    obs = system.observe(y, p)
    obs = {k: float(v[0]) for k, v in obs.items()}
    main = lay.membranes[0]["name"]
    pumps = [m.name for m in system.cell.mechanisms
             if "na_k_pump" in m.tags and m.site == "membrane" and m.membrane == main]
    I_pump = sum(obs[f"I_{n}"] for n in pumps)
    E = {ion: obs[f"E_{ion}"] for ion in ION_NAMES}
    dv = 1e-3
    shifted = np.repeat(y[None, :], 2, axis=0)
    shifted[0, lay.V] += dv
    shifted[1, lay.V] -= dv
    obs2 = system.observe(shifted, p)
    g = {}
    perm = {}
    T = system.p0[lay.param("cell.T")]
    rtf = rt_over_f(T)
    def non_pump(o, ion, row):
        return o[f"I_{ion}"][row] - sum(o[f"I_{n}_{ion}"][row] for n in pumps if f"I_{n}_{ion}" in o)

    for ion in ION_NAMES:
        g[ion] = float((non_pump(obs2, ion, 0) - non_pump(obs2, ion, 1)) / (2 * dv))
        slope = [ghk_current(1.0, ION[ion].valence, V + sgn * dv, obs[f"{ion}_i"], obs[f"{ion}_o"], rtf)
                 for sgn in (1.0, -1.0)]
        perm[ion] = g[ion] / ((slope[0] - slope[1]) / (2 * dv))
    g_known = {k: v for k, v in g.items() if np.isfinite(v)}
    gsum = sum(g_known.values())
    v_weighted = sum(g_known[k] * E[k] for k in g_known) / gsum
    ci = {ion: obs[f"{ion}_i"] for ion in ION_NAMES}
    co = {ion: obs[f"{ion}_o"] for ion in ION_NAMES}
    perms = {k: max(v, 0.0) for k, v in perm.items() if np.isfinite(v) and v > 0}
    try:
        v_ghk = ghk_voltage(perms, ci, co, T)
    except (ValueError, ZeroDivisionError):
        v_ghk = float("nan")
    note = ""
    try:
        pump_mV = V - rest_without(system, y, tuple(pumps), max_shift=20.0) if pumps else 0.0
    except ValueError:
        pump_mV = float("nan")
        note = ("without the pump's current there is no rest within 20 mV: the cell would fire "
                "or depolarise to another branch; the chord estimate still holds")
    dI = 0.01
    slope = (steady_current(system, y, V + dI) - steady_current(system, y, V - dI)) / (2 * dI)
    area_cm2 = system.cell.values["area"] * 1e-8
    cm = system.p0[lay.param(lay.membranes[0]["Cm"])]
    r_in = 1.0 / (slope * 1e-3 * area_cm2) / 1e6 if slope > 0 else float("inf")
    atp = obs["atp_flux"]
    return RestReport(
        V_rest=V, nernst=E, conductance=g, pump_current=I_pump, V_weighted=v_weighted,
        pump_mV_chord=-I_pump / gsum, pump_mV=pump_mV, ghk_permeability=perm, V_ghk=v_ghk,
        atp_flux=atp, atp_per_cell_per_s=atp * area_cm2 * AVOGADRO,
        input_resistance_MOhm=r_in, tau_m_ms=float(cm / slope) if slope > 0 else float("inf"),
        note=note,
    )
