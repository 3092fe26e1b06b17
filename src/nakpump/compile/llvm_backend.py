"""Machine code for traced expression graphs, through LLVM (llvmlite).

Numba spends a few milliseconds typing each operation of a generated
function, so a cell's right-hand side and its Jacobian, thousands of
operations, took seconds to tens of seconds to compile; LLVM itself takes
milliseconds.  So the model's functions, traced into graphs
(``nakpump.compile.trace``), are written here as LLVM IR, one SSA value per
graph node, compiled in this process by llvmlite's MCJIT, and handed to the
Numba solver as first-class functions through their addresses (Numba's
wrapper-address protocol).  Each takes the data addresses of float64 arrays:

    f(y, p, out)   y (n_states), p (n_params), out (what f writes)

Arithmetic is IEEE double without fast-math; ``exp``, ``log``, ``sqrt``,
``pow``, ``fabs``, ``sin``, ``cos`` and ``log10`` are LLVM intrinsics, the
rest (``expm1``, ``log1p``, ``tanh``, ``sinh``, ``cosh``, ``atan``) the C
library's functions.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import struct
import threading

from .trace import LEAVES, Graph, Node

__all__ = ["AddressFunction", "compile_functions", "function_ir", "graph_functions", "load_object",
           "no_jacobian", "target", "vector_functions"]

_INTRINSIC = {"exp": "llvm.exp.f64", "log": "llvm.log.f64", "sqrt": "llvm.sqrt.f64", "abs": "llvm.fabs.f64",
              "sin": "llvm.sin.f64", "cos": "llvm.cos.f64", "log10": "llvm.log10.f64"}
_LIBM = {"expm1": "expm1", "log1p": "log1p", "tanh": "tanh", "sinh": "sinh", "cosh": "cosh", "atan": "atan"}
_ARITH = {"add": "fadd", "sub": "fsub", "mul": "fmul", "div": "fdiv"}
_FCMP = {"lt": "olt", "le": "ole", "gt": "ogt", "ge": "oge", "eq": "oeq", "ne": "une"}

_LOCK = threading.RLock()
_READY: dict = {}


def _llvm():
    """llvmlite's binding, initialised once, with the C library's functions made known to it."""
    with _LOCK:
        if not _READY:
            import llvmlite.binding as llvm

            llvm.initialize_native_target()
            llvm.initialize_native_asmprinter()
            libm = ctypes.CDLL(ctypes.util.find_library("m") or None)
            for name in _LIBM.values():
                llvm.add_symbol(name, ctypes.cast(getattr(libm, name), ctypes.c_void_p).value)
            llvm.initialize_native_asmparser()
            # the scheduler after register allocation takes time that grows with the square of a basic
            # block: on a cell's straight-line step, half of the compilation for no measurable speed
            llvm.set_option("", "-post-RA-scheduler=false")
            _READY["llvm"] = llvm
        return _READY["llvm"]


def _compiler_lock():
    """Numba's compiler lock where Numba is loaded (LLVM's global context is shared with Numba's
    compilations, which may run in other threads), else this module's."""
    import sys

    if "numba.core.compiler_lock" in sys.modules:
        return sys.modules["numba.core.compiler_lock"].global_compiler_lock
    return _LOCK


def target() -> tuple[str, str]:
    """This machine's target triple and data layout (for IR built elsewhere, ``nakpump.compile.driver``)."""
    llvm = _llvm()
    machine = llvm.Target.from_default_triple().create_target_machine()
    return llvm.get_default_triple(), str(machine.target_data)


def _machine(llvm):
    cpu, features = llvm.get_host_cpu_name(), llvm.get_host_cpu_features().flatten()
    machine = llvm.Target.from_default_triple().create_target_machine(cpu=cpu, features=features, opt=2)
    return machine, f"{llvm.llvm_version_info} {cpu} {features}"


def _object_path(key: str, target: str):
    """Where the machine code of ``key`` for this processor lies (the cache folder, ``llvm_<hash>.o``)."""
    import hashlib

    from .cache import cache_dir

    return cache_dir() / f"llvm_{hashlib.sha256((target + key).encode()).hexdigest()[:24]}.o"


