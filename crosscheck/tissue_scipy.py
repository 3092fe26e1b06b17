"""An independent implementation of nakpump's default neuron in tissue
(``nakpump.catalog.tissue.neuron_in_tissue``), written from the documented
equations (the mechanisms' docstrings and the papers they cite), not from
nakpump's kernels or generated code, and solved with SciPy (BDF by default,
or Radau; rtol 1e-10).

What is modelled (one "tissue unit": one neuron, its share of astrocyte,
extracellular space and a bath):

- the neuron's membrane (potential ``V``) between its cytosol ``i`` and the
  extracellular space ``o``: the Mainen & Sejnowski 1996 Na+ channel, the
  Traub & Miles delayed rectifier (rates x ``kdr.rate``), the M current,
  GHK leaks of K+, Na+ and Cl-, the alpha1 and alpha3 Na+/K+-ATPases
  (Hill forms in Na_i, K_o and ATP), KCC2, K_ATP (Magnus & Keizer 1998) and
  osmotic water flow;
- the astrocyte ``g`` with its own membrane ``glia`` (potential ``V_g``):
  Kir4.1 (Halnes et al. 2013), ohmic Na+ and Cl- leaks, the astrocytic pump,
  NKCC1 and osmotic water flow (aquaporin-4);
- in both cytosols an energy budget: oxidative phosphorylation reading the
  extracellular O2 and a baseline use (``Energy``), creatine kinase and
  anaerobic glycolysis; the O2 follows the bath's with a time constant;
- the extracellular space exchanging Na+, K+ and Cl- with a bath.

Formulation (deliberately not nakpump's): amounts in amol (= mM x um3) and
volumes in um3 per tissue unit, not per membrane area; currents in uA/cm2
become ion flows through each membrane's own area A (um2): 1 uA/cm2 moves
A x 10/F amol/ms of a monovalent ion; a pump of ``density`` sites/um2 turning
over ``turnover`` times per second carries density x turnover x e x 1e14
uA/cm2; a rate in mM/s of a compartment of volume v (um3) is v x 1e-3 amol/ms;
a water flux lp (um/(s mM)) x the osmotic gradient (mM) through a membrane of
area A moves lp x 1e-3 x A um3/ms.  Every parameter is read by name from the
nakpump cell (``cell.parameters()``), so the comparison is of equations, not
of copied numbers.

Units: ms, mV, mM, uA/cm2, mS/cm2, uF/cm2, cm/s (permeabilities), um3,
amol, mg/L (O2); rates printed in the sources in mM/s or 1/s are x 1e-3 here.

This check found one nakpump bug, since fixed: nakpump 43bc1d3 moved water
across the astrocyte's membrane per the *neuron's* membrane area (its
compiler scaled the ion fluxes of a second membrane by area_g/area, but not a
membrane mechanism's ``Transfer`` of volume), 23,000/20,000 = 1.15 times the
documented lp x gradient x astrocyte area.  ``glia_water_area`` (``Model``,
``simulate``) or ``glia_water="neuron"`` (``compare``) still reproduces that
old reading.

``python crosscheck/tissue_scipy.py [rest|train|anoxia] [--nakpump-water]
[--radau]`` prints the comparisons of ``tests/test_tissue_crosscheck.py``
against nakpump (by default with the documented astrocyte water flux).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.integrate import solve_ivp

E_CHARGE = 1.602176634e-19       # C (exact, SI 2019)
AVOGADRO = 6.02214076e23         # 1/mol
BOLTZMANN = 1.380649e-23         # J/K
F = E_CHARGE * AVOGADRO          # C/mol
R = BOLTZMANN * AVOGADRO         # J/(mol K)
AMOL_PER_UA = 10.0 / F
"""amol/ms of a monovalent ion carried by 1 uA/cm2 through 1 um2: 1e-6 A/cm2 x 1e-8 cm2/um2 / F mol/s
= 1e-14/F mol/s = 1e4/F amol/s."""
PUMP_UA_PER_CYCLE = E_CHARGE * 1e8 * 1e6
"""uA/cm2 carried by one elementary charge per second per um2 (e x 1e8 um2/cm2 x 1e6 uA/A)."""

IONS = ("Na", "K", "Cl")
Z = {"Na": 1, "K": 1, "Cl": -1}
METS = ("ATP", "ADP", "Pi", "PCr", "Cr")
NAMES = (("V", "V_g", "m", "h", "n", "p")
         + tuple(f"{ion}_{c}" for c in ("i", "o", "g") for ion in IONS)
         + tuple(f"{met}_{c}" for c in ("i", "g") for met in METS)
         + ("vol_i", "vol_o", "vol_g", "O2"))
"""The states: potentials (mV), the gates of nat (m, h), kdr (n) and km (p), amounts of ions and
metabolites (amol; named by the concentration they give), volumes (um3) and extracellular O2 (mg/L)."""
S = {name: j for j, name in enumerate(NAMES)}
"""Position of each state in the state vector."""

MECHANISMS = {
    "nat": "mainen_na", "kdr": "traub_kdr", "km": "m_current", "ghk_k": "ghk_leak", "ghk_na": "ghk_leak",
    "ghk_cl": "ghk_leak", "alpha1": "alpha1_pump", "alpha3": "alpha3_pump", "kcc2": "kcc2",
    "energy": "energy", "ck": "creatine_kinase", "glycolysis": "glycolysis", "katp": "katp",
    "water": "osmosis", "oxygen": "oxygen", "kir": "kir41", "glia_leak_na": "leak", "glia_leak_cl": "leak",
    "glia_pump": "astrocyte_pump", "glia_nkcc1": "nkcc1", "glia_water": "osmosis",
    "glia_energy": "energy", "glia_ck": "creatine_kinase", "glia_glycolysis": "glycolysis",
    "diffusion_k": "bath_diffusion", "diffusion_na": "bath_diffusion", "diffusion_cl": "bath_diffusion"}
"""The mechanisms this implementation writes out (name in the cell -> family); a cell with others
is refused, so that a change of the model's structure cannot pass unnoticed."""


