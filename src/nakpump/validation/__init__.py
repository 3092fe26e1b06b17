"""The validation report: each preset's numbers next to its paper's and to
NEURON's, with the tolerance and pass/fail.

``nakpump validate [--out docs/validation.md]`` regenerates it and exits 0
only when every comparison passes.  NEURON (``pip install neuron``) is
optional: without it the NEURON rows say "skipped" and do not count.

Evidence tags in the "source" column follow REFERENCES.md: [PAPER] a number
printed in the cited paper as we read it; [MEM] a widely quoted value we have
not re-read in the source; [CODE] from the authors' code; [NEURON] computed
live by NEURON; [INDEPENDENT] computed live by an independent
implementation of the published equations (SciPy, ``crosscheck/``).

The NEURON models and the independent implementations live in the source
tree's ``crosscheck/`` folder (found from the working directory or beside
the package); without it, or without NEURON, their rows say "skipped".
Where a preset departs from its paper by design (nakpump's cells conserve
every ion and charge), the report's last section puts the paper's form,
run by an independent implementation, next to the preset, with the reason.
"""

from __future__ import annotations

from .core import Check, Difference, crosscheck_module, report
from .presets import neuron_hh

__all__ = ["Check", "Difference", "all_checks", "crosscheck_module", "differences", "neuron_hh", "report"]

GROUPS = ("presets:differences", "presets:checks", "tissue", "presets_extra")
"""The groups, longest first: a module of this package with ``checks()`` and
``differences()``, or ``module:checks`` / ``module:differences`` for one half."""


def _run(group: str):
    import importlib

    name, _, part = group.partition(":")
    module = importlib.import_module(f"nakpump.validation.{name}")
    checks = module.checks() if part in ("", "checks") else []
    return checks, (module.differences() if part in ("", "differences") else [])


def run_all(workers: int | None = None) -> tuple[list[Check], list[Difference]]:
    """Every group's checks and differences, the groups in parallel processes
    (``workers``, default one per CPU; 1 runs them here)."""
    import os

    workers = workers or min(len(GROUPS), os.cpu_count() or 1)  # groups go to free workers, longest first
    if workers <= 1:
        parts = [_run(g) for g in GROUPS]
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            parts = list(pool.map(_run, GROUPS))
    checks = [c for part in parts for c in part[0]]
    diffs = [d for part in parts for d in part[1]]
    return checks, diffs


def all_checks() -> list[Check]:
    """Every check, run here."""
    return [c for g in GROUPS for c in _run(g)[0]]


def differences() -> list[Difference]:
    """Every difference, run here."""
    return [d for g in GROUPS for d in _run(g)[1]]
