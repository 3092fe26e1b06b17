"""Osmotic water flow across the membrane.

    d(vol_i/area)/dt = lp * (osm_i - osm_o)

osmolarities in mM (ions, impermeant anions, neutral osmolytes), lp in
um/(s mM).  Water enters the side with more solute; the membrane area stays
fixed (it unfolds).  Without the pump the impermeant anions inside draw ions
and water in and the cell swells toward Donnan equilibrium (the pump-leak
mechanism: Tosteson & Hoffman 1960; in neuron models Kager et al. 2000,
Wei et al. 2014, Saetra et al. 2021).
"""

from __future__ import annotations

import numpy as xp

from .base import Mechanism, Param, Provided, Transfer, kernel, register

WATER = (Transfer(moves={"w_i": 1.0, "w_o": -1.0}),)
"""Water entering the inside from the outside, um/ms (volume per membrane area)."""
VOLUMES = (Provided("w_i", "um", "volume", "volume per membrane area inside"),
           Provided("w_o", "um", "volume", "volume per membrane area outside"))


@kernel
def osmotic_flow(osm_i, osm_o, lp):
    return lp * 1e-3 * (osm_i - osm_o)


@register
class Osmosis(Mechanism):
    """Water flux driven by the osmotic gradient; makes the volumes states."""

    family = "osmosis"
    default_name = "water"
    title = "osmotic water flow (volumes as states)"
    params = (Param("lp", 1e-3, "um/(s mM)", 0.0, 1e3,
                    "water permeability per osmotic gradient (1e-3: a ~5 s volume time constant "
                    "for a 7 um soma)"),)
    source = ("Tosteson DC, Hoffman JF (1960) J Gen Physiol 44:169-194 (pump-leak); "
              "Saetra MJ et al. (2021) PLoS Comput Biol 17:e1008143 (water flux form)")
    provides = VOLUMES
    fluxes = WATER
    kernel = osmotic_flow


@kernel
def relaxation_flow(osm_i, osm_o, w_i, w_i0, tau, b, scale):
    target = w_i0 * (1.0 + b - b * xp.exp((osm_o - osm_i) / scale))
    return (target - w_i) / (tau * 1e3)


@register
class VolumeRelaxation(Mechanism):
    """The cell volume relaxes toward a target set by the osmotic gradient
    (Wei et al. 2014):

        dW_i/dt = (W_hat - W_i)/tau,  W_hat = W_0 (1 + b - b exp((osm_o - osm_i)/scale))

    W_0 the initial volume.  A phenomenological fit, not a water flux: the
    volume at equal osmolarities is W_0 whatever the solute contents."""

    family = "volume_relaxation"
    default_name = "water"
    title = "cell volume relaxing toward an osmotic target (Wei et al. 2014)"
    params = (Param("tau", 0.25, "s", 1e-6, 1e6, "time constant (Wei 2014: 0.25 s)"),
              Param("b", 0.1029, "1", 0.0, 10.0,
                    "amplitude (Wei 2014: W_hat = W_0 (1.1029 - 0.1029 exp(...)))"),
              Param("scale", 20.0, "mM", 1e-3, 1e4, "osmotic gradient scale (Wei 2014: 20 mM)"))
    source = "Wei Y, Ullah G, Schiff SJ (2014) J Neurosci 34:11733-11743 (REFERENCES 1b.3)"
    provides = VOLUMES
    fluxes = WATER
    kernel = relaxation_flow
