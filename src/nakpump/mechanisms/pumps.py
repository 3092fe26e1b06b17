"""The Na+/K+-ATPase, written as a stoichiometric flux: one family, one interface.

One cycle moves 3 Na+ out and 2 K+ in and hydrolyses one ATP: one net
elementary charge leaves the cell per cycle.  A pump model only returns
its cycle rate (as a cycle current J, uA/cm2); ``nakpump.flux`` turns J
into I_Na = +3 J, I_K = -2 J and the ATP use J/F with the flux declared
on ``Pump``.  Every model shares the ``block`` fraction (ouabain),
a q10 temperature factor, and a ``scale`` parameter that
``nakpump.steady.calibrate`` or ``scale_pump`` can solve for.

Models (``PUMP_MODELS``, the names ``pump.model=`` takes):

- ``hill``: Michaelis-Menten/Hill saturation (Kager, Wadman & Somjen 2000);
- ``sigmoid``: the sigmoids of Cressman et al. 2009 / Wei et al. 2014;
- ``luo-rudy``: the voltage-dependent f_NaK of Luo & Rudy 1994;
- ``post-albers``: the thermodynamically consistent 4-state cycle of
  Smith & Crampin 2004 / Terkildsen et al. 2007 with the corrected binding
  polynomials and parameters of Pan et al. 2019; it reverses when ATP
  hydrolysis no longer pays for the ions and stops exactly at the balance.

The phenomenological models have no reverse mode; their optional
``km_atp`` (mM) makes them slow as ATP falls: factor ATP/(ATP + km_atp).
"""

from __future__ import annotations

import numpy as xp

from .base import BLOCK, Mechanism, MembraneFlux, Param, kernel, register
from .factors import q10_factor, rising

ELEMENTARY_CHARGE_UA_CM2 = 1.602176634e-19 * 1e8 * 1e6
"""uA/cm2 carried by one charge per second per um2 (e x 1e8 um2/cm2 x 1e6 uA/A)."""


@kernel
def hill_pump_rate(Na_i, K_o, ATP_i, T, imax, km_na, km_k, n_na, n_k, km_atp, q10, T_ref):
    sat_na = (1.0 + km_na / Na_i) ** (-n_na)
    sat_k = (1.0 + km_k / K_o) ** (-n_k)
    return imax * q10_factor(q10, T, T_ref) * sat_na * sat_k * (ATP_i / (ATP_i + km_atp))


@kernel
def sigmoid_pump_rate(Na_i, K_o, ATP_i, O2_o, T, imax, na_half, na_slope, k_half, k_slope, km_atp,
                      q10, T_ref, o2_half, o2_slope):
    sat_na = 1.0 / (1.0 + xp.exp((na_half - Na_i) / na_slope))
    sat_k = 1.0 / (1.0 + xp.exp((k_half - K_o) / k_slope))
    sat_o2 = rising(O2_o, o2_half, o2_slope)
    return (imax * q10_factor(q10, T, T_ref) * sat_na * sat_k * sat_o2
            * (ATP_i / (ATP_i + km_atp)))


@kernel
def luo_rudy_pump_rate(V, rtf, Na_i, Na_o, K_o, ATP_i, T, imax, km_na, n_na, km_k, km_atp, q10, T_ref):
    sigma = (xp.exp(Na_o / 67.3) - 1.0) / 7.0
    f_nak = 1.0 / (1.0 + 0.1245 * xp.exp(-0.1 * V / rtf) + 0.0365 * sigma * xp.exp(-V / rtf))
    sat_na = 1.0 / (1.0 + (km_na / Na_i) ** n_na)
    sat_k = K_o / (K_o + km_k)
    return imax * q10_factor(q10, T, T_ref) * f_nak * sat_na * sat_k * (ATP_i / (ATP_i + km_atp))


