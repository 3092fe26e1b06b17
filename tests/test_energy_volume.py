"""Energy, chloride, volume and clearance: conservation with volume changes,
the ledger, and the end states physics requires (Donnan equilibrium without
the pump; recovery with it; ischemia recovering or not)."""

import numpy as np
import pytest

import nakpump as nk
from nakpump.physics import ZERO_CELSIUS, R
from nakpump.results.ledger import residuals


def balanced(frame, rel=1e-10):
    """Every ledger residual is round-off: below ``rel`` of the largest amount."""
    scale = frame["amol"].abs().max()
    return bool(np.all(np.abs(residuals(frame)) < rel * scale))


@pytest.fixture(scope="module")
def swelling_cell():
    """The pump-leak cell: closed outside, KCC2, water flow, Na+ channels blocked."""
    return nk.pump_leak_cell(volume=True, chloride="kcc2").with_params({"nat.block": 1.0})


def test_ion_amounts_and_water_are_conserved_while_volumes_change(swelling_cell):
    system = nk.compile_cell(swelling_cell)
    pr = nk.Protocol([nk.Block("pump", 1.0, 1000.0), nk.Pulse(2000.0, 1.0, 40.0)])
    res = nk.simulate(system, pr, duration=600000.0, dt=100.0)
    assert res["vol_i_rel"][-1] > 1.1  # it swells
    inv = res.conservation()
    for ion in ("Na", "K", "Cl"):
        total = inv[f"total_{ion}"]
        assert np.max(np.abs(total - total[0])) / total[0] < 1e-12, ion
    water = res["vol_i"] + res["vol_o"]
    assert np.max(np.abs(water - water[0])) / water[0] < 1e-12
    charge = inv["charge"]  # nC/cm2, about 3e6 (the ions' charge), so round-off is ~1e-9 each step
    assert np.max(np.abs(charge - charge[0])) < 1e-12 * abs(charge[0])


def test_without_the_pump_the_cell_goes_to_donnan_equilibrium(swelling_cell):
    blocked = swelling_cell.with_params({"pump.block": 1.0})
    system, y, _ = nk.equilibrate(blocked, max_time=3.6e7, rate_tol=1e-12)
    obs = system.observe(y)
    lay = system.layout
    V = y[lay.V]
    for ion in ("Na", "K", "Cl"):
        assert abs(obs[f"E_{ion}"][0] - V) < 1e-3, ion  # every ion at its Nernst potential
    osm = {}
    for side in ("i", "o"):
        solutes = system.p0[lay.param(f"solute.A_{side}")] + system.p0[lay.param(f"solute.X_{side}")]
        ions = sum(obs[f"{ion}_{side}"][0] for ion in ("Na", "K", "Cl"))
        osm[side] = ions + solutes / y[lay.state(f"w_{side}")]
    osm_i, osm_o = osm["i"], osm["o"]
    assert abs(osm_i - osm_o) < 1e-6  # water at equilibrium
    assert obs["vol_i_rel"][0] > 1.3  # swollen: the pump-leak mechanism
    # and with the pump back, the same ions and water return to the calibrated rest
    back = nk.compile_cell(swelling_cell)
    _, y2, _ = nk.equilibrate(back, max_time=3.6e7, y0=y)
    obs2 = back.observe(y2)
    assert obs2["vol_i_rel"][0] == pytest.approx(1.0, abs=1e-4)


def test_kcc2_holds_chloride_below_passive():
    cell = nk.pump_leak_cell(chloride="kcc2")
    system = nk.compile_cell(cell)
    assert np.all(np.abs(system.rhs(system.y0)[:system.layout.n_dyn]) < 1e-12)
    res = nk.simulate(system, nk.Protocol([nk.Block("kcc2", 1.0, 100.0)]), duration=120000.0, dt=100.0)
    assert res["Cl_i"][0] == pytest.approx(7.0)
    assert res["E_Cl"][0] == pytest.approx(-75.9, abs=0.05)  # REFERENCES 2.2
    assert res["Cl_i"][-1] > 7.5  # without KCC2, Cl- creeps toward passive


