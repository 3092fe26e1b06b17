"""Named experiments: a cell, a protocol, what to measure and what to draw.

Each scenario has options (``scenario.NAME`` in the CLI's ``--set``), runs
the default neuron (or a cell you pass), prints a short quantitative summary
and draws a multi-panel figure.  ``SCENARIOS`` is the registry the CLI and
docs read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from . import analysis as an
from .cell import Cell
from .mechanisms.base import Param
from .presets.default import default_cell
from .protocol import Block, Protocol, Pulse, PulseTrain, SetParameter
from .solve import Tolerances, simulate
from .system import compile_cell


@dataclass
class Summary:
    """Rows of (label, value, unit) with a one-line verdict."""

    title: str
    rows: list = field(default_factory=list)

    def add(self, label: str, value: Any, unit: str = "", fmt: str = ".3g") -> None:
        self.rows.append((label, value, unit, fmt))

    def value(self, label: str):
        for row in self.rows:
            if row[0] == label:
                return row[1]
        raise KeyError(label)

    def as_dict(self) -> dict:
        return {label: value for label, value, _, _ in self.rows}

    def text(self) -> str:
        width = max((len(r[0]) for r in self.rows), default=10)
        lines = [self.title]
        for label, value, unit, fmt in self.rows:
            numeric = isinstance(value, (int, float, np.floating))
            shown = f"{format(value, fmt)} {unit}" if numeric else str(value)
            lines.append(f"  {label:<{width}}  {shown}".rstrip())
        return "\n".join(lines)


@dataclass
class Outcome:
    """What a scenario run returns: the main ``result``, any ``extra``
    results, the ``summary``, and the ``marks`` (times, ms) to draw."""

    scenario: "Scenario"
    result: Any
    summary: Summary
    extra: dict = field(default_factory=dict)
    marks: dict = field(default_factory=dict)

    def figure(self):
        from .plot import scenario_figure
        return scenario_figure(self)


@dataclass
class Scenario:
    """A named experiment.  ``run(cell=None, options=None, duration=None)``."""

    name: str
    title: str
    description: str
    options: tuple[Param, ...]
    duration: float
    runner: Callable
    cell_options: dict = field(default_factory=dict)
    """Keyword arguments of ``default_cell`` for this scenario's cell."""
    factory: Callable | None = None
    """Builds the cell instead of ``default_cell`` (a preset's model)."""

    def make_cell(self, pump: str | None = None) -> Cell:
        """The scenario's default cell, optionally with another pump model."""
        if self.factory is not None:
            if pump is not None:
                raise ValueError(f"pump.model applies to the default neuron's scenarios, not to "
                                 f"{self.name}, whose pump is the published one")
            return self.factory()
        opts = dict(self.cell_options)
        if pump is not None:
            opts["pump"] = pump
        return default_cell(**opts)

    def option_values(self, options: dict | None) -> dict[str, float]:
        vals = {p.name: p.default for p in self.options}
        for key, value in (options or {}).items():
            match = [p for p in self.options if p.name == key]
            if not match:
                allowed = ", ".join(f"scenario.{p.name}" for p in self.options) or "none"
                raise ValueError(f"unknown parameter scenario.{key} for {self.name}; allowed: {allowed}")
            vals[key] = match[0].check(value, "scenario")
        return vals

    def run(self, cell: Cell | None = None, options: dict | None = None,
            duration: float | None = None, tol: Tolerances | None = None, progress=None) -> Outcome:
        opts = self.option_values(options)
        cell = cell or self.make_cell()
        return self.runner(self, cell, opts, duration or self.duration, tol, progress)


SCENARIOS: dict[str, Scenario] = {}


def scenario(name, title, description, duration, options=(), cell_options=None):
    def deco(fn):
        SCENARIOS[name] = Scenario(name, title, description, tuple(options), duration, fn,
                                   dict(cell_options or {}))
        return fn
    return deco


