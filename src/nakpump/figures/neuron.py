"""Figures of the default neuron at rest and in firing: ``rest`` (what sets
the resting potential, the pump's share in mV), ``electrogenic`` (the fast
jump when the pumps are blocked), ``spike-train`` (Na_i's recovery with its
fitted time constant and the pump after-hyperpolarisation) and ``atp-cost``
(one spike's Na+ charge against the capacitive minimum, and the pumps
paying it back after a burst).  Units: ms, mV, mM, uA/cm2, nC/cm2.
"""

from __future__ import annotations

import numpy as np

from ..physics import AVOGADRO
from ..results import analysis as an
from . import panels, register
from .style import (
    COLORS,
    Clock,
    event,
    headroom,
    join,
    label_at,
    legend,
    measure,
    new_figure,
    note,
    sample,
    side,
    span,
    value,
    wrap,
)


# --------------------------------------------------------------- rest -----
def resting_currents(res) -> dict[str, float]:
    """The currents across the cell's own membrane at the start of ``res``
    (uA/cm2, outward +), by kind: each ion's channels and leaks, the Na+/K+
    pumps' net current, the other transporters' net current, and their sum
    (0 at rest)."""
    main = res.layout.membranes[0]["name"]
    out = {"Na+ channels, leaks": 0.0, "K+ channels, leaks": 0.0, "Cl- channels, leaks": 0.0,
           "Na+/K+ pumps (net)": 0.0, "other transporters (net)": 0.0}
    for mech, info in res.mechanisms.items():
        if info.get("place") != main or info.get("site") != "membrane":
            continue
        if "na_k_pump" in info["tags"]:
            out["Na+/K+ pumps (net)"] += float(res[f"I_{mech}"][0])
            continue
        for ion, key in (("Na", "Na+"), ("K", "K+"), ("Cl", "Cl-")):
            name = f"I_{mech}_{ion}"
            if name in res:
                transporter = an.is_transporter(res, mech)
                kind = "other transporters (net)" if transporter else f"{key} channels, leaks"
                out[kind] += float(res[name][0])
    if "I_stim" in res:
        out["electrode"] = float(res["I_stim"][0])
    out["sum"] = sum(out.values())
    return out


LEVELS = (("E_K", "E_K", COLORS["K"]), ("E_Cl", "E_Cl", COLORS["Cl"]), ("V_ghk", "GHK V\n(no pump)", "0.45"),
          ("V_weighted", "g-weighted E\n(no pump)", "0.45"), ("V_rest", "V_rest", "k"),
          ("E_Na", "E_Na", COLORS["Na"]))
"""The rest figure's levels: measure key, column label, colour."""


def _levels(ax, outcome, keys) -> None:
    """The levels of ``LEVELS`` whose keys are in ``keys``, each in its column, with its value."""
    for i, (key, label, color) in enumerate(LEVELS):
        y = value(outcome, key)
        if y is None or key not in keys:
            continue
        ax.hlines(y, i - 0.35, i + 0.35, color=color, lw=3, label=label.replace("\n", " "),
                  gid=f"level:{key}")
        ax.text(i, y + (-1.5 if key == "V_rest" else 1.5), measure(outcome, key), ha="center",
                va="top" if key == "V_rest" else "bottom", fontsize=8, color=color)


def _broken(top, bottom) -> None:
    """Diagonal marks where the y axis is broken between ``top`` and ``bottom``."""
    top.spines.bottom.set_visible(False)
    bottom.spines.top.set_visible(False)
    top.tick_params(bottom=False, labelbottom=False)
    kw = {"marker": [(-1, -0.5), (1, 0.5)], "markersize": 8, "linestyle": "none", "color": "k", "mec": "k",
          "mew": 1, "clip_on": False}
    top.plot([0, 1], [0, 0], transform=top.transAxes, **kw)
    bottom.plot([0, 1], [1, 1], transform=bottom.transAxes, **kw)


