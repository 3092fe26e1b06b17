"""The cell's energy budget: ATP made by oxidative phosphorylation and used
by everything other than the ion pumps.

With an ``Energy`` mechanism the cytosolic ATP, ADP and Pi become states:
pumps draw on ATP (1 ATP per Na+/K+ cycle), this mechanism makes it back
and spends a baseline.  Net production (mM/s of cytosol):

    r = vmax * supply * f_O2 * ADP/(ADP + km_adp) * Pi/(Pi + km_pi) - baseline * ATP/(ATP + km_use)

``supply`` (0-1) is the oxygen/glucose supply: set it to 0 for ischemia.
With ``o2_half`` > 0 the production also needs oxygen, f_O2 = O2/(O2 + o2_half),
read from the extracellular O2 (``O2_o``, mg/L; a state with an ``Oxygen``
mechanism, otherwise the bath's ``cell.O2_bath``); with 0 (the default) f_O2 = 1.
ATP + ADP and ATP + Pi are conserved (the adenine and phosphate pools;
with creatine kinase, ATP + Pi + PCr).
The saturating production term is a minimal phenomenological model (cf.
the oxygen-dependent pump of Wei et al. 2014 and the ATP-production terms
of metabolic neuron models); vmax is usually calibrated so that the cell's
budget balances at rest (``nakpump.solve.steady.calibrate`` with balance "ATP").
"""

from __future__ import annotations

import numpy as xp

from .base import Mechanism, Param, Provided, Transfer, kernel, register


@kernel
def energy_production(ATP_i, ADP_i, Pi_i, O2_o, vmax, supply, km_adp, km_pi, baseline, km_use, o2_half):
    oxygen = xp.where(o2_half > 0.0, O2_o / (O2_o + o2_half), 1.0)
    make = vmax * supply * oxygen * ADP_i / (ADP_i + km_adp) * Pi_i / (Pi_i + km_pi)
    use = baseline * ATP_i / (ATP_i + km_use)
    return (make - use) * 1e-3


@register
class Energy(Mechanism):
    """ATP production and baseline consumption in the cytosol (see module docstring)."""

    site = "compartment"
    family = "energy"
    default_name = "energy"
    title = "ATP supply (oxidative phosphorylation) and baseline use"
    params = (
        Param("vmax", 0.1, "mM/s", 0.0, 1e4, "maximal ATP production"),
        Param("supply", 1.0, "1", 0.0, 1.0, "oxygen/glucose supply (0: none, ischemia)"),
        Param("km_adp", 0.1, "mM", 1e-6, 100.0, "ADP for half-maximal production (sets the reserve)"),
        Param("km_pi", 0.5, "mM", 1e-6, 100.0, "Pi for half-maximal production"),
        Param("baseline", 0.0, "mM/s", 0.0, 1e4, "maximal ATP use by everything but the pumps"),
        Param("km_use", 0.5, "mM", 1e-6, 100.0, "ATP for half-maximal baseline use"),
        Param("o2_half", 0.0, "mg/L", 0.0, 100.0,
              "extracellular O2 for half-maximal production (0: production does not read O2)"),
    )
    provides = (Provided("ATP_i", "mM", "amount", "MgATP in the cytosol", "cell.ATP_i"),
                Provided("ADP_i", "mM", "amount", "MgADP in the cytosol", "cell.ADP_i"),
                Provided("Pi_i", "mM", "amount", "inorganic phosphate in the cytosol", "cell.Pi_i"))
    fluxes = (Transfer(moves={"ATP_i": 1.0, "ADP_i": -1.0, "Pi_i": -1.0}, per="i"),)
    source = ("minimal saturating model of ATP supply; cf. Wei, Ullah & Schiff 2014 (O2-dependent "
              "pump); brain budget: Attwell & Laughlin 2001, Howarth et al. 2012 (REFERENCES 2.3)")
    kernel = energy_production
