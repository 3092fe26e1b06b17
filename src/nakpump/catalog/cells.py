"""The cells the default scenarios run on, and a squid-axon (Hodgkin-Huxley) cell.

``CELLS`` names them: ``tissue`` (the default: ``catalog.tissue.neuron_in_tissue``,
a cortical neuron with an astrocyte, a 0.2 extracellular space and a bath)
and ``pump-leak`` (``pump_leak_cell``, below: the single-compartment cell
for teaching).  ``default_cell`` builds the default.

The pump-leak cell: a 7 um-radius soma at 37 degC with textbook concentrations
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

from ..mechanisms import HHK, HHNa, HillPump, Leak, TraubK, TraubNa
from ..model.cell import Cell
from ..physics import rt_over_f
from .tissue import neuron_in_tissue


def pump_leak_cell(V_rest: float = -70.0, bath: bool = False, calibrate: bool = True,
                   pump: str = "hill", chloride: str = "passive", energy: bool = False,
                   volume: bool = False, **values) -> Cell:
    """The pump-leak cell (see module docstring), at rest at ``V_rest`` mV.

    Parameters
    ----------
    pump : str
        Pump model (``nakpump.mechanisms.PUMP_MODELS``: hill, sigmoid,
        luo-rudy, post-albers); its size parameter is calibrated.
    chloride : str
        "passive" (Cl_i at E_Cl = V_rest, no transporter), "kcc2" (Cl_i kept
        at its value, default 7 mM, by KCC2, whose rate is calibrated) or
        "kcc2+nkcc1" (both cotransporters; KCC2 calibrated).
    energy : bool
        Make ATP, ADP and Pi states with an ``Energy`` supply; the baseline
        use equals the pumps' resting use, and production is calibrated so
        that ATP is steady at rest.  A phenomenological pump then gets
        km_atp = 0.5 mM so that it slows as ATP falls.
    volume : bool
        Osmotic water flow, volumes as states; neutral osmolytes are added
        so that water is at equilibrium at the start.
    calibrate : bool
        With False the leak and pump keep their built-in sizes and the cell
        is not guaranteed to start at rest.
    values
        Cell parameters to set before calibration (``K_o=5``, ``bath=1``...).
    """
    from ..mechanisms import KCC2, NKCC1, Energy, Osmosis, pump_model
    from ..solve.steady import calibrate as _calibrate

    if chloride not in ("passive", "kcc2", "kcc2+nkcc1"):
        raise ValueError(f"chloride = {chloride!r}; allowed: passive, kcc2, kcc2+nkcc1")
    pump_cls = pump_model(pump)
    mechanisms = [TraubNa(), TraubK(), Leak("Na", g=0.0137), Leak("K", g=0.05), Leak("Cl", g=0.1),
                  HillPump(imax=8.7) if pump_cls is HillPump else pump_cls()]
    if chloride != "passive":
        mechanisms.append(KCC2())
    if chloride == "kcc2+nkcc1":
        mechanisms.append(NKCC1())
    if energy:
        mechanisms.append(Energy())
        if "km_atp" in mechanisms[5].values and mechanisms[5].values["km_atp"] == 0.0:
            # a phenomenological pump must feel ATP when ATP can run out: the
            # Na+/K+-ATPase's apparent K_m for MgATP is a few 100 uM [MEM]
            mechanisms[5].set(km_atp=0.5)
    if volume:
        mechanisms.append(Osmosis())
    cell = Cell(mechanisms, name="pump-leak",
                description=f"pump-leak cell: mammalian-like soma, 37 degC, Traub-type channels, {pump} pump",
                V0=V_rest, bath=float(bath), **values)
    if not calibrate:
        return cell
    solve_for = ["leak_na.g", f"pump.{pump_cls.scale}"]
    balance = ["Na", "K"]
    if chloride == "passive":
        T = cell.values["T"]
        cell.set(Cl_i=cell.values["Cl_o"] * math.exp(V_rest / rt_over_f(T)))
    else:
        solve_for.append("kcc2.U")
        balance.append("Cl")
    if volume:
        cell.balance_osmolarity()
    cell = _calibrate(cell, V_rest, solve_for=solve_for, balance=balance)
    if energy:
        from ..compile.system import compile_cell
        from ..solve.rest import rest_report
        use = rest_report(compile_cell(cell)).atp_flux  # mol/(cm2 s) by the pumps at rest
        pump_use = use / (cell.w_i * 1e-4) * 1e6  # mol/cm3/s over the cytosol -> mM/s
        baseline = pump_use  # the pumps spend half of the cell's ATP at rest
        atp = cell.values["ATP_i"]
        cell.mechanism("energy").set(baseline=baseline * (atp + 0.5) / atp)
        cell = _calibrate(cell, V_rest, solve_for=solve_for + ["energy.vmax"],
                          balance=balance + ["ATP"])
    return cell


CELLS = {"tissue": neuron_in_tissue, "pump-leak": pump_leak_cell}
"""The cells every default scenario runs on, by name; the first is the default."""


def default_cell(**options) -> Cell:
    """The default neuron: ``neuron_in_tissue(**options)``."""
    return neuron_in_tissue(**options)


def get_cell(name: str, **options) -> Cell:
    """The cell ``name`` (one of ``CELLS``) built with ``options``."""
    if name not in CELLS:
        raise ValueError(f"unknown cell {name!r}; allowed: {', '.join(CELLS)}")
    return CELLS[name](**options)


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
