"""The scenario framework: named experiments (a cell, a protocol, what to
measure and what to draw), published models as presets, and their
registries.  It knows no particular cell: the default neuron's experiments
(``catalog.neuron``) and each preset (``catalog.hh1952``, ...) register
themselves here; ``nakpump.catalog`` loads them all.

Each scenario's ``run`` returns an ``Outcome``: the result, numeric
``measures`` (each with a key, a label and a unit; the printed summary is
made from them, and tests read them by key) and the marks to draw.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from ..errors import RunInterrupted, SolverError
from ..mechanisms.base import Param
from ..model.cell import Cell
from ..model.protocol import Protocol
from ..solve.simulate import Tolerances
from ..solve.simulate import simulate as _solve

__all__ = ["Measure", "Summary", "Outcome", "Scenario", "Preset", "SCENARIOS", "PRESETS", "register",
           "register_preset", "scenario", "simulate", "settle", "RunInterrupted", "output_dt", "with_bath"]


@dataclass
class Measure:
    """One number a scenario reports: ``value`` (a number or a bool) with its
    ``unit``, a readable ``label`` and the format it prints with."""

    key: str
    label: str
    value: Any
    unit: str = ""
    fmt: str = ".3g"

    def text(self) -> str:
        if isinstance(self.value, (bool, np.bool_)):
            return "yes" if self.value else "no"
        if self.value is None:
            return "n/a"
        if isinstance(self.value, (int, float, np.integer, np.floating)):
            return f"{format(self.value, self.fmt)} {self.unit}".rstrip()
        return str(self.value)


@dataclass
class Summary:
    """A scenario's measures, by key, and notes; ``text()`` prints them."""

    title: str
    measures: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    simulated: str = ""
    """What was simulated: how long, and the state at its start and end."""

    def add(self, key: str, label: str, value: Any, unit: str = "", fmt: str = ".3g") -> None:
        if key in self.measures:
            raise KeyError(f"measure {key!r} added twice")
        if isinstance(value, (np.floating, np.integer)):
            value = value.item()
        self.measures[key] = Measure(key, label, value, unit, fmt)

    def note(self, text: str) -> None:
        self.notes.append(text)

    def __getitem__(self, key: str):
        try:
            return self.measures[key].value
        except KeyError:
            raise KeyError(f"no measure {key!r}; have: {', '.join(self.measures)}") from None

    def __contains__(self, key: str) -> bool:
        return key in self.measures

    def as_dict(self) -> dict:
        """key -> value of every measure."""
        return {key: m.value for key, m in self.measures.items()}

    def text(self) -> str:
        rows = [(m.label, m.text()) for m in self.measures.values()] + [("note", n) for n in self.notes]
        width = max((len(label) for label, _ in rows), default=10)
        head = [self.title] + ([f"  {self.simulated}"] if self.simulated else [])
        return "\n".join(head + [f"  {label:<{width}}  {value}".rstrip() for label, value in rows])


@dataclass
class Outcome:
    """What a scenario run returns: the main ``result``, any ``extra``
    results, the ``summary`` (its measures), and the ``marks`` (times, ms) to
    draw."""

    scenario: "Scenario"
    result: Any
    summary: Summary
    extra: dict = field(default_factory=dict)
    marks: dict = field(default_factory=dict)

    @property
    def measures(self) -> dict:
        """key -> value of the scenario's measures."""
        return self.summary.as_dict()


