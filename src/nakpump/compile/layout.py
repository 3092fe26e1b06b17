"""Layout: where every state, parameter, observable and ledger item of a
compiled cell lives, by name and unit.  Nobody else indexes ``y`` or ``p``:
solvers, results, analysis and presets ask the layout (``layout.state("V")``,
``layout.param("pump.block")``).

States, in this order: each membrane's potential (mV); each ion's amount in
each compartment that is not a fixed bath (mM*um per membrane area: the
concentration times the compartment's volume/area); quantities mechanisms
make states (metabolite amounts, volumes per membrane area in um, levels
such as O2 in mg/L); each mechanism's own states; then the ledger: running
totals (mM*um) of what each mechanism moved, quadratures that nothing
depends on (``n_dyn`` counts the states before them).

A layout is plain data: ``to_dict``/``from_dict`` round-trip it, so a saved
result carries it and can recompute its invariants and ledger.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

from ..flux import MembraneFlux, Transfer
from ..ions import ION, ION_NAMES, METABOLITES
from ..model.cell import CELL_PARAMS, Cell
from ..physics import CHARGE_PER_AMOUNT
from .kernels import place_of, relative_name

__all__ = ["Entry", "LedgerItem", "Layout", "build_layout", "LEDGER_SPECIES"]

LEDGER_SPECIES = ION_NAMES + ("ATP",)
"""Species whose movements the ledger totals (the conserved pools)."""
_KIND_ORDER = {"amount": 0, "volume": 1, "level": 2}


@dataclass(frozen=True)
class Entry:
    """One named slot.  ``kind`` of a state: potential, amount, volume, level,
    gate, ledger; of a parameter: cell, mechanism, input, reservoir, fixed,
    solute, geometry; of an observable: observable.  ``where``: the
    compartment, membrane or mechanism it belongs to.  ``settable``: a
    parameter that may change during a run, within [lo, hi]."""

    name: str
    unit: str
    doc: str
    kind: str
    where: str = ""
    settable: bool = False
    lo: float = -math.inf
    hi: float = math.inf


@dataclass(frozen=True)
class LedgerItem:
    """A running total: ``mechanism`` moved ``species`` out of (``site``
    membrane) or took it from (``site`` compartment) ``compartment``;
    ``site`` electrode: put into ``compartment``; ``site`` nonspecific:
    charge carried across membrane ``compartment`` without ions (as an
    amount of monovalent ions); ``site`` elsewhere: ATP used outside any
    pool the model tracks."""

    state: str
    mechanism: str
    species: str
    compartment: str
    site: str
    to: str = ""
    """Membrane items: the compartment the species moved into."""


@dataclass
class Layout:
    """See the module docstring.  Build with ``build_layout(cell)``."""

    states: tuple[Entry, ...]
    params: tuple[Entry, ...]
    observables: tuple[Entry, ...] = ()
    ledger: tuple[LedgerItem, ...] = ()
    n_dyn: int = 0
    membranes: tuple[dict, ...] = ()
    """Per membrane: name, V (state), Cm and area_ratio (parameters), inside,
    outside, carrier (electrode ion or ""), stim (parameter), nonspecific
    (ledger state or ""), electrode_nonspecific (True where the electrode's
    current is carried by no ion and counted in that ledger state)."""
    compartments: tuple[dict, ...] = ()
    """Per compartment: name, reservoir, volume (a state or a parameter name),
    amounts {species: state name} (reservoir: {ion: parameter name})."""
    _state_index: dict = field(default_factory=dict, repr=False)
    _param_index: dict = field(default_factory=dict, repr=False)
    _obs_index: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self._state_index = {e.name: j for j, e in enumerate(self.states)}
        self._param_index = {e.name: j for j, e in enumerate(self.params)}
        self._obs_index = {e.name: j for j, e in enumerate(self.observables)}

    # -------------------------------------------------------------- lookup --
    @property
    def n_states(self) -> int:
        return len(self.states)

    def state(self, name: str) -> int:
        """Index of state ``name`` in ``y``."""
        try:
            return self._state_index[name]
        except KeyError:
            raise KeyError(f"no state {name!r}; have: {', '.join(self._state_index)}") from None

    def param(self, name: str) -> int:
        """Index of parameter ``name`` (``pump.imax``, ``cell.T``) in ``p``."""
        try:
            return self._param_index[name]
        except KeyError:
            raise KeyError(f"no parameter {name!r} in the compiled cell") from None

    def observable(self, name: str) -> int:
        """Column of observable ``name`` in the observe function's output."""
        try:
            return self._obs_index[name]
        except KeyError:
            raise KeyError(f"no observable {name!r}; have: {', '.join(self._obs_index)}") from None

    def has_state(self, name: str) -> bool:
        return name in self._state_index

    def has_param(self, name: str) -> bool:
        return name in self._param_index

    def param_entry(self, name: str) -> Entry:
        return self.params[self.param(name)]

    def states_of(self, kind: str, where: str | None = None) -> list[int]:
        """Indices of the states of ``kind`` (and place ``where``)."""
        return [j for j, e in enumerate(self.states)
                if e.kind == kind and (where is None or e.where == where)]

    @property
    def V(self) -> int:
        """Index of the first membrane's potential."""
        return self.state(self.membranes[0]["V"])

    def amount(self, species: str, compartment: str) -> str | None:
        """State name of ``species``' amount in ``compartment`` (None: not a state)."""
        for comp in self.compartments:
            if comp["name"] == compartment and not comp["reservoir"]:
                return comp["amounts"].get(species)
        return None

    def compartment(self, name: str) -> dict:
        for comp in self.compartments:
            if comp["name"] == name:
                return comp
        raise KeyError(f"no compartment {name!r}")

    # ---------------------------------------------------------- invariants --
    def invariants(self, state, param, injected_charge=0.0, added: dict | None = None) -> dict:
        """The conserved quantities, given ``state(name)`` and ``param(name)``
        (arrays of rows, or numbers).

        ``total_X``: amount of ion X over every compartment that is not a bath
        (mM*um per membrane area), less what the electrode injected
        (``injected_charge``, nC/cm2, carried by the electrode's ion) and less
        ``added[X]`` (mM*um: ions a concentration change put into a closed
        space).  ``charge`` (and ``charge_<membrane>`` for further membranes):
        Cm*V*area - F*sum(z*amount inside) (nC/cm2) plus the charge that
        nonspecific currents carried out (the electrode's charge among them
        when it is carried by no ion; otherwise it arrives as ions); constant.
        Each is constant to round-off in a correct run.
        """
        out = {}
        for ion in ION_NAMES:
            total = 0.0
            for comp in self.compartments:
                if not comp["reservoir"] and ion in comp["amounts"]:
                    total = total + state(comp["amounts"][ion])
            for mem in self.membranes:
                if mem["carrier"] == ion:
                    total = total - injected_charge / (CHARGE_PER_AMOUNT * ION[ion].valence)
            if added and ion in added:
                total = total - added[ion]
            out[f"total_{ion}"] = total
        for k, mem in enumerate(self.membranes):
            inside = self.compartment(mem["inside"])["amounts"]
            q = param(mem["Cm"]) * param(mem["area_ratio"]) * state(mem["V"])
            q = q - CHARGE_PER_AMOUNT * sum(ION[ion].valence * state(inside[ion]) for ion in ION_NAMES)
            if mem["nonspecific"]:
                q = q + CHARGE_PER_AMOUNT * state(mem["nonspecific"])
            out["charge" if k == 0 else f"charge_{mem['name']}"] = q
        return out

    # ------------------------------------------------------------ plain data --
    def to_dict(self) -> dict:
        return {"states": [asdict(e) for e in self.states], "params": [asdict(e) for e in self.params],
                "observables": [asdict(e) for e in self.observables],
                "ledger": [asdict(e) for e in self.ledger], "n_dyn": self.n_dyn,
                "membranes": [dict(m) for m in self.membranes],
                "compartments": [dict(c) for c in self.compartments]}

    @classmethod
    def from_dict(cls, data: dict) -> "Layout":
        return cls(states=tuple(Entry(**e) for e in data["states"]),
                   params=tuple(Entry(**e) for e in data["params"]),
                   observables=tuple(Entry(**e) for e in data["observables"]),
                   ledger=tuple(LedgerItem(**e) for e in data["ledger"]), n_dyn=int(data["n_dyn"]),
                   membranes=tuple(dict(m) for m in data["membranes"]),
                   compartments=tuple(dict(c) for c in data["compartments"]))


