"""Binding mechanism kernels for a backend: the array namespace they do their
math through, the kernels they call, and their arguments by name.

Every backend uses these: the Numba backend binds ``xp`` to NumPy and wraps
each kernel (and each kernel it calls) with ``njit``; the NumPy backend calls
the kernels as they are, on arrays; a JAX backend would bind ``jax.numpy``.
"""

from __future__ import annotations

import hashlib
import inspect
import types
from dataclasses import dataclass

from ..flux import MembraneFlux
from ..mechanisms.base import Mechanism

__all__ = ["bind", "is_kernel", "kernel_key", "Arg", "resolve", "relative_name"]


def is_kernel(obj) -> bool:
    return callable(obj) and getattr(obj, "__nakpump_kernel__", False)


def _callees(func):
    """(name, kernel) of the kernels ``func`` calls through its globals."""
    for name in func.__code__.co_names:
        obj = func.__globals__.get(name)
        if is_kernel(obj) and obj is not func:
            yield name, obj


def bind(func, xp, wrap=None, _memo: dict | None = None):
    """``func`` with the module global ``xp`` bound to ``xp`` and every kernel
    it calls bound the same way; ``wrap`` (e.g. ``numba.njit``) is applied to
    each.  Bound copies are memoised per (function, namespace, wrap)."""
    memo = _BOUND if _memo is None else _memo
    key = (func, xp, wrap)
    if key in memo:
        return memo[key]
    if not is_kernel(func):
        raise TypeError(f"{getattr(func, '__qualname__', func)!r} is not a kernel "
                        "(decorate it with nakpump.mechanisms.base.kernel)")
    glob = dict(func.__globals__)
    glob["xp"] = xp
    for name, callee in _callees(func):
        glob[name] = bind(callee, xp, wrap, memo)
    new = types.FunctionType(func.__code__, glob, func.__name__, func.__defaults__, func.__closure__)
    new.__qualname__ = func.__qualname__
    new.__module__ = func.__module__
    new.__doc__ = func.__doc__
    out = wrap(new) if wrap is not None else new
    memo[key] = out
    return out


_BOUND: dict = {}


def kernel_key(func, _seen: set | None = None) -> str:
    """Text that changes whenever ``func`` or anything it depends on changes:
    its source, the numbers it reads from its module and the same of every
    kernel it calls (the disk cache of compiled cells is keyed on it)."""
    seen = set() if _seen is None else _seen
    if func in seen:
        return ""
    seen.add(func)
    try:
        parts = [inspect.getsource(func)]
    except (OSError, TypeError):
        parts = [func.__code__.co_code.hex(), repr(func.__code__.co_consts)]
    for name in sorted(func.__code__.co_names):
        obj = func.__globals__.get(name)
        if isinstance(obj, (int, float)):
            parts.append(f"{name}={obj!r}")
    for _, callee in _callees(func):
        parts.append(kernel_key(callee, seen))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class Arg:
    """Where a kernel argument comes from: ``source`` is "param" (the
    mechanism's parameter ``name``), "state" (its state ``name``), "env" (the
    environment quantity ``name``) or "const" (the number ``value``)."""

    arg: str
    source: str
    name: str = ""
    value: float = 0.0


def relative_name(name: str, membrane: dict | None) -> str:
    """The environment name of ``name`` as a mechanism on ``membrane`` means it:
    ``_i``/``_o`` are the membrane's inside and outside, ``V`` its potential,
    ``E_X`` its Nernst potentials.  Without a membrane, names are absolute."""
    if membrane is None:
        return name
    if name == "V":
        return membrane["V"]
    if name.startswith("E_"):
        return name + membrane["suffix"]
    stem, _, side = name.rpartition("_")
    if stem and side in ("i", "o", "i0", "o0"):
        return f"{stem}_{membrane['inside' if side[0] == 'i' else 'outside']}{side[1:]}"
    return name


def place_of(mech: Mechanism, membranes: dict) -> dict:
    """Where ``mech`` acts, for ``relative_name``: its membrane (``membranes``
    maps names to the layout's membrane entries) or its compartment."""
    if mech.site == "membrane":
        return membranes[mech.membrane]
    return {"V": "V", "suffix": "", "inside": mech.compartment, "outside": "o"}


def resolve(mech: Mechanism, func, membrane: dict | None, known: set[str]) -> list[Arg]:
    """Bind every argument of kernel ``func`` of ``mech`` by name: its
    parameters, its states, its ``bind()`` aliases, then the environment
    (``known`` holds the environment's names).  A one-line error names an
    argument that is none of these."""
    params = {p.name for p in mech.all_params()}
    states = {s.name for s in mech.states}
    alias = mech.bind()
    out = []
    for arg in inspect.signature(func).parameters:
        if arg in params:
            out.append(Arg(arg, "param", f"{mech.name}.{arg}"))
        elif arg in states:
            out.append(Arg(arg, "state", arg))
        elif arg in alias and not isinstance(alias[arg], str):
            out.append(Arg(arg, "const", value=float(alias[arg])))
        else:
            env = relative_name(alias.get(arg, arg), membrane)
            if env not in known:
                raise ValueError(f"{mech.name}: kernel {func.__name__} asks for {arg!r}, which is not a "
                                 f"parameter or state of {mech.name} nor a quantity of this cell "
                                 f"(known: {', '.join(sorted(known))})")
            out.append(Arg(arg, "env", env))
    return out


def outputs(mech: Mechanism) -> int:
    """How many values ``mech.kernel`` returns."""
    return len(mech.flux_list())


def membrane_fluxes(mech: Mechanism) -> list[tuple[int, MembraneFlux]]:
    return [(j, fl) for j, fl in enumerate(mech.flux_list()) if isinstance(fl, MembraneFlux)]