# ------------------------------------------------------------ the equations --
def vtrap(a, x, q):
    """a x / (1 - exp(-x/q)) with its limit a q at x = 0 (the HH rate form)."""
    u = x / q
    if abs(u) < 1e-7:
        return a * q * (1.0 + 0.5 * u)
    return a * x / (1.0 - math.exp(-u))


def ghk(P, z, V, c_in, c_out, rtf):
    """Goldman-Hodgkin-Katz current (uA/cm2, outward +) of an ion of valence z, permeability P
    (cm/s), concentrations in mM: P z F u (c_in - c_out e^-u) / (1 - e^-u), u = z V / (RT/F).
    (mM = 1e-6 mol/cm3 and A -> uA cancel.)"""
    u = z * V / rtf
    if abs(u) < 1e-7:
        return P * z * F * (c_in - c_out * math.exp(-u)) * (1.0 + 0.5 * u)
    return P * z * F * u * (c_in - c_out * math.exp(-u)) / (1.0 - math.exp(-u))


def hill(x, half, n):
    """x^n / (x^n + half^n)."""
    return x ** n / (x ** n + half ** n)


def mainen_m(V):
    """(alpha_m, beta_m) of Mainen & Sejnowski 1996 at 23 degC, 1/ms."""
    return vtrap(0.182, V + 35.0, 9.0), vtrap(0.124, -V - 35.0, 9.0)


def mainen_h(V):
    """(h_inf, tau_h in ms at 23 degC) of Mainen & Sejnowski 1996."""
    a = vtrap(0.024, V + 50.0, 5.0)
    b = vtrap(0.0091, -V - 75.0, 5.0)
    return 1.0 / (1.0 + math.exp((V + 65.0) / 6.2)), 1.0 / (a + b)


def traub_n(V, VT):
    """(alpha_n, beta_n) of Traub & Miles 1991 (Pospischil 2008), v = V - VT, 1/ms:
    alpha_n = 0.032 (15 - v)/(exp((15 - v)/5) - 1), beta_n = 0.5 exp((10 - v)/40)."""
    v = V - VT
    return vtrap(0.032, v - 15.0, 5.0), 0.5 * math.exp((10.0 - v) / 40.0)


def m_current(V, tau_max):
    """(p_inf, tau_p in ms) of the M current (Pospischil 2008, Yamada et al. 1989)."""
    return (1.0 / (1.0 + math.exp(-(V + 35.0) / 10.0)),
            tau_max / (3.3 * math.exp((V + 35.0) / 20.0) + math.exp(-(V + 35.0) / 20.0)))


def katp_open(ATP, ADP, kdd, ktd, ktt):
    """Open fraction of K_ATP (Magnus & Keizer 1998): MgADP 0.165 ADP, ADP3- 0.135 ADP, ATP4- 0.05 ATP."""
    mgadp, adp3, atp4 = 0.165 * ADP, 0.135 * ADP, 0.05 * ATP
    top = 0.08 * (1.0 + 2.0 * mgadp / kdd) + 0.89 * (mgadp / kdd) ** 2
    return top / ((1.0 + mgadp / kdd) ** 2 * (1.0 + adp3 / ktd + atp4 / ktt))


