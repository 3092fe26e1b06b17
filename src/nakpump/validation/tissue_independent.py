"""Rows for ``nakpump validate``: the default neuron in tissue
(``nakpump.catalog.tissue.neuron_in_tissue``) against an independent SciPy
implementation of its documented equations (``crosscheck/tissue_scipy.py``,
every parameter read from the cell by name), at rest, through a pulse train
and in anoxia.

One more row puts nakpump's astrocyte water flux next to the documented one
(``Osmosis``: lp x the gradient x the astrocyte's own membrane area): the
check that found nakpump moving it through the neuron's area (fixed).

Tolerances (absolute, from these relative ones; both solvers at rtol 1e-10):
spike times 1e-5 ms, concentrations 1e-7 of the value (ATP and PCr: of the
start's pool), V 1e-5 mV, V_g 1e-6 mV, relative volumes 1e-8; the same over every
sample of both runs (concentrations 1e-7 of the largest value; V in anoxia, where the
neuron fires while it depolarises, 5e-3 mV: a sample on a spike's flank turns a 1e-5 ms
difference into 1e-3 mV).  The measured
differences are 1e-10 to 1e-8 of these quantities; the runs take about 40 s.
"""

from __future__ import annotations

import numpy as np

from .core import Check, crosscheck_module

PRESET = "neuron-in-tissue"
SOURCE = "[INDEPENDENT] crosscheck/tissue_scipy.py (SciPy BDF, rtol 1e-10)"
REL = 1e-7
"""Relative tolerance of concentrations and ATP pools."""


def _conc(rows, quantity, ours, theirs, scale=0.0):
    """A concentration row: within ``REL`` of the value or of ``scale`` (mM, a pool's size), the larger."""
    rows.append(Check(PRESET, quantity, "mM", float(theirs), float(ours), REL * max(abs(float(ours)), scale),
                      SOURCE))


def _largest(rows, run, name, ours, theirs, unit, rel=None, abs_=None) -> None:
    """A row for the largest difference of ``name`` over every sample of the reference run: within
    ``abs_``, or ``rel`` x the largest magnitude of ``name`` (a pool's size)."""
    d = float(np.max(np.abs(np.asarray(ours[name]) - np.asarray(theirs[name]))))
    tol = abs_ if abs_ is not None else rel * float(np.max(np.abs(theirs[name])))
    rows.append(Check(PRESET, f"largest difference of {name} over every sample, {run}", unit, d, 0.0, tol,
                      SOURCE))


def _rest_rows(module, cell) -> list[Check]:
    ours, res = module.compare("rest", cell)
    y = ours.at(res.t[-1])
    return [Check(PRESET, "V after 10 s at the calibrated rest", "mV", float(res["V"][-1]), float(y["V"][0]),
                  1e-8, SOURCE),
            Check(PRESET, "V_g after 10 s at the calibrated rest", "mV", float(res["V_g"][-1]),
                  float(y["V_g"][0]), 1e-8, SOURCE)]


def _train_rows(module, cell) -> list[Check]:
    ours, res = module.compare("train", cell)
    label = "20 pulses of 15 uA/cm2, 1 ms, 10 Hz from 1 s"
    rows = [Check(PRESET, f"spikes, {label}", "count", float(len(res.spikes)), float(len(ours.spikes)), 0.0,
                  SOURCE)]
    if len(res.spikes) == len(ours.spikes) and len(res.spikes):
        rows += [Check(PRESET, "time of the first spike", "ms", float(res.spikes[0]), float(ours.spikes[0]),
                       1e-5, SOURCE),
                 Check(PRESET, "time of the last spike", "ms", float(res.spikes[-1]), float(ours.spikes[-1]),
                       1e-5, SOURCE)]
    y = ours.at(res.t)
    for t_s in (3.0, 12.0):
        j = int(np.argmin(np.abs(res.t - 1e3 * t_s)))
        when = "end of the train" if t_s == 3.0 else "after 9 s of recovery"
        for name in ("Na_i", "K_o", "K_g"):
            _conc(rows, f"{name} at {t_s:g} s ({when})", y[name][j], res[name][j])
        rows.append(Check(PRESET, f"V_g at {t_s:g} s ({when})", "mV", float(res["V_g"][j]),
                          float(y["V_g"][j]), 1e-6, SOURCE))
    j = int(np.argmax(res["K_o"]))
    _conc(rows, f"K_o at its peak ({res.t[j]:.0f} ms)", y["K_o"][j], res["K_o"][j])
    if len(res.spikes) == len(ours.spikes):
        rows.append(Check(PRESET, "largest spike-time difference, the pulse train", "ms",
                          float(np.max(np.abs(ours.spikes - res.spikes), initial=0.0)), 0.0, 1e-5, SOURCE))
    for name in ("Na_i", "K_i", "K_o", "Na_o", "K_g", "Na_g", "Cl_g", "ATP_i", "ATP_g"):
        _largest(rows, "the pulse train", name, y, res, "mM", rel=REL)
    _largest(rows, "the pulse train", "V_g", y, res, "mV", abs_=1e-6)
    _largest(rows, "the pulse train", "vol_g_rel", y, res, "1", abs_=1e-8)
    return rows


