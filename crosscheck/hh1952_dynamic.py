"""NEURON cross-check of nakpump's preset ``hh1952``, dynamic variant
(``hh1952.cell_dynamic()``).

Hodgkin & Huxley 1952's squid giant axon membrane at 6.3 degC (HH Na+ and
K+ channels, the leak carried by Cl-) with dynamic concentrations: the
axoplasm (an axon of 500 um diameter: vol_i/area 125 um) and a 30 nm
periaxonal space (Frankenhaeuser & Hodgkin 1956) that exchanges Na+, K+
and Cl- with the bath (nakpump's ``BathDiffusion`` of each ion, 20/s, the
bath at the initial concentrations), so K+ accumulates outside during a
train.  The channels' reversal potentials are the live Nernst potentials.

On the NEURON side the channels are NEURON's own built-in ``hh`` (rate
tables off: ``usetable_hh = 0``; its leak ``gl_hh = 0``), which reads
``ena`` and ``ek``: NEURON recomputes them from the concentrations at every
step because ``hhdaccum`` writes them.  Under ``neuron_hh1952/``:
``hhdleak`` (the Cl- leak against the live E_Cl), ``hhdinj`` (the electrode
current, carried by K+ as ``cell.electrode_ion``) and ``hhdaccum`` (the only
writer of concentrations: nakpump's ``amount_rates`` with the cell's
volume/area ratios w_i and w_o, plus the exchange of each periaxonal
concentration with its bath; nakpump's "exchange" mechanisms give rates of
the extracellular concentration: nakpump moves w_o x rate of amount, so the
concentration changes at exactly that rate).  One isopotential section.
NEURON's ``hh`` fixes q10 = 3 from 6.3 degC, so the run refuses a preset
with other ``q10``/``T_ref``; its rate functions are nakpump's
``hh_na``/``hh_k`` ones (0.1 vtrap(-(v+40), 10) = efun(-(v+40)/10), ...),
written as inf/tau.

Every number is read from ``nakpump.presets.hh1952.cell_dynamic()`` at run
time, set from Python and read back; parameters the NEURON model does not
cover must be at values where they do nothing (otherwise the run refuses).
At t = 0 the concentrations equal nakpump's, the Nernst potentials equal
nakpump's to < 1e-6 mV and the gates equal nakpump's initial state
(``compile_cell(cell).y0``) to 1e-12.

Units on the NEURON side: ms, mV, mM, mA/cm2 (nakpump: uA/cm2, x1e-3),
S/cm2 (nakpump: mS/cm2, x1e-3), um, degC; the exchange rates in 1/ms
(nakpump: 1/s, x1e-3).

The protocol is given the same way to both simulators:

``pulses``  electrode current pulses ``(start ms, duration ms, amplitude
            uA/cm2 into the cell)``, as ``nakpump.Pulse``; or the 5-tuple
            ``(start, number, frequency Hz, duration, amplitude)`` of a train.

>>> a = run_neuron((10.0, 50, 50.0, 0.5, 20.0), 1200.0, record_dt=0.1)
>>> b = run_nakpump((10.0, 50, 50.0, 0.5, 20.0), 1200.0, record_dt=0.1)
>>> compare(a, b)["spike_time"]

NEURON's spike times are its NetCon's crossings of 0 mV refined on a
second, identical run to CVODE's accuracy (``NeuronHHDynamic._refine``);
the NetCon's own times (``spikes_netcon``) are off by ~3e-6 ms at atol 1e-8.

Measured (NEURON 9.0.2), the 50 Hz train ``TRAIN`` over 1.2 s: NEURON
atol 1e-10 against nakpump ``NAKPUMP_TOL`` agree to 7e-9 ms in spike times
and 2.2e-8 mM in concentrations (K_o); NEURON atol 1e-12 against nakpump
rtol 1e-11 to 2.3e-10 ms and 3.8e-10 mM.  ``validation_numbers()`` gives
headline numbers of the train.

``run_neuron`` runs NEURON in a fresh Python process by default
(``isolated=True``): NEURON integrates every section that exists in a
process with one CVODE and shares globals (``celsius``, the ions' initial
concentrations), so another model built in the same process (e.g.
``hd2014.py``'s) would be integrated alongside and change the step sizes;
the child process holds this section only.

Built mechanisms go to ``neuron_hh1952/build/<hash of the .mod files>/``
(compiled with ``nrnivmodl`` on first use; git-ignored by
``crosscheck/.gitignore``).  Not ``crosscheck/build``: ``nrnbuild.build``
removes every other build under its root, so two sets of mechanisms sharing
one root would delete each other's builds.
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nrnbuild  # noqa: E402
from harness import (  # noqa: E402
    check_coverage,
    compare,  # noqa: F401  (part of this module's interface: run, then compare)
    edges,
    nernst,
    pulse_list,
    run_isolated,
    run_nakpump_cell,
    serve_isolated,
)

HERE = Path(__file__).resolve().parent
MOD_DIR = HERE / "neuron_hh1952"
BUILD_ROOT = MOD_DIR / "build"
MECHS = ("hh", "hhdleak", "hhdinj", "hhdaccum")
OWN_MECHS = MECHS[1:]
"""The mechanisms of ``MOD_DIR`` (``hh`` is NEURON's built-in)."""

EXPECTED = [("hh_na", "hh_na", None), ("hh_k", "hh_k", None), ("leak_cl", "leak", "Cl"),
            ("diffusion_na", "bath_diffusion", "Na"), ("diffusion_k", "bath_diffusion", "K"),
            ("diffusion_cl", "bath_diffusion", "Cl")]
"""nakpump's mechanisms of the preset, in order: (name, family, ion)."""

COVERED = {
    "hh_na": ("gbar", "q10", "T_ref", "block"), "hh_k": ("gbar", "q10", "T_ref", "block"),
    "leak_cl": ("g", "block"),
    "diffusion_na": ("rate", "bath", "block"), "diffusion_k": ("rate", "bath", "block"),
    "diffusion_cl": ("rate", "bath", "block"),
}
"""Parameters the NEURON model implements, per mechanism."""

INERT = {"o2_slope": 0.0, "beta_slope": 0.0, "electrogenic": 1.0}
"""Parameters outside the NEURON model that must hold these values (a slope
of 0 turns the factor off), and the ones that then do nothing:"""
INERT_WITH = {"o2_half": "o2_slope", "beta_half": "beta_slope"}

NAKPUMP_TOL = dict(rtol=1e-9, atol_V=1e-7, atol_conc=1e-10, atol_gate=1e-8)
"""Default nakpump tolerances of the cross-check (``nakpump.Tolerances``)."""


REFINE_WINDOW = 0.02
"""ms either side of a NetCon spike time searched by the spike refinement."""

_h = None          # neuron.h once the mechanisms are loaded


# ------------------------------------------------------------------ build ----

def build_mechanisms(force: bool = False) -> Path:
    """Compile the .mod files into ``BUILD_ROOT/<hash>`` unless already there."""
    return nrnbuild.build(MOD_DIR, BUILD_ROOT, force)


def neuron_h():
    """``neuron.h`` with the crosscheck mechanisms loaded (built if needed)."""
    global _h
    if _h is None:
        _h = nrnbuild.load(MOD_DIR, BUILD_ROOT, "hhdaccum")
    return _h


# ---------------------------------------------------------------- nakpump ----

def nakpump_cell():
    """The preset cell, checked to be what the NEURON model covers."""
    from nakpump.presets import hh1952
    cell = hh1952.cell_dynamic()
    got = [(m.name, m.family, getattr(m, "ion", None)) for m in cell.mechanisms]
    if got != EXPECTED:
        raise AssertionError(f"the NEURON model covers {EXPECTED}; the preset has {got}")
    if cell.bath or cell.electrode_ion != "K":
        raise AssertionError("the NEURON model expects a closed outside and a K+ electrode current")
    kinds = {m.kind for m in cell.mechanisms}
    if kinds & {"metabolism", "water", "oxygen"}:
        raise AssertionError(f"the preset has {kinds}: the NEURON model has fixed volumes")
    check_coverage(cell, COVERED, INERT, INERT_WITH)
    for name in ("hh_na", "hh_k"):
        hv = cell.mechanism(name).values
        if hv["q10"] != 3.0 or hv["T_ref"] != 6.3:
            raise AssertionError(f"{name}: q10 {hv['q10']}, T_ref {hv['T_ref']}; NEURON's hh has "
                                 "q10 3 from 6.3 degC")
    return cell


def run_nakpump(pulses=(), duration: float = 1200.0, *, record_dt: float = 0.1,
                tol: dict | None = None) -> dict:
    """Run the preset in nakpump; same outputs as ``run_neuron``.

    tol: keyword arguments of ``nakpump.Tolerances`` (default ``NAKPUMP_TOL``).
    """
    return run_nakpump_cell(nakpump_cell(), pulses, duration, record_dt, tol or NAKPUMP_TOL)


# ----------------------------------------------------------------- NEURON ----

_set = nrnbuild.set_checked


class NeuronHHDynamic:
    """The preset as one NEURON section, built for one run and deleted after
    it (``close``), so that it never shares a process's CVODE with a later
    model."""

    def __init__(self):
        h = neuron_h()
        from nakpump.physics import F, R
        others = [s.name() for s in h.allsec()]
        if others:
            raise AssertionError(f"other sections exist in this NEURON ({others}); they would be "
                                 "integrated with this model (use isolated=True)")

        # NEURON's constants must be nakpump's (both CODATA 2018; see hd2014.py).
        self.constants = {"FARADAY": float(h.FARADAY), "R": float(h.R)}
        self.constant_errors = {"FARADAY": abs(self.constants["FARADAY"] / F - 1.0),
                                "R": abs(self.constants["R"] / R - 1.0)}
        if max(self.constant_errors.values()) > 1e-10:
            raise AssertionError(f"NEURON FARADAY/R = {self.constants}, nakpump F = {F}, R = {R}")

        cell = nakpump_cell()
        v = cell.values
        # Only per-area quantities matter; L = diam with pi diam^2 = cell.area
        # keeps the absolute area equal too.
        sec = h.Section(name="hh1952_axon")
        sec.nseg = 1
        d = math.sqrt(v["area"] / math.pi)
        sec.L = d
        sec.diam = d
        area = h.area(0.5, sec=sec)
        if abs(area - v["area"]) > 1e-9 * v["area"]:
            raise AssertionError(f"section area {area} um2, expected {v['area']}")
        for name in MECHS:
            sec.insert(name)
        self.sec, self.seg = sec, sec(0.5)
        h.setpointer(self.seg._ref_amp_hhdinj, "iel", self.seg.hhdaccum)

        # Reversal potentials must follow the concentrations (Nernst at
        # every step) and only hhdaccum may write concentrations.
        for nrn in ("na", "k", "cl"):
            style = int(h.ion_style(f"{nrn}_ion", sec=sec))
            c_style, cinit = style % 4, (style // 4) % 2
            einit, eadvance = (style // 32) % 2, (style // 64) % 2
            ci_w, co_w = (style // 128) % 2, (style // 256) % 2
            if not (c_style == 3 and cinit and einit and eadvance and ci_w and co_w):
                raise AssertionError(f"{nrn}_ion style {style}: E_{nrn} not recomputed from "
                                     "written concentrations")
        writers = [m for m in OWN_MECHS if m != "hhdaccum"
                   and any(f"WRITE {x}" in (MOD_DIR / f"{m}.mod").read_text()
                           for x in ("nai", "nao", "ki", "ko", "cli", "clo"))]
        if writers:
            raise AssertionError(f"mechanisms {writers} write concentrations")
        if "TABLE" in "".join((MOD_DIR / f"{m}.mod").read_text() for m in OWN_MECHS):
            raise AssertionError("the .mod files must not use tables (rates computed exactly)")

    def close(self) -> None:
        """Delete the section (NEURON deletes a Python-made section with its
        last reference)."""
        self.seg = None
        self.sec = None

    def configure(self):
        """Set every parameter from nakpump's cell (and read it back)."""
        h = neuron_h()
        from nakpump.physics import F
        cell = nakpump_cell()
        v = cell.values
        self.cell, self.values = cell, dict(v)
        seg = self.seg
        _set(self.sec, "cm", v["Cm"])
        _set(h, "usetable_hh", 0.0)                           # rates computed exactly
        _set(seg.hh, "gnabar", cell.mechanism("hh_na").values["gbar"] * 1e-3)   # mS/cm2 -> S/cm2
        _set(seg.hh, "gkbar", cell.mechanism("hh_k").values["gbar"] * 1e-3)
        _set(seg.hh, "gl", 0.0)                               # the leak is hhdleak's Cl- leak
        _set(seg.hhdleak, "g", cell.mechanism("leak_cl").values["g"] * 1e-3)
        for nrn in ("na", "k", "cl"):
            dv = cell.mechanism(f"diffusion_{nrn}").values
            _set(seg.hhdaccum, f"rate_{nrn}", dv["rate"] * 1e-3)      # 1/s -> 1/ms
            _set(seg.hhdaccum, f"bath_{nrn}", dv["bath"])
            _set(seg.hhdaccum, f"block_{nrn}", dv["block"])
        _set(seg.hhdaccum, "wi", cell.w_i)
        _set(seg.hhdaccum, "wo", cell.w_o)
        _set(seg.hhdaccum, "faraday", F)
        _set(seg.hhdinj, "amp", 0.0)
        _set(h, "celsius", v["T"])
        for ion, nrn in (("Na", "na"), ("K", "k"), ("Cl", "cl")):
            _set(h, f"{nrn}i0_{nrn}_ion", v[f"{ion}_i"])
            _set(h, f"{nrn}o0_{nrn}_ion", v[f"{ion}_o"])
        self._check_init()

    def _check_init(self) -> None:
        """After finitialize: concentrations as nakpump's, Nernst potentials
        equal to nakpump's to < 1e-6 mV, gates at nakpump's initial state
        (1e-12)."""
        import nakpump as nk
        h = neuron_h()
        h.cvode_active(0)
        h.finitialize(self.values["V0"])
        v, seg, T = self.values, self.seg, self.values["T"]
        self.init_errors = {}
        for ion, nrn, z in (("Na", "na", 1), ("K", "k", 1), ("Cl", "cl", -1)):
            ci, co = getattr(seg, f"{nrn}i"), getattr(seg, f"{nrn}o")
            if ci != v[f"{ion}_i"] or co != v[f"{ion}_o"]:
                raise AssertionError(f"{ion}: NEURON starts at {ci}/{co} mM, nakpump at "
                                     f"{v[ion + '_i']}/{v[ion + '_o']}")
            e_nrn, e_nk = getattr(seg, f"e{nrn}"), nernst(z, co, ci, T)
            self.init_errors[f"E_{ion}"] = abs(e_nrn - e_nk)
            if abs(e_nrn - e_nk) > 1e-6:
                raise AssertionError(f"E_{ion}: NEURON {e_nrn} mV, nakpump {e_nk} mV")
        system = nk.compile_cell(self.cell)
        for nk_name, nrn_name in (("hh_na_m", "m"), ("hh_na_h", "h"), ("hh_k_n", "n")):
            want = float(system.y0[system.state_index(nk_name)])
            got = getattr(seg.hh, nrn_name)
            self.init_errors[nk_name] = abs(got - want)
            if abs(got - want) > 1e-12:
                raise AssertionError(f"{nk_name} starts at {got} in NEURON, {want} in nakpump")

    def check_nernst_live(self) -> float:
        """E_X must be the Nernst potential of the current concentrations
        (checks that E follows them during the run); the largest error, mV."""
        seg, T = self.seg, self.values["T"]
        worst = 0.0
        for nrn, z in (("na", 1), ("k", 1), ("cl", -1)):
            e = getattr(seg, f"e{nrn}")
            e_nk = nernst(z, getattr(seg, f"{nrn}o"), getattr(seg, f"{nrn}i"), T)
            worst = max(worst, abs(e - e_nk))
        if worst > 1e-6:
            raise AssertionError(f"E off the Nernst potential by {worst} mV after the run")
        return worst

    def _integrate(self, pulses, duration, atol, rtol, record):
        """One CVODE run from nakpump's initial state; ``record`` maps names to
        (pointer, times): the values at those times (CVODE's interpolant).
        Returns (recorded arrays, the times recorded, NetCon spike times, wall s)."""
        h = neuron_h()
        seg = self.seg
        tvecs = {k: h.Vector(np.asarray(times, float)) for k, (_, times) in record.items()}
        vecs = {k: h.Vector().record(ref, tvecs[k]) for k, (ref, _) in record.items()}
        trecs = {k: h.Vector().record(h._ref_t, tvecs[k]) for k in record}
        tspk = h.Vector()
        nc = h.NetCon(seg._ref_v, None, sec=self.sec)
        nc.threshold = 0.0
        nc.record(tspk)

        h.cvode_active(1)
        h.cvode.atol(atol)
        h.cvode.rtol(rtol)
        # NetCon crossing times interpolated within the step (default 1:
        # the step's end, off by up to a step).
        h.cvode.condition_order(2)
        seg.hhdinj.amp = 0.0
        h.finitialize(self.values["V0"])

        def setter(obj, name, value):
            def switch():
                setattr(obj, name, value)
                h.cvode.re_init()
            return switch

        callbacks = []   # kept alive through the run
        for t, amp in edges(pulses):
            callbacks.append((t, setter(seg.hhdinj, "amp", amp)))
        for t, cb in callbacks:
            if 0.0 < t < duration:
                h.cvode.event(t, cb)
            elif t == 0.0:
                cb()
        t0 = time.perf_counter()
        h.continuerun(duration)
        wall = time.perf_counter() - t0
        out = {k: np.asarray(vec).copy() for k, vec in vecs.items()}
        t_back = {k: np.asarray(vec).copy() for k, vec in trecs.items()}
        spikes = np.asarray(tspk).copy()
        del nc
        for vec in list(vecs.values()) + list(trecs.values()):
            vec.play_remove()
        return out, t_back, spikes, wall

    def run(self, pulses=(), duration: float = 1200.0, *, atol: float = 1e-8, rtol: float = 0.0,
            record_dt: float = 0.1, refine_spikes: bool = True) -> dict:
        self.configure()
        seg = self.seg
        n = int(math.floor(duration / record_dt + 1e-9)) + 1
        tgrid = np.minimum(np.arange(n) * record_dt, duration)
        record = {"V": (seg._ref_v, tgrid)}
        for ion, nrn in (("Na", "na"), ("K", "k"), ("Cl", "cl")):
            record[f"{ion}_i"] = (getattr(seg, f"_ref_{nrn}i"), tgrid)
            record[f"{ion}_o"] = (getattr(seg, f"_ref_{nrn}o"), tgrid)
        out, t_back, spikes, wall = self._integrate(pulses, duration, atol, rtol, record)
        for k, tb in t_back.items():
            if len(tb) != n or np.max(np.abs(tb - tgrid)) > 1e-9 * max(1.0, duration):
                raise AssertionError(f"NEURON recorded {k} at other times than the grid")
        out["t"] = tgrid
        out["spikes_netcon"] = spikes
        out["spikes"] = spikes
        out["wall"] = wall
        if refine_spikes and len(spikes):
            out["spikes"], wall2 = self._refine(spikes, pulses, duration, atol, rtol)
            out["wall"] += wall2
        out["nernst_error_end"] = self.check_nernst_live()
        out["init_errors"] = dict(self.init_errors)
        out["constants"] = dict(self.constants)
        out["constant_errors"] = dict(self.constant_errors)
        out["settings"] = {"simulator": "NEURON", "duration": duration, "pulses": pulse_list(pulses),
                           "atol": atol, "rtol": rtol, "record_dt": record_dt, "refine_spikes": refine_spikes}
        return out

    def _refine(self, spikes, pulses, duration, atol, rtol):
        """Spike times to CVODE's accuracy: the NetCon's crossing times
        (``condition_order(2)``: interpolated within the step, off by up to
        ~5e-6 ms at atol 1e-8) refined on a second, identical run that records
        V at 1e-4 ms spacing within 0.02 ms of each; the crossing of 0 mV is
        the root of a cubic spline through those samples."""
        from scipy.interpolate import CubicSpline
        off = np.linspace(-REFINE_WINDOW, REFINE_WINDOW, 401)
        times = np.clip((spikes[:, None] + off[None, :]).ravel(), 0.0, duration)
        got, t_back, again, wall = self._integrate(pulses, duration, atol, rtol,
                                                   {"V": (self.seg._ref_v, times)})
        if len(again) != len(spikes) or np.max(np.abs(again - spikes)) > 1e-12 * max(1.0, duration):
            raise AssertionError("the second NEURON run crossed the threshold at other times")
        tt, vv = t_back["V"].reshape(len(spikes), -1), got["V"].reshape(len(spikes), -1)
        refined = np.empty(len(spikes))
        for i, (s, t, v) in enumerate(zip(spikes, tt, vv, strict=True)):
            t, keep = np.unique(t, return_index=True)
            cs = CubicSpline(t, v[keep])
            roots = [r for r in np.atleast_1d(cs.roots(extrapolate=False)) if cs(r, 1) > 0]
            if not roots:
                raise AssertionError(f"no upward crossing of 0 mV within {REFINE_WINDOW} ms of "
                                     f"the NetCon's spike at {s} ms")
            refined[i] = min(roots, key=lambda r: abs(r - s))
        return refined, wall


def run_neuron(pulses=(), duration: float = 1200.0, atol: float = 1e-8, record_dt: float = 0.1, *,
               rtol: float = 0.0, refine_spikes: bool = True, isolated: bool = True) -> dict:
    """Run the preset in NEURON (CVODE, global variable step).

    pulses: see the module docstring.  duration, record_dt: ms.  atol, rtol:
    CVODE tolerances (NEURON's default rtol 0: purely absolute, in each
    state's unit: mV, mM, 1).  isolated: run in a fresh Python process (the
    default; see the module docstring); False runs here and needs a NEURON
    with no other section.

    Returns a dict: ``t`` (ms, the ``record_dt`` grid), ``V`` (mV),
    ``Na_i``, ``K_i``, ``Cl_i``, ``Na_o``, ``K_o``, ``Cl_o`` (mM) on it;
    ``spikes`` (ms, upward crossings of 0 mV: a NetCon's with
    ``condition_order(2)``, ``spikes_netcon``, refined on a second run to
    CVODE's accuracy unless ``refine_spikes`` is False; see
    ``NeuronHHDynamic._refine``); ``wall`` (s of ``continuerun``, both runs);
    the checks' numbers (``init_errors``, ``nernst_error_end``,
    ``constants``, ``constant_errors``); ``settings``.
    """
    kwargs = dict(pulses=pulse_list(pulses), duration=float(duration), atol=float(atol),
                  rtol=float(rtol), record_dt=float(record_dt), refine_spikes=bool(refine_spikes))
    if isolated:
        return _run_isolated(kwargs)
    model = NeuronHHDynamic()
    try:
        return model.run(**kwargs)
    finally:
        model.close()


def _run_isolated(kwargs: dict) -> dict:
    """``run_neuron(**kwargs, isolated=False)`` in a fresh Python process."""
    build_mechanisms()   # build here, so that a build error shows as such
    return run_isolated(__file__, kwargs)


# ------------------------------------------------------------ validation ----

TRAIN = (10.0, 50, 50.0, 0.5, 20.0)
"""The pulse train of ``validation_numbers``: 50 pulses of 0.5 ms, 20 uA/cm2
at 50 Hz from 10 ms (1 s; the pulses of the preset's scenario
``accumulation``)."""


def validation_numbers(duration: float = 1200.0) -> dict:
    """Headline numbers of the pulse train ``TRAIN``, from both simulators:
    ``{quantity: (nakpump value, NEURON value, unit)}`` (NEURON CVODE atol
    1e-10, nakpump ``NAKPUMP_TOL``).

    The runs take a few seconds (NEURON in a child process)."""
    a = run_neuron(TRAIN, duration, atol=1e-10, record_dt=0.1)
    b = run_nakpump(TRAIN, duration, record_dt=0.1)
    out = {"50 Hz train: spikes": (len(b["spikes"]), len(a["spikes"]), "")}
    for k in (1, 10, 50):
        if len(b["spikes"]) >= k and len(a["spikes"]) >= k:
            out[f"50 Hz train: time of spike {k}"] = (float(b["spikes"][k - 1]),
                                                      float(a["spikes"][k - 1]), "ms")
    out["50 Hz train: K_o max"] = (float(b["K_o"].max()), float(a["K_o"].max()), "mM")
    out["50 Hz train: K_o at end"] = (float(b["K_o"][-1]), float(a["K_o"][-1]), "mM")
    out["50 Hz train: Na_i at end"] = (float(b["Na_i"][-1]), float(a["Na_i"][-1]), "mM")
    return out


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--run-neuron":
        serve_isolated(run_neuron)
    else:
        for _name, (_nk, _nrn, _unit) in validation_numbers().items():
            print(f"{_name:45s} nakpump {_nk:<22.15g} NEURON {_nrn:<22.15g} {_unit:3s} "
                  f"diff {abs(_nk - _nrn):.2g}")
