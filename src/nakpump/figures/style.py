"""The figures' shared style and drawing helpers: titles with the scenario's
(and preset's) name, a time axis in ms, s or min, labelled event markers and
spans, spike rasters from the solver's spike times, value labels that quote
the summary's own numbers, and no offset notation on any axis.

Times in the Outcome are ms; a ``Clock`` converts them to the axis's unit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RC = {"axes.formatter.useoffset": False, "font.size": 9, "axes.titlesize": 9, "axes.labelsize": 9,
      "xtick.labelsize": 8, "ytick.labelsize": 8, "legend.fontsize": 7.5, "legend.framealpha": 0.85,
      "axes.grid": True, "grid.alpha": 0.25, "lines.linewidth": 1.0, "axes.titlepad": 14.0}
"""Matplotlib settings every scenario figure is drawn with."""

EVENT_COLOR = "0.35"
SPAN_COLOR = "0.88"
COLORS = {"V": "k", "Na": "tab:orange", "K": "tab:blue", "Cl": "tab:green", "pump": "tab:red",
          "ATP": "tab:olive", "ADP": "tab:gray", "PCr": "tab:green", "glia": "0.55", "volume": "tab:pink",
          "ecs": "tab:cyan", "O2": "navy", "fit": "tab:purple", "bound": "tab:brown"}
BOX = {"boxstyle": "round,pad=0.25", "fc": "white", "ec": "0.6", "alpha": 0.9}


def plt():
    """matplotlib.pyplot, with the Agg backend when there is no display."""
    from ..results.plot import _plt
    return _plt()


@dataclass(frozen=True)
class Clock:
    """A time axis: ``per_ms`` units per ms, ``unit`` (ms, s or min) and
    ``origin`` (ms; the axis shows time since it)."""

    per_ms: float
    unit: str
    origin: float = 0.0

    @classmethod
    def for_span(cls, span_ms: float, origin: float = 0.0) -> "Clock":
        """ms up to 2 s, s up to 10 min, min beyond."""
        if span_ms > 600000.0:
            return cls(1.0 / 60000.0, "min", origin)
        if span_ms > 2000.0:
            return cls(1e-3, "s", origin)
        return cls(1.0, "ms", origin)

    def __call__(self, t_ms):
        return (np.asarray(t_ms, dtype=float) - self.origin) * self.per_ms

    def label(self, what: str = "time") -> str:
        return f"{what} ({self.unit})"


def heading(scenario, cell: str | None = None, suffix: str = "") -> str:
    """'nakpump NAME: title' (then ``suffix``) and, below, the preset's name
    and title, or the cell a default scenario ran on."""
    if scenario.preset:
        from ..catalog.scenario import PRESETS
        below = PRESETS[scenario.preset].title if scenario.preset in PRESETS else scenario.preset
        below = f"preset {scenario.preset}: {below}"
    else:
        below = f"cell: {cell or '?'}"
    return f"nakpump {scenario.full_name}: {scenario.title}{suffix}\n{below}"


def title(outcome) -> str:
    """The figure title of a scenario run (``heading``)."""
    return heading(outcome.scenario, outcome.result.meta.get("cell"))


def new_figure(outcome, width: float, height: float):
    """An empty figure (inches) with the scenario's title."""
    fig = plt().figure(figsize=(width, height), layout="constrained")
    fig.suptitle(title(outcome), fontsize=10)
    return fig


def measure(outcome, key: str, name: str | None = None, missing: bool = False) -> str | None:
    """The summary's printed text of measure ``key`` (e.g. '+5.99 mV'), with
    ``name`` before it; None when the summary has no such measure or no
    value, unless ``missing``: then a measure the summary has without a
    value reads 'n/a', as the summary prints it."""
    m = outcome.summary.measures.get(key)
    if m is None or (m.value is None and not missing):
        return None
    return f"{name} {m.text()}" if name else m.text()


def value(outcome, key: str):
    """The value of measure ``key``, or None."""
    m = outcome.summary.measures.get(key)
    return None if m is None else m.value


def join(*parts) -> str:
    """The parts that are not None, one a line."""
    return "\n".join(p for p in parts if p)