def _anoxia_rows(module, cell) -> list[Check]:
    ours, res = module.compare("anoxia", cell)
    y = ours.at(res.t)
    rows = []
    for t_s in (60.0, 155.0):
        j = int(np.argmin(np.abs(res.t - 1e3 * t_s)))
        when = f"{t_s:g} s (ischemia from 5 s: no O2, no bath exchange)"
        for name in ("ATP_i", "PCr_i", "K_o"):
            _conc(rows, f"{name} at {when}", y[name][j], res[name][j], scale=float(res[name][0]))
        rows.append(Check(PRESET, f"V at {when}", "mV", float(res["V"][j]), float(y["V"][j]), 1e-5, SOURCE))
        for name in ("vol_i_rel", "vol_g_rel"):
            rows.append(Check(PRESET, f"{name} at {when}", "1", float(res[name][j]), float(y[name][j]), 1e-8,
                              SOURCE))
    run = "anoxia"
    for name in ("ATP_i", "PCr_i", "ADP_i", "ATP_g", "PCr_g", "K_o", "Na_i", "K_i", "Cl_i", "K_g", "Na_g"):
        _largest(rows, run, name, y, res, "mM", rel=REL)
    # the neuron fires during the depolarisation: a sample on a spike's flank (100 mV/ms) turns the
    # solvers' 1e-5 ms spike-time differences into 1e-3 mV
    for name in ("V", "V_g"):
        _largest(rows, run, name, y, res, "mV", abs_=5e-3)
    for name in ("vol_i_rel", "vol_g_rel"):
        _largest(rows, run, name, y, res, "1", abs_=1e-8)
    _largest(rows, run, "vol_o", y, res, "um3", rel=1e-8)
    return rows


def _water_row(module, cell) -> Check:
    """The astrocyte's water flux (um3/s) at the rest state with 10 mM more K+ in the astrocyte:
    nakpump's against the documented lp x 10 mM x the astrocyte's area."""
    from ..compile.system import compile_cell

    system = compile_cell(cell)
    lay = system.layout
    y = system.y0.copy()
    y[lay.state("n_K_g")] += 10.0 * y[lay.state("w_g")]
    theirs = system.rhs(y)[lay.state("w_g")] * cell.values["area"] * 1e3
    model = module.Model.from_cell(cell)
    ours = model.fluxes(module.from_nakpump(system, y))["flow_glia"] * 1e3
    return Check(PRESET, "astrocyte water flux at a 10 mM osmotic gradient (documented: lp x astrocyte "
                 "area)", "um3/s", float(theirs), float(ours), 1e-9 * abs(float(ours)),
                 "[INDEPENDENT] crosscheck/tissue_scipy.py: Osmosis, d(vol/area)/dt = lp (osm_i - osm_o) "
                 "for its membrane; P_f 0.04 cm/s of astrocyte membrane")


def tissue_crosscheck_checks() -> list[Check]:
    """The rows (see the module docstring)."""
    module = crosscheck_module("tissue_scipy")
    if module is None:
        return [Check(PRESET, "independent implementation", "", float("nan"), None, 0.0,
                      "[INDEPENDENT] skipped: crosscheck/ not found")]
    from ..catalog.tissue import neuron_in_tissue

    cell = neuron_in_tissue()
    return _rest_rows(module, cell) + _train_rows(module, cell) + _anoxia_rows(module, cell) + [
        _water_row(module, cell)]
