"""Each scenario's figure shows its answer: the numbers its summary prints
are written on it (the exact printed text of each measure), the data drawn
are the data measured (levels, brackets and fitted lines read back from the
axes agree with the summary), zooms contain their event, events are
labelled, spikes are drawn from the solver's spike times, the title names
the scenario (and the preset), and no axis uses offset notation.

Runs are shortened where the scenario allows it (options or duration), so
the file takes well under two minutes; outcomes and figures are made once
per module, on first use.
"""

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
matplotlib.rcParams["figure.max_open_warning"] = 0
matplotlib.rcParams["figure.dpi"] = 40  # drawn to lay them out and format the ticks: no need for pixels

from nakpump import catalog  # noqa: E402
from nakpump.figures import figure as draw  # noqa: E402
from nakpump.figures import overview, registered  # noqa: E402
from nakpump.figures.style import texts  # noqa: E402
from nakpump.solve.simulate import Tolerances  # noqa: E402

LOOSE = Tolerances(rtol=1e-6)

RUNS = {
    "rest": ({}, 200.0),
    "electrogenic": ({}, 5000.0),
    "spike-train": ({"number": 20}, 45000.0),
    "atp-cost": ({"burst": 3}, 60000.0),
    "pump-block": ({}, 120000.0),
    "ischemia": ({}, None),
    "swelling": ({}, None),
    "pump-ahp": ({"start": 10000.0, "short": 10, "long": 40}, 45000.0),
    "hh1952:ap": ({}, None),
    "hh1952:repetitive": ({}, None),
    "hh1952:accumulation": ({"number": 10}, 300.0),
    "cressman2009:bursting": ({}, None),
    "wei2014:seizures": ({}, 140000.0, LOOSE),
    "wei2014:spreading-depression": ({}, 75000.0, LOOSE),
    "wei2014:hypoxia": ({}, 150000.0, LOOSE),
    "hubel-dahlem2014:interruption": ({"length": 60000.0}, 200000.0, LOOSE),
    "hubel-dahlem2014:recovery": ({}, 400000.0, LOOSE),
    "hubel-dahlem2014:buffered-sd": ({}, 120000.0, LOOSE),
    "kager2000:k-puff": ({}, 30000.0),
    "kager2000:ouabain": ({}, 20000.0),
}
"""Every default and preset scenario, with the options, duration (ms) and tolerances its figure is
tested at (a figure is checked against its own run's summary, so the presets that run at rtol 1e-8 by
default for their published numbers are run looser here)."""

SHOWN = {
    "rest": ["V_rest", "E_Na", "E_K", "E_Cl", "V_ghk", "V_weighted", "pump_mV", "I_pump", "P_Na_per_P_K",
             "R_in", "tau_m", "V_drift"],
    "electrogenic": ["jump", "pump_mV", "pump_mV_chord", "drift"],
    "spike-train": ["spikes", "ahp", "ahp_half", "na_tau", "dNa_i", "I_pump_peak", "atp_per_spike"],
    "atp-cost": ["peak", "amplitude", "half_width", "na_charge", "capacitive_minimum", "na_ratio",
                 "atp_per_spike", "pump_atp_per_spike", "firing_rest_ratio"],
    "pump-block": ["V_before", "t_depolarised", "t_first_failure", "V_end", "Na_i_end", "K_i_end", "K_o_end"],
    "ischemia": ["t_atp_flat", "t_atp_half", "t_pcr_half", "t_anoxic_depolarisation", "hyperpolarisation",
                 "t_first_failure", "K_o_peak", "I_pump_lowest", "V_back", "V_end"],
    "swelling": ["volume_then", "volume_o_then", "V_then", "donnan_gap", "Na_i_then", "volume_end", "V_end"],
    "pump-ahp": ["ahp_short", "ahp_long", "ahp_long_half", "ahp_ouabain", "ahp_zero_k", "ahp_ttx", "na_tau",
                 "dNa_i"],
    "hh1952:ap": ["V_rest", "peak", "undershoot", "width", "threshold"],
    "hh1952:repetitive": ["onset", "hopf", "rate"],
    "hh1952:accumulation": ["K_o_first", "K_o_peak", "undershoot_first", "undershoot_last", "K_o_end"],
    "cressman2009:bursting": ["bursts", "burst_period", "K_o_min", "K_o_max", "Na_i_min", "Na_i_max"],
    "wei2014:seizures": ["events", "event_period", "event_duration", "K_o_max", "Na_i_peak"],
    "wei2014:spreading-depression": ["episodes", "first_episode", "episode_duration", "episode_period",
                                     "K_o_peak", "Na_i_peak", "swelling", "ecs_min", "O2_min"],
    "wei2014:hypoxia": ["o2_low", "first_episode", "K_o_peak", "Na_i_peak", "V_end", "recovered"],
    "hubel-dahlem2014:interruption": ["V_restart", "t_depolarised", "K_o_then", "Na_i_then", "V_end"],
    "hubel-dahlem2014:recovery": ["V_restart", "t_depolarised", "K_o_then", "Na_i_then", "V_end"],
    "hubel-dahlem2014:buffered-sd": ["t_first_above", "t_last_above", "sd_duration", "K_o_peak", "t_K_o_peak",
                                     "Na_i_peak", "bound_max"],
    "kager2000:k-puff": ["t_depolarised", "K_o_peak", "t_K_o_peak", "V_plateau", "ecs_min", "t_floor"],
    "kager2000:ouabain": ["t_depolarised", "K_o_peak", "t_K_o_peak", "V_plateau", "ecs_min", "t_floor"],
}
"""The measures whose printed text each figure must carry."""

