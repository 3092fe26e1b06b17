"""nakpump's default cell built in NEURON: the spec, for the benchmark
(``benchmarks/bench_spike_train.py``).

One isopotential compartment at ``cell.T`` with the mechanisms in
``neuron_default/`` (Traub-type ``nat`` and ``kdr``, Na+/K+/Cl- leaks
``ionleak``, the Hill-type pump ``hillpump``, a closed two-compartment
accumulation ``nkaccum`` and the K+-carried electrode current ``kinj``).
``neuron_base.py`` builds it, sets every number from
``nakpump.pump_leak_cell()``, reads it back, checks it and runs it in a child
process, timed there (``wall``: ``continuerun`` only; ``setup``: building,
setting and checking the section).

Units as in NEURON: ms, mV, mM, mA/cm2 (nakpump: uA/cm2, so x1e-3),
S/cm2 (nakpump: mS/cm2, so x1e-3), um, degC.

The benchmark's runs use NetCon spike times (``refine_spikes`` False: the
timed run is the only one) and CVODE at atol 1e-3 unless told otherwise;
``method="fixed"`` takes fixed steps (``dt``, ``secondorder``).

>>> out = run_neuron(DEFAULT_PULSES, 5000.0)
>>> out["spikes"], out["wall"]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import neuron_base as nb  # noqa: E402
from harness import compare  # noqa: E402, F401  (part of this module's interface: run, then compare)

DEFAULT_PULSES = (1000.0, 100, 10.0, 2.0, 20.0)
"""(start ms, number, frequency Hz, duration ms, amplitude uA/cm2): the benchmark train."""

EXPECTED = [("nat", "traub_na", None), ("kdr", "traub_k", None), ("leak_na", "leak", "Na"),
            ("leak_k", "leak", "K"), ("leak_cl", "leak", "Cl"), ("pump", "hill_pump", None)]
"""nakpump's mechanisms of the default cell, in order: (name, family, ion)."""

PUMP = ("km_na", "km_k", "n_na", "n_k", "q10", "T_ref")
COVERED = {"nat": ("gbar", "q10", "T_ref"), "kdr": ("gbar", "q10", "T_ref"), "leak_na": ("g",),
           "leak_k": ("g",), "leak_cl": ("g",), "pump": ("imax", *PUMP)}
"""Parameters the NEURON model implements, per mechanism; the others must be
inert (``INERT``: no block, no ATP dependence)."""
INERT = {**nb.INERT, "block": 0.0, "km_atp": 0.0}


def nakpump_cell():
    """nakpump's default cell, checked to be what the NEURON model covers."""
    import nakpump as nk
    cell = nk.pump_leak_cell()
    nb.check_cell(cell, EXPECTED, COVERED, INERT)
    return cell


MODEL = nb.Model(
    module="default_neuron", section="soma", mod_dir=Path(__file__).resolve().parent / "neuron_default",
    mechanisms=("nat", "kdr", "ionleak", "hillpump", "kinj", "nkaccum"), accum="nkaccum",
    electrode="kinj", cell=nakpump_cell, duration=60000.0, record_dt=1.0, atol=1e-3,
    refine_spikes=False,
    params=(*[(m, name, f"{m}.{name}", 1e-3 if name == "gbar" else 1.0)      # mS/cm2 -> S/cm2
              for m in ("nat", "kdr") for name in ("gbar", "q10", "T_ref")],
            ("ionleak", "gna", "leak_na.g", 1e-3), ("ionleak", "gk", "leak_k.g", 1e-3),
            ("ionleak", "gcl", "leak_cl.g", 1e-3),
            ("hillpump", "imax", "pump.imax", 1e-3),                          # uA/cm2 -> mA/cm2
            *[("hillpump", name, f"pump.{name}", 1.0) for name in PUMP]),
    gates={"nat_m": ("nat", "m"), "nat_h": ("nat", "h"), "kdr_n": ("kdr", "n")})

run_neuron = MODEL.run_neuron
run_nakpump = MODEL.run_nakpump
build_mechanisms = MODEL.build_mechanisms


def check_rest(duration: float = 100.0, tol_mV: float = 1e-3) -> dict:
    """Run ``duration`` ms with no stimulus (CVODE, atol 1e-7, V sampled every
    0.01 ms); the cell is calibrated to an exact rest, so V must stay within
    ``tol_mV`` of V0.  Returns that run, with ``drift`` (the largest
    deviation, mV)."""
    out = run_neuron((), duration, atol=1e-7, record_dt=0.01)
    out["drift"] = float(np.max(np.abs(out["V"] - out["V"][0])))
    if out["drift"] >= tol_mV:
        raise AssertionError(f"NEURON cell drifts {out['drift']} mV from V0 in {duration} ms at rest")
    return out
