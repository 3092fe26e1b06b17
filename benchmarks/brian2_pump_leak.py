"""nakpump's pump-leak cell as a Brian2 population (C++ standalone, OpenMP):
the Brian2 side of ``benchmarks/population_peers.py``.

It runs INSIDE its own virtualenv (Brian2 2.9 wants NumPy < 2.4)::

    python3 -m venv .venv-brian2
    .venv-brian2/bin/pip install "brian2==2.9.*" "numpy<2.4"
    .venv-brian2/bin/python benchmarks/brian2_pump_leak.py CONFIG.json OUT.json

and cannot import nakpump: ``population_peers.py`` (nakpump's venv) writes
CONFIG.json with every number, read from ``nk.pump_leak_cell()`` and its
compiled System by name.  Units are nakpump's, as plain numbers: mV, ms,
uA/cm2, mS/cm2, uF/cm2, mM, amounts in mM*um (concentration times volume
per membrane area); every derivative is divided by Brian2's ``ms``.

The model (nakpump's generated right-hand side, ``compile_cell(cell).source_path``,
written out; the same as crosscheck/neuron_default/*.mod):

- states: V; the amounts n_X_i, n_X_o of Na+, K+, Cl- inside and in the
  closed outside (concentration = amount / w, w = volume/area fixed); the
  gates m, h (``nat``) and n (``kdr``).  nakpump's ledger states (running
  totals) feed nothing back and are left out.
- E_X = RT/F log(X_o/X_i)/z; I_nat = gbar m^3 h (V - E_Na), I_kdr = gbar n^4
  (V - E_K), leaks g_X (V - E_X); Traub rates (1/ms) alpha_m = 1.28
  efun(-(V+54)/4), beta_m = 1.4 efun((V+27)/5), alpha_h = 0.128
  exp(-(V+50)/18), beta_h = 4/(1+exp(-(V+27)/5)), alpha_n = 0.16
  efun(-(V+52)/5), beta_n = 0.5 exp(-(V+57)/40), times q10^((T-T_ref)/10),
  efun(x) = x/(exp(x)-1) = 1/exprel(x) (Brian2's exprel);
  Hill pump I_p = imax q10^((T-T_ref)/10) (1+km_na/Na_i)^-n_na
  (1+km_k/K_o)^-n_k ATP/(ATP+km_atp), carrying 3 Na+ out and 2 K+ in.
- C dV/dt = I_stim - I_Na - I_K - I_Cl - (1-electrogenic)(-I_p), with I_Na,
  I_K the ions' total (outward) currents; dn_X_i/dt = -a I_X/z, dn_X_o/dt =
  +a I_X/z, a = 10/F mM*um/ms per uA/cm2; the electrode's current (into the
  cell) is carried by K+ and adds a I_stim to n_K_i only.
- ``imax`` is a per-neuron parameter (the population's pump scales); all the
  rest are constants in the namespace.

The electrode: ``I_stim`` is a shared variable set at the start of every step
by a ``run_regularly`` operation from the integer step count (on for steps
k0 <= k < k0 + number*period, (k - k0) mod period < width), so it is constant
within a step and the pulse edges fall on step boundaries (checked: the
train's times must be whole multiples of dt).

Methods: ``rk4`` integrates the coupled system above.  ``exponential_euler``:
Brian2's exponential Euler needs every equation to be conditionally linear
in its own variable; the concentration equations are not (the Nernst
potential's log, the Hill pump), so Brian2 refuses the system ("Can only
solve conditionally linear systems").  That method therefore holds E_Na,
E_K, E_Cl and the pump current at their values from the start of each step
(computed by a ``run_regularly`` operation before the state update, as
NEURON's fixed step takes E from the step's start); V and the gates then
take exponential-Euler steps and the amounts, whose right-hand sides no
longer depend on themselves, forward-Euler steps (first order, as the method).

Spikes: V of the sampled neurons is recorded at every step; a spike is an
upward crossing of 0 mV, located by the cubic through the four samples
around it.  Every neuron's spikes are counted by a threshold ``V > 0`` with
``refractory='V > 0'`` (one per crossing; no reset).

Times (OUT.json): ``load_s`` = importing Brian2; ``setup_s`` = building the
Brian2 objects and analysing the equations (``model_s``), code generation and
compilation (``build_s``; ``compile_s``: ``make`` alone, with ``-j`` = the
thread count), into a fresh project folder; ``run_s`` = Brian2's own
measure of the simulation loop inside the binary (``device._last_run_time``);
``run_binary_s`` = the binary's wall time (loading and writing the arrays
too).  ``peak_rss_mb`` = the binary's peak RSS (measured by wrapping the
binary's command, ``--measure``); the compiler's is not counted.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

EQS_COMMON = """
dV/dt = (I_stim - I_Na - I_K - I_Cl - I_ns) / Cm / ms : 1
dn_Na_i/dt = -apc * I_Na / ms : 1
dn_Na_o/dt = apc * I_Na / ms : 1
dn_K_i/dt = apc * (I_stim - I_K) / ms : 1
dn_K_o/dt = apc * I_K / ms : 1
dn_Cl_i/dt = apc * I_Cl / ms : 1
dn_Cl_o/dt = -apc * I_Cl / ms : 1
dm/dt = phi_nat * (am * (1 - m) - bm * m) / ms : 1
dh/dt = phi_nat * (ah * (1 - h) - bh * h) / ms : 1
dn/dt = phi_kdr * (an * (1 - n) - bn * n) / ms : 1
I_Na = gbar_nat * m * m * m * h * (V - E_Na) + g_na * (V - E_Na) + 3 * I_pump : 1
I_K = gbar_kdr * (n * n) * (n * n) * (V - E_K) + g_k * (V - E_K) - 2 * I_pump : 1
I_Cl = g_cl * (V - E_Cl) : 1
I_ns = -(1 - electrogenic) * I_pump : 1
Na_i = n_Na_i / w_i : 1
K_i = n_K_i / w_i : 1
Cl_i = n_Cl_i / w_i : 1
Na_o = n_Na_o / w_o : 1
K_o = n_K_o / w_o : 1
Cl_o = n_Cl_o / w_o : 1
am = 1.28 / exprel(-(V + 54) / 4) : 1
bm = 1.4 / exprel((V + 27) / 5) : 1
ah = 0.128 * exp(-(V + 50) / 18) : 1
bh = 4 / (1 + exp(-(V + 27) / 5)) : 1
an = 0.16 / exprel(-(V + 52) / 5) : 1
bn = 0.5 * exp(-(V + 57) / 40) : 1
imax : 1 (constant)
I_stim : 1 (shared)
"""

LIVE = """
E_Na = rtf * log(Na_o / Na_i) : 1
E_K = rtf * log(K_o / K_i) : 1
E_Cl = -rtf * log(Cl_o / Cl_i) : 1
I_pump = imax * phi_pump * (1 + km_na / Na_i) ** (-n_na) * (1 + km_k / K_o) ** (-n_k) * atp_factor : 1
"""
"""rk4: E and the pump follow the states within the step."""

FROZEN = """
E_Na : 1
E_K : 1
E_Cl : 1
I_pump : 1
"""
"""exponential Euler: E and the pump set at each step's start (``FREEZE``)."""

