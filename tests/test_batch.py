"""Populations (``nk.simulate_batch``): a batch of N cells is N single-cell
runs (spike times, recorded traces), with heterogeneous parameters and
protocols, a cell that fails on its own, conservation per cell, and the same
numbers on one thread or several, in any lane of the population's driver,
with one lane or four, and when a cell's events overflow their room."""

import numpy as np
import pytest

import nakpump as nk

TRAIN = nk.Protocol([nk.PulseTrain(50.0, 5, 20.0, 2.0, 20.0)])
DURATION = 400.0


@pytest.fixture(scope="module")
def imax(default_system):
    return default_system.cell["pump.imax"] * np.array([0.5, 1.0, 1.5, 3.0])


@pytest.fixture(scope="module")
def batch(default_system, imax):
    return nk.simulate_batch(default_system, TRAIN, params={"pump.imax": imax}, duration=DURATION, dt=0.5,
                             record=("V", "Na_i"), threads=2)


def _single(system, imax_value, protocol=TRAIN, **overrides):
    cell = system.cell.with_params({"pump.imax": imax_value, **overrides})
    return nk.simulate(nk.compile_cell(cell), protocol, duration=DURATION, dt=0.5)


def test_batch_equals_single_runs(default_system, batch, imax):
    """Each cell of the batch is the single-cell run with its parameters (the same driver and
    the same start: equal to round-off)."""
    assert batch.sizes["cell"] == 4 and batch.sizes["time"] == int(DURATION / 0.5) + 1
    np.testing.assert_array_equal(batch["pump.imax"].values, imax)
    assert (batch.error == "").all()
    for i, x in enumerate(imax):
        one = _single(default_system, x)
        assert int(batch.spike_count[i]) == len(one.spikes) == 5
        np.testing.assert_allclose(batch.spike_times[i, :5], one.spikes, rtol=0, atol=1e-9)
        np.testing.assert_allclose(batch.V[i], one["V"], rtol=0, atol=1e-9)
        np.testing.assert_allclose(batch.Na_i[i], one["Na_i"], rtol=1e-12)
        np.testing.assert_allclose(batch.final[i], one.Y[-1], rtol=1e-12, atol=1e-15)
    # the pump density matters: more pump, lower Na_i at the end
    assert np.all(np.diff(batch.Na_i[:, -1].values) < 0)


def test_each_cell_conserves_its_ions(default_system, batch):
    y0 = default_system.y0
    q = TRAIN.injected_charge(np.array([0.0, DURATION]))
    start = default_system.invariants(y0[None, :], q[:1])
    for i in range(batch.sizes["cell"]):
        end = default_system.invariants(batch.final[i].values[None, :], q[1:])
        for key in ("total_Na", "total_K", "total_Cl"):
            assert end[key][0] == pytest.approx(start[key][0], rel=1e-11), (i, key)


def test_protocols_may_differ_per_cell(default_system):
    amplitudes = [5.0, 20.0, 40.0]
    protocols = [nk.Protocol([nk.PulseTrain(50.0, 3, 20.0, 2.0, a)]) for a in amplitudes]
    ds = nk.simulate_batch(default_system, protocols, duration=DURATION, dt=1.0, record=("V",))
    for i, (p, a) in enumerate(zip(protocols, amplitudes, strict=True)):
        one = nk.simulate(default_system, p, duration=DURATION, dt=1.0)
        assert int(ds.spike_count[i]) == len(one.spikes), a
        np.testing.assert_allclose(ds.V[i], one["V"], rtol=0, atol=1e-9)
    assert int(ds.spike_count[0]) == 0 < int(ds.spike_count[1])


def test_a_parameter_that_sets_the_initial_state(default_system):
    """Bath K+ sets the outside's initial amount too: each cell starts from its own state."""
    k_o = np.array([3.0, 6.0])
    ds = nk.simulate_batch(default_system, TRAIN, params={"cell.K_o": k_o}, duration=DURATION, dt=1.0,
                           record=("K_o", "V"))
    for i, x in enumerate(k_o):
        one = nk.simulate(nk.compile_cell(default_system.cell.with_params({"cell.K_o": x})), TRAIN,
                          duration=DURATION, dt=1.0)
        np.testing.assert_allclose(ds.K_o[i], one["K_o"], rtol=1e-12)
        np.testing.assert_allclose(ds.V[i], one["V"], rtol=0, atol=1e-9)


def test_a_bad_cell_fails_alone(default_system, imax):
    """A value out of range in one cell: that cell's error names the parameter and its range;
    the others run."""
    values = np.array([imax[1], -1.0, imax[2]])
    ds = nk.simulate_batch(default_system, TRAIN, params={"pump.imax": values}, duration=DURATION, dt=1.0)
    assert ds.error[0] == "" and ds.error[2] == ""
    assert "pump.imax" in str(ds.error[1].values) and "range" in str(ds.error[1].values)
    assert np.isnan(ds.V[1]).all() and int(ds.spike_count[1]) == 0
    assert int(ds.spike_count[0]) == int(ds.spike_count[2]) == 5


def test_a_cells_lane_and_neighbours_do_not_matter(default_system, imax, batch):
    """Four lanes per vector step: a cell gives the same numbers to the last bit whichever lane it
    runs in and whatever its neighbours do (here: the same cells in reverse order, and each
    alone)."""
    reverse = nk.simulate_batch(default_system, TRAIN, params={"pump.imax": imax[::-1]}, duration=DURATION,
                                dt=0.5, record=("V", "Na_i"))
    for name in ("V", "Na_i", "spike_times", "final", "steps"):
        np.testing.assert_array_equal(reverse[name].values[::-1], batch[name].values)
    alone = nk.simulate_batch(default_system, TRAIN, params={"pump.imax": imax[2:3]}, duration=DURATION,
                              dt=0.5, record=("V",))
    np.testing.assert_array_equal(alone.V.values[0], batch.V.values[2])


