"""The default neuron: a cortical pyramidal-like neuron in tissue, with an
astrocyte, a realistic extracellular space and a bath, at 37 degC.

Per neuron of cortex (the "tissue unit"), with their sources (see
REFERENCES 2.2, 2.3, 2.7):

- the neuron: membrane area 23,000 um2, the capacitance that the membrane
  time constant and input resistance of cortical pyramidal cells imply
  (L2/3: 11.5 ms / 51.1 MOhm = 225 pF; L5b: 11.7 ms / 48.7 MOhm = 240 pF;
  PMC6623880 Table 3; 1 uF/cm2); volume 7,600 um3: the tissue volume per
  neuron (9.2e7 neurons per cm3, Attwell & Laughlin 2001) times the share of
  neuronal elements (axons 29 %, dendrites 30 %, spines 12 % of mouse
  cortex, Braitenberg 2001), so volume/area 0.33 um, that of thin processes;
- the astrocyte: 1,000 um3 (glia 9.5 % of cortex, Braitenberg 2001; 4-8 %
  of CA1 stratum radiatum) with 20,000 um2 of membrane (fine processes,
  surface/volume 20 /um, as in Halnes-type astrocyte models);
- the extracellular space: volume fraction 0.2 of the tissue (Sykova &
  Nicholson 2008; 0.24 in neocortex slices, Kume-Kick et al. 2002), i.e.
  2,150 um3, exchanging Na+, K+ and Cl- with a bath (the surrounding tissue
  and capillaries) at the rate of Cressman et al. 2009 (K+ 1.2/s; Na+ and
  Cl- x 0.682 and x 1.0388 for their mobilities, as in Wei et al. 2014's
  code);
- concentrations: Na 10/145 (dendritic Na_i about 10 mM, Nelson et al.
  2025), K 140/4, Cl_o 120 mM; KCC2 holds Cl_i at 6 mM (E_Cl -80.7 mV,
  below rest); the astrocyte's Na 14.5, K 101.2, Cl 5.65 mM at -85.9 mV
  (edNEG, Saetra et al. 2021; measured -77 mV, Walz & MacVicar 1988);
- the neuron's rest: leaks with GHK permeabilities P_K : P_Na : P_Cl =
  1 : r : 0.45 (course tables, REFERENCES 2.2), P_K set for a total resting
  conductance near 0.09 mS/cm2 (tau_m 11.5 ms); P_Na, the alpha1 pump's
  density and KCC2's rate are solved so that -70 mV is a steady state
  (calibrated, not predicted: the summary says so), r is reported;
- pumps: alpha1 (density solved) and alpha3 (500 /um2) in the neuron, the
  astrocytic pump (density solved for the astrocyte's rest);
- energy, in each cell: oxidative phosphorylation (``Energy``, solved to
  balance ATP at rest, with a non-pump baseline use equal to the pumps'),
  creatine kinase and phosphocreatine, anaerobic glycolysis (resting flux
  2/32 of the ATP made: two of about 32 ATP per glucose come from
  glycolysis), and in the neuron a K_ATP conductance;
- water: osmotic flow across both membranes, the astrocyte's 40x more
  permeable (aquaporin-4; P_f 0.04 cm/s in astrocyte models, Verkman lab;
  neurons lack functional water channels, Andrew et al. 2007).
"""

from __future__ import annotations

from ..mechanisms import (
    KATP,
    KCC2,
    NKCC1,
    Alpha1Pump,
    Alpha3Pump,
    AstrocytePump,
    BathDiffusion,
    CreatineKinase,
    Energy,
    GHKLeak,
    Glycolysis,
    Kir41,
    Leak,
    MainenNa,
    MCurrent,
    Osmosis,
    Oxygen,
    PostAlbersPump,
    TraubKdr,
)
from ..model.cell import Cell

GEOMETRY = {"area": 23000.0, "vol_i": 7600.0, "vol_o": 2150.0}
"""Neuron membrane (um2), neuron and extracellular volumes (um3) per neuron of cortex."""
ASTROCYTE = {"volume": 1000.0, "area": 20000.0, "V0": -85.9, "Na": 14.5, "K": 101.2, "Cl": 5.65}
"""Astrocyte: volume (um3), membrane (um2), resting potential (mV) and concentrations (mM) of the
edNEG model (Saetra et al. 2021, REFERENCES 1b.6; measured: -77 mV, Walz & MacVicar 1988)."""
BATH_RATE = 1.2
"""1/s: K+ exchange of the extracellular space with the bath: the diffusion rate epsilon of Cressman
et al. 2009 (REFERENCES 1b.2; Wei et al. 2014 use 0.25/s for a slice-like lumped space).  With it a
10 Hz train raises K_o by about 2 mM and the K+ is gone within seconds (in vivo K_o rises 1-3 mM
at such rates and clears with a half-time of seconds, Heinemann & Lux 1977 [MEM])."""
P_RATIO = {"K": 1.0, "Na": 0.05, "Cl": 0.45}
P_K = 0.45e-6
"""cm/s: the neuron's K+ permeability at rest (sets a total resting conductance near 0.09 mS/cm2)."""


