"""Compile a Cell into a System: a flat state vector, a parameter vector,
and Numba-compiled functions generated for this cell.

State vector ``y`` (units):
    y[0]            V, mV
    y[1:1+N]        ion amounts inside, mM*um (concentration x vol_i/area)
    y[1+N:1+2N]     ion amounts outside, mM*um   (only with a finite outside)
    then            ATP, ADP, Pi amounts inside (with an energy mechanism)
    then            w_i (and w_o), volume/area in um (with a water mechanism)
    then            O2 outside, mg/L (with an oxygen mechanism)
    then            each mechanism's states, in mechanism order
    then            the ledger: running totals (mM*um) of what each mechanism
                    moved; quadratures that nothing depends on
Parameter vector ``p``:
    p[0] T (degC), p[1] Cm (uF/cm2), p[2] vol_i/area (um, initial),
    p[3] vol_o/area (um, initial), p[4] electrode current (uA/cm2, into the
    cell), p[5:5+N] bath concentrations (mM, used with a fixed bath), then
    ATP, ADP, Pi (mM, used without an energy mechanism), impermeant anion and
    neutral osmolyte amounts inside and outside (mM*um), membrane area (um2),
    bath O2 (mg/L), then each mechanism's parameters in declaration order, its ``block`` last.

The generated module (source written to the cache folder, compiled code
cached by Numba beside it) holds ``rhs``, ``observe_all``, ``init_states`` and
the Rodas4 integrator of ``nakpump.solve.rodas``.  Generated code is a
straight sequence of calls to each mechanism's own functions: one
definition of each mechanism serves every run.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import __version__
from .cell import Cell
from .ions import ION_NAMES, METABOLITES, N_IONS, N_MET, O2, O2_BATH, VALENCES
from .physics import CHARGE_PER_AMOUNT, DG0_ATP, F
from .solve import rodas

N = N_IONS
P_T, P_CM, P_WI, P_WO, P_STIM, P_BATH = 0, 1, 2, 3, 4, 5
P_MET = P_BATH + N
P_AI, P_AO, P_XI, P_XO, P_AREA = (P_MET + len(METABOLITES) + k for k in range(5))
P_O2B = P_AREA + 1
N_CELL_P = P_O2B + 1


@dataclass
class Slot:
    """Where one mechanism's parameters and states live in ``p`` and ``y``."""

    name: str
    p0: int
    p1: int
    s0: int
    s1: int


