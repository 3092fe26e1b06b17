"""Checks of the published presets (hh1952, hubel-dahlem2014, cressman2009,
wei2014) and the differences of the conservative presets from their papers'
forms."""

from __future__ import annotations

import numpy as np

from .core import Check, Difference, _fmt, _neuron_rows, crosscheck_module


def neuron_hh(amplitude: float, width: float = 0.5, duration: float = 25.0, delay: float = 2.0):
    """NEURON's built-in ``hh`` (rate tables off, CVODE atol 1e-8) to a pulse of
    ``amplitude`` uA/cm2 for ``width`` ms from ``delay`` ms: (t, V), or None
    without NEURON."""
    try:
        from neuron import h
    except ImportError:
        return None
    h.load_file("stdrun.hoc")
    sec = h.Section(name="hh_check")
    sec.L = sec.diam = 17.841241161527712  # 1000 um2
    sec.cm = 1.0
    sec.insert("hh")
    seg = sec(0.5)
    seg.hh.el = -54.387
    sec.ena, sec.ek = 50.0, -77.0
    h.celsius = 6.3
    h.usetable_hh = 0
    stim = h.IClamp(seg)
    stim.delay, stim.dur, stim.amp = delay, width, amplitude * 1e-5 * 1000.0  # uA/cm2 -> nA
    tv, vv = h.Vector(), h.Vector()
    tv.record(h._ref_t)
    vv.record(seg._ref_v)
    cv = h.CVode()
    cv.active(1)
    cv.atol(1e-8)
    h.finitialize(-65.0)
    h.continuerun(duration)
    out = np.array(tv), np.array(vv)
    stim.amp = 0.0
    sec.uninsert("hh")
    return out


def _neuron_threshold(width: float = 0.5) -> float | None:
    if neuron_hh(20.0, width) is None:
        return None
    lo, hi = 0.5, 50.0
    for _ in range(30):
        mid = 0.5 * (lo + hi)
        t, v = neuron_hh(mid, width)
        if v.max() > 0.0:
            hi = mid
        else:
            lo = mid
    return hi


def hh1952_checks() -> list[Check]:
    from ..catalog import hh1952
    from ..compile.system import compile_cell
    from ..model.protocol import Protocol, Pulse
    from ..solve.simulate import simulate

    system = compile_cell(hh1952.cell())
    res = simulate(system, Protocol([Pulse(2.0, 0.5, 20.0)]), duration=25.0, dt=0.005, tol=hh1952.TIGHT)
    v = res["V"]
    checks = [Check("hh1952", "resting potential", "mV", float(v[0]), -65.0, 0.01,
                    "HH 1952 Table 3, modern convention [PAPER]")]
    i1 = hh1952.repetitive_onset(system)
    i2 = hh1952.hopf_current(system)
    checks += [
        Check("hh1952", "onset of repetitive firing", "uA/cm2", i1, 6.26, 0.02, "Rinzel & Miller 1980 [MEM]"),
        Check("hh1952", "Hopf bifurcation of rest", "uA/cm2", i2, 9.78, 0.02, "Rinzel & Miller 1980 [MEM]"),
    ]
    nrn = neuron_hh(20.0)
    if nrn is None:
        checks += [Check("hh1952", "spike peak (20 uA/cm2, 0.5 ms)", "mV", float(v.max()), None, 0.05,
                         "NEURON hh: not installed"),
                   Check("hh1952", "threshold, 0.5 ms pulse", "uA/cm2", hh1952.threshold(system), None,
                         0.03, "NEURON hh: not installed")]
    else:
        tn, vn = nrn
        checks.append(Check("hh1952", "spike peak (20 uA/cm2, 0.5 ms)", "mV", float(v.max()),
                            float(vn.max()), 0.05, "[NEURON] built-in hh, CVODE atol 1e-8"))
        checks.append(Check("hh1952", "time of spike peak", "ms", float(res.t[np.argmax(v)]),
                            float(tn[np.argmax(vn)]), 0.01, "[NEURON] built-in hh, CVODE atol 1e-8"))
        checks.append(Check("hh1952", "undershoot", "mV", float(v.min()), float(vn.min()), 0.05,
                            "[NEURON] built-in hh, CVODE atol 1e-8"))
        thr = hh1952.threshold(system)
        thr_n = _neuron_threshold()
        checks.append(Check("hh1952", "threshold, 0.5 ms pulse", "uA/cm2", thr, thr_n, 2e-3 * thr_n,
                            "[NEURON] built-in hh, bisection to 1e-7"))
    checks += _neuron_rows("hh1952", "hh1952_dynamic", "dynamic concentrations, 50 Hz for 1 s")
    return checks


