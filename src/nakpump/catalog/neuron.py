"""The default neuron's experiments: rest, a spike train, ouabain, the
pump's electrogenic share, the ATP cost of a spike, ischemia and swelling.

Each runs the default neuron (``catalog.cells.default_cell``, with the
options the scenario names) or a cell you pass, reports its measures and
draws a figure.
"""

from __future__ import annotations

import numpy as np

from ..compile.system import compile_cell
from ..mechanisms.base import Param
from ..model.protocol import Block, Protocol, Pulse, PulseTrain, SetParameter
from ..results import analysis as an
from ..solve.rest import rest_report
from ..solve.simulate import Tolerances
from .cells import default_cell
from .scenario import Outcome, Summary, output_dt, scenario, settle, simulate

__all__: list[str] = []


def _start(sc, cell):
    system = compile_cell(cell)
    s = Summary(f"{sc.name}: {sc.title}")
    return system, s, settle(system, s)


# --------------------------------------------------------------- rest -----
@scenario("rest", "The resting state and what sets it",
          "No stimulus. Reports Nernst and GHK potentials, the conductances at rest, the pump "
          "current, the pump's electrogenic share of V_rest, ATP use and the drift over the run.",
          duration=2000.0, factory=default_cell)
def _rest(sc, cell, opts, duration, tol, progress):
    system, s, y0 = _start(sc, cell)
    res = simulate(system, Protocol(), duration=duration, dt=output_dt(duration, min(1.0, duration / 100)),
                   tol=tol, progress=progress, y0=y0)
    rep = rest_report(system, y0)
    s.add("V_rest", "resting potential", rep.V_rest, "mV", ".2f")
    for ion, e in rep.nernst.items():
        s.add(f"E_{ion}", f"E_{ion}", e, "mV", ".1f")
    pk = rep.ghk_permeability["K"]
    for ion in ("Na", "Cl"):
        s.add(f"P_{ion}_per_P_K", f"GHK permeability ratio P_{ion}:P_K", rep.ghk_permeability[ion] / pk, "",
              ".3g")
    s.add("V_ghk", "GHK voltage with them (no pump)", rep.V_ghk, "mV", ".1f")
    s.add("V_weighted", "conductance-weighted E (no pump)", rep.V_weighted, "mV", ".1f")
    s.add("I_pump", "pump current at rest", rep.pump_current, "uA/cm2", ".3f")
    s.add("pump_mV", "pump's electrogenic share of V_rest", rep.pump_mV, "mV", ".2f")
    if rep.note:
        s.note(rep.note)
    s.add("atp_per_s", "ATP used by the pump", rep.atp_per_cell_per_s, "molecules/s per cell", ".3g")
    s.add("R_in", "input resistance", rep.input_resistance_MOhm, "MOhm", ".0f")
    s.add("tau_m", "membrane time constant", rep.tau_m_ms, "ms", ".2f")
    s.add("V_drift", "largest drift of V over the run", float(np.max(np.abs(res["V"] - res["V"][0]))),
          "mV", ".2g")
    return Outcome(sc, res, s, extra={"rest": rep})


# -------------------------------------------------------- spike train -----
@scenario("spike-train", "A train of action potentials and recovery by the pump",
          "Current pulses evoke a train of spikes; Na_i and K_o drift up, the pump speeds up and "
          "restores them over seconds. Reports spikes, the drift, the recovery time constant of "
          "Na_i and the extra ATP the pump spends per spike.",
          duration=60000.0, factory=default_cell,
          options=(Param("start", 1000.0, "ms", 0.0, 1e7, "time of the first pulse"),
                   Param("number", 100, "1", 1, 1e5, "number of pulses"),
                   Param("frequency", 10.0, "Hz", 0.01, 500.0, "pulse frequency"),
                   Param("amplitude", 40.0, "uA/cm2", -1e3, 1e3, "pulse amplitude (into the cell)"),
                   Param("width", 1.0, "ms", 0.01, 100.0, "pulse duration")))