# ------------------------------------------------------------------ builder --
def provided(cell: Cell) -> list:
    """Every quantity a mechanism makes a state (``Provided``, named as the cell
    names it: a mechanism on the astrocyte's membrane that provides ``w_i``
    provides ``w_g``), once each, in the layout's order: amounts, volumes,
    levels."""
    from dataclasses import replace

    mems = {m.name: {"V": m.V, "suffix": m.suffix, "inside": m.inside, "outside": m.outside}
            for m in cell.membranes()}
    out = {}
    for mech in cell.mechanisms:
        place = place_of(mech, mems)
        for q in mech.provides:
            initial = ("cell." + relative_name(q.initial.split(".", 1)[1], place)) if q.initial else ""
            q = replace(q, name=relative_name(q.name, place), initial=initial)
            out.setdefault(q.name, q)
    return sorted(out.values(), key=lambda q: _KIND_ORDER[q.kind])


def transfer_ledger_names(mech, place: dict, reservoirs) -> dict:
    """(species, compartment) -> ledger state of what ``mech``'s Transfers take
    from that compartment: ``q_<mech>_<species>``, or ``q_<mech>_<species>_<c>``
    when they move the species in more than one compartment (a glial buffer
    moving K+ from the extracellular space into its own compartment), so that
    each compartment's ledger gets its own total."""
    wheres: dict[str, list[str]] = {}
    for fl in mech.flux_list():
        if isinstance(fl, Transfer):
            for q in fl.moves:
                species, where = relative_name(q, place).rsplit("_", 1)
                seen = wheres.setdefault(species, [])
                if species in LEDGER_SPECIES and where not in reservoirs and where not in seen:
                    seen.append(where)
    return {(s, w): f"q_{mech.name}_{s}" if len(ws) == 1 else f"q_{mech.name}_{s}_{w}"
            for s, ws in wheres.items() for w in ws}


