"""Panels several figures share: the membrane potential, concentrations,
the pump's current with its ATP use on a second scale, volumes, oxygen and
test pulses.  Each draws one quantity of a Result (the test pulses: of an
Outcome) on an axis over a time window (ms) and a ``Clock``; nothing here
knows a scenario.  Units: ms in, mV, mM, uA/cm2, mg/L.
"""

from __future__ import annotations

import numpy as np

from ..physics import AVOGADRO
from ..results import analysis as an
from .style import COLORS, Clock, legend, raster, sample, tests


def potential(ax, res, clock: Clock, t0: float = -np.inf, t1: float = np.inf, nernst: tuple = (),
              glia: bool = False, spikes: bool = True):
    """V (mV) over [t0, t1] ms; with ``nernst`` (ions) their Nernst potentials,
    with ``glia`` the astrocyte's V, with ``spikes`` the solver's spike times
    as a raster.  Returns V's Line2D."""
    t, v = sample(res.t, res["V"], t0=t0, t1=t1)
    line = ax.plot(clock(t), v, color=COLORS["V"], lw=0.8, label="V")[0]
    if glia and "V_g" in res:
        ax.plot(clock(t), sample(res.t, res["V_g"], t0=t0, t1=t1)[1], color=COLORS["glia"], lw=0.9,
                label="V astrocyte/glia")
    for ion in nernst:
        ax.plot(clock(t), sample(res.t, res[f"E_{ion}"], t0=t0, t1=t1)[1], color=COLORS[ion], ls="--",
                lw=1.0, label=f"E_{ion}")
    if spikes:
        s = res.spikes[(res.spikes >= max(t0, res.t[0])) & (res.spikes <= min(t1, res.t[-1]))]
        if len(s):
            dt = float(res.t[1] - res.t[0]) if len(res.t) > 1 else 0.0
            coarse = f"; the {dt:g} ms output grid misses their peaks" if dt > 0.1 else ""
            raster(ax, clock(s), label=f"spikes (the solver's spike times{coarse})")
    ax.set_ylabel("V (mV)")
    return line


def test_pulses(ax, outcome, clock: Clock, t0: float = -np.inf, t1: float = np.inf, within: float = 20.0):
    """The scenario's test pulses (``extra['tests']``, ms) in [t0, t1] ms as
    triangles near the bottom of ``ax``, filled where the pulse fired a
    spike (``extra['answered']``, or else a spike of the result within
    ``within`` ms of it): the pulses show even where the output grid is too
    coarse to draw them."""
    if "tests" not in outcome.extra:
        return
    t = np.asarray(outcome.extra["tests"], dtype=float)
    if "answered" in outcome.extra:
        ok = np.asarray(outcome.extra["answered"], dtype=bool)
    else:
        spikes = outcome.result.spikes
        ok = np.array([bool(np.any((spikes >= x) & (spikes <= x + within))) for x in t], dtype=bool)
    m = (t >= t0) & (t <= t1)
    tests(ax, clock(t[m]), ok[m])


def concentrations(ax, res, clock: Clock, names, t0: float = -np.inf, t1: float = np.inf,
                   ylabel: str = "concentration (mM)"):
    """Each of ``names`` (e.g. 'Na_i', 'K_o') over [t0, t1] ms, mM.  Returns {name: Line2D}."""
    lines = {}
    for name in names:
        if name not in res:
            continue
        t, c = sample(res.t, res[name], t0=t0, t1=t1)
        ion = name.split("_")[0]
        ls = "-" if name.endswith("_i") else (":" if name.endswith("_g") else "--")
        lines[name] = ax.plot(clock(t), c, color=COLORS.get(ion, "k"), ls=ls, label=name)[0]
    ax.set_ylabel(ylabel)
    legend(ax, loc="center right")
    return lines


