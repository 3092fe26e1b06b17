"""Mechanisms, each a small declarative class with pure kernels (see ``base``)."""

from .base import BLOCK, REGISTRY, Mechanism, Param, Provided, StateVar, register
from .buffer import KBuffer
from .channel_sets import CressmanChannels, HubelDahlemNaK
from .channels import HHK, HHNa, TraubK, TraubNa
from .cortical import MainenNa, MCurrent, TraubKdr
from .energy import Energy
from .exchange import BathDiffusion, GlialPump, GlialUptake
from .glia import Kir41
from .isoforms import Alpha1Pump, Alpha3Pump, AstrocytePump, IsoformPump
from .kager import KagerKA, KagerKdr, KagerKir, KagerNaP, KagerNaT, KagerWater
from .katp import KATP
from .leak import FixedLeak, GHKLeak, Leak
from .metabolism import CreatineKinase, Glycolysis
from .oxygen import Oxygen
from .pumps import PUMP_MODELS, HillPump, LuoRudyPump, PostAlbersPump, Pump, SigmoidPump, pump_model
from .transporters import KCC2, NKCC1
from .water import Osmosis, VolumeRelaxation

__all__ = ["BLOCK", "REGISTRY", "Mechanism", "Param", "Provided", "StateVar", "register",
           "CressmanChannels", "HubelDahlemNaK", "HHK", "HHNa", "TraubK", "TraubNa", "FixedLeak",
           "GHKLeak", "Leak", "Energy", "BathDiffusion", "GlialPump", "GlialUptake", "Oxygen",
           "PUMP_MODELS", "HillPump", "LuoRudyPump", "PostAlbersPump", "Pump", "SigmoidPump",
           "pump_model", "KCC2", "NKCC1", "Osmosis", "VolumeRelaxation", "Kir41", "Alpha1Pump", "Alpha3Pump",
           "AstrocytePump", "IsoformPump", "KATP", "CreatineKinase", "Glycolysis", "MainenNa", "MCurrent",
           "TraubKdr", "KBuffer", "KagerKA", "KagerKdr", "KagerKir", "KagerNaP", "KagerNaT",
           "KagerWater"]