@dataclass
class Scenario:
    """A named experiment.  ``run(cell=None, options=None, duration=None)``.

    factory : builds the scenario's cell (``**cell_options``; with
        ``accepts_pump`` also ``pump=NAME``, another pump model).
    cells : for the default scenarios, each cell kind they run on (``CELLS``
        names) with its options (``{"pump-leak": {"energy": True}}``); the
        first is the default.  ``make_cell(cell="pump-leak")`` picks one.
    """

    name: str
    title: str
    description: str
    options: tuple[Param, ...]
    duration: float
    runner: Callable
    factory: Callable[..., Cell]
    cell_options: dict = field(default_factory=dict)
    accepts_pump: bool = False
    preset: str = ""
    cells: dict = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return f"{self.preset}:{self.name}" if self.preset else self.name

    def make_cell(self, pump: str | None = None, cell: str | None = None, calibrate: bool = True) -> Cell:
        """The scenario's cell (``cell``: one of ``cells``, default the first),
        optionally with another pump model; ``calibrate=False`` builds it
        without solving for its rest, where the factory allows (quick: for
        checking parameter names and ranges)."""
        factory, opts = self.factory, dict(self.cell_options)
        if cell is not None or self.cells:
            from .cells import CELLS
            if not self.cells:
                raise ValueError(f"--cell applies to the default neuron's scenarios, not to "
                                 f"{self.full_name}, whose cell is the published one")
            kind = cell if cell is not None else next(iter(self.cells))
            if kind not in self.cells:
                raise ValueError(f"cell {kind!r} for {self.full_name}; allowed: {', '.join(self.cells)}")
            factory, opts = CELLS[kind], dict(self.cells[kind])
        if pump is not None:
            if not self.accepts_pump:
                raise ValueError(f"pump.model applies to the default neuron's scenarios, not to "
                                 f"{self.full_name}, whose pump is the published one")
            opts["pump"] = pump
        if not calibrate:
            import inspect

            if "calibrate" in inspect.signature(factory).parameters:
                opts["calibrate"] = False
        return factory(**opts)

    def option_values(self, options: dict | None) -> dict[str, float]:
        vals = {p.name: p.default for p in self.options}
        for key, value in (options or {}).items():
            match = [p for p in self.options if p.name == key]
            if not match:
                allowed = ", ".join(f"scenario.{p.name}" for p in self.options) or "none"
                raise ValueError(f"unknown parameter scenario.{key} for {self.full_name}; allowed: {allowed}")
            vals[key] = match[0].check(value, "scenario")
        return vals

    def run(self, cell: Cell | None = None, options: dict | None = None,
            duration: float | None = None, tol: Tolerances | None = None, progress=None) -> Outcome:
        opts = self.option_values(options)
        cell = cell or self.make_cell()
        about = dict(scenario=self.full_name, scenario_options=dict(opts))
        _FINISHED.clear()
        try:
            outcome = self.runner(self, cell, opts, duration or self.duration, tol, progress)
        except RunInterrupted as stop:  # what was computed says what it was part of
            stop.result.meta.update(about)
            raise
        except KeyboardInterrupt:  # after a run, while measuring it: the run is kept
            if not _FINISHED:
                raise
            res = _FINISHED.pop()
            res.meta.update(about)
            res.meta.setdefault("t_reached_ms", float(res.t[-1]))
            raise RunInterrupted(res) from None
        except SolverError as err:
            if err.partial is not None:
                err.partial.meta.update(about)
            raise
        outcome.result.meta.update(about)
        outcome.summary.simulated = simulated(outcome.result)
        return outcome


@dataclass
class Preset:
    """A published model: ``build()`` returns its cell; ``scenarios`` its
    named experiments."""

    name: str
    title: str
    references: tuple[str, ...]
    description: str
    build: Callable
    scenarios: dict = field(default_factory=dict)

    def cite(self) -> str:
        return "\n".join(self.references)


SCENARIOS: dict[str, Scenario] = {}
"""The default neuron's scenarios, by name."""
PRESETS: dict[str, Preset] = {}
"""The published models, by name."""


def with_bath(cell: Cell, values: dict) -> dict:
    """``values`` (dotted names, as ``--set`` gives them) where each ``cell.X_o``
    also sets the bath that the outside exchanges ion X with (a
    ``bath_diffusion`` mechanism), unless that bath is set too: "K_o = 20"
    means the bath K+ is 20 mM, not a K+ that the tissue clears back to 4 mM.
    Used by ``nakpump run --set`` and by the sweeps (``nakpump.sweeps``)."""
    out = dict(values)
    for key, x in values.items():
        ion = key[len("cell."):-len("_o")] if key.startswith("cell.") and key.endswith("_o") else None
        for m in cell.mechanisms if ion else ():
            bath = f"{m.name}.bath"
            if m.family == "bath_diffusion" and getattr(m, "ion", None) == ion and bath not in values:
                out[bath] = x
    return out


def simulated(result) -> str:
    """One line on what ``result`` simulated: its length in model time, and
    V and the main concentrations at its start and its end."""
    t = result.t
    if len(t) < 2:
        return ""
    parts = [f"V {result['V'][0]:.1f} -> {result['V'][-1]:.1f} mV"]
    for q in ("Na_i", "K_i", "K_o"):
        if q in result:
            parts.append(f"{q} {result[q][0]:.4g} -> {result[q][-1]:.4g} mM")
    return f"simulated {(t[-1] - t[0]) / 1000:.4g} s: " + ", ".join(parts)


def register(sc: Scenario) -> Scenario:
    SCENARIOS[sc.name] = sc
    return sc


def register_preset(preset: Preset) -> Preset:
    for sc in preset.scenarios.values():
        sc.preset = preset.name
    PRESETS[preset.name] = preset
    return preset