def note(ax, text: str | None, loc: str = "upper left", **kw):
    """A boxed text at ``loc`` ('upper left', 'center right', 'lower center', ...) of ``ax``;
    None draws nothing."""
    if not text:
        return None
    if "left" in loc:
        x, ha = 0.015, "left"
    else:
        x, ha = (0.5, "center") if loc.endswith("center") else (0.985, "right")
    y, va = (0.96, "top") if "upper" in loc else ((0.04, "bottom") if "lower" in loc else (0.5, "center"))
    return ax.text(x, y, text, transform=ax.transAxes, ha=ha, va=va, fontsize=7.5, bbox=BOX, zorder=5, **kw)


def label_at(ax, x, y, text: str | None, dx: float = 8, dy: float = 8, **kw):
    """``text`` beside the point (x, y) (data), offset by (dx, dy) points, with a dot on the point
    (``gid`` names the dot); without ``ha`` a point in the right fifth of the axis gets its text on
    its left."""
    if not text:
        return None
    color = kw.pop("color", "k")
    ha = kw.pop("ha", None)
    if ha is None:
        lo, hi = ax.get_xlim()
        ha = "right" if x > lo + 0.8 * (hi - lo) else "left"
        dx = -abs(dx) if ha == "right" else dx
    ax.plot([x], [y], "o", ms=3.5, color=color, zorder=6, gid=kw.pop("gid", None))
    return ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", fontsize=7.5,
                       ha=ha, va=kw.pop("va", "bottom"), bbox=BOX, zorder=6, **kw)


def event(axes, x: float, label: str | None = None, color: str = EVENT_COLOR, ls: str = "--"):
    """A vertical line at ``x`` (axis units) on every axis of ``axes``; the
    label at the top of the first."""
    for ax in axes:
        ax.axvline(x, color=color, ls=ls, lw=0.9, zorder=1)
    if label:
        axes[0].text(x, 1.01, label, transform=axes[0].get_xaxis_transform(), ha="center", va="bottom",
                     fontsize=7.5, color=color, clip_on=False, gid="event")


def span(axes, x0: float, x1: float, label: str | None = None, start: str | None = None,
         end: str | None = None):
    """A shaded interval on every axis of ``axes``; ``label`` centred at the
    top of the first, ``start`` and ``end`` at its edges."""
    for ax in axes:
        ax.axvspan(x0, x1, color=SPAN_COLOR, zorder=0, lw=0)
    top = axes[0].get_xaxis_transform()
    if label:
        axes[0].text(0.5 * (x0 + x1), 0.86, label, transform=top, ha="center", va="top", fontsize=7.5,
                     color=EVENT_COLOR, bbox=BOX, zorder=5, gid="event")
    if start:
        axes[0].text(x0, 1.01, start + (" " if end else ""), transform=top, ha="right" if end else "center",
                     va="bottom", fontsize=7.5, color=EVENT_COLOR, clip_on=False, gid="event")
    if end:
        axes[0].text(x1, 1.01, " " + end, transform=top, ha="left", va="bottom", fontsize=7.5,
                     color=EVENT_COLOR, clip_on=False, gid="event")


def raster(ax, x, label: str = "spikes (solver's spike times)", y: float = 0.94, color: str = "tab:red"):
    """Spikes as ticks near the top of ``ax`` at ``x`` (axis units): they show
    even where the output grid is too coarse to draw the spikes."""
    x = np.asarray(x, dtype=float)
    return ax.plot(x, np.full(len(x), y), ls="", marker="|", ms=7, mew=1.0, color=color, label=label,
                   transform=ax.get_xaxis_transform(), zorder=4, gid="raster")[0]


def tests(ax, x, answered, y: float = 0.05):
    """Test pulses at ``x`` (axis units) near the bottom of ``ax``: filled
    triangles those that fired a spike, open ones those that did not."""
    x, answered = np.asarray(x, dtype=float), np.asarray(answered, dtype=bool)
    tr = ax.get_xaxis_transform()
    ax.plot(x[answered], np.full(answered.sum(), y), ls="", marker="^", ms=4.5, color="tab:green",
            transform=tr, label="test pulse: spike", zorder=4, gid="tests-answered")
    ax.plot(x[~answered], np.full((~answered).sum(), y), ls="", marker="^", ms=4.5, mfc="none",
            color="tab:red", transform=tr, label="test pulse: no spike", zorder=4, gid="tests-failed")


