"""The command line: runs, files, and one-line errors with exit status 2."""

import os
import signal
import subprocess
import sys

import pandas as pd
import pytest

from nakpump import catalog
from nakpump.cli import main

from .helpers import ctrl_c_as_usual


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_scenarios_and_info(capsys):
    code, out, _ = run(capsys, "scenarios")
    assert code == 0 and "pump-block" in out and "atp-cost" in out
    code, out, _ = run(capsys, "info", "rest")
    assert code == 0 and "alpha1.density" in out and "1/um2" in out and "E (mV)" in out
    assert "membrane area 23000 um2" in out and "calibrated, not predicted" in out
    code, out, _ = run(capsys, "info", "rest", "--cell", "pump-leak")
    assert code == 0 and "pump.imax" in out and "uA/cm2" in out


def test_run_writes_csv_and_plot(capsys, tmp_path):
    csv, png = tmp_path / "e.csv", tmp_path / "e.png"
    code, out, err = run(capsys, "run", "electrogenic", "--out", str(csv), "--plot", str(png),
                         "--set", "scenario.block_at=500", "--duration", "3000")
    assert code == 0, err
    assert "electrogenic share" in out
    df = pd.read_csv(csv, comment="#")
    assert df["t_ms"].iloc[-1] == pytest.approx(3000.0) and "I_alpha1_uA_cm2" in df and "V_g_mV" in df
    assert png.stat().st_size > 10000


@pytest.mark.parametrize("argv, words", [
    (["run", "--set", "alpha1.density=-1"],
     "alpha1.density = -1 1/um2 is out of range (allowed 0 to 100000 1/um2)"),
    (["run", "--cell", "pump-leak", "--set", "pump.imax=-1"],
     "pump.imax = -1 uA/cm2 is out of range (allowed 0 to 10000 uA/cm2)"),
    (["run", "--cell", "nosuch"], "cell 'nosuch' for spike-train; allowed: tissue, pump-leak"),
    (["run", "hh1952:ap", "--cell", "tissue"], "--cell applies to the default neuron's scenarios"),
    (["run", "--set", "pump.model=hill"], "pump.model = 'hill' for the neuron in tissue"),
    (["run", "--set", "cell.Na_i=0"], "cell.Na_i = 0 mM is out of range"),
    (["run", "--set", "cell.K_o=inf"], "cell.K_o: 'inf' is not finite"),
    (["run", "--set", "nat.nope=1"], "unknown parameter nat.nope"),
    (["run", "--set", "nope.g=1"], "no mechanism named 'nope'"),
    (["run", "--set", "alpha1.density=abc"], "not a number"),
    (["run", "--set", "scenario.nope=1"], "unknown parameter scenario.nope"),
    (["run", "--duration", "-10"], "--duration = -10 ms is out of range"),
    (["run", "--duration", "1e20"], "--duration = 1e+20 ms is out of range"),
    (["run", "nosuch"], "unknown scenario 'nosuch'"),
    (["run", "--out", "/nonexistent/x.csv"], "does not exist"),
    (["run", "--plot", "x.gif"], "unknown extension"),
])
def test_errors_are_one_line_exit_2(capsys, argv, words):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert words in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_console_script_exit_status_and_no_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "nakpump.cli", "run", "--set", "cell.vol_i=-3"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 2 and "cell.vol_i" in proc.stderr and "Traceback" not in proc.stderr


def test_ctrl_c_writes_what_it_has(tmp_path):
    """Ctrl-C once the run is under way (its first progress line, not a fixed
    wait): exit 130, a one-line message, and the CSV of what was computed."""
    out = tmp_path / "long.csv"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "nakpump.cli", "run", "spike-train", "--duration", "9e7",
                             "--set", "scenario.number=100000", "--set", "scenario.frequency=20",
                             "--out", str(out)], stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            cwd=tmp_path, env=env, preexec_fn=ctrl_c_as_usual)
    first = proc.stderr.readline()
    while first and "s model time" not in first:  # the notice that the cell is being built, if slow
        first = proc.stderr.readline()
    assert "s model time" in first, first
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr
    reached = float(stderr.split("interrupted at t = ")[1].split(" ms")[0])
    df = pd.read_csv(out, comment="#")  # every sample up to where the run stopped (samples every 450 ms)
    assert len(df) >= 2 and reached - 450.0 <= df["t_ms"].iloc[-1] <= reached


