"""nakpump's pump-leak cell written independently in Myokit's .mmt language
and solved with Myokit's CVODES simulation, for the speed race of issue 12.

The cell is ``nakpump.pump_leak_cell()``, with its default electrode (current
carried by K+, ``cell.electrode_ion = "K"``) or any other carrier nakpump
allows (``"Na"``, ``"Cl"``, or ``"none"``: no ion), see below: one
isopotential compartment at ``cell.T`` (calibrated at rest, ``cell.V0`` =
-70 mV) with

- ``nat`` (``TraubNa``): I = (1 - block) gbar m^3 h (V - E_Na);
- ``kdr`` (``TraubK``): I = (1 - block) gbar n^4 (V - E_K);
  gating of both as in Wei, Ullah & Schiff 2014 (J Neurosci 34:11733), rates
  in 1/ms at ``T_ref`` = 36 degC, written in the paper's form:
  alpha_m = 0.32 (V + 54)/(1 - exp(-(V + 54)/4)), beta_m = 0.28 (V + 27)/(exp((V + 27)/5) - 1),
  alpha_h = 0.128 exp(-(V + 50)/18),              beta_h = 4/(1 + exp(-(V + 27)/5)),
  alpha_n = 0.032 (V + 52)/(1 - exp(-(V + 52)/5)), beta_n = 0.5 exp(-(V + 57)/40),
  dx/dt = phi (alpha_x (1 - x) - beta_x x), phi = q10^((T - T_ref)/10);
- ``leak_na``, ``leak_k``, ``leak_cl`` (``Leak``): ohmic, I = (1 - block) g (V - E_X)
  with the live Nernst potential E_X = (RT/F)/z_X ln(X_o/X_i) (nakpump's
  ``Leak`` is ohmic; ``GHKLeak`` is its GHK variant, not used by this cell);
- ``pump`` (``HillPump``, Kager, Wadman & Somjen 2000): cycle current
  J = (1 - block) imax q10^((T - T_ref)/10) (1 + km_na/Na_i)^-n_na
  (1 + km_k/K_o)^-n_k ATP_i/(ATP_i + km_atp) (uA/cm2), carrying 3 J of Na+
  out and 2 J of K+ in; ``electrogenic`` x J enters the membrane equation.

Membrane: Cm dV/dt = stim - sum of the currents, stim the electrode current
into the cell (uA/cm2, Myokit's ``pace`` x ``membrane.amplitude``).

Electrode: with ``cell.electrode_ion`` an ion X of valence z, the current
stim is carried by X, which the electrode puts into the cytosol (and takes
from nowhere else): dX_i/dt gains stim/z x 10/(F w_i) mM/ms (nakpump: the
amount rate ``AMOUNT_PER_CHARGE * stim / z``, mM*um/ms, AMOUNT_PER_CHARGE =
10/F, over the volume per area w_i; for Cl-, z = -1, a current into the
cell takes Cl- out).  With ``"none"`` it is carried by no ion (like NEURON's
IClamp) and enters the membrane equation only.

Ions: Na+, K+ and Cl- concentrations (mM) in the cytosol (i) and a closed
extracellular space (o) of fixed volumes.  An outward current I (uA/cm2) of
an ion of valence z through membrane area A removes I/z x 1e-6 A/cm2 / F =
I/z x 1e-9/F mol/(cm2 ms) from a compartment of volume per area
w = vol/area (um, so w x 1e-4 cm3/cm2): dc/dt = -I/z x 1e-9/(F w 1e-4)
mol/cm3/ms = -I/z x 10/(F w) mM/ms (mM = 1e-6 mol/cm3); the other side gains
the same amount, dc_o/dt = +I/z x 10/(F w_o).

Every number of the cell (conductances, q10s, temperatures, pump constants,
Cm, T, volumes, area, ATP_i) is read from the nakpump cell by dotted name
(``cell.parameters()``); the physical constants F and R and 0 degC come from
``nakpump.physics``; the initial state is the compiled System's ``y0``
(amounts in mM*um converted to mM by the volume per area ``geometry.w_*``).
Only the rate constants of the published gating equations are literals.

Units: ms, mV, mM, uA/cm2, mS/cm2, uF/cm2, um, degC.

Spike times: Myokit's own root-finding (``Simulation.run(apd_variable=
"membrane.V", apd_threshold=0)``, CVODES' ``CVodeRootInit`` on V - 0 mV):
each upward crossing is located on CVODES' interpolating polynomial of the
step that contains it, to about 100 machine epsilons x (|t| + |h|), so the
spike time is as accurate as the solution itself (no logging or
interpolation of a log involved).  Myokit reports a crossing as an APD
``start`` once V has come back down through 0 mV, so a spike still above
0 mV at the end of a run is not reported (end a run between spikes; with
``TRAIN`` over 5 s or 60 s it never is).  (Linear interpolation of a
0.01 ms log would err by about h^2/8 x V''/V', some 1e-4 ms on a spike's
upstroke: not used.)

Measured over 5 s, Myokit at abs/rel tolerance 1e-10 against nakpump at
rtol 1e-10 (``compare``): with ``electrode_ion = "none"`` and ``TRAIN``, the
40 spike times lie within 1.8e-8 ms of nakpump's, Na_i, K_i and K_o within
1.5e-9 mM; with the default K+ electrode and the train (1000.0, 100, 10.0,
2.0, 20.0), 40 spikes within 4.7e-8 ms, Na_i, K_i and K_o within 2.0e-9 mM.
Myokit's default tolerances (abs 1e-6, rel 1e-4) move the spike times of
``TRAIN`` ("none") by up to 1.8e-4 ms over 60 s.

>>> r = run(cell, 5000.0, rtol=1e-10, atol=1e-10, train=(1000.0, 100, 10.0, 2.0, 20.0))
>>> r["spikes"], r["setup"], r["wall"]

``python crosscheck/myokit_pump_leak.py`` runs the check of the right-hand
sides for every electrode carrier and, for the K+ electrode and for none, a
5 s comparison of spike times, Na_i and K_o against nakpump.
"""

