"""Results: labelled time series with units, and their files.

Names are stable (DESIGN.md, Results): ``t`` (ms), ``V`` (mV), ``Na_i``,
``K_o``, ... (mM), ``E_Na``, ... (mV), per-mechanism per-ion currents such as
``I_nat_Na`` and ``I_pump`` (uA/cm2, outward positive), ``I_stim`` (uA/cm2,
into the cell), ``atp_flux`` (mol/(cm2 s)), ``atp_rate`` (mM/s of the
cytosol), mechanism states such as ``nat_m`` (dimensionless).
CSV column names carry the unit (``t_ms``, ``V_mV``, ``I_pump_uA_cm2``);
NetCDF keeps units as attributes.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from . import __version__

_UNIT_TOKEN = {"ms": "ms", "mV": "mV", "mM": "mM", "uA/cm2": "uA_cm2", "mol/(cm2 s)": "mol_cm2_s",
               "mM/s": "mM_s", "1": "", "mM*um": "mM_um", "nC/cm2": "nC_cm2"}


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
    meta : dict -- solver settings and statistics, timings, provenance.
    interrupted : bool -- the run was stopped early (Ctrl-C); data end at ``t[-1]``.
    """

    def __init__(self, t, data, units, descriptions, spikes, meta, system=None, Y=None,
                 seg=None, P=None, protocol=None):
        self.t = t
        self._data = data
        self.units = units
        self.descriptions = descriptions
        self.spikes = spikes
        self.meta = meta
        self.system = system
        self.Y = Y
        self.seg = seg
        self.P = P
        self.protocol = protocol

    @classmethod
    def from_run(cls, system, protocol, t, Y, seg, P, spikes, *, tol, dt, duration, stats, wall,
                 compile_time, interrupted, t_reached, exchanged=()):
        data = {"V": Y[:, 0].copy()}
        units = {"t": "ms", "V": "mV"}
        desc = {"t": "time", "V": "membrane potential (inside - outside)"}
        if len(t):
            obs = system.observe(Y, seg, P)
        else:
            obs = {name: np.empty(0) for name, _, _ in system.observed}
        for name, unit, text in system.observed:
            data[name] = obs[name]
            units[name] = unit
            desc[name] = text
        for j, (name, unit) in enumerate(zip(system.state_names, system.state_units, strict=True)):
            if j > 0 and unit != "mM*um":
                data[name] = Y[:, j].copy()
                units[name] = unit
                desc[name] = f"state {name}"
        meta = {
            "nakpump_version": __version__,
            "cell": system.cell.describe(),
            "protocol": protocol.describe(),
            "duration_ms": duration,
            "dt_ms": dt,
            "rtol": tol.rtol, "atol_V_mV": tol.atol_V, "atol_conc_mM": tol.atol_conc,
            "atol_gate": tol.atol_gate,
            "steps": int(stats[0]), "rejected_steps": int(stats[1]),
            "rhs_calls": int(stats[2]), "jacobians": int(stats[3]),
            "wall_time_s": wall, "compile_time_s": compile_time,
            "interrupted": bool(interrupted), "t_reached_ms": t_reached,
            "exchanged": [(float(t0), ion, float(a)) for t0, ion, a in exchanged],
        }
        return cls(t, data, units, desc, spikes, meta, system=system, Y=Y, seg=seg, P=P,
                   protocol=protocol)

    # ------------------------------------------------------------- access --
    @property
    def interrupted(self) -> bool:
        return bool(self.meta.get("interrupted", False))

    @property
    def names(self) -> list[str]:
        return ["t"] + list(self._data)

    def __getitem__(self, name: str) -> np.ndarray:
        if name == "t":
            return self.t
        try:
            return self._data[name]
        except KeyError:
            raise KeyError(f"no quantity {name!r} in this result; have: {', '.join(self.names)}") from None

    def __contains__(self, name: str) -> bool:
        return name == "t" or name in self._data

    def conservation(self) -> dict[str, np.ndarray]:
        """The run's conserved quantities per sample (see ``System.invariants``),
        corrected for what the protocol added: the electrode's ions and the
        ions a ``SetConcentration`` put into (or took from) a closed outside.
        In a correct run each is constant to round-off."""
        added = {}
        for t0, ion, amount in self.meta.get("exchanged", []):
            after = (self.t > t0) | (t0 == 0.0)
            added[ion] = added.get(ion, 0.0) + np.where(after, amount, 0.0)
        return self.system.invariants(self.Y, self.protocol.injected_charge(self.t), added)

    def ledger(self):
        """Where every ion and ATP went (a DataFrame; see ``nakpump.ledger``)."""
        from .ledger import ledger
        return ledger(self)

    @property
    def final_state(self) -> np.ndarray:
        """The last recorded state vector (to continue a run from)."""
        return self.Y[-1].copy()

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
        spike times in ``spike_times`` over dimension ``spike``."""
        import xarray as xr

        ds = xr.Dataset(
            {name: ("t", values, {"units": self.units[name], "long_name": self.descriptions[name]})
             for name, values in self._data.items()},
            coords={"t": ("t", self.t, {"units": "ms", "long_name": "time"})},
        )
        ds["spike_times"] = ("spike", self.spikes, {"units": "ms",
                                                    "long_name": "spike times (upward threshold crossings)"})
        for key, value in self.meta.items():
            if isinstance(value, bool):
                value = int(value)
            elif isinstance(value, (list, tuple)):
                value = repr(value)
            ds.attrs[key] = value
        return ds

    def to_csv(self, path) -> Path:
        """Write a CSV with units in the column names (``t_ms``, ``V_mV``, ...)."""
        path = Path(path)
        names = self.names
        cols = [column_name(n, self.units[n]) for n in names]
        table = np.column_stack([self[n] for n in names]) if len(self.t) else np.empty((0, len(names)))
        _atomic_write(path, lambda fh: (fh.write(",".join(cols) + "\n"),
                                         np.savetxt(fh, table, delimiter=",", fmt="%.10g")))
        return path

    def to_netcdf(self, path) -> Path:
        """Write NetCDF (via xarray; netCDF4/h5netcdf if installed, else scipy's netCDF3)."""
        path = Path(path)
        ds = self.to_xarray()
        tmp = path.with_name(path.name + ".part")
        try:
            ds.to_netcdf(tmp)
        except (ValueError, ImportError):
            ds.to_netcdf(tmp, engine="scipy")
        os.replace(tmp, path)
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


def _atomic_write(path: Path, writer) -> None:
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "w") as fh:
        writer(fh)
    os.replace(tmp, path)