@kernel
def post_albers_cycle(V, rtf, Na_i, Na_o, K_i, K_o, ATP_i, ADP_i, Pi_i, K0_nai, K0_nae, Kd_nai2,
                      Kd_nae2, Kd_ke, Kd_ki, Kd_atp, delta, k1p, k2p, k3p, k4p, k1m, k2m, k3m, k4m,
                      pK_hpi, Kd_kpi, Kd_napi, pH):
    """Net cycle rate (1/s) of the 4-state Post-Albers pump (parameters of
    ``PostAlbersPump``), V in mV, concentrations in mM."""
    u = V / rtf
    h = 10.0 ** (3.0 - pH)  # mM
    ni1 = Na_i / (K0_nai * xp.exp(delta * u))
    ni2 = Na_i / Kd_nai2
    ne1 = Na_o / (K0_nae * xp.exp((1.0 + delta) * u))
    ne2 = Na_o / Kd_nae2
    ki = K_i / Kd_ki
    ke = K_o / Kd_ke
    a = ATP_i / Kd_atp
    d_i = ni1 * ni2 * ni2 + (1.0 + ni2) ** 2 + (1.0 + ki) ** 2 - 1.0
    d_e = ne1 * ne2 * ne2 + (1.0 + ne2) ** 2 + (1.0 + ke) ** 2 - 1.0
    pi_free = Pi_i / (1.0 + K_i / Kd_kpi + h / 10.0 ** (3.0 - pK_hpi) + Na_i / Kd_napi)
    a1p = k1p * ni1 * ni2 * ni2 / d_i
    a2p = k2p
    a3p = k3p * ke * ke / d_e
    a4p = k4p * a / (1.0 + a)
    a1m = k1m * ADP_i
    a2m = k2m * ne1 * ne2 * ne2 / d_e
    a3m = k3m * pi_free * h / (1.0 + a)
    a4m = k4m * ki * ki / d_i
    num = a1p * a2p * a3p * a4p - a1m * a2m * a3m * a4m
    den = (a1m * a2m * a3m + a1m * a2m * a4p + a1m * a3p * a4p + a2p * a3p * a4p
           + a2m * a3m * a4m + a1p * a2m * a3m + a1p * a2m * a4p + a1p * a3p * a4p
           + a1m * a3m * a4m + a2p * a3m * a4m + a1p * a2p * a3m + a1p * a2p * a4p
           + a1m * a2m * a4m + a1m * a3p * a4m + a2p * a3p * a4m + a1p * a2p * a3p)
    return num / den


@kernel
def post_albers_pump_rate(V, rtf, Na_i, Na_o, K_i, K_o, ATP_i, ADP_i, Pi_i, T, density, K0_nai, K0_nae,
                          Kd_nai2, Kd_nae2, Kd_ke, Kd_ki, Kd_atp, delta, k1p, k2p, k3p, k4p, k1m, k2m,
                          k3m, k4m, pK_hpi, Kd_kpi, Kd_napi, pH, q10, T_ref, na_scale):
    # an isoform's Na_i affinity: both Na_i dissociation constants x s, and k1+ x s^3 so that the
    # cycle's equilibrium constant (detailed balance) is unchanged
    v = post_albers_cycle(V, rtf, Na_i, Na_o, K_i, K_o, ATP_i, ADP_i, Pi_i, K0_nai * na_scale, K0_nae,
                          Kd_nai2 * na_scale, Kd_nae2, Kd_ke, Kd_ki, Kd_atp, delta,
                          k1p * na_scale * na_scale * na_scale, k2p, k3p, k4p, k1m, k2m, k3m,
                          k4m, pK_hpi, Kd_kpi, Kd_napi, pH)
    return density * ELEMENTARY_CHARGE_UA_CM2 * v * q10_factor(q10, T, T_ref)


class Pump(Mechanism):
    """Common declarations of every Na+/K+-ATPase model."""

    default_name = "pump"
    fluxes = (MembraneFlux(ions={"Na": 3.0, "K": -2.0}, atp=1.0, electrogenic="electrogenic"),)
    tags = frozenset({"na_k_pump"})
    scale = "imax"
    """The parameter that sets the pump's size (solved by calibration)."""

    @classmethod
    def all_params(cls):
        return tuple(cls.params) + (ELECTROGENIC, BLOCK)


ELECTROGENIC = Param(
    "electrogenic", 1.0, "1", 0.0, 1.0,
    "fraction of the pump's net current that enters the membrane equation (1: physical; 0: "
    "left out, as the equations of Cressman 2009 do; the ions still move, and the charge "
    "left out is kept in the ledger so that the charge invariant still holds)")

_Q10 = (Param("q10", 2.7, "1", 1.0, 10.0,
              "temperature coefficient of the turnover (pump current 4x smaller at 23 than at 37 degC: "
              "Lu & Hilgemann 2017, PMC5050017)"),)


def _t_ref(value):
    return (Param("T_ref", value, "degC", -10.0, 50.0, "temperature at which the rates hold"),)


