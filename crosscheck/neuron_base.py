"""One NEURON cross-check, built from a small per-model spec.

A ``Model`` names what makes a model: the NEURON mechanisms to insert into
one isopotential section (its own NMODL in ``mod_dir``, or NEURON's built-in
``hh``), the one that writes the concentrations (``accum``, which reads the
electrode current of ``electrode`` through its POINTER ``iel``), how each
nakpump parameter maps to a NEURON range variable or global (``params``),
which of nakpump's initial states the NEURON gates must equal (``gates``),
and the function that makes nakpump's cell and checks that it holds only
what the NEURON model implements (``cell``).  The spec modules
(``hd2014.py``, ``cressman2009.py``, ``hh1952_dynamic.py``,
``default_neuron.py``) are such a spec and the runs the validation report
and the tests call.  A model of more than one section (``tissue_neuron.py``:
a neuron and an astrocyte sharing one extracellular space) subclasses
``Model`` and ``NeuronSection`` and returns its own from ``Model.make_section``.

Everything else is here, once:

- the checks, before a run: NEURON's FARADAY and R equal nakpump's F and R
  to 1e-10; no other section exists (it would share CVODE); the section's
  area equals the cell's; the ions' styles recompute E from concentrations
  written by ``accum`` alone; no .mod file uses tables; every parameter set
  is read back exactly (``nrnbuild.set_checked``); after ``finitialize``
  the concentrations equal nakpump's, the Nernst potentials nakpump's to
  < 1e-6 mV and the gates nakpump's initial state (``compile_cell(cell).y0``,
  read by state name) to 1e-12;
- the run: electrode pulses and parameter changes (``"pump.block"``, any
  nakpump name ``params`` maps) as events at their times, CVODE (global
  variable step, ``condition_order(2)``) re-initialised at each, or fixed
  steps (``method="fixed"``, for the benchmark); V and the six
  concentrations recorded by name on the ``record_dt`` grid; spikes from a
  NetCon at 0 mV, refined on a second, identical run (``refine``);
- the check after a run: E equals the Nernst potential of the final
  concentrations (< 1e-6 mV).

NEURON always runs in a fresh Python process (``harness.run_isolated``):
NEURON integrates every section of a process with one CVODE and shares
globals (``celsius``, the ions' initial concentrations), so no model may
stay alive next to another; nothing of NEURON stays in the caller.  The run
is timed inside that process (``wall``: ``continuerun`` of the main run).

Built mechanisms go to ``<mod_dir>/build/<hash of the .mod files>/``
(compiled with ``nrnivmodl`` on first use, in the caller, so that a build
error shows as such; git-ignored by ``crosscheck/.gitignore``).  One build
root per model: ``nrnbuild.build`` removes every other build under its root.
"""

from __future__ import annotations

import importlib
import math
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nrnbuild  # noqa: E402
from harness import (  # noqa: E402
    QUANTITIES,
    change_list,
    check_coverage,
    edges,
    nernst,
    pulse_list,
    run_isolated,
    run_nakpump_cell,
)

IONS = (("Na", "na", 1), ("K", "k", 1), ("Cl", "cl", -1))
"""nakpump's ion, NEURON's, valence."""

NAKPUMP_TOL = dict(rtol=1e-9, atol_V=1e-7, atol_conc=1e-10, atol_gate=1e-8)
"""Default nakpump tolerances of the cross-checks (``nakpump.Tolerances``)."""

INERT = {"o2_slope": 0.0, "beta_slope": 0.0, "electrogenic": 1.0}
"""Parameters outside the NEURON models that must hold these values (a slope
of 0 turns the factor off), and the ones that then do nothing:"""
INERT_WITH = {"o2_half": "o2_slope", "beta_half": "beta_slope"}

REFINE_WINDOW = 0.02
"""ms either side of a NetCon spike time searched by the spike refinement."""


