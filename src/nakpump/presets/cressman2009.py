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

import math

import numpy as np
from numba import njit

from .. import analysis as an
from ..cell import Cell
from ..ions import NA, K
from ..mechanisms import BathDiffusion, GlialUptake, Leak, SigmoidPump
from ..mechanisms.base import Mechanism, Param, StateVar, register
from ..mechanisms.channels import efun
from ..physics import F
from ..protocol import Protocol
from ..scenarios import Outcome, Scenario, Summary, _simulate
from ..system import compile_cell
from . import Preset
from . import register as register_preset

REFERENCES = (
    "Cressman JR, Ullah G, Ziburkus J, Schiff SJ, Barreto E (2009) The influence of sodium and "
    "potassium dynamics on excitability, seizures, and the stability of persistent states: I. Single "
    "neuron dynamics. J Comput Neurosci 26:159-170. Erratum: J Comput Neurosci 30:781 (2011).",
)


@njit(cache=True, error_model="numpy")
def _rates(V):
    am = efun(-0.1 * (V + 30.0))
    bm = 4.0 * math.exp(-(V + 55.0) / 18.0)
    ah = 0.07 * math.exp(-(V + 44.0) / 20.0)
    bh = 1.0 / (1.0 + math.exp(-0.1 * (V + 14.0)))
    an = 0.1 * efun(-0.1 * (V + 34.0))
    bn = 0.125 * math.exp(-(V + 44.0) / 80.0)
    return am, bm, ah, bh, an, bn


@njit(cache=True, error_model="numpy")
def cressman_currents(V, T, rtf, ci, co, E, met, s, p, out):
    m, h, n, ca = s[0], s[1], s[2], s[3]
    gna, gk, gahp = p[0], p[1], p[2]
    out[NA] += gna * m * m * m * h * (V - E[NA])
    n2 = n * n
    out[K] += (gk * n2 * n2 + gahp * ca / (1.0 + ca)) * (V - E[K])


@njit(cache=True, error_model="numpy")
def cressman_derivatives(V, T, rtf, ci, co, E, met, s, p, ds):
    phi, gca, eca = p[3], p[4], p[5]
    am, bm, ah, bh, an, bn = _rates(V)
    ds[0] = phi * (am * (1.0 - s[0]) - bm * s[0])
    ds[1] = phi * (ah * (1.0 - s[1]) - bh * s[1])
    ds[2] = phi * (an * (1.0 - s[2]) - bn * s[2])
    ds[3] = -0.002 * gca * (V - eca) / (1.0 + math.exp(-(V + 25.0) / 2.5)) - s[3] / 80.0


@njit(cache=True, error_model="numpy")
def cressman_steady(V, T, rtf, ci, co, E, met, p, s):
    gca, eca = p[4], p[5]
    am, bm, ah, bh, an, bn = _rates(V)
    s[0] = am / (am + bm)
    s[1] = ah / (ah + bh)
    s[2] = an / (an + bn)
    s[3] = max(0.0, -0.002 * gca * (V - eca) / (1.0 + math.exp(-(V + 25.0) / 2.5)) * 80.0)


@register
class CressmanChannels(Mechanism):
    """Na+, delayed-rectifier K+ and Ca2+-activated AHP K+ currents of Cressman 2009.
    [Ca]_i is a state of this mechanism (in the paper's units), not an ion of the cell."""

    family = "cressman_channels"
    default_name = "hh"
    title = "Na+, K+ and AHP currents with Ca2+ (Cressman et al. 2009)"
    params = (Param("gNa", 100.0, "mS/cm2", 0.0, 1e4, "maximal Na+ conductance"),
              Param("gK", 40.0, "mS/cm2", 0.0, 1e4, "maximal delayed-rectifier conductance"),
              Param("gAHP", 0.01, "mS/cm2", 0.0, 1e4, "maximal AHP conductance"),
              Param("phi", 3.0, "1", 0.0, 100.0, "time-scale factor of the gates"),
              Param("gCa", 0.1, "mS/cm2", 0.0, 1e4, "Ca2+ conductance driving [Ca]_i"),
              Param("ECa", 120.0, "mV", -200.0, 300.0, "Ca2+ reversal potential (fixed)"))
    states = (StateVar("m", "1", "Na+ activation"), StateVar("h", "1", "Na+ inactivation"),
              StateVar("n", "1", "K+ activation"), StateVar("Ca", "1", "[Ca]_i for the AHP (paper units)"))
    ions = ("Na", "K")
    source = REFERENCES[0]
    currents = cressman_currents
    derivatives = cressman_derivatives
    steady = cressman_steady


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
    res = _simulate(system, Protocol(), duration=duration, dt=max(1.0, duration / 200000), tol=tol,
                   progress=progress)
    spikes = res.spikes
    s.add("bath K+", opts["k_bath"], "mM", ".2f")
    s.add("spikes", len(spikes), "", "d")
    if len(spikes) > 2:
        starts = an.bursts(spikes)[:, 0]
        late = starts[starts > duration / 3]
        s.add("bursts (silences > 1 s between)", len(starts), "", "d")
        if len(late) > 2:
            s.add("burst period (second half)", float(np.mean(np.diff(late))) / 1000.0, "s", ".1f")
        s.add("K_o range", f"{res['K_o'].min():.2f} - {res['K_o'].max():.2f} mM")
        s.add("Na_i range", f"{res['Na_i'].min():.1f} - {res['Na_i'].max():.1f} mM")
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
