COMMENT
Cortical transient Na+ channel of the neuron in tissue, as nakpump's `nat`
(nakpump.mechanisms.cortical.MainenNa; Mainen & Sejnowski 1996, ModelDB
2488 na.mod):

    I_Na = (1 - block) gbar m^3 h (v - ena)                     (uA/cm2)
    alpha_m = 0.182 * 9 efun(-(v+35)/9)   beta_m = 0.124 * 9 efun((v+35)/9)
    h_inf = 1/(1 + exp((v+65)/6.2))
    tau_h = 1/(0.024 * 5 efun(-(v+50)/5) + 0.0091 * 5 efun((v+75)/5))
    m' = phi (alpha_m (1 - m) - beta_m m),  h' = phi (h_inf - h)/tau_h
    phi = q10^((celsius - T_ref)/10)

efun(x) = x/(exp(x) - 1), with its limit 1 - x/2 for |x| < 1e-6; rates in
1/ms.  Parameters in nakpump's units (gbar mS/cm2, so gbar (v - ena) is in
uA/cm2); NEURON's ina is in mA/cm2 (x 1e-3).  Every PARAMETER is set from
Python (crosscheck/tissue_neuron.py); the defaults below are placeholders.
No tables: rates are computed at every call.
ENDCOMMENT

NEURON {
    SUFFIX tisna
    USEION na READ ena WRITE ina
    RANGE gbar, q10, T_ref, block
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
}

PARAMETER {
    gbar = 0 (1)
    q10 = 1 (1)
    T_ref = 23 (degC)
    block = 0 (1)
}

ASSIGNED {
    v (mV)
    ena (mV)
    ina (mA/cm2)
    celsius (degC)
    am (/ms)
    bm (/ms)
    hinf (1)
    tauh (ms)
}

STATE { m h }

BREAKPOINT {
    SOLVE states METHOD cnexp
    ina = 1e-3 * (1 - block) * gbar * m * m * m * h * (v - ena)
}

INITIAL {
    rates(v)
    m = am / (am + bm)
    h = hinf
}

DERIVATIVE states {
    LOCAL phi
    rates(v)
    phi = q10^((celsius - T_ref) / 10)
    m' = phi * (am * (1 - m) - bm * m)
    h' = phi * (hinf - h) / tauh
}

UNITSOFF
PROCEDURE rates(v (mV)) {
    am = 0.182 * 9 * efun(-(v + 35) / 9)
    bm = 0.124 * 9 * efun((v + 35) / 9)
    hinf = 1 / (1 + exp((v + 65) / 6.2))
    tauh = 1 / (0.024 * 5 * efun(-(v + 50) / 5) + 0.0091 * 5 * efun((v + 75) / 5))
}

FUNCTION efun(x) {
    if (fabs(x) < 1e-6) {
        efun = 1 - 0.5 * x
    } else {
        efun = x / (exp(x) - 1)
    }
}
UNITSON