POOLS = {"ATP": 2.9, "PCr": 4.7, "Cr": 5.9}
"""mM: ATP, phosphocreatine and free creatine of rat cortex in vivo (Siesjo 1978, Brain Energy
Metabolism, Table 4.2 [MEM]: ATP 2.9-3.0, PCr 4.6-5.0, Cr 5.5-6.0 umol/g)."""
GLYCOLYTIC_RESERVE = 5.0
"""Maximal anaerobic glycolytic flux over the resting flux (ischaemic mouse brain: 4-7 fold,
Lowry et al. 1964 J Biol Chem 239:18 [MEM]; neonatal rat 3.8 fold, Vannucci et al.)."""
O2_STORE_TAU = 10.0
"""s: time constant with which tissue O2 follows the supply (the O2 held in lungs, blood and tissue;
tissue pO2 falls to near zero within about 20-30 s of anoxia [assumed from that range])."""
O2_HALF = 1.6
"""mg/L: O2 for half-maximal oxidative phosphorylation, 5 % of the normoxic level (32 mg/L): about
1.5 of 30 mmHg tissue pO2 (mitochondrial respiration saturates above a few mmHg [MEM])."""


def _atp_pools(K_eq: float = 177.0) -> dict[str, float]:
    """The ATP pools and the free ADP at creatine kinase equilibrium (mM)."""
    return dict(POOLS, ADP=POOLS["ATP"] * POOLS["Cr"] / (K_eq * POOLS["PCr"]))


PUMPS = ("isoforms", "post-albers")
"""Pump models of the neuron in tissue: the isoform Hill pumps, or the thermodynamic Post-Albers
cycle for each isoform (its Na_i affinity set by ``na_scale``)."""
PA_NA_SCALE = {"alpha1": 3.78, "alpha3": 0.86, "glia_pump": 1.26}
"""Post-Albers ``na_scale`` giving each isoform's apparent K0.5(Na_i) at -70 mV, K_o 4 mM, 37 degC:
12 (alpha1), 33 (alpha3) and 22 mM (alpha2, the astrocyte's; Zahler et al. 1997)."""


def _pumps(pump: str) -> tuple:
    if pump == "isoforms":
        return Alpha1Pump(density=400.0), Alpha3Pump(density=500.0), AstrocytePump(density=1000.0,
                                                                                     membrane="glia")
    if pump == "post-albers":
        return (PostAlbersPump("alpha1", density=400.0, na_scale=PA_NA_SCALE["alpha1"]),
                PostAlbersPump("alpha3", density=500.0, na_scale=PA_NA_SCALE["alpha3"]),
                PostAlbersPump("glia_pump", density=1000.0, na_scale=PA_NA_SCALE["glia_pump"],
                               membrane="glia"))
    raise ValueError(f"pump.model = {pump!r} for the neuron in tissue; allowed: {', '.join(PUMPS)}")


