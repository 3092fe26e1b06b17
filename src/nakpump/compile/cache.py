"""The disk cache of compiled code: generated modules, Numba's and LLVM's machine code."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["cache_dir"]


def cache_dir() -> Path:
    """Folder of the generated modules (and Numba's cache beside them)."""
    base = os.environ.get("NAKPUMP_CACHE_DIR")
    if base:
        path = Path(base)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
        path = Path(xdg) / "nakpump"
    path = path / "jit"
    path.mkdir(parents=True, exist_ok=True)
    return path
