"""The commands: each checks what it was given (light work) before it
builds a model or runs one (heavy work), and on a failure or Ctrl-C writes
whatever was computed before it says so."""

from __future__ import annotations

import signal
import sys
from contextlib import contextmanager

from ..errors import RunInterrupted, SolverError
from .checks import UsageError, check_output, parse_number, parse_sets
from .progress import Progress, slow_notice

__all__ = ["COMMANDS"]


@contextmanager
def _held_interrupt():
    """Hold Ctrl-C while what was computed is reported and written; yields a
    list that is non-empty afterwards if Ctrl-C was pressed meanwhile."""
    caught: list[bool] = []
    old = signal.getsignal(signal.SIGINT)
    try:
        signal.signal(signal.SIGINT, lambda *_: caught.append(True))
    except ValueError:  # not the main thread: nothing to hold
        yield caught
        return
    try:
        yield caught
    finally:
        signal.signal(signal.SIGINT, old)


def _duration(text: str | None) -> float | None:
    if text is None:
        return None
    from ..model.protocol import MAX_TIME_MS

    x = parse_number(text, "--duration", f"more than 0 to {MAX_TIME_MS:g} ms")
    if not 0 < x <= MAX_TIME_MS:
        raise UsageError(f"--duration = {x:g} ms is out of range "
                         f"(allowed more than 0 to {MAX_TIME_MS:g} ms)")
    return x


def _rtol(text: str | None):
    if text is None:
        return None
    x = parse_number(text, "--rtol", "more than 0 to 0.1")
    from ..solve.simulate import Tolerances

    try:
        return Tolerances(rtol=x)
    except ValueError:
        raise UsageError(f"--rtol = {x:g} is out of range (allowed more than 0 to 0.1)") from None


def _prepare(args):
    """Everything checkable before the model is built: the scenario, its
    options, the cell, the --set names and ranges (on a cell built without
    calibration).  Returns (scenario, options, set values, pump model)."""
    from ..catalog import get

    values, options, model = parse_sets(args.sets)
    sc = get(args.scenario)
    sc.option_values(options)
    probe = sc.make_cell(pump=model, cell=args.cell, calibrate=False)
    probe.with_params(values)
    values = with_bath(probe, values, say=not getattr(args, "quiet", False))
    return sc, options, values, model


def with_bath(cell, values: dict, say: bool = False) -> dict:
    """``catalog.scenario.with_bath``, saying on stderr (if ``say``) which bath each
    ``cell.X_o`` also set."""
    from ..catalog.scenario import with_bath as linked

    out = linked(cell, values)
    for bath in sorted(out.keys() - values.keys()):
        source = f"cell.{cell.mechanism(bath.split('.', 1)[0]).ion}_o"
        if say:
            sys.stderr.write(f"nakpump: --set {source}={out[bath]:g} also sets {bath}={out[bath]:g} (the "
                             f"bath that the outside exchanges {source[5:-2]} with)\n")
    return out


def _build(sc, values: dict, model, cell_kind, quiet: bool):
    with slow_notice("building the cell (the first run compiles it; later runs load it from the disk "
                     "cache)", enabled=not quiet):
        cell = sc.make_cell(pump=model, cell=cell_kind)
        cell.update(values)
    return cell


def _provenance(result, args, values: dict) -> None:
    result.meta["command"] = "nakpump " + " ".join(getattr(args, "argv", []))
    result.meta["settings"] = {k: v for k, v in values.items()}


def _write(result, outcome, sc, out, plot, quiet: bool) -> list[str]:
    """Write the time series and the figure (each atomically); returns what was written."""
    wrote = []
    if out is not None:
        result.save(out)
        wrote.append(f"{out} ({len(result.t)} samples, {len(result.names)} columns)")
    if plot is not None and len(result.t) > 1:
        from ..figures import figure, timecourses
        from ..figures.style import heading
        from ..results.plot import save
        fig = figure(outcome) if outcome is not None else timecourses(
            result, heading(sc, result.meta.get("cell"), f" (stopped at {result.t[-1]:g} ms)"))
        save(fig, plot)
        wrote.append(str(plot))
    if not quiet:
        for line in wrote:
            print(f"wrote {line}")
    return wrote


