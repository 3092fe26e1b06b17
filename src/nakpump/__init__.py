"""nakpump: how the Na+/K+ pump builds and keeps a neuron's ion gradients.

Units everywhere: ms, mV, mM, uA/cm2, mS/cm2, uF/cm2, um, degC.
Membrane currents are positive outward; the pump current I_pump > 0 means
3 Na+ out and 2 K+ in per cycle, one ATP used.

>>> import nakpump as nk
>>> cell = nk.default_cell()
>>> res = nk.simulate(cell, nk.Protocol([nk.Pulse(10, 2, 20)]), duration=50)
"""

__version__ = "0.1.0"

from . import analysis
from .cell import Cell, sphere
from .mechanisms import (
    HHK,
    KCC2,
    NKCC1,
    BathDiffusion,
    Energy,
    FixedLeak,
    GHKLeak,
    GlialPump,
    GlialUptake,
    HHNa,
    HillPump,
    Leak,
    LuoRudyPump,
    Mechanism,
    Osmosis,
    Oxygen,
    Param,
    PostAlbersPump,
    SigmoidPump,
    TraubK,
    TraubNa,
    VolumeRelaxation,
)
from .presets.default import default_cell, squid_cell
from .protocol import Block, Protocol, Pulse, PulseTrain, SetConcentration, SetParameter, Step
from .result import Result
from .solve import SolverError, Tolerances, simulate
from .steady import calibrate, equilibrate, scale_pump
from .system import System, compile_cell

__all__ = [
    "__version__", "analysis", "Cell", "sphere", "KCC2", "NKCC1", "BathDiffusion", "Energy", "FixedLeak",
    "GHKLeak", "GlialPump", "GlialUptake", "Oxygen", "VolumeRelaxation", "HHK", "HHNa", "HillPump",
    "Leak", "LuoRudyPump", "Mechanism", "Osmosis", "Param",
    "PostAlbersPump", "SigmoidPump", "TraubK", "TraubNa", "Block", "Protocol", "Pulse", "PulseTrain",
    "SetConcentration", "SetParameter", "Step", "default_cell", "squid_cell", "Result", "SolverError",
    "Tolerances", "simulate", "calibrate", "equilibrate", "scale_pump", "System", "compile_cell",
]
