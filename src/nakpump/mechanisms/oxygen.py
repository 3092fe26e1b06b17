"""Extracellular oxygen as a state, consumed by the Na+/K+ pumps (Wei et al. 2014).

    d[O2]/dt = -alpha * atp_rate + eps * (O2_bath - [O2])        (mg/L per s)

``atp_use`` is the ATP the pumps use, mM/s: each pump's use per the volume
of the cytosol it draws on (an astrocyte's pump per astrocyte volume), plus
a ``GlialPump``'s per extracellular volume.  With one cell this is Wei's
-alpha_O * gamma * (I_pump + I_gliapump), with gamma * I the pumps' cycle
rates in mM/s; a cell with several cytosols should rather let oxidative
phosphorylation read O2 (``Energy.o2_half``) and set alpha to 0, as the
neuron in tissue does.  Pumps and clearance that depend on oxygen read
it as ``O2_o`` (this state) and ``O2_bath`` (``cell.O2_bath``).
"""

from __future__ import annotations

from .base import Mechanism, Param, Provided, Transfer, kernel, register


@kernel
def oxygen_rate(O2_o, O2_bath, atp_use, alpha, eps):
    return -alpha * atp_use + eps * 1e-3 * (O2_bath - O2_o)


@register
class Oxygen(Mechanism):
    """Extracellular O2 (mg/L): supplied from the bath, used by the pumps."""

    site = "compartment"
    family = "oxygen"
    default_name = "oxygen"
    title = "extracellular oxygen, supplied by the bath and used by the pumps (Wei et al. 2014)"
    params = (Param("alpha", 5.3, "(mg/L)/mM", 0.0, 1e4,
                    "O2 used per ATP the pumps hydrolyse (Wei 2014: alpha_O 5.3)"),
              Param("eps", 0.17, "1/s", 0.0, 1e4, "exchange rate with the bath (Wei 2014: eps_O 0.17/s)"))
    source = "Wei Y, Ullah G, Schiff SJ (2014) J Neurosci 34:11733-11743 (REFERENCES 1b.3)"
    provides = (Provided("O2_o", "mg/L", "level", "extracellular oxygen", "cell.O2_bath"),)
    fluxes = (Transfer(moves={"O2_o": 1.0}),)
    kernel = oxygen_rate