def load_object(key: str):
    """The engine holding the machine code that ``_engine(..., key=key)``
    left in the cache folder for this processor, or None if there is none
    (or it does not load)."""
    llvm = _llvm()
    with _compiler_lock(), _LOCK:
        machine, target_name = _machine(llvm)
        try:
            data = _object_path(key, target_name).read_bytes()
        except OSError:
            return None
        engine = llvm.create_mcjit_compiler(llvm.parse_assembly(""), machine)
        try:
            engine.add_object_file(llvm.ObjectFileRef.from_data(data))
            engine.finalize_object()
        except Exception:  # noqa: BLE001  (a damaged cache file is no cache)
            return None
    return engine


def _engine(ir: str, optimised: str = "", key: str | None = None):
    """An MCJIT engine holding ``ir`` compiled for this machine's processor (an engine owns its
    target machine, so each gets its own), linked with ``optimised``: IR that first goes through
    LLVM's O2 pipeline (hand-built loops: ``nakpump.compile.driver``; the generated straight-line
    functions need none of it).  With a ``key`` (which must change whenever the IR would), the
    machine code is also written to the cache folder, for ``load_object(key)``."""
    llvm = _llvm()
    with _compiler_lock(), _LOCK:
        machine, target_name = _machine(llvm)
        module = llvm.parse_assembly(ir)
        module.verify()
        if optimised:
            extra = llvm.parse_assembly(optimised)
            extra.verify()
            builder = llvm.create_pass_builder(machine, llvm.create_pipeline_tuning_options(speed_level=2))
            builder.getModulePassManager().run(extra, builder)
            module.link_in(extra)
        engine = llvm.create_mcjit_compiler(module, machine)
        stopped: list = []
        if key is not None:
            _object_cache(engine, _object_path(key, target_name), stopped)
        engine.finalize_object()
    if stopped:  # Ctrl-C while LLVM called back into Python: raised here, where it can be handled
        raise stopped[0]
    return engine


def _object_cache(engine, path, stopped: list) -> None:
    """Write the engine's machine code to ``path`` as it is generated; a
    KeyboardInterrupt that arrives meanwhile is kept in ``stopped`` (an
    exception cannot cross back into LLVM)."""
    import os
    import tempfile

    def notify(module, buffer):
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(buffer)
            os.replace(tmp, path)
        except OSError:  # a cache that cannot be written is no cache
            pass
        except KeyboardInterrupt as stop:
            stopped.append(stop)

    engine.set_object_cache(notify, lambda module: None)


def _double(x: float) -> str:
    """An LLVM IR double constant, exactly (hexadecimal bits)."""
    return "0x%016X" % struct.unpack("<Q", struct.pack("<d", float(x)))[0]


