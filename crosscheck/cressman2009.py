"""NEURON cross-check of nakpump's preset ``cressman2009``: the spec.

Cressman JR, Ullah G, Ziburkus J, Schiff SJ, Barreto E (2009) J Comput
Neurosci 26:159-170 (erratum 30:781), in nakpump's conservative variant: HH-
type Na+ and K+ channels with phi = 3, a Ca2+-activated AHP K+ current whose
[Ca]_i is a state of the channel mechanism, Na+/K+/Cl- leaks, the sigmoid
Na+/K+ pump (with nakpump's q10 and ATP factors, both 1 in the preset),
glial K+ uptake and diffusion of K+ to a bath at ``k_bath``, in a cell with
a closed extracellular space of 1/7 of the cell volume.  Every ion is
counted (the pump current enters the membrane equation, K_i, Na_o and Cl-
follow their own currents).

The same model is written in NMODL under ``neuron_cressman2009/``: ``crchan``
(channels and the Ca2+ state), ``crleak``, ``crpump`` (sigmoid pump with a
switchable ``block``, q10 and ATP factors), ``crinj`` (the electrode current,
carried by K+ as ``cell.electrode_ion``) and ``craccum`` (the only writer of
concentrations: nakpump's ``amount_rates`` with the cell's volume/area ratios
w_i and w_o, plus the glial uptake and the bath diffusion of K_o, which
nakpump's "exchange" mechanisms give as rates of the extracellular
concentration: nakpump moves w_o x rate of amount, so K_o changes at exactly
that rate).  ``neuron_base.py`` builds it as one isopotential section,
sets every number from ``nakpump.catalog.cressman2009.cell(k_bath)``, reads
it back, checks it (parameters the NEURON model does not cover must be at
values where they do nothing; the gates and Ca2+ start at nakpump's initial
state) and runs it in a child process.

Units on the NEURON side: ms, mV, mM, mA/cm2 (nakpump: uA/cm2, x1e-3),
S/cm2 (nakpump: mS/cm2, x1e-3), um, degC; the glial uptake G in mM/ms and
the diffusion rate in 1/ms (nakpump: mM/s and 1/s, x1e-3); the Ca2+
equation's g_Ca, E_Ca and Ca are in the paper's units on both sides.

Runs take ``pulses`` and ``pump_block`` (see ``neuron_base.Model.run_neuron``)
and ``k_bath``: bath K+ (mM), as ``cressman2009.cell(k_bath=...)`` (the
paper's seizure-like bursting needs about 7.5-8 mM).

>>> a = run_neuron((100.0, 20, 10.0, 1.0, 40.0), 3000.0)
>>> b = run_nakpump((100.0, 20, 10.0, 1.0, 40.0), 3000.0)
>>> compare(a, b)["spike_time"]

NEURON's spike times are its NetCon's crossings of 0 mV refined on a
second, identical run to CVODE's accuracy (``neuron_base``); the
NetCon's own times (``spikes_netcon``) are off by ~5e-6 ms at atol 1e-8.

Measured (NEURON 9.0.2): the pulse train ``TRAIN`` at k_bath 4 (NEURON
atol 1e-8, nakpump ``NAKPUMP_TOL``) agrees to 1e-7 ms in spike times and
1.3e-7 mM in concentrations.  The bursting run ``BURSTING`` (k_bath 8,
190 s, tighter tolerances) agrees to 3e-9 mM before the first spike; with
nakpump's F and R then rounded to 10 digits (3.4e-11 and 1.8e-11 relative
from NEURON's exact SI products) the burst spikes differed by 3-4e-5 ms,
the slow passage to each burst amplifying the difference; with both exact
(nakpump since this cross-check) they agree to about 1e-6 ms.
``validation_numbers()`` gives headline numbers of both runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import neuron_base as nb  # noqa: E402
from harness import compare, spike_numbers, trace_numbers  # noqa: E402, F401  (compare: interface)

EXPECTED = [("hh", "cressman_channels", None), ("leak_na", "leak", "Na"), ("leak_k", "leak", "K"),
            ("leak_cl", "leak", "Cl"), ("pump", "sigmoid_pump", None), ("glia", "glial_uptake", None),
            ("diffusion_k", "bath_diffusion", "K")]
"""nakpump's mechanisms of the preset, in order: (name, family, ion)."""

PUMP = ("na_half", "na_slope", "k_half", "k_slope", "km_atp", "q10", "T_ref", "block")
COVERED = {
    "hh": ("gNa", "gK", "gAHP", "phi", "gCa", "ECa", "block"),
    "leak_na": ("g", "block"), "leak_k": ("g", "block"), "leak_cl": ("g", "block"),
    "pump": ("imax", *PUMP),
    "glia": ("G", "k_half", "slope", "block"),
    "diffusion_k": ("rate", "bath", "block"),
}
"""Parameters the NEURON model implements, per mechanism (the others must be
inert: ``neuron_base.INERT``)."""


def nakpump_cell(k_bath: float = 4.0):
    """The preset cell, checked to be what the NEURON model covers."""
    from nakpump.catalog import cressman2009 as cr
    cell = cr.cell(k_bath=k_bath)
    nb.check_cell(cell, EXPECTED, COVERED)
    return cell


