"""A cell's functions as machine code: the generated source traced into
expression graphs (``trace``), the Jacobian differentiated from the
right-hand side's graph (``jacobian``), all compiled by LLVM
(``llvm_backend``) in one module, in milliseconds.

    rhs(y, p, dy)     dy/dt (units of y per ms)
    jac(y, p, J)      d(dy/dt)/dy, J of shape (n_states, n_dyn), structural
                      non-zeros written (the caller zeroes J once)
    observe(y, p, o)  the layout's observables
    init(y, p, y)     y's mechanism states set to their steady state at y's V

Each takes the data addresses of float64 arrays (``numba_types.FUNCTION_SIGNATURE``)
when called from compiled code, and arrays when called from Python.  Where
the generated code cannot be traced (a kernel that branches in Python),
``numba_functions`` gives the same functions from Numba's compilation of the
source, and the solver takes finite differences of ``rhs``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .layout import Layout

__all__ = ["LaneFunctions", "ModelFunctions", "lane_functions", "machine_functions", "numba_functions"]


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
    advance: int = 0
    """The address of the compiled Rodas4 driver (``nakpump.compile.driver``), 0 for none."""
    observe_rows: int = 0
    """The address of ``observe_rows(Y, P, seg, rows, out)`` (``nakpump.compile.driver``), 0 for none."""


_NAMES = ("rhs", "jac", "observe", "init", "step", "advance", "observe_rows")


def machine_functions(gen, lay: Layout, key: str | None = None) -> ModelFunctions:
    """The cell's functions traced from ``gen`` (``numba_backend.Generated``)
    and compiled by LLVM, with the Rodas4 step and driver
    (``nakpump.compile.stepper``, ``nakpump.compile.driver``).  ``key``
    names the generated source and the compiler that made it: the machine
    code is cached under it, and a later process that finds it loads it
    without tracing or compiling anything.  Raises ``NotTraceable``."""
    import ctypes

    from .llvm_backend import AddressFunction, load_object

    engine = load_object(key) if key else None
    if engine is not None:
        addresses = {name: engine.get_function_address(name) for name in _NAMES}
        nonzeros = ctypes.c_int64.from_address(engine.get_global_value_address(_NONZEROS)).value
    else:
        addresses, nonzeros = _compile(gen, lay, key)
        engine = addresses.pop("engine")

    def function(name):
        return AddressFunction(addresses[name], engine)

    return ModelFunctions(function("rhs"), function("observe"), function("init"), function("jac"),
                          f"LLVM, exact Jacobian ({nonzeros} non-zero entries)", nonzeros,
                          addresses["advance"], addresses["observe_rows"])


_NONZEROS = "nakpump_jacobian_nonzeros"


def _graphs(gen, lay: Layout) -> dict:
    """The cell's functions traced from ``gen``, as ``compile_functions`` takes them: rhs, jac,
    observe, init and the Rodas4 step."""
    from .jacobian import jacobian_stores
    from .numba_backend import CONSTANTS
    from .stepper import step_graph
    from .trace import trace_function

    n, n_p, n_o = lay.n_states, len(lay.params), len(lay.observables)
    g, rhs = trace_function(("y", "p", "dy"), gen.rhs_body, gen.kernels, CONSTANTS,
                            {"y": n, "p": n_p, "dy": n})
    dy = rhs["dy"]
    g_obs, obs = trace_function(("y", "p", "out"), gen.observe_body, gen.kernels, CONSTANTS,
                                {"y": n, "p": n_p, "out": n_o})
    g_init, init = trace_function(("y", "p"), gen.init_body, gen.kernels, CONSTANTS, {"y": n, "p": n_p})
    set_states = [(k, node) for k, node in enumerate(init["y"]) if not (node.op == "y" and node.args[0] == k)]
    g_step, step = step_graph(gen, n, lay.n_dyn, n_p, lay.V)
    return {"rhs": (g, list(enumerate(dy))), "jac": (g, jacobian_stores(g, dy, lay.n_dyn)),
            "observe": (g_obs, list(enumerate(obs["out"]))), "init": (g_init, set_states),
            "step": (g_step, step, ("y", "p", "c"))}


def _compile(gen, lay: Layout, key: str | None) -> tuple[dict, int]:
    from .driver import driver_ir
    from .llvm_backend import compile_functions, target
    from .stepper import N_EXTRA

    n = lay.n_states
    functions = _graphs(gen, lay)
    nonzeros = len(functions["jac"][1])
    triple, data_layout = target()
    loop = driver_ir(n, lay.n_dyn, len(lay.params), len(lay.observables), 3 * n + N_EXTRA, triple,
                     data_layout)
    loop += f"\n@{_NONZEROS} = constant i64 {nonzeros}\n"
    addresses = compile_functions(functions, loop, ("advance", "observe_rows"), key)
    return addresses, nonzeros


@dataclass
class LaneFunctions:
    """A cell's population driver (``nakpump.compile.lanes``): ``run_lanes``
    and ``init_rows`` at their addresses, for ``lanes`` cells per vector step;
    ``engine`` holds the machine code."""

    run_lanes: int
    init_rows: int
    lanes: int
    engine: object


LANES = 4
"""Cells per vector step: four doubles fill an AVX2 register."""


def lane_functions(gen, lay: Layout, key: str) -> LaneFunctions:
    """The population driver of the cell generated as ``gen``, compiled by LLVM
    (or loaded from the cache under ``key``), with ``LANES`` lanes where this
    machine has AVX2 and glibc's vector forms of every function the cell's
    step calls, else one (the same driver around the scalar step).  Raises
    ``NotTraceable``."""
    from .lanes import lanes_ir
    from .llvm_backend import compile_functions, graph_functions, load_object, target, vector_functions
    from .stepper import N_EXTRA

    names = ("run_lanes", "init_rows")
    for lanes in (LANES, 1) if vector_functions(LANES) else (1,):  # compiled before, on this machine
        engine = load_object(f"{key}-lanes{lanes}")
        if engine is not None:
            break
    if engine is None:
        functions = _graphs(gen, lay)
        g_step, step = functions["step"][:2]
        lanes = LANES if graph_functions(g_step, step) <= set(vector_functions(LANES)) else 1
        if lanes > 1:
            functions["vstep"] = (g_step, step, ("y", "p", "c"), lanes)
            del functions["step"]
        else:
            functions["vstep"] = functions.pop("step")
        del functions["observe"]
        triple, data_layout = target()
        loop = lanes_ir(lay.n_states, lay.n_dyn, len(lay.params), 3 * lay.n_states + N_EXTRA, lanes, triple,
                        data_layout)
        engine = compile_functions(functions, loop, names, f"{key}-lanes{lanes}")["engine"]
    return LaneFunctions(*(engine.get_function_address(name) for name in names), lanes, engine)


def numba_functions(module, why: str) -> ModelFunctions:
    """The functions of the Numba-compiled module of the generated source
    (``system._load``), on data addresses; no exact Jacobian."""
    from .llvm_backend import AddressFunction

    rhs, observe, init = (getattr(module, f"{name}_address") for name in ("rhs", "observe", "init"))
    return ModelFunctions(AddressFunction(rhs.address, rhs), AddressFunction(observe.address, observe),
                          AddressFunction(init.address, init),
                          None, f"Numba, finite-difference Jacobian ({why})")
