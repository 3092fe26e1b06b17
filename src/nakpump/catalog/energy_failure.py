"""The default neuron without its pump: ouabain (``pump-block``), energy
failure (``ischemia``) and the pump-leak volume balance (``swelling``).

Each runs on any cell of ``catalog.cells.CELLS`` (the neuron in tissue by
default).  What sets each time course is said in the scenario's description
and in its summary's notes.
"""

from __future__ import annotations

import numpy as np

from ..mechanisms.base import Param
from ..model.protocol import Protocol, Pulse
from ..results import analysis as an
from .interventions import block_pumps, energy_events, na_channel_names, pump_names, sustained
from .neuron import start
from .scenario import Outcome, output_dt, scenario, simulate

__all__: list[str] = []


def _tests(cell, opts, t0: float, t1: float) -> tuple[np.ndarray, list]:
    amplitude = opts["test_amplitude"] or cell.test_pulse[0]
    width = cell.test_pulse[1] if opts["test_amplitude"] == 0 else opts["test_width"]
    tests = np.arange(t0, t1, opts["test_interval"])
    return tests, [Pulse(float(t), width, amplitude) for t in tests]


def _answered(res, tests: np.ndarray) -> np.ndarray:
    spikes = an.spike_times(res)
    return np.array([np.any((spikes >= t) & (spikes < t + 50.0)) for t in tests], dtype=bool)


def _first_above(res, t0: float, level: float) -> float | None:
    """Seconds after ``t0`` when the spike-filtered V first exceeds ``level`` mV."""
    v = sustained(res.t, res["V"])
    hit = res.t[(res.t >= t0) & (v > level)]
    return (hit[0] - t0) / 1000.0 if len(hit) else None


TEST_OPTIONS = (Param("test_interval", 5000.0, "ms", 10.0, 1e7, "interval between test pulses"),
                Param("test_amplitude", 0.0, "uA/cm2", -1e3, 1e3,
                      "test pulse amplitude (0: the cell's own test pulse)"),
                Param("test_width", 1.0, "ms", 0.01, 100.0, "test pulse duration (with an amplitude given)"))


# ---------------------------------------------------------- pump block ----
@scenario("pump-block", "Ouabain: block the pumps and watch the gradients run down",
          "At t0 every Na+/K+ pump (the neuron's and the astrocyte's) is blocked, fully by default. A "
          "test pulse every few seconds probes excitability. Na_i rises, K_i falls, K_o accumulates, "
          "the cell depolarises and stops firing. The clock is set by the Na+ leak against the cell's "
          "Na+ content, and in tissue by how fast the bath and the astrocyte's Kir4.1 and NKCC1 "
          "clear the K+ the neuron loses. Optionally the blocker is washed out.",
          duration=300000.0,
          options=(Param("block_at", 5000.0, "ms", 0.0, 1e8, "time the blocker arrives"),
                   Param("fraction", 1.0, "1", 0.0, 1.0, "fraction of pumps blocked"),
                   Param("washout_at", 0.0, "ms", 0.0, 1e8, "time of washout (0: never)")) + TEST_OPTIONS)
def _block(sc, cell, opts, duration, tol, progress):
    system, s, y0 = start(sc, cell)
    t_block = opts["block_at"]
    events = block_pumps(cell, opts["fraction"], t_block)
    washout = opts["washout_at"]
    if washout > 0:
        if washout <= t_block:
            raise ValueError(f"scenario.washout_at = {washout:g} ms must be after scenario.block_at "
                             f"= {t_block:g} ms (or 0 for no washout)")
        events += block_pumps(cell, 0.0, washout)
    tests, pulses = _tests(cell, opts, min(t_block * 0.5, 2000.0), duration)
    res = simulate(system, Protocol(events + pulses), duration=duration,
                   dt=output_dt(duration, min(10.0, duration / 2000)), tol=tol, progress=progress, y0=y0)
    fired = _answered(res, tests)
    s.add("fraction", "blocked fraction", opts["fraction"], "", ".2f")
    s.add("pumps", "pumps blocked", ", ".join(pump_names(cell)))
    v0 = float(np.interp(t_block, res.t, res["V"]))
    s.add("V_before", "V before block", v0, "mV", ".2f")
    end = washout if washout > 0 else res.t[-1]
    i_end = min(int(np.searchsorted(res.t, end)), len(res.t) - 1)
    when = "washout" if washout > 0 else "end"
    for q in ("V", "Na_i", "K_i", "K_o", "Cl_i"):
        s.add(f"{q}_{when}", f"{q} at {when}", float(res[q][i_end]), "mV" if q == "V" else "mM", ".2f")
    s.add("t_depolarised", "time to a sustained 10 mV depolarisation (spike-filtered V)",
          _first_above(res, t_block, v0 + 10.0), "s", ".1f")
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
    return Outcome(sc, res, s, extra={"tests": tests, "answered": fired},
                   marks={"block": t_block, "washout": washout})


