"""The command line's parser (argparse only: building it imports nothing heavy)."""

from __future__ import annotations

import argparse

from .._version import __version__

DEFAULT_SCENARIO = "spike-train"
UNITS = ("units: time ms, voltage mV, concentration mM, current density uA/cm2 (outward +; "
         "electrode current into the cell +), conductance mS/cm2, capacitance uF/cm2, "
         "area um2, volume um3, temperature degC")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nakpump",
        description="Simulate how the Na+/K+ pump builds and keeps a neuron's ion gradients. " + UNITS,
        epilog="Examples: nakpump run ischemia --plot ischemia.png --out ischemia.csv | "
               "nakpump run spike-train --set alpha1.density=1200 --set scenario.frequency=20 | "
               "nakpump run rest --cell pump-leak --set pump.imax=12 | nakpump info rest")
    parser.add_argument("--version", action="version", version=f"nakpump {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="run a scenario (or a preset's, as PRESET:SCENARIO)",
                         description="Run a named scenario, print its summary, and optionally write "
                                     "the time series and a figure. " + UNITS)
    run.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO,
                     help=f"scenario name or PRESET:SCENARIO (default {DEFAULT_SCENARIO}; "
                          "list: nakpump scenarios, nakpump presets)")
    run.add_argument("--set", dest="sets", action="append", default=[], metavar="NAME=VALUE",
                     help="change a parameter: cell.NAME (e.g. cell.K_o=8 mM: the bath's K+ where the "
                          "outside exchanges with a bath), MECHANISM.NAME (e.g. alpha1.density=1200 /um2, "
                          "alpha3.block=1, nat.block=1 for TTX; pump.imax=12 on the pump-leak cell), "
                          "pump.model=NAME (tissue: isoforms, post-albers; pump-leak: hill, sigmoid, "
                          "luo-rudy, post-albers; recalibrated) or scenario.NAME (e.g. "
                          "scenario.frequency=20 Hz); each NAME once; 'nakpump info SCENARIO' lists every "
                          "name with its unit and range")
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
    run.add_argument("--quiet", action="store_true", help="print nothing but errors (no progress)")
    run.add_argument("--spec", default=None, metavar="FILE",
                     help="replay a run of the browser explorer (the file its 'run as text' download "
                          "gives: cell, settings, timed changes, duration) instead of a scenario; "
                          "--out FILE.csv writes its traces")

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

    swp = sub.add_parser("sweep", help="run a scenario over a grid of parameter values (maps of measures)",
                         description="Run a scenario at every point of a grid of parameter values, in "
                                     "parallel (a Dask LocalCluster on this machine, or --scheduler), and "
                                     "write its measures as a Dataset whose dimensions are the swept "
                                     "parameters, and a figure. Finished points are kept beside --out, so "
                                     "an interrupted sweep resumes. " + UNITS)
    swp.add_argument("scenario", help="scenario name or PRESET:SCENARIO")
    swp.add_argument("--grid", action="append", default=[], metavar="NAME=START:STOP:N",
                     help="a swept parameter: N values from START to STOP, or NAME=V1,V2,...; names as "
                          "--set takes them (cell.K_o, alpha1.density, scenario.frequency); repeat for "
                          "each dimension")
    swp.add_argument("--measure", action="append", default=[], metavar="NAME",
                     help="a measure to keep (a key of the scenario's summary; default: all)")
    swp.add_argument("--cell", default=None, metavar="CELL", help="tissue (default) or pump-leak")
    swp.add_argument("--duration", type=str, default=None, metavar="MS", help="each run's length in ms")
    swp.add_argument("--rtol", type=str, default=None, help="solver relative tolerance (default 1e-5)")
    swp.add_argument("--scheduler", default=None, metavar="ADDRESS",
                     help="a Dask scheduler (tcp://host:8786), or inline (this process); default: a "
                          "LocalCluster on this machine, one worker per core")
    swp.add_argument("--workers", default=None, metavar="N",
                     help="the LocalCluster's workers (default: one per core)")
    swp.add_argument("--out", default=None, metavar="FILE.zarr", help="write the Dataset (.zarr or .nc)")
    swp.add_argument("--plot", default=None, metavar="FILE.png", help="write the figure (png, pdf or svg)")
    swp.add_argument("--quiet", action="store_true", help="print nothing but errors (no progress)")

    sub.add_parser("warm", help="compile the solver and every shipped cell and preset into the disk cache "
                                "(the first run after installing is then fast)")
    sub.add_parser("scenarios", help="list the scenarios")
    info = sub.add_parser("info", help="describe a scenario: the cell, its rest, the settable parameters")
    info.add_argument("scenario", help="scenario name")
    info.add_argument("--cell", default=None, metavar="CELL", help="tissue (default) or pump-leak")
    serve = sub.add_parser("serve", help="serve the browser explorer of the pump (needs the serve extra)",
                           description="Serve the interactive explorer of the Na+/K+ pump: lessons, "
                                       "controls and live traces in the browser (FastAPI + uvicorn; "
                                       "fastapi and uvicorn, installed with nakpump). " + UNITS)
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1; 0.0.0.0 serves a classroom's network)")
    serve.add_argument("--port", type=str, default="8000", help="port (default 8000)")
    serve.add_argument("--open", action="store_true", help="open the page in a web browser")
    return parser


