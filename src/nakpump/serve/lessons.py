"""The explorer's five lessons, as data: one per claim a textbook makes about
the Na+/K+ pump.  Each has a text, the cell and settings it starts from,
timed steps (model ms from the start of the run, settings applied then), a
"what to notice" line and the live numbers (``NUMBERS``: keys of a chunk's
``measures``, ``readouts`` or ``counters``) the page shows beside it.  The
numbers are never written into the text: the page fills them in from the
simulation.
"""

from __future__ import annotations

NUMBERS = {
    "na_out_amol": ("Na+ pumped out", "amol", "counters: Na+ moved out by the neuron's pumps since t = 0"),
    "k_in_amol": ("K+ pumped in", "amol", "counters: K+ moved in by the neuron's pumps since t = 0"),
    "atp_used_amol": ("ATP used by the pumps", "amol", "counters: ATP split by the neuron's pumps"),
    "charge_out_amol": ("net charge out", "amol", "counters: Na+ out minus K+ in (one charge per cycle)"),
    "na_out_per_atp": ("Na+ per ATP", "1", "measures: should read 3"),
    "k_in_per_atp": ("K+ per ATP", "1", "measures: should read 2"),
    "pump_mV": ("the pump's direct share of rest", "mV", "measures: V at rest minus V without the pump's "
                "current, gradients kept (rest report)"),
    "pump_off_jump_mV": ("V change with the pump's current off", "mV", "measures: V now minus V just before "
                         "pump.electrogenic went below 1 (kept after it returns)"),
    "V_rest_mV": ("resting potential", "mV", "measures: V at the start of the run"),
    "V": ("membrane potential", "mV", "readouts"),
    "E_K": ("K+ equilibrium potential", "mV", "readouts"),
    "E_Na": ("Na+ equilibrium potential", "mV", "readouts"),
    "Na_i": ("Na+ inside", "mM", "readouts"),
    "K_i": ("K+ inside", "mM", "readouts"),
    "K_o": ("K+ outside", "mM", "readouts"),
    "I_pump": ("pump current", "uA/cm2", "readouts"),
    "ATP_i": ("ATP inside", "mM", "readouts"),
    "spikes": ("spikes so far", "1", "measures"),
    "firing_after_block_s": ("firing after the block", "s", "measures: last spike after pump.block >= 0.5"),
    "atp_per_spike_amol": ("ATP per spike", "amol", "measures: (pumps' ATP - resting use + the Na+ still to "
                           "pump out / 3) / spikes, while only the stimulus differs from the defaults"),
    "atp_per_s_amol": ("pumps' ATP per second", "amol/s", "measures: average since t = 0"),
    "atp_rest_per_s_amol": ("pumps' ATP per second at rest", "amol/s", "measures"),
    "na_recovery_tau_s": ("Na+ recovery time constant", "s", "measures: time for the Na+ excess after the "
                          "last stimulation to fall to 1/e"),
    "ahp_mV": ("pump after-hyperpolarisation", "mV", "measures: lowest V after the train minus rest"),
}
"""Every live number a lesson may show: key -> (label, unit, where it comes from)."""

