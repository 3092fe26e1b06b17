"""NEURON cross-check of nakpump's preset ``hh1952``, dynamic variant
(``hh1952.cell_dynamic()``): the spec.

Hodgkin & Huxley 1952's squid giant axon membrane at 6.3 degC (HH Na+ and
K+ channels, the leak carried by Cl-) with dynamic concentrations: the
axoplasm (an axon of 500 um diameter: vol_i/area 125 um) and a 30 nm
periaxonal space (Frankenhaeuser & Hodgkin 1956) that exchanges Na+, K+
and Cl- with the bath (nakpump's ``BathDiffusion`` of each ion, 20/s, the
bath at the initial concentrations), so K+ accumulates outside during a
train.  The channels' reversal potentials are the live Nernst potentials.

On the NEURON side the channels are NEURON's own built-in ``hh`` (rate
tables off: ``usetable_hh = 0``; its leak ``gl_hh = 0``), which reads
``ena`` and ``ek``: NEURON recomputes them from the concentrations at every
step because ``hhdaccum`` writes them.  Under ``neuron_hh1952/``:
``hhdleak`` (the Cl- leak against the live E_Cl), ``hhdinj`` (the electrode
current, carried by K+ as ``cell.electrode_ion``) and ``hhdaccum`` (the only
writer of concentrations: nakpump's ``amount_rates`` with the cell's
volume/area ratios w_i and w_o, plus the exchange of each periaxonal
concentration with its bath; nakpump's "exchange" mechanisms give rates of
the extracellular concentration: nakpump moves w_o x rate of amount, so the
concentration changes at exactly that rate).  One isopotential section.
NEURON's ``hh`` fixes q10 = 3 from 6.3 degC, so the run refuses a preset
with other ``q10``/``T_ref``; its rate functions are nakpump's
``hh_na``/``hh_k`` ones (0.1 vtrap(-(v+40), 10) = efun(-(v+40)/10), ...),
written as inf/tau.

``neuron_base.py`` builds it, sets every number from
``nakpump.catalog.hh1952.cell_dynamic()``, reads it back, checks it
(parameters the NEURON model does not cover must be at values where they do
nothing; the gates start at nakpump's initial state) and runs it in a child
process.

Units on the NEURON side: ms, mV, mM, mA/cm2 (nakpump: uA/cm2, x1e-3),
S/cm2 (nakpump: mS/cm2, x1e-3), um, degC; the exchange rates in 1/ms
(nakpump: 1/s, x1e-3).

Runs take ``pulses`` (see ``neuron_base.Model.run_neuron``).

>>> a = run_neuron((10.0, 50, 50.0, 0.5, 20.0), 1200.0, record_dt=0.1)
>>> b = run_nakpump((10.0, 50, 50.0, 0.5, 20.0), 1200.0, record_dt=0.1)
>>> compare(a, b)["spike_time"]

NEURON's spike times are its NetCon's crossings of 0 mV refined on a
second, identical run to CVODE's accuracy (``neuron_base``);
the NetCon's own times (``spikes_netcon``) are off by ~3e-6 ms at atol 1e-8.

Measured (NEURON 9.0.2), the 50 Hz train ``TRAIN`` over 1.2 s: NEURON
atol 1e-10 against nakpump ``NAKPUMP_TOL`` agree to 7e-9 ms in spike times
and 2.2e-8 mM in concentrations (K_o); NEURON atol 1e-12 against nakpump
rtol 1e-11 to 2.3e-10 ms and 3.8e-10 mM.  ``validation_numbers()`` gives
headline numbers of the train.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import neuron_base as nb  # noqa: E402
from harness import compare, spike_numbers, trace_numbers  # noqa: E402, F401  (compare: interface)

EXPECTED = [("hh_na", "hh_na", None), ("hh_k", "hh_k", None), ("leak_cl", "leak", "Cl"),
            ("diffusion_na", "bath_diffusion", "Na"), ("diffusion_k", "bath_diffusion", "K"),
            ("diffusion_cl", "bath_diffusion", "Cl")]
"""nakpump's mechanisms of the preset, in order: (name, family, ion)."""

