"""Emit the model of one cell as Python source: ``rhs``, ``observe`` and ``init``.

The emitted code is straight-line scalar code: read the states and
parameters the layout names, compute the environment (concentrations, Nernst
potentials, volumes, ...), call each mechanism's kernels with their
arguments bound by name, and turn what they return into rates of change with
the coefficients ``nakpump.flux`` gives.  It serves two backends: traced on
symbolic values and compiled by LLVM with its exact Jacobian
(``nakpump.compile.machine``, the default), or, where a kernel cannot be
traced, compiled as a module by Numba (the kernels injected into its
namespace, bound to NumPy and wrapped by ``njit``; the functions compiled
eagerly with fixed signatures and cached on disk, with ``cfunc`` adapters on
data addresses, so that the solver, compiled once, takes any model).

    rhs(y, p, dy)      dy/dt at state y with parameters p (units of y per ms)
    observe(y, p, out) the observables (the layout's ``observables``) at y
    init(y, p)         y's mechanism states set to their steady state at y's V
"""

from __future__ import annotations

from dataclasses import dataclass

from ..flux import MembraneFlux, Transfer, charge_of, ion_currents
from ..ions import ION, ION_NAMES, METABOLITES
from ..model.cell import Cell
from ..physics import AMOUNT_PER_CHARGE, DG0_ATP, RTF_PER_KELVIN, ZERO_CELSIUS, F, R
from .kernels import Arg, bind, place_of, relative_name, resolve
from .layout import LEDGER_SPECIES, Entry, Layout, transfer_ledger_names

__all__ = ["Generated", "generate"]

CONSTANTS = {"AMOUNT_PER_CHARGE": AMOUNT_PER_CHARGE, "RTF_PER_KELVIN": RTF_PER_KELVIN,
             "ZERO_CELSIUS": ZERO_CELSIUS, "DG0_ATP": DG0_ATP, "R": R, "F": F}


def _njit(func):
    from numba import njit

    return njit(func, error_model="numpy")


def jit_kernel(func):
    """Kernel ``func`` compiled by Numba: its ``xp`` bound to ``numba_xp`` and
    every kernel it calls compiled with it (memoised)."""
    import nakpump.compile.numba_xp as numba_xp

    return bind(func, numba_xp, _njit)


@dataclass
class Generated:
    """The emitted module: its ``source``, the ``kernels`` to inject (name ->
    kernel function, unbound), the observables it computes and the body of
    three functions (their lines, for tracing: ``nakpump.compile.machine``)."""

    source: str
    kernels: dict
    observables: tuple[Entry, ...]
    rhs_body: tuple[str, ...] = ()
    observe_body: tuple[str, ...] = ()
    init_body: tuple[str, ...] = ()


def _num(x: float) -> str:
    return repr(float(x))


