"""Results: labelled time series with units, self-contained, and their files.

Names are stable: ``t`` (ms), ``V`` (mV), ``Na_i``, ``K_o``, ... (mM),
``E_Na``, ... (mV), per-mechanism per-ion currents such as ``I_nat_Na`` and
``I_pump`` (uA/cm2, outward positive), ``I_stim`` (uA/cm2, into the cell),
``Q_stim`` (nC/cm2 injected since the start), ``atp_flux`` (mol/(cm2 s)),
``atp_rate`` (mM/s of the cytosol), mechanism states such as ``nat_m``
(dimensionless).  CSV column names carry the unit (``t_ms``, ``V_mV``,
``I_pump_uA_cm2``); NetCDF keeps units as attributes.

A Result holds everything it needs: the data, the full state vector at each
sample with the layout that names it, the parameter values, and provenance
(version, cell, mechanisms and their sources, protocol, solver settings).
``ledger()`` and ``conservation()`` work on a Result read back from NetCDF
(``load_result``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from .._version import __version__
from ..compile.layout import Layout

__all__ = ["Result", "load_result", "column_name"]

_UNIT_TOKEN = {"ms": "ms", "mV": "mV", "mM": "mM", "uA/cm2": "uA_cm2", "mol/(cm2 s)": "mol_cm2_s",
               "mM/s": "mM_s", "1": "", "mM*um": "mM_um", "nC/cm2": "nC_cm2"}
_JSON_META = ("layout", "params", "mechanisms", "exchanged", "parameters")


def column_name(name: str, unit: str) -> str:
    """CSV column for ``name`` with ``unit``: ``V`` in mV -> ``V_mV``."""
    token = _UNIT_TOKEN.get(unit, unit.replace("/", "_").replace(" ", ""))
    return f"{name}_{token}" if token else name


class Result:
    """The outcome of a run: ``result["V"]``, ``result.t``, ``result.spikes``.

    Attributes
    ----------
    t : ndarray, ms
    spikes : ndarray, ms -- upward crossings of the spike threshold, located
        on the solver's dense output.
    units, descriptions : dict name -> str
    Y : ndarray (samples x states) -- the state vector, named by ``layout``.
    layout : the compiled cell's Layout (plain data).
    meta : dict -- provenance, solver settings and statistics, timings,
        ``params`` (every parameter's value by name), ``mechanisms`` (family,
        title, tags and source of each), ``exchanged`` (concentration changes).
    interrupted : bool -- the run was stopped early (Ctrl-C); data end at ``t[-1]``.
    """

    def __init__(self, t, data, units, descriptions, spikes, meta, Y, layout: Layout):
        self.t = t
        self._data = data
        self.units = units
        self.descriptions = descriptions
        self.spikes = spikes
        self.meta = meta
        self.Y = Y
        self.layout = layout

    @classmethod
    def from_run(cls, cell, layout: Layout, p0, t, Y, observed: dict, spikes, injected_charge, meta: dict):
        """Assemble a result: ``observed`` from the model's observe function,
        ``injected_charge`` (nC/cm2 per sample) from the protocol."""
        lay = layout
        data = {"V": Y[:, lay.V].copy()}
        units = {"t": "ms", "V": "mV"}
        desc = {"t": "time", "V": "membrane potential (inside - outside)"}
        for e in lay.observables:
            data[e.name], units[e.name], desc[e.name] = observed[e.name], e.unit, e.doc
        for j, e in enumerate(lay.states):
            if e.kind in ("gate", "volume", "level") or (e.kind == "potential" and j != lay.V):
                data[e.name], units[e.name], desc[e.name] = Y[:, j].copy(), e.unit, f"state {e.name}"
        data["Q_stim"], units["Q_stim"] = np.asarray(injected_charge, dtype=float), "nC/cm2"
        desc["Q_stim"] = "charge injected by the electrode since the start"
        v = cell.values
        full = {
            "nakpump_version": __version__,
            "cell": cell.name,
            "cell_description": cell.describe(),
            "area_um2": v["area"], "Cm_uF_cm2": v["Cm"], "vol_i_um3": v["vol_i"],
            "electrode_ion": cell.electrode_ion,
            "mechanisms": {m.name: _describe_mechanism(m) for m in cell.mechanisms},
            "parameters": {name: [value, prm.unit] for name, prm, value in cell.parameters()},
            "params": {e.name: float(x) for e, x in zip(lay.params, p0, strict=True)},
            "layout": lay.to_dict(),
        }
        full.update(meta)
        return cls(np.asarray(t, dtype=float), data, units, desc, np.asarray(spikes, dtype=float), full,
                   np.asarray(Y, dtype=float), lay)

    # ------------------------------------------------------------- access --
    @property
    def interrupted(self) -> bool:
        return bool(self.meta.get("interrupted", False))

    @property
    def names(self) -> list[str]:
        return ["t"] + list(self._data)

    @property
    def mechanisms(self) -> dict:
        """name -> {family, title, site, tags, source} of the cell's mechanisms."""
        return self.meta["mechanisms"]

    def __getitem__(self, name: str) -> np.ndarray:
        if name == "t":
            return self.t
        try:
            return self._data[name]
        except KeyError:
            raise KeyError(f"no quantity {name!r} in this result; have: {', '.join(self.names)}") from None

    def __contains__(self, name: str) -> bool:
        return name == "t" or name in self._data

    def _states(self) -> np.ndarray:
        if self.Y is None:
            raise ValueError("this result was read from a CSV file, which holds the observables only; "
                             "the state vector (states, ledger, invariants) is in the NetCDF file "
                             "(--out FILE.nc)")
        return self.Y

    def state(self, name: str) -> np.ndarray:
        """The state ``name`` (as the layout names it: ``n_Na_i``, ``q_pump_Na``) over time."""
        return self._states()[:, self.layout.state(name)]

    def param(self, name: str) -> float:
        """The value of parameter ``name`` (``cell.T``, ``pump.imax``) at the start."""
        try:
            return float(self.meta["params"][name])
        except KeyError:
            raise KeyError(f"no parameter {name!r} in this result") from None

    def conservation(self) -> dict[str, np.ndarray]:
        """The run's conserved quantities per sample (see ``Layout.invariants``),
        corrected for what the protocol added: the electrode's ions (its
        charge, ``Q_stim``) and the ions a ``SetConcentration`` put into (or
        took from) a closed outside.  In a correct run each is constant to
        round-off."""
        added = {}
        for t0, ion, amount in self.meta.get("exchanged", []):
            after = (self.t > t0) | (t0 == 0.0)
            added[ion] = added.get(ion, 0.0) + np.where(after, amount, 0.0)
        return self.layout.invariants(self.state, self.param, self["Q_stim"], added)

    def ledger(self):
        """Where every ion and ATP went (a DataFrame; see ``nakpump.results.ledger``)."""
        from .ledger import ledger
        return ledger(self)

    @property
    def initial_state(self) -> np.ndarray:
        """The first recorded state vector."""
        return self._states()[:1][0].copy()

    @property
    def final_state(self) -> np.ndarray:
        """The last recorded state vector (to continue a run from)."""
        return self._states()[-1].copy()

    def window(self, t0: float, t1: float) -> np.ndarray:
        """Boolean mask of samples with t0 <= t <= t1 (ms)."""
        return (self.t >= t0) & (self.t <= t1)

    def __repr__(self) -> str:
        return (f"Result({len(self.t)} samples, 0-{self.t[-1] if len(self.t) else 0:g} ms, "
                f"{len(self.spikes)} spikes)")

    # ------------------------------------------------------------ formats --
    def to_dataframe(self):
        """pandas DataFrame indexed by ``t`` (ms); units in ``df.attrs['units']``."""
        import pandas as pd

        df = pd.DataFrame(self._data, index=pd.Index(self.t, name="t"))
        df.attrs["units"] = dict(self.units)
        return df

    def to_xarray(self):
        """xarray Dataset over ``t`` with units and descriptions as attributes;
        spike times over dimension ``spike``; the state vector over (t, state)
        with the state names as coordinate; provenance in the attributes
        (nested items as JSON text)."""
        import xarray as xr

        ds = xr.Dataset(
            {name: ("t", values, {"units": self.units[name], "long_name": self.descriptions[name]})
             for name, values in self._data.items()},
            coords={"t": ("t", self.t, {"units": "ms", "long_name": "time"}),
                    "state": ("state", [e.name for e in self.layout.states])},
        )
        ds["spike_times"] = ("spike", self.spikes, {"units": "ms",
                                                    "long_name": "spike times (upward threshold crossings)"})
        ds["state_vector"] = (("t", "state"), self._states(), {"long_name": "states in the layout's order"})
        for key, value in self.meta.items():
            if key in _JSON_META:
                ds.attrs[f"{key}_json"] = json.dumps(value)
            elif isinstance(value, bool):
                ds.attrs[key] = int(value)
            elif isinstance(value, (list, tuple, dict)):
                ds.attrs[key] = json.dumps(value)
            else:
                ds.attrs[key] = value
        return ds

    @classmethod
    def from_xarray(cls, ds) -> "Result":
        """The Result that ``to_xarray`` wrote (NetCDF read back)."""
        meta = {}
        for key, value in ds.attrs.items():
            if key.endswith("_json"):
                meta[key[:-5]] = json.loads(value)
            else:
                meta[key] = value.item() if hasattr(value, "item") else value
        if "interrupted" in meta:
            meta["interrupted"] = bool(meta["interrupted"])
        meta["exchanged"] = [tuple(x) for x in meta.get("exchanged", [])]
        skip = {"spike_times", "state_vector"}
        data = {name: ds[name].values for name in ds.data_vars if name not in skip}
        units = {"t": "ms", **{name: ds[name].attrs.get("units", "") for name in data}}
        desc = {"t": "time", **{name: ds[name].attrs.get("long_name", "") for name in data}}
        layout = Layout.from_dict(meta["layout"])
        return cls(ds["t"].values, data, units, desc, ds["spike_times"].values, meta,
                   np.ascontiguousarray(ds["state_vector"].values), layout)

    def to_csv(self, path) -> Path:
        """Write a CSV with units in the column names (``t_ms``, ``V_mV``, ...),
        after two comment lines (``#``): what wrote it and its provenance as
        JSON (scenario, options, settings, every parameter, solver settings,
        spike times).  ``pandas.read_csv(path, comment="#")`` reads the
        table; ``load_result(path)`` the whole Result (without the state
        vector, which only the NetCDF file holds)."""
        path = Path(path)
        names = self.names
        cols = [column_name(n, self.units[n]) for n in names]
        table = np.column_stack([self[n] for n in names]) if len(self.t) else np.empty((0, len(names)))
        provenance = {"meta": self.meta, "spikes": [float(s) for s in self.spikes],
                      "columns": {c: [n, self.units[n], self.descriptions.get(n, "")]
                                  for c, n in zip(cols, names, strict=True)}}
        head = (f"# nakpump {__version__} result: read the table with pandas.read_csv(path, comment='#'), "
                "the whole result with nakpump.load_result(path)\n"
                f"# provenance: {json.dumps(provenance, default=_jsonable)}\n")
        _atomic_write(path, lambda fh: (fh.write(head + ",".join(cols) + "\n"),
                                         np.savetxt(fh, table, delimiter=",", fmt="%.10g")))
        return path

    def to_netcdf(self, path) -> Path:
        """Write NetCDF (via xarray; netCDF4/h5netcdf if installed, else scipy's netCDF3)."""
        path = Path(path)
        ds = self.to_xarray()
        tmp = path.with_name(path.name + ".part")
        try:
            try:
                ds.to_netcdf(tmp)
            except (ValueError, ImportError):
                ds.to_netcdf(tmp, engine="scipy")
            os.replace(tmp, path)
        finally:
            if tmp.exists():
                tmp.unlink()
        return path

    def save(self, path) -> Path:
        """Write to ``.csv`` or ``.nc`` by the file's extension."""
        path = Path(path)
        if path.suffix.lower() == ".csv":
            return self.to_csv(path)
        if path.suffix.lower() in (".nc", ".netcdf", ".nc4"):
            return self.to_netcdf(path)
        raise ValueError(f"output file {str(path)!r}: unknown extension {path.suffix!r} "
                         "(allowed .csv, .nc)")