def function_ir(name: str, g: Graph, stores: list[tuple[int, Node]], inputs: tuple[str, ...] = ("y", "p"),
                lanes: int = 1) -> tuple[str, set[str]]:
    """LLVM IR of ``name(*inputs, out)``, by default ``name(y, p, out)``:
    ``out[k] = node`` for each (k, node) of ``stores``, the nodes evaluated
    from the leaves (``y[j]``, ``p[j]``, ...: each input an array of the leaf
    kind it names), and the functions it calls.  Every load comes before every
    store, so ``out`` may be ``y`` itself.

    With ``lanes`` = W > 1 the function computes W independent copies at
    once, one per lane of a vector of W doubles: every array holds its
    entries lane-interleaved (``y[j * W + lane]``), the arithmetic is the
    same IEEE operations lane by lane, and the transcendental functions are
    glibc's vector functions (libmvec, ``vector_functions``: at most 4 ulp
    from the scalar ones, each lane computed from its own argument only)."""
    need = _needed(stores, inputs)
    vec = lanes > 1
    T = f"<{lanes} x double>" if vec else "double"
    B = f"<{lanes} x i1>" if vec else "i1"
    suffix = f"v{lanes}f64" if vec else "f64"
    vector = vector_functions(lanes) if vec else {}
    if vec and not graph_functions(g, stores) <= set(vector):
        raise ValueError(f"no vector functions of {lanes} lanes for all of "
                         f"{sorted(graph_functions(g, stores))} on this machine (see vector_functions)")

    def ref(node: Node) -> str:
        if not node.is_const:
            return f"%v{node.index}"
        if not vec:
            return _double(node.value)
        return "<" + ", ".join([f"double {_double(node.value)}"] * lanes) + ">"

    body = [f"  %{v}p = inttoptr i64 %{v} to ptr" for v in (*inputs, "out")]
    used: set[str] = set()
    for k in sorted(need):
        node = g.nodes[k]
        op, args = node.op, node.args
        v = f"%v{k}"
        if op in inputs:
            body.append(f"  %a{k} = getelementptr double, ptr %{op}p, i64 {args[0] * lanes}")
            body.append(f"  {v} = load {T}, ptr %a{k}, align 8")
        elif op in _ARITH:
            body.append(f"  {v} = {_ARITH[op]} {T} {ref(args[0])}, {ref(args[1])}")
        elif op == "neg":
            body.append(f"  {v} = fneg {T} {ref(args[0])}")
        elif op in _FCMP:
            body.append(f"  {v} = fcmp {_FCMP[op]} {T} {ref(args[0])}, {ref(args[1])}")
        elif op == "where":
            body.append(f"  {v} = select {B} {ref(args[0])}, {T} {ref(args[1])}, {T} {ref(args[2])}")
        else:
            if op in vector:
                func = vector[op]
            elif op == "pow":
                func = "llvm.pow.f64"
            elif op in _INTRINSIC or op in _LIBM:
                func = _INTRINSIC.get(op) or _LIBM[op]
            else:
                raise ValueError(f"internal: no code for the graph's operation {op!r}")
            func = func.replace(".f64", f".{suffix}") if func.startswith("llvm.") else func
            used.add(func)
            call_args = ", ".join(f"{T} {ref(a)}" for a in args)
            body.append(f"  {v} = call {T} @{func}({call_args})")
    for k, node in stores:
        body.append(f"  %s{k} = getelementptr double, ptr %outp, i64 {k * lanes}")
        body.append(f"  store {T} {ref(node)}, ptr %s{k}, align 8")
    head = f"define void @{name}({', '.join(f'i64 %{v}' for v in (*inputs, 'out'))}) {{"
    return "\n".join([head, "entry:", *body, "  ret void", "}"]), used


_MVEC_NAMES = {"exp": "v", "log": "v", "expm1": "v", "log1p": "v", "tanh": "v", "sinh": "v", "cosh": "v",
               "sin": "v", "cos": "v", "atan": "v", "log10": "v", "pow": "vv"}


def vector_functions(lanes: int) -> dict[str, str]:
    """The graph's transcendental operations -> glibc's vector functions of ``lanes`` doubles
    (libmvec, AVX2 variants ``_ZGVdN4..``) that this machine has, made known to LLVM; empty where
    it has no libmvec or its processor no AVX2.  (glibc 2.22 has exp, log, pow, sin and cos; 2.35
    the rest.)"""
    key = ("mvec", lanes)
    with _LOCK:
        if key not in _READY:
            llvm = _llvm()
            found: dict[str, str] = {}
            if lanes == 4 and "+avx2" in llvm.get_host_cpu_features().flatten().split(","):
                try:
                    lib = ctypes.CDLL("libmvec.so.1")
                except OSError:
                    lib = None
                for op, args in _MVEC_NAMES.items():
                    symbol = f"_ZGVdN4{args}_{op}"
                    address = getattr(lib, symbol, None) if lib is not None else None
                    if address is not None:
                        llvm.add_symbol(symbol, ctypes.cast(address, ctypes.c_void_p).value)
                        found[op] = symbol
            _READY[key] = found
        return _READY[key]


