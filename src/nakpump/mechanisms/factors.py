"""Factors shared by mechanism kernels."""

from __future__ import annotations

import numpy as xp

from ..physics import kernel


@kernel
def rising(x, half, slope):
    """1/(1 + exp((half - x)/slope)); 1 when slope is 0 (no dependence)."""
    on = slope > 0.0
    return xp.where(on, 1.0 / (1.0 + xp.exp((half - x) / xp.where(on, slope, 1.0))), 1.0)


@kernel
def efun(x):
    """x / (exp(x) - 1), finite at x = 0 (the HH 'vtrap' singularity)."""
    small = xp.abs(x) < 1e-6
    return xp.where(small, 1.0 - 0.5 * x, x / xp.expm1(xp.where(small, 1.0, x)))


@kernel
def q10_factor(q10, T, T_ref):
    """Temperature factor q10^((T - T_ref)/10) (T, T_ref in degC)."""
    return q10 ** ((T - T_ref) / 10.0)
