"""The catalog: the default neuron and the published models, with their
named experiments.  Importing this package loads every entry, so the
registries below are complete.

    get("spike-train")          a default-neuron scenario
    get("wei2014:seizures")     a preset's scenario
    get_preset("hh1952")        a published model
"""

from . import (  # noqa: F401  (they register)
    cressman2009,
    energy_failure,
    hh1952,
    hubel_dahlem2014,
    kager2000,
    neuron,
    pump_ahp,
    wei2014,
)
from .cells import CELLS, default_cell, get_cell, neuron_in_tissue, pump_leak_cell, squid_cell
from .scenario import PRESETS, SCENARIOS, Outcome, Preset, RunInterrupted, Scenario, Summary

__all__ = ["CELLS", "PRESETS", "SCENARIOS", "Outcome", "Preset", "RunInterrupted", "Scenario", "Summary",
           "get", "get_preset", "get_cell", "default_cell", "neuron_in_tissue", "pump_leak_cell",
           "squid_cell"]


def get_preset(name: str) -> Preset:
    """A published model by name; a one-line error listing them otherwise."""
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; available: {', '.join(PRESETS)}")
    return PRESETS[name]


def get(name: str) -> Scenario:
    """A scenario by name, or a preset's as ``PRESET:SCENARIO``."""
    if ":" in name:
        preset_name, sc_name = name.split(":", 1)
        preset = get_preset(preset_name)
        if sc_name not in preset.scenarios:
            raise ValueError(f"preset {preset_name} has no scenario {sc_name!r}; it has: "
                             f"{', '.join(preset.scenarios)}")
        return preset.scenarios[sc_name]
    if name not in SCENARIOS:
        raise ValueError(f"unknown scenario {name!r}; available: {', '.join(SCENARIOS)} "
                         "(or PRESET:SCENARIO, see 'nakpump presets')")
    return SCENARIOS[name]
