"""The default neuron's experiments at rest and in firing: rest, a spike
train, the pump's electrogenic share and the ATP cost of a spike (the pump
after-hyperpolarisation is in ``catalog.pump_ahp``; ouabain, ischemia and
swelling in ``catalog.energy_failure``).

Each runs on any cell of ``catalog.cells.CELLS`` (the neuron in tissue by
default, or the pump-leak cell), or on a cell you pass, reports its measures
(per cell and per um2 of membrane) and draws a figure.
"""

from __future__ import annotations

import numpy as np

from ..compile.system import compile_cell
from ..mechanisms.base import Param
from ..model.protocol import Protocol, Pulse, PulseTrain
from ..results import analysis as an
from ..solve.rest import rest_report
from ..solve.simulate import Tolerances
from .interventions import block_pumps, na_channel_names, per_um2, sustained, test_pulse
from .scenario import Outcome, Summary, output_dt, scenario, settle, simulate

__all__: list[str] = []

CALIBRATED = ("the resting potential is calibrated, not predicted: the Na+ leak, the pump density and "
              "the Cl- transport were solved so that the cell rests there")
PULSE_OPTIONS = (Param("amplitude", 0.0, "uA/cm2", -1e3, 1e3,
                       "pulse amplitude into the cell (0: the cell's own test pulse: 15 in tissue, "
                       "40 in the pump-leak cell)"),
                 Param("width", 1.0, "ms", 0.01, 100.0, "pulse duration (with an amplitude given)"))


def start(sc, cell):
    """The compiled cell, an empty summary, and the state to start from."""
    system = compile_cell(cell)
    s = Summary(f"{sc.name}: {sc.title} [{cell.name}]")
    return system, s, settle(system, s)


def _rest_label(s: Summary, v_rest: float) -> None:
    """The resting potential: calibrated, unless the cell was changed and settled elsewhere."""
    if "settled_s" in s:
        s.add("V_rest", "resting potential (of the changed cell)", v_rest, "mV", ".2f")
    else:
        s.add("V_rest", "resting potential (calibrated)", v_rest, "mV", ".2f")
        s.note(CALIBRATED)


def add_per_cell(s: Summary, key: str, label: str, value: float, unit: str, area_um2: float) -> None:
    """A per-cell rate and, beside it, its value per um2 of membrane."""
    s.add(key, label, value, f"{unit} per cell", ".3g")
    s.add(f"{key}_um2", "  per um2 of membrane", per_um2(value, area_um2), f"{unit} per um2", ".3g")


# --------------------------------------------------------------- rest -----
@scenario("rest", "The resting state and what sets it",
          "No stimulus. Reports Nernst and GHK potentials, the permeability ratios at rest, the pump "
          "current, the pump's electrogenic share of V_rest, ATP use, input resistance, time constant "
          "and the drift over the run. The resting potential is calibrated, not predicted.",
          duration=2000.0)
