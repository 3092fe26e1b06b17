"""A cell's functions as machine code: the generated source traced into
expression graphs (``trace``), the Jacobian differentiated from the
right-hand side's graph (``jacobian``), all compiled by LLVM
(``llvm_backend``) in one module, in milliseconds.

    rhs(y, p, dy)     dy/dt (units of y per ms)
    jac(y, p, J)      d(dy/dt)/dy, J of shape (n_states, n_dyn), structural
                      non-zeros written (the caller zeroes J once)
    observe(y, p, o)  the layout's observables
    init(y, p, y)     y's mechanism states set to their steady state at y's V

Each takes the data addresses of float64 arrays (``FUNCTION_SIGNATURE``)
when called from compiled code, and arrays when called from Python.  Where
the generated code cannot be traced (a kernel that branches in Python),
``numba_functions`` gives the same functions from Numba's compilation of the
source, and the solver takes finite differences of ``rhs``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .layout import Layout

__all__ = ["ModelFunctions", "machine_functions", "numba_functions"]


@dataclass
class ModelFunctions:
    """The compiled functions of one cell (see the module docstring); ``jac``
    is None without an exact Jacobian, ``how`` says which backend made them."""

    rhs: object
    observe: object
    init: object
    jac: object | None
    how: str
    nonzeros: int = 0


def machine_functions(gen, lay: Layout) -> ModelFunctions:
    """The cell's functions traced from ``gen`` (``numba_backend.Generated``)
    and compiled by LLVM.  Raises ``NotTraceable``."""
    from .jacobian import jacobian_stores
    from .llvm_backend import compile_functions
    from .numba_backend import CONSTANTS
    from .trace import trace_function

    n, n_p, n_o = lay.n_states, len(lay.params), len(lay.observables)
    g, rhs = trace_function(("y", "p", "dy"), gen.rhs_body, gen.kernels, CONSTANTS,
                            {"y": n, "p": n_p, "dy": n})
    dy = rhs["dy"]
    jac = jacobian_stores(g, dy, lay.n_dyn)
    g_obs, obs = trace_function(("y", "p", "out"), gen.observe_body, gen.kernels, CONSTANTS,
                                {"y": n, "p": n_p, "out": n_o})
    g_init, init = trace_function(("y", "p"), gen.init_body, gen.kernels, CONSTANTS, {"y": n, "p": n_p})
    set_states = [(k, node) for k, node in enumerate(init["y"]) if not (node.op == "y" and node.args[0] == k)]
    funcs = compile_functions({"rhs": (g, list(enumerate(dy))), "jac": (g, jac),
                               "observe": (g_obs, list(enumerate(obs["out"]))), "init": (g_init, set_states)})
    return ModelFunctions(funcs["rhs"], funcs["observe"], funcs["init"], funcs["jac"],
                          f"LLVM, exact Jacobian ({len(jac)} non-zero entries)", len(jac))


def numba_functions(module, why: str) -> ModelFunctions:
    """The functions of the Numba-compiled module of the generated source
    (``system._load``), on data addresses; no exact Jacobian."""
    from .llvm_backend import FUNCTION_SIGNATURE, AddressFunction

    rhs, observe, init = (getattr(module, f"{name}_address") for name in ("rhs", "observe", "init"))
    return ModelFunctions(AddressFunction(rhs.address, FUNCTION_SIGNATURE, rhs),
                          AddressFunction(observe.address, FUNCTION_SIGNATURE, observe),
                          AddressFunction(init.address, FUNCTION_SIGNATURE, init),
                          None, f"Numba, finite-difference Jacobian ({why})")
