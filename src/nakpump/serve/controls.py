"""The page's controls: what a student may change, mapped onto the compiled
cell's parameters, with ranges from the mechanisms' own Param declarations.

Each control has a page name (``pump.block``), a label, a unit, a range, a
default and the model parameters it sets (``alpha1.block`` and ``alpha3.block``
on the default neuron).  ``validate`` turns a JSON object of settings into
floats or raises ``SettingError`` with one entry per bad field (the 422
detail: field, allowed range, message).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

MAX_FREQUENCY_HZ = 200.0
"""Highest stimulus frequency the page offers, Hz (a 1-2 ms pulse must fit its interval)."""
MAX_AMPLITUDE = 100.0
"""Largest stimulus amplitude the page offers, uA/cm2 (electrode current into the cell)."""


class SettingError(ValueError):
    """Bad settings: ``details`` is a list of {field, allowed, message}."""

    def __init__(self, details: list[dict]):
        super().__init__("; ".join(d["message"] for d in details))
        self.details = details


@dataclass
class Control:
    """One control of the page.

    name : page name (``stim.frequency``); label, unit, help : what the page shows.
    lo, hi, default, step : range and start value, in ``unit``.
    targets : model parameters it sets (``alpha1.block``); ``concentration``:
    an extracellular concentration set through SetConcentration instead (the
    pump-leak cell's closed outside, ``K_o``); ``stimulus``: read by the stimulus.
    """

    name: str
    label: str
    unit: str
    lo: float
    hi: float
    default: float
    step: float
    help: str
    targets: tuple[str, ...] = ()
    concentration: str = ""
    integer: bool = False
    extra: dict = field(default_factory=dict)

    def unit_text(self) -> str:
        return f" {self.unit}" if self.unit and self.unit != "1" else ""

    def allowed(self) -> str:
        unit = self.unit_text()
        return f"{self.lo:g} to {self.hi:g}{unit}" + (" (0 or 1)" if self.integer else "")

    def public(self) -> dict:
        """The JSON the page gets (GET /api/cells/{cell}/controls)."""
        d = asdict(self)
        out = {k: d[k] for k in ("name", "label", "unit", "default", "step", "help")}
        out.update(min=self.lo, max=self.hi, allowed=self.allowed(), targets=list(self.targets))
        return out


def _param(cell, dotted: str):
    for name, p, value in cell.parameters():
        if name == dotted:
            return p, value
    return None, None


def neuron_pumps(cell) -> list[str]:
    """Names of the neuron's Na+/K+ pump mechanisms (not the astrocyte's)."""
    return [m.name for m in cell.mechanisms if m.family.endswith("pump") and not m.name.startswith("glia")]


def build_controls(cell) -> list[Control]:
    """The controls for ``cell`` (the default neuron, the pump-leak cell or a preset); only
    those whose targets the cell has (no pump block without a pump, no TTX without a Na+ channel)."""
    names = {m.name: m for m in cell.mechanisms}
    pumps = neuron_pumps(cell)
    amp, width = cell.test_pulse
    out = [
        Control("stim.on", "Stimulus on", "1", 0, 1, 0, 1, "1: the electrode gives a train of current pulses",
                integer=True),
        Control("stim.frequency", "Stimulus frequency", "Hz", 0.5, MAX_FREQUENCY_HZ, 10, 0.5,
                f"pulses per second (each {width:g} ms long)", extra={"width_ms": width}),
        Control("stim.amplitude", "Stimulus amplitude", "uA/cm2", 0, MAX_AMPLITUDE, round(float(amp), 3), 0.5,
                f"current of each pulse into the cell; {amp:g} uA/cm2 fires one spike at rest"),
    ]
    if pumps:
        p, _ = _param(cell, f"{pumps[0]}.block")
        out.append(Control("pump.block", "Pump block (ouabain)", "1", p.lo, p.hi, 0, 0.05,
                           "fraction of the neuron's Na+/K+ pumps blocked; 0 = washout",
                           targets=tuple(f"{n}.block" for n in pumps)))
        p, _ = _param(cell, f"{pumps[0]}.electrogenic")
        if p is not None:
            out.append(Control("pump.electrogenic", "Pump current counts", "1", p.lo, p.hi, 1, 0.05,
                               "1: the pump's net charge (1 per cycle) crosses the membrane; 0: the pump "
                               "moves the same ions but no current (its direct share of V vanishes)",
                               targets=tuple(f"{n}.electrogenic" for n in pumps)))
    p, value = _param(cell, "cell.K_o")
    if "diffusion_k" in names:
        bp, _ = _param(cell, "diffusion_k.bath")
        out.append(Control("bath.K_o", "Bath K+", "mM", max(p.lo, bp.lo, 0.5), min(p.hi, bp.hi, 100.0),
                           round(float(value), 3), 0.5, "K+ of the fluid around the tissue",
                           targets=("diffusion_k.bath",)))
    else:
        out.append(Control("bath.K_o", "Outside K+", "mM", max(p.lo, 0.5), min(p.hi, 100.0),
                           round(float(value), 3), 0.5,
                           "K+ outside the cell (the outside fluid is exchanged when it changes)",
                           concentration="K_o"))
    if "energy" in names:
        p, _ = _param(cell, "energy.supply")
        out.append(Control("energy.supply", "Energy supply (O2 and blood flow)", "1", p.lo, p.hi, 1, 0.05,
                           "1 = normal ATP production; 0 = ischemia",
                           targets=tuple(n for n in ("energy.supply", "glia_energy.supply")
                                         if n.split(".")[0] in names)))
    na_ch = [n for n in ("nat", "hh_na") if n in names]  # the voltage-gated Na+ channel (HH's own too)
    if na_ch:
        p, _ = _param(cell, f"{na_ch[0]}.block")
        out.append(Control("ttx", "TTX (Na+ channel block)", "1", p.lo, p.hi, 0, 0.05,
                           "fraction of voltage-gated Na+ channels blocked", targets=(f"{na_ch[0]}.block",)))
    k_ch = [n for n in ("kdr", "hh_k") if n in names]
    if k_ch:
        p, _ = _param(cell, f"{k_ch[0]}.block")
        out.append(Control("tea", "TEA (K+ channel block)", "1", p.lo, p.hi, 0, 0.05,
                           "fraction of delayed-rectifier K+ channels blocked",
                           targets=(f"{k_ch[0]}.block",)))
    p, value = _param(cell, "cell.T")
    lo = min(max(p.lo, 10.0), round(float(value), 2))  # the squid axon's 6.3 degC is in range
    out.append(Control("cell.T", "Temperature", "degC", lo, p.hi, round(float(value), 2), 0.5,
                       "temperature: channel and pump rates scale with their Q10", targets=("cell.T",)))
    return out


def defaults(controls: list[Control]) -> dict[str, float]:
    return {c.name: float(c.default) for c in controls}


def validate(controls: list[Control], settings, partial: bool = True) -> dict[str, float]:
    """``settings`` (a JSON object: name -> number) checked against
    ``controls``: a dict of floats, or SettingError listing every bad field."""
    if not isinstance(settings, dict):
        raise SettingError([{"field": "settings", "allowed": "a JSON object of name: number",
                             "message": "settings must be an object of name: number, not "
                                        f"{type(settings).__name__}"}])
    by_name = {c.name: c for c in controls}
    out, bad = {}, []
    for key, value in settings.items():
        c = by_name.get(key)
        if c is None:
            bad.append({"field": str(key)[:80], "allowed": ", ".join(by_name),
                        "message": f"unknown setting {str(key)[:80]!r}; allowed: {', '.join(by_name)}"})
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            bad.append({"field": key, "allowed": c.allowed(),
                        "message": f"{key}: {str(value)[:40]!r} is not a number (allowed {c.allowed()})"})
            continue
        try:
            x = float(value)
        except OverflowError:  # a JSON integer beyond any float
            x = math.inf
        if not math.isfinite(x) or not c.lo <= x <= c.hi or (c.integer and x not in (0.0, 1.0)):
            bad.append({"field": key, "allowed": c.allowed(),
                        "message": f"{key} = {x:g}{c.unit_text()} is out of range (allowed {c.allowed()})"})
            continue
        out[key] = x
    if bad:
        raise SettingError(bad)
    return out