_KM_ATP = (Param("km_atp", 0.0, "mM", 0.0, 100.0,
                 "ATP for half rate (0: no ATP dependence, as published)"),)


@register
class HillPump(Pump):
    """J = imax (1 + km_na/Na_i)^-n_na (1 + km_k/K_o)^-n_k (ATP factor, q10)."""

    family = "hill_pump"
    title = "Na+/K+-ATPase, Michaelis-Menten/Hill saturation in Na_i and K_o"
    params = (
        Param("imax", 8.0, "uA/cm2", 0.0, 1e4,
              "net pump current at full saturation (= F x maximal cycle flux)"),
        Param("km_na", 10.0, "mM", 1e-3, 1e3, "Na_i for half-saturation of each Na+ site"),
        Param("km_k", 2.0, "mM", 1e-3, 1e3, "K_o for half-saturation of each K+ site"),
        Param("n_na", 3.0, "1", 0.0, 5.0, "Na+ sites (exponent)"),
        Param("n_k", 2.0, "1", 0.0, 5.0, "K+ sites (exponent)"),
    ) + _KM_ATP + _Q10 + _t_ref(37.0)
    source = ("Kager H, Wadman WJ, Somjen GG (2000) J Neurophysiol 84:495-512 (pump form; "
              "km_na 10 mM, km_k 2 mM as in ModelDB 113446 nakpump.mod)")
    kernel = hill_pump_rate


@register
class SigmoidPump(Pump):
    """J = imax / (1 + exp((na_half - Na_i)/na_slope)) / (1 + exp((k_half - K_o)/k_slope)),
    times 1 / (1 + exp((o2_half - O2)/o2_slope)) with Wei 2014's oxygen dependence."""

    family = "sigmoid_pump"
    title = "Na+/K+-ATPase, sigmoid in Na_i and K_o (Cressman 2009, Wei 2014)"
    params = (
        Param("imax", 18.0, "uA/cm2", 0.0, 1e4,
              "net current at saturation (Wei 2014: rho_max 0.8 mM/s / gamma 0.0445 = 18)"),
        Param("na_half", 25.0, "mM", 0.0, 500.0, "Na_i at half activation"),
        Param("na_slope", 3.0, "mM", 1e-3, 100.0, "Na_i slope factor"),
        Param("k_half", 3.5, "mM", 0.0, 500.0, "K_o at half activation (Cressman 2009: 5.5)"),
        Param("k_slope", 1.0, "mM", 1e-3, 100.0, "K_o slope factor"),
    ) + _KM_ATP + _Q10 + _t_ref(36.0) + (
        Param("o2_half", 20.0, "mg/L", 0.0, 100.0, "extracellular O2 at half rate (Wei 2014: 20)"),
        Param("o2_slope", 0.0, "mg/L", 0.0, 100.0,
              "O2 slope factor (0: no O2 dependence, as Cressman 2009; Wei 2014: 3)"))
    source = ("Cressman JR, Ullah G, Ziburkus J, Schiff SJ, Barreto E (2009) J Comput Neurosci "
              "26:159-170 (erratum 30:781); Wei Y, Ullah G, Schiff SJ (2014) J Neurosci "
              "34:11733-11743 (K_o half 3.5 mM); Saetra MJ, Einevoll GT, Halnes G (2020) PLoS "
              "Comput Biol 16:e1007661")
    kernel = sigmoid_pump_rate


@register
class LuoRudyPump(Pump):
    """J = imax f_NaK(V, Na_o) / (1 + (km_na/Na_i)^n_na) K_o/(K_o + km_k)."""

    family = "luo_rudy_pump"
    title = "Na+/K+-ATPase, voltage-dependent (Luo & Rudy 1994)"
    params = (
        Param("imax", 1.5, "uA/cm2", 0.0, 1e4, "maximal current (LRd 1994: 1.5 uA/uF at Cm 1)"),
        Param("km_na", 10.0, "mM", 1e-3, 1e3, "Na_i for half activation"),
        Param("n_na", 1.5, "1", 0.0, 5.0, "Hill exponent in Na_i"),
        Param("km_k", 1.5, "mM", 1e-3, 1e3, "K_o for half activation"),
    ) + _KM_ATP + _Q10 + _t_ref(36.85)  # LRd's 310 K
    source = ("Luo CH, Rudy Y (1994) Circ Res 74:1071-1096, I_NaK with f_NaK and sigma(Na_o) "
              "(REFERENCES 1a)")
    kernel = luo_rudy_pump_rate


