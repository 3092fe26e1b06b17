"""The default mammalian neuron and a squid-axon (Hodgkin-Huxley) cell.

Default neuron: a 7 um-radius soma at 37 degC with textbook concentrations
(Na+ 12/145, K+ 140/4, Cl_o 120 mM; REFERENCES.md section 2.2), Traub-type
Na+/K+ channels (Wei, Ullah & Schiff 2014), ohmic leaks of Na+, K+ and Cl-,
and a Hill-type Na+/K+-ATPase (Kager, Wadman & Somjen 2000), inside a
closed extracellular space as large as the cell.  (Brain interstitial space is
about 0.2 of cell volume (Somjen et al. 2008), but there glia and diffusion
clear K+; a closed 0.2 space with no clearance runs away into spreading
depression after about 10 s of 10 Hz firing, so the default lumps that
buffering into a larger volume.  ``vol_o=287`` shows the runaway.)

Calibration at build time makes it an exact steady state at V_rest: the K+
leak is given (0.05 mS/cm2, as Wei 2014), the Na+ leak and the pump's imax
are solved so that Na+ and K+ fluxes balance (the procedure of Kager et al.
2000 / ModelDB 113446 start.hoc); with no Cl- transporter in this cell Cl-
must be passively distributed, so Cl_i is set to make E_Cl = V_rest
(8.7 mM at -70 mV, 37 degC).
"""

from __future__ import annotations

import math

from ..cell import Cell
from ..mechanisms import HHK, HHNa, HillPump, Leak, TraubK, TraubNa
from ..physics import rt_over_f


def default_cell(V_rest: float = -70.0, bath: bool = False, calibrate: bool = True, **values) -> Cell:
    """The default mammalian neuron (see module docstring), at rest at ``V_rest`` mV.

    ``values`` override cell parameters before calibration (``K_o=5``,
    ``bath=1``, ...).  With ``calibrate=False`` the Na+ leak and pump imax keep
    the values below and the cell is not guaranteed to start at rest.
    """
    from ..steady import calibrate as _calibrate

    cell = Cell(
        [TraubNa(), TraubK(), Leak("Na", g=0.0137), Leak("K", g=0.05), Leak("Cl", g=0.1),
         HillPump(imax=8.7)],
        name="default",
        description="mammalian-like neuron soma, 37 degC, Traub-type channels, Hill-type pump",
        V0=V_rest, bath=float(bath), **values,
    )
    if not calibrate:
        return cell
    T = cell.values["T"]
    cell.set(Cl_i=cell.values["Cl_o"] * math.exp(V_rest / rt_over_f(T)))
    return _calibrate(cell, V_rest, solve_for=("leak_na.g", "pump.imax"), balance=("Na", "K"))


def squid_cell(**values) -> Cell:
    """Hodgkin & Huxley's squid axon membrane at 6.3 degC.

    Concentrations are chosen so that the Nernst potentials equal HH 1952's
    reversal potentials in the modern convention (E_Na = +50, E_K = -77 mV;
    leak reversal -54.387 mV carried by Cl-, g_L = 0.3 mS/cm2), with a large
    axon volume and a fixed bath, so a few spikes leave them unchanged: this
    cell is the HH 1952 membrane action potential.  No pump (as the paper).
    """
    T = values.pop("T", 6.3)
    rtf = rt_over_f(T)
    K_i, Na_o, Cl_o = 400.0, 440.0, 440.0
    cell = Cell(
        [HHNa(), HHK(), Leak("Cl", g=0.3)],
        name="squid",
        description="Hodgkin-Huxley 1952 squid axon membrane (6.3 degC, fixed bath)",
        T=T, V0=-65.0, bath=1.0, area=1e6, vol_i=1e6 * 250.0 / 2.0,
        K_i=K_i, K_o=K_i * math.exp(-77.0 / rtf),
        Na_o=Na_o, Na_i=Na_o * math.exp(-50.0 / rtf),
        Cl_o=Cl_o, Cl_i=Cl_o * math.exp(-54.387 / rtf),
    )
    cell.set(**values)
    return cell
