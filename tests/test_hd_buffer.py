"""The glial K+ buffer reservoir of Hübel & Dahlem 2014 (ModelDB 167714,
switch s = 0), held conservatively as a compartment of bound K+.

Reference numbers are [RUN-HD] of the research transcription (§7): the
authors' spreading-depression.ode run in SciPy (LSODA), pump off 9.5 s at
20 s.  Tolerances: the rounding of the quoted number, except where the
excursion's end enters (the last time above -40 mV, the duration and the
bound K+): there the .ode itself moves by up to 1.4 s (and 0.6 mM bound)
between solver settings (our SciPy port, LSODA rtol 1e-9 to 1e-11), so 2 s
and 0.6 mM.
"""

import numpy as np
import pytest

from nakpump import catalog
from nakpump.catalog import hubel_dahlem2014 as hd
from nakpump.compile.system import compile_cell
from nakpump.mechanisms import KBuffer
from nakpump.mechanisms.buffer import buffer_binding
from nakpump.model.protocol import Protocol
from nakpump.solve.simulate import Tolerances, simulate


def paper_dk_rate(dk, ke, k1=5e-8, b0=500.0, k_cr=15.0):
    """d(dk)/dt per ms as spreading-depression.ode writes it (lines 132-140)."""
    k2 = k1 / (1.0 + np.exp((k_cr - ke) / 1.09))
    return -k1 * dk - k2 * ke * (b0 + dk)


@pytest.mark.parametrize("bound,ke", [(0.0, 4.0), (10.0, 15.0), (77.5, 69.6), (60.0, 3.0)])
def test_rate_law_is_the_papers(bound, ke):
    """Our binding rate is minus the paper's d(dk)/dt with dk = -bound."""
    ours = buffer_binding(K_i=bound, K_o=ke, **hd.BUFFER)
    assert ours == pytest.approx(-paper_dk_rate(-bound, ke), rel=1e-12)


def test_rate_constants_give_the_papers_time_scales():
    """Uptake 1/(k2 B0) = 40 s at high K_o; release 1/k1 = 2e4 s (transcription §7, from the .ode)."""
    up = buffer_binding(K_i=0.0, K_o=70.0, **hd.BUFFER) / 70.0  # k2 B0, 1/ms
    assert 1.0 / up / 1000.0 == pytest.approx(40.0, rel=1e-3)
    release = -buffer_binding(K_i=1.0, K_o=1e-9, **hd.BUFFER)
    assert 1.0 / release / 1000.0 == pytest.approx(2e4, rel=1e-6)


def test_buffer_compartment_is_inert_but_for_bound_potassium():
    system = compile_cell(hd.cell(buffer=True))
    lay = system.layout
    assert lay.has_state("n_K_b") and system.cell.has("buffer")
    y = system.y0.copy()
    y[lay.state("n_K_o")] *= 8.0  # K_o 32 mM: binding switched on
    dy = system.rhs(y)
    assert dy[lay.state("n_Na_b")] == 0.0 and dy[lay.state("n_Cl_b")] == 0.0
    w = system.p0[lay.param("geometry.w_b")]
    bind = buffer_binding(K_i=y[lay.state("n_K_b")] / w, K_o=y[lay.state("n_K_o")] / w, **hd.BUFFER)
    assert dy[lay.state("n_K_b")] == pytest.approx(bind * w, rel=1e-12)
    assert bind > 1e-4  # mM/ms: the check above sees a real flux


def test_potassium_is_conserved_free_and_bound_and_the_ledger_balances():
    """K_o raised to 40 mM: the buffer binds several mM while every ion's
    total, over cell, extracellular space and buffer, stays constant."""
    system = compile_cell(hd.cell(buffer=True).with_params({"cell.K_o": 40.0}))
    res = simulate(system, Protocol(), duration=20000.0, dt=10.0,
                   tol=Tolerances(rtol=1e-8, atol_V=1e-6, atol_conc=1e-9, atol_gate=1e-7))
    assert res["K_b"][-1] > 2.0  # mM bound: not a vacuous conservation check
    inv = res.conservation()
    for ion in ("Na", "K", "Cl"):
        total = inv[f"total_{ion}"]
        assert np.max(np.abs(total - total[0])) < 1e-10 * abs(total[0]), ion
    total_k = system.invariants(res.Y)["total_K"]  # the System's own invariant, bound K+ included
    assert np.max(np.abs(total_k - total_k[0])) < 1e-10 * total_k[0]
    lay = system.layout
    bound = res.Y[:, lay.state("n_K_b")]
    assert total_k[0] == pytest.approx(sum(res.Y[0, lay.state(f"n_K_{c}")] for c in "iob"), rel=1e-14)
    assert bound[-1] - bound[0] > 2.0 * system.p0[lay.param("geometry.w_b")]
    q = inv["charge"]
    assert np.max(np.abs(q - q[0])) < 1e-8 * np.max(np.abs(q))
    frame = res.ledger()
    residual = frame.loc[frame["item"].str.startswith("residual"), "amol"].to_numpy()
    assert np.max(np.abs(residual)) < 1e-6  # amol per cell; K+ moved is about 1e4 amol
    taken = frame.loc[frame["item"] == "removed from the outside by buffer", "amol"].to_numpy()
    assert len(taken) == 1 and taken[0] > 1e3


def test_bad_buffer_input_names_the_field():
    with pytest.raises(ValueError, match="buffer.compartment"):
        KBuffer(compartment="o")
    with pytest.raises(ValueError, match="buffer.k1"):
        KBuffer(k1=-1.0)
    with pytest.raises(ValueError, match="^buffer: "):
        hd.cell(buffer="yes")


@pytest.fixture(scope="module")
def buffered_sd():
    return catalog.get("hubel-dahlem2014:buffered-sd").run().measures


def test_buffered_sd_onset_and_peaks(buffered_sd):
    m = buffered_sd
    assert m["V_before"] == pytest.approx(-67.19, abs=0.01)
    assert m["t_first_above"] == pytest.approx(24.5, abs=0.1)
    assert m["K_o_peak"] == pytest.approx(69.6, abs=0.1)
    assert m["t_K_o_peak"] == pytest.approx(35.0, abs=0.5)
    assert m["Na_i_peak"] == pytest.approx(58.9, abs=0.1)
    assert m["t_Na_i_peak"] == pytest.approx(101.0, abs=0.5)


def test_buffered_sd_duration_and_bound_potassium(buffered_sd):
    m = buffered_sd
    assert m["t_last_above"] == pytest.approx(107.7, abs=2.0)
    assert m["sd_duration"] == pytest.approx(83.0, abs=2.0)
    assert m["bound_max"] == pytest.approx(77.5, abs=0.6)


def test_buffered_sd_leaves_a_new_state(buffered_sd):
    """After the excursion: V about -75, K_o 2.97, Na_i about 50, K_i about 104
    ([RUN-HD]), with the K+ still bound (released over hours, 1/k1 = 5.6 h)."""
    m = buffered_sd
    assert m["recovered"] is True
    assert m["V_end"] == pytest.approx(-75.0, abs=1.0)
    assert m["K_o_end"] == pytest.approx(2.97, abs=0.02)
    assert m["Na_i_end"] == pytest.approx(50.0, abs=1.0)
    assert m["K_i_end"] == pytest.approx(104.0, abs=1.0)
    assert m["K_b_end"] > 70.0
