"""What the default scenarios do to a cell, found by what its mechanisms are
(tags and families), so one scenario runs on any of ``CELLS``: block every
Na+/K+ pump (ouabain), block the Na+ channels (TTX), stop and restore the
energy supply, take K+ out of the bath; and the measures they share
(a spike-filtered potential, per-um2 values).
"""

from __future__ import annotations

import numpy as np

from ..model.cell import Cell
from ..model.protocol import Block, SetParameter

__all__ = ["pump_names", "na_channel_names", "block_pumps", "block_na_channels", "energy_events",
           "bath_k_events", "test_pulse", "sustained", "per_um2"]


def pump_names(cell: Cell, membrane: str | None = None) -> list[str]:
    """The Na+/K+ pumps (mechanisms tagged ``na_k_pump``), on ``membrane`` or on all."""
    names = [m.name for m in cell.mechanisms if "na_k_pump" in m.tags
             and (membrane is None or (m.site == "membrane" and m.membrane == membrane))]
    if not names:
        raise ValueError(f"cell {cell.name} has no Na+/K+ pump" + (f" on {membrane}" if membrane else ""))
    return names


def na_channel_names(cell: Cell) -> list[str]:
    """The voltage-gated Na+ channels (mechanisms tagged ``na_channel``)."""
    return [m.name for m in cell.mechanisms if "na_channel" in m.tags]


def block_pumps(cell: Cell, fraction: float, t: float, membrane: str | None = None) -> list[Block]:
    """Block ``fraction`` of every Na+/K+ pump at ``t`` ms (ouabain; ``membrane`` limits it to one)."""
    return [Block(name, fraction, t) for name in pump_names(cell, membrane)]


def block_na_channels(cell: Cell, fraction: float = 1.0) -> Cell:
    """A copy of ``cell`` with its Na+ channels blocked (TTX)."""
    names = na_channel_names(cell)
    if not names:
        raise ValueError(f"cell {cell.name} has no voltage-gated Na+ channel to block")
    return cell.with_params({f"{name}.block": fraction for name in names})


def _energies(cell: Cell) -> list:
    return [m for m in cell.mechanisms if m.family == "energy"]


def energy_events(cell: Cell, t_off: float, t_on: float | None = None, flow: bool = False) -> list:
    """Events that stop the energy supply at ``t_off`` ms and restore it at ``t_on``.

    A cell whose oxidative phosphorylation reads oxygen (``Energy.o2_half`` > 0
    with an ``Oxygen`` mechanism) loses its O2 supply (``cell.O2_bath`` -> 0;
    tissue O2 then falls with the store's time constant); otherwise every
    ``Energy`` mechanism's ``supply`` goes to 0.  With ``flow`` the blood flow
    stops too: every bath exchange (``BathDiffusion``) rate goes to 0.
    """
    energies = _energies(cell)
    if not energies:
        raise ValueError(f"cell {cell.name} has no energy mechanism (ATP is fixed); use a cell with one")
    oxygen = cell.has("oxygen") and all(m.values["o2_half"] > 0 for m in energies)
    if oxygen:
        o2 = cell.values["O2_bath"]
        events = [SetParameter(t_off, "cell.O2_bath", 0.0)]
        if t_on is not None:
            events.append(SetParameter(t_on, "cell.O2_bath", o2))
    else:
        events = [SetParameter(t_off, f"{m.name}.supply", 0.0) for m in energies]
        if t_on is not None:
            events += [SetParameter(t_on, f"{m.name}.supply", m.values["supply"]) for m in energies]
    if flow:
        for m in cell.mechanisms:
            if m.family == "bath_diffusion":
                events.append(SetParameter(t_off, f"{m.name}.rate", 0.0))
                if t_on is not None:
                    events.append(SetParameter(t_on, f"{m.name}.rate", m.values["rate"]))
    return events


def bath_k_events(cell: Cell, k: float, t: float) -> list:
    """Set the bath's K+ to ``k`` mM at ``t`` ms (a cell with a fixed bath:
    ``cell.K_o``; otherwise every K+ bath exchange's ``bath``)."""
    if cell.values["bath"]:
        return [SetParameter(t, "cell.K_o", k)]
    names = [m.name for m in cell.mechanisms if m.family == "bath_diffusion" and m.ion == "K"]
    if not names:
        raise ValueError(f"cell {cell.name} has no bath for K+ (a closed extracellular space)")
    return [SetParameter(t, f"{name}.bath", k) for name in names]


def test_pulse(cell: Cell, amplitude: float, width: float) -> tuple[float, float]:
    """The pulse a scenario gives: ``amplitude`` uA/cm2 for ``width`` ms, or
    with amplitude 0 the cell's own test pulse (``cell.test_pulse``)."""
    return cell.test_pulse if amplitude == 0.0 else (amplitude, width)


def sustained(t: np.ndarray, v: np.ndarray, window: float = 1000.0) -> np.ndarray:
    """The potential without its spikes: the median of V within ``window`` ms
    around each sample of a uniform grid, mV.  A spike and its fast
    after-potentials (tens of ms) are outliers of the window, so sparse
    firing (below about 5 Hz) drops out; a sustained change does not."""
    from scipy.ndimage import median_filter

    if len(t) < 2:
        return np.asarray(v, dtype=float).copy()
    size = max(1, int(round(window / (t[1] - t[0]))) + 1)
    return median_filter(np.asarray(v, dtype=float), size=size, mode="nearest")


def per_um2(per_cell: float, area_um2: float) -> float:
    """A per-cell rate or count divided by the membrane area (per um2)."""
    return per_cell / area_um2
