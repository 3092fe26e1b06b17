"""Wei, Ullah & Schiff 2014: one model for spikes, seizures and spreading
depression, with cell volume, KCC2/NKCC1, glia and an oxygen-fed pump.

Source: Wei Y, Ullah G, Schiff SJ (2014) J Neurosci 34:11733-11743;
equations and parameters as transcribed in REFERENCES.md 1b.3 (three
independent code versions agree).  Traub-type Na+ and K+ channels (G_Na 30,
G_K 25 mS/cm2), leaks (Na 0.0247, K 0.05, Cl 0.1 mS/cm2), the sigmoid pump
with rho_max 0.8 mM/s scaled by the extracellular O2, KCC2 (0.3 mM/s) and
NKCC1 (0.1 mM/s), glial uptake (5 mM/s) and a glial pump (rho_max/3), K+
diffusion to the bath (0.25/s) scaled by the bath O2 and the swelling, the
volume relaxing toward Wei's osmotic target (tau 0.25 s), and O2 supplied
by the bath (0.17/s) and used by both pumps (alpha 5.3).  Geometry: a 7 um
sphere, extracellular space 1/7 of the cell; 36 degC.

What is ours.  The cell is conservative: every ion is an amount in the
cytosol or the extracellular space (the paper integrates concentrations
with gamma recomputed from the current volume), so swelling dilutes.  The
conversions (gamma) use the initial volume, so the pump, KCC2 and NKCC1
rates are per membrane area.  The osmolarities count the impermeant anions
that make each side electroneutral (152 mM inside, 18 mM outside, plus
20 mM neutral osmolytes outside so water starts at rest) where the paper
uses 132 and 18 mM without electroneutrality; the volume target depends
only on the osmotic difference, so rest is the same.
"""

from __future__ import annotations

import numpy as np

from ..compile.system import compile_cell
from ..mechanisms import (
    KCC2,
    NKCC1,
    BathDiffusion,
    GlialPump,
    GlialUptake,
    Leak,
    Oxygen,
    SigmoidPump,
    TraubK,
    TraubNa,
    VolumeRelaxation,
)
from ..mechanisms.base import Param
from ..model.cell import Cell, sphere
from ..model.protocol import Protocol, SetParameter
from ..physics import AMOUNT_PER_CHARGE
from ..results import analysis as an
from ..solve.simulate import Tolerances
from .scenario import Outcome, Preset, Scenario, Summary, register_preset, simulate

REFERENCES = (
    "Wei Y, Ullah G, Schiff SJ (2014) Unification of neuronal spikes, seizures, and spreading "
    "depression. J Neurosci 34:11733-11743.",
)

GEOMETRY = sphere(7.0)
GAMMA = AMOUNT_PER_CHARGE * 1e3 * GEOMETRY["area"] / GEOMETRY["vol_i"]
"""mM/s of cytosol per uA/cm2 for the 7 um sphere (Wei's gamma, 0.0444)."""

RHO_MAX = 0.8
"""mM/s: the pump's maximal cycle rate (Wei 2014)."""

TIGHT = Tolerances(rtol=1e-8, atol_V=1e-6, atol_conc=1e-9, atol_gate=1e-7)
"""The scenarios' default tolerances: the return from each spreading-depression
episode is a slow passage whose timing the default rtol 1e-5 gets about 10 %
late (episode period 56 s against 52 s at rtol 1e-8 to 1e-10)."""

SEIZURE_K_BATH = 8.5
SD_K_BATH = 20.0
HYPOXIA_O2 = 2.0
"""Default bath K+ (mM) and O2 (mg/L) of the scenarios."""


