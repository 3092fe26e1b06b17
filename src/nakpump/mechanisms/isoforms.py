"""Na+/K+-ATPase isoforms, each a pump whose size is a site density and a
turnover: J = density x turnover x e x Hill(Na_i) x Hill(K_o) x
ATP/(ATP + km_atp) x q10^((T - T_ref)/10), one cycle current per cycle.

Neurons carry alpha1 (apparent K0.5 for Na_i about 12 mM) and alpha3
(about 33 mM: it works little at rest and carries large Na+ loads); the
K_o dependence at physiological Na_o is that of intact cells (K0.5 about
1.9 mM, Hill 1.7), weak near 4 mM.  The astrocytic pump (alpha2 with
beta2 in astrocytes) has the form of Halnes et al. 2013.

Sources (REFERENCES 2.7, and as cited here):
- Na_i affinities in intact cells: Zahler R et al. (1997) J Gen Physiol
  110:201 (alpha1 12, alpha2 22, alpha3 33 mM); Hill coefficient 1.3 for
  Na_i: Sakai R et al. (1996) J Physiol (rabbit sino-atrial node).
- K_o: K0.5 1.9 mM, Hill 1.7 at 144 mM Na_o, 37 degC: Stimers JR et al.
  (1990) J Gen Physiol 95:61; the same 1.9 mM with Na_o (0.13 mM without):
  Bielen FV, Glitsch HG, Verdonck F (1991) J Physiol 442:169; the
  isoforms' K affinities are similar: Jewell EA, Lingrel JB (1991) J Biol
  Chem 266:16925.
- ATP: K0.5 0.43 (alpha1), 0.54 (alpha2), 0.21 mM (alpha3): Jewell &
  Lingrel 1991.
- turnover: 29 /s at rest and 1.74/0.46 of that Na-loaded at 37 degC
  (Stimers et al. 1990), i.e. about 110 /s at saturation [RUN].
- temperature: pump current 4x smaller at 23 than at 37 degC, Q10 2.7
  (Lu & Hilgemann 2017, PMC5050017 Fig. 3); below 35 degC (the Q10 is
  smaller above 35 degC in sheep Purkinje fibres).
- astrocytic pump: Halnes G et al. (2013) PLoS Comput Biol 9:e1003386;
  Saetra MJ et al. (2021) PLoS Comput Biol 17:e1008143 (REFERENCES 1b.6).
"""

from __future__ import annotations

from .base import BLOCK, Mechanism, MembraneFlux, Param, kernel, register
from .factors import q10_factor
from .pumps import ELECTROGENIC, ELEMENTARY_CHARGE_UA_CM2

PUMP_FLUX = (MembraneFlux(ions={"Na": 3.0, "K": -2.0}, atp=1.0, electrogenic="electrogenic"),)


@kernel
def hill(x, half, n):
    """x^n / (x^n + half^n), written to stay finite for x -> 0."""
    return 1.0 / (1.0 + (half / x) ** n)


@kernel
def isoform_pump_rate(Na_i, K_o, ATP_i, T, density, turnover, na_half, n_na, k_half, n_k, km_atp, q10,
                      T_ref):
    return (density * turnover * ELEMENTARY_CHARGE_UA_CM2 * q10_factor(q10, T, T_ref)
            * hill(Na_i, na_half, n_na) * hill(K_o, k_half, n_k) * ATP_i / (ATP_i + km_atp))


def _params(density, na_half, km_atp, n_na=1.3, k_half=1.9, n_k=1.7, turnover=110.0):
    return (
        Param("density", density, "1/um2", 0.0, 1e5, "pump sites per um2 of membrane"),
        Param("turnover", turnover, "1/s", 0.0, 1e4,
              "cycles per second per pump at saturation, at T_ref (Stimers et al. 1990: about 110)"),
        Param("na_half", na_half, "mM", 1e-3, 1e3, "Na_i for half activation (apparent K0.5)"),
        Param("n_na", n_na, "1", 0.1, 5.0, "Hill coefficient in Na_i"),
        Param("k_half", k_half, "mM", 1e-3, 1e3, "K_o for half activation at physiological Na_o"),
        Param("n_k", n_k, "1", 0.1, 5.0, "Hill coefficient in K_o"),
        Param("km_atp", km_atp, "mM", 0.0, 100.0, "MgATP for half rate"),
        Param("q10", 2.7, "1", 1.0, 10.0, "temperature coefficient of the turnover (Q10 2.7)"),
        Param("T_ref", 37.0, "degC", -10.0, 50.0, "temperature at which the turnover holds"))


class IsoformPump(Mechanism):
    """Common declarations of the isoform pumps (see module docstring)."""

    fluxes = PUMP_FLUX
    tags = frozenset({"na_k_pump"})
    scale = "density"
    kernel = isoform_pump_rate
    source = __doc__

    @classmethod
    def all_params(cls):
        return tuple(cls.params) + (ELECTROGENIC, BLOCK)

    @property
    def imax(self) -> float:
        """Net pump current at saturation, uA/cm2 (density x turnover x e)."""
        return self.values["density"] * self.values["turnover"] * ELEMENTARY_CHARGE_UA_CM2


@register
class Alpha1Pump(IsoformPump):
    """Neuronal alpha1 Na+/K+-ATPase: K0.5(Na_i) 12 mM."""

    family = "alpha1_pump"
    default_name = "alpha1"
    title = "Na+/K+-ATPase alpha1 (ubiquitous; K0.5 Na_i 12 mM)"
    params = _params(1000.0, 12.0, 0.43)
    source = ("Zahler et al. 1997 J Gen Physiol 110:201 (Na_i 12 mM); Stimers et al. 1990 J Gen Physiol "
              "95:61 (K_o 1.9 mM, n 1.7, turnover); Jewell & Lingrel 1991 J Biol Chem 266:16925 (ATP); "
              "Lu & Hilgemann 2017 (Q10); see nakpump.mechanisms.isoforms")


@register
class Alpha3Pump(IsoformPump):
    """Neuronal alpha3 Na+/K+-ATPase: K0.5(Na_i) 33 mM, for large Na+ loads."""

    family = "alpha3_pump"
    default_name = "alpha3"
    title = "Na+/K+-ATPase alpha3 (neuronal; K0.5 Na_i 33 mM)"
    params = _params(1000.0, 33.0, 0.21)
    source = ("Zahler et al. 1997 J Gen Physiol 110:201 (Na_i 33 mM); Azarias et al. 2013 J Biol Chem "
              "288:2734 (alpha3 restores large Na_i loads); Jewell & Lingrel 1991 (ATP 0.21 mM); see "
              "nakpump.mechanisms.isoforms")


@register
class AstrocytePump(IsoformPump):
    """Astrocytic Na+/K+-ATPase (alpha2 beta2 in astrocytes), Halnes 2013 form:
    Na_g^1.5/(Na_g^1.5 + 10^1.5) K_o/(K_o + 1.5)."""

    family = "astrocyte_pump"
    default_name = "glia_pump"
    title = "astrocytic Na+/K+-ATPase (Halnes et al. 2013 form)"
    params = _params(1000.0, 10.0, 0.54, n_na=1.5, k_half=1.5, n_k=1.0)
    source = ("Halnes G, Ostby I, Pettersen KH, Omholt SW, Einevoll GT (2013) PLoS Comput Biol 9:e1003386; "
              "Saetra MJ et al. (2021) PLoS Comput Biol 17:e1008143 (rho_g 1.12e-6 mol/m2/s; "
              "REFERENCES 1b.6); ATP K0.5 of alpha2: Jewell & Lingrel 1991")
