"""The kager2000 preset: the Kager-Somjen neuron, interstitial space and glia
reduced to one compartment each (ModelDB 113446).

Reference numbers, and where they come from:
- [RUN-NRN transcription]: the research transcription of ModelDB 113446,
  which ran the authors' start.hoc (8 sections, with Ca2+, NEURON TABLEs):
  the pumps' maxima, the glial Na+ leak, the initial concentrations and
  Nernst potentials, the resting currents of single mechanisms.  These do
  not depend on our reduction; tolerance: the last printed digit.
- [RUN-NRN soma]: the same reduction as the preset (one soma section of the
  soma's middle-segment diameter, one glial section, no Ca2+ mechanisms,
  TABLEs off, accum.mod method 1) built from the authors' own mod files and
  start.hoc's set()/setglia() steps, run by us in NEURON 9.0.2 at fixed dt
  0.0125 ms (the K+ puff) or 0.00625 ms (the pump block).  Tolerance: ten
  times the change of the NEURON number when its dt was last halved (its own
  discretisation error), at least one unit of the last digit quoted.
"""

import numpy as np
import pytest

from nakpump import catalog
from nakpump.catalog import kager2000 as kg
from nakpump.mechanisms import KagerWater
from nakpump.model.protocol import Protocol, SetConcentration
from nakpump.solve.simulate import simulate


@pytest.fixture(scope="module")
def cell():
    return kg.cell()


def test_initial_state_is_start_hocs(cell):
    """start.hoc:265-284 (transcription §5.2): K_i, Na_g, Cl_i and E's at t = 0."""
    v = cell.values
    assert v["K_i"] == pytest.approx(135.749925, abs=1e-6)
    assert v["Na_g"] == pytest.approx(32.25, abs=1e-9)
    assert kg.osmolarity() == pytest.approx(291.5, abs=1e-12)
    for comp in ("i", "o", "g"):
        assert cell.osmolarity(comp) == pytest.approx(291.5, abs=1e-9), comp
    assert v["V0"] == pytest.approx(-70.0085, abs=1e-4)  # V_rest = E_Cl (start.hoc:291)
    e = {ion: kg._nernst(cell, ion, "i") for ion in ("Na", "K", "Cl")}
    assert e["Na"] == pytest.approx(70.31, abs=0.005) and e["K"] == pytest.approx(-97.45, abs=0.005)
    assert kg._nernst(cell, "Na", "g") == pytest.approx(39.11, abs=0.005)
    assert kg._nernst(cell, "K", "g") == pytest.approx(-92.68, abs=0.005)


def test_pumps_and_glial_leaks_are_solved_as_start_hoc_does(cell):
    """[RUN-NRN transcription] §2.12, §3a: I_max 0.020958794 and 0.039236709 mA/cm2,
    glial g_Na 6.982904e-5 S/cm2, g_Cl = 10 g_Na; resting pump currents 1.061 and 2.959 uA/cm2."""
    assert cell.mechanism("pump").values["imax"] == pytest.approx(20.958794, abs=1e-6)
    assert cell.mechanism("glia_pump").values["imax"] == pytest.approx(39.236709, abs=1e-6)
    g_na = cell.mechanism("glia_leak_na").values["g"]
    assert g_na == pytest.approx(6.982904e-2, abs=1e-8)
    assert cell.mechanism("glia_leak_cl").values["g"] == pytest.approx(10.0 * g_na, rel=1e-12)
    # the glial K+ leak: 1.060752e-3 S/cm2 with NEURON's rate TABLEs; 1.0612577e-3 without
    # ([RUN-NRN soma], usetable_kdrglia = 0), which is what the analytic rates here compute
    assert cell.mechanism("glia_leak_k").values["g"] == pytest.approx(1.0612577, abs=1e-7)


def test_soma_leaks_match_the_authors_code_for_the_same_channels(cell):
    """[RUN-NRN soma]: start.hoc's set(1e4) on the soma without Ca2+ mechanisms:
    g_K 7.5215061e-5, g_Na 1.3862082e-5, g_Cl 6.9310408e-5 S/cm2 (with them, as
    shipped: 7.5000e-5, 1.3146e-5, 6.5729e-5; the docstring says why they differ)."""
    assert cell.mechanism("leak_k").values["g"] == pytest.approx(7.5215061e-2, abs=1e-9)
    assert cell.mechanism("leak_na").values["g"] == pytest.approx(1.3862082e-2, abs=1e-9)
    assert cell.mechanism("leak_cl").values["g"] == pytest.approx(6.9310408e-2, abs=1e-9)


