"""The arrays a compiled driver reads and writes during a run, as named
tuples: the step control, the event to locate, where to record, the protocol
as segments.  Both drivers take them: the cell's LLVM driver
(``nakpump.solve.machine``) and Numba's (``nakpump.solve.rodas``).
"""

from collections import namedtuple

import numpy as np

from ..compile.driver import STATUS_DONE, STATUS_EVENTS_FULL, STATUS_MAX_STEPS, STATUS_STEP_TOO_SMALL

__all__ = ["Controls", "Event", "Plan", "Record", "STATUS_DONE", "STATUS_EVENTS_FULL", "STATUS_MAX_STEPS",
           "STATUS_STEP_TOO_SMALL", "cursor"]


def cursor(h: float = 1e-3, cells: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A run's start, as the drivers take it: ``pos`` = [segment, next output row, events so far,
    status, next concentration change], all 0, and ``tf`` = [t (ms) 0, the step to try ``h`` (ms),
    the growth check's step cap (ms) inf, step at its last eigenvalues (ms) 0, steps since 10];
    with ``cells``, one row of each per cell."""
    rows = 1 if cells is None else cells
    pos = np.zeros((rows, 5), dtype=np.int64)
    tf = np.tile(np.array([0.0, h, np.inf, 0.0, 10.0]), (rows, 1))
    return (pos[0], tf[0]) if cells is None else (pos, tf)

Controls = namedtuple("Controls", ["rtol", "atol", "floors", "n_dyn", "max_steps", "i_still", "exact_jac"])
"""Step control: relative tolerance; absolute tolerance per state; the
smallest magnitude that sizes each state's finite-difference increment;
``n_dyn``: states [0, n_dyn) are dynamic, those after are quadratures
(running totals that nothing depends on, for the ledger: their Jacobian
columns are zero, so they are solved explicitly from the dynamic block and
left out of the error norm, at almost no cost); the most steps per
interval; the state whose stillness allows the growth check (V); 1 to
take the Jacobian from the model's ``jac`` (exact, ``nakpump.compile.jacobian``),
0 for forward differences of ``rhs``."""
Event = namedtuple("Event", ["index", "threshold"])
"""Upward crossings of state ``index`` through ``threshold`` are located on the
dense output (spikes: the membrane potential through 0 mV)."""
Record = namedtuple("Record", ["tout", "yout", "segment", "events", "stats"])
"""Output times, their rows and the segment each row fell in; event times;
int64 counters added to: steps, rejected steps, rhs calls, Jacobians."""
Plan = namedtuple("Plan", ["edges", "P", "chunk", "max_step", "reset_segment", "reset_state",
                           "reset_volume_state", "reset_volume", "reset_value", "exchanged"])
"""A protocol as segments: their edges (ms) and parameter rows; the chunks'
grid (ms: no step crosses a multiple of it); the largest step (ms, 0: none); concentration
changes at segment starts (segment, amount state, the volume state or -1
and the fixed volume per area in um, the new concentration in mM), and where
to write the amount each put in (mM*um)."""