def get(name: str) -> Scenario:
    """A scenario by name, or a preset's as ``PRESET:SCENARIO``."""
    if ":" in name:
        from .presets import get_preset
        preset_name, sc_name = name.split(":", 1)
        preset = get_preset(preset_name)
        if sc_name not in preset.scenarios:
            raise ValueError(f"preset {preset_name} has no scenario {sc_name!r}; it has: "
                             f"{', '.join(preset.scenarios)}")
        return preset.scenarios[sc_name]
    if name not in SCENARIOS:
        raise ValueError(f"unknown scenario {name!r}; available: {', '.join(SCENARIOS)} "
                         "(or PRESET:SCENARIO, see 'nakpump presets')")
    return SCENARIOS[name]


def _settle(system, note: Summary):
    """Start from rest: the cell's own initial state if it is already at rest,
    otherwise the state ``equilibrate`` reaches (and say so)."""
    from .steady import equilibrate

    rates = np.abs(system.rhs(system.y0))[:system.layout.ndyn]
    if rates[0] < 1e-7 and np.all(rates[1:] < 1e-8):
        return system.y0
    try:
        _, y, t_used = equilibrate(system)
    except RuntimeError:
        note.add("note", "the changed cell does not come to rest within an hour of simulated time "
                 "(it fires or oscillates); the run starts from its initial state")
        return system.y0
    note.add("settled to rest first (the cell was changed)", t_used / 1000.0, "s")
    system.y0 = y
    return y


class RunInterrupted(Exception):
    """A run was stopped (Ctrl-C); ``result`` holds what was computed."""

    def __init__(self, result):
        super().__init__(f"interrupted at t = {result.meta['t_reached_ms']:g} ms")
        self.result = result


def _dt(duration: float, finest: float) -> float:
    """Output interval: ``finest`` ms, coarsened so a run keeps at most 200,000 samples."""
    return max(finest, duration / 200000.0)


def _simulate(*args, **kwargs):
    res = simulate(*args, **kwargs)
    if res.interrupted:
        raise RunInterrupted(res)
    return res


# --------------------------------------------------------------- rest -----
@scenario("rest", "The resting state and what sets it",
          "No stimulus. Reports Nernst and GHK potentials, the conductances at rest, the pump "
          "current, the pump's electrogenic share of V_rest, ATP use and the drift over the run.",
          duration=2000.0)
def _rest(sc, cell, opts, duration, tol, progress):
    system = compile_cell(cell)
    s = Summary(f"{sc.name}: {sc.title}")
    _settle(system, s)
    res = _simulate(system, Protocol(), duration=duration, dt=_dt(duration, min(1.0, duration / 100)),
                    tol=tol, progress=progress)
    rep = an.rest_report(system, system.y0)
    s.add("resting potential", rep.V_rest, "mV", ".2f")
    for ion, e in rep.nernst.items():
        s.add(f"E_{ion}", e, "mV", ".1f")
    pk = rep.ghk_permeability["K"]
    ratio = ":".join(f"{rep.ghk_permeability[i] / pk:.3g}" for i in ("K", "Na", "Cl"))
    s.add("GHK permeabilities P_K:P_Na:P_Cl", ratio)
    s.add("GHK voltage with them (no pump)", rep.V_ghk, "mV", ".1f")
    s.add("conductance-weighted E (no pump)", rep.V_weighted, "mV", ".1f")
    s.add("pump current at rest", rep.pump_current, "uA/cm2", ".3f")
    s.add("pump's electrogenic share of V_rest", rep.pump_mV, "mV", ".2f")
    if rep.note:
        s.add("note", rep.note)
    s.add("ATP used by the pump", rep.atp_per_cell_per_s, "molecules/s per cell", ".3g")
    s.add("input resistance", rep.input_resistance_MOhm, "MOhm", ".0f")
    s.add("membrane time constant", rep.tau_m_ms, "ms", ".2f")
    s.add("largest drift of V over the run", float(np.max(np.abs(res["V"] - res["V"][0]))), "mV", ".2g")
    return Outcome(sc, res, s, extra={"rest": rep})


# -------------------------------------------------------- spike train -----
@scenario("spike-train", "A train of action potentials and recovery by the pump",
          "Current pulses evoke a train of spikes; Na_i and K_o drift up, the pump speeds up and "
          "restores them over seconds. Reports spikes, the drift, the recovery time constant of "
          "Na_i and the extra ATP the pump spends per spike.",
          duration=60000.0,
          options=(Param("start", 1000.0, "ms", 0.0, 1e7, "time of the first pulse"),
                   Param("number", 100, "1", 1, 1e5, "number of pulses"),
                   Param("frequency", 10.0, "Hz", 0.01, 500.0, "pulse frequency"),
                   Param("amplitude", 40.0, "uA/cm2", -1e3, 1e3, "pulse amplitude (into the cell)"),
                   Param("width", 1.0, "ms", 0.01, 100.0, "pulse duration")))
