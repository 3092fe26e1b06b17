"""Published and textbook models as presets: each a module with its
citation, its cell (parameters with units in the mechanisms' tables), its
initial state, and scenarios that reproduce its headline behaviour.

``PRESETS`` is the registry the CLI (``nakpump presets``, ``nakpump cite``,
``nakpump run PRESET:SCENARIO``) and the validation report read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable


@dataclass
class Preset:
    """A published model: ``build()`` returns its cell; ``scenarios`` its
    named experiments (``nakpump.scenarios.Scenario``)."""

    name: str
    title: str
    references: tuple[str, ...]
    description: str
    build: Callable
    scenarios: dict = field(default_factory=dict)

    def cite(self) -> str:
        return "\n".join(self.references)


PRESETS: dict[str, Preset] = {}


def register(preset: Preset) -> Preset:
    PRESETS[preset.name] = preset
    return preset


def get_preset(name: str) -> Preset:
    _load_all()
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; available: {', '.join(PRESETS)}")
    return PRESETS[name]


def _load_all() -> None:
    from . import cressman2009, hh1952, hubel_dahlem2014, wei2014  # noqa: F401  (they register themselves)
