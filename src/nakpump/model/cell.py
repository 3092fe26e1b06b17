"""The cell: one isopotential membrane, an intracellular volume, an
extracellular space (finite or a fixed bath), ions and mechanisms.

All cell-level quantities are parameters with units and ranges, addressed
as ``cell.NAME`` (e.g. ``cell.K_o``), the mechanisms' as
``MECHANISM.NAME`` (e.g. ``pump.imax``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from ..flux import Transfer
from ..ions import ION, ION_NAMES
from ..mechanisms.base import Mechanism, Param
from ..physics import nernst

_CONC = (1e-6, 2000.0)

CELL_PARAMS: tuple[Param, ...] = (
    Param("area", 616.0, "um2", 1.0, 1e9, "membrane area (a sphere of radius 7 um: 616 um2)"),
    Param("vol_i", 1437.0, "um3", 1.0, 1e12, "intracellular volume (7 um sphere: 1437 um3)"),
    Param("vol_o", 1437.0, "um3", 1e-3, 1e12,
          "extracellular volume that exchanges ions with the cell (default = vol_i: the "
          "cell's share of interstitial space lumped with what glia and diffusion buffer); "
          "ignored with a fixed bath"),
    Param("bath", 0.0, "1", 0.0, 1.0,
          "1: the outside is a fixed bath; 0: a finite, closed extracellular space"),
    Param("Cm", 1.0, "uF/cm2", 1e-3, 100.0, "specific membrane capacitance"),
    Param("T", 37.0, "degC", 0.0, 45.0, "temperature"),
    Param("V0", -70.0, "mV", -200.0, 200.0, "initial membrane potential"),
    Param("Na_i", 12.0, "mM", *_CONC, "intracellular Na+ (initial)"),
    Param("K_i", 140.0, "mM", *_CONC, "intracellular K+ (initial)"),
    Param("Cl_i", 7.0, "mM", *_CONC, "intracellular Cl- (initial)"),
    Param("Na_o", 145.0, "mM", *_CONC, "extracellular Na+ (initial, or bath)"),
    Param("K_o", 4.0, "mM", *_CONC, "extracellular K+ (initial, or bath)"),
    Param("Cl_o", 120.0, "mM", *_CONC, "extracellular Cl- (initial, or bath)"),
    Param("ATP_i", 2.5, "mM", 1e-6, 100.0,
          "intracellular MgATP (initial; fixed without an energy mechanism)"),
    Param("ADP_i", 0.025, "mM", 1e-6, 100.0,
          "intracellular MgADP (initial; fixed without an energy mechanism)"),
    Param("Pi_i", 1.0, "mM", 1e-6, 100.0,
          "intracellular phosphate (initial; fixed without an energy mechanism)"),
    Param("O2_bath", 32.0, "mg/L", 0.0, 100.0,
          "bath oxygen; the extracellular O2 follows it with an oxygen mechanism and equals it "
          "without one (Wei et al. 2014: 32 mg/L normoxia); only O2-dependent mechanisms use it"),
    Param("X_i", 0.0, "mM", 0.0, 2000.0, "neutral impermeant osmolytes inside (initial)"),
    Param("X_o", 0.0, "mM", 0.0, 2000.0, "neutral impermeant osmolytes outside (initial, or bath)"),
    Param("electrode_ion", 1.0, "1", 0.0, float(len(ION_NAMES) - 1),
          "index of the ion carrying electrode current: " +
          ", ".join(f"{i}={n}" for i, n in enumerate(ION_NAMES))),
)
_CELL_PARAM = {p.name: p for p in CELL_PARAMS}


@dataclass(frozen=True)
class Compartment:
    """A volume that holds ions: ``name`` is the suffix of its quantities
    (``Na_i``), ``volume`` the cell parameter of its volume (um3); a
    ``reservoir`` has fixed concentrations (the cell parameters ``Na_o``...)."""

    name: str
    title: str
    volume: str
    reservoir: bool = False


@dataclass(frozen=True)
class Membrane:
    """A membrane between two compartments, with its own potential ``V``
    (result name), area and capacitance (cell parameters)."""

    name: str
    inside: str
    outside: str
    V: str = "V"
    area: str = "area"
    Cm: str = "Cm"
    V0: str = "V0"
    suffix: str = ""
    """Appended to the names of its Nernst potentials (``E_K`` + suffix)."""


class Cell:
    """A single-compartment neuron.

    Parameters
    ----------
    mechanisms : iterable of Mechanism
        Channels, leaks and pumps, each with a unique ``name``.
    **values
        Cell parameters (see ``CELL_PARAMS``): geometry in um2/um3,
        ``Cm`` in uF/cm2, ``T`` in degC, ``V0`` in mV, concentrations in mM
        (``Na_i``, ``K_o``, ...), ``bath`` (0 or 1), ``electrode_ion``.
    """

    def __init__(self, mechanisms: Iterable[Mechanism] = (), name: str = "cell",
                 description: str = "", **values: Any):
        self.name = name
        self.description = description
        self.values = {p.name: p.default for p in CELL_PARAMS}
        self.mechanisms: list[Mechanism] = []
        for mech in mechanisms:
            self.add(mech)
        self.set(**values)

    # ------------------------------------------------------------ building --
    def add(self, mech: Mechanism) -> "Cell":
        """Add a mechanism; its name must be new."""
        if mech.name in ("cell", "electrode", "scenario", "solver"):
            raise ValueError(f"mechanism name {mech.name!r} is reserved; choose another")
        if any(m.name == mech.name for m in self.mechanisms):
            raise ValueError(f"mechanism name {mech.name!r} is already used in this cell")
        self.mechanisms.append(mech)
        return self

    def mechanism(self, name: str) -> Mechanism:
        for m in self.mechanisms:
            if m.name == name:
                return m
        have = ", ".join(m.name for m in self.mechanisms) or "none"
        raise ValueError(f"no mechanism named {name!r} in this cell (have: {have})")

    def has(self, name: str) -> bool:
        return any(m.name == name for m in self.mechanisms)

    def copy(self) -> "Cell":
        new = Cell(name=self.name, description=self.description)
        new.values = dict(self.values)
        new.mechanisms = [m.copy() for m in self.mechanisms]
        return new

    # ---------------------------------------------------------- parameters --
    def set(self, **values: Any) -> "Cell":
        """Set cell parameters in place (``K_o=8``), checking names and ranges."""
        for key, value in values.items():
            if key not in _CELL_PARAM:
                allowed = ", ".join(_CELL_PARAM)
                raise ValueError(f"unknown parameter cell.{key}; cell has: {allowed}")
            if key == "electrode_ion" and isinstance(value, str):
                value = ION_NAMES.index(value) if value in ION_NAMES else value
            x = _CELL_PARAM[key].check(value, "cell")
            if key in ("electrode_ion", "bath") and x != int(x):
                raise ValueError(f"cell.{key} = {x:g} must be a whole number "
                                 f"(allowed {_CELL_PARAM[key].range_text()})")
            self.values[key] = x
        return self

    def __getitem__(self, dotted: str) -> float:
        owner, pname = _split(dotted)
        if owner == "cell":
            if pname not in _CELL_PARAM:
                raise ValueError(f"unknown parameter cell.{pname}; cell has: {', '.join(_CELL_PARAM)}")
            return self.values[pname]
        mech = self.mechanism(owner)
        mech.param(pname)
        return mech.values[pname]

    def update(self, values: Mapping[str, Any]) -> "Cell":
        """Set parameters by dotted name, e.g. ``{"pump.imax": 5, "cell.K_o": 8}``."""
        for dotted, value in values.items():
            owner, pname = _split(dotted)
            if owner == "cell":
                self.set(**{pname: value})
            else:
                self.mechanism(owner).set(**{pname: value})
        return self

    def with_params(self, values: Mapping[str, Any]) -> "Cell":
        """A copy with parameters changed by dotted name."""
        return self.copy().update(values)

    def parameters(self) -> list[tuple[str, Param, float]]:
        """Every settable parameter: (dotted name, Param, current value)."""
        out = [(f"cell.{p.name}", p, self.values[p.name]) for p in CELL_PARAMS]
        for m in self.mechanisms:
            out += [(f"{m.name}.{p.name}", p, m.values[p.name]) for p in m.all_params()]
        return out

    # ------------------------------------------------------------- derived --
    def compartments(self) -> tuple[Compartment, ...]:
        """The compartments: the cytosol ``i`` and the outside ``o`` (a fixed
        bath when ``cell.bath`` is 1)."""
        return (Compartment("i", "inside the cell", "vol_i"),
                Compartment("o", "outside (bath)" if self.bath else "extracellular space", "vol_o",
                            reservoir=self.bath))

    def membranes(self) -> tuple[Membrane, ...]:
        """The membranes: the cell's own, ``neuron``, between ``i`` and ``o``."""
        return (Membrane("neuron", "i", "o"),)

    @property
    def bath(self) -> bool:
        return self.values["bath"] >= 0.5

    @property
    def electrode_ion(self) -> str:
        return ION_NAMES[int(round(self.values["electrode_ion"]))]

    @property
    def w_i(self) -> float:
        """Intracellular volume/area, um."""
        return self.values["vol_i"] / self.values["area"]

    @property
    def w_o(self) -> float:
        """Extracellular volume/area, um."""
        return self.values["vol_o"] / self.values["area"]

    def concentrations(self, side: str) -> dict[str, float]:
        """Initial (or bath) concentrations in mM on side ``"i"`` or ``"o"``."""
        return {ion: self.values[f"{ion}_{side}"] for ion in ION_NAMES}

    def osmolarity(self, side: str) -> float:
        """Initial osmolarity of ``side`` (mM): ions, impermeant anions, neutral osmolytes."""
        c = self.concentrations(side)
        return sum(c.values()) + self.impermeant(side) + self.values[f"X_{side}"]

    def balance_osmolarity(self) -> "Cell":
        """Add neutral osmolytes (``X_i`` or ``X_o``) to the side with the lower
        osmolarity so that water is at equilibrium at the start."""
        gap = self.osmolarity("i") - self.osmolarity("o")
        side = "o" if gap > 0 else "i"
        return self.set(**{f"X_{side}": self.values[f"X_{side}"] + abs(gap)})

    def impermeant(self, side: str) -> float:
        """Impermeant monovalent anions (mM) that make ``side`` electroneutral."""
        c = self.concentrations(side)
        charge = sum(ION[n].valence * c[n] for n in ION_NAMES)
        return charge

    def nernst(self) -> dict[str, float]:
        """Initial Nernst potentials, mV."""
        ci, co = self.concentrations("i"), self.concentrations("o")
        return {n: nernst(ION[n].valence, co[n], ci[n], self.values["T"]) for n in ION_NAMES}

    def validate(self) -> None:
        """Raise a one-line ValueError for a cell that cannot be simulated."""
        for side in ("i", "o"):
            if self.impermeant(side) < 0:
                raise ValueError(
                    f"cell: the {'inside' if side == 'i' else 'outside'} has more anions than "
                    f"cations (Na+K-Cl = {self.impermeant(side):.3g} mM); impermeant cations are "
                    f"not modelled, so lower Cl_{side} or raise Na_{side}/K_{side}")
        if not self.mechanisms:
            raise ValueError("cell: no mechanisms; add at least one channel, leak or pump")
        membranes = {m.name: m for m in self.membranes()}
        reservoirs = {c.name for c in self.compartments() if c.reservoir}
        provider: dict[str, str] = {}
        for mech in self.mechanisms:
            if mech.site == "membrane" and mech.membrane not in membranes:
                raise ValueError(f"{mech.name}: no membrane named {mech.membrane!r} in this cell "
                                 f"(have: {', '.join(membranes)})")
            for q in mech.provides:
                if q.name in provider:
                    raise ValueError(f"cell: {mech.name} and {provider[q.name]} both make {q.name} "
                                     "a state; keep one")
                provider[q.name] = mech.name
            if mech.site == "compartment":
                for fl in mech.flux_list():
                    moved = [q for q in fl.moves if q.rsplit("_", 1)[-1] in reservoirs]
                    if isinstance(fl, Transfer) and moved and fl.per in reservoirs:
                        raise ValueError(f"cell: {mech.name} changes {', '.join(moved)}, but that side "
                                         "is a fixed bath; it needs a finite extracellular space "
                                         "(cell.bath=0)")

    def describe(self) -> str:
        v = self.values
        lines = [f"{self.name}: {self.description}".rstrip(": "),
                 f"  membrane {v['area']:g} um2, Cm {v['Cm']:g} uF/cm2, T {v['T']:g} degC, "
                 f"V0 {v['V0']:g} mV",
                 f"  inside {v['vol_i']:g} um3; outside "
                 + ("fixed bath" if self.bath else f"{v['vol_o']:g} um3 (closed)"),
                 "  ion   in (mM)  out (mM)  E (mV)"]
        E = self.nernst()
        for ion in ION_NAMES:
            lines.append(f"  {ion:<4} {v[ion + '_i']:8.2f} {v[ion + '_o']:9.2f} {E[ion]:8.1f}")
        lines.append(f"  impermeant anions: {self.impermeant('i'):.1f} mM in, "
                     f"{self.impermeant('o'):.1f} mM out")
        lines.append(f"  electrode current carried by {self.electrode_ion}+"
                     if self.electrode_ion != "Cl" else "  electrode current carried by Cl-")
        lines.append("  mechanisms: " + ", ".join(m.name for m in self.mechanisms))
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"Cell({self.name!r}, mechanisms=[{', '.join(m.name for m in self.mechanisms)}])"


def _split(dotted: str) -> tuple[str, str]:
    if not isinstance(dotted, str) or dotted.count(".") != 1:
        raise ValueError(f"parameter name {dotted!r} must look like MECHANISM.NAME "
                         "(e.g. pump.imax, cell.K_o)")
    owner, pname = dotted.split(".")
    return owner, pname


def sphere(radius_um: float) -> dict[str, float]:
    """Area (um2) and volume (um3) of a sphere of the given radius (um)."""
    return {"area": 4.0 * math.pi * radius_um ** 2, "vol_i": 4.0 / 3.0 * math.pi * radius_um ** 3}
