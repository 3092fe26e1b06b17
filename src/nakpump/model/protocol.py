"""Protocols: what happens to the cell, and when.

A Protocol is a list of timed events.  Stimuli (current pulses, trains,
steps) are piecewise constant; parameter changes (pump block, TTX, TEA) and
concentration changes happen at instants.  ``Protocol.edges()`` lists every
instant where something changes; solvers integrate between edges and never
step across one.

Times are in ms, electrode currents in uA/cm2 (positive = into the cell,
depolarising), concentrations in mM.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Union

import numpy as np

MAX_TIME_MS = 1e8
"""Longest time accepted anywhere in a protocol (1e8 ms, about 28 hours)."""
MAX_CURRENT = 1e4
"""Largest electrode current accepted, uA/cm2."""


def _check_time(value: float, field_name: str, allow_zero: bool = True) -> float:
    x = _finite(value, field_name, f"0 to {MAX_TIME_MS:g} ms")
    if x < 0 or (x == 0 and not allow_zero) or x > MAX_TIME_MS:
        lo = "0" if allow_zero else "more than 0"
        raise ValueError(f"{field_name} = {x:g} ms is out of range (allowed {lo} to {MAX_TIME_MS:g} ms)")
    return x


def _finite(value: float, field_name: str, allowed: str) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{field_name}: {value!r} is not a number (allowed {allowed})") from None
    if not math.isfinite(x):
        raise ValueError(f"{field_name}: {value!r} is not finite (allowed {allowed})")
    return x


def _check_current(value: float, field_name: str) -> float:
    x = _finite(value, field_name, f"-{MAX_CURRENT:g} to {MAX_CURRENT:g} uA/cm2")
    if abs(x) > MAX_CURRENT:
        raise ValueError(f"{field_name} = {x:g} uA/cm2 is out of range "
                         f"(allowed -{MAX_CURRENT:g} to {MAX_CURRENT:g} uA/cm2)")
    return x


@dataclass(frozen=True)
class Pulse:
    """A rectangular current pulse: ``amplitude`` uA/cm2 from ``start`` for ``duration`` ms."""

    start: float
    duration: float
    amplitude: float

    def __post_init__(self):
        object.__setattr__(self, "start", _check_time(self.start, "pulse start"))
        object.__setattr__(self, "duration", _check_time(self.duration, "pulse duration", False))
        object.__setattr__(self, "amplitude", _check_current(self.amplitude, "pulse amplitude"))

    def intervals(self):
        yield self.start, self.start + self.duration, self.amplitude


@dataclass(frozen=True)
class PulseTrain:
    """``number`` pulses of ``duration`` ms and ``amplitude`` uA/cm2 at
    ``frequency`` Hz, the first at ``start`` ms."""

    start: float
    number: int
    frequency: float
    duration: float
    amplitude: float

    def __post_init__(self):
        object.__setattr__(self, "start", _check_time(self.start, "train start"))
        object.__setattr__(self, "duration", _check_time(self.duration, "train pulse duration", False))
        object.__setattr__(self, "amplitude", _check_current(self.amplitude, "train amplitude"))
        n = _finite(self.number, "train number", "1 to 1e6 pulses")
        if n != int(n) or not 1 <= n <= 1e6:
            raise ValueError(f"train number = {self.number!r} is out of range (allowed 1 to 1e6 pulses)")
        object.__setattr__(self, "number", int(n))
        f = _finite(self.frequency, "train frequency", "more than 0 to 1000 Hz")
        if not 0 < f <= 1000:
            raise ValueError(f"train frequency = {f:g} Hz is out of range (allowed more than 0 to 1000 Hz)")
        object.__setattr__(self, "frequency", f)
        if self.duration >= 1000.0 / f:
            raise ValueError(f"train pulse duration = {self.duration:g} ms must be shorter than the "
                             f"interval {1000.0 / f:g} ms")

    def intervals(self):
        period = 1000.0 / self.frequency
        for i in range(self.number):
            t0 = self.start + i * period
            yield t0, t0 + self.duration, self.amplitude


@dataclass(frozen=True)
class Step:
    """A holding current of ``amplitude`` uA/cm2 from ``start`` ms until ``stop``
    ms (or the end of the run)."""

    start: float
    amplitude: float
    stop: float = MAX_TIME_MS

    def __post_init__(self):
        object.__setattr__(self, "start", _check_time(self.start, "step start"))
        object.__setattr__(self, "stop", _check_time(self.stop, "step stop"))
        object.__setattr__(self, "amplitude", _check_current(self.amplitude, "step amplitude"))
        if self.stop <= self.start:
            raise ValueError(f"step stop = {self.stop:g} ms must be after its start {self.start:g} ms")

    def intervals(self):
        yield self.start, self.stop, self.amplitude


@dataclass(frozen=True)
class SetParameter:
    """At ``time`` ms, set parameter ``name`` (``mechanism.parameter``) to ``value``."""

    time: float
    name: str
    value: float

    def __post_init__(self):
        object.__setattr__(self, "time", _check_time(self.time, f"time of {self.name} change"))


@dataclass(frozen=True)
class SetConcentration:
    """At ``time`` ms, set extracellular concentration ``name`` (``K_o``,
    ``Na_o`` or ``Cl_o``) to ``value`` mM: a bath change, or (with a finite
    extracellular space) an exchange of its fluid."""

    time: float
    name: str
    value: float

    def __post_init__(self):
        object.__setattr__(self, "time", _check_time(self.time, f"time of {self.name} change"))
        from ..ions import ION_NAMES
        allowed = [f"{ion}_o" for ion in ION_NAMES]
        if self.name not in allowed:
            raise ValueError(f"concentration change: {self.name!r} is not one of {', '.join(allowed)}")
        x = _finite(self.value, self.name, "more than 0 to 2000 mM")
        if not 0 < x <= 2000:
            raise ValueError(f"{self.name} = {x:g} mM is out of range (allowed more than 0 to 2000 mM)")
        object.__setattr__(self, "value", x)


def Block(target: str, fraction: float, at: float) -> SetParameter:
    """Block ``fraction`` (0-1) of mechanism ``target`` from ``at`` ms:
    ouabain on ``pump``, TTX on the Na+ channel, TEA on the K+ channel.
    ``fraction=0`` washes the blocker out."""
    return SetParameter(at, f"{target}.block", fraction)


Stimulus = Union[Pulse, PulseTrain, Step]
Event = Union[Pulse, PulseTrain, Step, SetParameter, SetConcentration]


@dataclass
class Protocol:
    """Timed events applied to a cell.  ``Protocol([Pulse(10, 1, 20), Block("pump", 1, 500)])``."""

    events: list = field(default_factory=list)

    def __post_init__(self):
        self.events = list(self.events)
        for ev in self.events:
            if not isinstance(ev, (Pulse, PulseTrain, Step, SetParameter, SetConcentration)):
                raise TypeError(f"protocol event {ev!r} is not a Pulse, PulseTrain, Step, "
                                "SetParameter or SetConcentration")

    def add(self, *events: Event) -> "Protocol":
        self.events.extend(events)
        self.__post_init__()
        return self

    def stimuli(self):
        return [ev for ev in self.events if isinstance(ev, (Pulse, PulseTrain, Step))]

    def intervals(self) -> list[tuple[float, float, float]]:
        """Every (start, stop, amplitude) of electrode current."""
        return [iv for ev in self.stimuli() for iv in ev.intervals()]

    def changes(self):
        """Parameter and concentration changes, in time order."""
        ch = [ev for ev in self.events if isinstance(ev, (SetParameter, SetConcentration))]
        return sorted(ch, key=lambda ev: ev.time)

    def edges(self, duration: float) -> np.ndarray:
        """Sorted instants in [0, duration] where anything changes, with 0 and
        duration.  Instants closer than 1e-9 ms x max(1, t) are one edge (the
        earlier), so rounding (0.1 + 0.2 vs 0.3) never makes an empty segment."""
        ts = {0.0, float(duration)}
        for t0, t1, _ in self.intervals():
            ts.update((t0, t1))
        ts.update(ev.time for ev in self.changes())
        raw = sorted(t for t in ts if 0.0 <= t <= duration)
        merged = [raw[0]]
        for t in raw[1:]:
            if t - merged[-1] > 1e-9 * max(1.0, t):
                merged.append(t)
        if merged[-1] != duration:
            merged[-1] = float(duration)
        return np.array(merged)

    def current_at(self, t):
        """Electrode current (uA/cm2) in force just after time(s) ``t`` (ms);
        an interval edge within 1e-9 ms x max(1, t) after ``t`` counts as at ``t``."""
        iv = np.array(self.intervals(), float).reshape(-1, 3)
        t = np.asarray(t, float)
        if len(iv) == 0:
            return np.zeros_like(t) if t.ndim else 0.0
        t = t + 1e-9 * np.maximum(1.0, np.abs(t))
        starts, stops = np.argsort(iv[:, 0]), np.argsort(iv[:, 1])
        on = np.concatenate([[0.0], np.cumsum(iv[starts, 2])])
        off = np.concatenate([[0.0], np.cumsum(iv[stops, 2])])
        total = (on[np.searchsorted(iv[starts, 0], t, side="right")]
                 - off[np.searchsorted(iv[stops, 1], t, side="right")])
        return total if t.ndim else float(total)

    def injected_charge(self, t: np.ndarray) -> np.ndarray:
        """Charge injected by the electrode from 0 to each ``t`` (nC/cm2)."""
        t = np.asarray(t, float)
        q = np.zeros_like(t)
        for t0, t1, a in self.intervals():
            q += a * np.clip(np.minimum(t, t1) - t0, 0.0, None)
        return q

    def describe(self) -> str:
        if not self.events:
            return "no events"
        return "\n".join(f"  {ev}" for ev in self.events)