def cmd_run(args) -> int:
    if getattr(args, "spec", None) is not None:
        return cmd_run_spec(args)
    out = check_output(args.out, (".csv", ".nc"), "--out")
    plot = check_output(args.plot, (".png", ".pdf", ".svg"), "--plot")
    duration, tol = _duration(args.duration), _rtol(args.rtol)
    sc, options, values, model = _prepare(args)
    cell = _build(sc, values, model, args.cell, args.quiet)
    progress = Progress(not args.quiet, duration or sc.duration)
    outcome = result = None
    stopped = ""
    try:
        outcome = sc.run(cell=cell, options=options, duration=duration, tol=tol, progress=progress)
        result = outcome.result
    except RunInterrupted as stop:
        result, stopped = stop.result, str(stop)
    except SolverError as err:
        result, stopped = err.partial, str(err)
    finally:
        progress.close()
    wrote: list[str] = []
    with _held_interrupt() as caught:  # Ctrl-C from here on waits until everything is written
        if outcome is not None and not args.quiet:
            print(outcome.summary.text())
        if result is not None:
            _provenance(result, args, values)
            wrote = _write(result, outcome, sc, out, plot, args.quiet)
    if caught and not stopped:
        stopped = "interrupted after the run had finished"
    if stopped:
        what = "the whole run" if outcome is not None else "what was computed"
        where = f"; wrote {what} to {', '.join(w.split(' (')[0] for w in wrote)}" if wrote else ""
        print(f"nakpump: {stopped}{where}", file=sys.stderr)
        return 130 if "interrupted" in stopped else 1
    return 0


def cmd_run_spec(args) -> int:
    """``nakpump run --spec FILE``: replay a run of the browser explorer exactly."""
    import json
    from pathlib import Path

    for flag, value in (("--plot", args.plot), ("--duration", args.duration), ("--rtol", args.rtol),
                        ("--cell", args.cell)):
        if value is not None:
            raise UsageError(f"{flag} cannot be used with --spec (the spec file fixes the run)")
    if args.sets or args.scenario != "spike-train":
        raise UsageError("--spec replays a file: give no scenario and no --set with it")
    out = check_output(args.out, (".csv",), "--out")
    try:
        spec = json.loads(Path(args.spec).read_text())
    except OSError as err:
        raise UsageError(f"--spec {args.spec}: cannot read it ({err.strerror or err})") from None
    except ValueError:
        raise UsageError(f"--spec {args.spec}: not a JSON spec file (download one from the "
                         "explorer)") from None
    from ..serve.spec import replay_run

    with slow_notice("building the cell (the first run compiles it)", enabled=not args.quiet):
        run = replay_run(spec)
    if not args.quiet:
        r = run.state_end
        print(f"replayed {args.spec}: cell {spec['cell']}, {run.t:g} ms in {sum(c[1] for c in run.chunks)} "
              f"chunks, {len(run.spikes)} spikes")
        print("  at the end: " + ", ".join(f"{k} {v:g}" for k, v in r.items() if v is not None))
    if out is not None:
        Path(out).write_text(run.csv())
        if not args.quiet:
            print(f"wrote {out}")
    return 0


def cmd_serve(args) -> int:
    """``nakpump serve``: the browser explorer (FastAPI + uvicorn, imported only here)."""
    port = parse_number(args.port, "--port", "1 to 65535")
    if port != int(port) or not 1 <= port <= 65535:
        raise UsageError(f"--port = {args.port} is out of range (allowed 1 to 65535)")
    try:
        import fastapi  # noqa: F401
        import uvicorn
    except ImportError as err:
        print(f"nakpump: error: serve needs {err.name or 'fastapi and uvicorn'}: "
              'pip install fastapi uvicorn (both are dependencies of nakpump: reinstall it)', file=sys.stderr)
        return 2
    import threading
    import webbrowser

    from ..serve.app import create_app

    host = "localhost" if args.host in ("127.0.0.1", "0.0.0.0", "::") else args.host
    url = f"http://{host}:{int(port)}/"
    print(f"nakpump serve: the explorer is at {url} (Ctrl-C stops it; cells compile in the background)",
          flush=True)
    if args.open:
        threading.Timer(1.0, lambda: webbrowser.open(url)).start()
    uvicorn.run(create_app(), host=args.host, port=int(port), log_level="warning")
    return 0


def cmd_ledger(args) -> int:
    out = check_output(args.out, (".csv",), "--out")
    duration = _duration(args.duration)
    sc, options, values, model = _prepare(args)
    cell = _build(sc, values, model, args.cell, False)
    from ..results.ledger import text

    outcome = sc.run(cell=cell, options=options, duration=duration)
    frame = outcome.result.ledger()
    print(f"{sc.name}: {outcome.result.t[-1] / 1000:g} s")
    print(text(frame))
    if out is not None:
        frame.to_csv(out, index=False)
        print(f"wrote {out}")
    return 0


def cmd_pump_curves(args) -> int:
    from ..mechanisms import PUMP_MODELS, pump_model

    if args.list:
        for name in PUMP_MODELS:
            print(name)
        return 0
    if not args.model:
        raise UsageError("pump-curves: name a model (nakpump pump-curves --list)")
    cls = pump_model(args.model)
    plot = check_output(args.plot or f"pump-curves-{args.model}.png", (".png", ".pdf", ".svg"), "--plot")
    from ..pumpcurves import figure as pump_figure
    from ..pumpcurves import pump_current
    from ..results.plot import save

    j = pump_current(args.model)
    print(f"{args.model}: {cls.title}\n  source: {cls.source}")
    print(f"  at the default cell's rest with the published size ({cls.scale} = "
          f"{cls().values[cls.scale]:g}): J = {j:.4g} uA/cm2")
    save(pump_figure(args.model), plot)
    print(f"wrote {plot}")
    return 0