# ------------------------------------------------------------- ischemia ----
@scenario("ischemia", "Energy failure: the supply stops, and returns",
          "At t0 the oxygen supply stops (in tissue: the O2 store empties with a 10 s time constant and "
          "oxidative phosphorylation stops; the blood flow, and so the bath exchange, stops too unless "
          "scenario.flow=1, anoxia). Phosphocreatine holds ATP first, glycolysis helps, then ATP falls, "
          "K_ATP channels open (the early hyperpolarisation), the pumps slow, K_o rises and the cell "
          "depolarises (the anoxic depolarisation) and swells. When the supply returns the cell "
          "recovers from a brief depolarisation.",
          duration=400000.0,
          options=(Param("onset", 10000.0, "ms", 0.0, 1e8, "time the supply stops"),
                   Param("length", 120000.0, "ms", 0.0, 1e8, "how long it stays off (0: for good)"),
                   Param("flow", 0.0, "1", 0.0, 1.0,
                         "0: the blood flow stops too (ischemia); 1: it continues (anoxia, as under N2)"))
          + TEST_OPTIONS[1:] + (Param("test_interval", 10000.0, "ms", 10.0, 1e7,
                                      "interval between test pulses"),),
          cells={"tissue": {},
                 "pump-leak": {"pump": "post-albers", "energy": True, "chloride": "kcc2", "volume": True}})
def _ischemia(sc, cell, opts, duration, tol, progress):
    onset, length = opts["onset"], opts["length"]
    if duration <= onset:
        raise ValueError(f"--duration = {duration:g} ms must be longer than scenario.onset = {onset:g} ms")
    back = onset + length if length > 0 else None
    events = energy_events(cell, onset, back, flow=opts["flow"] == 0.0)
    if opts["flow"] == 0.0:
        s_flow = "blood flow stopped with the oxygen (ischemia)"
    else:
        s_flow = "blood flow continued (anoxia)"
    system, s, y0 = start(sc, cell)
    s.note(s_flow)
    tests, pulses = _tests(cell, opts, onset / 2, duration)
    res = simulate(system, Protocol(events + pulses), duration=duration,
                   dt=output_dt(duration, min(10.0, duration / 2000)), tol=tol, progress=progress, y0=y0)
    fired = _answered(res, tests)
    end = back if back is not None and back < res.t[-1] else res.t[-1]
    ischemic = (res.t >= onset) & (res.t <= end)
    i_end = min(int(np.searchsorted(res.t, end)), len(res.t) - 1)
    atp, t = res["ATP_i"], res.t
    atp0 = float(np.interp(onset, t, atp))
    s.add("pump_model", "pump model", ", ".join(sorted({cell.mechanism(n).family for n in pump_names(cell)})))
    s.add("ATP_before", "ATP before", atp0, "mM", ".2f")
    for key, label, frac in (("t_atp_flat", "ATP within 5 % of its start for (rat under N2: about 20 s)",
                              0.95),
                             ("t_atp_half", "ATP halved at (rat under N2: about 65 s)", 0.5)):
        below = t[ischemic & (atp < frac * atp0)]
        s.add(key, label, (below[0] - onset) / 1000.0 if len(below) else None, "s", ".0f")
    if "PCr_i" in res:
        low = t[ischemic & (res["PCr_i"] < 0.5 * res["PCr_i"][0])]
        s.add("t_pcr_half", "phosphocreatine halved at", (low[0] - onset) / 1000.0 if len(low) else None,
              "s", ".0f")
    s.add("ATP_lowest", "ATP lowest", float(atp[ischemic].min()), "mM", ".3g")
    s.add("dG_before", "dG_ATP before", float(res["dG_ATP"][0]), "kJ/mol", ".1f")
    s.add("dG_least", "dG_ATP least negative", float(res["dG_ATP"][ischemic].max()), "kJ/mol", ".1f")
    v0 = float(np.interp(onset, t, res["V"]))
    vs = sustained(t, res["V"])
    ad = _first_above(res, onset, -40.0)
    before_ad = ischemic & ((t < onset + ad * 1000.0) if ad is not None else True)
    s.add("hyperpolarisation", "early hyperpolarisation (lowest spike-filtered V - V before)",
          float(vs[before_ad].min() - v0), "mV", "+.2f")
    s.add("t_anoxic_depolarisation", "anoxic depolarisation (V above -40 mV) after onset (1-5 min)", ad,
          "s", ".0f")
    i_pump = an.pump_current(res)
    s.add("I_pump_before", "pump current before", float(i_pump[0]), "uA/cm2", ".3f")
    s.add("I_pump_lowest", "pump current lowest", float(i_pump[ischemic].min()), "uA/cm2", ".3g")
    s.add("reversed", "pump ran backwards", bool(i_pump[ischemic].min() < 0))
    s.add("V_back" if back is not None else "V_end", "V when the supply returned" if back is not None
          else "V at end", float(res["V"][i_end]), "mV", ".1f")
    s.add("Na_i_then", "Na_i then", float(res["Na_i"][i_end]), "mM", ".1f")
    s.add("K_o_peak", "K_o highest", float(res["K_o"][ischemic].max()), "mM", ".1f")
    s.add("volume_then", "cell volume then (relative)", float(res["vol_i_rel"][i_end]), "", ".3f")
    silent = tests[(tests >= onset) & ~fired & (tests <= end)]
    s.add("t_first_failure", "first test pulse that failed (after onset)",
          (silent[0] - onset) / 1000.0 if len(silent) else None, "s", ".0f")
    if back is not None and back < res.t[-1]:
        s.add("V_end", "V at end", float(res["V"][-1]), "mV", ".1f")
        s.add("ATP_end", "ATP at end", float(atp[-1]), "mM", ".2f")
        s.add("volume_end", "volume at end (relative)", float(res["vol_i_rel"][-1]), "", ".3f")
        late = tests > back + 0.5 * (res.t[-1] - back)
        recovered = res["V"][-1] < -60.0 and fired[late].all() if late.any() else res["V"][-1] < -60.0
        s.add("recovered", "recovered", bool(recovered))
    if cell.has("oxygen"):
        s.note("rat brain under N2 (REFERENCES 2.7): ATP holds about 20 s and halves at about 65 s; "
               "the model's single cell keeps ATP flat while phosphocreatine lasts and then loses it "
               "faster (see docs/physiology.md)")
    return Outcome(sc, res, s, extra={"tests": tests, "answered": fired}, marks={"ischemia": (onset, end)})


