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

from .validation import Check

__all__ = ["hd_buffer_checks"]

_HD = "hubel-dahlem2014"
_HD_RUN = ("[RUN-HD] ModelDB 167714 spreading-depression.ode (s = 0, pump off 9.5 s at 20 s) in SciPy, "
           "research transcription §7")
_HD_FRAGILE = ("; tolerance: the spread of the .ode's own end of the excursion over solver settings, "
               "106.4-107.8 s (our SciPy port, LSODA rtol 1e-9 to 1e-11)")


def hd_buffer_checks() -> list[Check]:
    """hubel-dahlem2014:buffered-sd against the authors' equations run by the
    transcription, and K+ conservation with the buffer compartment."""
    from .catalog import get

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
