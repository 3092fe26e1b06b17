"""NEURON cross-check of nakpump's preset ``hubel-dahlem2014``.

Hübel N, Dahlem MA (2014) PLoS Comput Biol 10:e1003941 (ModelDB 167714):
an HH neuron (m instantaneous, h tied to n), Na+/K+/Cl- leaks, a sigmoid
Na+/K+ pump and time-dependent ion concentrations in a closed cell with a
finite extracellular space (optionally coupled to a K+ bath).

The same model is written in NMODL under ``neuron_hd2014/`` (channels,
leaks, pump with a switchable ``block``, a K+-carrying electrode and closed
two-compartment concentration dynamics with nakpump's volume/area ratios)
and built in NEURON as one isopotential section.  Every number is read from
``nakpump.presets.hubel_dahlem2014.cell()`` at run time, set from Python and
read back; at t = 0 the concentrations, the Nernst potentials (< 1e-6 mV)
and the gate must equal nakpump's.

Units on the NEURON side: ms, mV, mM, mA/cm2 (nakpump: uA/cm2, x1e-3),
S/cm2 (nakpump: mS/cm2, x1e-3), um, degC.

Protocols are given the same way to both simulators:

``pulses``  electrode current pulses ``(start ms, duration ms, amplitude
            uA/cm2 into the cell)``, as ``nakpump.Pulse``; or the 5-tuple
            ``(start, number, frequency Hz, duration, amplitude)`` of a train.
``pump_block``  ``[(time ms, fraction), ...]``: ``pump.block`` from that
            time on (nakpump ``Block("pump", fraction, time)``; in NEURON the
            ``block`` parameter of ``hdpump``, switched by an event).
``diffusion``  K_o coupled to a 4 mM bath at this rate (1/s), as
            ``hd.cell(diffusion=...)``; 0 is the closed cell.

>>> a = run_neuron([(100.0, 1.0, 40.0)], 500.0)
>>> b = run_nakpump([(100.0, 1.0, 40.0)], 500.0)
>>> compare(a, b)["spike_time"]

Built mechanisms go to ``crosscheck/build/<hash of the .mod files>/``
(compiled with ``nrnivmodl`` on first use; git-ignored).
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
    compare,  # noqa: F401  (part of this module's interface: run, then compare)
    edges,
    nernst,
    pulse_list,
    run_nakpump_cell,
)

HERE = Path(__file__).resolve().parent
MOD_DIR = HERE / "neuron_hd2014"
BUILD_ROOT = HERE / "build"
MECHS = ("hdnak", "hdleak", "hdpump", "hdinj", "hdaccum")
EXPECTED = ["hh", "leak_na", "leak_k", "leak_cl", "pump"]
"""nakpump's mechanisms of the preset, in order (plus an optional K+ bath diffusion)."""

NAKPUMP_TOL = dict(rtol=1e-9, atol_V=1e-7, atol_conc=1e-10, atol_gate=1e-8)
"""Default nakpump tolerances of the cross-check (``nakpump.Tolerances``)."""


_h = None          # neuron.h once the mechanisms are loaded
_model = None      # the NeuronHD built in this process


# ------------------------------------------------------------------ build ----

def build_mechanisms(force: bool = False) -> Path:
    """Compile the .mod files into ``build/<hash>`` unless already there."""
    return nrnbuild.build(MOD_DIR, BUILD_ROOT, force)


def neuron_h():
    """``neuron.h`` with the crosscheck mechanisms loaded (built if needed)."""
    global _h
    if _h is None:
        _h = nrnbuild.load(MOD_DIR, BUILD_ROOT, "hdaccum")
    return _h


# ---------------------------------------------------------------- nakpump ----

def nakpump_cell(diffusion: float = 0.0):
    """The preset cell, checked to be what the NEURON model covers."""
    from nakpump.presets import hubel_dahlem2014 as hd
    cell = hd.cell(diffusion=diffusion)
    names = [m.name for m in cell.mechanisms]
    expected = EXPECTED + (["diffusion_k"] if diffusion > 0 else [])
    if names != expected:
        raise AssertionError(f"the NEURON model covers {expected}; the preset has {names}")
    if cell.bath or cell.electrode_ion != "K":
        raise AssertionError("the NEURON model expects a closed outside and a K+ electrode current")
    for m in cell.mechanisms:
        if m.values["block"] != 0.0:
            raise AssertionError(f"{m.name}.block = {m.values['block']} at the start")
    if cell.mechanism("pump").values["km_atp"] != 0.0:
        raise AssertionError("pump.km_atp != 0: the NEURON pump has no ATP dependence")
    return cell


def run_nakpump(pulses=(), duration: float = 2000.0, *, record_dt: float = 1.0, pump_block=(),
                diffusion: float = 0.0, tol: dict | None = None) -> dict:
    """Run the preset in nakpump; same outputs as ``run_neuron``.

    tol: keyword arguments of ``nakpump.Tolerances`` (default ``NAKPUMP_TOL``).
    """
    return run_nakpump_cell(nakpump_cell(diffusion), pulses, duration, record_dt, tol or NAKPUMP_TOL,
                            pump_block, diffusion=diffusion)


