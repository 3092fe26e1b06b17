"""The pump family: one interface, 3:2:1 stoichiometry, block, published
values, and the thermodynamics of the Post-Albers cycle.

Reference numbers: REFERENCES.md 1a (Luo-Rudy 1994 I_NaK at Na_i 10, Na_o 140,
K_o 5.4 mM, 310 K, computed from the published equations [RUN], 4 digits),
1c (Pan et al. 2019 parameters; the detailed-balance constant C0 = 9.886e3 mM2
and the stalling MgADP 37.909 mM at -80 mV and 757.41 mM at 0 mV [RUN]) and
2.6 (Pan-updated model cycling rates under Nakao & Gadsby's conditions,
normalised to 55/s at +40 mV, 0.1/s resolution [RUN])."""

import inspect
import math

import numpy as np
import pytest
from scipy.optimize import brentq

import nakpump as nk
from nakpump.flux import charge_of
from nakpump.mechanisms import KCC2, NKCC1, PUMP_MODELS, PostAlbersPump
from nakpump.mechanisms.pumps import post_albers_cycle
from nakpump.mechanisms.transporters import kcc2_rate, nkcc1_rate
from nakpump.physics import rt_over_f
from nakpump.pumpcurves import pump_current

RTF_310 = rt_over_f(310.0 - 273.15)


def params(mech, func):
    """The mechanism's parameters that kernel ``func`` takes, by name."""
    return {k: v for k, v in mech.values.items() if k in inspect.signature(func).parameters}


@pytest.mark.parametrize("model", list(PUMP_MODELS))
def test_every_model_is_3_2_1_and_stops_when_blocked(model):
    cell = nk.pump_leak_cell(pump=model, energy=True)
    system = nk.compile_cell(cell)
    res = nk.simulate(system, nk.Protocol([nk.Pulse(5, 1, 40), nk.Block("pump", 1.0, 30.0)]),
                      duration=60.0, dt=0.5)
    ip = res["I_pump"]
    on = res.t < 30.0
    assert np.all(ip[on] > 0)
    np.testing.assert_allclose(res["I_pump_Na"], 3 * ip, rtol=1e-14)
    np.testing.assert_allclose(res["I_pump_K"], -2 * ip, rtol=1e-14)
    np.testing.assert_allclose(res["atp_flux"], ip * 1e-6 / 96485.33212331001, rtol=1e-14)
    assert np.all(ip[res.t > 30.0] == 0.0)
    assert ip[0] == pytest.approx(0.62565, rel=1e-4)  # calibrated to the same rest


@pytest.mark.parametrize("V, expected", [(-90, 0.2625), (-80, 0.3093), (-60, 0.3910), (-40, 0.4488),
                                         (0, 0.5055), (20, 0.5181)])
def test_luo_rudy_1994_values(V, expected):
    j = pump_current("luo-rudy", V=V, T=36.85, Na_i=10.0, K_i=145.0, Na_o=140.0, K_o=5.4, ATP_i=5.0)
    assert j == pytest.approx(expected, abs=6e-5)


def _pa(V, adp, na_i=10.0, na_o=140.0, k_i=145.0, k_o=5.4, atp=5.0, pi=1.0, ph=7.2):
    m = PostAlbersPump().set(pH=ph)
    return post_albers_cycle(V=V, rtf=RTF_310, Na_i=na_i, Na_o=na_o, K_i=k_i, K_o=k_o, ATP_i=atp, ADP_i=adp,
                             Pi_i=pi, **params(m, post_albers_cycle))


def _c0():
    """Detailed-balance constant from the rate and dissociation constants alone."""
    v = PostAlbersPump().values
    kinetic = v["k1p"] * v["k2p"] * v["k3p"] * v["k4p"] / (v["k1m"] * v["k2m"] * v["k3m"] * v["k4m"])
    binding = (v["K0_nae"] * v["Kd_nae2"] ** 2 / (v["K0_nai"] * v["Kd_nai2"] ** 2)
               * v["Kd_ki"] ** 2 / v["Kd_ke"] ** 2 / v["Kd_atp"])
    return kinetic * binding


def test_detailed_balance_constant():
    assert _c0() == pytest.approx(9.886e3, rel=1e-3)


@pytest.mark.parametrize("V, adp_stall", [(-80.0, 37.909), (0.0, 757.41)])
def test_post_albers_stops_exactly_at_the_thermodynamic_balance(V, adp_stall):
    """The MgADP at which the ions' work equals the free energy of ATP
    hydrolysis, from the free energies alone; the cycle must stop there,
    run forward below it and backward above it."""
    na_i, na_o, k_i, k_o, atp, pi, ph = 10.0, 140.0, 145.0, 5.4, 5.0, 1.0, 7.2
    h = 10 ** (3 - ph)
    v = PostAlbersPump().values
    pi_free = pi / (1 + k_i / v["Kd_kpi"] + h / 10 ** (3 - v["pK_hpi"]) + na_i / v["Kd_napi"])
    thermo = (_c0() * (na_i / na_o) ** 3 * (k_o / k_i) ** 2 * atp / (pi_free * h)
              * math.exp(V / RTF_310))
    assert thermo == pytest.approx(adp_stall, rel=1e-4)
    root = brentq(lambda adp: _pa(V, adp), 1e-6, 1e5, xtol=1e-12, rtol=1e-14)
    assert root == pytest.approx(thermo, rel=1e-10)
    assert _pa(V, 0.5 * thermo) > 0 > _pa(V, 2.0 * thermo)


