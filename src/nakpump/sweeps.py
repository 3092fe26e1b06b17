"""Parameter sweeps: a scenario (or any function) over a grid of parameter
values, in this process or on a Dask cluster, written chunk by chunk so that
an interrupted sweep resumes.

    ds = nk.sweep("spike-train", grid={"alpha1.imax": [...], "scenario.frequency": [...]},
                  measures=["na_peak", "keeps_firing"], out="map.zarr")

Each point of the grid (the Cartesian product of the values, in the order
the names are given) is one run: for a scenario, its cell built with the
point's values as ``nakpump run SCENARIO --set NAME=VALUE`` would
(``scenario.NAME`` sets a scenario option; ``cell.X_o`` also sets the bath's
X), then the scenario run and its measures read from its summary; for a
function, ``f(**values)`` returning {measure: number}.  The result is an
xarray Dataset whose dimensions are the swept names, one variable per
measure, and ``error`` (empty where the point ran).

Where it runs (``scheduler``): None, a Dask ``LocalCluster`` on this
machine (one single-threaded worker process per core), started and stopped
here; "inline", this process, no Dask; an address ("tcp://host:8786") or a
``dask.distributed.Client``, that cluster.  Workers receive plain data (the
scenario's name and the point's values; never a compiled System, which does
not unpickle in another process), compile the cell once per process from the
disk cache, and run one point at a time.

Resuming (``out``): each finished chunk of points is saved in ``OUT.parts/``
as it arrives, beside a description of the sweep; a sweep started again with
the same description skips the chunks saved, so an interrupt or a worker
that dies (Dask reruns its chunk elsewhere) costs at most the chunks in
flight.  At the end the Dataset is written to ``out`` (``.zarr`` or
``.nc``).
"""

from __future__ import annotations

import itertools
import json
import math
import os
import tempfile
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np

__all__ = ["CELL_MEASURES", "MAX_POINTS", "STATS", "scenario_point", "sweep"]

MAX_POINTS = 1_000_000
"""The most points a sweep may have."""
UNITS = "__units__"
"""The key under which a point's function may return its measures' units ({measure: unit})."""


def scenario_point(scenario: str, values: dict, measures: Sequence[str] | None = None,
                   duration: float | None = None, rtol: float | None = None, cell: str | None = None) -> dict:
    """Run ``scenario`` with ``values`` (dotted names as ``--set`` takes them)
    and return its measures ({key: float}; booleans as 0/1, missing or
    non-numeric ones as NaN); ``cell``: the kind of cell for the default
    neuron's scenarios (``--cell``).  Runs in a worker: plain data in and out."""
    from .catalog import get
    from .catalog.scenario import with_bath
    from .solve.simulate import Tolerances

    sc = get(scenario)
    options = {k.split(".", 1)[1]: v for k, v in values.items() if k.startswith("scenario.")}
    sets = {k: v for k, v in values.items() if not k.startswith("scenario.") and k != "pump.model"}
    model = values.get("pump.model")
    built = sc.make_cell(pump=model, cell=cell)
    built.update(with_bath(built, sets))
    tol = Tolerances(rtol=rtol) if rtol is not None else None
    summary = sc.run(cell=built, options=options, duration=duration, tol=tol).summary
    got = summary.as_dict()
    keys = list(got) if measures is None else list(measures)
    out = {k: _number(got.get(k)) for k in keys}
    out[UNITS] = {k: summary.measures[k].unit for k in keys if k in summary.measures}
    return out


def _number(value) -> float:
    if isinstance(value, bool | np.bool_):
        return float(value)
    if isinstance(value, int | float | np.integer | np.floating):
        return float(value)
    return math.nan


def _grid(grid: Mapping[str, Sequence[float]]) -> dict[str, np.ndarray]:
    if not isinstance(grid, Mapping) or not grid:
        raise ValueError("grid: at least one NAME: values pair expected")
    out = {}
    for name, values in grid.items():
        if not isinstance(name, str) or "." not in name:
            raise ValueError(f"grid: {name!r} is not a dotted parameter name (cell.K_o, alpha1.imax, "
                             "scenario.frequency)")
        a = np.atleast_1d(np.asarray(values, dtype=float))
        if a.ndim != 1 or len(a) == 0 or not np.all(np.isfinite(a)):
            raise ValueError(f"grid[{name!r}]: one or more finite numbers expected")
        out[name] = a
    count = math.prod(len(a) for a in out.values())
    if count > MAX_POINTS:
        raise ValueError(f"grid: {count} points is out of range (allowed at most {MAX_POINTS})")
    return out


