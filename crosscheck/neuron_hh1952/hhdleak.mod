COMMENT
Ohmic Cl- leak against its live Nernst potential (nakpump.mechanisms.leak.Leak
on Cl-; in the preset hh1952 it carries HH 1952's leak current, g_L 0.3
mS/cm2, E_Cl = -54.387 mV at the start):
    icl = g (v - ecl)
g in S/cm2 (nakpump: mS/cm2, the Python side converts).
ENDCOMMENT

NEURON {
    SUFFIX hhdleak
    USEION cl READ ecl WRITE icl VALENCE -1
    RANGE g
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    g = 0 (S/cm2)
}

ASSIGNED {
    v (mV)
    ecl (mV)
    icl (mA/cm2)
}

BREAKPOINT {
    icl = g * (v - ecl)
}