def _rest(sc, cell, opts, duration, tol, progress):
    system, s, y0 = start(sc, cell)
    res = simulate(system, Protocol(), duration=duration, dt=output_dt(duration, min(1.0, duration / 100)),
                   tol=tol, progress=progress, y0=y0)
    try:
        rep = rest_report(system, y0)
    except ValueError:
        s.add("V_rest", "resting potential", None, "mV")
        s.add("spikes", "spontaneous spikes over the run", len(res.spikes), "", "d")
        s.add("V_range", "V between", f"{res['V'].min():.1f} and {res['V'].max():.1f} mV")
        s.note("no resting potential to report: the cell fires or oscillates at these settings "
               "(spikes and V range above)")
        return Outcome(sc, res, s)
    area = res.meta["area_um2"]
    _rest_label(s, rep.V_rest)
    for ion, e in rep.nernst.items():
        s.add(f"E_{ion}", f"E_{ion}", e, "mV", ".1f")
    pk = rep.ghk_permeability["K"]
    for ion in ("Na", "Cl"):
        s.add(f"P_{ion}_per_P_K", f"GHK permeability ratio P_{ion}:P_K", rep.ghk_permeability[ion] / pk, "",
              ".3g")
    s.add("V_ghk", "GHK voltage with them (no pump)", rep.V_ghk, "mV", ".1f")
    s.add("V_weighted", "conductance-weighted E (no pump)", rep.V_weighted, "mV", ".1f")
    s.add("I_pump", "pump current at rest", rep.pump_current, "uA/cm2", ".3f")
    s.add("pump_mV", "pump's electrogenic share of V_rest", rep.pump_mV, "mV", ".2f")
    if rep.note:
        s.note(rep.note)
    add_per_cell(s, "atp_per_s", "ATP used by the pumps", rep.atp_per_cell_per_s, "molecules/s", area)
    s.add("area", "membrane area", area, "um2", ".0f")
    s.add("C_total", "membrane capacitance", area * 1e-8 * res.meta["Cm_uF_cm2"] * 1e6, "pF", ".0f")
    s.add("R_in", "input resistance", rep.input_resistance_MOhm, "MOhm", ".0f")
    s.add("tau_m", "membrane time constant", rep.tau_m_ms, "ms", ".2f")
    if "V_g" in res:
        s.add("V_glia", "astrocyte potential", float(res["V_g"][0]), "mV", ".1f")
    s.add("V_drift", "largest drift of V over the run", float(np.max(np.abs(res["V"] - res["V"][0]))),
          "mV", ".2g")
    return Outcome(sc, res, s, extra={"rest": rep})


# -------------------------------------------------------- spike train -----
WINDOW = (1000.0, 20000.0)
"""ms after the train's end in which the AHP's peak is read (after the fast K+ and M-current phase)."""


def ahp_numbers(t: np.ndarray, dv: np.ndarray, t_end: float) -> dict:
    """An AHP ``dv`` (mV) after a train ending at ``t_end`` ms: ``peak`` (the
    most negative value in ``WINDOW``, mV; positive: no AHP), ``t_peak`` (s
    after the train), ``half`` (s after the train when it has decayed to
    half, None if not within the run) and ``tau`` (s, a log-linear fit from
    the peak down to 10 % or the run's end)."""
    inside = (t >= t_end + WINDOW[0]) & (t <= t_end + WINDOW[1])
    k0 = np.nonzero(inside)[0][0]
    k = k0 + int(np.argmin(dv[inside]))
    peak = float(dv[k])
    out = {"peak": peak, "t_peak": (t[k] - t_end) / 1000.0, "half": None, "tau": None}
    if peak >= 0:
        return out
    tail, tt = dv[k:], (t[k:] - t[k]) / 1000.0
    half = np.nonzero(tail > 0.5 * peak)[0]
    if len(half):
        out["half"] = (t[k + half[0]] - t_end) / 1000.0
    stop = np.nonzero(tail > 0.1 * peak)[0]
    n = stop[0] if len(stop) else len(tail)
    if n >= 3:
        slope = np.polyfit(tt[:n], np.log(-tail[:n]), 1)[0]
        out["tau"] = -1.0 / slope if slope < 0 else None
    return out


@scenario("spike-train", "A train of action potentials and recovery by the pump",
          "Current pulses evoke a train of spikes; Na_i and K_o rise, the pumps speed up and "
          "restore them over seconds, hyperpolarising the cell while they work (the pump "
          "after-hyperpolarisation). Reports spikes, the changes, the recovery time constant of "
          "Na_i, the after-hyperpolarisation and the extra ATP the pumps spend per spike.",
          duration=60000.0,
          options=(Param("start", 1000.0, "ms", 0.0, 1e7, "time of the first pulse"),
                   Param("number", 100, "1", 1, 1e5, "number of pulses"),
                   Param("frequency", 10.0, "Hz", 0.01, 500.0, "pulse frequency")) + PULSE_OPTIONS)
