"""Channels and water flow of the Kager-Wadman-Somjen model as coded in
ModelDB 113446 (Somjen, Kager & Wadman 2008 J Comput Neurosci, doi
10.1007/s10827-008-0083-9; Kager, Wadman & Somjen 2000 J Neurophysiol 84:495).

Each class transcribes one of the authors' mod files of ModelDB 113446 at
commit f30e3f8 (cited as ``file.mod:line``); the values their start.hoc
sets (start.hoc:86-93, 255-263) are the defaults.  Units: conductances in
mS/cm2 (the mod files' S/cm2 x 1000), V in mV, rates in 1/ms, K_o in mM.
The mod files' NEURON TABLEs (rates tabulated on a 1-1.5 mV grid and
interpolated) are replaced by the analytic functions they tabulate.  None
of these channels has a temperature factor in the authors' code.

The Na+/K+ pump is ``HillPump`` (nakpump.mod:64-66 is its form with
n_na = 3, n_k = 2) and the leaks are ``Leak``; the preset
``catalog.kager2000`` sets and balances them as start.hoc does.
"""

from __future__ import annotations

import numpy as xp

from .base import Mechanism, MembraneFlux, Param, StateVar, kernel, register
from .channels import relax
from .factors import efun
from .water import VOLUMES, WATER

SOURCE = ("Somjen GG, Kager H, Wadman WJ (2008) J Comput Neurosci, doi:10.1007/s10827-008-0083-9; Kager H, "
          "Wadman WJ, Somjen GG (2000) J Neurophysiol 84:495-512; ModelDB 113446 @f30e3f8")
NA_CURRENT = (MembraneFlux(ions={"Na": 1.0}),)
K_CURRENT = (MembraneFlux(ions={"K": 1.0}),)


# ------------------------------------------------------------- nachan (na.mod) --
@kernel
def nat_rates(V, shiftm, shifth, scaletaum, scaletauh):
    """(alpha_m, beta_m, alpha_h, beta_h), 1/ms; na.mod:106-124.  alpha_m is scaled by
    scaletauh, not scaletaum, as the mod file does (na.mod:108)."""
    am = scaletauh * 0.32 * 4.0 * efun((-56.9 - V - shiftm) / 4.0)
    bm = scaletaum * 0.28 * 5.0 * efun((V + 29.9 + shiftm) / 5.0)
    ah = scaletauh * 0.128 * xp.exp((-53.0 - V - shifth) / 18.0)
    bh = scaletauh * 4.0 / (1.0 + xp.exp((-30.0 - V - shifth) / 5.0))
    return am, bm, ah, bh


@kernel
def nat_current(V, E_Na, m, h, gbar):
    return gbar * m * m * m * h * (V - E_Na)


@kernel
def nat_gates(V, m, h, shiftm, shifth, scaletaum, scaletauh):
    am, bm, ah, bh = nat_rates(V, shiftm, shifth, scaletaum, scaletauh)
    return relax(am, bm, m), relax(ah, bh, h)


@kernel
def nat_steady(V, shiftm, shifth, scaletaum, scaletauh):
    am, bm, ah, bh = nat_rates(V, shiftm, shifth, scaletaum, scaletauh)
    return am / (am + bm), ah / (ah + bh)


@register
class KagerNaT(Mechanism):
    """Transient Na+ current, Traub form, of the soma: gbar m^3 h (V - E_Na) (na.mod)."""

    family = "kager_nat"
    default_name = "nat"
    title = "transient Na+ current (Traub; Kager et al. 2000, ModelDB 113446 na.mod)"
    params = (Param("gbar", 400.0, "mS/cm2", 0.0, 1e4, "maximal conductance (start.hoc:87, soma: 0.4 S/cm2)"),
              Param("shiftm", 0.0, "mV", -100.0, 100.0, "activation shift (start.hoc:258)"),
              Param("shifth", 10.0, "mV", -100.0, 100.0, "inactivation shift (start.hoc:259)"),
              Param("scaletaum", 1.0, "1", 0.0, 100.0, "factor on beta_m (start.hoc:260)"),
              Param("scaletauh", 2.0, "1", 0.0, 100.0,
                    "factor on the h rates, and on alpha_m as na.mod:108 has it (start.hoc:261)"))
    states = (StateVar("m", "1", "activation"), StateVar("h", "1", "inactivation"))
    fluxes = NA_CURRENT
    source = SOURCE + " na.mod:33-124"
    kernel = nat_current
    rates = nat_gates
    steady = nat_steady


# ---------------------------------------------------------------- nap (nap.mod) --
@kernel
def nap_rates(V, tau_act, ina_p_h):
    """(alpha_m, beta_m, alpha_h, beta_h), 1/ms; nap.mod:98-135."""
    minf = 1.0 / (1.0 + xp.exp(-(V + 39.7) / 7.0))
    ah = 0.128 * xp.exp((-63.0 - V) / 18.0) / ina_p_h
    bh = 4.0 / (1.0 + xp.exp((-40.0 - V) / 5.0)) / ina_p_h
    return minf / tau_act, (1.0 - minf) / tau_act, ah, bh


