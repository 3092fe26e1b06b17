COMMENT
Delayed-rectifier K+ channel of the neuron in tissue, as nakpump's `kdr`
(nakpump.mechanisms.cortical.TraubKdr; Traub & Miles 1991 as coded by
Pospischil et al. 2008, rates x `rate`):

    I_K = (1 - block) gbar n^4 (v - ek)                         (uA/cm2)
    alpha_n = 0.032 * 5 efun((15 - u)/5),  beta_n = 0.5 exp((10 - u)/40),  u = v - VT
    n' = rate q10^((celsius - T_ref)/10) (alpha_n (1 - n) - beta_n n)

efun(x) = x/(exp(x) - 1) (limit 1 - x/2 for |x| < 1e-6); rates in 1/ms.
gbar in mS/cm2 (nakpump's unit); ik in mA/cm2 (x 1e-3).  Every PARAMETER
is set from Python; the defaults are placeholders.
ENDCOMMENT

NEURON {
    SUFFIX tiskdr
    USEION k READ ek WRITE ik
    RANGE gbar, rate, VT, q10, T_ref, block
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
}

PARAMETER {
    gbar = 0 (1)
    rate = 1 (1)
    VT = -55 (mV)
    q10 = 1 (1)
    T_ref = 36 (degC)
    block = 0 (1)
}

ASSIGNED {
    v (mV)
    ek (mV)
    ik (mA/cm2)
    celsius (degC)
    an (/ms)
    bn (/ms)
}

STATE { n }

BREAKPOINT {
    SOLVE states METHOD cnexp
    ik = 1e-3 * (1 - block) * gbar * n * n * n * n * (v - ek)
}

INITIAL {
    rates(v)
    n = an / (an + bn)
}

DERIVATIVE states {
    LOCAL phi
    rates(v)
    phi = rate * q10^((celsius - T_ref) / 10)
    n' = phi * (an * (1 - n) - bn * n)
}

UNITSOFF
PROCEDURE rates(v (mV)) {
    LOCAL u
    u = v - VT
    an = 0.032 * 5 * efun((15 - u) / 5)
    bn = 0.5 * exp((10 - u) / 40)
}

FUNCTION efun(x) {
    if (fabs(x) < 1e-6) {
        efun = 1 - 0.5 * x
    } else {
        efun = x / (exp(x) - 1)
    }
}
UNITSON
