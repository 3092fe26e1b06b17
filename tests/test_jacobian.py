"""The exact Jacobian (traced from the kernels, ``nakpump.compile.jacobian``)
against central differences of the compiled right-hand side, on every
mechanism of the registry, at random states around each cell's start; and
runs with it against runs with the finite-difference Jacobian.

Each column j is scaled by its state's size s_j (|y_j|, at least 1 mV for a
potential and 1e-3 of the unit otherwise: the solver's finite-difference
scale), so that an entry reads "the change of dy_i/dt when y_j changes by
its own size"; then each row must agree within 1e-5 of the row's largest
such entry.  Central differences with the step 1e-6 s_j are accurate to
about 1e-10 (truncation and round-off), and measured differences are 1e-8
to 1e-10.  (Unscaled, a tiny state such as the bound K+ of Hübel & Dahlem's
buffer, 7e-7 mM*um, gets entries that round-off in the other terms of its
row swamps in any finite difference.)"""

import numpy as np
import pytest

import nakpump as nk
from nakpump.catalog import PRESETS
from nakpump.catalog.cells import CELLS, squid_cell
from nakpump.catalog.hubel_dahlem2014 import cell as hd_cell
from nakpump.compile.trace import Graph, NotTraceable
from nakpump.mechanisms import PUMP_MODELS, REGISTRY, FixedLeak
from nakpump.mechanisms.base import Mechanism, MembraneFlux, Param, kernel, register
from nakpump.solve.simulate import finite_difference_jacobian


def _cells():
    cells = {name: make() for name, make in CELLS.items()}
    cells.update({name: preset.build() for name, preset in PRESETS.items()})
    cells.update({f"pump-leak:{model}": nk.pump_leak_cell(pump=model) for model in PUMP_MODELS})
    cells["squid"] = squid_cell()
    cells["hubel-dahlem2014:buffer"] = hd_cell(diffusion=0.03, buffer=True)
    fixed = nk.pump_leak_cell()
    fixed.add(FixedLeak(g=0.05, E=-60.0))
    cells["pump-leak:fixed-leak"] = fixed
    return cells


CELLS_ALL = _cells()


def test_every_registered_mechanism_is_in_a_cell_checked_here():
    seen = {type(m) for cell in CELLS_ALL.values() for m in cell.mechanisms}
    missing = sorted(cls.__name__ for cls in REGISTRY.values() if cls not in seen)
    assert not missing, f"add a cell with {missing} to test_jacobian.py"


def sizes(system, y):
    lay = system.layout
    return np.array([max(abs(y[j]), 1.0 if lay.states[j].kind == "potential" else 1e-3)
                     for j in range(lay.n_dyn)])


def worst_row_difference(system, y, a, b):
    """Largest row-scaled difference of two Jacobians with their columns scaled by the states' sizes."""
    s = sizes(system, y)
    a, b = a * s, b * s
    scale = np.maximum(np.abs(a).max(axis=1), np.abs(b).max(axis=1))
    rows = scale > 0
    return np.max(np.abs(a - b)[rows] / scale[rows, None])


def central_differences(system, y, p):
    lay = system.layout
    J = np.zeros((lay.n_states, lay.n_dyn))
    s = sizes(system, y)
    for j in range(lay.n_dyn):
        h = 1e-6 * s[j]
        up, down = y.copy(), y.copy()
        up[j] += h
        down[j] -= h
        J[:, j] = (system.rhs(up, p) - system.rhs(down, p)) / (up[j] - down[j])
    return J


def _states(system, rng, k):
    """The start and ``k`` random states around it: potentials +-30 mV, gates anywhere in (0, 1),
    amounts and other states within +-20 %."""
    lay = system.layout
    out = [system.y0.copy()]
    for _ in range(k):
        y = system.y0.copy()
        for j, e in enumerate(lay.states[:lay.n_dyn]):
            if e.kind == "potential":
                y[j] += rng.uniform(-30.0, 30.0)
            elif e.kind == "gate" or (e.unit == "1" and 0.0 < y[j] < 1.0):
                y[j] = rng.uniform(0.02, 0.98)
            else:
                y[j] *= rng.uniform(0.8, 1.2)
        out.append(y)
    return out