EVENTS = {
    "electrogenic": ["pumps blocked", "10 tau_m"], "spike-train": ["train"], "atp-cost": ["burst"],
    "pump-block": ["pumps blocked"], "ischemia": ["supply off", "supply on"],
    "swelling": ["pumps blocked", "pumps restored"], "pump-ahp": ["trains"], "hh1952:ap": ["pulse"],
    "hh1952:accumulation": ["train"], "wei2014:hypoxia": ["O2 to 2.0 mg/L", "O2 back"],
    "hubel-dahlem2014:interruption": ["pump off", "pump on"],
    "hubel-dahlem2014:recovery": ["pump off", "pump on"],
    "hubel-dahlem2014:buffered-sd": ["pump off", "pump on"], "kager2000:k-puff": ["K+ puff"],
    "kager2000:ouabain": ["pumps blocked"],
}
"""Labels of the event markers each figure must carry."""

_OUTCOMES, _FIGURES = {}, {}


def outcome(name):
    if name not in _OUTCOMES:
        options, duration, *tol = RUNS[name]
        sc = catalog.get(name)
        _OUTCOMES[name] = sc.run(options=options, duration=duration, tol=tol[0] if tol else None)
    return _OUTCOMES[name]


def figure(name):
    if name not in _FIGURES:
        fig = draw(outcome(name))
        fig.canvas.draw()
        _FIGURES[name] = fig
    return _FIGURES[name]


@pytest.fixture(scope="module", autouse=True)
def _close():
    yield
    import matplotlib.pyplot as plt
    for fig in _FIGURES.values():
        plt.close(fig)


def gid(fig, name):
    """The artists drawn with gid ``name``."""
    found = fig.findobj(lambda a: a.get_gid() == name)
    assert found, f"nothing drawn as {name!r}"
    return found


def ydata(fig, name):
    return np.asarray(gid(fig, name)[0].get_ydata(), dtype=float)


def segment(fig, name):
    """(x0, x1, y) of the first segment of a horizontal line drawn as ``name`` (hlines or plot)."""
    art = gid(fig, name)[0]
    if hasattr(art, "get_segments"):
        (x0, y0), (x1, _) = art.get_segments()[0]
        return x0, x1, y0
    x, y = art.get_xdata(), art.get_ydata()
    return x[0], x[-1], y[0]


def shows(fig, out, key):
    m = out.summary.measures[key]
    return any(m.text() in t for t in texts(fig))


def test_every_scenario_has_its_own_figure():
    names = list(catalog.SCENARIOS) + [f"{p}:{s}" for p, pr in catalog.PRESETS.items() for s in pr.scenarios]
    assert sorted(names) == sorted(RUNS) == sorted(SHOWN)
    assert set(names) <= set(registered())


