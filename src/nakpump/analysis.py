"""Measurements on results and on resting cells: "how much?".

Units: ms, mV, mM, uA/cm2, nC/cm2 (= uA/cm2 x ms), mol/cm2; "per cell"
figures multiply by the membrane area.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq, curve_fit

from .ions import ION, ION_NAMES
from .physics import AVOGADRO, ELEMENTARY_CHARGE, ghk_current


def resting_potential(result, t0: float | None = None, t1: float | None = None) -> float:
    """Mean V (mV) over [t0, t1] ms (default: the last 10 % of the run)."""
    t = result.t
    t1 = t[-1] if t1 is None else t1
    t0 = t[0] + 0.9 * (t[-1] - t[0]) if t0 is None else t0
    return float(np.mean(result["V"][(t >= t0) & (t <= t1)]))


def spike_times(result, t0: float = -np.inf, t1: float = np.inf) -> np.ndarray:
    """Spike times (ms) in [t0, t1]: upward crossings of the run's spike
    threshold, located on the solver's dense output."""
    s = result.spikes
    return s[(s >= t0) & (s <= t1)]


def bursts(spikes: np.ndarray, gap: float = 1000.0) -> np.ndarray:
    """Group spike times (ms) into bursts separated by silences longer than
    ``gap`` ms: an array of rows (start ms, end ms, number of spikes)."""
    spikes = np.asarray(spikes, float)
    if len(spikes) == 0:
        return np.empty((0, 3))
    breaks = np.nonzero(np.diff(spikes) > gap)[0]
    first = np.concatenate([[0], breaks + 1])
    last = np.concatenate([breaks, [len(spikes) - 1]])
    return np.column_stack([spikes[first], spikes[last], last - first + 1.0])


def depolarised_episodes(result, level: float = -40.0, hold: float = 1000.0) -> np.ndarray:
    """Episodes in which V stays above ``level`` mV for at least ``hold`` ms
    (depolarisation block: the spreading-depression-like state), as rows
    (start ms, end ms) on the result's time grid; an episode still running
    at the end of the run ends there."""
    return episodes_above(result.t, result["V"], level, hold)


def episodes_above(t: np.ndarray, V: np.ndarray, level: float = -40.0, hold: float = 1000.0) -> np.ndarray:
    """``depolarised_episodes`` for a trace given as times ``t`` (ms) and ``V`` (mV)."""
    above = np.asarray(np.asarray(V) > level, dtype=np.int8)
    edges = np.diff(np.concatenate([[0], above, [0]]))
    starts = np.nonzero(edges == 1)[0]
    ends = np.nonzero(edges == -1)[0] - 1
    rows = [(t[i], t[j]) for i, j in zip(starts, ends, strict=True) if t[j] - t[i] >= hold]
    return np.array(rows, float).reshape(-1, 2)


def time_depolarised(result, t0: float, level: float = -40.0, hold: float = 1000.0):
    """ms from ``t0`` until V first stays above ``level`` mV for ``hold`` ms
    (depolarisation block, the spreading-depression-like state); None if never."""
    for start, _ in depolarised_episodes(result, level, hold):
        if start > t0:
            return float(start - t0)
    return None


@dataclass
class SpikeShape:
    """One action potential: ``peak`` (mV), ``threshold`` (mV, where dV/dt
    first exceeds ``dvdt_threshold``), ``amplitude`` (peak - threshold, mV),
    ``ahp`` (minimum after the peak, mV), ``width`` (ms at half amplitude)."""

    peak: float
    threshold: float
    amplitude: float
    ahp: float
    width: float
    time: float


def spike_shape(t: np.ndarray, V: np.ndarray, dvdt_threshold: float = 10.0) -> SpikeShape:
    """Shape of the first spike in the trace ``V`` (mV) sampled at ``t`` (ms).
    Needs a fine grid (dt <= 0.05 ms) around the spike."""
    dvdt = np.gradient(V, t)
    above = np.nonzero(dvdt > dvdt_threshold)[0]
    if len(above) == 0:
        raise ValueError(f"no spike: dV/dt never exceeds {dvdt_threshold:g} mV/ms")
    i_th = above[0]
    i_pk = i_th + int(np.argmax(V[i_th:i_th + max(2, int(5.0 / max(t[1] - t[0], 1e-6)))]))
    after = V[i_pk:]
    falling = np.nonzero(np.diff(after) > 0)[0]
    i_ahp = i_pk + (falling[0] if len(falling) else len(after) - 1)
    thr, pk = float(V[i_th]), float(V[i_pk])
    half = thr + 0.5 * (pk - thr)
    over = np.nonzero(V[i_th:i_ahp + 1] >= half)[0]
    width = float(t[i_th + over[-1]] - t[i_th + over[0]]) if len(over) else float("nan")
    return SpikeShape(peak=pk, threshold=thr, amplitude=pk - thr, ahp=float(V[i_ahp]),
                      width=width, time=float(t[i_pk]))


