"""Mechanism definitions: GHK leaks, temperature scaling, registry data,
and the compiled-code cache."""

import os
import subprocess
import sys

import numpy as np
import pytest

import nakpump as nk
from nakpump.mechanisms import REGISTRY
from nakpump.physics import ghk_voltage


def test_cell_with_ghk_leaks_rests_at_the_ghk_voltage():
    """With constant-permeability leaks only (fixed bath, a cell so big that
    its concentrations do not move), V settles at the GHK voltage equation's
    value for the same permeabilities."""
    perms = {"K": 1e-6, "Na": 0.05e-6, "Cl": 0.45e-6}
    cell = nk.Cell([nk.GHKLeak(ion, P=p) for ion, p in perms.items()], bath=1, area=1.0, vol_i=1e6,
                   V0=-50.0)
    res = nk.simulate(cell, duration=500.0, dt=1.0, tol=nk.Tolerances(rtol=1e-9, atol_V=1e-9))
    expected = ghk_voltage(perms, cell.concentrations("i"), cell.concentrations("o"), 37.0)
    assert res["V"][-1] == pytest.approx(expected, abs=1e-6)
    assert expected == pytest.approx(-69.6, abs=0.06)  # REFERENCES 2.2


def test_q10_speeds_up_hh_rates():
    """At 16.3 degC the HH gates run 3x faster than at 6.3 degC (q10 = 3):
    the spike is much narrower (less than 0.6 of its width at 6.3 degC)."""
    widths = []
    for T in (6.3, 16.3):
        res = nk.simulate(nk.squid_cell(T=T), nk.Protocol([nk.Pulse(2, 0.5, 40)]), duration=20, dt=0.002)
        v = res["V"]
        above = res.t[v > -20.0]
        widths.append(above[-1] - above[0])
    assert widths[1] < 0.6 * widths[0]


def test_bath_cell_keeps_outside_fixed():
    cell = nk.pump_leak_cell(bath=True)
    res = nk.simulate(cell, nk.Protocol([nk.PulseTrain(10, 20, 20, 1, 40)]), duration=2000, dt=1)
    assert len(res.spikes) == 20
    assert np.all(res["K_o"] == 4.0) and res["Na_i"][-1] > 12.0


def test_every_mechanism_declares_units_ranges_and_source():
    # the registry is complete once nakpump.mechanisms is imported, whatever ran before
    assert set(REGISTRY) == {
        "hh_na", "hh_k", "traub_na", "traub_k", "leak", "ghk_leak", "fixed_leak", "hill_pump",
        "sigmoid_pump", "luo_rudy_pump", "post_albers_pump", "kcc2", "nkcc1", "bath_diffusion",
        "glial_uptake", "glial_pump", "energy", "osmosis", "volume_relaxation", "oxygen",
        "cressman_channels", "hubel_dahlem_nak", "mainen_na", "traub_kdr", "m_current", "alpha1_pump",
        "alpha3_pump", "astrocyte_pump", "kir41", "katp", "creatine_kinase", "glycolysis", "k_buffer",
        "kager_nat", "kager_nap", "kager_kdr", "kager_ka", "kager_kir", "kager_water"}
    for family, cls in REGISTRY.items():
        assert cls.source and cls.title, family
        for p in cls.all_params():
            assert p.unit and p.lo <= p.default <= p.hi and p.doc, (family, p.name)


def test_a_traceable_cell_is_compiled_by_llvm_and_numba_compiles_none_of_it(tmp_path):
    """The model's functions are traced and compiled by LLVM in each process (milliseconds), so
    Numba compiles and caches nothing of the model; the generated source is written once, for a
    cell that cannot be traced (Numba then compiles it)."""
    code = ("import nakpump as nk; s = nk.compile_cell(nk.Cell([nk.Leak('K', g=0.1)], bath=1)); "
            "print(s.jac_note)")
    env = dict(os.environ, NAKPUMP_CACHE_DIR=str(tmp_path))
    env.pop("NUMBA_CACHE_DIR", None)  # Numba would cache the model's code beside the generated module
    out = subprocess.run([sys.executable, "-c", code], check=True, env=env, capture_output=True, text=True)
    assert out.stdout.startswith("LLVM, exact Jacobian")
    sources = sorted((tmp_path / "jit").glob("nakpump_model_*.py"))
    assert len(sources) == 1
    written = sources[0].stat().st_mtime_ns
    subprocess.run([sys.executable, "-c", code], check=True, env=env, capture_output=True)
    assert sources[0].stat().st_mtime_ns == written
    assert not list((tmp_path / "jit").glob("__pycache__/*.nbc"))