def _train(sc, cell, opts, duration, tol, progress):
    system = compile_cell(cell)
    s = Summary(f"{sc.name}: {sc.title}")
    _settle(system, s)
    n = int(opts["number"])
    train = PulseTrain(opts["start"], n, opts["frequency"], opts["width"], opts["amplitude"])
    t_end = opts["start"] + (n - 1) * 1000.0 / opts["frequency"] + opts["width"]
    dt = _dt(duration, 1.0 if duration > 5000 else 0.05)
    res = _simulate(system, Protocol([train]), duration=duration, dt=dt, tol=tol, progress=progress)
    spikes = an.spike_times(res)
    delivered = sum(1 for t0, _, _ in train.intervals() if t0 < duration)
    s.add("pulses / spikes", f"{delivered} / {len(spikes)}")
    if t_end + 100.0 > duration:
        s.add("note", "the run ends before the train does; lengthen --duration for the recovery")
        return Outcome(sc, res, s, marks={"train": (opts["start"], min(t_end, duration))})
    i0 = 0
    i_end = int(np.searchsorted(res.t, t_end))
    for q, unit in (("Na_i", "mM"), ("K_o", "mM"), ("K_i", "mM")):
        peak = res[q][i_end:] if i_end < len(res.t) else res[q][-1:]
        change = (peak.max() if q != "K_i" else peak.min()) - res[q][i0]
        s.add(f"{q} change at end of train", float(change), unit, "+.3f")
    s.add("V 100 ms after the train", float(np.interp(t_end + 100.0, res.t, res["V"])), "mV", ".2f")
    s.add("pump current: rest -> peak", f"{res['I_pump'][0]:.3f} -> {res['I_pump'].max():.3f} uA/cm2")
    if t_end < res.t[-1] - 1000.0:
        try:
            tau, c_inf, _ = an.recovery_tau(res, t_end + 200.0)
            s.add("recovery time constant of Na_i", tau / 1000.0, "s", ".2f")
        except ValueError as err:
            s.add("recovery time constant of Na_i", f"n/a ({err})")
        s.add("Na_i at end of run", float(res["Na_i"][-1]), "mM", ".3f")
    if len(spikes):
        extra = an.pump_atp_above_baseline(res, opts["start"], res.t[-1])
        per_cell = extra * cell.values["area"] * 1e-8 * an.AVOGADRO / len(spikes)
        s.add("extra ATP the pump spent per spike within the run", per_cell, "molecules per cell", ".3g")
    s.add("solver wall time", res.meta["wall_time_s"], "s", ".3f")
    first = _simulate(system, Protocol([Pulse(2.0, opts["width"], opts["amplitude"])]), duration=25.0,
                      dt=0.01, tol=tol)
    return Outcome(sc, res, s, extra={"spike": first}, marks={"train": (opts["start"], t_end)})


# ---------------------------------------------------------- pump block ----
@scenario("pump-block", "Ouabain: block the pump and watch the gradients run down",
          "At t0 the pump is blocked (fully by default). A test pulse every few seconds probes "
          "excitability. Na_i rises, K_i falls, K_o accumulates, the cell depolarises and stops "
          "firing. Optionally the blocker is washed out and the cell recovers.",
          duration=300000.0,
          options=(Param("block_at", 5000.0, "ms", 0.0, 1e8, "time the blocker arrives"),
                   Param("fraction", 1.0, "1", 0.0, 1.0, "fraction of pumps blocked"),
                   Param("washout_at", 0.0, "ms", 0.0, 1e8, "time of washout (0: never)"),
                   Param("test_interval", 5000.0, "ms", 10.0, 1e7, "interval between test pulses"),
                   Param("test_amplitude", 40.0, "uA/cm2", -1e3, 1e3, "test pulse amplitude"),
                   Param("test_width", 1.0, "ms", 0.01, 100.0, "test pulse duration")))