@dataclass
class IonEntry:
    """Na+ that entered per spike and what it costs.

    charge_nC_cm2 : Na+ charge entering through channels and leaks above the
        resting influx, nC/cm2 per spike.
    ions_per_um2 : the same as ions per um2 of membrane.
    ions_per_cell, atp_per_cell : per spike for the whole cell (x area), ATP
        at 3 Na+ per ATP (the pump must eventually extrude it).
    capacitive_minimum_nC_cm2 : Cm x (peak - V at the window's start): the
        least charge that can make the spike; ``ratio`` = charge / minimum (Carter & Bean 2009).
    """

    charge_nC_cm2: float
    ions_per_um2: float
    ions_per_cell: float
    atp_per_cell: float
    capacitive_minimum_nC_cm2: float
    ratio: float


def sodium_entry_per_spike(result, t0: float, t1: float, n_spikes: int | None = None) -> IonEntry:
    """Na+ entry per spike over the window [t0, t1] ms (which should start
    and end at rest and hold ``n_spikes`` spikes; default: those detected).

    Counts all Na+ current except the pump's, less the resting Na+ influx
    measured at t0; integrated with the trapezoid rule on the result's grid
    (use dt <= 0.01 ms for a few-percent accuracy).
    """
    cell = result.system.cell
    m = result.window(t0, t1)
    t = result.t[m]
    i_na = np.zeros(m.sum())
    for name in result.names:
        if name.startswith("I_") and name.endswith("_Na") and name != "I_Na" and not _is_pump(result, name):
            i_na += result[name][m]
    inward = -(i_na - i_na[0])
    q = float(np.trapezoid(inward, t))
    n = len(spike_times(result, t0, t1)) if n_spikes is None else n_spikes
    if n == 0:
        raise ValueError(f"no spikes between {t0:g} and {t1:g} ms")
    q /= n
    area_cm2 = cell.values["area"] * 1e-8
    ions_um2 = q * 1e-9 / ELEMENTARY_CHARGE * 1e-8
    ions_cell = q * 1e-9 / ELEMENTARY_CHARGE * area_cm2
    v = result["V"][m]
    qmin = cell.values["Cm"] * (float(v.max()) - float(v[0]))
    return IonEntry(charge_nC_cm2=q, ions_per_um2=ions_um2, ions_per_cell=ions_cell,
                    atp_per_cell=ions_cell / 3.0, capacitive_minimum_nC_cm2=qmin, ratio=q / qmin)


def _is_pump(result, name: str) -> bool:
    mech = name[2:].rsplit("_", 1)[0]
    cell = result.system.cell
    return cell.has(mech) and cell.mechanism(mech).kind == "transporter"


def pump_atp_above_baseline(result, t0: float, t1: float) -> float:
    """ATP (mol/cm2) the pumps used in [t0, t1] ms beyond the rate at t0."""
    m = result.window(t0, t1)
    flux = result["atp_flux"][m]
    return float(np.trapezoid(flux - flux[0], result.t[m]) * 1e-3)


def recovery_tau(result, t0: float, quantity: str = "Na_i", t1: float | None = None):
    """Fit ``quantity`` after t0 (ms) with c_inf + A exp(-(t - t0)/tau).

    Returns (tau in ms, c_inf, A).  Raises ValueError if it does not fit.
    """
    m = result.window(t0, result.t[-1] if t1 is None else t1)
    t = result.t[m] - t0
    c = result[quantity][m]
    if len(t) < 5:
        raise ValueError(f"recovery_tau: fewer than 5 samples after {t0:g} ms")
    guess = (c[-1], c[0] - c[-1], max(t[-1] / 5.0, 1e-3))
    try:
        popt, _ = curve_fit(lambda x, ci, a, tau: ci + a * np.exp(-x / tau), t, c, p0=guess,
                            maxfev=20000)
    except RuntimeError as err:
        raise ValueError(f"recovery_tau: {quantity} does not relax exponentially ({err})") from None
    c_inf, a, tau = popt
    return float(tau), float(c_inf), float(a)


# ------------------------------------------------------------------ rest ----