def scenario(name, title, description, duration, options=(), cells=None):
    """Decorator: register the runner below as the default neuron's scenario
    ``name``, run on the cells ``cells`` (kind -> options; default every kind
    of ``CELLS`` with its defaults)."""
    from .cells import CELLS

    kinds = {kind: {} for kind in CELLS} if cells is None else dict(cells)
    unknown = set(kinds) - set(CELLS)
    if unknown:
        raise ValueError(f"scenario {name}: unknown cells {', '.join(sorted(unknown))}")

    def deco(fn):
        register(Scenario(name, title, description, tuple(options), duration, fn, CELLS[next(iter(kinds))],
                          dict(kinds[next(iter(kinds))]), accepts_pump=True, cells=kinds))
        return fn
    return deco


def simulate(*args, **kwargs):
    """``nakpump.simulate`` for scenarios: an interrupted run raises
    ``RunInterrupted`` (carrying the partial result) instead of returning."""
    res = _solve(*args, **kwargs)
    if res.interrupted:
        raise RunInterrupted(res)
    _FINISHED[:] = [res]
    return res


_FINISHED: list = []
"""The last run a scenario finished: what Ctrl-C during its analysis keeps."""


SETTLE_PROBE_MS = 5000.0
"""The first stretch (ms) of ``settle``'s watched runs towards rest."""


def _reversals(v: np.ndarray, step: float) -> int:
    """How often ``v`` turns back after moving by more than ``step`` one way."""
    turns, anchor, direction = 0, v[0], 0
    for x in v[1:]:
        d = x - anchor
        if direction >= 0 and d < -step or direction <= 0 and d > step:
            turns += direction != 0
            direction = 1 if d > 0 else -1
            anchor = x
        elif direction > 0 and x > anchor or direction < 0 and x < anchor:
            anchor = x
    return turns


def settle(system, summary: Summary, max_time: float = 3.6e6):
    """The state to start from: the cell's own initial state if it is
    already at rest, otherwise the rest it reaches with no stimulus within
    ``max_time`` ms (and the summary says so).  A cell that fires or
    oscillates on its own has no rest: the summary says that, and the run
    starts from the initial state.  The system itself is left as it is."""
    from ..solve.steady import EQUILIBRATE_TOL, resting_rate

    lay = system.layout
    rates = np.abs(system.rhs(system.y0))[:lay.n_dyn]
    others = np.delete(rates, lay.V)
    if rates[lay.V] < 1e-7 and np.all(others < 1e-8):
        return system.y0
    tol = Tolerances(**EQUILIBRATE_TOL)
    y, t_used, span = system.y0, 0.0, SETTLE_PROBE_MS
    # Stretches of doubling length, each watched: V that turns back and
    # forth means the cell fires or oscillates and will never rest.
    while resting_rate(system, y) >= 1e-9:
        if t_used >= max_time:
            summary.note(f"the changed cell does not come to rest within {max_time / 60000:g} min of "
                         "simulated time; the run starts from its initial state")
            return system.y0
        run = _solve(system, Protocol(), duration=span, dt=span / 500, tol=tol, y0=y)
        v = run["V"][run.t >= span / 2]
        if _reversals(v, 0.5) >= 3:
            what = "fires" if any(t > span / 2 for t in run.spikes) else "oscillates"
            summary.note(f"the changed cell {what} on its own after {(t_used + span / 2) / 1000:.3g} s "
                         f"with no stimulus (V between {v.min():.1f} and {v.max():.1f} mV), so it has no "
                         "rest to settle to; the run starts from its initial state")
            return system.y0
        y, t_used, span = run.final_state, t_used + span, 2 * span
    summary.add("settled_s", "settled to rest first (the cell was changed)", t_used / 1000.0, "s")
    obs = system.observe(np.vstack([system.y0, y]))
    moved = ", ".join([f"V {system.y0[lay.V]:.4g} -> {y[lay.V]:.4g} mV"] + [
        f"{q} {obs[q][0]:.4g} -> {obs[q][1]:.4g} mM" for q in ("Na_i", "K_i", "K_o") if q in obs])
    summary.note(f"the changed cell was first run to rest for {t_used / 1000.0:.4g} s of model time "
                 f"({moved}); the scenario starts from there")
    closed = not system.cell.values["bath"] and not any(
        m.family == "bath_diffusion" for m in system.cell.mechanisms)
    if closed:
        summary.note("the outside is a closed space: ions redistribute between the cell and it, so its "
                     "concentrations at rest differ from those set; for a fixed bath add --set cell.bath=1")
    return y


def output_dt(duration: float, finest: float) -> float:
    """Output interval: ``finest`` ms, coarsened so a run keeps at most 200,000 samples."""
    return max(finest, duration / 200000.0)