def _train(sc, cell, opts, duration, tol, progress):
    system, s, y0 = _start(sc, cell)
    n = int(opts["number"])
    train = PulseTrain(opts["start"], n, opts["frequency"], opts["width"], opts["amplitude"])
    t_end = opts["start"] + (n - 1) * 1000.0 / opts["frequency"] + opts["width"]
    dt = output_dt(duration, 1.0 if duration > 5000 else 0.05)
    res = simulate(system, Protocol([train]), duration=duration, dt=dt, tol=tol, progress=progress, y0=y0)
    spikes = an.spike_times(res)
    delivered = sum(1 for t0, _, _ in train.intervals() if t0 < duration)
    s.add("pulses", "pulses delivered", delivered, "", "d")
    s.add("spikes", "spikes", len(spikes), "", "d")
    if t_end + 100.0 > duration:
        s.note("the run ends before the train does; lengthen --duration for the recovery")
        return Outcome(sc, res, s, marks={"train": (opts["start"], min(t_end, duration))})
    i_end = int(np.searchsorted(res.t, t_end))
    for q in ("Na_i", "K_o", "K_i"):
        peak = res[q][i_end:] if i_end < len(res.t) else res[q][-1:]
        change = (peak.max() if q != "K_i" else peak.min()) - res[q][0]
        s.add(f"d{q}", f"{q} change at end of train", float(change), "mM", "+.3f")
    s.add("V_after", "V 100 ms after the train", float(np.interp(t_end + 100.0, res.t, res["V"])), "mV",
          ".2f")
    s.add("I_pump_rest", "pump current at rest", float(res["I_pump"][0]), "uA/cm2", ".3f")
    s.add("I_pump_peak", "pump current at its peak", float(res["I_pump"].max()), "uA/cm2", ".3f")
    if t_end < res.t[-1] - 1000.0:
        try:
            tau, _, _ = an.recovery_tau(res, t_end + 200.0)
            s.add("na_tau", "recovery time constant of Na_i", tau / 1000.0, "s", ".2f")
        except ValueError as err:
            s.add("na_tau", "recovery time constant of Na_i", None)
            s.note(f"no recovery time constant: {err}")
        s.add("Na_i_end", "Na_i at end of run", float(res["Na_i"][-1]), "mM", ".3f")
    if len(spikes):
        extra = an.pump_atp_above_baseline(res, opts["start"], res.t[-1])
        per_cell = extra * res.meta["area_um2"] * 1e-8 * an.AVOGADRO / len(spikes)
        s.add("atp_per_spike", "extra ATP the pump spent per spike within the run", per_cell,
              "molecules per cell", ".3g")
    s.add("wall_s", "solver wall time", res.meta["wall_time_s"], "s", ".3f")
    first = simulate(system, Protocol([Pulse(2.0, opts["width"], opts["amplitude"])]), duration=25.0,
                     dt=0.01, tol=tol, y0=y0)
    return Outcome(sc, res, s, extra={"spike": first}, marks={"train": (opts["start"], t_end)})


# ---------------------------------------------------------- pump block ----
@scenario("pump-block", "Ouabain: block the pump and watch the gradients run down",
          "At t0 the pump is blocked (fully by default). A test pulse every few seconds probes "
          "excitability. Na_i rises, K_i falls, K_o accumulates, the cell depolarises and stops "
          "firing. Optionally the blocker is washed out and the cell recovers.",
          duration=300000.0, factory=default_cell,
          options=(Param("block_at", 5000.0, "ms", 0.0, 1e8, "time the blocker arrives"),
                   Param("fraction", 1.0, "1", 0.0, 1.0, "fraction of pumps blocked"),
                   Param("washout_at", 0.0, "ms", 0.0, 1e8, "time of washout (0: never)"),
                   Param("test_interval", 5000.0, "ms", 10.0, 1e7, "interval between test pulses"),
                   Param("test_amplitude", 40.0, "uA/cm2", -1e3, 1e3, "test pulse amplitude"),
                   Param("test_width", 1.0, "ms", 0.01, 100.0, "test pulse duration")))
