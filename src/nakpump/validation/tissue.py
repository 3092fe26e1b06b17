"""Checks of the default neuron in tissue: its numbers against the published
physiology (REFERENCES 2.7) within the published range, against an
independent SciPy implementation of its equations (``tissue_independent``)
and against the same model built in NEURON (``crosscheck/tissue_neuron.py``).

Where the model and a published number disagree, the row is a difference
(``differences()``), with the reason in ``DISAGREEMENTS``; docs/physiology.md
says more.
"""

from __future__ import annotations

from functools import lru_cache

from .core import Check, Difference, _neuron_rows
from .tissue_independent import tissue_crosscheck_checks

PRESET = "neuron-in-tissue"

TARGETS = (
    # key in a scenario's measures, scenario, quantity, unit, published value, lo, hi, source
    ("R_in", "rest", "input resistance", "MOhm", 58.0, 48.0, 68.0,
     "[PAPER] cortical pyramidal cells, PMC6623880 Table 3 (48-68 MOhm)"),
    ("height", "atp-cost", "action potential height above threshold", "mV", 95.0, 86.0, 104.0,
     "[PAPER] PMC6623880 Table 3 (86-104 mV)"),
    ("na_ratio", "atp-cost", "Na+ entry ratio (charge / Cm x amplitude from rest)", "", 1.25, 1.0, 1.5,
     "[PAPER] Carter & Bean 2009: pyramidal about 1.25, fast-spiking about 2; accepted 1.0-1.5"),
    ("na_tau", "spike-train", "Na_i recovery time constant after 100 spikes at 10 Hz", "s", 20.0, 10.0, 30.0,
     "[PAPER] Gulledge et al. 2013: about 20 s, tracking the AHP; accepted +-50 %"),
    ("ahp", "spike-train", "V after the train (spike-filtered, 1-20 s after)", "mV", -1.0, -10.0, -0.2,
     "[PAPER] Gulledge et al. 2013: a pump after-hyperpolarisation (negative)"),
    ("ahp_long_half", "pump-ahp", "pump AHP after 100 spikes: decayed to half", "s", 20.0, 10.0, 40.0,
     "[PAPER] Gulledge et al. 2013: AHPs lasting about 20 s; accepted within a factor 2"),
    ("t_atp_half", "ischemia", "ATP halved after the supply stops", "s", 65.0, 32.5, 97.5,
     "[PAPER] rat under N2 (REFERENCES 2.7): about 65 s; accepted +-50 %"),
    ("t_anoxic_depolarisation", "ischemia", "anoxic depolarisation after the supply stops", "s", 180.0, 60.0,
     300.0, "[PAPER] 1-5 min after circulatory arrest (REFERENCES 2.7)"),
)
BLOCKS = (("ouabain", "ouabain"), ("zero_k", "0 K+ in the bath"), ("ttx", "TTX"))
DISAGREEMENTS = (
    ("half_width", "atp-cost", "spike half-width", "ms", "0.71-0.88 (PMC6623880 Table 3)",
     "measured at half the height above a dV/dt threshold; the Mainen-Sejnowski Na+ and the fitted "
     "Traub K+ kinetics that give the published height and Na+ entry ratio give a narrower spike"),
    ("t_atp_flat", "ischemia", "ATP within 5 % of its start after the supply stops", "s",
     "about 20 (rat under N2)", "the single cell holds ATP while phosphocreatine and the O2 store last, "
     "then loses it in about 15 s; the tissue measurement averages cells and vessels that fail at "
     "different times"),
    ("P_Na_per_P_K", "rest", "P_Na : P_K at rest", "", "about 0.05 (REFERENCES 2.2)",
     "the Na+ leak is solved for a steady -70 mV; the channels' resting currents and the pump set it"),
    ("pump_mV", "rest", "the pump's electrogenic share of rest", "mV", "a few mV",
     "set by the pump current (0.58 uA/cm2) the Na+ leak needs, times the input resistance"),
)


@lru_cache(maxsize=1)
def _outcomes() -> dict:
    from ..catalog import get

    names = {t[1] for t in TARGETS} | {d[1] for d in DISAGREEMENTS} | {"pump-ahp"}
    return {name: get(name).run() for name in sorted(names)}


def _published_rows(out: dict) -> list[Check]:
    rows = []
    for key, sc, label, unit, value, lo, hi, source in TARGETS:
        got = out[sc].measures[key]
        rows.append(Check(PRESET, f"{label} [{sc}]", unit, float("nan") if got is None else float(got), value,
                          0.0, source, lo=lo, hi=hi))
    ahp = out["pump-ahp"].measures
    for key, label in BLOCKS:
        rows.append(Check(PRESET, f"pump AHP with {label} / control AHP [pump-ahp]", "",
                          float(ahp[f"ahp_{key}"] / ahp["ahp_long"]), 0.0, 0.0,
                          "[PAPER] Gulledge et al. 2013: the AHP vanishes; accepted below a fifth of control",
                          lo=-1e9, hi=0.2))
    rows.append(Check(PRESET, "recovers from 120 s of ischemia (1 yes) [ischemia]", "",
                      float(out["ischemia"].measures["recovered"]), 1.0, 0.0,
                      "[PAPER] a brief anoxic depolarisation is reversible (REFERENCES 2.7)"))
    return rows


def checks() -> list[Check]:
    """The published targets, the independent implementation's rows and NEURON's."""
    return (_published_rows(_outcomes()) + tissue_crosscheck_checks()
            + _neuron_rows(PRESET, "tissue_neuron", "five 15 uA/cm2 pulses at 10 Hz"))


def differences() -> list[Difference]:
    """The published numbers the neuron in tissue does not meet, with the reason."""
    out = _outcomes()
    rows = []
    for key, sc, label, unit, published, why in DISAGREEMENTS:
        got = out[sc].measures[key]
        rows.append(Difference(PRESET, f"{label} [{sc}]", unit, "none" if got is None else f"{got:.3g}",
                               published, why))
    return rows
