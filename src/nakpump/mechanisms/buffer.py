"""A glial K+ buffer reservoir: extracellular K+ binds to a finite buffer
(the glia's uptake, lumped) at a rate that switches on above a threshold,
and is released slowly.

    d[KB]/dt = k2(K_o) K_o (B0 - [KB]) - k1 [KB],
    k2(K_o) = k1 / (1 + exp((k_half - K_o)/slope))

[KB] the bound K+ (mM of the buffer's volume), B0 the total buffer (mM),
k1 the release rate (1/ms).  Hübel & Dahlem 2014 (ModelDB 167714,
spreading-depression.ode, switch s = 0) write it for dk = -[KB], the change
of K_o it causes, with the buffer counted in extracellular concentration
units; Kager, Wadman & Somjen 2000 wrote k2(x) = k1/(1 + exp((x - 15)/-1.09))
(the same sigmoid; Gentiletti et al. 2022, ModelDB 267499 daccum1.mod).

Conservative form: the bound K+ is the K+ *amount* of a compartment of its
own (``cell.add_compartment("b", ..., volume=vol_o)``, no membrane), and the
mechanism, placed there (``compartment="b"``, so its ``K_i`` is the bound
K+), moves K+ between the extracellular space and that compartment with a
``Transfer``: every K+ ion is counted, bound or free.  With the buffer's
volume equal to the extracellular volume, [KB] is in the papers' units (mM
of extracellular fluid).  The buffer moves K+ alone, as in the papers: the
charge it takes out of the extracellular space is not tracked (the
extracellular space is the electrical ground of the single-membrane
models), and no membrane's charge changes.
"""

from __future__ import annotations

import numpy as xp

from .base import Mechanism, Param, Transfer, kernel, register


@kernel
def buffer_binding(K_i, K_o, k1, btot, k_half, slope):
    """Net binding rate, mM/ms of the buffer's volume: k2 K_o (btot - KB) - k1 KB,
    with KB = K_i the bound K+ (the buffer compartment's K+)."""
    k2 = k1 / (1.0 + xp.exp((k_half - K_o) / slope))
    return k2 * K_o * (btot - K_i) - k1 * K_i


HD_SOURCE = ("Hübel N, Dahlem MA (2014) PLoS Comput Biol 10:e1003941; ModelDB 167714 "
             "spreading-depression.ode lines 132-140, 153 (kinetic buffer, switch s = 0)")


@register
class KBuffer(Mechanism):
    """First-order glial K+ buffer: K_o binds to a finite buffer above a
    threshold and is released at k1 (see the module docstring).  Place it
    with ``compartment=`` the buffer's compartment."""

    site = "compartment"
    family = "k_buffer"
    default_name = "buffer"
    title = "glial K+ buffer reservoir (Kager et al. 2000; Hübel & Dahlem 2014)"
    params = (Param("k1", 5e-8, "1/ms", 0.0, 1.0,
                    "release rate constant (Hübel & Dahlem 2014: 5e-5 /s = 5e-8 /ms)"),
              Param("btot", 500.0, "mM", 0.0, 1e4,
                    "total buffer, free + bound, mM of the buffer's volume (Kager 2000 and Hübel & "
                    "Dahlem 2014: 500 mM)"),
              Param("k_half", 15.0, "mM", 0.0, 1e3,
                    "K_o at which binding is half on (Kager 2000, Hübel & Dahlem 2014: 15 mM)"),
              Param("slope", 1.09, "mM", 1e-3, 100.0,
                    "slope of the binding sigmoid (Kager 2000: -1.09 in their sign; Hübel & Dahlem: 1.09)"))
    fluxes = (Transfer(moves={"K_o": -1.0, "K_i": 1.0}, per="i"),)
    source = HD_SOURCE + "; Kager H, Wadman WJ, Somjen GG (2000) J Neurophysiol 84:495-512"
    kernel = buffer_binding

    def __init__(self, name: str | None = None, *, compartment: str = "b", **values: float):
        if compartment in ("i", "o"):
            raise ValueError(f"{name or self.default_name}.compartment = {compartment!r}: the buffer needs "
                             "a compartment of its own (cell.add_compartment), not the cytosol or the "
                             "extracellular space")
        super().__init__(name, compartment=compartment, **values)
