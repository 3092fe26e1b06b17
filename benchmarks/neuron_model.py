"""nakpump's default cell, built in NEURON, for benchmarks.

One isopotential compartment at ``cell.T`` with the mechanisms in
``benchmarks/neuron_mod`` (Traub-type ``nat`` and ``kdr``, Na+/K+/Cl- leaks,
the Hill-type pump, a closed two-compartment accumulation ``nkaccum`` and
the K+-carried electrode current ``kinj``).  Every number is read from
``nakpump.default_cell()`` at run time, set from Python and read back.

Units as in NEURON: ms, mV, mM, mA/cm2 (nakpump: uA/cm2, so x1e-3),
S/cm2 (nakpump: mS/cm2, so x1e-3), um, degC.

>>> out = run_neuron("cvode", duration=5000.0)
>>> out["spikes"], out["wall"]
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "crosscheck"))
import nrnbuild  # noqa: E402

MOD_DIR = Path(__file__).resolve().parent / "neuron_mod"
BUILD_DIR = MOD_DIR / "build"
DEFAULT_PULSES = (1000.0, 100, 10.0, 2.0, 20.0)
"""(start ms, number, frequency Hz, duration ms, amplitude uA/cm2): the benchmark train."""

_h = None  # neuron.h once the mechanisms are loaded


def build_mechanisms(force: bool = False) -> Path:
    """Compile the .mod files with ``nrnivmodl`` into ``neuron_mod/build/<hash>``
    unless a build of the same sources is there.  Returns the build folder."""
    return nrnbuild.build(MOD_DIR, BUILD_DIR, force)


def neuron_h():
    """``neuron.h`` with the benchmark mechanisms loaded (built if needed)."""
    global _h
    if _h is None:
        _h = nrnbuild.load(MOD_DIR, BUILD_DIR, "nkaccum")
    return _h


_set = nrnbuild.set_checked


def _set_h(name: str, value: float) -> None:
    """Set the hoc global ``name`` and check it."""
    _set(_h, name, value)


def nakpump_cell():
    """nakpump's default cell and the checks that the NEURON model covers it."""
    import nakpump as nk
    cell = nk.default_cell()
    names = [m.name for m in cell.mechanisms]
    if names != ["nat", "kdr", "leak_na", "leak_k", "leak_cl", "pump"]:
        raise AssertionError(f"benchmark NEURON model expects nat, kdr, 3 leaks, pump; got {names}")
    if cell.bath or cell.electrode_ion != "K":
        raise AssertionError("benchmark NEURON model expects a closed outside and K+ electrode current")
    for m in cell.mechanisms:
        if m.values["block"] != 0.0:
            raise AssertionError(f"{m.name}.block = {m.values['block']} (the NEURON model has no block)")
    return cell


def nernst(z: float, c_out: float, c_in: float, T: float) -> float:
    """nakpump's Nernst potential (mV), concentrations mM, T degC."""
    from nakpump.physics import nernst as nk_nernst
    return float(nk_nernst(z, c_out, c_in, T))


