"""What Dask costs a sweep: the same grid in this process (``scheduler="inline"``)
and on a 2-worker LocalCluster that nakpump starts and stops, measured in one
run.

    python benchmarks/bench_sweep_overhead.py [--points 40]

The grid: the ``rest`` scenario of the pump-leak cell in a fixed bath over
``--points`` values of bath K+ (2 to 8 mM), one point per task.  Reported:
the whole sweep's wall time each way, the LocalCluster's start and stop
(timed alone, with no points), and so the time per point each way.  Results
go to ``benchmarks/results/sweep_overhead.md`` and ``.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

import nakpump as nk

HERE = Path(__file__).resolve().parent


def _sweep(points: int, **kw) -> float:
    started = time.perf_counter()
    ds = nk.sweep("rest", {"cell.bath": [1.0], "cell.K_o": np.linspace(2.0, 8.0, points)}, ["V_rest"],
                  cell="pump-leak", **kw)
    assert (ds["error"] == "").all()
    return time.perf_counter() - started


def _cluster_alone(workers: int) -> float:
    from dask.distributed import Client, LocalCluster

    started = time.perf_counter()
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    client.close()
    cluster.close()
    return time.perf_counter() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=40)
    args = parser.parse_args(argv)
    _sweep(2, scheduler="inline")  # the cell compiled and cached before either is timed
    inline = _sweep(args.points, scheduler="inline")
    cluster = _sweep(args.points, workers=2, chunk=1)
    start_stop = _cluster_alone(2)
    rows = {"points": args.points, "inline_s": inline, "cluster_s": cluster,
            "cluster_start_stop_s": start_stop, "cores": os.cpu_count()}
    per = args.points
    text = "\n".join([
        "# A sweep in this process and on a 2-worker Dask LocalCluster", "",
        f"{per} points of `rest` on the pump-leak cell (bath K+ 2-8 mM), one point per task; "
        f"{os.cpu_count()} cores.", "",
        "| where | wall (s) | per point (s) |", "|---|---:|---:|",
        f"| inline (this process) | {inline:.2f} | {inline / per:.3f} |",
        f"| LocalCluster, 2 workers (started and stopped by nakpump) | {cluster:.2f} | {cluster / per:.3f} |",
        f"| the LocalCluster's start and stop alone | {start_stop:.2f} | |", "",
        f"The cluster runs two points at a time: {inline / cluster:.2f} times the inline speed, after "
        f"{start_stop:.2f} s to start and stop it (each worker process also imports nakpump and loads the "
        "cell's machine code once); below a few seconds of work, inline is faster.", ""])
    (HERE / "results" / "sweep_overhead.json").write_text(json.dumps(rows, indent=1))
    (HERE / "results" / "sweep_overhead.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