@pytest.mark.parametrize("name", list(RUNS))
def test_figure_shows_the_summary(name):
    """Title, measures, event labels, spikes and no offset notation."""
    out, fig = outcome(name), figure(name)
    sc = out.scenario
    title = fig._suptitle.get_text()
    assert f"nakpump {sc.full_name}: {sc.title}" in title
    if sc.preset:
        assert catalog.PRESETS[sc.preset].title in title
    missing = [k for k in SHOWN[name] if out.summary.measures[k].value is None or not shows(fig, out, k)]
    assert not missing, f"{name}: not on the figure: {missing}"
    all_texts = texts(fig)
    for label in EVENTS.get(name, []):
        assert any(label in t for t in all_texts), f"{name}: no event label {label!r}"
    for axis in fig.findobj(matplotlib.axis.Axis):
        fmt = axis.get_major_formatter()
        if isinstance(fmt, matplotlib.ticker.ScalarFormatter):
            assert fmt.offset == 0 and "+" not in fmt.get_offset(), f"{name}: offset notation on an axis"
    if len(out.result.spikes) and name not in ("pump-ahp", "hh1952:ap"):
        rasters = gid(fig, "raster")
        assert max(len(r.get_xdata()) for r in rasters) == len(out.result.spikes)


def test_rest_levels_and_pump_share():
    out, fig = outcome("rest"), figure("rest")
    m = out.measures
    for key in ("E_K", "E_Cl", "V_ghk", "V_weighted", "V_rest", "E_Na"):
        assert segment(fig, f"level:{key}")[2] == pytest.approx(m[key])
    assert segment(fig, "level:V_no_pump")[2] == pytest.approx(m["V_rest"] - m["pump_mV"])
    bars = [p.get_width() for p in gid(fig, "currents")]
    assert bars[-1] == pytest.approx(0.0, abs=1e-6 * max(map(abs, bars)))  # the currents balance at rest
    assert any(b == pytest.approx(m["I_pump"], rel=1e-9) for b in bars)
    shares = [p.get_width() for p in gid(fig, "conductance")]  # % of the resting conductance, by ion
    nernst = out.extra["rest"].nernst
    ions = [t.get_text()[2:] for t in gid(fig, "conductance")[0].axes.get_yticklabels()]
    assert sum(shares) == pytest.approx(100.0)
    assert sum(x * nernst[ion] for x, ion in zip(shares, ions, strict=True)) / 100.0 == pytest.approx(
        m["V_weighted"])  # the weights drawn give the conductance-weighted mean the summary prints


def test_electrogenic_jump_in_the_zoom():
    out, fig = outcome("electrogenic"), figure("electrogenic")
    v0, v_fast = segment(fig, "v-block")[2], segment(fig, "v-fast")[2]
    assert v_fast - v0 == pytest.approx(out.measures["jump"], abs=1e-9)
    zoom = gid(fig, "v-fast")[0].axes
    lo, hi = zoom.get_xlim()  # ms after the block
    assert lo < 0.0 < out.marks["fast"] - out.marks["block"] < hi
    x, y = gid(fig, "drift-fit")[0].get_data()  # s
    assert (y[-1] - y[0]) / (x[-1] - x[0]) * 60.0 == pytest.approx(out.measures["drift"], rel=1e-6)


def test_spike_train_recovery_and_ahp():
    out, fig = outcome("spike-train"), figure("spike-train")
    res, t_end = out.result, out.marks["train"][1]
    x, y = gid(fig, "na-fit")[0].get_data()  # s after the train
    na = np.interp(t_end + 1000.0 * x, res.t, res["Na_i"])
    assert np.max(np.abs(y - na)) < 0.05 * out.measures["dNa_i"]  # the fitted exponential follows Na_i
    assert ydata(fig, "ahp-peak")[0] == out.measures["ahp"]
    assert ydata(fig, "ahp-peak")[0] < 0.0


def test_atp_cost_charge_and_payback():
    out, fig = outcome("atp-cost"), figure("atp-cost")
    m = out.measures
    assert ydata(fig, "na-charge")[-1] == pytest.approx(m["na_charge"], rel=1e-6)
    assert ydata(fig, "capacitive_minimum")[0] == m["capacitive_minimum"]
    assert ydata(fig, "atp-spent")[-1] == pytest.approx(m["pump_atp_per_spike"], rel=1e-6)
    burst = [r for r in gid(fig, "raster") if r.axes.get_title() == "the burst (zoomed)"][0]
    lo, hi = burst.axes.get_xlim()
    assert len(burst.get_xdata()) == len(out.result.spikes) and np.all((burst.get_xdata() > lo)
                                                                       & (burst.get_xdata() < hi))


