"""The ATP-sensitive K+ channel (K_ATP; Kir6.2 with SUR1 in neurons, the
subtype of pancreatic beta cells), closed by ATP and opened by MgADP:

    I = g o (V - E_K),
    o = [0.08 (1 + 2 MgADP/kdd) + 0.89 (MgADP/kdd)^2]
        / [(1 + MgADP/kdd)^2 (1 + ADP3-/ktd + ATP4-/ktt)],
    MgADP = 0.165 ADP, ADP3- = 0.135 ADP, ATP4- = 0.05 ATP,
    kdd 17 uM, ktd 26 uM, ktt 1 uM

(Magnus G, Keizer J 1998 Am J Physiol 274:C1158, as used in the beta-cell
models of Bertram, Sherman and Satin).  In a cell whose ATP is buffered by
phosphocreatine the free ADP rises as soon as PCr falls, so the channel
opens early in anoxia, while ATP is still high: the early hyperpolarisation.
The conductance density of neuronal K_ATP is not known to us; ``g`` is an
assumption (a few tenths of a mS/cm2 fully open, a few nS in a 200 pF cell).
"""

from __future__ import annotations

from .base import Mechanism, MembraneFlux, Param, kernel, register


@kernel
def katp_open(ATP_i, ADP_i, kdd, ktd, ktt):
    mgadp = 0.165 * ADP_i / kdd
    top = 0.08 * (1.0 + 2.0 * mgadp) + 0.89 * mgadp * mgadp
    return top / ((1.0 + mgadp) ** 2 * (1.0 + 0.135 * ADP_i / ktd + 0.05 * ATP_i / ktt))


@kernel
def katp_current(V, E_K, ATP_i, ADP_i, g, kdd, ktd, ktt):
    return g * katp_open(ATP_i, ADP_i, kdd, ktd, ktt) * (V - E_K)


@register
class KATP(Mechanism):
    """ATP-sensitive K+ channel (Magnus & Keizer 1998 gating; see module docstring)."""

    family = "katp"
    default_name = "katp"
    title = "ATP-sensitive K+ channel (Kir6.2/SUR1)"
    params = (Param("g", 1.0, "mS/cm2", 0.0, 100.0, "conductance with every channel open (assumed)"),
              Param("kdd", 0.017, "mM", 1e-6, 10.0, "MgADP activation constant (17 uM)"),
              Param("ktd", 0.026, "mM", 1e-6, 10.0, "ADP3- inhibition constant (26 uM)"),
              Param("ktt", 0.001, "mM", 1e-9, 10.0, "ATP4- inhibition constant (1 uM)"))
    fluxes = (MembraneFlux(ions={"K": 1.0}),)
    source = ("Magnus G, Keizer J (1998) Am J Physiol 274:C1158 (gating, as in Bertram et al.'s beta-cell "
              "models); Nichols CG (2006) Nature 440:470 (K_ATP channels)")
    kernel = katp_current