def _block(sc, cell, opts, duration, tol, progress):
    system, s, y0 = _start(sc, cell)
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
    res = simulate(system, Protocol(events), duration=duration,
                   dt=output_dt(duration, min(10.0, duration / 2000)), tol=tol, progress=progress, y0=y0)
    spikes = an.spike_times(res)
    fired = np.array([np.any((spikes >= t) & (spikes < t + 50.0)) for t in tests], dtype=bool)
    s.add("fraction", "blocked fraction", opts["fraction"], "", ".2f")
    s.add("V_before", "V before block", float(np.interp(t_block, res.t, res["V"])), "mV", ".2f")
    end = washout if washout > 0 else res.t[-1]
    i_end = min(int(np.searchsorted(res.t, end)), len(res.t) - 1)
    when = "washout" if washout > 0 else "end"
    for q in ("V", "Na_i", "K_i", "K_o", "Cl_i"):
        s.add(f"{q}_{when}", f"{q} at {when}", float(res[q][i_end]), "mV" if q == "V" else "mM", ".2f")
    after = res.t >= t_block
    v0 = float(np.interp(t_block, res.t, res["V"]))
    dep = res.t[after & (res["V"] > v0 + 10.0)]
    s.add("t_depolarised", "time to depolarise by 10 mV", (dep[0] - t_block) / 1000.0 if len(dep) else None,
          "s", ".1f")
    blocked = (tests >= t_block) & ((tests < washout) if washout > 0 else True)
    failing = tests[blocked & ~fired]
    s.add("t_first_failure", "first test pulse that failed to fire (after the block)",
          (failing[0] - t_block) / 1000.0 if len(failing) else None, "s", ".1f")
    s.add("tests_answered", "test pulses answered while blocked", int(fired[blocked].sum()), "", "d")
    s.add("tests_blocked", "test pulses while blocked", int(blocked.sum()), "", "d")
    if washout > 0:
        s.add("V_end", "V at end (after washout)", float(res["V"][-1]), "mV", ".2f")
        s.add("Na_i_end", "Na_i at end (after washout)", float(res["Na_i"][-1]), "mM", ".2f")
        late = tests > washout
        s.add("tests_answered_after", "test pulses answered after washout", int(fired[late].sum()), "", "d")
        s.add("tests_after", "test pulses after washout", int(late.sum()), "", "d")
    return Outcome(sc, res, s, marks={"block": t_block, "washout": washout})


# -------------------------------------------------------- electrogenic ----
@scenario("electrogenic", "The pump's direct electrical contribution to rest",
          "Separates the pump's two roles: its net outward current hyperpolarises the cell at once "
          "(electrogenic), while its ion transport keeps the gradients. Blocking it shows a fast "
          "depolarisation within a few membrane time constants (the electrogenic part) followed "
          "by a slow drift (the gradients running down).",
          duration=20000.0, factory=default_cell,
          options=(Param("block_at", 2000.0, "ms", 0.0, 1e8, "time the pump is blocked"),))
def _electrogenic(sc, cell, opts, duration, tol, progress):
    system, s, y0 = _start(sc, cell)
    rep = rest_report(system, y0)
    t_block = opts["block_at"]
    res = simulate(system, Protocol([Block("pump", 1.0, t_block)]), duration=duration,
                   dt=output_dt(duration, min(0.5, duration / 1000)), tol=tol, progress=progress, y0=y0)
    v0 = float(np.interp(t_block, res.t, res["V"]))
    t_fast = t_block + 10.0 * rep.tau_m_ms
    v_fast = float(np.interp(t_fast, res.t, res["V"]))
    s.add("V_rest", "resting potential", rep.V_rest, "mV", ".2f")
    s.add("I_pump", "pump current at rest", rep.pump_current, "uA/cm2", ".3f")
    s.add("pump_mV", "electrogenic share (steady I-V, gradients kept)", rep.pump_mV, "mV", ".2f")
    s.add("pump_mV_chord", "electrogenic share (-I_pump / g_rest)", rep.pump_mV_chord, "mV", ".2f")
    if rep.note:
        s.note(rep.note)
    s.add("jump", f"measured fast jump after block (10 tau_m = {10 * rep.tau_m_ms:.0f} ms)", v_fast - v0,
          "mV", "+.2f")
    late = res.t >= t_fast
    if late.sum() > 2 and res.t[-1] - t_fast > 1000.0:
        slope = np.polyfit(res.t[late] / 60000.0, res["V"][late], 1)[0]
        s.add("drift", "then slow drift (gradients running down)", slope, "mV/min", "+.2f")
    return Outcome(sc, res, s, extra={"rest": rep}, marks={"block": t_block, "fast": t_fast})


