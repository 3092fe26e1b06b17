"""Figures of the presets whose cell fires in seizure-like bursts at raised
bath K+: ``cressman2009:bursting`` and ``wei2014:seizures``.  The whole run
with the bursts (their count and period), one burst zoomed, and the slow
K_o and Na_i oscillation that paces them with its range.  Units: ms on
input, s on the axes, mV, mM.
"""

from __future__ import annotations

import numpy as np

from ..results import analysis as an
from . import panels, register
from .style import (
    COLORS,
    Clock,
    figure_legend,
    headroom,
    join,
    measure,
    new_figure,
    periods,
    side,
    span,
    summary_notes,
    value,
)


def _keys(outcome) -> tuple[str, str, str]:
    """(count, period, name) measure keys: 'bursts' (cressman2009) or 'events' (wei2014)."""
    if "events" in outcome.summary:
        return "events", "event_period", "seizure-like events"
    return "bursts", "burst_period", "bursts"


def _range(ax, outcome, name: str, x: float) -> None:
    """Dashed lines at the summary's lowest and highest ``name`` with their values."""
    for key, va in ((f"{name}_min", "bottom"), (f"{name}_max", "top")):
        y = value(outcome, key)
        if y is not None:
            ax.axhline(y, color="0.4", ls="--", lw=0.8, gid=key)
            ax.text(x, y, f" {'lowest' if key.endswith('min') else 'highest'} {measure(outcome, key)}", va=va,
                    fontsize=7.5, color="0.3")


def averaged(outcome, starts: np.ndarray) -> np.ndarray:
    """The burst starts (ms) whose intervals the summary's period averages:
    for ``cressman2009`` those after the first third of the run, of which
    the later half of the intervals; for ``wei2014`` every event after the
    first."""
    if _keys(outcome)[0] == "events":
        return starts[1:]
    late = starts[starts > outcome.result.meta.get("duration_ms", outcome.result.t[-1]) / 3]
    return late[(len(late) - 1) // 2:] if len(late) > 1 else late


@register("cressman2009:bursting", "wei2014:seizures")
def bursting(outcome):
    """Left, over the run: V with the spikes, each burst's start and the
    intervals the summary's period averages bracketed; K_o and Na_i (and
    Cl_i) with their range; the volumes and O2 where they change.  Right:
    one late burst zoomed, the numbers and the summary's notes (a rhythm
    that has not settled)."""
    res = outcome.result
    clock = Clock(1e-3, "s")
    count, period, name = _keys(outcome)
    bursts = an.bursts(res.spikes) if len(res.spikes) else np.empty((0, 3))
    vol = panels.varies(res, "vol_i_rel", 1e-4)
    rows = 4 if vol else 3
    fig = new_figure(outcome, 12, 2.3 * rows + 1.3)
    gs = fig.add_gridspec(rows, 2, width_ratios=[2.6, 1])
    axes = [fig.add_subplot(gs[0, 0])]
    axes += [fig.add_subplot(gs[i, 0], sharex=axes[0]) for i in range(1, rows)]
    ax_v, ax_k, ax_n = axes[:3]
    panels.potential(ax_v, res, clock)
    ax_v.set_title(measure(outcome, count, name + ":", missing=True) or f"no {name}")
    starts = bursts[:, 0]
    used = averaged(outcome, starts)
    headroom(ax_v, 0.35)
    if value(outcome, period) is not None and len(used) > 1:
        a, b = clock(used[0]), clock(used[-1])
        tr = ax_v.get_xaxis_transform()
        ax_v.plot(clock(used), np.full(len(used), 0.8), color="tab:purple", marker="|", ms=8, transform=tr,
                  gid="period-bracket")
        ax_v.text(0.5 * (a + b), 0.83, f"{periods(len(used) - 1)}, mean {measure(outcome, period)}",
                  transform=tr, ha="center", va="bottom", fontsize=7.5, color="tab:purple",
                  bbox={"fc": "white", "ec": "none", "alpha": 0.8}, gid="period")
    ax_v.plot(clock(starts), np.full(len(starts), 0.06), "^", color="tab:purple", ms=4,
              transform=ax_v.get_xaxis_transform(), label="burst starts", gid="burst-starts")
    ax_k.plot(clock(res.t), res["K_o"], color=COLORS["K"], label="K_o")
    ax_k.set_ylabel("K_o (mM)")
    _range(ax_k, outcome, "K_o", clock(res.t[0]))
    lines = panels.concentrations(ax_n, res, clock, ("Na_i", "Cl_i") if count == "events" else ("Na_i",),
                                  ylabel="inside (mM)")
    _range(ax_n, outcome, "Na_i", clock(res.t[0]))
    if "Na_i" in lines and "Na_i_max" not in outcome.summary and value(outcome, "Na_i_peak") is not None:
        ax_n.axhline(value(outcome, "Na_i_peak"), color="0.4", ls="--", lw=0.8, gid="Na_i_peak")
        ax_n.text(clock(res.t[0]), value(outcome, "Na_i_peak"), f" peak {measure(outcome, 'Na_i_peak')}",
                  va="bottom", fontsize=7.5, color="0.3")
    if vol:
        panels.volumes(axes[3], res, clock, loc="lower right")
        panels.oxygen(axes[3], res, clock)
    for ax in axes[:-1]:
        ax.tick_params(labelbottom=False)
    axes[-1].set_xlabel(clock.label())
    figure_legend(fig, [ax_v])
    ax_z = fig.add_subplot(gs[0, 1])
    if len(bursts):
        b0, b1, _ = bursts[-2] if len(bursts) > 1 else bursts[-1]
        pad = max(300.0, 0.3 * (b1 - b0))
        zoom = Clock.for_span(b1 - b0 + 2 * pad, b0)
        panels.potential(ax_z, res, zoom, b0 - pad, b1 + pad)
        ax_z.set_xlabel(zoom.label("time from its start"))
        ax_z.set_title(f"one {'event' if count == 'events' else 'burst'} (zoomed, at {clock(b0):.1f} s)")
        span([ax_v], clock(b0 - pad), clock(b1 + pad))
    else:
        side(ax_z, f"no {name} within the run")
    side(fig.add_subplot(gs[1:, 1]), join(
        measure(outcome, "k_bath", "bath K+"), measure(outcome, "o2_bath", "bath O2"),
        measure(outcome, "spikes", "spikes"), measure(outcome, count, name),
        measure(outcome, period, "period", missing=True),
        measure(outcome, "event_duration", "duration (mean)"),
        measure(outcome, "spikes_per_event", "spikes per event"), measure(outcome, "K_o_min", "K_o lowest"),
        measure(outcome, "K_o_max", "K_o highest"), measure(outcome, "Na_i_min", "Na_i lowest"),
        measure(outcome, "Na_i_max", "Na_i highest"), measure(outcome, "Na_i_peak", "Na_i peak"),
        measure(outcome, "episodes", "spreading-depression-like episodes"),
        measure(outcome, "swelling", "largest swelling"), measure(outcome, "ecs_min", "smallest ECS"),
        measure(outcome, "O2_min", "lowest O2")), "the numbers", summary_notes(outcome))
    return fig
