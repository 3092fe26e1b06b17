"""Clearance of the extracellular space: exchange with a distant bath,
uptake by glia and the glial Na+/K+ pump, as the lumped terms of Cressman
et al. 2009 / Wei et al. 2014.  Each kernel returns a rate in mM/ms of the
extracellular space (``Transfer(..., per="o")``).

Wei 2014 makes clearance depend on the bath oxygen and on swelling: glial
uptake and diffusion are scaled by f_O = 1/(1 + exp((o2_half - O2_bath)/o2_slope))
and diffusion also by f_v = 1/(1 + exp((W_i/W_o - beta_half)/beta_slope))
(the extracellular space closes as the cell swells).  A slope of 0 turns a
factor off (it is 1), as in Cressman 2009.
"""

from __future__ import annotations

from ..ions import ion_index
from .base import Mechanism, Param, Transfer, kernel, register
from .factors import rising


@kernel
def bath_exchange(c, O2_bath, w_i, w_o, rate, bath, o2_half, o2_slope, beta_half, beta_slope):
    f_o = rising(O2_bath, o2_half, o2_slope)
    f_v = rising(beta_half, w_i / w_o, beta_slope)  # falls as W_i/W_o passes beta_half
    return rate * 1e-3 * f_o * f_v * (c - bath)


@kernel
def glial_uptake(K_o, O2_bath, G, k_half, slope, o2_half, o2_slope):
    return G * 1e-3 * rising(K_o, k_half, slope) * rising(O2_bath, o2_half, o2_slope)


@kernel
def glial_pump_cycle(K_o, O2_o, rho, na_g, na_half, na_slope, k_half, k_slope, o2_half, o2_slope):
    return (rho * 1e-3 * rising(na_g, na_half, na_slope) * rising(K_o, k_half, k_slope)
            * rising(O2_o, o2_half, o2_slope))


_O2_GATE = (Param("o2_half", 2.5, "mg/L", 0.0, 100.0,
                  "bath O2 at half rate (Wei 2014: 2.5 mg/L)"),
            Param("o2_slope", 0.0, "mg/L", 0.0, 100.0,
                  "slope of the bath-O2 factor f_O (0: no O2 dependence, Cressman 2009; Wei 2014: 0.2)"))

_WEI = "Wei Y, Ullah G, Schiff SJ (2014) J Neurosci 34:11733-11743 (REFERENCES 1b.3)"


@register
class BathDiffusion(Mechanism):
    """First-order exchange of one ion between the extracellular space and a
    bath: rate (1/s) x f_O x f_v x (c_o - bath)."""

    site = "compartment"
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
    kernel = bath_exchange

    def __init__(self, ion: str = "K", name: str | None = None, **values: float):
        ion_index(ion)
        self.ion = ion
        super().__init__(name or f"{self.default_name}_{ion.lower()}", **values)

    def bind(self):
        return {"c": f"{self.ion}_o"}

    def flux_list(self):
        return (Transfer(moves={f"{self.ion}_o": -1.0}, per="o"),)


@register
class GlialUptake(Mechanism):
    """K+ uptake by glia: G f_O / (1 + exp((k_half - K_o)/slope)) mM/s (a sink)."""

    site = "compartment"
    family = "glial_uptake"
    default_name = "glia"
    title = "K+ uptake by glia (sigmoid, Cressman 2009)"
    params = (Param("G", 66.0, "mM/s", 0.0, 1e4, "maximal uptake (Cressman 2009: 66; Wei 2014: 5)"),
              Param("k_half", 18.0, "mM", 0.0, 500.0, "K_o at half-maximal uptake"),
              Param("slope", 2.5, "mM", 1e-3, 100.0, "slope factor")) + _O2_GATE
    fluxes = (Transfer(moves={"K_o": -1.0}, per="o"),)
    source = ("Cressman JR et al. (2009) J Comput Neurosci 26:159-170 (I_glia); " + _WEI)
    kernel = glial_uptake


@register
class GlialPump(Mechanism):
    """K+ uptake by the glial Na+/K+ pump of Wei 2014: 2 K+ per cycle, the
    cycle rate rho x sigmoid(Na_g) x sigmoid(K_o) x sigmoid(O2) mM/s with the
    glial Na+ fixed; one ATP (glial, not the neuron's) per cycle."""

    site = "compartment"
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
    fluxes = (Transfer(moves={"K_o": -2.0}, per="o", atp=1.0),)
    source = _WEI
    kernel = glial_pump_cycle