def test_a_block_of_mixed_cells_shares_vector_steps_without_mixing(default_system):
    """Nine cells in one block (one call of the population's driver, four lanes): quiet cells, cells
    that fire once per pulse and ones whose stronger pulses come at other times finish at other
    times, hand their lanes to the next, and each still equals its own run alone, to round-off."""
    amplitudes = [0.0, 5.0, 20.0, 40.0, 20.0, 0.0, 40.0, 10.0, 30.0]
    protocols = [nk.Protocol([nk.PulseTrain(30.0 + 7.0 * k, 4, 25.0, 2.0, a)])
                 for k, a in enumerate(amplitudes)]
    imax = default_system.cell["pump.imax"] * np.linspace(0.6, 1.4, 9)
    ds = nk.simulate_batch(default_system, protocols, params={"pump.imax": imax}, duration=DURATION, dt=0.5,
                           record=("V",), threads=1)
    counts = ds.spike_count.values
    assert counts.min() == 0 and counts.max() >= 4
    for k in range(9):
        alone = nk.simulate_batch(default_system, protocols[k], params={"pump.imax": imax[k:k + 1]},
                                  duration=DURATION, dt=0.5, record=("V",))
        np.testing.assert_array_equal(alone.V.values[0], ds.V.values[k])
        one = nk.simulate(nk.compile_cell(default_system.cell.with_params({"pump.imax": imax[k]})),
                          protocols[k], duration=DURATION, dt=0.5)
        assert counts[k] == len(one.spikes)
        np.testing.assert_allclose(ds.spike_times.values[k, :counts[k]], one.spikes, rtol=0, atol=1e-9)
        np.testing.assert_allclose(ds.V.values[k], one["V"], rtol=0, atol=1e-9)


def test_one_lane_is_the_single_cell_driver_to_the_last_bit(default_system, imax, batch, monkeypatch):
    """Where the machine has no AVX2 or no glibc vector functions, the population's driver runs one
    lane around the scalar step: then each cell is its single-cell run to the last bit (the same
    algorithm and the same arithmetic); with four lanes (libmvec's exp/log/pow, within 4 ulp)
    within round-off."""
    from nakpump.compile import llvm_backend
    from nakpump.compile import system as system_module

    monkeypatch.setattr(llvm_backend, "vector_functions", lambda lanes: {})
    monkeypatch.setattr(system_module, "_LANES", {})
    assert default_system.lanes().lanes == 1
    one_lane = nk.simulate_batch(default_system, TRAIN, params={"pump.imax": imax}, duration=DURATION, dt=0.5,
                                 record=("V", "Na_i"))
    for i, x in enumerate(imax):
        one = _single(default_system, x)
        np.testing.assert_array_equal(one_lane.spike_times.values[i, :5], one.spikes)
        np.testing.assert_array_equal(one_lane.V.values[i], one["V"])
        np.testing.assert_array_equal(one_lane.final.values[i], one.Y[-1])
    np.testing.assert_allclose(one_lane.spike_times.values, batch.spike_times.values, rtol=0, atol=1e-9)


def test_a_cell_whose_events_overflow_runs_again_alone(default_system, imax, batch, monkeypatch):
    """A cell's spikes beyond the room its block gives send it through the single-cell driver,
    which makes room as it goes: nothing is lost (here room for 3 spikes, 5 fired)."""
    from nakpump.solve import batch as batch_module

    monkeypatch.setattr(batch_module, "EVENT_ROOM", (3, 0.0))
    ds = nk.simulate_batch(default_system, TRAIN, params={"pump.imax": imax}, duration=DURATION, dt=0.5,
                           record=("V",))
    assert (ds.error == "").all() and (ds.spike_count == 5).all()
    np.testing.assert_allclose(ds.spike_times.values, batch.spike_times.values, rtol=0, atol=1e-9)
    np.testing.assert_allclose(ds.V.values, batch.V.values, rtol=0, atol=1e-9)


def test_one_thread_or_two_give_the_same_numbers(default_system, imax, batch):
    one = nk.simulate_batch(default_system, TRAIN, params={"pump.imax": imax}, duration=DURATION, dt=0.5,
                            record=("V", "Na_i"), threads=1)
    for name in ("V", "Na_i", "spike_times", "final", "steps"):
        np.testing.assert_array_equal(one[name].values, batch[name].values)


@pytest.mark.parametrize("kwargs, message", [
    ({"params": {"pump.nope": [1.0, 2.0]}}, "nope"),
    ({"params": {"pump.imax": [1.0, 2.0], "cell.T": [30.0, 31.0, 32.0]}}, "cell.T.*3 values"),
    ({"params": {"pump.imax": [1.0, 2.0]}, "n": 3}, "ambiguous"),
    ({"record": ("Na_x",)}, "record"),
    ({"duration": -5.0}, "duration"),
    ({"threads": 0}, "threads"),
])
def test_bad_requests_name_the_field(default_system, kwargs, message):
    args = {"duration": 100.0, **kwargs}
    with pytest.raises(ValueError, match=message):
        nk.simulate_batch(default_system, TRAIN, **args)