from __future__ import annotations

import time

import numpy as np

EXPECTED = [("nat", "traub_na", None), ("kdr", "traub_k", None), ("leak_na", "leak", "Na"),
            ("leak_k", "leak", "K"), ("leak_cl", "leak", "Cl"), ("pump", "hill_pump", None)]
"""nakpump's mechanisms of the pump-leak cell, in order: (name, family, ion); a cell with others is
refused, so that a change of the model's structure cannot pass unnoticed."""

IONS = (("Na", 1), ("K", 1), ("Cl", -1))
"""The ions and their valences."""

TRAIN = (1000.0, 100, 10.0, 1.0, 40.0)
"""The race's spike train, the default ``train`` of the functions below: a train is ``(start ms,
number, frequency Hz, pulse duration ms, amplitude uA/cm2)``, nakpump's ``nk.PulseTrain(*train)``;
this one is 100 pulses of 1 ms and 40 uA/cm2 at 10 Hz from t = 1000 ms."""

LOGGED = {"t": "engine.time", "V": "membrane.V", "Na_i": "conc.Na_i", "K_i": "conc.K_i", "K_o": "conc.K_o"}
"""Keys of ``run``'s traces -> the Myokit variables logged."""


def pulse_train(train=TRAIN):
    """``train`` (see ``TRAIN``) as a nakpump ``PulseTrain``."""
    import nakpump as nk

    return nk.PulseTrain(*train)


# ------------------------------------------------------------------ the cell --
def _params(cell) -> dict:
    """Every parameter of nakpump cell ``cell`` by dotted name (``nat.gbar``), as floats; checks that
    the cell is the one this model writes out."""
    have = [(m.name, type(m).family, getattr(m, "ion", None)) for m in cell.mechanisms]
    if have != EXPECTED:
        raise ValueError(f"myokit_pump_leak writes out {EXPECTED}; this cell has {have}")
    p = {name: float(value) for name, _, value in cell.parameters()}
    if p["cell.bath"] != 0.0:
        raise ValueError("myokit_pump_leak models a closed extracellular space (cell.bath = 0)")
    return p


def carrier(cell) -> tuple[str, int] | None:
    """The ion carrying the electrode's current, ``(name, valence)`` from ``cell.electrode_ion``, or
    None for ``"none"`` (a current carried by no ion); a carrier this model does not write out (an ion
    not in ``IONS``) is refused."""
    ion = cell.electrode_ion
    if ion == "none":
        return None
    for name, z in IONS:
        if name == ion:
            return name, z
    raise ValueError(f"myokit_pump_leak writes out an electrode carried by {[n for n, _ in IONS]} or "
                     f"none; this cell's electrode_ion is {ion!r}")


