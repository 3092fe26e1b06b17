COMMENT
Two-compartment accumulation of Na+, K+ and Cl- with the clearance of
extracellular K+ of Cressman et al. 2009, as nakpump
(nakpump.physics.amount_rates with a finite outside, plus the
"exchange" mechanisms GlialUptake and BathDiffusion of K+):

    d[X]i/dt = -I_X / (z F wi),   d[X]o/dt = +I_X / (z F wo)
    d[K]o/dt also  - (1 - gblock) G / (1 + exp((khalf - ko)/kslope))   (glia)
                   - (1 - dblock) kdiff (ko - kbath)                    (bath)

with I_X the total membrane current of ion X (mA/cm2, outward positive),
wi = vol_i/area and wo = vol_o/area (um) given as parameters (independent of
NEURON's section geometry), F = faraday (C/mol, set from Python).
1 mA/cm2 over 1 um is 1e4/F mM/ms.  The electrode current (iel, uA/cm2 into
the cell, POINTER to crinj.amp) is part of ik but adds K+ to the inside
only, so it is taken out of the outside balance.

The clearance terms are rates of the extracellular concentration (nakpump:
mM/s of the extracellular space, moving w_o times that amount per area, so
the concentration changes at exactly that rate; no volume factor).  G in
mM/ms and kdiff in 1/ms here (nakpump: mM/s and 1/s; the Python side
converts), khalf, kslope, kbath in mM.
This is the only mechanism that writes concentrations.
ENDCOMMENT

NEURON {
    SUFFIX craccum
    USEION na READ ina WRITE nai, nao
    USEION k READ ik WRITE ki, ko
    USEION cl READ icl WRITE cli, clo VALENCE -1
    RANGE wi, wo, faraday, G, khalf, kslope, gblock, kdiff, kbath, dblock
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
    G = 0 (mM/ms)
    khalf = 18 (mM)
    kslope = 2.5 (mM)
    gblock = 0 (1)
    kdiff = 0 (/ms)
    kbath = 4 (mM)
    dblock = 0 (1)
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
    : CVODE integrates conc' directly; derivimplicit only names the
    : fixed-step method (ko' is not linear in ko: cnexp does not apply).
    SOLVE conc METHOD derivimplicit
}

UNITSOFF
DERIVATIVE conc {
    nai' = -1e4 * ina / (faraday * wi)
    nao' = 1e4 * ina / (faraday * wo)
    ki' = -1e4 * ik / (faraday * wi)
    ko' = 1e4 * (ik + 0.001 * iel) / (faraday * wo) - (1 - gblock) * G / (1 + exp((khalf - ko) / kslope)) - (1 - dblock) * kdiff * (ko - kbath)
    cli' = 1e4 * icl / (faraday * wi)
    clo' = -1e4 * icl / (faraday * wo)
}
UNITSON
