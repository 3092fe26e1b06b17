"""The exceptions a run can end with, kept apart from the modules that
raise them so that the command line can catch them without importing the
solver (importing nakpump.errors imports nothing else)."""

from __future__ import annotations

__all__ = ["SolverError", "RunInterrupted"]


class SolverError(RuntimeError):
    """The solver could not continue; ``partial`` holds the result so far (or None)."""

    def __init__(self, message: str, partial=None):
        super().__init__(message)
        self.partial = partial


class RunInterrupted(Exception):
    """A run was stopped (Ctrl-C); ``result`` holds what was computed."""

    def __init__(self, result):
        super().__init__(f"interrupted at t = {result.meta['t_reached_ms']:g} ms")
        self.result = result