LESSONS = [
    {"id": "pump-cycle", "title": "The pump cycle", "cell": "tissue",
     "text": "Each cycle of the Na+/K+ pump moves 3 Na+ out and 2 K+ in and splits 1 ATP, so one net "
             "positive charge leaves the cell. The counters add up what the neuron's pumps have done "
             "since the start of the run.",
     "notice": "The ratios stay at 3 Na+ and 2 K+ per ATP whatever the pump's speed: the pump is a "
               "stoichiometric machine, and the charge it moves is the difference.",
     "settings": {}, "steps": [], "speed": 1000, "chunk_ms": 200,
     "numbers": ["na_out_amol", "k_in_amol", "atp_used_amol", "charge_out_amol", "na_out_per_atp",
                 "k_in_per_atp"]},
    {"id": "resting-potential", "title": "The resting potential", "cell": "tissue",
     "text": "The resting potential is set mostly by K+ leaking out down its gradient (V sits near E_K). "
             "The pump makes those gradients, and its own current adds a few mV directly. From 2 s to 3 s "
             "the pump's current is switched off while it keeps moving the same ions.",
     "notice": "V rises by only the pump's direct share; the gradients, and so most of the "
               "-70 mV, remain (the sudden step may fire a spike or two: rest is only about 15 mV below "
               "threshold).",
     "settings": {}, "steps": [{"at_ms": 2000, "settings": {"pump.electrogenic": 0}},
                               {"at_ms": 3000, "settings": {"pump.electrogenic": 1}}], "speed": 1000,
     "chunk_ms": 200, "numbers": ["V", "V_rest_mV", "E_K", "E_Na", "pump_mV", "pump_off_jump_mV", "I_pump"]},
    {"id": "gradients", "title": "The gradients", "cell": "tissue",
     "text": "Block the pump with ouabain: the leaks run the Na+ and K+ gradients down over minutes, the "
             "cell depolarises and stops firing. Wash out at 10 minutes and watch them come back.",
     "notice": "Nothing happens in the first seconds: the gradients are a large store. Over minutes Na_i "
               "rises, K_i falls, V creeps up, and the test pulses stop making spikes.",
     "settings": {"stim.on": 1, "stim.frequency": 1},
     "steps": [{"at_ms": 5000, "settings": {"pump.block": 1}},
               {"at_ms": 600000, "settings": {"pump.block": 0}}],
     "speed": 60000, "chunk_ms": 5000,
     "numbers": ["Na_i", "K_i", "V", "firing_after_block_s", "spikes"]},
    {"id": "action-potentials", "title": "Action potentials", "cell": "tissue",
     "text": "Each spike lets Na+ in and K+ out. 100 spikes at 20 Hz raise Na_i measurably; after the "
             "train the pump works faster than at rest and restores Na+ over tens of seconds, "
             "hyperpolarising the cell as it does.",
     "notice": "The after-hyperpolarisation and the slow fall of Na_i are the pump at work: one "
               "charge out per 3 Na+.",
     "settings": {"stim.on": 1, "stim.frequency": 20, "stim.amplitude": 30},
     "steps": [{"at_ms": 5000, "settings": {"stim.on": 0}}], "speed": 5000, "chunk_ms": 500,
     "numbers": ["spikes", "Na_i", "I_pump", "ahp_mV", "na_recovery_tau_s"]},
    {"id": "energy", "title": "Energy and balance", "cell": "tissue",
     "text": "The pump spends ATP at rest and more with every spike. At 20 s the energy supply stops "
             "(ischemia): ATP falls, the pump slows and the gradients fail. Try raising the bath K+ "
             "instead.",
     "notice": "ATP per spike is small, but the brain fires all the time; without supply the pump "
               "runs out within minutes.",
     "settings": {"stim.on": 1, "stim.frequency": 5},
     "steps": [{"at_ms": 20000, "settings": {"energy.supply": 0}}], "speed": 20000, "chunk_ms": 2000,
     "numbers": ["atp_per_spike_amol", "atp_per_s_amol", "atp_rest_per_s_amol", "ATP_i", "K_o", "V"]},
]
"""The lessons, in order (GET /api/lessons)."""


def get_lesson(lesson_id: str) -> dict | None:
    return next((le for le in LESSONS if le["id"] == lesson_id), None)


def public() -> list[dict]:
    """The lessons as the page gets them, with each number's label and unit."""
    out = []
    for le in LESSONS:
        d = dict(le)
        d["number_info"] = {n: {"label": NUMBERS[n][0], "unit": NUMBERS[n][1], "source": NUMBERS[n][2]}
                            for n in le["numbers"]}
        out.append(d)
    return out
