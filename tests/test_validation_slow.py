"""Slow validation (run with ``pytest -m slow``; CI runs it): the full 60 s
spike-train protocol at default tolerances against SciPy's Radau at rtol 1e-9
(its own error, about 1e-7 ms in spike time and 1e-7 mM, is far below the
tolerances).

The Radau run takes about two minutes, so it is stored in
``tests/data/spike_train_60s_radau.npz`` (spike times; V, Na_i and K_o every
10 ms) with a fingerprint of the model it was computed for: the generated
right-hand side's source, the parameters and the initial state (to 10
digits).  A
stored reference whose fingerprint differs from today's model fails the test
with the command that recomputes it: ``pytest tests/test_validation_slow.py
-m slow --regenerate-references`` (SciPy recomputes it; nakpump's own
solver has no part in it).

Tolerances: spike times 1e-3 ms; Na_i and K_o 5e-5 mM (the default rtol
1e-5 bounds the local error at about 1.2e-4 mM on 12 mM; measured 1.4e-5);
V 0.5 mV at every sample (V on a spike's flank moves ~100 mV/ms, so a
sample's V error is the spike-time error times that slope)."""

import hashlib
from pathlib import Path

import numpy as np
import pytest

from nakpump.solve.reference import solve_reference

from .conftest import TRAIN_60S
from .helpers import conc

REFERENCE = Path(__file__).parent / "data" / "spike_train_60s_radau.npz"
EVERY_MS = 10.0


def fingerprint(system) -> str:
    """What the reference depends on: the generated right-hand side (the source of ``rhs``, not
    of the other functions beside it) and the model's numbers (10 significant digits, so that
    round-off in the calibration does not count as a change)."""
    source = system.source_path.read_text()
    rhs = source[source.index("def rhs("):source.index("def observe(")]
    digits = [np.format_float_scientific(x, precision=9) for x in np.concatenate([system.p0, system.y0])]
    text = "\n".join([rhs, *system.state_names, *digits])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _radau(system):
    t = np.arange(0.0, 60000.0 + EVERY_MS / 2, EVERY_MS)
    Y, spikes = solve_reference(system, TRAIN_60S, 60000.0, t, rtol=1e-9)
    return {"t": t, "spikes": spikes, "V": Y[:, system.layout.V], "Na_i": conc(system, Y, "Na_i"),
            "K_o": conc(system, Y, "K_o"), "fingerprint": np.array(fingerprint(system))}


@pytest.fixture(scope="module")
def reference(default_system, request):
    if request.config.getoption("--regenerate-references"):
        np.savez_compressed(REFERENCE, **_radau(default_system))
    assert REFERENCE.exists(), f"{REFERENCE} missing: pytest {__file__} -m slow --regenerate-references"
    ref = dict(np.load(REFERENCE))
    assert str(ref["fingerprint"]) == fingerprint(default_system), (
        f"{REFERENCE.name} was computed for another model: pytest {__file__} -m slow --regenerate-references")
    return ref


@pytest.mark.slow
def test_spike_train_60_s_against_reference(default_system, train_60s, reference):
    assert len(reference["spikes"]) == len(train_60s.spikes) == 100
    assert np.max(np.abs(train_60s.spikes - reference["spikes"])) < 1e-3
    every = int(round(EVERY_MS / (train_60s.t[1] - train_60s.t[0])))
    assert np.array_equal(train_60s.t[::every], reference["t"])
    ours = {name: train_60s[name][::every] for name in ("V", "Na_i", "K_o")}
    assert np.max(np.abs(ours["Na_i"] - reference["Na_i"])) < 5e-5
    assert np.max(np.abs(ours["K_o"] - reference["K_o"])) < 5e-5
    assert np.max(np.abs(ours["V"] - reference["V"])) < 0.5


def test_the_fingerprint_sees_a_changed_parameter(default_system):
    p0 = default_system.p0.copy()
    before = fingerprint(default_system)
    try:
        default_system.p0[default_system.layout.param("leak_na.g")] *= 1.0 + 1e-6
        assert fingerprint(default_system) != before
    finally:
        default_system.p0[:] = p0
    assert fingerprint(default_system) == before
