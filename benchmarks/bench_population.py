"""Populations: N cells x 1 s of a 10 Hz spike train, nakpump's batch solver
against NEURON and Brian2, measured in one run on this machine.

    python benchmarks/bench_population.py                 # N = 1,000 and 10,000; about 20 min
    python benchmarks/bench_population.py --n 1000 --peers none   # nakpump only

The population (the same for every simulator, ``population_peers.py``):
nakpump's pump-leak cell (``nk.pump_leak_cell()``), cell i with its pump's
``imax`` scaled by linspace(0.5, 1.5, N)[i], each through 10 pulses of 2 ms,
20 uA/cm2 at 10 Hz from 50 ms, for 1000 ms.  nakpump runs
``nk.simulate_batch`` (each cell its own adaptive Rodas4 step, four cells
per vector step, 2 threads) recording only summaries (spike times, final
state), three times, each in a fresh process: the median is reported; the
peers (one run each) are NEURON
(2 threads: CVODE, and fixed step 0.025 ms) and Brian2 (C++ standalone,
OpenMP 2 threads: rk4 and exponential Euler at 0.025 ms), run by
``population_peers.py``.  Every simulator runs in its own child process.

Errors: on 11 sampled cells (indices spread over the population), the
largest spike-time difference against SciPy's Radau at rtol 1e-11 on
nakpump's right-hand side (computed once per N, cached in
benchmarks/.cache).  A simulator that misses or adds a spike in a sampled
cell gets an infinite error.  Times: ``setup`` (building, compiling), ``run``
(the simulation alone: for nakpump the first call in its process),
``wall`` (the child process); memory: the child's
peak resident set, and per cell its growth from the smallest N to the
largest.  Results: ``benchmarks/results/population.md`` and
``.json``, with each peer's ratio to the fastest nakpump row at equal or
better accuracy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

TRAIN = (50.0, 10, 10.0, 2.0, 20.0)
DURATION = 1000.0
REF_RTOL = 1e-11
PEERS = ("neuron-cvode", "neuron-fixed", "brian2-rk4", "brian2-exp-euler")
LABELS = {"neuron-cvode": "NEURON CVODE (global step)",
          "neuron-fixed": "NEURON fixed dt 0.025 ms, secondorder 2",
          "brian2-rk4": "Brian2 C++ standalone, rk4, dt 0.025 ms",
          "brian2-exp-euler": "Brian2 C++ standalone, exponential Euler, dt 0.025 ms "
                              "(E and pump held per step)"}

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
import numpy as np
import nakpump as nk
n, threads, rtol = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
cell = nk.pump_leak_cell()
system = nk.compile_cell(cell)
system.lanes()  # the population driver: compiled, or loaded from the cache, once per cell
import xarray  # imported before the clock starts, as the peers import theirs
xarray.Dataset({"x": ("a", np.zeros(1))})  # and what xarray imports on its first Dataset (dask, if installed)
t1 = time.perf_counter()
tol = None if rtol == 0 else nk.Tolerances(rtol=rtol, atol_V=100 * rtol, atol_conc=0.1 * rtol,
                                           atol_gate=10 * rtol)
imax = cell["pump.imax"] * np.linspace(0.5, 1.5, n)
train = nk.Protocol([nk.PulseTrain(*json.loads(sys.argv[4]))])
ds = nk.simulate_batch(system, train, params={"pump.imax": imax}, duration=float(sys.argv[5]), record=(),
                       threads=threads, tol=tol)
t2 = time.perf_counter()
sampled = sorted(set(np.linspace(0, n - 1, 11).astype(int).tolist()))
times = ds.spike_times.values
attempts = float((ds.steps + ds.rejected_steps).mean())
print(json.dumps({"setup_s": t1 - t0, "run_s": t2 - t1, "steps_per_cell": attempts,
                  "failed": int((ds.error != "").sum()), "spike_counts_total": int(ds.spike_count.sum()),
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "sampled": {str(i): times[i][np.isfinite(times[i])].tolist() for i in sampled}}))
"""


