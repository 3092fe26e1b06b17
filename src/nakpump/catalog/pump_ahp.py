"""The pump after-hyperpolarisation (``pump-ahp``): after a train of spikes
the Na+ that entered drives the pumps above their resting rate, and their
extra outward current hyperpolarises the cell until Na_i is back down, some
tens of seconds later (Gulledge AT et al. 2013 J Neurosci 33:13025:
trains give AHPs lasting about 20 s that follow the decay of Na_i and
vanish with ouabain, in 0 K_o and with TTX; REFERENCES 2.7).

Each condition is run twice, with and without the train, and the AHP is
the difference of the spike-filtered potentials, so a drifting baseline
(ouabain's slow depolarisation, 0 K_o's hyperpolarisation) is taken out.
"""

from __future__ import annotations

import numpy as np

from ..mechanisms.base import Param
from ..model.protocol import Block, Protocol, PulseTrain, Step
from ..results import analysis as an
from .interventions import bath_k_events, block_pumps, na_channel_names, pump_names, sustained, test_pulse
from .neuron import PULSE_OPTIONS, ahp_numbers, start
from .scenario import Outcome, output_dt, scenario, simulate

__all__ = ["ahp_trace"]

CONDITIONS = ("control", "ouabain", "zero_k", "ttx")
LABELS = {"control": "control",
          "ouabain": "ouabain on the neuron's pumps from the train's end (V held by their resting current)",
          "zero_k": "0 K+ in the bath",
          "ttx": "TTX (Na+ channels blocked)"}


def ahp_trace(with_train, without) -> np.ndarray:
    """The AHP: spike-filtered V with the train minus without it (mV), on their common grid."""
    return sustained(with_train.t, with_train["V"]) - sustained(without.t, without["V"])


@scenario("pump-ahp", "The pump after-hyperpolarisation after a spike train",
          "A short (15-spike, place-cell-like) and a long (100-spike) train; after each the pumps, "
          "driven by the Na+ that entered, hyperpolarise the cell for tens of seconds while they "
          "bring Na_i back (Gulledge et al. 2013). The AHP follows the Na_i decay and vanishes with "
          "ouabain, in 0 K_o (the pumps need external K+) and with TTX (no spikes, no Na+ load). Its "
          "size and length are set by the Na+ load per spike, the pumps' Na_i affinity and the "
          "membrane's conductance.",
          duration=120000.0,
          options=(Param("start", 30000.0, "ms", 1000.0, 1e7,
                         "time of the first spike (conditions start 30 s before, at 0 ms, to settle)"),
                   Param("short", 15, "1", 1, 1e4, "spikes in the short train"),
                   Param("long", 100, "1", 1, 1e5, "spikes in the long train"),
                   Param("frequency", 10.0, "Hz", 0.1, 200.0, "spike frequency in both trains"))
          + PULSE_OPTIONS)
def _pump_ahp(sc, cell, opts, duration, tol, progress):
    t0, f = opts["start"], opts["frequency"]
    amplitude, width = test_pulse(cell, opts["amplitude"], opts["width"])
    trains = {"short": int(opts["short"]), "long": int(opts["long"])}
    ends = {k: t0 + (n - 1) * 1000.0 / f + width for k, n in trains.items()}
    if duration <= ends["long"] + 1000.0:
        raise ValueError(f"--duration = {duration:g} ms must reach past the long train's end "
                         f"({ends['long'] + 1000.0:g} ms)")
    system, s, y0 = start(sc, cell)
    dt = output_dt(duration, 5.0)
    runs, notes = {}, []
    main = cell.membranes()[0].name
    rest = system.observe(y0)
    resting_pump = float(sum(rest[f"I_{name}"][0] for name in pump_names(cell, main)))
    plan = [("control", "none"), ("control", "short"), ("control", "long")] + [
        (c, w) for c in CONDITIONS[1:] for w in ("none", "long")]
    for k, (cond, which) in enumerate(plan):
        events = []
        try:
            if cond == "ouabain":
                events += block_pumps(cell, 1.0, ends["long"], membrane=main)
                events.append(Step(ends["long"], -resting_pump))
            elif cond == "zero_k":
                events += bath_k_events(cell, 0.0, 0.0)
            elif cond == "ttx":
                names = na_channel_names(cell)
                if not names:
                    raise ValueError("the cell has no voltage-gated Na+ channel")
                events += [Block(name, 1.0, 0.0) for name in names]
        except ValueError as err:
            notes.append(f"{LABELS[cond]}: not run ({err})")
            continue
        if which != "none":
            events.append(PulseTrain(t0, trains[which], f, width, amplitude))
        part = (lambda x, k=k: progress((k + x) / len(plan))) if progress else None
        runs[cond, which] = simulate(system, Protocol(events), duration=duration, dt=dt, tol=tol,
                                     progress=part, y0=y0)
    control = runs["control", "long"]
    s.add("spikes_short", "spikes in the short train", len(an.spike_times(runs["control", "short"])), "", "d")
    s.add("spikes_long", "spikes in the long train", len(an.spike_times(control)), "", "d")
    traces = {}
    for which in ("short", "long"):
        dv = ahp_trace(runs["control", which], runs["control", "none"])
        traces["control", which] = dv
        nums = ahp_numbers(control.t, dv, ends[which])
        n = trains[which]
        s.add(f"ahp_{which}", f"AHP after {n} spikes (peak, 1-20 s after the train)", nums["peak"], "mV",
              "+.2f")
        s.add(f"ahp_{which}_t_peak", "  peak at", nums["t_peak"], "s", ".1f")
        s.add(f"ahp_{which}_half", "  decayed to half at (Gulledge 2013: AHPs last about 20 s)", nums["half"],
              "s", ".0f")
        s.add(f"ahp_{which}_tau", "  decay time constant", nums["tau"], "s", ".1f")
    tau_na, _, _ = an.recovery_tau(control, ends["long"] + 200.0)
    s.add("na_tau", "Na_i recovery time constant after the long train", tau_na / 1000.0, "s", ".1f")
    s.add("dNa_i", "Na_i rise after the long train", float(np.interp(ends["long"], control.t, control["Na_i"])
                                                            - control["Na_i"][0]), "mM", "+.2f")
    for cond in CONDITIONS[1:]:
        if (cond, "long") not in runs:
            s.add(f"ahp_{cond}", f"AHP after {trains['long']} spikes, {LABELS[cond]}", None, "mV")
            continue
        dv = ahp_trace(runs[cond, "long"], runs[cond, "none"])
        traces[cond, "long"] = dv
        s.add(f"ahp_{cond}", f"AHP after {trains['long']} spikes, {LABELS[cond]}",
              ahp_numbers(control.t, dv, ends["long"])["peak"], "mV", "+.2f")
    for note in notes:
        s.note(note)
    s.note("each AHP is the spike-filtered V with the train minus V without it, in the same condition")
    return Outcome(sc, control, s, extra={"ahp_traces": traces, "runs": runs},
                   marks={"train": (t0, ends["long"]), "short train": (t0, ends["short"])})