def _chunk(points: list[tuple[int, dict]], run, part: str | None = None) -> dict:
    """Run the points of one chunk; returns {index: (measures, error)}.  With
    ``part`` (a file the worker can reach), the chunk is saved there as soon
    as it is done, and a chunk found there is read instead of run again (Dask
    reruns a chunk whose result was lost with its worker)."""
    if part is not None:
        try:
            return _read_part(Path(part))
        except (OSError, ValueError):
            pass
    out = {}
    if hasattr(run, "chunk"):  # the whole chunk at once (a population)
        try:
            out = run.chunk(points)
        except (ValueError, ArithmeticError, RuntimeError) as exc:
            out = {index: ({}, _message(exc)) for index, _ in points}
    for index, values in points:
        if index in out:
            continue
        try:
            out[index] = (run(values), "")
        except (ValueError, ArithmeticError, RuntimeError) as exc:
            out[index] = ({}, _message(exc))
    if part is not None:
        try:
            _write_part(Path(part), out)
        except OSError:  # not reachable from this worker: the client saves it
            pass
    return out


def _message(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".splitlines()[0]


def _read_part(path: Path) -> dict:
    return {int(i): (m, e) for i, (m, e) in json.loads(path.read_text()).items()}


def _write_part(path: Path, got: dict) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    with os.fdopen(fd, "w") as fh:
        json.dump({str(i): [m, e] for i, (m, e) in got.items()}, fh)
    os.replace(tmp, path)


class _ScenarioRun:
    """A picklable ``run(values)`` for a scenario (plain data: the name and settings)."""

    def __init__(self, scenario, measures, duration, rtol, cell):
        self.scenario, self.measures, self.duration = scenario, measures, duration
        self.rtol, self.cell = rtol, cell

    def __call__(self, values):
        return scenario_point(self.scenario, values, self.measures, self.duration, self.rtol, self.cell)


class _FunctionRun:
    def __init__(self, function):
        self.function = function

    def __call__(self, values):
        got = self.function(**{k.replace(".", "_"): v for k, v in values.items()})
        return {k: (v if k == UNITS else _number(v)) for k, v in dict(got).items()}


CELL_MEASURES = {"spike_count": "1", "first_spike": "ms", "last_spike": "ms", "steps": "1"}
"""The measures of a Cell's sweep besides ``VAR:STAT`` (STAT one of ``STATS``)."""
STATS = ("final", "min", "max", "mean")


class _CellRun:
    """A picklable chunk runner for a Cell and a Protocol (plain data): the chunk's points run as one
    population (``simulate_batch``, each point a cell with the point's parameters), its measures
    read from the population's Dataset."""

    def __init__(self, cell, protocol, duration: float, rtol: float | None, measures: list[str],
                 dt: float | None):
        self.cell, self.protocol, self.duration, self.rtol = cell, protocol, duration, rtol
        self.measures, self.dt, self.threads = measures, dt, 1

    def recorded(self) -> list[str]:
        return sorted({m.split(":", 1)[0] for m in self.measures if ":" in m})

    def check(self, grid: dict) -> None:
        """The grid's names are the cell's parameters and the measures are known (one-line errors)."""
        from .model.protocol import _check_time

        self.duration = _check_time(self.duration, "duration", allow_zero=False)
        for name in grid:
            self.cell[name]
        lay = _compiled(self.cell).layout
        known = {"V", *(e.name for e in lay.observables), *(e.name for e in lay.states)}
        for m in self.measures:
            if ":" in m:
                var, stat = m.split(":", 1)
                if stat not in STATS:
                    raise ValueError(f"measures: {m!r}: the statistic must be one of {', '.join(STATS)}")
                if var not in known:
                    have = ", ".join(sorted(e.name for e in lay.observables))
                    raise ValueError(f"measures: {m!r}: the cell has no state or observable {var!r} "
                                     f"(have: V, {have})")
            elif m not in CELL_MEASURES:
                raise ValueError(f"measures: {m!r} is not a measure of a cell's sweep (have "
                                 f"{', '.join(CELL_MEASURES)} and VAR:STAT, e.g. V:max, Na_i:final)")

    def chunk(self, points: list[tuple[int, dict]]) -> dict:
        from .solve.batch import simulate_batch
        from .solve.simulate import Tolerances

        names = list(points[0][1])
        params = {k: np.array([values[k] for _, values in points]) for k in names}
        tol = Tolerances(rtol=self.rtol) if self.rtol is not None else None
        ds = simulate_batch(_compiled(self.cell), self.protocol, params=params, duration=self.duration,
                            dt=self.dt, record=self.recorded(), tol=tol, threads=self.threads)
        import warnings

        got = {}
        with warnings.catch_warnings():  # a failed cell's NaNs: its measures are NaN
            warnings.simplefilter("ignore", RuntimeWarning)
            times = ds["spike_times"].values
            none = np.full(len(points), np.nan)
            columns = {"spike_count": ds["spike_count"].values.astype(float), "steps": ds["steps"].values,
                       "first_spike": times[:, 0] if times.shape[1] else none,
                       "last_spike": np.nanmax(times, axis=1) if times.shape[1] else none}
            units = dict(CELL_MEASURES)
            for m in self.measures:
                if ":" in m:
                    var, stat = m.split(":", 1)
                    trace = ds[var].values
                    columns[m] = trace[:, -1] if stat == "final" else getattr(np, f"nan{stat}")(trace, axis=1)
                    units[m] = ds[var].attrs.get("units", "")
        for k, (index, _) in enumerate(points):
            error = str(ds["error"].values[k])
            measures = {} if error else {m: _number(columns[m][k]) for m in self.measures}
            if not error:
                measures[UNITS] = {m: units[m] for m in self.measures}
            got[index] = (measures, error)
        return got


_SYSTEMS: dict = {}
_SYSTEMS_LOCK = threading.Lock()


def _compiled(cell):
    """``cell`` compiled once per process (a worker runs many chunks of the same Cell)."""
    from .compile.system import compile_cell

    key = _digest(cell)
    with _SYSTEMS_LOCK:
        if key not in _SYSTEMS:
            if len(_SYSTEMS) >= 4:
                _SYSTEMS.pop(next(iter(_SYSTEMS)))
            _SYSTEMS[key] = compile_cell(cell)
        return _SYSTEMS[key]


def _check_scenario(scenario: str, grid: dict, cell: str | None) -> None:
    """The scenario exists and every swept name is one of its options or its cell's parameters."""
    from .catalog import get

    sc = get(scenario)
    probe = sc.make_cell(cell=cell, calibrate=False)
    for name in grid:
        if name.startswith("scenario."):
            sc.option_values({name.split(".", 1)[1]: float(grid[name][0])})
        elif name != "pump.model":
            probe[name]


def sweep(target: str | Callable, grid: Mapping[str, Sequence[float]], measures: Sequence[str] | None = None,
          *, scheduler=None, out: str | os.PathLike | None = None, chunk: int | None = None,
          duration: float | None = None, rtol: float | None = None, cell: str | None = None,
          workers: int | None = None, progress: Callable | None = None, protocol=None,
          dt: float | None = None):
    """Run ``target`` over ``grid`` and return an xarray Dataset (module docstring).

    Parameters
    ----------
    target : Cell, str or callable
        A Cell (each point one cell of a population with the point's
        parameters, run through ``protocol`` for ``duration`` ms: a chunk of
        points is one ``simulate_batch``), a scenario name
        (``"spike-train"``, ``"wei2014:seizures"``) or a function
        ``f(**values) -> {measure: number}`` (dots in the names become
        underscores; it must be importable by the workers).
    grid : dict name -> values
        The swept parameters (dotted names) and their values.
    measures : list of str, optional
        The measures to keep: a scenario's summary keys (default: all); for
        a Cell, ``spike_count``, ``first_spike``, ``last_spike`` (ms),
        ``steps`` and ``VAR:STAT`` (VAR a state or observable, STAT one of
        final, min, max, mean over the run; default: spike_count).
    scheduler : None, "inline", address or dask.distributed.Client
        Where the points run (module docstring).
    out : path, optional
        ``.zarr`` or ``.nc``: the Dataset is written there, and finished
        chunks are kept in ``OUT.parts/`` so that the sweep resumes.
    chunk : int, optional
        Points per task (default: about four tasks per worker).
    duration, rtol, cell : optional
        The scenario's run length (ms), solver tolerance and kind of cell
        (``"pump-leak"``; the default neuron's scenarios).
    workers : int, optional
        Worker processes of the LocalCluster (default: one per core).
    progress : callable(done, total), optional
        Called as chunks finish (points done, points in all).
    protocol : Protocol, optional
        A Cell's stimuli and timed changes (default: none).
    dt : float, optional
        A Cell's recording interval (ms) for ``VAR:STAT`` measures.
    """
    import xarray as xr

    from .model.cell import Cell
    from .model.protocol import Protocol

    values = _grid(grid)
    if not isinstance(target, Cell) and (protocol is not None or dt is not None):
        raise ValueError("protocol, dt: only a Cell's sweep takes them (a scenario has its own)")
    if isinstance(target, Cell) and cell is not None:
        raise ValueError("cell: only a scenario's sweep takes the kind of cell (the Cell is the target)")
    if isinstance(target, Cell):
        if duration is None:
            raise ValueError("duration: a Cell's sweep needs the run's length (ms)")
        if protocol is not None and not isinstance(protocol, Protocol):
            raise ValueError(f"protocol: a Protocol expected (got {type(protocol).__name__})")
        run = _CellRun(target, protocol or Protocol(), float(duration), rtol,
                       list(measures) if measures is not None else ["spike_count"], dt)
        run.check(values)
        what = f"cell {target.name} {_digest((target, protocol))}"
    elif isinstance(target, str):
        _check_scenario(target, values, cell)
        run = _ScenarioRun(target, list(measures) if measures is not None else None, duration, rtol, cell)
        what = target
    elif callable(target):
        run = _FunctionRun(target)
        what = f"{getattr(target, '__module__', '?')}.{getattr(target, '__qualname__', repr(target))}"
    else:
        raise ValueError(f"target: a Cell, a scenario name or a function expected "
                         f"(got {type(target).__name__})")
    out = _check_out(out)
    names = list(values)
    shape = tuple(len(values[k]) for k in names)
    points = [(i, dict(zip(names, (float(x) for x in combo), strict=True)))
              for i, combo in enumerate(itertools.product(*(values[k] for k in names)))]
    n_workers = workers or os.cpu_count() or 1
    size = int(chunk) if chunk else max(1, math.ceil(len(points) / (4 * n_workers)))
    if isinstance(run, _CellRun):
        run.threads = None if scheduler == "inline" else 1
        if run.recorded() and not chunk:  # each point's traces: about 64 MB per chunk at most
            from .solve.simulate import default_dt

            samples = duration / (dt or default_dt(duration)) + 1
            size = max(1, min(size, int((64 << 20) // (8 * samples * len(run.recorded())))))
    if size < 1:
        raise ValueError(f"chunk = {chunk} is out of range (allowed at least 1 point)")
    chunks = [points[a:a + size] for a in range(0, len(points), size)]
    description = {"target": what, "protocol": protocol.describe() if protocol is not None else None,
                   "dt": dt, "grid": {k: v.tolist() for k, v in values.items()},
                   "measures": list(measures) if measures is not None else None, "duration": duration,
                   "rtol": rtol, "cell": cell, "chunk": size}
    parts = _Parts(out, description) if out is not None else None
    found = parts.load() if parts else {}
    todo = [k for k in range(len(chunks)) if k not in found]
    results = dict(found)
    done = sum(len(chunks[k]) for k in found)
    if progress is not None:
        progress(done, len(points))

    def finished(k: int, got: dict) -> None:
        nonlocal done
        results[k] = got
        if parts:
            parts.save(k, got)
        done += len(chunks[k])
        if progress is not None:
            progress(done, len(points))

    if todo:
        _execute(scheduler, n_workers, run, chunks, todo, finished, parts)
    ds = _dataset(xr, names, values, shape, chunks, results, measures, description)
    if out is not None:
        _write(ds, out)
    return ds


def _execute(scheduler, n_workers: int, run, chunks, todo: list[int], finished, parts) -> None:
    def part(k):
        return None if parts is None else str(parts.path(k))

    if scheduler == "inline":
        for k in todo:
            finished(k, _chunk(chunks[k], run, part(k)))
        return
    from dask.distributed import Client, LocalCluster, as_completed

    own = None
    if scheduler is None:
        own = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(own)
    elif isinstance(scheduler, str):
        client = Client(scheduler)
    elif isinstance(scheduler, Client):
        client = scheduler
    else:
        raise ValueError(f"scheduler: None, 'inline', an address or a dask Client expected "
                         f"(got {scheduler!r})")
    try:
        futures = {client.submit(_chunk, chunks[k], run, part(k), pure=False): k for k in todo}
        for future in as_completed(list(futures)):
            got = future.result()
            k = futures.pop(future)
            future.release()  # kept, a result lost with its worker would be computed again
            finished(k, got)
    finally:
        if client is not scheduler:
            client.close()
        if own is not None:
            own.close()


def _dataset(xr, names, values, shape, chunks, results, measures, description):
    got = {index: r for part in results.values() for index, r in part.items()}
    units = {}
    for m, _ in got.values():
        units.update(m.get(UNITS, {}))
    found = {k for m, _ in got.values() for k in m} - {UNITS}
    keys = list(measures) if measures is not None else sorted(found)
    data = {k: np.full(math.prod(shape), np.nan) for k in keys}
    errors = np.full(math.prod(shape), "", dtype=object)
    for index, (m, err) in got.items():
        errors[index] = err
        for k in keys:
            data[k][index] = m.get(k, math.nan)
    coords = {k: values[k] for k in names}
    ds = xr.Dataset({k: (names, v.reshape(shape), {"units": units.get(k, "")}) for k, v in data.items()},
                    coords=coords)
    ds["error"] = (names, errors.reshape(shape))
    from ._version import __version__

    ds.attrs.update({"nakpump_version": __version__, "sweep": json.dumps(description)})
    return ds


def _digest(obj) -> str:
    """A short hash of ``obj``'s pickle (a Cell and its Protocol: a resumed sweep must be the same)."""
    import hashlib
    import pickle

    return hashlib.sha256(pickle.dumps(obj)).hexdigest()[:16]


def _check_out(out) -> Path | None:
    if out is None:
        return None
    path = Path(out)
    if path.suffix not in (".zarr", ".nc"):
        raise ValueError(f"out: {str(out)!r} must end in .zarr or .nc")
    if not path.parent.exists():
        raise ValueError(f"out: the folder {str(path.parent)!r} does not exist")
    return path


def _write(ds, path: Path) -> None:
    """Write atomically: to a temporary name beside ``path``, then renamed."""
    import shutil

    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp{path.suffix}")
    if tmp.exists():
        shutil.rmtree(tmp) if tmp.is_dir() else tmp.unlink()
    saved = ds.copy()
    saved["error"] = saved["error"].astype(str)
    if path.suffix == ".zarr":
        saved.to_zarr(tmp, mode="w", zarr_format=2, consolidated=True)
    else:
        saved.to_netcdf(tmp)
    if path.exists():
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    os.replace(tmp, path)


class _Parts:
    """The finished chunks of a sweep, one file each, beside its description."""

    def __init__(self, out: Path, description: dict):
        self.folder = out.with_name(out.name + ".parts")
        self.description = description

    def load(self) -> dict:
        info = self.folder / "sweep.json"
        if not self.folder.exists():
            self.folder.mkdir()
            info.write_text(json.dumps(self.description, indent=1))
            return {}
        if not info.exists() or json.loads(info.read_text()) != self.description:
            raise ValueError(f"out: {str(self.folder)!r} holds the parts of another sweep; remove it "
                             "or write elsewhere")
        return {int(f.stem.split("_")[1]): _read_part(f) for f in self.folder.glob("chunk_*.json")}

    def path(self, k: int) -> Path:
        return self.folder / f"chunk_{k}.json"

    def save(self, k: int, got: dict) -> None:
        if not self.path(k).exists():
            _write_part(self.path(k), got)