def test_resting_currents_of_single_mechanisms(cell):
    """[RUN-NRN transcription] §2.1, §2.4, §3a: NaT window -1.24, K_A +0.058,
    Kir +0.57, glial K_DR +0.38 uA/cm2 at rest (last digit).  The NaT window
    current is steep in V and NEURON's rate TABLEs (1 mV grid) move it: the
    same soma gives -1.2390 with them and -1.22864 without ([RUN-NRN soma],
    usetable_nachan 0, what the analytic rates here compute), so it is
    compared with the latter to 1e-5 and with the transcription to 0.015; the
    glial K_DR likewise (0.37606 with TABLEs, 0.3736958 without: to 1e-6, and
    to the transcription's 0.38 within its last digit plus that 0.0024)."""
    from nakpump.compile.numpy_backend import environment, evaluate

    def current(name, membrane, inside):
        v = cell.values
        V = v["V0"] if membrane == "neuron" else v["V0_g"]
        env = environment(V=V, T=36.0, **{f"{ion}_i": v[f"{ion}_{inside}"] for ion in ("Na", "K", "Cl")},
                          **{f"{ion}_o": v[f"{ion}_o"] for ion in ("Na", "K", "Cl")})
        return float(evaluate(cell.mechanism(name), env)["fluxes"][0])

    assert current("nat", "neuron", "i") == pytest.approx(-1.22864, abs=1e-5)
    assert current("nat", "neuron", "i") == pytest.approx(-1.24, abs=0.015)
    assert current("ka", "neuron", "i") == pytest.approx(0.058, abs=0.0005)
    assert current("kir", "glia", "g") == pytest.approx(0.57, abs=0.005)
    assert current("glia_kdr", "glia", "g") == pytest.approx(0.3736958, abs=1e-6)
    assert current("glia_kdr", "glia", "g") == pytest.approx(0.38, abs=0.0075)


def test_balance_leaves_the_start_hoc_residual():
    """start.hoc measures the neuron's currents with its gates at -70 mV and V at
    E_Cl: a net Na+ current of 6.2306e-3 uA/cm2 remains ([RUN-NRN soma]); the glia
    balances Na+ and K+ exactly (Cl- leaks 0.0075 uA/cm2: E_Cl,g is -88.0085 mV)."""
    c = kg.cell()
    neuron, glia = kg.membrane_currents(c, "neuron"), kg.membrane_currents(c, "glia")
    assert neuron["Na"] == pytest.approx(6.2306e-3, abs=1e-7) and abs(neuron["K"]) < 2e-5
    assert abs(glia["Na"]) < 1e-9 and abs(glia["K"]) < 1e-9
    unbalanced = kg.cell(balance=False)
    assert abs(kg.membrane_currents(unbalanced, "neuron")["Na"]) > 1.0  # the correction is real


def test_puff_conserves_ions_charge_and_water():
    """10 s of a K+ puff: every ion's total (less the K+ the puff added), both
    membranes' charge and the total volume are constant to round-off."""
    c = kg.cell()
    res = simulate(c, Protocol([SetConcentration(1000.0, "K_o", 20.0)]), duration=10000.0, dt=5.0,
                   tol=kg.TIGHT)
    assert res["K_o"].max() > 40.0 and res["vol_o"].min() < 0.9 * res["vol_o"][0]  # a real excursion
    inv = res.conservation()
    for ion in ("Na", "K", "Cl"):
        total = inv[f"total_{ion}"]
        assert np.max(np.abs(total - total[0])) < 1e-10 * abs(total[0]), ion
    for q in ("charge", "charge_glia"):
        assert np.max(np.abs(inv[q] - inv[q][0])) < 1e-9 * np.max(np.abs(inv[q])), q
    water = res.state("w_i") + res.state("w_o") + res.state("w_g")
    assert np.max(np.abs(water - water[0])) < 1e-12 * water[0]


def test_bad_input_names_the_field():
    with pytest.raises(ValueError, match="water.floor"):
        KagerWater(floor=2.0)
    with pytest.raises(ValueError, match="^balance: "):
        kg.cell(balance="yes")
    with pytest.raises(ValueError, match="scenario.level"):
        catalog.get("kager2000:k-puff").run(options={"level": -1.0})


@pytest.fixture(scope="module")
def puff():
    return catalog.get("kager2000:k-puff").run().measures


