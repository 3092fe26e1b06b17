"""Race nakpump against NEURON on the same cell: a 10 Hz spike train and recovery.

    python benchmarks/bench_spike_train.py [--cell tissue|pump-leak] [--quick] [--repeats N]

Two cells, one table each (``--cell``: one of them; default both):

- ``tissue``: nakpump's default cell, ``nk.neuron_in_tissue()`` (a cortical
  neuron, an astrocyte, a finite extracellular space exchanging ions with a
  bath, an ATP budget in each cell, O2, water flow; 37 degC), built in NEURON
  by ``crosscheck/tissue_neuron.py`` (two sections sharing one extracellular
  space).  Protocol: 100 pulses of 1 ms, 15 uA/cm2 (the cell's test pulse,
  carried by K+) at 10 Hz from t = 1000 ms, run to 60 s.
- ``pump-leak``: the one-compartment cell ``nk.pump_leak_cell()`` (closed
  outside, 37 degC), built in NEURON by ``crosscheck/default_neuron.py``.
  Protocol: 100 pulses of 2 ms, 20 uA/cm2 at 10 Hz from t = 1000 ms, to 60 s.

``--quick``: 5 s of biological time.  NEURON runs in a child process and is
timed there (``continuerun``).  Each timed run is repeated (default 3) and the
median wall time is reported; compile/build times are excluded (reported
apart).

Accuracy is measured against SciPy's Radau at rtol 1e-10 on the same
compiled right-hand side (``nakpump.solve.reference``), cached in
``benchmarks/.cache``: spike times (matched in order), and on the 1 ms grid
Na_i, K_o (and for the tissue V_g, ATP_i, ATP_g).  The NEURON setting at
matched accuracy is the fastest whose every error is at most nakpump's (at
its default tolerances); the tissue's NEURON rows are a ladder of CVODE
tolerances for that purpose.

Writes ``benchmarks/results/spike_train{,_tissue}{,_quick}.{md,json}`` and
prints the tables.  Exits non-zero only if something crashes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "crosscheck"))

import default_neuron  # noqa: E402
import tissue_neuron  # noqa: E402

import nakpump as nk  # noqa: E402
from nakpump.solve.reference import solve_reference  # noqa: E402

CACHE = HERE / ".cache"
RESULTS = HERE / "results"
RECORD_DT = 1.0  # ms, output grid of every run
REF_RTOL = 1e-10
# Sources that define the equations: a change in any of them invalidates the
# cached reference (besides the version and every parameter value).
EQUATION_SOURCES = ("physics.py", "ions.py", "flux.py", "compile/*.py", "mechanisms/*.py",
                    "solve/reference.py")
NAKPUMP_FINE = {"rtol": 1e-6, "atol_V": 1e-4, "atol_conc": 1e-7, "atol_gate": 1e-5}


@dataclass(frozen=True)
class Bench:
    """One cell's race: ``make_cell`` (nakpump's cell), ``spec`` (its NEURON
    spec module: ``run_neuron``, ``check_rest``), the train, the measures of
    accuracy besides spike times (nakpump result names), the methods (label,
    kind, settings) and the results' file stem."""

    name: str
    title: str
    make_cell: str
    spec: object
    train: dict
    measures: tuple
    methods: tuple
    stem: str


PUMP_LEAK = Bench(
    name="pump-leak", title="nakpump's one-compartment pump-leak cell (closed outside, 37 degC)",
    make_cell="pump_leak_cell", spec=default_neuron,
    train=dict(start=1000.0, number=100, frequency=10.0, duration=2.0, amplitude=20.0),
    measures=("Na_i", "K_o"), stem="spike_train",
    methods=(("nakpump Rodas4 (default tol)", "nakpump", {}),
             ("nakpump Rodas4 (rtol 1e-6)", "nakpump", NAKPUMP_FINE),
             ("NEURON CVODE atol 1e-3", "cvode", {"atol": 1e-3}),
             ("NEURON CVODE atol 1e-5", "cvode", {"atol": 1e-5}),
             ("NEURON fixed dt 0.025, secondorder 2", "fixed", {"dt": 0.025, "secondorder": 2})))

