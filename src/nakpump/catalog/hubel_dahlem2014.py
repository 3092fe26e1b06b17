"""Hübel & Dahlem 2014: a Hodgkin-Huxley neuron with time-dependent ion
concentrations, whose pump-leak balance is bistable.

Source: Hübel N, Dahlem MA (2014) Dynamics from seconds to hours in
Hodgkin-Huxley model with time-dependent ion concentrations and buffer
reservoirs. PLoS Comput Biol 10:e1003941; ModelDB 167714
(spreading-depression.ode), transcribed in REFERENCES.md 1b.4.

Membrane: g_Na m_inf^3 h (V - E_Na) with m instantaneous and h tied to the K+
gate, h = 1 - 1/(1 + exp(-6.5 (n - 0.35))); g_K n^4 (V - E_K), phi = 3;
leaks g_NaL 0.0175, g_KL 0.05, g_ClL 0.02 mS/cm2; Cm 1 uF/cm2; the sigmoid
pump, rho_max 6.8 uA/cm2 (Na_i half 25, slope 3; K_o half 5.5, slope 1 mM),
electrogenic.  Geometry: membrane 922 um2, cell 2160 um3, extracellular
space 720 um3 (their CONV/vol_i = 10/(F w_i) exactly).  Temperature 36 degC
(RT/F = 26.64 mV).  Optional coupling of K_o to a bath, rate lambda.

The glial K+ buffer reservoir (ModelDB's default, switch s=0):
``cell(buffer=True)`` adds it (``mechanisms.buffer.KBuffer``: k1 5e-8 /ms,
B0 500 mM, threshold 15 mM, slope 1.09 mM; spreading-depression.ode lines
132-140, 153) as a compartment ``b`` of the extracellular volume (720 um3)
whose K+ is the bound K+, so every K+ ion, free or bound, is counted.  The
paper's dk (the change of K_o the buffer causes) is -K_b.  The paper starts
it empty (dk = 0); the cell's smallest allowed concentration, 1e-6 mM, is
used instead (its Na+ and Cl- are inert at 1e-6 mM too).

Scenarios: 'interruption' and 'recovery' (a 120 s interruption, closed or
with the bath coupling), and 'buffered-sd', the file's own protocol (pump
off for 9.5 s from 20 s, buffer on, 500 s).  Reference numbers for it are
[RUN-HD] in the research transcription (a SciPy port of the .ode by its
author, LSODA; no figure values of the paper could be read): V above -40 mV
from 24.5 to 107.7 s (about 83 s), K_o peak 69.6 mM at 35 s, Na_i peak
58.9 mM at 101 s, about 77.5 mM bound, and afterwards a new state (V about
-75 mV, K_o 2.97, Na_i about 50, K_i about 104 mM) that the buffer's release
(1/k1, 5.6 h) undoes only over hours.  This preset gives 24.5 to 107.1 s,
69.57 mM at 35.3 s, 58.87 mM at 100.9 s, 77.3 mM bound (rtol 1e-8).  The
excursion's *end* is fragile in the paper's own equations: V drifts slowly
to a fold and jumps, and where the jump comes depends on the solver (a
second SciPy port of the .ode gives the end at 106.4 s with LSODA at rtol
1e-9 and max step 1 ms, 107.4 s at rtol 1e-11, 107.8 s at rtol 1e-9 and max
step 10 ms); nakpump gives 107.1, 106.3 and 106.1 s at rtol 1e-8, 1e-9 and
1e-10 from the published initial state to 8 digits.  So the duration is
known to about 2 s and the bound K+ (which follows it) to about 0.6 mM; the
peaks and the final state are not sensitive.  The other difference of form,
that nakpump counts the membrane's charge (the paper's Na_i comes from
electroneutrality), moves Na_i by at most 0.003 mM.

Near the bistable threshold the return time is sensitive to solver
accuracy (about 1 s between default and converged tolerances), so these
scenarios run at rtol 1e-8.
"""

from __future__ import annotations

import numpy as np

from ..compile.system import compile_cell
from ..mechanisms import BathDiffusion, HubelDahlemNaK, KBuffer, Leak, SigmoidPump
from ..mechanisms.base import Param
from ..model.cell import Cell
from ..model.protocol import Block, Protocol, Pulse
from ..results import analysis as an
from ..solve.simulate import Tolerances
from .scenario import Outcome, Preset, Scenario, Summary, register_preset, simulate

REFERENCES = (
    "Hübel N, Dahlem MA (2014) Dynamics from seconds to hours in Hodgkin-Huxley model with "
    "time-dependent ion concentrations and buffer reservoirs. PLoS Comput Biol 10:e1003941. "
    "ModelDB 167714.",
    "Hübel N, Schöll E, Dahlem MA (2014) Bistable dynamics underlying excitability of ion homeostasis "
    "in neuron models. PLoS Comput Biol 10:e1003551 (geometry: 922 um2, 2160 um3, 720 um3).",
)

REST = {"V0": -67.19, "K_i": 129.26, "Na_i": 25.23, "Cl_i": 9.90, "K_o": 4.0, "Na_o": 125.31,
        "Cl_o": 123.27}
