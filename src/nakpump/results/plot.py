"""Matplotlib for the figures (``nakpump.figures`` draws them): pyplot with
the Agg backend when there is no display, imported only when called so that
importing nakpump stays light, and ``save``, which writes a figure whole."""

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


def save(fig, path) -> None:
    """Write ``fig`` to ``path`` (format from the extension) and close it."""
    from pathlib import Path

    plt = _plt()
    path = Path(path)
    tmp = path.with_name(path.stem + ".part" + path.suffix)
    fig.savefig(tmp, dpi=110)
    tmp.replace(path)
    plt.close(fig)
