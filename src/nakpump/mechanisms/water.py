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

from numba import njit

from .base import Mechanism, Param, register


@njit(cache=True, error_model="numpy")
def osmotic_flow(T, osm_i, osm_o, p):
    return p[0] * 1e-3 * (osm_i - osm_o)


@register
class Osmosis(Mechanism):
    """Water flux driven by the osmotic gradient; makes the volumes states."""

    kind = "water"
    family = "osmosis"
    default_name = "water"
    title = "osmotic water flow (volumes as states)"
    params = (Param("lp", 1e-3, "um/(s mM)", 0.0, 1e3,
                    "water permeability per osmotic gradient (1e-3: a ~5 s volume time constant "
                    "for a 7 um soma)"),)
    source = ("Tosteson DC, Hoffman JF (1960) J Gen Physiol 44:169-194 (pump-leak); "
              "Saetra MJ et al. (2021) PLoS Comput Biol 17:e1008143 (water flux form)")
    flow = osmotic_flow
