"""Results of runs and what reads them: the self-contained Result, the
ledger, measurements (analysis) and figures.  Nothing here reads the model
that made a result."""

from .result import Result, column_name, load_result

__all__ = ["Result", "column_name", "load_result"]