FREEZE = """
E_Na = rtf * log(Na_o / Na_i)
E_K = rtf * log(K_o / K_i)
E_Cl = -rtf * log(Cl_o / Cl_i)
I_pump = imax * phi_pump * (1 + km_na / Na_i) ** (-n_na) * (1 + km_k / K_o) ** (-n_k) * atp_factor
"""

STIM = ("I_stim = stim_amp * int(t_in_timesteps >= k0) * int(t_in_timesteps < k_end) "
        "* int((t_in_timesteps - k0) % k_period < k_width)")

STATES = ("V", "n_Na_i", "n_K_i", "n_Cl_i", "n_Na_o", "n_K_o", "n_Cl_o", "m", "h", "n")


def steps(t_ms: float, dt_ms: float, what: str) -> int:
    """``t_ms`` as a whole number of steps (raises if it is not one)."""
    k = round(t_ms / dt_ms)
    if abs(k * dt_ms - t_ms) > 1e-9 * max(1.0, t_ms):
        raise ValueError(f"{what} ({t_ms} ms) is not a whole number of steps of {dt_ms} ms")
    return int(k)


def crossings(t: np.ndarray, v: np.ndarray, level: float = 0.0) -> list[float]:
    """Upward crossings of ``level`` in samples ``v`` at times ``t`` (evenly
    spaced): each located by the cubic through the four samples around it
    (the two either side of the crossing), linear at the ends."""
    up = np.flatnonzero((v[:-1] <= level) & (v[1:] > level))
    out = []
    for k in up:
        lo, hi = max(k - 1, 0), min(k + 3, len(v))
        tt, vv = t[lo:hi] - t[k], v[lo:hi] - level
        coef = np.polyfit(tt, vv, len(tt) - 1)
        span = t[k + 1] - t[k]
        roots = [r.real for r in np.roots(coef) if abs(r.imag) < 1e-12 * span and -1e-12 <= r.real
                 <= span * (1 + 1e-12)]
        if not roots:   # cannot happen for a sign change, unless round-off: linear
            roots = [span * vv[k - lo] / (vv[k - lo] - vv[k + 1 - lo])]
        out.append(float(t[k] + min(roots, key=lambda r: abs(r - span / 2))))
    return out


