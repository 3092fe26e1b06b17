"""One definition of each mechanism serves every backend: its kernels
compiled by Numba (scalars, as inside a cell) and vectorised by NumPy over
many parameter sets give the same numbers, for every registered mechanism
over 1,000 random in-range parameter sets and conditions.

Parameters are drawn uniformly within their declared ranges, log-uniformly
where a range spans more than two decades; conditions within physiological
bounds (V -120 to 60 mV, concentrations 0.1 to 200 mM, T 0 to 45 degC).
Tolerance: 1e-10 relative (the two backends' exp and log may differ in the
last bit, and a kernel's cancellations can amplify that a little)."""

import numpy as np
import pytest

from nakpump.compile.kernels import resolve
from nakpump.compile.numba_backend import jit_kernel
from nakpump.compile.numpy_backend import environment, evaluate
from nakpump.mechanisms import REGISTRY
from nakpump.mechanisms.leak import OneIon

N = 1000


def _draw(rng, lo, hi, n):
    if lo > 0 and hi / lo > 100:
        return np.exp(rng.uniform(np.log(lo), np.log(hi), n))
    return rng.uniform(lo, hi, n)


def _instance(cls):
    return cls("Na") if issubclass(cls, OneIon) or "ion" in cls.__init__.__code__.co_varnames else cls()


@pytest.mark.parametrize("family", sorted(REGISTRY))
def test_numba_and_numpy_agree(family):
    rng = np.random.default_rng(abs(hash(family)) % 2**32)
    mech = _instance(REGISTRY[family])
    values = {p.name: _draw(rng, p.lo, p.hi, N) for p in mech.all_params()}
    conc = {f"{ion}_{side}": _draw(rng, 0.1, 200.0, N) for ion in ("Na", "K", "Cl") for side in "io"}
    env = environment(V=rng.uniform(-120.0, 60.0, N), T=rng.uniform(0.0, 45.0, N),
                      ATP_i=_draw(rng, 1e-3, 10.0, N), ADP_i=_draw(rng, 1e-3, 1.0, N),
                      Pi_i=_draw(rng, 1e-2, 10.0, N), PCr_i=_draw(rng, 1e-3, 10.0, N),
                      Cr_i=_draw(rng, 1e-3, 10.0, N), O2_o=rng.uniform(0.0, 40.0, N),
                      O2_bath=rng.uniform(0.0, 40.0, N), w_i=rng.uniform(0.5, 5.0, N),
                      w_o=rng.uniform(0.1, 5.0, N), w_i0=rng.uniform(0.5, 5.0, N),
                      atp_use=_draw(rng, 1e-6, 1e-2, N), **conc)
    states = {s.name: rng.uniform(0.0, 1.0, N) for s in mech.states}
    vectorised = evaluate(mech, env, values, states)
    kernels = {"fluxes": mech.kernel, "rates": mech.rates, "steady": mech.steady}
    compared = 0
    for what, func in kernels.items():
        if func is None:
            continue
        compiled = jit_kernel(func)
        args = resolve(mech, func, None, set(env))
        for i in range(N):
            call = []
            for a in args:
                if a.source == "param":
                    call.append(float(values[a.arg][i]))
                elif a.source == "state":
                    call.append(float(states[a.name][i]))
                elif a.source == "const":
                    call.append(a.value)
                else:
                    call.append(float(np.broadcast_to(env[a.name], (N,))[i]))
            out = compiled(*call)
            out = out if isinstance(out, tuple) else (out,)
            if what == "fluxes":
                out = tuple(x * (1.0 - values["block"][i]) for x in out)
            for k, x in enumerate(out):
                ref = vectorised[what][k][i]
                assert np.isnan(x) == np.isnan(ref), (family, what, k, i)
                if np.isfinite(ref):
                    assert x == pytest.approx(ref, rel=1e-10, abs=1e-300), (family, what, k, i)
                else:
                    assert x == ref or np.isnan(ref), (family, what, k, i)
                compared += 1
    assert compared >= N  # the test saw real numbers
    finite = [np.isfinite(v).mean() for out in vectorised.values() for v in out]
    assert min(finite) > 0.5, finite  # and most draws give finite values


def _kernels_of(func, seen):
    from nakpump.compile.kernels import _callees

    if func in seen:
        return
    seen.add(func)
    for _, callee in _callees(func):
        _kernels_of(callee, seen)


def test_kernels_keep_the_contract():
    """Every kernel of every registered mechanism (and every kernel they call)
    is a plain function that branches on no value and does its math through
    ``xp`` (no ``math`` or ``np``), so every backend can bind it."""
    import ast
    import inspect
    import textwrap

    seen = set()
    for cls in REGISTRY.values():
        for func in (cls.kernel, cls.rates, cls.steady):
            if func is not None:
                _kernels_of(func, seen)
    assert len(seen) > 30
    for func in seen:
        tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
        for node in ast.walk(tree):
            assert not isinstance(node, (ast.If, ast.IfExp, ast.While, ast.For, ast.BoolOp)), func.__name__
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                assert node.value.id not in ("math", "np", "numpy"), (func.__name__, node.value.id)