def check_cell(cell, expected, covered: dict, inert: dict = INERT) -> None:
    """Raise unless ``cell``'s mechanisms are ``expected`` ([(name, family,
    ion)], in order), its outside is closed, its electrode current carried by
    K+, nothing in it makes ATP, volumes or O2 states (the NEURON models hold
    them fixed), and every parameter is covered or inert (``check_coverage``;
    nothing blocked at the start)."""
    got = [(m.name, m.family, getattr(m, "ion", None)) for m in cell.mechanisms]
    if got != list(expected):
        raise AssertionError(f"the NEURON model covers {list(expected)}; the cell has {got}")
    if cell.bath or cell.electrode_ion != "K":
        raise AssertionError("the NEURON model expects a closed outside and a K+ electrode current")
    makers = [m.name for m in cell.mechanisms if m.provides]
    if makers:
        raise AssertionError(f"{makers} make states of ATP, volumes or O2: the NEURON model has "
                             "them fixed")
    check_coverage(cell, covered, inert, INERT_WITH)


def value_of(cell, source):
    """A parameter's value: ``source`` is a nakpump name (``"pump.imax"``,
    ``"cell.T"``), ``"geometry.w_i"`` / ``"geometry.w_o"`` (volume/area, um),
    ``"F"`` (nakpump's Faraday constant), a number, or a function of the cell
    (None: leave NEURON's value)."""
    if callable(source):
        return source(cell)
    if source == "F":
        from nakpump.physics import F
        return F
    if isinstance(source, str) and source.startswith("geometry."):
        return getattr(cell, source.split(".", 1)[1])
    if isinstance(source, str):
        return cell[source]
    return float(source)


