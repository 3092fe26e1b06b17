"""The cell's own Rodas4 step and driver, compiled by LLVM
(``nakpump.compile.stepper``, ``nakpump.compile.driver``): the same
algorithm as Numba's driver (``nakpump.solve.rodas``), so the same steps and,
to round-off, the same run; its sparse LU; its machine code loaded from the
cache; runs in threads side by side."""

import threading

import numpy as np
import pytest

import nakpump as nk
import nakpump.solve.machine as machine
from nakpump.compile import system as system_module
from nakpump.compile.stepper import _lu, elimination_order
from nakpump.compile.trace import Graph


def _protocol(pump: str = "pump", amplitude: float = 40.0) -> nk.Protocol:
    return nk.Protocol([nk.PulseTrain(200.0, 12, 20.0, 1.0, amplitude), nk.Block(pump, 0.8, 900.0),
                        nk.SetConcentration(1200.0, "K_o", 4.5), nk.Pulse(1500.0, 1.0, amplitude)])


PROTOCOL = _protocol()


@pytest.fixture(scope="module")
def tissue_system():
    return nk.compile_cell(nk.default_cell())


@pytest.mark.parametrize("cell", ["pump_leak", "tissue"])
def test_machine_driver_takes_numba_drivers_steps(cell, default_system, tissue_system, monkeypatch):
    """Pulses, a pump block and a bath change: the same steps, rejections and spikes as the
    Numba driver (the same algorithm; only the order of floating-point sums differs), states
    within 1e-9 relative.  (Near a threshold, e.g. the tissue cell in 8 mM K+ drifting into a
    spike, round-off alone moves the spike: no protocol here goes there.)"""
    system = default_system if cell == "pump_leak" else tissue_system
    protocol = _protocol("pump" if cell == "pump_leak" else "alpha1", 2 * system.cell.test_pulse[0])
    ours = nk.simulate(system, protocol, duration=2000.0, dt=0.5)
    with monkeypatch.context() as m:
        m.setattr(machine, "has_machine_driver", lambda s: False)
        theirs = nk.simulate(system, protocol, duration=2000.0, dt=0.5)
    assert ours.meta["steps"] == theirs.meta["steps"]
    assert ours.meta["rejected_steps"] == theirs.meta["rejected_steps"]
    assert len(ours.spikes) == len(theirs.spikes) >= 12
    np.testing.assert_allclose(ours.spikes, theirs.spikes, rtol=0, atol=1e-9)
    scale = np.maximum(np.abs(theirs.Y).max(axis=0), 1e-12)
    assert np.max(np.abs(ours.Y - theirs.Y) / scale) < 1e-9
    (t_a, ion_a, a), = ours.meta["exchanged"]
    (t_b, ion_b, b), = theirs.meta["exchanged"]
    assert (t_a, ion_a) == (t_b, ion_b) == (1200.0, "K")
    assert a == pytest.approx(b, rel=1e-9)  # the same steps: round-off apart (sums in another order)


def test_cached_machine_code_gives_the_same_run(default_system, monkeypatch):
    """A process that finds the cell's machine code in the cache loads it without tracing or
    compiling, and runs it to the last bit as the one that compiled it."""
    from nakpump.compile import machine as machine_code

    first = nk.simulate(default_system, PROTOCOL, duration=1000.0, dt=1.0)
    with monkeypatch.context() as m:
        m.setattr(system_module, "_FUNCTIONS", {})
        m.setattr(machine_code, "_compile", lambda *a: pytest.fail("compiled instead of loading"))
        again = nk.compile_cell(default_system.cell)
        second = nk.simulate(again, PROTOCOL, duration=1000.0, dt=1.0)
    assert again.functions.advance != default_system.functions.advance
    np.testing.assert_array_equal(first.Y, second.Y)
    np.testing.assert_array_equal(first.spikes, second.spikes)


