"""Numba's types for the model's functions: the signatures of the generated
module (``numba_backend``) and of functions on data addresses, and a compiled
function's address as a Numba first-class function.  Imported only where
Numba compiles or runs something (the fallback for cells that cannot be
traced, finite-difference Jacobians): the LLVM path does without Numba.
"""

from __future__ import annotations

from numba import types

__all__ = ["ADDRESS_SIGNATURE", "FUNCTION_SIGNATURE", "INIT_SIGNATURE", "OBSERVE_SIGNATURE", "RHS_SIGNATURE",
           "numba_function"]

FUNCTION_SIGNATURE = types.void(types.uintp, types.uintp, types.uintp)
"""f(y, p, out) as compiled code calls the model's functions: the data
addresses of float64 arrays."""

_VEC = types.float64[::1]
RHS_SIGNATURE = types.void(_VEC, _VEC, _VEC)
"""rhs(y, p, dy) and observe(y, p, out)."""
OBSERVE_SIGNATURE = RHS_SIGNATURE
INIT_SIGNATURE = types.void(_VEC, _VEC)
"""init(y, p): y's mechanism states set in place."""
_PTR = types.CPointer(types.float64)
ADDRESS_SIGNATURE = types.void(_PTR, _PTR, _PTR)
"""The three functions on data pointers (``rhs_address``, ``observe_address``,
``init_address(y, p, y)``): what the solver calls where the model could not
be traced into LLVM (``nakpump.compile.machine``)."""



class _Address(types.WrapperAddressProtocol):
    def __init__(self, function):
        self.function = function  # keeps its machine code alive

    def __wrapper_address__(self) -> int:
        return self.function.address

    def signature(self):
        return FUNCTION_SIGNATURE


_WRAPPED: dict = {}


def numba_function(function):
    """``function`` (an ``llvm_backend.AddressFunction``) as a first-class
    function that Numba-compiled code calls (``FUNCTION_SIGNATURE``)."""
    key = id(function)
    if key not in _WRAPPED or _WRAPPED[key].function is not function:
        _WRAPPED[key] = _Address(function)
    return _WRAPPED[key]
