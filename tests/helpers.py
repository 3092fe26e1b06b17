"""Helpers shared by the tests."""

import signal

import numpy as np


def ctrl_c_as_usual():
    """``preexec_fn`` of a child that a test sends Ctrl-C: SIGINT at its default, whatever the
    test process inherited (a worker that ignores SIGINT passes that on to its children, and
    Python then leaves Ctrl-C ignored)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def conc(system, Y, name):
    """Concentration (mM) ``name`` (``Na_i``) from states ``Y`` (rows) of a
    cell whose volumes are fixed: the amount over its compartment's volume/area."""
    lay = system.layout
    species, comp = name.rsplit("_", 1)
    w = system.p0[lay.param(f"geometry.w_{comp}")]
    return np.asarray(Y)[..., lay.state(lay.amount(species, comp))] / w
