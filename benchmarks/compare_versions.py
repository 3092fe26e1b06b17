"""Speed of this checkout against another version of nakpump, in one run.

    python benchmarks/compare_versions.py --baseline /path/to/other/checkout [--repeats 7]

Both run the same single-cell benchmark (the default neuron, 100 pulses of
1 ms, 40 uA/cm2 at 10 Hz from 1 s, 60 s, every state sampled each ms) in
child processes, alternately (A B A B ...), each with its own warm disk
cache; the figure is the solver's wall time of a run (compilation excluded,
reported by the run itself), the median of several runs in each process,
and the ratio is taken pair by pair.  Both must print the same spike times
and end state (checked: spike times to 1e-6 ms, concentrations to 1e-9 mM,
far below the solver's tolerance; a change in the order of floating-point
operations moves them by round-off), so the ratio compares equal work.

Use it before and after a change that might touch speed:
``git worktree add /tmp/before <commit>`` gives the baseline checkout.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, statistics, sys
import nakpump as nk
cell = nk.pump_leak_cell() if hasattr(nk, "pump_leak_cell") else nk.default_cell()  # older versions
system = nk.compile_cell(cell)
protocol = nk.Protocol([nk.PulseTrain(1000.0, 100, 10.0, 1.0, 40.0)])
walls = []
for _ in range(int(sys.argv[1])):
    res = nk.simulate(system, protocol, duration=60000.0, dt=1.0)
    walls.append(res.meta["wall_time_s"])
print(json.dumps({"wall": statistics.median(walls), "spikes": [float(x) for x in res.spikes],
                  "Na_i": float(res["Na_i"][-1]), "K_o": float(res["K_o"][-1]), "steps": res.meta["steps"]}))
"""


def run(tree: Path, cache: Path, inner: int) -> dict:
    env = dict(os.environ, PYTHONPATH=str(tree / "src"), NAKPUMP_CACHE_DIR=str(cache / "nakpump"),
               NUMBA_CACHE_DIR=str(cache / "numba"))
    out = subprocess.run([sys.executable, "-c", CHILD, str(inner)], env=env, capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, type=Path, help="checkout of the other version")
    parser.add_argument("--repeats", type=int, default=7, help="process pairs (default 7)")
    parser.add_argument("--inner", type=int, default=5, help="runs per process (default 5)")
    args = parser.parse_args(argv)
    here = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        caches = {"this": Path(tmp) / "this", "baseline": Path(tmp) / "baseline"}
        run(here, caches["this"], 1)  # compile into the caches first (not timed)
        run(args.baseline, caches["baseline"], 1)
        pairs = []
        for _ in range(args.repeats):
            a = run(here, caches["this"], args.inner)
            b = run(args.baseline, caches["baseline"], args.inner)
            pairs.append((a, b))
    a0, b0 = pairs[0]
    same = (len(a0["spikes"]) == len(b0["spikes"])
            and max(abs(x - y) for x, y in zip(a0["spikes"], b0["spikes"], strict=True)) < 1e-6
            and abs(a0["Na_i"] - b0["Na_i"]) < 1e-9 and abs(a0["K_o"] - b0["K_o"]) < 1e-9)
    ratios = [a["wall"] / b["wall"] for a, b in pairs]
    print(f"this checkout: median {statistics.median(a['wall'] for a, _ in pairs):.4f} s per 60 s run "
          f"({a0['steps']} steps)")
    print(f"baseline:      median {statistics.median(b['wall'] for _, b in pairs):.4f} s per 60 s run "
          f"({b0['steps']} steps)")
    print(f"ratio this/baseline, pair by pair: median {statistics.median(ratios):.3f} "
          f"(min {min(ratios):.3f}, max {max(ratios):.3f}); same results: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