@register("rest")
def rest(outcome):
    """Left: the resting potential among the potentials that set it (E_K,
    E_Cl, the GHK voltage and the conductance-weighted mean without the
    pump, E_Na; the y axis broken below E_Na so the rest has room), with the
    pump's electrogenic share drawn as the step from V without the pump's
    current to V_rest.  Right: the currents that balance at rest, and each
    ion's share of the resting conductance (the weights of the
    conductance-weighted mean).  A cell with no rest (it fires or
    oscillates) gets ``no_rest`` instead."""
    if value(outcome, "V_rest") is None or "rest" not in outcome.extra:
        return no_rest(outcome)
    res = outcome.result
    fig = new_figure(outcome, 11.5, 7.0)
    gs = fig.add_gridspec(2, 2, width_ratios=[1.3, 1])
    keys = [key for key, _, _ in LEVELS
            if value(outcome, key) is not None and np.isfinite(value(outcome, key))]
    low = [value(outcome, k) for k in keys if k != "E_Na"]
    e_na = value(outcome, "E_Na")
    if e_na is not None and e_na - max(low) > 40.0:
        left = gs[:, 0].subgridspec(2, 1, height_ratios=[1, 6], hspace=0.05)
        top, ax = fig.add_subplot(left[0]), fig.add_subplot(left[1])
        _levels(top, outcome, ["E_Na"])
        top.set_ylim(e_na - 6.0, e_na + 6.0)
        _broken(top, ax)
        top.set_xlim(-0.6, len(LEVELS) - 0.4)
        top.set_title("what sets the resting potential (calibrated, not predicted)")
        top.grid(axis="x", visible=False)
        _levels(ax, outcome, [k for k in keys if k != "E_Na"])
        ax.set_ylim(min(low) - 8.0, max(low) + 10.0)
    else:
        ax = fig.add_subplot(gs[:, 0])
        _levels(ax, outcome, keys)
        ax.set_title("what sets the resting potential (calibrated, not predicted)")
    v_rest, share = value(outcome, "V_rest"), value(outcome, "pump_mV")
    ax.axhline(v_rest, color="k", ls=":", lw=0.8)
    k = [key for key, _, _ in LEVELS].index("V_rest")
    if share is not None and np.isfinite(share):
        free = v_rest - share
        ax.hlines(free, k - 0.35, k + 0.35, color="k", lw=1.5, ls="--", gid="level:V_no_pump")
        ax.text(k, free + 1.5, "without the pump's\ncurrent", ha="center", va="bottom", fontsize=7.5)
        ax.annotate("", (k + 0.42, v_rest), (k + 0.42, free),
                    arrowprops={"arrowstyle": "->", "color": COLORS["pump"], "lw": 1.5})
        ax.text(k + 0.5, 0.5 * (v_rest + free), f"pump's\nelectrogenic\nshare\n{measure(outcome, 'pump_mV')}",
                va="center", ha="left", fontsize=8, color=COLORS["pump"], gid="pump-share")
    ax.set_xticks(range(len(LEVELS)), [label for _, label, _ in LEVELS], fontsize=8)
    ax.set_xlim(-0.6, len(LEVELS) - 0.4)
    ax.set_ylabel("potential (mV)")
    ax.grid(axis="x", visible=False)
    note(ax, join(measure(outcome, "P_Na_per_P_K", "P_Na:P_K"), measure(outcome, "P_Cl_per_P_K", "P_Cl:P_K"),
                  measure(outcome, "I_pump", "I_pump"), measure(outcome, "atp_per_s", "pump ATP use"),
                  measure(outcome, "R_in", "R_in"), measure(outcome, "tau_m", "tau_m"),
                  measure(outcome, "C_total", "C"), measure(outcome, "V_glia", "astrocyte V"),
                  measure(outcome, "V_drift", "V drifts over the run by at most")), "lower right")
    _currents(fig.add_subplot(gs[0, 1]), res)
    _conductances(fig.add_subplot(gs[1, 1]), outcome)
    return fig


