COMMENT
Electrode current into the neuron, carried by K+ ions (nakpump:
cell.electrode_ion = K).  amp (uA/cm2, positive = into the cell) is
switched by events from Python (cvode.event + cvode.re_init at each pulse
edge), so it is piecewise constant and CVODE sees every edge.
ik = -amp (as mA/cm2).  The K+ it carries enters the cytosol only: tisacc
reads amp through a POINTER and leaves it out of the extracellular balance.
ENDCOMMENT

NEURON {
    SUFFIX tisinj
    USEION k WRITE ik
    RANGE amp
}

UNITS {
    (mA) = (milliamp)
    (uA) = (microamp)
}

PARAMETER {
    amp = 0 (uA/cm2)
}

ASSIGNED {
    ik (mA/cm2)
}

BREAKPOINT {
    ik = -(0.001) * amp
}