@dataclass
class System:
    """A compiled cell.  Build with ``compile_cell(cell)``."""

    cell: Cell
    module: object
    state_names: list[str]
    state_units: list[str]
    param_index: dict[str, int]
    p0: np.ndarray
    y0: np.ndarray
    slots: dict[str, Slot]
    observed: list[tuple[str, str, str]]
    closed: bool
    carrier: int
    source_path: Path
    layout: object = None
    compile_time: float = 0.0
    """Seconds spent generating, compiling or loading the compiled code."""

    @property
    def n_states(self) -> int:
        return len(self.state_names)

    def rhs(self, y: np.ndarray, p: np.ndarray | None = None) -> np.ndarray:
        """dy/dt at state ``y`` (units of y per ms)."""
        dy = np.empty(self.n_states)
        w = np.empty(self.module.NWORK)
        self.module.rhs(np.asarray(y, float), self.p0 if p is None else p, w, dy)
        return dy

    def observe(self, Y: np.ndarray, seg: np.ndarray, P: np.ndarray) -> dict[str, np.ndarray]:
        """Recorded quantities for rows ``Y`` whose parameters are ``P[seg]``."""
        out = np.empty((Y.shape[0], len(self.observed)))
        self.module.observe_all(np.ascontiguousarray(Y), seg.astype(np.int64),
                                np.ascontiguousarray(P), out)
        return {name: out[:, j] for j, (name, _, _) in enumerate(self.observed)}

    def with_steady_gates(self, y: np.ndarray, p: np.ndarray | None = None) -> np.ndarray:
        """A copy of ``y`` with every mechanism state at its steady state for y's V."""
        y = np.array(y, float)
        w = np.empty(self.module.NWORK)
        self.module.init_states(y, self.p0 if p is None else p, w)
        return y

    def index(self, dotted: str) -> int:
        """Position of parameter ``dotted`` (e.g. ``pump.block``) in ``p``."""
        if dotted not in self.param_index:
            self.cell[dotted]  # raises the one-line error for unknown names
            raise ValueError(f"parameter {dotted} cannot change during a run (only cell.T and "
                             "mechanism parameters can; use SetConcentration for K_o, Na_o, Cl_o)")
        return self.param_index[dotted]

    def state_index(self, name: str) -> int:
        return self.state_names.index(name)

    def invariants(self, Y: np.ndarray, injected_charge: np.ndarray | float = 0.0,
                   added: dict | None = None) -> dict:
        """Conserved quantities per row of ``Y``.

        ``total_X``: amount of ion X inside plus outside (mM*um per membrane
        area) less what the electrode injected (``injected_charge``, nC/cm2,
        from ``Protocol.injected_charge``) and less ``added[ion]`` (mM*um per
        row: ions a concentration change put into a closed outside);
        ``charge``: Cm*V - F*sum(z*amount_i) (nC/cm2) plus the charge that
        nonspecific currents carried out, constant because the electrode's
        charge arrives as ions.  ``Result.conservation()`` fills
        in both corrections for a run."""
        Y = np.atleast_2d(Y)
        out = {}
        for k, ion in enumerate(ION_NAMES):
            total = Y[:, 1 + k].copy()
            if self.closed:
                total += Y[:, 1 + N + k]
            if k == self.carrier:
                total -= np.asarray(injected_charge) / (CHARGE_PER_AMOUNT * VALENCES[k])
            if added and ion in added:
                total -= np.asarray(added[ion])
            out[f"total_{ion}"] = total
        cm = self.p0[P_CM]
        charge_ions = CHARGE_PER_AMOUNT * sum(VALENCES[k] * Y[:, 1 + k] for k in range(N))
        out["charge"] = cm * Y[:, 0] - charge_ions
        for idx, mech, item, _ in self.layout.ledger:
            if (mech, item) == ("membrane", "nonspecific"):
                out["charge"] += CHARGE_PER_AMOUNT * Y[:, idx]
        return out


def _cache_dir() -> Path:
    base = os.environ.get("NAKPUMP_CACHE_DIR")
    if base:
        path = Path(base)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
        path = Path(xdg) / "nakpump"
    path = path / "jit"
    path.mkdir(parents=True, exist_ok=True)
    return path


_PACKAGE_HASH: str | None = None
_MODULES: dict[str, object] = {}


def _package_hash() -> str:
    """Hash of every source file of the package, so that a change in any
    mechanism invalidates generated modules that call it."""
    global _PACKAGE_HASH
    if _PACKAGE_HASH is None:
        h = hashlib.sha256(__version__.encode())
        root = Path(__file__).parent
        for path in sorted(root.rglob("*.py")):
            h.update(path.read_bytes())
        _PACKAGE_HASH = h.hexdigest()
    return _PACKAGE_HASH


def compile_cell(cell: Cell) -> System:
    """Check ``cell`` and compile it to a System (generated code, cached)."""
    cell.validate()
    started = time.perf_counter()
    lay = _layout(cell)
    v = cell.values
    p = np.array(lay.p_list, float)
    p[P_T], p[P_CM] = v["T"], v["Cm"]
    p[P_WI], p[P_WO] = cell.w_i, cell.w_o
    p[P_AREA] = v["area"]
    p[P_O2B] = v["O2_bath"]
    for k, ion in enumerate(ION_NAMES):
        p[P_BATH + k] = v[f"{ion}_o"]
    for j, met in enumerate(METABOLITES):
        p[P_MET + j] = v[f"{met}_i"]
    p[P_AI] = cell.impermeant("i") * cell.w_i
    p[P_AO] = cell.impermeant("o") * cell.w_o
    p[P_XI] = v["X_i"] * cell.w_i
    p[P_XO] = v["X_o"] * cell.w_o

    source, observed = _generate(cell, lay)
    module, path = _load(source)

    y0 = np.zeros(len(lay.names))
    y0[0] = v["V0"]
    for k, ion in enumerate(ION_NAMES):
        y0[1 + k] = v[f"{ion}_i"] * cell.w_i
        if lay.closed:
            y0[1 + N + k] = v[f"{ion}_o"] * cell.w_o
    if lay.i_met is not None:
        for j, met in enumerate(METABOLITES):
            y0[lay.i_met + j] = v[f"{met}_i"] * cell.w_i
    if lay.i_wi is not None:
        y0[lay.i_wi] = cell.w_i
    if lay.i_wo is not None:
        y0[lay.i_wo] = cell.w_o
    if lay.i_o2 is not None:
        y0[lay.i_o2] = v["O2_bath"]
    system = System(cell=cell, module=module, state_names=lay.names, state_units=lay.units,
                    param_index=lay.param_index, p0=p, y0=y0, slots=lay.slots, observed=observed,
                    closed=lay.closed, carrier=lay.carrier, source_path=path, layout=lay)
    system.y0 = system.with_steady_gates(y0)
    _warm(system)
    system.compile_time = time.perf_counter() - started
    return system