def _geometry(p: dict) -> dict:
    """Volume per membrane area (um) of the cytosol ``i`` and the extracellular space ``o``."""
    return {c: p[f"cell.vol_{c}"] / p["cell.area"] for c in ("i", "o")}


def initial_state(cell, system=None) -> dict:
    """The initial state (Myokit qname -> value): V (mV) and the gates from the compiled System's
    ``y0``; the concentrations (mM) from its amounts (mM*um) over ``geometry.w_*`` (um), as
    ``tests/helpers.py conc`` does."""
    import nakpump as nk

    system = system or nk.compile_cell(cell)
    lay, y0, p0 = system.layout, system.y0, system.p0
    state = {"membrane.V": y0[lay.state("V")], "nat.m": y0[lay.state("nat_m")],
             "nat.h": y0[lay.state("nat_h")], "kdr.n": y0[lay.state("kdr_n")]}
    for c in ("i", "o"):
        w = p0[lay.param(f"geometry.w_{c}")]
        for ion, _ in IONS:
            state[f"conc.{ion}_{c}"] = y0[lay.state(lay.amount(ion, c))] / w
    return {k: float(v) for k, v in state.items()}


def _num(x: float) -> str:
    """A float as .mmt text that reads back exactly."""
    return repr(float(x))


def mmt(cell, amplitude: float = TRAIN[4], system=None) -> str:
    """The Myokit model (.mmt text) of ``cell``: states ``membrane.V`` (mV), ``nat.m``, ``nat.h``,
    ``kdr.n`` and ``conc.{Na,K,Cl}_{i,o}`` (mM); time ``engine.time`` (ms); the stimulus
    ``membrane.stim`` = ``engine.pace`` (bound to Myokit's pacing) x ``membrane.amplitude``
    (``amplitude``, uA/cm2: a train's, ``train[4]``), carried into the cytosol by
    ``cell.electrode_ion`` (``carrier``).  No protocol: the caller sets it.  ``system``: the
    compiled cell, if at hand (for the initial state)."""
    import nakpump.physics as phys

    p = _params(cell)
    electrode = carrier(cell)
    carried = "no ion" if electrode is None else f"{electrode[0]} into the cytosol"
    w = _geometry(p)
    y0 = initial_state(cell, system)

    def par(name):
        return _num(p[name])

    inits = "\n".join(f"{k} = {_num(v)}" for k, v in y0.items())
    conc = []
    for ion, z in IONS:
        currents = {"Na": "nat.i + leak.i_Na + pump.i_Na", "K": "kdr.i + leak.i_K + pump.i_K",
                    "Cl": "leak.i_Cl"}[ion]
        inside = f"-k_i * i_{ion} / ({z})"
        if electrode is not None and electrode[0] == ion:  # the electrode's ion, put into the cytosol
            inside = f"k_i * membrane.stim / ({z}) - k_i * i_{ion} / ({z})"
        conc.append(f"""i_{ion} = {currents}
    in [uA/cm^2]
    desc: total outward {ion} current
E_{ion} = phys.RTF / ({z}) * log({ion}_o / {ion}_i)
    in [mV]
    desc: Nernst potential of {ion}
dot({ion}_i) = {inside}
    in [mM]
dot({ion}_o) = k_o * i_{ion} / ({z})
    in [mM]""")
    conc = "\n".join(conc)
    pump_constants = "\n".join(f"{name} = {par('pump.' + name)}" for name in (
        "imax", "km_na", "km_k", "n_na", "n_k", "km_atp", "q10", "T_ref", "electrogenic", "block"))
    leaks = "\n".join(f"""g_{ion} = {par(f"leak_{ion.lower()}.g")}
    in [mS/cm^2]
block_{ion} = {par(f"leak_{ion.lower()}.block")}
i_{ion} = (1 - block_{ion}) * g_{ion} * (V - conc.E_{ion})
    in [uA/cm^2]""" for ion, _ in IONS)

    def vtrap(a, x, q):
        """a x / (1 - exp(-x/q)), with its limit a q (1 + x/(2q)) for |x/q| < 1e-6."""
        return (f"if(abs(({x}) / {q}) < 1e-6, {a} * {q} * (1 + ({x}) / (2 * {q})), "
                f"{a} * ({x}) / (1 - exp(-({x}) / {q})))")

    return f"""[[model]]
name: nakpump_pump_leak
desc: nakpump's pump-leak cell (electrode_ion {cell.electrode_ion}), written by crosscheck/myokit_pump_leak.py
{inits}

[engine]
time = 0 bind time
    in [ms]
pace = 0 bind pace

[phys]
F = {_num(phys.F)}
    desc: Faraday constant, C/mol (nakpump.physics.F)
R = {_num(phys.R)}
    desc: gas constant, J/(mol K) (nakpump.physics.R)
T = {par("cell.T")}
    desc: temperature, degC (cell.T)
RTF = 1000 * R * (T + {_num(phys.ZERO_CELSIUS)}) / F
    in [mV]

[membrane]
Cm = {par("cell.Cm")}
    in [uF/cm^2]
amplitude = {_num(amplitude)}
    in [uA/cm^2]
    desc: electrode current during a pulse (pace = 1)
stim = engine.pace * amplitude
    in [uA/cm^2]
    desc: electrode current into the cell, carried by {carried}
i_ion = nat.i + kdr.i + leak.i_Na + leak.i_K + leak.i_Cl + pump.i
    in [uA/cm^2]
dot(V) = (stim - i_ion) / Cm
    in [mV]

[nat]
use membrane.V as V
gbar = {par("nat.gbar")}
    in [mS/cm^2]
block = {par("nat.block")}
phi = {par("nat.q10")} ^ ((phys.T - {par("nat.T_ref")}) / 10)
am = {vtrap("0.32", "V + 54", "4")}
bm = {vtrap("0.28", "-(V + 27)", "5")}
ah = 0.128 * exp(-(V + 50) / 18)
bh = 4 / (1 + exp(-(V + 27) / 5))
dot(m) = phi * (am * (1 - m) - bm * m)
dot(h) = phi * (ah * (1 - h) - bh * h)
i = (1 - block) * gbar * m ^ 3 * h * (V - conc.E_Na)
    in [uA/cm^2]

[kdr]
use membrane.V as V
gbar = {par("kdr.gbar")}
    in [mS/cm^2]
block = {par("kdr.block")}
phi = {par("kdr.q10")} ^ ((phys.T - {par("kdr.T_ref")}) / 10)
an = {vtrap("0.032", "V + 52", "5")}
bn = 0.5 * exp(-(V + 57) / 40)
dot(n) = phi * (an * (1 - n) - bn * n)
i = (1 - block) * gbar * n ^ 4 * (V - conc.E_K)
    in [uA/cm^2]

[leak]
use membrane.V as V
{leaks}

[pump]
ATP = {par("cell.ATP_i")}
    in [mM]
{pump_constants}
sat_na = (1 + km_na / conc.Na_i) ^ (-n_na)
sat_k = (1 + km_k / conc.K_o) ^ (-n_k)
J = (1 - block) * imax * q10 ^ ((phys.T - T_ref) / 10) * sat_na * sat_k * ATP / (ATP + km_atp)
    in [uA/cm^2]
    desc: cycle current (one net charge out per cycle)
i_Na = 3 * J
    in [uA/cm^2]
i_K = -2 * J
    in [uA/cm^2]
i = electrogenic * (i_Na + i_K)
    in [uA/cm^2]
    desc: the part of the pump's net current in the membrane equation

[conc]
w_i = {_num(w["i"])}
    in [um]
    desc: cytosol volume per membrane area (cell.vol_i / cell.area)
w_o = {_num(w["o"])}
    in [um]
    desc: extracellular volume per membrane area (cell.vol_o / cell.area)
k_i = 10 / (phys.F * w_i)
    desc: mM/ms per uA/cm2 of a monovalent ion in the cytosol
k_o = 10 / (phys.F * w_o)
    desc: mM/ms per uA/cm2 of a monovalent ion outside
{conc}
"""