def build_layout(cell: Cell) -> Layout:
    """The layout of ``cell`` (its observables are added by the backend)."""
    comps = cell.compartments()
    reservoirs = {c.name for c in comps if c.reservoir}
    membranes = cell.membranes()
    states: list[Entry] = []
    params: list[Entry] = []

    def add_param(name, unit, doc, kind, where="", settable=False, lo=-math.inf, hi=math.inf):
        params.append(Entry(name, unit, doc, kind, where, settable, lo, hi))

    cp = {p.name: p for p in CELL_PARAMS}
    add_param("cell.T", "degC", cp["T"].doc, "cell", settable=True, lo=cp["T"].lo, hi=cp["T"].hi)
    add_param("cell.O2_bath", "mg/L", cp["O2_bath"].doc, "cell", settable=True, lo=cp["O2_bath"].lo,
              hi=cp["O2_bath"].hi)
    add_param("geometry.area", "um2", "membrane area of the cell", "geometry")

    mem_info = []
    for k, mem in enumerate(membranes):
        states.append(Entry(mem.V, "mV", f"membrane potential of {mem.name} (inside - outside)",
                            "potential", mem.name))
        add_param(f"cell.{mem.Cm}", "uF/cm2", f"specific capacitance of {mem.name}", "geometry", mem.name)
        add_param(f"geometry.area_{mem.name}", "1", f"area of {mem.name} per cell membrane area",
                  "geometry", mem.name)
        add_param(f"electrode.{mem.name}", "uA/cm2", f"electrode current into {mem.inside}", "input",
                  mem.name)
        mem_info.append({"name": mem.name, "V": mem.V, "Cm": params[-3].name, "area_ratio": params[-2].name,
                         "stim": params[-1].name, "inside": mem.inside, "outside": mem.outside,
                         "carrier": cell.electrode_ion if k == 0 and cell.electrode_ion != "none" else "",
                         "nonspecific": "", "electrode_nonspecific": k == 0 and cell.electrode_ion == "none",
                         "suffix": mem.suffix})

    comp_info = []
    for comp in comps:
        info = {"name": comp.name, "title": comp.title, "reservoir": comp.reservoir, "amounts": {},
                "volume": f"geometry.w_{comp.name}"}
        add_param(info["volume"], "um", f"volume per membrane area of {comp.title} (at the start)",
                  "geometry", comp.name)
        for ion in ION_NAMES:
            if comp.reservoir:
                add_param(f"cell.{ion}_{comp.name}", "mM", f"{ion} in the bath", "reservoir", comp.name)
                info["amounts"][ion] = f"cell.{ion}_{comp.name}"
            else:
                states.append(Entry(f"n_{ion}_{comp.name}", "mM*um", f"{ion} amount in {comp.title}",
                                    "amount", comp.name))
                info["amounts"][ion] = states[-1].name
        for solute, doc in (("A", "impermeant anions"), ("X", "neutral impermeant osmolytes")):
            add_param(f"solute.{solute}_{comp.name}", "mM*um", f"{doc} in {comp.title} (amount)", "solute",
                      comp.name)
        comp_info.append(info)

    for q in provided(cell):
        where = q.name.rsplit("_", 1)[-1]
        if q.kind != "level" and where in reservoirs:
            continue
        unit = "mM*um" if q.kind == "amount" else q.unit
        name = f"n_{q.name}" if q.kind == "amount" else q.name
        states.append(Entry(name, unit, q.doc, q.kind, where))
        if q.kind == "amount":
            for info in comp_info:
                if info["name"] == where:
                    info["amounts"][q.name.rsplit("_", 1)[0]] = name
        if q.kind == "volume":
            for info in comp_info:
                if info["name"] == where:
                    info["volume"] = name
    for comp in comps:
        if comp.cytosol:
            for met in METABOLITES:
                add_param(f"cell.{met}_{comp.name}", "mM", f"{met} in {comp.title} when it is not a state",
                          "fixed", comp.name)

    for mech in cell.mechanisms:
        for st in mech.states:
            states.append(Entry(f"{mech.name}_{st.name}", st.unit, st.doc, "gate", mech.name))
        for prm in mech.all_params():
            add_param(f"{mech.name}.{prm.name}", prm.unit, prm.doc, "mechanism", mech.name, True,
                      prm.lo, prm.hi)
    n_dyn = len(states)

    ledger: list[LedgerItem] = []

    def total(mech, species, compartment, site, to="", name=""):
        name = name or (f"q_{mech}_{species}" if site != "nonspecific" else f"q_{mech}_nonspecific")
        if any(item.state == name for item in ledger):
            return
        states.append(Entry(name, "mM*um", f"running total: {species} moved by {mech}", "ledger", mech))
        ledger.append(LedgerItem(name, mech, species, compartment, site, to))

    inside_of = {m["name"]: m["inside"] for m in mem_info}
    outside_of = {m["name"]: m["outside"] for m in mem_info}
    nonspecific = set()
    for mech in cell.mechanisms:
        for fl in mech.flux_list():
            if isinstance(fl, MembraneFlux):
                inside = inside_of[mech.membrane]
                for ion in fl.ions:
                    total(mech.name, ion, inside, "membrane", outside_of[mech.membrane])
                if fl.atp:
                    total(mech.name, "ATP", inside, "membrane")
                if fl.nonspecific or fl.electrogenic:
                    nonspecific.add(mech.membrane)
            elif isinstance(fl, Transfer):
                place = place_of(mech, {m["name"]: m for m in mem_info})
                names = transfer_ledger_names(mech, place, reservoirs)
                for q in fl.moves:
                    species, where = relative_name(q, place).rsplit("_", 1)
                    if (species, where) in names:
                        total(mech.name, species, where, "compartment", name=names[species, where])
                if fl.atp:
                    total(mech.name, "ATP", "", "elsewhere")
    for info in mem_info:
        if info["carrier"]:
            total("electrode", info["carrier"], info["inside"], "electrode")
    for info in mem_info:
        if info["name"] in nonspecific or info.get("electrode_nonspecific"):
            name = "membrane" if info is mem_info[0] else f"membrane_{info['name']}"
            total(name, "charge", info["name"], "nonspecific")
            info["nonspecific"] = f"q_{name}_nonspecific"
    return Layout(states=tuple(states), params=tuple(params), ledger=tuple(ledger), n_dyn=n_dyn,
                  membranes=tuple(mem_info), compartments=tuple(comp_info))
