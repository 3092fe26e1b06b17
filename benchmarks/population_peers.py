"""The population benchmark's peers: N pump-leak cells x 1 s of a 10 Hz
spike train in NEURON (CVODE and fixed step, threads) and Brian2 (C++
standalone, OpenMP), each run once in a child process and timed there.

    python benchmarks/population_peers.py --peer neuron-cvode --n 1000 --out cvode.json
    python benchmarks/population_peers.py --peer {neuron-cvode,neuron-fixed,brian2-rk4,brian2-exp-euler}
        --n N [--atol A] [--lvardt] [--threads 2] --out FILE.json
    python benchmarks/population_peers.py --check-brian2      # one cell, Brian2 against nakpump

or ``run_peer(peer, n, threads=2, atol=None)`` from Python (the same dict).
nakpump's own side and the errors against a reference are computed
elsewhere; this file runs the peers and reports their times and spikes.

The model is nakpump's pump-leak cell (``nk.pump_leak_cell()``: Traub-type
Na+ and K+ channels, Na+/K+/Cl- leaks, a Hill-type pump, dynamic Na+, K+ and
Cl- inside and in a closed outside; the electrode's current carried by K+),
checked by ``crosscheck/default_neuron.nakpump_cell`` to hold only what the
NEURON model implements.  NEURON: ``crosscheck/default_neuron.py``'s NMODL
(``crosscheck/neuron_default/``), each cell one single-compartment section
built, set and checked by ``crosscheck/neuron_base.py`` (the first cell is
a ``NeuronSection``, with every check of the cross-checks; the others are
sections set to the same values, read back).  Brian2:
``benchmarks/brian2_pump_leak.py``, the same equations written for Brian2
from nakpump's generated right-hand side, in its own virtualenv
(``.venv-brian2``: Brian2 2.9 needs NumPy < 2.4), given every number by a
JSON file written here from the cell and ``nk.compile_cell(cell)``.

The population: N cells; cell i (0-based) has ``pump.imax`` scaled by
s_i = ``numpy.linspace(0.5, 1.5, N)[i]``; every other parameter and the
initial state are the cell's own (its rest; cells with s_i != 1 drift from
it).  Protocol: ``nk.PulseTrain(50.0, 10, 10.0, 2.0, 20.0)`` (10 pulses of 2
ms, 20 uA/cm2 into the cell, carried by K+, at 10 Hz from 50 ms), 1000 ms.
Sampled cells: ``sorted(set(numpy.linspace(0, N-1, 11).astype(int)))``.

Spike times (ms) of the sampled cells, upward crossings of 0 mV:

- ``neuron-cvode``: a NetCon per cell at threshold 0 (``pc.spike_record``),
  ``cvode.condition_order(2)`` (the crossing interpolated within the step,
  as in race.py);
- ``neuron-fixed``, ``brian2-*``: V of the sampled cells recorded at every
  step, each crossing located by the cubic through the four samples around
  it (``brian2_pump_leak.crossings``); NEURON's fixed-step NetCon times are
  kept too (``sampled_netcon``; NEURON puts them at the step's end, not
  interpolated).

``spike_counts_total``: every cell's crossings (NEURON: its NetCons; Brian2:
threshold ``V > 0`` with ``refractory='V > 0'``).

The peers (``--threads``, default 2, for all):

- ``neuron-cvode``: all N sections in one NEURON, ``ParallelContext().nthread(threads)``,
  CVODE (``cvode.active(1)``), ``atol`` (default 1e-3, race.py's default row;
  also 1e-8) with rtol 0, ``use_daspk(0)``, ``condition_order(2)``, run by
  ``pc.psolve`` (``set_maxstep(10)``: no connections).  Global variable
  step: CVODE integrates the N cells as one system of 10 N states, so every
  cell takes the step the fastest-changing cell needs (a known NEURON
  property; unconnected cells are no exception).  Here that costs little:
  the cells spike together, driven by the same train (about 2,200 global
  steps at atol 1e-3 for N = 11, 100 or 1,000).  ``--lvardt``: NEURON's local
  variable time step (``cvode.use_local_dt(1)``: one CVODE per cell); NEURON
  9 accepts it with threads.  It is slower at equal accuracy here (``LVARDT``),
  so the peer's default is the global step.  Each pulse edge is an event
  (``cvode.event``) that sets every cell's electrode amplitude and
  re-initialises CVODE (as ``neuron_base``).  ``settings.cvode_steps``: the
  global steps taken.
- ``neuron-fixed``: the same, fixed step dt 0.025 ms, ``secondorder`` 2 (as
  race.py).
- NEURON refuses threads with the model's own .mod files ("nkaccum is not
  thread safe": its POINTER to the electrode current), so the NEURON peers
  load ``neuron_model()``: the same files with THREADSAFE declared where a
  POINTER is (a derived copy in benchmarks/.cache; nothing else changes).
  ``pc.thread_busywait(1)`` aborts NEURON 9.0 here (an assertion in
  multicore.cpp), so threads wait on condition variables (the default).
- ``brian2-rk4``, ``brian2-exp-euler``: Brian2 2.9 C++ standalone
  (``set_device('cpp_standalone', build_on_run=False)``, ``device.build``),
  ``openmp_threads`` = threads, dt 0.025 ms, ``method='rk4'`` /
  ``'exponential_euler'``, one ``NeuronGroup`` of N with ``imax`` a
  per-neuron parameter.  Brian2's exponential Euler refuses the concentration
  equations (not conditionally linear: the Nernst log, the Hill pump), so
  that peer holds E_X and the pump current at each step's start (see
  brian2_pump_leak.py).  The compiler flags are Brian2's defaults (-O3
  -ffast-math -march=native); ``make -j<threads>``; a fresh project folder
  each run (so ``setup_s`` is a full compilation).  Brian2's rk4 inlines the
  subexpressions (E_X, the pump) into every state's update at every stage,
  as Brian2 does.

Threads need idle cores: with the 2 cores shared with other processes,
every thread barrier waits for the scheduler (NEURON's global CVODE meets
one at every vector operation: N = 11 took 9.6 s with 2 threads, 0.07 s
with 1; Brian2's OpenMP loops, several per step: N = 11, rk4 took 20 s with 2
threads, one cell 0.14 s with 1).  Time the peers on an otherwise idle machine.

Checked: ``--check-brian2`` runs one cell (s = 1) in Brian2 rk4 at dt 0.001
ms and nakpump (Rodas4 at rtol 1e-10) over the protocol and compares spike
times and V, Na_i, K_o on a 0.1 ms grid (``CHECK``, the numbers found).
Every peer's sampled spike times were also compared with nakpump's at rtol
1e-10 for each sampled cell's own imax (N = 11, 100 and 1,000: the same 10
spikes per cell, largest differences as in ``CHECK``).

Output (JSON; times s, memory MB, spike times ms): ``peer``, ``n``,
``threads``, ``setup_s`` (building the model: NEURON's sections, settings,
checks, threads and NetCons after NEURON and the mechanisms are loaded,
``load_s``; Brian2's objects, code generation and compilation, ``compile_s``
the ``make`` alone), ``run_s`` (the simulation alone: NEURON's
``pc.psolve``; Brian2's own measure of its run loop in the binary),
``wall_s`` (the child process as a whole, from this process: interpreter
start, imports, setup, run, output), ``peak_rss_mb`` (NEURON: the child
process's peak RSS, ``rss_base_mb`` its RSS with one cell built, so the
cells' share is the difference; Brian2: the simulation binary's, the
compiler's not counted, which ``peak_rss_mb_tree`` includes), ``sampled``
({index: [spike times]}), ``spike_counts_total``, ``settings``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "crosscheck"))

import brian2_pump_leak as b2pl  # noqa: E402  (no Brian2 import at module level)
import default_neuron  # noqa: E402
import neuron_base as nb  # noqa: E402
import nrnbuild  # noqa: E402
from harness import edges, pulse_list  # noqa: E402

TRAIN = (50.0, 10, 10.0, 2.0, 20.0)
"""(start ms, number, frequency Hz, pulse ms, amplitude uA/cm2): ``nk.PulseTrain(*TRAIN)``."""
DURATION = 1000.0
DT = 0.025
"""ms: the fixed step of NEURON's fixed-step peer and of Brian2."""
PEERS = ("neuron-cvode", "neuron-fixed", "brian2-rk4", "brian2-exp-euler")
BRIAN2_METHOD = {"brian2-rk4": "rk4", "brian2-exp-euler": "exponential_euler"}
BRIAN2_PYTHON = ROOT / ".venv-brian2" / "bin" / "python"
RESULTS = HERE / "results"
THREADSAFE_DIR = HERE / ".cache" / "neuron_default_threadsafe"
"""Where ``neuron_model`` keeps its copy of the NEURON model's .mod files (git-ignored)."""

