"""Figures of the presets with spreading-depression-like states:
``wei2014:spreading-depression`` and ``:hypoxia``, ``hubel-dahlem2014``'s
interruption, recovery and buffered excursion, ``kager2000``'s K+ puff and
ouabain.  Each: the run's rows (V with the depolarised episodes, K_o, Na_i,
volumes, O2 or the bound K+) on the left; on the right the onset zoomed
and the summary's numbers.  Units: ms on input, s or min on the axes, mV, mM.
"""

from __future__ import annotations

import numpy as np

from ..results import analysis as an
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
    periods,
    side,
    span,
    summary_notes,
    value,
)


def _layout(outcome, rows: int, height: float = 2.0):
    """Figure, the left column's axes (shared x) and the right column's zoom and number axes."""
    fig = new_figure(outcome, 12.5, height * rows + 1.4)
    gs = fig.add_gridspec(rows, 2, width_ratios=[2.7, 1])
    axes = [fig.add_subplot(gs[0, 0])]
    axes += [fig.add_subplot(gs[i, 0], sharex=axes[0]) for i in range(1, rows)]
    for ax in axes[:-1]:
        ax.tick_params(labelbottom=False)
    return fig, axes, fig.add_subplot(gs[0, 1]), fig.add_subplot(gs[1:, 1])


def _episodes(ax, res, clock: Clock) -> np.ndarray:
    """Shade the depolarised episodes (V above -40 mV for 1 s or more); returns them (ms)."""
    eps = an.depolarised_episodes(res)
    for k, (a, b) in enumerate(eps):
        ax.axvspan(clock(a), clock(b), color="tab:purple", alpha=0.12, lw=0,
                   label="V above -40 mV for 1 s or more" if k == 0 else None)
    ax.axhline(-40.0, color="tab:purple", ls=":", lw=0.7)
    return eps


def _peak(ax, res, clock: Clock, outcome, name: str, key: str, t0: float = -np.inf, dy: float = 6):
    """Mark the largest ``name`` after ``t0`` ms with the summary's ``key``."""
    m = res.t >= t0
    k = int(np.nonzero(m)[0][np.argmax(res[name][m])])
    label_at(ax, clock(res.t[k]), res[name][k], measure(outcome, key, "peak"), dy=dy)


def _zoom(ax, res, t0: float, t1: float, title: str, origin: float | None = None, what: str = ""):
    """V over [t0, t1] ms, in ms or s from ``origin`` (ms; default t0); the time axis says after ``what``."""
    origin = t0 if origin is None else origin
    zoom = Clock.for_span(t1 - t0, origin)
    panels.potential(ax, res, zoom, t0, t1)
    ax.axhline(-40.0, color="tab:purple", ls=":", lw=0.7)
    ax.set_xlim(zoom(t0), zoom(t1))
    ax.set_xlabel(zoom.label(f"time after {what}" if what else f"time from {t0 / 1000.0:.4g} s"))
    ax.set_title(title)
    return zoom


def _wei_rows(axes, res, clock: Clock, outcome, t0: float) -> None:
    """K_o, Na_i and Cl_i, the volumes and O2 of a wei2014 run, with the peaks after ``t0`` ms."""
    ax_k, ax_n, ax_w = axes[1:4]
    panels.concentrations(ax_k, res, clock, ("K_o",), ylabel="K_o (mM)")
    _peak(ax_k, res, clock, outcome, "K_o", "K_o_peak", t0)
    panels.concentrations(ax_n, res, clock, ("Na_i", "Cl_i"), ylabel="inside (mM)")
    _peak(ax_n, res, clock, outcome, "Na_i", "Na_i_peak", t0)
    panels.volumes(ax_w, res, clock, loc="lower right")
    panels.oxygen(ax_w, res, clock)


def _wei_numbers(outcome) -> str:
    return join(measure(outcome, "k_bath", "bath K+"), measure(outcome, "o2_bath", "bath O2"),
                measure(outcome, "o2_low", "bath O2 during hypoxia"),
                measure(outcome, "V_before", "V before"),
                measure(outcome, "spikes", "spikes"), measure(outcome, "episodes", "SD-like episodes"),
                measure(outcome, "first_episode", "first starts at"),
                measure(outcome, "episode_duration", "duration (mean)"),
                measure(outcome, "episode_period", "period"),
                measure(outcome, "K_o_peak", "K_o peak"), measure(outcome, "Na_i_peak", "Na_i peak"),
                measure(outcome, "swelling", "largest swelling"), measure(outcome, "ecs_min", "smallest ECS"),
                measure(outcome, "O2_min", "lowest O2"), measure(outcome, "V_end", "V at end"),
                measure(outcome, "recovered", "recovered:"))


