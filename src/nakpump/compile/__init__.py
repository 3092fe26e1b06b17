"""Compile: a Cell (the spec) becomes a System: a named layout of states,
parameters, observables and ledger items, initial vectors, and the model's
functions emitted by a backend (Numba) from the mechanisms' kernels."""

from .layout import Entry, Layout, LedgerItem, build_layout
from .system import System, cache_dir, compile_cell

__all__ = ["Entry", "Layout", "LedgerItem", "build_layout", "System", "cache_dir", "compile_cell"]