def _currents(ax, res) -> None:
    """Bars of ``resting_currents`` (uA/cm2) with their values."""
    cur = {n: c for n, c in resting_currents(res).items() if abs(c) > 1e-9 or n == "sum"}
    names = list(cur)
    shade = {"Na+": COLORS["Na"], "K+ ": COLORS["K"], "Cl-": COLORS["Cl"], "Na+/": COLORS["pump"]}
    colors = [next((c for p, c in shade.items() if n.startswith(p) and (p != "Na+" or "/" not in n)), "0.6")
              for n in names]
    ax.barh(range(len(names)), [cur[n] for n in names], color=colors, gid="currents")
    for i, n in enumerate(names):
        ax.text(cur[n], i, f" {cur[n]:+.3f} ", va="center", ha="left" if cur[n] >= 0 else "right",
                fontsize=7.5)
    ax.set_yticks(range(len(names)), names, fontsize=8)
    ax.invert_yaxis()
    ax.axvline(0.0, color="0.4", lw=0.8)
    lim = 1.6 * max(abs(c) for c in cur.values())
    ax.set_xlim(-lim, lim)
    ax.set_xlabel("current at rest (uA/cm2, outward +)")
    ax.set_title("the pump's outward current balances the net inward leak")


def _conductances(ax, outcome) -> None:
    """Each ion's conductance at rest (``extra['rest'].conductance``, mS/cm2,
    the pumps left out) as its share of the total, with its Nernst
    potential: the weights of the conductance-weighted mean."""
    rep = outcome.extra["rest"]
    g = {ion: float(x) for ion, x in rep.conductance.items() if np.isfinite(x) and x > 0}
    total = sum(g.values())
    ions = list(g)
    shares = [100.0 * g[i] / total for i in ions]
    ax.barh(range(len(ions)), shares, color=[COLORS.get(i, "0.6") for i in ions], gid="conductance")
    for i, ion in enumerate(ions):
        ax.text(shares[i], i, f" {shares[i]:.1f} % ({1000 * g[ion]:.3g} uS/cm2), E_{ion} "
                f"{rep.nernst[ion]:.1f} mV", va="center", ha="left", fontsize=7.5)
    ax.set_yticks(range(len(ions)), [f"g_{i}" for i in ions], fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0.0, 175.0)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel("share of the resting conductance (%)")
    ax.set_title("the weights: each ion's share of the conductance")
    note(ax, f"sum of g_X E_X / sum of g = {measure(outcome, 'V_weighted')}\n(the pump's current left out)",
         "lower right")


def no_rest(outcome):
    """A cell with no resting potential (it fires or oscillates on its own):
    V over the run with its spikes and range, Na_i and K_o, and the
    summary's notes."""
    res = outcome.result
    clock = Clock.for_span(res.t[-1] - res.t[0])
    fig = new_figure(outcome, 10, 7.0)
    gs = fig.add_gridspec(3, 1, height_ratios=[1.6, 1, 0.45])
    ax_v = fig.add_subplot(gs[0])
    ax_c = fig.add_subplot(gs[1], sharex=ax_v)
    panels.potential(ax_v, res, clock)
    ax_v.set_title("no resting potential: the cell fires or oscillates with no stimulus")
    note(ax_v, join(measure(outcome, "V_rest", "resting potential", missing=True),
                    measure(outcome, "spikes", "spontaneous spikes over the run"),
                    measure(outcome, "V_range", "V between")), "upper right")
    legend(ax_v, loc="center right")
    panels.concentrations(ax_c, res, clock, ("Na_i", "K_o"))
    ax_c.set_xlabel(clock.label())
    side(fig.add_subplot(gs[2]), "\n".join(wrap(n, 150) for n in outcome.summary.notes))
    return fig


