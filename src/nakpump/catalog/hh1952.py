"""Hodgkin & Huxley 1952: the squid giant axon membrane at 6.3 degC.

``cell()``: the paper's model.  The concentrations are fixed in effect (a
fixed bath, an axon of 500 um diameter), chosen so that the Nernst
potentials are the paper's reversal potentials in the modern convention
(E_Na +50, E_K -77 mV; the leak's -54.387 mV carried by Cl-).  Parameters:
HH 1952 Table 3 (gbar_Na 120, gbar_K 36, g_L 0.3 mS/cm2, Cm 1 uF/cm2).

``cell_dynamic()``: the same membrane with dynamic concentrations: the
axoplasm, and a 30 nm periaxonal space (Frankenhaeuser & Hodgkin 1956)
that exchanges ions with the bath with a 50 ms time constant, so K+
accumulates outside during a train and the undershoot shrinks.
"""

from __future__ import annotations

import numpy as np

from ..compile.system import compile_cell
from ..mechanisms import BathDiffusion
from ..mechanisms.base import Param
from ..model.protocol import Protocol, Pulse, PulseTrain, Step
from ..solve.rest import steady_current
from ..solve.simulate import Tolerances
from .cells import squid_cell
from .scenario import Outcome, Preset, Scenario, Summary, register_preset, simulate

REFERENCES = (
    "Hodgkin AL, Huxley AF (1952) A quantitative description of membrane current and its application "
    "to conduction and excitation in nerve. J Physiol 117:500-544.",
    "Rinzel J, Miller RN (1980) Numerical calculation of stable and unstable periodic solutions to the "
    "Hodgkin-Huxley equations. Math Biosci 49:27-59 (onset of repetitive firing 6.26 uA/cm2, "
    "Hopf bifurcation 9.78 uA/cm2).",
    "Frankenhaeuser B, Hodgkin AL (1956) The after-effects of impulses in the giant nerve fibres of "
    "Loligo. J Physiol 131:341-376 (periaxonal space about 30 nm).",
)

TIGHT = Tolerances(rtol=1e-8, atol_V=1e-6, atol_conc=1e-9, atol_gate=1e-8)


def cell():
    """The HH 1952 membrane with (in effect) fixed concentrations."""
    return squid_cell()


def cell_dynamic():
    """The HH 1952 membrane with dynamic concentrations in the axoplasm and a
    30 nm periaxonal space exchanging with the bath (time constant 50 ms)."""
    c = squid_cell(bath=0.0, vol_o=1e6 * 0.03)
    for ion in ("Na", "K", "Cl"):
        c.add(BathDiffusion(ion, rate=20.0, bath=c.values[f"{ion}_o"]))
    return c


def threshold(system, width: float = 0.5, lo: float = 0.5, hi: float = 50.0) -> float:
    """Smallest amplitude (uA/cm2) of a ``width`` ms pulse that fires a spike."""
    for _ in range(30):
        mid = 0.5 * (lo + hi)
        res = simulate(system, Protocol([Pulse(2.0, width, mid)]), duration=25.0, dt=0.5, tol=TIGHT)
        if len(res.spikes):
            hi = mid
        else:
            lo = mid
    return hi


def repetitive_onset(system) -> float:
    """Smallest steady current (uA/cm2) that sustains repetitive firing once
    started by a kick: the saddle-node of periodic orbits."""
    lo, hi = 4.0, 9.0
    for _ in range(25):
        mid = 0.5 * (lo + hi)
        res = simulate(system, Protocol([Step(0.0, mid), Pulse(5.0, 1.0, 30.0)]), duration=400.0,
                       dt=1.0)
        if np.sum(res.spikes > 200.0) >= 3:
            hi = mid
        else:
            lo = mid
    return hi


def hopf_current(system) -> float:
    """Steady current (uA/cm2) at which rest loses stability: where the
    largest real part of the eigenvalues of the (V, gates) Jacobian at the
    equilibrium crosses zero."""
    from scipy.optimize import brentq

    lay = system.layout
    idx = [lay.V] + lay.states_of("gate")
    stim = lay.param(lay.membranes[0]["stim"])

    def growth(current):
        V = brentq(lambda v: steady_current(system, system.y0, v) - current, -75.0, -45.0)
        y = system.y0.copy()
        y[lay.V] = V
        p = system.p0.copy()
        p[stim] = current
        y = system.with_steady_gates(y, p)
        f0 = system.rhs(y, p)
        jac = np.empty((len(idx), len(idx)))
        for a, j in enumerate(idx):
            d = 1e-7 * max(1.0, abs(y[j]))
            yy = y.copy()
            yy[j] += d
            jac[:, a] = (system.rhs(yy, p)[idx] - f0[idx]) / d
        return float(np.max(np.linalg.eigvals(jac).real))

    return float(brentq(growth, 8.0, 11.0, xtol=1e-7))