def run_nakpump(n: int, threads: int, rtol: float, repeats: int = 3) -> dict:
    """nakpump's batch in ``repeats`` fresh child processes: the run with the median run time
    (a run of a few seconds is more exposed to a shared machine's noise than the peers' minutes)."""
    runs = []
    for _ in range(repeats):
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", CHILD, str(n), str(threads), str(rtol), json.dumps(TRAIN),
                              str(DURATION)], capture_output=True, text=True, check=True)
        got = json.loads(out.stdout.strip().splitlines()[-1])
        got["wall_s"] = time.perf_counter() - started
        runs.append(got)
    runs.sort(key=lambda g: g["run_s"])
    got = runs[len(runs) // 2]
    got["settings"] = {"run_s_each": [round(g["run_s"], 3) for g in runs]}
    return got


def reference(n: int) -> dict[int, np.ndarray]:
    """Radau's spike times of the sampled cells (cached)."""
    import nakpump as nk
    from nakpump.solve.reference import solve_reference

    cache = HERE / ".cache" / f"population_reference_{n}.json"
    if cache.exists():
        return {int(k): np.array(v) for k, v in json.loads(cache.read_text()).items()}
    cell = nk.pump_leak_cell()
    imax = cell["pump.imax"] * np.linspace(0.5, 1.5, n)
    train = nk.Protocol([nk.PulseTrain(*TRAIN)])
    out = {}
    for i in sorted(set(np.linspace(0, n - 1, 11).astype(int).tolist())):
        system = nk.compile_cell(cell.with_params({"pump.imax": float(imax[i])}))
        _, spikes = solve_reference(system, train, DURATION, np.array([0.0, DURATION]), rtol=REF_RTOL)
        out[i] = spikes
    cache.parent.mkdir(exist_ok=True)
    cache.write_text(json.dumps({str(k): v.tolist() for k, v in out.items()}))
    return out


def spike_error(sampled: dict, ref: dict[int, np.ndarray]) -> float:
    worst = 0.0
    for i, r in ref.items():
        got = np.asarray(sampled.get(str(i), sampled.get(i, [])), dtype=float)
        if len(got) != len(r):
            return float("inf")
        if len(r):
            worst = max(worst, float(np.max(np.abs(got - r))))
    return worst


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--peers", nargs="+", default=list(PEERS), help="peers to run, or 'none'")
    parser.add_argument("--tight-cvode-up-to", type=int, default=1000,
                        help="run NEURON CVODE at atol 1e-8 only for N up to this (81 s at N = 1,000)")
    args = parser.parse_args(argv)
    peers = [] if args.peers == ["none"] else args.peers
    rows = []
    for n in args.n:
        ref = reference(n)
        runs = [("nakpump Rodas4, default tolerances (rtol 1e-5)",
                 lambda n=n: run_nakpump(n, args.threads, 0.0)),
                ("nakpump Rodas4, rtol 1e-6", lambda n=n: run_nakpump(n, args.threads, 1e-6)),
                ("nakpump Rodas4, rtol 1e-7", lambda n=n: run_nakpump(n, args.threads, 1e-7))]
        if peers:
            from population_peers import run_peer
            for peer in peers:
                tight = (1e-8,) if n <= args.tight_cvode_up_to else ()
                for atol in ((1e-3, *tight) if peer == "neuron-cvode" else (None,)):
                    label = LABELS[peer] + (f", atol {atol:g}" if atol else "")
                    runs.append((label, lambda n=n, peer=peer, atol=atol: run_peer(
                        peer, n, threads=args.threads, atol=atol)))
        for label, go in runs:
            print(f"N = {n}: {label} ...", file=sys.stderr, flush=True)
            try:
                got = go()
            except Exception as exc:  # noqa: BLE001  (a peer that cannot run is reported, not fatal)
                rows.append({"n": n, "method": label, "error": f"{type(exc).__name__}: {exc}"[:300]})
                continue
            rows.append({"n": n, "method": label, "setup_s": got.get("setup_s"), "run_s": got.get("run_s"),
                         "wall_s": got.get("wall_s"), "spike_err_ms": spike_error(got["sampled"], ref),
                         "peak_rss_mb": got.get("peak_rss_mb", float("nan")),
                         "step_attempts_per_cell": got.get("steps_per_cell"),
                         "settings": got.get("settings", {})})
    info = {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(),
            "threads": args.threads, "train": TRAIN, "duration_ms": DURATION,
            "reference": f"SciPy Radau rtol {REF_RTOL:g}"}
    results = HERE / "results"
    (results / "population.json").write_text(json.dumps({"info": info, "rows": rows}, indent=1))
    text = table(rows, info)
    (results / "population.md").write_text(text)
    print(text)
    return 0


def table(rows: list[dict], info: dict) -> str:
    lines = ["# Populations: nakpump's batch solver, NEURON and Brian2", "",
             f"N pump-leak cells (pump imax x 0.5-1.5), 1 s with a 10 Hz train {info['train']} "
             f"(start ms, number, Hz, pulse ms, uA/cm2); {info['threads']} threads on {info['cores']} cores; "
             f"spike-time errors on 11 sampled cells against {info['reference']}.", "",
             "| N | method | run (s) | x nakpump default | setup (s) | spike-time err (ms) | peak RSS (MB) |",
             "|---:|---|---:|---:|---:|---:|---:|"]
    for n in sorted({r["n"] for r in rows}):
        mine = [r for r in rows if r["n"] == n]
        base = next((r["run_s"] for r in mine if r["method"].startswith("nakpump") and "run_s" in r), None)
        for r in mine:
            if "error" in r:
                why = r["error"].strip().splitlines()[0].replace("|", "/")
                lines.append(f"| {n} | {r['method']} | not measured: {why} | | | | |")
                continue
            ratio = r["run_s"] / base if base else float("nan")
            lines.append(f"| {n} | {r['method']} | {r['run_s']:.2f} | {ratio:.1f} | {r['setup_s']:.2f} | "
                         f"{r['spike_err_ms']:.1e} | {r['peak_rss_mb']:.0f} |")
    lines += ["", "Ratios at equal or better accuracy: each peer's run time over that of the fastest nakpump "
              "row whose spike-time error is at most the peer's.", "",
              "| N | peer | peer's error (ms) | nakpump row | peer's time / nakpump's |",
              "|---:|---|---:|---|---:|"]
    for n in sorted({r["n"] for r in rows}):
        mine = [r for r in rows if r["n"] == n and "error" not in r]
        ours = [r for r in mine if r["method"].startswith("nakpump")]
        for r in mine:
            if r in ours:
                continue
            good = [o for o in ours if o["spike_err_ms"] <= r["spike_err_ms"]]
            if not good:
                lines.append(f"| {n} | {r['method']} | {r['spike_err_ms']:.1e} | none as accurate | |")
                continue
            best = min(good, key=lambda o: o["run_s"])
            lines.append(f"| {n} | {r['method']} | {r['spike_err_ms']:.1e} | {best['method']} | "
                         f"**{r['run_s'] / best['run_s']:.1f}x** |")
    ns = sorted({r["n"] for r in rows})
    if len(ns) > 1:
        lines.append("")
        lines.append(f"Memory per cell (the growth of the peak from N = {ns[0]} to {ns[-1]}):")
        for method in dict.fromkeys(r["method"] for r in rows):
            got = {r["n"]: r.get("peak_rss_mb") for r in rows if r["method"] == method and "error" not in r}
            if ns[0] in got and ns[-1] in got:
                per = 1024 * (got[ns[-1]] - got[ns[0]]) / (ns[-1] - ns[0])
                lines.append(f"- {method}: {per:.1f} kB")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