@register("wei2014:spreading-depression", "wei2014:hypoxia")
def wei(outcome):
    """V with the spreading-depression-like episodes shaded, the first
    one's start and the episodes' period marked; K_o and Na_i with their
    peaks; the volumes (the cell swells, the extracellular space shrinks)
    and O2.  Right: the first episode's onset zoomed, and the numbers.  For
    hypoxia the low-O2 interval is marked."""
    res = outcome.result
    clock = Clock.for_span(res.t[-1] - res.t[0])
    t0 = outcome.marks.get("hypoxia", (0.0, 0.0))[0]
    fig, axes, ax_z, ax_s = _layout(outcome, 4)
    panels.potential(axes[0], res, clock)
    eps = _episodes(axes[0], res, clock)
    eps = eps[eps[:, 0] > t0]
    if len(eps) and value(outcome, "first_episode") is not None:
        label_at(axes[0], clock(eps[0, 0]), -40.0, measure(outcome, "first_episode", "first episode at"),
                 color="tab:purple", dx=6, dy=-22, gid="first_episode")
    if len(eps) > 1 and value(outcome, "episode_period") is not None:
        tr = axes[0].get_xaxis_transform()
        axes[0].plot(clock(eps[[0, -1], 0]), [0.75, 0.75], color="tab:purple", marker="|", ms=8, transform=tr,
                     gid="period-bracket")
        axes[0].text(clock(0.5 * (eps[0, 0] + eps[-1, 0])), 0.77,
                     f"{periods(len(eps) - 1)}, mean {measure(outcome, 'episode_period')}", transform=tr,
                     ha="center", va="bottom", fontsize=7.5, color="tab:purple",
                     bbox={"fc": "white", "ec": "none", "alpha": 0.8})
    figure_legend(fig, axes[:1])
    _wei_rows(axes, res, clock, outcome, t0)
    if "hypoxia" in outcome.marks:
        a, b = outcome.marks["hypoxia"]
        span(axes, clock(a), clock(b), start=f"O2 to {measure(outcome, 'o2_low')}", end="O2 back")
    axes[-1].set_xlabel(clock.label())
    if len(eps):
        _zoom(ax_z, res, max(res.t[0], eps[0, 0] - 8000.0), min(res.t[-1], eps[0, 0] + 4000.0),
              "the first episode's onset", eps[0, 0], "its start")
    side(ax_s, _wei_numbers(outcome), "the numbers")
    return fig


@register("hubel-dahlem2014:interruption", "hubel-dahlem2014:recovery")
def interruption(outcome):
    """V with the test pulses' spikes and the pump's interruption, V just
    before it restarts and at the end; K_o and K_i; Na_i; the pump current.
    Right: the first seconds after the stop with the time to the
    depolarised state, and the numbers."""
    res = outcome.result
    t_off, t_on = outcome.marks["pump off"]
    clock = Clock.for_span(res.t[-1] - res.t[0])
    fig, axes, ax_z, ax_s = _layout(outcome, 4)
    panels.potential(axes[0], res, clock)
    panels.test_pulses(axes[0], outcome, clock)
    _episodes(axes[0], res, clock)
    i = max(int(np.searchsorted(res.t, t_on)) - 1, 0)
    label_at(axes[0], clock(res.t[i]), res["V"][i],
             measure(outcome, "V_restart", "V just before the restart"), color="tab:purple", gid="V_restart")
    label_at(axes[0], clock(res.t[-1]), res["V"][-1], measure(outcome, "V_end", "at end"), dx=-6, dy=-16,
             ha="right", gid="V_end")
    figure_legend(fig, axes[:1])
    panels.concentrations(axes[1], res, clock, ("K_o", "K_i"), ylabel="K+ (mM)")
    label_at(axes[1], clock(res.t[i]), res["K_o"][i], measure(outcome, "K_o_then", "K_o then"))
    panels.concentrations(axes[2], res, clock, ("Na_i",), ylabel="Na_i (mM)")
    label_at(axes[2], clock(res.t[i]), res["Na_i"][i], measure(outcome, "Na_i_then", "Na_i then"), dy=-16)
    panels.pump(axes[3], res, clock)
    span(axes, clock(t_off), clock(t_on), start="pump off", end="pump on")
    axes[-1].set_xlabel(clock.label())
    depol = value(outcome, "t_depolarised")
    t1 = t_off + max(30000.0, 3000.0 * (depol or 0.0))
    zoom = _zoom(ax_z, res, max(res.t[0], t_off - 5000.0), min(t1, t_on, res.t[-1]), "the first seconds",
                 t_off,
                 "the stop")
    event([ax_z], zoom(t_off), "pump off")
    if depol is not None:
        event([ax_z], zoom(t_off + 1000.0 * depol), None, color="tab:purple", ls=":")
        ax_z.text(zoom(t_off + 1000.0 * depol), 0.3, f" depolarised\n {measure(outcome, 't_depolarised')}",
                  transform=ax_z.get_xaxis_transform(), fontsize=7.5, color="tab:purple", zorder=5,
                  bbox={"fc": "white", "ec": "none", "alpha": 0.85, "pad": 1})
    side(ax_s,
         join(measure(outcome, "V_before", "V before"), measure(outcome, "I_pump_before", "I_pump before"),
                    measure(outcome, "t_depolarised", "depolarised", missing=True),
                    measure(outcome, "V_restart", "V just before the restart"),
                    measure(outcome, "V_min_after", "most negative V in the minute after"),
                    measure(outcome, "K_o_then", "K_o then"), measure(outcome, "Na_i_then", "Na_i then"),
                    measure(outcome, "V_end", "V at end"), measure(outcome, "Na_i_end", "Na_i at end"),
                    measure(outcome, "repolarised", "repolarised:"),
                    measure(outcome, "recovered", "recovered:")),
         "the numbers", summary_notes(outcome))
    return fig