LVARDT = ("N = 100, 1 thread (largest spike-time error over the sampled cells against nakpump at rtol "
          "1e-10; run s): global step atol 3e-4: 1.5e-3 ms, 0.61 s; lvardt atol 1e-3: 1.9e-3 ms, 1.45 s; "
          "atol 1e-8: global 1.5e-6 ms, 1.8 s (10,502 steps), lvardt 1.2e-6 ms, 7.0 s.  N = 1,000, 2 threads "
          "on a loaded machine, atol 1e-3: global 4.5e-3 ms, 14.0 s; lvardt 1.9e-3 ms, 16.0 s")
"""What ``cvode.use_local_dt(1)`` gave on this population: the global step is faster at equal
accuracy (the cells spike together; lvardt pays per-cell overhead and re-initialises every cell's
CVODE at each pulse edge)."""
CHECK = ("Brian2 rk4, dt 0.001 ms, against nakpump Rodas4 rtol 1e-10, one cell, s = 1: 10 spikes each, "
         "spike times within 2.1e-10 ms, V 1.6e-7 mV, Na_i 1.2e-11 mM, K_o 1.2e-11 mM (0.1 ms grid).  At "
         "dt 0.025 ms: rk4 6.4e-5 ms, 7.4e-3 mV; exponential Euler 0.066 ms, 39 mV (V on the spikes' "
         "upstroke, shifted by 0.066 ms), 2.3e-3 mM Na_i.  NEURON, same comparison, sampled cells: "
         "CVODE atol 1e-3 4.5e-3 ms, atol 1e-8 1.5e-6 ms; fixed step 3.0e-3 ms")
