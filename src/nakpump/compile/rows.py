"""Compiled helpers that apply a model's functions to many rows at once.
They take the model's function as a first-class argument, so they are
compiled once (and cached on disk) for every model."""

from __future__ import annotations

from numba import njit, types

from .numba_types import FUNCTION_SIGNATURE

_OBSERVE = types.FunctionType(FUNCTION_SIGNATURE)


@njit(types.void(_OBSERVE, types.float64[:, ::1], types.int64[::1], types.float64[:, ::1],
                 types.float64[:, ::1]), cache=True, error_model="numpy")
def observe_rows(observe, Y, seg, P, out):
    """out[r] = observe(Y[r], P[seg[r]]) for every row r."""
    for r in range(Y.shape[0]):
        observe(Y[r].ctypes.data, P[seg[r]].ctypes.data, out[r].ctypes.data)
