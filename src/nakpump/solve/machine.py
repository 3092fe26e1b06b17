"""Calling the cell's compiled Rodas4 driver (``nakpump.compile.driver``)
from Python: the arrays of a run (``rodas.Plan``, ``Controls``, ``Event``,
``Record``, the cursor) passed by address.

``MachineAdvance(system)(y, plan, ctl, event, rec, pos, tf, until)`` does
what ``rodas.advance`` does with the same arguments (less the model's
functions).  The call releases the GIL (ctypes), so threads can run cells
side by side.
"""

from __future__ import annotations

import ctypes

import numpy as np

__all__ = ["MachineAdvance", "has_machine_driver"]

_ADVANCE = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)


def has_machine_driver(system) -> bool:
    """Whether ``system`` has the compiled driver (cells traced by LLVM do)."""
    return bool(getattr(system.functions, "advance", 0))


def _address(a: np.ndarray, dtype) -> int:
    if a.dtype != dtype or not a.flags.c_contiguous:
        raise TypeError(f"internal: the driver needs {np.dtype(dtype).name} arrays in C order")
    return a.ctypes.data


class MachineAdvance:
    """The compiled driver of ``system`` as a Python callable."""

    def __init__(self, system):
        self.functions = system.functions  # keeps the machine code alive
        self._advance = _ADVANCE(system.functions.advance)
        lay = system.layout
        n, nd = lay.n_states, lay.n_dyn
        self.n_states, self.n_dyn, self.n_params = n, nd, len(lay.params)

    def __call__(self, y, plan, ctl, event, rec, pos, tf, until: float) -> None:
        f8, i8 = np.float64, np.int64
        if y.shape != (self.n_states,) or plan.P.shape[1:] != (self.n_params,):
            raise ValueError("internal: the state or the parameter rows do not fit the cell")
        A = np.array([
            _address(y, f8), _address(plan.edges, f8), _address(plan.P, f8), plan.edges.shape[0] - 1,
            _address(plan.reset_segment, i8), _address(plan.reset_state, i8),
            _address(plan.reset_volume_state, i8), _address(plan.reset_volume, f8),
            _address(plan.reset_value, f8), _address(plan.exchanged, f8), plan.reset_segment.shape[0],
            _address(ctl.atol, f8), _address(rec.tout, f8), rec.tout.shape[0], _address(rec.yout, f8),
            _address(rec.segment, i8), _address(rec.events, f8), rec.events.shape[0], _address(rec.stats, i8),
            _address(pos, i8), _address(tf, f8), int(ctl.max_steps), int(event.index),
            1], dtype=np.int64)
        D = np.array([plan.chunk, plan.max_step, ctl.rtol, event.threshold, until], dtype=np.float64)
        if rec.yout.shape[1:] != (self.n_states,) or ctl.atol.shape[0] < self.n_dyn:
            raise ValueError("internal: the output rows or tolerances do not fit the cell")
        self._advance(A.ctypes.data, D.ctypes.data)