def test_puff_spreading_depression_matches_the_authors_mechanisms(puff):
    """[RUN-NRN soma], K_o set to 20 mM at 1 s, 60 s, dt 0.0125 ms (in brackets
    the change from dt 0.025): K_o peak 53.597 (0.002) mM at 4.054 s, V plateau
    -18.571 (0.005) mV, glial V -29.334 (0.005) mV, K_o at 60 s 45.491 (0.008),
    Na_i 56.892 (0.001), K_g 137.918 (0.0004) mM, interstitial space at its
    floor (0.2 of rest) from 24.479 (0.005) s, volumes 1.0181 and 1.1419."""
    m = puff
    assert m["V_rest"] == pytest.approx(-70.0085, abs=1e-4)
    assert m["t_depolarised"] == pytest.approx(0.007, abs=0.01)
    assert m["K_o_peak"] == pytest.approx(53.597, abs=0.02)
    assert m["t_K_o_peak"] == pytest.approx(4.054, abs=0.01)
    assert m["V_plateau"] == pytest.approx(-18.571, abs=0.05)
    assert m["V_glia_plateau"] == pytest.approx(-29.334, abs=0.05)
    assert m["K_o_end"] == pytest.approx(45.491, abs=0.08)
    assert m["Na_i_end"] == pytest.approx(56.892, abs=0.01)
    assert m["K_g_end"] == pytest.approx(137.918, abs=0.004)
    # at the floor, within the solver's tolerance (rtol 1e-5 of 0.2): the floor switches the flow off,
    # and a step may cross it by that much
    assert m["ecs_min"] == pytest.approx(0.2, abs=2e-6)
    assert m["t_floor"] == pytest.approx(24.479, abs=0.05)
    assert m["vol_i_end"] == pytest.approx(1.0181, abs=1e-4)
    assert m["vol_g_end"] == pytest.approx(1.1419, abs=1e-4)
    assert m["recovered"] is False


def test_ouabain_spreading_depression_matches_the_authors_mechanisms():
    """[RUN-NRN soma], both pumps blocked at 1 s, 60 s, dt 0.00625 ms (in brackets
    the change from dt 0.0125; NEURON converges slowly here, each halving moving
    about 0.9x as far as the one before): V above -40 mV from 0.371 (0.018) s
    after the block, K_o peak 87.887 (0.063) mM at 10.752 (0.042) s, V plateau
    -25.017 (0.085) mV, glial V -25.483 (0.086) mV, K_o at 60 s 44.402 (0.141),
    Na_i 34.501 (0.005), K_g 115.821 (0.004) mM, floor from 13.176 (0.019) s."""
    m = catalog.get("kager2000:ouabain").run().measures
    assert m["t_depolarised"] == pytest.approx(0.371, abs=0.18)
    assert m["K_o_peak"] == pytest.approx(87.887, abs=0.63)
    assert m["t_K_o_peak"] == pytest.approx(10.752, abs=0.42)
    assert m["V_plateau"] == pytest.approx(-25.017, abs=0.85)
    assert m["V_glia_plateau"] == pytest.approx(-25.483, abs=0.86)
    assert m["K_o_end"] == pytest.approx(44.402, abs=1.41)
    assert m["Na_i_end"] == pytest.approx(34.501, abs=0.053)
    assert m["K_g_end"] == pytest.approx(115.821, abs=0.036)
    assert m["t_floor"] == pytest.approx(13.176, abs=0.19)


@pytest.mark.parametrize("V", [-90.0, -56.9, -30.0, 0.1, 20.0])
def test_gate_rates_are_the_mod_files(V):
    """The rate functions against the mod files' expressions, written out here
    literally with start.hoc's GLOBALs (na.mod:106-124 with shiftm 0, shifth 10,
    scaletaum 1, scaletauh 2; nap.mod:98-135; kdr.mod:76-84 with scaletaun 1.5,
    shiftn 10, and 50 for kdrglia; ka.mod:81-103)."""
    from nakpump.mechanisms import kager

    def vtrap(x, y):
        return y * (1.0 - x / y / 2.0) if abs(x / y) < 1e-6 else x / (np.exp(x / y) - 1.0)

    nat = (2 * 0.32 * vtrap(13.1 - V - 70, 4), 1 * 0.28 * vtrap(V - 40.1 + 70, 5),
           2 * 0.128 * np.exp((17 - V - 70 - 10) / 18), 2 * 4 / (1 + np.exp((40 - V - 70 - 10) / 5)))
    assert kager.nat_rates(V, 0.0, 10.0, 1.0, 2.0) == pytest.approx(nat, rel=1e-12)
    minf = 1 / (1 + np.exp(-(V + 39.7) / 7.0))
    nap = (minf / 6, (1 - minf) / 6, 0.128 * np.exp((7 - V - 70) / 18) / 25000,
           4 / (1 + np.exp((30 - V - 70) / 5)) / 25000)
    assert kager.nap_rates(V, 6.0, 25000.0) == pytest.approx(nap, rel=1e-12)
    for shiftn in (10.0, 50.0):
        kdr = (1.5 * 0.016 * vtrap(35.1 - V - shiftn - 70, 5),
               1.5 * 0.25 * np.exp((20 - V - shiftn - 70) / 40))
        assert kager.kdr_rates(V, 1.5, shiftn) == pytest.approx(kdr, rel=1e-12)
    ka = (0.02 * vtrap(13.1 - V - 70 + 30, 10), 0.0175 * vtrap(V - 40.1 + 70 - 30, 10),
          0.016 * np.exp((-13 - V - 70) / 18), 0.5 / (1 + np.exp((10.1 - V - 70) / 5)))
    assert kager.ka_rates(V, 0.0, 0.0) == pytest.approx(ka, rel=1e-12)
