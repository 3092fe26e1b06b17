"""What the NEURON cross-checks share: protocols as pulse lists, running a
preset in nakpump and packing its traces, nakpump's Nernst potential, the
check that a preset holds only what a NEURON model implements, running
NEURON in a child process, and comparing two runs.

Used by ``hd2014.py``, ``cressman2009.py`` and ``hh1952_dynamic.py``.
"""

from __future__ import annotations

import math
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

QUANTITIES = ("V", "Na_i", "K_i", "Cl_i", "Na_o", "K_o", "Cl_o")
CONCENTRATIONS = QUANTITIES[1:]


def pulse_list(pulses) -> list[tuple[float, float, float]]:
    """``(start, duration, amplitude)`` of each pulse, from such tuples or
    from the 5-tuple ``(start, number, frequency Hz, duration, amplitude)``
    of a train."""
    if pulses is None:
        return []
    pulses = list(pulses)
    if len(pulses) == 5 and not hasattr(pulses[0], "__len__"):
        start, number, freq, dur, amp = map(float, pulses)
        period = 1000.0 / freq
        return [(start + i * period, dur, amp) for i in range(int(number))]
    return [tuple(map(float, p)) for p in pulses]


def edges(pulses) -> list[tuple[float, float]]:
    """(time, amplitude from then on) at every pulse edge; the end time is
    ``start + duration`` computed exactly as ``nakpump.Pulse`` does.
    Overlapping pulses add, as in nakpump."""
    ev = []
    for start, dur, amp in pulse_list(pulses):
        ev += [(start, amp), (start + dur, -amp)]
    ev.sort()
    out, total = [], 0.0
    for t, d in ev:
        total += d
        if out and out[-1][0] == t:
            out[-1] = (t, total)
        else:
            out.append((t, total))
    return out


def nernst(z: float, c_out: float, c_in: float, T: float) -> float:
    """nakpump's Nernst potential (mV)."""
    from nakpump.physics import nernst as nk_nernst
    return float(nk_nernst(z, c_out, c_in, T))


def check_coverage(cell, covered: dict, inert: dict, inert_with: dict) -> None:
    """Raise unless every parameter of every mechanism of ``cell`` is one the
    NEURON model implements (``covered[mechanism name]``), holds the value
    ``inert[name]`` that turns it off, or is one that then does nothing
    (``inert_with``); and unless nothing starts blocked."""
    for m in cell.mechanisms:
        names = [p.name for p in m.all_params()]
        for name in names:
            if name in covered[m.name] or name in inert_with:
                continue
            if name in inert:
                if m.values[name] != inert[name]:
                    raise AssertionError(f"{m.name}.{name} = {m.values[name]}: the NEURON model "
                                         f"covers only {name} = {inert[name]}")
                continue
            raise AssertionError(f"{m.name}.{name} is not in the NEURON model")
        for name in covered[m.name]:
            if name not in names:
                raise AssertionError(f"{m.name} has no parameter {name} any more")
        if m.values["block"] != 0.0:
            raise AssertionError(f"{m.name}.block = {m.values['block']} at the start")


def run_nakpump_cell(cell, pulses, duration: float, record_dt: float, tol: dict, pump_block=(),
                     **settings) -> dict:
    """Run ``cell`` in nakpump with the electrode ``pulses`` and ``pump_block``
    ``[(time ms, fraction), ...]``; the traces of ``QUANTITIES`` on the
    ``record_dt`` grid, ``spikes``, ``wall`` (s) and ``settings`` (with the
    ``settings`` keyword arguments)."""
    import nakpump as nk
    system = nk.compile_cell(cell)
    events = [nk.Pulse(s, d, a) for s, d, a in pulse_list(pulses)]
    events += [nk.Block("pump", float(f), float(t)) for t, f in pump_block]
    t0 = time.perf_counter()
    res = nk.simulate(system, nk.Protocol(events), duration=duration, dt=record_dt,
                      tol=nk.Tolerances(**tol))
    wall = time.perf_counter() - t0
    out = {"t": np.asarray(res.t, float).copy()}
    for q in QUANTITIES:
        out[q] = np.asarray(res[q], float).copy()
    out["spikes"] = np.asarray(res.spikes, float).copy()
    out["wall"] = wall
    out["settings"] = {"simulator": "nakpump", "duration": duration, "pulses": pulse_list(pulses),
                       "pump_block": list(pump_block), **settings, "tol": dict(tol),
                       "record_dt": record_dt}
    return out


def run_isolated(script: str, kwargs: dict) -> dict:
    """``run_neuron(**kwargs, isolated=False)`` of the cross-check ``script``
    (a path), run in a fresh Python process: ``script --run-neuron IN OUT``
    with the keyword arguments and the result pickled."""
    with tempfile.TemporaryDirectory(prefix="nakpump-xcheck-") as tmp:
        src, dst = Path(tmp) / "in.pkl", Path(tmp) / "out.pkl"
        src.write_bytes(pickle.dumps(kwargs))
        env = dict(os.environ, NEURON_MODULE_OPTIONS=os.environ.get("NEURON_MODULE_OPTIONS", "-nogui"))
        proc = subprocess.run([sys.executable, str(Path(script).resolve()), "--run-neuron",
                               str(src), str(dst)], capture_output=True, text=True, env=env)
        if proc.returncode != 0 or not dst.exists():
            raise RuntimeError(f"the NEURON run failed (exit {proc.returncode}):\n"
                               f"{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}")
        return pickle.loads(dst.read_bytes())


def serve_isolated(run_neuron) -> None:
    """The child side of ``run_isolated``: ``sys.argv`` is ``[script,
    "--run-neuron", IN, OUT]``."""
    kwargs = pickle.loads(Path(sys.argv[2]).read_bytes())
    Path(sys.argv[3]).write_bytes(pickle.dumps(run_neuron(**kwargs, isolated=False)))


def compare(a: dict, b: dict, t_from: float | None = None, t_to: float | None = None) -> dict:
    """Differences between two runs on the same grid (optionally restricted
    to ``t_from <= t <= t_to`` for the traces).

    Returns ``spike_time`` (max |difference| of matched spike times, ms; inf
    if the counts differ), ``n_spikes`` (the two counts), ``conc`` (max
    |difference| over all six concentrations, mM), ``V`` (mV) and the max
    |difference| of each quantity under its own name.
    """
    if len(a["t"]) != len(b["t"]) or np.max(np.abs(a["t"] - b["t"])) > 1e-9 * max(1.0, a["t"][-1]):
        raise ValueError("the runs are not on the same time grid")
    keep = np.ones(len(a["t"]), bool)
    if t_from is not None:
        keep &= a["t"] >= t_from
    if t_to is not None:
        keep &= a["t"] <= t_to
    out = {"n_spikes": (len(a["spikes"]), len(b["spikes"]))}
    if len(a["spikes"]) == len(b["spikes"]):
        d = np.abs(a["spikes"] - b["spikes"])
        out["spike_time"] = float(d.max()) if len(d) else 0.0
    else:
        out["spike_time"] = math.inf
    for q in QUANTITIES:
        out[q] = float(np.max(np.abs(a[q][keep] - b[q][keep])))
    out["conc"] = max(out[q] for q in CONCENTRATIONS)
    return out
