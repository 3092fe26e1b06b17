"""Mechanisms, each a small declarative class with pure kernels (see ``base``)."""

from .base import BLOCK, REGISTRY, Mechanism, Param, Provided, StateVar, register
from .channel_sets import CressmanChannels, HubelDahlemNaK
from .channels import HHK, HHNa, TraubK, TraubNa
from .energy import Energy
from .exchange import BathDiffusion, GlialPump, GlialUptake
from .leak import FixedLeak, GHKLeak, Leak
from .oxygen import Oxygen
from .pumps import PUMP_MODELS, HillPump, LuoRudyPump, PostAlbersPump, Pump, SigmoidPump, pump_model
from .transporters import KCC2, NKCC1
from .water import Osmosis, VolumeRelaxation

__all__ = ["BLOCK", "REGISTRY", "Mechanism", "Param", "Provided", "StateVar", "register",
           "CressmanChannels", "HubelDahlemNaK", "HHK", "HHNa", "TraubK", "TraubNa", "FixedLeak",
           "GHKLeak", "Leak", "Energy", "BathDiffusion", "GlialPump", "GlialUptake", "Oxygen",
           "PUMP_MODELS", "HillPump", "LuoRudyPump", "PostAlbersPump", "Pump", "SigmoidPump",
           "pump_model", "KCC2", "NKCC1", "Osmosis", "VolumeRelaxation"]
