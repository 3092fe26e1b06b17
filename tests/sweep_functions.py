"""Functions for the sweep tests: importable by Dask's worker processes
(``tests.sweep_functions``), counting their calls in files under the folder
``$NAKPUMP_SWEEP_TEST_DIR`` so that a test sees which points ran, in which
process, and how often."""

import os
from pathlib import Path


def _mark(tag: str) -> None:
    folder = os.environ.get("NAKPUMP_SWEEP_TEST_DIR")
    if folder:
        with open(Path(folder) / f"{tag}.{os.getpid()}.{os.urandom(4).hex()}", "w"):
            pass


def calls(folder, x: float, y: float) -> int:
    """How many times the point (x, y) ran."""
    return len(list(Path(folder).glob(f"point_{x:g}_{y:g}.*")))


def surface(a_b: float, c_d: float) -> dict:
    """A smooth function of two swept parameters ``a.b`` and ``c.d``; ``c.d < 0`` is an error."""
    _mark(f"point_{a_b:g}_{c_d:g}")
    if c_d < 0:
        raise ValueError(f"c.d = {c_d:g} is out of range (allowed at least 0)")
    return {"sum": a_b + c_d, "product": a_b * c_d, "positive": a_b > 0}


def stops_at(a_b: float, c_d: float) -> dict:
    """``surface``, but Ctrl-C at the point a.b = 3 (once: the file ``stop`` marks it)."""
    folder = Path(os.environ["NAKPUMP_SWEEP_TEST_DIR"])
    if a_b == 3 and not (folder / "stopped").exists():
        (folder / "stopped").write_text("")
        raise KeyboardInterrupt
    return surface(a_b, c_d)


def dies_at(a_b: float, c_d: float) -> dict:
    """``surface``, but the worker process dies at the point a.b = 3 (once)."""
    folder = Path(os.environ["NAKPUMP_SWEEP_TEST_DIR"])
    if a_b == 3 and not (folder / "died").exists():
        (folder / "died").write_text("")
        os._exit(1)
    return surface(a_b, c_d)
