"""Invariants of a closed cell (DESIGN.md, Invariants): each ion's total
amount, and the membrane charge against the ions moved, to round-off over a
60 s run with 100 spikes; the pump's 3:2:1 stoichiometry."""

import numpy as np
import pytest

import nakpump as nk
from nakpump.physics import CHARGE_PER_AMOUNT, F

from .conftest import TRAIN_60S
from .helpers import conc


def rel_drift(x):
    x = np.asarray(x)
    return float(np.max(np.abs(x - x[0])) / np.abs(x[0]))


def test_closed_cell_conserves_each_ion_over_60_s_of_spiking(default_system, train_60s):
    res = train_60s
    assert len(res.spikes) == 100
    inv = res.conservation()
    for ion in ("Na", "K", "Cl"):
        assert rel_drift(inv[f"total_{ion}"]) < 1e-9, ion
    # the same from the model's own invariants with the protocol's injected charge
    inj = TRAIN_60S.injected_charge(res.t)
    np.testing.assert_array_equal(res["Q_stim"], inj)
    assert rel_drift(default_system.invariants(res.Y, inj)["total_K"]) < 1e-9


def test_membrane_charge_equals_net_charge_moved_by_ions(default_system, train_60s):
    res = train_60s
    cm = default_system.cell.values["Cm"]
    dq_membrane = cm * (res["V"] - res["V"][0])                          # nC/cm2
    dn = {ion: res.state(f"n_{ion}_i") - res.state(f"n_{ion}_i")[0] for ion in ("Na", "K", "Cl")}  # mM*um
    dq_ions = CHARGE_PER_AMOUNT * (dn["Na"] + dn["K"] - dn["Cl"])          # z = +1, +1, -1
    # The ions' charge is ~3e6 nC/cm2; the membrane's ~100 nC/cm2 swings.
    assert np.max(np.abs(dq_membrane - dq_ions)) < 1e-6
    assert np.max(np.abs(dq_membrane)) > 1.0  # the test sees real swings


def test_electrode_ions_are_counted(default_system):
    """The electrode adds K+ inside; totals less injected charge stay exact."""
    protocol = nk.Protocol([nk.Step(10.0, 2.0, stop=510.0)])
    res = nk.simulate(default_system, protocol, duration=1000.0, dt=1.0)
    q = protocol.injected_charge(res.t)
    assert q[-1] == pytest.approx(1000.0)  # 2 uA/cm2 x 500 ms
    inv = default_system.invariants(res.Y, q)
    assert rel_drift(inv["total_K"]) < 1e-12
    raw = default_system.invariants(res.Y)
    assert rel_drift(raw["total_K"]) > 1e-6  # without the correction the K+ added shows


def test_pump_stoichiometry_3_na_out_2_k_in_1_atp(train_60s):
    res = train_60s
    ip = res["I_pump"]
    assert np.all(ip > 0)
    np.testing.assert_allclose(res["I_pump_Na"], 3.0 * ip, rtol=1e-14)
    np.testing.assert_allclose(res["I_pump_K"], -2.0 * ip, rtol=1e-14)
    np.testing.assert_allclose(res["atp_flux"], ip * 1e-6 / F, rtol=1e-14)  # 1 ATP per net charge


def test_pump_flux_is_zero_when_blocked(default_system):
    res = nk.simulate(default_system, nk.Protocol([nk.Block("pump", 1.0, 100.0)]), duration=300.0, dt=1.0)
    after = res.t > 100.0
    assert np.all(res["I_pump"][after] == 0.0) and np.all(res["atp_flux"][after] == 0.0)
    assert np.all(res["I_pump"][res.t < 100.0] > 0.5)


def test_current_to_concentration_factor_in_absolute_terms():
    """DESIGN.md: 1 uA/cm2 over vol/area 1 um is 1e4/F mM/s = 0.10364 mM/s.
    A constant 1 uA/cm2 pump (zero Hill exponents) moves 3 Na+ out per cycle."""
    cell = nk.Cell([nk.HillPump(imax=1.0, n_na=0.0, n_k=0.0)], bath=1, area=1.0, vol_i=1.0)
    system = nk.compile_cell(cell)
    dy = system.rhs(system.y0)
    dna = conc(system, dy, "Na_i") * 1000.0   # mM/s
    dk = conc(system, dy, "K_i") * 1000.0
    assert dna == pytest.approx(-3 * 0.103643, rel=1e-5)
    assert dk == pytest.approx(+2 * 0.103643, rel=1e-5)


def test_electrode_carried_by_chloride():
    """With Cl- as the carrier a depolarising current removes Cl- from the cell."""
    cell = nk.pump_leak_cell().set(electrode_ion="Cl")
    system = nk.compile_cell(cell)
    protocol = nk.Protocol([nk.Step(0.0, 1.0, stop=100.0)])
    res = nk.simulate(system, protocol, duration=200.0, dt=1.0)
    inv = res.conservation()
    assert rel_drift(inv["total_Cl"]) < 1e-12
    raw = system.invariants(res.Y)["total_Cl"]
    assert raw[-1] - raw[0] == pytest.approx(-100.0 / CHARGE_PER_AMOUNT, rel=1e-9)  # 100 nC/cm2 out


def test_conservation_across_a_concentration_change(default_system):
    protocol = nk.Protocol([nk.SetConcentration(100.0, "K_o", 8.0), nk.Pulse(200.0, 1.0, 40.0)])
    res = nk.simulate(default_system, protocol, duration=1000.0, dt=1.0)
    inv = res.conservation()
    for ion in ("Na", "K", "Cl"):
        assert rel_drift(inv[f"total_{ion}"]) < 1e-12, ion
    assert len(res.meta["exchanged"]) == 1 and res.meta["exchanged"][0][1] == "K"


def test_an_electrode_carried_by_no_ion():
    """``electrode_ion="none"``: the current charges the membrane and moves no ion, like NEURON's
    IClamp; its charge is kept in the nonspecific ledger, so every ion total and the membrane
    charge stay constant, and the ledger state holds exactly the charge injected."""
    cell = nk.pump_leak_cell().set(electrode_ion="none")
    assert cell.electrode_ion == "none" and "carried by no ion" in cell.describe()
    system = nk.compile_cell(cell)
    protocol = nk.Protocol([nk.Step(0.0, 1.0, stop=100.0)])
    res = nk.simulate(system, protocol, duration=200.0, dt=1.0)
    inv = system.invariants(res.Y)  # nothing to subtract: no ion carried the electrode's charge
    for ion in ("Na", "K", "Cl"):
        assert rel_drift(inv[f"total_{ion}"]) < 1e-12, ion
    assert rel_drift(inv["charge"]) < 1e-12
    q = res.state("q_membrane_nonspecific")
    assert q[-1] - q[0] == pytest.approx(-100.0 / CHARGE_PER_AMOUNT, rel=1e-9)  # 100 nC/cm2 in
    ionic = nk.simulate(nk.pump_leak_cell(), protocol, duration=200.0, dt=1.0)
    assert res["K_i"][-1] < ionic["K_i"][-1]  # the K+ electrode put K+ in; this one did not
    assert abs(res["V"][50] - ionic["V"][50]) < 0.1  # the same charge on the membrane
    with pytest.raises(ValueError, match="electrode_ion = 'Ca'.*none"):
        nk.pump_leak_cell().set(electrode_ion="Ca")
