"""Kager, Wadman & Somjen 2000 / Somjen, Kager & Wadman 2008: a neuron, an
interstitial space of 0.2 of its volume and a glial cell, reduced to one
isopotential compartment of each (the soma's channel set).

Sources: Kager H, Wadman WJ, Somjen GG (2000) J Neurophysiol 84:495-512;
Somjen GG, Kager H, Wadman WJ (2008) J Comput Neurosci, doi
10.1007/s10827-008-0083-9 (as its ModelDB readme.html cites it), whose
NEURON code is ModelDB 113446 (commit f30e3f8; every number below cites
start.hoc or a mod file by line; research transcription of it §1-5).  No
figure value of either paper could be read; the numbers compared with are
from running the authors' code ([RUN-NRN]).

What the authors' model is.  An 8-section pyramidal neuron (24 segments)
with a glial "shadow" cell per section, each segment with its own closed
interstitial space (no bath); ions diffuse along the cable; water follows
osmotic gradients; the neuron carries transient and persistent Na+,
delayed-rectifier and A-type K+, Ca2+-activated K+, L- and T-type Ca2+
currents, a K_o-gated "NMDA-like" current in dendrites 1-3, a Na+/Ca2+
exchanger and a Ca2+ pump; the glia a leak, a pump (K_m,K 5 mM), an inward
rectifier and a delayed rectifier.  Leaks and the pumps' maxima are solved
at the start (start.hoc ``set``/``setglia``) so that Na+ and K+ are at rest.

The reduction here: one isopotential neuronal compartment with the soma's
channels and the geometry of the soma's middle segment as accum.mod sees it
(a cylinder of 8 um diameter, length 30 um: volume/area 2 um), its
interstitial space (0.2 of its volume), and one glial compartment of the
same volume and membrane area (start.hoc:57-62, 192-204).  The leaks and
pumps are solved exactly as start.hoc does for this channel set
(``cell(balance=True)``).  Water flows by accum.mod's conservative form (``method =
1``; the shipped default ``method = 0`` moves volumes the wrong way and does
not conserve ions, transcription §1.4), with the 0.04 floor on the
interstitial volume.  Every ion and the water are conserved.

What is missing, and why.
- Ca2+: nakpump has no Ca2+ ion, so the Ca2+ currents (L- and T-type), the
  Ca2+-activated K+ current, the Na+/Ca2+ exchanger, the Ca2+ pump and the
  Ca2+ buffer are left out rather than carried as currents that move no
  ions.  At rest they carry little (Na+/Ca2+ exchanger -0.09 uA/cm2 of Na+,
  Ca2+ current +0.05 uA/cm2, transcription §2.9, §5.3), so the solved soma
  leaks change: g_Na,leak 1.386e-5 instead of 1.315e-5 and g_K,leak 7.52e-5
  instead of 7.50e-5 S/cm2.  During spreading depression the soma's
  Ca2+-activated K+ current (1 mS/cm2) and the Ca2+ entry are absent; "How
  it compares" below gives what that changes (the same soma in NEURON with
  the Ca2+ mechanisms).  Extracellular Cl- is
  Na_o + K_o = 143.5 mM (start.hoc:270 adds 2 Ca_o for electroneutrality)
  and 4.5 mM of neutral osmolytes keep the osmolarity at 291.5 mM; Cl_i and
  Cl_g follow from the same Nernst rule as start.hoc:276, 283.
- The dendrites: the NMDA-like current (dendrites 1-3), the dendrites'
  delayed rectifier (0.5 S/cm2) and their leaks and pumps, longitudinal
  current and diffusion.  The soma has a larger volume/area (2 um) than the
  thin dendrites (0.25-1 um), so its concentrations move less per unit of
  current.
- Kager 2000's own "glial uptake" of K+ (a first-order buffer, threshold
  15 mM, 500 mM total, slope 1.09 mM; quoted in ModelDB 267499 init.hoc
  comments, transcription §3b): ModelDB 113446 replaced it with the
  explicit glia used here.  ``mechanisms.KBuffer`` is that buffer (the
  hubel-dahlem2014 preset uses it), but Kager 2000's rate constant k1 could
  not be read (0.0008 /ms is a guess from memory), so it is not offered here.
- The NEURON TABLEs of the rates (replaced by the functions they tabulate;
  they move the glial g_K,leak from 1.0612577e-3 to 1.060752e-3 S/cm2).

How it compares.  All numbers from running ModelDB 113446's own files in
NEURON 9.0.2 ourselves ([RUN-NRN]; accum.mod method 1; 60 s runs, trigger at
1 s); nakpump values in brackets.
- The same reduction built from the authors' mod files (one soma and one
  glial section, the mod files' Ca2+ mechanisms left out, TABLEs off): the
  leaks and pumps agree to 1e-9 relative; a K+ puff to 20 mM gives K_o peak
  53.597 mM at 4.054 s (53.599, 4.055), a plateau of -18.571 mV (-18.566),
  the interstitial floor from 24.479 s (24.485); blocking both pumps gives a
  K_o peak of 87.89 mM (87.97) and a plateau of -25.02 mV (-24.91), NEURON's
  own numbers still moving towards nakpump's as its dt is halved
  (tests/test_kager2000.py).
- The soma with the authors' Ca2+ mechanisms (and TABLEs and their
  concentrations): K+ puff: K_o peak 48.8 mM at 3.6 s (53.6 at 4.1),
  plateau -21.7 mV (-18.6), K_o at 60 s 40.4 mM (45.5), floor from 26.6 s
  (24.5); pump block: K_o peak 79.6 mM at 13.8 s (88.0 at 10.8), plateau
  -26.1 mV (-24.9), floor from 13.8 s (13.2).  Leaving out Ca2+ makes the
  K_o peak 5 (puff) to 8 (block) mM higher and the plateau 1-3 mV more
  depolarised.
- The full 8-section model: a K+ puff to 20 mM in every segment's
  interstitial space does *not* cause spreading depression there.  The soma
  blocks between -38 and -46 mV (not a -19 mV plateau), its K_o peaks at 21.4 mM,
  its interstitial space reaches the floor at 5.0 s, and it repolarises at
  9.5 s, back to -70.8 mV and K_o 3.8 mM by 60 s.  The reduced soma stays
  depolarised.  The dendrites' large delayed rectifier (0.5 S/cm2 in
  dendrites 1-3), their leaks, pumps and glia, and longitudinal K+ diffusion
  clear the soma's K+, and no single compartment has them.  So this preset
  shows the model's spreading-depression *mechanism* (the soma's channels
  with a closed, shrinking interstitial space and glia), not the full
  cell's threshold for it.  Blocking every pump in the full model
  depolarises the soma more slowly and less deeply: V -39.8, -36.6 and
  -34.6 mV and K_o 14.2, 26.3 and 31.4 mM at 2, 3 and 4.8 s (nakpump's soma:
  -27.5, -18.0, -11.5 mV; 41.4, 61.0, 76.1 mM).  After 5.1 s the full model
  fails in NEURON (NaN; accum method 1, dt 0.025 ms), so nothing later is
  compared.
- Rest: the soma alone is not stable at -70 mV.  Its NaT window current
  (-1.23 uA/cm2) is balanced in the full cell by the dendrites' membrane
  through the cable.  Here it takes the soma to -77.6 mV within 50 ms; the
  authors' mechanisms in NEURON do the same (-77.8 mV at 1 s, -78.0 with
  Ca2+).  Then Na_i drifts slowly (10 to 8 mM over 2 min), because the
  pumps were balanced for -70 mV.  The scenarios trigger at 1 s, from that
  state.
"""