TISSUE = Bench(
    name="tissue", title="nakpump's default cell, the neuron in tissue (neuron, astrocyte, extracellular "
                         "space and bath, ATP budgets, O2, water flow; 37 degC)",
    make_cell="neuron_in_tissue", spec=tissue_neuron,
    train=dict(start=1000.0, number=100, frequency=10.0, duration=1.0, amplitude=15.0),
    measures=("Na_i", "K_o", "V_g", "ATP_i", "ATP_g"), stem="spike_train_tissue",
    methods=(("nakpump Rodas4 (default tol)", "nakpump", {}),
             ("nakpump Rodas4 (rtol 1e-6)", "nakpump", NAKPUMP_FINE),
             ("NEURON CVODE atol 1e-3", "cvode", {"atol": 1e-3}),
             ("NEURON CVODE atol 1e-5", "cvode", {"atol": 1e-5}),
             ("NEURON CVODE atol 1e-6", "cvode", {"atol": 1e-6}),
             *[(f"NEURON CVODE atol = rtol = {x:g}", "cvode", {"atol": x, "rtol": x})
               for x in (2e-6, 1e-6, 5e-7, 2e-7, 1e-7)]))

BENCHES = {b.name: b for b in (TISSUE, PUMP_LEAK)}
"""The cells, in the order they run by default."""


# ------------------------------------------------------------------ helpers --
def reference_key(system, protocol, duration: float) -> str:
    """Cache key: nakpump version, every parameter, protocol, duration, rtol,
    and the equation-defining sources."""
    digest = hashlib.sha256(nk.__version__.encode())
    for name, _, value in system.cell.parameters():
        digest.update(f"{name}={value!r};".encode())
    digest.update(protocol.describe().encode())
    digest.update(f"{duration!r} {REF_RTOL!r} {RECORD_DT!r}".encode())
    root = Path(nk.__file__).parent
    for pattern in EQUATION_SOURCES:
        for path in sorted(root.glob(pattern)):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def reference(system, protocol, duration: float, t_eval: np.ndarray, measures) -> dict:
    """``measures`` (nakpump result names: potentials in mV, concentrations
    in mM) on ``t_eval`` and spike times (ms) from the tight Radau reference,
    computed once and cached."""
    path = CACHE / f"reference_{reference_key(system, protocol, duration)}.npz"
    if path.exists():
        with np.load(path) as z:
            if all(m in z.files for m in measures):
                return {k: z[k] for k in z.files} | {"cached": True, "path": str(path)}
    print(f"computing the reference (Radau, rtol {REF_RTOL:g}, {duration / 1000:g} s of "
          "biological time); this takes minutes ...", flush=True)
    t0 = time.perf_counter()
    Y, spikes = solve_reference(system, protocol, duration, t_eval, rtol=REF_RTOL)
    lay = system.layout

    def state(name):
        return Y[:, lay.state(name)]

    def w(side):
        """Volume per membrane area: a state where water flows, else a parameter."""
        name = f"w_{side}"
        return state(name) if lay.has_state(name) else system.p0[lay.param(f"geometry.w_{side}")]

    def value(name):
        if lay.has_state(name):   # a potential
            return state(name)
        species, side = name.rsplit("_", 1)
        return state(f"n_{species}_{side}") / w(side)

    out = {"t": t_eval, "V": state("V"), "spikes": spikes, "wall": np.float64(time.perf_counter() - t0)}
    out.update({m: value(m) for m in measures})
    names = [e.name for e in lay.states[:lay.n_dyn]]
    if not np.all(np.isfinite(np.column_stack([state(n) for n in names]))):
        raise RuntimeError("reference solution has non-finite values")
    CACHE.mkdir(exist_ok=True)
    np.savez(path, **out)
    return out | {"cached": False, "path": str(path)}


def spike_error(spikes: np.ndarray, ref: np.ndarray) -> tuple[float, int]:
    """Max |spike time - reference| (ms) over spikes matched in order, and
    the count mismatch (len(spikes) - len(ref))."""
    n = min(len(spikes), len(ref))
    err = float(np.max(np.abs(spikes[:n] - ref[:n]))) if n else float("nan")
    return err, len(spikes) - len(ref)


