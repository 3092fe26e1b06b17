"""Cressman, Ullah, Ziburkus, Schiff & Barreto 2009: a neuron whose Na+/K+
pump, glial K+ uptake and diffusion to a bath make seizure-like bursts.

Source: Cressman JR et al. (2009) J Comput Neurosci 26:159-170, erratum
30:781 (2011); equations and parameters as transcribed in REFERENCES.md 1b.2
(the consensus of two re-implementations; the original code was not found).

What is the paper's and what is ours.  The channels (HH-type with phi = 3),
the Ca2+-activated AHP current, the leaks, the sigmoid pump (rho 1.25 mM/s,
i.e. 28.1 uA/cm2 at gamma = 4.45e-2 mM/s per uA/cm2), glial uptake (66 mM/s)
and diffusion (1.2/s) and the geometry (7 um sphere, beta = V_i/V_o = 7) are
the paper's.  Unlike the paper, this cell is conservative: the pump's net
current enters the membrane equation, K_i, Na_o and Cl- are states that
follow their own currents (the paper sets K_i = 158 - Na_i,
Na_o = 144 - beta (Na_i - 18) and holds Cl- fixed), so every ion is counted.
The behaviour to reproduce is qualitative: periodic seizure-like bursting
when the bath K+ is raised (the paper: k_bath about 7.5-8 mM [MEM]).
"""

from __future__ import annotations

import numpy as np

from ..compile.system import compile_cell
from ..mechanisms import BathDiffusion, CressmanChannels, GlialUptake, Leak, SigmoidPump
from ..mechanisms.base import Param
from ..model.cell import Cell
from ..model.protocol import Protocol
from ..physics import F
from ..results import analysis as an
from .scenario import Outcome, Preset, Scenario, Summary, register_preset, simulate

REFERENCES = (
    "Cressman JR, Ullah G, Ziburkus J, Schiff SJ, Barreto E (2009) The influence of sodium and "
    "potassium dynamics on excitability, seizures, and the stability of persistent states: I. Single "
    "neuron dynamics. J Comput Neurosci 26:159-170. Erratum: J Comput Neurosci 30:781 (2011).",
)


GAMMA = 4.45e-2
"""mM/s of cytosol per uA/cm2 in the paper (a 7 um sphere)."""


def cell(k_bath: float = 4.0) -> Cell:
    """The (conservative) Cressman neuron with the bath K+ at ``k_bath`` mM."""
    w_i = 1e4 / (F * GAMMA)
    area = 616.0
    mechs = [CressmanChannels(), Leak("Na", g=0.0175), Leak("K", g=0.05), Leak("Cl", g=0.05),
             SigmoidPump(imax=1.25 / GAMMA, na_half=25.0, na_slope=3.0, k_half=5.5, k_slope=1.0,
                         T_ref=36.0),
             GlialUptake(G=66.0, k_half=18.0, slope=2.5),
             BathDiffusion("K", rate=1.2, bath=k_bath)]
    return Cell(mechs, name="cressman2009", description="Cressman et al. 2009 neuron (conservative)",
                T=36.0, area=area, vol_i=w_i * area, vol_o=w_i * area / 7.0, bath=0.0, V0=-67.0,
                Na_i=18.0, K_i=140.0, Cl_i=6.0, Na_o=144.0, K_o=4.0, Cl_o=130.0)


def _bursting(sc, cell_, opts, duration, tol, progress):
    c = cell_.with_params({"diffusion_k.bath": opts["k_bath"]})
    system = compile_cell(c)
    s = Summary(f"cressman2009:{sc.name}: {sc.title}")
    res = simulate(system, Protocol(), duration=duration, dt=max(1.0, duration / 200000), tol=tol,
                   progress=progress)
    spikes = res.spikes
    s.add("k_bath", "bath K+", opts["k_bath"], "mM", ".2f")
    s.add("spikes", "spikes", len(spikes), "", "d")
    if len(spikes) > 2:
        starts = an.bursts(spikes)[:, 0]
        late = starts[starts > duration / 3]
        s.add("bursts", "bursts (silences > 1 s between)", len(starts), "", "d")
        gaps = np.diff(late) / 1000.0
        if len(gaps) >= 4:
            early, last = float(np.mean(gaps[:len(gaps) // 2])), float(np.mean(gaps[len(gaps) // 2:]))
            s.add("burst_period", "burst period (the last intervals)", last, "s", ".1f")
            if abs(early - last) > 0.1 * last:
                s.note(f"the rhythm has not settled within the run (intervals {early:.3g} s, then "
                       f"{last:.3g} s): lengthen --duration")
        elif len(late) > 1:
            s.note("too few bursts to give a period: lengthen --duration")
        s.add("K_o_min", "K_o lowest", float(res["K_o"].min()), "mM", ".2f")
        s.add("K_o_max", "K_o highest", float(res["K_o"].max()), "mM", ".2f")
        s.add("Na_i_min", "Na_i lowest", float(res["Na_i"].min()), "mM", ".1f")
        s.add("Na_i_max", "Na_i highest", float(res["Na_i"].max()), "mM", ".1f")
    return Outcome(sc, res, s)


PRESET = register_preset(Preset(
    name="cressman2009",
    title="Cressman et al. 2009: pump, glia and diffusion make seizure-like bursts",
    references=REFERENCES,
    description=__doc__.strip().splitlines()[0],
    build=cell,
    scenarios={
        "bursting": Scenario(
            name="bursting", title="Seizure-like bursting at raised bath K+",
            description="With the bath K+ raised, K_o and Na_i oscillate slowly and the cell fires in "
            "periodic bursts (the paper's seizure-like events).",
            options=(Param("k_bath", 8.0, "mM", 0.1, 100.0, "bath K+"),),
            duration=300000.0, runner=_bursting, factory=cell),
    },
))
