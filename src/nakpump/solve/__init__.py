"""Solvers: ``simulate`` runs one compiled cell through a protocol with the
compiled adaptive Rodas4 integrator (``rodas``), piecewise between protocol
edges (``segments``); ``steady`` and ``rest`` find and dissect resting
states; ``reference`` is an independent SciPy solver for accuracy checks."""

from .simulate import SolverError, Tolerances, default_dt, run_to, simulate

__all__ = ["SolverError", "Tolerances", "default_dt", "run_to", "simulate"]
