"""nakpump's default cell, the neuron in tissue, against the same model built in NEURON.

The NEURON model (``crosscheck/tissue_neuron.py``, a spec for
``crosscheck/neuron_base.py``, NMODL in ``crosscheck/neuron_tissue``) is two
sections, the neuron and the astrocyte, in one CVODE, sharing one
extracellular space held (with every other amount, the volumes, the ATP
budgets and O2) by one accumulation mechanism in the neuron's section.
Every parameter comes from ``neuron_in_tissue()`` by name and is read back;
at t = 0 every state equals nakpump's initial state (1e-12 relative), the
Nernst potentials nakpump's to < 1e-6 mV.  Both sides then integrate to
tight tolerances (NEURON: CVODE, absolute tolerance in each state's unit,
rtol 0; nakpump: Rodas4 at rtol 1e-9), so the differences measure the two
integrators' errors: they fall as the tolerances tighten (with NEURON at
1e-8 instead of 1e-10, K_o differs by 2.2e-7 mM instead of 1.6e-8).

Skipped when NEURON is not installed (``pip install neuron``; nrnivmodl
needs a C compiler); the checks of which cells the NEURON model covers run
without it.  The first run compiles the .mod files (~20 s) into
``crosscheck/neuron_tissue/build``.
"""

import numpy as np
import pytest

from nakpump.validation import crosscheck_module

try:
    import neuron  # noqa: F401
    HAVE_NEURON = True
except ImportError:  # not installed, or an install that cannot load
    HAVE_NEURON = False

needs_neuron = pytest.mark.skipif(not HAVE_NEURON, reason="NEURON is not importable (pip install "
                                  "neuron): no NEURON cross-check of the neuron in tissue")

PULSES = (100.0, 5, 10.0, 1.0, 15.0)
"""Five 1 ms pulses of 15 uA/cm2 (the cell's test pulse) at 10 Hz from 100 ms."""
TIGHT = {"spike_time": 1e-5, "V": 1e-3, "V_g": 1e-5, "Na_i": 1e-7, "K_o": 1e-6, "ATP_i": 1e-9,
         "ATP_g": 1e-9, "vol_i_rel": 1e-9, "vol_g_rel": 1e-9}
"""Largest differences allowed on the short train (ms, mV, mM, 1); measured (NEURON atol 1e-10):
spike times 7.7e-8 ms, V 1.3e-5 mV (on the 1 ms grid, spikes included), V_g 5.6e-8 mV, Na_i
2.7e-9, K_o 1.6e-8, ATP_i 4.5e-12, ATP_g 5.4e-12 mM, relative volumes 1.5e-13 (neuron) and
3.2e-12 (astrocyte): margins of 30x or more.  The spike-time bound is 100x tighter than the
1e-3 ms of the other cross-checks: on this cell a 0.1 % change of the Kir4.1 conductance moves
the spikes by only 4e-6 ms, but V_g by 4.4e-4 mV and K_o by 3.7e-6 mM (see
``test_a_small_parameter_change_fails_the_tolerances``)."""
OTHER_CONC = 1e-6
"""mM, every other concentration of the three compartments (measured <= 1.2e-11 mM for the
metabolites, <= 9.4e-9 for the ions)."""


@pytest.fixture(scope="module")
def tn():
    """crosscheck/tissue_neuron.py, imported from its path."""
    return crosscheck_module("tissue_neuron")


@pytest.fixture(scope="module")
def short_runs(tn):
    """The short train in NEURON (CVODE atol 1e-10) and nakpump (rtol 1e-9), 1 s on a 1 ms grid."""
    if not HAVE_NEURON:
        pytest.skip("NEURON is not importable")
    return tn.run_neuron(PULSES, 1000.0, atol=1e-10), tn.run_nakpump(PULSES, 1000.0)


def _exceeded(d, tight=TIGHT, other=OTHER_CONC):
    """The quantities of ``d`` (``compare``'s differences) over their tolerance."""
    out = {q: d[q] for q, tol in tight.items() if not d[q] < tol}
    skip = set(tight) | {"n_spikes", "spike_time", "V", "V_g", "O2"}
    out.update({q: v for q, v in d.items() if q not in skip and not v < other})
    return out


@needs_neuron
def test_short_train(tn, short_runs):
    """Spike times, V, V_g, the ions of the three compartments, ATP, ADP, Pi, PCr, Cr of both
    cytosols, the volumes and O2 agree within ``TIGHT`` and ``OTHER_CONC`` at every 1 ms sample;
    NEURON's initial state is nakpump's and its E follows its concentrations."""
    a, b = short_runs
    assert max(a["constant_errors"].values()) < 1e-10
    assert max(a["init_errors"].values()) < 1e-12
    assert a["nernst_error_end"] < 1e-6
    d = tn.compare(a, b)
    assert d["n_spikes"] == (5, 5), d
    assert not _exceeded(d), _exceeded(d)
    assert d["O2"] < 1e-9, d   # at the bath's on both sides (oxygen.alpha is 0); see test_anoxia
    # the pulses moved what is compared, far beyond the tolerances (both sides)
    for r in (a, b):
        assert np.ptp(r["K_o"]) > 0.3 and np.ptp(r["Na_i"]) > 0.1
        assert np.ptp(r["V_g"]) > 3.0
        assert np.ptp(r["ATP_i"]) > 1e-4 and np.ptp(r["ATP_g"]) > 1e-3
        assert np.ptp(r["vol_g_rel"]) > 1e-4


