"""The array namespace kernels do their math through under Numba.

NumPy's elementwise functions work on scalars in compiled code, except the
selections: ``np.where`` of scalars makes a 0-d array there (an allocation
per call), so ``where``, ``maximum`` and ``minimum`` are scalar selects
here.  The Numba backend binds kernels' ``xp`` to this module; the NumPy
backend binds NumPy itself."""

from numba import njit
from numpy import (  # noqa: F401  (re-exported for kernels)
    abs,
    arctan,
    cos,
    cosh,
    exp,
    expm1,
    log,
    log1p,
    log10,
    power,
    sin,
    sinh,
    sqrt,
    tanh,
)


@njit(inline="always", error_model="numpy")
def where(condition, a, b):
    """a where ``condition`` holds, else b (scalars)."""
    return a if condition else b


@njit(inline="always", error_model="numpy")
def maximum(a, b):
    return a if a >= b else b


@njit(inline="always", error_model="numpy")
def minimum(a, b):
    return a if a <= b else b
