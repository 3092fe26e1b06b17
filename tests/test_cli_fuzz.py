"""Fuzzing the command line (hypothesis): whatever is typed, no traceback,
a one-line error with exit status 2 before anything is built, no option
silently overriding another, no NaN in a summary; and Ctrl-C at any moment
loses no file (what was computed is written whole, nothing half-written is
left, a file already there is kept unless replaced whole).
"""

import contextlib
import io
import os
import signal
import subprocess
import sys
import time

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from nakpump import catalog
from nakpump.cli import main

from .helpers import ctrl_c_as_usual

TISSUE = catalog.get("rest").make_cell(calibrate=False)
RANGES = {name: (p.lo, p.hi) for name, p, _ in TISSUE.parameters()}
NAMES = sorted(RANGES)
SCENARIOS = sorted(catalog.SCENARIOS) + [f"{p}:{s}" for p, pre in catalog.PRESETS.items()
                                         for s in pre.scenarios]

junk_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
number_text = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-10**6, 10**6).map(str),
    st.sampled_from(["nan", "inf", "-inf", "1e999", "-0", "0", "", " ", "abc", "1,5", "0x10", "1e-320"]),
)
set_name = st.one_of(st.sampled_from(NAMES), st.sampled_from([
    "scenario.frequency", "scenario.number", "scenario.amplitude", "scenario.nope", "cell.nope",
    "nope.density", "alpha1.", ".K_o", "K_o", "pump.model", "cell.electrode_ion"]), junk_text)
set_value = st.one_of(number_text, st.sampled_from(["hill", "post-albers", "isoforms", "nope"]), junk_text)
bad_item = st.one_of(st.tuples(set_name, set_value).map(lambda nv: f"{nv[0]}={nv[1]}"), junk_text)
good_item = st.sampled_from(NAMES).flatmap(
    lambda name: st.floats(*RANGES[name]).map(lambda x, name=name: f"{name}={x!r}"))
set_item = st.one_of(good_item, good_item, good_item, bad_item)
bad_path = st.sampled_from(["x.txt", "x", "DIR", "DIR/", "nodir/x.csv", "/proc/x.csv", ""])
out_path = st.one_of(st.sampled_from(["x.csv", "x.nc", "x.CSV"]), bad_path)
plot_path = st.one_of(st.sampled_from(["x.png", "x.svg", "x.pdf"]), bad_path)
good_number = st.floats(1.0, 1e6).map(repr)


@st.composite
def argv_strategy(draw):
    argv = [draw(st.sampled_from(["run", "ledger"]))]
    if draw(st.booleans()):
        argv.append(draw(st.one_of(st.sampled_from(SCENARIOS), st.sampled_from(SCENARIOS), junk_text)))
    for item in draw(st.lists(set_item, max_size=4)):
        argv += ["--set", item]
    for option, values in (("--duration", st.one_of(good_number, good_number, number_text)),
                           ("--out", out_path), ("--plot", plot_path),
                           ("--rtol", st.one_of(st.floats(1e-12, 0.1).map(repr), number_text)),
                           ("--cell", st.sampled_from(["tissue", "pump-leak", "tissue", "x"]))):
        if argv[0] == "ledger" and option in ("--plot", "--rtol"):
            continue
        for _ in range(draw(st.sampled_from([0] * 5 + [1] * 6 + [2]))):  # now and then twice
            argv += [option, draw(values)]
    if draw(st.integers(0, 19)) == 0:
        argv.append(draw(st.sampled_from(["--bogus", "-x", "--quiet", "--help"])))
    return argv