def test_pump_block_first_minute_has_room():
    out, fig = outcome("pump-block"), figure("pump-block")
    answered, failed = gid(fig, "tests-answered"), gid(fig, "tests-failed")
    left = answered[0].axes
    assert left.get_xlim() == (0.0, 60.0) and 0.0 < out.marks["block"] / 1000.0 < 60.0
    whole = answered[1].axes
    assert left.get_position().width > 0.6 * whole.get_position().width  # the first minute has room
    assert whole.get_xlim()[1] == pytest.approx(out.result.t[-1] / 1000.0)
    n_ok = len(answered[1].get_xdata())
    assert n_ok == int(np.sum(out.extra["answered"]))
    assert len(failed[1].get_xdata()) == len(out.extra["tests"]) - n_ok
    first_failed = np.min(failed[0].get_xdata())  # s
    assert first_failed - out.marks["block"] / 1000.0 == pytest.approx(out.measures["t_first_failure"])


def test_ischemia_half_times_and_hyperpolarisation():
    out, fig = outcome("ischemia"), figure("ischemia")
    onset = out.marks["ischemia"][0]
    for key in ("t_atp_flat", "t_atp_half", "t_pcr_half", "t_anoxic_depolarisation"):
        x = gid(fig, key)[0].get_xdata()[0]  # s
        assert x == pytest.approx(onset / 1000.0 + out.measures[key])
    atp0 = np.interp(onset, out.result.t, out.result["ATP_i"])
    assert ydata(fig, "t_atp_half")[0] == pytest.approx(0.5 * atp0)
    v0 = np.interp(onset, out.result.t, out.result["V"])
    assert ydata(fig, "hyperpolarisation")[0] - v0 == pytest.approx(out.measures["hyperpolarisation"])
    failed = gid(fig, "tests-failed")[0].get_xdata()  # s: the test pulses that fired no spike
    assert len(failed) == np.sum(~np.asarray(out.extra["answered"], dtype=bool)) > 0
    assert np.min(failed) == pytest.approx(onset / 1000.0 + out.measures["t_first_failure"])


def test_swelling_volume_then():
    out, fig = outcome("swelling"), figure("swelling")
    x, y = gid(fig, "volume_then")[0].get_data()
    assert y[0] == pytest.approx(out.measures["volume_then"], abs=5e-4)
    assert x[0] * 60000.0 == pytest.approx(out.marks["block"][1], abs=1000.0)


def test_pump_ahp_bars_and_each_trains_clock():
    out, fig = outcome("pump-ahp"), figure("pump-ahp")
    m = out.measures
    heights = [p.get_height() for p in gid(fig, "ahp-bars")]
    keys = ("ahp_long", "ahp_short", "ahp_ouabain", "ahp_zero_k", "ahp_ttx")
    assert heights == [m[k] for k in keys]
    assert len(fig.findobj(lambda a: str(a.get_gid()).startswith("ahp:"))) == 5
    for which in ("short", "long"):  # each AHP on the clock of its own train's end
        x, y = gid(fig, f"ahp:control:{which}")[0].get_data()
        assert x[0] == pytest.approx(0.0, abs=0.01)
        x, y = gid(fig, f"ahp-peak:{which}")[0].get_data()
        assert (x[0], y[0]) == (m[f"ahp_{which}_t_peak"], m[f"ahp_{which}"])
        assert gid(fig, f"ahp-half:{which}")[0].get_xdata()[0] == m[f"ahp_{which}_half"]


def test_hh_ap_width_and_repetitive_bifurcations():
    out, fig = outcome("hh1952:ap"), figure("hh1952:ap")
    x0, x1, _ = segment(fig, "half-width")
    assert x1 - x0 == pytest.approx(out.measures["width"])
    out, fig = outcome("hh1952:repetitive"), figure("hh1952:repetitive")
    for key in ("onset", "hopf"):
        assert gid(fig, key)[0].get_xdata()[0] == out.measures[key]
    assert out.measures["onset"] < out.measures["hopf"]


