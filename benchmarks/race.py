"""The race: nakpump against Myokit (CVODES) and NEURON (CVODE and fixed
step) on the same model and protocol, measured in one run on this machine.

    pip install -e ".[bench]"          # NEURON, Myokit (Myokit's CVODES: Debian's libsundials-dev)
    python benchmarks/race.py          # about 10 min; --quick: 5 s of biological time

The model is nakpump's pump-leak cell (``nk.pump_leak_cell()``: Traub-type
Na+ and K+ channels, Na+/K+/Cl- leaks, a Hill-type pump, dynamic Na+, K+ and
Cl- inside and in a closed outside; the electrode's current carried by K+),
written independently for Myokit (``crosscheck/myokit_pump_leak.py``, an
.mmt) and for NEURON (``crosscheck/default_neuron.py``, NMODL).  The
protocol is the benchmark's spike train (100 pulses of 2 ms, 20 uA/cm2, at
10 Hz from 1 s) and recovery to 60 s; every simulator records V, Na_i and
K_o every 1 ms.  Errors are against SciPy's Radau at rtol 1e-11 on nakpump's
right-hand side (computed once, cached in benchmarks/.cache): the largest
spike-time difference and the largest concentration difference (Na_i or
K_o, on the 1 ms grid).

Times: ``run`` is the median over ``--repeats`` of the integration alone
(nakpump: ``simulate``'s solver time; Myokit: ``Simulation.run``; NEURON:
``continuerun`` in its child process).  ``setup`` is building the model in a
warm process (nakpump: ``compile_cell``; Myokit: parsing and compiling the
simulation, which it does every time; NEURON: building and checking the
section, its mechanisms compiled once by nrnivmodl).  ``cold`` is nakpump's
whole first run in a fresh process with empty caches (import, the cell,
``compile_cell``, the first 1 s ``simulate``, the solver's compilation
included).

Matched accuracy: for each peer row, the fastest nakpump row whose two
errors are both at most the peer's, and the ratio of their run times (> 1:
nakpump faster).  Results go to ``benchmarks/results/race.md`` and ``.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "crosscheck"))

import bench_spike_train as bench  # noqa: E402
import default_neuron  # noqa: E402

import nakpump as nk  # noqa: E402

TRAIN = (1000.0, 100, 10.0, 2.0, 20.0)
"""(start ms, number, frequency Hz, pulse ms, amplitude uA/cm2): the benchmark train."""
REF_RTOL = 1e-11
MEASURES = ("Na_i", "K_o")


def tolerances(rtol: float) -> nk.Tolerances:
    """nakpump's tolerances scaled together from its defaults (rtol 1e-5, atol_V 1e-3 mV,
    atol_conc 1e-6 mM, atol_gate 1e-4)."""
    return nk.Tolerances(rtol=rtol, atol_V=100.0 * rtol, atol_conc=0.1 * rtol, atol_gate=10.0 * rtol)


NAKPUMP_RTOLS = (1e-7, 3e-8, 1e-8, 5e-9, 2e-9, 1e-9, 1e-10)
"""nakpump's tolerances: decades, and steps between them where the peers' errors fall, so that
"matched accuracy" finds the row nearest to a peer's errors rather than one up to ten times more
accurate (the peers' own rows are given; every row is printed)."""

METHODS = (
    ("nakpump Rodas4, default tolerances (rtol 1e-5)", "nakpump", {"tol": None}),
    ("nakpump Rodas4, default, finite-difference Jacobian", "nakpump",
     {"tol": None, "jacobian": "finite-difference"}),
    *[(f"nakpump Rodas4, rtol {r:g}", "nakpump", {"tol": r}) for r in NAKPUMP_RTOLS],
    ("Myokit CVODES, its default tolerances", "myokit", {}),
    *[(f"Myokit CVODES, abs = rel = {r:g}", "myokit", {"rtol": r, "atol": r}) for r in (1e-8, 1e-9, 1e-10)],
    ("NEURON CVODE, atol 1e-3 (its default)", "cvode", {"atol": 1e-3}),
    ("NEURON CVODE, atol 1e-8", "cvode", {"atol": 1e-8}),
    ("NEURON fixed dt 0.025 ms, secondorder 2", "fixed", {"dt": 0.025, "secondorder": 2}),
)


def cold_start(repeats: int) -> dict:
    """nakpump's first run in a fresh process with empty caches (seconds, the median), and the same
    again with the caches it left (warm)."""
    code = ("import time; t0 = time.perf_counter(); import nakpump as nk; "
            "s = nk.compile_cell(nk.pump_leak_cell()); "
            f"nk.simulate(s, nk.Protocol([nk.Pulse(100.0, {TRAIN[3]}, {TRAIN[4]})]), duration=1000.0); "
            "print(time.perf_counter() - t0)")
    walls: dict[str, list[float]] = {"cold": [], "warm": []}
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, NAKPUMP_CACHE_DIR=tmp, NUMBA_CACHE_DIR=os.path.join(tmp, "numba"))
            for kind in ("cold", "warm"):
                started = time.perf_counter()
                subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True)
                walls[kind].append(time.perf_counter() - started)
    return {kind: float(np.median(w)) for kind, w in walls.items()}


