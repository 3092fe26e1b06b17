"""Figures.  Matplotlib is imported inside the functions (Agg backend when
no display), so importing nakpump stays light."""

from __future__ import annotations

import numpy as np


def _plt():
    import matplotlib

    if matplotlib.get_backend().lower() not in ("agg", "pdf", "svg") and not _has_display():
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def _has_display() -> bool:
    import os
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _time_axis(t_ms: np.ndarray):
    span = t_ms[-1] - t_ms[0] if len(t_ms) else 0.0
    if span > 120000:
        return t_ms / 60000.0, "time (min)"
    if span > 2000:
        return t_ms / 1000.0, "time (s)"
    return t_ms, "time (ms)"


def _varies(result, name: str) -> bool:
    return name in result and float(np.ptp(result[name])) > 1e-9 * max(1.0, abs(result[name][0]))


def result_figure(result, title: str = "", marks: dict | None = None):
    """Stacked panels over time: V with the Nernst potentials; inside Na+ and
    Cl-; K+ inside and outside; pump current; pump ATP use; and, where they
    change, ATP/ADP with the free energy of ATP hydrolysis, cell volume and
    extracellular O2.
    Returns the matplotlib Figure."""
    plt = _plt()
    t, tlabel = _time_axis(result.t)
    scale = t[1] / result.t[1] if len(t) > 1 and result.t[1] else 1.0
    energy = _varies(result, "ATP_i")
    volume = _varies(result, "vol_i_rel")
    oxygen = _varies(result, "O2")
    n = 5 + energy + volume + oxygen
    fig, ax = plt.subplots(n, 1, figsize=(9, 2.2 * n), sharex=True, constrained_layout=True)
    ax[0].plot(t, result["V"], color="k", lw=0.8, label="V")
    if "V_g" in result:
        ax[0].plot(t, result["V_g"], color="0.5", lw=0.8, label="V astrocyte")
    for ion, col in (("Na", "tab:orange"), ("K", "tab:blue"), ("Cl", "tab:green")):
        ax[0].plot(t, result[f"E_{ion}"], color=col, lw=1.2, ls="--", label=f"E_{ion}")
    ax[0].set_ylabel("potential (mV)")
    ax[0].legend(loc="upper right", ncol=4, fontsize=8)
    ax[1].plot(t, result["Na_i"], color="tab:orange", label="Na_i")
    ax[1].plot(t, result["Cl_i"], color="tab:green", label="Cl_i")
    ax[1].set_ylabel("inside (mM)")
    ax[1].legend(loc="upper left", fontsize=8)
    ax[2].plot(t, result["K_o"], color="tab:blue", label="K_o")
    ax2 = ax[2].twinx()
    ax2.plot(t, result["K_i"], color="tab:purple", label="K_i")
    ax[2].set_ylabel("K_o (mM)", color="tab:blue")
    ax2.set_ylabel("K_i (mM)", color="tab:purple")
    from .analysis import pump_current

    ax[3].plot(t, pump_current(result), color="tab:red")
    ax[3].axhline(0.0, color="0.6", lw=0.6)
    ax[3].set_ylabel("I_pump (uA/cm2)")
    ax[4].plot(t, result["atp_rate"], color="tab:brown")
    ax[4].set_ylabel("pump ATP use (mM/s)")
    k = 5
    if energy:
        ax[k].plot(t, result["ATP_i"], color="tab:olive", label="ATP_i")
        ax[k].plot(t, result["ADP_i"], color="tab:gray", label="ADP_i")
        if "PCr_i" in result:
            ax[k].plot(t, result["PCr_i"], color="tab:green", label="PCr_i")
        ax[k].set_ylabel("inside (mM)")
        ax[k].legend(loc="center left", fontsize=8)
        axg = ax[k].twinx()
        axg.plot(t, result["dG_ATP"], color="tab:cyan")
        axg.set_ylabel("dG_ATP (kJ/mol)", color="tab:cyan")
        k += 1
    if volume:
        ax[k].plot(t, result["vol_i_rel"], color="tab:pink", label="neuron")
        if "vol_g_rel" in result:
            ax[k].plot(t, result["vol_g_rel"], color="tab:gray", label="astrocyte")
        if "vol_o" in result:
            ax[k].plot(t, result["vol_o"] / result["vol_o"][0], color="tab:cyan", label="extracellular")
        ax[k].set_ylabel("volume (rel.)")
        ax[k].legend(loc="upper left", fontsize=8)
        k += 1
    if oxygen:
        ax[k].plot(t, result["O2"], color="tab:cyan")
        ax[k].set_ylabel("O2 outside (mg/L)")
        k += 1
    ax[-1].set_xlabel(tlabel)
    for when in (marks or {}).values():
        spans = when if isinstance(when, tuple) else (when,)
        for a in ax:
            if len(spans) == 2:
                a.axvspan(spans[0] * scale, spans[1] * scale, color="0.85", zorder=0)
            elif spans[0]:
                a.axvline(spans[0] * scale, color="0.5", ls=":", lw=1)
    if title:
        fig.suptitle(title)
    return fig