def atp_per_charge(res) -> float | None:
    """ATP (mol/cm2/s) per uA/cm2 of the cell's own pump current, when the
    pumps' ATP use is proportional to their net current (as for every
    3 Na+ : 2 K+ pump: one ATP per net charge); None otherwise."""
    if "atp_flux" not in res:
        return None
    ip, flux = an.pump_current(res), res["atp_flux"]
    on = np.abs(ip) > 1e-9 * max(1.0, float(np.max(np.abs(ip))))
    if not on.any():
        return None
    ratio = flux[on] / ip[on]
    k = float(np.median(ratio))
    return k if k > 0 and np.max(np.abs(ratio - k)) <= 1e-6 * k else None


def pump(ax, res, clock: Clock, t0: float = -np.inf, t1: float = np.inf, label: str = "I_pump"):
    """The net current of the cell's own Na+/K+ pumps (uA/cm2) over [t0, t1]
    ms, and its ATP use (ATP/s per um2 of membrane) on a second scale when
    the two are proportional (otherwise drawn as its own line).  Returns the
    current's Line2D."""
    t, ip = sample(res.t, an.pump_current(res), t0=t0, t1=t1)
    line = ax.plot(clock(t), ip, color=COLORS["pump"], label=label)[0]
    ax.set_ylabel("I_pump (uA/cm2)", color=COLORS["pump"])
    k = atp_per_charge(res)
    per_um2 = AVOGADRO * 1e-8
    if k is not None:
        sec = ax.secondary_yaxis("right", functions=(lambda x: x * k * per_um2, lambda y: y / (k * per_um2)))
        sec.set_ylabel("ATP use (ATP/s per um2)", color="tab:brown")
    elif "atp_flux" in res:
        twin = ax.twinx()
        twin.plot(clock(t), sample(res.t, res["atp_flux"], t0=t0, t1=t1)[1] * per_um2, color="tab:brown")
        twin.set_ylabel("ATP use (ATP/s per um2)", color="tab:brown")
        twin.grid(False)
    return line


def volumes(ax, res, clock: Clock, t0: float = -np.inf, t1: float = np.inf, loc: str = "center right"):
    """Relative volumes of the cell, the glia and the extracellular space.  Returns {name: Line2D}."""
    lines = {}
    for name, label, color in (("vol_i_rel", "neuron", COLORS["volume"]), ("vol_g_rel", "astrocyte/glia",
                                                                             COLORS["glia"])):
        if name in res:
            t, v = sample(res.t, res[name], t0=t0, t1=t1)
            lines[name] = ax.plot(clock(t), v, color=color, label=label)[0]
    if "vol_o" in res:
        t, v = sample(res.t, res["vol_o"] / res["vol_o"][0], t0=t0, t1=t1)
        lines["vol_o_rel"] = ax.plot(clock(t), v, color=COLORS["ecs"], label="extracellular")[0]
    ax.set_ylabel("volume (rel. to start)")
    legend(ax, loc=loc)
    return lines


def oxygen(ax, res, clock: Clock, t0: float = -np.inf, t1: float = np.inf):
    """Extracellular O2 (mg/L) over [t0, t1] ms, dotted, on a second scale of
    ``ax``; nothing when the result has no O2.  Returns the Line2D or None."""
    if "O2" not in res:
        return None
    twin = ax.twinx()
    t, o2 = sample(res.t, res["O2"], t0=t0, t1=t1)
    line = twin.plot(clock(t), o2, color=COLORS["O2"], ls=":", lw=1.1, label="O2 (right)")[0]
    twin.set_ylabel("O2 (mg/L, dotted)", color=COLORS["O2"])
    twin.grid(False)
    handles, labels = ax.get_legend_handles_labels()
    if ax.get_legend() is not None:
        loc = ax.get_legend()._loc
        ax.legend(handles + [line], labels + [line.get_label()], loc=loc)
    return line


def varies(res, name: str, rel: float = 1e-6) -> bool:
    """Whether ``name`` is in the result and changes by more than ``rel`` of its size."""
    return name in res and float(np.ptp(res[name])) > rel * max(1.0, abs(float(res[name][0])))
