COMMENT
Na+, delayed-rectifier K+ and Ca2+-activated AHP K+ currents of Cressman et
al. 2009 (J Comput Neurosci 26:159-170, erratum 30:781), as nakpump's `hh`
mechanism of the preset cressman2009
(nakpump.mechanisms.channel_sets.CressmanChannels):

    ina = gna m^3 h (v - ena)
    ik  = (gk n^4 + gahp ca/(1 + ca)) (v - ek)
    m' = phi (am (1 - m) - bm m), the same for h and n
    ca' = -0.002 gca (v - eca) / (1 + exp(-(v + 25)/2.5)) - ca/80

    am = efun(-0.1 (v + 30))          bm = 4 exp(-(v + 55)/18)
    ah = 0.07 exp(-(v + 44)/20)       bh = 1/(1 + exp(-0.1 (v + 14)))
    an = 0.1 efun(-0.1 (v + 34))      bn = 0.125 exp(-(v + 44)/80)
    efun(x) = x/(exp(x) - 1), its limit 1 - x/2 for |x| < 1e-6

Rates in 1/ms, no temperature factor (phi is the published constant).
ca is the paper's intracellular Ca2+ (its own units, not an ion of the
cell: it drives the AHP only), a STATE of this mechanism called cahp; gca
(the paper's g_Ca, mS/cm2) and eca (mV) enter only its equation and are
used in the paper's units.  gna, gk, gahp are in S/cm2 (nakpump: mS/cm2,
the Python side converts).
At INITIAL the gates are at their steady state for v and
cahp = max(0, -0.002 gca (v - eca)/(1 + exp(-(v + 25)/2.5)) 80), as nakpump.
Every PARAMETER is set from Python (crosscheck/cressman2009.py); the
defaults below are placeholders.  No tables: rates computed at every call.
ENDCOMMENT

NEURON {
    SUFFIX crchan
    USEION na READ ena WRITE ina
    USEION k READ ek WRITE ik
    RANGE gna, gk, gahp, phi, gca, eca
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gna = 0 (S/cm2)
    gk = 0 (S/cm2)
    gahp = 0 (S/cm2)
    phi = 1 (1)
    gca = 0 (1)
    eca = 120 (mV)
}

ASSIGNED {
    v (mV)
    ena (mV)
    ek (mV)
    ina (mA/cm2)
    ik (mA/cm2)
    am (/ms)
    bm (/ms)
    ah (/ms)
    bh (/ms)
    an (/ms)
    bn (/ms)
}

STATE { m h n cahp }

BREAKPOINT {
    SOLVE states METHOD cnexp
    ina = gna * m * m * m * h * (v - ena)
    ik = (gk * n * n * n * n + gahp * cahp / (1 + cahp)) * (v - ek)
}

INITIAL {
    rates(v)
    m = am / (am + bm)
    h = ah / (ah + bh)
    n = an / (an + bn)
    cahp = cainf(v)
    if (cahp < 0) {
        cahp = 0
    }
}

DERIVATIVE states {
    rates(v)
    m' = phi * (am * (1 - m) - bm * m)
    h' = phi * (ah * (1 - h) - bh * h)
    n' = phi * (an * (1 - n) - bn * n)
    cahp' = cadrive(v) - cahp / 80
}

UNITSOFF
PROCEDURE rates(v (mV)) {
    am = efun(-0.1 * (v + 30))
    bm = 4 * exp(-(v + 55) / 18)
    ah = 0.07 * exp(-(v + 44) / 20)
    bh = 1 / (1 + exp(-0.1 * (v + 14)))
    an = 0.1 * efun(-0.1 * (v + 34))
    bn = 0.125 * exp(-(v + 44) / 80)
}

FUNCTION cadrive(v (mV)) {
    cadrive = -0.002 * gca * (v - eca) / (1 + exp(-(v + 25) / 2.5))
}

FUNCTION cainf(v (mV)) {
    cainf = cadrive(v) * 80
}

FUNCTION efun(x) {
    if (fabs(x) < 1e-6) {
        efun = 1 - 0.5 * x
    } else {
        efun = x / (exp(x) - 1)
    }
}
UNITSON
