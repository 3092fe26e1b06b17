COMMENT
K+-Cl- cotransporter KCC2 of the neuron in tissue, as nakpump's `kcc2`
(nakpump.mechanisms.transporters.KCC2; Wei et al. 2014 logarithmic form):

    J = (1 - block) U ln(ki cli / (ko clo))                    (uA/cm2 = F x flux)

one K+ and one Cl- out per cycle (electroneutral): ik = J, icl = -J (an
outward Cl- flux is an inward current), in mA/cm2 (x 1e-3).
ENDCOMMENT

NEURON {
    SUFFIX tiskcc2
    USEION k READ ki, ko WRITE ik
    USEION cl READ cli, clo WRITE icl VALENCE -1
    RANGE U, block
}

UNITS {
    (mA) = (milliamp)
    (mM) = (milli/liter)
}

PARAMETER {
    U = 0 (1)
    block = 0 (1)
}

ASSIGNED {
    ki (mM)
    ko (mM)
    cli (mM)
    clo (mM)
    ik (mA/cm2)
    icl (mA/cm2)
}

BREAKPOINT {
    LOCAL j
    j = 1e-3 * (1 - block) * U * log(ki * cli / (ko * clo))
    ik = j
    icl = -j
}