# ------------------------------------------------------------ simulations --
def model(cell, amplitude: float = TRAIN[4], system=None):
    """The parsed, validated ``myokit.Model`` of ``mmt(cell, amplitude, system)``."""
    import myokit

    m = myokit.parse_model(mmt(cell, amplitude, system))
    m.validate()
    return m


def protocol(train=TRAIN):
    """``train`` (see ``TRAIN``) as a Myokit protocol: ``number`` blocks of level 1 and ``duration``
    ms every 1000/``frequency`` ms from ``start`` ms (the amplitude is ``membrane.amplitude``'s)."""
    import myokit

    start, number, freq, dur, _ = train
    return myokit.pacing.blocktrain(period=1000.0 / freq, duration=dur, offset=start, level=1.0,
                                    limit=number)


def simulation(cell, rtol: float | None = None, atol: float | None = None, system=None, train=TRAIN):
    """A ``myokit.Simulation`` of ``cell`` with the spike train ``train`` (see ``TRAIN``); tolerances
    ``sim.set_tolerance(atol, rtol)`` when given (Myokit's defaults: abs 1e-6, rel 1e-4; the
    absolute tolerance is the same number for every state: mV, mM and gates)."""
    import myokit

    sim = myokit.Simulation(model(cell, train[4], system), protocol(train))
    if rtol is not None or atol is not None:
        sim.set_tolerance(abs_tol=1e-6 if atol is None else atol, rel_tol=1e-4 if rtol is None else rtol)
    return sim