def _train(sc, cell, opts, duration, tol, progress):
    system, s, y0 = start(sc, cell)
    n = int(opts["number"])
    amplitude, width = test_pulse(cell, opts["amplitude"], opts["width"])
    train = PulseTrain(opts["start"], n, opts["frequency"], width, amplitude)
    t_end = opts["start"] + (n - 1) * 1000.0 / opts["frequency"] + width
    dt = output_dt(duration, 1.0 if duration > 5000 else 0.05)
    res = simulate(system, Protocol([train]), duration=duration, dt=dt, tol=tol, progress=progress, y0=y0)
    spikes = an.spike_times(res)
    delivered = sum(1 for t0, _, _ in train.intervals() if t0 < duration)
    s.add("pulses", "pulses delivered", delivered, "", "d")
    s.add("spikes", "spikes", len(spikes), "", "d")
    if t_end + 100.0 > duration:
        s.note("the run ends before the train does; lengthen --duration for the recovery")
        return Outcome(sc, res, s, marks={"train": (opts["start"], min(t_end, duration))})
    i_end = int(np.searchsorted(res.t, t_end))
    for q in ("Na_i", "K_o", "K_i"):
        peak = res[q][i_end:] if i_end < len(res.t) else res[q][-1:]
        change = (peak.max() if q != "K_i" else peak.min()) - res[q][0]
        s.add(f"d{q}", f"{q} change at end of train", float(change), "mM", "+.3f")
    v_before = float(np.interp(opts["start"] - 1.0, res.t, res["V"]))
    s.add("V_after", "V 100 ms after the train", float(np.interp(t_end + 100.0, res.t, res["V"])), "mV",
          ".2f")
    nums = ahp_numbers(res.t, sustained(res.t, res["V"]) - v_before, t_end)
    s.add("ahp", "after-hyperpolarisation (spike-filtered V - V before, 1-20 s after)", nums["peak"], "mV",
          "+.2f")
    s.add("ahp_half", "  decayed to half at (s after the train)", nums["half"], "s", ".0f")
    i_pump = an.pump_current(res)
    s.add("I_pump_rest", "pump current at rest", float(i_pump[0]), "uA/cm2", ".3f")
    s.add("I_pump_peak", "pump current at its peak", float(i_pump.max()), "uA/cm2", ".3f")
    if t_end < res.t[-1] - 1000.0:
        try:
            tau, _, _ = an.recovery_tau(res, t_end + 200.0)
            s.add("na_tau", "recovery time constant of Na_i", tau / 1000.0, "s", ".2f")
        except ValueError as err:
            s.add("na_tau", "recovery time constant of Na_i", None)
            s.note(f"no recovery time constant: {err}")
        s.add("Na_i_end", "Na_i at end of run", float(res["Na_i"][-1]), "mM", ".3f")
    if len(spikes):
        tau = s["na_tau"] if "na_tau" in s and s["na_tau"] else 30.0
        until = min(res.t[-1], t_end + 10.0 * tau * 1000.0)  # the recovery, not what drifts after it
        extra = an.pump_atp_above_baseline(res, opts["start"], until)
        paid = extra * res.meta["area_um2"] * 1e-8 * an.AVOGADRO
        # the Na+ still in excess at `until` costs one ATP per 3 when the pumps take it out
        excess = np.interp(until, res.t, res["Na_i"]) - np.interp(opts["start"], res.t, res["Na_i"])
        owed = excess * res.meta["vol_i_um3"] * 1e-18 * an.AVOGADRO / 3.0
        label = (f"extra ATP per spike (the pumps' spend to {(until - t_end) / 1000.0:.3g} s after, "
                 "+ Na+ still to pump out / 3)")
        add_per_cell(s, "atp_per_spike", label, (paid + owed) / len(spikes), "ATP", res.meta["area_um2"])
        s.add("atp_paid_share", "  of it paid by the end", paid / (paid + owed) if paid + owed else None,
              "", ".0%")
    s.add("wall_s", "solver wall time", res.meta["wall_time_s"], "s", ".3f")
    first = simulate(system, Protocol([Pulse(2.0, width, amplitude)]), duration=25.0,
                     dt=0.01, tol=tol, y0=y0)
    return Outcome(sc, res, s, extra={"spike": first}, marks={"train": (opts["start"], t_end)})


