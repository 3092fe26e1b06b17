"""Protocols: edges, injected charge, and one-line errors for bad input."""

import numpy as np
import pytest

import nakpump as nk


def test_edges_and_current():
    p = nk.Protocol([nk.Pulse(10, 2, 5), nk.PulseTrain(100, 3, 10, 1, 2), nk.Step(500, 1, stop=600),
                     nk.Block("pump", 1, 50)])
    edges = p.edges(1000)
    for t in (0, 10, 12, 50, 100, 101, 200, 201, 300, 301, 500, 600, 1000):
        assert t in edges
    assert p.current_at(10) == 5 and p.current_at(12) == 0 and p.current_at(550) == 1
    q = p.injected_charge(np.array([0.0, 11.0, 1000.0]))
    np.testing.assert_allclose(q, [0.0, 5.0, 10.0 + 3 * 2.0 + 100.0])


@pytest.mark.parametrize("make, words", [
    (lambda: nk.Pulse(-1, 1, 1), "pulse start"),
    (lambda: nk.Pulse(1, 0, 1), "pulse duration"),
    (lambda: nk.Pulse(1, 1, float("nan")), "pulse amplitude"),
    (lambda: nk.Pulse(1, 1, 1e9), "pulse amplitude"),
    (lambda: nk.PulseTrain(0, 0, 10, 1, 1), "train number"),
    (lambda: nk.PulseTrain(0, 5, 10, 200, 1), "train pulse duration"),
    (lambda: nk.PulseTrain(0, 5, -1, 1, 1), "train frequency"),
    (lambda: nk.Step(10, 1, stop=5), "step stop"),
    (lambda: nk.SetConcentration(0, "K_i", 5), "K_i"),
    (lambda: nk.SetConcentration(0, "K_o", 0), "K_o"),
    (lambda: nk.Pulse(float("inf"), 1, 1), "pulse start"),
])
def test_bad_events_raise_one_line_errors(make, words):
    with pytest.raises(ValueError) as err:
        make()
    assert words in str(err.value) and "\n" not in str(err.value)
    assert "allowed" in str(err.value) or "not one of" in str(err.value) or "must be" in str(err.value)


@pytest.mark.parametrize("kwargs, words", [
    (dict(duration=-1), "duration"), (dict(duration=0), "duration"), (dict(duration=1e12), "duration"),
    (dict(duration=10, dt=20), "dt"), (dict(duration=1e7, dt=1e-3), "dt"),
])
def test_bad_run_settings(default_system, kwargs, words):
    with pytest.raises(ValueError, match=words):
        nk.simulate(default_system, **kwargs)


def test_unknown_parameter_in_protocol(default_system):
    with pytest.raises(ValueError, match="unknown parameter pump.nope"):
        nk.simulate(default_system, nk.Protocol([nk.SetParameter(1, "pump.nope", 1)]), duration=5)
    with pytest.raises(ValueError, match="pump.block = 2 .* out of range"):
        nk.simulate(default_system, nk.Protocol([nk.Block("pump", 2, 1)]), duration=5)


def test_ttx_tea_and_bath_change(default_system):
    pr = nk.Protocol([nk.Block("nat", 1.0, 50), nk.Pulse(100, 1, 40), nk.Pulse(10, 1, 40)])
    res = nk.simulate(default_system, pr, duration=200, dt=0.05)
    assert len(res.spikes) == 1 and res.spikes[0] < 50  # TTX stops the second spike
    pr = nk.Protocol([nk.SetConcentration(100, "K_o", 10.0)])
    res = nk.simulate(default_system, pr, duration=300, dt=1)
    assert res["K_o"][99] == pytest.approx(4.0) and res["K_o"][101] == pytest.approx(10.0, abs=0.01)
    assert res["V"][-1] > res["V"][0] + 5  # raised K_o depolarises


def test_cell_parameter_errors():
    cell = nk.pump_leak_cell()
    for bad, words in ((dict(K_o=-1), "cell.K_o"), (dict(vol_i=0), "cell.vol_i"),
                       (dict(T=float("nan")), "cell.T"), (dict(nope=1), "unknown parameter cell.nope")):
        with pytest.raises(ValueError, match=words):
            cell.copy().set(**bad)
    with pytest.raises(ValueError, match="unknown parameter pump.imx"):
        cell.with_params({"pump.imx": 1})
    with pytest.raises(ValueError, match="must look like"):
        cell.with_params({"imax": 1})


@pytest.mark.parametrize("duration, dt", [(0.3, None), (1.2, 0.1), (2.3, 0.1), (1000.3, 0.1)])
def test_output_grid_ends_at_duration(default_system, duration, dt):
    res = nk.simulate(default_system, duration=duration, dt=dt)
    assert res.t[-1] == pytest.approx(duration) and np.all(np.isfinite(res["V"]))


def test_near_coincident_edges_do_not_stop_the_solver(default_system):
    pr = nk.Protocol([nk.Pulse(0.1, 0.2, 1.0), nk.Block("pump", 0.5, 0.3), nk.Pulse(1000.1, 0.2, 1.0),
                      nk.Block("pump", 0.0, 1000.3)])
    res = nk.simulate(default_system, pr, duration=1001.0, dt=0.1)
    assert res.t[-1] == pytest.approx(1001.0)


def test_only_temperature_of_the_cell_changes_during_a_run(default_system):
    with pytest.raises(ValueError, match="cannot change during a run"):
        nk.simulate(default_system, nk.Protocol([nk.SetParameter(1.0, "cell.Cm", 2.0)]), duration=5)
    with pytest.raises(ValueError, match="cell.T = -500"):
        nk.simulate(default_system, nk.Protocol([nk.SetParameter(1.0, "cell.T", -500)]), duration=5)
    with pytest.raises(ValueError, match="pump.block = 3"):
        nk.simulate(default_system, nk.Protocol([nk.Block("pump", 3, 50)]), duration=5)
    res = nk.simulate(default_system, [nk.SetParameter(1.0, "cell.T", 30.0)], duration=5)
    assert res.t[-1] == 5.0
