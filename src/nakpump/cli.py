"""Command-line interface: a thin layer over the Python API.

    nakpump run [SCENARIO] [--set NAME=VALUE ...] [--duration MS]
                [--out FILE.csv|FILE.nc] [--plot FILE.png]
    nakpump scenarios
    nakpump info SCENARIO

Errors in what you type exit with status 2 and one line on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from ._version import __version__

DEFAULT_SCENARIO = "spike-train"
UNITS = ("units: time ms, voltage mV, concentration mM, current density uA/cm2 (outward +; "
         "electrode current into the cell +), conductance mS/cm2, capacitance uF/cm2, "
         "area um2, volume um3, temperature degC")


class UsageError(Exception):
    """Bad input from the command line."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nakpump",
        description="Simulate how the Na+/K+ pump builds and keeps a neuron's ion gradients. " + UNITS,
        epilog="Examples: nakpump run pump-block --plot pump-block.png --out pump-block.csv | "
               "nakpump run spike-train --set pump.imax=12 --set scenario.frequency=20 | "
               "nakpump info rest")
    parser.add_argument("--version", action="version", version=f"nakpump {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="run a scenario (or a preset's, as PRESET:SCENARIO)",
                         description="Run a named scenario, print its summary, and optionally write "
                                     "the time series and a figure. " + UNITS)
    run.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO,
                     help=f"scenario name or PRESET:SCENARIO (default {DEFAULT_SCENARIO}; "
                          "list: nakpump scenarios, nakpump presets)")
    run.add_argument("--set", dest="sets", action="append", default=[], metavar="NAME=VALUE",
                     help="change a parameter: cell.NAME (e.g. cell.K_o=8, mM), MECHANISM.NAME "
                          "(e.g. pump.imax=12 uA/cm2, pump.block=0.5, nat.gbar=40 mS/cm2), "
                          "pump.model=NAME (hill, sigmoid, luo-rudy, post-albers; recalibrated) or "
                          "scenario.NAME (e.g. scenario.frequency=20 Hz); repeatable; "
                          "'nakpump info SCENARIO' lists every name with its unit and range")
    run.add_argument("--cell", default=None, metavar="CELL",
                     help="the cell a default scenario runs on: tissue (default: a cortical neuron with an "
                          "astrocyte, extracellular space and bath) or pump-leak (one compartment, for "
                          "teaching)")
    run.add_argument("--duration", type=str, default=None, metavar="MS",
                     help="simulated time in ms (default: the scenario's)")
    run.add_argument("--out", default=None, metavar="FILE",
                     help="write the time series: .csv (units in column names) or .nc (NetCDF)")
    run.add_argument("--plot", default=None, metavar="FILE.png", help="write the figure (png, pdf or svg)")
    run.add_argument("--rtol", type=str, default=None, help="solver relative tolerance (default 1e-5)")
    run.add_argument("--quiet", action="store_true", help="print nothing but errors")

    led = sub.add_parser("ledger", help="run a scenario and print its ion and ATP ledger",
                         description="Run a scenario and print, for each ion and for ATP, the amounts "
                                     "at start and end, what each mechanism moved, and the "
                                     "conservation residual (amol per cell). " + UNITS)
    led.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO, help="scenario name")
    led.add_argument("--set", dest="sets", action="append", default=[], metavar="NAME=VALUE",
                     help="change a parameter, as for 'nakpump run'")
    led.add_argument("--cell", default=None, metavar="CELL", help="tissue (default) or pump-leak")
    led.add_argument("--duration", type=str, default=None, metavar="MS", help="simulated time in ms")
    led.add_argument("--out", default=None, metavar="FILE.csv", help="also write the ledger as CSV")

    pc = sub.add_parser("pump-curves", help="draw a pump model's I-V and its Na_i, K_o and ATP dependence",
                        description="Draw a pump model's current against V, Na_i, K_o and ATP (other "
                                    "conditions as the default cell at rest), with published data "
                                    "where the source gives them. " + UNITS)
    pc.add_argument("model", nargs="?", help="pump model (see --list)")
    pc.add_argument("--list", action="store_true", help="print the model names, one a line")
    pc.add_argument("--plot", default=None, metavar="FILE.png",
                    help="figure file (default pump-curves-MODEL.png in the current folder)")

    sub.add_parser("presets", help="list the published models and their scenarios")
    cite = sub.add_parser("cite", help="print a preset's references")
    cite.add_argument("preset", help="preset name (see nakpump presets)")
    val = sub.add_parser("validate", help="compare the presets with their papers and NEURON; exit 0 only "
                                          "if every comparison passes")
    val.add_argument("--out", default=None, metavar="FILE.md", help="write the report (markdown)")

    sub.add_parser("scenarios", help="list the scenarios")
    info = sub.add_parser("info", help="describe a scenario: the cell, its rest, the settable parameters")
    info.add_argument("scenario", help="scenario name")
    info.add_argument("--cell", default=None, metavar="CELL", help="tissue (default) or pump-leak")
    return parser