def run(cell, duration: float = 60000.0, log_dt: float = 1.0, rtol: float | None = None,
        atol: float | None = None, train=TRAIN) -> dict:
    """Run ``cell`` with the spike train ``train`` (see ``TRAIN``) for ``duration`` ms.  Returns the
    traces ``t`` (ms), ``V`` (mV), ``Na_i``, ``K_i``, ``K_o`` (mM) logged every ``log_dt`` ms from 0 to
    before ``duration`` (Myokit's periodic logging, interpolated by CVODES), ``spikes`` (ms: upward
    crossings of 0 mV by CVODES root-finding, see the module's docstring), ``setup`` (s: parsing the
    model and creating the Simulation, which compiles it) and ``wall`` (s: ``sim.run`` alone)."""
    t0 = time.perf_counter()
    sim = simulation(cell, rtol, atol, train=train)
    t1 = time.perf_counter()
    log, apds = sim.run(duration, log=list(LOGGED.values()), log_interval=log_dt,
                        apd_variable="membrane.V", apd_threshold=0.0)
    t2 = time.perf_counter()
    out = {key: np.asarray(log[name], dtype=float) for key, name in LOGGED.items()}
    out["spikes"] = np.asarray(apds["start"], dtype=float)
    out["setup"], out["wall"] = t1 - t0, t2 - t1
    return out


# ------------------------------------------------------------------ check --
def _terms(m, state: list, pace: float) -> dict:
    """Every variable of Myokit model ``m`` at ``state`` and ``pace`` (qname -> value; states'
    derivatives as ``dot(qname)``), evaluated as ``Model.evaluate_derivatives`` does."""
    import myokit

    values = {myokit.Name(v): x for v, x in zip(m.states(), state, strict=True)}
    values[myokit.Name(m.binding("pace"))] = float(pace)
    for group in m.solvable_order().values():
        for eq in group:
            if eq.lhs not in values:
                values[eq.lhs] = eq.rhs.eval(values)
    return {eq.code(): x for eq, x in values.items()}


