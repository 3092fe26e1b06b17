"""Presets: the registry, citations, and hh1952's headline numbers.

Tolerances and sources: HH 1952 rest -65 mV (Table 3, modern convention),
Rinzel & Miller 1980's onset of repetitive firing 6.26 and Hopf point 9.78
uA/cm2 at 6.3 degC [MEM], both to 0.02 uA/cm2; the validation report also
compares with NEURON's built-in hh."""

from pathlib import Path

import pytest

from nakpump import catalog
from nakpump.catalog import PRESETS, get_preset
from nakpump.cli import main


def test_registry_and_citations(capsys):
    preset = get_preset("hh1952")
    assert "J Physiol 117:500-544" in preset.cite()
    assert set(preset.scenarios) == {"ap", "repetitive", "accumulation"}
    assert set(PRESETS) == {"hh1952", "hubel-dahlem2014", "cressman2009", "wei2014", "kager2000"}
    assert get_preset("hubel-dahlem2014").scenarios["recovery"].full_name == "hubel-dahlem2014:recovery"
    assert main(["presets"]) == 0 and "hh1952:ap" in capsys.readouterr().out
    assert main(["cite", "hh1952"]) == 0 and "Hodgkin AL" in capsys.readouterr().out
    assert main(["cite", "nope"]) == 2 and "unknown preset" in capsys.readouterr().err
    assert main(["run", "hh1952:nope"]) == 2 and "has no scenario" in capsys.readouterr().err
    assert main(["run", "hh1952:ap", "--set", "pump.model=hill"]) == 2
    assert main(["presets"]) == 0
    listed = capsys.readouterr().out
    for name in ("wei2014:seizures", "wei2014:spreading-depression", "wei2014:hypoxia",
                 "cressman2009:bursting", "hubel-dahlem2014:interruption"):
        assert name in listed
    assert main(["cite", "wei2014"]) == 0 and "J Neurosci 34:11733" in capsys.readouterr().out
    assert main(["run", "wei2014:hypoxia", "--duration", "5000"]) == 2
    assert "must be longer" in capsys.readouterr().err


def test_hh1952_ap_and_repetitive():
    ap = catalog.get("hh1952:ap").run().measures
    assert ap["V_rest"] == pytest.approx(-65.0, abs=0.01)
    assert 30.0 < ap["peak"] < 50.0 and ap["undershoot"] < -70.0
    rep = catalog.get("hh1952:repetitive").run().measures
    assert rep["onset"] == pytest.approx(6.26, abs=0.02)
    assert rep["hopf"] == pytest.approx(9.78, abs=0.02)


def test_hh1952_dynamic_variant_accumulates_potassium():
    out = catalog.get("hh1952:accumulation").run()
    s = out.measures
    assert s["K_o_first"] > 0.5
    assert s["undershoot_last"] > s["undershoot_first"] + 2.0  # the undershoot shrinks as K+ accumulates
    assert out.result["K_o"][-1] < s["K_o_peak"]  # and it clears


@pytest.mark.slow
def test_validate_passes_and_regenerates_the_report(capsys):
    """``nakpump validate`` over every preset (several minutes: NEURON runs, the
    independent implementations, the papers' forms); CI's slow run rewrites
    docs/validation.md with it."""
    report = Path(__file__).resolve().parents[1] / "docs" / "validation.md"
    code = main(["validate", "--out", str(report)])
    out = capsys.readouterr().out
    assert code == 0, out
    text = report.read_text()
    assert " 0 failed" in text and text.startswith("# nakpump validation")
    for preset in ("hh1952", "cressman2009", "wei2014", "hubel-dahlem2014", "kager2000", "neuron-in-tissue"):
        assert f"| {preset} |" in text


def test_hubel_dahlem_rest_matches_the_published_state():
    """Our transcription comes to rest at the published state, to one unit of
    the last published digit (REFERENCES 1b.4, ModelDB 167714)."""

    import nakpump as nk
    from nakpump.catalog import hubel_dahlem2014 as hd

    system, y, _ = nk.equilibrate(hd.cell())
    obs = system.observe(y)
    assert y[system.layout.V] == pytest.approx(-67.19, abs=0.01)
    for name in ("K_i", "Na_i", "Cl_i", "Na_o", "Cl_o"):
        assert obs[name][0] == pytest.approx(hd.REST[name], abs=0.01), name
    assert obs["I_pump"][0] == pytest.approx(0.644, abs=0.003)


def test_hubel_dahlem_interruption_is_bistable_and_a_bath_rescues_it():
    closed = catalog.get("hubel-dahlem2014:interruption").run().measures
    assert closed["recovered"] is False and closed["V_end"] > -40.0
    bath = catalog.get("hubel-dahlem2014:recovery").run().measures
    assert bath["repolarised"] is True and bath["V_end"] < -60.0
    # the gradients are not back within the run (Na_i about 40 mM against 25): not "recovered"
    assert bath["recovered"] is (abs(bath["Na_i_end"] - 25.23) <= 2.523)


def test_cressman_bursts_only_at_raised_bath_potassium():
    """Qualitative target of Cressman et al. 2009: a quiet neuron at 4 mM bath
    K+, periodic seizure-like bursts when it is raised to 8 mM."""
    quiet = catalog.get("cressman2009:bursting").run(options={"k_bath": 4.0}).measures
    assert quiet["spikes"] == 0
    raised = catalog.get("cressman2009:bursting").run(options={"k_bath": 8.0}).measures
    assert raised["bursts"] >= 5
    assert 2.0 < raised["burst_period"] < 60.0