class _Emitter:
    """Builds the three functions' bodies for one cell."""

    def __init__(self, cell: Cell, layout: Layout):
        self.cell = cell
        self.lay = layout
        self.kernels: dict[str, object] = {}
        self._kernel_names: dict[int, str] = {}
        self.mems = {m["name"]: m for m in layout.membranes}
        self.comps = {c["name"]: c for c in layout.compartments}

    # ------------------------------------------------------------ naming --
    def kernel_name(self, func) -> str:
        key = id(func)
        if key not in self._kernel_names:
            base = f"k_{func.__name__}"
            name = base
            n = 1
            while name in self.kernels:
                n += 1
                name = f"{base}_{n}"
            self._kernel_names[key] = name
            self.kernels[name] = func
        return self._kernel_names[key]

    def y(self, name: str) -> str:
        return f"y[{self.lay.state(name)}]"

    def p(self, name: str) -> str:
        return f"p[{self.lay.param(name)}]"

    # ------------------------------------------------------- environment --
    def environment(self, need_osm: bool) -> tuple[list[str], set[str]]:
        """Lines that compute every environment quantity, and their names."""
        lay, lines, known = self.lay, [], set()

        def let(name, expr):
            lines.append(f"    {name} = {expr}")
            known.add(name)

        let("T", self.p("cell.T"))
        let("rtf", "RTF_PER_KELVIN * (T + ZERO_CELSIUS)")
        let("O2_bath", self.p("cell.O2_bath"))
        for comp in lay.compartments:
            c = comp["name"]
            vol = comp["volume"]
            let(f"w_{c}", self.y(vol) if lay.has_state(vol) else self.p(vol))
            let(f"w_{c}0", self.p(f"geometry.w_{c}"))
            for species, src in comp["amounts"].items():
                if comp["reservoir"]:
                    let(f"{species}_{c}", self.p(src))
                else:
                    let(f"{species}_{c}", f"{self.y(src)} / w_{c}")
        for comp in lay.compartments:
            for met in METABOLITES:
                if lay.has_param(f"cell.{met}_{comp['name']}") and f"{met}_{comp['name']}" not in known:
                    let(f"{met}_{comp['name']}", self.p(f"cell.{met}_{comp['name']}"))
        let("O2_o", self.y("O2_o") if lay.has_state("O2_o") else "O2_bath")
        for mem in lay.membranes:
            let(mem["V"], self.y(mem["V"]))
            for ion in ION_NAMES:
                z = ION[ion].valence
                let(f"E_{ion}{mem['suffix']}",
                    f"rtf / {_num(z)} * np.log({ion}_{mem['outside']} / {ion}_{mem['inside']})")
        if need_osm:
            for comp in lay.compartments:
                c = comp["name"]
                ions = " + ".join(f"{ion}_{c}" for ion in ION_NAMES)
                solutes = f"({self.p(f'solute.A_{c}')} + {self.p(f'solute.X_{c}')})"
                amounts = " + ".join(self.y(comp["amounts"][ion]) for ion in ION_NAMES) if not comp[
                    "reservoir"] else ""
                let(f"osm_{c}", f"{ions} + {solutes} / w_{c}" if comp["reservoir"] else
                    f"({amounts} + {self.p(f'solute.A_{c}')} + {self.p(f'solute.X_{c}')}) / w_{c}")
        return lines, known

    # ----------------------------------------------------------- calling --
    def call(self, mech, func, membrane, known) -> str:
        args = resolve(mech, func, membrane, known)
        return f"{self.kernel_name(func)}({', '.join(self.arg(mech, a) for a in args)})"

    def arg(self, mech, a: Arg) -> str:
        if a.source == "param":
            return self.p(a.name)
        if a.source == "state":
            return f"s_{mech.name}_{a.name}"
        if a.source == "const":
            return _num(a.value)
        return a.name

    @staticmethod
    def unpack(names: list[str], expr: str) -> str:
        return f"    {names[0]} = {expr}" if len(names) == 1 else f"    {', '.join(names)}, = {expr}"


def _needs(cell: Cell, name: str) -> bool:
    import inspect

    for mech in cell.mechanisms:
        for func in (mech.kernel, mech.rates, mech.steady):
            if func is not None and name in inspect.signature(func).parameters:
                return True
    return False