def graph_functions(g: Graph, stores: list[tuple[int, Node]]) -> set[str]:
    """The transcendental operations (``exp``, ``pow``, ...) that ``stores`` need."""
    return {g.nodes[k].op for k in _needed(stores, LEAVES)} & set(_MVEC_NAMES)


def _needed(stores: list[tuple[int, Node]], leaves) -> set[int]:
    """The indices of the nodes that ``stores`` need, down to the leaves of the kinds ``leaves``."""
    need: set[int] = set()
    stack = [node for _, node in stores]
    while stack:
        node = stack.pop()
        if node.index in need or node.is_const:
            continue
        need.add(node.index)
        if node.op not in leaves:
            stack.extend(node.args)
    return need


def _declarations(used: set[str]) -> list[str]:
    """``declare`` lines for the functions named in ``used``: scalar (``llvm.exp.f64``, ``expm1``) or of
    W lanes (``llvm.fabs.v4f64``, libmvec's ``_ZGVdN4v_exp``)."""
    import re

    out = []
    for f in sorted(used):
        lanes = re.fullmatch(r"_ZGVdN(\d+)v+_\w+|llvm\.\w+\.v(\d+)f64", f)
        T = f"<{lanes.group(1) or lanes.group(2)} x double>" if lanes else "double"
        two = f.startswith(("llvm.pow.", "_ZGVdN4vv_"))
        out.append(f"declare {T} @{f}({T}, {T})" if two else f"declare {T} @{f}({T})")
    return out


class AddressFunction:
    """A compiled function ``f(y, p, out)`` at ``address``, on the data
    addresses of float64 arrays: callable from Python (``__call__`` on arrays
    in C order, for tests and checks) and, through
    ``numba_types.numba_function``, from Numba-compiled code.  Keeps ``owner``
    (the LLVM engine or Numba's cfunc holding the code) alive."""

    def __init__(self, address: int, owner):
        self.address = int(address)
        self._owner = owner
        self._ctypes = ctypes.CFUNCTYPE(None, ctypes.c_size_t, ctypes.c_size_t, ctypes.c_size_t)(self.address)

    def __call__(self, *arrays) -> None:
        if len(arrays) != 3:
            raise TypeError("three arrays expected: y, p, out")
        for a in arrays:
            if not (a.flags.c_contiguous and a.dtype.kind == "f" and a.dtype.itemsize == 8):
                raise TypeError("arrays of float64 in C order expected")
        self._ctypes(*(a.ctypes.data for a in arrays))


def compile_functions(functions: dict[str, tuple], optimised: str = "", extra: tuple[str, ...] = (),
                      key: str | None = None) -> dict[str, int]:
    """Each ``name: (graph, stores)`` compiled as ``name(y, p, out)``, or
    ``name: (graph, stores, inputs[, lanes])`` as ``name(*inputs, out)`` (see
    ``function_ir``), all in one LLVM module, linked with the IR
    ``optimised`` (see ``_engine``; its machine code cached under ``key``).
    Returns the addresses of the functions and of those named in ``extra``
    (defined in ``optimised``), and the engine that holds them under
    "engine"."""
    parts, used = [], set()
    for name, (g, stores, *rest) in functions.items():
        text, needs = function_ir(name, g, stores, *rest)
        parts.append(text)
        used |= needs
    ir = "\n".join(_declarations(used) + parts) + "\n"
    engine = _engine(ir, optimised, key)
    return {"engine": engine, **{name: engine.get_function_address(name) for name in [*functions, *extra]}}


def no_jacobian() -> AddressFunction:
    """A ``jac`` that does nothing: passed to the solver for a cell without
    an exact Jacobian (it then takes finite differences)."""
    if "none" not in _READY:
        ir = "define void @jac(i64 %y, i64 %p, i64 %J) {\nentry:\n  ret void\n}\n"
        engine = _engine(ir)
        _READY["none"] = AddressFunction(engine.get_function_address("jac"), engine)
    return _READY["none"]
