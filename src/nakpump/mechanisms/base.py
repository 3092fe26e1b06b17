"""What a mechanism is: declared parameters and states, and pure functions.

A mechanism class holds data (parameters with unit, allowed range and doc;
states; the ions it carries; a citation) and points at module-level
functions compiled with Numba.  The functions see only numbers and arrays:

Membrane mechanisms (``kind`` "channel" or "transporter"):

``currents(V, T, rtf, ci, co, E, met, s, p, out, *cfg)``
    adds the per-ion membrane currents (uA/cm2, outward positive) to ``out``
    (indexed by ``nakpump.ions``: NA, K, CL) -- channels only.
    A channel with ``nonspecific = True`` instead adds one current that
    moves no ions to ``out[0]`` (NEURON's NONSPECIFIC_CURRENT).
``rate(V, T, rtf, ci, co, E, met, s, p, *cfg) -> J``
    the cycle rate of a transporter expressed as a cycle current, uA/cm2
    (F times the cycle flux in mol/(cm2 s), times 1e6); the class's
    ``stoichiometry`` says how many of each ion leave the cell per cycle,
    ``atp_per_cycle`` how many ATP it hydrolyses.
``derivatives(V, T, rtf, ci, co, E, met, s, p, ds, *cfg)``
    writes d(state)/dt (1/ms) into ``ds``.
``steady(V, T, rtf, ci, co, E, met, p, s, *cfg)``
    writes the steady state of the states at fixed V into ``s``.

Arguments: ``V`` mV, ``T`` degC, ``rtf`` = RT/F in mV, ``ci``/``co`` inside
and outside concentrations (mM), ``E`` Nernst potentials (mV), ``met`` the
intracellular ATP, ADP, Pi (mM), ``s`` the mechanism's states, ``p`` its
parameters in declaration order, ``cfg`` integer constants fixed when the
mechanism is built (e.g. which ion a leak carries).  ``met`` also carries
the oxygen at ``met[O2]`` (outside) and ``met[O2_BATH]`` (the bath), mg/L
(``nakpump.ions``).

Other kinds (no states):

"exchange"  ``exchange(T, co, met, w_i, w_o, p, out, *cfg)`` adds the rate
            (mM/ms of the extracellular space) at which each ion leaves the
            extracellular space for a reservoir (bath diffusion, glial
            uptake, a glial pump); ``w_i``, ``w_o`` the volumes per membrane
            area (um).  A class's ``atp_per_ion`` says how much ATP (outside
            the cell's own pool, e.g. in glia) each ion removed costs.
"metabolism" ``production(T, met, p) -> r``: net ATP production (mM/ms of
            cytosol), ATP + ADP and Pi + ATP conserved.
"water"     ``flow(T, osm_i, osm_o, w_i, w_i0, p) -> dw_i/dt`` (um/ms): water
            entering the cell per membrane area, from the osmolarities (mM)
            and the volume per area now and at the start (um).
"oxygen"    ``oxygen(T, o2, o2_bath, atp_rate, p) -> d(O2)/dt`` (mg/L per
            ms): makes the extracellular O2 a state, consumed in proportion
            to ``atp_rate``, the pumps' ATP use (mM/ms: the cell's per
            cytosol volume plus the glia's per extracellular volume).

The system compiler calls these functions; nothing else does.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar, Mapping


@dataclass(frozen=True)
class Param:
    """A mechanism parameter: default value, unit, allowed closed range, doc."""

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


BLOCK = Param("block", 0.0, "1", 0.0, 1.0,
              "fraction of the mechanism blocked (ouabain on the pump, TTX on Na+, TEA on K+)")
"""Every mechanism has this parameter; the system multiplies its flux by (1 - block)."""


class Mechanism:
    """Base class of membrane mechanisms; see the module docstring."""

    kind: ClassVar[str] = "channel"
    family: ClassVar[str] = ""
    default_name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    params: ClassVar[tuple[Param, ...]] = ()
    states: ClassVar[tuple[StateVar, ...]] = ()
    ions: ClassVar[tuple[str, ...]] = ()
    stoichiometry: ClassVar[Mapping[str, int]] = {}
    atp_per_cycle: ClassVar[int] = 0
    atp_per_ion: ClassVar[float] = 0.0
    nonspecific: ClassVar[bool] = False
    source: ClassVar[str] = ""

    currents: ClassVar[Any] = None
    rate: ClassVar[Any] = None
    exchange: ClassVar[Any] = None
    production: ClassVar[Any] = None
    flow: ClassVar[Any] = None
    oxygen: ClassVar[Any] = None
    derivatives: ClassVar[Any] = None
    steady: ClassVar[Any] = None

    def __init__(self, name: str | None = None, **values: float):
        self.name = name or self.default_name
        if not self.name.isidentifier():
            raise ValueError(f"mechanism name {self.name!r} must be a Python identifier")
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

    def config(self) -> tuple[int, ...]:
        """Integer constants appended to the compiled functions' arguments."""
        return ()

    def carried_ions(self) -> tuple[str, ...]:
        if self.kind == "transporter":
            return tuple(self.stoichiometry)
        if self.kind in ("channel", "exchange") and not self.nonspecific:
            return tuple(self.ions)
        return ()

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
    """Class decorator: add a mechanism to the registry under its ``family``."""
    if not cls.family:
        raise TypeError(f"{cls.__name__} has no family name")
    REGISTRY[cls.family] = cls
    return cls
