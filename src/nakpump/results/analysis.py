"""Measurements on results: "how much?".  They read Results only (the
data and the Result's own metadata), never the model that made them.

Units: ms, mV, mM, uA/cm2, nC/cm2 (= uA/cm2 x ms), mol/cm2; "per cell"
figures multiply by the membrane area.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..physics import AVOGADRO, ELEMENTARY_CHARGE


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

    Counts the Na+ current of every channel on the cell's own membrane
    (not the pumps' and transporters', nor an astrocyte's), less the resting
    Na+ influx measured at t0; integrated with the trapezoid rule on the
    result's grid (use dt <= 0.01 ms for a few-percent accuracy).
    """
    m = result.window(t0, t1)
    t = result.t[m]
    i_na = sodium_channel_current(result)[m]
    inward = -(i_na - i_na[0])
    q = float(np.trapezoid(inward, t))
    n = len(spike_times(result, t0, t1)) if n_spikes is None else n_spikes
    if n == 0:
        raise ValueError(f"no spikes between {t0:g} and {t1:g} ms")
    q /= n
    area_cm2 = float(result.meta["area_um2"]) * 1e-8
    ions_um2 = q * 1e-9 / ELEMENTARY_CHARGE * 1e-8
    ions_cell = q * 1e-9 / ELEMENTARY_CHARGE * area_cm2
    v = result["V"][m]
    qmin = float(result.meta["Cm_uF_cm2"]) * (float(v.max()) - float(v[0]))
    return IonEntry(charge_nC_cm2=q, ions_per_um2=ions_um2, ions_per_cell=ions_cell,
                    atp_per_cell=ions_cell / 3.0, capacitive_minimum_nC_cm2=qmin, ratio=q / qmin)


def sodium_channel_current(result) -> np.ndarray:
    """The Na+ current (uA/cm2, outward +) of every channel and leak on the
    cell's own membrane over time: not the pumps' and transporters', nor an
    astrocyte's."""
    i_na = np.zeros(len(result.t))
    main = result.layout.membranes[0]["name"]
    for name in result.names:
        mech = name[2:-3]
        on_main = result.mechanisms.get(mech, {}).get("place", main) == main
        if (name.startswith("I_") and name.endswith("_Na") and name != "I_Na"
                and not is_transporter(result, mech) and on_main):
            i_na = i_na + result[name]
    return i_na


def is_transporter(result, mechanism: str) -> bool:
    """Whether ``mechanism`` of the result's cell is a transporter (one of its
    fluxes moves more than one ion or uses ATP), not a channel."""
    info = result.mechanisms.get(mechanism)
    return info is not None and any(len(f["ions"]) > 1 or f["atp"] for f in info.get("fluxes", []))


def pumps(result, membrane: str | None = None) -> list[str]:
    """Names of the result's Na+/K+ pumps (on ``membrane``, or on every membrane)."""
    return [name for name, info in result.mechanisms.items() if "na_k_pump" in info["tags"]
            and (membrane is None or info.get("place", membrane) == membrane)]


def pump_current(result, membrane: str | None = None) -> np.ndarray:
    """Net current of the Na+/K+ pumps on ``membrane`` (default: the cell's
    own), uA/cm2 outward, over time; zeros when it has none."""
    main = result.layout.membranes[0]["name"] if membrane is None else membrane
    total = np.zeros(len(result.t))
    for name in pumps(result, main):
        total = total + result[f"I_{name}"]
    return total


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
    from scipy.optimize import curve_fit

    try:
        popt, _ = curve_fit(lambda x, ci, a, tau: ci + a * np.exp(-x / tau), t, c, p0=guess,
                            maxfev=20000)
    except RuntimeError as err:
        raise ValueError(f"recovery_tau: {quantity} does not relax exponentially ({err})") from None
    c_inf, a, tau = popt
    return float(tau), float(c_inf), float(a)


__all__ = ["resting_potential", "spike_times", "bursts", "depolarised_episodes", "episodes_above",
           "time_depolarised", "spike_shape", "SpikeShape", "IonEntry", "sodium_entry_per_spike",
           "sodium_channel_current",
           "is_transporter", "pumps", "pump_atp_above_baseline", "recovery_tau", "AVOGADRO"]
