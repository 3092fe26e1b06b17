"""Analytic checks of the physics module.

Reference numbers: REFERENCES.md section 2.2 (Nernst potentials at 37 degC
for textbook concentrations, given to 0.1 mV) and section 0 (RT/F)."""

import math

import pytest

from nakpump.physics import F, R, ghk_current, ghk_voltage, nernst, rt_over_f


def test_constants_are_the_exact_si_values():
    assert F == pytest.approx(96485.33212331001, rel=1e-15)   # N_A e, as NEURON's FARADAY
    assert R == pytest.approx(8.31446261815324, rel=1e-15)    # N_A k


@pytest.mark.parametrize("T, expected", [(6.3, 24.08), (20.0, 25.26), (36.0, 26.64), (37.0, 26.73)])
def test_rt_over_f(T, expected):
    # REFERENCES section 0 gives these to 0.01 mV
    assert rt_over_f(T) == pytest.approx(expected, abs=0.006)


@pytest.mark.parametrize("z, co, ci, expected", [
    (1, 145.0, 12.0, 66.6), (1, 4.0, 140.0, -95.0), (-1, 120.0, 7.0, -75.9), (2, 2.0, 1e-4, 132.0)])
def test_nernst_textbook_values(z, co, ci, expected):
    # REFERENCES section 2.2, quoted to 0.1 mV (1 mV for Ca2+)
    tol = 1.0 if z == 2 else 0.06
    assert nernst(z, co, ci, 37.0) == pytest.approx(expected, abs=tol)


def test_ghk_current_vanishes_at_nernst_and_is_continuous_at_zero():
    for z in (1, -1):
        e = nernst(z, 120.0, 10.0, 37.0)
        assert abs(ghk_current(1e-6, z, e, 10.0, 120.0, rt_over_f(37.0))) < 1e-12
        left = ghk_current(1e-6, z, -1e-5, 10.0, 120.0, rt_over_f(37.0))
        mid = ghk_current(1e-6, z, 0.0, 10.0, 120.0, rt_over_f(37.0))
        right = ghk_current(1e-6, z, 1e-5, 10.0, 120.0, rt_over_f(37.0))
        assert min(left, right) <= mid <= max(left, right)
        # at V = 0 the current is P z F (c_i - c_o) exactly (uA/cm2 with c in mM)
        assert mid == pytest.approx(1e-6 * z * F * (10.0 - 120.0), rel=1e-9)


def test_ghk_current_matches_the_formula_written_out():
    P, z, V, ci, co, T = 2e-6, 1, -50.0, 140.0, 4.0, 37.0
    u = z * V / (1e3 * R * (T + 273.15) / F)
    expected = P * z * F * u * (ci - co * math.exp(-u)) / (1 - math.exp(-u))
    assert ghk_current(P, z, V, ci, co, rt_over_f(T)) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("ratios, expected", [((1, 0.05, 0.45), -69.6), ((1, 0.04, 0.45), -72.4),
                                              ((1, 0.05, 0.0), -67.5), ((1, 0.03, 0.1), -75.5)])
def test_ghk_voltage(ratios, expected):
    # REFERENCES section 2.2 [RUN] values, K/Na/Cl = 140/12/7 in, 4/145/120 out, 37 degC, 0.1 mV
    pk, pna, pcl = ratios
    perms = {"K": pk, "Na": pna}
    if pcl:
        perms["Cl"] = pcl
    v = ghk_voltage(perms, {"Na": 12.0, "K": 140.0, "Cl": 7.0}, {"Na": 145.0, "K": 4.0, "Cl": 120.0}, 37.0)
    assert v == pytest.approx(expected, abs=0.06)
