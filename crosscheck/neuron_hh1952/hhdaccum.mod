COMMENT
Accumulation of Na+, K+ and Cl- in the axoplasm and in the periaxonal space,
each ion exchanging with the bath, as nakpump's preset hh1952
cell_dynamic() (nakpump.physics.amount_rates with a finite outside, plus
one BathDiffusion "exchange" mechanism per ion):

    d[X]i/dt = -I_X / (z F wi)
    d[X]o/dt = +I_X / (z F wo) - (1 - block_X) rate_X ([X]o - bath_X)

with I_X the total membrane current of ion X (mA/cm2, outward positive),
wi = vol_i/area and wo = vol_o/area (um; the axon's 125 um and the 30 nm
periaxonal space) given as parameters (independent of NEURON's section
geometry), F = faraday (C/mol, set from Python).  1 mA/cm2 over 1 um is
1e4/F mM/ms.  The exchange is a rate of the periaxonal concentration
(nakpump: mM/s of the extracellular space, moving wo times that amount per
area, so the concentration changes at exactly that rate); rate_X in 1/ms
here (nakpump: 1/s; the Python side converts), bath_X in mM.
The electrode current (iel, uA/cm2 into the cell, POINTER to hhdinj.amp) is
part of ik but adds K+ to the inside only, so it is taken out of the
outside balance.
This is the only mechanism that writes concentrations.
ENDCOMMENT

NEURON {
    SUFFIX hhdaccum
    USEION na READ ina WRITE nai, nao
    USEION k READ ik WRITE ki, ko
    USEION cl READ icl WRITE cli, clo VALENCE -1
    RANGE wi, wo, faraday
    RANGE rate_na, bath_na, block_na, rate_k, bath_k, block_k, rate_cl, bath_cl, block_cl
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
    rate_na = 0 (/ms)
    bath_na = 0 (mM)
    block_na = 0 (1)
    rate_k = 0 (/ms)
    bath_k = 0 (mM)
    block_k = 0 (1)
    rate_cl = 0 (/ms)
    bath_cl = 0 (mM)
    block_cl = 0 (1)
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
    nao' = 1e4 * ina / (faraday * wo) - (1 - block_na) * rate_na * (nao - bath_na)
    ki' = -1e4 * ik / (faraday * wi)
    ko' = 1e4 * (ik + 0.001 * iel) / (faraday * wo) - (1 - block_k) * rate_k * (ko - bath_k)
    cli' = 1e4 * icl / (faraday * wi)
    clo' = -1e4 * icl / (faraday * wo) - (1 - block_cl) * rate_cl * (clo - bath_cl)
}
UNITSON