MYOKIT_CHILD = r"""
import json, sys
import numpy as np
sys.path.insert(0, sys.argv[1])
import myokit_pump_leak as mk
import nakpump as nk
args = json.loads(sys.argv[2])
cell = nk.pump_leak_cell()
if args.get("check"):
    print(json.dumps({"check": mk.check(cell, amplitude=args["train"][4])}))
else:
    got = mk.run(cell, duration=args["duration"], log_dt=1.0, rtol=args["rtol"], atol=args["atol"],
                 train=tuple(args["train"]))
    np.savez(args["out"], **{k: np.asarray(v) for k, v in got.items()})
"""


def run_myokit(**args) -> dict:
    """Myokit in a child process: NEURON, loaded here, brings its own CVODE, whose symbols Myokit's
    compiled simulation would bind to (a crash).  Returns the check, or the run's arrays and times."""
    with tempfile.TemporaryDirectory() as tmp:
        args = {"train": TRAIN, "rtol": None, "atol": None, "out": os.path.join(tmp, "run.npz")} | args
        proc = subprocess.run([sys.executable, "-c", MYOKIT_CHILD, str(HERE.parent / "crosscheck"),
                               json.dumps(args)], capture_output=True, text=True, timeout=1800)
        if proc.returncode != 0:
            raise RuntimeError(f"Myokit failed:\n{proc.stderr[-2000:]}")
        if args.get("check"):
            return json.loads(proc.stdout.strip().splitlines()[-1])
        with np.load(args["out"]) as z:
            return {k: (z[k].item() if z[k].ndim == 0 else z[k]) for k in z.files}