def hubel_dahlem_checks() -> list[Check]:
    """The resting state our transcription reaches against the published one;
    tolerance one unit of the last published digit."""
    from ..catalog import hubel_dahlem2014 as hd
    from ..solve.steady import equilibrate

    system, y, _ = equilibrate(hd.cell())
    obs = system.observe(y)
    src = "Hübel & Dahlem 2014, ModelDB 167714 initial state [CODE]"
    checks = [Check("hubel-dahlem2014", "resting potential", "mV", float(y[system.layout.V]), hd.REST["V0"],
                    0.01, src)]
    for name, tol in (("K_i", 0.01), ("Na_i", 0.01), ("Cl_i", 0.01), ("K_o", 0.1), ("Na_o", 0.01),
                      ("Cl_o", 0.01)):
        checks.append(Check("hubel-dahlem2014", f"rest {name}", "mM", float(obs[name][0]), hd.REST[name],
                            tol, src))
    checks.append(Check("hubel-dahlem2014", "resting pump current", "uA/cm2", float(obs["I_pump"][0]),
                        hd.REST_PUMP, 0.003, "REFERENCES 1b.4 [RUN]"))
    return checks + _neuron_rows("hubel-dahlem2014", "hd2014", "five 40 uA/cm2 pulses at 10 Hz")


def cressman_checks() -> list[Check]:
    """Qualitative: no firing at 4 mM bath K+, periodic bursts at 8 mM (1 = yes);
    and the same conservative model in NEURON."""
    from ..catalog import get

    sc = get("cressman2009:bursting")
    quiet = sc.run(options={"k_bath": 4.0}).measures
    raised = sc.run(options={"k_bath": 8.0}).measures
    src = "Cressman et al. 2009: seizure-like bursts at raised bath K+ [PAPER abstract], conservative variant"
    bursts = raised.get("bursts", 0)
    return [Check("cressman2009", "silent at 4 mM bath K+ (spikes)", "count", float(quiet["spikes"]),
                  0.0, 0.0, src),
            Check("cressman2009", "periodic bursts at 8 mM bath K+ (at least 5)", "1",
                  float(bursts >= 5), 1.0, 0.0, src)] + _neuron_rows(
        "cressman2009", "cressman2009", "pulse train at 4 mM and bursting at 8 mM bath K+")


def _regime(spikes: int, sd_episodes: int) -> float:
    """0 quiet, 1 firing or seizure-like events, 2 spreading-depression-like episodes."""
    return 2.0 if sd_episodes else (1.0 if spikes else 0.0)


def wei_checks() -> list[Check]:
    """The preset against an independent implementation of the same equations
    (crosscheck/wei2014_paper.py, form "nakpump"), and its regimes against the
    authors' form of the model (form "authors": per-volume pump, sphere area,
    the authors' impermeants) at the bath K+ and O2 of each regime."""
    from ..catalog import wei2014
    from ..model.protocol import Protocol
    from ..results import analysis as an
    from ..solve.simulate import Tolerances, simulate

    module = crosscheck_module("wei2014_paper")
    if module is None:
        return [Check("wei2014", "independent implementation", "", float("nan"), None, 0.0,
                      "[INDEPENDENT] skipped: crosscheck/ not found")]
    checks = []
    src = "[INDEPENDENT] crosscheck/wei2014_paper.py (SciPy LSODA, rtol 1e-10), bath K+ 20 mM, 12 s"
    ref = module.run("nakpump", 20.0, 32.0, 12000.0, rtol=1e-10)
    tight = Tolerances(rtol=1e-10, atol_V=1e-8, atol_conc=1e-11, atol_gate=1e-10)
    res = simulate(wei2014.cell(k_bath=20.0), Protocol(), duration=12000.0, dt=10.0, tol=tight)
    y_end = module.at(ref, 12000.0)
    checks.append(Check("wei2014", "spikes before the depolarisation block", "count", len(res.spikes),
                        len(ref.spikes), 0.0, src))
    if len(res.spikes) == len(ref.spikes):
        checks.append(Check("wei2014", "time of the last spike", "ms", float(res.spikes[-1]),
                            float(ref.spikes[-1]), 1e-3, src))
    for name, tol in (("K_o", 1e-5), ("Na_i", 1e-5), ("Cl_i", 1e-5), ("O2", 1e-6)):
        checks.append(Check("wei2014", f"{name} at 12 s", "mg/L" if name == "O2" else "mM",
                            float(res[name][-1]), float(y_end[name]), tol, src))
    checks.append(Check("wei2014", "cell volume at 12 s (relative)", "1", float(res["vol_i_rel"][-1]),
                        float(y_end["W_i"] / module.W0), 1e-8, src))

    for label, k_bath, o2_bath in (("quiet", 7.0, 32.0), ("seizure-like events", 8.5, 32.0),
                                   ("spreading depression", 20.0, 32.0),
                                   ("hypoxic spreading depression", 4.0, 2.0)):
        duration = 120000.0
        ours = simulate(wei2014.cell(k_bath=k_bath, o2_bath=o2_bath), Protocol(), duration=duration,
                        dt=10.0)
        theirs = module.run("authors", k_bath, o2_bath, duration, rtol=1e-8)
        ts = np.arange(0.0, duration + 1.0, 10.0)
        v = module.at(theirs, ts)["V"]
        episodes_theirs = an.episodes_above(ts, v)
        checks.append(Check(
            "wei2014", f"regime at bath K+ {k_bath:g} mM, O2 {o2_bath:g} mg/L (0 quiet, 1 firing, "
            f"2 SD-like)", "code", _regime(len(ours.spikes), len(an.depolarised_episodes(ours))),
            _regime(len(theirs.spikes), len(episodes_theirs)), 0.0,
            f"[INDEPENDENT] the authors' form (crosscheck/wei2014_paper.py), 120 s: {label}"))
    return checks


