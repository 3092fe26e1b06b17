"""Figures of the default neuron without its pump: ``pump-block`` (ouabain;
the first minute given its own column), ``ischemia`` (ATP, phosphocreatine
and ADP with their half-times, V with the anoxic depolarisation) and
``swelling`` (the volume toward Donnan equilibrium and back).  Units: ms on
input, s or min on the axes, mV, mM.
"""

from __future__ import annotations

import numpy as np

from . import panels, register
from .style import (
    COLORS,
    Clock,
    event,
    figure_legend,
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
)

ZOOM_MS = 60000.0
"""The pump-block figure's first column: the first minute."""


# ---------------------------------------------------------- pump block ----
@register("pump-block")
def pump_block(outcome):
    """Two columns of the same rows (V with the test pulses; Na_i, K_i and
    Cl_i; K_o; the pumps' current): the first minute in s, where the block,
    the depolarisation and the first failed test pulse fall, and the whole
    run, the first minute shaded (a run of up to 1.5 min gets the one
    column).  The summary's times are marked and its numbers written."""
    res = outcome.result
    t_block, washout = outcome.marks["block"], outcome.marks.get("washout", 0.0)
    end = res.t[-1]
    z1 = min(ZOOM_MS, end)
    zoom, clock = Clock(1e-3, "s"), Clock.for_span(end - res.t[0])
    views = [(zoom, z1), (clock, end)] if end > 1.5 * ZOOM_MS else [(clock, end)]
    fig = new_figure(outcome, 14 if len(views) == 2 else 11, 9.5)
    gs = fig.add_gridspec(4, len(views) + 1, width_ratios=[1.2, 1.6, 0.75][-len(views) - 1:])
    cols = []
    for j, (c, t1) in enumerate(views):
        first = fig.add_subplot(gs[0, j])
        axes = [first] + [fig.add_subplot(gs[i, j], sharex=first) for i in range(1, 4)]
        panels.potential(axes[0], res, c, 0.0, t1)
        panels.test_pulses(axes[0], outcome, c, 0.0, t1)
        panels.concentrations(axes[1], res, c, ("Na_i", "K_i", "Cl_i"), 0.0, t1, ylabel="inside (mM)")
        panels.concentrations(axes[2], res, c, ("K_o",), 0.0, t1, ylabel="K_o (mM)")
        panels.pump(axes[3], res, c, 0.0, t1)
        if t_block <= t1:
            event(axes, c(t_block), "pumps blocked")
        else:
            axes[0].set_title(f"the run ends before the block (at {c(t_block):g} {c.unit})")
        if washout and washout <= t1:
            event(axes, c(washout), "washout")
        axes[-1].set_xlabel(c.label())
        axes[0].set_xlim(c(0.0), c(t1))
        for ax in axes[:-1]:
            ax.tick_params(labelbottom=False)
        cols.append(axes)
    if len(cols) == 2:
        cols[0][0].set_title("the first minute")
        cols[1][0].set_title("the whole run (the first minute shaded)")
        span(cols[1], clock(0.0), clock(z1))
        for ax in cols[1]:
            if ax.get_legend() is not None:
                ax.get_legend().remove()
    figure_legend(fig, [cols[0][0]])
    for key, what in (("t_depolarised", "+10 mV at"), ("t_first_failure", "first failure at")):
        t = value(outcome, key)
        if t is None:
            continue
        j = 0 if t_block + 1000.0 * t <= views[0][1] else len(cols) - 1
        c, axes = views[j][0], cols[j]
        x = c(t_block + 1000.0 * t)
        event(axes[:1], x, None, color="tab:purple", ls=":")
        axes[0].text(x, 0.5, f"{what} {measure(outcome, key)} ", rotation=90, ha="right",
                     va="center", fontsize=7, color="tab:purple", transform=axes[0].get_xaxis_transform(),
                     bbox={"fc": "white", "ec": "none", "alpha": 0.85, "pad": 1}, zorder=5, gid=key)
    when = "washout" if washout else "end"
    answered = (f"test pulses answered while blocked:\n  {value(outcome, 'tests_answered')} of "
                f"{value(outcome, 'tests_blocked')}") if "tests_answered" in outcome.summary else None
    where = f"at {when}"
    side(fig.add_subplot(gs[:, -1]), join(
        measure(outcome, "pumps", "pumps blocked:"), measure(outcome, "fraction", "blocked fraction"),
        measure(outcome, "V_before", "V before"),
        measure(outcome, "t_depolarised", "depolarised by 10 mV\n  after the block:", missing=True),
        measure(outcome, "t_first_failure", "first failed test pulse\n  after the block:", missing=True),
        answered, (f"test pulses answered after washout: {value(outcome, 'tests_answered_after')} of "
                   f"{value(outcome, 'tests_after')}") if "tests_after" in outcome.summary else None,
        " ", *(measure(outcome, f"{q}_{when}", f"{q} {where}") for q in ("V", "Na_i", "K_i", "Cl_i", "K_o")),
        *((measure(outcome, f"{q}_end", f"{q} at end") for q in ("V", "Na_i")) if washout else ())),
        "the numbers")
    return fig


