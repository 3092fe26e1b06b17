"""Validation rows (``Check``) for the buffered Hübel & Dahlem 2014 preset
and the kager2000 preset; ``nakpump.validation`` puts them in the report.

Evidence tags as in ``nakpump.validation``; [RUN] marks a number obtained by
running the authors' equations or code (the research transcription of
ModelDB 113446 and 167714: [RUN-HD] a SciPy port of 167714's
spreading-depression.ode, LSODA; [RUN-NRN] the authors' own start.hoc and
mod files of 113446 in NEURON 9.0.2), not a figure printed in a paper:
none of the three papers' figure values could be read.  Each tolerance is
the rounding of the quoted number unless its row says otherwise.
"""

from __future__ import annotations

import numpy as np

from .core import Check, Difference

__all__ = ["hd_buffer_checks", "kager2000_checks", "KAGER_REFERENCE"]

_HD = "hubel-dahlem2014"
_HD_RUN = ("[RUN-HD] ModelDB 167714 spreading-depression.ode (s = 0, pump off 9.5 s at 20 s) in SciPy, "
           "research transcription §7")
_HD_FRAGILE = ("; tolerance: the spread of the .ode's own end of the excursion over solver settings, "
               "106.4-107.8 s (our SciPy port, LSODA rtol 1e-9 to 1e-11)")


def hd_buffer_checks() -> list[Check]:
    """hubel-dahlem2014:buffered-sd against the authors' equations run by the
    transcription, and K+ conservation with the buffer compartment."""
    from ..catalog import get

    out = get(f"{_HD}:buffered-sd").run()
    m = out.measures
    res = out.result
    rows = [
        Check(_HD, "buffered SD: first spike after the pump stops", "s", m["t_first_above"], 24.5, 0.1,
              _HD_RUN + " (V above -40 mV from 24.5 s)"),
        Check(_HD, "buffered SD: last time V is above -40 mV", "s", m["t_last_above"], 107.7, 2.0,
              _HD_RUN + _HD_FRAGILE),
        Check(_HD, "buffered SD: duration above -40 mV", "s", m["sd_duration"], 83.0, 2.0,
              _HD_RUN + _HD_FRAGILE),
        Check(_HD, "buffered SD: K_o peak", "mM", m["K_o_peak"], 69.6, 0.1, _HD_RUN),
        Check(_HD, "buffered SD: time of the K_o peak", "s", m["t_K_o_peak"], 35.0, 0.5, _HD_RUN),
        Check(_HD, "buffered SD: Na_i peak", "mM", m["Na_i_peak"], 58.9, 0.1, _HD_RUN),
        Check(_HD, "buffered SD: time of the Na_i peak", "s", m["t_Na_i_peak"], 101.0, 0.5, _HD_RUN),
        Check(_HD, "buffered SD: most K+ bound (-dk)", "mM", m["bound_max"], 77.5, 0.6,
              _HD_RUN + "; tolerance: 77.1-77.6 mM in the .ode over solver settings (it follows the end)"),
        Check(_HD, "after SD (500 s): V", "mV", m["V_end"], -75.0, 1.0, _HD_RUN + " ('about -75 mV')"),
        Check(_HD, "after SD (500 s): K_o", "mM", m["K_o_end"], 2.97, 0.02, _HD_RUN),
        Check(_HD, "after SD (500 s): Na_i", "mM", m["Na_i_end"], 50.0, 1.0, _HD_RUN + " ('about 50 mM')"),
        Check(_HD, "after SD (500 s): K_i", "mM", m["K_i_end"], 104.0, 1.0, _HD_RUN + " ('about 104 mM')"),
    ]
    inv = res.conservation()
    for ion in ("Na", "K", "Cl"):
        total = inv[f"total_{ion}"]
        rows.append(Check(_HD, f"buffered SD: drift of total {ion} (free + bound), relative", "1",
                          float(np.max(np.abs(total - total[0])) / abs(total[0])), 0.0, 1e-9,
                          "conservation: every ion's amount over the cell, the extracellular space and "
                          "the buffer is constant (round-off)"))
    return rows


_KG = "kager2000"
_KG_TRANSCRIPTION = "[RUN-NRN] ModelDB 113446 start.hoc run by the research transcription"
_KG_SOMA = ("[RUN-NRN] the same reduction from ModelDB 113446's own mod files and start.hoc steps (one "
            "soma and one glial section, no Ca2+ mechanisms, TABLEs off, accum method 1), NEURON 9.0.2")
_KG_TOL = {"k-puff": ", dt 0.0125 ms; tolerance: 10x the change of the NEURON number from dt 0.025 ms",
           "ouabain": ", dt 0.00625 ms; tolerance: 10x the change from dt 0.0125 ms (NEURON converges slowly "
                      "here: each halving moves it about 0.9x as far as the one before, towards nakpump)"}

