"""Machine code for a traced expression graph, through LLVM (llvmlite).

Numba spends a few milliseconds typing each operation of a generated
function, so the thousands of operations of a Jacobian would take tens of
seconds to compile; LLVM itself takes milliseconds.  So the Jacobian
(``nakpump.compile.jacobian``) is written here as LLVM IR, one SSA value
per graph node, compiled in this process by llvmlite's MCJIT, and handed to
the Numba solver as a first-class function through its address (Numba's
wrapper-address protocol):

    jac(y, p, J)   addresses of float64 arrays: y (n_states), p (n_params),
                   J (n_states x n_dyn, C order)

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

__all__ = ["JAC_SIGNATURE", "MachineFunction", "compile_jacobian", "no_jacobian"]

JAC_SIGNATURE = types.void(types.uintp, types.uintp, types.uintp)
"""jac(y, p, J) as the solver calls it: the arrays' data addresses."""

_INTRINSIC = {"exp": "llvm.exp.f64", "log": "llvm.log.f64", "sqrt": "llvm.sqrt.f64", "abs": "llvm.fabs.f64",
              "sin": "llvm.sin.f64", "cos": "llvm.cos.f64", "log10": "llvm.log10.f64"}
_LIBM = {"expm1": "expm1", "log1p": "log1p", "tanh": "tanh", "sinh": "sinh", "cosh": "cosh", "atan": "atan"}
_ARITH = {"add": "fadd", "sub": "fsub", "mul": "fmul", "div": "fdiv"}
_FCMP = {"lt": "olt", "le": "ole", "gt": "ogt", "ge": "oge", "eq": "oeq", "ne": "une"}

_LOCK = threading.Lock()
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
    target machine, so each gets its own)."""
    llvm = _llvm()
    module = llvm.parse_assembly(ir)
    module.verify()
    machine = llvm.Target.from_default_triple().create_target_machine(
        cpu=llvm.get_host_cpu_name(), features=llvm.get_host_cpu_features().flatten(), opt=2)
    with _LOCK:
        engine = llvm.create_mcjit_compiler(module, machine)
        engine.finalize_object()
    return engine


def _double(x: float) -> str:
    """An LLVM IR double constant, exactly (hexadecimal bits)."""
    return "0x%016X" % struct.unpack("<Q", struct.pack("<d", float(x)))[0]


def jacobian_ir(g: Graph, entries: list[tuple[int, int, Node]], n_dyn: int, name: str = "jac") -> str:
    """LLVM IR of ``name(y, p, J)`` storing each entry's (row, column, node) value in J."""
    need: set[int] = set()
    stack = [node for _, _, node in entries]
    while stack:
        node = stack.pop()
        if node.index in need or node.is_const:
            continue
        need.add(node.index)
        if node.op not in ("y", "p"):
            stack.extend(node.args)

    def ref(node: Node) -> str:
        return _double(node.value) if node.is_const else f"%v{node.index}"

    body = ["  %yp = inttoptr i64 %y to ptr", "  %pp = inttoptr i64 %p to ptr", "  %Jp = inttoptr i64 %J to ptr"]
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
    for i, j, node in entries:
        body.append(f"  %J{i}_{j} = getelementptr double, ptr %Jp, i64 {i * n_dyn + j}")
        body.append(f"  store double {ref(node)}, ptr %J{i}_{j}")
    declares = [f"declare double @{f}(double, double)" if f == "llvm.pow.f64" else f"declare double @{f}(double)"
                for f in sorted(used)]
    return "\n".join(declares + [f"define void @{name}(i64 %y, i64 %p, i64 %J) {{", "entry:", *body,
                                                  "  ret void", "}", ""])


class MachineFunction(types.WrapperAddressProtocol):
    """A function compiled by LLVM, callable from Numba-compiled code (as a
    first-class function of ``signature()``) and from Python (``__call__`` on
    arrays, for tests and checks).  Keeps its engine alive."""

    def __init__(self, engine, name: str, signature, ir: str):
        self._engine = engine
        self._address = engine.get_function_address(name)
        self._signature = signature
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


def compile_jacobian(g: Graph, entries: list[tuple[int, int, Node]], n_dyn: int) -> MachineFunction:
    """``jac(y, p, J)`` for the entries (row, column, node), compiled."""
    ir = jacobian_ir(g, entries, n_dyn)
    return MachineFunction(_engine(ir), "jac", JAC_SIGNATURE, ir)


def no_jacobian() -> MachineFunction:
    """A ``jac`` that does nothing: passed to the solver for a cell without
    an exact Jacobian (it then takes finite differences)."""
    if "none" not in _READY:
        ir = "define void @jac(i64 %y, i64 %p, i64 %J) {\nentry:\n  ret void\n}\n"
        _READY["none"] = MachineFunction(_engine(ir), "jac", JAC_SIGNATURE, ir)
    return _READY["none"]