# -------------------------------------------------------- electrogenic ----
@scenario("electrogenic", "The pump's direct electrical contribution to rest",
          "Separates the pump's two roles: its net outward current hyperpolarises the cell at once "
          "(electrogenic), while its ion transport keeps the gradients. Blocking the cell's own pumps "
          "shows a fast depolarisation within a few membrane time constants (the electrogenic part) "
          "followed by a slow drift (the gradients running down).",
          duration=20000.0,
          options=(Param("block_at", 2000.0, "ms", 0.0, 1e8, "time the pump is blocked"),
                   Param("ttx", 1.0, "1", 0.0, 1.0,
                         "fraction of Na+ channels blocked (TTX, as in the experiment: a cell near threshold "
                         "would fire once its pump current is gone)")))
def _electrogenic(sc, cell, opts, duration, tol, progress):
    cell = cell.with_params({f"{name}.block": opts["ttx"] for name in na_channel_names(cell)})
    system, s, y0 = start(sc, cell)
    rep = rest_report(system, y0)
    t_block = opts["block_at"]
    t_fast = t_block + 10.0 * rep.tau_m_ms
    main = cell.membranes()[0].name
    res = simulate(system, Protocol(block_pumps(cell, 1.0, t_block, membrane=main)), duration=duration,
                   dt=output_dt(duration, min(0.5, duration / 1000)), tol=tol, progress=progress, y0=y0)
    v0 = float(np.interp(t_block, res.t, res["V"]))
    v_fast = float(np.interp(t_fast, res.t, res["V"]))
    _rest_label(s, rep.V_rest)
    s.add("I_pump", "pump current at rest", rep.pump_current, "uA/cm2", ".3f")
    s.add("pump_mV", "electrogenic share (steady I-V, gradients kept)", rep.pump_mV, "mV", ".2f")
    s.add("pump_mV_chord", "electrogenic share (-I_pump / g_rest)", rep.pump_mV_chord, "mV", ".2f")
    if rep.note:
        s.note(rep.note)
    reached = res.t[-1] >= t_fast
    s.add("jump", f"measured fast jump after block (10 tau_m = {10 * rep.tau_m_ms:.0f} ms)",
          v_fast - v0 if reached else None, "mV", "+.2f")
    if not reached:
        s.note(f"no jump measured: the run ends before 10 membrane time constants after the block "
               f"({t_fast:.0f} ms); lengthen --duration")
    late = res.t >= t_fast
    if late.sum() > 2 and res.t[-1] - t_fast > 1000.0:
        slope = np.polyfit(res.t[late] / 60000.0, res["V"][late], 1)[0]
        s.add("drift", "then slow drift (gradients running down)", slope, "mV/min", "+.2f")
    return Outcome(sc, res, s, extra={"rest": rep}, marks={"block": t_block, "fast": t_fast})


# ------------------------------------------------------------ ATP cost ----
@scenario("atp-cost", "What an action potential costs in Na+ and ATP",
          "One spike on a fine grid gives the Na+ that enters (against the capacitive minimum, "
          "Carter & Bean 2009) and its ATP price at 3 Na+ per ATP; a burst then shows the pump "
          "actually spending that ATP during recovery; the rates are scaled to a second of firing, "
          "per cell and per um2 of membrane.",
          duration=300000.0,
          options=(Param("burst", 10, "1", 1, 1000, "spikes in the burst"),
                   Param("frequency", 10.0, "Hz", 0.1, 200.0, "firing rate used for per-second figures"))
          + PULSE_OPTIONS)