KAGER_REFERENCE = {
    "k-puff": {"K_o_peak": (53.597, 0.02, "mM"), "t_K_o_peak": (4.054, 0.01, "s"),
               "V_plateau": (-18.571, 0.05, "mV"), "V_glia_plateau": (-29.334, 0.05, "mV"),
               "K_o_end": (45.491, 0.08, "mM"), "Na_i_end": (56.892, 0.01, "mM"),
               "K_g_end": (137.918, 0.004, "mM"), "t_floor": (24.479, 0.05, "s")},
    "ouabain": {"t_depolarised": (0.371, 0.18, "s"), "K_o_peak": (87.887, 0.63, "mM"),
                "t_K_o_peak": (10.752, 0.42, "s"), "V_plateau": (-25.017, 0.85, "mV"),
                "V_glia_plateau": (-25.483, 0.86, "mV"), "K_o_end": (44.402, 1.41, "mM"),
                "Na_i_end": (34.501, 0.053, "mM"), "K_g_end": (115.821, 0.036, "mM"),
                "t_floor": (13.176, 0.19, "s")},
}
"""The scenarios' measures in the authors' mechanisms (``_KG_SOMA``): (value, tolerance, unit);
k-puff: K_o set to 20 mM at 1 s; ouabain: both pumps blocked at 1 s; 60 s each."""


def kager2000_checks() -> list[Check]:
    """kager2000 at rest against the authors' start.hoc (quantities our reduction
    does not change, and those it does against the same reduction in the authors'
    code), its two spreading-depression scenarios against the same reduction in
    NEURON, and conservation through the K+ puff."""
    from ..catalog import get
    from ..catalog import kager2000 as kg
    from ..compile.system import compile_cell

    c = kg.cell()
    system = compile_cell(c)
    o = {k: float(v[0]) for k, v in system.observe(system.y0).items()}
    g = {name: c.mechanism(name).values[key] for name, key in (
        ("pump", "imax"), ("glia_pump", "imax"), ("glia_leak_na", "g"), ("leak_k", "g"), ("leak_na", "g"),
        ("glia_leak_k", "g"))}
    tr, soma = _KG_TRANSCRIPTION, _KG_SOMA
    rows = [
        Check(_KG, "neuronal pump I_max (start.hoc set)", "uA/cm2", g["pump"], 20.958794, 1e-6,
              tr + " §2.12"),
        Check(_KG, "glial pump I_max (start.hoc setglia)", "uA/cm2", g["glia_pump"], 39.236709, 1e-6,
              tr + " §2.12"),
        Check(_KG, "resting neuronal pump current", "uA/cm2", o["I_pump"], 1.061, 5e-4, tr + " §2.12"),
        Check(_KG, "resting glial pump current", "uA/cm2", o["I_glia_pump"], 2.959, 5e-4, tr + " §2.12"),
        Check(_KG, "glial Na+ leak", "mS/cm2", g["glia_leak_na"], 6.982904e-2, 1e-8, tr + " §3a"),
        Check(_KG, "initial K_i", "mM", c.values["K_i"], 135.749925, 1e-6, tr + " §5.2"),
        Check(_KG, "resting V (= E_Cl)", "mV", c.values["V0"], -70.0085, 1e-4, tr + " §5.3"),
        Check(_KG, "neuronal E_K at t = 0", "mV", o["E_K"], -97.45, 0.005, tr + " §5.2"),
        Check(_KG, "glial E_Na at t = 0", "mV", o["E_Na_g"], 39.11, 0.005, tr + " §5.2"),
        Check(_KG, "resting Kir current", "uA/cm2", o["I_kir_K"], 0.57, 0.005, tr + " §3a"),
        Check(_KG, "resting NaT window current", "uA/cm2", o["I_nat_Na"], -1.24, 0.015,
              tr + " §2.1; tolerance: NEURON's rate TABLEs move it by 0.0104 (measured)"),
        Check(_KG, "soma K+ leak (start.hoc set, no Ca2+ channels)", "mS/cm2", g["leak_k"], 7.5215061e-2,
              1e-9, soma + ", start.hoc set() steps"),
        Check(_KG, "soma Na+ leak (start.hoc set, no Ca2+ channels)", "mS/cm2", g["leak_na"], 1.3862082e-2,
              1e-9, soma),
        Check(_KG, "glial K+ leak (start.hoc setglia, no TABLEs)", "mS/cm2", g["glia_leak_k"], 1.0612577,
              1e-7, soma),
    ]
    for name in ("k-puff", "ouabain"):
        out = get(f"{_KG}:{name}").run()
        m = out.measures
        for key, (value, tol, unit) in KAGER_REFERENCE[name].items():
            rows.append(Check(_KG, f"{name}: {out.summary.measures[key].label}", unit, m[key], value, tol,
                              _KG_SOMA + _KG_TOL[name]))
        if name == "k-puff":
            inv = out.result.conservation()
            res = out.result
            for q in ("total_Na", "total_K", "total_Cl", "charge", "charge_glia"):
                x = inv[q]
                rows.append(Check(_KG, f"k-puff: drift of {q}, relative", "1",
                                  float(np.max(np.abs(x - x[0])) / np.max(np.abs(x))), 0.0, 1e-9,
                                  "conservation (the K+ the puff added is counted)"))
            water = res.state("w_i") + res.state("w_o") + res.state("w_g")
            rows.append(Check(_KG, "k-puff: drift of the total volume, relative", "1",
                              float(np.max(np.abs(water - water[0])) / water[0]), 0.0, 1e-12, "conservation"))
    return rows


def checks() -> list[Check]:
    """The buffered Hübel-Dahlem model's and Kager 2000's checks."""
    return hd_buffer_checks() + kager2000_checks()


def differences() -> list[Difference]:
    """None: where the kager2000 reduction departs from the full model, its docstring says so."""
    return []
