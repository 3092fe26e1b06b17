"""Leak channels, one ion each: ohmic with the live Nernst potential, or
Goldman-Hodgkin-Katz with a constant permeability."""

from __future__ import annotations

from numba import njit

from ..ions import ion_index
from ..physics import ghk_current
from .base import Mechanism, Param, register


@njit(cache=True, error_model="numpy")
def ohmic_leak_currents(V, T, rtf, ci, co, E, met, s, p, out, ion):
    out[ion] += p[0] * (V - E[ion])


@njit(cache=True, error_model="numpy")
def ghk_leak_currents(V, T, rtf, ci, co, E, met, s, p, out, ion, z):
    out[ion] += ghk_current(p[0], z, V, ci[ion], co[ion], T)


class _OneIon(Mechanism):
    """A mechanism bound to one ion, given when it is built."""

    def __init__(self, ion: str = "K", name: str | None = None, **values: float):
        self.ion = ion
        self._index = ion_index(ion)
        self.ions = (ion,)
        super().__init__(name or f"{self.default_name}_{ion.lower()}", **values)


@register
class Leak(_OneIon):
    """Ohmic leak of one ion: I = g (V - E_X), E_X the live Nernst potential."""

    family = "leak"
    default_name = "leak"
    title = "ohmic leak channel of one ion"
    params = (Param("g", 0.0, "mS/cm2", 0.0, 1e3, "leak conductance"),)
    source = ("Hodgkin AL, Huxley AF (1952) J Physiol 117:500-544 (ohmic leak); "
              "per-ion leaks as in Kager, Wadman & Somjen (2000) J Neurophysiol 84:495-512")
    currents = ohmic_leak_currents

    def config(self):
        return (self._index,)


@register
class GHKLeak(_OneIon):
    """Constant-permeability leak of one ion: the GHK current equation."""

    family = "ghk_leak"
    default_name = "ghk"
    title = "GHK (constant-field) leak of one ion"
    params = (Param("P", 0.0, "cm/s", 0.0, 1e-2, "membrane permeability"),)
    source = ("Goldman DE (1943) J Gen Physiol 27:37-60; Hodgkin AL, Katz B (1949) "
              "J Physiol 108:37-77 (constant-field current equation)")
    currents = ghk_leak_currents

    def config(self):
        from ..ions import VALENCES
        return (self._index, VALENCES[self._index])


@njit(cache=True, error_model="numpy")
def fixed_leak_current(V, T, rtf, ci, co, E, met, s, p, out):
    out[0] += p[0] * (V - p[1])


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
    nonspecific = True
    params = (Param("g", 0.0, "mS/cm2", 0.0, 1e3, "leak conductance"),
              Param("E", -70.0, "mV", -200.0, 200.0, "reversal potential (fixed)"))
    source = "Hodgkin AL, Huxley AF (1952) J Physiol 117:500-544 (leak with a fixed reversal)"
    currents = fixed_leak_current
