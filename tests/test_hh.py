"""The Hodgkin-Huxley 1952 action potential against an independent
implementation: NEURON's built-in ``hh`` mechanism (same equations, its own
integrator, CVODE at atol 1e-8), and HH 1952's resting potential.

Tolerances: rest 0.01 mV; spike peak 0.05 mV and peak time 0.01 ms; the
threshold amplitude of a 0.5 ms pulse 0.2 %.  Skipped when NEURON is not
installed (``pip install neuron``; the test extra installs it)."""

import numpy as np
import pytest

import nakpump as nk
from nakpump.validation import neuron_hh

TIGHT = nk.Tolerances(rtol=1e-9, atol_V=1e-7, atol_conc=1e-9, atol_gate=1e-9)


def _nakpump(amplitude, width=0.5, duration=30.0):
    cell = nk.squid_cell()
    res = nk.simulate(cell, nk.Protocol([nk.Pulse(5.0, width, amplitude)]), duration=duration,
                      dt=0.005, tol=TIGHT)
    return res.t, res["V"]


def _neuron(amplitude, width=0.5, duration=30.0):
    pytest.importorskip("neuron", reason="NEURON not installed (pip install neuron)")
    return neuron_hh(amplitude, width, duration, delay=5.0)


def test_hh_rest_is_minus_65_mV():
    # HH 1952 (Table 3, E_L 10.613 mV above rest) in the modern convention: rest = -65 mV
    t, v = _nakpump(0.0, duration=50.0)
    assert abs(v[-1] + 65.0) < 0.01


def test_hh_action_potential_matches_neuron():
    t, v = _nakpump(20.0)
    tn, vn = _neuron(20.0)
    assert abs(v.max() - vn.max()) < 0.05
    assert abs(t[np.argmax(v)] - tn[np.argmax(vn)]) < 0.01
    assert 30.0 < v.max() < 50.0  # an overshooting spike (HH 1952, Fig. 12)
    assert abs(v.min() - vn.min()) < 0.05  # the undershoot


def _threshold(run):
    lo, hi = 1.0, 30.0
    for _ in range(25):
        mid = 0.5 * (lo + hi)
        t, v = run(mid)
        if v.max() > 0.0:
            hi = mid
        else:
            lo = mid
    return hi


def test_hh_threshold_matches_neuron():
    a = _threshold(_nakpump)
    b = _threshold(_neuron)
    assert a == pytest.approx(b, rel=2e-3)
