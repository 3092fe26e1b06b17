"""Result names, units, and files (CSV with units in column names, NetCDF)."""

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import nakpump as nk


@pytest.fixture(scope="module")
def res(default_system):
    return nk.simulate(default_system, nk.Protocol([nk.Pulse(5, 1, 40)]), duration=50, dt=0.1)


def test_names_follow_design(res):
    for name in ("t", "V", "Na_i", "K_i", "Cl_i", "Na_o", "K_o", "Cl_o", "E_Na", "E_K", "E_Cl",
                 "I_pump", "I_pump_Na", "I_pump_K", "I_nat_Na", "I_kdr_K", "atp_rate", "atp_flux", "I_stim"):
        assert name in res, name
    assert res.units["V"] == "mV" and res.units["I_pump"] == "uA/cm2" and res.units["atp_rate"] == "mM/s"
    with pytest.raises(KeyError, match="no quantity"):
        res["nope"]


def test_csv_has_units_in_columns(res, tmp_path):
    path = res.to_csv(tmp_path / "run.csv")
    df = pd.read_csv(path, comment="#")
    for col in ("t_ms", "V_mV", "Na_i_mM", "K_i_mM", "Na_o_mM", "K_o_mM", "Cl_i_mM", "I_pump_uA_cm2",
                "E_K_mV", "atp_rate_mM_s"):
        assert col in df.columns, col
    np.testing.assert_allclose(df["V_mV"], res["V"], rtol=1e-9)


def test_netcdf_round_trip(res, tmp_path):
    path = res.save(tmp_path / "run.nc")
    ds = xr.open_dataset(path)
    assert ds["V"].attrs["units"] == "mV" and ds["t"].attrs["units"] == "ms"
    np.testing.assert_allclose(ds["Na_i"].values, res["Na_i"])
    np.testing.assert_allclose(ds["spike_times"].values, res.spikes)
    ds.close()


def test_dataframe_and_bad_extension(res, tmp_path):
    df = res.to_dataframe()
    assert df.index.name == "t" and df.attrs["units"]["K_o"] == "mM"
    with pytest.raises(ValueError, match="allowed .csv, .nc"):
        res.save(tmp_path / "x.txt")


def test_interrupt_returns_what_was_computed(default_system):
    calls = []

    def stop(fraction):
        calls.append(fraction)
        if fraction > 0.3:
            raise KeyboardInterrupt

    res = nk.simulate(default_system, duration=10000.0, dt=10.0, progress=stop)
    assert res.interrupted and 0.3 < res.t[-1] / 10000.0 < 0.5
    assert np.all(np.isfinite(res["V"]))


def test_a_result_read_back_from_netcdf_keeps_its_ledger_and_invariants(tmp_path):
    """A Result is self-contained: saved and loaded, it gives the same ledger
    and conservation as the live run (no System, no Protocol needed), here
    with the electrode, a pump block and a concentration change."""
    from nakpump.results.ledger import residuals

    protocol = nk.Protocol([nk.PulseTrain(50.0, 5, 20.0, 1.0, 40.0), nk.Block("pump", 1.0, 300.0),
                            nk.SetConcentration(400.0, "K_o", 6.0)])
    res = nk.simulate(nk.pump_leak_cell(energy=True, volume=True, chloride="kcc2"), protocol,
                      duration=1000.0, dt=1.0)
    back = nk.load_result(res.save(tmp_path / "run.nc"))
    assert back.names == res.names and back.meta["nakpump_version"] == nk.__version__
    np.testing.assert_array_equal(back.Y, res.Y)
    np.testing.assert_array_equal(back.spikes, res.spikes)
    pd.testing.assert_frame_equal(back.ledger(), res.ledger())
    frame = back.ledger()
    largest = frame.loc[frame["item"].str.endswith("at start"), "amol"].abs().max()
    assert np.max(np.abs(residuals(frame))) < 1e-12 * largest
    for key, values in back.conservation().items():
        np.testing.assert_allclose(values, res.conservation()[key], rtol=0, atol=0)
        assert np.ptp(values) <= 1e-12 * np.max(np.abs(values)), key
    assert back.param("pump.imax") == res.param("pump.imax")
    assert back.mechanisms["pump"]["tags"] == ["na_k_pump"] and "source" in back.mechanisms["kcc2"]