# -------------------------------------------------------- electrogenic ----
@register("electrogenic")
def electrogenic(outcome):
    """Left: V and the pump current around the block (ms after it), the fast
    jump drawn between V at the block and V ten membrane time constants later,
    beside the electrogenic share predicted at rest.  Right: the whole run
    (s) with the slow drift's fitted line, and the concentrations' change."""
    res = outcome.result
    t_block, t_fast = outcome.marks["block"], outcome.marks["fast"]
    if value(outcome, "jump") is None or res.t[-1] < t_fast:
        return _before_the_jump(outcome)
    v0 = float(np.interp(t_block, res.t, res["V"]))
    v_fast = float(np.interp(t_fast, res.t, res["V"]))
    fig = new_figure(outcome, 11, 6.5)
    gs = fig.add_gridspec(2, 2, width_ratios=[1, 1.2])
    ax_z = fig.add_subplot(gs[0, 0])
    ax_zi = fig.add_subplot(gs[1, 0], sharex=ax_z)
    fast = Clock(1.0, "ms", t_block)
    w0, w1 = t_block - 0.6 * (t_fast - t_block), t_fast + 1.6 * (t_fast - t_block)
    panels.potential(ax_z, res, fast, w0, w1)
    ax_z.hlines(v0, fast(w0), fast(w1), color="0.4", ls="--", lw=0.9, gid="v-block")
    ax_z.text(fast(w1), v0, "V at the block ", ha="right", va="bottom", fontsize=7.5, color="0.3")
    ax_z.hlines(v_fast, 0.0, fast(w1), color=COLORS["pump"], ls="--", lw=0.9, gid="v-fast")
    ax_z.text(fast(w1), v_fast, "V 10 tau_m later ", ha="right", va="bottom", fontsize=7.5,
              color=COLORS["pump"])
    ax_z.annotate("", (fast(t_fast), v_fast), (fast(t_fast), v0),
                  arrowprops={"arrowstyle": "<->", "color": COLORS["pump"], "lw": 1.3})
    ax_z.text(fast(t_fast) + 4, 0.5 * (v0 + v_fast), measure(outcome, "jump", "fast jump"), va="center",
              fontsize=8, color=COLORS["pump"], gid="jump")
    shares = {key: value(outcome, key) for key in ("pump_mV", "pump_mV_chord")}
    higher = max((k for k, x in shares.items() if x is not None and np.isfinite(x)), key=lambda k: -shares[k],
                 default=None)
    for key, ls, what in (("pump_mV", "-.", "steady I-V"), ("pump_mV_chord", ":", "-I_pump/g_rest")):
        share = shares[key]
        if share is not None and np.isfinite(share):
            ax_z.axhline(v0 - share, color="tab:purple", ls=ls, lw=0.9, gid=f"predicted:{key}")
            ax_z.text(fast(w0), v0 - share, f" V the share predicts ({what}): {measure(outcome, key)}",
                      ha="left", va="bottom" if key == higher else "top", fontsize=7.5, color="tab:purple",
                      bbox={"fc": "white", "ec": "none", "alpha": 0.8, "pad": 1}, zorder=5)
    headroom(ax_z, 0.08)
    event([ax_z, ax_zi], 0.0, "pumps blocked")
    event([ax_z, ax_zi], fast(t_fast), "10 tau_m", ls=":")
    ax_z.set_title("the electrogenic part: a fast jump")
    panels.pump(ax_zi, res, fast, w0, w1)
    ax_zi.set_xlabel("time after the block (ms)")
    ax_zi.set_xlim(fast(w0), fast(w1))
    clock = Clock.for_span(res.t[-1] - res.t[0])
    ax_v = fig.add_subplot(gs[0, 1])
    ax_c = fig.add_subplot(gs[1, 1], sharex=ax_v)
    panels.potential(ax_v, res, clock)
    late = res.t >= t_fast
    if value(outcome, "drift") is not None and late.sum() > 2:
        slope, icept = np.polyfit(res.t[late] / 60000.0, res["V"][late], 1)
        ax_v.plot(clock(res.t[late]), slope * res.t[late] / 60000.0 + icept, color="tab:purple", ls="--",
                  label=f"fit: slow drift {measure(outcome, 'drift')}", gid="drift-fit")
    span([ax_v, ax_c], clock(w0), clock(w1))
    event([ax_v, ax_c], clock(t_block), "pumps blocked")
    legend(ax_v, loc="upper left")
    ax_v.set_title("then the slow drift: the gradients run down")
    for q in ("Na_i", "K_i", "K_o", "Cl_i"):
        t, c = sample(res.t, res[q])
        ax_c.plot(clock(t), c - c[0], color=COLORS[q.split("_")[0]], ls="-" if q.endswith("_i") else "--",
                  label=q)
    ax_c.set_ylabel("change from start (mM)")
    legend(ax_c, loc="upper left")
    ax_c.set_xlabel(clock.label())
    return fig