"""The published resting state (ModelDB 167714 initial values, [CODE])."""
REST_PUMP = 0.644
"""Resting pump current, uA/cm2 [RUN in REFERENCES 1b.4]."""


BUFFER = {"k1": 5e-8, "btot": 500.0, "k_half": 15.0, "slope": 1.09}
"""The glial K+ buffer: k1 (1/ms; the .ode's 5e-8 in its per-ms rates, times 1000 for its seconds),
B0 (mM of extracellular volume), K_cr and the slope (mM) [CODE 167714 spreading-depression.ode]."""
EMPTY = 1e-6
"""mM: the buffer compartment's starting Na+, Cl- and bound K+ (the paper: 0; the cell's lower bound)."""


def cell(diffusion: float = 0.0, buffer: bool = False) -> Cell:
    """The Hübel-Dahlem neuron at its published rest; ``diffusion`` > 0 (1/s)
    couples K_o to a 4 mM bath (their lambda; 0.03/s in the paper's setting);
    ``buffer`` adds the glial K+ buffer reservoir (their switch s = 0) as a
    compartment ``b`` holding the bound K+ (``K_b``, mM of extracellular volume)."""
    if not isinstance(buffer, (bool, np.bool_)):
        raise ValueError(f"buffer: {buffer!r} must be True or False")
    mechs = [HubelDahlemNaK(), Leak("Na", g=0.0175), Leak("K", g=0.05), Leak("Cl", g=0.02),
             SigmoidPump(imax=6.8, na_half=25.0, na_slope=3.0, k_half=5.5, k_slope=1.0, T_ref=36.0)]
    if diffusion > 0:
        mechs.append(BathDiffusion("K", rate=diffusion, bath=4.0))
    c = Cell(mechs, name="hubel-dahlem2014", description="Hübel & Dahlem 2014 neuron, 36 degC",
             T=36.0, area=922.0, vol_i=2160.0, vol_o=720.0, bath=0.0, **REST)
    if buffer:
        c.add_compartment("b", "glial K+ buffer", c.values["vol_o"], Na=EMPTY, K=EMPTY, Cl=EMPTY)
        c.add(KBuffer(compartment="b", **BUFFER))
        c.description += ", with the glial K+ buffer"
    return c


def _interruption(sc, cell_, opts, duration, tol, progress):
    system = compile_cell(cell_)
    s = Summary(f"hubel-dahlem2014:{sc.name}: {sc.title}")
    t0, length = opts["at"], opts["length"]
    if duration <= t0 + length:
        raise ValueError(f"--duration = {duration:g} ms must be longer than scenario.at + "
                         f"scenario.length = {t0 + length:g} ms")
    tests = np.arange(t0 / 2, duration, opts["test_interval"])
    events = [Block("pump", 1.0, t0), Block("pump", 0.0, t0 + length)]
    events += [Pulse(float(t), 1.0, 40.0) for t in tests]
    # near the bistable threshold the return time is sensitive to the solver's accuracy (about
    # 1.3 s between default and converged tolerances for 'recovery'), so these runs are tighter
    tight = Tolerances(rtol=1e-8, atol_V=1e-6, atol_conc=1e-9, atol_gate=1e-7)
    res = simulate(system, Protocol(events), duration=duration, dt=max(10.0, duration / 100000),
                   tol=tol or tight, progress=progress)
    i_back = max(int(np.searchsorted(res.t, t0 + length)) - 1, 0)  # the last sample before the restart
    s.add("V_before", "V before", float(res["V"][0]), "mV", ".2f")
    s.add("I_pump_before", "pump current before", float(res["I_pump"][0]), "uA/cm2", ".3f")
    s.add("V_restart", "V just before the pump restarts", float(res["V"][i_back]), "mV", ".1f")
    after = (res.t > t0 + length) & (res.t < t0 + length + 60000.0)
    if after.any():
        s.add("V_min_after", "most negative V in the minute after", float(res["V"][after].min()), "mV", ".1f")
    s.add("K_o_then", "K_o then", float(res["K_o"][i_back]), "mM", ".1f")
    s.add("Na_i_then", "Na_i then", float(res["Na_i"][i_back]), "mM", ".1f")
    dt = an.time_depolarised(res, t0)
    s.add("t_depolarised", "time to the depolarised (SD-like) state (V above -40 mV for 1 s)",
          None if dt is None else dt / 1000.0, "s after the interruption", ".1f")
    s.add("V_end", "V at end", float(res["V"][-1]), "mV", ".1f")
    s.add("Na_i_end", "Na_i at end", float(res["Na_i"][-1]), "mM", ".1f")
    repolarised = bool(res["V"][-1] < -60.0)
    s.add("repolarised", "repolarised (V at end below -60 mV)", repolarised)
    back = abs(res["Na_i"][-1] - res["Na_i"][0]) <= 0.1 * res["Na_i"][0]
    s.add("recovered", "recovered (repolarised and Na_i within 10 % of its start)",
          bool(repolarised and back))
    if repolarised and not back:
        s.note(f"repolarised, but Na_i is still {res['Na_i'][-1]:.3g} mM against {res['Na_i'][0]:.3g} at the "
               "start: the gradients need longer (lengthen --duration)")
    return Outcome(sc, res, s, extra={"tests": tests[tests <= res.t[-1]]},
                   marks={"pump off": (t0, t0 + length)})


