"""nakpump's default cell, the neuron in tissue, built in NEURON: the spec.

The cell (``nakpump.neuron_in_tissue()``, ``nakpump.catalog.tissue``) is a
cortical neuron, an astrocyte and the extracellular space between them,
exchanging Na+, K+ and Cl- with a bath, with an ATP budget in each cytosol,
tissue O2 and osmotic water flow across both membranes.  In NEURON it is two
isopotential sections in one CVODE (no electrical coupling):

- ``neuron`` (area ``cell.area``, cm ``cell.Cm``, potential V): the Na+
  channel ``tisna``, the delayed rectifier ``tiskdr``, the M current
  ``tiskm``, the GHK leaks ``tisghk``, the alpha1 and alpha3 pumps
  ``tispump``, KCC2 ``tiskcc2``, K_ATP ``tiskatp``, the K+-carried electrode
  ``tisinj``, and ``tisacc``: every amount and volume of the three
  compartments (the neuron's Na+, K+, Cl- as NEURON's ion concentrations,
  which it alone writes, and the astrocyte's and the metabolites as its own
  states), both ATP budgets, O2, water flow and the bath exchange;
- ``astrocyte`` (area ``cell.area_g``, cm ``cell.Cm_g``, potential V_g):
  ``tisglia``, the astrocyte's membrane (Kir4.1, Na+ and Cl- leaks, the
  astrocytic pump, NKCC1) as a nonspecific current, with its Nernst
  potentials from the concentrations it reads through POINTERs (the
  extracellular ones are the neuron section's nao, ko, clo).

POINTERs join them: ``tisacc`` reads the electrode current, the neuron
pumps' and the astrocyte's cycle currents (one ATP per cycle) and the
astrocyte's per-ion currents (scaled by area_g/area); ``tispump`` and
``tiskatp`` read ATP_i (and ADP_i), ``tisglia`` the astrocyte's and the
extracellular concentrations and ATP_g.  Each CVODE right-hand side computes
every section's currents before any state's derivative, so the POINTERs
read values of the same evaluation.

Every parameter of the cell is mapped by name (``params``: nakpump's
``energy.vmax`` is ``tisacc``'s ``energy_vmax``, ``alpha1.density``
``tispump``'s ``alpha1_density``, ``cell.vol_g`` ``tisacc``'s ``cell_vol_g``;
one mechanism's own parameters keep their names, ``nat.gbar`` is ``tisna``'s
``gbar``), all in nakpump's units (no scale factors: the .mod files convert
their uA/cm2 to NEURON's mA/cm2), set, read back (``nrnbuild.set_checked``)
and checked to cover the cell: ``nakpump_cell`` refuses a cell with other
mechanisms, placements, compartments or parameters.  After ``finitialize``
(neuron at ``cell.V0``, astrocyte at ``cell.V0_g``) every state equals
nakpump's initial state (``compile_cell(cell).y0``, read by name) to 1e-12
relative.  NEURON runs in a child process (``neuron_base``), the spike
times refined as there.  Units: ms, mV, mM, uA/cm2 (mA/cm2 in NEURON's ion
currents), mS/cm2, um, um2, um3, degC, mg/L (O2).

Not compared: nakpump's ledger (its cumulative fluxes, which NEURON does not
keep) and the extracellular volume (a state on both sides, but it follows
from the other two, which are compared, as the total volume is fixed).

>>> a = run_neuron((100.0, 5, 10.0, 1.0, 15.0), 1000.0)
>>> b = run_nakpump((100.0, 5, 10.0, 1.0, 15.0), 1000.0)
>>> compare(a, b)["spike_time"]
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import neuron_base as nb  # noqa: E402

from nakpump import mechanisms as mk  # noqa: E402

MOD_DIR = Path(__file__).resolve().parent / "neuron_tissue"

HOSTS = {
    # nakpump mechanism: (its class, the NEURON mechanism that implements it, the prefix of its
    # parameters' names there); membrane mechanisms on the neuron unless named glia_* or kir
    "nat": (mk.MainenNa, "tisna", ""),
    "kdr": (mk.TraubKdr, "tiskdr", ""),
    "km": (mk.MCurrent, "tiskm", ""),
    "ghk_k": (mk.GHKLeak, "tisghk", "ghk_k_"),
    "ghk_na": (mk.GHKLeak, "tisghk", "ghk_na_"),
    "ghk_cl": (mk.GHKLeak, "tisghk", "ghk_cl_"),
    "alpha1": (mk.Alpha1Pump, "tispump", "alpha1_"),
    "alpha3": (mk.Alpha3Pump, "tispump", "alpha3_"),
    "kcc2": (mk.KCC2, "tiskcc2", ""),
    "energy": (mk.Energy, "tisacc", "energy_"),
    "ck": (mk.CreatineKinase, "tisacc", "ck_"),
    "glycolysis": (mk.Glycolysis, "tisacc", "glycolysis_"),
    "katp": (mk.KATP, "tiskatp", ""),
    "water": (mk.Osmosis, "tisacc", "water_"),
    "oxygen": (mk.Oxygen, "tisacc", "oxygen_"),
    "kir": (mk.Kir41, "tisglia", "kir_"),
    "glia_leak_na": (mk.Leak, "tisglia", "glia_leak_na_"),
    "glia_leak_cl": (mk.Leak, "tisglia", "glia_leak_cl_"),
    "glia_pump": (mk.AstrocytePump, "tisglia", "glia_pump_"),
    "glia_nkcc1": (mk.NKCC1, "tisglia", "glia_nkcc1_"),
    "glia_water": (mk.Osmosis, "tisacc", "glia_water_"),
    "glia_energy": (mk.Energy, "tisacc", "glia_energy_"),
    "glia_ck": (mk.CreatineKinase, "tisacc", "glia_ck_"),
    "glia_glycolysis": (mk.Glycolysis, "tisacc", "glia_glycolysis_"),
    "diffusion_k": (mk.BathDiffusion, "tisacc", "diffusion_k_"),
    "diffusion_na": (mk.BathDiffusion, "tisacc", "diffusion_na_"),
    "diffusion_cl": (mk.BathDiffusion, "tisacc", "diffusion_cl_"),
}
"""Each of the cell's mechanisms, in the cell's order, and where the NEURON model has it."""

ION_OF = {"ghk_k": "K", "ghk_na": "Na", "ghk_cl": "Cl", "glia_leak_na": "Na", "glia_leak_cl": "Cl",
          "diffusion_k": "K", "diffusion_na": "Na", "diffusion_cl": "Cl"}
"""The ion of each one-ion mechanism (the NEURON mechanisms hard-wire it)."""

ON_GLIA = ("kir", "glia_leak_na", "glia_leak_cl", "glia_pump", "glia_nkcc1", "glia_water")
"""Membrane mechanisms on the astrocyte's membrane "glia" (the others: on "neuron")."""
IN_ASTROCYTE = ("glia_energy", "glia_ck", "glia_glycolysis")
"""Cytosolic mechanisms of the astrocyte "g" (the other energy mechanisms: of the neuron, "i")."""

