"""``nakpump sweep``: the grid, the files, the figure, and one-line errors with exit status 2."""

import numpy as np
import pytest
import xarray as xr

from nakpump.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_sweep_writes_the_dataset_and_the_figure(capsys, tmp_path):
    out, plot = tmp_path / "rest.nc", tmp_path / "rest.png"
    code, text, err = run(capsys, "sweep", "rest", "--cell", "pump-leak", "--grid", "cell.bath=1",
                          "--grid", "cell.K_o=3:6:2", "--measure", "E_K", "--scheduler", "inline",
                          "--out", str(out), "--plot", str(plot))
    assert code == 0, err
    assert "2 of 2 points" in err and f"wrote {out}" in text
    ds = xr.open_dataset(out)
    assert ds["E_K"].dims == ("cell.bath", "cell.K_o") and ds["E_K"].attrs["units"] == "mV"
    np.testing.assert_array_equal(ds["cell.K_o"], [3.0, 6.0])
    # Nernst: RT/F = 26.73 mV at 37 degC (REFERENCES.md section 1), so doubling K_o adds 26.7 ln 2 mV
    # to E_K; 5 %: K_i too settles a little differently in each bath
    assert ds["E_K"].values[0, 1] - ds["E_K"].values[0, 0] == pytest.approx(26.7 * np.log(2.0), rel=0.05)
    assert plot.stat().st_size > 10_000


@pytest.mark.parametrize("argv, message", [
    (["--grid", "cell.K_o"], "--grid 'cell.K_o': expected"),
    (["--grid", "K_o=1:2:3"], "OWNER.PARAMETER"),
    (["--grid", "cell.K_o=1:2"], "START:STOP:N"),
    (["--grid", "cell.K_o=1:2:0"], "N = 0 is out of range"),
    (["--grid", "cell.K_o=1:x:3"], "stop: 'x' is not a number"),
    (["--grid", "cell.K_o=1,2", "--grid", "cell.K_o=3:4:2"], "given twice"),
    (["--grid", "cell.no_such=1,2"], "no_such"),
    (["--grid", "cell.K_o=1,2", "--out", "map.csv"], "unknown extension"),
    (["--grid", "cell.K_o=1,2", "--workers", "0"], "--workers 0"),
    ([], "--grid: give at least one"),
])
def test_bad_sweeps_exit_2_with_one_line(capsys, argv, message):
    code, _, err = run(capsys, "sweep", "rest", "--cell", "pump-leak", "--scheduler", "inline", *argv)
    assert code == 2
    assert message in err and len(err.strip().splitlines()) <= 2 and "Traceback" not in err


def test_an_unknown_measure_is_named(capsys):
    code, _, err = run(capsys, "sweep", "rest", "--cell", "pump-leak", "--grid", "cell.bath=1",
                       "--grid", "cell.K_o=4", "--measure", "no_such", "--scheduler", "inline")
    assert code == 2 and "--measure no_such" in err
