"""A passive membrane with a constant pump current has a closed form:
V(t) = V_inf + (V0 - V_inf) exp(-t/tau), V_inf = (sum g_X E_X - I_p)/sum g,
tau = Cm/sum g.  The cell is made huge (vol/area 1e6 um) in a fixed bath so
that its concentrations do not move measurably in 100 ms; a Hill pump with
zero exponents is a constant current imax."""

import numpy as np
import pytest

import nakpump as nk


def test_passive_membrane_with_constant_pump_current():
    cell = nk.Cell([nk.Leak("K", g=0.05), nk.Leak("Na", g=0.01),
                    nk.HillPump(imax=1.5, n_na=0.0, n_k=0.0)],
                   bath=1, area=1.0, vol_i=1e6, V0=-40.0, Cl_i=7.0)
    E = cell.nernst()
    g = 0.06
    v_inf = (0.05 * E["K"] + 0.01 * E["Na"] - 1.5) / g
    tau = 1.0 / g
    tol = nk.Tolerances(rtol=1e-9, atol_V=1e-8)
    res = nk.simulate(cell, duration=100.0, dt=0.5, tol=tol)
    exact = v_inf + (-40.0 - v_inf) * np.exp(-res.t / tau)
    assert np.max(np.abs(res["V"] - exact)) < 1e-5          # mV
    assert np.allclose(res["I_pump"], 1.5, rtol=1e-12)        # constant pump current


def test_block_fraction_scales_every_mechanism(default_system):
    y = default_system.y0
    p = default_system.p0.copy()
    p[default_system.index("pump.block")] = 1.0
    p[default_system.index("nat.block")] = 0.25
    obs = default_system.observe(y, p)
    ref = default_system.observe(y)
    assert obs["I_pump"][0] == 0.0 and obs["atp_flux"][0] == 0.0
    assert obs["I_nat_Na"][0] == pytest.approx(0.75 * ref["I_nat_Na"][0], rel=1e-14)
