"""Membrane mechanisms: channels, leaks and pumps, each a small declarative class."""

from .base import BLOCK, REGISTRY, Mechanism, Param, StateVar, register
from .channels import HHK, HHNa, TraubK, TraubNa
from .leak import GHKLeak, Leak
from .pumps import HillPump

__all__ = ["BLOCK", "REGISTRY", "Mechanism", "Param", "StateVar", "register",
           "HHK", "HHNa", "TraubK", "TraubNa", "GHKLeak", "Leak", "HillPump"]