"""The one-cell Brian2-vs-nakpump check's numbers (``--check-brian2``) and the peers' spike-time
errors found in the smoke tests."""


def scales(n: int) -> np.ndarray:
    """The pump's scale of each cell."""
    return np.linspace(0.5, 1.5, n)


def sampled_indices(n: int) -> list[int]:
    """The cells whose spike times are reported."""
    return sorted({int(i) for i in np.linspace(0, n - 1, 11).astype(int)})


# ------------------------------------------------------------- child processes ----

def neuron_model() -> nb.Model:
    """``default_neuron.MODEL`` on a copy of its .mod files (``THREADSAFE_DIR``) in which each
    mechanism with a POINTER declares THREADSAFE: NEURON refuses threads otherwise ("nkaccum is not
    thread safe": nkaccum reads the electrode's amplitude through a POINTER).  The pointer refers
    to the same segment's ``kinj.amp``, so the same thread's data, and nkaccum writes no GLOBAL: the
    declaration is true, and changes nothing else in the generated code's arithmetic.  The copy
    follows the sources (rewritten when they change; nothing to do once they declare it)."""
    model = default_neuron.MODEL
    THREADSAFE_DIR.mkdir(parents=True, exist_ok=True)
    names = set()
    for path in sorted(model.mod_dir.glob("*.mod")):
        text = path.read_text()
        if "POINTER" in text and "THREADSAFE" not in text:
            text, count = re.subn(r"^NEURON\s*\{", "NEURON {\n    THREADSAFE", text, count=1, flags=re.M)
            if count != 1:
                raise RuntimeError(f"no NEURON block found in {path}")
        target = THREADSAFE_DIR / path.name
        if not target.exists() or target.read_text() != text:
            target.write_text(text)
        names.add(path.name)
    for stale in THREADSAFE_DIR.glob("*.mod"):
        if stale.name not in names:
            stale.unlink()
    return dataclasses.replace(model, mod_dir=THREADSAFE_DIR)


def _spawn(cmd: list[str], cfg: dict, env: dict | None = None) -> tuple[dict, float, float]:
    """Run ``cmd IN OUT`` with ``cfg`` as IN (JSON); returns (its OUT, wall s, peak RSS MB of the
    child and the descendants it waited for, from wait4)."""
    with tempfile.TemporaryDirectory(prefix="nakpump-population-") as tmp:
        src, dst = Path(tmp) / "in.json", Path(tmp) / "out.json"
        log = Path(tmp) / "log.txt"
        src.write_text(json.dumps(cfg))
        with open(log, "w") as f:
            started = time.perf_counter()
            proc = subprocess.Popen([*cmd, str(src), str(dst)], stdout=f, stderr=subprocess.STDOUT,
                                    env=env)
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0 or not dst.exists():
            raise RuntimeError(f"{cmd[-1] if len(cmd) > 1 else cmd} failed (exit {proc.returncode}):\n"
                               f"{log.read_text()[-6000:]}")
        return json.loads(dst.read_text()), wall, usage.ru_maxrss / 1024.0


