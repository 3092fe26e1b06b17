"""Fluxes: the ONE place where what a mechanism returns becomes membrane
current, changes of ion amounts, ATP use and ledger increments.

A mechanism's kernel returns one number per declared flux.  What that number
moves is data on the mechanism class:

``MembraneFlux``
    a flux across the mechanism's membrane, in uA/cm2 of charge-equivalent
    flux (F times a molar flux): ``ions`` says how many of each ion leave the
    inside per unit (the Na+/K+ pump: Na 3, K -2; a K+ channel's current:
    K 1; a Cl- current: Cl -1, since an outward Cl- *current* is Cl-
    moving in), ``atp`` how many ATP it hydrolyses per unit, and
    ``nonspecific`` the charge it carries outward without moving ions
    (NEURON's NONSPECIFIC_CURRENT).  ``electrogenic`` names a parameter: the
    fraction of the charge that enters the membrane equation (the rest is
    kept in the ledger, so the charge invariant still holds).
``Transfer``
    any other change: ``moves`` maps quantities named relative to the
    mechanism's place (``K_o``, ``ATP_i``, ``w_i``, ``O2_o``) to their change
    per unit; ``per`` is the unit of the number: a compartment name (mM/ms
    of that compartment, so amounts change by value x its volume/area) or
    ``""`` (the quantity's own unit per ms; for a mechanism on a membrane,
    per unit of that membrane's area: water flow in um/ms).  ``atp`` is ATP hydrolysed per
    unit outside any pool the model tracks (a glial pump's), counted in the
    ledger and in the ATP use that oxygen consumption follows.

The functions below give the coefficients; the backends emit them.  Units:
amounts per membrane area in mM*um, so 1 uA/cm2 of monovalent flux is
``AMOUNT_PER_CHARGE`` mM*um/ms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from .ions import ION

__all__ = ["MembraneFlux", "Transfer", "charge_of", "ion_currents", "ion_amounts"]


@dataclass(frozen=True)
class MembraneFlux:
    """A flux across a membrane, the number in uA/cm2 (see module docstring)."""

    ions: Mapping[str, float] = field(default_factory=dict)
    atp: float = 0.0
    nonspecific: float = 0.0
    electrogenic: str | None = None

    def __post_init__(self):
        for ion in self.ions:
            if ion not in ION:
                raise ValueError(f"flux: unknown ion {ion!r}; allowed: {', '.join(ION)}")


@dataclass(frozen=True)
class Transfer:
    """A change of named quantities (see module docstring)."""

    moves: Mapping[str, float]
    per: str = ""
    atp: float = 0.0


def charge_of(flux: MembraneFlux) -> float:
    """Elementary charges carried outward per unit of ``flux`` (the factor from
    the flux to its net membrane current)."""
    return sum(ION[ion].valence * nu for ion, nu in flux.ions.items()) + flux.nonspecific


def ion_currents(flux: MembraneFlux) -> dict[str, float]:
    """Per-ion membrane current (uA/cm2, outward +) per unit of ``flux``."""
    return {ion: ION[ion].valence * nu for ion, nu in flux.ions.items()}


def ion_amounts(flux: MembraneFlux) -> dict[str, float]:
    """Ions leaving the inside per unit of ``flux``, in units of the flux
    (multiply by ``AMOUNT_PER_CHARGE`` for mM*um/ms)."""
    return dict(flux.ions)
