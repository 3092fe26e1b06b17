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

from numba import types

from .trace import Graph, Node

__all__ = ["FUNCTION_SIGNATURE", "AddressFunction", "compile_functions", "function_ir", "no_jacobian"]

FUNCTION_SIGNATURE = types.void(types.uintp, types.uintp, types.uintp)
"""f(y, p, out) as compiled code calls the model's functions: the data
addresses of float64 arrays."""

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
            _READY["llvm"] = llvm
        return _READY["llvm"]


def _engine(ir: str):
    """An MCJIT engine holding ``ir`` compiled for this machine's processor (an engine owns its
    target machine, so each gets its own).  Under Numba's compiler lock: LLVM's global context is
    shared with Numba's compilations, which may run in other threads."""
    from numba.core.compiler_lock import global_compiler_lock

    llvm = _llvm()
    with global_compiler_lock, _LOCK:
        module = llvm.parse_assembly(ir)
        module.verify()
        cpu, features = llvm.get_host_cpu_name(), llvm.get_host_cpu_features().flatten()
        machine = llvm.Target.from_default_triple().create_target_machine(cpu=cpu, features=features, opt=2)
        engine = llvm.create_mcjit_compiler(module, machine)
        _object_cache(engine, ir, f"{llvm.llvm_version_info} {cpu} {features}")
        engine.finalize_object()
    return engine


def _object_cache(engine, ir: str, target: str) -> None:
    """Machine code on disk (the cache folder, ``llvm_<hash>.o``), keyed by the IR, LLVM's version
    and this processor: a later process loads it instead of generating it again."""
    import hashlib
    import os
    import tempfile

    from .cache import cache_dir

    path = cache_dir() / f"llvm_{hashlib.sha256((target + ir).encode()).hexdigest()[:24]}.o"

    def notify(module, buffer):
        try:
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                fh.write(buffer)
            os.replace(tmp, path)
        except OSError:  # a cache that cannot be written is no cache
            pass

    def getbuffer(module):
        try:
            return path.read_bytes()
        except OSError:
            return None

    engine.set_object_cache(notify, getbuffer)


def _double(x: float) -> str:
    """An LLVM IR double constant, exactly (hexadecimal bits)."""
    return "0x%016X" % struct.unpack("<Q", struct.pack("<d", float(x)))[0]


def function_ir(name: str, g: Graph, stores: list[tuple[int, Node]]) -> tuple[str, set[str]]:
    """LLVM IR of ``name(y, p, out)``: ``out[k] = node`` for each (k, node) of
    ``stores``, the nodes evaluated from the leaves ``y[j]`` and ``p[j]``,
    and the functions it calls.  Every load comes before every store, so
    ``out`` may be ``y`` itself."""
    need: set[int] = set()
    stack = [node for _, node in stores]
    while stack:
        node = stack.pop()
        if node.index in need or node.is_const:
            continue
        need.add(node.index)
        if node.op not in ("y", "p"):
            stack.extend(node.args)

    def ref(node: Node) -> str:
        return _double(node.value) if node.is_const else f"%v{node.index}"

    body = [f"  %{v}p = inttoptr i64 %{v} to ptr" for v in ("y", "p", "out")]
    used: set[str] = set()
    for k in sorted(need):
        node = g.nodes[k]
        op, args = node.op, node.args
        v = f"%v{k}"
        if op in ("y", "p"):
            body.append(f"  %a{k} = getelementptr double, ptr %{op}p, i64 {args[0]}")
            body.append(f"  {v} = load double, ptr %a{k}")
        elif op in _ARITH:
            body.append(f"  {v} = {_ARITH[op]} double {ref(args[0])}, {ref(args[1])}")
        elif op == "neg":
            body.append(f"  {v} = fneg double {ref(args[0])}")
        elif op == "pow":
            used.add("llvm.pow.f64")
            body.append(f"  {v} = call double @llvm.pow.f64(double {ref(args[0])}, double {ref(args[1])})")
        elif op in _FCMP:
            body.append(f"  {v} = fcmp {_FCMP[op]} double {ref(args[0])}, {ref(args[1])}")
        elif op == "where":
            body.append(f"  {v} = select i1 {ref(args[0])}, double {ref(args[1])}, double {ref(args[2])}")
        else:
            func = _INTRINSIC.get(op) or _LIBM[op]
            used.add(func)
            body.append(f"  {v} = call double @{func}(double {ref(args[0])})")
    for k, node in stores:
        body.append(f"  %s{k} = getelementptr double, ptr %outp, i64 {k}")
        body.append(f"  store double {ref(node)}, ptr %s{k}")
    head = f"define void @{name}(i64 %y, i64 %p, i64 %out) {{"
    return "\n".join([head, "entry:", *body, "  ret void", "}"]), used


def _declarations(used: set[str]) -> list[str]:
    return [f"declare double @{f}(double, double)" if f == "llvm.pow.f64" else f"declare double @{f}(double)"
            for f in sorted(used)]


class AddressFunction(types.WrapperAddressProtocol):
    """A compiled function at ``address``, callable from Numba-compiled code
    (a first-class function of ``signature()``) and from Python (``__call__``
    on float64 arrays in C order, for tests and checks).  Keeps ``owner``
    (the LLVM engine or Numba's cfunc holding the code) alive."""

    def __init__(self, address: int, signature, owner, ir: str = ""):
        self._address = int(address)
        self._signature = signature
        self._owner = owner
        self.ir = ir
        self._ctypes = ctypes.CFUNCTYPE(None, *([ctypes.c_size_t] * len(signature.args)))(self._address)

    def __wrapper_address__(self) -> int:
        return self._address

    def signature(self):
        return self._signature

    def __call__(self, *arrays) -> None:
        for a in arrays:
            if not (a.flags.c_contiguous and a.dtype.kind == "f" and a.dtype.itemsize == 8):
                raise TypeError("arrays of float64 in C order expected")
        self._ctypes(*(a.ctypes.data for a in arrays))


def compile_functions(functions: dict[str, tuple[Graph, list[tuple[int, Node]]]]
                      ) -> dict[str, AddressFunction]:
    """Each ``name: (graph, stores)`` compiled as ``name(y, p, out)`` (see
    ``function_ir``), all in one LLVM module."""
    parts, used = [], set()
    for name, (g, stores) in functions.items():
        text, needs = function_ir(name, g, stores)
        parts.append(text)
        used |= needs
    ir = "\n".join(_declarations(used) + parts) + "\n"
    engine = _engine(ir)
    return {name: AddressFunction(engine.get_function_address(name), FUNCTION_SIGNATURE, engine, ir)
            for name in functions}


def no_jacobian() -> AddressFunction:
    """A ``jac`` that does nothing: passed to the solver for a cell without
    an exact Jacobian (it then takes finite differences)."""
    if "none" not in _READY:
        ir = "define void @jac(i64 %y, i64 %p, i64 %J) {\nentry:\n  ret void\n}\n"
        engine = _engine(ir)
        _READY["none"] = AddressFunction(engine.get_function_address("jac"), FUNCTION_SIGNATURE, engine, ir)
    return _READY["none"]
