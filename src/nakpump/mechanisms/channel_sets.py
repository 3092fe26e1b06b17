"""The Na+ and K+ channel sets of two published concentration models, each a
single mechanism because their gates are shared between the currents.

Cressman et al. 2009 (J Comput Neurosci 26:159-170, erratum 30:781):
HH-type Na+ and delayed-rectifier K+ currents with phi = 3 and a
Ca2+-activated AHP K+ current; [Ca]_i is a state of the mechanism (in the
paper's units), not an ion of the cell.  Transcription: REFERENCES 1b.2.

Hübel & Dahlem 2014 (PLoS Comput Biol 10:e1003941; ModelDB 167714): the
Rinzel-type reduction with m instantaneous and h = 1 - 1/(1 + exp(-6.5
(n - 0.35))).  Transcription: REFERENCES 1b.4.
"""

from __future__ import annotations

import numpy as xp

from .base import Mechanism, MembraneFlux, Param, StateVar, kernel, register
from .channels import relax
from .factors import efun

NA_AND_K = (MembraneFlux(ions={"Na": 1.0}), MembraneFlux(ions={"K": 1.0}))

CRESSMAN_SOURCE = ("Cressman JR, Ullah G, Ziburkus J, Schiff SJ, Barreto E (2009) J Comput Neurosci "
                   "26:159-170; erratum 30:781 (2011) (REFERENCES 1b.2)")
HUBEL_DAHLEM_SOURCE = ("Hübel N, Dahlem MA (2014) PLoS Comput Biol 10:e1003941; ModelDB 167714 "
                       "(REFERENCES 1b.4)")


@kernel
def cressman_gate_rates(V):
    am = efun(-0.1 * (V + 30.0))
    bm = 4.0 * xp.exp(-(V + 55.0) / 18.0)
    ah = 0.07 * xp.exp(-(V + 44.0) / 20.0)
    bh = 1.0 / (1.0 + xp.exp(-0.1 * (V + 14.0)))
    an = 0.1 * efun(-0.1 * (V + 34.0))
    bn = 0.125 * xp.exp(-(V + 44.0) / 80.0)
    return am, bm, ah, bh, an, bn


@kernel
def cressman_ca_influx(V, gCa, ECa):
    """Ca2+ entry driving [Ca]_i (paper units per ms)."""
    return -0.002 * gCa * (V - ECa) / (1.0 + xp.exp(-(V + 25.0) / 2.5))


@kernel
def cressman_currents(V, E_Na, E_K, m, h, n, Ca, gNa, gK, gAHP):
    n2 = n * n
    return (gNa * m * m * m * h * (V - E_Na),
            (gK * n2 * n2 + gAHP * Ca / (1.0 + Ca)) * (V - E_K))


@kernel
def cressman_rates(V, m, h, n, Ca, phi, gCa, ECa):
    am, bm, ah, bh, an, bn = cressman_gate_rates(V)
    return (phi * relax(am, bm, m), phi * relax(ah, bh, h), phi * relax(an, bn, n),
            cressman_ca_influx(V, gCa, ECa) - Ca / 80.0)


@kernel
def cressman_steady(V, gCa, ECa):
    am, bm, ah, bh, an, bn = cressman_gate_rates(V)
    return (am / (am + bm), ah / (ah + bh), an / (an + bn),
            xp.maximum(0.0, cressman_ca_influx(V, gCa, ECa) * 80.0))


@register
class CressmanChannels(Mechanism):
    """Na+, delayed-rectifier K+ and Ca2+-activated AHP K+ currents of Cressman 2009."""

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
    fluxes = NA_AND_K
    source = CRESSMAN_SOURCE
    kernel = cressman_currents
    rates = cressman_rates
    steady = cressman_steady


@kernel
def hd_gate_rates(V):
    am = efun(-0.1 * (V + 30.0))
    bm = 4.0 * xp.exp(-(V + 55.0) / 18.0)
    an = 0.1 * efun(-0.1 * (V + 34.0))
    bn = 0.125 * xp.exp(-(V + 44.0) / 80.0)
    return am, bm, an, bn


@kernel
def hd_currents(V, E_Na, E_K, n, gNa, gK):
    am, bm, an, bn = hd_gate_rates(V)
    m = am / (am + bm)
    h = 1.0 - 1.0 / (1.0 + xp.exp(-6.5 * (n - 0.35)))
    n2 = n * n
    return gNa * m * m * m * h * (V - E_Na), gK * n2 * n2 * (V - E_K)


@kernel
def hd_rates(V, n, phi):
    am, bm, an, bn = hd_gate_rates(V)
    return phi * relax(an, bn, n)


@kernel
def hd_steady(V):
    am, bm, an, bn = hd_gate_rates(V)
    return an / (an + bn)


@register
class HubelDahlemNaK(Mechanism):
    """Na+ and K+ channels of Hübel & Dahlem 2014 (Rinzel-type reduction)."""

    family = "hubel_dahlem_nak"
    default_name = "hh"
    title = "Na+/K+ channels with m instantaneous and h = h(n) (Hübel & Dahlem 2014)"
    params = (Param("gNa", 100.0, "mS/cm2", 0.0, 1e4, "maximal Na+ conductance"),
              Param("gK", 40.0, "mS/cm2", 0.0, 1e4, "maximal K+ conductance"),
              Param("phi", 3.0, "1", 0.0, 100.0, "time-scale factor of the n gate"))
    states = (StateVar("n", "1", "K+ activation (also sets Na+ inactivation)"),)
    fluxes = NA_AND_K
    source = HUBEL_DAHLEM_SOURCE
    kernel = hd_currents
    rates = hd_rates
    steady = hd_steady