@dataclass
class Layout:
    """Where everything lives in ``y`` and ``p`` for one cell."""

    closed: bool
    carrier: int
    names: list
    units: list
    slots: dict
    param_index: dict
    p_list: list
    i_met: int | None
    i_wi: int | None
    i_wo: int | None
    i_o2: int | None
    ndyn: int
    ledger: list
    """(state index, mechanism name, item, what) of each running total."""


def _layout(cell: Cell) -> Layout:
    closed = not cell.bath
    names = ["V"] + [f"n_{ion}_i" for ion in ION_NAMES]
    units = ["mV"] + ["mM*um"] * N
    if closed:
        names += [f"n_{ion}_o" for ion in ION_NAMES]
        units += ["mM*um"] * N
    energy = [m for m in cell.mechanisms if m.kind == "metabolism"]
    water = [m for m in cell.mechanisms if m.kind == "water"]
    oxygen = [m for m in cell.mechanisms if m.kind == "oxygen"]
    i_met = i_wi = i_wo = i_o2 = None
    if energy:
        i_met = len(names)
        names += [f"n_{met}_i" for met in METABOLITES]
        units += ["mM*um"] * len(METABOLITES)
    if water:
        i_wi = len(names)
        names.append("w_i")
        units.append("um")
        if closed:
            i_wo = len(names)
            names.append("w_o")
            units.append("um")
    if oxygen:
        i_o2 = len(names)
        names.append("O2_o")
        units.append("mg/L")
    param_index = {"cell.T": P_T, "cell.O2_bath": P_O2B}
    slots: dict[str, Slot] = {}
    p_list = [0.0] * N_CELL_P
    for mech in cell.mechanisms:
        s0 = len(names)
        names += [f"{mech.name}_{st.name}" for st in mech.states]
        units += [st.unit for st in mech.states]
        p0 = len(p_list)
        for prm in mech.all_params():
            param_index[f"{mech.name}.{prm.name}"] = len(p_list)
            p_list.append(mech.values[prm.name])
        slots[mech.name] = Slot(mech.name, p0, len(p_list), s0, len(names))
    ndyn = len(names)
    ledger = []

    def total(mech: str, item: str, what: str) -> None:
        ledger.append((len(names), mech, item, what))
        names.append(f"q_{mech}_{item}")
        units.append("mM*um")

    for mech in cell.mechanisms:
        if mech.kind in ("channel", "transporter"):
            for ion in mech.carried_ions():
                total(mech.name, ion, "out of the cell")
            if mech.kind == "transporter" and mech.atp_per_cycle:
                total(mech.name, "ATP", "used")
        elif mech.kind == "exchange":
            for ion in mech.carried_ions():
                total(mech.name, ion, "out of the extracellular space")
            if mech.atp_per_ion:
                total(mech.name, "ATP", "used outside the cell")
        elif mech.kind == "metabolism":
            total(mech.name, "ATP", "used")
    total("electrode", cell.electrode_ion, "into the cell")
    if any(m.nonspecific or "electrogenic" in m.values for m in cell.mechanisms):
        total("membrane", "nonspecific", "charge carried outward without ions (as monovalent amount)")
    return Layout(closed=closed, carrier=ION_NAMES.index(cell.electrode_ion), names=names,
                  units=units, slots=slots, param_index=param_index, p_list=p_list, i_met=i_met,
                  i_wi=i_wi, i_wo=i_wo, i_o2=i_o2, ndyn=ndyn, ledger=ledger)