def sample(t: np.ndarray, *ys, t0: float = -np.inf, t1: float = np.inf):
    """The samples of ``t`` and each ``y`` with t0 <= t <= t1."""
    m = (t >= t0) & (t <= t1)
    return (t[m],) + tuple(np.asarray(y)[m] for y in ys)


def periods(n: int) -> str:
    """'1 period', '5 periods'."""
    return f"{n} period" + ("" if n == 1 else "s")


def headroom(ax, fraction: float) -> None:
    """Room above the data of ``ax`` (``fraction`` of its height) for
    brackets and labels, the ticks kept to the data's range."""
    lo, hi = ax.get_ylim()
    ticks = [y for y in ax.get_yticks() if lo <= y <= hi]
    ax.set_ylim(lo, hi + fraction * (hi - lo))
    ax.set_yticks(ticks)


def legend(ax, **kw):
    kw.setdefault("loc", "best")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(**kw)


def figure_legend(fig, axes, ncol: int = 4):
    """One legend below the figure for the labelled lines of ``axes`` (each label once)."""
    seen = {}
    for ax in axes:
        for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
            if not lab.startswith("_"):
                seen.setdefault(lab, h)
    if seen:
        fig.legend(list(seen.values()), list(seen), loc="outside lower center", ncol=ncol, fontsize=7.5)


def side(ax, text: str | None, title: str | None = None, notes: list[str] | None = None):
    """Turn ``ax`` into a panel of text (the numbers of the panel beside
    it): ``title`` and ``text`` at its top, then ``notes`` (the summary's,
    wrapped)."""
    ax.axis("off")
    if title:
        ax.text(0.02, 1.0, title, transform=ax.transAxes, va="top", ha="left", fontsize=8.5, weight="bold")
    body = "\n\n".join(p for p in [text] + [wrap(n, 46) for n in notes or ()] if p)
    if body:
        ax.annotate(body, (0.02, 1.0), xycoords="axes fraction", xytext=(0, -18 if title else 0),
                    textcoords="offset points", va="top", ha="left", fontsize=8, linespacing=1.45)


def wrap(text: str, width: int) -> str:
    """``text`` broken into lines of at most ``width`` characters."""
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


def summary_notes(outcome, *words: str) -> list[str]:
    """The summary's notes that contain any of ``words`` (all of them with none)."""
    return [n for n in outcome.summary.notes if not words or any(w in n for w in words)]


def _axes_of(fig):
    todo, seen = list(fig.axes), []
    while todo:
        ax = todo.pop()
        if ax in seen:
            continue
        seen.append(ax)
        todo.extend(getattr(ax, "child_axes", []))
    return seen


def finish(fig):
    """No offset notation on any axis (a value is read off the axis as it is;
    a power of ten, where one is needed, is written x10^n)."""
    from matplotlib.ticker import ScalarFormatter

    for ax in _axes_of(fig):
        for axis in (ax.xaxis, ax.yaxis):
            fmt = axis.get_major_formatter()
            if isinstance(fmt, ScalarFormatter):
                fmt.set_useOffset(False)
                fmt.set_useMathText(True)
    return fig


def texts(fig) -> list[str]:
    """Every text drawn on ``fig``: titles, labels, annotations, legends, tick labels excluded."""
    out = [t.get_text() for t in fig.texts]
    if fig._suptitle is not None:
        out.append(fig._suptitle.get_text())
    for ax in _axes_of(fig):
        if hasattr(ax, "get_title"):
            out += [ax.get_title(loc) for loc in ("left", "center", "right")]
        out += [ax.get_xlabel(), ax.get_ylabel()] + [t.get_text() for t in ax.texts]
        leg = ax.get_legend()
        if leg is not None:
            out += [t.get_text() for t in leg.get_texts()]
    return [t for t in out if t]