# ------------------------------------------------------------ ATP cost ----
@scenario("atp-cost", "What an action potential costs in Na+ and ATP",
          "One spike on a fine grid gives the Na+ that enters (against the capacitive minimum, "
          "Carter & Bean 2009) and its ATP price at 3 Na+ per ATP; a burst then shows the pump "
          "actually spending that ATP during recovery; the rates are scaled to a second of firing.",
          duration=300000.0, factory=default_cell,
          options=(Param("burst", 10, "1", 1, 1000, "spikes in the burst"),
                   Param("frequency", 10.0, "Hz", 0.1, 200.0, "firing rate used for per-second figures"),
                   Param("amplitude", 40.0, "uA/cm2", -1e3, 1e3, "pulse amplitude"),
                   Param("width", 1.0, "ms", 0.01, 100.0, "pulse duration")))
def _atp(sc, cell, opts, duration, tol, progress):
    system, s, y0 = _start(sc, cell)
    fine = simulate(system, Protocol([Pulse(5.0, opts["width"], opts["amplitude"])]),
                    duration=40.0, dt=0.002, tol=tol or Tolerances(rtol=1e-7, atol_V=1e-5), y0=y0)
    if len(fine.spikes) != 1:
        raise ValueError(f"atp-cost: the test pulse evoked {len(fine.spikes)} spikes, not 1; "
                         "adjust scenario.amplitude or scenario.width")
    entry = an.sodium_entry_per_spike(fine, 2.0, 40.0)
    shape = an.spike_shape(fine.t, fine["V"])
    n = int(opts["burst"])
    f = opts["frequency"]
    res = simulate(system, Protocol([PulseTrain(1000.0, n, f, opts["width"], opts["amplitude"])]),
                   duration=duration, dt=output_dt(duration, 1.0), tol=tol, progress=progress, y0=y0)
    extra = an.pump_atp_above_baseline(res, 1000.0, res.t[-1])
    area_cm2 = res.meta["area_um2"] * 1e-8
    pump_per_spike = extra * area_cm2 * an.AVOGADRO / max(len(res.spikes), 1)
    rep = rest_report(system, y0)
    s.add("peak", "spike peak", shape.peak, "mV", ".1f")
    s.add("amplitude", "spike amplitude from rest", shape.peak - fine["V"][0], "mV", ".1f")
    s.add("na_charge", "Na+ charge entering per spike", entry.charge_nC_cm2, "nC/cm2", ".1f")
    s.add("capacitive_minimum", "capacitive minimum Cm x amplitude", entry.capacitive_minimum_nC_cm2,
          "nC/cm2", ".1f")
    s.add("na_ratio", "Na+ entry ratio (charge / minimum)", entry.ratio, "", ".2f")
    s.add("na_ions", "Na+ ions per spike", entry.ions_per_cell, "per cell", ".3g")
    s.add("atp_per_spike", "ATP per spike (Na+/3)", entry.atp_per_cell, "per cell", ".3g")
    owed = (res["Na_i"][-1] - res["Na_i"][0]) * res.meta["vol_i_um3"] * 1e-15 * 1e-3 * an.AVOGADRO / 3.0
    s.add("pump_atp_per_spike", f"ATP per spike the pump spent after a {len(res.spikes)}-spike burst",
          pump_per_spike, "per cell", ".3g")
    s.add("atp_owed_per_spike", "  ATP owed for Na+ still in excess at the end (<0: undershoot)",
          owed / max(len(res.spikes), 1), "per cell", ".3g")
    s.add("atp_rest_per_s", "resting ATP use", rep.atp_per_cell_per_s, "per cell per s", ".3g")
    per_s = rep.atp_per_cell_per_s + f * entry.atp_per_cell
    s.add("atp_firing_per_s", f"ATP use firing at {f:g} Hz", per_s, "per cell per s", ".3g")
    s.add("firing_rest_ratio", "firing / rest ATP ratio", per_s / rep.atp_per_cell_per_s, "", ".2f")
    return Outcome(sc, res, s, extra={"spike": fine}, marks={"train": (1000.0, 1000.0 + (n - 1) * 1000 / f)})