def kir_factor(V, E_K, K_o, K_o0, E_K0):
    """The Kir4.1 factor f of Halnes et al. 2013 (as in edNEG, Saetra et al. 2021)."""
    return (math.sqrt(K_o / K_o0) * (1.0 + math.exp(18.4 / 42.4)) / (1.0 + math.exp((V - E_K + 18.5) / 42.5))
            * (1.0 + math.exp(-(118.6 + E_K0) / 44.1)) / (1.0 + math.exp(-(118.6 + V) / 44.1)))


# --------------------------------------------------------------- the model --
@dataclass
class Model:
    """The tissue unit with the parameters of a nakpump cell (``from_cell``).

    ``glia_water_area``: the area (um2) through which the astrocyte's water
    permeability ``glia_water.lp`` acts; default the astrocyte's membrane
    area, as the documented equation says (``Osmosis``: d(vol/area)/dt =
    lp (osm_i - osm_o) for the mechanism's membrane).
    """

    p: dict
    carrier: str = "K"
    glia_water_area: float | None = None
    a_imp: dict = field(default_factory=dict)
    """Impermeant anions (mM at the start volumes) that make each compartment electroneutral."""

    @classmethod
    def from_cell(cls, cell, glia_water_area: float | None = None) -> "Model":
        """Read every parameter by dotted name from nakpump cell ``cell``."""
        have = {m.name: type(m).family for m in cell.mechanisms}
        if have != MECHANISMS:
            extra = sorted(set(have.items()) - set(MECHANISMS.items()))
            missing = sorted(set(MECHANISMS.items()) - set(have.items()))
            raise ValueError(f"tissue_scipy writes out {len(MECHANISMS)} mechanisms; this cell also has "
                             f"{extra or 'nothing else'} and lacks {missing or 'nothing'}")
        if cell.bath:
            raise ValueError("tissue_scipy models a finite extracellular space (cell.bath = 0)")
        p = {name: float(value) for name, _, value in cell.parameters()}
        carrier = IONS[int(round(p["cell.electrode_ion"]))]
        a_imp = {c: sum(Z[ion] * p[f"cell.{ion}_{c}"] for ion in IONS) for c in ("i", "o", "g")}
        return cls(p, carrier, glia_water_area, a_imp)

    # ----------------------------------------------------------- initial --
    def initial(self) -> np.ndarray:
        """The start: the cell's potentials, concentrations and volumes, gates at steady state."""
        p = self.p
        y = np.zeros(len(NAMES))
        V = p["cell.V0"]
        y[S["V"]], y[S["V_g"]] = V, p["cell.V0_g"]
        am, bm = mainen_m(V)
        an, bn = traub_n(V, p["kdr.VT"])
        y[S["m"]], y[S["h"]] = am / (am + bm), mainen_h(V)[0]
        y[S["n"]], y[S["p"]] = an / (an + bn), m_current(V, p["km.tau_max"])[0]
        for c in ("i", "o", "g"):
            vol = p[f"cell.vol_{c}"]
            y[S[f"vol_{c}"]] = vol
            for ion in IONS:
                y[S[f"{ion}_{c}"]] = p[f"cell.{ion}_{c}"] * vol
        for c in ("i", "g"):
            for met in METS:
                y[S[f"{met}_{c}"]] = p[f"cell.{met}_{c}"] * p[f"cell.vol_{c}"]
        y[S["O2"]] = p["cell.O2_bath"]
        return y

    def atol(self, rtol: float) -> np.ndarray:
        """Absolute tolerances per state: rtol x a small size (1 mV, 0.01 of a gate, 0.01 mM x the start's
        volume for amounts, 0.01 of the start's volume, 1 mg/L of O2)."""
        p = self.p
        a = np.empty(len(NAMES))
        for name, j in S.items():
            c = name.rsplit("_", 1)[-1]
            if name in ("V", "V_g"):
                a[j] = rtol * 1.0
            elif name in ("m", "h", "n", "p"):
                a[j] = rtol * 1e-2
            elif name == "O2":
                a[j] = rtol * 1.0
            elif name.startswith("vol_"):
                a[j] = rtol * p[f"cell.{name}"] * 1e-2
            else:
                a[j] = rtol * 1e-2 * p[f"cell.vol_{c}"]
        return a

    # --------------------------------------------------------------- rhs --
    def _pump(self, name, Na_in, K_out, ATP, T):
        """Cycle rate (uA/cm2) of isoform pump ``name``: density x turnover x e x q10 factor
        x Hill(Na inside) x Hill(K outside) x ATP/(ATP + km_atp) x (1 - block)."""
        p = self.p
        return ((1.0 - p[name + ".block"]) * p[name + ".density"] * p[name + ".turnover"] * PUMP_UA_PER_CYCLE
                * p[name + ".q10"] ** ((T - p[name + ".T_ref"]) / 10.0)
                * hill(Na_in, p[name + ".na_half"], p[name + ".n_na"])
                * hill(K_out, p[name + ".k_half"], p[name + ".n_k"]) * ATP / (ATP + p[name + ".km_atp"]))

    def _energy(self, pre, ATP, ADP, Pi, PCr, Cr, O2):
        """(oxidative phosphorylation - baseline use, creatine kinase PCr + ADP -> ATP + Cr,
        glycolysis) in mM/ms of the cytosol, for the mechanisms named ``pre`` + energy, ck, glycolysis."""
        p = self.p
        e, ck, gl = pre + "energy", pre + "ck", pre + "glycolysis"
        half = p[e + ".o2_half"]
        f_o2 = O2 / (O2 + half) if half > 0.0 else 1.0
        make = (p[e + ".vmax"] * p[e + ".supply"] * f_o2 * ADP / (ADP + p[e + ".km_adp"])
                * Pi / (Pi + p[e + ".km_pi"]))
        use = p[e + ".baseline"] * ATP / (ATP + p[e + ".km_use"])
        r_e = (1.0 - p[e + ".block"]) * 1e-3 * (make - use)
        r_ck = (1.0 - p[ck + ".block"]) * p[ck + ".k"] * (PCr * ADP - ATP * Cr / p[ck + ".K_eq"])
        r_gl = ((1.0 - p[gl + ".block"]) * 1e-3 * p[gl + ".vmax"] * p[gl + ".glucose"]
                * ADP / (ADP + p[gl + ".km_adp"]) * Pi / (Pi + p[gl + ".km_pi"]))
        return r_e, r_ck, r_gl

    def _bath(self, ion, c_o, ratio):
        """Exchange of ``ion`` with the bath, mM/ms of the extracellular space: rate x f_O x f_v
        x (c_o - bath); f_O (bath O2) and f_v (W_i/W_o) are 1 when their slopes are 0."""
        p = self.p
        d = "diffusion_" + ion.lower()
        slope = p[d + ".o2_slope"]
        f_o = 1.0 / (1.0 + math.exp((p[d + ".o2_half"] - p["cell.O2_bath"]) / slope)) if slope > 0.0 else 1.0
        slope = p[d + ".beta_slope"]
        f_v = 1.0 / (1.0 + math.exp((ratio - p[d + ".beta_half"]) / slope)) if slope > 0.0 else 1.0
        return (1.0 - p[d + ".block"]) * p[d + ".rate"] * 1e-3 * f_o * f_v * (c_o - p[d + ".bath"])

    def fluxes(self, y, stim: float = 0.0) -> dict:
        """Every flux at state ``y`` with electrode current ``stim`` (uA/cm2 into the neuron), by name:
        ``I_<mech>`` currents (uA/cm2, outward +), ``J_<mech>`` cycle rates (uA/cm2 = F x cycles),
        ``r_<mech>`` rates (mM/ms of a compartment), ``flow_<membrane>`` water (um3/ms), and
        ``d_<state>``: each state's rate of change (state units per ms)."""
        p = self.p
        (V, Vg, m, h, n, pm, nNa_i, nK_i, nCl_i, nNa_o, nK_o, nCl_o, nNa_g, nK_g, nCl_g,
         nATP_i, nADP_i, nPi_i, nPCr_i, nCr_i, nATP_g, nADP_g, nPi_g, nPCr_g, nCr_g,
         vol_i, vol_o, vol_g, O2) = y
        Na_i, K_i, Cl_i = nNa_i / vol_i, nK_i / vol_i, nCl_i / vol_i
        Na_o, K_o, Cl_o = nNa_o / vol_o, nK_o / vol_o, nCl_o / vol_o
        Na_g, K_g, Cl_g = nNa_g / vol_g, nK_g / vol_g, nCl_g / vol_g
        ATP_i, ADP_i, Pi_i, PCr_i, Cr_i = (x / vol_i for x in (nATP_i, nADP_i, nPi_i, nPCr_i, nCr_i))
        ATP_g, ADP_g, Pi_g, PCr_g, Cr_g = (x / vol_g for x in (nATP_g, nADP_g, nPi_g, nPCr_g, nCr_g))
        T = p["cell.T"]
        rtf = 1e3 * R * (T + 273.15) / F
        E_Na, E_K = rtf * math.log(Na_o / Na_i), rtf * math.log(K_o / K_i)   # Cl- leaks by GHK
        E_Na_g, E_K_g, E_Cl_g = (rtf * math.log(Na_o / Na_g), rtf * math.log(K_o / K_g),
                                 -rtf * math.log(Cl_o / Cl_g))
        f = {}
        # the neuron's membrane (uA/cm2)
        f["I_nat"] = (1.0 - p["nat.block"]) * p["nat.gbar"] * m ** 3 * h * (V - E_Na)
        f["I_kdr"] = (1.0 - p["kdr.block"]) * p["kdr.gbar"] * n ** 4 * (V - E_K)
        f["I_km"] = (1.0 - p["km.block"]) * p["km.gbar"] * pm * (V - E_K)
        f["I_ghk_k"] = (1.0 - p["ghk_k.block"]) * ghk(p["ghk_k.P"], 1, V, K_i, K_o, rtf)
        f["I_ghk_na"] = (1.0 - p["ghk_na.block"]) * ghk(p["ghk_na.P"], 1, V, Na_i, Na_o, rtf)
        f["I_ghk_cl"] = (1.0 - p["ghk_cl.block"]) * ghk(p["ghk_cl.P"], -1, V, Cl_i, Cl_o, rtf)
        f["J_alpha1"] = J1 = self._pump("alpha1", Na_i, K_o, ATP_i, T)
        f["J_alpha3"] = J3 = self._pump("alpha3", Na_i, K_o, ATP_i, T)
        f["J_kcc2"] = (1.0 - p["kcc2.block"]) * p["kcc2.U"] * math.log(K_i * Cl_i / (K_o * Cl_o))
        f["I_katp"] = ((1.0 - p["katp.block"]) * p["katp.g"]
                       * katp_open(ATP_i, ADP_i, p["katp.kdd"], p["katp.ktd"], p["katp.ktt"]) * (V - E_K))
        # the astrocyte's membrane (uA/cm2 of its own area)
        f["I_kir"] = ((1.0 - p["kir.block"]) * p["kir.g"]
                      * kir_factor(Vg, E_K_g, K_o, p["kir.K_o0"], p["kir.E_K0"]) * (Vg - E_K_g))
        f["I_glia_leak_na"] = (1.0 - p["glia_leak_na.block"]) * p["glia_leak_na.g"] * (Vg - E_Na_g)
        f["I_glia_leak_cl"] = (1.0 - p["glia_leak_cl.block"]) * p["glia_leak_cl.g"] * (Vg - E_Cl_g)
        f["J_glia_pump"] = Jg = self._pump("glia_pump", Na_g, K_o, ATP_g, T)
        f["J_glia_nkcc1"] = ((1.0 - p["glia_nkcc1.block"]) * p["glia_nkcc1.U"]
                             / (1.0 + math.exp(p["glia_nkcc1.k_half"] - K_o))
                             * (math.log(K_g * Cl_g / (K_o * Cl_o)) + math.log(Na_g * Cl_g / (Na_o * Cl_o))))
        # ions leaving each cytosol (uA/cm2 of particles: F x flux); a pump cycle moves 3 Na+ out,
        # 2 K+ in; KCC2 1 K+ and 1 Cl- out; NKCC1 1 Na+, 1 K+, 2 Cl- out; an outward Cl- current is
        # Cl- moving in
        out_na = f["I_nat"] + f["I_ghk_na"] + 3.0 * (J1 + J3)
        out_k = f["I_kdr"] + f["I_km"] + f["I_ghk_k"] + f["I_katp"] - 2.0 * (J1 + J3) + f["J_kcc2"]
        out_cl = -f["I_ghk_cl"] + f["J_kcc2"]
        g_na = f["I_glia_leak_na"] + 3.0 * Jg + f["J_glia_nkcc1"]
        g_k = f["I_kir"] - 2.0 * Jg + f["J_glia_nkcc1"]
        g_cl = -f["I_glia_leak_cl"] + 2.0 * f["J_glia_nkcc1"]
        # net membrane currents; the part (1 - electrogenic) of a pump's net current (one charge per
        # cycle) is left out of the membrane equation, its ions still move
        f["I_neuron"] = (out_na + out_k - out_cl - (1.0 - p["alpha1.electrogenic"]) * J1
                         - (1.0 - p["alpha3.electrogenic"]) * J3)
        f["I_glia"] = g_na + g_k - g_cl - (1.0 - p["glia_pump.electrogenic"]) * Jg
        # energy in each cytosol, bath exchange (mM/ms)
        r_e_i, r_ck_i, r_gl_i = self._energy("", ATP_i, ADP_i, Pi_i, PCr_i, Cr_i, O2)
        r_e_g, r_ck_g, r_gl_g = self._energy("glia_", ATP_g, ADP_g, Pi_g, PCr_g, Cr_g, O2)
        f.update(r_energy=r_e_i, r_ck=r_ck_i, r_glycolysis=r_gl_i, r_glia_energy=r_e_g, r_glia_ck=r_ck_g,
                 r_glia_glycolysis=r_gl_g)
        ratio = vol_i / vol_o
        f["r_diffusion_na"] = bath_na = self._bath("Na", Na_o, ratio)
        f["r_diffusion_k"] = bath_k = self._bath("K", K_o, ratio)
        f["r_diffusion_cl"] = bath_cl = self._bath("Cl", Cl_o, ratio)
        # water (um3/ms): lp (um/(s mM)) x osmotic gradient x the membrane's area; osmolarities count
        # ions, impermeant anions and neutral osmolytes (the amounts of the last two fixed)
        A_n, A_g = p["cell.area"], p["cell.area_g"]
        osm = {c: (ions + (self.a_imp[c] + p[f"cell.X_{c}"]) * p[f"cell.vol_{c}"]) / v
               for c, ions, v in (("i", nNa_i + nK_i + nCl_i, vol_i), ("o", nNa_o + nK_o + nCl_o, vol_o),
                                  ("g", nNa_g + nK_g + nCl_g, vol_g))}
        A_w = A_g if self.glia_water_area is None else self.glia_water_area
        f["flow_neuron"] = flow_n = ((1.0 - p["water.block"]) * p["water.lp"] * 1e-3 * A_n
                                     * (osm["i"] - osm["o"]))
        f["flow_glia"] = flow_g = ((1.0 - p["glia_water.block"]) * p["glia_water.lp"] * 1e-3 * A_w
                                   * (osm["g"] - osm["o"]))

        # rates of change: potentials (mV/ms)
        f["d_V"] = (stim - f["I_neuron"]) / p["cell.Cm"]
        f["d_V_g"] = -f["I_glia"] / p["cell.Cm_g"]
        # gates (1/ms), rates x q10^((T - T_ref)/10)
        am, bm = mainen_m(V)
        h_inf, tau_h = mainen_h(V)
        phi = p["nat.q10"] ** ((T - p["nat.T_ref"]) / 10.0)
        f["d_m"] = phi * (am * (1.0 - m) - bm * m)
        f["d_h"] = phi * (h_inf - h) / tau_h
        an, bn = traub_n(V, p["kdr.VT"])
        f["d_n"] = p["kdr.rate"] * p["kdr.q10"] ** ((T - p["kdr.T_ref"]) / 10.0) * (an * (1.0 - n) - bn * n)
        p_inf, tau_p = m_current(V, p["km.tau_max"])
        f["d_p"] = p["km.q10"] ** ((T - p["km.T_ref"]) / 10.0) * (p_inf - pm) / tau_p
        # ions (amol/ms): through each membrane's area, and the bath exchange of the extracellular space
        k_n, k_g = AMOL_PER_UA * A_n, AMOL_PER_UA * A_g
        for ion, out, gout, bath in (("Na", out_na, g_na, bath_na), ("K", out_k, g_k, bath_k),
                                     ("Cl", out_cl, g_cl, bath_cl)):
            f[f"d_{ion}_i"] = -k_n * out
            f[f"d_{ion}_g"] = -k_g * gout
            f[f"d_{ion}_o"] = k_n * out + k_g * gout - bath * vol_o
        f[f"d_{self.carrier}_i"] += k_n * stim / Z[self.carrier]   # the electrode's current as ions
        # metabolites (amol/ms): each pump cycle hydrolyses one ATP of its cell to ADP and Pi;
        # energy and glycolysis make ATP from ADP and Pi; creatine kinase PCr + ADP -> ATP + Cr
        use_i, use_g = k_n * (J1 + J3), k_g * Jg
        for c, use, (r_e, r_ck, r_gl), vol in (("i", use_i, (r_e_i, r_ck_i, r_gl_i), vol_i),
                                               ("g", use_g, (r_e_g, r_ck_g, r_gl_g), vol_g)):
            made, ck = (r_e + r_gl) * vol, r_ck * vol
            f[f"d_ATP_{c}"] = made + ck - use
            f[f"d_ADP_{c}"] = -made - ck + use
            f[f"d_Pi_{c}"] = -made + use
            f[f"d_PCr_{c}"] = -ck
            f[f"d_Cr_{c}"] = ck
        f["d_vol_i"], f["d_vol_g"], f["d_vol_o"] = flow_n, flow_g, -(flow_n + flow_g)
        # O2 (mg/L per ms): -alpha x the pumps' ATP use (mM/ms of each cytosol) + eps (O2_bath - O2)
        f["d_O2"] = (1.0 - p["oxygen.block"]) * (-p["oxygen.alpha"] * (use_i / vol_i + use_g / vol_g)
                                                 + p["oxygen.eps"] * 1e-3 * (p["cell.O2_bath"] - O2))
        return f

    def rhs(self, t, y, stim: float = 0.0) -> np.ndarray:
        """dy/dt (state units per ms) at state ``y`` with electrode current ``stim`` uA/cm2."""
        f = self.fluxes(y, stim)
        return np.array([f["d_" + name] for name in NAMES])


