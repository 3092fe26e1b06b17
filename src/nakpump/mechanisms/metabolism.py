"""ATP buffers and anaerobic supply for the energy budget of a cytosol
(used with ``Energy``, which makes ATP, ADP and Pi states and stands for
oxidative phosphorylation and the non-pump baseline use).

Creatine kinase (``CreatineKinase``): PCr + ADP <-> ATP + Cr, mass action
around the equilibrium constant ``K' = [ATP][Cr]/([ADP][PCr])`` = 177 at 38 degC,
pH 7, 1 mM free Mg2+ (Teague WE, Dobson GP 1992 J Biol Chem; 217 at 25 degC).
The rate constant gives the unidirectional PCr -> ATP flux measured by 31P
magnetisation transfer in human brain (k_f about 0.3/s: Du F et al. 2008
PNAS 105:6409 [MEM]).  Pools (human brain, 7 T 31P/1H MRS, PMC3570026):
ATP 2.7 mM, PCr/ATP 0.80, total creatine 9.6 mM; with K' they give a free
ADP of about 0.05 mM.  PCr is spent first when the supply stops and holds
ATP for the first tens of seconds (rat brain under N2: ATP flat for about
20 s; "Cerebral free energy and viability", REFERENCES 2.7).

Anaerobic glycolysis (``Glycolysis``): ADP + Pi -> ATP, activated by ADP,
v = vmax x glucose x ADP/(ADP + km_adp) x Pi/(Pi + km_pi); at rest it runs
at about a quarter of its capacity (neonatal rat: maximal anaerobic flux
about 3.8x the resting flux, Vannucci et al.; it doubles in early hypoxia,
Siesjo lab), so km_adp is set from the resting ADP (0.05 mM x 0.74/0.26).
"""

from __future__ import annotations

from .base import Mechanism, Param, Provided, Transfer, kernel, register


@kernel
def creatine_kinase_rate(ATP_i, ADP_i, PCr_i, Cr_i, k, K_eq):
    """Net PCr + ADP -> ATP + Cr, mM/ms of the cytosol."""
    return k * (PCr_i * ADP_i - ATP_i * Cr_i / K_eq)


@register
class CreatineKinase(Mechanism):
    """Creatine kinase: PCr + ADP <-> ATP + Cr near equilibrium (see module docstring)."""

    site = "compartment"
    family = "creatine_kinase"
    default_name = "ck"
    title = "creatine kinase, the phosphocreatine buffer of ATP"
    params = (Param("k", 5.7e-3, "1/(mM ms)", 0.0, 1e3,
                    "rate constant (PCr -> ATP flux about 0.65 mM/s at rest: k_f 0.3/s x PCr 2.2 mM)"),
              Param("K_eq", 177.0, "1", 1.0, 1e4, "equilibrium constant [ATP][Cr]/([ADP][PCr]) (38 degC)"))
    provides = (Provided("PCr_i", "mM", "amount", "phosphocreatine in the cytosol", "cell.PCr_i"),
                Provided("Cr_i", "mM", "amount", "free creatine in the cytosol", "cell.Cr_i"))
    fluxes = (Transfer(moves={"PCr_i": -1.0, "ADP_i": -1.0, "ATP_i": 1.0, "Cr_i": 1.0}, per="i"),)
    source = ("Teague WE, Dobson GP (1992) J Biol Chem (K' 177 at 38 degC); pools: 7 T 31P MRS of human "
              "brain (PMC3570026); flux: Du F et al. (2008) PNAS 105:6409 [MEM]")
    kernel = creatine_kinase_rate


@kernel
def glycolysis_rate(ADP_i, Pi_i, vmax, glucose, km_adp, km_pi):
    """ATP made by anaerobic glycolysis, mM/ms of the cytosol."""
    return vmax * 1e-3 * glucose * ADP_i / (ADP_i + km_adp) * Pi_i / (Pi_i + km_pi)


@register
class Glycolysis(Mechanism):
    """Anaerobic glycolysis: ATP from ADP and Pi, faster as ADP rises (see module docstring)."""

    site = "compartment"
    family = "glycolysis"
    default_name = "glycolysis"
    title = "anaerobic glycolysis, activated by ADP"
    params = (Param("vmax", 0.04, "mM/s", 0.0, 1e3, "maximal ATP production"),
              Param("glucose", 1.0, "1", 0.0, 1.0, "glucose available (0: none)"),
              Param("km_adp", 0.15, "mM", 1e-6, 100.0,
                    "ADP for half rate (resting flux a quarter of the maximum, Vannucci et al.)"),
              Param("km_pi", 0.5, "mM", 1e-6, 100.0, "Pi for half rate"))
    fluxes = (Transfer(moves={"ATP_i": 1.0, "ADP_i": -1.0, "Pi_i": -1.0}, per="i"),)
    source = ("Vannucci RC et al. (glycolytic reserve about 3.8x the resting flux in neonatal rat "
              "hypoxia-ischemia); Siesjo lab (glycolysis doubles in early hypoxia); see module docstring")
    kernel = glycolysis_rate
