"""The NumPy backend: a mechanism's kernels evaluated on arrays, so one
definition answers for many parameter sets or conditions at once (pump
curves, parameter scans, the test that every kernel agrees with its
Numba-compiled self).  Arguments are bound by name, as in a compiled cell.

Conditions (the environment) are given by name in their units: ``V`` mV,
``T`` degC, concentrations ``Na_i`` ... ``Cl_o``, ``ATP_i``, ``ADP_i``,
``Pi_i`` mM, ``O2_o``, ``O2_bath`` mg/L, ``w_i``, ``w_o`` um, ``osm_i``,
``osm_o`` mM, ``atp_use`` mM/ms; ``rtf`` and the Nernst potentials ``E_X``
are derived from them unless given.
"""

from __future__ import annotations

import numpy as np

from ..ions import ION, ION_NAMES
from ..mechanisms.base import Mechanism
from ..physics import rt_over_f
from .kernels import resolve

__all__ = ["REST", "environment", "evaluate", "pump_current"]

REST = {"V": -70.0, "T": 37.0, "Na_i": 12.0, "K_i": 140.0, "Cl_i": 7.0, "Na_o": 145.0, "K_o": 4.0,
        "Cl_o": 120.0, "ATP_i": 2.5, "ADP_i": 0.025, "Pi_i": 1.0, "PCr_i": 2.16, "Cr_i": 7.44,
        "O2_o": 32.0, "O2_bath": 32.0,
        "w_i": 2.333, "w_o": 2.333, "w_i0": 2.333, "w_o0": 2.333, "atp_use": 0.0}
"""Conditions of the default neuron at rest (mV, degC, mM, mg/L, um); the
osmolarities follow from the ions when not given."""


def environment(**conditions) -> dict[str, np.ndarray]:
    """``REST`` updated with ``conditions`` (numbers or arrays, broadcast
    together), plus the derived ``rtf``, ``E_X`` and osmolarities."""
    for key in conditions:
        if key not in REST and key not in ("rtf", "osm_i", "osm_o") and not key.startswith("E_"):
            raise ValueError(f"unknown condition {key!r}; allowed: {', '.join(REST)}")
    env = {k: np.asarray(v, dtype=float) for k, v in {**REST, **conditions}.items()}
    env.setdefault("rtf", rt_over_f(env["T"]))
    for ion in ION_NAMES:
        with np.errstate(divide="ignore", invalid="ignore"):  # a zero concentration: E is infinite
            ratio = env[f"{ion}_o"] / env[f"{ion}_i"]
            env.setdefault(f"E_{ion}", env["rtf"] / ION[ion].valence * np.log(ratio))
    for side in ("i", "o"):
        env.setdefault(f"osm_{side}", sum(env[f"{ion}_{side}"] for ion in ION_NAMES))
    return env


def _call(mech: Mechanism, func, env: dict, values: dict, states: dict):
    args = []
    for a in resolve(mech, func, None, set(env)):
        if a.source == "param":
            args.append(np.asarray(values.get(a.arg, mech.values[a.arg]), dtype=float))
        elif a.source == "state":
            args.append(np.asarray(states[a.name], dtype=float))
        elif a.source == "const":
            args.append(a.value)
        else:
            args.append(env[a.name])
    with np.errstate(all="ignore"):
        out = func(*args)
    return out if isinstance(out, tuple) else (out,)


def evaluate(mech: Mechanism, env: dict | None = None, values: dict | None = None,
             states: dict | None = None) -> dict[str, tuple]:
    """Every kernel of ``mech`` on arrays: ``{"fluxes": (...), "rates": (...),
    "steady": (...)}`` (each present when the mechanism has that kernel).
    ``env`` from ``environment``; ``values`` overrides parameters (arrays
    allowed); ``states`` gives the mechanism's states by name (default:
    their steady values)."""
    env = environment() if env is None else env
    values = values or {}
    out = {}
    if mech.steady is not None:
        out["steady"] = _call(mech, mech.steady, env, values, {})
    st = states if states is not None else (
        {s.name: v for s, v in zip(mech.states, out.get("steady", ()), strict=True)})
    if mech.kernel is not None:
        block = np.asarray(values.get("block", mech.values["block"]), dtype=float)
        out["fluxes"] = tuple(f * (1.0 - block) for f in _call(mech, mech.kernel, env, values, st))
    if mech.rates is not None:
        out["rates"] = _call(mech, mech.rates, env, values, st)
    return out


def pump_current(model, values: dict | None = None, **conditions) -> float:
    """Cycle current J (uA/cm2, = net pump current) of pump ``model`` (a name
    of ``PUMP_MODELS`` or a pump instance) under ``conditions`` (``REST``
    otherwise); ``values`` overrides its parameters."""
    from ..mechanisms import pump_model

    mech = pump_model(model)() if isinstance(model, str) else model
    if values:
        mech = mech.copy().set(**values)
    return float(evaluate(mech, environment(**conditions))["fluxes"][0])