COVERED = {
    "hh_na": ("gbar", "q10", "T_ref", "block"), "hh_k": ("gbar", "q10", "T_ref", "block"),
    "leak_cl": ("g", "block"),
    "diffusion_na": ("rate", "bath", "block"), "diffusion_k": ("rate", "bath", "block"),
    "diffusion_cl": ("rate", "bath", "block"),
}
"""Parameters the NEURON model implements, per mechanism (the others must be
inert: ``neuron_base.INERT``)."""


def nakpump_cell():
    """The preset cell, checked to be what the NEURON model covers."""
    from nakpump.catalog import hh1952
    cell = hh1952.cell_dynamic()
    nb.check_cell(cell, EXPECTED, COVERED)
    for name in ("hh_na", "hh_k"):
        hv = cell.mechanism(name).values
        if hv["q10"] != 3.0 or hv["T_ref"] != 6.3:
            raise AssertionError(f"{name}: q10 {hv['q10']}, T_ref {hv['T_ref']}; NEURON's hh has "
                                 "q10 3 from 6.3 degC")
    return cell


MODEL = nb.Model(
    module="hh1952_dynamic", section="hh1952_axon",
    mod_dir=Path(__file__).resolve().parent / "neuron_hh1952",
    mechanisms=("hh", "hhdleak", "hhdinj", "hhdaccum"), accum="hhdaccum", electrode="hhdinj",
    cell=nakpump_cell, duration=1200.0, record_dt=0.1, atol=1e-8,
    params=(("global", "usetable_hh", 0.0, 1.0),                                   # rates computed exactly
            ("hh", "gnabar", "hh_na.gbar", 1e-3), ("hh", "gkbar", "hh_k.gbar", 1e-3),   # mS/cm2 -> S/cm2
            ("hh", "gl", 0.0, 1.0),                                     # the leak is hhdleak's Cl- leak
            ("hhdleak", "g", "leak_cl.g", 1e-3),
            *[("hhdaccum", f"{what}_{nrn}", f"diffusion_{nrn}.{what}", 1e-3 if what == "rate" else 1.0)
              for nrn in ("na", "k", "cl") for what in ("rate", "bath", "block")]),   # 1/s -> 1/ms
    gates={"hh_na_m": ("hh", "m"), "hh_na_h": ("hh", "h"), "hh_k_n": ("hh", "n")})

run_neuron = MODEL.run_neuron
run_nakpump = MODEL.run_nakpump
build_mechanisms = MODEL.build_mechanisms


# ------------------------------------------------------------ validation ----

TRAIN = (10.0, 50, 50.0, 0.5, 20.0)
"""The pulse train of ``validation_numbers``: 50 pulses of 0.5 ms, 20 uA/cm2
at 50 Hz from 10 ms (1 s; the pulses of the preset's scenario
``accumulation``)."""


def validation_numbers(duration: float = 1200.0) -> dict:
    """Headline numbers of the pulse train ``TRAIN``, from both simulators:
    ``{quantity: (nakpump value, NEURON value, unit)}`` (NEURON CVODE atol
    1e-10, nakpump ``NAKPUMP_TOL``).

    The runs take a few seconds (NEURON in a child process)."""
    a = run_neuron(TRAIN, duration, atol=1e-10, record_dt=0.1)
    b = run_nakpump(TRAIN, duration, record_dt=0.1)
    return {**spike_numbers("50 Hz train", b["spikes"], a["spikes"], ks=(1, 10, 50)),
            **trace_numbers("50 Hz train", b, a, [("K_o", "max"), ("K_o", "at end"), ("Na_i", "at end")])}


if __name__ == "__main__":
    from harness import print_numbers
    print_numbers(validation_numbers())
