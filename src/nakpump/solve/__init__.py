"""Solvers.  ``simulate`` runs one cell through a protocol with the compiled
adaptive Rodas4 integrator (``rodas``), piecewise between protocol edges."""

from .simulate import SolverError, Tolerances, default_dt, run_to, simulate

__all__ = ["SolverError", "Tolerances", "default_dt", "run_to", "simulate"]