# -------------------------------------------------------------- a run --
@dataclass
class Run:
    """A solved run: dense output per segment (``at``), the neuron's spikes (upward crossings of
    0 mV, ms, located by SciPy's event finder on the dense output) and solver statistics."""

    model: Model
    segments: list
    spikes: np.ndarray
    nfev: int = 0

    def y(self, t) -> np.ndarray:
        """States at times ``t`` (ms), rows = states."""
        t = np.atleast_1d(np.asarray(t, dtype=float))
        starts = np.array([s.t_min for s in self.segments])
        which = np.clip(np.searchsorted(starts, t, side="right") - 1, 0, len(self.segments) - 1)
        out = np.empty((len(NAMES), len(t)))
        for k in np.unique(which):
            sel = which == k
            out[:, sel] = self.segments[k](t[sel])
        return out

    def at(self, t) -> dict:
        """Quantities at times ``t`` (ms) by nakpump's result names: V, V_g (mV); Na_i ... Cl_g,
        ATP_i ... Cr_g (mM); vol_i, vol_o, vol_g (um3), vol_i_rel, vol_g_rel (1); O2 (mg/L)."""
        y = self.y(t)
        p = self.model.p
        out = {"V": y[S["V"]], "V_g": y[S["V_g"]], "O2": y[S["O2"]],
               "m": y[S["m"]], "h": y[S["h"]], "n": y[S["n"]], "p": y[S["p"]]}
        for k in ("i", "o", "g"):
            vol = y[S[f"vol_{k}"]]
            out[f"vol_{k}"] = vol
            out[f"vol_{k}_rel"] = vol / p[f"cell.vol_{k}"]
            for sp in IONS + (METS if k != "o" else ()):
                out[f"{sp}_{k}"] = y[S[f"{sp}_{k}"]] / vol
        return out