def _block(sc, cell, opts, duration, tol, progress):
    system = compile_cell(cell)
    s = Summary(f"{sc.name}: {sc.title}")
    _settle(system, s)
    t_block = opts["block_at"]
    events = [Block("pump", opts["fraction"], t_block)]
    washout = opts["washout_at"]
    if washout > 0:
        if washout <= t_block:
            raise ValueError(f"scenario.washout_at = {washout:g} ms must be after scenario.block_at "
                             f"= {t_block:g} ms (or 0 for no washout)")
        events.append(Block("pump", 0.0, washout))
    first = min(t_block * 0.5, 2000.0)
    tests = np.arange(first, duration, opts["test_interval"])
    events += [Pulse(float(t), opts["test_width"], opts["test_amplitude"]) for t in tests]
    res = _simulate(system, Protocol(events), duration=duration, dt=_dt(duration, min(10.0, duration / 2000)),
                   tol=tol, progress=progress)
    spikes = an.spike_times(res)
    fired = np.array([np.any((spikes >= t) & (spikes < t + 50.0)) for t in tests], dtype=bool)
    s.add("blocked fraction", opts["fraction"], "", ".2f")
    s.add("V before block", float(np.interp(t_block, res.t, res["V"])), "mV", ".2f")
    end = washout if washout > 0 else res.t[-1]
    i_end = min(int(np.searchsorted(res.t, end)), len(res.t) - 1)
    for q in ("V", "Na_i", "K_i", "K_o", "Cl_i"):
        unit = "mV" if q == "V" else "mM"
        s.add(f"{q} at {'washout' if washout > 0 else 'end'}", float(res[q][i_end]), unit, ".2f")
    after = res.t >= t_block
    v0 = float(np.interp(t_block, res.t, res["V"]))
    dep = res.t[after & (res["V"] > v0 + 10.0)]
    s.add("time to depolarise by 10 mV", (dep[0] - t_block) / 1000.0 if len(dep) else "not reached",
          "s", ".1f")
    blocked = (tests >= t_block) & ((tests < washout) if washout > 0 else True)
    failing = tests[blocked & ~fired]
    s.add("first test pulse that failed to fire",
          (failing[0] - t_block) / 1000.0 if len(failing) else "none failed", "s after block", ".1f")
    s.add("test pulses answered (blocked period)", f"{int(fired[blocked].sum())} of {int(blocked.sum())}")
    if washout > 0:
        s.add("V at end (after washout)", float(res["V"][-1]), "mV", ".2f")
        s.add("Na_i at end (after washout)", float(res["Na_i"][-1]), "mM", ".2f")
        late = tests > washout
        s.add("test pulses answered after washout", f"{int(fired[late].sum())} of {int(late.sum())}")
    return Outcome(sc, res, s, marks={"block": t_block, "washout": washout})


# -------------------------------------------------------- electrogenic ----
@scenario("electrogenic", "The pump's direct electrical contribution to rest",
          "Separates the pump's two roles: its net outward current hyperpolarises the cell at once "
          "(electrogenic), while its ion transport keeps the gradients. Blocking it shows a fast "
          "depolarisation within a few membrane time constants (the electrogenic part) followed "
          "by a slow drift (the gradients running down).",
          duration=20000.0,
          options=(Param("block_at", 2000.0, "ms", 0.0, 1e8, "time the pump is blocked"),))
def _electrogenic(sc, cell, opts, duration, tol, progress):
    system = compile_cell(cell)
    s = Summary(f"{sc.name}: {sc.title}")
    _settle(system, s)
    rep = an.rest_report(system, system.y0)
    t_block = opts["block_at"]
    res = _simulate(system, Protocol([Block("pump", 1.0, t_block)]), duration=duration,
                   dt=_dt(duration, min(0.5, duration / 1000)), tol=tol, progress=progress)
    v0 = float(np.interp(t_block, res.t, res["V"]))
    t_fast = t_block + 10.0 * rep.tau_m_ms
    v_fast = float(np.interp(t_fast, res.t, res["V"]))
    s.add("resting potential", rep.V_rest, "mV", ".2f")
    s.add("pump current at rest", rep.pump_current, "uA/cm2", ".3f")
    s.add("electrogenic share (steady I-V, gradients kept)", rep.pump_mV, "mV", ".2f")
    s.add("electrogenic share (-I_pump / g_rest)", rep.pump_mV_chord, "mV", ".2f")
    if rep.note:
        s.add("note", rep.note)
    s.add(f"measured fast jump after block (10 tau_m = {10 * rep.tau_m_ms:.0f} ms)", v_fast - v0,
          "mV", "+.2f")
    late = res.t >= t_fast
    if late.sum() > 2 and res.t[-1] - t_fast > 1000.0:
        slope = np.polyfit(res.t[late] / 60000.0, res["V"][late], 1)[0]
        s.add("then slow drift (gradients running down)", slope, "mV/min", "+.2f")
    return Outcome(sc, res, s, extra={"rest": rep}, marks={"block": t_block, "fast": t_fast})