def test_threads_run_cells_side_by_side(default_system):
    """The driver releases the GIL: cells run in threads give exactly the serial results."""
    amplitudes = [20.0, 30.0, 40.0, 60.0]

    def run(a):
        return nk.simulate(default_system, nk.Protocol([nk.PulseTrain(50.0, 5, 50.0, 1.0, a)]),
                           duration=300.0, dt=1.0)

    serial = [run(a) for a in amplitudes]
    parallel = [None] * len(amplitudes)

    def work(k):
        parallel[k] = run(amplitudes[k])

    threads = [threading.Thread(target=work, args=(k,)) for k in range(len(amplitudes))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for a, b in zip(serial, parallel, strict=True):
        np.testing.assert_array_equal(a.Y, b.Y)


def _graph_lu_solve(A: np.ndarray, b: np.ndarray, order):
    """The stepper's sparse LU on constant nodes (the graph folds them into numbers)."""
    g = Graph()
    n = len(A)
    M = [{j: g.const(A[i, j]) for j in range(n) if A[i, j] != 0.0} for i in range(n)]
    lower, upper, inv, biggest = _lu(g, M, order)
    rank = {k: r for r, k in enumerate(order)}
    x = [g.const(v) for v in b]
    for i in order:
        for k, lik in lower[i].items():
            x[i] = x[i] - lik * x[k]
    for i in reversed(order):
        for j, uij in upper[i].items():
            x[i] = x[i] - uij * x[j]
        x[i] = x[i] * inv[i]
    fill = sum(len(r) for r in lower) + sum(len(r) for r in upper) + n
    assert all(rank[j] > rank[i] for i in range(n) for j in upper[i])
    return np.array([v.value for v in x]), biggest.value, fill


def test_sparse_lu_solves_and_orders_for_little_fill():
    """An arrow matrix (one state coupled to all, like V): eliminated hub first it fills
    completely, in the minimum-degree order (hub at the end) not at all; both solve to round-off, and
    the largest multiplier is reported."""
    rng = np.random.default_rng(3)
    n = 12
    A = np.diag(rng.uniform(5.0, 10.0, n))
    A[0, 1:] = rng.uniform(-1.0, 1.0, n - 1)
    A[1:, 0] = rng.uniform(-1.0, 1.0, n - 1)
    b = rng.uniform(-1.0, 1.0, n)
    order = elimination_order([set(np.nonzero(row)[0]) for row in A])
    assert order.index(0) >= n - 2  # the hub among the last two
    x_natural, big_natural, fill_natural = _graph_lu_solve(A, b, list(range(n)))
    x_ordered, big_ordered, fill_ordered = _graph_lu_solve(A, b, order)
    exact = np.linalg.solve(A, b)
    np.testing.assert_allclose(x_natural, exact, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(x_ordered, exact, rtol=1e-13, atol=1e-15)
    assert fill_ordered == 3 * n - 2 < fill_natural == n * n
    assert big_natural == pytest.approx(np.max(np.abs(A[1:, 0] / A[0, 0])))
    assert 0 < big_ordered < 1


def test_driver_reports_step_failure(default_system):
    """A step that cannot shrink enough ends the run with the solver's error, not a crash."""
    with pytest.raises(nk.SolverError, match="too many steps"):
        nk.simulate(default_system, PROTOCOL, duration=1000.0, max_steps=5)


def _rate(J: np.ndarray) -> float:
    ev = np.linalg.eigvals(J)
    rate = float(np.max(ev.real))
    return rate if rate > 1e-6 * float(np.max(np.abs(ev))) else 0.0


@pytest.mark.parametrize("n", [1, 2, 3, 10, 24])
def test_growth_rate_matches_lapack(n):
    """The driver's own eigenvalues (balancing, Hessenberg form, double-shift QR:
    ``nakpump.compile.eigen``) give LAPACK's largest real part (numpy's ``eigvals``, i.e. ``dgeev``)
    to 1e-10 of the spectral radius: random matrices, matrices scaled over 1e+-10 row by row and
    column by column (as the solver's Jacobians are, in their units), and rotations' generators
    (eigenvalues in imaginary pairs: growth 0).  A zero or non-finite matrix has rate 0."""
    from nakpump.compile.eigen import growth_rate_function

    rate = growth_rate_function(n)
    rng = np.random.default_rng(n)
    for trial in range(60):
        J = rng.normal(size=(n, n))
        if trial % 3 == 1:
            J *= np.exp(rng.normal(scale=5, size=(n, 1))) / np.exp(rng.normal(scale=5, size=(1, n)))
        if trial % 3 == 2:
            J = J - J.T
        radius = float(np.max(np.abs(np.linalg.eigvals(J))))
        expected = 0.0 if trial % 3 == 2 else _rate(J)
        assert abs(rate(J) - expected) <= 1e-10 * radius, (trial, rate(J), expected)
    assert rate(np.zeros((n, n))) == 0.0
    assert rate(np.full((n, n), np.nan)) == 0.0


def test_growth_rate_of_a_cells_jacobian(tissue_system):
    """On the tissue cell's Jacobian (conservation laws: exact zero eigenvalues), the driver's rate
    is LAPACK's: 0 at rest (only the zero modes' round-off, about 1e-17/ms, stands above 0), and
    the same growth where the state with steady gates at a depolarised V is unstable (the Na+
    channels' positive feedback: 0.2/ms at -55 mV).  That the check acts in a run is shown by
    Wei 2014's recurring spreading depression (``tests/test_wei2014.py``): without it the
    L-stable steps would sit on the unstable depolarised state."""
    from nakpump.compile.eigen import growth_rate_function

    system = tissue_system
    nd = system.layout.n_dyn
    rate = growth_rate_function(nd)
    rates = {}
    for V in (-70.0, -55.0, -40.0):
        y = system.y0.copy()
        y[system.layout.V] = V
        y = system.with_steady_gates(y)
        J = system.jacobian(y)[:nd, :nd]
        radius = float(np.max(np.abs(np.linalg.eigvals(J))))
        rates[V] = rate(J)
        assert abs(rates[V] - _rate(J)) <= 1e-10 * radius
    assert rates[-70.0] == 0.0 and rates[-55.0] > 0.1