def ahp_figure(outcome, title: str = ""):
    """The pump after-hyperpolarisation: each condition's AHP (spike-filtered
    V with the train minus without it) over time after the train, with the
    control's Na_i excess scaled onto it, and the pumps' current."""
    plt = _plt()
    res = outcome.result
    traces = outcome.extra["ahp_traces"]
    t0, t1 = outcome.marks["train"]
    t = (res.t - t1) / 1000.0
    fig, ax = plt.subplots(3, 1, figsize=(9, 8), sharex=True, constrained_layout=True)
    for (cond, which), dv in traces.items():
        ax[0].plot(t, dv, lw=1.2, label=f"{cond}, {which} train")
    ax[0].axhline(0.0, color="0.6", lw=0.6)
    ax[0].set_ylabel("AHP: dV (mV)")
    ax[0].set_ylim(min(-0.5, 1.3 * float(np.min(traces["control", "long"][t > 1.0]))), 1.0)
    ax[0].legend(loc="lower right", fontsize=8)
    excess = res["Na_i"] - res["Na_i"][0]
    ax[1].plot(t, excess, color="tab:orange")
    ax[1].set_ylabel("Na_i - rest (mM)")
    from .analysis import pump_current

    ax[2].plot(t, pump_current(res), color="tab:red")
    ax[2].set_ylabel("I_pump (uA/cm2)")
    ax[2].set_xlabel("time after the long train (s)")
    for a in ax:
        a.axvspan((t0 - t1) / 1000.0, 0.0, color="0.85", zorder=0)
    ax[2].set_xlim(max(float(t[0]), -15.0), float(t[-1]))
    if title:
        fig.suptitle(title)
    return fig


def scenario_figure(outcome):
    """The figure of a scenario run: ``result_figure`` with the scenario's
    marks and, where the scenario has one, a zoomed action potential."""
    title = f"nakpump {outcome.scenario.full_name}: {outcome.scenario.title}"
    if "ahp_traces" in outcome.extra:
        return ahp_figure(outcome, title)
    fig = result_figure(outcome.result, title, outcome.marks)
    spike = outcome.extra.get("spike")
    if spike is not None:
        ax = fig.axes[0].inset_axes([0.72, 0.08, 0.25, 0.6])
        ax.plot(spike.t, spike["V"], color="k", lw=0.8)
        ax.set_title("one spike (ms, mV)", fontsize=7)
        ax.tick_params(labelsize=6)
    return fig


def save(fig, path) -> None:
    """Write ``fig`` to ``path`` (format from the extension) and close it."""
    from pathlib import Path

    plt = _plt()
    path = Path(path)
    tmp = path.with_name(path.stem + ".part" + path.suffix)
    fig.savefig(tmp, dpi=110)
    tmp.replace(path)
    plt.close(fig)
