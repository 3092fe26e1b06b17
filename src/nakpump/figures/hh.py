"""Figures of the hh1952 preset: the action potential with its rest, peak,
undershoot and width; repetitive firing with the onset and the Hopf
bifurcation on the current axis; K+ accumulating in the periaxonal space
during a train.  Units: ms, mV, mM, uA/cm2.
"""

from __future__ import annotations

import numpy as np

from . import register
from .style import COLORS, Clock, join, label_at, legend, measure, new_figure, note, raster, span, value, wrap


def gates(res) -> list[str]:
    """The result's gating variables (dimensionless states of its mechanisms)."""
    return [n for n in res.names
            if res.units.get(n) == "1" and any(n.startswith(m + "_") for m in res.mechanisms)]


def channel_currents(ax, res, t0: float = -np.inf, t1: float = np.inf) -> None:
    """Each ion's total membrane current (uA/cm2, outward +) over [t0, t1] ms."""
    m = (res.t >= t0) & (res.t <= t1)
    for ion in ("Na", "K", "Cl"):
        if f"I_{ion}" in res:
            label = f"I_{ion}" + (" (leak)" if ion == "Cl" else "")
            ax.plot(res.t[m], res[f"I_{ion}"][m], color=COLORS[ion], label=label)
    ax.axhline(0.0, color="0.5", lw=0.6)
    ax.set_ylabel("current (uA/cm2, outward +)")
    legend(ax, loc="lower right")


@register("hh1952:ap")
def ap(outcome):
    """The action potential with the summary's rest, peak, undershoot and
    width at half amplitude drawn on it, the pulse's threshold and the
    temperature; below, the Na+ and K+ currents and the gates m, h, n.
    Without a spike (below threshold, or heat block when warm) the highest V
    and the summary's note say why."""
    res = outcome.result
    fig = new_figure(outcome, 9, 8.5)
    ax_v, ax_i, ax_g = fig.subplots(3, 1, sharex=True, height_ratios=[2, 1.2, 1])
    v, t = res["V"], res.t
    ax_v.plot(t, v, color="k", label="V")
    ax_v.axhline(v[0], color="0.5", ls="--", lw=0.8)
    ax_v.text(t[-1], v[0], f"rest {measure(outcome, 'V_rest')} ", ha="right", va="bottom", fontsize=7.5)
    k = int(np.argmax(v))
    fired = len(res.spikes) > 0
    label_at(ax_v, t[k], v[k], measure(outcome, "peak", "peak" if fired else "highest V (no spike)"))
    if fired:
        after = t > res.spikes[0]
        j = int(np.nonzero(after)[0][np.argmin(v[after])])
        label_at(ax_v, t[j], v[j], measure(outcome, "undershoot", "undershoot"), dy=-16)
    if value(outcome, "width") is not None:
        half = v[0] + 0.5 * (v.max() - v[0])
        above = t[v > half]
        ax_v.plot([above[0], above[-1]], [half, half], color="tab:purple", lw=1.6, marker="|", ms=9,
                  gid="half-width")
        ax_v.text(above[-1] + 0.3, half, measure(outcome, "width", "width at half amplitude"), va="center",
                  fontsize=7.5, color="tab:purple")
    span([ax_v, ax_i, ax_g], *_pulse(res), start="pulse")
    note(ax_v, join(measure(outcome, "threshold", "threshold"),
                    measure(outcome, "threshold_charge", "  charge"), f"at {res.param('cell.T'):g} degC"),
         "upper right")
    if not fired:
        ax_v.set_title("no spike")
        note(ax_v, "\n".join(wrap(n, 90) for n in outcome.summary.notes), "center right")
    ax_v.set_ylabel("V (mV)")
    channel_currents(ax_i, res)
    for name in gates(res):
        ax_g.plot(t, res[name], label=name.rsplit("_", 1)[-1] + f" ({name})")
    ax_g.set_ylabel("gates")
    legend(ax_g, loc="upper right", ncol=3)
    ax_g.set_xlabel("time (ms)")
    return fig


def _pulse(res) -> tuple[float, float]:
    """The first and last time (ms) the stimulus is on (0, 0 without one)."""
    on = res.t[np.abs(res["I_stim"]) > 0] if "I_stim" in res else []
    return (float(on[0]), float(on[-1])) if len(on) else (0.0, 0.0)


