"""Voltage-gated Na+ and K+ channels (Hodgkin-Huxley formalism).

Reversal potentials are the live Nernst potentials of the cell's
concentrations (``E``), so every channel current moves real ions.
Rate constants are in 1/ms at the reference temperature and scale with
``q10 ** ((T - T_ref) / 10)``.
"""

from __future__ import annotations

import math

from numba import njit

from ..ions import NA, K
from .base import Mechanism, Param, StateVar, register


@njit(cache=True, error_model="numpy")
def efun(x):
    """x / (exp(x) - 1), finite at x = 0 (the HH 'vtrap' singularity)."""
    if abs(x) < 1e-6:
        return 1.0 - 0.5 * x
    return x / math.expm1(x)


# ---------------------------------------------------------------- HH 1952 ----
# Hodgkin & Huxley 1952, J Physiol 117:500-544, eqs. 12-13 (n), 20-23 (m, h),
# written in the modern convention (V = inside - outside, rest -65 mV) as in
# NEURON's built-in ``hh``.  q10 = 3 from 6.3 degC (HH 1952, p. 519).

@njit(cache=True, error_model="numpy")
def hh_m_rates(V):
    return efun(-(V + 40.0) / 10.0), 4.0 * math.exp(-(V + 65.0) / 18.0)


@njit(cache=True, error_model="numpy")
def hh_h_rates(V):
    return 0.07 * math.exp(-(V + 65.0) / 20.0), 1.0 / (1.0 + math.exp(-(V + 35.0) / 10.0))


@njit(cache=True, error_model="numpy")
def hh_n_rates(V):
    return 0.1 * efun(-(V + 55.0) / 10.0), 0.125 * math.exp(-(V + 65.0) / 80.0)


@njit(cache=True, error_model="numpy")
def hh_na_currents(V, T, rtf, ci, co, E, met, s, p, out):
    m = s[0]
    out[NA] += p[0] * m * m * m * s[1] * (V - E[NA])


@njit(cache=True, error_model="numpy")
def hh_na_derivatives(V, T, rtf, ci, co, E, met, s, p, ds):
    phi = p[1] ** ((T - p[2]) / 10.0)
    am, bm = hh_m_rates(V)
    ah, bh = hh_h_rates(V)
    ds[0] = phi * (am * (1.0 - s[0]) - bm * s[0])
    ds[1] = phi * (ah * (1.0 - s[1]) - bh * s[1])


@njit(cache=True, error_model="numpy")
def hh_na_steady(V, T, rtf, ci, co, E, met, p, s):
    am, bm = hh_m_rates(V)
    ah, bh = hh_h_rates(V)
    s[0] = am / (am + bm)
    s[1] = ah / (ah + bh)


@njit(cache=True, error_model="numpy")
def hh_k_currents(V, T, rtf, ci, co, E, met, s, p, out):
    n2 = s[0] * s[0]
    out[K] += p[0] * n2 * n2 * (V - E[K])


@njit(cache=True, error_model="numpy")
def hh_k_derivatives(V, T, rtf, ci, co, E, met, s, p, ds):
    phi = p[1] ** ((T - p[2]) / 10.0)
    an, bn = hh_n_rates(V)
    ds[0] = phi * (an * (1.0 - s[0]) - bn * s[0])


@njit(cache=True, error_model="numpy")
def hh_k_steady(V, T, rtf, ci, co, E, met, p, s):
    an, bn = hh_n_rates(V)
    s[0] = an / (an + bn)


_HH_SOURCE = ("Hodgkin AL, Huxley AF (1952) J Physiol 117:500-544, eqs. 6-9, 12-13, 20-23 "
              "and Table 3 (squid giant axon, 6.3 degC; modern sign convention, rest -65 mV)")


@register
class HHNa(Mechanism):
    """Hodgkin-Huxley fast Na+ channel, I = gbar m^3 h (V - E_Na)."""

    family = "hh_na"
    default_name = "hh_na"
    title = "Hodgkin-Huxley 1952 fast Na+ channel"
    params = (
        Param("gbar", 120.0, "mS/cm2", 0.0, 1e4, "maximal conductance"),
        Param("q10", 3.0, "1", 1.0, 10.0, "temperature coefficient of the rates"),
        Param("T_ref", 6.3, "degC", -10.0, 50.0, "temperature at which the rates hold"),
    )
    states = (StateVar("m", "1", "activation gate"), StateVar("h", "1", "inactivation gate"))
    ions = ("Na",)
    source = _HH_SOURCE
    currents = hh_na_currents
    derivatives = hh_na_derivatives
    steady = hh_na_steady


