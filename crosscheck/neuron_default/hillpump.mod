COMMENT
Na+/K+-ATPase with Hill-type saturation (nakpump.mechanisms.pumps.HillPump):

    J = imax q10^((celsius - T_ref)/10) (1 + km_na/nai)^-n_na (1 + km_k/ko)^-n_k
    ina = +3 J,  ik = -2 J   (outward positive; one net charge out per cycle)

imax is in mA/cm2 here (nakpump: uA/cm2; the Python side converts).
ENDCOMMENT

NEURON {
    SUFFIX hillpump
    USEION na READ nai WRITE ina
    USEION k READ ko WRITE ik
    RANGE imax, km_na, km_k, n_na, n_k, q10, T_ref, ipump
}

UNITS {
    (mA) = (milliamp)
    (mM) = (milli/liter)
}

PARAMETER {
    imax = 0 (mA/cm2)
    km_na = 10 (mM)
    km_k = 2 (mM)
    n_na = 3 (1)
    n_k = 2 (1)
    q10 = 1 (1)
    T_ref = 37 (degC)
}

ASSIGNED {
    celsius (degC)
    nai (mM)
    ko (mM)
    ina (mA/cm2)
    ik (mA/cm2)
    ipump (mA/cm2)
}

BREAKPOINT {
    ipump = imax * q10^((celsius - T_ref) / 10) * (1 + km_na / nai)^(-n_na) * (1 + km_k / ko)^(-n_k)
    ina = 3 * ipump
    ik = -2 * ipump
}