def run_method(kind: str, kw: dict, system, cell, duration: float, repeats: int) -> dict:
    """One method's (median) run: its output on the 1 ms grid, spike times, run and setup times."""
    walls, setups = [], []
    for _ in range(repeats):
        if kind == "nakpump":
            started = time.perf_counter()
            system_here = nk.compile_cell(cell)
            setups.append(time.perf_counter() - started)
            tol = tolerances(kw["tol"]) if kw["tol"] else None
            res = nk.simulate(system_here, nk.Protocol([nk.PulseTrain(*TRAIN)]), duration=duration,
                              dt=1.0, tol=tol, jacobian=kw.get("jacobian", "exact"))
            walls.append(res.meta["wall_time_s"])
            out = {"t": res.t, "spikes": res.spikes} | {m: res[m] for m in MEASURES}
        elif kind == "myokit":
            got = run_myokit(duration=duration, rtol=kw.get("rtol"), atol=kw.get("atol"))
            walls.append(got["wall"])
            setups.append(got["setup"])
            out = got
        else:
            got = default_neuron.run_neuron(TRAIN, duration, method=kind, record_dt=1.0, refine_spikes=False,
                                            **kw)
            walls.append(got["wall"])
            setups.append(got.get("setup", float("nan")))
            out = got
    return {"wall": float(np.median(walls)), "walls": walls, "setup": float(np.median(setups)), "out": out}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="5 s of biological time (smoke test)")
    ap.add_argument("--repeats", type=int, default=3, help="timed repeats per method (median)")
    ap.add_argument("--no-cold", action="store_true", help="skip the cold-start processes")
    args = ap.parse_args(argv)
    import myokit
    import neuron

    duration = 5000.0 if args.quick else 60000.0
    cell = default_neuron.nakpump_cell()
    system = nk.compile_cell(cell)
    worst = run_myokit(check=True)["check"]
    print(f"Myokit's right-hand side against nakpump's: {worst:.2g} (scaled)", flush=True)
    t_eval = np.arange(int(round(duration)) + 1) * 1.0
    protocol = nk.Protocol([nk.PulseTrain(*TRAIN)])
    bench.REF_RTOL = REF_RTOL
    bench.RECORD_DT = 1.0
    ref = bench.reference(system, protocol, duration, t_eval, MEASURES)
    print(f"reference: {len(ref['spikes'])} spikes ({'cached' if ref['cached'] else 'computed'})", flush=True)

    rows = []
    for label, kind, kw in METHODS:
        print(f"timing {label} ...", flush=True)
        got = run_method(kind, kw, system, cell, duration, max(1, args.repeats))
        out = got["out"]
        n = min(len(out["t"]), len(t_eval))  # Myokit's log ends one sample before the end
        if n < len(t_eval) - 1 or not np.allclose(np.asarray(out["t"])[:n], t_eval[:n]):
            raise RuntimeError(f"{label}: its output grid is not the reference's")
        spk, mismatch = bench.spike_error(np.asarray(out["spikes"]), ref["spikes"])
        conc = max(float(np.max(np.abs(np.asarray(out[m])[:n] - ref[m][:n]))) for m in MEASURES)
        settings = {k: v for k, v in kw.items() if v is not None}
        rows.append({"method": label, "kind": kind, "settings": settings,
                     "run_s": got["wall"], "runs_s": got["walls"], "setup_s": got["setup"],
                     "spikes": int(len(out["spikes"])), "spike_count_mismatch": mismatch,
                     "spike_err_ms": spk, "conc_err_mM": conc})
    base = rows[0]["run_s"]
    for row in rows:
        row["ratio"] = row["run_s"] / base
    matches = []
    ours = [r for r in rows if r["kind"] == "nakpump" and r["spike_count_mismatch"] == 0]
    for peer in (r for r in rows if r["kind"] != "nakpump"):
        ok = [r for r in ours
              if r["spike_err_ms"] <= peer["spike_err_ms"] and r["conc_err_mM"] <= peer["conc_err_mM"]]
        best = min(ok, key=lambda r: r["run_s"]) if ok else None
        matches.append({"peer": peer["method"], "nakpump": best["method"] if best else None,
                        "ratio": peer["run_s"] / best["run_s"] if best else None})
    info = {"cell": "nk.pump_leak_cell()", "train": TRAIN, "duration_ms": duration, "record_dt_ms": 1.0,
            "reference": {"method": "SciPy Radau", "rtol": REF_RTOL, "spikes": int(len(ref["spikes"]))},
            "repeats": args.repeats, "myokit_rhs_check": worst, "nakpump": nk.__version__,
            "myokit": myokit.__version__, "neuron": neuron.__version__, "python": platform.python_version(),
            "cpu": bench._cpu_name(), "cores": os.cpu_count(),
            "cold_start_s": None if args.no_cold else cold_start(max(1, min(args.repeats, 3)))}
    md = to_markdown(rows, matches, info)
    bench.RESULTS.mkdir(exist_ok=True)
    stem = "race" + ("_quick" if args.quick else "")
    (bench.RESULTS / f"{stem}.md").write_text(md)
    (bench.RESULTS / f"{stem}.json").write_text(json.dumps({"info": info, "rows": rows, "matched": matches},
                                                           indent=2) + "\n")
    print(md)
    return 0


def to_markdown(rows, matches, info) -> str:
    lines = [f"# The race: nakpump, Myokit and NEURON on {info['cell']}", "",
             f"{info['duration_ms'] / 1000:g} s, train {info['train']} (start ms, number, Hz, pulse ms, "
             f"uA/cm2), recorded every {info['record_dt_ms']:g} ms; errors against SciPy Radau at rtol "
             f"{info['reference']['rtol']:g} ({info['reference']['spikes']} spikes); {info['cpu']}, "
             f"{info['cores']} cores; nakpump {info['nakpump']}, Myokit {info['myokit']}, NEURON "
             f"{info['neuron']}; medians of {info['repeats']}.", "",
             "| method | run (s) | x nakpump default | setup (s) | spike-time err (ms) | conc. err (mM) |",
             "|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        miss = f" ({r['spike_count_mismatch']:+d} spikes)" if r["spike_count_mismatch"] else ""
        lines.append(f"| {r['method']} | {r['run_s']:.3f} | {r['ratio']:.2f} | {r['setup_s']:.2f} | "
                     f"{r['spike_err_ms']:.1e}{miss} | {r['conc_err_mM']:.1e} |")
    lines += ["", "At matched accuracy (the fastest nakpump row with both errors at most the peer's):", "",
              "| peer | nakpump | peer's time / nakpump's |", "|---|---|---:|"]
    for m in matches:
        lines.append(f"| {m['peer']} | {m['nakpump'] or 'none as accurate'} | "
                     f"{'' if m['ratio'] is None else format(m['ratio'], '.1f')} |")
    cold = info["cold_start_s"]
    if cold:
        lines += ["", f"nakpump's first run in a fresh process (import, cell, compile, 1 s simulate): "
                      f"{cold['cold']:.1f} s with empty caches, {cold['warm']:.1f} s with them filled."]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
