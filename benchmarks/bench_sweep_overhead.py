"""What Dask costs a sweep: the same grid in this process (``scheduler="inline"``)
and on a 2-worker LocalCluster that nakpump starts and stops, measured in one
run.

    python benchmarks/bench_sweep_overhead.py [--points 40] [--cells 4000]

Two grids.  A scenario: ``rest`` of the pump-leak cell in a fixed bath over
``--points`` values of bath K+ (2 to 8 mM), one point per task.  A Cell with
a Protocol: the population benchmark's pump-leak cells (``--cells`` values of
the pump's imax, x 0.5-1.5; 1 s of a 10 Hz train), swept as populations (a
chunk of points per ``simulate_batch``), against ``simulate_batch`` on the
same cells in this process (2 threads).  Reported: each wall time, the
LocalCluster's start and stop (timed alone, with no points), and the time per
point.  Results go to ``benchmarks/results/sweep_overhead.md`` and
``.json``.
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


TRAIN = (50.0, 10, 10.0, 2.0, 20.0)


def _cells(n: int, **kw) -> float:
    cell = nk.pump_leak_cell()
    started = time.perf_counter()
    ds = nk.sweep(cell, {"pump.imax": cell["pump.imax"] * np.linspace(0.5, 1.5, n)}, ["spike_count"],
                  protocol=nk.Protocol([nk.PulseTrain(*TRAIN)]), duration=1000.0, **kw)
    assert (ds["error"] == "").all() and (ds["spike_count"] == 10).all()
    return time.perf_counter() - started


def _batch(n: int) -> float:
    cell = nk.pump_leak_cell()
    started = time.perf_counter()
    imax = cell["pump.imax"] * np.linspace(0.5, 1.5, n)
    ds = nk.simulate_batch(cell, nk.Protocol([nk.PulseTrain(*TRAIN)]), params={"pump.imax": imax},
                           duration=1000.0, record=(), threads=2)
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
    parser.add_argument("--cells", type=int, default=4000)
    args = parser.parse_args(argv)
    _sweep(2, scheduler="inline")  # the cells compiled and cached before anything is timed
    _batch(8)
    inline = _sweep(args.points, scheduler="inline")
    cluster = _sweep(args.points, workers=2, chunk=1)
    start_stop = _cluster_alone(2)
    batch = _batch(args.cells)
    cells_inline = _cells(args.cells, scheduler="inline")
    cells_cluster = _cells(args.cells, workers=2)
    rows = {"points": args.points, "inline_s": inline, "cluster_s": cluster,
            "cluster_start_stop_s": start_stop, "cores": os.cpu_count(), "cells": args.cells,
            "batch_s": batch, "cells_inline_s": cells_inline, "cells_cluster_s": cells_cluster}
    m = args.cells
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
        "cell's machine code once); below a few seconds of work, inline is faster.", "",
        f"A Cell swept over {m} values of the pump's imax (1 s of a 10 Hz train each), as populations:", "",
        "| where | wall (s) | per cell (ms) |", "|---|---:|---:|",
        f"| `simulate_batch`, this process, 2 threads | {batch:.2f} | {1e3 * batch / m:.2f} |",
        f"| `sweep`, inline (one population per chunk, 2 threads) | {cells_inline:.2f} | "
        f"{1e3 * cells_inline / m:.2f} |",
        f"| `sweep`, LocalCluster, 2 workers of 1 thread | {cells_cluster:.2f} | "
        f"{1e3 * cells_cluster / m:.2f} |",
        "", f"The cluster's sweep costs {cells_cluster - batch:.2f} s more than the batch in this process "
        f"({cells_cluster / batch:.2f} times), of which {start_stop:.2f} s start and stop the cluster.", ""])
    (HERE / "results" / "sweep_overhead.json").write_text(json.dumps(rows, indent=1))
    (HERE / "results" / "sweep_overhead.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
