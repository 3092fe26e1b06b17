COMMENT
Closed two-compartment accumulation of Na+, K+ and Cl-, as nakpump
(nakpump.physics.amount_rates with a finite, closed outside):

    d[X]i/dt = -I_X / (z F wi),   d[X]o/dt = +I_X / (z F wo)

with I_X the total membrane current of ion X (mA/cm2, outward positive),
wi = vol_i/area and wo = vol_o/area (um) given as parameters (independent of
NEURON's section geometry), F = faraday (C/mol, set from Python).
1 mA/cm2 over 1 um is 1e4/F mM/ms.  The electrode current (iel, uA/cm2 into
the cell, POINTER to kinj.amp) is part of ik but adds K+ to the inside only,
so it is taken out of the outside balance.
This is the only mechanism that writes concentrations.
ENDCOMMENT

NEURON {
    SUFFIX nkaccum
    USEION na READ ina WRITE nai, nao
    USEION k READ ik WRITE ki, ko
    USEION cl READ icl WRITE cli, clo VALENCE -1
    RANGE wi, wo, faraday
    POINTER iel
}

UNITS {
    (mA) = (milliamp)
    (uA) = (microamp)
    (mM) = (milli/liter)
    (um) = (micron)
}

PARAMETER {
    wi = 1 (um)
    wo = 1 (um)
    faraday = 96485.33212 (coulomb)
}

ASSIGNED {
    ina (mA/cm2)
    ik (mA/cm2)
    icl (mA/cm2)
    iel (uA/cm2)
}

STATE {
    nai (mM)
    nao (mM)
    ki (mM)
    ko (mM)
    cli (mM)
    clo (mM)
}

BREAKPOINT {
    SOLVE conc METHOD cnexp
}

UNITSOFF
DERIVATIVE conc {
    nai' = -1e4 * ina / (faraday * wi)
    nao' = 1e4 * ina / (faraday * wo)
    ki' = -1e4 * ik / (faraday * wi)
    ko' = 1e4 * (ik + 0.001 * iel) / (faraday * wo)
    cli' = 1e4 * icl / (faraday * wi)
    clo' = -1e4 * icl / (faraday * wo)
}
UNITSON
