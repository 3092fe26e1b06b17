"""Steady states: calibration makes an exact rest; equilibrate finds rest."""

import numpy as np
import pytest

import nakpump as nk


def test_default_cell_starts_at_rest(default_system):
    dy = default_system.rhs(default_system.y0)[:default_system.layout.n_dyn]  # not the ledger
    assert np.all(np.abs(dy) < 1e-12)
    res = nk.simulate(default_system, duration=10000.0, dt=10.0)
    assert np.max(np.abs(res["V"] + 70.0)) < 1e-9
    assert np.max(np.abs(res["Na_i"] - 12.0)) < 1e-9


@pytest.mark.parametrize("v_rest", [-80.0, -65.0])
def test_calibrate_other_potentials(v_rest):
    cell = nk.pump_leak_cell(V_rest=v_rest)
    system = nk.compile_cell(cell)
    dy = system.rhs(system.y0)[:system.layout.n_dyn]
    assert np.all(np.abs(dy) < 1e-12)


def test_calibrate_reports_impossible_rest():
    with pytest.raises(ValueError, match="outside its range"):
        nk.pump_leak_cell(V_rest=-100.0)  # below E_K: no positive pump rate can hold it


def test_equilibrate_from_a_changed_cell():
    cell = nk.pump_leak_cell().with_params({"pump.imax": 12.0})
    system, y, t_used = nk.equilibrate(cell)
    lay = system.layout
    scale = np.ones(lay.n_dyn)
    for j in lay.states_of("amount"):  # amounts -> concentrations
        scale[j] = system.p0[lay.param(f"geometry.w_{lay.states[j].where}")]
    assert np.max(np.abs(system.rhs(y)[:lay.n_dyn] / scale)) < 1e-9
    assert y[lay.V] < -70.0 and t_used > 1000.0  # a faster pump hyperpolarises, over seconds