CELL_IN_ACCUM = ("area", "area_g", "vol_i", "vol_o", "vol_g", "X_i", "X_o", "X_g", "Na_g", "K_g", "Cl_g",
                 "O2_bath", *[f"{m}_{c}" for c in "ig" for m in ("ATP", "ADP", "Pi", "PCr", "Cr")])
"""Cell parameters that ``tisacc`` holds (as ``cell_<name>``)."""
CELL_ELSEWHERE = {"T": ("global", "celsius"), "Cm": ("section", "cm"), "Cm_g": ("glia_section", "cm"),
                  **{f"{ion}_{side}": ("global", f"{nrn}{side}0_{nrn}_ion")
                     for ion, nrn, _ in nb.IONS for side in "io"}}
"""The other cell parameters set in NEURON: temperature, capacitances, the ions' initial
concentrations (NEURON's globals)."""
CELL_STRUCTURE = {"V0": None, "V0_g": None, "bath": 0.0, "electrode_ion": 1.0}
"""Cell parameters that are not NEURON parameters: the initial potentials (``initialize``), and
two that must hold these values (a finite extracellular space; the electrode's current carried
by K+, index 1 of nakpump's ions)."""

QUANTITIES = ("V", "V_g", "Na_i", "K_i", "Cl_i", "Na_o", "K_o", "Cl_o", "Na_g", "K_g", "Cl_g",
              "ATP_i", "ADP_i", "Pi_i", "PCr_i", "Cr_i", "ATP_g", "ADP_g", "Pi_g", "PCr_g", "Cr_g",
              "vol_i_rel", "vol_g_rel", "O2")