def test_changed_parameters_give_a_real_rest(capsys):
    assert run(capsys, "run", "rest", "--cell", "pump-leak", "--set", "pump.imax=12")[0] == 0
    sc = catalog.get("rest")
    faster = sc.run(cell=sc.make_cell(cell="pump-leak").with_params({"pump.imax": 12.0})).measures
    assert faster["V_rest"] < -70.5 and faster["settled_s"] > 0  # a faster pump hyperpolarises
    more = sc.run(cell=sc.make_cell().with_params({"alpha1.density": 1500.0})).measures
    assert more["V_rest"] < -70.5 and more["settled_s"] > 0
    assert run(capsys, "run", "rest", "--set", "cell.K_o=5")[0] == 0
    from nakpump.cli.commands import with_bath
    cell = sc.make_cell()
    bath5 = sc.run(cell=cell.with_params(with_bath(cell, {"cell.K_o": 5.0})))
    assert bath5.measures["settled_s"] > 0 and abs(bath5.result["K_o"][-1] - 5.0) < 0.05  # the bath is 5 mM
    code, out, err = run(capsys, "run", "rest", "--set", "cell.K_o=8")  # this cell oscillates at 8 mM
    assert code == 0 and "oscillates on its own" in out and "settled" not in out


def test_short_runs_and_upper_case_extensions(capsys, tmp_path):
    code, out, err = run(capsys, "run", "pump-block", "--duration", "1000", "--out", str(tmp_path / "x.CSV"))
    assert code == 0, err
    assert (tmp_path / "x.CSV").exists()
    code, out, err = run(capsys, "run", "spike-train", "--duration", "500")
    assert code == 0, err and "ends before the train" in out
    code, out, err = run(capsys, "run", "--rtol", "abc")
    assert code == 2 and "--rtol: 'abc' is not a number" in err


def test_pump_curves_and_ledger_commands(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "pump-curves", "--list")
    assert code == 0 and out.split() == ["hill", "sigmoid", "luo-rudy", "post-albers"]
    code, out, err = run(capsys, "pump-curves", "post-albers")
    assert code == 0, err
    assert (tmp_path / "pump-curves-post-albers.png").stat().st_size > 20000
    code, out, err = run(capsys, "pump-curves", "nope")
    assert code == 2 and "allowed: hill, sigmoid" in err
    code, out, err = run(capsys, "ledger", "electrogenic", "--duration", "3000", "--out", "l.csv")
    assert code == 0, err
    assert "residual inside" in out and (tmp_path / "l.csv").exists()
    code, out, err = run(capsys, "run", "rest", "--set", "pump.model=post-albers")
    assert code == 0, err and "resting potential" in out


def test_a_solver_failure_writes_what_was_computed(capsys, tmp_path, monkeypatch):
    """The solver gives up (here: a budget of steps per stretch far too small): exit 1, one
    line naming the time and the files, and the partial run written whole."""
    import functools

    import nakpump as nk
    import nakpump.catalog.scenario as scenario_module

    monkeypatch.setattr(scenario_module, "_solve", functools.partial(scenario_module._solve, max_steps=20))
    out, plot = tmp_path / "part.nc", tmp_path / "part.png"
    code, _, err = run(capsys, "run", "spike-train", "--out", str(out), "--plot", str(plot), "--quiet")
    assert code == 1 and "solver stopped at t = " in err and str(out) in err and "Traceback" not in err
    reached = float(err.split("solver stopped at t = ")[1].split(" ms")[0])
    part = nk.load_result(out)
    assert 0 < part.t[-1] <= reached and part.meta["scenario"] == "spike-train"
    assert plot.exists() and not list(tmp_path.glob("*.part*"))


def test_warm_compiles_every_shipped_cell_and_preset(capsys):
    code, out, _ = run(capsys, "warm")
    assert code == 0
    for name in ("tissue", "pump-leak", *catalog.PRESETS):
        assert any(line.split()[0] == name and line.split()[2] == "s" and "Jacobian" in line
                   for line in out.splitlines()), name
    assert any(line.startswith("Numba driver") for line in out.splitlines())
    assert "cached in" in out
