"""The cell: compartments (the cytosol ``i``, the extracellular space ``o``,
which may be a fixed bath, and any others such as an astrocyte ``g``),
membranes between them (the neuron's own, ``neuron``, and any others, each
with its own potential), ions and mechanisms.

All cell-level quantities are parameters with units and ranges, addressed
as ``cell.NAME`` (e.g. ``cell.K_o``, ``cell.K_g``, ``cell.area_g``), the
mechanisms' as ``MECHANISM.NAME`` (e.g. ``pump.imax``).
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

ELECTRODE_CARRIERS = (*ION_NAMES, "none")
"""What ``cell.electrode_ion`` may name, by index."""

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
    Param("PCr_i", 2.16, "mM", 1e-6, 100.0,
          "intracellular phosphocreatine (initial; used with creatine kinase; human brain 0.8 x ATP)"),
    Param("Cr_i", 7.44, "mM", 1e-6, 100.0,
          "intracellular free creatine (initial; used with creatine kinase; total 9.6 mM in human brain)"),
    Param("O2_bath", 32.0, "mg/L", 0.0, 100.0,
          "bath oxygen; the extracellular O2 follows it with an oxygen mechanism and equals it "
          "without one (Wei et al. 2014: 32 mg/L normoxia); only O2-dependent mechanisms use it"),
    Param("X_i", 0.0, "mM", 0.0, 2000.0, "neutral impermeant osmolytes inside (initial)"),
    Param("X_o", 0.0, "mM", 0.0, 2000.0, "neutral impermeant osmolytes outside (initial, or bath)"),
    Param("electrode_ion", 1.0, "1", 0.0, float(len(ION_NAMES)),
          "index of the ion carrying electrode current: " +
          ", ".join(f"{i}={n}" for i, n in enumerate(ION_NAMES)) +
          f", {len(ION_NAMES)}=none (its charge moves no ion and is kept in the ledger as a "
          "nonspecific current, like NEURON's IClamp)"),
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
    cytosol: bool = False
    """A cell's inside: it holds ATP, ADP and Pi (``cell.ATP_<name>``...)."""


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
    """A neuron: its cytosol ``i``, an extracellular space ``o`` (or a bath)
    and its membrane ``neuron``; more compartments and membranes (an
    astrocyte) with ``add_compartment`` and ``add_membrane``.

    Parameters
    ----------
    mechanisms : iterable of Mechanism
        Channels, leaks, pumps, clearance..., each with a unique ``name``.
    **values
        Cell parameters (see ``CELL_PARAMS``): geometry in um2/um3,
        ``Cm`` in uF/cm2, ``T`` in degC, ``V0`` in mV, concentrations in mM
        (``Na_i``, ``K_o``, ...), ``bath`` (0 or 1), ``electrode_ion``.
    """

    def __init__(self, mechanisms: Iterable[Mechanism] = (), name: str = "cell",
                 description: str = "", test_pulse: tuple[float, float] = (40.0, 1.0), **values: Any):
        self.name = name
        self.description = description
        self.test_pulse = (float(test_pulse[0]), float(test_pulse[1]))
        """A current pulse that reliably evokes one spike: (amplitude uA/cm2, width ms)."""
        self.params: dict[str, Param] = dict(_CELL_PARAM)
        self.values = {p.name: p.default for p in CELL_PARAMS}
        self.extra_compartments: list[Compartment] = []
        self.extra_membranes: list[Membrane] = []
        self.mechanisms: list[Mechanism] = []
        for mech in mechanisms:
            self.add(mech)
        self.set(**values)

    # ------------------------------------------------------------ building --
    def add(self, mech: Mechanism) -> "Cell":
        """Add a mechanism; its name must be new."""
        if mech.name in ("cell", "electrode", "scenario", "solver", "geometry", "solute", "membrane"):
            raise ValueError(f"mechanism name {mech.name!r} is reserved; choose another")
        if any(m.name == mech.name for m in self.mechanisms):
            raise ValueError(f"mechanism name {mech.name!r} is already used in this cell")
        self.mechanisms.append(mech)
        return self

    def add_compartment(self, name: str, title: str, volume: float, **concentrations: float) -> "Cell":
        """Add a compartment ``name`` (the suffix of its quantities, e.g. ``g``
        for ``Na_g``) of ``volume`` um3 holding ``Na``, ``K``, ``Cl`` (mM) and
        neutral osmolytes ``X`` (mM).  Its parameters are ``cell.vol_<name>``,
        ``cell.Na_<name>`` ... ``cell.X_<name>``."""
        taken = {c.name for c in self.compartments()}
        if not (isinstance(name, str) and name.isidentifier()) or name in taken:
            raise ValueError(f"compartment name {name!r} must be a new identifier")
        comp = Compartment(name, title, f"vol_{name}", cytosol=True)
        new = [Param(f"vol_{name}", volume, "um3", 1e-3, 1e12, f"volume of {title}")]
        new += [Param(f"{ion}_{name}", concentrations.get(ion, 0.0), "mM", *_CONC,
                      f"{ion} in {title} (initial)") for ion in ION_NAMES]
        new.append(Param(f"X_{name}", concentrations.get("X", 0.0), "mM", 0.0, 2000.0,
                         f"neutral impermeant osmolytes in {title} (initial)"))
        for met in ("ATP", "ADP", "Pi", "PCr", "Cr"):
            base = _CELL_PARAM[f"{met}_i"]
            new.append(Param(f"{met}_{name}", base.default, "mM", base.lo, base.hi,
                             base.doc.replace("intracellular", title)))
        unknown = set(concentrations) - set(ION_NAMES) - {"X"}
        if unknown:
            raise ValueError(f"add_compartment {name}: unknown concentrations {', '.join(sorted(unknown))}; "
                             f"allowed: {', '.join(ION_NAMES)}, X")
        for p in new:
            self.params[p.name] = p
            self.values[p.name] = p.check(p.default, "cell")
        self.extra_compartments.append(comp)
        return self

    def add_membrane(self, name: str, inside: str, outside: str, area: float, Cm: float = 1.0,
                     V0: float = -70.0, suffix: str | None = None) -> "Cell":
        """Add a membrane ``name`` between compartments ``inside`` and
        ``outside`` with ``area`` um2, capacitance ``Cm`` uF/cm2 and initial
        potential ``V0`` mV.  Its potential is the state ``V<suffix>`` and its
        parameters ``cell.area<suffix>``, ``cell.Cm<suffix>``, ``cell.V0<suffix>``
        (``suffix`` default ``_<inside>``)."""
        comps = {c.name for c in self.compartments()}
        if inside not in comps or outside not in comps or inside == outside:
            raise ValueError(f"add_membrane {name}: inside {inside!r} and outside {outside!r} must be two "
                             f"compartments of this cell (have: {', '.join(sorted(comps))})")
        if name in {m.name for m in self.membranes()}:
            raise ValueError(f"membrane name {name!r} is already used in this cell")
        sfx = f"_{inside}" if suffix is None else suffix
        mem = Membrane(name, inside, outside, V=f"V{sfx}", area=f"area{sfx}", Cm=f"Cm{sfx}", V0=f"V0{sfx}",
                       suffix=sfx)
        new = (Param(mem.area, area, "um2", 1e-3, 1e12, f"area of the {name} membrane"),
               Param(mem.Cm, Cm, "uF/cm2", 1e-3, 100.0, f"specific capacitance of the {name} membrane"),
               Param(mem.V0, V0, "mV", -200.0, 200.0, f"initial potential of the {name} membrane"))
        for p in new:
            self.params[p.name] = p
            self.values[p.name] = p.check(p.default, "cell")
        self.extra_membranes.append(mem)
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
        new = Cell(name=self.name, description=self.description, test_pulse=self.test_pulse)
        new.params = dict(self.params)
        new.values = dict(self.values)
        new.extra_compartments = list(self.extra_compartments)
        new.extra_membranes = list(self.extra_membranes)
        new.mechanisms = [m.copy() for m in self.mechanisms]
        return new

    # ---------------------------------------------------------- parameters --
    def set(self, **values: Any) -> "Cell":
        """Set cell parameters in place (``K_o=8``), checking names and ranges."""
        for key, value in values.items():
            if key not in self.params:
                allowed = ", ".join(self.params)
                raise ValueError(f"unknown parameter cell.{key}; cell has: {allowed}")
            if key == "electrode_ion" and isinstance(value, str):
                names = ELECTRODE_CARRIERS
                if value not in names:
                    raise ValueError(f"cell.electrode_ion = {value!r} is not allowed (allowed: "
                                     f"{', '.join(names)}, or their index 0-{len(names) - 1})")
                value = names.index(value)
            x = self.params[key].check(value, "cell")
            if key in ("electrode_ion", "bath") and x != int(x):
                raise ValueError(f"cell.{key} = {x:g} must be a whole number "
                                 f"(allowed {self.params[key].range_text()})")
            self.values[key] = x
        return self

    def __getitem__(self, dotted: str) -> float:
        owner, pname = _split(dotted)
        if owner == "cell":
            if pname not in self.params:
                raise ValueError(f"unknown parameter cell.{pname}; cell has: {', '.join(self.params)}")
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
        out = [(f"cell.{p.name}", p, self.values[p.name]) for p in self.params.values()]
        for m in self.mechanisms:
            out += [(f"{m.name}.{p.name}", p, m.values[p.name]) for p in m.all_params()]
        return out

    # ------------------------------------------------------------- derived --
    def compartments(self) -> tuple[Compartment, ...]:
        """The compartments: the cytosol ``i``, the outside ``o`` (a fixed bath
        when ``cell.bath`` is 1), then any added ones."""
        return (Compartment("i", "inside the cell", "vol_i", cytosol=True),
                Compartment("o", "outside (bath)" if self.bath else "extracellular space", "vol_o",
                            reservoir=self.bath), *self.extra_compartments)

    def membranes(self) -> tuple[Membrane, ...]:
        """The membranes: the cell's own, ``neuron``, between ``i`` and ``o``,
        then any added ones."""
        return (Membrane("neuron", "i", "o"), *self.extra_membranes)

    def compartment(self, name: str) -> Compartment:
        for c in self.compartments():
            if c.name == name:
                return c
        raise ValueError(f"no compartment {name!r} in this cell")

    @property
    def bath(self) -> bool:
        return self.values["bath"] >= 0.5

    @property
    def electrode_ion(self) -> str:
        """The ion carrying the electrode's current, or "none" (a nonspecific current)."""
        return ELECTRODE_CARRIERS[int(round(self.values["electrode_ion"]))]

    @property
    def w_i(self) -> float:
        """Intracellular volume/area, um."""
        return self.values["vol_i"] / self.values["area"]

    @property
    def w_o(self) -> float:
        """Extracellular volume/area, um."""
        return self.values["vol_o"] / self.values["area"]

    def w(self, compartment: str) -> float:
        """Volume per membrane area (um) of ``compartment`` at the start."""
        return self.values[self.compartment(compartment).volume] / self.values["area"]

    def concentrations(self, side: str) -> dict[str, float]:
        """Initial (or bath) concentrations in mM in compartment ``side`` (``"i"``, ``"o"``, ...)."""
        return {ion: self.values[f"{ion}_{side}"] for ion in ION_NAMES}

    def osmolarity(self, side: str) -> float:
        """Initial osmolarity of ``side`` (mM): ions, impermeant anions, neutral osmolytes."""
        c = self.concentrations(side)
        return sum(c.values()) + self.impermeant(side) + self.values[f"X_{side}"]

    def balance_osmolarity(self) -> "Cell":
        """Add neutral osmolytes (``X_<c>``) to every compartment but the one
        with the highest osmolarity, so that water is at equilibrium at the start."""
        names = [c.name for c in self.compartments()]
        top = max(self.osmolarity(c) for c in names)
        for c in names:
            gap = top - self.osmolarity(c)
            if gap > 0:
                self.set(**{f"X_{c}": self.values[f"X_{c}"] + gap})
        return self

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
        for comp in self.compartments():
            side = comp.name
            if self.impermeant(side) < 0:
                raise ValueError(
                    f"cell: {comp.title} has more anions than "
                    f"cations (Na+K-Cl = {self.impermeant(side):.3g} mM); impermeant cations are "
                    f"not modelled, so lower Cl_{side} or raise Na_{side}/K_{side}")
        if not self.mechanisms:
            raise ValueError("cell: no mechanisms; add at least one channel, leak or pump")
        membranes = {m.name: m for m in self.membranes()}
        reservoirs = {c.name for c in self.compartments() if c.reservoir}
        for mech in self.mechanisms:
            if mech.site == "membrane" and mech.membrane not in membranes:
                raise ValueError(f"{mech.name}: no membrane named {mech.membrane!r} in this cell "
                                 f"(have: {', '.join(membranes)})")
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
                 + ("fixed bath" if self.bath else f"{v['vol_o']:g} um3 " + (
                     "(exchanging ions with a bath)"
                     if any(m.family == "bath_diffusion" for m in self.mechanisms) else "(closed)")),
                 "  ion   in (mM)  out (mM)  E (mV)"]
        E = self.nernst()
        for ion in ION_NAMES:
            lines.append(f"  {ion:<4} {v[ion + '_i']:8.2f} {v[ion + '_o']:9.2f} {E[ion]:8.1f}")
        lines.append(f"  impermeant anions: {self.impermeant('i'):.1f} mM in, "
                     f"{self.impermeant('o'):.1f} mM out")
        carrier = self.electrode_ion
        lines.append("  electrode current carried by no ion (nonspecific)" if carrier == "none" else
                     f"  electrode current carried by {carrier}{'-' if carrier == 'Cl' else '+'}")
        for comp in self.extra_compartments:
            c = self.concentrations(comp.name)
            lines.append(f"  {comp.title} ({comp.name}): {v[comp.volume]:g} um3; "
                         + ", ".join(f"{ion} {c[ion]:.2f}" for ion in ION_NAMES) + " mM")
        for mem in self.extra_membranes:
            lines.append(f"  membrane {mem.name} ({mem.inside} | {mem.outside}): {v[mem.area]:g} um2, "
                         f"Cm {v[mem.Cm]:g} uF/cm2, V0 {v[mem.V0]:g} mV")
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