@pytest.mark.parametrize("name", sorted(CELLS_ALL))
def test_the_exact_jacobian_is_the_derivative(name):
    system = nk.compile_cell(CELLS_ALL[name])
    assert system.jac is not None, system.jac_note
    rng = np.random.default_rng(sum(map(ord, name)))
    p = system.p0.copy()
    for y in _states(system, rng, 4):
        exact = system.jacobian(y, p)
        fd = central_differences(system, y, p)
        worst = worst_row_difference(system, y, exact, fd)
        assert worst < 1e-5, f"{name}: scaled difference {worst:.3g}"


def test_the_solver_s_own_finite_differences_agree():
    system = nk.compile_cell(CELLS_ALL["pump-leak"])
    exact = system.jacobian()
    fd = finite_difference_jacobian(system)  # forward differences: about 1e-7
    assert worst_row_difference(system, system.y0, exact, fd) < 1e-5
    with pytest.raises(ValueError, match="jacobian = 'complex-step'"):
        nk.simulate(system, duration=1.0, jacobian="complex-step")


@pytest.mark.parametrize("name", ["pump-leak", "tissue"])
def test_runs_with_either_jacobian_agree(name):
    """100 ms of a 100 Hz train and its recovery: the same spikes and concentrations within the
    tolerances (default rtol 1e-5), and the exact run needs no finite-difference calls."""
    system = nk.compile_cell(CELLS_ALL[name])
    protocol = nk.Protocol([nk.PulseTrain(10.0, 8, 100.0, 1.0, 40.0)])
    tol = nk.Tolerances(rtol=1e-8, atol_V=1e-6, atol_conc=1e-9, atol_gate=1e-7)
    exact = nk.simulate(system, protocol, duration=300.0, dt=0.5, tol=tol)
    fd = nk.simulate(system, protocol, duration=300.0, dt=0.5, tol=tol, jacobian="finite-difference")
    assert exact.meta["jacobian"] == "exact" and fd.meta["jacobian"] == "finite-difference"
    assert len(exact.spikes) == len(fd.spikes) == 8
    assert np.max(np.abs(exact.spikes - fd.spikes)) < 1e-4
    for q in ("Na_i", "K_o"):
        assert np.max(np.abs(exact[q] - fd[q])) < 1e-6
    assert exact.meta["rhs_calls"] < 0.6 * fd.meta["rhs_calls"]


def test_a_kernel_that_branches_in_python_keeps_finite_differences():
    @kernel
    def branching(V, g):
        if V > 0:  # not xp.where: cannot be traced
            return g * V
        return 0.0 * V

    @register
    class Branchy(Mechanism):
        family = "test_branchy"
        default_name = "branchy"
        title = "a test mechanism whose kernel branches in Python"
        params = (Param("g", 0.01, "mS/cm2", 0.0, 1.0, "conductance"),)
        fluxes = (MembraneFlux(nonspecific=1.0),)
        source = "test"
        kernel = branching

    try:
        cell = nk.pump_leak_cell()
        cell.add(Branchy())
        system = nk.compile_cell(cell)
        assert system.jac is None and "branches on a value" in system.jac_note
        res = nk.simulate(system, duration=5.0)
        assert res.meta["jacobian"] == "finite-difference"
        with pytest.raises(ValueError, match="no exact Jacobian"):
            system.jacobian()
    finally:
        REGISTRY.pop("test_branchy", None)


def test_the_graph_shares_and_folds():
    g = Graph()
    a, b = g.leaf("y", 0), g.leaf("y", 1)
    assert a * b is a * b  # one node per distinct operation
    assert (a + 0.0) is a and (1.0 * a) is a and (a / 1.0) is a
    assert (g.const(2.0) * 3.0).value == 6.0
    with pytest.raises(NotTraceable):
        bool(a > b)