def simulate(cell, duration: float, pulses=(), changes=(), rtol: float = 1e-10, method: str = "BDF",
             glia_water_area: float | None = None, y0=None) -> Run:
    """Solve the tissue unit with the parameters of nakpump cell ``cell`` for ``duration`` ms.

    pulses : (start, stop, amplitude) tuples, ms and uA/cm2 into the neuron.
    changes : (time, "owner.name", value) tuples: parameter changes (``cell.O2_bath`` ...).
    The run is integrated piecewise between these edges, so no step straddles one.
    """
    model = Model.from_cell(cell, glia_water_area)
    edges = {0.0, float(duration)}
    for t0, t1, _ in pulses:
        edges |= {float(t0), float(t1)}
    for t, name, _ in changes:
        if name not in model.p:
            raise ValueError(f"unknown parameter {name!r}")
        edges.add(float(t))
    edges = sorted(e for e in edges if 0.0 <= e <= duration)
    y = model.initial() if y0 is None else np.array(y0, dtype=float)
    atol = model.atol(rtol)
    segments, spikes, nfev = [], [], 0

    def crossing(t, y, stim):
        return y[S["V"]]

    crossing.direction = 1.0
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        for t, name, value in changes:
            if t == a:
                model.p[name] = float(value)
        stim = sum(amp for t0, t1, amp in pulses if t0 <= a < t1)
        sol = solve_ivp(model.rhs, (a, b), y, method=method, rtol=rtol, atol=atol, args=(stim,),
                        dense_output=True, events=crossing)
        if sol.status != 0:
            raise RuntimeError(f"solve_ivp failed on [{a}, {b}] ms: {sol.message}")
        segments.append(sol.sol)
        spikes += list(sol.t_events[0])
        nfev += sol.nfev
        y = sol.y[:, -1]
    return Run(model, segments, np.array(spikes), nfev)