@needs_neuron
def test_a_small_parameter_change_fails_the_tolerances(tn, short_runs):
    """nakpump with the astrocyte's Kir4.1 conductance 0.1 % higher from 50 ms (before the
    pulses) differs from NEURON's run beyond ``TIGHT`` in V_g (4.4e-4 mV), K_o (3.7e-6 mM) and
    ATP_g (1.7e-7 mM): the short-train test would see it."""
    a, _ = short_runs
    cell = tn.nakpump_cell()
    c = tn.run_nakpump(PULSES, 1000.0, changes=[(50.0, "kir.g", cell["kir.g"] * 1.001)])
    bad = _exceeded(tn.compare(a, c))
    assert {"V_g", "K_o", "ATP_g"} <= set(bad), bad


@needs_neuron
def test_rest(tn):
    """No stimulus for 1 s: the calibrated rest holds in NEURON (V and V_g within 1e-6 mV;
    measured 4e-9 and 2e-8 mV over 10 s)."""
    out = tn.check_rest(1000.0, tol_mV=1e-6)
    assert out["drift"] < 1e-6 and out["drift_g"] < 1e-6


def test_the_neuron_model_refuses_other_cells(tn):
    """``check_cell`` refuses a cell that is not what the NEURON model implements: an extra
    mechanism, a pump on the other membrane, a parameter it does not have, a closed bath, a Na+
    electrode (the tissue cell itself passes)."""
    from nakpump.catalog.tissue import neuron_in_tissue
    from nakpump.mechanisms import Leak

    tn.check_cell(neuron_in_tissue(calibrate=False))
    extra = neuron_in_tissue(calibrate=False).add(Leak("K", name="leak_k", g=0.01))
    with pytest.raises(AssertionError, match="covers"):
        tn.check_cell(extra)
    moved = neuron_in_tissue(calibrate=False)
    moved.mechanism("glia_pump").membrane = "neuron"
    with pytest.raises(AssertionError, match="sits on"):
        tn.check_cell(moved)
    for values, match in (({"bath": 1.0}, "compartments|needs"), ({"electrode_ion": 0.0}, "needs")):
        with pytest.raises(AssertionError, match=match):
            tn.check_cell(neuron_in_tissue(calibrate=False, **values))


@pytest.mark.slow
@needs_neuron
def test_spike_train_60s(tn):
    """The benchmark's protocol: 100 pulses at 10 Hz from 1 s, then recovery to 60 s (NEURON
    atol 1e-10).  Measured: spike times 1e-7 ms, V 2.6e-5 mV, V_g 5.2e-7 mV, Na_i 1.9e-8,
    K_o 1.8e-8, K_g 3.6e-8, ATP_i 6e-11, ATP_g 9.8e-10 mM, vol_g_rel 2.9e-10."""
    pulses = (1000.0, 100, 10.0, 1.0, 15.0)
    a = tn.run_neuron(pulses, 60000.0, atol=1e-10)
    b = tn.run_nakpump(pulses, 60000.0)
    d = tn.compare(a, b)
    assert d["n_spikes"] == (100, 100), d
    tight = {"spike_time": 1e-5, "V": 1e-3, "V_g": 1e-5, "Na_i": 1e-6, "K_o": 1e-6, "ATP_i": 1e-8,
             "ATP_g": 1e-7, "vol_i_rel": 1e-9, "vol_g_rel": 1e-8}
    assert not _exceeded(d, tight, 1e-5), _exceeded(d, tight, 1e-5)
    assert b["K_o"].max() > 4.8 and b["Na_i"].max() > 12.5


@pytest.mark.slow
@needs_neuron
def test_anoxia(tn):
    """The bath O2 to 0 at 5 s, 155 s in all (10 ms grid, NEURON atol 1e-9): O2 falls, PCr and
    then ATP are spent (ATP_i 0.14 mM at the end), the astrocyte depolarises by 20 mV and swells
    by 4 %, Na_i rises to 26 mM.  Measured: V 3.8e-7 mV, V_g 3.2e-6 mV, Na_i 1.6e-6, K_o 2.6e-7,
    ATP_i 8.7e-7, ATP_g 1.8e-6 mM, vol_g_rel 6.5e-9, O2 3.1e-7 mg/L."""
    changes = [(5000.0, "cell.O2_bath", 0.0)]
    a = tn.run_neuron((), 155000.0, changes=changes, record_dt=10.0, atol=1e-9)
    b = tn.run_nakpump((), 155000.0, changes=changes, record_dt=10.0)
    d = tn.compare(a, b)
    for r in (a, b):
        assert r["O2"][-1] < 1e-3 and r["ATP_i"][-1] < 0.2 and r["Na_i"][-1] > 25.0
        assert r["V_g"][-1] - r["V_g"][0] > 19.0 and r["vol_g_rel"][-1] > 1.04
    tight = {"V": 1e-4, "V_g": 1e-4, "Na_i": 1e-4, "K_o": 1e-5, "ATP_i": 1e-4, "ATP_g": 1e-4,
             "vol_i_rel": 1e-7, "vol_g_rel": 1e-7, "spike_time": 1e-3}
    assert not _exceeded(d, tight, 1e-4), _exceeded(d, tight, 1e-4)
    assert d["O2"] < 1e-4, d
