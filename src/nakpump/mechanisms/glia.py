"""The astrocyte's K+ inward rectifier (Kir4.1).

    I = g f (V - E_K),
    f = sqrt(K_o/K_o0) (1 + exp(18.4/42.4)) / (1 + exp((V - E_K + 18.5)/42.5))
        x (1 + exp(-(118.6 + E_K0)/44.1)) / (1 + exp(-(118.6 + V)/44.1))

(Halnes et al. 2013, as coded in the edNEG model of Saetra et al. 2021;
REFERENCES 1b.6), V and E_K of the astrocyte's membrane.
"""

from __future__ import annotations

import numpy as xp

from .base import Mechanism, MembraneFlux, Param, kernel, register


@kernel
def kir41_current(V, E_K, K_o, g, K_o0, E_K0):
    f = (xp.sqrt(K_o / K_o0) * (1.0 + xp.exp(18.4 / 42.4)) / (1.0 + xp.exp((V - E_K + 18.5) / 42.5))
         * (1.0 + xp.exp(-(118.6 + E_K0) / 44.1)) / (1.0 + xp.exp(-(118.6 + V) / 44.1)))
    return g * f * (V - E_K)


@register
class Kir41(Mechanism):
    """Kir4.1 inward rectifier of astrocytes (Halnes et al. 2013 form)."""

    family = "kir41"
    default_name = "kir"
    title = "astrocytic K+ inward rectifier Kir4.1 (Halnes et al. 2013)"
    params = (Param("g", 1.696, "mS/cm2", 0.0, 1e3, "conductance (edNEG: 1.696 mS/cm2)"),
              Param("K_o0", 3.082, "mM", 1e-3, 1e3, "K_o at which f is normalised (edNEG: 3.082 mM)"),
              Param("E_K0", -93.0, "mV", -200.0, 0.0,
                    "E_K at which f is normalised (edNEG: K_g0 99.96, K_o0 3.082 mM at 37 degC: -93 mV)"))
    fluxes = (MembraneFlux(ions={"K": 1.0}),)
    source = ("Halnes G et al. (2013) PLoS Comput Biol 9:e1003386; Saetra MJ et al. (2021) PLoS Comput "
              "Biol 17:e1008143, edNEG code (REFERENCES 1b.6)")
    kernel = kir41_current