class NeuronCell:
    """nakpump's default cell as one NEURON section.  Build once per process
    (``NeuronCell()``); ``run`` may then be called many times."""

    def __init__(self):
        h = neuron_h()  # compiling/loading the mechanisms is not part of setup
        t0 = time.perf_counter()
        from nakpump.physics import F
        cell = nakpump_cell()
        v = cell.values
        self.cell = cell
        self.values = dict(v)

        # Per-area quantities are what matter; a cylinder with L = diam and
        # area pi*diam^2 = cell.area (616 um2) keeps even absolute ones equal.
        sec = h.Section(name="soma")
        sec.nseg = 1
        d = math.sqrt(v["area"] / math.pi)
        sec.L = d
        sec.diam = d
        _set(sec, "cm", v["Cm"])
        area = h.area(0.5, sec=sec)
        if abs(area - v["area"]) > 1e-9 * v["area"]:
            raise AssertionError(f"section area {area} um2, expected {v['area']}")
        for name in ("nat", "kdr", "ionleak", "hillpump", "kinj", "nkaccum"):
            sec.insert(name)
        seg = sec(0.5)
        self.sec, self.seg = sec, seg

        nat, kdr, pump = (cell.mechanism(n).values for n in ("nat", "kdr", "pump"))
        for mech, vals in ((seg.nat, nat), (seg.kdr, kdr)):
            _set(mech, "gbar", vals["gbar"] * 1e-3)        # mS/cm2 -> S/cm2
            _set(mech, "q10", vals["q10"])
            _set(mech, "T_ref", vals["T_ref"])
        _set(seg.ionleak, "gna", cell.mechanism("leak_na").values["g"] * 1e-3)
        _set(seg.ionleak, "gk", cell.mechanism("leak_k").values["g"] * 1e-3)
        _set(seg.ionleak, "gcl", cell.mechanism("leak_cl").values["g"] * 1e-3)
        _set(seg.hillpump, "imax", pump["imax"] * 1e-3)   # uA/cm2 -> mA/cm2
        for name in ("km_na", "km_k", "n_na", "n_k", "q10", "T_ref"):
            _set(seg.hillpump, name, pump[name])
        _set(seg.nkaccum, "wi", cell.w_i)
        _set(seg.nkaccum, "wo", cell.w_o)
        _set(seg.nkaccum, "faraday", F)
        _set(seg.kinj, "amp", 0.0)
        h.setpointer(seg._ref_amp_kinj, "iel", seg.nkaccum)

        _set_h("celsius", v["T"])
        for ion, nrn in (("Na", "na"), ("K", "k"), ("Cl", "cl")):
            _set_h(f"{nrn}i0_{nrn}_ion", v[f"{ion}_i"])
            _set_h(f"{nrn}o0_{nrn}_ion", v[f"{ion}_o"])

        # Reversal potentials must follow the concentrations (Nernst at every
        # step) and only nkaccum may write concentrations.
        for nrn in ("na", "k", "cl"):
            style = int(h.ion_style(f"{nrn}_ion", sec=sec))
            c_style, cinit = style % 4, (style // 4) % 2
            einit, eadvance = (style // 32) % 2, (style // 64) % 2
            ci_w, co_w = (style // 128) % 2, (style // 256) % 2
            if not (c_style == 3 and cinit and einit and eadvance and ci_w and co_w):
                raise AssertionError(f"{nrn}_ion style {style}: E_{nrn} not recomputed from "
                                     "written concentrations")
        writers = [m for m in ("nat", "kdr", "ionleak", "hillpump", "kinj")
                   if any(f"WRITE {x}" in (MOD_DIR / f"{m}.mod").read_text()
                          for x in ("nai", "nao", "ki", "ko", "cli", "clo"))]
        if writers:
            raise AssertionError(f"mechanisms {writers} write concentrations")

        self.constants = {"FARADAY": float(h.FARADAY), "R": float(h.R)}
        self._check_init()
        self.setup = time.perf_counter() - t0

    def _init(self, method: str, atol: float, rtol: float, dt: float, secondorder: int):
        h = neuron_h()
        if method == "cvode":
            h.cvode_active(1)
            h.cvode.atol(atol)
            h.cvode.rtol(rtol)
            # NetCon crossing times linearly interpolated within the step
            # (default 1: the step's end, off by up to a step).
            h.cvode.condition_order(2)
        elif method == "fixed":
            h.cvode_active(0)
            h.dt = dt
            h.steps_per_ms = 1.0 / dt
            h.secondorder = secondorder
        else:
            raise ValueError(f"method {method!r}: use 'cvode' or 'fixed'")
        self.seg.kinj.amp = 0.0
        h.finitialize(self.values["V0"])

    def _check_init(self) -> None:
        """After finitialize: concentrations as nakpump's, Nernst potentials
        equal to nakpump's to < 1e-6 mV, gates at nakpump's steady state."""
        h = neuron_h()
        h.cvode_active(0)
        h.finitialize(self.values["V0"])
        v, seg, T = self.values, self.seg, self.values["T"]
        for ion, nrn, z in (("Na", "na", 1), ("K", "k", 1), ("Cl", "cl", -1)):
            ci, co = getattr(seg, f"{nrn}i"), getattr(seg, f"{nrn}o")
            if ci != v[f"{ion}_i"] or co != v[f"{ion}_o"]:
                raise AssertionError(f"{ion}: NEURON starts at {ci}/{co} mM, nakpump at "
                                     f"{v[ion + '_i']}/{v[ion + '_o']}")
            e_nrn, e_nk = getattr(seg, f"e{nrn}"), nernst(z, co, ci, T)
            if abs(e_nrn - e_nk) > 1e-6:
                raise AssertionError(f"E_{ion}: NEURON {e_nrn} mV, nakpump {e_nk} mV")
        # Gates: NEURON's INITIAL vs nakpump's own steady-state functions.
        from nakpump.mechanisms.channels import kdr_steady, nat_steady
        s_nat, s_kdr = np.empty(2), np.empty(1)
        none = np.empty(0)
        nat_steady(v["V0"], T, 0.0, none, none, none, none, none, s_nat)
        kdr_steady(v["V0"], T, 0.0, none, none, none, none, none, s_kdr)
        for name, nrn, nk in (("nat.m", seg.nat.m, s_nat[0]), ("nat.h", seg.nat.h, s_nat[1]),
                              ("kdr.n", seg.kdr.n, s_kdr[0])):
            if abs(nrn - nk) > 1e-12:
                raise AssertionError(f"{name} starts at {nrn} in NEURON, {nk} in nakpump")

    def check_rest(self, duration: float = 100.0, tol_mV: float = 1e-3) -> float:
        """Run ``duration`` ms with no stimulus (CVODE, atol 1e-7); the cell is
        calibrated to an exact rest, so V must stay within ``tol_mV`` of V0.
        Returns the largest deviation, mV."""
        h = neuron_h()
        vv = h.Vector().record(self.seg._ref_v)
        self._init("cvode", 1e-7, 0.0, 0.025, 2)
        h.continuerun(duration)
        dev = float(np.max(np.abs(np.asarray(vv) - self.values["V0"])))
        if dev >= tol_mV:
            raise AssertionError(f"NEURON cell drifts {dev} mV from V0 in {duration} ms at rest")
        return dev

    def run(self, method: str, *, duration: float = 60000.0, pulses=DEFAULT_PULSES,
            atol: float = 1e-3, rtol: float = 0.0, dt: float = 0.025, record_dt: float = 1.0,
            secondorder: int = 2) -> dict:
        """One run; see ``run_neuron``."""
        h = neuron_h()
        intervals = pulse_intervals(pulses)
        seg = self.seg
        rec = {"V": seg._ref_v}
        for ion, nrn in (("Na", "na"), ("K", "k"), ("Cl", "cl")):
            rec[f"{ion}_i"] = getattr(seg, f"_ref_{nrn}i")
            rec[f"{ion}_o"] = getattr(seg, f"_ref_{nrn}o")
        n = int(round(duration / record_dt)) + 1
        if method == "fixed":
            # Fixed steps accumulate t with round-off (t ends at duration - 4e-8),
            # and a record time is taken at the first step with t >= it, so
            # ask for grid - dt/2: each sample is the step nearest the grid time.
            tvec = h.Vector(np.maximum(np.arange(n) * record_dt - 0.5 * dt, 0.0))
            vecs = {k: h.Vector().record(ref, tvec) for k, ref in rec.items()}
        else:
            vecs = {k: h.Vector().record(ref, record_dt) for k, ref in rec.items()}
        tspk = h.Vector()
        nc = h.NetCon(seg._ref_v, None, sec=self.sec)
        nc.threshold = 0.0
        nc.record(tspk)

        self._init(method, atol, rtol, dt, secondorder)
        cvode = method == "cvode"

        def setter(amp):
            def switch():
                seg.kinj.amp = amp
                if cvode:
                    h.cvode.re_init()
            return switch
        # Keep the callbacks alive for the whole run.
        self._callbacks = []
        for t_on, t_off, amp in intervals:
            for te, a in ((t_on, amp), (t_off, 0.0)):
                if te < duration:
                    cb = setter(a)
                    self._callbacks.append(cb)
                    h.cvode.event(te, cb)

        t0 = time.perf_counter()
        h.continuerun(duration)
        wall = time.perf_counter() - t0

        out = {k: np.asarray(vec)[:n].copy() for k, vec in vecs.items()}
        if len(out["V"]) != n:
            raise AssertionError(f"recorded {len(out['V'])} samples, expected {n}")
        out["t"] = np.arange(n) * record_dt
        out["spikes"] = np.asarray(tspk).copy()
        out["wall"] = wall
        out["setup"] = self.setup
        out["settings"] = {"method": method, "duration": duration, "pulses": pulses,
                           "atol": atol if cvode else None, "rtol": rtol if cvode else None,
                           "dt": None if cvode else dt, "secondorder": None if cvode else secondorder,
                           "record_dt": record_dt}
        self._check_nernst_live(cvode)
        del nc
        for vec in vecs.values():
            vec.play_remove()
        return out

    def _check_nernst_live(self, cvode: bool) -> None:
        """At the end of a run, E_X must be the Nernst potential of the current
        concentrations (checks that E is recomputed as they change).  The
        fixed-step method updates E with the currents, before the step's
        concentration update, so there E is brought up to date first
        (``fcurrent`` recomputes E only when the ion style says so)."""
        h, seg, T = neuron_h(), self.seg, self.values["T"]
        if not cvode:
            h.fcurrent()
        for nrn, z in (("na", 1), ("k", 1), ("cl", -1)):
            e = getattr(seg, f"e{nrn}")
            e_nk = nernst(z, getattr(seg, f"{nrn}o"), getattr(seg, f"{nrn}i"), T)
            if abs(e - e_nk) > 1e-6:
                raise AssertionError(f"E_{nrn} = {e} mV after the run, Nernst gives {e_nk} mV")


def pulse_intervals(pulses):
    """(t_on, t_off, amplitude) of each pulse, ms and uA/cm2.  ``pulses`` is
    (start, number, frequency, duration, amplitude) as ``DEFAULT_PULSES``, or a
    list of (t_on, t_off, amplitude), or None for no stimulus."""
    if pulses is None:
        return []
    if len(pulses) == 5 and not hasattr(pulses[0], "__len__"):
        start, number, freq, dur, amp = pulses
        period = 1000.0 / freq
        return [(start + i * period, start + i * period + dur, amp) for i in range(int(number))]
    return [tuple(map(float, p)) for p in pulses]


_CELL: NeuronCell | None = None


def get_cell() -> NeuronCell:
    """The process's NeuronCell, built on first use (checks run then)."""
    global _CELL
    if _CELL is None:
        _CELL = NeuronCell()
        _CELL.check_rest()
    return _CELL


def run_neuron(method: str, *, duration: float = 60000.0, pulses=DEFAULT_PULSES, atol: float = 1e-3,
               rtol: float = 0.0, dt: float = 0.025, record_dt: float = 1.0,
               secondorder: int = 2) -> dict:
    """Run nakpump's default cell in NEURON.

    method : "cvode" (global variable step, ``atol``/``rtol``) or "fixed"
        (``dt`` ms, ``secondorder`` 0/1/2; 2 keeps the charge invariant).
    duration : ms.  pulses : see ``pulse_intervals`` (uA/cm2 into the cell,
        carried by K+).  record_dt : sampling interval of the outputs, ms.

    Returns a dict: ``t`` (ms), ``V`` (mV), ``Na_i``, ``K_i``, ``Cl_i``,
    ``Na_o``, ``K_o``, ``Cl_o`` (mM) on the ``record_dt`` grid; ``spikes``
    (ms, upward crossings of 0 mV found by a NetCon); ``wall`` (s of
    ``continuerun`` only); ``setup`` (s to build the cell, excluding
    compiling the mechanisms); ``settings``.
    """
    cell = get_cell()
    return cell.run(method, duration=duration, pulses=pulses, atol=atol, rtol=rtol, dt=dt,
                    record_dt=record_dt, secondorder=secondorder)
