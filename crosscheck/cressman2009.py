"""NEURON cross-check of nakpump's preset ``cressman2009``.

Cressman JR, Ullah G, Ziburkus J, Schiff SJ, Barreto E (2009) J Comput
Neurosci 26:159-170 (erratum 30:781), in nakpump's conservative variant: HH-
type Na+ and K+ channels with phi = 3, a Ca2+-activated AHP K+ current whose
[Ca]_i is a state of the channel mechanism, Na+/K+/Cl- leaks, the sigmoid
Na+/K+ pump (with nakpump's q10 and ATP factors, both 1 in the preset),
glial K+ uptake and diffusion of K+ to a bath at ``k_bath``, in a cell with
a closed extracellular space of 1/7 of the cell volume.  Every ion is
counted (the pump current enters the membrane equation, K_i, Na_o and Cl-
follow their own currents).

The same model is written in NMODL under ``neuron_cressman2009/``: ``crchan``
(channels and the Ca2+ state), ``crleak``, ``crpump`` (sigmoid pump with a
switchable ``block``, q10 and ATP factors), ``crinj`` (the electrode current,
carried by K+ as ``cell.electrode_ion``) and ``craccum`` (the only writer of
concentrations: nakpump's ``amount_rates`` with the cell's volume/area ratios
w_i and w_o, plus the glial uptake and the bath diffusion of K_o, which
nakpump's "exchange" mechanisms give as rates of the extracellular
concentration: nakpump moves w_o x rate of amount, so K_o changes at exactly
that rate).  It is built in NEURON as one isopotential section.  Every
number is read from ``nakpump.presets.cressman2009.cell(k_bath)`` at run
time, set from Python and read back; parameters the NEURON model does not
cover must be at values where they do nothing (otherwise the run refuses).
At t = 0 the concentrations equal nakpump's, the Nernst potentials equal
nakpump's to < 1e-6 mV, and the gates and Ca2+ equal nakpump's initial
state (``compile_cell(cell).y0``) to 1e-12.

Units on the NEURON side: ms, mV, mM, mA/cm2 (nakpump: uA/cm2, x1e-3),
S/cm2 (nakpump: mS/cm2, x1e-3), um, degC; the glial uptake G in mM/ms and
the diffusion rate in 1/ms (nakpump: mM/s and 1/s, x1e-3); the Ca2+
equation's g_Ca, E_Ca and Ca are in the paper's units on both sides.

Protocols are given the same way to both simulators:

``pulses``  electrode current pulses ``(start ms, duration ms, amplitude
            uA/cm2 into the cell)``, as ``nakpump.Pulse``; or the 5-tuple
            ``(start, number, frequency Hz, duration, amplitude)`` of a train.
``k_bath``  bath K+ (mM), as ``cressman2009.cell(k_bath=...)`` (the paper's
            seizure-like bursting needs about 7.5-8 mM).
``pump_block``  ``[(time ms, fraction), ...]``: ``pump.block`` from that
            time on (nakpump ``Block("pump", fraction, time)``; in NEURON the
            ``block`` parameter of ``crpump``, switched by an event).

>>> a = run_neuron((100.0, 20, 10.0, 1.0, 40.0), 3000.0)
>>> b = run_nakpump((100.0, 20, 10.0, 1.0, 40.0), 3000.0)
>>> compare(a, b)["spike_time"]

NEURON's spike times are its NetCon's crossings of 0 mV refined on a
second, identical run to CVODE's accuracy (``NeuronCressman._refine``); the
NetCon's own times (``spikes_netcon``) are off by ~5e-6 ms at atol 1e-8.

Measured (NEURON 9.0.2): the pulse train ``TRAIN`` at k_bath 4 (NEURON
atol 1e-8, nakpump ``NAKPUMP_TOL``) agrees to 1e-7 ms in spike times and
1.3e-7 mM in concentrations.  The bursting run ``BURSTING`` (k_bath 8,
190 s, tighter tolerances) agrees to 3e-9 mM before the first spike; with
nakpump's F and R then rounded to 10 digits (3.4e-11 and 1.8e-11 relative
from NEURON's exact SI products) the burst spikes differed by 3-4e-5 ms,
the slow passage to each burst amplifying the difference; with both exact
(nakpump since this cross-check) they agree to about 1e-6 ms.
``validation_numbers()`` gives headline numbers of both runs.

``run_neuron`` runs NEURON in a fresh Python process by default
(``isolated=True``): NEURON integrates every section that exists in a
process with one CVODE and shares globals (``celsius``, the ions' initial
concentrations), so another model built in the same process (e.g.
``hd2014.py``'s) would be integrated alongside and change the step sizes;
the child process holds this section only.

Built mechanisms go to ``neuron_cressman2009/build/<hash of the .mod files>/``
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
MOD_DIR = HERE / "neuron_cressman2009"
BUILD_ROOT = MOD_DIR / "build"
MECHS = ("crchan", "crleak", "crpump", "crinj", "craccum")

EXPECTED = [("hh", "cressman_channels", None), ("leak_na", "leak", "Na"), ("leak_k", "leak", "K"),
            ("leak_cl", "leak", "Cl"), ("pump", "sigmoid_pump", None), ("glia", "glial_uptake", None),
            ("diffusion_k", "bath_diffusion", "K")]
"""nakpump's mechanisms of the preset, in order: (name, family, ion)."""