# ------------------------------------------------------ the protocols --
PROTOCOLS = {
    "rest": dict(duration=10000.0, dt=100.0, train=None, changes=()),
    "train": dict(duration=12000.0, dt=1.0, train=(1000.0, 20, 10.0, 1.0, 15.0), changes=()),
    "anoxia": dict(duration=155000.0, dt=100.0, train=None,
                   changes=((5000.0, "cell.O2_bath", 0.0), (5000.0, "diffusion_k.rate", 0.0),
                            (5000.0, "diffusion_na.rate", 0.0), (5000.0, "diffusion_cl.rate", 0.0))),
}
"""The compared protocols: "rest" 10 s; "train" 20 pulses of 1 ms, 15 uA/cm2 at 10 Hz from 1 s
(``train``: start ms, number, Hz, width ms, uA/cm2), then recovery to 12 s; "anoxia" the bath O2 to 0
at 5 s, to 155 s.  ``dt``: nakpump's output interval (ms)."""


def pulse_list(which: str) -> list:
    """The pulses of ``PROTOCOLS[which]`` as (start, stop, amplitude) tuples (ms, uA/cm2)."""
    train = PROTOCOLS[which]["train"]
    if train is None:
        return []
    start, number, frequency, width, amplitude = train
    period = 1000.0 / frequency
    return [(start + k * period, start + k * period + width, amplitude) for k in range(number)]


