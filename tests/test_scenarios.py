"""Every scenario runs, and its summary numbers are in physiological ranges.

Ranges and their sources: resting potential near -70 mV (the issue's target);
E_Na/E_K/E_Cl from REFERENCES section 2.2; P_Na/P_K about 0.01-0.1 (textbook
GHK ratios, REFERENCES 2.2); pump's electrogenic share of rest a few mV
(-1 to -15 mV) [MEM]; Na+ entry ratio 1-4 x the capacitive minimum
(Carter & Bean 2009; Alle et al. 2009; Attwell & Laughlin 2001, REFERENCES
2.3); ATP per spike per cell 1e5-1e9 (Attwell & Laughlin's 1.28e8 for a
large cortical neuron; this soma is 616 um2)."""

import pytest

from nakpump import scenarios


@pytest.fixture(scope="module")
def outcomes():
    return {name: sc.run() for name, sc in scenarios.SCENARIOS.items()}


def test_rest(outcomes):
    s = outcomes["rest"].summary.as_dict()
    assert s["resting potential"] == pytest.approx(-70.0, abs=0.01)
    assert s["E_Na"] == pytest.approx(66.6, abs=0.1) and s["E_K"] == pytest.approx(-95.0, abs=0.1)
    assert -15.0 < s["pump's electrogenic share of V_rest"] < -1.0
    p_na = float(s["GHK permeabilities P_K:P_Na:P_Cl"].split(":")[1])
    assert 0.01 < p_na < 0.1
    assert s["largest drift of V over the run"] < 1e-9


def test_spike_train(outcomes):
    s = outcomes["spike-train"].summary.as_dict()
    assert s["pulses / spikes"] == "100 / 100"
    assert 0.1 < s["Na_i change at end of train"] < 3.0
    assert 0.1 < s["K_o change at end of train"] < 3.0
    assert 2.0 < s["recovery time constant of Na_i"] < 120.0  # seconds
    assert abs(s["Na_i at end of run"] - 12.0) < 0.5


def test_pump_block(outcomes):
    s = outcomes["pump-block"].summary.as_dict()
    assert s["V before block"] == pytest.approx(-70.0, abs=0.1)
    assert s["V at end"] > -40.0            # depolarised
    assert s["Na_i at end"] > 40.0 and s["K_i at end"] < 120.0 and s["K_o at end"] > 20.0
    assert 1.0 < s["first test pulse that failed to fire"] < 240.0  # seconds: firing stops


def test_pump_block_washout_recovers():
    out = scenarios.get("pump-block").run(options={"block_at": 5000, "washout_at": 30000},
                                          duration=400000.0)
    s = out.summary.as_dict()
    assert s["V at end (after washout)"] < -65.0
    answered, total = s["test pulses answered after washout"].split(" of ")
    assert int(answered) > 0.8 * int(total)


def test_electrogenic(outcomes):
    s = outcomes["electrogenic"].summary.as_dict()
    jump = [v for k, v in s.items() if k.startswith("measured fast jump")][0]
    assert jump == pytest.approx(-s["electrogenic share (steady I-V, gradients kept)"], abs=0.2)
    assert s["then slow drift (gradients running down)"] > 0.0


def test_atp_cost(outcomes):
    s = outcomes["atp-cost"].summary.as_dict()
    assert 1.0 < s["Na+ entry ratio (charge / minimum)"] < 4.0
    assert 1e5 < s["ATP per spike (Na+/3)"] < 1e9
    pump = [v for k, v in s.items() if k.startswith("ATP per spike the pump spent")][0]
    assert pump == pytest.approx(s["ATP per spike (Na+/3)"], rel=0.15)  # the pump pays it back


def test_figure(outcomes, tmp_path):
    from nakpump.plot import save
    for name, out in outcomes.items():
        save(out.figure(), tmp_path / f"{name}.png")
        assert (tmp_path / f"{name}.png").stat().st_size > 10000


def test_swelling(outcomes):
    s = outcomes["swelling"].summary.as_dict()
    assert s["volume when the pump returns"] > 1.2          # swollen toward Donnan
    assert s["extracellular volume then (relative)"] < 0.8  # water came from the outside
    assert s["volume at end"] == pytest.approx(1.0, abs=0.01) and s["V at end"] < -69.0  # recovered


def test_ischemia(outcomes):
    s = outcomes["ischemia"].summary.as_dict()
    assert s["recovered"] == "yes"
    before, lowest = (float(x) for x in s["pump current before / lowest"].split()[0:3:2])
    assert lowest < 0.7 * before  # the kinetic pump slows by itself as ADP rises and ATP falls