def _rss_mb() -> float:
    """This process's resident set now (MB)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def neuron_child(cfg: dict) -> dict:
    """The NEURON population, in the child process: build N sections, run, return spikes and times."""
    t_start = time.perf_counter()
    model = neuron_model()
    h = model.neuron_h()
    cell = default_neuron.nakpump_cell()
    n, method, threads = int(cfg["n"]), cfg["method"], int(cfg["threads"])
    sampled = [int(i) for i in cfg["sampled"]]
    t0 = time.perf_counter()
    first = nb.NeuronSection(model, cell)        # cell 0: built, set and checked as the cross-checks
    t_first = time.perf_counter() - t0
    rss_base = _rss_mb()
    area = first.values["area"]
    per_cell = {key: x for key, x in first.set_values.items() if key[0] != "global"}
    secs, segs = [first.sec], [first.seg]
    for i in range(1, n):
        sec = first.new_section(f"cell{i}", area, model.mechanisms)
        seg = sec(0.5)
        h.setpointer(getattr(seg, f"_ref_amp_{model.electrode}"), "iel", getattr(seg, model.accum))
        for (target, var), x in per_cell.items():
            nrnbuild.set_checked(sec if target == "section" else getattr(seg, target), var, x)
        secs.append(sec)
        segs.append(seg)
    imax = first.set_values["hillpump", "imax"]
    for seg, s in zip(segs, scales(n), strict=True):
        nrnbuild.set_checked(seg.hillpump, "imax", imax * float(s))

    pc = h.ParallelContext()
    pc.nthread(threads)
    cvode = h.cvode
    cvode.use_daspk(0)
    if method == "cvode":
        cvode.active(1)
        cvode.use_local_dt(1 if cfg["lvardt"] else 0)
        cvode.atol(float(cfg["atol"]))
        cvode.rtol(0.0)
        cvode.condition_order(2)
    else:
        cvode.active(0)
        h.dt = float(cfg["dt"])
        h.steps_per_ms = 1.0 / h.dt
        h.secondorder = int(cfg["secondorder"])
    tvec, idvec = h.Vector(), h.Vector()
    netcons = []
    for i, (sec, seg) in enumerate(zip(secs, segs, strict=True)):
        pc.set_gid2node(i, pc.id())
        nc = h.NetCon(seg._ref_v, None, sec=sec)
        nc.threshold = 0.0
        pc.cell(i, nc)
        netcons.append(nc)
    pc.spike_record(-1, tvec, idvec)
    pc.set_maxstep(10.0)          # psolve's interval between spike exchanges (no connections here)
    traces = {}
    if method == "fixed":        # V of the sampled cells at every step
        traces = {i: h.Vector().record(segs[i]._ref_v) for i in sampled}
        traces["t"] = h.Vector().record(h._ref_t)
    steps = h.Vector().record(h._ref_t) if method == "cvode" and not cfg["lvardt"] else None

    electrodes = [getattr(seg, model.electrode) for seg in segs]

    def setter(amp):
        def switch():
            for e in electrodes:
                e.amp = amp
            if method == "cvode":
                cvode.re_init()
        return switch

    callbacks = [(t, setter(amp)) for t, amp in edges(pulse_list(cfg["train"]))]
    first.initialize()            # finitialize at V0 (clears the event queue: the events after it)
    states = ("v", "nai", "ki", "cli", "nao", "ko", "clo")
    want = [getattr(segs[0], x) for x in states] + [segs[0].nat.m, segs[0].nat.h, segs[0].kdr.n]
    for i in sampled:
        got = [getattr(segs[i], x) for x in states] + [segs[i].nat.m, segs[i].nat.h, segs[i].kdr.n]
        if got != want:
            raise AssertionError(f"cell {i} starts elsewhere than cell 0: {got} vs {want}")
    for t, cb in callbacks:
        if 0.0 < t < cfg["duration"]:
            cvode.event(t, cb)
    setup = time.perf_counter() - t0
    t1 = time.perf_counter()
    pc.psolve(float(cfg["duration"]))
    run = time.perf_counter() - t1
    if h.t < cfg["duration"] - 1e-6:     # CVODE's last step may end past it (spikes there dropped)
        raise AssertionError(f"NEURON stopped at {h.t} ms")
    t_end = float(h.t)
    nernst_end = first.check_nernst_live(method)

    spk_t, spk_id = np.asarray(tvec), np.asarray(idvec).astype(int)
    keep = spk_t <= cfg["duration"]
    spk_t, spk_id = spk_t[keep], spk_id[keep]
    netcon = {str(i): spk_t[spk_id == i].tolist() for i in sampled}
    if method == "fixed":
        tt = np.asarray(traces["t"])
        sampled_spikes = {str(i): b2pl.crossings(tt, np.asarray(traces[i])) for i in sampled}
    else:
        sampled_spikes = netcon
    import neuron
    out = {"load_s": t0 - t_start, "setup_s": setup, "setup_first_cell_s": t_first, "run_s": run,
           "rss_base_mb": rss_base, "rss_end_mb": _rss_mb(), "sampled": sampled_spikes,
           "sampled_netcon": netcon, "spike_counts_total": int(len(spk_t)),
           "nernst_error_end_mV": nernst_end, "nthread": int(pc.nthread()), "neuron": neuron.__version__,
           "use_local_dt": int(cvode.use_local_dt()), "cvode_active": int(cvode.active()),
           "t_end": t_end}
    if steps is not None:
        out["cvode_steps"] = int(len(steps)) - 1
    return out


# ------------------------------------------------------------------ Brian2 side ----

def brian2_config(n: int, method: str, threads: int, dt: float = DT, duration: float = DURATION,
                  imax_scales=None, sampled=None, trace_dt: float | None = None,
                  trace_path: str | None = None) -> dict:
    """Every number ``brian2_pump_leak.py`` needs, read by name from nakpump's checked cell and
    its compiled System (units: nakpump's)."""
    import nakpump as nk
    from nakpump.physics import AMOUNT_PER_CHARGE, RTF_PER_KELVIN, ZERO_CELSIUS
    cell = default_neuron.nakpump_cell()     # checked: only what the NEURON model covers
    system = nk.compile_cell(cell)
    lay, y0, p0 = system.layout, system.y0, system.p0
    T = cell["cell.T"]

    def phi(mech):
        return cell[f"{mech}.q10"] ** ((T - cell[f"{mech}.T_ref"]) / 10.0)

    atp = p0[lay.param("cell.ATP_i")]
    const = {"Cm": p0[lay.param("cell.Cm")], "w_i": p0[lay.param("geometry.w_i")],
             "w_o": p0[lay.param("geometry.w_o")], "apc": AMOUNT_PER_CHARGE,
             "rtf": RTF_PER_KELVIN * (T + ZERO_CELSIUS), "phi_nat": phi("nat"), "phi_kdr": phi("kdr"),
             "phi_pump": phi("pump"), "gbar_nat": cell["nat.gbar"], "gbar_kdr": cell["kdr.gbar"],
             "g_na": cell["leak_na.g"], "g_k": cell["leak_k.g"], "g_cl": cell["leak_cl.g"],
             "km_na": cell["pump.km_na"], "km_k": cell["pump.km_k"], "n_na": cell["pump.n_na"],
             "n_k": cell["pump.n_k"], "atp_factor": atp / (atp + cell["pump.km_atp"]),
             "electrogenic": cell["pump.electrogenic"]}
    names = {"V": "V", "m": "nat_m", "h": "nat_h", "n": "kdr_n"}
    names.update({f"n_{x}_{c}": f"n_{x}_{c}" for x in ("Na", "K", "Cl") for c in "io"})
    if imax_scales is None:
        imax_scales = scales(n)
    return {"n": n, "method": method, "threads": threads, "dt_ms": dt, "duration_ms": duration,
            "train": list(TRAIN), "const": {k: float(v) for k, v in const.items()},
            "y0": {k: float(y0[lay.state(v)]) for k, v in names.items()},
            "imax": [float(cell["pump.imax"] * s) for s in imax_scales],
            "sampled": sampled_indices(n) if sampled is None else list(sampled),
            "trace_dt_ms": trace_dt, "trace_path": trace_path}


def check_brian2(dt: float = 0.001, method: str = "rk4", rtol: float = 1e-10) -> dict:
    """One cell (s = 1) in Brian2 (``method``, ``dt`` ms) against nakpump (Rodas4, tolerances
    scaled from ``rtol`` as race.py's): spike times and V, Na_i, K_o on a 0.1 ms grid."""
    import nakpump as nk
    with tempfile.TemporaryDirectory(prefix="nakpump-brian2-check-") as tmp:
        trace = os.path.join(tmp, "trace.npz")
        cfg = brian2_config(1, method, 1, dt=dt, imax_scales=[1.0], sampled=[0], trace_dt=0.1,
                            trace_path=trace)
        got, wall, _ = _spawn([str(BRIAN2_PYTHON), str(HERE / "brian2_pump_leak.py")], cfg)
        with np.load(trace) as z:
            tb, vb, nab, kob = z["t"], z["V"][0], z["Na_i"][0], z["K_o"][0]
    system = nk.compile_cell(default_neuron.nakpump_cell())
    tol = nk.Tolerances(rtol=rtol, atol_V=100.0 * rtol, atol_conc=0.1 * rtol, atol_gate=10.0 * rtol)
    res = nk.simulate(system, nk.Protocol([nk.PulseTrain(*TRAIN)]), duration=DURATION, dt=0.1, tol=tol)
    k = min(len(tb), len(res.t))
    if np.max(np.abs(res.t[:k] - tb[:k])) > 1e-9:
        raise AssertionError("Brian2's trace is not on nakpump's grid")
    ours, theirs = np.asarray(res.spikes), np.asarray(got["sampled"]["0"])
    same = len(ours) == len(theirs)
    return {"method": method, "dt_ms": dt, "nakpump_rtol": rtol, "spikes_nakpump": len(ours),
            "spikes_brian2": len(theirs), "spike_count_brian2_threshold": got["spike_counts_total"],
            "max_spike_diff_ms": float(np.max(np.abs(ours - theirs))) if same and len(ours) else None,
            "max_V_diff_mV": float(np.max(np.abs(res["V"][:k] - vb[:k]))),
            "max_Na_i_diff_mM": float(np.max(np.abs(res["Na_i"][:k] - nab[:k]))),
            "max_K_o_diff_mM": float(np.max(np.abs(res["K_o"][:k] - kob[:k]))),
            "spikes_nakpump_ms": ours.tolist(), "spikes_brian2_ms": theirs.tolist(),
            "brian2_run_s": got["run_s"], "brian2_setup_s": got["setup_s"], "wall_s": wall}


# ------------------------------------------------------------------- the peers ----

def run_peer(peer: str, n: int, threads: int = 2, atol: float | None = None, lvardt: bool = False) -> dict:
    """Run one peer on the population of ``n`` cells in a child process; the result dict (module
    docstring)."""
    if peer not in PEERS:
        raise ValueError(f"peer {peer!r}: one of {PEERS}")
    n, threads = int(n), int(threads)
    sampled = sampled_indices(n)
    common = {"duration_ms": DURATION, "train": list(TRAIN), "scales": "numpy.linspace(0.5, 1.5, n)",
              "sampled": sampled}
    if peer.startswith("neuron"):
        if lvardt and peer != "neuron-cvode":
            raise ValueError("lvardt is a CVODE option (neuron-cvode)")
        neuron_model().build_mechanisms()     # here, so that a build error shows as such
        method = "cvode" if peer == "neuron-cvode" else "fixed"
        cfg = {"n": n, "threads": threads, "method": method, "sampled": sampled, "train": list(TRAIN),
               "duration": DURATION, "atol": 1e-3 if atol is None else float(atol), "lvardt": bool(lvardt),
               "dt": DT, "secondorder": 2}
        env = dict(os.environ, NEURON_MODULE_OPTIONS=os.environ.get("NEURON_MODULE_OPTIONS", "-nogui"))
        got, wall, rss = _spawn([sys.executable, str(Path(__file__).resolve()), "--neuron-child"], cfg, env)
        settings = {**common, "simulator": f"NEURON {got['neuron']}", "threads": got["nthread"],
                    "load_s": got["load_s"], "setup_first_cell_s": got["setup_first_cell_s"],
                    "rss_base_mb": got["rss_base_mb"], "nernst_error_end_mV": got["nernst_error_end_mV"],
                    "run_call": "ParallelContext.psolve", "use_daspk": 0}
        if method == "cvode":
            settings.update(method="CVODE (BDF, NEURON's)", atol=cfg["atol"], rtol=0.0, condition_order=2,
                            use_local_dt=got["use_local_dt"], spikes="NetCon, threshold 0 mV, interpolated")
            if "cvode_steps" in got:
                settings["cvode_steps"] = got["cvode_steps"]
        else:
            settings.update(method="fixed step", dt_ms=DT, secondorder=2,
                            spikes="V every step, cubic through 4 samples; NetCon times in sampled_netcon")
        out = {"peer": peer, "n": n, "threads": threads, "setup_s": got["setup_s"], "run_s": got["run_s"],
               "wall_s": wall, "peak_rss_mb": rss, "sampled": got["sampled"],
               "spike_counts_total": got["spike_counts_total"], "settings": settings}
        if method == "fixed":
            out["sampled_netcon"] = got["sampled_netcon"]
        return out
    if atol is not None or lvardt:
        raise ValueError("atol and lvardt are NEURON CVODE options")
    if not BRIAN2_PYTHON.exists():
        raise RuntimeError(f"no Brian2 virtualenv at {BRIAN2_PYTHON.parent.parent}: python3 -m venv "
                           '.venv-brian2 && .venv-brian2/bin/pip install "brian2==2.9.*" "numpy<2.4"')
    cfg = brian2_config(n, BRIAN2_METHOD[peer], threads)
    got, wall, rss_tree = _spawn([str(BRIAN2_PYTHON), str(HERE / "brian2_pump_leak.py")], cfg)
    settings = {**common, "simulator": f"Brian2 {got['brian2']} (C++ standalone, OpenMP)",
                "method": BRIAN2_METHOD[peer], "dt_ms": DT, "openmp_threads": threads,
                "load_s": got["load_s"], "compile_s": got["compile_s"],
                "codegen_s": got["build_s"] - got["compile_s"],
                "model_s": got["model_s"], "run_binary_s": got["run_binary_s"], "numpy": got["numpy"],
                "spikes": "V every step, cubic through 4 samples"}
    if peer == "brian2-exp-euler":
        settings["note"] = ("E_Na, E_K, E_Cl and the pump current held at each step's start "
                            "(Brian2's exponential Euler refuses the concentration equations)")
    return {"peer": peer, "n": n, "threads": threads, "setup_s": got["setup_s"], "run_s": got["run_s"],
            "wall_s": wall, "peak_rss_mb": got["peak_rss_mb"], "peak_rss_mb_tree": rss_tree,
            "sampled": got["sampled"], "spike_counts_total": got["spike_counts_total"], "settings": settings}


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["--neuron-child"]:
        cfg = json.loads(Path(argv[1]).read_text())
        Path(argv[2]).write_text(json.dumps(neuron_child(cfg)))
        return 0
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--peer", choices=PEERS)
    ap.add_argument("--n", type=int, help="number of cells")
    ap.add_argument("--atol", type=float, help="neuron-cvode: CVODE's atol (default 1e-3)")
    ap.add_argument("--lvardt", action="store_true", help="neuron-cvode: local variable time step")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", type=Path, help="the JSON file to write")
    ap.add_argument("--check-brian2", action="store_true", help="one cell: Brian2 against nakpump")
    ap.add_argument("--check-dt", type=float, default=0.001, help="--check-brian2's dt (ms)")
    ap.add_argument("--check-method", default="rk4", help="--check-brian2's method")
    args = ap.parse_args(argv)
    if args.check_brian2:
        got = check_brian2(args.check_dt, args.check_method)
        text = json.dumps(got, indent=1)
        print(text)
        if args.out:
            args.out.write_text(text + "\n")
        return 0
    if not (args.peer and args.n and args.out):
        ap.error("--peer, --n and --out are required")
    got = run_peer(args.peer, args.n, args.threads, args.atol, args.lvardt)
    got["settings"].update(python=platform.python_version(), cores=os.cpu_count())
    args.out.write_text(json.dumps(got, indent=1) + "\n")
    print(f"{got['peer']} n={got['n']}: setup {got['setup_s']:.2f} s, run {got['run_s']:.3f} s, wall "
          f"{got['wall_s']:.2f} s, peak RSS {got['peak_rss_mb']:.0f} MB, {got['spike_counts_total']} spikes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