def _atp(sc, cell, opts, duration, tol, progress):
    system, s, y0 = start(sc, cell)
    amplitude, width = test_pulse(cell, opts["amplitude"], opts["width"])
    fine = simulate(system, Protocol([Pulse(5.0, width, amplitude)]),
                    duration=40.0, dt=0.002, tol=tol or Tolerances(rtol=1e-7, atol_V=1e-5), y0=y0)
    if len(fine.spikes) != 1:
        raise ValueError(f"atp-cost: the test pulse evoked {len(fine.spikes)} spikes, not 1; "
                         "adjust scenario.amplitude or scenario.width")
    entry = an.sodium_entry_per_spike(fine, 2.0, 40.0)
    # threshold where dV/dt exceeds twice what the pulse alone drives (Cm dV/dt = I)
    shape = an.spike_shape(fine.t, fine["V"], max(20.0, 2.0 * abs(amplitude) / cell.values["Cm"]))
    n = int(opts["burst"])
    f = opts["frequency"]
    if duration <= 1000.0 + n * 1000.0 / f:
        raise ValueError(f"--duration = {duration:g} ms must reach past the burst's end "
                         f"({1000.0 + n * 1000.0 / f:g} ms)")
    res = simulate(system, Protocol([PulseTrain(1000.0, n, f, width, amplitude)]),
                   duration=duration, dt=output_dt(duration, 1.0), tol=tol, progress=progress, y0=y0)
    extra = an.pump_atp_above_baseline(res, 1000.0, res.t[-1])
    area = res.meta["area_um2"]
    pump_per_spike = extra * area * 1e-8 * an.AVOGADRO / max(len(res.spikes), 1)
    rep = rest_report(system, y0)
    s.add("peak", "spike peak", shape.peak, "mV", ".1f")
    s.add("amplitude", "spike amplitude from rest", shape.peak - fine["V"][0], "mV", ".1f")
    s.add("height", "spike height above threshold", shape.amplitude, "mV", ".1f")
    s.add("half_width", "spike half-width (at half the height above threshold)", shape.width, "ms", ".2f")
    s.add("na_charge", "Na+ charge entering per spike", entry.charge_nC_cm2, "nC/cm2", ".1f")
    s.add("capacitive_minimum", "capacitive minimum Cm x amplitude", entry.capacitive_minimum_nC_cm2,
          "nC/cm2", ".1f")
    s.add("na_ratio", "Na+ entry ratio (charge / minimum)", entry.ratio, "", ".2f")
    s.add("na_ratio_threshold", "  with the minimum from threshold (Cm x height)",
          entry.charge_nC_cm2 / (res.meta["Cm_uF_cm2"] * shape.amplitude), "", ".2f")
    add_per_cell(s, "na_ions", "Na+ ions per spike", entry.ions_per_cell, "Na+", area)
    add_per_cell(s, "atp_per_spike", "ATP per spike (Na+/3)", entry.atp_per_cell, "ATP", area)
    owed = (res["Na_i"][-1] - res["Na_i"][0]) * res.meta["vol_i_um3"] * 1e-15 * 1e-3 * an.AVOGADRO / 3.0
    s.add("pump_atp_per_spike", f"ATP per spike the pumps spent after a {len(res.spikes)}-spike burst",
          pump_per_spike, "per cell", ".3g")
    s.add("atp_owed_per_spike", "  ATP owed for Na+ still in excess at the end (<0: undershoot)",
          owed / max(len(res.spikes), 1), "per cell", ".3g")
    add_per_cell(s, "atp_rest_per_s", "resting ATP use by the pumps", rep.atp_per_cell_per_s, "ATP/s", area)
    per_s = rep.atp_per_cell_per_s + f * entry.atp_per_cell
    add_per_cell(s, "atp_firing_per_s", f"ATP use by the pumps firing at {f:g} Hz", per_s, "ATP/s", area)
    s.add("firing_rest_ratio", "firing / rest ATP ratio", per_s / rep.atp_per_cell_per_s, "", ".2f")
    s.note("Attwell & Laughlin 2001 (rat cortex, 4 Hz): 3.84e8 ATP per action potential per neuron "
           "(0.47 x 3.29e9 ATP/s / 4 Hz), for a whole neuron with its axon and Na+ entry ratio 4")
    return Outcome(sc, res, s, extra={"spike": fine, "entry_window": (2.0, 40.0)},
                   marks={"train": (1000.0, 1000.0 + (n - 1) * 1000 / f)})
