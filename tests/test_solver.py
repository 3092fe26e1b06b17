"""Accuracy of the Rodas4 solver against an independent tight-tolerance
reference (SciPy Radau, rtol 1e-10, on the same right-hand side), its
convergence with tolerance, and exact handling of protocol edges."""

import numpy as np
import pytest

import nakpump as nk
from nakpump.solve.reference import solve_reference

from .helpers import conc

DURATION = 3000.0
PROTOCOL = nk.Protocol([nk.PulseTrain(100.0, 10, 10.0, 1.0, 40.0)])


@pytest.fixture(scope="module")
def reference(default_system):
    t = np.arange(0.0, DURATION + 0.5, 1.0)
    Y, spikes = solve_reference(default_system, PROTOCOL, DURATION, t, rtol=1e-10)
    return t, Y, spikes


def _errors(system, reference, tol):
    t, Y, spikes = reference
    res = nk.simulate(system, PROTOCOL, duration=DURATION, dt=1.0, tol=tol)
    assert len(res.spikes) == len(spikes) == 10
    spike_err = np.max(np.abs(res.spikes - spikes))
    na_err = np.max(np.abs(res["Na_i"] - conc(system, Y, "Na_i")))
    v_err = np.max(np.abs(res["V"] - Y[:, system.layout.V]))
    return spike_err, na_err, v_err


def test_default_tolerances_against_reference(default_system, reference):
    spike_err, na_err, v_err = _errors(default_system, reference, None)
    # tolerances: spike times 1 us, Na_i 1e-5 mM (the reference is good to ~1e-9)
    assert spike_err < 1e-3
    assert na_err < 1e-5


def test_error_falls_as_tolerance_tightens(default_system, reference):
    loose = _errors(default_system, reference, nk.Tolerances(rtol=1e-4, atol_V=1e-2, atol_conc=1e-5))
    tight = _errors(default_system, reference, nk.Tolerances(rtol=1e-8, atol_V=1e-6, atol_conc=1e-9,
                                                             atol_gate=1e-7))
    assert tight[0] < loose[0] / 100 and tight[1] < loose[1] / 100
    assert tight[0] < 1e-6


def test_fourth_order_with_fixed_steps(default_system):
    """Force fixed steps (tolerances so loose that no step is rejected, and a
    step cap) through one action potential: halving h must cut the error at
    t = 8 ms about 16-fold (observed order above 3.5)."""
    protocol = nk.Protocol([nk.Pulse(1.0, 1.0, 40.0)])
    t_ref = np.array([0.0, 8.0])
    Y, _ = solve_reference(default_system, protocol, 8.0, t_ref, rtol=1e-12)
    loose = nk.Tolerances(rtol=0.1, atol_V=1e3, atol_conc=1e3, atol_gate=1e3)
    errs = []
    for h in (0.01, 0.005):
        res = nk.simulate(default_system, protocol, duration=8.0, dt=8.0, tol=loose, max_step=h)
        assert res.meta["rejected_steps"] == 0
        errs.append(abs(res["V"][-1] - Y[-1, default_system.layout.V]))
    order = np.log2(errs[0] / errs[1])
    assert order > 3.5, (errs, order)


def test_short_pulse_in_a_long_quiet_run_is_not_stepped_over(default_system):
    """A 0.05 ms pulse at 30 s: the solver lands on both edges, so the
    charge it injects is exact and the spike fires."""
    protocol = nk.Protocol([nk.Pulse(30000.0, 0.05, 800.0)])
    res = nk.simulate(default_system, protocol, duration=31000.0, dt=10.0)
    assert len(res.spikes) == 1 and 30000.0 < res.spikes[0] < 30005.0
    inv = default_system.invariants(res.Y, protocol.injected_charge(res.t))
    assert abs(inv["total_K"][-1] - inv["total_K"][0]) < 1e-9 * inv["total_K"][0]
    total_k = res.state("n_K_i") + res.state("n_K_o")
    k_in = total_k[-1] - total_k[0]
    assert k_in == pytest.approx(40.0 / nk.physics.CHARGE_PER_AMOUNT, rel=1e-9)  # 800 x 0.05 nC/cm2


def test_output_grid_and_spikes_do_not_depend_on_dt(default_system):
    a = nk.simulate(default_system, PROTOCOL, duration=1000.0, dt=0.1)
    b = nk.simulate(default_system, PROTOCOL, duration=1000.0, dt=5.0)
    np.testing.assert_allclose(a.spikes, b.spikes, atol=1e-9)
    np.testing.assert_allclose(a["Na_i"][::50], b["Na_i"], atol=1e-7)


@pytest.mark.parametrize("jacobian", ["exact", "finite-difference"])
def test_the_steps_do_not_depend_on_the_duration(default_system, jacobian):
    """The same protocol for 6 s and for 120 s: the same steps over the first 6 s, so the same
    spikes and states there to the last bit (the steps end on a fixed grid of model time, not on
    a fraction of the duration)."""
    protocol = nk.Protocol([nk.PulseTrain(1000.0, 30, 10.0, 1.0, 40.0)])
    short = nk.simulate(default_system, protocol, duration=6000.0, dt=1.0, jacobian=jacobian)
    long = nk.simulate(default_system, protocol, duration=120000.0, dt=1.0, jacobian=jacobian)
    assert len(short.spikes) == 30
    np.testing.assert_array_equal(short.spikes, long.spikes[:30])
    np.testing.assert_array_equal(short.Y, long.Y[:len(short.t)])