from __future__ import annotations

import math

import numpy as np

from ..compile.numpy_backend import environment, evaluate
from ..compile.system import compile_cell
from ..flux import MembraneFlux, ion_currents
from ..mechanisms import HillPump, KagerKA, KagerKdr, KagerKir, KagerNaP, KagerNaT, KagerWater, Leak
from ..mechanisms.base import Param
from ..model.cell import Cell
from ..model.protocol import Block, Protocol, SetConcentration
from ..physics import RTF_PER_KELVIN, nernst
from ..results import analysis as an
from ..solve.simulate import Tolerances
from .scenario import Outcome, Preset, Scenario, Summary, register_preset, simulate

REFERENCES = (
    "Kager H, Wadman WJ, Somjen GG (2000) Simulated seizures and spreading depression in a neuron model "
    "incorporating interstitial space and ion concentrations. J Neurophysiol 84:495-512.",
    "Somjen GG, Kager H, Wadman WJ (2008) Computer simulations of neuron-glia interactions mediated by "
    "ion flux. J Comput Neurosci, doi:10.1007/s10827-008-0083-9. ModelDB 113446.",
)

T = 36.0
"""degC (start.hoc:255)."""
V_INIT, V_GLIA = -70.0, -88.0
"""mV: the potential that sets Cl_i, and the glia's (start.hoc:256-257)."""
HOC_KELVIN = 273.11247574
"""The zero of temperature start.hoc uses in its Nernst formulas (start.hoc:276, 283)."""
ECS = {"Na": 140.0, "K": 3.5}
"""mM in the interstitial space (start.hoc:266-267); Cl_o = Na_o + K_o here (see the docstring)."""
CA_O, CA_I = 1.5, 5e-5
"""mM: Ca2+ outside and inside (start.hoc:269, 274), used only for the osmolarity and K_i."""
NA_I, K_G = 10.0, 113.5
"""mM: neuronal Na+ (start.hoc:275) and glial K+ (start.hoc:281)."""
DIAM, LENGTH = 8.0, 30.0
"""um: diameter of the soma's middle segment (start.hoc:85: 10 to 6 um) and its length (start.hoc:84)."""
ECS_FRACTION, GLIA_FRACTION = 0.2, 1.0
"""Interstitial and glial volume per neuronal volume (start.hoc:57, 61-62)."""
RM_NEURON, RM_GLIA = 1e4, 750.0
"""Ohm cm2: the K+ plus Na+ leak resistances set() and setglia() solve for (start.hoc:538-539)."""
TAU_WATER = 100.0
"""ms: accum.mod's osmotic time constant (start.hoc:60)."""
SOMA = {"nat": 400.0, "nap": 0.125, "ka": 200.0, "kdr": 200.0}
"""mS/cm2: the soma's channel densities (start.hoc:86-93)."""
GLIA_KIR, GLIA_KDR = 25.0, 25.0
"""mS/cm2: glial inward and delayed rectifiers (start.hoc:74-77)."""


