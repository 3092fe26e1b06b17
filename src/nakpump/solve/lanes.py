"""Running a block of cells through the cell's population driver
(``nakpump.compile.lanes``): each cell's arrays (``rodas.Plan``, state,
cursor, output rows, events) passed by address, one row of addresses and
one row of scalars per cell, and one call for the block.

The call releases the GIL (ctypes), so threads run blocks side by side.
"""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

import numpy as np

from ..compile.driver import REALS, SLOTS
from .run_arrays import cursor

__all__ = ["Block", "run_block"]

_RUN = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64, ctypes.c_void_p)
_INIT = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64)


@dataclass
class Block:
    """B cells' starts and what the driver leaves: ``y`` (B, n) the state
    (start, then end), ``plans`` one ``rodas.Plan`` per cell (they may share
    arrays), ``atol`` (B, the width of ``Controls.atol``: at least n_dyn); after
    ``run_block``: ``pos``, ``tf``,
    ``stats`` (B, 4), ``events`` (B, cap) and the output rows ``yout`` (B,
    n_out, n), ``segment`` (B, n_out)."""

    y: np.ndarray
    plans: list
    atol: np.ndarray
    pos: np.ndarray = None
    tf: np.ndarray = None
    stats: np.ndarray = None
    events: np.ndarray = None
    yout: np.ndarray = None
    segment: np.ndarray = None


def init_rows(system, Y: np.ndarray, P: np.ndarray) -> None:
    """Each row of ``Y`` with its mechanism states at steady state for its V and the parameters of the
    same row of ``P`` (in place)."""
    lanes = system.lanes()
    n, n_p = system.layout.n_states, len(system.layout.params)
    for name, a, width in (("Y", Y, n), ("P", P, n_p)):
        if a.dtype != np.float64 or not a.flags.c_contiguous or a.ndim != 2 or a.shape[1] != width:
            raise ValueError(f"internal: {name} must be float64 rows of {width} in C order (got {a.dtype} "
                             f"{a.shape})")
    if P.shape[0] != Y.shape[0]:
        raise ValueError(f"internal: {Y.shape[0]} rows of Y but {P.shape[0]} of P")
    _INIT(lanes.init_rows)(Y.ctypes.data, P.ctypes.data, Y.shape[0])


def _each(arrays: list[np.ndarray]) -> np.ndarray:
    """The data addresses of ``arrays`` (one per cell), as int64."""
    return np.fromiter((a.ctypes.data for a in arrays), dtype=np.int64, count=len(arrays))


def _rows(a: np.ndarray) -> np.ndarray:
    """The address of each row of ``a`` (first axis)."""
    return a.ctypes.data + np.arange(a.shape[0], dtype=np.int64) * a.strides[0]


def run_block(system, block: Block, ctl, event, tout: np.ndarray, until: float, events_cap: int) -> Block:
    """Run every cell of ``block`` from its start to ``until`` (ms) with the controls ``ctl``
    (``rodas.Controls``; ``block.atol`` per cell), spikes by ``event`` and output rows at ``tout``;
    fills the block's results (``Block``) and returns it."""
    lanes = system.lanes()
    B, n = block.y.shape
    n_out = tout.shape[0]
    block.y = np.ascontiguousarray(block.y, dtype=np.float64)
    block.atol = np.ascontiguousarray(block.atol, dtype=np.float64)
    block.pos, block.tf = cursor(cells=B)
    block.stats = np.zeros((B, 4), dtype=np.int64)
    block.events = np.empty((B, events_cap))
    block.yout = np.empty((B, max(n_out, 1), n))
    block.segment = np.empty((B, max(n_out, 1)), dtype=np.int64)
    plans = block.plans
    exchanged = [np.zeros_like(p.exchanged) for p in plans]
    A = np.empty((B, len(SLOTS)), dtype=np.int64)
    column = {name: k for k, name in enumerate(SLOTS)}

    def shared(name, value):
        A[:, column[name]] = value

    shared("y", _rows(block.y))
    whole = ("reset_segment", "reset_state", "reset_volume_state")
    for name in ("edges", "P", *whole, "reset_volume", "reset_value"):
        arrays = [getattr(p, name) for p in plans]
        dtype = np.int64 if name in whole else np.float64
        for a in arrays:
            if a.dtype != dtype or not a.flags.c_contiguous:
                raise ValueError(f"internal: the plan's {name} must be {np.dtype(dtype).name} in C order")
        shared(name, _each(arrays))
    shared("n_seg", [p.edges.shape[0] - 1 for p in plans])
    shared("n_reset", [p.reset_segment.shape[0] for p in plans])
    shared("exchanged", _each(exchanged))
    shared("atol", _rows(block.atol))
    shared("tout", tout.ctypes.data)
    shared("nout", n_out)
    shared("yout", _rows(block.yout))
    shared("segment_out", _rows(block.segment))
    shared("events", _rows(block.events))
    shared("events_cap", events_cap)
    shared("stats", _rows(block.stats))
    shared("pos", _rows(block.pos))
    shared("tf", _rows(block.tf))
    shared("max_steps", int(ctl.max_steps))
    shared("iv", int(event.index))
    shared("growth_check", 1)
    D = np.empty((B, len(REALS)))
    reals = {"chunk": [p.chunk for p in plans], "max_step": [p.max_step for p in plans], "rtol": ctl.rtol,
             "vthr": event.threshold, "until": until}
    for k, name in enumerate(REALS):
        D[:, k] = reals[name]
    queue = np.zeros(1, dtype=np.int64)
    _RUN(lanes.run_lanes)(A.ctypes.data, D.ctypes.data, B, queue.ctypes.data)
    return block
