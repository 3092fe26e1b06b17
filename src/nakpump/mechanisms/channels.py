"""Voltage-gated Na+ and K+ channels (Hodgkin-Huxley formalism).

Reversal potentials are the live Nernst potentials of the cell's
concentrations, so every channel current moves real ions.  Rate constants
are in 1/ms at the reference temperature and scale with
``q10 ** ((T - T_ref) / 10)``.  Each kernel returns the channel's current
(uA/cm2, outward +); ``MembraneFlux({"Na": 1})`` says it is carried by Na+.
"""

from __future__ import annotations

import numpy as xp

from .base import Mechanism, MembraneFlux, Param, StateVar, kernel, register
from .factors import efun, q10_factor

NA_CURRENT = (MembraneFlux(ions={"Na": 1.0}),)
K_CURRENT = (MembraneFlux(ions={"K": 1.0}),)


@kernel
def m3h_current(V, E_Na, m, h, gbar):
    """gbar m^3 h (V - E_Na), uA/cm2."""
    return gbar * m * m * m * h * (V - E_Na)


@kernel
def n4_current(V, E_K, n, gbar):
    """gbar n^4 (V - E_K), uA/cm2."""
    n2 = n * n
    return gbar * n2 * n2 * (V - E_K)


@kernel
def relax(alpha, beta, x):
    """alpha (1 - x) - beta x: a gate's rate of change (1/ms)."""
    return alpha * (1.0 - x) - beta * x


# ---------------------------------------------------------------- HH 1952 ----
# Hodgkin & Huxley 1952, J Physiol 117:500-544, eqs. 12-13 (n), 20-23 (m, h),
# written in the modern convention (V = inside - outside, rest -65 mV) as in
# NEURON's built-in ``hh``.  q10 = 3 from 6.3 degC (HH 1952, p. 519).

@kernel
def hh_m_rates(V):
    return efun(-(V + 40.0) / 10.0), 4.0 * xp.exp(-(V + 65.0) / 18.0)


@kernel
def hh_h_rates(V):
    return 0.07 * xp.exp(-(V + 65.0) / 20.0), 1.0 / (1.0 + xp.exp(-(V + 35.0) / 10.0))


@kernel
def hh_n_rates(V):
    return 0.1 * efun(-(V + 55.0) / 10.0), 0.125 * xp.exp(-(V + 65.0) / 80.0)


@kernel
def hh_na_rates(V, T, m, h, q10, T_ref):
    phi = q10_factor(q10, T, T_ref)
    am, bm = hh_m_rates(V)
    ah, bh = hh_h_rates(V)
    return phi * relax(am, bm, m), phi * relax(ah, bh, h)


@kernel
def hh_na_steady(V):
    am, bm = hh_m_rates(V)
    ah, bh = hh_h_rates(V)
    return am / (am + bm), ah / (ah + bh)


@kernel
def hh_k_rates(V, T, n, q10, T_ref):
    an, bn = hh_n_rates(V)
    return q10_factor(q10, T, T_ref) * relax(an, bn, n)


@kernel
def hh_k_steady(V):
    an, bn = hh_n_rates(V)
    return an / (an + bn)


_HH_SOURCE = ("Hodgkin AL, Huxley AF (1952) J Physiol 117:500-544, eqs. 6-9, 12-13, 20-23 "
              "and Table 3 (squid giant axon, 6.3 degC; modern sign convention, rest -65 mV)")


def _q10(ref):
    return (Param("q10", 3.0, "1", 1.0, 10.0, "temperature coefficient of the rates"),
            Param("T_ref", ref, "degC", -10.0, 50.0, "temperature at which the rates hold"))


@register
class HHNa(Mechanism):
    """Hodgkin-Huxley fast Na+ channel, I = gbar m^3 h (V - E_Na)."""

    family = "hh_na"
    tags = frozenset({"na_channel"})
    default_name = "hh_na"
    title = "Hodgkin-Huxley 1952 fast Na+ channel"
    params = (Param("gbar", 120.0, "mS/cm2", 0.0, 1e4, "maximal conductance"),) + _q10(6.3)
    states = (StateVar("m", "1", "activation gate"), StateVar("h", "1", "inactivation gate"))
    fluxes = NA_CURRENT
    source = _HH_SOURCE
    kernel = m3h_current
    rates = hh_na_rates
    steady = hh_na_steady