# ------------------------------------------------------------- swelling ----
@scenario("swelling", "Without the pump a cell cannot keep its volume",
          "The pump-leak mechanism: impermeant anions inside draw cations, Cl- and water in, and only "
          "the pump's steady extrusion of Na+ holds the volume. Block the pumps and the cell swells "
          "toward Donnan equilibrium (every ion at its Nernst potential, osmolarities equal); "
          "restore them and the volume recovers. The Na+ channels are blocked (TTX) by default, as "
          "in the classic pump-leak cell; with scenario.ttx=0 the excitable cell can instead stay "
          "trapped in a depolarised, swollen state.",
          duration=3600000.0,
          options=(Param("block_at", 5000.0, "ms", 0.0, 1e8, "time the pumps are blocked"),
                   Param("restore_at", 1805000.0, "ms", 0.0, 1e8, "time they are restored (0: never)"),
                   Param("ttx", 1.0, "1", 0.0, 1.0, "fraction of Na+ channels blocked")),
          cells={"tissue": {}, "pump-leak": {"chloride": "kcc2", "volume": True}})
def _swelling(sc, cell, opts, duration, tol, progress):
    if not any(q.kind == "volume" for m in cell.mechanisms for q in m.provides):
        raise ValueError("swelling needs a cell with osmotic water flow (volume=True)")
    cell = cell.with_params({f"{name}.block": opts["ttx"] for name in na_channel_names(cell)})
    t_block, t_back = opts["block_at"], opts["restore_at"]
    if duration <= t_block:
        raise ValueError(f"--duration = {duration:g} ms must be longer than scenario.block_at = "
                         f"{t_block:g} ms")
    system, s, y0 = start(sc, cell)
    events = block_pumps(cell, 1.0, t_block)
    if t_back > 0:
        if t_back <= t_block:
            raise ValueError(f"scenario.restore_at = {t_back:g} ms must be after scenario.block_at "
                             f"= {t_block:g} ms (or 0 for never)")
        events += block_pumps(cell, 0.0, t_back)
    res = simulate(system, Protocol(events), duration=duration,
                   dt=output_dt(duration, min(1000.0, duration / 1000)), tol=tol, progress=progress, y0=y0)
    restored = 0 < t_back < res.t[-1]
    end = t_back if restored else res.t[-1]
    i_end = min(int(np.searchsorted(res.t, end)), len(res.t) - 1)
    v = res["V"][i_end]
    s.add("volume_before", "volume before", float(res["vol_i_rel"][0]), "", ".3f")
    s.add("volume_then", "volume when the pumps return" if restored else "volume at end",
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