def cmd_presets(args) -> int:
    from ..catalog import PRESETS
    for name, preset in PRESETS.items():
        print(f"{name}: {preset.title}")
        for sc_name, sc in preset.scenarios.items():
            print(f"  {name}:{sc_name:<14} {sc.title}")
    return 0


def cmd_warm(args) -> int:
    """``nakpump warm``: compile each shipped cell and preset with its solver (LLVM machine code,
    cached on disk), each run for 1 ms, then Numba's driver (finite-difference Jacobians, cells that
    cannot be traced; cached on disk); says how long each took."""
    import time

    from ..catalog import PRESETS
    from ..catalog.cells import CELLS
    from ..compile.system import cache_dir, compile_cell
    from ..solve.simulate import simulate

    builders = [*CELLS.items(), *((name, preset.build) for name, preset in PRESETS.items())]
    for name, make in builders:
        started = time.perf_counter()
        system = compile_cell(make())
        simulate(system, duration=1.0)
        print(f"{name:<18} {time.perf_counter() - started:6.2f} s  {system.jac_note}")
    started = time.perf_counter()
    simulate(system, duration=1.0, jacobian="finite-difference")
    took = time.perf_counter() - started
    print(f"{'Numba driver':<18} {took:6.2f} s  (finite differences, cells that cannot be traced)")
    print(f"cached in {cache_dir().parent}")
    return 0


def cmd_cite(args) -> int:
    from ..catalog import get_preset

    print(get_preset(args.preset).cite())
    return 0


def cmd_validate(args) -> int:
    from ..validation import report, run_all

    out = check_output(args.out, (".md",), "--out")
    checks, diffs = run_all()
    text = report(checks, diffs)
    print(text)
    if out is not None:
        out.write_text(text)
        print(f"wrote {out}")
    return 1 if any(c.status == "FAIL" for c in checks) else 0


def cmd_scenarios(args) -> int:
    from ..catalog import SCENARIOS

    width = max(len(n) for n in SCENARIOS)
    for name, sc in SCENARIOS.items():
        print(f"{name:<{width}}  {sc.title}")
    return 0


def cmd_info(args) -> int:
    from ..catalog import get
    from ..compile.system import compile_cell
    from ..solve.rest import rest_report

    sc = get(args.scenario)
    cell = sc.make_cell(cell=args.cell)
    print(f"{sc.name}: {sc.title}\n  {sc.description}\n  default duration {sc.duration:g} ms")
    if sc.cells:
        print(f"  cells: {', '.join(sc.cells)} (--cell; default {next(iter(sc.cells))})")
    print()
    print(cell.describe())
    rep = rest_report(compile_cell(cell))
    area = cell.values["area"]
    print(f"  rest {rep.V_rest:.2f} mV (calibrated, not predicted); pump current {rep.pump_current:.3f} "
          f"uA/cm2, its electrogenic share {rep.pump_mV:.2f} mV")
    print(f"  membrane area {area:.0f} um2, capacitance {area * 1e-2 * cell.values['Cm']:.0f} pF, input "
          f"resistance {rep.input_resistance_MOhm:.0f} MOhm, time constant {rep.tau_m_ms:.1f} ms; "
          f"test pulse {cell.test_pulse[0]:g} uA/cm2 for {cell.test_pulse[1]:g} ms")
    if rep.note:
        print(f"  note: {rep.note}")
    print()
    print("scenario options (--set scenario.NAME=VALUE):")
    for p in sc.options:
        print(f"  scenario.{p.name} = {p.default:g} {p.unit}  ({p.range_text()}) {p.doc}")
    print("\ncell and mechanism parameters (--set NAME=VALUE):")
    for name, p, value in cell.parameters():
        print(f"  {name} = {value:.6g} {p.unit}  ({p.range_text()}) {p.doc}")
    print("\nmechanism sources:")
    for m in cell.mechanisms:
        print(f"  {m.name}: {m.source}")
    return 0


def _cmd_sweep(args) -> int:
    from .sweeping import cmd_sweep

    return cmd_sweep(args)


COMMANDS = {"run": cmd_run, "scenarios": cmd_scenarios, "info": cmd_info, "ledger": cmd_ledger,
            "pump-curves": cmd_pump_curves, "presets": cmd_presets, "cite": cmd_cite,
            "validate": cmd_validate, "serve": cmd_serve, "warm": cmd_warm, "sweep": _cmd_sweep}
