"""What the NEURON cross-checks share besides the NEURON model itself
(``neuron_base.py``): protocols as pulse lists, running a cell in nakpump
and packing its traces by name, nakpump's Nernst potential, the check that
a cell holds only what a NEURON model implements, running a function in a
child process, comparing two runs, and the headline numbers of a pair of
runs for the validation report.
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

HERE = Path(__file__).resolve().parent
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


def change_list(changes=(), pump_block=()) -> list[tuple[float, str, float]]:
    """``(time ms, parameter, value)`` of each parameter change: ``changes``
    as such triples (``"pump.block"``, nakpump's dotted names) and
    ``pump_block`` as ``[(time, fraction), ...]``."""
    out = [(float(t), "pump.block", float(f)) for t, f in pump_block]
    return out + [(float(t), str(name), float(v)) for t, name, v in changes]


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


def run_nakpump_cell(cell, pulses, duration: float, record_dt: float, tol: dict, changes=(),
                     quantities=QUANTITIES, **settings) -> dict:
    """Run ``cell`` in nakpump with the electrode ``pulses`` and the parameter
    ``changes`` ``[(time ms, "pump.block", value), ...]``; the traces of
    ``quantities`` (nakpump result names) on the ``record_dt`` grid (read by
    name), ``spikes``, ``wall`` (s) and ``settings`` (with the ``settings``
    keyword arguments)."""
    import nakpump as nk
    system = nk.compile_cell(cell)
    changes = change_list(changes)
    events = [nk.Pulse(s, d, a) for s, d, a in pulse_list(pulses)]
    events += [nk.SetParameter(t, name, v) for t, name, v in changes]
    t0 = time.perf_counter()
    res = nk.simulate(system, nk.Protocol(events), duration=duration, dt=record_dt,
                      tol=nk.Tolerances(**tol))
    wall = time.perf_counter() - t0
    out = {"t": np.asarray(res.t, float).copy()}
    for q in quantities:
        out[q] = np.asarray(res[q], float).copy()
    out["spikes"] = np.asarray(res.spikes, float).copy()
    out["wall"] = wall
    out["settings"] = {"simulator": "nakpump", "duration": duration, "pulses": pulse_list(pulses),
                       "changes": changes, **settings, "tol": dict(tol), "record_dt": record_dt}
    return out


def run_isolated(module: str, function: str, kwargs: dict):
    """``module.function(**kwargs)`` in a fresh Python process: ``module`` is
    a module of this folder, imported there by name; the keyword arguments
    and the result travel pickled."""
    with tempfile.TemporaryDirectory(prefix="nakpump-xcheck-") as tmp:
        src, dst = Path(tmp) / "in.pkl", Path(tmp) / "out.pkl"
        src.write_bytes(pickle.dumps(kwargs))
        env = dict(os.environ, NEURON_MODULE_OPTIONS=os.environ.get("NEURON_MODULE_OPTIONS", "-nogui"))
        code = f"import sys; sys.path.insert(0, {str(HERE)!r}); import harness; harness.serve_isolated()"
        proc = subprocess.run([sys.executable, "-c", code, module, function, str(src), str(dst)],
                              capture_output=True, text=True, env=env)
        if proc.returncode != 0 or not dst.exists():
            raise RuntimeError(f"{module}.{function} failed in its child process (exit "
                               f"{proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}")
        return pickle.loads(dst.read_bytes())


def serve_isolated() -> None:
    """The child side of ``run_isolated``: ``sys.argv[1:]`` is ``[module,
    function, IN, OUT]``."""
    import importlib
    module, function, src, dst = sys.argv[1:5]
    kwargs = pickle.loads(Path(src).read_bytes())
    result = getattr(importlib.import_module(module), function)(**kwargs)
    Path(dst).write_bytes(pickle.dumps(result))


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


# ------------------------------------------------------ headline numbers ----

def spike_numbers(label: str, ours, theirs, ks=()) -> dict:
    """``{quantity: (nakpump value, NEURON value, unit)}``: the spike counts
    of two runs (``ours`` nakpump's spike times, ``theirs`` NEURON's), then
    the time of spike k for each k in ``ks`` that both reached."""
    out = {f"{label}: spikes": (len(ours), len(theirs), "")}
    for k in ks:
        if len(ours) >= k and len(theirs) >= k:
            out[f"{label}: time of spike {k}"] = (float(ours[k - 1]), float(theirs[k - 1]), "ms")
    return out


REDUCE = {"max": np.max, "min": np.min, "at end": lambda x: x[-1]}


def trace_numbers(label: str, ours: dict, theirs: dict, items) -> dict:
    """``{quantity: (nakpump value, NEURON value, "mM")}`` of the two runs'
    traces: ``items`` are ``(quantity, how)`` with ``how`` a key of
    ``REDUCE`` (``"K_o", "max"``: "K_o max"; ``"Na_i", "at end"``), or
    ``(quantity, how, name)`` to name the row otherwise."""
    out = {}
    for item in items:
        q, how = item[:2]
        name = item[2] if len(item) > 2 else f"{q} {how}"
        out[f"{label}: {name}"] = (float(REDUCE[how](ours[q])), float(REDUCE[how](theirs[q])), "mM")
    return out


def print_numbers(numbers: dict) -> None:
    """``validation_numbers()``'s rows, one a line with the difference."""
    for name, (ours, theirs, unit) in numbers.items():
        print(f"{name:45s} nakpump {ours:<22.15g} NEURON {theirs:<22.15g} {unit:3s} "
              f"diff {abs(ours - theirs):.2g}")
