COMMENT
Delayed-rectifier K+ channel with Traub-type kinetics, as nakpump's `kdr`
(nakpump.mechanisms.channels.TraubK; Wei, Ullah & Schiff 2014).

    I_K = gbar n^4 (v - ek)
    alpha_n = 0.16 efun(-(v+52)/5)   beta_n = 0.5 exp(-(v+57)/40)
    rates (1/ms) multiplied by phi = q10^((celsius - T_ref)/10)

Every PARAMETER is set from Python (crosscheck/default_neuron.py).
ENDCOMMENT

NEURON {
    SUFFIX kdr
    USEION k READ ek WRITE ik
    RANGE gbar, q10, T_ref
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gbar = 0.025 (S/cm2)
    q10 = 3 (1)
    T_ref = 36 (degC)
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
    ik = gbar * n * n * n * n * (v - ek)
}

INITIAL {
    rates(v)
    n = an / (an + bn)
}

DERIVATIVE states {
    LOCAL phi
    rates(v)
    phi = q10^((celsius - T_ref) / 10)
    n' = phi * (an * (1 - n) - bn * n)
}

UNITSOFF
PROCEDURE rates(v (mV)) {
    an = 0.16 * efun(-(v + 52) / 5)
    bn = 0.5 * exp(-(v + 57) / 40)
}

FUNCTION efun(x) {
    if (fabs(x) < 1e-6) {
        efun = 1 - 0.5 * x
    } else {
        efun = x / (exp(x) - 1)
    }
}
UNITSON
