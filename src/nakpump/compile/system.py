"""Compile a Cell into a System: its layout, its initial state and parameter
vectors, and the model's functions.

``compile_cell(cell)`` is the one entry point.  The generated source
(``numba_backend``) is traced and compiled by LLVM with its exact Jacobian
(``machine``: milliseconds, in every process).  The source is also written
to the cache folder (``$NAKPUMP_CACHE_DIR/jit``, default
``~/.cache/nakpump/jit``) under a name hashed from it, the kernels' own
sources, the package version and Numba's; where it cannot be traced, Numba
compiles that module and caches its machine code beside it.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .._version import __version__
from ..ions import ION_NAMES
from ..model.cell import Cell
from .cache import cache_dir
from .kernels import kernel_key
from .layout import Layout, build_layout, provided

__all__ = ["System", "compile_cell", "cache_dir"]


@dataclass
class System:
    """A compiled cell: the spec it came from, its ``layout``, the initial
    state ``y0`` and parameters ``p0`` (vectors in the layout's order) and the
    model's compiled functions (``functions.rhs``, ``.observe``, ``.init``).
    Build with ``compile_cell(cell)``."""

    cell: Cell
    layout: Layout
    functions: object
    p0: np.ndarray
    y0: np.ndarray
    source_path: Path
    compile_time: float = 0.0
    """Seconds spent generating, compiling or loading the compiled code."""
    jac: object = field(default=None, repr=False, compare=False)
    """The exact Jacobian ``jac(y, p, J)`` (``nakpump.compile.machine``), or
    None where the generated code could not be traced (the solver then uses
    finite differences; ``jac_note`` says which backend compiled the cell and why)."""
    jac_note: str = ""

    @property
    def n_states(self) -> int:
        return self.layout.n_states

    @property
    def solver_rhs(self):
        """``functions.rhs`` as Numba's driver takes it (a first-class function on data addresses)."""
        from .numba_types import numba_function

        return numba_function(self.functions.rhs)

    @property
    def solver_jac(self):
        """``jac`` for Numba's driver: the exact Jacobian, or a function that
        does nothing where there is none (the driver then differences ``rhs``)."""
        from .llvm_backend import no_jacobian
        from .numba_types import numba_function

        return numba_function(self.jac if self.jac is not None else no_jacobian())

    def jacobian(self, y: np.ndarray | None = None, p: np.ndarray | None = None) -> np.ndarray:
        """The exact d(dy/dt)/dy at ``y`` (default ``y0``) with parameters ``p``:
        rows every state, columns the dynamic states (``layout.n_dyn``; the
        ledger's running totals depend on nothing), in units of the row's
        state per ms per unit of the column's.  (The solver's forward
        differences: ``nakpump.solve.simulate.finite_difference_jacobian``.)"""
        y = np.array(self.y0 if y is None else y, dtype=float)
        p = np.ascontiguousarray(self.p0 if p is None else p, dtype=float)
        lay = self.layout
        if y.shape != (lay.n_states,) or p.shape != (len(lay.params),):
            raise ValueError(f"y must have {lay.n_states} states and p {len(lay.params)} parameters")
        if self.jac is None:
            raise ValueError(f"no exact Jacobian for this cell: {self.jac_note}")
        J = np.zeros((lay.n_states, lay.n_dyn))
        self.jac(y, p, J)
        return J

    @property
    def state_names(self) -> list[str]:
        return [e.name for e in self.layout.states]

    @property
    def state_units(self) -> list[str]:
        return [e.unit for e in self.layout.states]

    def rhs(self, y: np.ndarray, p: np.ndarray | None = None) -> np.ndarray:
        """dy/dt at state ``y`` (units of y per ms)."""
        dy = np.empty(self.n_states)
        self.functions.rhs(np.ascontiguousarray(y, dtype=float),
                           np.ascontiguousarray(self.p0 if p is None else p, dtype=float), dy)
        return dy

    def observe(self, Y: np.ndarray, P: np.ndarray | None = None, seg: np.ndarray | None = None
                ) -> dict[str, np.ndarray]:
        """Observables (name -> array over rows) at the states ``Y`` (rows, or one
        state), with parameters ``P``: one vector for every row, or rows
        ``P[seg]`` (default ``p0``)."""
        Y = np.ascontiguousarray(np.atleast_2d(Y), dtype=float)
        P = np.ascontiguousarray(np.atleast_2d(self.p0 if P is None else P), dtype=float)
        if seg is None:
            seg = np.zeros(len(Y), dtype=np.int64) if len(P) == 1 else np.arange(len(Y), dtype=np.int64)
        seg = np.ascontiguousarray(seg, dtype=np.int64)
        lay = self.layout
        if Y.shape[1:] != (lay.n_states,) or P.shape[1:] != (len(lay.params),) or seg.shape != (len(Y),) or (
                len(seg) and not 0 <= seg.min() <= seg.max() < len(P)):
            raise ValueError(f"Y must have rows of {lay.n_states} states, P rows of {len(lay.params)} "
                             "parameters, seg a row of P for each row of Y")
        out = np.empty((len(Y), len(lay.observables)))
        if self.functions.observe_rows:
            import ctypes

            rows = ctypes.CFUNCTYPE(None, *[ctypes.c_size_t] * 5)(self.functions.observe_rows)
            rows(Y.ctypes.data, P.ctypes.data, seg.ctypes.data, len(Y), out.ctypes.data)
        else:
            from .numba_types import numba_function
            from .rows import observe_rows

            observe_rows(numba_function(self.functions.observe), Y, seg, P, out)
        return {e.name: out[:, j] for j, e in enumerate(self.layout.observables)}

    def with_steady_gates(self, y: np.ndarray, p: np.ndarray | None = None) -> np.ndarray:
        """A copy of ``y`` with every mechanism state at its steady state for y's V."""
        y = np.array(y, dtype=float)
        self.functions.init(y, np.ascontiguousarray(self.p0 if p is None else p, dtype=float), y)
        return y

    def index(self, dotted: str) -> int:
        """Position in ``p`` of parameter ``dotted`` that may change during a run
        (``pump.block``, ``cell.T``)."""
        lay = self.layout
        if not lay.has_param(dotted) or not lay.param_entry(dotted).settable:
            self.cell[dotted]  # raises the one-line error for unknown names
            raise ValueError(f"parameter {dotted} cannot change during a run (only cell.T, "
                             "cell.O2_bath and mechanism parameters can; use SetConcentration for "
                             "K_o, Na_o, Cl_o)")
        return lay.param(dotted)

    def lanes(self):
        """The population driver of this cell (``nakpump.compile.lanes``; a
        ``machine.LaneFunctions``), compiled on first use, once per process for
        each generated source; None where the cell is not compiled by LLVM."""
        from .machine import lane_functions
        from .numba_backend import generate
        from .trace import NotTraceable

        name = self.source_path.stem
        with _LANES_LOCK:  # threads of one batch compile it once
            if name not in _LANES:
                if not getattr(self.functions, "advance", 0):
                    return None
                try:
                    _LANES[name] = lane_functions(generate(self.cell, self.layout), self.layout, name)
                except NotTraceable:
                    _LANES[name] = None
            return _LANES[name]

    def check_value(self, dotted: str, value) -> float:
        """``value`` as a float within the range of parameter ``dotted``, or a
        one-line ValueError naming the field."""
        from ..mechanisms.base import Param

        e = self.layout.param_entry(dotted)
        owner, pname = dotted.split(".", 1)
        return Param(pname, 0.0, e.unit, e.lo, e.hi, e.doc).check(value, owner)

    def invariants(self, Y: np.ndarray, injected_charge: np.ndarray | float = 0.0,
                   added: dict | None = None) -> dict:
        """Conserved quantities per row of ``Y`` (see ``Layout.invariants``)."""
        Y = np.atleast_2d(Y)
        lay = self.layout
        return lay.invariants(lambda n: Y[:, lay.state(n)], lambda n: self.p0[lay.param(n)],
                              injected_charge, added)


# ------------------------------------------------------------ the values --
def initial_vectors(cell: Cell, lay: Layout) -> tuple[np.ndarray, np.ndarray]:
    """(y0, p0) of ``cell`` in the layout's order; mechanism states are zero
    (``init`` sets them)."""
    v = cell.values
    area = v["area"]
    w = {c.name: v[c.volume] / area for c in cell.compartments()}
    p = np.zeros(len(lay.params))

    def put(name, value):
        p[lay.param(name)] = value

    put("cell.T", v["T"])
    put("cell.O2_bath", v["O2_bath"])
    put("geometry.area", area)
    spec = {m.name: m for m in cell.membranes()}
    for mem in lay.membranes:
        put(mem["Cm"], v[spec[mem["name"]].Cm])
        put(mem["area_ratio"], v[spec[mem["name"]].area] / area)
        put(mem["stim"], 0.0)
    for comp in cell.compartments():
        put(f"geometry.w_{comp.name}", w[comp.name])
        put(f"solute.A_{comp.name}", cell.impermeant(comp.name) * w[comp.name])
        put(f"solute.X_{comp.name}", v[f"X_{comp.name}"] * w[comp.name])
        if comp.reservoir:
            for ion in ION_NAMES:
                put(f"cell.{ion}_{comp.name}", v[f"{ion}_{comp.name}"])
    for comp in cell.compartments():
        if comp.cytosol:
            for met in ("ATP", "ADP", "Pi"):
                put(f"cell.{met}_{comp.name}", v[f"{met}_{comp.name}"])
    for mech in cell.mechanisms:
        for prm in mech.all_params():
            put(f"{mech.name}.{prm.name}", mech.values[prm.name])

    initial = {q.name: q for q in provided(cell)}
    V0 = {m.V: v[m.V0] for m in cell.membranes()}
    y = np.zeros(lay.n_states)
    for j, e in enumerate(lay.states):
        if e.kind == "potential":
            y[j] = V0[e.name]
        elif e.kind == "amount":
            species = e.name[2:]  # n_<species>_<compartment>
            q = initial.get(species)
            conc = v[q.initial.split(".", 1)[1]] if q is not None else v[species]
            y[j] = conc * w[e.where]
        elif e.kind == "volume":
            y[j] = w[e.where]
        elif e.kind == "level":
            y[j] = v[initial[e.name].initial.split(".", 1)[1]]
    return y, p


_MODULES: dict[str, object] = {}


_KEYS: dict = {}
_SOURCES: dict = {}
_COMPILER = ("numba_backend.py", "numba_xp.py", "trace.py", "jacobian.py", "stepper.py", "driver.py",
             "tableau.py", "llvm_backend.py", "machine.py", "lanes.py", "eigen.py", "judge.py",
             "emit.py")
"""The compiler's modules: a generated module's name hashes them too, so that a change to any of them
compiles anew instead of loading machine code cached by an older version."""


def _read(path: Path) -> str:
    """A source file of the compiler, read once per process."""
    if path not in _SOURCES:
        _SOURCES[path] = path.read_text()
    return _SOURCES[path]


def _kernel_key(func) -> str:
    """``kernel_key(func)``, once per process (a kernel's source does not change while it runs;
    reading it back is most of what a repeated ``compile_cell`` costs)."""
    if func not in _KEYS:
        _KEYS[func] = kernel_key(func)
    return _KEYS[func]


def _write(source: str, kernels: dict) -> tuple[str, Path]:
    """The generated source in the cache folder, under a name hashed from it,
    the kernels' sources and the versions: (module name, path)."""
    from importlib.metadata import version

    here = Path(__file__).parent
    keys = [f"{name}:{_kernel_key(func)}" for name, func in sorted(kernels.items())]
    digest = hashlib.sha256("\n".join([source, *keys, __version__, version("numba"),
                                       *(_read(here / f) for f in _COMPILER)]).encode())
    name = f"nakpump_model_{digest.hexdigest()[:20]}"
    path = cache_dir() / f"{name}.py"
    if not path.exists() or path.read_text() != source:
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w") as fh:
            fh.write(source)
        os.replace(tmp, path)
    return name, path


def _import(name: str, path: Path, kernels: dict):
    """The generated module compiled by Numba (machine code cached beside it)."""
    import nakpump.compile.numba_backend as numba_backend

    if name in _MODULES:
        return _MODULES[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    module.__dict__.update(numba_backend.CONSTANTS)
    for kname, func in kernels.items():
        module.__dict__[kname] = numba_backend.jit_kernel(func)
    sys.modules[name] = module  # Numba looks the module up by name while compiling
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    _MODULES[name] = module
    return module


_FUNCTIONS: dict[str, object] = {}
_LANES: dict[str, object] = {}
_LANES_LOCK = threading.Lock()


def _functions(gen, lay: Layout, name: str, path: Path):
    """The cell's compiled functions: traced and compiled by LLVM, or, where
    the source cannot be traced, compiled by Numba.  Once per process for each
    generated source (``name`` hashes it and the kernels): cells that differ
    only in their parameters' values share them (a calibration compiles the
    same cell several times)."""
    from .machine import machine_functions, numba_functions
    from .trace import NotTraceable

    if name not in _FUNCTIONS:
        try:
            _FUNCTIONS[name] = machine_functions(gen, lay, name)
        except NotTraceable as exc:
            _FUNCTIONS[name] = numba_functions(_import(name, path, gen.kernels), str(exc))
    return _FUNCTIONS[name]


def compile_cell(cell: Cell) -> System:
    """Check ``cell`` and compile it to a System (generated code, cached)."""
    from .numba_backend import generate

    cell.validate()
    started = time.perf_counter()
    lay = build_layout(cell)
    gen = generate(cell, lay)
    name, path = _write(gen.source, gen.kernels)
    functions = _functions(gen, lay, name, path)
    y0, p0 = initial_vectors(cell, lay)
    system = System(cell=cell.copy(), layout=lay, functions=functions, p0=p0, y0=y0, source_path=path)
    system.jac, system.jac_note = functions.jac, functions.how
    system.y0 = system.with_steady_gates(y0)
    system.compile_time = time.perf_counter() - started
    return system