def cell(k_bath: float = 4.0, o2_bath: float = 32.0) -> Cell:
    """The Wei 2014 neuron with bath K+ ``k_bath`` (mM) and bath O2 ``o2_bath`` (mg/L)."""
    mechs = [
        TraubNa(gbar=30.0), TraubK(gbar=25.0),
        Leak("Na", g=0.0247), Leak("K", g=0.05), Leak("Cl", g=0.1),
        SigmoidPump(imax=RHO_MAX / GAMMA, na_half=25.0, na_slope=3.0, k_half=3.5, k_slope=1.0,
                    o2_half=20.0, o2_slope=3.0, T_ref=36.0),
        KCC2(U=0.3 / GAMMA), NKCC1(U=0.1 / GAMMA, k_half=16.0),
        GlialUptake(G=5.0, k_half=18.0, slope=2.5, o2_half=2.5, o2_slope=0.2),
        GlialPump(rho=RHO_MAX / 3.0),
        BathDiffusion("K", rate=0.25, bath=k_bath, o2_half=2.5, o2_slope=0.2, beta_half=20.0,
                      beta_slope=2.0),
        VolumeRelaxation(tau=0.25, b=0.1029, scale=20.0),
        Oxygen(alpha=5.3, eps=0.17),
    ]
    c = Cell(mechs, name="wei2014", description="Wei, Ullah & Schiff 2014 neuron, 36 degC",
             T=36.0, bath=0.0, vol_o=GEOMETRY["vol_i"] / 7.0, V0=-68.0, O2_bath=o2_bath,
             Na_i=18.0, K_i=140.0, Cl_i=6.0, Na_o=144.0, K_o=4.0, Cl_o=130.0, **GEOMETRY)
    return c.balance_osmolarity()


def _in_bath(cell_: Cell, k_bath: float, o2_bath: float) -> Cell:
    """``cell_`` with the bath K+ (mM) and O2 (mg/L) set; it starts from Wei's initial state."""
    return cell_.with_params({"diffusion_k.bath": k_bath, "cell.O2_bath": o2_bath})


def _episodes(res, s: Summary, t0: float = 0.0) -> None:
    sd = an.depolarised_episodes(res)
    sd = sd[sd[:, 0] > t0]
    s.add("episodes", "spreading-depression-like episodes (V > -40 mV for 1 s or more)", len(sd), "", "d")
    if len(sd):
        s.add("first_episode", "first episode starts", (sd[0, 0] - t0) / 1000.0,
              "s" + (" after the change" if t0 else ""), ".1f")
        s.add("episode_duration", "episode duration (mean)", float(np.mean(sd[:, 1] - sd[:, 0])) / 1000.0,
              "s", ".1f")
    if len(sd) > 1:
        s.add("episode_period", "episode period", float(np.mean(np.diff(sd[:, 0]))) / 1000.0, "s", ".1f")


def _describe(res, s: Summary, t0: float = 0.0) -> None:
    after = res.t >= t0
    s.add("K_o_peak", "K_o peak", float(res["K_o"][after].max()), "mM", ".1f")
    s.add("Na_i_peak", "Na_i peak", float(res["Na_i"][after].max()), "mM", ".1f")
    swell = float(res["vol_i_rel"][after].max())
    s.add("swelling", "largest cell swelling", 100.0 * (swell - 1.0), "%", ".1f")
    vo = res["vol_o"]
    s.add("ecs_min", "smallest extracellular space", 100.0 * float(vo[after].min() / vo[0]),
          "% of the start", ".0f")
    s.add("O2_min", "lowest O2", float(res["O2"][after].min()), "mg/L", ".1f")


def _bath_run(sc, cell_, opts, duration, tol, progress):
    """The cell in the scenario's bath, unstimulated: the result and a summary
    that starts with the bath and the spike count."""
    system = compile_cell(_in_bath(cell_, opts["k_bath"], opts["o2_bath"]))
    s = Summary(f"wei2014:{sc.name}: {sc.title}")
    res = simulate(system, Protocol(), duration=duration, dt=max(1.0, duration / 200000), tol=tol or TIGHT,
                    progress=progress)
    s.add("k_bath", "bath K+", opts["k_bath"], "mM", ".2f")
    s.add("o2_bath", "bath O2", opts["o2_bath"], "mg/L", ".1f")
    s.add("spikes", "spikes", len(res.spikes), "", "d")
    return res, s


def _seizures(sc, cell_, opts, duration, tol, progress):
    res, s = _bath_run(sc, cell_, opts, duration, tol, progress)
    events = an.bursts(res.spikes)
    s.add("events", "seizure-like events (silences > 1 s between)", len(events), "", "d")
    if len(events) > 2:
        s.add("event_period", "event period", float(np.mean(np.diff(events[1:, 0]))) / 1000.0, "s", ".1f")
    if len(events):
        s.add("event_duration", "event duration (mean)", float(np.mean(events[:, 1] - events[:, 0])) / 1000.0,
              "s", ".1f")
        s.add("spikes_per_event", "spikes per event (mean)", float(np.mean(events[:, 2])), "", ".0f")
        s.add("K_o_min", "K_o lowest", float(res["K_o"].min()), "mM", ".2f")
        s.add("K_o_max", "K_o highest", float(res["K_o"].max()), "mM", ".2f")
    _episodes(res, s)
    _describe(res, s)
    return Outcome(sc, res, s)