def _parse_sets(items: list[str]) -> tuple[dict, dict]:
    cell_values, options = {}, {}
    for item in items:
        if "=" not in item:
            raise UsageError(f"--set {item!r}: expected NAME=VALUE, e.g. pump.imax=10")
        name, value = item.split("=", 1)
        name = name.strip()
        value = value.strip()
        if name.startswith("scenario."):
            options[name.split(".", 1)[1]] = value
        else:
            cell_values[name] = value
    return cell_values, options


def _check_output(path: str | None, kinds: tuple[str, ...], flag: str) -> Path | None:
    if path is None:
        return None
    p = Path(path)
    if p.suffix.lower() not in kinds:
        raise UsageError(f"{flag} {path}: unknown extension {p.suffix!r} (allowed {', '.join(kinds)})")
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise UsageError(f"{flag} {path}: folder {str(parent)!r} does not exist")
    if not os.access(parent, os.W_OK):
        raise UsageError(f"{flag} {path}: folder {str(parent)!r} is not writable")
    return p


class _Progress:
    """Progress on stderr: on a terminal a one-line bar, shown after a second;
    elsewhere (a pipe, a log) a line when the run starts and then every few
    seconds, so that a caller can tell the run is under way."""

    def __init__(self, enabled: bool, every: float = 5.0):
        self.enabled = enabled
        self.tty = sys.stderr.isatty()
        self.start = time.perf_counter()
        self.last = None
        self.every = every
        self.shown = False

    def __call__(self, fraction: float) -> None:
        if not self.enabled:
            return
        now = time.perf_counter()
        if self.tty:
            if now - self.start < 1.0:
                return
            n = int(30 * fraction)
            sys.stderr.write(f"\r  [{'#' * n}{' ' * (30 - n)}] {100 * fraction:5.1f}%")
            self.shown = True
        elif self.last is None or now - self.last >= self.every:
            sys.stderr.write(f"nakpump: {100 * fraction:.1f}% of the run done\n")
            self.last = now
        sys.stderr.flush()

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r" + " " * 45 + "\r")
            sys.stderr.flush()


def _build(scenario_name: str, sets: list[str], cell_kind: str | None = None):
    from .catalog import get

    sc = get(scenario_name)
    cell_values, options = _parse_sets(sets)
    sc.option_values(options)
    model = cell_values.pop("pump.model", None)
    cell = sc.make_cell(pump=model, cell=cell_kind)
    values = {}
    for name, value in cell_values.items():
        if name == "cell.electrode_ion":
            values[name] = value
            continue
        try:
            values[name] = float(value)
        except ValueError:
            raise UsageError(f"--set {name}={value}: {value!r} is not a number") from None
    cell.update(values)
    return sc, cell, options


def cmd_run(args) -> int:
    from .catalog.scenario import RunInterrupted
    from .solve.simulate import Tolerances

    out = _check_output(args.out, (".csv", ".nc"), "--out")
    plot = _check_output(args.plot, (".png", ".pdf", ".svg"), "--plot")
    sc, cell, options = _build(args.scenario, args.sets, args.cell)
    duration = None
    if args.duration is not None:
        from .model.protocol import _check_time
        duration = _check_time(args.duration, "--duration", allow_zero=False)
    tol = None
    if args.rtol is not None:
        try:
            tol = Tolerances(rtol=float(args.rtol))
        except ValueError:
            raise UsageError(f"--rtol {args.rtol}: not a number in the allowed range "
                             "(more than 0 to 0.1)") from None
    progress = _Progress(not args.quiet)
    interrupted = None
    try:
        outcome = sc.run(cell=cell, options=options, duration=duration, tol=tol, progress=progress)
        result = outcome.result
    except RunInterrupted as stop:
        interrupted = stop
        result = stop.result
        outcome = None
    finally:
        progress.close()
    if outcome is not None and not args.quiet:
        print(outcome.summary.text())
    if out is not None:
        result.save(out)
        if not args.quiet:
            print(f"wrote {out} ({len(result.t)} samples, {len(result.names)} columns)")
    if plot is not None and len(result.t) > 1:
        from .results.plot import result_figure, save
        fig = outcome.figure() if outcome is not None else result_figure(
            result, f"nakpump {sc.name} (interrupted)")
        save(fig, plot)
        if not args.quiet:
            print(f"wrote {plot}")
    if interrupted is not None:
        print(f"nakpump: {interrupted}; wrote what was computed", file=sys.stderr)
        return 130
    return 0