MODEL = nb.Model(
    module="cressman2009", section="cressman_soma",
    mod_dir=Path(__file__).resolve().parent / "neuron_cressman2009",
    mechanisms=("crchan", "crleak", "crpump", "crinj", "craccum"), accum="craccum", electrode="crinj",
    cell=nakpump_cell, duration=3000.0, record_dt=1.0, atol=1e-8,
    params=(("crchan", "gna", "hh.gNa", 1e-3), ("crchan", "gk", "hh.gK", 1e-3),   # mS/cm2 -> S/cm2
            ("crchan", "gahp", "hh.gAHP", 1e-3), ("crchan", "phi", "hh.phi", 1.0),
            ("crchan", "gca", "hh.gCa", 1.0), ("crchan", "eca", "hh.ECa", 1.0),   # paper units
            ("crleak", "gna", "leak_na.g", 1e-3), ("crleak", "gk", "leak_k.g", 1e-3),
            ("crleak", "gcl", "leak_cl.g", 1e-3),
            ("crpump", "imax", "pump.imax", 1e-3),                                 # uA/cm2 -> mA/cm2
            *[("crpump", name, f"pump.{name}", 1.0) for name in PUMP],
            ("crpump", "atp", "cell.ATP_i", 1.0),
            ("craccum", "G", "glia.G", 1e-3),                                      # mM/s -> mM/ms
            ("craccum", "khalf", "glia.k_half", 1.0), ("craccum", "kslope", "glia.slope", 1.0),
            ("craccum", "gblock", "glia.block", 1.0),
            ("craccum", "kdiff", "diffusion_k.rate", 1e-3),                        # 1/s -> 1/ms
            ("craccum", "kbath", "diffusion_k.bath", 1.0), ("craccum", "dblock", "diffusion_k.block", 1.0)),
    gates={"hh_m": ("crchan", "m"), "hh_h": ("crchan", "h"), "hh_n": ("crchan", "n"),
           "hh_Ca": ("crchan", "cahp")})

run_neuron = MODEL.run_neuron
run_nakpump = MODEL.run_nakpump
build_mechanisms = MODEL.build_mechanisms


# ------------------------------------------------------------ validation ----

TRAIN = (100.0, 100, 20.0, 1.0, 40.0)
"""The pulse train of ``validation_numbers``: 100 pulses of 1 ms, 40 uA/cm2 at
20 Hz from 100 ms, at the preset's k_bath = 4 mM (8 s in all)."""

BURSTING = dict(k_bath=8.0, duration=190000.0, atol=1e-12, record_dt=1.0,
                nakpump_tol=dict(rtol=1e-11, atol_V=1e-9, atol_conc=1e-12, atol_gate=1e-10))
"""The spontaneous bursting run of ``validation_numbers``: the preset's
scenario ``bursting`` (k_bath 8 mM, no stimulus) for 190 s: silent until
the first burst at 145.9 s, then bursts at 164.2, 176.9 and 187.1 s (32
spikes).  The onset of each burst is a slow passage to threshold that
amplifies any difference in the state (nakpump at rtol 1e-9 and 1e-11 place
the bursts 2.8e-4 ms apart), so both simulators run at tighter tolerances
than the pulse train's: NEURON atol 1e-12, nakpump rtol 1e-11."""


def run_bursting(**changes) -> tuple[dict, dict]:
    """The ``BURSTING`` run in both simulators: (NEURON, nakpump); keyword
    arguments replace entries of ``BURSTING``."""
    cfg = dict(BURSTING, **changes)
    a = run_neuron((), cfg["duration"], atol=cfg["atol"], record_dt=cfg["record_dt"],
                   k_bath=cfg["k_bath"])
    b = run_nakpump((), cfg["duration"], record_dt=cfg["record_dt"], k_bath=cfg["k_bath"],
                    tol=cfg["nakpump_tol"])
    return a, b


def validation_numbers(bursting: bool = True) -> dict:
    """Headline numbers from both simulators: ``{quantity: (nakpump value,
    NEURON value, unit)}``, of the pulse train ``TRAIN`` (a few seconds) and,
    unless ``bursting`` is False, of the bursting run ``BURSTING`` (about
    10 s more); NEURON runs in child processes."""
    a = run_neuron(TRAIN, 8000.0, atol=1e-8, record_dt=1.0, k_bath=4.0)
    b = run_nakpump(TRAIN, 8000.0, record_dt=1.0, k_bath=4.0)
    out = {**spike_numbers("pulse train", b["spikes"], a["spikes"], ks=(1, 10, 100)),
           **trace_numbers("pulse train", b, a, [("K_o", "max"), ("Na_i", "max"), ("Na_i", "at end")])}
    if not bursting:
        return out
    a, b = run_bursting()
    from nakpump.results.analysis import bursts
    label = "bursting (k_bath 8)"
    sa, sb = bursts(a["spikes"])[:, 0], bursts(b["spikes"])[:, 0]
    out.update(spike_numbers(label, b["spikes"], a["spikes"]))
    out[f"{label}: bursts"] = (len(sb), len(sa), "")
    for k in (1, 2):
        if len(sa) >= k and len(sb) >= k:
            out[f"{label}: start of burst {k}"] = (float(sb[k - 1]), float(sa[k - 1]), "ms")
    out.update(spike_numbers(label, b["spikes"], a["spikes"], ks=(10,)))
    out.update(trace_numbers(label, b, a, [("K_o", "max"), ("Na_i", "min"), ("Na_i", "at end")]))
    return out


if __name__ == "__main__":
    from harness import print_numbers
    print_numbers(validation_numbers())