"""What a run records, by nakpump's result name: potentials (mV), concentrations (mM), volumes
relative to the start, O2 (mg/L)."""
ACCUM_STATE = {"Na_g": "nag", "K_g": "kg", "Cl_g": "clg", "ATP_i": "atpi", "ADP_i": "adpi", "Pi_i": "pii",
               "PCr_i": "pcri", "Cr_i": "cri", "ATP_g": "atpg", "ADP_g": "adpg", "Pi_g": "pig",
               "PCr_g": "pcrg", "Cr_g": "crg", "vol_i_rel": "vi", "vol_g_rel": "vg", "O2": "o2"}
"""``tisacc``'s state of each quantity it holds besides NEURON's ion concentrations."""


def _mechanism_params() -> list:
    """(NEURON mechanism, variable, nakpump name, 1.0) of every parameter of every mechanism."""
    return [(host, prefix + p.name, f"{name}.{p.name}", 1.0)
            for name, (cls, host, prefix) in HOSTS.items() for p in cls.all_params()]


def _cell_params() -> list:
    out = [("tisacc", f"cell_{name}", f"cell.{name}", 1.0) for name in CELL_IN_ACCUM]
    return out + [(target, var, f"cell.{name}", 1.0) for name, (target, var) in CELL_ELSEWHERE.items()]


def nakpump_cell(**options):
    """nakpump's neuron in tissue (``neuron_in_tissue(**options)``), checked to be what the NEURON
    model implements: the mechanisms of ``HOSTS`` in that order, each of its family, ion and
    place; the compartments i, o, g and the membranes neuron (i|o) and glia (g|o); and every
    parameter either mapped to NEURON (``params``) or one of ``CELL_STRUCTURE`` at its value."""
    from nakpump.catalog.tissue import neuron_in_tissue
    cell = neuron_in_tissue(**options)
    check_cell(cell)
    return cell


def check_cell(cell) -> None:
    """Raise unless ``cell`` is what the NEURON model implements (see ``nakpump_cell``)."""
    got = [(m.name, m.family) for m in cell.mechanisms]
    want = [(name, cls.family) for name, (cls, _, _) in HOSTS.items()]
    if got != want:
        raise AssertionError(f"the NEURON model covers {want}; the cell has {got}")
    for m in cell.mechanisms:
        if m.name in ION_OF and m.ion != ION_OF[m.name]:
            raise AssertionError(f"{m.name} moves {m.ion}; the NEURON model has {ION_OF[m.name]}")
        if m.site == "membrane":
            want_membrane = "glia" if m.name in ON_GLIA else "neuron"
            if m.membrane != want_membrane:
                raise AssertionError(f"{m.name} sits on {m.membrane}, in NEURON on {want_membrane}")
        elif m.family in ("energy", "creatine_kinase", "glycolysis"):
            want_comp = "g" if m.name in IN_ASTROCYTE else "i"
            if m.compartment != want_comp:
                raise AssertionError(f"{m.name} works in {m.compartment}, in NEURON in {want_comp}")
    comps = [(c.name, c.volume, c.reservoir) for c in cell.compartments()]
    if comps != [("i", "vol_i", False), ("o", "vol_o", False), ("g", "vol_g", False)]:
        raise AssertionError(f"compartments {comps}: the NEURON model has i, o, g, all finite")
    mems = [(m.name, m.inside, m.outside, m.V, m.area, m.Cm, m.V0) for m in cell.membranes()]
    if mems != [("neuron", "i", "o", "V", "area", "Cm", "V0"),
                ("glia", "g", "o", "V_g", "area_g", "Cm_g", "V0_g")]:
        raise AssertionError(f"membranes {mems}: the NEURON model has neuron (i|o) and glia (g|o)")
    mapped = {src for _, _, src, _ in _mechanism_params() + _cell_params()}
    for name, _, value in cell.parameters():
        short = name.removeprefix("cell.")
        if name in mapped:
            continue
        if name.startswith("cell.") and short in CELL_STRUCTURE:
            want_value = CELL_STRUCTURE[short]
            if want_value is not None and value != want_value:
                raise AssertionError(f"{name} = {value}: the NEURON model needs {want_value}")
            continue
        raise AssertionError(f"{name} is not in the NEURON model")


