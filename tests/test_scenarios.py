"""Every scenario runs on the pump-leak cell (the single-compartment cell for
teaching; the neuron in tissue is tested in test_tissue.py), and its summary
numbers are in physiological ranges.

Ranges and their sources: resting potential near -70 mV (the issue's target);
E_Na/E_K/E_Cl from REFERENCES section 2.2; P_Na/P_K about 0.01-0.1 (textbook
GHK ratios, REFERENCES 2.2); pump's electrogenic share of rest a few mV
(-1 to -15 mV) [MEM]; Na+ entry ratio 1-4 x the capacitive minimum
(Carter & Bean 2009; Alle et al. 2009; Attwell & Laughlin 2001, REFERENCES
2.3); ATP per spike per cell 1e5-1e9 (Attwell & Laughlin's 3.84e8 for a
whole cortical neuron with its axon; this soma is 616 um2)."""

import pytest

from nakpump import catalog


@pytest.fixture(scope="module")
def outcomes():
    options = {"ischemia": {"length": 30000.0}}  # the pump-leak cell recovers from 30 s, not from 60 s
    return {name: sc.run(cell=sc.make_cell(cell="pump-leak"), options=options.get(name))
            for name, sc in catalog.SCENARIOS.items()}


def test_rest(outcomes):
    s = outcomes["rest"].measures
    assert s["V_rest"] == pytest.approx(-70.0, abs=0.01)
    assert s["E_Na"] == pytest.approx(66.6, abs=0.1) and s["E_K"] == pytest.approx(-95.0, abs=0.1)
    assert -15.0 < s["pump_mV"] < -1.0
    assert 0.01 < s["P_Na_per_P_K"] < 0.1
    assert s["V_drift"] < 1e-9


def test_spike_train(outcomes):
    s = outcomes["spike-train"].measures
    assert s["pulses"] == s["spikes"] == 100
    assert 0.1 < s["dNa_i"] < 3.0
    assert 0.1 < s["dK_o"] < 3.0
    assert 2.0 < s["na_tau"] < 120.0  # seconds
    assert abs(s["Na_i_end"] - 12.0) < 0.5


def test_pump_block(outcomes):
    s = outcomes["pump-block"].measures
    assert s["V_before"] == pytest.approx(-70.0, abs=0.1)
    assert s["V_end"] > -40.0            # depolarised
    assert s["Na_i_end"] > 40.0 and s["K_i_end"] < 120.0 and s["K_o_end"] > 20.0
    assert 1.0 < s["t_first_failure"] < 240.0  # seconds: firing stops
    assert s["t_depolarised"] is not None and s["t_depolarised"] > 1.0  # sustained, not one spike


def test_pump_block_washout_recovers():
    sc = catalog.get("pump-block")
    out = sc.run(cell=sc.make_cell(cell="pump-leak"), options={"block_at": 5000, "washout_at": 30000},
                 duration=400000.0)
    s = out.measures
    assert s["V_end"] < -65.0
    assert s["tests_answered_after"] > 0.8 * s["tests_after"]


def test_electrogenic(outcomes):
    s = outcomes["electrogenic"].measures
    assert s["jump"] == pytest.approx(-s["pump_mV"], abs=0.2)
    assert s["drift"] > 0.0


def test_atp_cost(outcomes):
    s = outcomes["atp-cost"].measures
    assert 1.0 < s["na_ratio"] < 4.0
    assert 1e5 < s["atp_per_spike"] < 1e9
    assert s["pump_atp_per_spike"] == pytest.approx(s["atp_per_spike"], rel=0.15)  # the pump pays it back


def test_figure(outcomes, tmp_path):
    from nakpump.figures import figure
    from nakpump.results.plot import save
    for name, out in outcomes.items():
        save(figure(out), tmp_path / f"{name}.png")
        assert (tmp_path / f"{name}.png").stat().st_size > 10000


def test_swelling(outcomes):
    s = outcomes["swelling"].measures
    assert s["volume_then"] > 1.2          # swollen toward Donnan
    assert s["volume_o_then"] < 0.8  # water came from the outside
    assert s["volume_end"] == pytest.approx(1.0, abs=0.01) and s["V_end"] < -69.0  # recovered


def test_ischemia(outcomes):
    s = outcomes["ischemia"].measures
    assert s["recovered"] is True
    assert s["I_pump_lowest"] < 0.7 * s["I_pump_before"]  # the kinetic pump slows by itself as ADP rises
