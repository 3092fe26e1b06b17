"""Factors shared by mechanism functions."""

from __future__ import annotations

import math

from numba import njit


@njit(cache=True, error_model="numpy")
def rising(x, half, slope):
    """1/(1 + exp((half - x)/slope)); 1 when slope is 0 (no dependence)."""
    if slope <= 0.0:
        return 1.0
    return 1.0 / (1.0 + math.exp((half - x) / slope))
