"""Presets: the registry, citations, and hh1952's headline numbers.

Tolerances and sources: HH 1952 rest -65 mV (Table 3, modern convention),
Rinzel & Miller 1980's onset of repetitive firing 6.26 and Hopf point 9.78
uA/cm2 at 6.3 degC [MEM], both to 0.02 uA/cm2; the validation report also
compares with NEURON's built-in hh."""

import pytest

from nakpump import scenarios
from nakpump.cli import main
from nakpump.presets import PRESETS, get_preset


def test_registry_and_citations(capsys):
    preset = get_preset("hh1952")
    assert "J Physiol 117:500-544" in preset.cite()
    assert set(preset.scenarios) == {"ap", "repetitive", "accumulation"}
    assert main(["presets"]) == 0 and "hh1952:ap" in capsys.readouterr().out
    assert main(["cite", "hh1952"]) == 0 and "Hodgkin AL" in capsys.readouterr().out
    assert main(["cite", "nope"]) == 2 and "unknown preset" in capsys.readouterr().err
    assert main(["run", "hh1952:nope"]) == 2 and "has no scenario" in capsys.readouterr().err
    assert main(["run", "hh1952:ap", "--set", "pump.model=hill"]) == 2
    assert "hh1952" in PRESETS


def test_hh1952_ap_and_repetitive():
    ap = scenarios.get("hh1952:ap").run().summary.as_dict()
    assert ap["resting potential"] == pytest.approx(-65.0, abs=0.01)
    assert 30.0 < ap["spike peak"] < 50.0 and ap["undershoot (after-hyperpolarisation)"] < -70.0
    rep = scenarios.get("hh1952:repetitive").run().summary.as_dict()
    assert rep["onset of repetitive firing (Rinzel & Miller 1980: 6.26)"] == pytest.approx(6.26, abs=0.02)
    assert rep["Hopf bifurcation of rest (Rinzel & Miller 1980: 9.78)"] == pytest.approx(9.78, abs=0.02)


def test_hh1952_dynamic_variant_accumulates_potassium():
    out = scenarios.get("hh1952:accumulation").run()
    s = out.summary.as_dict()
    first, last = (float(x) for x in s["undershoot after first / last spike"].replace(" mV", "").split(" / "))
    assert s["K_o rise after the first impulse"] > 0.5
    assert last > first + 2.0  # the undershoot shrinks as K+ accumulates
    assert out.result["K_o"][-1] < s["K_o peak during the train"]  # and it clears


def test_validate_passes(capsys, tmp_path):
    code = main(["validate", "--out", str(tmp_path / "v.md")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "0 failed" in out and (tmp_path / "v.md").read_text().startswith("# nakpump validation")
