"""A mechanism of a new family is one class and its kernel: nothing else in
the package changes.  Here an ATP-sensitive K+ channel (K_ATP), defined in
this test only, joins the default neuron with an energy budget; the compiler,
the layout, the observables, the ledger and the invariants pick it up.

Form: I = g P_open (V - E_K), P_open = 1 / (1 + (ATP/k_atp)^h), the
Kir6.2/SUR1 channel closed by cytosolic ATP (Nichols 2006 Nature 440:470)."""

import numpy as np
import pytest

import nakpump as nk
from nakpump.mechanisms.base import Mechanism, MembraneFlux, Param, kernel


@kernel
def katp_current(V, E_K, ATP_i, g, k_atp, h):
    return g / (1.0 + (ATP_i / k_atp) ** h) * (V - E_K)


class KATP(Mechanism):
    """ATP-sensitive K+ channel (a new family, not registered)."""

    family = "katp_test"
    default_name = "katp"
    title = "ATP-sensitive K+ channel"
    params = (Param("g", 0.05, "mS/cm2", 0.0, 10.0, "maximal conductance"),
              Param("k_atp", 0.5, "mM", 1e-6, 100.0, "ATP for half closure"),
              Param("h", 2.0, "1", 0.1, 5.0, "Hill coefficient"))
    fluxes = (MembraneFlux(ions={"K": 1.0}),)
    source = "Nichols CG (2006) Nature 440:470-476 (K_ATP channels)"
    kernel = katp_current


def test_a_new_family_compiles_runs_and_balances():
    cell = nk.pump_leak_cell(energy=True).add(KATP(g=0.2))
    system = nk.compile_cell(cell)
    obs = {k: float(v[0]) for k, v in system.observe(system.y0).items()}
    atp, V = obs["ATP_i"], float(system.y0[system.layout.V])
    expected = 0.2 / (1.0 + (atp / 0.5) ** 2) * (V - obs["E_K"])
    assert obs["I_katp_K"] == pytest.approx(expected, rel=1e-12)
    assert system.layout.has_param("katp.k_atp") and system.layout.has_state("q_katp_K")
    # the supply stops: ATP falls, the channel opens and hyperpolarises the cell at first
    pr = nk.Protocol([nk.SetParameter(1000.0, "energy.supply", 0.0)])
    res = nk.simulate(system, pr, duration=15000.0, dt=5.0)
    before = int(np.searchsorted(res.t, 1000.0))
    assert res["ATP_i"][-1] < 0.7 * res["ATP_i"][before]
    assert res["I_katp_K"][-1] > 1.5 * res["I_katp_K"][before]
    frame = res.ledger()
    moved = frame.loc[frame["item"] == "moved out of the cell by katp", "amol"]
    assert len(moved) == 1 and moved.iloc[0] > 0
    for key, values in res.conservation().items():
        assert np.ptp(values) <= 1e-12 * np.max(np.abs(values)), key