@register("hh1952:repetitive")
def repetitive(outcome):
    """Above, V under the steady current with the firing rate; below, the
    current axis with the onset of repetitive firing and the Hopf
    bifurcation of rest (and Rinzel & Miller's values): below the onset the
    membrane rests, between the two it can rest or fire, above the Hopf
    point it fires; the current of the run is marked."""
    res = outcome.result
    fig = new_figure(outcome, 9, 6.5)
    ax_v, ax_b = fig.subplots(2, 1, height_ratios=[1.6, 1])
    ax_v.plot(res.t, res["V"], color="k", label="V")
    if len(res.spikes):
        raster(ax_v, res.spikes)
    note(ax_v, measure(outcome, "rate", "firing rate"), "upper right")
    late = res.spikes[res.spikes > res.t[-1] / 2]
    if len(late) > 2:
        y = 0.85
        ax_v.annotate("", (late[1], y), (late[0], y), xycoords=ax_v.get_xaxis_transform(),
                      arrowprops={"arrowstyle": "<->", "color": "tab:purple"})
        ax_v.text(late[1], y, f" {late[1] - late[0]:.2f} ms", transform=ax_v.get_xaxis_transform(),
                  va="center",
                  fontsize=7.5, color="tab:purple")
    ax_v.set_xlabel("time (ms)")
    ax_v.set_ylabel("V (mV)")
    onset, hopf = value(outcome, "onset"), value(outcome, "hopf")
    current = float(res["I_stim"][-1]) if "I_stim" in res else None
    top = 1.4 * max(hopf, current or 0.0)
    for lo, hi, color, what in ((0.0, onset, "tab:blue", "rest"), (onset, hopf, "tab:purple",
                                                                   "rest or\nrepetitive firing"),
                                (hopf, top, "tab:red", "repetitive firing")):
        ax_b.axvspan(lo, hi, color=color, alpha=0.15, lw=0)
        ax_b.text(0.5 * (lo + hi), 0.5, what, ha="center", va="center", fontsize=8, color=color)
    for key, x, ref in (("onset", onset, 6.26), ("hopf", hopf, 9.78)):
        ax_b.axvline(x, color="k", lw=1.2, gid=key)
        ax_b.text(x, 0.92, f"{'onset' if key == 'onset' else 'Hopf'} {measure(outcome, key)}", ha="center",
                  va="top", fontsize=7.5, bbox={"fc": "white", "ec": "none"})
        ax_b.plot([ref], [0.08], "v", color="0.3", ms=5)
    ax_b.text(0.5 * (onset + hopf), 0.12, "triangles: Rinzel & Miller 1980", ha="center", fontsize=7,
              color="0.3")
    if current is not None:
        ax_b.plot([current], [0.3], "o", color="k", gid="current")
        ax_b.text(current, 0.3, f"  this run: {current:g} uA/cm2", va="center", fontsize=7.5)
    ax_b.set_xlim(0.0, top)
    ax_b.set_ylim(0.0, 1.0)
    ax_b.set_yticks([])
    ax_b.grid(False)
    ax_b.set_xlabel("steady current (uA/cm2)")
    ax_b.set_title("what the membrane does at each steady current")
    return fig


@register("hh1952:accumulation")
def accumulation(outcome):
    """V during the train with the first and last undershoot marked (K+
    accumulation shrinks it), and K_o in the periaxonal space with its rise
    after the first impulse, its peak and its clearing after the train."""
    res = outcome.result
    clock = Clock.for_span(res.t[-1] - res.t[0])
    fig = new_figure(outcome, 9, 7)
    ax_v, ax_k = fig.subplots(2, 1, sharex=True)
    ax_v.plot(clock(res.t), res["V"], color="k", label="V")
    if "E_K" in res:
        ax_v.plot(clock(res.t), res["E_K"], color=COLORS["K"], ls="--", label="E_K")
    if len(res.spikes):
        raster(ax_v, clock(res.spikes))
        period = np.median(np.diff(res.spikes)) if len(res.spikes) > 1 else res.t[-1]
        for key, s, dy in (("undershoot_first", res.spikes[0], -16),
                           ("undershoot_last", res.spikes[-1], -16)):
            m = (res.t > s) & (res.t < s + period)
            if value(outcome, key) is not None and m.any():
                j = int(np.nonzero(m)[0][np.argmin(res["V"][m])])
                label_at(ax_v, clock(res.t[j]), res["V"][j],
                         measure(outcome, key, "first undershoot" if key.endswith("first") else "last"),
                         dy=dy, color="tab:purple", gid=key)
    ax_v.set_ylabel("V (mV)")
    legend(ax_v, loc="center right")
    ax_k.plot(clock(res.t), res["K_o"], color=COLORS["K"], label="K_o (periaxonal space)")
    k = int(np.argmax(res["K_o"]))
    label_at(ax_k, clock(res.t[k]), res["K_o"][k], measure(outcome, "K_o_peak", "peak"))
    label_at(ax_k, clock(res.t[-1]), res["K_o"][-1], measure(outcome, "K_o_end", "at end"), ha="right", dx=-4)
    note(ax_k, join(measure(outcome, "K_o_first", "rise after the first impulse"),
                    f"{value(outcome, 'spikes')} spikes for {value(outcome, 'pulses')} pulses"), "upper left")
    ax_k.set_ylabel("K_o (mM)")
    ax_k.set_xlabel(clock.label())
    if "train" in outcome.marks:
        t0, t1 = outcome.marks["train"]
        span([ax_v, ax_k], clock(t0), clock(t1), start="train")
    return fig
