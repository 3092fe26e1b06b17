"""What a mechanism is: declared parameters, states and fluxes, and pure kernels.

A mechanism class holds data (parameters with unit, allowed range and doc;
states; what each of its fluxes moves; a citation) and points at kernels:
plain functions of numbers that *return* their values, take every input by
name, and do their math through the module global ``xp`` (NumPy by default;
each backend binds it: NumPy under Numba and for vectorised runs, later
jax.numpy), with ``xp.where`` instead of a Python branch on a value.  One
definition then runs compiled by Numba inside a cell, vectorised in NumPy over
many parameter sets, and later traced for gradients.

Two contracts, told apart by ``site``:

``site = "membrane"`` (channels, leaks, pumps, cotransporters, water flow)
    The mechanism sits on a membrane (``membrane``, default ``"neuron"``);
    names ending in ``_i`` and ``_o`` mean its membrane's inside and outside
    and ``V`` its membrane potential.
``site = "compartment"`` (clearance to a bath or glia, metabolism, oxygen)
    The mechanism acts within or between compartments; names ending in
    ``_i`` mean its ``compartment`` (default ``"i"``, the neuron's cytosol;
    ``"g"`` puts an energy budget in an astrocyte), ``_o`` the
    extracellular space.

For both:

``kernel(...)`` returns one value per entry of ``fluxes`` (a tuple when there
    are several), each a ``MembraneFlux`` or ``Transfer`` (``nakpump.flux``
    says what they move and in which unit).  The compiler multiplies every
    flux by ``1 - block``.
``rates(...)`` returns d(state)/dt (1/ms, or the state's unit per ms) for
    each state, in ``states`` order; ``steady(...)`` the states' steady
    values at fixed V (the initial state).

Kernel arguments are bound by name: the mechanism's parameters (``gbar``)
and states (``m``), the environment (``V`` mV, ``T`` degC, ``rtf`` = RT/F
mV, ``Na_i`` ... ``Cl_o`` mM, ``E_Na``, ``E_K``, ``E_Cl`` mV, ``ATP_i``,
``ADP_i``, ``Pi_i`` mM, ``O2_o`` and ``O2_bath`` mg/L, ``w_i``, ``w_o``
volume per membrane area in um, ``w_i0`` its initial value, ``osm_i``,
``osm_o`` mM, ``atp_use`` mM/ms: the ATP the tracked fluxes hydrolyse), and
aliases from ``bind()`` (a one-ion leak binds its ``E`` to ``E_K``, or a
name to a number).  ``provides`` lists quantities the mechanism turns into
states (an energy mechanism: ATP_i, ADP_i, Pi_i); without it they are the
cell's fixed parameters.

Adding a mechanism, even of a new family, is writing such a class and its
kernels; the compiler, ledger, result names, CLI ``--set`` names and docs
pick it up.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as xp  # noqa: F401  (kernels' default array namespace; backends rebind it)

from ..flux import MembraneFlux, Transfer
from ..physics import kernel

__all__ = ["BLOCK", "Mechanism", "Param", "Provided", "StateVar", "REGISTRY", "register", "kernel",
           "MembraneFlux", "Transfer", "SITES"]

SITES = ("membrane", "compartment")


@dataclass(frozen=True)
class Param:
    """A parameter: default value, unit, allowed closed range, doc."""

    name: str
    default: float
    unit: str
    lo: float
    hi: float
    doc: str

    def check(self, value: Any, owner: str) -> float:
        """Return ``value`` as float or raise a one-line ValueError naming the field."""
        field = f"{owner}.{self.name}"
        try:
            x = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{field}: {value!r} is not a number "
                             f"(allowed {self.range_text()})") from None
        if not math.isfinite(x):
            raise ValueError(f"{field}: {value!r} is not finite (allowed {self.range_text()})")
        if not (self.lo <= x <= self.hi):
            raise ValueError(f"{field} = {x:g} {self.unit} is out of range "
                             f"(allowed {self.range_text()})")
        return x

    def range_text(self) -> str:
        unit = f" {self.unit}" if self.unit and self.unit != "1" else ""
        return f"{self.lo:g} to {self.hi:g}{unit}"


@dataclass(frozen=True)
class StateVar:
    """A mechanism state (a gate, a kinetic occupancy): name, unit, doc."""

    name: str
    unit: str
    doc: str


@dataclass(frozen=True)
class Provided:
    """A quantity a mechanism makes a state (``ATP_i``, ``w_i``, ``O2_o``).

    kind : "amount" (stored as mM*um, read as a concentration in mM),
        "volume" (volume per membrane area, um) or "level" (stored as is).
    initial : the cell parameter it starts from (``cell.ATP_i``); volumes
        start from the cell's geometry.
    """

    name: str
    unit: str
    kind: str
    doc: str
    initial: str = ""


BLOCK = Param("block", 0.0, "1", 0.0, 1.0,
              "fraction of the mechanism blocked (ouabain on the pump, TTX on Na+, TEA on K+)")
"""Every mechanism has this parameter; the compiler multiplies its fluxes by (1 - block)."""


class Mechanism:
    """Base class of every mechanism; see the module docstring."""

    site: ClassVar[str] = "membrane"
    family: ClassVar[str] = ""
    default_name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    source: ClassVar[str] = ""
    params: ClassVar[tuple[Param, ...]] = ()
    states: ClassVar[tuple[StateVar, ...]] = ()
    fluxes: ClassVar[tuple[MembraneFlux | Transfer, ...]] = ()
    provides: ClassVar[tuple[Provided, ...]] = ()
    tags: ClassVar[frozenset[str]] = frozenset()
    """Labels for analysis (``"na_k_pump"``); the compiler never reads them."""

    kernel: ClassVar[Any] = None
    rates: ClassVar[Any] = None
    steady: ClassVar[Any] = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for attr in ("kernel", "rates", "steady"):  # plain functions, not methods
            func = cls.__dict__.get(attr)
            if func is not None and not isinstance(func, staticmethod):
                setattr(cls, attr, staticmethod(func))

    def __init__(self, name: str | None = None, *, membrane: str = "neuron", compartment: str = "i",
                 **values: float):
        self.name = name or self.default_name
        if not self.name.isidentifier():
            raise ValueError(f"mechanism name {self.name!r} must be a Python identifier")
        self.membrane = membrane
        self.compartment = compartment
        self.values = {p.name: p.default for p in self.all_params()}
        self.set(**values)

    @classmethod
    def all_params(cls) -> tuple[Param, ...]:
        """Declared parameters plus the shared ``block`` fraction."""
        return tuple(cls.params) + (BLOCK,)

    def param(self, pname: str) -> Param:
        for p in self.all_params():
            if p.name == pname:
                return p
        allowed = ", ".join(p.name for p in self.all_params())
        raise ValueError(f"unknown parameter {self.name}.{pname}; {self.name} has: {allowed}")

    def set(self, **values: float) -> "Mechanism":
        """Set parameters in place, checking names and ranges."""
        for key, value in values.items():
            self.values[key] = self.param(key).check(value, self.name)
        return self

    def bind(self) -> dict[str, str | float]:
        """Kernel argument -> environment name (or a number) for arguments that
        are neither parameters nor states nor environment names themselves."""
        return {}

    def flux_list(self) -> tuple[MembraneFlux | Transfer, ...]:
        """What each value the kernel returns moves (instances may specialise)."""
        return tuple(self.fluxes)

    def carried_ions(self) -> tuple[str, ...]:
        """Ions the mechanism moves across its membrane."""
        out: list[str] = []
        for fl in self.flux_list():
            if isinstance(fl, MembraneFlux):
                out += [ion for ion in fl.ions if ion not in out]
        return tuple(out)

    def copy(self) -> "Mechanism":
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.values = dict(self.values)
        return new

    def describe(self) -> str:
        lines = [f"{self.name}: {self.title} [{self.family}]", f"  source: {self.source}"]
        for p in self.all_params():
            lines.append(f"  {self.name}.{p.name} = {self.values[p.name]:g} {p.unit}"
                         f"  ({p.range_text()}) {p.doc}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        vals = ", ".join(f"{k}={v:g}" for k, v in self.values.items())
        return f"{type(self).__name__}({self.name!r}, {vals})"


REGISTRY: dict[str, type[Mechanism]] = {}


def register(cls: type[Mechanism]) -> type[Mechanism]:
    """Class decorator: check the declarations and add the class to the registry
    under its ``family``."""
    if not cls.family:
        raise TypeError(f"{cls.__name__} has no family name")
    if cls.site not in SITES:
        raise TypeError(f"{cls.__name__}: site {cls.site!r} is not one of {', '.join(SITES)}")
    if cls.kernel is None and cls.rates is None:
        raise TypeError(f"{cls.__name__} has neither a kernel nor rates")
    if cls.states and (cls.rates is None or cls.steady is None):
        raise TypeError(f"{cls.__name__} has states but no rates or steady kernel")
    names = [p.name for p in cls.all_params()] + [s.name for s in cls.states]
    if len(set(names)) != len(names):
        raise TypeError(f"{cls.__name__}: a parameter and a state share a name")
    REGISTRY[cls.family] = cls
    return cls
