COMMENT
Constant-permeability (Goldman-Hodgkin-Katz) leaks of K+, Na+ and Cl- of the
neuron in tissue, as nakpump's `ghk_k`, `ghk_na`, `ghk_cl`
(nakpump.mechanisms.leak.GHKLeak, nakpump.physics.ghk_current):

    I_X = (1 - X_block) P_X z F u (c_i - c_o e^-u) / (1 - e^-u)   (uA/cm2)
    u = z v / (RT/F),  RT/F = 1e3 rgas (celsius + 273.15) / faraday  (mV)

with P in cm/s and c in mM (1e-6 mol/cm3), so P F c is in uA/cm2; near
u = 0, u/(1 - e^-u) -> 1 + u/2 (|u| < 1e-6).  z = -1 for Cl-: I_Cl is the
Cl- current (outward positive), -I_Cl/F the Cl- leaving.  NEURON's ina, ik,
icl are in mA/cm2 (x 1e-3).  faraday (C/mol) and rgas (J/(mol K)) are set
from Python to nakpump's F and R; the permeabilities are named after
nakpump's parameters (ghk_k.P -> ghk_k_P).
ENDCOMMENT

NEURON {
    SUFFIX tisghk
    USEION na READ nai, nao WRITE ina
    USEION k READ ki, ko WRITE ik
    USEION cl READ cli, clo WRITE icl VALENCE -1
    RANGE ghk_k_P, ghk_k_block, ghk_na_P, ghk_na_block, ghk_cl_P, ghk_cl_block
    RANGE faraday, rgas
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (mM) = (milli/liter)
}

PARAMETER {
    ghk_k_P = 0 (cm/s)
    ghk_k_block = 0 (1)
    ghk_na_P = 0 (cm/s)
    ghk_na_block = 0 (1)
    ghk_cl_P = 0 (cm/s)
    ghk_cl_block = 0 (1)
    faraday = 96485.33212 (coulomb)
    rgas = 8.314462618 (joule/degC)
}

ASSIGNED {
    v (mV)
    celsius (degC)
    nai (mM)
    nao (mM)
    ki (mM)
    ko (mM)
    cli (mM)
    clo (mM)
    ina (mA/cm2)
    ik (mA/cm2)
    icl (mA/cm2)
}

BREAKPOINT {
    LOCAL rtf
    rtf = 1e3 * rgas * (celsius + 273.15) / faraday
    ina = 1e-3 * (1 - ghk_na_block) * ghk(ghk_na_P, 1, v, nai, nao, rtf)
    ik = 1e-3 * (1 - ghk_k_block) * ghk(ghk_k_P, 1, v, ki, ko, rtf)
    icl = 1e-3 * (1 - ghk_cl_block) * ghk(ghk_cl_P, -1, v, cli, clo, rtf)
}

UNITSOFF
FUNCTION ghk(P, z, v, ci, co, rtf) {
    LOCAL u, g
    u = z * v / rtf
    if (fabs(u) < 1e-6) {
        g = 1 + 0.5 * u
    } else {
        g = u / (1 - exp(-u))
    }
    ghk = P * z * faraday * (ci - co * exp(-u)) * g
}
UNITSON