def cold_compile_times(make_cell: str) -> dict | None:
    """Seconds to build the model, ``nk.compile_cell(nk.<make_cell>())``, in a
    fresh process with empty NAKPUMP_CACHE_DIR and NUMBA_CACHE_DIR (cold: every
    Numba function compiled), then in another with those caches now filled
    (warm).  The cell is included because its calibration compiles the
    system (``compile_cell`` then reuses it).  Import time is reported apart.
    None if it fails."""
    code = ("import time; t0 = time.perf_counter(); import nakpump as nk; "
            f"t1 = time.perf_counter(); nk.compile_cell(nk.{make_cell}()); "
            "print(t1 - t0, time.perf_counter() - t1)")
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, NAKPUMP_CACHE_DIR=tmp, NUMBA_CACHE_DIR=os.path.join(tmp, "numba"))
        for label in ("cold", "warm"):
            proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                                  text=True, timeout=900)
            if proc.returncode != 0:
                print(f"compile timing failed:\n{proc.stderr[-2000:]}", file=sys.stderr)
                return None
            t_import, t_build = map(float, proc.stdout.strip().splitlines()[-1].split())
            out[label] = t_build
            out[f"{label}_import"] = t_import
    return out


def median_run(fn, repeats: int):
    """Run ``fn()`` ``repeats`` times; returns (median wall s, all walls, last output).
    ``fn`` returns (wall, output)."""
    walls, out = [], None
    for _ in range(repeats):
        wall, out = fn()
        walls.append(wall)
    return statistics.median(walls), walls, out


def validate_single_pulse(bench: Bench, system) -> dict:
    """One pulse of the train's width and amplitude at 10 ms, 50 ms in all,
    both simulators at tight tolerances: the spike times must agree to
    < 1e-3 ms."""
    pulse = (10.0, bench.train["duration"], bench.train["amplitude"])
    tol = nk.Tolerances(rtol=1e-9, atol_V=1e-7, atol_conc=1e-10, atol_gate=1e-8)
    res = nk.simulate(system, nk.Protocol([nk.Pulse(*pulse)]), duration=50.0, dt=1.0, tol=tol)
    nrn = bench.spec.run_neuron([pulse], 50.0, atol=1e-7)
    diff = (float(abs(nrn["spikes"][0] - res.spikes[0]))
            if len(res.spikes) == 1 and len(nrn["spikes"]) == 1 else float("nan"))
    ok = diff < 1e-3
    if not ok:
        print(f"WARNING: single-pulse spike times differ: nakpump {res.spikes}, NEURON "
              f"{nrn['spikes']}", file=sys.stderr)
    return {"pulse": list(pulse), "nakpump_spike_ms": res.spikes.tolist(),
            "neuron_spike_ms": nrn["spikes"].tolist(), "abs_diff_ms": diff, "ok": ok}


def matched(rows: list[dict], measures) -> dict | None:
    """The fastest NEURON row (by wall time with output) with as many spikes as
    the reference and every error (spike times and ``measures``) at most that
    of nakpump at its default tolerances (``rows[0]``); None if there is none."""
    base = rows[0]
    keys = ["max_spike_err_ms"] + [f"max_{m}_err" for m in measures]
    ok = [r for r in rows if r["kind"] != "nakpump" and r["spike_count_mismatch"] == 0
          and all(r[k] <= base[k] for k in keys)]
    if not ok:
        return None
    best = min(ok, key=lambda r: r["wall_s"])
    best_bare = min(ok, key=lambda r: r["wall_no_output_s"])
    return {"method": best["method"], "ratio": best["ratio_vs_nakpump"],
            "method_no_output": best_bare["method"], "ratio_no_output": best_bare["ratio_no_output"]}


# --------------------------------------------------------------------- main --
def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cell", choices=list(BENCHES), action="append",
                    help="the cell to race (repeatable; default: all, " + ", ".join(BENCHES) + ")")
    ap.add_argument("--quick", action="store_true", help="5 s of biological time (smoke test)")
    ap.add_argument("--repeats", type=int, default=3, help="timed repeats per method (median)")
    ap.add_argument("--no-compile-timing", action="store_true",
                    help="skip timing nakpump's cold compile in a subprocess")
    args = ap.parse_args(argv)
    for name in args.cell or list(BENCHES):
        run_bench(BENCHES[name], args)
    return 0