@dataclass(frozen=True)
class Model:
    """A NEURON single-compartment model; see the module docstring.

    ``params``: ``(target, variable, source, scale)``, NEURON's
    ``target.variable = value_of(cell, source) * scale``; ``target`` is a
    mechanism, ``"section"`` or ``"global"`` (hoc).  Common to every model
    and set here: ``cm``, ``celsius``, the ions' initial concentrations,
    ``accum``'s ``wi``, ``wo``, ``faraday`` and ``electrode``'s ``amp``.
    ``gates``: nakpump state name -> (mechanism, variable).
    ``duration``, ``record_dt``, ``atol``, ``refine_spikes``: the model's
    defaults of ``run_neuron`` and ``run_nakpump``.
    """

    module: str
    """The spec module's name in this folder (imported by the child process)."""
    section: str
    mod_dir: Path
    mechanisms: tuple[str, ...]
    accum: str
    electrode: str
    cell: Callable
    params: tuple = ()
    gates: dict = field(default_factory=dict)
    duration: float = 1000.0
    record_dt: float = 1.0
    atol: float = 1e-8
    refine_spikes: bool = True
    quantities: tuple = QUANTITIES
    """What a run records, by nakpump's result name (``NeuronSection.refs``
    says where NEURON holds each)."""

    @property
    def build_root(self) -> Path:
        return self.mod_dir / "build"

    @property
    def own(self) -> tuple[str, ...]:
        """The mechanisms of ``mod_dir`` (not NEURON's built-ins)."""
        return tuple(m for m in self.mechanisms if (self.mod_dir / f"{m}.mod").exists())

    def all_params(self) -> tuple:
        common = [("section", "cm", "cell.Cm", 1.0), ("global", "celsius", "cell.T", 1.0),
                  (self.accum, "wi", "geometry.w_i", 1.0), (self.accum, "wo", "geometry.w_o", 1.0),
                  (self.accum, "faraday", "F", 1.0), (self.electrode, "amp", 0.0, 1.0)]
        for ion, nrn, _ in IONS:
            common += [("global", f"{nrn}i0_{nrn}_ion", f"cell.{ion}_i", 1.0),
                       ("global", f"{nrn}o0_{nrn}_ion", f"cell.{ion}_o", 1.0)]
        return tuple(self.params) + tuple(common)

    def make_section(self, cell) -> "NeuronSection":
        """The model built in this process's NEURON for ``cell`` (a spec with
        more than one section returns its own ``NeuronSection``)."""
        return NeuronSection(self, cell)

    def build_mechanisms(self, force: bool = False) -> Path:
        """Compile the .mod files into ``build_root/<hash>`` unless already there."""
        return nrnbuild.build(self.mod_dir, self.build_root, force)

    def neuron_h(self):
        """``neuron.h`` with the model's mechanisms loaded (built if needed)."""
        return nrnbuild.load(self.mod_dir, self.build_root, self.accum)

    def run_neuron(self, pulses=(), duration: float | None = None, atol: float | None = None,
                   record_dt: float | None = None, *, rtol: float = 0.0, pump_block=(), changes=(),
                   method: str = "cvode", dt: float = 0.025, secondorder: int = 2,
                   refine_spikes: bool | None = None, isolated: bool = True, **options) -> dict:
        """Run the model in NEURON.

        pulses: electrode current pulses ``(start ms, duration ms, amplitude
        uA/cm2 into the cell)``, as ``nakpump.Pulse``, or the 5-tuple ``(start,
        number, frequency Hz, duration, amplitude)`` of a train.  pump_block:
        ``[(time ms, fraction), ...]``; changes: ``[(time ms, nakpump
        parameter, value), ...]`` (both as nakpump's ``SetParameter``).
        options: keyword arguments of the spec's cell (``k_bath=8``).
        duration, record_dt: ms (default: the model's).  method: ``"cvode"``
        (atol, rtol: CVODE tolerances; NEURON's default rtol 0 is purely
        absolute, in each state's unit: mV, mM, 1) or ``"fixed"`` (``dt`` ms,
        ``secondorder`` 0/1/2).  isolated: False runs NEURON in this process
        (for the child process, or debugging; needs a NEURON with no other
        section).

        Returns a dict by name: ``t`` (ms, the ``record_dt`` grid), ``V``
        (mV), ``Na_i``, ``K_i``, ``Cl_i``, ``Na_o``, ``K_o``, ``Cl_o`` (mM) on
        it; ``spikes`` (ms, upward crossings of 0 mV: a NetCon's,
        ``spikes_netcon``, refined on a second run to CVODE's accuracy unless
        ``refine_spikes`` is False; see ``NeuronSection.refine``); ``wall``
        (s of the main run's ``continuerun``), ``wall_refine``, ``setup`` (s
        to build, set and check the section); the checks' numbers
        (``init_errors``, ``nernst_error_end``, ``constants``,
        ``constant_errors``); ``settings``.
        """
        kwargs = dict(cell=self.cell(**options), options=options, pulses=pulse_list(pulses),
                      duration=float(self.duration if duration is None else duration),
                      changes=change_list(changes, pump_block), method=method,
                      atol=float(self.atol if atol is None else atol), rtol=float(rtol), dt=float(dt),
                      secondorder=int(secondorder),
                      record_dt=float(self.record_dt if record_dt is None else record_dt),
                      refine_spikes=self.refine_spikes if refine_spikes is None else bool(refine_spikes))
        if not isolated:
            return simulate(self, **kwargs)
        self.build_mechanisms()   # here, so that a build error shows as such
        return run_isolated("neuron_base", "run_child", dict(kwargs, spec=self.module))

    def run_nakpump(self, pulses=(), duration: float | None = None, *, record_dt: float | None = None,
                    pump_block=(), changes=(), tol: dict | None = None, **options) -> dict:
        """Run the spec's cell in nakpump; same arguments and outputs as
        ``run_neuron`` (tol: keyword arguments of ``nakpump.Tolerances``,
        default ``NAKPUMP_TOL``)."""
        return run_nakpump_cell(self.cell(**options), pulses,
                                float(self.duration if duration is None else duration),
                                float(self.record_dt if record_dt is None else record_dt),
                                tol or NAKPUMP_TOL, change_list(changes, pump_block),
                                quantities=self.quantities, **options)


def run_child(spec: str, **kwargs) -> dict:
    """The child process's run: the ``MODEL`` of spec module ``spec``."""
    return simulate(importlib.import_module(spec).MODEL, **kwargs)


def simulate(model: Model, cell, **kwargs) -> dict:
    """Build ``model`` for ``cell`` in this process, run it (``NeuronSection.run``)
    and delete it."""
    section = model.make_section(cell)
    try:
        return section.run(**kwargs)
    finally:
        section.close()