# ----------------------------------------------------------------- NEURON ----

_set = nrnbuild.set_checked


class NeuronHD:
    """The preset as one NEURON section.  Build once per process (the
    mechanisms' parameters are reset from nakpump's cell at every run)."""

    def __init__(self):
        h = neuron_h()
        from nakpump.physics import F, R
        cell = nakpump_cell()
        v = cell.values
        self.values = dict(v)

        # NEURON's constants must be nakpump's: both derive them from the
        # exact SI values as N_A e and N_A k (FARADAY 96485.33212331001,
        # R 8.31446261815324).  hdaccum is given nakpump's F.
        self.constants = {"FARADAY": float(h.FARADAY), "R": float(h.R)}
        self.constant_errors = {"FARADAY": abs(self.constants["FARADAY"] / F - 1.0),
                                "R": abs(self.constants["R"] / R - 1.0)}
        if max(self.constant_errors.values()) > 1e-10:
            raise AssertionError(f"NEURON FARADAY/R = {self.constants}, nakpump F = {F}, R = {R}")

        # Only per-area quantities matter; L = diam with pi diam^2 = cell.area
        # keeps the absolute area equal too.
        sec = h.Section(name="hd_soma")
        sec.nseg = 1
        d = math.sqrt(v["area"] / math.pi)
        sec.L = d
        sec.diam = d
        _set(sec, "cm", v["Cm"])
        area = h.area(0.5, sec=sec)
        if abs(area - v["area"]) > 1e-9 * v["area"]:
            raise AssertionError(f"section area {area} um2, expected {v['area']}")
        for name in MECHS:
            sec.insert(name)
        self.sec, self.seg = sec, sec(0.5)
        h.setpointer(self.seg._ref_amp_hdinj, "iel", self.seg.hdaccum)

        # Reversal potentials must follow the concentrations (Nernst at
        # every step) and only hdaccum may write concentrations.
        for nrn in ("na", "k", "cl"):
            style = int(h.ion_style(f"{nrn}_ion", sec=sec))
            c_style, cinit = style % 4, (style // 4) % 2
            einit, eadvance = (style // 32) % 2, (style // 64) % 2
            ci_w, co_w = (style // 128) % 2, (style // 256) % 2
            if not (c_style == 3 and cinit and einit and eadvance and ci_w and co_w):
                raise AssertionError(f"{nrn}_ion style {style}: E_{nrn} not recomputed from "
                                     "written concentrations")
        writers = [m for m in MECHS if m != "hdaccum"
                   and any(f"WRITE {x}" in (MOD_DIR / f"{m}.mod").read_text()
                           for x in ("nai", "nao", "ki", "ko", "cli", "clo"))]
        if writers:
            raise AssertionError(f"mechanisms {writers} write concentrations")
        if "TABLE" in "".join((MOD_DIR / f"{m}.mod").read_text() for m in MECHS):
            raise AssertionError("the .mod files must not use tables (rates computed exactly)")

    def configure(self, diffusion: float = 0.0):
        """Set every parameter from nakpump's cell (and read it back)."""
        h = neuron_h()
        from nakpump.physics import F
        cell = nakpump_cell(diffusion)
        v = cell.values
        self.cell, self.values = cell, dict(v)
        seg = self.seg
        hh = cell.mechanism("hh").values
        _set(seg.hdnak, "gna", hh["gNa"] * 1e-3)            # mS/cm2 -> S/cm2
        _set(seg.hdnak, "gk", hh["gK"] * 1e-3)
        _set(seg.hdnak, "phi", hh["phi"])
        _set(seg.hdleak, "gna", cell.mechanism("leak_na").values["g"] * 1e-3)
        _set(seg.hdleak, "gk", cell.mechanism("leak_k").values["g"] * 1e-3)
        _set(seg.hdleak, "gcl", cell.mechanism("leak_cl").values["g"] * 1e-3)
        pump = cell.mechanism("pump").values
        _set(seg.hdpump, "imax", pump["imax"] * 1e-3)         # uA/cm2 -> mA/cm2
        for name in ("na_half", "na_slope", "k_half", "k_slope", "q10", "T_ref", "block"):
            _set(seg.hdpump, name, pump[name])
        _set(seg.hdaccum, "wi", cell.w_i)
        _set(seg.hdaccum, "wo", cell.w_o)
        _set(seg.hdaccum, "faraday", F)
        if diffusion > 0:
            dk = cell.mechanism("diffusion_k").values
            _set(seg.hdaccum, "kdiff", dk["rate"] * 1e-3)     # 1/s -> 1/ms
            _set(seg.hdaccum, "kbath", dk["bath"])
        else:
            _set(seg.hdaccum, "kdiff", 0.0)
        _set(seg.hdinj, "amp", 0.0)
        _set(h, "celsius", v["T"])
        for ion, nrn in (("Na", "na"), ("K", "k"), ("Cl", "cl")):
            _set(h, f"{nrn}i0_{nrn}_ion", v[f"{ion}_i"])
            _set(h, f"{nrn}o0_{nrn}_ion", v[f"{ion}_o"])
        self._check_init()

    def _check_init(self) -> None:
        """After finitialize: concentrations as nakpump's, Nernst potentials
        equal to nakpump's to < 1e-6 mV, n at nakpump's steady state."""
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
        from nakpump.presets.hubel_dahlem2014 import hd_steady
        s = np.empty(1)
        none = np.empty(0)
        hd_steady(v["V0"], T, 0.0, none, none, none, none, none, s)
        self.init_errors["n"] = abs(seg.hdnak.n - s[0])
        if abs(seg.hdnak.n - s[0]) > 1e-12:
            raise AssertionError(f"n starts at {seg.hdnak.n} in NEURON, {s[0]} in nakpump")

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

    def run(self, pulses=(), duration: float = 2000.0, *, atol: float = 1e-8, rtol: float = 0.0,
            record_dt: float = 1.0, pump_block=(), diffusion: float = 0.0) -> dict:
        h = neuron_h()
        self.configure(diffusion)
        seg = self.seg
        refs = {"V": seg._ref_v}
        for ion, nrn in (("Na", "na"), ("K", "k"), ("Cl", "cl")):
            refs[f"{ion}_i"] = getattr(seg, f"_ref_{nrn}i")
            refs[f"{ion}_o"] = getattr(seg, f"_ref_{nrn}o")
        n = int(math.floor(duration / record_dt + 1e-9)) + 1
        tgrid = np.minimum(np.arange(n) * record_dt, duration)
        # Record at the given times: CVODE interpolates its solution there.
        tvec = h.Vector(tgrid)
        vecs = {k: h.Vector().record(ref, tvec) for k, ref in refs.items()}
        trec = h.Vector().record(h._ref_t, tvec)
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
        seg.hdinj.amp = 0.0
        seg.hdpump.block = 0.0
        h.finitialize(self.values["V0"])

        def setter(obj, name, value):
            def switch():
                setattr(obj, name, value)
                h.cvode.re_init()
            return switch

        self._callbacks = []   # keep them alive through the run
        for t, amp in edges(pulses):
            self._callbacks.append((t, setter(seg.hdinj, "amp", amp)))
        for t, frac in pump_block:
            self._callbacks.append((float(t), setter(seg.hdpump, "block", float(frac))))
        for t, cb in self._callbacks:
            if 0.0 < t < duration:
                h.cvode.event(t, cb)
            elif t == 0.0:
                cb()
        t0 = time.perf_counter()
        h.continuerun(duration)
        wall = time.perf_counter() - t0

        out = {k: np.asarray(vec).copy() for k, vec in vecs.items()}
        t_back = np.asarray(trec).copy()
        if len(t_back) != n or np.max(np.abs(t_back - tgrid)) > 1e-9 * max(1.0, duration):
            raise AssertionError(f"NEURON recorded {len(t_back)} samples at other times than the grid")
        out["t"] = tgrid
        out["spikes"] = np.asarray(tspk).copy()
        out["wall"] = wall
        out["nernst_error_end"] = self.check_nernst_live()
        out["init_errors"] = dict(self.init_errors)
        out["constants"] = dict(self.constants)
        out["constant_errors"] = dict(self.constant_errors)
        out["settings"] = {"simulator": "NEURON", "duration": duration, "pulses": pulse_list(pulses),
                           "pump_block": list(pump_block), "diffusion": diffusion, "atol": atol,
                           "rtol": rtol, "record_dt": record_dt}
        del nc
        for vec in list(vecs.values()) + [trec]:
            vec.play_remove()
        return out


def get_model() -> NeuronHD:
    global _model
    if _model is None:
        _model = NeuronHD()
    return _model


def run_neuron(pulses=(), duration: float = 2000.0, atol: float = 1e-8, record_dt: float = 1.0, *,
               rtol: float = 0.0, pump_block=(), diffusion: float = 0.0) -> dict:
    """Run the preset in NEURON (CVODE, global variable step).

    pulses, pump_block, diffusion: see the module docstring.  duration,
    record_dt: ms.  atol, rtol: CVODE tolerances (NEURON's default rtol 0:
    purely absolute, in each state's unit: mV, mM, 1).

    Returns a dict: ``t`` (ms, the ``record_dt`` grid), ``V`` (mV),
    ``Na_i``, ``K_i``, ``Cl_i``, ``Na_o``, ``K_o``, ``Cl_o`` (mM) on it;
    ``spikes`` (ms, upward crossings of 0 mV located by a NetCon with
    ``condition_order(2)``); ``wall`` (s of ``continuerun``); the checks'
    numbers (``init_errors``, ``nernst_error_end``, ``constants``); ``settings``.
    """
    return get_model().run(pulses, duration, atol=atol, rtol=rtol, record_dt=record_dt,
                           pump_block=pump_block, diffusion=diffusion)


