"""Cation-chloride cotransporters, electroneutral, in the logarithmic
driving-force form of Wei, Ullah & Schiff 2014 and Saetra et al. 2020: the
flux is proportional to the free energy the ions release, so it stops
exactly at thermodynamic equilibrium.

Rates are cycle currents J (uA/cm2 = F x flux): Wei's U in mM/s per cell
volume converts as U x (vol/area) x F x 1e-4; for the 7 um sphere of Wei
2014 (vol/area 2.33 um) U_KCC2 = 0.3 mM/s is 6.75 uA/cm2 and
U_NKCC1 = 0.1 mM/s is 2.25 uA/cm2 (Saetra 2020: 7.0e-7 and 2.33e-7 mol/(m2 s)).
"""

from __future__ import annotations

import numpy as xp

from .base import Mechanism, MembraneFlux, Param, kernel, register

_SOURCE = ("Wei Y, Ullah G, Schiff SJ (2014) J Neurosci 34:11733-11743; Saetra MJ, Einevoll GT, "
           "Halnes G (2020) PLoS Comput Biol 16:e1007661 (REFERENCES 1b.3, 1b.5)")


@kernel
def kcc2_rate(K_i, K_o, Cl_i, Cl_o, U):
    return U * xp.log(K_i * Cl_i / (K_o * Cl_o))


@kernel
def nkcc1_rate(Na_i, Na_o, K_i, K_o, Cl_i, Cl_o, U, k_half):
    gate = 1.0 / (1.0 + xp.exp(k_half - K_o))
    drive = xp.log(K_i * Cl_i / (K_o * Cl_o)) + xp.log(Na_i * Cl_i / (Na_o * Cl_o))
    return U * gate * drive


@register
class KCC2(Mechanism):
    """K+-Cl- cotransporter: J = U ln(K_i Cl_i / (K_o Cl_o)); 1 K+ and 1 Cl- out per cycle."""

    family = "kcc2"
    default_name = "kcc2"
    title = "K+-Cl- cotransporter KCC2 (electroneutral)"
    params = (Param("U", 6.75, "uA/cm2", 0.0, 1e4,
                    "rate per unit log driving force (F x flux; Wei 2014: 0.3 mM/s = 6.75)"),)
    fluxes = (MembraneFlux(ions={"K": 1.0, "Cl": 1.0}),)
    tags = frozenset({"cotransporter"})
    source = _SOURCE
    kernel = kcc2_rate


@register
class NKCC1(Mechanism):
    """Na+-K+-2Cl- cotransporter: J = U / (1 + exp(k_half - K_o)) [ln(K_i Cl_i/(K_o Cl_o))
    + ln(Na_i Cl_i/(Na_o Cl_o))]; 1 Na+, 1 K+ and 2 Cl- out per cycle (inward when J < 0)."""

    family = "nkcc1"
    default_name = "nkcc1"
    title = "Na+-K+-2Cl- cotransporter NKCC1 (electroneutral)"
    params = (Param("U", 2.25, "uA/cm2", 0.0, 1e4,
                    "rate per unit log driving force (F x flux; Wei 2014: 0.1 mM/s = 2.25)"),
              Param("k_half", 16.0, "mM", 0.0, 500.0, "K_o at half activation of the K_o gate"))
    fluxes = (MembraneFlux(ions={"Na": 1.0, "K": 1.0, "Cl": 2.0}),)
    tags = frozenset({"cotransporter"})
    source = _SOURCE
    kernel = nkcc1_rate
