"""Calling the cell's compiled Rodas4 driver (``nakpump.compile.driver``)
from Python: the arrays of a run (``rodas.Plan``, ``Controls``, ``Event``,
``Record``, the cursor) passed by address, and the growth-rate callback.

``MachineAdvance(system)(y, plan, ctl, event, rec, pos, tf, until)`` does
what ``rodas.advance`` does with the same arguments (less the model's
functions).  The call releases the GIL (ctypes), so threads can run cells
side by side; the callback, a few times per thousand steps, takes it back.
"""

from __future__ import annotations

import ctypes

import numpy as np

__all__ = ["MachineAdvance", "has_machine_driver"]

_ADVANCE = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)
_EIG = ctypes.CFUNCTYPE(ctypes.c_double, ctypes.c_size_t)


_LAPACK: list = []


def lapacke_dgeev() -> int:
    """The address of ``LAPACKE_dgeev`` with 64-bit integers in the OpenBLAS that numpy's wheels
    bundle (``scipy_LAPACKE_dgeev64_``), or 0 where numpy was built otherwise (the driver then
    calls back into Python for the rare eigenvalues it needs)."""
    if not _LAPACK:
        import glob
        import os

        address = 0
        folder = os.path.join(os.path.dirname(np.__path__[0]), "numpy.libs")
        for path in sorted(glob.glob(os.path.join(folder, "libscipy_openblas64_*"))):
            try:
                address = ctypes.cast(ctypes.CDLL(path).scipy_LAPACKE_dgeev64_, ctypes.c_void_p).value or 0
                break
            except (OSError, AttributeError):
                continue
        _LAPACK.append(address)
    return _LAPACK[0]


def has_machine_driver(system) -> bool:
    """Whether ``system`` has the compiled driver (cells traced by LLVM do)."""
    return bool(getattr(system.functions, "advance", 0))


def growth_rate(J: np.ndarray) -> float:
    """Largest real part (1/ms) of the eigenvalues of the square ``J``, 0
    when none stands out of the round-off of the zero modes (conservation
    laws make exact zero eigenvalues)."""
    if not np.all(np.isfinite(J)):
        return 0.0
    ev = np.linalg.eigvals(J)
    rate = float(np.max(ev.real))
    return rate if rate > 1e-6 * float(np.max(np.abs(ev))) else 0.0


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
        self._eig = _EIG(self._growth)
        self._stopped: list = []
        self.lapack = lapacke_dgeev()

    def _growth(self, address: int) -> float:
        try:
            J = np.ctypeslib.as_array((ctypes.c_double * (self.n_states * self.n_dyn)).from_address(address))
            return growth_rate(J.reshape(self.n_states, self.n_dyn)[:self.n_dyn].copy())
        except KeyboardInterrupt as stop:  # raised when the driver returns (it cannot cross compiled code)
            self._stopped.append(stop)
            return 0.0
        except Exception:  # noqa: BLE001  (an exception cannot cross into compiled code; no check is no cap)
            return 0.0

    @property
    def eig_address(self) -> int:
        """The address of the growth-rate callback ``double eig(i64 J)`` (for the driver's slot ``eig``)."""
        return ctypes.cast(self._eig, ctypes.c_void_p).value

    def begin(self) -> None:
        """Before a call into compiled code that may call back: forget earlier interruptions."""
        self._stopped = []

    def end(self) -> None:
        """After the call: raise a Ctrl-C that arrived in a callback."""
        if self._stopped:
            raise self._stopped[0]

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
            self.eig_address, self.lapack], dtype=np.int64)
        D = np.array([plan.chunk, plan.max_step, ctl.rtol, event.threshold, until], dtype=np.float64)
        if rec.yout.shape[1:] != (self.n_states,) or ctl.atol.shape[0] < self.n_dyn:
            raise ValueError("internal: the output rows or tolerances do not fit the cell")
        self.begin()
        self._advance(A.ctypes.data, D.ctypes.data)
        self.end()
