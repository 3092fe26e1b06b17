COMMENT
Na+/K+-ATPase with sigmoid saturation (nakpump.mechanisms.pumps.SigmoidPump;
Cressman et al. 2009 I_pump, rho = 1.25 mM/s):

    J = (1 - block) imax q10^((celsius - T_ref)/10) fatp
        / (1 + exp((na_half - nai)/na_slope)) / (1 + exp((k_half - ko)/k_slope))
    fatp = atp/(atp + km_atp) if km_atp > 0, else 1
    ina = +3 J,  ik = -2 J   (outward positive; one net charge out per cycle)

imax is in mA/cm2 here (nakpump: uA/cm2; the Python side converts).  atp
(mM) is the cell's fixed ATP_i (nakpump's met[0] without an energy
mechanism).  block (0-1, nakpump's pump.block) is switched from Python at
event times (cvode.event + cvode.re_init).
ENDCOMMENT

NEURON {
    SUFFIX crpump
    USEION na READ nai WRITE ina
    USEION k READ ko WRITE ik
    RANGE imax, na_half, na_slope, k_half, k_slope, km_atp, atp, q10, T_ref, block, ipump
}

UNITS {
    (mA) = (milliamp)
    (mM) = (milli/liter)
}

PARAMETER {
    imax = 0 (mA/cm2)
    na_half = 25 (mM)
    na_slope = 3 (mM)
    k_half = 5.5 (mM)
    k_slope = 1 (mM)
    km_atp = 0 (mM)
    atp = 2.5 (mM)
    q10 = 1 (1)
    T_ref = 36 (degC)
    block = 0 (1)
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
    LOCAL fatp
    if (km_atp > 0) {
        fatp = atp / (atp + km_atp)
    } else {
        fatp = 1
    }
    ipump = (1 - block) * imax * q10^((celsius - T_ref) / 10) * fatp / (1 + exp((na_half - nai) / na_slope)) / (1 + exp((k_half - ko) / k_slope))
    ina = 3 * ipump
    ik = -2 * ipump
}