def _scales(v: dict, electrode: tuple[str, int] | None) -> dict:
    """The size of each derivative's terms (qname -> value), the denominator of ``check``'s relative
    differences: a calibrated rest has derivatives that are rounding noise (a current g (V - E) with
    E = V), whose relative difference means nothing.  A current g (V - E) counts as |g| (|V| + |E|),
    the pump as |J|, the stimulus as |stim| (in V's derivative, and in its carrier's cytosolic
    concentration when ``electrode``, ``carrier(cell)``, names one); a derivative's size is the sum
    of its terms' sizes."""
    V = abs(v["membrane.V"])
    size = {"nat.i": abs((1 - v["nat.block"]) * v["nat.gbar"] * v["nat.m"] ** 3 * v["nat.h"])
            * (V + abs(v["conc.E_Na"])),
            "kdr.i": abs((1 - v["kdr.block"]) * v["kdr.gbar"] * v["kdr.n"] ** 4) * (V + abs(v["conc.E_K"])),
            "pump.i_Na": 3 * abs(v["pump.J"]), "pump.i_K": 2 * abs(v["pump.J"]),
            "pump.i": abs(v["pump.i"]), "membrane.stim": abs(v["membrane.stim"])}
    for ion, _ in IONS:
        g = (1 - v[f"leak.block_{ion}"]) * v[f"leak.g_{ion}"]
        size[f"leak.i_{ion}"] = abs(g) * (V + abs(v[f"conc.E_{ion}"]))
    s = {"membrane.V": sum(size[c] for c in ("membrane.stim", "nat.i", "kdr.i", "leak.i_Na", "leak.i_K",
                                             "leak.i_Cl", "pump.i")) / v["membrane.Cm"]}
    for gate, rates in (("nat.m", ("nat.am", "nat.bm")), ("nat.h", ("nat.ah", "nat.bh")),
                        ("kdr.n", ("kdr.an", "kdr.bn"))):
        x = v[gate]
        s[gate] = abs(v[gate.split(".")[0] + ".phi"]) * (abs(v[rates[0]] * (1 - x)) + abs(v[rates[1]] * x))
    parts = {"Na": ("nat.i", "leak.i_Na", "pump.i_Na"), "K": ("kdr.i", "leak.i_K", "pump.i_K"),
             "Cl": ("leak.i_Cl",)}
    for ion, terms in parts.items():
        total = sum(size[t] for t in terms)
        for c in ("i", "o"):
            s[f"conc.{ion}_{c}"] = v[f"conc.k_{c}"] * total
    if electrode is not None:
        s[f"conc.{electrode[0]}_i"] += v["conc.k_i"] * size["membrane.stim"]
    return s


def check(cell, n_random: int = 8, seed: int = 12, verbose: bool = False,
          amplitude: float = TRAIN[4]) -> float:
    """Compare the right-hand sides: Myokit's derivatives (the Python ``Model.evaluate_derivatives``
    and the compiled ``Simulation.evaluate_derivatives``, which CVODES integrates) with nakpump's
    ``System.rhs`` converted to the same units (amount rates in mM*um/ms over ``geometry.w_*`` ->
    mM/ms), at nakpump's ``y0`` with the stimulus off and on (``amplitude``, uA/cm2, into the cell,
    carried by ``cell.electrode_ion``), and at ``n_random`` perturbed states (V uniform in
    -90..50 mV, gates in 0.01..0.99, concentrations x 0.7..1.3, stimulus alternately off and on).
    Returns the worst relative difference, |myokit - nakpump| / max(|nakpump|, scale), scale the sum
    of the absolute values of the terms of that derivative (``_scales``)."""
    import nakpump as nk

    system = nk.compile_cell(cell)
    lay = system.layout
    electrode = carrier(cell)
    train = (*TRAIN[:4], amplitude)
    m = model(cell, amplitude, system)
    sim = simulation(cell, system=system, train=train)
    names = [v.qname() for v in m.states()]
    where = {"membrane.V": lay.state("V"), "nat.m": lay.state("nat_m"), "nat.h": lay.state("nat_h"),
             "kdr.n": lay.state("kdr_n")}
    w = {}
    for c in ("i", "o"):
        for ion, _ in IONS:
            where[f"conc.{ion}_{c}"] = lay.state(lay.amount(ion, c))
            w[f"conc.{ion}_{c}"] = system.p0[lay.param(f"geometry.w_{c}")]
    base = initial_state(cell, system)
    rng = np.random.default_rng(seed)
    cases = [(dict(base), 0.0), (dict(base), 1.0)]
    for k in range(n_random):
        st = dict(base)
        st["membrane.V"] = rng.uniform(-90.0, 50.0)
        for g in ("nat.m", "nat.h", "kdr.n"):
            st[g] = rng.uniform(0.01, 0.99)
        for q in w:
            st[q] = base[q] * rng.uniform(0.7, 1.3)
        cases.append((st, float(k % 2)))
    worst = 0.0
    for st, pace in cases:
        state = [st[n] for n in names]
        y = system.y0.copy()
        for n in names:
            y[where[n]] = st[n] * w.get(n, 1.0)
        p = system.p0.copy()
        p[lay.param(lay.membranes[0]["stim"])] = pace * amplitude
        dy = system.rhs(y, p)
        ref = {n: dy[where[n]] / w.get(n, 1.0) for n in names}
        py = dict(zip(names, m.evaluate_derivatives(state, inputs={"pace": pace}), strict=True))
        c = dict(zip(names, sim.evaluate_derivatives(state, inputs={"pace": pace}), strict=True))
        scale = _scales(_terms(m, state, pace), electrode)
        for n in names:
            den = max(abs(ref[n]), scale[n], 1e-300)
            e = max(abs(py[n] - ref[n]), abs(c[n] - ref[n])) / den
            if verbose and e > 1e-14:
                print(f"  {n:12s} V={st['membrane.V']:8.3f} pace={pace:g}: nakpump {ref[n]: .16e} "
                      f"myokit {py[n]: .16e} C {c[n]: .16e} rel {e:.2e}")
            worst = max(worst, e)
    return worst