@kernel
def nap_current(V, E_Na, K_o, m, h, gbar, conc_half, helling):
    """gbar m^2 h kdep(K_o) (V - E_Na), kdep = 1 + 2/(1 + exp((K_o - conc_half)/helling))
    (nap.mod:65, 93-96)."""
    kdep = 1.0 + 2.0 / (1.0 + xp.exp((K_o - conc_half) / helling))
    return gbar * m * m * h * kdep * (V - E_Na)


@kernel
def nap_gates(V, m, h, tau_act, ina_p_h):
    am, bm, ah, bh = nap_rates(V, tau_act, ina_p_h)
    return relax(am, bm, m), relax(ah, bh, h)


@kernel
def nap_steady(V, tau_act, ina_p_h):
    am, bm, ah, bh = nap_rates(V, tau_act, ina_p_h)
    return am / (am + bm), ah / (ah + bh)


@register
class KagerNaP(Mechanism):
    """Persistent Na+ current enhanced by extracellular K+ (nap.mod)."""

    family = "kager_nap"
    default_name = "nap"
    title = "persistent Na+ current, K_o-dependent (Kager et al. 2000, ModelDB 113446 nap.mod)"
    params = (Param("gbar", 0.125, "mS/cm2", 0.0, 1e4,
                    "maximal conductance (start.hoc:89, soma: 1.25e-4 S/cm2)"),
              Param("conc_half", 7.0, "mM", 0.0, 1e3, "K_o at half of the K_o enhancement (nap.mod:46)"),
              Param("helling", -0.765, "mM", -100.0, -1e-3, "slope of the K_o enhancement (nap.mod:45)"),
              Param("tau_act", 6.0, "ms", 1e-3, 1e4, "activation time constant (nap.mod:48)"),
              Param("ina_p_h", 25000.0, "1", 1.0, 1e8,
                    "slowing of the Traub h rates for the inactivation (nap.mod:47)"))
    states = (StateVar("m", "1", "activation"), StateVar("h", "1", "inactivation (very slow)"))
    fluxes = NA_CURRENT
    source = SOURCE + " nap.mod:42-135"
    kernel = nap_current
    rates = nap_gates
    steady = nap_steady


# ------------------------------------------------------ kdr, kdrglia (kdr.mod) --
@kernel
def kdr_rates(V, scaletaun, shiftn):
    """(alpha_n, beta_n), 1/ms; kdr.mod:76-84 (kdrglia.mod:76-84 is the same with shiftn 50)."""
    an = scaletaun * 0.016 * 5.0 * efun((-34.9 - V - shiftn) / 5.0)
    bn = scaletaun * 0.25 * xp.exp((-50.0 - V - shiftn) / 40.0)
    return an, bn


@kernel
def kdr_current(V, E_K, n, gbar):
    n2 = n * n
    return gbar * n2 * n2 * (V - E_K)


@kernel
def kdr_gate(V, n, scaletaun, shiftn):
    an, bn = kdr_rates(V, scaletaun, shiftn)
    return relax(an, bn, n)


@kernel
def kdr_steady(V, scaletaun, shiftn):
    an, bn = kdr_rates(V, scaletaun, shiftn)
    return an / (an + bn)


@register
class KagerKdr(Mechanism):
    """Delayed-rectifier K+ current, Traub form: gbar n^4 (V - E_K) (kdr.mod;
    the glial kdrglia.mod is the same with ``shiftn`` 50 and gbar 25 mS/cm2)."""

    family = "kager_kdr"
    default_name = "kdr"
    title = "delayed-rectifier K+ current (Traub; Kager et al. 2000, ModelDB 113446 kdr.mod)"
    params = (Param("gbar", 200.0, "mS/cm2", 0.0, 1e4,
                    "maximal conductance (start.hoc:93, soma: 0.2 S/cm2; glia start.hoc:77: 0.025)"),
              Param("scaletaun", 1.5, "1", 0.0, 100.0,
                    "factor on both rates (start.hoc:262; kdrglia.mod:34)"),
              Param("shiftn", 10.0, "mV", -200.0, 200.0,
                    "shift; positive moves activation negative (start.hoc:263; kdrglia.mod:35: 50)"))
    states = (StateVar("n", "1", "activation"),)
    fluxes = K_CURRENT
    source = SOURCE + " kdr.mod:32-88, kdrglia.mod:32-88"
    kernel = kdr_current
    rates = kdr_gate
    steady = kdr_steady


# ------------------------------------------------------------------- ka (ka.mod) --
@kernel
def ka_rates(V, shiftm, shifth):
    """(alpha_a, beta_a, alpha_b, beta_b), 1/ms; ka.mod:81-103."""
    aa = 0.02 * 10.0 * efun((-26.9 - V - shiftm) / 10.0)
    ba = 0.0175 * 10.0 * efun((V - 0.1 + shiftm) / 10.0)
    ab = 0.016 * xp.exp((-83.0 - V - shifth) / 18.0)
    bb = 0.5 / (1.0 + xp.exp((-59.9 - V - shifth) / 5.0))
    return aa, ba, ab, bb