def generate(cell: Cell, layout: Layout) -> Generated:
    """Source and kernels of the module for ``cell`` laid out as ``layout``;
    also fills in the layout's observables."""
    em = _Emitter(cell, layout)
    need_osm = _needs(cell, "osm_i") or _needs(cell, "osm_o")
    env_lines, known = em.environment(need_osm)
    known_all = known | {"atp_use"}
    lay = layout
    main = lay.membranes[0]

    late = [m for m in cell.mechanisms if m.kernel is not None and _uses(m, "atp_use")]
    order = [m for m in cell.mechanisms if m not in late] + late

    body: list[str] = []          # mechanism evaluation, shared by rhs and observe
    rates: list[str] = []         # rhs only: states' derivatives
    init: list[str] = []
    terms: dict[str, list[str]] = {}   # state -> terms of its derivative
    ledger: dict[str, list[str]] = {}
    out_ion = {(m["name"], ion): [] for m in lay.membranes for ion in ION_NAMES}
    ns_terms = {m["name"]: [] for m in lay.membranes}
    atp_terms: list[str] = []     # ATP used, mM/ms of the compartment it is counted against
    atp_main: list[str] = []      # ATP used by fluxes across the main membrane, charge units
    obs: list[tuple[Entry, str]] = []

    def add(state, term):
        terms.setdefault(state, []).append(term)

    atp_use_emitted = False
    reservoirs = {c["name"] for c in lay.compartments if c["reservoir"]}
    for mech in order:
        if mech in late and not atp_use_emitted:
            body.append(f"    atp_use = {' + '.join(atp_terms) if atp_terms else '0.0'}")
            atp_use_emitted = True
        mem = place_of(mech, em.mems)
        for st in mech.states:
            body.append(f"    s_{mech.name}_{st.name} = {em.y(f'{mech.name}_{st.name}')}")
        fluxes = mech.flux_list()
        names = [f"f_{mech.name}_{j}" for j in range(len(fluxes))]
        if mech.kernel is not None and fluxes:
            body.append(em.unpack(names, em.call(mech, mech.kernel, mem, known_all)))
            block = em.p(f"{mech.name}.block")
            for name in names:
                body.append(f"    {name} = {name} * (1.0 - {block})")
        net_terms, ion_obs = [], {}
        for name, fl in zip(names, fluxes, strict=True):
            if isinstance(fl, MembraneFlux):
                inside = mem["inside"]
                ratio = "" if mem is main else f" * {em.p(mem['area_ratio'])}"
                for ion, nu in fl.ions.items():
                    out_ion[(mem["name"], ion)].append(f"{_num(nu)} * {name}")
                    ledger.setdefault(f"q_{mech.name}_{ion}", []).append(
                        f"AMOUNT_PER_CHARGE * {_num(nu)} * {name}{ratio}")
                for ion, per in ion_currents(fl).items():
                    ion_obs.setdefault(ion, []).append(f"{_num(per)} * {name}")
                charge = charge_of(fl)
                if fl.nonspecific:
                    ns_terms[mem["name"]].append(f"{_num(fl.nonspecific)} * {name}")
                if fl.electrogenic:
                    e = em.p(f"{mech.name}.{fl.electrogenic}")
                    ns_terms[mem["name"]].append(f"-(1.0 - {e}) * {_num(charge - fl.nonspecific)} * {name}")
                if charge:
                    net_terms.append(f"{_num(charge)} * {name}" if charge != 1.0 else name)
                if fl.atp:
                    used = f"AMOUNT_PER_CHARGE * {_num(fl.atp)} * {name}{ratio}"
                    ledger.setdefault(f"q_{mech.name}_ATP", []).append(used)
                    atp_terms.append(f"{used} / w_{inside}")
                    if mem is main:
                        atp_main.append(f"{_num(fl.atp)} * {name}")
                    for met, sign in (("ATP", "-"), ("ADP", "+"), ("Pi", "+")):
                        state = lay.amount(met, inside)
                        if state:
                            add(state, f"{sign}{used}")
            elif isinstance(fl, Transfer):
                if fl.per:  # mM/ms of a compartment -> amount per main-membrane area
                    scale = f" * {relative_name('w_' + fl.per, mem)}"
                elif mech.site == "membrane" and mem is not main:  # per its own membrane's area
                    scale = f" * {em.p(mem['area_ratio'])}"
                else:
                    scale = ""
                totals = transfer_ledger_names(mech, mem, reservoirs)
                for q, coeff in fl.moves.items():
                    q = relative_name(q, mem)
                    species, where = q.rsplit("_", 1)
                    state = lay.amount(species, where) or (q if lay.has_state(q) else None)
                    if state is None:
                        continue
                    add(state, f"{_num(coeff)} * {name}{scale}")
                    if species in LEDGER_SPECIES and lay.amount(species, where):
                        ledger.setdefault(totals[species, where], []).append(
                            f"-({_num(coeff)} * {name}{scale})")
                if fl.atp:
                    ledger.setdefault(f"q_{mech.name}_ATP", []).append(f"{_num(fl.atp)} * {name}{scale}")
                    atp_terms.append(f"{_num(fl.atp)} * {name}")
        if mech.site == "membrane":
            ions = list(ion_obs)
            if net_terms and (len(ions) != 1 or any(isinstance(f, MembraneFlux) and f.nonspecific
                                                    for f in fluxes)):
                obs.append((Entry(f"I_{mech.name}", "uA/cm2", f"net current of {mech.name}", "observable",
                                  mech.name), " + ".join(net_terms)))
            for ion in ions:
                obs.append((Entry(f"I_{mech.name}_{ion}", "uA/cm2", f"{ion} current of {mech.name}",
                                  "observable", mech.name), " + ".join(ion_obs[ion])))
        if mech.states:
            r_names = [f"r_{mech.name}_{st.name}" for st in mech.states]
            rates.append(em.unpack(r_names, em.call(mech, mech.rates, mem, known_all)))
            for r, st in zip(r_names, mech.states, strict=True):
                rates.append(f"    dy[{lay.state(f'{mech.name}_{st.name}')}] = {r}")
            s_names = [f"s_{mech.name}_{st.name}" for st in mech.states]
            init.append(em.unpack(s_names, em.call(mech, mech.steady, mem, known)))
            for s, st in zip(s_names, mech.states, strict=True):
                init.append(f"    y[{lay.state(f'{mech.name}_{st.name}')}] = {s}")
    if not atp_use_emitted:
        body.append(f"    atp_use = {' + '.join(atp_terms) if atp_terms else '0.0'}")

    # ---------------------------------------------------------- membranes --
    mem_lines: list[str] = []
    for mem in lay.membranes:
        m = mem["name"]
        for ion in ION_NAMES:
            parts = out_ion[(m, ion)]
            mem_lines.append(f"    out_{ion}_{m} = {' + '.join(parts) if parts else '0.0'}")
        mem_lines.append(f"    ns_{m} = {' + '.join(ns_terms[m]) if ns_terms[m] else '0.0'}")
        currents = " + ".join(f"{_num(ION[ion].valence)} * out_{ion}_{m}" for ion in ION_NAMES)
        mem_lines.append(f"    stim_{m} = {em.p(mem['stim'])}")
        mem_lines.append(f"    dV_{m} = (stim_{m} - ({currents}) - ns_{m}) / {em.p(mem['Cm'])}")
        ratio = "" if mem is main else f" * {em.p(mem['area_ratio'])}"
        for ion in ION_NAMES:
            inside = lay.amount(ion, mem["inside"])
            outside = lay.amount(ion, mem["outside"])
            add(inside, f"-AMOUNT_PER_CHARGE * out_{ion}_{m}{ratio}")
            if outside:
                add(outside, f"AMOUNT_PER_CHARGE * out_{ion}_{m}{ratio}")
        if mem["carrier"]:
            ion = mem["carrier"]
            z = _num(ION[ion].valence)
            add(lay.amount(ion, mem["inside"]), f"AMOUNT_PER_CHARGE * stim_{m} / {z}")
            ledger.setdefault(f"q_electrode_{ion}", []).append(f"AMOUNT_PER_CHARGE * stim_{m} / {z}")
        if mem["nonspecific"]:
            ledger.setdefault(mem["nonspecific"], []).append(f"AMOUNT_PER_CHARGE * ns_{m}{ratio}")
        if mem.get("electrode_nonspecific"):  # the electrode's charge, into the cell, carried by no ion
            ledger.setdefault(mem["nonspecific"], []).append(f"-AMOUNT_PER_CHARGE * stim_{m}{ratio}")

    rhs = env_lines + body + mem_lines + rates
    for mem in lay.membranes:
        rhs.append(f"    dy[{lay.state(mem['V'])}] = dV_{mem['name']}")
    for state, parts in terms.items():
        rhs.append(f"    dy[{lay.state(state)}] = {' + '.join(parts)}")
    for item in lay.ledger:
        parts = ledger.get(item.state)
        rhs.append(f"    dy[{lay.state(item.state)}] = {' + '.join(parts) if parts else '0.0'}")
    covered = {lay.state(m["V"]) for m in lay.membranes} | {lay.state(s) for s in terms} | {
        lay.state(i.state) for i in lay.ledger} | {lay.state(f"{m.name}_{s.name}") for m in cell.mechanisms
                                                   for s in m.states}
    for j in range(lay.n_states):
        if j not in covered:
            rhs.append(f"    dy[{j}] = 0.0")

    # -------------------------------------------------------- observables --
    entries: list[tuple[Entry, str]] = []
    words = {"i": "inside", "o": "outside"}
    for comp in lay.compartments:
        c = comp["name"]
        for ion in ION_NAMES:
            where = words.get(c, "in " + comp["title"])
            entries.append((Entry(f"{ion}_{c}", "mM", f"{ion} concentration {where}", "observable", c),
                            f"{ion}_{c}"))
    for mem in lay.membranes:
        for ion in ION_NAMES:
            name = f"E_{ion}{mem['suffix']}"
            entries.append((Entry(name, "mV", f"Nernst potential of {ion} across {mem['name']}", "observable",
                                  mem["name"]), name))
    entries += obs
    for mem in lay.membranes:
        for ion in ION_NAMES:
            entries.append((Entry(f"I_{ion}{mem['suffix']}", "uA/cm2",
                                  f"total {ion} current across {mem['name']}", "observable", mem["name"]),
                            f"{_num(ION[ion].valence)} * out_{ion}_{mem['name']}"))
    atp = " + ".join(atp_main) if atp_main else "0.0"
    entries += [
        (Entry("I_stim", "uA/cm2", "electrode current into the cell", "observable"), f"stim_{main['name']}"),
        (Entry("atp_flux", "mol/(cm2 s)", "ATP used by pumps per membrane area", "observable"),
         f"({atp}) * {_num(1e-6 / F)}"),
        (Entry("atp_rate", "mM/s", "ATP used by pumps, per intracellular volume", "observable"),
         f"({atp}) * AMOUNT_PER_CHARGE * 1000.0 / w_i"),
    ]
    for met in METABOLITES:
        entries.append((Entry(f"{met}_i", "mM", f"{met} concentration inside", "observable"), f"{met}_i"))
    seen = {e.name for e, _ in entries}
    for comp in lay.compartments:  # metabolites that mechanisms make states (PCr_i, ATP_g, ...)
        for species in comp["amounts"]:
            name = f"{species}_{comp['name']}"
            if species not in ION_NAMES and name not in seen:
                entry = Entry(name, "mM", f"{species} in {comp['title']}", "observable", comp["name"])
                entries.append((entry, name))
    area = em.p("geometry.area")
    entries += [
        (Entry("dG_ATP", "kJ/mol", "free energy of ATP hydrolysis in the cytosol", "observable"),
         "DG0_ATP + R * (T + ZERO_CELSIUS) * 1e-3 * np.log(ADP_i * Pi_i / ATP_i * 1e-3)"),
        (Entry("vol_i", "um3", "intracellular volume", "observable"), f"w_i * {area}"),
        (Entry("vol_i_rel", "1", "intracellular volume relative to the start", "observable"), "w_i / w_i0"),
    ]
    for comp in lay.compartments[1:]:
        c = comp["name"]
        if not comp["reservoir"]:
            entries.append((Entry(f"vol_{c}", "um3", f"volume of {comp['title']}", "observable", c),
                            f"w_{c} * {area}"))
    for comp in lay.compartments[2:]:
        c = comp["name"]
        entries.append((Entry(f"vol_{c}_rel", "1", f"volume of {comp['title']} relative to the start",
                              "observable", c), f"w_{c} / w_{c}0"))
    if lay.has_state("O2_o"):
        entries.append((Entry("O2", "mg/L", "extracellular oxygen", "observable"), "O2_o"))
    lay.observables = tuple(e for e, _ in entries)
    lay.__post_init__()
    observe = env_lines + body + mem_lines + [f"    out[{j}] = {expr}" for j, (_, expr) in enumerate(entries)]

    init_env, _ = em.environment(False)
    head = ["# Generated by nakpump.compile.numba_backend for one cell; do not edit.",
            f"# cell: {cell.name}; mechanisms: {', '.join(m.name for m in cell.mechanisms)}",
            "import numpy as np",
            "from numba import carray, cfunc, njit",
            "from nakpump.compile.numba_types import RHS_SIGNATURE, OBSERVE_SIGNATURE, INIT_SIGNATURE, "
            "ADDRESS_SIGNATURE",
            "# injected by the compiler: " + ", ".join(sorted(em.kernels)) + ", " + ", ".join(CONSTANTS),
            ""]
    deco = "@njit({}, cache=True, error_model='numpy')"
    init_body = init_env + (init or ["    pass"])
    n, n_p, n_o = lay.n_states, len(lay.params), len(lay.observables)
    adapters = ["", "", "# the same functions on data addresses (numba_types.FUNCTION_SIGNATURE)",
                "@cfunc(ADDRESS_SIGNATURE, cache=True, error_model='numpy')",
                "def rhs_address(y, p, dy):",
                f"    rhs(carray(y, ({n},)), carray(p, ({n_p},)), carray(dy, ({n},)))", "", "",
                "@cfunc(ADDRESS_SIGNATURE, cache=True, error_model='numpy')",
                "def observe_address(y, p, out):",
                f"    observe(carray(y, ({n},)), carray(p, ({n_p},)), carray(out, ({n_o},)))", "", "",
                "@cfunc(ADDRESS_SIGNATURE, cache=True, error_model='numpy')",
                "def init_address(y, p, out):",
                f"    init(carray(y, ({n},)), carray(p, ({n_p},)))", ""]
    src = head + [deco.format("RHS_SIGNATURE"), "def rhs(y, p, dy):"] + rhs + [
        "", "", deco.format("OBSERVE_SIGNATURE"), "def observe(y, p, out):"] + observe + [
        "", "", deco.format("INIT_SIGNATURE"), "def init(y, p):"] + init_body + adapters
    return Generated("\n".join(src), em.kernels, lay.observables, tuple(rhs), tuple(observe),
                     tuple(init_body))


def _uses(mech, name: str) -> bool:
    import inspect

    return any(func is not None and name in inspect.signature(func).parameters
               for func in (mech.kernel, mech.rates))