def test_hh_accumulation_undershoots():
    out, fig = outcome("hh1952:accumulation"), figure("hh1952:accumulation")
    for key in ("undershoot_first", "undershoot_last"):
        assert ydata(fig, key)[0] == pytest.approx(out.measures[key])


@pytest.mark.parametrize("name, key", [("cressman2009:bursting", "burst_period"),
                                       ("wei2014:seizures", "event_period"),
                                       ("wei2014:spreading-depression", "episode_period")])
def test_period_bracket(name, key):
    """The bracket over the periods averaged: its length / their number is the summary's period."""
    out, fig = outcome(name), figure(name)
    x = gid(fig, "period-bracket")[0].get_xdata()  # s
    label = next(t for t in texts(fig) if "period" in t and ", mean" in t)
    n = int(label.split()[0])
    assert (x[-1] - x[0]) / n == pytest.approx(out.measures[key], rel=1e-9)
    assert len(x) == n + 1 or len(x) == 2


def test_buffered_sd_excursion_and_peaks():
    out, fig = outcome("hubel-dahlem2014:buffered-sd"), figure("hubel-dahlem2014:buffered-sd")
    x = gid(fig, "sd-bracket")[0].get_xdata()
    assert x[-1] - x[0] == pytest.approx(out.measures["sd_duration"], abs=1e-6)
    for name in ("K_o", "Na_i"):
        x, y = gid(fig, f"{name}_peak")[0].get_data()
        assert (x[0], y[0]) == pytest.approx((out.measures[f"t_{name}_peak"], out.measures[f"{name}_peak"]))


@pytest.mark.parametrize("name", ["wei2014:spreading-depression", "wei2014:hypoxia"])
def test_first_episode_marked(name):
    out, fig = outcome(name), figure(name)
    t0 = out.marks.get("hypoxia", (0.0, 0.0))[0]
    x, y = gid(fig, "first_episode")[0].get_data()  # s
    assert 1000.0 * x[0] - t0 == pytest.approx(1000.0 * out.measures["first_episode"], abs=0.1)


@pytest.mark.parametrize("name", ["hubel-dahlem2014:interruption", "hubel-dahlem2014:recovery"])
def test_interruption_restart_and_test_pulses(name):
    out, fig = outcome(name), figure(name)
    t_on = out.marks["pump off"][1]
    x, y = gid(fig, "V_restart")[0].get_data()  # s
    assert y[0] == pytest.approx(out.measures["V_restart"], abs=0.05) and 1000.0 * x[0] <= t_on
    assert gid(fig, "V_end")[0].get_ydata()[0] == pytest.approx(out.measures["V_end"], abs=0.05)
    shown = sum(len(a.get_xdata()) for g in ("tests-answered", "tests-failed") for a in gid(fig, g))
    assert shown == len(out.extra["tests"]) > 0


@pytest.mark.parametrize("name", ["kager2000:k-puff", "kager2000:ouabain"])
def test_kager_plateau_and_peak(name):
    out, fig = outcome(name), figure(name)
    assert segment(fig, "V_plateau")[2] == out.measures["V_plateau"]
    x, y = gid(fig, "K_o_peak")[0].get_data()
    assert (x[0], y[0]) == pytest.approx((out.measures["t_K_o_peak"], out.measures["K_o_peak"]))


@pytest.mark.parametrize("name", ["hubel-dahlem2014:interruption", "wei2014:spreading-depression",
                                  "kager2000:k-puff"])
def test_onset_zoom_contains_the_event(name):
    """The right column's zoom of V shows the stop, the first episode or the trigger: V starts at
    rest and ends depolarised inside it, and the zoom shows the whole of its line."""
    fig = figure(name)
    zoom = next(ax for ax in fig.axes if ax.get_title() in ("the first seconds", "the first episode's onset"))
    lo, hi = zoom.get_xlim()
    x, v = zoom.lines[0].get_data()
    assert len(x) > 10 and lo <= x[0] and x[-1] <= hi + 1e-9
    assert v[0] < -50.0 and v[-1] > -40.0


