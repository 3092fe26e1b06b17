"""Shared fixtures: compiled systems are cached per session (compilation is
cached on disk by Numba too, so only the very first run pays for it)."""

import pytest

import nakpump as nk


@pytest.fixture(scope="session")
def pump_leak_cell():
    return nk.pump_leak_cell()


@pytest.fixture(scope="session")
def default_system(pump_leak_cell):
    return nk.compile_cell(pump_leak_cell)


TRAIN_60S = nk.Protocol([nk.PulseTrain(1000.0, 100, 10.0, 1.0, 40.0)])
"""The spike-train protocol over 60 s (10 s of 10 Hz firing, then recovery)."""


@pytest.fixture(scope="session")
def train_60s(default_system):
    """The default neuron through ``TRAIN_60S``, every ms."""
    return nk.simulate(default_system, TRAIN_60S, duration=60000.0, dt=1.0)



def pytest_addoption(parser):
    parser.addoption("--regenerate-references", action="store_true", default=False,
                     help="rewrite the stored reference traces in tests/data")
