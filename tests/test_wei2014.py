"""The wei2014 preset: each term against Wei, Ullah & Schiff 2014's equations
(REFERENCES 1b.3) written out independently here, conservation with
volumes and clearance, and the headline behaviour: seizure-like events at
raised bath K+, spreading depression at high bath K+ and in hypoxia."""

import math

import numpy as np
import pytest

import nakpump as nk
from nakpump import catalog
from nakpump.catalog import wei2014
from nakpump.physics import AMOUNT_PER_CHARGE
from nakpump.results.ledger import residuals
from nakpump.validation import crosscheck_module

GAMMA = 0.04442  # Wei's gamma for a 7 um sphere, mM/s per uA/cm2 (A/(F W) x 1e-2)


def sig(x):
    return 1.0 / (1.0 + math.exp(-x))


@pytest.fixture(scope="module")
def system():
    return nk.compile_cell(wei2014.cell(k_bath=8.0, o2_bath=30.0))


def _perturbed(system):
    """The initial state with Na_i 22, K_o 6, Cl_i 8 mM, the cell 3 % swollen and O2 25 mg/L."""
    y = system.y0.copy()
    lay = system.layout
    i_wi, i_wo = lay.state("w_i"), lay.state("w_o")
    w_i, w_o = y[i_wi], y[i_wo]
    y[i_wi], y[i_wo] = 1.03 * w_i, w_o - 0.03 * w_i
    y[lay.state("n_Na_i")] = 22.0 * y[i_wi]
    y[lay.state("n_Cl_i")] = 8.0 * y[i_wi]
    y[lay.state("n_K_o")] = 6.0 * y[i_wo]
    y[lay.state("O2_o")] = 25.0
    return y


def test_every_term_follows_the_paper(system):
    y = _perturbed(system)
    lay = system.layout
    obs = system.observe(y)
    c = {k: float(v[0]) for k, v in obs.items()}
    na_i, k_i, cl_i, na_o, k_o, cl_o = (c[n] for n in ("Na_i", "K_i", "Cl_i", "Na_o", "K_o", "Cl_o"))
    o2, o2_bath, k_bath = 25.0, 30.0, 8.0
    assert GAMMA == pytest.approx(wei2014.GAMMA, rel=2e-4)
    gamma = wei2014.GAMMA

    # neuronal pump, uA/cm2: rho_max/gamma x sigmoids in O2, Na_i and K_o
    rho = 0.8 / (1.0 + math.exp((20.0 - o2) / 3.0)) / gamma
    i_pump = rho / (1.0 + math.exp((25.0 - na_i) / 3.0)) / (1.0 + math.exp(3.5 - k_o))
    assert c["I_pump"] == pytest.approx(i_pump, rel=1e-12)
    # cotransporters: U (mM/s) / gamma x log driving forces
    j_kcc2 = 0.3 * math.log(k_i * cl_i / (k_o * cl_o)) / gamma
    assert c["I_kcc2_K"] == pytest.approx(j_kcc2, rel=1e-12)  # the cycle rate: one K+ per cycle
    drive = math.log(k_i * cl_i / (k_o * cl_o)) + math.log(na_i * cl_i / (na_o * cl_o))
    assert c["I_nkcc1_Na"] == pytest.approx(0.1 / (1.0 + math.exp(16.0 - k_o)) * drive / gamma, rel=1e-12)

    dy = system.rhs(y)
    q = {(item.mechanism, item.species): lay.state(item.state) for item in lay.ledger}
    w_i, w_o = y[lay.state("w_i")], y[lay.state("w_o")]
    beta = w_i / w_o
    f_o = 1.0 / (1.0 + math.exp((2.5 - o2_bath) / 0.2))
    f_v = 1.0 / (1.0 + math.exp((beta - 20.0) / 2.0))
    glia = 5.0 * f_o / (1.0 + math.exp((18.0 - k_o) / 2.5))                         # mM/s
    glia_pump = (0.8 / (1.0 + math.exp((20.0 - o2) / 3.0)) / 3.0
                 / (1.0 + math.exp((25.0 - 18.0) / 3.0)) / (1.0 + math.exp(3.5 - k_o)))  # gamma I_gliapump
    diff = 0.25 * f_o * f_v * (k_o - k_bath)
    # the ledger's running totals are the amounts removed per ms (mM*um/ms)
    assert dy[q[("glia", "K")]] == pytest.approx(glia * 1e-3 * w_o, rel=1e-12)
    assert dy[q[("glia_pump", "K")]] == pytest.approx(2.0 * glia_pump * 1e-3 * w_o, rel=1e-12)
    assert dy[q[("diffusion_k", "K")]] == pytest.approx(diff * 1e-3 * w_o, rel=1e-12)
    # oxygen: -alpha gamma (I_pump + I_gliapump) + eps (O_bath - O2), per ms
    d_o2 = (-5.3 * (i_pump * AMOUNT_PER_CHARGE * 1e3 / w_i + glia_pump) + 0.17 * (o2_bath - o2)) * 1e-3
    assert dy[lay.state("O2_o")] == pytest.approx(d_o2, rel=1e-12)
    # volume: relaxes toward W0 (1.1029 - 0.1029 exp((pi_o - pi_i)/20)) with tau 0.25 s
    cell = system.cell
    w0 = cell.w_i
    ions = ("Na", "K", "Cl")
    pi_i = (sum(y[lay.state(f"n_{ion}_i")] for ion in ions)
            + (cell.impermeant("i") + cell.values["X_i"]) * w0) / w_i
    pi_o = (sum(y[lay.state(f"n_{ion}_o")] for ion in ions)
            + (cell.impermeant("o") + cell.values["X_o"]) * cell.w_o) / w_o
    target = w0 * (1.1029 - 0.1029 * math.exp((pi_o - pi_i) / 20.0))
    assert dy[lay.state("w_i")] == pytest.approx((target - w_i) / 250.0, rel=1e-12)
    assert dy[lay.state("w_o")] == -dy[lay.state("w_i")]