def test_overview_for_a_scenario_without_its_own(tmp_path):
    """The fallback figure: the time courses, marks labelled, no offset notation."""
    out = outcome("electrogenic")
    import matplotlib.pyplot as plt

    from nakpump.figures.style import RC, finish
    with plt.rc_context(RC):
        fig = finish(overview(out))
    fig.canvas.draw()
    assert "nakpump electrogenic" in fig._suptitle.get_text()
    assert any("block" in t for t in texts(fig))
    for axis in fig.findobj(matplotlib.axis.Axis):
        fmt = axis.get_major_formatter()
        if isinstance(fmt, matplotlib.ticker.ScalarFormatter):
            assert fmt.offset == 0
    plt.close(fig)


def test_finish_removes_offset_notation():
    """An axis whose values differ in their fifth digit gets an offset ('+1.399e2') from matplotlib;
    the figures' ``finish`` writes the values in full instead."""
    import matplotlib.pyplot as plt

    from nakpump.figures.style import finish
    fig, ax = plt.subplots()
    ax.plot([0.0, 1.0], [139.9, 139.9001])
    fig.canvas.draw()
    fmt = ax.yaxis.get_major_formatter()
    assert fmt.offset != 0
    finish(fig)
    fig.canvas.draw()
    assert fmt.offset == 0 and fmt.get_offset() == ""
    plt.close(fig)


# ------------------------------------------------------------------ edge cases ----
VARIANTS = {
    "rest without a rest": ("rest", {}, None, {"cell.K_o": 8.0}),
    "hh1952:ap heat block": ("hh1952:ap", {}, None, {"cell.T": 30.0}),
    "hh1952:ap below threshold": ("hh1952:ap", {"amplitude": 2.0}, None, {}),
    "hh1952:repetitive at rest": ("hh1952:repetitive", {"current": 2.0}, None, {}),
    "cressman2009 no bursts": ("cressman2009:bursting", {"k_bath": 4.0}, 20000.0, {}),
    "wei2014:seizures no events": ("wei2014:seizures", {"k_bath": 4.0}, 20000.0, {}),
    "interruption too short": ("hubel-dahlem2014:interruption", {"length": 1000.0}, 30000.0, {}),
    "pump-block half": ("pump-block", {"fraction": 0.3, "washout_at": 40000.0}, 60000.0, {}),
    "spike-train one spike": ("spike-train", {"number": 1}, 5000.0, {}),
    "spike-train 500 ms": ("spike-train", {}, 500.0, {}),
    "cressman2009 500 ms": ("cressman2009:bursting", {}, 500.0, {}),
    "wei2014:spreading-depression 500 ms": ("wei2014:spreading-depression", {}, 500.0, {}),
    "hh1952:accumulation 100 ms": ("hh1952:accumulation", {}, 100.0, {}),
    "pump-block 8 s": ("pump-block", {}, 8000.0, {}),
    "pump-block 1 s, before the block": ("pump-block", {}, 1000.0, {}),
    "ischemia 30 s": ("ischemia", {}, 30000.0, {}),
    "kager2000:k-puff 2 s": ("kager2000:k-puff", {}, 2000.0, {}),
    "electrogenic 2.5 s": ("electrogenic", {}, 2500.0, {}),
    "electrogenic 0.5 s": ("electrogenic", {}, 500.0, {}),
    "atp-cost one spike": ("atp-cost", {"burst": 1}, 5000.0, {}),
}
"""Runs whose summaries lack values (no rest, no spike, no bursts, no depolarisation), and short runs:
their figures must still draw, and still show what the summary says."""


def variant(name):
    if name not in _OUTCOMES:
        from nakpump.cli.commands import with_bath

        scenario, options, duration, values = VARIANTS[name]
        sc = catalog.get(scenario)
        cell = sc.make_cell()
        cell.update(with_bath(cell, values))
        _OUTCOMES[name] = sc.run(cell=cell, options=options, duration=duration)
    if name not in _FIGURES:
        fig = draw(_OUTCOMES[name])
        fig.canvas.draw()
        _FIGURES[name] = fig
    return _OUTCOMES[name], _FIGURES[name]


