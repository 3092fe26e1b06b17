"""NEURON cross-check of nakpump's preset ``hubel-dahlem2014``: the spec.

Hübel N, Dahlem MA (2014) PLoS Comput Biol 10:e1003941 (ModelDB 167714):
an HH neuron (m instantaneous, h tied to n), Na+/K+/Cl- leaks, a sigmoid
Na+/K+ pump and time-dependent ion concentrations in a closed cell with a
finite extracellular space (optionally coupled to a K+ bath).

The same model is written in NMODL under ``neuron_hd2014/``: ``hdnak``
(channels), ``hdleak``, ``hdpump`` (with a switchable ``block``), ``hdinj``
(a K+-carrying electrode) and ``hdaccum`` (closed two-compartment
concentration dynamics with nakpump's volume/area ratios, and the K+ bath
diffusion).  ``neuron_base.py`` builds it as one isopotential section,
sets every number from ``nakpump.catalog.hubel_dahlem2014.cell()``, reads
it back, checks it, and runs it in a child process.

Units on the NEURON side: ms, mV, mM, mA/cm2 (nakpump: uA/cm2, x1e-3),
S/cm2 (nakpump: mS/cm2, x1e-3), um, degC; the diffusion rate in 1/ms
(nakpump: 1/s, x1e-3).

Runs take ``pulses`` and ``pump_block`` (see ``neuron_base.Model.run_neuron``)
and ``diffusion``: K_o coupled to a 4 mM bath at this rate (1/s), as
``hd.cell(diffusion=...)``; 0 is the closed cell.

>>> a = run_neuron([(100.0, 1.0, 40.0)], 500.0)
>>> b = run_nakpump([(100.0, 1.0, 40.0)], 500.0)
>>> compare(a, b)["spike_time"]
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import neuron_base as nb  # noqa: E402
from harness import compare, spike_numbers, trace_numbers  # noqa: E402, F401  (compare: interface)

EXPECTED = [("hh", "hubel_dahlem_nak", None), ("leak_na", "leak", "Na"), ("leak_k", "leak", "K"),
            ("leak_cl", "leak", "Cl"), ("pump", "sigmoid_pump", None)]
"""nakpump's mechanisms of the preset, in order: (name, family, ion); with
``diffusion`` > 0 followed by ``DIFFUSION``."""
DIFFUSION = ("diffusion_k", "bath_diffusion", "K")

PUMP = ("na_half", "na_slope", "k_half", "k_slope", "q10", "T_ref", "block")
COVERED = {"hh": ("gNa", "gK", "phi"), "leak_na": ("g",), "leak_k": ("g",), "leak_cl": ("g",),
           "pump": ("imax", *PUMP), "diffusion_k": ("rate", "bath")}
"""Parameters the NEURON model implements, per mechanism; the others must be
inert (``INERT``: no block but the pump's, no ATP dependence)."""
INERT = {**nb.INERT, "block": 0.0, "km_atp": 0.0}


def nakpump_cell(diffusion: float = 0.0):
    """The preset cell, checked to be what the NEURON model covers."""
    from nakpump.catalog import hubel_dahlem2014 as hd
    cell = hd.cell(diffusion=diffusion)
    nb.check_cell(cell, EXPECTED + ([DIFFUSION] if diffusion > 0 else []), COVERED, INERT)
    return cell


def _diffusion(name):
    """diffusion_k's ``name``, or (closed cell) ``rate`` 0 and ``bath`` left as is."""
    return lambda cell: (cell[f"diffusion_k.{name}"] if cell.has("diffusion_k")
                         else 0.0 if name == "rate" else None)


MODEL = nb.Model(
    module="hd2014", section="hd_soma", mod_dir=Path(__file__).resolve().parent / "neuron_hd2014",
    mechanisms=("hdnak", "hdleak", "hdpump", "hdinj", "hdaccum"), accum="hdaccum", electrode="hdinj",
    cell=nakpump_cell, duration=2000.0, record_dt=1.0, atol=1e-8,
    params=(("hdnak", "gna", "hh.gNa", 1e-3), ("hdnak", "gk", "hh.gK", 1e-3),   # mS/cm2 -> S/cm2
            ("hdnak", "phi", "hh.phi", 1.0),
            ("hdleak", "gna", "leak_na.g", 1e-3), ("hdleak", "gk", "leak_k.g", 1e-3),
            ("hdleak", "gcl", "leak_cl.g", 1e-3),
            ("hdpump", "imax", "pump.imax", 1e-3),                                 # uA/cm2 -> mA/cm2
            *[("hdpump", name, f"pump.{name}", 1.0) for name in PUMP],
            ("hdaccum", "kdiff", _diffusion("rate"), 1e-3),                        # 1/s -> 1/ms
            ("hdaccum", "kbath", _diffusion("bath"), 1.0)),
    gates={"hh_n": ("hdnak", "n")})

run_neuron = MODEL.run_neuron
run_nakpump = MODEL.run_nakpump
build_mechanisms = MODEL.build_mechanisms


# ------------------------------------------------------------ validation ----

TRAIN = (100.0, 5, 10.0, 1.0, 40.0)
"""The pulse train of ``validation_numbers``: five 1 ms, 40 uA/cm2 pulses at
10 Hz from 100 ms, 2 s in all."""


def validation_numbers() -> dict:
    """Headline numbers of the pulse train ``TRAIN`` from both simulators:
    ``{quantity: (nakpump value, NEURON value, unit)}`` (NEURON CVODE atol
    1e-8, nakpump ``NAKPUMP_TOL``)."""
    a = run_neuron(TRAIN, 2000.0, atol=1e-8, record_dt=1.0)
    b = run_nakpump(TRAIN, 2000.0, record_dt=1.0)
    return {**spike_numbers("pulse train", b["spikes"], a["spikes"], ks=(5,)),
            **trace_numbers("pulse train", b, a, [("K_o", "at end", "K_o at 2 s"),
                                                  ("Na_i", "at end", "Na_i at 2 s")])}