def _describe_mechanism(mech) -> dict:
    from ..flux import MembraneFlux

    return {"family": mech.family, "title": mech.title, "site": mech.site, "tags": sorted(mech.tags),
            "source": mech.source, "place": mech.membrane if mech.site == "membrane" else mech.compartment,
            "fluxes": [{"ions": dict(fl.ions), "atp": fl.atp, "nonspecific": fl.nonspecific}
                       for fl in mech.flux_list() if isinstance(fl, MembraneFlux)]}


def load_result(path) -> Result:
    """Read a Result written by ``Result.save``: from NetCDF (``.nc``) all of
    it; from CSV (``.csv``) its data, spike times and provenance, without the
    state vector (so no ``ledger()`` or ``conservation()``)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _load_csv(path)
    if suffix not in (".nc", ".netcdf", ".nc4"):
        raise ValueError(f"load_result {str(path)!r}: unknown extension {path.suffix!r} (allowed .nc, .csv)")
    import xarray as xr

    with xr.open_dataset(path) as ds:
        return Result.from_xarray(ds.load())


def _load_csv(path: Path) -> Result:
    import pandas as pd

    provenance = None
    with open(path) as fh:
        for line in fh:
            if not line.startswith("#"):
                break
            if line.startswith("# provenance: "):
                provenance = json.loads(line[len("# provenance: "):])
    if provenance is None:
        raise ValueError(f"load_result {str(path)!r}: no nakpump provenance line; not written by nakpump")
    frame = pd.read_csv(path, comment="#")
    columns = provenance["columns"]
    data, units, desc = {}, {}, {}
    for col in frame.columns:
        name, unit, doc = columns[col]
        if name != "t":
            data[name] = frame[col].to_numpy(dtype=float)
        units[name], desc[name] = unit, doc
    meta = provenance["meta"]
    meta["exchanged"] = [tuple(x) for x in meta.get("exchanged", [])]
    first = next(c for c, (n, _, _) in columns.items() if n == "t")
    return Result(frame[first].to_numpy(dtype=float), data, units, desc, np.asarray(provenance["spikes"]),
                  meta, None, Layout.from_dict(meta["layout"]))


def _jsonable(x):
    if isinstance(x, (np.floating, np.integer)):
        return x.item()
    if isinstance(x, np.ndarray):
        return x.tolist()
    return str(x)


def _atomic_write(path: Path, writer) -> None:
    tmp = path.with_name(path.name + ".part")
    try:
        with open(tmp, "w") as fh:
            writer(fh)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
