"""The model as a specification: the cell (compartments, membranes,
mechanisms, parameters) and the protocol (timed events).  Nothing here
computes a run."""

from .cell import CELL_PARAMS, Cell, Compartment, Membrane, sphere
from .protocol import (
    Block,
    Protocol,
    Pulse,
    PulseTrain,
    SetConcentration,
    SetParameter,
    Step,
)

__all__ = ["CELL_PARAMS", "Cell", "Compartment", "Membrane", "sphere", "Block", "Protocol", "Pulse",
           "PulseTrain", "SetConcentration", "SetParameter", "Step"]
