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

Not included: the model's glial K+ buffer reservoir (ModelDB's default
switch s=0 uses it); the scenarios here use the closed model or the bath
coupling instead, and a 120 s interruption (the paper also shows shorter
ones, e.g. 9.5 s).  Near the bistable threshold the return time is
sensitive to solver accuracy (about 1 s between default and converged
tolerances), so these scenarios run at rtol 1e-8.
"""

from __future__ import annotations

import numpy as np

from ..compile.system import compile_cell
from ..mechanisms import BathDiffusion, HubelDahlemNaK, Leak, SigmoidPump
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


def cell(diffusion: float = 0.0) -> Cell:
    """The Hübel-Dahlem neuron at its published rest; ``diffusion`` > 0 (1/s)
    couples K_o to a 4 mM bath (their lambda; 0.03/s in the paper's setting)."""
    mechs = [HubelDahlemNaK(), Leak("Na", g=0.0175), Leak("K", g=0.05), Leak("Cl", g=0.02),
             SigmoidPump(imax=6.8, na_half=25.0, na_slope=3.0, k_half=5.5, k_slope=1.0, T_ref=36.0)]
    if diffusion > 0:
        mechs.append(BathDiffusion("K", rate=diffusion, bath=4.0))
    return Cell(mechs, name="hubel-dahlem2014", description="Hübel & Dahlem 2014 neuron, 36 degC",
                T=36.0, area=922.0, vol_i=2160.0, vol_o=720.0, bath=0.0, **REST)


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
    s.add("recovered", "recovered (V at end below -60 mV)", bool(res["V"][-1] < -60.0))
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
    },
))