# ------------------------------------------------------------- ischemia ----
@register("ischemia")
def ischemia(outcome):
    """Rows over the run: ATP, phosphocreatine and ADP (with dG_ATP) and the
    times ATP leaves its start, halves, and phosphocreatine halves; V with
    the test pulses, the anoxic depolarisation and the first failed test;
    K_o and Na_i; the pumps' current; the volumes and O2.  Beside each row
    its numbers, and beside V a zoom on the early hyperpolarisation.  The
    supply's stop and return marked."""
    from ..catalog.interventions import sustained

    res = outcome.result
    onset, back = outcome.marks["ischemia"]
    clock = Clock.for_span(res.t[-1] - res.t[0])
    rows = 5 if panels.varies(res, "vol_i_rel") or "O2" in res else 4
    fig = new_figure(outcome, 12, 2.0 * rows + 1.6)
    gs = fig.add_gridspec(rows, 2, width_ratios=[3.2, 1])
    axes = [fig.add_subplot(gs[0, 0])]
    axes += [fig.add_subplot(gs[i, 0], sharex=axes[0]) for i in range(1, rows)]
    ax_e, ax_v, ax_c, ax_p = axes[:4]
    lines = panels.concentrations(ax_e, res, clock, ("ATP_i", "PCr_i", "ADP_i"), ylabel="inside (mM)")
    for name, line in lines.items():
        line.set_color(COLORS[name.split("_")[0]])
    atp0 = float(np.interp(onset, res.t, res["ATP_i"]))
    for key, name, frac, what, where in (("t_atp_flat", "ATP_i", 0.95, "ATP within 5 % for", (8, 6, "left")),
                                         ("t_atp_half", "ATP_i", 0.5, "ATP halved at", (8, -16, "left")),
                                         ("t_pcr_half", "PCr_i", 0.5, "PCr halved at", (-8, -16, "right"))):
        t = value(outcome, key)
        if t is not None:
            y = frac * (atp0 if name == "ATP_i" else float(res[name][0]))
            label_at(ax_e, clock(onset + 1000.0 * t), y, f"{what} {measure(outcome, key)}",
                     color=COLORS[name.split("_")[0]], dx=where[0], dy=where[1], ha=where[2], gid=key)
    if "dG_ATP" in res:
        twin = ax_e.twinx()
        twin.plot(clock(res.t), res["dG_ATP"], color="tab:cyan", lw=0.8, label="dG_ATP (right)")
        twin.set_ylabel("dG_ATP (kJ/mol)", color="tab:cyan")
        twin.grid(False)
    legend(ax_e, loc="center right")
    side(fig.add_subplot(gs[0, 1]), join(
        measure(outcome, "ATP_before", "ATP before"), measure(outcome, "t_atp_flat", "within 5 % for"),
        measure(outcome, "t_atp_half", "halved at"), measure(outcome, "t_pcr_half", "PCr halved at"),
        measure(outcome, "ATP_lowest", "ATP lowest"), measure(outcome, "dG_before", "dG_ATP before"),
        measure(outcome, "dG_least", "least negative"), measure(outcome, "ATP_end", "ATP at end")), "energy")
    panels.potential(ax_v, res, clock)
    panels.test_pulses(ax_v, outcome, clock)
    ad = value(outcome, "t_anoxic_depolarisation")
    if ad is not None:
        label_at(ax_v, clock(onset + 1000.0 * ad), -40.0,
                 f"anoxic depolarisation {measure(outcome, 't_anoxic_depolarisation')} after the stop",
                 color="tab:purple", dx=8, dy=-2, va="top", gid="t_anoxic_depolarisation")
    fail = value(outcome, "t_first_failure")
    if fail is not None:
        event([ax_v], clock(onset + 1000.0 * fail), None, color="tab:red", ls=":")
        ax_v.text(clock(onset + 1000.0 * fail), 0.3,
                  f"first failed test {measure(outcome, 't_first_failure')} ",
                  transform=ax_v.get_xaxis_transform(), fontsize=7.5, color="tab:red", ha="right")
    v0 = float(np.interp(onset, res.t, res["V"]))
    hyper = value(outcome, "hyperpolarisation")
    t_ad = onset + 1000.0 * ad if ad is not None else back
    ins = fig.add_subplot(gs[1, 1])
    if hyper is not None:
        t, vs = sample(res.t, sustained(res.t, res["V"]), t0=onset - 0.15 * (t_ad - onset), t1=t_ad)
        ins.plot(clock(t), vs, color="k", lw=0.9, label="spike-filtered V")
        ins.axhline(v0, color="0.5", ls="--", lw=0.7)
        ins.axhline(v0 + hyper, color="tab:purple", ls=":", lw=0.9, gid="hyperpolarisation")
        ins.set_ylim(v0 + min(hyper, 0.0) - 0.4, v0 + 0.8)
        ins.axvline(clock(onset), color="0.4", ls="--", lw=0.7)
        ins.set_title(f"early hyperpolarisation\n{measure(outcome, 'hyperpolarisation')} (zoom)", loc="left")
        ins.set_ylabel("V (mV)")
        ins.set_xlabel(clock.label())
    side(fig.add_subplot(gs[2, 1]), join(
        measure(outcome, "t_anoxic_depolarisation", "anoxic depolarisation at"),
        measure(outcome, "t_first_failure", "first failed test at"),
        measure(outcome, "V_back", "V when the supply returned"), measure(outcome, "V_end", "V at end"),
        measure(outcome, "recovered", "recovered:"), measure(outcome, "K_o_peak", "K_o highest"),
        measure(outcome, "Na_i_then", "Na_i then")), "excitability, ions")
    panels.concentrations(ax_c, res, clock, ("K_o", "Na_i"))
    panels.pump(ax_p, res, clock)
    side(fig.add_subplot(gs[3, 1]), join(
        measure(outcome, "pump_model", "pumps:"), measure(outcome, "I_pump_before", "I_pump before"),
        measure(outcome, "I_pump_lowest", "lowest"), measure(outcome, "reversed", "ran backwards:")), "pumps")
    if rows == 5:
        panels.volumes(axes[4], res, clock)
        panels.oxygen(axes[4], res, clock)
        side(fig.add_subplot(gs[4, 1]), join(measure(outcome, "volume_then", "cell volume then"),
                                             measure(outcome, "volume_end", "at end")), "volume")
    span(axes, clock(onset), clock(back), start="supply off", end="supply on" if back < res.t[-1] else None)
    span([ins], clock(onset), clock(back))
    ins.set_xlim(clock(onset - 0.15 * (t_ad - onset)), clock(t_ad))
    for ax in axes[:-1]:
        ax.tick_params(labelbottom=False)
    axes[-1].set_xlabel(clock.label())
    figure_legend(fig, [ax_v], ncol=4)
    return fig


