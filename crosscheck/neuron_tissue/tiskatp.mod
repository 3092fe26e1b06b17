COMMENT
ATP-sensitive K+ channel of the neuron in tissue, as nakpump's `katp`
(nakpump.mechanisms.katp.KATP; Magnus & Keizer 1998 gating):

    I_K = (1 - block) g o (v - ek)                              (uA/cm2)
    o = [0.08 (1 + 2 a) + 0.89 a^2] / [(1 + a)^2 (1 + 0.135 ADP/ktd + 0.05 ATP/ktt)]
    a = 0.165 ADP / kdd   (MgADP over its constant)

ATP_i and ADP_i (mM) of the neuron's cytosol through the POINTERs atp_i and
adp_i (tisacc's atpi, adpi).  g in mS/cm2; ik in mA/cm2 (x 1e-3).
ENDCOMMENT

NEURON {
    SUFFIX tiskatp
    USEION k READ ek WRITE ik
    POINTER atp_i, adp_i
    RANGE g, kdd, ktd, ktt, block
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (mM) = (milli/liter)
}

PARAMETER {
    g = 0 (1)
    kdd = 0.017 (mM)
    ktd = 0.026 (mM)
    ktt = 0.001 (mM)
    block = 0 (1)
}

ASSIGNED {
    v (mV)
    ek (mV)
    ik (mA/cm2)
    atp_i (mM)
    adp_i (mM)
}

BREAKPOINT {
    LOCAL a, o
    a = 0.165 * adp_i / kdd
    o = (0.08 * (1 + 2 * a) + 0.89 * a * a) / ((1 + a)^2 * (1 + 0.135 * adp_i / ktd + 0.05 * atp_i / ktt))
    ik = 1e-3 * (1 - block) * g * o * (v - ek)
}
