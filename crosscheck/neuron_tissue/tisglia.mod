COMMENT
The astrocyte's membrane (its own section, potential v = V_g), as nakpump's
mechanisms on membrane "glia" between the astrocyte "g" and the
extracellular space "o":

- `kir` (nakpump.mechanisms.glia.Kir41; Halnes et al. 2013, edNEG):
      I_kir = (1 - kir_block) kir_g f (v - E_K),
      f = sqrt(K_o/K_o0) (1 + exp(18.4/42.4)) / (1 + exp((v - E_K + 18.5)/42.5))
          (1 + exp(-(118.6 + E_K0)/44.1)) / (1 + exp(-(118.6 + v)/44.1));
- `glia_leak_na`, `glia_leak_cl` (nakpump.mechanisms.leak.Leak): ohmic,
      I = (1 - block) g (v - E_X);
- `glia_pump` (nakpump.mechanisms.isoforms.AstrocytePump): the cycle current
      J = (1 - block) density turnover e 1e14 q10^((celsius - T_ref)/10)
          hill(Na_g, na_half, n_na) hill(K_o, k_half, n_k) ATP_g/(ATP_g + km_atp),
      3 Na+ out, 2 K+ in and one ATP of the astrocyte per cycle, the
      fraction `electrogenic` of its net charge on the membrane;
- `glia_nkcc1` (nakpump.mechanisms.transporters.NKCC1):
      J = (1 - block) U / (1 + exp(k_half - K_o))
          [ln(K_g Cl_g/(K_o Cl_o)) + ln(Na_g Cl_g/(Na_o Cl_o))],
      1 Na+, 1 K+ and 2 Cl- out per cycle.

E_X = (RT/F)/z ln(X_o/X_g), RT/F = 1e3 rgas (celsius + 273.15)/faraday (mV),
from the concentrations read through POINTERs: the astrocyte's (na_g, k_g,
cl_g, atp_g: tisacc's states nag, kg, clg, atpg) and the extracellular
space's (na_o, k_o, cl_o: the neuron section's nao, ko, clo, which tisacc
writes).  The astrocyte has no NEURON ions: its membrane current is the
nonspecific i (mA/cm2) and the ions it moves are the per-ion currents ina_g,
ik_g, icl_g (mA/cm2 of the astrocyte's membrane, outward positive; icl_g is
the Cl- current) and the pump's cycle current jatp, which tisacc reads
through POINTERs and scales by the astrocyte's area.  Conductances in
mS/cm2 and rates in uA/cm2 (nakpump's units), x 1e-3 to mA/cm2.
Parameters are named after nakpump's (glia_pump.density ->
glia_pump_density) and set from Python.
ENDCOMMENT

NEURON {
    SUFFIX tisglia
    NONSPECIFIC_CURRENT i
    POINTER na_g, k_g, cl_g, atp_g, na_o, k_o, cl_o
    RANGE kir_g, kir_K_o0, kir_E_K0, kir_block
    RANGE glia_leak_na_g, glia_leak_na_block, glia_leak_cl_g, glia_leak_cl_block
    RANGE glia_pump_density, glia_pump_turnover, glia_pump_na_half, glia_pump_n_na, glia_pump_k_half
    RANGE glia_pump_n_k, glia_pump_km_atp, glia_pump_q10, glia_pump_T_ref, glia_pump_electrogenic
    RANGE glia_pump_block
    RANGE glia_nkcc1_U, glia_nkcc1_k_half, glia_nkcc1_block
    RANGE faraday, rgas
    RANGE ina_g, ik_g, icl_g, jatp
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (mM) = (milli/liter)
}

PARAMETER {
    kir_g = 0 (1)
    kir_K_o0 = 3 (mM)
    kir_E_K0 = -93 (mV)
    kir_block = 0 (1)
    glia_leak_na_g = 0 (1)
    glia_leak_na_block = 0 (1)
    glia_leak_cl_g = 0 (1)
    glia_leak_cl_block = 0 (1)
    glia_pump_density = 0 (/um2)
    glia_pump_turnover = 0 (/s)
    glia_pump_na_half = 10 (mM)
    glia_pump_n_na = 1 (1)
    glia_pump_k_half = 1.5 (mM)
    glia_pump_n_k = 1 (1)
    glia_pump_km_atp = 0 (mM)
    glia_pump_q10 = 1 (1)
    glia_pump_T_ref = 37 (degC)
    glia_pump_electrogenic = 1 (1)
    glia_pump_block = 0 (1)
    glia_nkcc1_U = 0 (1)
    glia_nkcc1_k_half = 10 (mM)
    glia_nkcc1_block = 0 (1)
    faraday = 96485.33212 (coulomb)
    rgas = 8.314462618 (joule/degC)
}

ASSIGNED {
    v (mV)
    celsius (degC)
    i (mA/cm2)
    na_g (mM)
    k_g (mM)
    cl_g (mM)
    atp_g (mM)
    na_o (mM)
    k_o (mM)
    cl_o (mM)
    ina_g (mA/cm2)
    ik_g (mA/cm2)
    icl_g (mA/cm2)
    jatp (mA/cm2)
}

UNITSOFF
BREAKPOINT {
    LOCAL rtf, ena, ek, ecl, f, ikir, ilna, ilcl, jp, jn
    rtf = 1e3 * rgas * (celsius + 273.15) / faraday
    ena = rtf * log(na_o / na_g)
    ek = rtf * log(k_o / k_g)
    ecl = -rtf * log(cl_o / cl_g)
    f = (sqrt(k_o / kir_K_o0) * (1 + exp(18.4 / 42.4)) / (1 + exp((v - ek + 18.5) / 42.5))
         * (1 + exp(-(118.6 + kir_E_K0) / 44.1)) / (1 + exp(-(118.6 + v) / 44.1)))
    ikir = (1 - kir_block) * kir_g * f * (v - ek)
    ilna = (1 - glia_leak_na_block) * glia_leak_na_g * (v - ena)
    ilcl = (1 - glia_leak_cl_block) * glia_leak_cl_g * (v - ecl)
    jp = ((1 - glia_pump_block) * glia_pump_density * glia_pump_turnover * 1.602176634e-19 * 1e8 * 1e6
          * glia_pump_q10^((celsius - glia_pump_T_ref) / 10)
          / (1 + (glia_pump_na_half / na_g)^glia_pump_n_na) / (1 + (glia_pump_k_half / k_o)^glia_pump_n_k)
          * atp_g / (atp_g + glia_pump_km_atp))
    jn = ((1 - glia_nkcc1_block) * glia_nkcc1_U / (1 + exp(glia_nkcc1_k_half - k_o))
          * (log(k_g * cl_g / (k_o * cl_o)) + log(na_g * cl_g / (na_o * cl_o))))
    ina_g = 1e-3 * (ilna + 3 * jp + jn)
    ik_g = 1e-3 * (ikir - 2 * jp + jn)
    icl_g = 1e-3 * (ilcl - 2 * jn)
    jatp = 1e-3 * jp
    i = ina_g + ik_g + icl_g - 1e-3 * (1 - glia_pump_electrogenic) * jp
}
UNITSON