class Reached(BaseException):
    """Raised where the heavy work would start: everything typed was accepted."""


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(argv=argv_strategy())
def test_every_input_is_accepted_or_refused_in_one_line(argv, tmp_path_factory):
    where = tmp_path_factory.mktemp("fuzz")
    (where / "DIR").mkdir()
    local = ("x.csv", "x.nc", "x.CSV", "x.txt", "x", "x.png", "x.svg", "x.pdf")
    argv = [a.replace("DIR", str(where / "DIR")) if a.startswith("DIR") else
            (str(where / a) if a in local else a) for a in argv]
    seen = {}

    def reached(sc, values, model, cell_kind, quiet):
        seen.update(values=values)
        raise Reached

    err, out = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        mp.setattr("nakpump.cli.commands._build", reached)
        try:
            code = main(argv)
        except Reached:
            code = None
    err = err.getvalue()
    last = err.strip().splitlines()[-1][:38] if err.strip() else ""
    event("accepted" if code is None else f"exit {code}: {last}")
    assert "Traceback" not in err and "internal error" not in err, (argv, err)
    if code is None:  # accepted: every check passed; nothing overridden, every value in range
        for option in ("--out", "--plot", "--duration", "--rtol", "--cell"):
            assert argv.count(option) <= 1, argv
        items = [a for a, prev in zip(argv[1:], argv[:-1], strict=True) if prev == "--set"]
        names = [a.split("=", 1)[0].strip() for a in items]
        assert len(names) == len(set(names)), argv
        for name, x in seen["values"].items():
            if name in RANGES and isinstance(x, float):
                lo, hi = RANGES[name]
                assert lo <= x <= hi, (name, x)
        given_values = {a.split("=", 1)[0].strip(): a.split("=", 1)[1].strip()
                        for a, prev in zip(argv[1:], argv[:-1], strict=True) if prev == "--set"}
        for name, text in given_values.items():
            if name in seen["values"] and name != "cell.electrode_ion":
                assert seen["values"][name] == float(text), (name, text)
    elif code == 0:
        assert "--help" in argv, argv
    else:
        assert code == 2, (argv, code, err)
        lines = [line for line in err.splitlines() if line.strip()]
        assert lines and not lines[-1].startswith(" "), err
        assert lines[-1].startswith(("nakpump: error:", "nakpump run: error:", "nakpump ledger: error:")), err
    assert not list(where.rglob("*.part")) and not (where / "x.csv").exists()  # refused: nothing written


short_runs = st.fixed_dictionaries({
    "scenario": st.sampled_from(["rest", "spike-train", "electrogenic", "pump-block"]),
    "cell": st.sampled_from(["tissue", "pump-leak"]),
    "duration": st.floats(50.0, 1500.0),
    "K_o": st.one_of(st.none(), st.floats(2.0, 12.0)),
    "T": st.one_of(st.none(), st.floats(25.0, 40.0)),
    "block": st.one_of(st.none(), st.sampled_from(["nat.block", "kdr.block"]).flatmap(
        lambda name: st.floats(0.0, 1.0).map(lambda x: (name, x)))),
})


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(run=short_runs)
def test_runs_with_varied_settings_give_numbers_not_nan(run, tmp_path_factory):
    where = tmp_path_factory.mktemp("runs")
    argv = ["run", run["scenario"], "--cell", run["cell"], "--duration", repr(run["duration"]),
            "--out", str(where / "r.csv"), "--quiet"]
    if run["K_o"] is not None:
        argv += ["--set", f"cell.K_o={run['K_o']!r}"]
    if run["T"] is not None:
        argv += ["--set", f"cell.T={run['T']!r}"]
    if run["block"] is not None and run["cell"] == "tissue":
        argv += ["--set", f"{run['block'][0]}={run['block'][1]!r}"]
    err, out = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        code = main(argv)
    assert code in (0, 1), (argv, err.getvalue())
    assert "Traceback" not in err.getvalue()
    assert "nan" not in out.getvalue().lower().replace("nanmol", ""), (argv, out.getvalue())
    assert (where / "r.csv").exists()  # whole, or (exit 1) what was computed before the solver failed


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          phases=[Phase.generate], database=None)  # timing varies: a failure is reported, not shrunk
@given(delay=st.floats(0.5, 8.0))
def test_ctrl_c_at_any_moment_loses_nothing(delay, tmp_path_factory):
    """SIGINT at a random moment of a ~6 s run (importing, building the cell,
    the run, writing the CSV and the figure, or after): no traceback; the
    CSV already at --out is kept unless replaced by a whole new one; no
    half-written file is left behind.  (The first ~0.05 s, while the Python
    interpreter itself starts, is outside any program's control.)"""
    import nakpump as nk

    where = tmp_path_factory.mktemp("ctrlc")
    out, plot = where / "run.csv", where / "run.png"
    out.write_text("an earlier run\n")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "nakpump", "run", "spike-train", "--out", str(out),
                             "--plot", str(plot)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            cwd=where, env=env, preexec_fn=ctrl_c_as_usual)
    time.sleep(delay)  # the moment is what is random; the outcome must be right for any of them
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=600)
    assert proc.returncode in (0, 130), (proc.returncode, stderr)
    assert "Traceback" not in stderr, stderr
    assert not list(where.glob("*.part*")) and not list(where.glob(".*.part*")), list(where.iterdir())
    if out.read_text().startswith("an earlier run"):
        assert f"wrote {out}" not in stdout  # nothing claimed that was not written
    else:
        res = nk.load_result(out)  # a whole result: its table and its provenance
        assert len(res.t) >= 2 and res.meta["scenario"] == "spike-train"
    if proc.returncode == 0:
        assert plot.exists() and not out.read_text().startswith("an earlier run")
    elif "; wrote " in stderr:
        assert not out.read_text().startswith("an earlier run")