# ------------------------------------------------------------- ischemia ----
@scenario("ischemia", "Energy failure: the ATP supply stops, and returns",
          "Oxygen/glucose supply stops at t0: ATP falls and ADP rises, the free energy of ATP "
          "hydrolysis shrinks, the pump slows (the kinetic Post-Albers pump by itself, down to a "
          "stall at the thermodynamic balance where ATP no longer pays for the ions; "
          "phenomenological pumps through their ATP factor), gradients run down, the cell "
          "depolarises and swells. When the supply returns the cell recovers (30 s of ischemia), "
          "or after a longer one (60 s) stays depolarised.",
          duration=300000.0, factory=default_cell,
          options=(Param("onset", 10000.0, "ms", 0.0, 1e8, "time the supply stops"),
                   Param("length", 30000.0, "ms", 0.0, 1e8, "how long it stays off (0: for good)"),
                   Param("test_interval", 10000.0, "ms", 10.0, 1e7, "interval between test pulses"),
                   Param("test_amplitude", 40.0, "uA/cm2", -1e3, 1e3, "test pulse amplitude")),
          cell_options={"pump": "post-albers", "energy": True, "chloride": "kcc2", "volume": True})
def _ischemia(sc, cell, opts, duration, tol, progress):
    if not cell.has("energy"):
        raise ValueError("ischemia needs a cell with an energy mechanism (energy=True)")
    onset, length = opts["onset"], opts["length"]
    if duration <= onset:
        raise ValueError(f"--duration = {duration:g} ms must be longer than scenario.onset = {onset:g} ms")
    system, s, y0 = _start(sc, cell)
    back = onset + length if length > 0 else None
    events = [SetParameter(onset, "energy.supply", 0.0)]
    if back is not None:
        events.append(SetParameter(back, "energy.supply", 1.0))
    tests = np.arange(onset / 2, duration, opts["test_interval"])
    events += [Pulse(float(t), 1.0, opts["test_amplitude"]) for t in tests]
    res = simulate(system, Protocol(events), duration=duration,
                   dt=output_dt(duration, min(10.0, duration / 2000)), tol=tol, progress=progress, y0=y0)
    spikes = an.spike_times(res)
    fired = np.array([np.any((spikes >= t) & (spikes < t + 50.0)) for t in tests], dtype=bool)
    end = back if back is not None and back < res.t[-1] else res.t[-1]
    ischemic = (res.t >= onset) & (res.t <= end)
    i_end = min(int(np.searchsorted(res.t, end)), len(res.t) - 1)
    s.add("pump_model", "pump model", cell.mechanism("pump").family)
    s.add("ATP_before", "ATP before", float(res["ATP_i"][0]), "mM", ".2f")
    s.add("ATP_lowest", "ATP lowest", float(res["ATP_i"][ischemic].min()), "mM", ".3g")
    s.add("dG_before", "dG_ATP before", float(res["dG_ATP"][0]), "kJ/mol", ".1f")
    s.add("dG_least", "dG_ATP least negative", float(res["dG_ATP"][ischemic].max()), "kJ/mol", ".1f")
    s.add("I_pump_before", "pump current before", float(res["I_pump"][0]), "uA/cm2", ".3f")
    s.add("I_pump_lowest", "pump current lowest", float(res["I_pump"][ischemic].min()), "uA/cm2", ".3g")
    s.add("reversed", "pump ran backwards", bool(res["I_pump"][ischemic].min() < 0))
    s.add("V_back" if back is not None else "V_end", "V when the supply returned" if back is not None
          else "V at end", float(res["V"][i_end]), "mV", ".1f")
    s.add("Na_i_then", "Na_i then", float(res["Na_i"][i_end]), "mM", ".1f")
    s.add("K_o_then", "K_o then", float(res["K_o"][i_end]), "mM", ".1f")
    s.add("volume_then", "cell volume then (relative)", float(res["vol_i_rel"][i_end]), "", ".3f")
    silent = tests[(tests >= onset) & ~fired & (tests <= end)]
    s.add("t_first_failure", "first test pulse that failed (after onset)",
          (silent[0] - onset) / 1000.0 if len(silent) else None, "s", ".0f")
    if back is not None and back < res.t[-1]:
        s.add("V_end", "V at end", float(res["V"][-1]), "mV", ".1f")
        s.add("ATP_end", "ATP at end", float(res["ATP_i"][-1]), "mM", ".2f")
        s.add("volume_end", "volume at end (relative)", float(res["vol_i_rel"][-1]), "", ".3f")
        late = tests > back + 0.5 * (res.t[-1] - back)
        recovered = res["V"][-1] < -60.0 and fired[late].all() if late.any() else res["V"][-1] < -60.0
        s.add("recovered", "recovered", bool(recovered))
    return Outcome(sc, res, s, marks={"ischemia": (onset, end)})