def steady_current(system, y: np.ndarray, V: float, exclude: tuple[str, ...] = ()) -> float:
    """Net membrane current (uA/cm2) at potential V with every gate at its
    steady state and the concentrations of ``y``, leaving out the mechanisms
    named in ``exclude``."""
    yy = y.copy()
    yy[0] = V
    p = system.p0.copy()
    p[4] = 0.0
    yy = system.with_steady_gates(yy, p)
    total = -system.p0[1] * system.rhs(yy, p)[0]
    if exclude:
        obs = system.observe(yy[None, :], np.zeros(1, dtype=np.int64), p[None, :])
        for name in exclude:
            total -= float(obs[f"I_{name}"][0]) if f"I_{name}" in obs else sum(
                float(obs[k][0]) for k in obs if k.startswith(f"I_{name}_"))
    return float(total)


def rest_without(system, y: np.ndarray, exclude: tuple[str, ...] = (), V_guess: float | None = None,
                 max_shift: float = 80.0) -> float:
    """Zero-current potential (mV) with the concentrations of ``y`` kept, every
    gate at its steady state, and the net current of mechanisms ``exclude``
    removed: the root nearest ``V_guess`` (default y's V) within ``max_shift`` mV.
    Raises ValueError when there is none that close."""
    V0 = float(y[0]) if V_guess is None else V_guess
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
    from .physics import ghk_voltage

    y = system.y0 if y is None else y
    p = system.p0.copy()
    p[4] = 0.0
    V = rest_without(system, y, (), max_shift=20.0)
    y = y.copy()
    y[0] = V
    y = system.with_steady_gates(y, p)
    obs = system.observe(y[None, :], np.zeros(1, dtype=np.int64), p[None, :])
    obs = {k: float(v[0]) for k, v in obs.items()}
    pumps = [m.name for m in system.cell.mechanisms if m.kind == "transporter"]
    I_pump = sum(obs[f"I_{n}"] for n in pumps)
    E = {ion: obs[f"E_{ion}"] for ion in ION_NAMES}
    dv = 1e-3
    shifted = np.repeat(y[None, :], 2, axis=0)
    shifted[0, 0] += dv
    shifted[1, 0] -= dv
    obs2 = system.observe(shifted, np.zeros(2, dtype=np.int64), p[None, :])
    g = {}
    perm = {}
    def non_pump(o, ion, row):
        return o[f"I_{ion}"][row] - sum(o[f"I_{n}_{ion}"][row] for n in pumps if f"I_{n}_{ion}" in o)

    for ion in ION_NAMES:
        g[ion] = float((non_pump(obs2, ion, 0) - non_pump(obs2, ion, 1)) / (2 * dv))
        slope = [ghk_current(1.0, ION[ion].valence, V + sgn * dv, obs[f"{ion}_i"], obs[f"{ion}_o"],
                             system.p0[0]) for sgn in (1.0, -1.0)]
        perm[ion] = g[ion] / ((slope[0] - slope[1]) / (2 * dv))
    g_known = {k: v for k, v in g.items() if np.isfinite(v)}
    gsum = sum(g_known.values())
    v_weighted = sum(g_known[k] * E[k] for k in g_known) / gsum
    ci = {ion: obs[f"{ion}_i"] for ion in ION_NAMES}
    co = {ion: obs[f"{ion}_o"] for ion in ION_NAMES}
    perms = {k: max(v, 0.0) for k, v in perm.items() if np.isfinite(v) and v > 0}
    try:
        v_ghk = ghk_voltage(perms, ci, co, system.p0[0])
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
    r_in = 1.0 / (slope * 1e-3 * area_cm2) / 1e6 if slope > 0 else float("inf")
    atp = obs["atp_flux"]
    return RestReport(
        V_rest=V, nernst=E, conductance=g, pump_current=I_pump, V_weighted=v_weighted,
        pump_mV_chord=-I_pump / gsum, pump_mV=pump_mV, ghk_permeability=perm, V_ghk=v_ghk,
        atp_flux=atp, atp_per_cell_per_s=atp * area_cm2 * AVOGADRO,
        input_resistance_MOhm=r_in, tau_m_ms=float(system.p0[1] / slope) if slope > 0 else float("inf"),
        note=note,
    )


__all__ = ["resting_potential", "spike_times", "spike_shape", "SpikeShape", "IonEntry",
           "sodium_entry_per_spike", "pump_atp_above_baseline", "recovery_tau", "steady_current",
           "rest_without", "rest_report", "RestReport"]