@kernel
def ka_current(V, E_K, a, b, gbar):
    return gbar * a * a * b * (V - E_K)


@kernel
def ka_gates(V, a, b, shiftm, shifth):
    aa, ba, ab, bb = ka_rates(V, shiftm, shifth)
    return relax(aa, ba, a), relax(ab, bb, b)


@kernel
def ka_steady(V, shiftm, shifth):
    aa, ba, ab, bb = ka_rates(V, shiftm, shifth)
    return aa / (aa + ba), ab / (ab + bb)


@register
class KagerKA(Mechanism):
    """A-type K+ current: gbar a^2 b (V - E_K) (ka.mod)."""

    family = "kager_ka"
    default_name = "ka"
    title = "A-type K+ current (Traub; Kager et al. 2000, ModelDB 113446 ka.mod)"
    params = (Param("gbar", 200.0, "mS/cm2", 0.0, 1e4,
                    "maximal conductance (start.hoc:91, soma: 0.2, labelled cm/s, used as S/cm2)"),
              Param("shiftm", 0.0, "mV", -100.0, 100.0, "activation shift (ka.mod:36)"),
              Param("shifth", 0.0, "mV", -100.0, 100.0, "inactivation shift (ka.mod:37)"))
    states = (StateVar("a", "1", "activation"), StateVar("b", "1", "inactivation"))
    fluxes = K_CURRENT
    source = SOURCE + " ka.mod:33-111"
    kernel = ka_current
    rates = ka_gates
    steady = ka_steady


# ----------------------------------------------------------------- kir (kir.mod) --
@kernel
def kager_kir_current(V, E_K, K_o, gbar, vh, vs):
    """gbar (V - E_K) / (sqrt(K_o) (1 + exp((V - vh - E_K)/vs))), K_o in mM (kir.mod:46, 55-57)."""
    return gbar * (V - E_K) / (xp.sqrt(K_o) * (1.0 + xp.exp((V - vh - E_K) / vs)))


@register
class KagerKir(Mechanism):
    """The glial inward rectifier, instantaneous (kir.mod)."""

    family = "kager_kir"
    default_name = "kir"
    title = "glial K+ inward rectifier (Somjen et al. 2008, ModelDB 113446 kir.mod)"
    params = (Param("gbar", 25.0, "mS/cm2", 0.0, 1e4,
                    "conductance at K_o = 1 mM (start.hoc:75: 0.025 S/cm2); scaled by 1/sqrt(K_o/mM)"),
              Param("vh", 0.0, "mV", -100.0, 100.0, "half activation relative to E_K (kir.mod:32)"),
              Param("vs", 1.0, "mV", 1e-3, 100.0, "slope (kir.mod:31)"))
    fluxes = K_CURRENT
    source = SOURCE + " kir.mod:29-57"
    kernel = kager_kir_current


# -------------------------------------------------------------- water (accum.mod) --
@kernel
def floored_osmotic_flow(osm_i, osm_o, w_o, w_o0, lp, floor):
    """lp (osm_i - osm_o) um/ms into the inside, except that water may not leave the
    outside once its volume is at or below ``floor`` x its initial volume."""
    f = lp * 1e-3 * (osm_i - osm_o)
    return xp.where(w_o <= floor * w_o0, xp.minimum(f, 0.0), f)


@register
class KagerWater(Mechanism):
    """Osmotic water flow with the extracellular space's lower limit
    (accum.mod:152-168, its conservative ``method = 1`` form).

    The authors' flux per unit cable length is (osm_i - osm_o)/tau um2/ms per
    mM for a segment of diameter d, i.e. lp = 1/(pi d tau) per membrane
    area: 0.398 um/(s mM) for d = 8 um and tau = 100 ms.  Once the
    extracellular volume falls to ``floor`` of its resting value (accum.mod:
    minvolisvf 0.04 of the neuron's volume = 0.2 of the resting 0.2),
    water stops flowing out of it (accum.mod:155-160)."""

    family = "kager_water"
    default_name = "water"
    title = "osmotic water flow with a floor on the extracellular volume (ModelDB 113446 accum.mod)"
    params = (Param("lp", 0.3978873577, "um/(s mM)", 0.0, 1e3,
                    "water permeability: 1/(pi d tau), d 8 um, tau 100 ms (start.hoc:60, accum.mod:152)"),
              Param("floor", 0.2, "1", 0.0, 1.0,
                    "smallest extracellular volume water leaves, relative to its resting volume "
                    "(accum.mod:50, 155: 0.04 of the neuron's = 0.2 of the resting 0.2)"))
    source = SOURCE + " accum.mod:35-58, 151-168 (method 1)"
    provides = VOLUMES
    fluxes = WATER
    kernel = floored_osmotic_flow
