COMMENT
Na+ and K+ channels of Hubel & Dahlem 2014 (PLoS Comput Biol 10:e1003941;
ModelDB 167714), as nakpump's `hh` mechanism of the preset hubel-dahlem2014
(nakpump.mechanisms.channel_sets.HubelDahlemNaK):

    ina = gna minf^3 h(n) (v - ena),  minf = am/(am + bm)   (m instantaneous)
    h(n) = 1 - 1/(1 + exp(-6.5 (n - 0.35)))                  (h tied to n)
    ik  = gk n^4 (v - ek)
    n'  = phi (an (1 - n) - bn n)

    am = efun(-0.1 (v + 30))          bm = 4 exp(-(v + 55)/18)
    an = 0.1 efun(-0.1 (v + 34))      bn = 0.125 exp(-(v + 44)/80)
    efun(x) = x/(exp(x) - 1), its limit 1 - x/2 for |x| < 1e-6

Rates in 1/ms, no temperature factor (phi is the published constant).
Every PARAMETER is set from Python (crosscheck/hd2014.py); the defaults
below are placeholders.  No tables: rates are computed at every call.
ENDCOMMENT

NEURON {
    SUFFIX hdnak
    USEION na READ ena WRITE ina
    USEION k READ ek WRITE ik
    RANGE gna, gk, phi
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gna = 0 (S/cm2)
    gk = 0 (S/cm2)
    phi = 1 (1)
}

ASSIGNED {
    v (mV)
    ena (mV)
    ek (mV)
    ina (mA/cm2)
    ik (mA/cm2)
    am (/ms)
    bm (/ms)
    an (/ms)
    bn (/ms)
}

STATE { n }

BREAKPOINT {
    LOCAL minf, hn
    SOLVE states METHOD cnexp
    rates(v)
    minf = am / (am + bm)
    hn = 1 - 1 / (1 + exp(-6.5 * (n - 0.35)))
    ina = gna * minf * minf * minf * hn * (v - ena)
    ik = gk * n * n * n * n * (v - ek)
}

INITIAL {
    rates(v)
    n = an / (an + bn)
}

DERIVATIVE states {
    rates(v)
    n' = phi * (an * (1 - n) - bn * n)
}

UNITSOFF
PROCEDURE rates(v (mV)) {
    am = efun(-0.1 * (v + 30))
    bm = 4 * exp(-(v + 55) / 18)
    an = 0.1 * efun(-0.1 * (v + 34))
    bn = 0.125 * exp(-(v + 44) / 80)
}

FUNCTION efun(x) {
    if (fabs(x) < 1e-6) {
        efun = 1 - 0.5 * x
    } else {
        efun = x / (exp(x) - 1)
    }
}
UNITSON
