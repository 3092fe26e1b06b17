"""The figure of ``pump-ahp``: the pump after-hyperpolarisation after a
short and a long train, its peak and half-decay, how it vanishes with
ouabain, in 0 K_o and with TTX, and the Na_i excess and pump current that
make it.  Units: ms on input, s after the trains' ends on the axes, mV,
mM, uA/cm2.
"""

from __future__ import annotations

import numpy as np

from ..results import analysis as an
from . import panels, register
from .style import COLORS, Clock, event, join, label_at, legend, measure, new_figure, side, span, value

CONDITIONS = (("control", "long", "control", "k"), ("control", "short", "control, short train", "0.55"),
              ("ouabain", "long", "ouabain", "tab:red"), ("zero_k", "long", "0 K_o", "tab:blue"),
              ("ttx", "long", "TTX", "tab:green"))
"""Traces of ``extra['ahp_traces']``: condition, train, label, colour."""
BARS = (("ahp_long", "control"), ("ahp_short", "short\ntrain"), ("ahp_ouabain", "ouabain"),
        ("ahp_zero_k", "0 K_o"), ("ahp_ttx", "TTX"))
"""The bar chart: measure key, label."""


@register("pump-ahp")
def pump_ahp(outcome):
    """Left, above, over time after each train's end (s): each condition's
    AHP (V with the train minus without, spike-filtered) with the control's
    peaks and half-decays marked; below, over time after the long train's
    end, the control's Na_i excess with its fitted recovery and the pumps'
    current.  Right: the AHP peaks by condition (it vanishes with ouabain,
    in 0 K_o and with TTX), and the numbers."""
    res = outcome.result
    traces = outcome.extra["ahp_traces"]
    t0, t_long = outcome.marks["train"]
    t_short = outcome.marks.get("short train", (t0, t_long))[1]
    after = Clock(1e-3, "s", t_long)
    ends = {"long": t_long, "short": t_short}
    t = after(res.t)
    fig = new_figure(outcome, 12, 9)
    gs = fig.add_gridspec(3, 2, width_ratios=[2.6, 1])
    ax_a = fig.add_subplot(gs[0, 0])
    ax_n = fig.add_subplot(gs[1, 0])
    ax_p = fig.add_subplot(gs[2, 0], sharex=ax_n)
    for cond, which, label, color in CONDITIONS:
        if (cond, which) in traces:  # from the train's end: during firing the spike filter sees the spikes
            own = Clock(1e-3, "s", ends[which])
            x = own(res.t)
            ax_a.plot(x[x >= 0], traces[cond, which][x >= 0], color=color,
                      lw=1.2 if cond == "control" else 0.9, label=label, gid=f"ahp:{cond}:{which}")
    ax_a.axhline(0.0, color="0.5", lw=0.6)
    right = after(res.t[-1])
    for which, dy, y in (("long", -14, 0.9), ("short", 6, 0.8)):
        peak, t_peak = value(outcome, f"ahp_{which}"), value(outcome, f"ahp_{which}_t_peak")
        color = "k" if which == "long" else "0.45"
        if peak is not None and t_peak is not None:
            label_at(ax_a, t_peak, peak,
                     f"{value(outcome, f'spikes_{which}')} spikes: {measure(outcome, f'ahp_{which}')}", dy=dy,
                     color=color, gid=f"ahp-peak:{which}")
        half = value(outcome, f"ahp_{which}_half")
        if half is not None:
            ax_a.axvline(half, color=color, ls=":", lw=0.9, gid=f"ahp-half:{which}")
            text = f"{which} train: half at {measure(outcome, f'ahp_{which}_half')}"
            late_half = half > 0.6 * right
            ax_a.text(half, y, f"{text} " if late_half else f" {text}", ha="right" if late_half else "left",
                      transform=ax_a.get_xaxis_transform(), fontsize=7.5, color=color, va="center",
                      bbox={"fc": "white", "ec": "none", "alpha": 0.8, "pad": 1})
    late = t > 1.0
    seen = [float(f(traces["control", w][late])) for w in ("long", "short") for f in (np.min, np.max)
            if ("control", w) in traces and late.any()]
    seen += [v for v in (value(outcome, k) for k, _ in BARS) if v is not None]
    ax_a.set_ylim(min(-0.5, 1.3 * min(seen, default=0.0)), max(0.5, 1.3 * max(seen, default=0.0)))
    ax_a.set_xlim(-0.02 * right, right)
    ax_a.set_ylabel("AHP (mV)")
    ax_a.set_xlabel("time after each train's end (s)")
    ax_a.set_title("the pump after-hyperpolarisation (V with the train - V without, spike-filtered)")
    legend(ax_a, loc="lower right", ncol=2)
    excess = res["Na_i"] - res["Na_i"][0]
    ax_n.plot(t, excess, color=COLORS["Na"], label="Na_i - rest (control, long train)")
    if value(outcome, "na_tau") is not None:
        tau, c_inf, a = an.recovery_tau(res, t_long + 200.0)
        tf = res.t[res.t >= t_long + 200.0]
        ax_n.plot(after(tf), c_inf + a * np.exp(-(tf - t_long - 200.0) / tau) - res["Na_i"][0],
                  color=COLORS["fit"], ls="--", label=f"fit: tau {measure(outcome, 'na_tau')}", gid="na-fit")
    ax_n.set_ylabel("Na_i - rest (mM)")
    legend(ax_n, loc="upper right")
    panels.pump(ax_p, res, after)
    ax_p.set_xlabel("time after the long train's end (s)")
    axes = [ax_n, ax_p]
    span(axes, after(t0), 0.0, start="long train")
    event([ax_a], 0.0, "trains end")
    ax_n.set_xlim(max(float(t[0]), after(t0) - 5.0), float(t[-1]))
    ax_n.tick_params(labelbottom=False)
    ax_b = fig.add_subplot(gs[0, 1])
    keys = [(k, lab) for k, lab in BARS if value(outcome, k) is not None]
    heights = [value(outcome, k) for k, _ in keys]
    shown = [value(outcome, k) is not None for k, _ in BARS]
    colors = [c for (_, _, _, c), on in zip(CONDITIONS, shown, strict=True) if on]
    ax_b.bar(range(len(keys)), heights, color=colors, gid="ahp-bars")
    for i, (k, _) in enumerate(keys):
        ax_b.text(i, heights[i], measure(outcome, k), ha="center", va="top" if heights[i] < 0 else "bottom",
                  fontsize=7.5)
    ax_b.axhline(0.0, color="0.4", lw=0.8)
    ax_b.set_xticks(range(len(keys)), [lab for _, lab in keys], fontsize=7.5)
    lo = min(heights + [0.0])
    ax_b.set_ylim(1.3 * lo - 0.1, max(heights + [0.0]) + 0.3)
    ax_b.set_ylabel("AHP peak, 1-20 s after (mV)")
    ax_b.set_title("gone with ouabain, 0 K_o, TTX")
    side(fig.add_subplot(gs[1:, 1]), join(
        measure(outcome, "spikes_short", "spikes in the short train"),
        measure(outcome, "spikes_long", "spikes in the long train"),
        measure(outcome, "ahp_short", "short: AHP"), measure(outcome, "ahp_short_t_peak", "  peak at"),
        measure(outcome, "ahp_short_half", "  half at"), measure(outcome, "ahp_short_tau", "  tau"),
        measure(outcome, "ahp_long", "long: AHP"), measure(outcome, "ahp_long_t_peak", "  peak at"),
        measure(outcome, "ahp_long_half", "  half at"), measure(outcome, "ahp_long_tau", "  tau"),
        measure(outcome, "dNa_i", "Na_i rise"), measure(outcome, "na_tau", "Na_i recovery tau")),
        "the numbers (s after each train)")
    return fig