def osmolarity() -> float:
    """291.5 mM: the interstitial osmolarity start.hoc:270-271 computes (Cl_o = Na_o + K_o + 2 Ca_o)."""
    cl_o = ECS["Na"] + ECS["K"] + 2.0 * CA_O
    return cl_o + ECS["Na"] + ECS["K"] + CA_O


def _hoc_cl(cl_o: float, v: float) -> float:
    """Cl- in Nernst equilibrium at ``v`` mV as start.hoc:276 computes it (its own zero of temperature)."""
    return cl_o * math.exp(v / (RTF_PER_KELVIN * (T + HOC_KELVIN)))


def cell(balance: bool = True) -> Cell:
    """The reduced Kager-Somjen cell (see the module docstring); ``balance``
    solves its leaks and pumps as start.hoc ``set(1e4)``/``setglia(750, -88)``
    do (False leaves them at start.hoc's first-stage values, not at rest)."""
    if not isinstance(balance, (bool, np.bool_)):
        raise ValueError(f"balance: {balance!r} must be True or False")
    osm = osmolarity()
    cl_o = ECS["Na"] + ECS["K"]
    area = math.pi * DIAM * LENGTH
    vol = math.pi * DIAM ** 2 / 4.0 * LENGTH
    lp = 1e3 / (math.pi * DIAM * TAU_WATER)  # um/(s mM): accum.mod's flux per length over pi d
    neuron = [KagerNaT(gbar=SOMA["nat"]), KagerNaP(gbar=SOMA["nap"]), KagerKA(gbar=SOMA["ka"]),
              KagerKdr(gbar=SOMA["kdr"]), Leak("Na"), Leak("K"), Leak("Cl"),
              HillPump(name="pump", km_na=10.0, km_k=2.0, q10=1.0, T_ref=T),
              KagerWater(lp=lp)]
    c = Cell(neuron, name="kager2000",
             description="Kager-Somjen neuron (soma), interstitial space 0.2 and glia, 36 degC",
             T=T, V0=V_INIT, bath=0.0, area=area, vol_i=vol, vol_o=ECS_FRACTION * vol,
             Na_i=NA_I, K_i=(osm - 2.0 * NA_I - 3.0 * CA_I) / 2.0, Cl_i=_hoc_cl(cl_o, V_INIT),
             Na_o=ECS["Na"], K_o=ECS["K"], Cl_o=cl_o)
    c.add_compartment("g", "glia", GLIA_FRACTION * vol, Na=osm / 2.0 - K_G, K=K_G, Cl=_hoc_cl(cl_o, V_GLIA))
    c.add_membrane("glia", "g", "o", area=area, V0=V_GLIA)
    for mech in (Leak("Na", name="glia_leak_na"), Leak("K", name="glia_leak_k"),
                 Leak("Cl", name="glia_leak_cl"),
                 HillPump(name="glia_pump", km_na=10.0, km_k=5.0, q10=1.0, T_ref=T),
                 KagerKir(gbar=GLIA_KIR), KagerKdr(name="glia_kdr", gbar=GLIA_KDR, shiftn=50.0),
                 KagerWater(name="glia_water", lp=lp)):
        mech.membrane = "glia"
        c.add(mech)
    c.balance_osmolarity()
    return _balance(c) if balance else _first_stage(c)


