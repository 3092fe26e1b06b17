"""Ion species and compartments.

The ions a cell tracks are fixed and ordered (``IONS``); every concentration
array in the compiled system uses this order, so a mechanism addresses Na+ as
index ``NA`` without knowing the rest of the cell.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Ion:
    """An ion species: ``name`` as used in result names (``Na_i``), its
    charge number ``valence`` and a readable ``label``."""

    name: str
    valence: int
    label: str


IONS: tuple[Ion, ...] = (
    Ion("Na", +1, "Na+"),
    Ion("K", +1, "K+"),
    Ion("Cl", -1, "Cl-"),
)
ION = {ion.name: ion for ion in IONS}
ION_NAMES = tuple(ion.name for ion in IONS)
VALENCES = tuple(ion.valence for ion in IONS)
N_IONS = len(IONS)
NA, K, CL = 0, 1, 2
"""Indices of Na+, K+ and Cl- in every per-ion array."""


def ion_index(name: str) -> int:
    """Index of ion ``name`` in the per-ion arrays; a clear error otherwise."""
    try:
        return ION_NAMES.index(name)
    except ValueError:
        raise ValueError(f"unknown ion {name!r}; allowed: {', '.join(ION_NAMES)}") from None


METABOLITES = ("ATP", "ADP", "Pi")
"""Intracellular metabolites of the energy budget (mM), in this order in every
``met`` array a mechanism receives (MgATP, MgADP and total Pi)."""

O2, O2_BATH = 3, 4
"""Indices in every ``met`` array of the extracellular oxygen (a state with
an ``Oxygen`` mechanism, else the bath's) and the bath oxygen, both mg/L."""
N_MET = len(METABOLITES) + 2
"""Length of the ``met`` array: ATP, ADP, Pi (mM), O2 outside, O2 bath (mg/L)."""

COMPARTMENTS = {
    "i": "intracellular (cytosol)",
    "o": "extracellular (a finite space around the cell, or a fixed bath)",
}