def _before_the_jump(outcome):
    """An ``electrogenic`` run that ends before the block's fast phase: V
    over the run (the block marked if it falls within), the electrogenic
    share predicted at rest, and the summary's note."""
    res = outcome.result
    t_block = outcome.marks["block"]
    clock = Clock.for_span(res.t[-1] - res.t[0])
    fig = new_figure(outcome, 10, 5.5)
    gs = fig.add_gridspec(2, 1, height_ratios=[3, 1])
    ax = fig.add_subplot(gs[0])
    panels.potential(ax, res, clock)
    if t_block <= res.t[-1]:
        event([ax], clock(t_block), "pumps blocked")
    ax.set_xlabel(clock.label())
    ax.set_title("the run ends before the fast jump can be measured")
    note(ax, join(measure(outcome, "V_rest", "V_rest"), measure(outcome, "I_pump", "I_pump at rest"),
                  measure(outcome, "pump_mV", "electrogenic share (steady I-V)"),
                  measure(outcome, "pump_mV_chord", "electrogenic share (-I_pump/g_rest)"),
                  measure(outcome, "jump", "fast jump", missing=True)), "upper right")
    side(fig.add_subplot(gs[1]), "\n".join(wrap(n, 150) for n in outcome.summary.notes))
    return fig


# -------------------------------------------------------- spike train -----
@register("spike-train")
def spike_train(outcome):
    """The train and the recovery: V over the run; the first spike; the
    pump after-hyperpolarisation (spike-filtered V minus V before) with its
    peak and half-decay; Na_i with its fitted exponential recovery; the
    pumps' current (and ATP use) rising and falling back."""
    from ..catalog.interventions import sustained

    res = outcome.result
    t_start, t_end = outcome.marks["train"]
    clock = Clock.for_span(res.t[-1] - res.t[0])
    fig = new_figure(outcome, 11, 8.5)
    gs = fig.add_gridspec(3, 2, width_ratios=[1, 1.4])
    ax_v = fig.add_subplot(gs[0, :])
    panels.potential(ax_v, res, clock).set(color="0.7", lw=0.4)
    filtered = sustained(res.t, res["V"])
    ax_v.plot(clock(res.t), filtered, color="k", lw=1.2, label="spike-filtered V")
    ax_v.set_ylim(float(np.min(res["V"])) - 2.0, float(np.max(filtered)) + 12.0)
    span([ax_v], clock(t_start), clock(t_end), start="train", label=measure(outcome, "spikes", "spikes:"))
    legend(ax_v, loc="upper right")
    ax_v.set_xlabel(clock.label())
    ax_v.set_title("V (grey; the spikes run off the top) and spike-filtered; ticks: each spike")
    ax_s = fig.add_subplot(gs[1, 0])
    spike = outcome.extra.get("spike")
    if spike is not None:
        ax_s.plot(spike.t, spike["V"], color="k", lw=1.0)
        ax_s.set_xlabel("time (ms)")
        ax_s.set_ylabel("V (mV)")
        ax_s.set_title("the first spike")
    ax_a = fig.add_subplot(gs[1, 1])
    after = Clock(1e-3, "s", t_end)
    if t_end < res.t[-1]:
        v_before = float(np.interp(t_start - 1.0, res.t, res["V"]))
        dv = sustained(res.t, res["V"]) - v_before
        t, d = sample(res.t, dv, t0=t_end)
        ax_a.plot(after(t), d, color="k", label="spike-filtered V - V before")
        ax_a.axhline(0.0, color="0.5", lw=0.6)
        ax_a.axvspan(1.0, 20.0, color="0.93", zorder=0, label="peak read 1-20 s after")
        peak = value(outcome, "ahp")
        if peak is not None:
            ax_a.axhline(peak, color=COLORS["pump"], ls="--", lw=0.9, gid="ahp-peak")
            ax_a.text(0.6, peak, measure(outcome, "ahp", "AHP"), color=COLORS["pump"], va="top", fontsize=8,
                      transform=ax_a.get_yaxis_transform())
        half = value(outcome, "ahp_half")
        if half is not None:
            event([ax_a], half, f"half at {measure(outcome, 'ahp_half')}", color=COLORS["pump"], ls=":")
        lo = float(np.min(d[after(t) > 0.5])) if np.any(after(t) > 0.5) else -1.0
        ax_a.set_ylim(min(1.4 * lo, -0.5), max(0.6 * abs(lo), 0.5))
        ax_a.set_xlim(-1.0, after(res.t[-1]))
        ax_a.set_xlabel("time after the train (s)")
        ax_a.set_ylabel("AHP (mV)")
        legend(ax_a, loc="lower right")
    ax_a.set_title("the pump after-hyperpolarisation")
    ax_n = fig.add_subplot(gs[2, 0])
    t, na = sample(res.t, res["Na_i"])
    ax_n.plot(after(t), na, color=COLORS["Na"], label="Na_i")
    if value(outcome, "na_tau") is not None:
        tau, c_inf, a = an.recovery_tau(res, t_end + 200.0)
        tf = res.t[res.t >= t_end + 200.0]
        ax_n.plot(after(tf), c_inf + a * np.exp(-(tf - t_end - 200.0) / tau), color=COLORS["fit"], ls="--",
                  label=f"fit: tau {measure(outcome, 'na_tau')}", gid="na-fit")
    note(ax_n, join(measure(outcome, "dNa_i", "rise"), measure(outcome, "dK_o", "K_o rise"),
                    measure(outcome, "Na_i_end", "at end")), "upper right")
    ax_n.set_xlabel("time after the train (s)")
    ax_n.set_ylabel("Na_i (mM)")
    legend(ax_n, loc="center right")
    ax_n.set_title("Na_i recovers as the pumps extrude the load")
    ax_p = fig.add_subplot(gs[2, 1])
    panels.pump(ax_p, res, after)
    note(ax_p, join(measure(outcome, "I_pump_rest", "at rest"), measure(outcome, "I_pump_peak", "peak"),
                    measure(outcome, "atp_per_spike", "extra ATP per spike")), "upper right")
    ax_p.set_xlabel("time after the train (s)")
    ax_p.set_title("the pumps speed up, then slow back")
    return fig