def nakpump_reference(cell, duration: float = 5000.0, train=TRAIN):
    """nakpump's run of ``cell`` with the spike train ``train`` (see ``TRAIN``) at tight tolerances
    (rtol 1e-10), sampled every 1 ms: its Result."""
    import nakpump as nk

    tol = nk.Tolerances(rtol=1e-10, atol_V=1e-8, atol_conc=1e-11, atol_gate=1e-10)
    return nk.simulate(nk.compile_cell(cell), nk.Protocol([pulse_train(train)]), duration=duration, dt=1.0,
                       tol=tol)


def compare(cell, duration: float = 5000.0, train=TRAIN, tol: float = 1e-10) -> dict:
    """Myokit at abs/rel tolerance ``tol`` against nakpump (``nakpump_reference``) for ``cell`` and
    ``train`` over ``duration`` ms: spike counts ``n``/``n_ref``, the largest spike-time difference
    ``dt_spike`` (ms; nan when the counts differ), the largest differences ``dNa_i``, ``dK_i``,
    ``dK_o`` (mM) on the common 1 ms samples (``samples`` of them: Myokit's log stops before
    ``duration``, nakpump's includes it) and Myokit's ``setup`` and ``wall`` (s)."""
    mine = run(cell, duration, rtol=tol, atol=tol, train=train)
    ref = nakpump_reference(cell, duration, train)
    n = min(len(mine["t"]), len(ref.t))
    if not np.array_equal(mine["t"][:n], ref.t[:n]):
        raise ValueError("Myokit's and nakpump's samples are at different times")
    same = len(mine["spikes"]) == len(ref.spikes)
    return {"n": len(mine["spikes"]), "n_ref": len(ref.spikes),
            "dt_spike": float(np.max(np.abs(mine["spikes"] - ref.spikes))) if same else float("nan"),
            "dNa_i": float(np.max(np.abs(mine["Na_i"][:n] - ref["Na_i"][:n]))),
            "dK_i": float(np.max(np.abs(mine["K_i"][:n] - ref["K_i"][:n]))),
            "dK_o": float(np.max(np.abs(mine["K_o"][:n] - ref["K_o"][:n]))),
            "samples": n, "setup": mine["setup"], "wall": mine["wall"]}


if __name__ == "__main__":
    import nakpump as nk

    for ion in ("K", "Na", "Cl", "none"):
        cell = nk.pump_leak_cell().set(electrode_ion=ion)
        print(f"electrode_ion {ion}: check, worst relative difference of the right-hand sides "
              f"{check(cell):.3e}")
    for ion, train in (("K", (1000.0, 100, 10.0, 2.0, 20.0)), ("none", TRAIN)):
        cell = nk.pump_leak_cell().set(electrode_ion=ion)
        r = compare(cell, 5000.0, train)
        print(f"electrode_ion {ion}, train {train}, 5 s: myokit setup {r['setup']:.2f} s, run "
              f"{r['wall']:.3f} s; {r['n']} spikes (nakpump {r['n_ref']}), largest differences: spike "
              f"time {r['dt_spike']:.3e} ms, Na_i {r['dNa_i']:.3e} mM, K_i {r['dK_i']:.3e} mM, K_o "
              f"{r['dK_o']:.3e} mM ({r['samples']} samples)")