def _nernst(c: Cell, ion: str, inside: str) -> float:
    """Nernst potential (mV) of ``ion`` across the membrane of compartment ``inside``."""
    return nernst(-1 if ion == "Cl" else 1, c.values[f"{ion}_o"], c.values[f"{ion}_{inside}"], c.values["T"])


def _leak_pair(rm: float, dr_na: float, dr_k: float) -> tuple[float, float]:
    """(g_K, g_Na) in mS/cm2 with g_K + g_Na = 1/rm and Na+ influx 3/2 the K+ efflux
    (start.hoc:296-299, 356-360)."""
    g_k = 1e3 / rm / (1.0 - 1.5 * dr_k / dr_na)
    return g_k, -1.5 * dr_k * g_k / dr_na


def _saturation(km_k: float, km_na: float, k_o: float, na_i: float) -> float:
    return (1.0 + km_k / k_o) ** -2 * (1.0 + km_na / na_i) ** -3


def _first_stage(c: Cell) -> Cell:
    """Leaks and pump maxima before start.hoc's correction for the channels'
    resting currents (start.hoc:286-310, 340-367)."""
    v = c.values
    c.set(V0=_nernst(c, "Cl", "i"))  # V_rest = E_Cl (start.hoc:291)
    for mem, rm, pump, inside, prefix in (("neuron", RM_NEURON, "pump", "i", ""),
                                          ("glia", RM_GLIA, "glia_pump", "g", "glia_")):
        V = v["V0"] if mem == "neuron" else v["V0_g"]
        dr_na, dr_k = V - _nernst(c, "Na", inside), V - _nernst(c, "K", inside)
        g_k, g_na = _leak_pair(rm, dr_na, dr_k)
        p = c.mechanism(pump)
        sat = _saturation(p.values["km_k"], p.values["km_na"], v["K_o"], v[f"Na_{inside}"])
        p.set(imax=-g_na * dr_na / (3.0 * sat))
        c.mechanism(f"{prefix}leak_k").set(g=g_k)
        c.mechanism(f"{prefix}leak_na").set(g=g_na)
    return c