def _ap(sc, cell, opts, duration, tol, progress):
    system = compile_cell(cell)
    s = Summary(f"hh1952:{sc.name}: {sc.title}")
    amp = opts["amplitude"]
    res = simulate(system, Protocol([Pulse(2.0, opts["width"], amp)]), duration=duration, dt=0.005,
                   tol=tol or TIGHT, progress=progress)
    v = res["V"]
    s.add("spikes", "spikes", len(res.spikes), "", "d")
    if len(res.spikes) == 0:
        s.add("V_rest", "resting potential", float(v[0]), "mV", ".2f")
        s.add("peak", "highest V (no spike)", float(v.max()), "mV", ".2f")
        T = cell.values["T"]
        if T > 25.0:
            s.note(f"no spike: at {T:g} degC the Na+ channels inactivate and the K+ channels open before "
                   "the Na+ current can regenerate (heat block: the squid axon stops conducting when warm, "
                   "Hodgkin & Katz 1949 J Physiol 109:240)")
        else:
            s.note(f"no spike: a {opts['width']:g} ms pulse of {amp:g} uA/cm2 is below threshold; raise "
                   "scenario.amplitude")
        return Outcome(sc, res, s)
    after = res.t > res.spikes[0]
    s.add("V_rest", "resting potential", float(v[0]), "mV", ".2f")
    s.add("peak", "spike peak", float(v.max()), "mV", ".2f")
    s.add("undershoot", "undershoot (after-hyperpolarisation)", float(v[after].min()), "mV", ".2f")
    above = res.t[v > float(v[0]) + 0.5 * (v.max() - v[0])]
    s.add("width", "width at half amplitude", float(above[-1] - above[0]), "ms", ".3f")
    thr = threshold(system, opts["width"])
    s.add("threshold", f"threshold of a {opts['width']:g} ms pulse", thr, "uA/cm2", ".4g")
    s.add("threshold_charge", "threshold charge", thr * opts["width"], "nC/cm2", ".4g")
    return Outcome(sc, res, s)


def _repetitive(sc, cell, opts, duration, tol, progress):
    system = compile_cell(cell)
    s = Summary(f"hh1952:{sc.name}: {sc.title}")
    i1 = repetitive_onset(system)
    i2 = hopf_current(system)
    res = simulate(system, Protocol([Step(0.0, opts["current"])]), duration=duration, dt=0.02,
                   tol=tol, progress=progress)
    late = res.spikes[res.spikes > duration / 2]
    s.add("onset", "onset of repetitive firing (Rinzel & Miller 1980: 6.26)", i1, "uA/cm2", ".3f")
    s.add("hopf", "Hopf bifurcation of rest (Rinzel & Miller 1980: 9.78)", i2, "uA/cm2", ".3f")
    rate = 1000.0 / float(np.mean(np.diff(late))) if len(late) > 2 else 0.0
    s.add("rate", f"firing rate at {opts['current']:g} uA/cm2 (0: no sustained firing)", rate, "Hz", ".1f")
    return Outcome(sc, res, s)


def _accumulation(sc, cell, opts, duration, tol, progress):
    system = compile_cell(cell)
    s = Summary(f"hh1952:{sc.name}: {sc.title}")
    n = int(opts["number"])
    train = PulseTrain(2.0, n, opts["frequency"], 0.5, opts["amplitude"])
    res = simulate(system, Protocol([train]), duration=duration, dt=0.02, tol=tol, progress=progress)
    k = res["K_o"]
    period = 1000.0 / opts["frequency"]
    first = k[(res.t > 2.0) & (res.t < 2.0 + period)].max() - k[0]
    s.add("spikes", "spikes", len(res.spikes), "", "d")
    s.add("pulses", "pulses", n, "", "d")
    s.add("K_o_first", "K_o rise after the first impulse", float(first), "mM", ".3f")
    s.add("K_o_peak", "K_o peak during the train", float(k.max()), "mM", ".2f")
    undershoots = [res["V"][(res.t > t) & (res.t < t + period)].min() for t in res.spikes]
    if len(undershoots) > 1:
        s.add("undershoot_first", "undershoot after the first spike", float(undershoots[0]), "mV", ".2f")
        s.add("undershoot_last", "undershoot after the last spike", float(undershoots[-1]), "mV", ".2f")
    s.add("K_o_end", "K_o at end (clears with tau 50 ms)", float(k[-1]), "mM", ".3f")
    return Outcome(sc, res, s, marks={"train": (2.0, 2.0 + (n - 1) * period)})


def _scenario(name, title, description, duration, runner, factory, options=()):
    return Scenario(name, title, description, tuple(options), duration, runner, factory)


PRESET = register_preset(Preset(
    name="hh1952",
    title="Hodgkin & Huxley 1952 squid giant axon (6.3 degC)",
    references=REFERENCES,
    description=__doc__.strip().splitlines()[0],
    build=cell,
    scenarios={
        "ap": _scenario("ap", "The membrane action potential",
                        "A brief current pulse fires the HH action potential: rest, peak, undershoot, "
                        "width, and the threshold amplitude of the pulse.", 25.0, _ap, cell,
                        (Param("amplitude", 20.0, "uA/cm2", -1e3, 1e3, "pulse amplitude"),
                         Param("width", 0.5, "ms", 0.01, 100.0, "pulse duration"))),
        "repetitive": _scenario("repetitive", "Repetitive firing under steady current",
                                "The onset of repetitive firing (saddle-node of periodic orbits) and "
                                "the Hopf bifurcation of rest, against Rinzel & Miller 1980, and the "
                                "firing rate at a steady current.", 200.0, _repetitive, cell,
                                (Param("current", 10.0, "uA/cm2", -1e3, 1e3, "steady current"),)),
        "accumulation": _scenario("accumulation", "K+ accumulates in the periaxonal space",
                                  "The dynamic-concentration variant: a train of impulses loads the "
                                  "30 nm periaxonal space with K+ (Frankenhaeuser & Hodgkin 1956), "
                                  "which shrinks the undershoot; it clears into the bath.", 400.0,
                                  _accumulation, cell_dynamic,
                                  (Param("number", 20, "1", 1, 1000, "impulses"),
                                   Param("frequency", 50.0, "Hz", 1.0, 500.0, "impulse rate"),
                                   Param("amplitude", 20.0, "uA/cm2", -1e3, 1e3, "pulse amplitude"))),
    },
))