def _buffered(sc, cell_, opts, duration, tol, progress):
    system = compile_cell(cell_)
    if not system.layout.has_state("n_K_b"):
        raise ValueError(f"{sc.full_name} needs the buffered cell (hubel_dahlem2014.cell(buffer=True))")
    s = Summary(f"hubel-dahlem2014:{sc.name}: {sc.title}")
    t0, length = opts["at"], opts["length"]
    if duration <= t0 + length:
        raise ValueError(f"--duration = {duration:g} ms must be longer than scenario.at + "
                         f"scenario.length = {t0 + length:g} ms")
    tight = Tolerances(rtol=1e-8, atol_V=1e-6, atol_conc=1e-9, atol_gate=1e-7)
    res = simulate(system, Protocol([Block("pump", 1.0, t0), Block("pump", 0.0, t0 + length)]),
                   duration=duration, dt=max(1.0, duration / 200000), tol=tol or tight, progress=progress)
    v, t = res["V"], res.t
    above = t[v > -40.0]
    s.add("V_before", "V before", float(v[0]), "mV", ".2f")
    if len(above):
        # the first spike is narrower than the output grid: take it from the solver's dense output
        first = min(above[0], res.spikes[0]) if len(res.spikes) else above[0]
        s.add("t_first_above", "first time V is above -40 mV (first spike)", first / 1000.0, "s", ".2f")
        s.add("t_last_above", "last time V is above -40 mV", above[-1] / 1000.0, "s", ".2f")
        s.add("sd_duration", "from the first to the last time above -40 mV",
              (above[-1] - first) / 1000.0, "s", ".1f")
    dt = an.time_depolarised(res, t0)
    s.add("t_depolarised", "time to the depolarised (SD-like) state (V above -40 mV for 1 s)",
          None if dt is None else dt / 1000.0, "s after the pump stops", ".1f")
    for name, label in (("K_o", "K_o peak"), ("Na_i", "Na_i peak")):
        k = int(np.argmax(res[name]))
        s.add(f"{name}_peak", label, float(res[name][k]), "mM", ".2f")
        s.add(f"t_{name}_peak", f"time of the {label}", t[k] / 1000.0, "s", ".2f")
    s.add("bound_max", "most K+ bound in the buffer (K_b; the paper's -dk)", float(res["K_b"].max()), "mM",
          ".2f")
    for name in ("V", "K_o", "Na_i", "K_i", "K_b"):
        unit = "mV" if name == "V" else "mM"
        s.add(f"{name}_end", f"{name} at end", float(res[name][-1]), unit, ".2f")
    s.add("recovered", "repolarised (V at end below -60 mV)", bool(v[-1] < -60.0))
    return Outcome(sc, res, s, marks={"pump off": (t0, t0 + length)})


_OPTIONS = (Param("at", 10000.0, "ms", 0.0, 1e8, "time the pump stops"),
            Param("length", 120000.0, "ms", 1.0, 1e8, "how long it stays off"),
            Param("test_interval", 20000.0, "ms", 10.0, 1e8, "interval between test pulses"))

PRESET = register_preset(Preset(
    name="hubel-dahlem2014",
    title="Hübel & Dahlem 2014: HH neuron with ion concentrations, bistable ion homeostasis",
    references=REFERENCES,
    description=__doc__.strip().splitlines()[0],
    build=cell,
    scenarios={
        "interruption": Scenario(
            name="interruption",
            title="A long pump interruption: into the spreading-depression-like state",
            description="The pump stops for scenario.length ms. The closed neuron falls into a "
            "depolarised, free-energy-starved state that persists after the pump restarts "
            "(bistability); with the extracellular K+ coupled to a bath "
            "(hubel-dahlem2014:recovery) it returns to rest.",
            options=_OPTIONS, duration=600000.0, runner=_interruption, factory=cell),
        "recovery": Scenario(
            name="recovery", title="The same interruption with K_o coupled to a bath: recovery",
            description="As 'interruption', with the extracellular K+ relaxing to a 4 mM bath "
            "(rate 0.03/s).",
            options=_OPTIONS, duration=1800000.0, runner=_interruption,
            factory=lambda: cell(diffusion=0.03)),
        "buffered-sd": Scenario(
            name="buffered-sd", title="Pump off for 9.5 s with the glial K+ buffer: an SD-like excursion",
            description="ModelDB 167714's own protocol (switch s = 0): the pump stops at 20 s for 9.5 s; "
            "the cell fires, depolarises, K_o peaks near 70 mM while the buffer binds it, and after "
            "about 83 s the cell repolarises to a new state with about 77 mM of K+ still bound.",
            options=(Param("at", 20000.0, "ms", 0.0, 1e8, "time the pump stops"),
                     Param("length", 9500.0, "ms", 1.0, 1e8, "how long it stays off (the .ode's delta)")),
            duration=500000.0, runner=_buffered, factory=lambda: cell(buffer=True)),
    },
))