def measure(rss_path: str, argv: list[str]) -> int:
    """Run ``argv`` and write its peak RSS (kB, ``ru_maxrss`` from wait4) to
    ``rss_path``; Brian2 runs the compiled binary through this."""
    proc = subprocess.Popen(argv)
    _, status, usage = os.wait4(proc.pid, 0)
    with open(rss_path, "w") as f:
        f.write(f"{usage.ru_maxrss}\n")
    return os.waitstatus_to_exitcode(status)


def run(cfg: dict) -> dict:
    """Build, compile and run the population described by ``cfg`` (see
    ``population_peers.brian2_config``); returns the results (module docstring)."""
    t_start = time.perf_counter()
    import brian2 as b2
    from brian2 import NeuronGroup, SpikeMonitor, StateMonitor, device, ms, prefs, set_device
    t_import = time.perf_counter()

    method, n_cells, dt_ms = cfg["method"], int(cfg["n"]), float(cfg["dt_ms"])
    threads = int(cfg["threads"])
    workdir = cfg.get("directory") or tempfile.mkdtemp(prefix="brian2_pump_leak_")
    project = os.path.join(workdir, "project")
    rss_path = os.path.join(workdir, "main_rss_kb.txt")
    set_device("cpp_standalone", directory=project, build_on_run=False)
    prefs.devices.cpp_standalone.openmp_threads = threads
    prefs.devices.cpp_standalone.extra_make_args_unix = [f"-j{max(1, threads)}"]
    prefs.devices.cpp_standalone.run_cmd_unix = [sys.executable, os.path.abspath(__file__), "--measure",
                                                 rss_path, "./main"]
    b2.defaultclock.dt = dt_ms * ms

    c = cfg["const"]
    start, number, freq, width, amp = cfg["train"]
    k0 = steps(start, dt_ms, "the train's start")
    k_period = steps(1000.0 / freq, dt_ms, "the train's period")
    namespace = dict(c, ms=ms, stim_amp=float(amp), k0=k0, k_period=k_period,
                     k_width=steps(width, dt_ms, "the pulse width"), k_end=k0 + int(number) * k_period)
    if method == "rk4":
        eqs = EQS_COMMON + LIVE
    elif method == "exponential_euler":
        eqs = EQS_COMMON + FROZEN
    else:
        raise ValueError(f"method {method!r}: 'rk4' or 'exponential_euler'")
    t0 = time.perf_counter()
    group = NeuronGroup(n_cells, eqs, method=method, threshold="V > 0", refractory="V > 0",
                        namespace=namespace, name="cells")
    group.run_regularly(STIM, when="start", order=-2, name="electrode")
    if method == "exponential_euler":
        group.run_regularly(FREEZE, when="start", order=-1, name="freeze")
    y0 = cfg["y0"]
    for name in STATES:
        setattr(group, name, float(y0[name]))
    group.imax = np.asarray(cfg["imax"], float)
    sampled = [int(i) for i in cfg["sampled"]]
    vmon = StateMonitor(group, "V", record=sampled, name="v_every_step")
    trace = None
    if cfg.get("trace_dt_ms"):
        trace = StateMonitor(group, ["V", "Na_i", "K_o"], record=sampled, dt=float(cfg["trace_dt_ms"]) * ms,
                             name="trace")
    counter = SpikeMonitor(group, record=False, name="spike_count")
    b2.run(float(cfg["duration_ms"]) * ms)
    t1 = time.perf_counter()
    device.build(directory=project, compile=True, run=False, with_output=False)
    t2 = time.perf_counter()
    device.run(with_output=False)
    t3 = time.perf_counter()

    tv = np.asarray(vmon.t / ms)
    vv = np.asarray(vmon.V)
    out = {
        "method": method, "n": n_cells, "threads": threads, "dt_ms": dt_ms,
        "load_s": t_import - t_start, "setup_s": t2 - t_import, "model_s": t1 - t0, "build_s": t2 - t1,
        "compile_s": float(device.timers["compile"].get("make", float("nan"))),
        "run_s": float(device._last_run_time), "run_binary_s": t3 - t2,
        "peak_rss_mb": int(open(rss_path).read()) / 1024.0,
        "sampled": {str(i): crossings(tv, vv[j]) for j, i in enumerate(sampled)},
        "spike_counts_total": int(np.sum(np.asarray(counter.count))),
        "spike_counts_sampled": {str(i): int(counter.count[i]) for i in sampled},
        "brian2": b2.__version__, "numpy": np.__version__,
    }
    if trace is not None:
        np.savez(cfg["trace_path"], t=np.asarray(trace.t / ms), V=np.asarray(trace.V),
                 Na_i=np.asarray(trace.Na_i), K_o=np.asarray(trace.K_o))
    if not cfg.get("directory") and not cfg.get("keep"):
        shutil.rmtree(workdir, ignore_errors=True)
    return out


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--measure":
        return measure(argv[1], argv[2:])
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    with open(argv[0]) as f:
        cfg = json.load(f)
    out = run(cfg)
    with open(argv[1], "w") as f:
        json.dump(out, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
