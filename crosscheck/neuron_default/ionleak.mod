COMMENT
Ohmic leaks of Na+, K+ and Cl-, each against its live Nernst potential
(nakpump.mechanisms.leak.Leak):  i_X = g_X (v - e_X).
ENDCOMMENT

NEURON {
    SUFFIX ionleak
    USEION na READ ena WRITE ina
    USEION k READ ek WRITE ik
    USEION cl READ ecl WRITE icl VALENCE -1
    RANGE gna, gk, gcl
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gna = 0 (S/cm2)
    gk = 0 (S/cm2)
    gcl = 0 (S/cm2)
}

ASSIGNED {
    v (mV)
    ena (mV)
    ek (mV)
    ecl (mV)
    ina (mA/cm2)
    ik (mA/cm2)
    icl (mA/cm2)
}

BREAKPOINT {
    ina = gna * (v - ena)
    ik = gk * (v - ek)
    icl = gcl * (v - ecl)
}