class NeuronSection:
    """``model`` as one NEURON section, set from ``cell`` and checked; see
    the module docstring.  ``close`` deletes it."""

    def __init__(self, model: Model, cell):
        h = self.h = model.neuron_h()
        t0 = time.perf_counter()
        from nakpump.physics import F, R
        self.model, self.cell, self.values = model, cell, dict(cell.values)
        others = [s.name() for s in h.allsec()]
        if others:
            raise AssertionError(f"other sections exist in this NEURON ({others}); they would be "
                                 "integrated with this model (run it isolated)")
        # NEURON's constants must be nakpump's: both derive them from the
        # exact SI values as N_A e and N_A k (FARADAY 96485.33212331001,
        # R 8.31446261815324).  accum is given nakpump's F.
        self.constants = {"FARADAY": float(h.FARADAY), "R": float(h.R)}
        self.constant_errors = {"FARADAY": abs(self.constants["FARADAY"] / F - 1.0),
                                "R": abs(self.constants["R"] / R - 1.0)}
        if max(self.constant_errors.values()) > 1e-10:
            raise AssertionError(f"NEURON FARADAY/R = {self.constants}, nakpump F = {F}, R = {R}")

        self._build()
        self._check_mechanisms()
        self.set_values = {}
        for target, var, source, scale in model.all_params():
            x = value_of(cell, source)
            if x is not None:
                nrnbuild.set_checked(self.target(target), var, x * scale)
                self.set_values[target, var] = x * scale
        self._check_init()
        self.setup = time.perf_counter() - t0

    def _build(self) -> None:
        """The section (``self.sec``, ``self.seg``) with the model's
        mechanisms, and ``accum``'s POINTER to the electrode current."""
        h, model = self.h, self.model
        self.sec = self.new_section(model.section, self.values["area"], model.mechanisms)
        self.seg = self.sec(0.5)
        h.setpointer(getattr(self.seg, f"_ref_amp_{model.electrode}"), "iel",
                     getattr(self.seg, model.accum))

    def new_section(self, name: str, area: float, mechanisms):
        """A one-segment section of membrane area ``area`` (um2) with
        ``mechanisms`` inserted.  Only per-area quantities matter; L = diam
        with pi diam^2 = area keeps the absolute area equal too."""
        h = self.h
        sec = h.Section(name=name)
        sec.nseg = 1
        sec.L = sec.diam = math.sqrt(area / math.pi)
        got = h.area(0.5, sec=sec)
        if abs(got - area) > 1e-9 * area:
            raise AssertionError(f"section {name}: area {got} um2, expected {area}")
        for mech in mechanisms:
            sec.insert(mech)
        return sec

    def initialize(self) -> None:
        """``finitialize`` at nakpump's initial state (every section at V0)."""
        self.h.finitialize(self.values["V0"])

    def refs(self) -> dict:
        """Pointers to what a run can record, by nakpump's result name: V and
        the six concentrations."""
        seg = self.seg
        out = {"V": seg._ref_v}
        out.update({f"{ion}_{side}": getattr(seg, f"_ref_{nrn}{side}") for ion, nrn, _ in IONS
                    for side in "io"})
        return out

    def target(self, name: str):
        return self.sec if name == "section" else self.h if name == "global" else getattr(self.seg, name)

    def close(self) -> None:
        """Delete the section (NEURON deletes a Python-made section with its
        last reference)."""
        self.seg = self.sec = None

    def _check_mechanisms(self) -> None:
        """Reversal potentials must follow the concentrations (Nernst at every
        step), only ``accum`` may write concentrations, and rates are
        computed exactly (no tables)."""
        model = self.model
        for _, nrn, _ in IONS:
            style = int(self.h.ion_style(f"{nrn}_ion", sec=self.sec))
            c_style, cinit = style % 4, (style // 4) % 2
            einit, eadvance = (style // 32) % 2, (style // 64) % 2
            ci_w, co_w = (style // 128) % 2, (style // 256) % 2
            if not (c_style == 3 and cinit and einit and eadvance and ci_w and co_w):
                raise AssertionError(f"{nrn}_ion style {style}: E_{nrn} not recomputed from "
                                     "written concentrations")
        sources = {m: (model.mod_dir / f"{m}.mod").read_text() for m in model.own}
        writers = [m for m, text in sources.items() if m != model.accum
                   and any(f"WRITE {x}" in text for x in ("nai", "nao", "ki", "ko", "cli", "clo"))]
        if writers:
            raise AssertionError(f"mechanisms {writers} write concentrations")
        if "TABLE" in "".join(sources.values()):
            raise AssertionError("the .mod files must not use tables (rates computed exactly)")

    def _check_init(self) -> None:
        """After finitialize: concentrations as nakpump's, Nernst potentials
        equal to nakpump's to < 1e-6 mV, gates at nakpump's initial state
        (1e-12)."""
        import nakpump as nk
        self.h.cvode_active(0)
        self.initialize()
        v, seg, T = self.values, self.seg, self.values["T"]
        self.init_errors = {}
        for ion, nrn, z in IONS:
            ci, co = getattr(seg, f"{nrn}i"), getattr(seg, f"{nrn}o")
            if ci != v[f"{ion}_i"] or co != v[f"{ion}_o"]:
                raise AssertionError(f"{ion}: NEURON starts at {ci}/{co} mM, nakpump at "
                                     f"{v[ion + '_i']}/{v[ion + '_o']}")
            e_nrn, e_nk = getattr(seg, f"e{nrn}"), nernst(z, co, ci, T)
            self.init_errors[f"E_{ion}"] = abs(e_nrn - e_nk)
            if abs(e_nrn - e_nk) > 1e-6:
                raise AssertionError(f"E_{ion}: NEURON {e_nrn} mV, nakpump {e_nk} mV")
        system = nk.compile_cell(self.cell)
        for nk_name, (mech, var) in self.model.gates.items():
            want = float(system.y0[system.layout.state(nk_name)])
            got = getattr(getattr(seg, mech), var)
            self.init_errors[nk_name] = abs(got - want)
            if abs(got - want) > 1e-12:
                raise AssertionError(f"{nk_name} starts at {got} in NEURON, {want} in nakpump")

    def check_nernst_live(self, method: str) -> float:
        """E_X must be the Nernst potential of the current concentrations
        (checks that E follows them during the run); the largest error, mV.
        The fixed-step method updates E with the currents, before the step's
        concentration update, so there E is brought up to date first
        (``fcurrent`` recomputes E only when the ion style says so)."""
        if method == "fixed":
            self.h.fcurrent()
        seg, T = self.seg, self.values["T"]
        worst = 0.0
        for _, nrn, z in IONS:
            e_nk = nernst(z, getattr(seg, f"{nrn}o"), getattr(seg, f"{nrn}i"), T)
            worst = max(worst, abs(getattr(seg, f"e{nrn}") - e_nk))
        if worst > 1e-6:
            raise AssertionError(f"E off the Nernst potential by {worst} mV after the run")
        return worst

    def _switch(self, changes):
        """(time, target object, variable, value) of each change, from nakpump
        names through ``params``."""
        where = {src: (target, var, scale) for target, var, src, scale in self.model.all_params()
                 if isinstance(src, str)}
        out = []
        for t, name, value in changes:
            if name not in where:
                raise ValueError(f"the NEURON model has no {name} (params maps {sorted(where)})")
            target, var, scale = where[name]
            out.append((t, target, var, value * scale))
        return out

    def _integrate(self, pulses, duration, changes, method, atol, rtol, dt, secondorder, refs, times):
        """One run from nakpump's initial state, recording the pointers ``refs``
        (by name) at ``times`` (CVODE's interpolant; with fixed steps, see
        ``run``).  Returns (recorded arrays by name, the times recorded,
        NetCon spike times, wall s)."""
        h, seg = self.h, self.seg
        cvode = method == "cvode"
        tvec = h.Vector(np.asarray(times, float))
        vecs = {k: h.Vector().record(ref, tvec) for k, ref in refs.items()}
        trec = h.Vector().record(h._ref_t, tvec)
        tspk = h.Vector()
        nc = h.NetCon(seg._ref_v, None, sec=self.sec)
        nc.threshold = 0.0
        nc.record(tspk)
        if cvode:
            h.cvode_active(1)
            h.cvode.atol(atol)
            h.cvode.rtol(rtol)
            # NetCon crossing times interpolated within the step (default 1:
            # the step's end, off by up to a step).
            h.cvode.condition_order(2)
        elif method == "fixed":
            h.cvode_active(0)
            h.dt = dt
            h.steps_per_ms = 1.0 / dt
            h.secondorder = secondorder
        else:
            raise ValueError(f"method {method!r}: use 'cvode' or 'fixed'")
        switches = [(t, self.model.electrode, "amp", amp) for t, amp in edges(pulses)]
        switches += self._switch(changes)
        for key in {(target, var) for _, target, var, _ in switches}:   # a new run: as set
            setattr(self.target(key[0]), key[1], self.set_values[key])
        self.initialize()

        def setter(obj, var, value):
            def switch():
                setattr(obj, var, value)
                if cvode:
                    h.cvode.re_init()
            return switch

        callbacks = [(t, setter(self.target(target), var, x)) for t, target, var, x in switches]
        for t, cb in callbacks:   # the list keeps them alive through the run
            if 0.0 < t < duration:
                h.cvode.event(t, cb)
            elif t == 0.0:
                cb()
        t0 = time.perf_counter()
        h.continuerun(duration)
        wall = time.perf_counter() - t0
        out = {k: np.asarray(vec).copy() for k, vec in vecs.items()}
        t_back = np.asarray(trec).copy()
        spikes = np.asarray(tspk).copy()
        del nc
        for vec in [*vecs.values(), trec]:
            vec.play_remove()
        return out, t_back, spikes, wall

    def run(self, options, pulses, duration, changes, method, atol, rtol, dt, secondorder, record_dt,
            refine_spikes) -> dict:
        """One run; see ``Model.run_neuron``."""
        if refine_spikes and method != "cvode":
            raise ValueError("spike refinement needs CVODE's interpolant (method 'cvode')")
        n = int(math.floor(duration / record_dt + 1e-9)) + 1
        tgrid = np.minimum(np.arange(n) * record_dt, duration)
        times, slack, final = tgrid, 1e-9 * max(1.0, duration), False
        if method == "fixed":
            # With fixed steps a record time is taken at the step from t with
            # t < time <= t + dt, and t accumulates round-off (it ends at
            # duration - 4e-8), so ask for grid + dt/2: each sample is the
            # step at the grid time.  A last grid time at the end of the run
            # is the final state, read after it.
            final = tgrid[-1] > duration - 0.5 * dt
            times, slack = tgrid[:n - final] + 0.5 * dt, slack + 0.25 * dt
        refs = self.refs()
        args = (pulses, duration, changes, method, atol, rtol, dt, secondorder)
        quantities = self.model.quantities
        out, t_back, spikes, wall = self._integrate(*args, {q: refs[q] for q in quantities}, times)
        if final:
            out = {q: np.append(x, refs[q][0]) for q, x in out.items()}
            t_back = np.append(t_back, self.h.t)
        if any(len(x) != n for x in [t_back, *out.values()]) or np.max(np.abs(t_back - tgrid)) > slack:
            raise AssertionError("NEURON recorded at other times than the grid")
        out["t"] = tgrid
        out["spikes_netcon"] = out["spikes"] = spikes
        out["wall"], out["wall_refine"], out["setup"] = wall, 0.0, self.setup
        if refine_spikes and len(spikes):
            out["spikes"], out["wall_refine"] = self.refine(spikes, args)
        out["nernst_error_end"] = self.check_nernst_live(method)
        out["init_errors"] = dict(self.init_errors)
        out["constants"] = dict(self.constants)
        out["constant_errors"] = dict(self.constant_errors)
        out["settings"] = {"simulator": "NEURON", "model": self.model.module, **options,
                           "duration": duration, "pulses": pulse_list(pulses), "changes": list(changes),
                           "method": method, "record_dt": record_dt, "refine_spikes": refine_spikes,
                           **({"atol": atol, "rtol": rtol} if method == "cvode"
                              else {"dt": dt, "secondorder": secondorder})}
        return out

    def refine(self, spikes, args):
        """Spike times to CVODE's accuracy: the NetCon's crossing times
        (``condition_order(2)``: interpolated within the step, off by up to
        ~5e-6 ms at atol 1e-8) refined on a second, identical run that records
        V at 1e-4 ms spacing within ``REFINE_WINDOW`` ms of each; the crossing
        of 0 mV is the root of a cubic spline through those samples.  Returns
        (spike times, wall s of the second run)."""
        from scipy.interpolate import CubicSpline
        duration = args[1]
        off = np.linspace(-REFINE_WINDOW, REFINE_WINDOW, 401)
        times = np.clip((spikes[:, None] + off[None, :]).ravel(), 0.0, duration)
        got, t_back, again, wall = self._integrate(*args, {"V": self.seg._ref_v}, times)
        if len(again) != len(spikes) or np.max(np.abs(again - spikes)) > 1e-12 * max(1.0, duration):
            raise AssertionError("the second NEURON run crossed the threshold at other times")
        tt, vv = t_back.reshape(len(spikes), -1), got["V"].reshape(len(spikes), -1)
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