COVERED = {
    "hh": ("gNa", "gK", "gAHP", "phi", "gCa", "ECa", "block"),
    "leak_na": ("g", "block"), "leak_k": ("g", "block"), "leak_cl": ("g", "block"),
    "pump": ("imax", "na_half", "na_slope", "k_half", "k_slope", "km_atp", "q10", "T_ref", "block"),
    "glia": ("G", "k_half", "slope", "block"),
    "diffusion_k": ("rate", "bath", "block"),
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
        _h = nrnbuild.load(MOD_DIR, BUILD_ROOT, "craccum")
    return _h


# ---------------------------------------------------------------- nakpump ----

def nakpump_cell(k_bath: float = 4.0):
    """The preset cell, checked to be what the NEURON model covers."""
    from nakpump.presets import cressman2009 as cr
    cell = cr.cell(k_bath=k_bath)
    got = [(m.name, m.family, getattr(m, "ion", None)) for m in cell.mechanisms]
    if got != EXPECTED:
        raise AssertionError(f"the NEURON model covers {EXPECTED}; the preset has {got}")
    if cell.bath or cell.electrode_ion != "K":
        raise AssertionError("the NEURON model expects a closed outside and a K+ electrode current")
    kinds = {m.kind for m in cell.mechanisms}
    if kinds & {"metabolism", "water", "oxygen"}:
        raise AssertionError(f"the preset has {kinds}: the NEURON model has fixed ATP and volumes")
    check_coverage(cell, COVERED, INERT, INERT_WITH)
    return cell


def run_nakpump(pulses=(), duration: float = 3000.0, *, record_dt: float = 1.0,
                k_bath: float = 4.0, pump_block=(), tol: dict | None = None) -> dict:
    """Run the preset in nakpump; same outputs as ``run_neuron``.

    tol: keyword arguments of ``nakpump.Tolerances`` (default ``NAKPUMP_TOL``).
    """
    return run_nakpump_cell(nakpump_cell(k_bath), pulses, duration, record_dt, tol or NAKPUMP_TOL,
                            pump_block, k_bath=k_bath)


# ----------------------------------------------------------------- NEURON ----

_set = nrnbuild.set_checked


class NeuronCressman:
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

        # NEURON's constants must be nakpump's (both exact SI products; see hd2014.py).
        self.constants = {"FARADAY": float(h.FARADAY), "R": float(h.R)}
        self.constant_errors = {"FARADAY": abs(self.constants["FARADAY"] / F - 1.0),
                                "R": abs(self.constants["R"] / R - 1.0)}
        if max(self.constant_errors.values()) > 1e-10:
            raise AssertionError(f"NEURON FARADAY/R = {self.constants}, nakpump F = {F}, R = {R}")

        cell = nakpump_cell()
        v = cell.values
        # Only per-area quantities matter; L = diam with pi diam^2 = cell.area
        # keeps the absolute area equal too.
        sec = h.Section(name="cressman_soma")
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
        h.setpointer(self.seg._ref_amp_crinj, "iel", self.seg.craccum)

        # Reversal potentials must follow the concentrations (Nernst at
        # every step) and only craccum may write concentrations.
        for nrn in ("na", "k", "cl"):
            style = int(h.ion_style(f"{nrn}_ion", sec=sec))
            c_style, cinit = style % 4, (style // 4) % 2
            einit, eadvance = (style // 32) % 2, (style // 64) % 2
            ci_w, co_w = (style // 128) % 2, (style // 256) % 2
            if not (c_style == 3 and cinit and einit and eadvance and ci_w and co_w):
                raise AssertionError(f"{nrn}_ion style {style}: E_{nrn} not recomputed from "
                                     "written concentrations")
        writers = [m for m in MECHS if m != "craccum"
                   and any(f"WRITE {x}" in (MOD_DIR / f"{m}.mod").read_text()
                           for x in ("nai", "nao", "ki", "ko", "cli", "clo"))]
        if writers:
            raise AssertionError(f"mechanisms {writers} write concentrations")
        if "TABLE" in "".join((MOD_DIR / f"{m}.mod").read_text() for m in MECHS):
            raise AssertionError("the .mod files must not use tables (rates computed exactly)")

    def close(self) -> None:
        """Delete the section (NEURON deletes a Python-made section with its
        last reference)."""
        self.seg = None
        self.sec = None

    def configure(self, k_bath: float = 4.0):
        """Set every parameter from nakpump's cell (and read it back)."""
        h = neuron_h()
        from nakpump.physics import F
        cell = nakpump_cell(k_bath)
        v = cell.values
        self.cell, self.values = cell, dict(v)
        seg = self.seg
        _set(self.sec, "cm", v["Cm"])
        hh = cell.mechanism("hh").values
        _set(seg.crchan, "gna", hh["gNa"] * 1e-3)            # mS/cm2 -> S/cm2
        _set(seg.crchan, "gk", hh["gK"] * 1e-3)
        _set(seg.crchan, "gahp", hh["gAHP"] * 1e-3)
        _set(seg.crchan, "phi", hh["phi"])
        _set(seg.crchan, "gca", hh["gCa"])                   # paper units (Ca equation only)
        _set(seg.crchan, "eca", hh["ECa"])
        _set(seg.crleak, "gna", cell.mechanism("leak_na").values["g"] * 1e-3)
        _set(seg.crleak, "gk", cell.mechanism("leak_k").values["g"] * 1e-3)
        _set(seg.crleak, "gcl", cell.mechanism("leak_cl").values["g"] * 1e-3)
        pump = cell.mechanism("pump").values
        _set(seg.crpump, "imax", pump["imax"] * 1e-3)         # uA/cm2 -> mA/cm2
        for name in ("na_half", "na_slope", "k_half", "k_slope", "km_atp", "q10", "T_ref", "block"):
            _set(seg.crpump, name, pump[name])
        _set(seg.crpump, "atp", v["ATP_i"])
        glia = cell.mechanism("glia").values
        _set(seg.craccum, "G", glia["G"] * 1e-3)              # mM/s -> mM/ms
        _set(seg.craccum, "khalf", glia["k_half"])
        _set(seg.craccum, "kslope", glia["slope"])
        _set(seg.craccum, "gblock", glia["block"])
        dk = cell.mechanism("diffusion_k").values
        _set(seg.craccum, "kdiff", dk["rate"] * 1e-3)         # 1/s -> 1/ms
        _set(seg.craccum, "kbath", dk["bath"])
        _set(seg.craccum, "dblock", dk["block"])
        _set(seg.craccum, "wi", cell.w_i)
        _set(seg.craccum, "wo", cell.w_o)
        _set(seg.craccum, "faraday", F)
        _set(seg.crinj, "amp", 0.0)
        _set(h, "celsius", v["T"])
        for ion, nrn in (("Na", "na"), ("K", "k"), ("Cl", "cl")):
            _set(h, f"{nrn}i0_{nrn}_ion", v[f"{ion}_i"])
            _set(h, f"{nrn}o0_{nrn}_ion", v[f"{ion}_o"])
        self._check_init()

    def _check_init(self) -> None:
        """After finitialize: concentrations as nakpump's, Nernst potentials
        equal to nakpump's to < 1e-6 mV, gates and Ca2+ at nakpump's initial
        state (1e-12)."""
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
        for nk_name, nrn_name in (("hh_m", "m"), ("hh_h", "h"), ("hh_n", "n"), ("hh_Ca", "cahp")):
            want = float(system.y0[system.state_index(nk_name)])
            got = getattr(seg.crchan, nrn_name)
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

    def _integrate(self, pulses, duration, pump_block, atol, rtol, record):
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
        seg.crinj.amp = 0.0
        seg.crpump.block = 0.0
        h.finitialize(self.values["V0"])

        def setter(obj, name, value):
            def switch():
                setattr(obj, name, value)
                h.cvode.re_init()
            return switch

        callbacks = []   # kept alive through the run
        for t, amp in edges(pulses):
            callbacks.append((t, setter(seg.crinj, "amp", amp)))
        for t, frac in pump_block:
            callbacks.append((float(t), setter(seg.crpump, "block", float(frac))))
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

    def run(self, pulses=(), duration: float = 3000.0, *, atol: float = 1e-8, rtol: float = 0.0,
            record_dt: float = 1.0, k_bath: float = 4.0, pump_block=(),
            refine_spikes: bool = True) -> dict:
        self.configure(k_bath)
        seg = self.seg
        n = int(math.floor(duration / record_dt + 1e-9)) + 1
        tgrid = np.minimum(np.arange(n) * record_dt, duration)
        record = {"V": (seg._ref_v, tgrid)}
        for ion, nrn in (("Na", "na"), ("K", "k"), ("Cl", "cl")):
            record[f"{ion}_i"] = (getattr(seg, f"_ref_{nrn}i"), tgrid)
            record[f"{ion}_o"] = (getattr(seg, f"_ref_{nrn}o"), tgrid)
        out, t_back, spikes, wall = self._integrate(pulses, duration, pump_block, atol, rtol, record)
        for k, tb in t_back.items():
            if len(tb) != n or np.max(np.abs(tb - tgrid)) > 1e-9 * max(1.0, duration):
                raise AssertionError(f"NEURON recorded {k} at other times than the grid")
        out["t"] = tgrid
        out["spikes_netcon"] = spikes
        out["spikes"] = spikes
        out["wall"] = wall
        if refine_spikes and len(spikes):
            out["spikes"], wall2 = self._refine(spikes, pulses, duration, pump_block, atol, rtol)
            out["wall"] += wall2
        out["nernst_error_end"] = self.check_nernst_live()
        out["init_errors"] = dict(self.init_errors)
        out["constants"] = dict(self.constants)
        out["constant_errors"] = dict(self.constant_errors)
        out["settings"] = {"simulator": "NEURON", "duration": duration, "pulses": pulse_list(pulses),
                           "k_bath": k_bath, "pump_block": list(pump_block), "atol": atol,
                           "rtol": rtol, "record_dt": record_dt, "refine_spikes": refine_spikes}
        return out

    def _refine(self, spikes, pulses, duration, pump_block, atol, rtol):
        """Spike times to CVODE's accuracy: the NetCon's crossing times
        (``condition_order(2)``: interpolated within the step, off by up to
        ~5e-6 ms at atol 1e-8) refined on a second, identical run that records
        V at 1e-4 ms spacing within 0.02 ms of each; the crossing of 0 mV is
        the root of a cubic spline through those samples."""
        from scipy.interpolate import CubicSpline
        off = np.linspace(-REFINE_WINDOW, REFINE_WINDOW, 401)
        times = np.clip((spikes[:, None] + off[None, :]).ravel(), 0.0, duration)
        got, t_back, again, wall = self._integrate(pulses, duration, pump_block, atol, rtol,
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


def run_neuron(pulses=(), duration: float = 3000.0, atol: float = 1e-8, record_dt: float = 1.0, *,
               rtol: float = 0.0, k_bath: float = 4.0, pump_block=(), refine_spikes: bool = True,
               isolated: bool = True) -> dict:
    """Run the preset in NEURON (CVODE, global variable step).

    pulses, k_bath, pump_block: see the module docstring.  duration,
    record_dt: ms.  atol, rtol: CVODE tolerances (NEURON's default rtol 0:
    purely absolute, in each state's unit: mV, mM, 1).  isolated: run in a
    fresh Python process (the default; see the module docstring); False
    runs here and needs a NEURON with no other section.

    Returns a dict: ``t`` (ms, the ``record_dt`` grid), ``V`` (mV),
    ``Na_i``, ``K_i``, ``Cl_i``, ``Na_o``, ``K_o``, ``Cl_o`` (mM) on it;
    ``spikes`` (ms, upward crossings of 0 mV: a NetCon's with
    ``condition_order(2)``, ``spikes_netcon``, refined on a second run to
    CVODE's accuracy unless ``refine_spikes`` is False; see
    ``NeuronCressman._refine``); ``wall`` (s of ``continuerun``, both runs);
    the checks' numbers (``init_errors``, ``nernst_error_end``,
    ``constants``, ``constant_errors``); ``settings``.
    """
    kwargs = dict(pulses=pulse_list(pulses), duration=float(duration), atol=float(atol),
                  rtol=float(rtol), record_dt=float(record_dt), k_bath=float(k_bath),
                  pump_block=[(float(t), float(f)) for t, f in pump_block],
                  refine_spikes=bool(refine_spikes))
    if isolated:
        return _run_isolated(kwargs)
    model = NeuronCressman()
    try:
        return model.run(**kwargs)
    finally:
        model.close()


def _run_isolated(kwargs: dict) -> dict:
    """``run_neuron(**kwargs, isolated=False)`` in a fresh Python process."""
    build_mechanisms()   # build here, so that a build error shows as such
    return run_isolated(__file__, kwargs)


# ------------------------------------------------------------ validation ----

TRAIN = (100.0, 100, 20.0, 1.0, 40.0)
"""The pulse train of ``validation_numbers``: 100 pulses of 1 ms, 40 uA/cm2 at
20 Hz from 100 ms, at the preset's k_bath = 4 mM (8 s in all)."""

BURSTING = dict(k_bath=8.0, duration=190000.0, atol=1e-12, record_dt=1.0,
                nakpump_tol=dict(rtol=1e-11, atol_V=1e-9, atol_conc=1e-12, atol_gate=1e-10))
"""The spontaneous bursting run of ``validation_numbers``: the preset's
scenario ``bursting`` (k_bath 8 mM, no stimulus) for 190 s: silent until
the first burst at 145.9 s, then bursts at 164.2, 176.9 and 187.1 s (32
spikes).  The onset of each burst is a slow passage to threshold that
amplifies any difference in the state (nakpump at rtol 1e-9 and 1e-11 place
the bursts 2.8e-4 ms apart), so both simulators run at tighter tolerances
than the pulse train's: NEURON atol 1e-12, nakpump rtol 1e-11."""


def run_bursting(**changes) -> tuple[dict, dict]:
    """The ``BURSTING`` run in both simulators: (NEURON, nakpump); keyword
    arguments replace entries of ``BURSTING``."""
    cfg = dict(BURSTING, **changes)
    a = run_neuron((), cfg["duration"], atol=cfg["atol"], record_dt=cfg["record_dt"],
                   k_bath=cfg["k_bath"])
    b = run_nakpump((), cfg["duration"], record_dt=cfg["record_dt"], k_bath=cfg["k_bath"],
                    tol=cfg["nakpump_tol"])
    return a, b


def validation_numbers(bursting: bool = True) -> dict:
    """Headline numbers from both simulators: ``{quantity: (nakpump value,
    NEURON value, unit)}``, of the pulse train ``TRAIN`` (a few seconds) and,
    unless ``bursting`` is False, of the bursting run ``BURSTING`` (about
    10 s more); NEURON runs in child processes."""
    a = run_neuron(TRAIN, 8000.0, atol=1e-8, record_dt=1.0, k_bath=4.0)
    b = run_nakpump(TRAIN, 8000.0, record_dt=1.0, k_bath=4.0)
    out = {"pulse train: spikes": (len(b["spikes"]), len(a["spikes"]), "")}
    for k in (1, 10, 100):
        if len(b["spikes"]) >= k and len(a["spikes"]) >= k:
            out[f"pulse train: time of spike {k}"] = (float(b["spikes"][k - 1]),
                                                      float(a["spikes"][k - 1]), "ms")
    out["pulse train: K_o max"] = (float(b["K_o"].max()), float(a["K_o"].max()), "mM")
    out["pulse train: Na_i max"] = (float(b["Na_i"].max()), float(a["Na_i"].max()), "mM")
    out["pulse train: Na_i at end"] = (float(b["Na_i"][-1]), float(a["Na_i"][-1]), "mM")
    if not bursting:
        return out
    a, b = run_bursting()
    from nakpump.analysis import bursts
    sa, sb = bursts(a["spikes"])[:, 0], bursts(b["spikes"])[:, 0]
    out["bursting (k_bath 8): spikes"] = (len(b["spikes"]), len(a["spikes"]), "")
    out["bursting (k_bath 8): bursts"] = (len(sb), len(sa), "")
    for k in (1, 2):
        if len(sa) >= k and len(sb) >= k:
            out[f"bursting (k_bath 8): start of burst {k}"] = (float(sb[k - 1]), float(sa[k - 1]), "ms")
    if len(b["spikes"]) >= 10 and len(a["spikes"]) >= 10:
        out["bursting (k_bath 8): time of spike 10"] = (float(b["spikes"][9]), float(a["spikes"][9]),
                                                        "ms")
    out["bursting (k_bath 8): K_o max"] = (float(b["K_o"].max()), float(a["K_o"].max()), "mM")
    out["bursting (k_bath 8): Na_i min"] = (float(b["Na_i"].min()), float(a["Na_i"].min()), "mM")
    out["bursting (k_bath 8): Na_i at end"] = (float(b["Na_i"][-1]), float(a["Na_i"][-1]), "mM")
    return out


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--run-neuron":
        serve_isolated(run_neuron)
    else:
        for _name, (_nk, _nrn, _unit) in validation_numbers().items():
            print(f"{_name:45s} nakpump {_nk:<22.15g} NEURON {_nrn:<22.15g} {_unit:3s} "
                  f"diff {abs(_nk - _nrn):.2g}")