# ------------------------------------------------------------- swelling ----
@scenario("swelling", "Without the pump a cell cannot keep its volume",
          "The pump-leak mechanism: impermeant anions inside draw cations, Cl- and water in, and only "
          "the pump's steady extrusion of Na+ holds the volume. Block the pump and the cell swells "
          "toward Donnan equilibrium (every ion at its Nernst potential, osmolarities equal); "
          "restore it and the volume recovers. The Na+ channels are blocked (TTX) by default, as in "
          "the classic pump-leak cell; with scenario.ttx=0 the excitable cell can instead stay "
          "trapped in a depolarised, swollen state.",
          duration=3600000.0, factory=default_cell,
          options=(Param("block_at", 5000.0, "ms", 0.0, 1e8, "time the pump is blocked"),
                   Param("restore_at", 1805000.0, "ms", 0.0, 1e8, "time it is restored (0: never)"),
                   Param("ttx", 1.0, "1", 0.0, 1.0, "fraction of Na+ channels blocked")),
          cell_options={"chloride": "kcc2", "volume": True})
def _swelling(sc, cell, opts, duration, tol, progress):
    if not any(q.kind == "volume" for m in cell.mechanisms for q in m.provides):
        raise ValueError("swelling needs a cell with osmotic water flow (volume=True)")
    if cell.has("nat"):
        cell = cell.with_params({"nat.block": opts["ttx"]})
    t_block, t_back = opts["block_at"], opts["restore_at"]
    if duration <= t_block:
        raise ValueError(f"--duration = {duration:g} ms must be longer than scenario.block_at = "
                         f"{t_block:g} ms")
    system, s, y0 = _start(sc, cell)
    events = [Block("pump", 1.0, t_block)]
    if t_back > 0:
        if t_back <= t_block:
            raise ValueError(f"scenario.restore_at = {t_back:g} ms must be after scenario.block_at "
                             f"= {t_block:g} ms (or 0 for never)")
        events.append(Block("pump", 0.0, t_back))
    res = simulate(system, Protocol(events), duration=duration,
                   dt=output_dt(duration, min(1000.0, duration / 1000)), tol=tol, progress=progress, y0=y0)
    restored = 0 < t_back < res.t[-1]
    end = t_back if restored else res.t[-1]
    i_end = min(int(np.searchsorted(res.t, end)), len(res.t) - 1)
    v = res["V"][i_end]
    s.add("volume_before", "volume before", float(res["vol_i_rel"][0]), "", ".3f")
    s.add("volume_then", "volume when the pump returns" if restored else "volume at end",
          float(res["vol_i_rel"][i_end]), "(relative)", ".3f")
    s.add("V_then", "V then", float(v), "mV", ".1f")
    gaps = [abs(float(res[f"E_{ion}"][i_end]) - v) for ion in ("Na", "K", "Cl")]
    s.add("donnan_gap", "largest |E_X - V| then (0 at Donnan)", max(gaps), "mV", ".2f")
    if "vol_o" in res:
        s.add("volume_o_then", "extracellular volume then (relative)",
              float(res["vol_o"][i_end] / res["vol_o"][0]), "", ".3f")
    s.add("Na_i_then", "Na_i then", float(res["Na_i"][i_end]), "mM", ".1f")
    s.add("Cl_i_then", "Cl_i then", float(res["Cl_i"][i_end]), "mM", ".1f")
    osm_i = sum(res[f"{ion}_i"][i_end] for ion in ("Na", "K", "Cl"))
    s.add("permeant_inside", "permeant solutes inside then", float(osm_i), "mM", ".0f")
    if restored:
        s.add("volume_end", "volume at end", float(res["vol_i_rel"][-1]), "(relative)", ".3f")
        s.add("V_end", "V at end", float(res["V"][-1]), "mV", ".1f")
    return Outcome(sc, res, s, marks={"block": (t_block, end)})