# ------------------------------------------------------------ ATP cost ----
@scenario("atp-cost", "What an action potential costs in Na+ and ATP",
          "One spike on a fine grid gives the Na+ that enters (against the capacitive minimum, "
          "Carter & Bean 2009) and its ATP price at 3 Na+ per ATP; a burst then shows the pump "
          "actually spending that ATP during recovery; the rates are scaled to a second of firing.",
          duration=300000.0,
          options=(Param("burst", 10, "1", 1, 1000, "spikes in the burst"),
                   Param("frequency", 10.0, "Hz", 0.1, 200.0, "firing rate used for per-second figures"),
                   Param("amplitude", 40.0, "uA/cm2", -1e3, 1e3, "pulse amplitude"),
                   Param("width", 1.0, "ms", 0.01, 100.0, "pulse duration")))
def _atp(sc, cell, opts, duration, tol, progress):
    system = compile_cell(cell)
    s = Summary(f"{sc.name}: {sc.title}")
    _settle(system, s)
    fine = _simulate(system, Protocol([Pulse(5.0, opts["width"], opts["amplitude"])]),
                    duration=40.0, dt=0.002, tol=tol or Tolerances(rtol=1e-7, atol_V=1e-5))
    if len(fine.spikes) != 1:
        raise ValueError(f"atp-cost: the test pulse evoked {len(fine.spikes)} spikes, not 1; "
                         "adjust scenario.amplitude or scenario.width")
    entry = an.sodium_entry_per_spike(fine, 2.0, 40.0)
    shape = an.spike_shape(fine.t, fine["V"])
    n = int(opts["burst"])
    f = opts["frequency"]
    res = _simulate(system, Protocol([PulseTrain(1000.0, n, f, opts["width"], opts["amplitude"])]),
                   duration=duration, dt=_dt(duration, 1.0), tol=tol, progress=progress)
    extra = an.pump_atp_above_baseline(res, 1000.0, res.t[-1])
    area_cm2 = cell.values["area"] * 1e-8
    pump_per_spike = extra * area_cm2 * an.AVOGADRO / max(len(res.spikes), 1)
    rep = an.rest_report(system, system.y0)
    s.add("spike peak / amplitude from rest", f"{shape.peak:.1f} / {shape.peak - fine['V'][0]:.1f} mV")
    s.add("Na+ charge entering per spike", entry.charge_nC_cm2, "nC/cm2", ".1f")
    s.add("capacitive minimum Cm x amplitude", entry.capacitive_minimum_nC_cm2, "nC/cm2", ".1f")
    s.add("Na+ entry ratio (charge / minimum)", entry.ratio, "", ".2f")
    s.add("Na+ ions per spike", entry.ions_per_cell, "per cell", ".3g")
    s.add("ATP per spike (Na+/3)", entry.atp_per_cell, "per cell", ".3g")
    owed = (res["Na_i"][-1] - res["Na_i"][0]) * cell.values["vol_i"] * 1e-15 * 1e-3 * an.AVOGADRO / 3.0
    s.add(f"ATP per spike the pump spent after a {len(res.spikes)}-spike burst", pump_per_spike,
          "per cell", ".3g")
    s.add("  ATP owed for Na+ still in excess at the end (<0: undershoot)",
          owed / max(len(res.spikes), 1), "per cell", ".3g")
    s.add("resting ATP use", rep.atp_per_cell_per_s, "per cell per s", ".3g")
    per_s = rep.atp_per_cell_per_s + f * entry.atp_per_cell
    s.add(f"ATP use firing at {f:g} Hz", per_s, "per cell per s", ".3g")
    s.add("firing / rest ATP ratio", per_s / rep.atp_per_cell_per_s, "", ".2f")
    return Outcome(sc, res, s, extra={"spike": fine}, marks={"train": (1000.0, 1000.0 + (n - 1) * 1000 / f)})


