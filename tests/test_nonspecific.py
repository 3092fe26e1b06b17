"""Currents that move no ions: a fixed-reversal leak (NEURON's nonspecific
current) and a pump whose net current is left out of the membrane equation
(``pump.electrogenic = 0``, the form of Cressman 2009).  The ions still
balance exactly, and the charge invariant counts what those currents carry."""

import numpy as np
import pytest

import nakpump as nk


def _drift(res):
    inv = res.conservation()
    return {k: float(np.ptp(v) / max(1.0, np.max(np.abs(v)))) for k, v in inv.items()}


def test_fixed_leak_charges_the_membrane_and_moves_no_ions():
    cell = nk.pump_leak_cell().add(nk.FixedLeak(g=0.02, E=-30.0))
    base = nk.compile_cell(nk.pump_leak_cell())
    system = nk.compile_cell(cell)
    # the same ion fluxes, V pushed by g (V - E) = 0.02 x (-70 + 30) = -0.8 uA/cm2 (inward)
    dy, dy0 = system.rhs(system.y0), base.rhs(base.y0)
    lay = system.layout
    assert dy[lay.V] - dy0[lay.V] == pytest.approx(0.8, rel=1e-12)
    amounts = lay.states_of("amount")
    assert amounts == base.layout.states_of("amount")
    np.testing.assert_array_equal(dy[amounts], dy0[amounts])
    res = nk.simulate(system, nk.Protocol([nk.PulseTrain(200.0, 5, 10.0, 1.0, 40.0)]),
                      duration=2000.0, dt=1.0)
    assert len(res.spikes) == 5 and res["I_leak_fixed"][0] == pytest.approx(0.02 * (-70.0 + 30.0))
    assert max(_drift(res).values()) < 1e-12


def test_a_non_electrogenic_pump_leaves_v_but_moves_the_ions():
    system = nk.compile_cell(nk.pump_leak_cell())
    y = system.y0
    p = system.p0.copy()
    dy1 = system.rhs(y, p)
    p[system.index("pump.electrogenic")] = 0.0
    dy0 = system.rhs(y, p)
    obs = system.observe(y)
    # dV/dt no longer sees the pump's net current; every ion moves as before
    lay = system.layout
    cm = system.p0[lay.param("cell.Cm")]
    assert (dy0[lay.V] - dy1[lay.V]) * cm == pytest.approx(float(obs["I_pump"][0]), rel=1e-12)
    amounts = lay.states_of("amount")
    np.testing.assert_array_equal(dy0[amounts], dy1[amounts])
    # the resting potential loses the pump's electrogenic share (about 3.9 mV in the default cell)
    v1 = float(y[lay.V])
    pr = nk.Protocol([nk.SetParameter(0.0, "pump.electrogenic", 0.0)])
    res = nk.simulate(system, pr, duration=200.0, dt=1.0)
    assert 3.0 < res["V"][-1] - v1 < 5.0
    assert max(_drift(res).values()) < 1e-12