@pytest.mark.parametrize("name", list(VARIANTS))
def test_figure_without_values_or_on_a_short_run(name):
    """It draws; the title names the scenario; every measure the summary has a value for among those the
    full run's figure must show is on it; spikes drawn; no offset notation."""
    out, fig = variant(name)
    assert f"nakpump {out.scenario.full_name}" in fig._suptitle.get_text()
    shown = [k for k in SHOWN[out.scenario.full_name] if k in out.summary and out.measures[k] is not None]
    missing = [k for k in shown if not shows(fig, out, k)]
    assert not missing, f"{name}: not on the figure: {missing}"
    for axis in fig.findobj(matplotlib.axis.Axis):
        fmt = axis.get_major_formatter()
        if isinstance(fmt, matplotlib.ticker.ScalarFormatter):
            assert fmt.offset == 0
    if len(out.result.spikes) and out.scenario.full_name != "hh1952:ap":
        assert max(len(r.get_xdata()) for r in gid(fig, "raster")) == len(out.result.spikes)


def test_rest_without_a_rest_says_so():
    out, fig = variant("rest without a rest")
    assert out.measures["V_rest"] is None
    all_texts = "\n".join(texts(fig))
    assert "resting potential n/a" in all_texts and "no resting potential" in all_texts
    assert out.summary.measures["V_range"].text() in all_texts
    assert f"spontaneous spikes over the run {out.measures['spikes']}" in all_texts
    assert "oscillates on its own" in all_texts.replace("\n", " ")  # the summary's note


def test_ap_without_a_spike_says_why():
    for name, why in (("hh1952:ap heat block", "heat block"),
                      ("hh1952:ap below threshold", "below threshold")):
        out, fig = variant(name)
        assert out.measures["spikes"] == 0
        all_texts = " ".join(t.replace("\n", " ") for t in texts(fig))
        assert f"highest V (no spike) {out.summary.measures['peak'].text()}" in all_texts
        assert why in all_texts
        assert not fig.findobj(lambda a: a.get_gid() == "half-width")


def test_too_short_a_run_is_refused_or_says_so():
    """atp-cost needs its burst within the run (it used to fail inside); electrogenic's jump is n/a,
    not 0 mV, when the run ends before the block's fast phase, and its figure says so."""
    with pytest.raises(ValueError, match="--duration = 500 ms must reach past the burst's end"):
        catalog.get("atp-cost").run(duration=500.0)
    out, fig = variant("electrogenic 0.5 s")
    assert out.measures["jump"] is None
    all_texts = " ".join(t.replace("\n", " ") for t in texts(fig))
    assert "fast jump n/a" in all_texts and "no jump measured" in all_texts
    assert out.summary.measures["pump_mV"].text() in all_texts


def test_a_stopped_run_gets_the_time_courses_with_the_preset(monkeypatch, tmp_path):
    """Ctrl-C: the command line draws what was computed, titled with the scenario and its preset."""
    from nakpump.cli import commands
    from nakpump.errors import RunInterrupted
    from nakpump.results import plot

    def stop(fraction):
        if fraction > 0.4:
            raise KeyboardInterrupt

    sc = catalog.get("hh1952:accumulation")
    with pytest.raises(RunInterrupted) as stopped:
        sc.run(progress=stop)
    res = stopped.value.result
    drawn = []
    monkeypatch.setattr(plot, "save", lambda fig, path: drawn.append(fig))
    commands._write(res, None, sc, None, tmp_path / "stopped.png", quiet=True)
    fig = drawn[0]
    title = fig._suptitle.get_text()
    assert "hh1952:accumulation" in title and catalog.PRESETS["hh1952"].title in title
    assert f"stopped at {res.t[-1]:g} ms" in title
    assert res.t[-1] < 0.9 * sc.duration
    assert max(len(r.get_xdata()) for r in gid(fig, "raster")) == len(res.spikes) > 0
    import matplotlib.pyplot as plt
    plt.close(fig)


def test_pump_current_and_its_atp_use_share_one_scale():
    """Where the pumps' ATP use is proportional to their current, the ATP axis is the current's axis
    rescaled, so the two cannot disagree."""
    out, fig = outcome("spike-train"), figure("spike-train")
    from nakpump.physics import AVOGADRO
    from nakpump.results.analysis import pump_current

    res = out.result
    secondary = [c for ax in fig.axes for c in ax.child_axes if "ATP use" in c.get_ylabel()]
    assert secondary
    ip, flux = pump_current(res), res["atp_flux"]
    k = len(ip) // 2
    to_atp = secondary[0]._functions[0]
    assert to_atp(ip[k]) == pytest.approx(flux[k] * AVOGADRO * 1e-8, rel=1e-6)