# ------------------------------------------------------------ ATP cost ----
def na_charge(spike, t0: float) -> tuple[np.ndarray, np.ndarray]:
    """Times (ms) from ``t0`` on and the Na+ charge (nC/cm2) that has entered
    through the channels and leaks since ``t0``, above their influx at ``t0``."""
    from scipy.integrate import cumulative_trapezoid

    m = spike.t >= t0
    i_na = an.sodium_channel_current(spike)[m]
    return spike.t[m], cumulative_trapezoid(-(i_na - i_na[0]), spike.t[m], initial=0.0)


@register("atp-cost")
def atp_cost(outcome):
    """Left: the single spike, and the Na+ charge it lets in, growing to its
    total against the capacitive minimum (Cm x amplitude).  Right: the
    burst, zoomed, and the ATP the pumps spend above their resting rate
    after it (per spike) approaching the spike's price at 3 Na+ per ATP."""
    from scipy.integrate import cumulative_trapezoid

    res, spike = outcome.result, outcome.extra["spike"]
    fig = new_figure(outcome, 11, 7.2)
    gs = fig.add_gridspec(2, 2)
    ax_s = fig.add_subplot(gs[0, 0])
    ax_q = fig.add_subplot(gs[1, 0], sharex=ax_s)
    t0, t1 = outcome.extra.get("entry_window", (2.0, spike.t[-1]))
    ax_s.plot(spike.t, spike["V"], color="k", label="V")
    k = int(np.argmax(spike["V"]))
    v_rest = float(spike["V"][0])
    label_at(ax_s, spike.t[k], spike["V"][k], measure(outcome, "peak", "peak"))
    ax_s.annotate("", (spike.t[k] + 1.5, spike["V"][k]), (spike.t[k] + 1.5, v_rest),
                  arrowprops={"arrowstyle": "<->", "color": "0.4"})
    ax_s.text(spike.t[k] + 1.8, 0.5 * (spike["V"][k] + v_rest), measure(outcome, "amplitude", "amplitude"),
              fontsize=7.5, va="center")
    note(ax_s,
         join(measure(outcome, "height", "above threshold"), measure(outcome, "half_width", "half-width")),
         "upper right")
    ax_s.set_ylabel("V (mV)")
    ax_s.set_title("one spike")
    tq, q = na_charge(spike, t0)
    ax_q.plot(tq, q, color=COLORS["Na"], lw=1.5, label="Na+ charge entered", gid="na-charge")
    for key, ls in (("na_charge", "-"), ("capacitive_minimum", "--")):
        ax_q.axhline(value(outcome, key), color="k" if key == "capacitive_minimum" else COLORS["Na"], ls=ls,
                     lw=0.9, gid=key)
    right = ax_q.get_yaxis_transform()
    below = value(outcome, "capacitive_minimum") < value(outcome, "na_charge")
    ax_q.text(0.98, value(outcome, "capacitive_minimum"),
              f"capacitive minimum Cm x amplitude {measure(outcome, 'capacitive_minimum')}", ha="right",
              va="top" if below else "bottom", fontsize=7.5, transform=right)
    ax_q.text(0.98, value(outcome, "na_charge"),
              f"Na+ charge {measure(outcome, 'na_charge')} = {measure(outcome, 'na_ratio')} x the minimum",
              ha="right", va="bottom" if below else "top", fontsize=7.5, color=COLORS["Na"], transform=right,
              gid="na-ratio")
    ax_q.set_ylim(0, 1.35 * max(value(outcome, "na_charge"), value(outcome, "capacitive_minimum")))
    twin = ax_q.twinx()
    twin.plot(spike.t, -an.sodium_channel_current(spike), color=COLORS["Na"], lw=0.7, alpha=0.5)
    twin.set_ylabel("inward Na+ current (uA/cm2)", color=COLORS["Na"])
    twin.grid(False)
    note(ax_q,
         join(measure(outcome, "na_ions", "Na+ ions"), measure(outcome, "atp_per_spike", "ATP (Na+/3)")),
         "upper left")
    ax_q.set_xlim(max(t0, spike.t[k] - 4.0), min(spike.t[-1], spike.t[k] + 12.0))
    ax_q.set_xlabel("time (ms)")
    ax_q.set_ylabel("Na+ charge (nC/cm2)")
    ax_b = fig.add_subplot(gs[0, 1])
    b0, b1 = outcome.marks["train"]
    zoom = Clock(1.0, "ms", b0)
    pad = max(200.0, 0.3 * (b1 - b0))
    panels.potential(ax_b, res, zoom, b0 - pad, b1 + 2 * pad)
    span([ax_b], zoom(b0), zoom(b1), start="burst", label=f"{len(res.spikes)} spikes")
    ax_b.set_xlim(zoom(b0 - pad), zoom(b1 + 2 * pad))
    headroom(ax_b, 0.45)
    ax_b.set_xlabel("time from the burst's first pulse (ms)")
    legend(ax_b, loc="upper right")
    ax_b.set_title("the burst (zoomed)")
    ax_c = fig.add_subplot(gs[1, 1])
    clock = Clock.for_span(res.t[-1] - b0, b0)
    t, flux = sample(res.t, res["atp_flux"], t0=b0)
    per_spike = res.meta["area_um2"] * 1e-8 * AVOGADRO / max(len(res.spikes), 1)
    spent = cumulative_trapezoid(flux - flux[0], t, initial=0.0) * 1e-3 * per_spike
    ax_c.plot(clock(t), spent, color="tab:brown", lw=1.5, label="ATP the pumps spent above rest, per spike",
              gid="atp-spent")
    ax_c.axhline(value(outcome, "atp_per_spike"), color=COLORS["Na"], ls="--", lw=0.9,
                 label=f"one spike's Na+ / 3: {measure(outcome, 'atp_per_spike')}", gid="atp-price")
    label_at(ax_c, clock(t[-1]), spent[-1], measure(outcome, "pump_atp_per_spike", "spent"), ha="right",
             va="top", dx=-4, dy=-8)
    ax_c.set_ylim(0, 1.3 * max(spent.max(), value(outcome, "atp_per_spike")))
    note(ax_c,
         join(measure(outcome, "atp_rest_per_s", "rest"), measure(outcome, "atp_firing_per_s", "firing"),
                    measure(outcome, "firing_rest_ratio", "firing / rest")), "lower right")
    legend(ax_c, loc="upper left")
    ax_c.set_xlabel(clock.label("time after the burst's start"))
    ax_c.set_ylabel("ATP per spike (per cell)")
    ax_c.set_title("the pumps pay the Na+ back")
    return fig
