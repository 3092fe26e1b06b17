"""Physical constants, the Nernst and Goldman-Hodgkin-Katz equations.

Units (see docs): voltage mV, concentration mM, current density uA/cm2,
permeability cm/s, temperature degC at the interface (K inside), time ms.
Amounts are kept *per unit membrane area* in mM*um (concentration times the
compartment's volume/area ratio); 1 mM*um = 1e-10 mol/cm2.

Constants are the exact SI 2019 values, as NEURON uses them.  ``ghk_current``
is written as a kernel (math through ``xp``, no branch on values), so
mechanisms can call it under every backend.
"""

from __future__ import annotations

import math

import numpy as xp

ELEMENTARY_CHARGE = 1.602176634e-19
"""C (exact, SI 2019)."""
AVOGADRO = 6.02214076e23
"""1/mol (exact, SI 2019)."""
BOLTZMANN = 1.380649e-23
"""J/K (exact, SI 2019)."""
F = ELEMENTARY_CHARGE * AVOGADRO
"""Faraday constant, C/mol: exact since SI 2019 (96485.33212331...; NEURON uses the same)."""
R = BOLTZMANN * AVOGADRO
"""Molar gas constant, J/(mol K): exact since SI 2019 (8.31446261815324...)."""
ZERO_CELSIUS = 273.15
"""0 degC in K."""
RTF_PER_KELVIN = 1e3 * R / F
"""RT/F in mV per kelvin."""

DG0_ATP = -30.5
"""Standard transformed Gibbs energy of ATP hydrolysis (pH 7, ~1 mM free Mg2+),
kJ/mol; the textbook value (Alberty & Goldberg 1992; about -30.5 kJ/mol at
25-37 degC).  dG_ATP = DG0_ATP + RT ln([ADP][Pi]/[ATP]), concentrations in M."""
AMOUNT_PER_CHARGE = 10.0 / F
"""mM*um/ms of a monovalent ion carried by 1 uA/cm2 (= 1e4/F mM*um/s)."""
MOL_CM2_PER_AMOUNT = 1e-10
"""mol/cm2 in 1 mM*um."""
CHARGE_PER_AMOUNT = F / 10.0
"""nC/cm2 carried by 1 mM*um of a monovalent ion."""


def kernel(func):
    """Mark ``func`` as a kernel: a pure function of numbers that returns its
    values and does its math through the module global ``xp``.  Backends
    bind ``xp`` (NumPy under Numba and for vectorised runs) and compile
    kernels together with the kernels they call."""
    func.__nakpump_kernel__ = True
    return func


def rt_over_f(T: float) -> float:
    """RT/F in mV at temperature ``T`` (degC)."""
    return RTF_PER_KELVIN * (T + ZERO_CELSIUS)


def nernst(z: int, c_out: float, c_in: float, T: float) -> float:
    """Nernst potential (mV) of an ion of valence ``z`` with concentrations in mM
    at temperature ``T`` (degC)."""
    return rt_over_f(T) / z * math.log(c_out / c_in)


@kernel
def ghk_current(P, z, V, c_in, c_out, rtf):
    """Goldman-Hodgkin-Katz current density (uA/cm2, outward positive).

    ``P`` permeability (cm/s), ``z`` valence, ``V`` membrane potential (mV),
    concentrations in mM, ``rtf`` = RT/F in mV.  With c in mM (1e-6 mol/cm3)
    and the result in uA/cm2 the powers of ten cancel:
    I = P z F u (c_i - c_o e^-u) / (1 - e^-u),  u = z V / (RT/F).
    Near u = 0, u/(1 - e^-u) -> 1 + u/2 keeps the limit finite.
    """
    u = z * V / rtf
    small = xp.abs(u) < 1e-6
    g = xp.where(small, 1.0 + 0.5 * u, u / -xp.expm1(-xp.where(small, 1.0, u)))
    return P * z * F * (c_in - c_out * xp.exp(-u)) * g


def ghk_voltage(perms, c_in, c_out, T):
    """GHK resting potential (mV) for monovalent ions.

    ``perms``, ``c_in``, ``c_out`` are dicts keyed by ion name (``"Na"``,
    ``"K"``, ``"Cl"``); permeabilities in any common unit (only ratios matter),
    concentrations in mM, ``T`` in degC.  Anions swap inside and outside.
    """
    from .ions import ION

    num = 0.0
    den = 0.0
    for name, perm in perms.items():
        z = ION[name].valence
        if abs(z) != 1:
            raise ValueError(f"ghk_voltage: ion {name!r} has valence {z}; only monovalent ions allowed")
        if z > 0:
            num += perm * c_out[name]
            den += perm * c_in[name]
        else:
            num += perm * c_in[name]
            den += perm * c_out[name]
    return rt_over_f(T) * math.log(num / den)


def atp_flux_from_cycle_current(J):
    """ATP flux, mol/(cm2 s), of a transporter whose cycle rate is expressed as
    the cycle current ``J`` (uA/cm2 per elementary charge per cycle)."""
    return xp.asarray(J) * 1e-6 / F