def membrane_currents(c: Cell, membrane: str, gates_at: float | None = None) -> dict[str, float]:
    """Each ion's total current (uA/cm2, outward +) across ``membrane`` at the
    cell's initial state, every gate at its steady state for ``gates_at`` mV
    (default: the membrane's initial potential)."""
    mem = next(m for m in c.membranes() if m.name == membrane)
    v = c.values
    conc = {f"{ion}_{side}": v[f"{ion}_{comp}"] for ion in ("Na", "K", "Cl")
            for side, comp in (("i", mem.inside), ("o", mem.outside))}
    env = environment(V=v[mem.V0], T=v["T"], **conc)
    gate_env = environment(V=v[mem.V0] if gates_at is None else gates_at, T=v["T"], **conc)
    total = {"Na": 0.0, "K": 0.0, "Cl": 0.0}
    for mech in c.mechanisms:
        flux = mech.flux_list()
        if mech.site != "membrane" or mech.membrane != membrane or not any(
                isinstance(f, MembraneFlux) for f in flux):
            continue
        steady = evaluate(mech, gate_env).get("steady", ())
        states = {st.name: x for st, x in zip(mech.states, steady, strict=True)}
        for fl, value in zip(flux, evaluate(mech, env, states=states)["fluxes"], strict=True):
            for ion, per in ion_currents(fl).items():
                total[ion] += per * float(value)
    return total


def _balance(c: Cell) -> Cell:
    """start.hoc set(1e4) and setglia(750, -88): the first stage, then the K+
    (and in the neuron the Na+) leak corrected so that the total resting K+ and
    Na+ currents are zero, the pumps' maxima kept; g_Cl = 5 g_Na in the
    neuron, 10 g_Na in the glia (start.hoc:310-320, 370-375).  As in start.hoc,
    the neuron's gates are at their steady state for V_INIT (-70 mV) when its
    currents are measured, while V is E_Cl (-70.0085 mV): hoc's finitialize()
    keeps the previous V (start.hoc:310, 393-395), so the balanced neuron starts
    with a net Na+ current of about 0.006 uA/cm2, as the authors' does."""
    _first_stage(c)
    v = c.values
    for mem, inside, prefix, cl_factor in (("neuron", "i", "", 5.0), ("glia", "g", "glia_", 10.0)):
        V = v["V0"] if mem == "neuron" else v["V0_g"]
        i = membrane_currents(c, mem, gates_at=V_INIT if mem == "neuron" else V)
        leak_k, leak_na = c.mechanism(f"{prefix}leak_k"), c.mechanism(f"{prefix}leak_na")
        leak_k.set(g=leak_k.values["g"] - i["K"] / (V - _nernst(c, "K", inside)))
        if mem == "neuron":
            leak_na.set(g=leak_na.values["g"] - i["Na"] / (V - _nernst(c, "Na", inside)))
        c.mechanism(f"{prefix}leak_cl").set(g=cl_factor * leak_na.values["g"])
    return c


TIGHT = Tolerances(rtol=1e-7, atol_V=1e-5, atol_conc=1e-8, atol_gate=1e-6)
"""Solver tolerances of the scenarios."""