@dataclass(frozen=True)
class TissueModel(nb.Model):
    """The neuron in tissue: ``Model`` with a second section (``glia_section``, with
    ``glia_mechanisms``); see the module docstring."""

    glia_section: str = "astrocyte"
    glia_mechanisms: tuple = ("tisglia",)

    @property
    def own(self) -> tuple[str, ...]:
        return tuple(m for m in self.mechanisms + self.glia_mechanisms
                     if (self.mod_dir / f"{m}.mod").exists())

    def all_params(self) -> tuple:
        """Every parameter (``params``: the mechanisms' and the cell's), nakpump's F and R where
        a mechanism computes with them, and the electrode's amplitude (0 at the start)."""
        common = [("tisacc", "faraday", "F", 1.0), ("tisghk", "faraday", "F", 1.0),
                  ("tisghk", "rgas", _gas_constant, 1.0), ("tisglia", "faraday", "F", 1.0),
                  ("tisglia", "rgas", _gas_constant, 1.0), (self.electrode, "amp", 0.0, 1.0)]
        return tuple(self.params) + tuple(common)

    def make_section(self, cell) -> "TissueSections":
        return TissueSections(self, cell)


def _gas_constant(cell) -> float:
    """nakpump's R, J/(mol K)."""
    from nakpump.physics import R
    return R


class TissueSections(nb.NeuronSection):
    """The two sections (``sec``/``seg``: the neuron; ``sec_g``/``seg_g``: the astrocyte), their
    POINTERs, the initial potentials and the checks of the initial state."""

    def _build(self) -> None:
        h, model, v = self.h, self.model, self.values
        self.sec = self.new_section(model.section, v["area"], model.mechanisms)
        self.sec_g = self.new_section(model.glia_section, v["area_g"], model.glia_mechanisms)
        seg, seg_g = self.seg, self.seg_g = self.sec(0.5), self.sec_g(0.5)
        acc, glia = seg.tisacc, seg_g.tisglia
        links = [(seg._ref_amp_tisinj, "iel", acc), (seg._ref_jatp_tispump, "jn", acc),
                 (glia._ref_ina_g, "ina_g", acc), (glia._ref_ik_g, "ik_g", acc),
                 (glia._ref_icl_g, "icl_g", acc), (glia._ref_jatp, "jg", acc),
                 (acc._ref_atpi, "atp_i", seg.tispump),
                 (acc._ref_atpi, "atp_i", seg.tiskatp), (acc._ref_adpi, "adp_i", seg.tiskatp),
                 (acc._ref_nag, "na_g", glia), (acc._ref_kg, "k_g", glia), (acc._ref_clg, "cl_g", glia),
                 (acc._ref_atpg, "atp_g", glia),
                 (seg._ref_nao, "na_o", glia), (seg._ref_ko, "k_o", glia), (seg._ref_clo, "cl_o", glia)]
        for ref, name, mech in links:
            h.setpointer(ref, name, mech)

    def target(self, name: str):
        if name == "glia_section":
            return self.sec_g
        if name in self.model.glia_mechanisms:
            return getattr(self.seg_g, name)
        return super().target(name)

    def initialize(self) -> None:
        """``finitialize`` with the neuron at ``cell.V0`` and the astrocyte at ``cell.V0_g``
        (without an argument finitialize keeps each section's v)."""
        self.seg.v = self.values["V0"]
        self.seg_g.v = self.values["V0_g"]
        self.h.finitialize()

    def refs(self) -> dict:
        out = super().refs()
        out["V_g"] = self.seg_g._ref_v
        acc = self.seg.tisacc
        out.update({q: getattr(acc, f"_ref_{state}") for q, state in ACCUM_STATE.items()})
        return out

    def close(self) -> None:
        self.seg_g = self.sec_g = None
        super().close()

    def _check_init(self) -> None:
        """The base checks (the neuron's ions, Nernst potentials and gates), then every other
        state against nakpump's initial state, 1e-12 relative: V_g, the astrocyte's ions, the
        metabolites, the relative volumes (1) and O2."""
        super()._check_init()
        import nakpump as nk
        system = nk.compile_cell(self.cell)
        lay, y0 = system.layout, system.y0

        def nakpump_value(q):
            if q in ("V", "V_g"):
                return float(y0[lay.state(q)])
            if q == "O2":
                return float(y0[lay.state("O2_o")])
            if q.startswith("vol_"):
                return 1.0
            side = q.rsplit("_", 1)[1]
            return float(y0[lay.state(f"n_{q}")] / y0[lay.state(f"w_{side}")])

        refs = self.refs()
        for q in self.model.quantities:
            got, want = refs[q][0], nakpump_value(q)
            err = abs(got - want) / max(abs(want), 1.0)
            self.init_errors[q] = err
            if err > 1e-12:
                raise AssertionError(f"{q} starts at {got} in NEURON, {want} in nakpump")