def run_bench(bench: Bench, args) -> None:
    """Time and check every method of ``bench``; write and print its table."""
    print(f"== {bench.name}: {bench.title}", flush=True)
    duration = 5000.0 if args.quick else 60000.0
    repeats = max(1, args.repeats)
    spec, train = bench.spec, bench.train

    t0 = time.perf_counter()
    system = nk.compile_cell(getattr(nk, bench.make_cell)())  # the cell's calibration compiles
    compile_in_process = time.perf_counter() - t0
    protocol = nk.Protocol([nk.PulseTrain(**train)])
    pulses = (train["start"], train["number"], train["frequency"], train["duration"], train["amplitude"])
    t_eval = np.arange(int(round(duration / RECORD_DT)) + 1) * RECORD_DT

    t0 = time.perf_counter()
    nrn_rest = spec.check_rest()  # builds mechanisms if needed; a child process
    nrn_build = time.perf_counter() - t0
    check = validate_single_pulse(bench, system)
    print(f"single-pulse check: |NEURON - nakpump| spike time = {check['abs_diff_ms']:.2e} ms "
          f"({'ok' if check['ok'] else 'FAILED'})", flush=True)

    ref = reference(system, protocol, duration, t_eval, bench.measures)
    print(f"reference: {len(ref['spikes'])} spikes ({'cached' if ref['cached'] else 'computed'}: "
          f"{ref['path']})", flush=True)

    def nakpump_run(dt, tol=None):
        def run():
            res = nk.simulate(system, protocol, duration=duration, dt=dt, tol=tol)
            out = {"t": res.t, "spikes": res.spikes} | {m: res[m] for m in bench.measures}
            return res.meta["wall_time_s"], out
        return run

    def neuron_run(method, record_dt, **kw):
        def run():
            out = spec.run_neuron(pulses, duration, method=method, record_dt=record_dt,
                                  refine_spikes=False, **kw)
            return out["wall"], out
        return run

    rows = []
    for label, kind, kw in bench.methods:
        print(f"timing {label} ...", flush=True)
        if kind == "nakpump":
            tol = nk.Tolerances(**kw) if kw else None
            wall, walls, out = median_run(nakpump_run(RECORD_DT, tol), repeats)
            wall_bare, _, _ = median_run(nakpump_run(duration, tol), repeats)
        else:
            wall, walls, out = median_run(neuron_run(kind, RECORD_DT, **kw), repeats)
            wall_bare, _, _ = median_run(neuron_run(kind, duration, **kw), repeats)
        if not np.allclose(out["t"], t_eval):
            raise RuntimeError(f"{label}: output grid differs from the reference grid")
        spk_err, mismatch = spike_error(np.asarray(out["spikes"]), ref["spikes"])
        row = {"method": label, "kind": kind,
               "settings": kw or ({"rtol": 1e-5, "atol_V": 1e-3, "atol_conc": 1e-6, "atol_gate": 1e-4}
                                  if kind == "nakpump" else {}),
               "wall_s": wall, "walls_s": walls, "wall_no_output_s": wall_bare,
               "n_spikes": int(len(out["spikes"])), "spike_count_mismatch": mismatch,
               "max_spike_err_ms": spk_err}
        row.update({f"max_{m}_err": float(np.max(np.abs(out[m] - ref[m]))) for m in bench.measures})
        rows.append(row)
    base, base_bare = rows[0]["wall_s"], rows[0]["wall_no_output_s"]
    for row in rows:
        row["ratio_vs_nakpump"] = row["wall_s"] / base
        row["ratio_no_output"] = row["wall_no_output_s"] / base_bare

    compile_times = None if args.no_compile_timing else cold_compile_times(bench.make_cell)
    import neuron
    info = {
        "cell": bench.name, "cell_title": bench.title, "make_cell": f"nk.{bench.make_cell}()",
        "neuron_spec": f"crosscheck/{spec.__name__}.py", "measures": list(bench.measures),
        "duration_ms": duration, "protocol": protocol.describe().strip(), "record_dt_ms": RECORD_DT,
        "repeats": repeats, "reference": {"method": "SciPy Radau", "rtol": REF_RTOL,
                                          "spikes": int(len(ref["spikes"])),
                                          "wall_s": float(ref["wall"]), "cache": ref["path"]},
        "single_pulse_check": check, "matched": matched(rows, bench.measures),
        "nakpump_version": nk.__version__, "neuron_version": neuron.__version__,
        "python": platform.python_version(), "machine": platform.machine(),
        "cpu": _cpu_name(), "cores": os.cpu_count(),
        "nakpump_compile_in_process_s": compile_in_process,
        "nakpump_compile_subprocess_s": compile_times,
        "neuron_setup_s": nrn_rest["setup"], "neuron_build_and_checks_s": nrn_build,
        "neuron_rest_drift_mV": nrn_rest["drift"], "neuron_constants": nrn_rest["constants"],
    }
    md = to_markdown(rows, info)
    RESULTS.mkdir(exist_ok=True)
    stem = bench.stem + ("_quick" if args.quick else "")
    (RESULTS / f"{stem}.md").write_text(md)
    (RESULTS / f"{stem}.json").write_text(json.dumps({"info": info, "rows": rows}, indent=2) + "\n")
    print()
    print(md)
    print(f"wrote {RESULTS / (stem + '.md')} and .json", flush=True)


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