def _sd_run(sc, cell_, opts, duration, tol, progress):
    t0 = opts["at"]
    if duration <= t0:
        raise ValueError(f"--duration = {duration:g} ms must be longer than scenario.at = {t0:g} ms")
    system = compile_cell(cell_)
    s = Summary(f"kager2000:{sc.name}: {sc.title}")
    if sc.name == "k-puff":
        events = [SetConcentration(t0, "K_o", opts["level"])]
    else:
        events = [Block("pump", opts["fraction"], t0), Block("glia_pump", opts["fraction"], t0)]
    res = simulate(system, Protocol(events), duration=duration, dt=max(1.0, duration / 200000),
                   tol=tol or TIGHT, progress=progress)
    t, v = res.t, res["V"]
    w_o = res["vol_o"] / res["vol_o"][0]
    s.add("V_rest", "V before", float(v[0]), "mV", ".3f")
    s.add("V_glia_rest", "glial V before", float(res["V_g"][0]), "mV", ".3f")
    dt = an.time_depolarised(res, t0)
    s.add("t_depolarised", "time to the depolarised (SD-like) state (V above -40 mV for 1 s)",
          None if dt is None else dt / 1000.0, "s", ".2f")
    k = int(np.argmax(res["K_o"]))
    s.add("K_o_peak", "K_o peak", float(res["K_o"][k]), "mM", ".2f")
    s.add("t_K_o_peak", "time of the K_o peak", t[k] / 1000.0, "s", ".2f")
    late = t >= t[-1] - 0.1 * (t[-1] - t0)
    s.add("V_plateau", "mean V over the last tenth of the run", float(np.mean(v[late])), "mV", ".2f")
    s.add("V_glia_plateau", "mean glial V over the last tenth", float(np.mean(res["V_g"][late])), "mV", ".2f")
    s.add("K_o_end", "K_o at end", float(res["K_o"][-1]), "mM", ".2f")
    s.add("Na_i_end", "Na_i at end", float(res["Na_i"][-1]), "mM", ".2f")
    s.add("K_g_end", "glial K+ at end", float(res["K_g"][-1]), "mM", ".2f")
    s.add("ecs_min", "smallest interstitial volume (relative to rest)", float(w_o.min()), "", ".4f")
    floor = cell_.mechanism("water").values["floor"]
    at_floor = t[w_o <= floor * (1.0 + 1e-6)]
    s.add("t_floor", "time the interstitial space reaches its floor", at_floor[0] / 1000.0 if len(at_floor)
          else None, "s", ".2f")
    s.add("vol_i_end", "neuronal volume at end (relative)", float(res["vol_i_rel"][-1]), "", ".4f")
    s.add("vol_g_end", "glial volume at end (relative)", float(res["vol_g_rel"][-1]), "", ".4f")
    s.add("recovered", "repolarised at end (V below -60 mV)", bool(v[-1] < -60.0))
    return Outcome(sc, res, s, marks={"trigger": (t0, t0)})


_AT = Param("at", 1000.0, "ms", 0.0, 1e8, "time of the trigger")

PRESET = register_preset(Preset(
    name="kager2000",
    title="Kager, Wadman & Somjen 2000 / Somjen et al. 2008: neuron, interstitial space and glia",
    references=REFERENCES,
    description=__doc__.strip().splitlines()[0],
    build=cell,
    scenarios={
        "k-puff": Scenario(
            name="k-puff", title="A K+ puff ignites spreading depression",
            description="At scenario.at the interstitial K+ is raised to scenario.level; the neuron "
            "fires, depolarises to a plateau, K_o rises to a ceiling near 50 mM and the interstitial "
            "space shrinks to its floor.",
            options=(_AT, Param("level", 20.0, "mM", 0.1, 500.0, "interstitial K+ after the puff")),
            duration=60000.0, runner=_sd_run, factory=cell),
        "ouabain": Scenario(
            name="ouabain", title="Blocking the neuronal and glial pumps: spreading depression",
            description="At scenario.at scenario.fraction of both Na+/K+ pumps is blocked; K_o rises "
            "from the leaks until the neuron depolarises.",
            options=(_AT, Param("fraction", 1.0, "1", 0.0, 1.0, "fraction of both pumps blocked")),
            duration=60000.0, runner=_sd_run, factory=cell),
    },
))
