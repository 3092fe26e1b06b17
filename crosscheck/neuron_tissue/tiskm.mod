COMMENT
Slow non-inactivating K+ (M) current of the neuron in tissue, as nakpump's
`km` (nakpump.mechanisms.cortical.MCurrent; Pospischil et al. 2008,
Yamada et al. 1989 form):

    I_K = (1 - block) gbar p (v - ek)                           (uA/cm2)
    p_inf = 1/(1 + exp(-(v+35)/10))
    tau_p = tau_max/(3.3 exp((v+35)/20) + exp(-(v+35)/20))      (ms)
    p' = q10^((celsius - T_ref)/10) (p_inf - p)/tau_p

gbar in mS/cm2 (nakpump's unit); ik in mA/cm2 (x 1e-3).  Every PARAMETER
is set from Python; the defaults are placeholders.
ENDCOMMENT

NEURON {
    SUFFIX tiskm
    USEION k READ ek WRITE ik
    RANGE gbar, tau_max, q10, T_ref, block
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
}

PARAMETER {
    gbar = 0 (1)
    tau_max = 1000 (ms)
    q10 = 1 (1)
    T_ref = 36 (degC)
    block = 0 (1)
}

ASSIGNED {
    v (mV)
    ek (mV)
    ik (mA/cm2)
    celsius (degC)
    pinf (1)
    taup (ms)
}

STATE { p }

BREAKPOINT {
    SOLVE states METHOD cnexp
    ik = 1e-3 * (1 - block) * gbar * p * (v - ek)
}

INITIAL {
    rates(v)
    p = pinf
}

DERIVATIVE states {
    LOCAL phi
    rates(v)
    phi = q10^((celsius - T_ref) / 10)
    p' = phi * (pinf - p) / taup
}

UNITSOFF
PROCEDURE rates(v (mV)) {
    pinf = 1 / (1 + exp(-(v + 35) / 10))
    taup = tau_max / (3.3 * exp((v + 35) / 20) + exp(-(v + 35) / 20))
}
UNITSON
