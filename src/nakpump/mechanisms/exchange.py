"""Clearance of the extracellular space: exchange with a distant bath and
uptake by glia, as the lumped terms of Cressman et al. 2009 / Wei et al. 2014.
Rates are in mM/s of the extracellular concentration."""

from __future__ import annotations

import math

from numba import njit

from ..ions import K
from .base import Mechanism, Param, register
from .leak import _OneIon


@njit(cache=True, error_model="numpy")
def bath_exchange(T, co, p, out, ion):
    out[ion] += p[0] * 1e-3 * (co[ion] - p[1])


@njit(cache=True, error_model="numpy")
def glial_uptake(T, co, p, out):
    out[K] += p[0] * 1e-3 / (1.0 + math.exp((p[1] - co[K]) / p[2]))


@register
class BathDiffusion(_OneIon):
    """First-order exchange of one ion between the extracellular space and a
    bath: rate (1/s) x (c_o - bath)."""

    kind = "exchange"
    family = "bath_diffusion"
    default_name = "diffusion"
    title = "diffusion of one ion between the extracellular space and a distant bath"
    params = (Param("rate", 1.2, "1/s", 0.0, 1e4, "exchange rate (Cressman 2009: epsilon 1.2/s for K+)"),
              Param("bath", 4.0, "mM", 0.0, 2000.0, "bath concentration"))
    source = ("Cressman JR et al. (2009) J Comput Neurosci 26:159-170 (I_diff); Wei Y et al. (2014) "
              "J Neurosci 34:11733-11743")
    exchange = bath_exchange

    def config(self):
        return (self._index,)


@register
class GlialUptake(Mechanism):
    """K+ uptake by glia: G / (1 + exp((k_half - K_o)/slope)) mM/s (a sink)."""

    kind = "exchange"
    family = "glial_uptake"
    default_name = "glia"
    title = "K+ uptake by glia (sigmoid, Cressman 2009)"
    params = (Param("G", 66.0, "mM/s", 0.0, 1e4, "maximal uptake (Cressman 2009: 66; Wei 2014: 5)"),
              Param("k_half", 18.0, "mM", 0.0, 500.0, "K_o at half-maximal uptake"),
              Param("slope", 2.5, "mM", 1e-3, 100.0, "slope factor"))
    ions = ("K",)
    source = ("Cressman JR et al. (2009) J Comput Neurosci 26:159-170 (I_glia); Wei Y et al. (2014) "
              "J Neurosci 34:11733-11743")
    exchange = glial_uptake