def neuron_in_tissue(V_rest: float = -70.0, pump: str = "isoforms", calibrate: bool = True,
                     params: dict[str, float] | None = None, **values) -> Cell:
    """The default neuron in tissue (see the module docstring), resting at ``V_rest`` mV.

    ``pump``: one of ``PUMPS``.  ``values`` are cell parameters and ``params``
    any parameter by dotted name (``{"katp.g": 1.0}``), set before calibration.
    """
    from ..solve.steady import calibrate as _calibrate

    pools = _atp_pools()
    T = values.get("T", 37.0)
    alpha1, alpha3, glia_pump = _pumps(pump)
    neuron = [MainenNa(), TraubKdr(), MCurrent(),
              GHKLeak("K", P=P_K), GHKLeak("Na", P=P_K * P_RATIO["Na"]), GHKLeak("Cl", P=P_K * P_RATIO["Cl"]),
              alpha1, alpha3, KCC2(U=1.0),
              Energy(vmax=0.1, km_adp=0.05, o2_half=O2_HALF), CreatineKinase(), Glycolysis(), KATP(),
              Osmosis(lp=1.8e-4), Oxygen(alpha=0.0, eps=1.0 / O2_STORE_TAU)]
    cell = Cell(neuron, name="neuron-in-tissue", test_pulse=(15.0, 1.0),
                description="cortical pyramidal-like neuron with an astrocyte, extracellular space "
                            "(volume fraction 0.2) and bath, 37 degC",
                T=T, V0=V_rest, bath=0.0, Na_i=10.0, K_i=140.0, Cl_i=6.0, Na_o=145.0, K_o=4.0, Cl_o=120.0,
                ATP_i=pools["ATP"], ADP_i=pools["ADP"], PCr_i=pools["PCr"], Cr_i=pools["Cr"], Pi_i=1.0,
                **GEOMETRY)
    cell.add_compartment("g", "astrocyte", ASTROCYTE["volume"], Na=ASTROCYTE["Na"], K=ASTROCYTE["K"],
                         Cl=ASTROCYTE["Cl"])
    cell.add_membrane("glia", "g", "o", area=ASTROCYTE["area"], V0=ASTROCYTE["V0"])
    cell.set(ATP_g=pools["ATP"], ADP_g=pools["ADP"], PCr_g=pools["PCr"], Cr_g=pools["Cr"], Pi_g=1.0)
    glia = [Kir41(membrane="glia"), Leak("Na", name="glia_leak_na", g=0.1, membrane="glia"),
            Leak("Cl", name="glia_leak_cl", g=0.05, membrane="glia"),
            glia_pump,
            NKCC1(name="glia_nkcc1", k_half=10.0, membrane="glia"),
            Osmosis(name="glia_water", lp=7.2e-3, membrane="glia"),
            Energy(name="glia_energy", vmax=0.1, km_adp=0.05, o2_half=O2_HALF, compartment="g"),
            CreatineKinase(name="glia_ck", compartment="g"),
            Glycolysis(name="glia_glycolysis", compartment="g")]
    for mech in glia:
        cell.add(mech)
    for ion, factor in (("K", 1.0), ("Na", 0.682), ("Cl", 1.0388)):
        cell.add(BathDiffusion(ion, rate=BATH_RATE * factor, bath=cell.values[f"{ion}_o"]))
    cell.set(**values)
    cell.update(params or {})
    cell.balance_osmolarity()
    if not calibrate:
        return cell
    ions = dict(solve_for=["ghk_na.P", "alpha1.density", "kcc2.U", "glia_leak_na.g", "glia_pump.density",
                           "glia_leak_cl.g"],
                balance=["Na", "K", "Cl", "Na_g", "K_g", "Cl_g"])
    cell = _calibrate(cell, V_rest, **ions)
    _energy_budget(cell)
    return _calibrate(cell, V_rest, solve_for=ions["solve_for"] + ["energy.vmax", "glia_energy.vmax"],
                      balance=ions["balance"] + ["ATP", "ATP_g"])


GLYCOLYTIC_SHARE = 2.0 / 32.0
"""Share of the resting ATP production made by glycolysis (2 of about 32 ATP per glucose)."""


def _energy_budget(cell: Cell) -> None:
    """Set each cell's non-pump baseline ATP use equal to its pumps' at rest, and
    its glycolysis so that it makes ``GLYCOLYTIC_SHARE`` of the resting ATP."""
    from ..compile.system import compile_cell

    system = compile_cell(cell)
    lay = system.layout
    rates = system.rhs(system.y0)
    for comp, energy, glycolysis in (("i", "energy", "glycolysis"), ("g", "glia_energy", "glia_glycolysis")):
        w = cell.w(comp)
        pumps = [m.name for m in cell.mechanisms if "na_k_pump" in m.tags
                 and lay.membranes[[x["name"] for x in lay.membranes].index(m.membrane)]["inside"] == comp]
        use = sum(rates[lay.state(f"q_{name}_ATP")] for name in pumps) / w * 1e3  # mM/s of the cytosol
        atp, adp, pi = (cell.values[f"{m}_{comp}"] for m in ("ATP", "ADP", "Pi"))
        e = cell.mechanism(energy)
        e.set(baseline=use * (atp + e.values["km_use"]) / atp)
        g = cell.mechanism(glycolysis)
        g.set(km_adp=adp * (GLYCOLYTIC_RESERVE - 1.0))
        sat = adp / (adp + g.values["km_adp"]) * pi / (pi + g.values["km_pi"])
        g.set(vmax=GLYCOLYTIC_SHARE * 2.0 * use / sat)