UNITS = {"V": "mV", "V_g": "mV"}
"""Units of the measures that are not concentrations (mM)."""


def to_markdown(rows: list[dict], info: dict) -> str:
    """The results table and the run's settings, as markdown."""
    measures = info["measures"]
    err_heads = "".join(f" | max abs {m} err ({UNITS.get(m, 'mM')})" for m in measures)
    lines = [
        f"# Spike train: nakpump vs NEURON, {info['cell']} "
        f"({info['duration_ms'] / 1000:g} s biological time)",
        "",
        f"Cell: {info['cell_title']}: `{info['make_cell']}`, in NEURON `{info['neuron_spec']}`. "
        f"Protocol: {info['protocol']}. Wall time = median of {info['repeats']} runs, outputs on a "
        f"{info['record_dt_ms']:g} ms grid; 'no output' = same run with output only at start and end. "
        "Ratio = this method's time / nakpump's at its default tolerances (> 1: nakpump faster). Errors "
        f"vs SciPy Radau at rtol {info['reference']['rtol']:g} ({info['reference']['spikes']} spikes).",
        "",
        "| method | wall (s) | ratio | wall, no output (s) | ratio, no output | spikes "
        f"| max spike-time err (ms){err_heads} |",
        "|---|---:|---:|---:|---:|---:|---:" + "|---:" * len(measures) + "|",
    ]
    for r in rows:
        spikes = str(r["n_spikes"])
        if r["spike_count_mismatch"]:
            spikes += f" ({r['spike_count_mismatch']:+d} vs ref)"
        errs = "".join(f" | {r[f'max_{m}_err']:.2e}" for m in measures)
        lines.append(
            f"| {r['method']} | {r['wall_s']:.4f} | {r['ratio_vs_nakpump']:.2f} "
            f"| {r['wall_no_output_s']:.4f} | {r['ratio_no_output']:.2f} | {spikes} "
            f"| {r['max_spike_err_ms']:.2e}{errs} |")
    ct = info["nakpump_compile_subprocess_s"]
    chk = info["single_pulse_check"]
    m = info["matched"]
    lines += [
        "",
        ("- Matched accuracy (the fastest NEURON setting whose spike-time error and every error above "
         f"are at most nakpump's at its default tolerances): {m['method']}, NEURON/nakpump = "
         f"{m['ratio']:.2f}; without output {m['method_no_output']}, {m['ratio_no_output']:.2f}."
         if m else "- Matched accuracy: no NEURON setting above is at least as accurate as nakpump at "
                   "its default tolerances on every measure."),
        f"- Single-pulse check (pulse {chk['pulse'][1]:g} ms, {chk['pulse'][2]:g} uA/cm2; both at tight "
        f"tolerances): spike times differ by {chk['abs_diff_ms']:.2e} ms ({'ok' if chk['ok'] else 'FAILED'}, "
        "limit 1e-3 ms).",
        f"- nakpump model build, `compile_cell({info['make_cell']})` (calibration + code generation "
        f"+ Numba): {info['nakpump_compile_in_process_s']:.2f} s in this process"
        + (f"; in a fresh process with empty NAKPUMP_CACHE_DIR and NUMBA_CACHE_DIR {ct['cold']:.1f} s, "
           f"with those caches filled {ct['warm']:.2f} s (import nakpump {ct['warm_import']:.2f} s)"
           if ct else "") + ". Not included in the wall times.",
        f"- NEURON cell setup {info['neuron_setup_s']:.3f} s; with the child process, import, loading "
        f"(and, the first time, nrnivmodl) and the rest check {info['neuron_build_and_checks_s']:.2f} s. "
        "Not included in the wall times, which NEURON's child process measures around `continuerun`. "
        "NEURON's spike times are its NetCon's (CVODE: interpolated within the step, condition_order 2; "
        "fixed steps: step-boundary times, resolution dt).",
        f"- nakpump {info['nakpump_version']}, NEURON {info['neuron_version']}, Python "
        f"{info['python']}, {info['cpu']} ({info['cores']} cores).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
