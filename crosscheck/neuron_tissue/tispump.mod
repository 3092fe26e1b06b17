COMMENT
The neuron's Na+/K+-ATPase isoforms alpha1 and alpha3, as nakpump's
`alpha1` and `alpha3` (nakpump.mechanisms.isoforms.Alpha1Pump,
Alpha3Pump): each a cycle current (uA/cm2 = F x cycles)

    J = (1 - block) density turnover e 1e14 q10^((celsius - T_ref)/10)
        hill(nai, na_half, n_na) hill(ko, k_half, n_k) ATP_i/(ATP_i + km_atp)
    hill(x, half, n) = 1/(1 + (half/x)^n)

(density in sites/um2, turnover in 1/s, e the elementary charge in C:
1 cycle/s/um2 is e 1e8 1e6 uA/cm2).  Each cycle moves 3 Na+ out and 2 K+
in and uses one ATP: ina = 3 J, ik = -2 J; of its net charge (one per
cycle) the fraction `electrogenic` charges the membrane, the rest is taken
back by a nonspecific current i = -(1 - electrogenic) J.  The ATP comes
from the neuron's cytosol: ATP_i through the POINTER atp_i (tisacc's
atpi), and tisacc reads the total cycle current `jatp` (mA/cm2) through
its POINTER to draw one ATP per cycle.  Currents to NEURON in mA/cm2
(x 1e-3).  Parameters are named after nakpump's (alpha1.density ->
alpha1_density) and set from Python.
ENDCOMMENT

NEURON {
    SUFFIX tispump
    USEION na READ nai WRITE ina
    USEION k READ ko WRITE ik
    NONSPECIFIC_CURRENT i
    POINTER atp_i
    RANGE alpha1_density, alpha1_turnover, alpha1_na_half, alpha1_n_na, alpha1_k_half, alpha1_n_k
    RANGE alpha1_km_atp, alpha1_q10, alpha1_T_ref, alpha1_electrogenic, alpha1_block
    RANGE alpha3_density, alpha3_turnover, alpha3_na_half, alpha3_n_na, alpha3_k_half, alpha3_n_k
    RANGE alpha3_km_atp, alpha3_q10, alpha3_T_ref, alpha3_electrogenic, alpha3_block
    RANGE j1, j3, jatp
}

UNITS {
    (mA) = (milliamp)
    (mM) = (milli/liter)
}

PARAMETER {
    alpha1_density = 0 (/um2)
    alpha1_turnover = 0 (/s)
    alpha1_na_half = 12 (mM)
    alpha1_n_na = 1 (1)
    alpha1_k_half = 2 (mM)
    alpha1_n_k = 1 (1)
    alpha1_km_atp = 0 (mM)
    alpha1_q10 = 1 (1)
    alpha1_T_ref = 37 (degC)
    alpha1_electrogenic = 1 (1)
    alpha1_block = 0 (1)
    alpha3_density = 0 (/um2)
    alpha3_turnover = 0 (/s)
    alpha3_na_half = 33 (mM)
    alpha3_n_na = 1 (1)
    alpha3_k_half = 2 (mM)
    alpha3_n_k = 1 (1)
    alpha3_km_atp = 0 (mM)
    alpha3_q10 = 1 (1)
    alpha3_T_ref = 37 (degC)
    alpha3_electrogenic = 1 (1)
    alpha3_block = 0 (1)
}

ASSIGNED {
    celsius (degC)
    nai (mM)
    ko (mM)
    ina (mA/cm2)
    ik (mA/cm2)
    i (mA/cm2)
    atp_i (mM)
    j1 (mA/cm2)
    j3 (mA/cm2)
    jatp (mA/cm2)
}

BREAKPOINT {
    j1 = 1e-3 * (1 - alpha1_block) * cycle(alpha1_density, alpha1_turnover, alpha1_na_half, alpha1_n_na,
                                           alpha1_k_half, alpha1_n_k, alpha1_km_atp, alpha1_q10, alpha1_T_ref)
    j3 = 1e-3 * (1 - alpha3_block) * cycle(alpha3_density, alpha3_turnover, alpha3_na_half, alpha3_n_na,
                                           alpha3_k_half, alpha3_n_k, alpha3_km_atp, alpha3_q10, alpha3_T_ref)
    jatp = j1 + j3
    ina = 3 * jatp
    ik = -2 * jatp
    i = -(1 - alpha1_electrogenic) * j1 - (1 - alpha3_electrogenic) * j3
}

UNITSOFF
FUNCTION cycle(density, turnover, na_half, n_na, k_half, n_k, km_atp, q10, T_ref) {
    cycle = (density * turnover * 1.602176634e-19 * 1e8 * 1e6 * q10^((celsius - T_ref) / 10)
             / (1 + (na_half / nai)^n_na) / (1 + (k_half / ko)^n_k) * atp_i / (atp_i + km_atp))
}
UNITSON
