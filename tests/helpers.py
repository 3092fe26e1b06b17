"""Helpers shared by the tests."""

import numpy as np


def conc(system, Y, name):
    """Concentration (mM) ``name`` (``Na_i``) from states ``Y`` (rows) of a
    cell whose volumes are fixed: the amount over its compartment's volume/area."""
    lay = system.layout
    species, comp = name.rsplit("_", 1)
    w = system.p0[lay.param(f"geometry.w_{comp}")]
    return np.asarray(Y)[..., lay.state(lay.amount(species, comp))] / w
