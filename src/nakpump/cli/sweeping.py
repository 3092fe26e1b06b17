"""``nakpump sweep``: a scenario over a grid of parameter values
(``nakpump.sweeps``), with a progress line, the Dataset written to Zarr or
NetCDF and a figure of each measure."""

from __future__ import annotations

import sys
import time

import numpy as np

from .checks import UsageError, check_output, parse_number
from .progress import _clock


def parse_grid(items: list[str]) -> dict[str, np.ndarray]:
    """``--grid NAME=START:STOP:N`` (N values from START to STOP, both included) or
    ``NAME=V1,V2,...``: {name: values}, each name once."""
    grid: dict[str, np.ndarray] = {}
    if not items:
        raise UsageError("--grid: give at least one NAME=START:STOP:N "
                         "(e.g. --grid alpha1.density=500:2000:4)")
    for item in items:
        if "=" not in item:
            raise UsageError(f"--grid {item!r}: expected NAME=START:STOP:N or NAME=V1,V2,...")
        name, text = (part.strip() for part in item.split("=", 1))
        if "." not in name:
            raise UsageError(f"--grid {item!r}: NAME must be OWNER.PARAMETER (cell.K_o, scenario.frequency)")
        if name in grid:
            raise UsageError(f"--grid {name} is given twice; give it once")
        if ":" in text:
            parts = text.split(":")
            if len(parts) != 3:
                raise UsageError(f"--grid {item!r}: expected START:STOP:N")
            start = parse_number(parts[0], f"--grid {name} start", "a number")
            stop = parse_number(parts[1], f"--grid {name} stop", "a number")
            n = parse_number(parts[2], f"--grid {name} N", "a whole number 1 to 1000")
            if n != int(n) or not 1 <= n <= 1000:
                raise UsageError(f"--grid {name} N = {parts[2]} is out of range "
                                 "(allowed a whole number 1 to 1000)")
            grid[name] = np.linspace(start, stop, int(n))
        else:
            grid[name] = np.array([parse_number(v, f"--grid {name}", "a number") for v in text.split(",")])
    return grid


class SweepProgress:
    """points done, the rate and the time left, on stderr."""

    def __init__(self, enabled: bool):
        self.enabled, self.start, self.first = enabled, time.perf_counter(), None
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if self.first is None:
            self.first = (now, done)
        line = f"{done} of {total} points"
        t0, d0 = self.first
        if done > d0 and now > t0:
            rate = (done - d0) / (now - t0)
            line += f", {rate * 60:.3g} per min, about {_clock((total - done) / rate)} left"
        sys.stderr.write(("\r  " + line + "   ") if self.tty else f"nakpump: {line}\n")
        if self.tty and done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def cmd_sweep(args) -> int:
    from ..catalog import get
    from ..sweeps import sweep

    out = check_output(args.out, (".zarr", ".nc"), "--out")
    plot = check_output(args.plot, (".png", ".pdf", ".svg"), "--plot")
    grid = parse_grid(args.grid)
    duration = None
    if args.duration is not None:
        duration = parse_number(args.duration, "--duration", "more than 0 ms")
        if duration <= 0:
            raise UsageError(f"--duration {args.duration}: out of range (allowed more than 0 ms)")
    rtol = None if args.rtol is None else parse_number(args.rtol, "--rtol", "more than 0 to 0.1")
    sc = get(args.scenario)
    workers = None
    if args.workers is not None:
        workers = int(parse_number(args.workers, "--workers", "a whole number at least 1"))
        if workers < 1:
            raise UsageError(f"--workers {args.workers}: out of range (allowed at least 1)")
    progress = SweepProgress(not args.quiet)
    ds = sweep(sc.full_name, grid, args.measure or None, scheduler=args.scheduler, out=out, duration=duration,
               rtol=rtol, cell=args.cell, workers=workers, progress=progress)
    missing = [m for m in (args.measure or []) if np.isnan(ds[m].values).all() and (ds["error"] == "").any()]
    if missing:
        raise UsageError(f"--measure {missing[0]}: not a measure of {sc.full_name} (see nakpump run "
                         f"{sc.full_name}: its summary's keys)")
    if not args.quiet:
        print(ds)
    if plot is not None:
        from ..figures.sweep import sweep_figure
        from ..results.plot import save

        save(sweep_figure(ds, f"nakpump sweep {sc.full_name}"), plot)
        if not args.quiet:
            print(f"wrote {plot}")
    if out is not None and not args.quiet:
        print(f"wrote {out}")
    failed = int((ds["error"] != "").sum())
    if failed:
        first = next(e for e in ds["error"].values.ravel() if e)
        print(f"nakpump: {failed} point(s) failed; the first: {first}", file=sys.stderr)
    return 0 if not failed else 1