def nakpump_protocol(which: str):
    """The nakpump Protocol of ``PROTOCOLS[which]`` (a PulseTrain, parameter changes)."""
    import nakpump as nk

    spec = PROTOCOLS[which]
    events = [nk.PulseTrain(*spec["train"])] if spec["train"] else []
    events += [nk.SetParameter(t, name, value) for t, name, value in spec["changes"]]
    return nk.Protocol(events)


def from_nakpump(system, y) -> np.ndarray:
    """Our state vector from nakpump state ``y`` of compiled ``system``, read by the layout's names
    (amounts per membrane area x area -> amol; volumes per area x area -> um3)."""
    lay = system.layout
    area = system.cell.values["area"]
    gates = {"m": "nat_m", "h": "nat_h", "n": "kdr_n", "p": "km_p"}
    out = np.empty(len(NAMES))
    for name, j in S.items():
        if name in ("V", "V_g"):
            out[j] = y[lay.state(name)]
        elif name in gates:
            out[j] = y[lay.state(gates[name])]
        elif name == "O2":
            out[j] = y[lay.state("O2_o")]
        elif name.startswith("vol_"):
            out[j] = y[lay.state("w_" + name[4:])] * area
        else:
            out[j] = y[lay.state("n_" + name)] * area
    return out


def compare(which: str = "rest", cell=None, rtol: float = 1e-10, glia_water: str = "membrane",
            method: str = "BDF"):
    """Run protocol ``which`` (``PROTOCOLS``) here and in nakpump (Rodas4 at the same rtol) with
    the parameters of ``cell`` (default: ``neuron_in_tissue()``); returns (ours, nakpump's Result).
    ``glia_water``: "membrane" (the documented equation: the astrocyte's lp acts through its own
    membrane area) or "neuron" (through the neuron's area, as nakpump 43bc1d3 does)."""
    import nakpump as nk
    from nakpump.catalog.tissue import neuron_in_tissue

    cell = neuron_in_tissue() if cell is None else cell
    spec = PROTOCOLS[which]
    area = {"membrane": None, "neuron": cell.values["area"]}[glia_water]
    ours = simulate(cell, spec["duration"], pulse_list(which), spec["changes"], rtol=rtol, method=method,
                    glia_water_area=area)
    tight = nk.Tolerances(rtol=rtol, atol_V=1e-8, atol_conc=1e-11, atol_gate=1e-10)
    theirs = nk.simulate(cell, nakpump_protocol(which), duration=spec["duration"], dt=spec["dt"], tol=tight)
    return ours, theirs


