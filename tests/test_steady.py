"""Steady states: calibration makes an exact rest; equilibrate finds rest."""

import numpy as np
import pytest

import nakpump as nk


def test_default_cell_starts_at_rest(default_system):
    dy = default_system.rhs(default_system.y0)[:default_system.layout.ndyn]  # not the ledger
    assert abs(dy[0]) < 1e-12 and np.all(np.abs(dy) < 1e-12)
    res = nk.simulate(default_system, duration=10000.0, dt=10.0)
    assert np.max(np.abs(res["V"] + 70.0)) < 1e-9
    assert np.max(np.abs(res["Na_i"] - 12.0)) < 1e-9


@pytest.mark.parametrize("v_rest", [-80.0, -65.0])
def test_calibrate_other_potentials(v_rest):
    cell = nk.default_cell(V_rest=v_rest)
    system = nk.compile_cell(cell)
    dy = system.rhs(system.y0)[:system.layout.ndyn]
    assert np.all(np.abs(dy) < 1e-12)


def test_calibrate_reports_impossible_rest():
    with pytest.raises(ValueError, match="outside its range"):
        nk.default_cell(V_rest=-100.0)  # below E_K: no positive pump rate can hold it


def test_equilibrate_from_a_changed_cell():
    cell = nk.default_cell().with_params({"pump.imax": 12.0})
    system, y, t_used = nk.equilibrate(cell)
    nd = system.layout.ndyn
    scale = np.ones(nd)
    scale[1:7] = system.p0[2]  # amounts -> concentrations (w_i = w_o in the default cell)
    assert np.max(np.abs(system.rhs(y)[:nd] / scale)) < 1e-9
    assert y[0] < -70.0 and t_used > 1000.0  # a faster pump hyperpolarises, over seconds