def _warm(system: System) -> None:
    """Compile (or load from the disk cache) the integrator now, so that run
    timings exclude compilation."""
    y = system.y0.copy()
    empty = np.empty(0)
    system.module.integrate(y, system.p0, 0.0, 0.0, 1e-3, 1.0, 1e-6, np.ones(system.n_states),
                            empty, np.empty((0, system.n_states)), 0, 0.0, np.empty(1), 0, 1,
                            np.zeros(4, dtype=np.int64))


def _load(source: str):
    key = hashlib.sha256((source + _package_hash()).encode()).hexdigest()[:20]
    name = f"nakpump_sys_{key}"
    if name in _MODULES:
        return _MODULES[name], Path(_MODULES[name].__file__)
    folder = _cache_dir()
    path = folder / f"{name}.py"
    if not path.exists() or path.read_text() != source:
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "w") as fh:
            fh.write(source)
        os.replace(tmp, path)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    _MODULES[name] = module
    return module, path


def _generate(cell: Cell, lay: Layout) -> tuple[str, list[tuple[str, str, str]]]:
    """Source of the module for ``cell`` and the list of observed quantities
    (name, unit, description)."""
    imports: dict[str, set[str]] = {}
    aliases: dict[int, str] = {}
    closed = lay.closed

    def alias(func) -> str:
        py = getattr(func, "py_func", func)
        key = id(py)
        if key not in aliases:
            aliases[key] = f"f{len(aliases)}_{py.__name__}"
            imports.setdefault(py.__module__, set()).add(f"{py.__name__} as {aliases[key]}")
        return aliases[key]

    NM = N_MET
    # work array: ci, co, E, I (total per ion), tmp (per mechanism per ion), met
    W_CI, W_CO, W_E, W_I, W_TMP, W_MET = 0, N, 2 * N, 3 * N, 4 * N, 5 * N
    nwork = 5 * N + NM
    rng = "range(%d)" % N
    wi = f"y[{lay.i_wi}]" if lay.i_wi is not None else f"p[{P_WI}]"
    wo = f"y[{lay.i_wo}]" if lay.i_wo is not None else f"p[{P_WO}]"

    def header(fn: str) -> list[str]:
        lines = [f"def {fn}:",
                 "    V = y[0]",
                 f"    T = p[{P_T}]",
                 "    rtf = rt_over_f(T)",
                 f"    w_i = {wi}",
                 f"    w_o = {wo}",
                 f"    ci = w[{W_CI}:{W_CI + N}]",
                 f"    co = w[{W_CO}:{W_CO + N}]",
                 f"    E = w[{W_E}:{W_E + N}]",
                 f"    I = w[{W_I}:{W_I + N}]",
                 f"    tmp = w[{W_TMP}:{W_TMP + N}]",
                 f"    met = w[{W_MET}:{W_MET + NM}]",
                 f"    for k in {rng}:",
                 "        ci[k] = y[1 + k] / w_i"]
        if closed:
            lines.append(f"        co[k] = y[{1 + N} + k] / w_o")
        else:
            lines.append(f"        co[k] = p[{P_BATH} + k]")
        lines += ["        E[k] = rtf / VALENCE[k] * math.log(co[k] / ci[k])",
                  "        I[k] = 0.0",
                  f"    for j in range({len(METABOLITES)}):"]
        if lay.i_met is not None:
            lines.append(f"        met[j] = y[{lay.i_met} + j] / w_i")
        else:
            lines.append(f"        met[j] = p[{P_MET} + j]")
        o2 = f"y[{lay.i_o2}]" if lay.i_o2 is not None else f"p[{P_O2B}]"
        lines += [f"    met[{O2}] = {o2}", f"    met[{O2_BATH}] = p[{P_O2B}]"]
        return lines

    observed: list[tuple[str, str, str]] = []
    for side, word in (("i", "inside"), ("o", "outside")):
        for ion in ION_NAMES:
            observed.append((f"{ion}_{side}", "mM", f"{ion} concentration {word}"))
    for ion in ION_NAMES:
        observed.append((f"E_{ion}", "mV", f"Nernst potential of {ion}"))

    q_of = {(m, item): idx for idx, m, item, _ in lay.ledger}
    oxygen_tail: list[str] = []
    rhs_body: list[str] = ["    atp = 0.0", "    atp_x = 0.0", "    ins = 0.0"]
    obs_body: list[str] = []
    init_body: list[str] = []
    tail: list[str] = []
    col = len(observed)
    for mech in cell.mechanisms:
        sl = lay.slots[mech.name]
        s = f"y[{sl.s0}:{sl.s1}]"
        pp = f"p[{sl.p0}:{sl.p1 - 1}]"
        block = f"p[{sl.p1 - 1}]"
        cfg = "".join(f", {c}" for c in mech.config())
        args = f"V, T, rtf, ci, co, E, met, {s}, {pp}"
        carried = [ION_NAMES.index(i) for i in mech.carried_ions()]
        if mech.kind == "transporter":
            fn = alias(mech.rate)
            line = f"    J = (1.0 - {block}) * {fn}({args}{cfg})"
            adds = []
            for ion, nu in mech.stoichiometry.items():
                k = ION_NAMES.index(ion)
                adds.append(f"    I[{k}] += {float(VALENCES[k] * nu)!r} * J")
            rhs_body += [line] + adds
            if "electrogenic" in mech.values:
                net = sum(VALENCES[ION_NAMES.index(ion)] * nu for ion, nu in mech.stoichiometry.items())
                e_idx = lay.param_index[f"{mech.name}.electrogenic"]
                rhs_body.append(f"    ins -= (1.0 - p[{e_idx}]) * {float(net)!r} * J")
            for ion, nu in mech.stoichiometry.items():
                rhs_body.append(f"    dy[{q_of[(mech.name, ion)]}] = {float(nu)!r} * AMOUNT_PER_CHARGE * J")
            if mech.atp_per_cycle:
                rhs_body += [f"    atp += {float(mech.atp_per_cycle)!r} * AMOUNT_PER_CHARGE * J",
                             f"    dy[{q_of[(mech.name, 'ATP')]}] = "
                             f"{float(mech.atp_per_cycle)!r} * AMOUNT_PER_CHARGE * J"]
            obs_body += [line] + adds
            obs_body.append(f"    out[{col}] = J")
            observed.append((f"I_{mech.name}", "uA/cm2", f"net current of {mech.name}"))
            col += 1
            for ion, nu in mech.stoichiometry.items():
                k = ION_NAMES.index(ion)
                obs_body.append(f"    out[{col}] = {float(VALENCES[k] * nu)!r} * J")
                observed.append((f"I_{mech.name}_{ion}", "uA/cm2", f"{ion} current of {mech.name}"))
                col += 1
            if mech.atp_per_cycle:
                obs_body.append(f"    atp += {float(mech.atp_per_cycle)!r} * J")
        elif mech.kind == "channel" and mech.nonspecific:
            fn = alias(mech.currents)
            common = ["    tmp[0] = 0.0", f"    {fn}({args}, tmp{cfg})", f"    f = 1.0 - {block}"]
            rhs_body += common + ["    ins += f * tmp[0]"]
            obs_body += common + [f"    out[{col}] = f * tmp[0]"]
            observed.append((f"I_{mech.name}", "uA/cm2", f"nonspecific current of {mech.name}"))
            col += 1
        elif mech.kind == "channel":
            fn = alias(mech.currents)
            common = [f"    for k in {rng}:", "        tmp[k] = 0.0",
                      f"    {fn}({args}, tmp{cfg})",
                      f"    f = 1.0 - {block}"]
            rhs_body += common
            for k in carried:
                rhs_body += [f"    I[{k}] += f * tmp[{k}]",
                             f"    dy[{q_of[(mech.name, ION_NAMES[k])]}] = "
                             f"AMOUNT_PER_CHARGE * f * tmp[{k}] / VALENCE[{k}]"]
            obs_body += common
            for k in carried:
                obs_body += [f"    I[{k}] += f * tmp[{k}]", f"    out[{col}] = f * tmp[{k}]"]
                observed.append((f"I_{mech.name}_{ION_NAMES[k]}", "uA/cm2",
                                 f"{ION_NAMES[k]} current of {mech.name}"))
                col += 1
        elif mech.kind == "exchange":
            fn = alias(mech.exchange)
            tail += [f"    for k in {rng}:", "        tmp[k] = 0.0",
                     f"    {fn}(T, co, met, w_i, w_o, {pp}, tmp{cfg})",
                     f"    f = (1.0 - {block}) * w_o"]
            for k in carried:
                tail += [f"    dy[{1 + N + k}] -= f * tmp[{k}]",
                         f"    dy[{q_of[(mech.name, ION_NAMES[k])]}] = f * tmp[{k}]"]
            if mech.atp_per_ion:
                used = " + ".join(f"tmp[{k}]" for k in carried)
                tail += [f"    atp_x += {float(mech.atp_per_ion)!r} * (1.0 - {block}) * ({used})",
                         f"    dy[{q_of[(mech.name, 'ATP')]}] = {float(mech.atp_per_ion)!r} * f * ({used})"]
        elif mech.kind == "metabolism":
            fn = alias(mech.production)
            tail += [f"    prod = (1.0 - {block}) * {fn}(T, met, {pp}) * w_i - atp",
                     f"    dy[{lay.i_met}] = prod",
                     f"    dy[{lay.i_met + 1}] = -prod",
                     f"    dy[{lay.i_met + 2}] = -prod",
                     f"    dy[{q_of[(mech.name, 'ATP')]}] = -prod - atp"]
        elif mech.kind == "water":
            fn = alias(mech.flow)
            osm_o = (f"(s_o + p[{P_AO}] + p[{P_XO}]) / w_o" if closed else
                     f"s_o + (p[{P_AO}] + p[{P_XO}]) / p[{P_WO}]")
            tail += ["    s_i = 0.0",
                     "    s_o = 0.0",
                     f"    for k in {rng}:",
                     "        s_i += y[1 + k]",
                     f"        s_o += {f'y[{1 + N} + k]' if closed else f'p[{P_BATH} + k]'}",
                     f"    osm_i = (s_i + p[{P_AI}] + p[{P_XI}]) / w_i",
                     f"    osm_o = {osm_o}",
                     f"    flow = (1.0 - {block}) * {fn}(T, osm_i, osm_o, w_i, p[{P_WI}], {pp})",
                     f"    dy[{lay.i_wi}] = flow"]
            if lay.i_wo is not None:
                tail.append(f"    dy[{lay.i_wo}] = -flow")
        elif mech.kind == "oxygen":
            fn = alias(mech.oxygen)
            oxygen_tail = [f"    dy[{lay.i_o2}] = (1.0 - {block}) * "
                           f"{fn}(T, met[{O2}], met[{O2_BATH}], atp / w_i + atp_x, {pp})"]
        if mech.states:
            dfn = alias(mech.derivatives)
            sfn = alias(mech.steady)
            rhs_body.append(f"    {dfn}({args}, dy[{sl.s0}:{sl.s1}]{cfg})")
            init_body.append(f"    {sfn}(V, T, rtf, ci, co, E, met, {pp}, {s}{cfg})")

    for k, ion in enumerate(ION_NAMES):
        obs_body.append(f"    out[{col}] = I[{k}]")
        observed.append((f"I_{ion}", "uA/cm2", f"total membrane {ion} current"))
        col += 1
    obs_body += [f"    out[{col}] = p[{P_STIM}]",
                 f"    out[{col + 1}] = atp * {1e-6 / F!r}",
                 f"    out[{col + 2}] = atp * AMOUNT_PER_CHARGE * 1000.0 / w_i"]
    observed += [("I_stim", "uA/cm2", "electrode current into the cell"),
                 ("atp_flux", "mol/(cm2 s)", "ATP used by pumps per membrane area"),
                 ("atp_rate", "mM/s", "ATP used by pumps, per intracellular volume")]
    col += 3
    for j, met in enumerate(METABOLITES):
        obs_body.append(f"    out[{col + j}] = met[{j}]")
        observed.append((f"{met}_i", "mM", f"{met} concentration inside"))
    col += len(METABOLITES)
    obs_body += [f"    out[{col}] = {DG0_ATP!r} + R * (T + ZERO_CELSIUS) * 1e-3 * "
                 "math.log(met[1] * met[2] / met[0] * 1e-3)",
                 f"    out[{col + 1}] = w_i * p[{P_AREA}]",
                 f"    out[{col + 2}] = w_i / p[{P_WI}]"]
    observed += [("dG_ATP", "kJ/mol", "free energy of ATP hydrolysis in the cytosol"),
                 ("vol_i", "um3", "intracellular volume"),
                 ("vol_i_rel", "1", "intracellular volume relative to the start")]
    col += 3
    if closed:
        obs_body.append(f"    out[{col}] = w_o * p[{P_AREA}]")
        observed.append(("vol_o", "um3", "extracellular volume"))
        col += 1
    if lay.i_o2 is not None:
        obs_body.append(f"    out[{col}] = met[{O2}]")
        observed.append(("O2", "mg/L", "extracellular oxygen"))
        col += 1

    n_obs = len(observed)
    dn_o = f"dy[{1 + N}:{1 + 2 * N}]" if closed else "w[0:0]"
    carrier = lay.carrier
    lines = ["# Generated by nakpump.system for one cell; do not edit.",
             f"# cell: {cell.name}; mechanisms: {', '.join(m.name for m in cell.mechanisms)}",
             inspect.getsource(rodas),
             "from numba import njit",
             "from nakpump.physics import rt_over_f, amount_rates, AMOUNT_PER_CHARGE, R, ZERO_CELSIUS"]
    for mod, names in sorted(imports.items()):
        lines.append(f"from {mod} import {', '.join(sorted(names))}")
    floors = [1.0] + [1e-3] * (len(lay.names) - 1)  # V in mV; amounts never approach 0; gates 0-1
    lines += [f"NWORK = {nwork}",
              f"NDYN = {lay.ndyn}",
              f"JFLOOR = np.array({floors!r})",
              f"VALENCE = np.array({[float(z) for z in VALENCES]!r})",
              f"N_OBS = {n_obs}",
              "",
              "@njit(cache=True, error_model='numpy')"]
    lines += header("rhs(y, p, w, dy)")
    lines += rhs_body
    lines += [f"    dy[0] = (p[{P_STIM}] - ({' + '.join(f'I[{k}]' for k in range(N))}) - ins) / p[{P_CM}]",
              f"    amount_rates(I, VALENCE, p[{P_STIM}], {carrier}, dy[1:{1 + N}], {dn_o})",
              f"    dy[{q_of[('electrode', ION_NAMES[carrier])]}] = "
              f"AMOUNT_PER_CHARGE * p[{P_STIM}] / VALENCE[{carrier}]"]
    if ("membrane", "nonspecific") in q_of:
        lines.append(f"    dy[{q_of[('membrane', 'nonspecific')]}] = AMOUNT_PER_CHARGE * ins")
    lines += tail + oxygen_tail
    lines += ["",
              "@njit(cache=True, error_model='numpy')"]
    lines += header("observe(y, p, w, out)")
    lines += ["    for k in range(%d):" % N,
              "        out[k] = ci[k]",
              f"        out[{N} + k] = co[k]",
              f"        out[{2 * N} + k] = E[k]",
              "    atp = 0.0"]
    lines += obs_body
    lines += ["",
              "@njit(cache=True, error_model='numpy')",
              "def observe_all(Y, seg, P, out):",
              "    w = np.empty(NWORK)",
              "    for r in range(Y.shape[0]):",
              "        observe(Y[r], P[seg[r]], w, out[r])",
              "",
              "@njit(cache=True, error_model='numpy')"]
    lines += header("init_states(y, p, w)")
    lines += init_body or ["    pass"]
    lines += ["",
              "lu_factor = njit(cache=True, error_model='numpy')(lu_factor)",
              "lu_solve = njit(cache=True, error_model='numpy')(lu_solve)",
              "stage_solve = njit(cache=True, error_model='numpy')(stage_solve)",
              "jacobian = njit(cache=True, error_model='numpy')(jacobian)",
              "dense = njit(cache=True, error_model='numpy')(dense)",
              "growth_bound = njit(cache=True, error_model='numpy')(growth_bound)",
              "growth_rate = njit(cache=True, error_model='numpy')(growth_rate)",
              "integrate = njit(cache=True, error_model='numpy')(integrate)",
              ""]
    return "\n".join(lines), observed