MODEL = TissueModel(
    module="tissue_neuron", section="neuron", mod_dir=MOD_DIR,
    mechanisms=("tisna", "tiskdr", "tiskm", "tisghk", "tispump", "tiskcc2", "tiskatp", "tisinj", "tisacc"),
    accum="tisacc", electrode="tisinj", cell=nakpump_cell, duration=2000.0, record_dt=1.0, atol=1e-8,
    params=tuple(_mechanism_params() + _cell_params()),
    gates={"nat_m": ("tisna", "m"), "nat_h": ("tisna", "h"), "kdr_n": ("tiskdr", "n"),
           "km_p": ("tiskm", "p")},
    quantities=QUANTITIES)

run_neuron = MODEL.run_neuron
run_nakpump = MODEL.run_nakpump
build_mechanisms = MODEL.build_mechanisms


def compare(a: dict, b: dict) -> dict:
    """Differences between two runs on the same grid: ``spike_time`` (max |difference| of the
    spike times, ms; inf if the counts differ), ``n_spikes`` (the two counts), and the max
    |difference| of each quantity of ``QUANTITIES`` under its name (mV, mM, 1, mg/L)."""
    if len(a["t"]) != len(b["t"]) or np.max(np.abs(a["t"] - b["t"])) > 1e-9 * max(1.0, a["t"][-1]):
        raise ValueError("the runs are not on the same time grid")
    out = {"n_spikes": (len(a["spikes"]), len(b["spikes"]))}
    if len(a["spikes"]) == len(b["spikes"]):
        out["spike_time"] = float(np.max(np.abs(a["spikes"] - b["spikes"]))) if len(a["spikes"]) else 0.0
    else:
        out["spike_time"] = math.inf
    for q in QUANTITIES:
        out[q] = float(np.max(np.abs(a[q] - b[q])))
    return out


def check_rest(duration: float = 1000.0, tol_mV: float = 1e-3, atol: float = 1e-8) -> dict:
    """Run ``duration`` ms with no stimulus (CVODE at ``atol``); the cell is calibrated to an
    exact rest, so V and V_g must stay within ``tol_mV`` of their start.  Returns that run, with
    ``drift`` and ``drift_g`` (the largest deviations, mV)."""
    out = run_neuron((), duration, atol=atol, record_dt=1.0)
    out["drift"] = float(np.max(np.abs(out["V"] - out["V"][0])))
    out["drift_g"] = float(np.max(np.abs(out["V_g"] - out["V_g"][0])))
    if max(out["drift"], out["drift_g"]) >= tol_mV:
        raise AssertionError(f"NEURON's tissue drifts {out['drift']} mV (neuron), {out['drift_g']} mV "
                             f"(astrocyte) from rest in {duration} ms")
    return out


# ------------------------------------------------------------ validation ----

TRAIN = (100.0, 5, 10.0, 1.0, 15.0)
"""The pulse train of ``validation_numbers``: five 1 ms, 15 uA/cm2 pulses (the cell's test pulse) at
10 Hz from 100 ms, 1 s in all."""


def validation_numbers() -> dict:
    """Headline numbers of the pulse train ``TRAIN`` from both simulators:
    ``{quantity: (nakpump value, NEURON value, unit)}`` (NEURON CVODE atol 1e-8)."""
    from harness import spike_numbers, trace_numbers

    a = run_neuron(TRAIN, 1000.0, atol=1e-8, record_dt=1.0)
    b = run_nakpump(TRAIN, 1000.0, record_dt=1.0)
    return {**spike_numbers("pulse train", b["spikes"], a["spikes"], ks=(1, 5)),
            **trace_numbers("pulse train", b, a, [("K_o", "max", "K_o peak"),
                                                  ("Na_i", "at end", "Na_i at 1 s"),
                                                  ("K_g", "at end", "K_g at 1 s")])}