# ------------------------------------------------------------- ischemia ----
@scenario("ischemia", "Energy failure: the ATP supply stops, and returns",
          "Oxygen/glucose supply stops at t0: ATP falls and ADP rises, the free energy of ATP "
          "hydrolysis shrinks, the pump slows (the kinetic Post-Albers pump by itself, down to a "
          "stall at the thermodynamic balance where ATP no longer pays for the ions; "
          "phenomenological pumps through their ATP factor), gradients run down, the cell "
          "depolarises and swells. When the supply returns the cell recovers (30 s of ischemia), "
          "or after a longer one (60 s) stays depolarised.",
          duration=300000.0,
          options=(Param("onset", 10000.0, "ms", 0.0, 1e8, "time the supply stops"),
                   Param("length", 30000.0, "ms", 0.0, 1e8, "how long it stays off (0: for good)"),
                   Param("test_interval", 10000.0, "ms", 10.0, 1e7, "interval between test pulses"),
                   Param("test_amplitude", 40.0, "uA/cm2", -1e3, 1e3, "test pulse amplitude")),
          cell_options={"pump": "post-albers", "energy": True, "chloride": "kcc2", "volume": True})
def _ischemia(sc, cell, opts, duration, tol, progress):
    if not cell.has("energy"):
        raise ValueError("ischemia needs a cell with an energy mechanism (energy=True)")
    system = compile_cell(cell)
    s = Summary(f"{sc.name}: {sc.title}")
    _settle(system, s)
    onset, length = opts["onset"], opts["length"]
    if duration <= onset:
        raise ValueError(f"--duration = {duration:g} ms must be longer than scenario.onset = {onset:g} ms")
    back = onset + length if length > 0 else None
    events = [SetParameter(onset, "energy.supply", 0.0)]
    if back is not None:
        events.append(SetParameter(back, "energy.supply", 1.0))
    tests = np.arange(onset / 2, duration, opts["test_interval"])
    events += [Pulse(float(t), 1.0, opts["test_amplitude"]) for t in tests]
    res = _simulate(system, Protocol(events), duration=duration,
                    dt=_dt(duration, min(10.0, duration / 2000)), tol=tol, progress=progress)
    spikes = an.spike_times(res)
    fired = np.array([np.any((spikes >= t) & (spikes < t + 50.0)) for t in tests], dtype=bool)
    end = back if back is not None and back < res.t[-1] else res.t[-1]
    ischemic = (res.t >= onset) & (res.t <= end)
    i_end = min(int(np.searchsorted(res.t, end)), len(res.t) - 1)
    s.add("pump model", cell.mechanism("pump").family)
    s.add("ATP before / lowest", f"{res['ATP_i'][0]:.2f} / {res['ATP_i'][ischemic].min():.3g} mM")
    s.add("dG_ATP before / least negative",
          f"{res['dG_ATP'][0]:.1f} / {res['dG_ATP'][ischemic].max():.1f} kJ/mol")
    s.add("pump current before / lowest",
          f"{res['I_pump'][0]:.3f} / {res['I_pump'][ischemic].min():.3g} uA/cm2")
    s.add("pump ran backwards", "yes" if res["I_pump"][ischemic].min() < 0 else "no")
    s.add("V when the supply returned" if back is not None else "V at end", float(res["V"][i_end]),
          "mV", ".1f")
    s.add("Na_i / K_o then", f"{res['Na_i'][i_end]:.1f} / {res['K_o'][i_end]:.1f} mM")
    s.add("cell volume then (relative)", float(res["vol_i_rel"][i_end]), "", ".3f")
    silent = tests[(tests >= onset) & ~fired & (tests <= end)]
    s.add("first test pulse that failed", (silent[0] - onset) / 1000.0 if len(silent) else "none",
          "s after onset", ".0f")
    if back is not None and back < res.t[-1]:
        s.add("V at end", float(res["V"][-1]), "mV", ".1f")
        s.add("ATP at end", float(res["ATP_i"][-1]), "mM", ".2f")
        s.add("volume at end (relative)", float(res["vol_i_rel"][-1]), "", ".3f")
        late = tests > back + 0.5 * (res.t[-1] - back)
        recovered = res["V"][-1] < -60.0 and fired[late].all() if late.any() else res["V"][-1] < -60.0
        s.add("recovered", "yes" if recovered else "no (stays depolarised)")
    return Outcome(sc, res, s, marks={"ischemia": (onset, end)})