def _depression(sc, cell_, opts, duration, tol, progress):
    res, s = _bath_run(sc, cell_, opts, duration, tol, progress)
    _episodes(res, s)
    _describe(res, s)
    return Outcome(sc, res, s)


def _hypoxia(sc, cell_, opts, duration, tol, progress):
    t0, length = opts["at"], opts["length"]
    if duration <= t0 + length:
        raise ValueError(f"--duration = {duration:g} ms must be longer than scenario.at + "
                         f"scenario.length = {t0 + length:g} ms")
    system = compile_cell(_in_bath(cell_, opts["k_bath"], 32.0))
    s = Summary(f"wei2014:{sc.name}: {sc.title}")
    events = [SetParameter(t0, "cell.O2_bath", opts["o2_low"]),
              SetParameter(t0 + length, "cell.O2_bath", 32.0)]
    res = simulate(system, Protocol(events), duration=duration, dt=max(1.0, duration / 200000),
                    tol=tol or TIGHT, progress=progress)
    s.add("o2_low", "bath O2 during hypoxia", opts["o2_low"], "mg/L", ".1f")
    s.add("V_before", "V before", float(res["V"][0]), "mV", ".2f")
    s.add("spikes", "spikes", len(res.spikes), "", "d")
    _episodes(res, s, t0)
    _describe(res, s, t0)
    s.add("V_end", "V at end", float(res["V"][-1]), "mV", ".1f")
    s.add("recovered", "recovered after reoxygenation", bool(res["V"][-1] < -60.0))
    return Outcome(sc, res, s, marks={"hypoxia": (t0, t0 + length)})


_BATH = (Param("k_bath", 4.0, "mM", 0.1, 100.0, "bath K+"),
         Param("o2_bath", 32.0, "mg/L", 0.0, 100.0, "bath O2 (32: normoxia)"))


def _with_default(options, **defaults):
    return tuple(Param(p.name, defaults.get(p.name, p.default), p.unit, p.lo, p.hi, p.doc)
                 for p in options)


PRESET = register_preset(Preset(
    name="wei2014",
    title="Wei, Ullah & Schiff 2014: spikes, seizures and spreading depression in one neuron",
    references=REFERENCES,
    description=__doc__.strip().splitlines()[0],
    build=cell,
    scenarios={
        "seizures": Scenario(
            name="seizures", title="Seizure-like events at raised bath K+",
            description="With the bath K+ raised the neuron fires in periodic seizure-like events "
            "of a few seconds, each ended by the pump and KCC2 as Na_i and Cl_i rise.",
            options=_with_default(_BATH, k_bath=SEIZURE_K_BATH), duration=300000.0,
            runner=_seizures, factory=cell),
        "spreading-depression": Scenario(
            name="spreading-depression", title="Spreading depression at high bath K+",
            description="With the bath K+ high the neuron fires briefly, then K_o runs away, the "
            "membrane depolarises into block, the cell swells and the extracellular space shrinks; "
            "the pump and the bath bring it back, and the cycle repeats.",
            options=_with_default(_BATH, k_bath=SD_K_BATH), duration=180000.0,
            runner=_depression, factory=cell),
        "hypoxia": Scenario(
            name="hypoxia", title="Hypoxia: spreading depression, and recovery with oxygen",
            description="The bath O2 falls to scenario.o2_low for scenario.length ms: the pumps "
            "slow, the glia and diffusion fail, K_o rises into a spreading-depression-like "
            "depolarisation; with oxygen back the cell recovers.",
            options=(Param("k_bath", 4.0, "mM", 0.1, 100.0, "bath K+"),
                     Param("o2_low", HYPOXIA_O2, "mg/L", 0.0, 100.0, "bath O2 during hypoxia"),
                     Param("at", 10000.0, "ms", 0.0, 1e8, "time the O2 falls"),
                     Param("length", 60000.0, "ms", 1.0, 1e8, "how long the hypoxia lasts")),
            duration=300000.0, runner=_hypoxia, factory=cell),
    },
))
