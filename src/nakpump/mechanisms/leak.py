"""Leak channels: one ion each, ohmic with the live Nernst potential or
Goldman-Hodgkin-Katz with a constant permeability; and a leak with a fixed
reversal potential that moves no ions."""

from __future__ import annotations

from ..ions import ION, ion_index
from ..physics import ghk_current
from .base import Mechanism, MembraneFlux, Param, kernel, register


@kernel
def ohmic_current(V, E, g):
    """g (V - E), uA/cm2."""
    return g * (V - E)


@kernel
def ghk_leak_current(V, rtf, c_i, c_o, P, z):
    """The GHK current of one ion (uA/cm2)."""
    return ghk_current(P, z, V, c_i, c_o, rtf)


class OneIon(Mechanism):
    """A membrane mechanism bound to one ion, given when it is built; its
    kernel's ``E``, ``c_i``, ``c_o``, ``c`` and ``z`` mean that ion's."""

    def __init__(self, ion: str = "K", name: str | None = None, **values: float):
        ion_index(ion)
        self.ion = ion
        super().__init__(name or f"{self.default_name}_{ion.lower()}", **values)

    def bind(self):
        ion = self.ion
        return {"E": f"E_{ion}", "c_i": f"{ion}_i", "c_o": f"{ion}_o", "c": f"{ion}_o",
                "z": float(ION[ion].valence)}

    def flux_list(self):
        return (MembraneFlux(ions={self.ion: 1.0 / ION[self.ion].valence}),)


@register
class Leak(OneIon):
    """Ohmic leak of one ion: I = g (V - E_X), E_X the live Nernst potential."""

    family = "leak"
    default_name = "leak"
    title = "ohmic leak channel of one ion"
    params = (Param("g", 0.0, "mS/cm2", 0.0, 1e3, "leak conductance"),)
    source = ("Hodgkin AL, Huxley AF (1952) J Physiol 117:500-544 (ohmic leak); "
              "per-ion leaks as in Kager, Wadman & Somjen (2000) J Neurophysiol 84:495-512")
    kernel = ohmic_current


@register
class GHKLeak(OneIon):
    """Constant-permeability leak of one ion: the GHK current equation."""

    family = "ghk_leak"
    default_name = "ghk"
    title = "GHK (constant-field) leak of one ion"
    params = (Param("P", 0.0, "cm/s", 0.0, 1e-2, "membrane permeability"),)
    source = ("Goldman DE (1943) J Gen Physiol 27:37-60; Hodgkin AL, Katz B (1949) "
              "J Physiol 108:37-77 (constant-field current equation)")
    kernel = ghk_leak_current


@register
class FixedLeak(Mechanism):
    """Leak with a fixed reversal potential that moves no ions: I = g (V - E).

    A nonspecific current (NEURON's NONSPECIFIC_CURRENT): it charges the
    membrane but changes no concentration, as the leak of HH 1952 or a Cl-
    current whose concentrations a paper holds fixed.  The charge it carries
    is kept in the ledger, so the membrane-charge invariant still holds."""

    family = "fixed_leak"
    default_name = "leak_fixed"
    title = "leak with a fixed reversal potential (nonspecific: moves no ions)"
    params = (Param("g", 0.0, "mS/cm2", 0.0, 1e3, "leak conductance"),
              Param("E", -70.0, "mV", -200.0, 200.0, "reversal potential (fixed)"))
    fluxes = (MembraneFlux(nonspecific=1.0),)
    source = "Hodgkin AL, Huxley AF (1952) J Physiol 117:500-544 (leak with a fixed reversal)"
    kernel = ohmic_current