# ------------------------------------------------------------- swelling ----
@register("swelling")
def swelling(outcome):
    """Rows over the run: the volumes (the cell swelling toward Donnan
    equilibrium, the extracellular space shrinking) and their values when
    the pumps return; V with the Nernst potentials converging on it; the
    inside concentrations."""
    res = outcome.result
    t_block, t_back = outcome.marks["block"]
    clock = Clock.for_span(res.t[-1] - res.t[0])
    fig = new_figure(outcome, 10, 8.5)
    axes = list(fig.subplots(3, 1, sharex=True))
    lines = panels.volumes(axes[0], res, clock, loc="lower right")
    i = min(int(np.searchsorted(res.t, t_back)), len(res.t) - 1)
    label_at(axes[0], clock(res.t[i]), res["vol_i_rel"][i],
             measure(outcome, "volume_then", "cell volume then"),
             color=COLORS["volume"], dx=-6, ha="right", gid="volume_then")
    if "vol_o_rel" in lines:
        label_at(axes[0], clock(res.t[i]), res["vol_o"][i] / res["vol_o"][0],
                 measure(outcome, "volume_o_then", "extracellular then"), color=COLORS["ecs"], dx=-6,
                 ha="right")
    if value(outcome, "volume_end") is not None:
        label_at(axes[0], clock(res.t[-1]), res["vol_i_rel"][-1], measure(outcome, "volume_end", "at end"),
                 color=COLORS["volume"], dx=-6, dy=10, ha="right")
    axes[0].set_title("without the pumps the cell swells toward Donnan equilibrium")
    panels.potential(axes[1], res, clock, nernst=("Na", "K", "Cl"))
    note(axes[1], join(measure(outcome, "V_then", "V when the pumps return"),
                       measure(outcome, "donnan_gap", "largest |E_X - V| then (0 at Donnan)"),
                       measure(outcome, "V_end", "V at end")), "center right")
    legend(axes[1], loc="upper right", ncol=4)
    panels.concentrations(axes[2], res, clock, ("Na_i", "K_i", "Cl_i"), ylabel="inside (mM)")
    note(axes[2], join(measure(outcome, "Na_i_then", "Na_i then"), measure(outcome, "Cl_i_then", "Cl_i then"),
                       measure(outcome, "permeant_inside", "permeant solutes inside then")), "upper left")
    restored = t_back < res.t[-1]
    span(axes, clock(t_block), clock(t_back), start="pumps blocked",
         end="pumps restored" if restored else None)
    axes[-1].set_xlabel(clock.label())
    return fig