@pytest.mark.parametrize("na_o, expected", [
    (150.0, [13.7, 21.6, 30.3, 38.1, 44.1, 48.3, 51.2, 53.3]),
    (100.0, [27.0, 34.7, 40.9, 45.2, 48.3, 50.5, 52.2, 53.7]),
    (50.0, [42.1, 44.9, 47.0, 48.7, 50.1, 51.4, 52.6, 53.8]),
    (1.5, [45.8, 46.9, 48.0, 49.2, 50.3, 51.5, 52.7, 53.8])])
def test_post_albers_cycling_rate_under_nakao_gadsby_conditions(na_o, expected):
    volts = np.arange(-120.0, 21.0, 20.0)

    def rate(V):
        return _pa(V, 0.0, na_i=50.0, na_o=na_o, k_i=0.0, k_o=5.4, atp=10.0, pi=0.0, ph=7.4)
    norm = 55.0 / rate(40.0)
    got = np.array([rate(V) * norm for V in volts])
    np.testing.assert_allclose(got, expected, atol=0.051)
    assert np.all(np.diff(got) > 0)  # the I-V rises with V


def test_post_albers_runs_backwards_when_atp_is_gone():
    assert _pa(-70.0, 0.02) > 0
    assert _pa(-70.0, 2.0, atp=0.05, pi=5.0) < 0


def test_cotransporters_are_electroneutral_and_stop_at_equilibrium():
    c = dict(Na_i=12.0, K_i=140.0, Cl_i=7.0, Na_o=145.0, K_o=4.0, Cl_o=120.0)
    k2, n1 = KCC2(), NKCC1()
    assert k2.flux_list()[0].ions == {"K": 1.0, "Cl": 1.0}
    assert charge_of(k2.flux_list()[0]) == 0 and charge_of(n1.flux_list()[0]) == 0  # electroneutral
    j = kcc2_rate(c["K_i"], c["K_o"], c["Cl_i"], c["Cl_o"], **params(k2, kcc2_rate))
    assert j > 0  # K+ and Cl- leave a mature neuron
    cl_eq = c["K_o"] * c["Cl_o"] / c["K_i"]  # K_i Cl_i = K_o Cl_o
    assert kcc2_rate(c["K_i"], c["K_o"], cl_eq, c["Cl_o"], **params(k2, kcc2_rate)) == 0.0
    assert nkcc1_rate(**c, **params(n1, nkcc1_rate)) < 0  # NKCC1 loads Cl-


@pytest.mark.parametrize("model", ["hill", "post-albers"])
def test_scale_pump_to_a_resting_or_maximal_current(model):
    cell = nk.pump_leak_cell(pump=model)
    scaled = nk.scale_pump(cell, I_rest=1.0)
    system = nk.compile_cell(scaled)
    obs = system.observe(system.y0)
    assert obs["I_pump"][0] == pytest.approx(1.0, rel=1e-12)
    top = nk.scale_pump(cell, I_max=20.0)
    from nakpump.solve.steady import SATURATING
    assert pump_current(top.mechanism("pump"), **SATURATING) <= 20.0 * (1 + 1e-12)
    with pytest.raises(ValueError, match="exactly one"):
        nk.scale_pump(cell)


@pytest.mark.parametrize("model", [*PUMP_MODELS, "wei2014"])
def test_pump_curves_agree_with_the_compiled_cell(model):
    """``nakpump pump-curves`` evaluates a pump alone (NumPy backend); at a
    cell's own state it must give that cell's pump current (Numba backend),
    the oxygen-dependent pump of Wei 2014 included (it once read O2 from a
    slot that was not there: 0.000184 instead of 0.1425 uA/cm2)."""
    from nakpump.catalog import wei2014

    cell = wei2014.cell() if model == "wei2014" else nk.pump_leak_cell(pump=model, energy=True)
    system = nk.compile_cell(cell)
    obs = {k: float(v[0]) for k, v in system.observe(system.y0).items()}
    names = ("Na_i", "K_i", "Cl_i", "Na_o", "K_o", "Cl_o", "ATP_i", "ADP_i", "Pi_i")
    conditions = {n: obs[n] for n in names}
    conditions.update(V=float(system.y0[system.layout.V]), T=cell.values["T"],
                      O2_o=obs.get("O2", cell.values["O2_bath"]), O2_bath=cell.values["O2_bath"])
    assert pump_current(cell.mechanism("pump"), **conditions) == pytest.approx(obs["I_pump"], rel=1e-12)
    if model == "wei2014":
        assert cell.mechanism("pump").values["o2_slope"] > 0 and obs["I_pump"] > 0.1  # the O2 factor is on