def cmd_ledger(args) -> int:
    from .results.ledger import text

    out = _check_output(args.out, (".csv",), "--out")
    sc, cell, options = _build(args.scenario, args.sets, args.cell)
    duration = None
    if args.duration is not None:
        from .model.protocol import _check_time
        duration = _check_time(args.duration, "--duration", allow_zero=False)
    outcome = sc.run(cell=cell, options=options, duration=duration)
    frame = outcome.result.ledger()
    print(f"{sc.name}: {outcome.result.t[-1] / 1000:g} s")
    print(text(frame))
    if out is not None:
        frame.to_csv(out, index=False)
        print(f"wrote {out}")
    return 0


def cmd_pump_curves(args) -> int:
    from .mechanisms import PUMP_MODELS, pump_model

    if args.list:
        for name in PUMP_MODELS:
            print(name)
        return 0
    if not args.model:
        raise UsageError("pump-curves: name a model (nakpump pump-curves --list)")
    cls = pump_model(args.model)
    plot = _check_output(args.plot or f"pump-curves-{args.model}.png", (".png", ".pdf", ".svg"), "--plot")
    from . import pumpcurves
    from .results.plot import save

    j = pumpcurves.pump_current(args.model)
    print(f"{args.model}: {cls.title}\n  source: {cls.source}")
    print(f"  at the default cell's rest with the published size ({cls.scale} = "
          f"{cls().values[cls.scale]:g}): J = {j:.4g} uA/cm2")
    save(pumpcurves.figure(args.model), plot)
    print(f"wrote {plot}")
    return 0


def cmd_presets(args) -> int:
    from .catalog import PRESETS
    for name, preset in PRESETS.items():
        print(f"{name}: {preset.title}")
        for sc_name, sc in preset.scenarios.items():
            print(f"  {name}:{sc_name:<14} {sc.title}")
    return 0


def cmd_cite(args) -> int:
    from .catalog import get_preset

    print(get_preset(args.preset).cite())
    return 0


def cmd_validate(args) -> int:
    from .validation import report, run_all

    out = _check_output(args.out, (".md",), "--out")
    checks, diffs = run_all()
    text = report(checks, diffs)
    print(text)
    if out is not None:
        out.write_text(text)
        print(f"wrote {out}")
    return 1 if any(c.status == "FAIL" for c in checks) else 0


def cmd_scenarios(args) -> int:
    from .catalog import SCENARIOS

    width = max(len(n) for n in SCENARIOS)
    for name, sc in SCENARIOS.items():
        print(f"{name:<{width}}  {sc.title}")
    return 0


def cmd_info(args) -> int:
    from .catalog import get
    from .compile.system import compile_cell
    from .solve.rest import rest_report

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


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    handler = {"run": cmd_run, "scenarios": cmd_scenarios, "info": cmd_info, "ledger": cmd_ledger,
               "pump-curves": cmd_pump_curves, "presets": cmd_presets, "cite": cmd_cite,
               "validate": cmd_validate}[args.command]
    from .catalog.scenario import RunInterrupted
    from .solve.simulate import SolverError
    try:
        return handler(args)
    except RunInterrupted as stop:
        print(f"nakpump: {stop}; nothing written", file=sys.stderr)
        return 130
    except (UsageError, ValueError, KeyError, SolverError, OSError, RuntimeError) as err:
        msg = err.args[0] if isinstance(err, KeyError) and err.args else str(err)
        msg = msg or type(err).__name__
        print(f"nakpump: error: {msg}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("nakpump: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
