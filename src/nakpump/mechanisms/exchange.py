"""Clearance of the extracellular space: exchange with a distant bath,
uptake by glia and the glial Na+/K+ pump, as the lumped terms of Cressman
et al. 2009 / Wei et al. 2014.  Rates are in mM/s of the extracellular
concentration.

Wei 2014 makes clearance depend on the bath oxygen and on swelling: glial
uptake and diffusion are scaled by f_O = 1/(1 + exp((o2_half - O2_bath)/o2_slope))
and diffusion also by f_v = 1/(1 + exp((W_i/W_o - beta_half)/beta_slope))
(the extracellular space closes as the cell swells).  A slope of 0 turns a
factor off (it is 1), as in Cressman 2009.
"""

from __future__ import annotations

from numba import njit

from ..ions import O2, O2_BATH, K
from .base import Mechanism, Param, register
from .factors import rising
from .leak import _OneIon


@njit(cache=True, error_model="numpy")
def bath_exchange(T, co, met, w_i, w_o, p, out, ion):
    rate, bath, o2_half, o2_slope, beta_half, beta_slope = p[0], p[1], p[2], p[3], p[4], p[5]
    f_o = rising(met[O2_BATH], o2_half, o2_slope)
    f_v = rising(beta_half, w_i / w_o, beta_slope)  # falls as W_i/W_o passes beta_half
    out[ion] += rate * 1e-3 * f_o * f_v * (co[ion] - bath)


@njit(cache=True, error_model="numpy")
def glial_uptake(T, co, met, w_i, w_o, p, out):
    out[K] += (p[0] * 1e-3 * rising(co[K], p[1], p[2])
               * rising(met[O2_BATH], p[3], p[4]))


@njit(cache=True, error_model="numpy")
def glial_pump_uptake(T, co, met, w_i, w_o, p, out):
    rho, na_g, na_half, na_slope, k_half, k_slope, o2_half, o2_slope = (
        p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7])
    cycle = (rho * 1e-3 * rising(na_g, na_half, na_slope) * rising(co[K], k_half, k_slope)
             * rising(met[O2], o2_half, o2_slope))
    out[K] += 2.0 * cycle


_O2_GATE = (Param("o2_half", 2.5, "mg/L", 0.0, 100.0,
                  "bath O2 at half rate (Wei 2014: 2.5 mg/L)"),
            Param("o2_slope", 0.0, "mg/L", 0.0, 100.0,
                  "slope of the bath-O2 factor f_O (0: no O2 dependence, Cressman 2009; Wei 2014: 0.2)"))

_WEI = "Wei Y, Ullah G, Schiff SJ (2014) J Neurosci 34:11733-11743 (REFERENCES 1b.3)"


@register
class BathDiffusion(_OneIon):
    """First-order exchange of one ion between the extracellular space and a
    bath: rate (1/s) x f_O x f_v x (c_o - bath)."""

    kind = "exchange"
    family = "bath_diffusion"
    default_name = "diffusion"
    title = "diffusion of one ion between the extracellular space and a distant bath"
    params = (Param("rate", 1.2, "1/s", 0.0, 1e4, "exchange rate (Cressman 2009: epsilon 1.2/s for K+)"),
              Param("bath", 4.0, "mM", 0.0, 2000.0, "bath concentration")) + _O2_GATE + (
              Param("beta_half", 20.0, "1", 0.0, 1e4,
                    "W_i/W_o at which the exchange halves (Wei 2014: 20)"),
              Param("beta_slope", 0.0, "1", 0.0, 1e3,
                    "slope of the swelling factor f_v (0: none, Cressman 2009; Wei 2014: 2)"))
    source = ("Cressman JR et al. (2009) J Comput Neurosci 26:159-170 (I_diff); " + _WEI)
    exchange = bath_exchange

    def config(self):
        return (self._index,)


@register
class GlialUptake(Mechanism):
    """K+ uptake by glia: G f_O / (1 + exp((k_half - K_o)/slope)) mM/s (a sink)."""

    kind = "exchange"
    family = "glial_uptake"
    default_name = "glia"
    title = "K+ uptake by glia (sigmoid, Cressman 2009)"
    params = (Param("G", 66.0, "mM/s", 0.0, 1e4, "maximal uptake (Cressman 2009: 66; Wei 2014: 5)"),
              Param("k_half", 18.0, "mM", 0.0, 500.0, "K_o at half-maximal uptake"),
              Param("slope", 2.5, "mM", 1e-3, 100.0, "slope factor")) + _O2_GATE
    ions = ("K",)
    source = ("Cressman JR et al. (2009) J Comput Neurosci 26:159-170 (I_glia); " + _WEI)
    exchange = glial_uptake


@register
class GlialPump(Mechanism):
    """K+ uptake by the glial Na+/K+ pump of Wei 2014: 2 K+ per cycle, the
    cycle rate rho x sigmoid(Na_g) x sigmoid(K_o) x sigmoid(O2) mM/s with the
    glial Na+ fixed; one ATP (glial, not the neuron's) per cycle."""

    kind = "exchange"
    family = "glial_pump"
    default_name = "glia_pump"
    title = "glial Na+/K+ pump (Wei et al. 2014)"
    params = (Param("rho", 0.8 / 3.0, "mM/s", 0.0, 1e4,
                    "cycle rate at saturation (Wei 2014: rho_max/3 = 0.267 mM/s)"),
              Param("na_g", 18.0, "mM", 0.0, 500.0, "glial Na+ (fixed)"),
              Param("na_half", 25.0, "mM", 0.0, 500.0, "glial Na+ at half activation"),
              Param("na_slope", 3.0, "mM", 1e-3, 100.0, "Na+ slope factor"),
              Param("k_half", 3.5, "mM", 0.0, 500.0, "K_o at half activation"),
              Param("k_slope", 1.0, "mM", 1e-3, 100.0, "K_o slope factor"),
              Param("o2_half", 20.0, "mg/L", 0.0, 100.0, "extracellular O2 at half rate"),
              Param("o2_slope", 3.0, "mg/L", 0.0, 100.0, "O2 slope factor (0: no O2 dependence)"))
    ions = ("K",)
    atp_per_ion = 0.5
    source = _WEI
    exchange = glial_pump_uptake