def differences() -> list[Difference]:
    """The presets that conserve what their papers do not, next to the
    papers' forms run by the independent implementations in ``crosscheck/``."""
    from ..catalog import cressman2009, wei2014
    from ..model.protocol import Protocol
    from ..results import analysis as an
    from ..solve.simulate import simulate

    rows: list[Difference] = []
    paper = crosscheck_module("cressman2009_paper")
    if paper is not None:
        duration = 600000.0
        res = simulate(cressman2009.cell(k_bath=8.0), Protocol(), duration=duration, dt=50.0)
        keep = res.t > duration / 3
        starts = an.bursts(res.spikes)[:, 0]
        late = starts[starts > duration / 3]
        ours = dict(period=float(np.mean(np.diff(late))) / 1000.0 if len(late) > 2 else None,
                    K_o=(float(res["K_o"][keep].min()), float(res["K_o"][keep].max())),
                    Na_i=(float(res["Na_i"][keep].min()), float(res["Na_i"][keep].max())))
        theirs = paper.bursting(constants="paper", electrogenic=False, duration=duration)
        electro = paper.bursting(constants="paper", electrogenic=True, duration=duration)
        src = ("[INDEPENDENT] crosscheck/cressman2009_paper.py: the paper's equations (pump not in the "
               "membrane equation, K_i = 158 - Na_i, Cl- fixed); in brackets the same with the pump's "
               "current in the membrane equation")
        for key, unit in (("period", "s"), ("K_o", "mM"), ("Na_i", "mM")):
            label = {"period": "burst period at 8 mM bath K+",
                     "K_o": "K_o range while bursting", "Na_i": "Na_i range while bursting"}[key]
            bracket = _fmt(electro[key]) if electro["spikes"] else "no spikes"
            rows.append(Difference("cressman2009", label, unit, _fmt(ours[key]),
                                   f"{_fmt(theirs[key])} ({bracket})", src))
    wei = crosscheck_module("wei2014_paper")
    if wei is not None:
        src = ("[INDEPENDENT] crosscheck/wei2014_paper.py, the authors' form (pump and cotransporters per "
               "cytosol volume, a spherical membrane that grows as the cell swells, impermeants 132/18 mM), "
               "LSODA at rtol 1e-10")
        for k_bath, duration, what in ((8.5, 300000.0, "seizure-like events"),
                                       (20.0, 180000.0, "spreading-depression-like episodes")):
            res = simulate(wei2014.cell(k_bath=k_bath), Protocol(), duration=duration, dt=10.0,
                           tol=wei2014.TIGHT)
            sol = wei.run("authors", k_bath, 32.0, duration, rtol=1e-10)
            ts = res.t
            y = wei.at(sol, ts)
            if what.startswith("seizure"):
                a, b = an.bursts(res.spikes)[:, 0], an.bursts(sol.spikes)[:, 0]
            else:
                a, b = an.depolarised_episodes(res)[:, 0], an.episodes_above(ts, y["V"])[:, 0]
            period = [float(np.mean(np.diff(x[1:]))) / 1000.0 if len(x) > 2 else None for x in (a, b)]
            rows.append(Difference("wei2014", f"{what} at {k_bath:g} mM bath K+: number in "
                                   f"{duration / 1000:g} s", "", str(len(a)), str(len(b)), src))
            rows.append(Difference("wei2014", f"{what} at {k_bath:g} mM: period", "s",
                                   _fmt(period[0]), _fmt(period[1]), src))
            rows.append(Difference("wei2014", f"{what} at {k_bath:g} mM: K_o peak", "mM",
                                   _fmt(float(res["K_o"].max())), _fmt(float(y["K_o"].max())), src))
            rows.append(Difference("wei2014", f"{what} at {k_bath:g} mM: largest swelling", "%",
                                   _fmt(100.0 * (float(res["vol_i_rel"].max()) - 1.0)),
                                   _fmt(100.0 * (float(y["W_i"].max()) / wei.W0 - 1.0)), src))
    return rows




def checks() -> list[Check]:
    """Every preset's checks."""
    return hh1952_checks() + cressman_checks() + wei_checks() + hubel_dahlem_checks()
