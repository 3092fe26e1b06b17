"""A figure per scenario that shows its answer.

``figure(outcome)`` draws the figure registered for the outcome's scenario
(by its full name, ``rest`` or ``hh1952:ap``), or, for a scenario without
one, ``overview``: the time courses with the scenario's marks.  Figures read
only the ``Outcome`` (its ``result``, ``extra``, ``summary`` and ``marks``)
and the analysis functions on Results; they never reach back into the model.

``timecourses(result, title, marks)`` draws any result (the command line
draws it for a run that was stopped, titled with ``style.heading``).

One module per scenario family: ``neuron`` (rest, spike-train,
electrogenic, atp-cost), ``energy`` (pump-block, ischemia, swelling),
``ahp`` (pump-ahp), ``hh`` (hh1952), ``bursting`` (cressman2009,
wei2014:seizures), ``depression`` (wei2014, hubel-dahlem2014, kager2000).
Matplotlib is imported only when a figure is drawn.
"""

from __future__ import annotations

import importlib
from typing import Callable

__all__ = ["FIGURES", "register", "registered", "figure", "overview", "timecourses"]

FIGURES: dict[str, Callable] = {}
"""Scenario full name -> function(outcome) returning its matplotlib Figure."""

_MODULES = ("neuron", "energy", "ahp", "hh", "bursting", "depression")


def register(*names: str):
    """Decorator: the function below draws the figure of the scenarios ``names``."""
    def deco(fn):
        for name in names:
            FIGURES[name] = fn
        return fn
    return deco


def _load() -> None:
    for mod in _MODULES:
        importlib.import_module(f"{__name__}.{mod}")


def registered() -> dict[str, Callable]:
    """Scenario full name -> its figure function, every family module loaded."""
    _load()
    return dict(FIGURES)


def figure(outcome):
    """The figure of a scenario run (a matplotlib Figure)."""
    from .style import RC, finish, plt

    _load()
    draw = FIGURES.get(outcome.scenario.full_name, overview)
    with plt().rc_context(RC):
        fig = draw(outcome)
    return finish(fig)


def overview(outcome):
    """The figure of a scenario without its own: ``timecourses`` of its
    result with its marks, under its title."""
    from .style import title

    return timecourses(outcome.result, title(outcome), outcome.marks, styled=False)


def timecourses(result, title: str = "", marks: dict | None = None, styled: bool = True):
    """Stacked panels over time: V with the Nernst potentials (and the
    solver's spike times), the inside Na+, K+ and Cl-, K_o, the pumps'
    current with their ATP use on a second scale, and where they change the
    volumes, ATP and O2; ``marks`` (name -> time or (start, end), ms) as
    labelled lines or spans.  Returns the matplotlib Figure."""
    import numpy as np

    from . import panels
    from .style import RC, Clock, event, finish, legend, plt, span

    if styled:
        with plt().rc_context(RC):
            return finish(timecourses(result, title, marks, styled=False))
    res = result
    clock = Clock.for_span(res.t[-1] - res.t[0])
    rows = ["V", "inside", "K_o", "pump"] + [r for r, q in (("volume", "vol_i_rel"), ("energy", "ATP_i"),
                                                            ("O2", "O2")) if panels.varies(res, q)]
    fig = plt().figure(figsize=(9, 1.9 * len(rows) + 1), layout="constrained")
    if title:
        fig.suptitle(title, fontsize=10)
    axes = list(np.atleast_1d(fig.subplots(len(rows), 1, sharex=True)))
    for ax, row in zip(axes, rows, strict=True):
        if row == "V":
            panels.potential(ax, res, clock, nernst=("Na", "K", "Cl"), glia=True)
            legend(ax, loc="upper right", ncol=3)
        elif row == "inside":
            panels.concentrations(ax, res, clock, ("Na_i", "K_i", "Cl_i"), ylabel="inside (mM)")
        elif row == "K_o":
            panels.concentrations(ax, res, clock, ("K_o",), ylabel="K_o (mM)")
        elif row == "pump":
            panels.pump(ax, res, clock)
        elif row == "volume":
            panels.volumes(ax, res, clock)
        elif row == "energy":
            panels.concentrations(ax, res, clock, ("ATP_i", "ADP_i", "PCr_i"), ylabel="inside (mM)")
        else:
            panels.concentrations(ax, res, clock, ("O2",), ylabel="O2 (mg/L)")
    for name, when in (marks or {}).items():
        when = when if isinstance(when, tuple) else (when, when)
        if not when[0] and not when[1]:
            continue
        if when[0] == when[1]:
            event(axes, clock(when[0]), name)
        else:
            span(axes, clock(when[0]), clock(when[1]), start=name)
    axes[-1].set_xlabel(clock.label())
    return fig