def test_energy_budget_and_free_energy():
    cell = nk.pump_leak_cell(energy=True)
    system = nk.compile_cell(cell)
    res = nk.simulate(system, nk.Protocol([nk.SetParameter(1000.0, "energy.supply", 0.0)]),
                      duration=30000.0, dt=10.0)
    atp, adp, pi = res["ATP_i"], res["ADP_i"], res["Pi_i"]
    np.testing.assert_allclose(atp + adp, atp[0] + adp[0], rtol=1e-12)   # adenine pool
    np.testing.assert_allclose(atp + pi, atp[0] + pi[0], rtol=1e-12)     # phosphate pool
    rt = R * (37.0 + ZERO_CELSIUS) * 1e-3
    np.testing.assert_allclose(res["dG_ATP"], -30.5 + rt * np.log(adp * pi / atp * 1e-3), rtol=1e-12)
    assert res["dG_ATP"][0] == pytest.approx(-60.2, abs=0.1)
    assert atp[-1] < 0.8 * atp[0] and res["I_pump"][-1] < res["I_pump"][0]
    assert balanced(res.ledger())


@pytest.mark.parametrize("length, recovers", [(30000.0, True), (60000.0, False)])
def test_ischemia_recovers_or_not(length, recovers):
    from nakpump import catalog
    sc = catalog.get("ischemia")
    out = sc.run(cell=sc.make_cell(cell="pump-leak"), options={"length": length})
    s = out.measures
    assert s["recovered"] is recovers
    assert s["pump_model"] == "post_albers_pump"
    assert balanced(out.result.ledger())


def test_ledger_balances_to_round_off(default_system, train_60s):
    frame = train_60s.ledger()
    inside = frame.loc[frame["item"] == "inside at start", "amol"].abs().max()
    assert np.all(np.abs(residuals(frame)) < 1e-12 * inside)
    used = frame.loc[(frame["what"] == "ATP") & (frame["item"] == "used by pump"), "amol"].iloc[0]
    flux = np.trapezoid(train_60s["atp_flux"], train_60s.t) * 1e-3  # mol/cm2
    assert used == pytest.approx(flux * 616e-8 * 1e18, rel=1e-4)  # amol per cell, 1 ms grid


def test_bath_diffusion_and_glial_uptake_clear_potassium():
    cell = nk.pump_leak_cell()
    cell.add(nk.BathDiffusion("K", rate=1.2, bath=4.0))
    cell.add(nk.GlialUptake(G=5.0))
    system = nk.compile_cell(cell)
    pr = nk.Protocol([nk.SetConcentration(100.0, "K_o", 12.0)])
    res = nk.simulate(system, pr, duration=20000.0, dt=10.0)
    assert res["K_o"][11] > 11.0 and res["K_o"][-1] < 5.0
    frame = res.ledger()
    assert balanced(frame)
    removed = frame.loc[frame["item"].str.startswith("removed from the outside"), "amol"]
    assert len(removed) == 2 and removed.sum() > 0
    with pytest.raises(ValueError, match="finite extracellular space"):
        nk.compile_cell(nk.pump_leak_cell(bath=True).add(nk.GlialUptake()))


def test_concentration_change_uses_the_current_volume_and_the_ledger_counts_it():
    cell = nk.pump_leak_cell(volume=True, chloride="kcc2").with_params({"nat.block": 1.0})
    pr = nk.Protocol([nk.Block("pump", 1.0, 100.0), nk.SetConcentration(300000.0, "K_o", 10.0)])
    res = nk.simulate(cell, pr, duration=300100.0, dt=50.0)
    assert res["vol_o"][-3] / res["vol_o"][0] < 0.97  # the outside has shrunk by then
    after = int(np.searchsorted(res.t, 300000.0, side="right"))  # 50 ms after the change
    assert res["K_o"][after] == pytest.approx(10.0, abs=0.05)  # not 10.5 (the initial volume)
    assert balanced(res.ledger())
    at_start = nk.simulate(nk.pump_leak_cell(), nk.Protocol([nk.SetConcentration(0.0, "K_o", 8.0)]),
                           duration=100.0, dt=1.0)
    assert at_start["K_o"][0] == pytest.approx(8.0) and balanced(at_start.ledger())


def test_reserved_mechanism_names():
    with pytest.raises(ValueError, match="reserved"):
        nk.pump_leak_cell().add(nk.Leak("Na", name="electrode"))


def test_ledger_keeps_each_atp_pool_apart():
    """The astrocyte's ATP is its own pool: its pump's use is booked against
    it, not against the neuron's (each pool's residual is round-off)."""
    from nakpump import catalog
    sc = catalog.get("ischemia")
    frame = sc.run(options={"onset": 1000.0}, duration=3000.0).result.ledger()
    atp = frame[frame["what"] == "ATP"].set_index("item")["amol"]
    assert "used by glia_pump (astrocyte)" in atp and "astrocyte at start" in atp
    for pool in ("inside", "astrocyte"):
        assert abs(atp[f"residual {pool} (end - start + used)"]) < 1e-12 * atp[f"{pool} at start"] * 1e3
