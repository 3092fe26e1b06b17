"""Figures.  Matplotlib is imported inside the functions (Agg backend when
no display), so importing nakpump stays light."""

from __future__ import annotations


def _plt():
    import matplotlib

    if matplotlib.get_backend().lower() not in ("agg", "pdf", "svg") and not _has_display():
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def _has_display() -> bool:
    import os
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def result_figure(result, title: str = "", marks: dict | None = None):
    """Stacked panels over time of any result (``nakpump.figures.timecourses``):
    V with the Nernst potentials, the inside Na+, K+ and Cl-, K_o, the
    pumps' current with their ATP use, and where they change the volumes,
    ATP and O2; ``marks`` (name -> ms or (start, end) ms) drawn on them.
    Returns the matplotlib Figure."""
    from ..figures import timecourses
    return timecourses(result, title, marks)


def scenario_figure(outcome):
    """The figure of a scenario run (``nakpump.figures.figure``): the one
    registered for its scenario, which shows its answer."""
    from ..figures import figure
    return figure(outcome)


def save(fig, path) -> None:
    """Write ``fig`` to ``path`` (format from the extension) and close it."""
    from pathlib import Path

    plt = _plt()
    path = Path(path)
    tmp = path.with_name(path.stem + ".part" + path.suffix)
    fig.savefig(tmp, dpi=110)
    tmp.replace(path)
    plt.close(fig)