@register("hubel-dahlem2014:buffered-sd")
def buffered(outcome):
    """V with the excursion from the first to the last time above -40 mV
    bracketed; K_o and Na_i with their peaks; the K+ bound in the glial
    buffer; K_i.  Right: the onset zoomed, and the numbers."""
    res = outcome.result
    t_off, t_on = outcome.marks["pump off"]
    clock = Clock.for_span(res.t[-1] - res.t[0])
    fig, axes, ax_z, ax_s = _layout(outcome, 4)
    panels.potential(axes[0], res, clock)
    a, b = value(outcome, "t_first_above"), value(outcome, "t_last_above")
    if a is not None and b is not None:
        tr = axes[0].get_xaxis_transform()
        axes[0].plot(clock([1000.0 * a, 1000.0 * b]), [0.8, 0.8], color="tab:purple", marker="|", ms=9,
                     transform=tr, gid="sd-bracket")
        axes[0].text(clock(1000.0 * b), 0.8, f"  above -40 mV from {measure(outcome, 't_first_above')} to "
                     f"{measure(outcome, 't_last_above')}: {measure(outcome, 'sd_duration')}", transform=tr,
                     ha="left", va="center", fontsize=7.5, color="tab:purple")
    axes[0].axhline(-40.0, color="tab:purple", ls=":", lw=0.7)
    figure_legend(fig, axes[:1])
    for ax, name in ((axes[1], "K_o"), (axes[2], "Na_i")):
        panels.concentrations(ax, res, clock, (name,), ylabel=f"{name} (mM)")
        label_at(ax, clock(1000.0 * value(outcome, f"t_{name}_peak")), value(outcome, f"{name}_peak"),
                 f"{measure(outcome, f'{name}_peak', 'peak')} at {measure(outcome, f't_{name}_peak')}",
                 gid=f"{name}_peak")
    panels.concentrations(axes[3], res, clock, ("K_b", "K_i"), ylabel="K+ (mM)")
    axes[3].lines[0].set_color(COLORS["bound"])
    axes[3].lines[0].set_label("K_b (bound in the buffer)")
    legend(axes[3], loc="lower right")
    _peak(axes[3], res, clock, outcome, "K_b", "bound_max", dy=-14)
    span(axes, clock(t_off), clock(t_on), start="pump off", end="pump on")
    axes[-1].set_xlabel(clock.label())
    zoom = _zoom(ax_z, res, t_off - 2000.0, 1000.0 * a + 15000.0 if a is not None else t_on + 15000.0,
                 "the onset", t_off, "the stop")
    span([ax_z], zoom(t_off), zoom(t_on))
    side(ax_s, join(*(measure(outcome, k, lab) for k, lab in (
        ("V_before", "V before"), ("t_first_above", "first above -40 mV"), ("t_last_above", "last above"),
        ("sd_duration", "excursion"), ("t_depolarised", "depolarised"), ("K_o_peak", "K_o peak"),
        ("t_K_o_peak", "  at"), ("Na_i_peak", "Na_i peak"), ("t_Na_i_peak", "  at"),
        ("bound_max", "most K+ bound"), ("V_end", "V at end"), ("K_o_end", "K_o at end"),
        ("Na_i_end", "Na_i at end"), ("K_i_end", "K_i at end"), ("K_b_end", "K_b at end"),
        ("recovered", "repolarised:")))), "the numbers")
    return fig