@register
class HHK(Mechanism):
    """Hodgkin-Huxley delayed-rectifier K+ channel, I = gbar n^4 (V - E_K)."""

    family = "hh_k"
    default_name = "hh_k"
    title = "Hodgkin-Huxley 1952 delayed-rectifier K+ channel"
    params = (
        Param("gbar", 36.0, "mS/cm2", 0.0, 1e4, "maximal conductance"),
        Param("q10", 3.0, "1", 1.0, 10.0, "temperature coefficient of the rates"),
        Param("T_ref", 6.3, "degC", -10.0, 50.0, "temperature at which the rates hold"),
    )
    states = (StateVar("n", "1", "activation gate"),)
    ions = ("K",)
    source = _HH_SOURCE
    currents = hh_k_currents
    derivatives = hh_k_derivatives
    steady = hh_k_steady


# ------------------------------------------------- Traub-type (Wei 2014) ----
# Wei Y, Ullah G, Schiff SJ (2014) J Neurosci 34:11733-11743, gating
# equations of the neuron model (Traub-type kinetics), rates in 1/ms at
# 36 degC (RT/F = 26.64 mV in that paper).  The q10 = 3 scaling away from
# 36 degC is ours; at 36 degC the rates are exactly the paper's.

@njit(cache=True, error_model="numpy")
def traub_m_rates(V):
    return 1.28 * efun(-(V + 54.0) / 4.0), 1.4 * efun((V + 27.0) / 5.0)


@njit(cache=True, error_model="numpy")
def traub_h_rates(V):
    return 0.128 * math.exp(-(V + 50.0) / 18.0), 4.0 / (1.0 + math.exp(-(V + 27.0) / 5.0))


@njit(cache=True, error_model="numpy")
def traub_n_rates(V):
    return 0.16 * efun(-(V + 52.0) / 5.0), 0.5 * math.exp(-(V + 57.0) / 40.0)


@njit(cache=True, error_model="numpy")
def nat_derivatives(V, T, rtf, ci, co, E, met, s, p, ds):
    phi = p[1] ** ((T - p[2]) / 10.0)
    am, bm = traub_m_rates(V)
    ah, bh = traub_h_rates(V)
    ds[0] = phi * (am * (1.0 - s[0]) - bm * s[0])
    ds[1] = phi * (ah * (1.0 - s[1]) - bh * s[1])


@njit(cache=True, error_model="numpy")
def nat_steady(V, T, rtf, ci, co, E, met, p, s):
    am, bm = traub_m_rates(V)
    ah, bh = traub_h_rates(V)
    s[0] = am / (am + bm)
    s[1] = ah / (ah + bh)


@njit(cache=True, error_model="numpy")
def kdr_derivatives(V, T, rtf, ci, co, E, met, s, p, ds):
    phi = p[1] ** ((T - p[2]) / 10.0)
    an, bn = traub_n_rates(V)
    ds[0] = phi * (an * (1.0 - s[0]) - bn * s[0])


@njit(cache=True, error_model="numpy")
def kdr_steady(V, T, rtf, ci, co, E, met, p, s):
    an, bn = traub_n_rates(V)
    s[0] = an / (an + bn)


_WEI_SOURCE = ("Wei Y, Ullah G, Schiff SJ (2014) J Neurosci 34(35):11733-11743, "
               "neuron model gating (Traub-type); G_Na 30, G_K 25 mS/cm2; 36 degC")


@register
class TraubNa(Mechanism):
    """Mammalian transient Na+ channel with Traub-type kinetics (Wei 2014)."""

    family = "traub_na"
    default_name = "nat"
    title = "transient Na+ channel, Traub-type kinetics (Wei et al. 2014)"
    params = (
        Param("gbar", 30.0, "mS/cm2", 0.0, 1e4, "maximal conductance"),
        Param("q10", 3.0, "1", 1.0, 10.0, "temperature coefficient of the rates (assumed)"),
        Param("T_ref", 36.0, "degC", -10.0, 50.0, "temperature at which the rates hold"),
    )
    states = (StateVar("m", "1", "activation gate"), StateVar("h", "1", "inactivation gate"))
    ions = ("Na",)
    source = _WEI_SOURCE
    currents = hh_na_currents
    derivatives = nat_derivatives
    steady = nat_steady


@register
class TraubK(Mechanism):
    """Mammalian delayed-rectifier K+ channel with Traub-type kinetics (Wei 2014)."""

    family = "traub_k"
    default_name = "kdr"
    title = "delayed-rectifier K+ channel, Traub-type kinetics (Wei et al. 2014)"
    params = (
        Param("gbar", 25.0, "mS/cm2", 0.0, 1e4, "maximal conductance"),
        Param("q10", 3.0, "1", 1.0, 10.0, "temperature coefficient of the rates (assumed)"),
        Param("T_ref", 36.0, "degC", -10.0, 50.0, "temperature at which the rates hold"),
    )
    states = (StateVar("n", "1", "activation gate"),)
    ions = ("K",)
    source = _WEI_SOURCE
    currents = hh_k_currents
    derivatives = kdr_derivatives
    steady = kdr_steady
