COMMENT
Transient Na+ channel with Traub-type kinetics, as nakpump's `nat`
(nakpump.mechanisms.channels.TraubNa; Wei, Ullah & Schiff 2014).

    I_Na = gbar m^3 h (v - ena)
    alpha_m = 1.28 efun(-(v+54)/4)   beta_m = 1.4 efun((v+27)/5)
    alpha_h = 0.128 exp(-(v+50)/18)  beta_h = 4/(1 + exp(-(v+27)/5))
    rates (1/ms) multiplied by phi = q10^((celsius - T_ref)/10)

efun(x) = x/(exp(x) - 1), with its limit 1 - x/2 for |x| < 1e-6.
Every PARAMETER is set from Python (crosscheck/default_neuron.py); the
defaults below are placeholders.
ENDCOMMENT

NEURON {
    SUFFIX nat
    USEION na READ ena WRITE ina
    RANGE gbar, q10, T_ref
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gbar = 0.03 (S/cm2)
    q10 = 3 (1)
    T_ref = 36 (degC)
}

ASSIGNED {
    v (mV)
    ena (mV)
    ina (mA/cm2)
    celsius (degC)
    am (/ms)
    bm (/ms)
    ah (/ms)
    bh (/ms)
}

STATE { m h }

BREAKPOINT {
    SOLVE states METHOD cnexp
    ina = gbar * m * m * m * h * (v - ena)
}

INITIAL {
    rates(v)
    m = am / (am + bm)
    h = ah / (ah + bh)
}

DERIVATIVE states {
    LOCAL phi
    rates(v)
    phi = q10^((celsius - T_ref) / 10)
    m' = phi * (am * (1 - m) - bm * m)
    h' = phi * (ah * (1 - h) - bh * h)
}

UNITSOFF
PROCEDURE rates(v (mV)) {
    am = 1.28 * efun(-(v + 54) / 4)
    bm = 1.4 * efun((v + 27) / 5)
    ah = 0.128 * exp(-(v + 50) / 18)
    bh = 4 / (1 + exp(-(v + 27) / 5))
}

FUNCTION efun(x) {
    if (fabs(x) < 1e-6) {
        efun = 1 - 0.5 * x
    } else {
        efun = x / (exp(x) - 1)
    }
}
UNITSON