@register("kager2000:k-puff", "kager2000:ouabain")
def kager(outcome):
    """V of the neuron and the glia with their plateaus over the last tenth;
    K_o (its peak) and the glia's K+; the volumes, the interstitial space
    reaching its floor; Na_i.  Right: the first seconds after the trigger,
    and the numbers."""
    res = outcome.result
    t0 = outcome.marks["trigger"][0]
    clock = Clock.for_span(res.t[-1] - res.t[0])
    fig, axes, ax_z, ax_s = _layout(outcome, 4)
    panels.potential(axes[0], res, clock, glia=True)
    late = res.t >= res.t[-1] - 0.1 * (res.t[-1] - t0)
    for key, color in (("V_plateau", "k"), ("V_glia_plateau", COLORS["glia"])):
        if value(outcome, key) is not None:
            axes[0].hlines(value(outcome, key), clock(res.t[late][0]), clock(res.t[-1]), color=color, ls="--",
                           lw=1.2, gid=key)
    axes[0].text(clock(res.t[late][0]), value(outcome, "V_plateau"),
                 f"plateau {measure(outcome, 'V_plateau')} ", ha="right", va="bottom", fontsize=7.5)
    figure_legend(fig, axes[:1])
    panels.concentrations(axes[1], res, clock, ("K_o", "K_g"), ylabel="K+ (mM)")
    label_at(axes[1], clock(1000.0 * value(outcome, "t_K_o_peak")), value(outcome, "K_o_peak"),
             f"{measure(outcome, 'K_o_peak', 'K_o peak')} at {measure(outcome, 't_K_o_peak')}", dy=-16,
             gid="K_o_peak")
    panels.volumes(axes[2], res, clock, loc="center right")
    floor = value(outcome, "t_floor")
    if floor is not None:
        label_at(axes[2], clock(1000.0 * floor), value(outcome, "ecs_min"),
                 f"interstitial floor {measure(outcome, 'ecs_min')} from {measure(outcome, 't_floor')}", dy=6)
    panels.concentrations(axes[3], res, clock, ("Na_i", "Na_g"), ylabel="Na+ (mM)")
    trigger = "K+ puff" if outcome.scenario.name == "k-puff" else "pumps blocked"
    event(axes, clock(t0), trigger)
    axes[-1].set_xlabel(clock.label())
    zoom = _zoom(ax_z, res, max(res.t[0], t0 - 500.0), t0 + 3000.0, "the first seconds", t0,
                 "the puff" if outcome.scenario.name == "k-puff" else "the block")
    event([ax_z], zoom(t0), trigger)
    depol = value(outcome, "t_depolarised")
    if depol is not None:
        event([ax_z], zoom(t0 + 1000.0 * depol), None, color="tab:purple", ls=":")
        ax_z.text(zoom(t0 + 1000.0 * depol), 0.3, f" depolarised after\n {measure(outcome, 't_depolarised')}",
                  transform=ax_z.get_xaxis_transform(), fontsize=7.5, color="tab:purple", zorder=5,
                  bbox={"fc": "white", "ec": "none", "alpha": 0.85, "pad": 1}, gid="t_depolarised")
    side(ax_s, join(*(measure(outcome, k, lab) for k, lab in (
        ("V_rest", "V before"), ("V_glia_rest", "glial V before"), ("t_depolarised", "depolarised after"),
        ("K_o_peak", "K_o peak"), ("t_K_o_peak", "  at"), ("V_plateau", "V plateau"),
        ("V_glia_plateau", "glial V plateau"), ("K_o_end", "K_o at end"), ("Na_i_end", "Na_i at end"),
        ("K_g_end", "glial K+ at end"), ("ecs_min", "smallest interstitial volume"),
        ("t_floor", "  floor reached at"), ("vol_i_end", "neuronal volume at end"),
        ("vol_g_end", "glial volume at end"), ("recovered", "repolarised:")))), "the numbers")
    return fig