if __name__ == "__main__":
    import sys
    import time

    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    water = "neuron" if "--nakpump-water" in sys.argv else "membrane"
    method = "Radau" if "--radau" in sys.argv else "BDF"
    for which in args or list(PROTOCOLS):
        t0 = time.perf_counter()
        ours, res = compare(which, glia_water=water, method=method)
        y = ours.at(res.t)
        print(f"{which} ({method}, astrocyte water through the {water} area): "
              f"{time.perf_counter() - t0:.1f} s, spikes {len(ours.spikes)} (nakpump {len(res.spikes)})",
              flush=True)
        if len(ours.spikes) == len(res.spikes) and len(res.spikes):
            print(f"  max |spike time difference| {np.max(np.abs(ours.spikes - res.spikes)):.3g} ms")
        for name in ("V", "V_g", "Na_i", "K_i", "Cl_i", "Na_o", "K_o", "Cl_o", "Na_g", "K_g", "Cl_g", "ATP_i",
                     "PCr_i", "ADP_i", "ATP_g", "PCr_g", "vol_i_rel", "vol_g_rel", "vol_o", "O2"):
            d = np.abs(y[name] - res[name])
            j = int(np.argmax(d))
            print(f"  {name:10s} max |diff| {d[j]:.3g} (rel {d[j] / max(abs(res[name][j]), 1e-30):.3g}) "
                  f"at t {res.t[j]:.0f} ms; end {res[name][-1]:.6g}")