def test_oxygen_factors_are_off_by_default():
    """Cressman-style clearance and pumps ignore the oxygen unless their slope is set."""
    plain = nk.compile_cell(nk.pump_leak_cell().add(nk.GlialUptake()).add(nk.BathDiffusion("K")))
    anoxic = nk.compile_cell(nk.pump_leak_cell(O2_bath=0.0).add(nk.GlialUptake()).add(nk.BathDiffusion("K")))
    np.testing.assert_array_equal(plain.rhs(plain.y0), anoxic.rhs(anoxic.y0))


def test_ions_and_water_are_conserved_through_spreading_depression():
    res = nk.simulate(wei2014.cell(k_bath=20.0), nk.Protocol(), duration=20000.0, dt=10.0)
    assert res["V"][-1] > -50.0  # in the depolarised state by then
    frame = res.ledger()
    amounts = frame.loc[frame["item"].str.contains("at start"), "amol"].abs().max()
    assert np.max(np.abs(residuals(frame))) < 1e-10 * amounts
    water = res.state("w_i") + res.state("w_o")
    assert np.ptp(water) < 1e-12 * water[0]
    glial_atp = frame.loc[frame["item"] == "used by glia_pump (outside the pools the model tracks)", "amol"]
    assert len(glial_atp) == 1 and glial_atp.iloc[0] > 0


def test_quiet_below_the_seizure_threshold():
    res = nk.simulate(wei2014.cell(k_bath=7.0), nk.Protocol(), duration=120000.0, dt=50.0)
    assert len(res.spikes) == 0 and -70.0 < res["V"][-1] < -60.0


@pytest.mark.slow
def test_seizures_at_raised_bath_potassium():
    out = catalog.get("wei2014:seizures").run(duration=200000.0)
    s = out.measures
    assert s["events"] >= 4
    assert 20.0 < s["event_period"] < 40.0
    assert 4.0 < s["event_duration"] < 8.0
    assert s["episodes"] == 0


@pytest.mark.slow
def test_spreading_depression_at_high_bath_potassium_and_in_hypoxia():
    sd = catalog.get("wei2014:spreading-depression").run().measures
    assert sd["episodes"] >= 3 and sd["first_episode"] < 20.0
    assert 40.0 < sd["episode_period"] < 65.0  # recurring: the depolarised state is unstable
    assert sd["swelling"] > 5.0 and sd["K_o_peak"] > 20.0
    hyp = catalog.get("wei2014:hypoxia").run().measures
    assert hyp["episodes"] >= 1 and hyp["first_episode"] < 30.0
    assert hyp["K_o_peak"] > 40.0
    assert hyp["recovered"] is True


def test_agrees_with_an_independent_implementation_of_the_equations():
    """crosscheck/wei2014_paper.py writes the model out from REFERENCES 1b.3 in
    concentration form (its "nakpump" form: fixed membrane area, rates per
    area) and solves it with SciPy's LSODA; 12 s at bath K+ 20 mM covers
    firing, the run-away of K_o and the swelling into the depolarised state."""
    wp = crosscheck_module("wei2014_paper")
    duration = 12000.0
    ref = wp.run("nakpump", 20.0, 32.0, duration, rtol=1e-10)
    tight = nk.Tolerances(rtol=1e-10, atol_V=1e-8, atol_conc=1e-11, atol_gate=1e-10)
    res = nk.simulate(wei2014.cell(k_bath=20.0), nk.Protocol(), duration=duration, dt=10.0, tol=tight)
    assert len(res.spikes) == len(ref.spikes) > 100
    assert np.max(np.abs(res.spikes - ref.spikes)) < 1e-3  # ms
    y = wp.at(ref, res.t)
    for name, tol in (("Na_i", 1e-5), ("K_i", 1e-5), ("Cl_i", 1e-5), ("K_o", 1e-5), ("O2", 1e-6)):
        assert np.max(np.abs(y[name] - res[name])) < tol, name
    assert np.max(np.abs(y["W_i"] / wp.W0 - res["vol_i_rel"])) < 1e-8