@register
class HHK(Mechanism):
    """Hodgkin-Huxley delayed-rectifier K+ channel, I = gbar n^4 (V - E_K)."""

    family = "hh_k"
    default_name = "hh_k"
    title = "Hodgkin-Huxley 1952 delayed-rectifier K+ channel"
    params = (Param("gbar", 36.0, "mS/cm2", 0.0, 1e4, "maximal conductance"),) + _q10(6.3)
    states = (StateVar("n", "1", "activation gate"),)
    fluxes = K_CURRENT
    source = _HH_SOURCE
    kernel = n4_current
    rates = hh_k_rates
    steady = hh_k_steady


# ------------------------------------------------- Traub-type (Wei 2014) ----
# Wei Y, Ullah G, Schiff SJ (2014) J Neurosci 34:11733-11743, gating
# equations of the neuron model (Traub-type kinetics), rates in 1/ms at
# 36 degC (RT/F = 26.64 mV in that paper).  The q10 = 3 scaling away from
# 36 degC is ours; at 36 degC the rates are exactly the paper's.

@kernel
def traub_m_rates(V):
    return 1.28 * efun(-(V + 54.0) / 4.0), 1.4 * efun((V + 27.0) / 5.0)


@kernel
def traub_h_rates(V):
    return 0.128 * xp.exp(-(V + 50.0) / 18.0), 4.0 / (1.0 + xp.exp(-(V + 27.0) / 5.0))


@kernel
def traub_n_rates(V):
    return 0.16 * efun(-(V + 52.0) / 5.0), 0.5 * xp.exp(-(V + 57.0) / 40.0)


@kernel
def nat_rates(V, T, m, h, q10, T_ref):
    phi = q10_factor(q10, T, T_ref)
    am, bm = traub_m_rates(V)
    ah, bh = traub_h_rates(V)
    return phi * relax(am, bm, m), phi * relax(ah, bh, h)


@kernel
def nat_steady(V):
    am, bm = traub_m_rates(V)
    ah, bh = traub_h_rates(V)
    return am / (am + bm), ah / (ah + bh)


@kernel
def kdr_rates(V, T, n, q10, T_ref):
    an, bn = traub_n_rates(V)
    return q10_factor(q10, T, T_ref) * relax(an, bn, n)


@kernel
def kdr_steady(V):
    an, bn = traub_n_rates(V)
    return an / (an + bn)


_WEI_SOURCE = ("Wei Y, Ullah G, Schiff SJ (2014) J Neurosci 34(35):11733-11743, "
               "neuron model gating (Traub-type); G_Na 30, G_K 25 mS/cm2; 36 degC")


def _q10_assumed():
    return (Param("q10", 3.0, "1", 1.0, 10.0, "temperature coefficient of the rates (assumed)"),
            Param("T_ref", 36.0, "degC", -10.0, 50.0, "temperature at which the rates hold"))


@register
class TraubNa(Mechanism):
    """Mammalian transient Na+ channel with Traub-type kinetics (Wei 2014)."""

    family = "traub_na"
    tags = frozenset({"na_channel"})
    default_name = "nat"
    title = "transient Na+ channel, Traub-type kinetics (Wei et al. 2014)"
    params = (Param("gbar", 30.0, "mS/cm2", 0.0, 1e4, "maximal conductance"),) + _q10_assumed()
    states = (StateVar("m", "1", "activation gate"), StateVar("h", "1", "inactivation gate"))
    fluxes = NA_CURRENT
    source = _WEI_SOURCE
    kernel = m3h_current
    rates = nat_rates
    steady = nat_steady


@register
class TraubK(Mechanism):
    """Mammalian delayed-rectifier K+ channel with Traub-type kinetics (Wei 2014)."""

    family = "traub_k"
    default_name = "kdr"
    title = "delayed-rectifier K+ channel, Traub-type kinetics (Wei et al. 2014)"
    params = (Param("gbar", 25.0, "mS/cm2", 0.0, 1e4, "maximal conductance"),) + _q10_assumed()
    states = (StateVar("n", "1", "activation gate"),)
    fluxes = K_CURRENT
    source = _WEI_SOURCE
    kernel = n4_current
    rates = kdr_rates
    steady = kdr_steady