@register
class PostAlbersPump(Pump):
    """Four-state Post-Albers cycle with rapid-equilibrium ion binding: the
    King-Altman steady-state cycle rate times the pump density."""

    family = "post_albers_pump"
    title = "Na+/K+-ATPase, thermodynamic 4-state Post-Albers cycle (Pan et al. 2019)"
    params = (
        Param("density", 1000.0, "1/um2", 0.0, 1e6, "pumps per um2 of membrane"),
        Param("K0_nai", 579.7295, "mM", 1e-9, 1e9, "Na_i dissociation constant of site 1 at 0 mV"),
        Param("K0_nae", 0.0349, "mM", 1e-9, 1e9, "Na_o dissociation constant of site 1 at 0 mV"),
        Param("Kd_nai2", 5.6399, "mM", 1e-9, 1e9, "Na_i dissociation constant, sites 2-3"),
        Param("Kd_nae2", 1.0617e4, "mM", 1e-9, 1e9, "Na_o dissociation constant, sites 2-3"),
        Param("Kd_ke", 1.0817, "mM", 1e-9, 1e9, "K_o dissociation constant"),
        Param("Kd_ki", 1.6795e4, "mM", 1e-9, 1e9, "K_i dissociation constant"),
        Param("Kd_atp", 140.3709, "mM", 1e-9, 1e9, "MgATP dissociation constant"),
        Param("delta", -0.0550, "1", -2.0, 2.0, "charge fraction of the voltage-sensitive Na+ step"),
        Param("k1p", 1.4232e3, "1/s", 0.0, 1e12, "forward rate, step 1"),
        Param("k2p", 1.1565e4, "1/s", 0.0, 1e12, "forward rate, step 2"),
        Param("k3p", 194.4506, "1/s", 0.0, 1e12, "forward rate, step 3"),
        Param("k4p", 3.0630e4, "1/s", 0.0, 1e12, "forward rate, step 4"),
        Param("k1m", 225.9048, "1/(s mM)", 0.0, 1e12, "backward rate, step 1 (x MgADP)"),
        Param("k2m", 3.6355e4, "1/s", 0.0, 1e12, "backward rate, step 2"),
        Param("k3m", 2.8104e5, "1/(s mM2)", 0.0, 1e12, "backward rate, step 3 (x Pi x H+)"),
        Param("k4m", 1.5740e6, "1/s", 0.0, 1e12, "backward rate, step 4"),
        Param("pK_hpi", 6.77, "1", 0.0, 14.0, "pK of H+ binding to Pi"),
        Param("Kd_kpi", 292.0, "mM", 1e-9, 1e9, "K+ binding to Pi"),
        Param("Kd_napi", 224.0, "mM", 1e-9, 1e9, "Na+ binding to Pi"),
        Param("pH", 7.2, "1", 5.0, 9.0, "cytosolic pH"),
    ) + _Q10 + _t_ref(37.0) + (
        Param("na_scale", 1.0, "1", 1e-3, 1e3,
              "Na_i dissociation constants x this and k1+ x its cube (detailed balance kept); the faster "
              "occlusion outweighs the weaker binding: apparent K0.5(Na_i) at -70 mV, K_o 4 mM, "
              "37 degC is 12 mM at 3.78 (alpha1), 27.7 at 1, 33 at 0.86 (alpha3)"),)
    scale = "density"
    source = ("Smith NP, Crampin EJ (2004) Prog Biophys Mol Biol 85:387-405; Terkildsen JR, "
              "Crampin EJ, Smith NP (2007) Biophys J 93:3061-3073; corrected binding polynomials "
              "and refitted parameters (310 K): Pan M, Gawthrop PJ, Tran K, Cursons J, Crampin EJ "
              "(2019) J Theor Biol 481:10-23 and Physiome 2020 (REFERENCES 1c)")
    kernel = post_albers_pump_rate


PUMP_MODELS: dict[str, type[Pump]] = {
    "hill": HillPump,
    "sigmoid": SigmoidPump,
    "luo-rudy": LuoRudyPump,
    "post-albers": PostAlbersPump,
}


def pump_model(name: str) -> type[Pump]:
    """The pump class called ``name``; a one-line error listing the names otherwise."""
    if name not in PUMP_MODELS:
        raise ValueError(f"pump.model = {name!r} is not a pump model; allowed: {', '.join(PUMP_MODELS)}")
    return PUMP_MODELS[name]
