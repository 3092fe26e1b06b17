"""Start-up time: a fresh process that imports nakpump, builds and compiles
the default neuron (``--cell pump_leak_cell``: the pump-leak cell) and runs
its first simulation (1 s, its test pulse), with an
empty disk cache (cold) and then with the cache filled (warm).

    python benchmarks/bench_startup.py [--repeats 3]

Each figure is the whole process's wall time (median of the repeats) and,
from inside it, the time to ``import nakpump``, to build the cell (which
calibrates its rest), to compile it (``System.compile_time``) and to run
the first simulation (its solver time and, on the first run of a process,
loading the compiled solver).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
import nakpump as nk
t1 = time.perf_counter()
cell = getattr(nk, sys.argv[1])()
t2 = time.perf_counter()
system = nk.compile_cell(cell)
t3 = time.perf_counter()
res = nk.simulate(system, nk.Protocol([nk.Pulse(100.0, *cell.test_pulse[::-1])]), duration=1000.0, dt=0.1)
t4 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "cell": t2 - t1, "compile": t3 - t2, "simulate": t4 - t3,
                  "compile_time": system.compile_time, "spikes": len(res.spikes)}))
"""


def once(cache: Path, cell: str) -> dict:
    env = dict(os.environ, NAKPUMP_CACHE_DIR=str(cache / "nakpump"), NUMBA_CACHE_DIR=str(cache / "numba"))
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, cell], env=env, capture_output=True, text=True,
                         check=True)
    data = json.loads(out.stdout.strip().splitlines()[-1])
    data["process"] = time.perf_counter() - started
    return data


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--cell", default="default_cell", choices=("default_cell", "pump_leak_cell"),
                        help="the cell to build (default: the neuron in tissue)")
    args = parser.parse_args(argv)
    rows = {"cold": [], "warm": []}
    for _ in range(args.repeats):
        cache = Path(tempfile.mkdtemp())
        try:
            rows["cold"].append(once(cache, args.cell))
            rows["warm"].append(once(cache, args.cell))
        finally:
            shutil.rmtree(cache, ignore_errors=True)
    print(f"| start | process (s) | import | {args.cell} | compile_cell | first simulate |")
    print("|---|---:|---:|---:|---:|---:|")
    for kind, runs in rows.items():
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0] if k != "spikes"}
        print(f"| {kind} | {med['process']:.2f} | {med['import']:.3f} | {med['cell']:.2f} | "
              f"{med['compile']:.2f} | {med['simulate']:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