# ------------------------------------------------------------- swelling ----
@scenario("swelling", "Without the pump a cell cannot keep its volume",
          "The pump-leak mechanism: impermeant anions inside draw cations, Cl- and water in, and only "
          "the pump's steady extrusion of Na+ holds the volume. Block the pump and the cell swells "
          "toward Donnan equilibrium (every ion at its Nernst potential, osmolarities equal); "
          "restore it and the volume recovers. The Na+ channels are blocked (TTX) by default, as in "
          "the classic pump-leak cell; with scenario.ttx=0 the excitable cell can instead stay "
          "trapped in a depolarised, swollen state.",
          duration=3600000.0,
          options=(Param("block_at", 5000.0, "ms", 0.0, 1e8, "time the pump is blocked"),
                   Param("restore_at", 1805000.0, "ms", 0.0, 1e8, "time it is restored (0: never)"),
                   Param("ttx", 1.0, "1", 0.0, 1.0, "fraction of Na+ channels blocked")),
          cell_options={"chloride": "kcc2", "volume": True})
def _swelling(sc, cell, opts, duration, tol, progress):
    if not any(m.kind == "water" for m in cell.mechanisms):
        raise ValueError("swelling needs a cell with osmotic water flow (volume=True)")
    if cell.has("nat"):
        cell = cell.with_params({"nat.block": opts["ttx"]})
    system = compile_cell(cell)
    s = Summary(f"{sc.name}: {sc.title}")
    _settle(system, s)
    t_block, t_back = opts["block_at"], opts["restore_at"]
    if duration <= t_block:
        raise ValueError(f"--duration = {duration:g} ms must be longer than scenario.block_at = "
                         f"{t_block:g} ms")
    events = [Block("pump", 1.0, t_block)]
    if t_back > 0:
        if t_back <= t_block:
            raise ValueError(f"scenario.restore_at = {t_back:g} ms must be after scenario.block_at "
                             f"= {t_block:g} ms (or 0 for never)")
        events.append(Block("pump", 0.0, t_back))
    res = _simulate(system, Protocol(events), duration=duration,
                    dt=_dt(duration, min(1000.0, duration / 1000)), tol=tol, progress=progress)
    end = t_back if 0 < t_back < res.t[-1] else res.t[-1]
    i_end = min(int(np.searchsorted(res.t, end)), len(res.t) - 1)
    v = res["V"][i_end]
    s.add("volume before", float(res["vol_i_rel"][0]), "", ".3f")
    s.add("volume when the pump returns" if 0 < t_back < res.t[-1] else "volume at end",
          float(res["vol_i_rel"][i_end]), "(relative)", ".3f")
    s.add("V then", float(v), "mV", ".1f")
    gaps = [abs(float(res[f"E_{ion}"][i_end]) - v) for ion in ("Na", "K", "Cl")]
    s.add("largest |E_X - V| then (0 at Donnan)", max(gaps), "mV", ".2f")
    osm_i = sum(res[f"{ion}_i"][i_end] for ion in ("Na", "K", "Cl"))
    s.add("extracellular volume then (relative)", float(res["vol_o"][i_end] / res["vol_o"][0])
          if "vol_o" in res else "bath", "", ".3f")
    s.add("Na_i / Cl_i then", f"{res['Na_i'][i_end]:.1f} / {res['Cl_i'][i_end]:.1f} mM "
          f"(permeant solutes inside {osm_i:.0f} mM)")
    if 0 < t_back < res.t[-1]:
        s.add("volume at end", float(res["vol_i_rel"][-1]), "(relative)", ".3f")
        s.add("V at end", float(res["V"][-1]), "mV", ".1f")
    return Outcome(sc, res, s, marks={"block": (t_block, end)})
