"""Runs of the explorer: one simulated cell advanced chunk by chunk.

A ``CellKind`` holds what every run of one cell shares: the calibrated cell,
its compiled System (compiled once: at server start, a preset on first use), its controls, its
rest report (the pump's electrogenic share, mV) and the indices of what the
page shows.  A ``Run`` holds one student's state vector, model time (ms) and
current settings; ``Run.advance(chunk_ms)`` simulates one chunk continuing
from the last state and returns the chunk payload of the HTTP contract
(docs/serve.md).

Settings act through the protocol of each chunk: every mapped parameter is
set at the chunk's start (``SetParameter`` at 0 ms), the stimulus is a
``PulseTrain`` whose phase is kept across chunks, and an outside-K+ change
on a cell without a bath is a ``SetConcentration`` in the first chunk after
it.  So a run is a sequence of ``simulate`` calls with recorded chunk lengths
and setting changes, and ``spec.replay(spec)`` repeats it exactly.

Units: time ms, V mV, concentrations mM, currents uA/cm2, counters amol
(1e-18 mol) per cell.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field

import numpy as np

from .controls import Control, build_controls, defaults, neuron_pumps, validate

POINTS_PER_CHUNK = 400
"""Most points of each trace in one chunk (min/max pairs of V over 200 bins)."""
HISTORY_POINTS = 40_000
"""Most points a run keeps for its CSV; older points are thinned by halves."""
TRACES = ("V", "Na_i", "K_i", "K_o", "Na_o", "I_pump", "ATP_i")
SPEC_FORMAT = "nakpump-serve-spec 1"
CORE_TITLES = {"tissue": "cortical neuron in tissue (with an astrocyte, extracellular space, bath)",
               "pump-leak": "pump-leak cell (one compartment, for teaching)"}
"""Titles of the two calibrated cells (the presets' come from ``catalog.PRESETS``)."""


@dataclass
class CellKind:
    """What all runs of one cell share (built by ``CellKind.build(name)``)."""

    name: str
    title: str
    cell: object
    system: object
    controls: list[Control]
    pump_mV: float
    rest_atp_amol_s: float
    area_um2: float
    pumps: list[str]
    ledger_idx: dict = field(default_factory=dict)
    has_atp: bool = True  # an ATP state inside (else the ATP_i readout and trace are null)

    @classmethod
    def build(cls, name: str) -> "CellKind":
        """Build and compile the cell ``name``: ``tissue`` or ``pump-leak`` (calibrated at rest) or a
        published preset (``catalog.PRESETS``: its own initial state, not necessarily a rest)."""
        from ..catalog import PRESETS, get
        from ..compile.system import compile_cell
        from ..solve.rest import rest_report

        preset = PRESETS.get(name)
        cell = preset.build() if preset else get("rest").make_cell(cell=name)
        system = compile_cell(cell)
        # every chunk's Result copies the layout as plain data: make it once (nobody changes it)
        plain = system.layout.to_dict()
        system.layout.to_dict = lambda: plain
        area = float(cell.values["area"])
        pumps = neuron_pumps(cell)
        lay = system.layout
        idx: dict[str, list[int]] = {"Na": [], "K": [], "ATP": []}
        for item in lay.ledger:
            if item.mechanism in pumps and item.site == "membrane" and item.species in idx:
                idx[item.species].append(lay.state(item.state))
        idx["Na_inside"] = [lay.state(lay.amount("Na", "i"))]
        pump_mV = atp_amol_s = math.nan  # without a pump: no pump share, no pump ATP (readouts null)
        if pumps:
            rep = rest_report(system)
            pump_mV = float(rep.pump_mV)
            atp_amol_s = float(rep.atp_flux) * area * 1e-8 * 1e18  # mol/(cm2 s) x cm2 -> amol/s
        title = preset.title if preset else CORE_TITLES.get(name, name)
        kind = cls(name, title, cell, system, build_controls(cell), pump_mV, atp_amol_s, area, pumps, idx)
        kind.has_atp = any(st.name == "n_ATP_i" for st in lay.states)
        return kind

    def param_index(self, dotted: str) -> int:
        return self.system.index(dotted)


def _downsample(t: np.ndarray, v: np.ndarray, points: int = POINTS_PER_CHUNK) -> np.ndarray:
    """Indices of at most ``points`` + 2 samples keeping each bin's min and max of ``v``, the first
    sample and the last (a chunk's traces span it whole)."""
    n = len(t)
    if n <= points:
        return np.arange(n)
    bins = points // 2
    edges = np.linspace(0, n, bins + 1).astype(int)
    keep = [0]
    for a, b in zip(edges[:-1], edges[1:], strict=True):
        if b <= a:
            continue
        seg = v[a:b]
        i, j = a + int(np.argmin(seg)), a + int(np.argmax(seg))
        keep.extend(sorted({i, j}))
    keep.append(n - 1)
    return np.unique(np.array(keep))


def _r(x: float, digits: int = 6):
    """A JSON-safe float (None for nan/inf), rounded to ``digits`` significant digits."""
    x = float(x)
    return None if not math.isfinite(x) else float(f"{x:.{digits}g}")


def _list(v, decimals: int):
    """``v`` rounded to ``decimals`` places as a JSON list (None for a missing or non-finite trace)."""
    if v is None or not np.all(np.isfinite(v)):
        return None
    return np.round(np.asarray(v, dtype=float), decimals).tolist()


class Run:
    """One run: state vector ``y`` (layout order), model time ``t`` (ms),
    settings (page name -> value), and the record of what happened (the spec)."""

    def __init__(self, kind: CellKind, settings: dict | None = None, lesson: str | None = None,
                 steps: list | None = None):
        self.kind = kind
        self.lock = threading.Lock()
        self.lesson = lesson
        self.initial_settings = dict(settings or {})
        self.lesson_steps = list(steps or [])
        self.stop = threading.Event()
        self.queue_lock = threading.Lock()
        self.queued: list[dict] = []
        self.state_end: dict = {}
        self.reset()

    # ----------------------------------------------------------- settings --
    def reset(self) -> None:
        """Back to the cell's rest at t = 0 with the initial settings."""
        k = self.kind
        self.t = 0.0
        self.y = np.array(k.system.y0, dtype=float)
        self.y_start = self.y.copy()
        self.settings = defaults(k.controls)
        self.settings.update(validate(k.controls, self.initial_settings))
        self.pending_conc: dict[str, float] = {}
        with self.queue_lock:
            self.queued = []
        self.changes: list[dict] = []  # applied changes: {"at_ms", "settings"}
        self.chunks: list[list[float]] = []  # run-length [chunk_ms, count]
        self.steps_left = sorted(self.lesson_steps, key=lambda s: s["at_ms"])
        self.stim_phase_t = 0.0  # the stimulus's pulses fall at stim_phase_t + k / frequency
        self.seq = 0
        self.spikes: list[float] = []
        self.history = {name: [] for name in ("t",) + TRACES}
        self.thin = 1
        self.measure = {"block_at": None, "block_end": None, "stim_off_at": None, "stim_on_at": None,
                        "ahp_min": None, "na_peak": None, "na_peak_t": None, "na_tau_s": None,
                        "atp_per_spike": None, "V_before_off": None, "off_jump": None}
        self.V_rest = self.V_now = float(self._observe(self.y)["V"])
        self.Na_rest = float(self._observe(self.y)["Na_i"])
        if self.settings.get("stim.on"):
            self.measure["stim_on_at"] = 0.0
        if self.settings.get("pump.block", 0) >= 0.5:
            self.measure["block_at"] = 0.0
        self.baseline = self._at_baseline()
        conc = {c.concentration: self.settings[c.name] for c in k.controls if c.concentration
                and self.settings[c.name] != c.default}
        self.pending_conc.update(conc)

    def update(self, new: dict) -> dict:
        """Validate ``new`` settings and apply them from the current time on (if a chunk is
        being simulated, from its end: they are queued, so the record stays exact); returns
        all settings as they will be."""
        checked = validate(self.kind.controls, new)
        if self.lock.acquire(blocking=False):
            try:
                self._apply_queued()
                self._apply(checked)
                return dict(self.settings)
            finally:
                self.lock.release()
        with self.queue_lock:
            self.queued.append(checked)
            merged = dict(self.settings)
            for q in self.queued:
                merged.update(q)
        return merged

    def _apply_queued(self) -> None:
        with self.queue_lock:
            queued, self.queued = self.queued, []
        for checked in queued:
            self._apply(checked)

    def _apply(self, checked: dict) -> None:
        changed = {k: v for k, v in checked.items() if self.settings.get(k) != v}
        if not changed:
            return
        if ("stim.on" in changed and changed["stim.on"]) or "stim.frequency" in changed:
            self.stim_phase_t = self.t
        if "stim.on" in changed:
            self.measure["stim_on_at" if changed["stim.on"] else "stim_off_at"] = self.t
            if changed["stim.on"]:
                self.measure["ahp_min"] = None
        if "pump.block" in changed:
            blocked = changed["pump.block"] >= 0.5
            if blocked and (self.measure["block_at"] is None or self.measure["block_end"] is not None):
                self.measure["block_at"], self.measure["block_end"] = self.t, None
            elif not blocked and self.measure["block_at"] is not None and self.measure["block_end"] is None:
                self.measure["block_end"] = self.t
        if "pump.electrogenic" in changed:
            if changed["pump.electrogenic"] < 1 and self.measure["V_before_off"] is None:
                self.measure["V_before_off"], self.measure["off_jump"] = self.V_now, None
            elif changed["pump.electrogenic"] == 1:
                self.measure["V_before_off"] = None
        if self.baseline and any(not k.startswith("stim.") for k in changed):
            self.measure["atp_per_spike"] = self._atp_per_spike()  # frozen: the resting use no longer holds
            self.baseline = False
        for c in self.kind.controls:
            if c.concentration and c.name in changed:
                self.pending_conc[c.concentration] = changed[c.name]
        self.settings.update(changed)
        self.changes.append({"at_ms": self.t, "settings": changed})

    # ------------------------------------------------------------ protocol --
    def protocol(self, chunk_ms: float):
        """The chunk's Protocol (times relative to the chunk's start)."""
        from ..model.protocol import Protocol, PulseTrain, SetConcentration, SetParameter

        k, s = self.kind, self.settings
        events = []
        for c in k.controls:
            for target in c.targets:
                events.append(SetParameter(0.0, target, s[c.name]))
        for name, value in self.pending_conc.items():
            events.append(SetConcentration(0.0, name, value))
        if s.get("stim.on") and s.get("stim.amplitude", 0) > 0:
            f = s["stim.frequency"]
            width = float(k.cell.test_pulse[1])
            period = 1000.0 / f
            first = math.ceil((self.t - self.stim_phase_t) / period - 1e-9)
            start = self.stim_phase_t + first * period - self.t
            n = int(math.floor((chunk_ms - start) / period - 1e-9)) + 1 if start < chunk_ms else 0
            if n > 0:
                events.append(PulseTrain(start, n, f, width, s["stim.amplitude"]))
        return Protocol(events)

    # -------------------------------------------------------------- advance --
    def state(self) -> dict:
        """Readouts at the current state (with the cell's initial parameters)."""
        return {n: _r(v) for n, v in self._observe(self.y).items()}

    def _observe(self, y: np.ndarray) -> dict:
        obs = self.kind.system.observe(y)
        return self._pick(y[None, :], obs, 0)

    def _pick(self, Y: np.ndarray, obs: dict, i) -> dict:
        k = self.kind
        lay = k.system.layout
        pumps = [f"I_{p}" for p in k.pumps if f"I_{p}" in obs]
        out = {"V": Y[i, lay.state("V")]}
        for name in ("Na_i", "K_i", "K_o", "Na_o", "E_Na", "E_K", "ATP_i"):
            out[name] = obs[name][i] if name in obs and self._applies(name) else np.nan
        out["I_pump"] = sum(obs[p][i] for p in pumps) if pumps else np.nan
        return out

    def _applies(self, name: str) -> bool:
        return name != "ATP_i" or self.kind.has_atp

    def counters(self) -> dict:
        """Running totals since t = 0 of the neuron's pumps (amol per cell; null without a pump)."""
        k = self.kind
        if not k.pumps:
            return dict.fromkeys(("na_out_amol", "k_in_amol", "atp_used_amol", "charge_out_amol"))
        d = self.y - self.y_start
        na = float(sum(d[j] for j in k.ledger_idx["Na"])) * k.area_um2
        kk = -float(sum(d[j] for j in k.ledger_idx["K"])) * k.area_um2
        atp = float(sum(d[j] for j in k.ledger_idx["ATP"])) * k.area_um2
        return {"na_out_amol": _r(na), "k_in_amol": _r(kk), "atp_used_amol": _r(atp),
                "charge_out_amol": _r(na - kk)}

    def _due_steps(self) -> None:
        while self.steps_left and self.steps_left[0]["at_ms"] <= self.t + 1e-9:
            step = self.steps_left.pop(0)
            self._apply(validate(self.kind.controls, step["settings"]))

    def advance(self, chunk_ms: float, dt: float | None = None) -> dict:
        """Simulate ``chunk_ms`` ms from the current state and return the chunk payload."""
        from ..solve.simulate import simulate

        with self.lock:
            self._apply_queued()
            self._due_steps()
            if self.steps_left:  # a lesson step inside this chunk: stop the chunk there
                chunk_ms = min(chunk_ms, max(self.steps_left[0]["at_ms"] - self.t, 1.0))
            dt = dt or max(0.025, chunk_ms / 4000.0)
            dt = min(dt, chunk_ms)
            started = time.perf_counter()
            res = simulate(self.kind.system, self.protocol(chunk_ms), duration=chunk_ms, dt=dt, y0=self.y)
            self.pending_conc.clear()
            if self.chunks and self.chunks[-1][0] == chunk_ms:
                self.chunks[-1][1] += 1
            else:
                self.chunks.append([chunk_ms, 1])
            payload = self._payload(res, chunk_ms)
            payload["compute_ms"] = round((time.perf_counter() - started) * 1000.0, 2)
            return payload

    def _payload(self, res, chunk_ms: float) -> dict:
        t0 = self.t
        obs = {n: res[n] for n in res.names if n not in ("t",)}
        V = res["V"]
        keep = _downsample(res.t, V)
        pumps = [f"I_{p}" for p in self.kind.pumps if f"I_{p}" in obs]
        traces = {"V": V[keep]}
        for name in ("Na_i", "K_i", "K_o", "Na_o", "ATP_i"):
            traces[name] = obs[name][keep] if name in obs and self._applies(name) else None
        traces["I_pump"] = sum(obs[p][keep] for p in pumps) if pumps else None
        t = res.t[keep] + t0
        self.y = np.array(res.final_state, dtype=float)
        self.t = t0 + chunk_ms
        spikes = [float(s) + t0 for s in res.spikes]
        self.spikes.extend(spikes)
        self._record(t, traces)
        # readouts at the chunk's end, with the chunk's parameters (blocks, temperature)
        readouts = {"V": _r(V[-1])}
        self.V_now = float(V[-1])
        if self.measure["V_before_off"] is not None:
            self.measure["off_jump"] = self.V_now - self.measure["V_before_off"]
        for name in ("Na_i", "K_i", "K_o", "Na_o", "E_Na", "E_K", "ATP_i"):
            readouts[name] = _r(obs[name][-1]) if name in obs and self._applies(name) else None
        readouts["I_pump"] = _r(sum(obs[p][-1] for p in pumps)) if pumps else None
        self._measures(t, traces)
        payload = {"seq": self.seq, "t0": _r(t0, 10), "t_ms": _r(self.t, 10), "t": _list(t, 4)}
        for name in TRACES:
            payload[name] = _list(traces[name], 6)
        payload.update(spikes=[_r(s, 10) for s in spikes], readouts=readouts, counters=self.counters(),
                       measures=self.measures(), settings=dict(self.settings))
        self.seq += 1
        return payload

    def _record(self, t, traces) -> None:
        h = self.history
        h["t"].extend(t[::self.thin].tolist())
        for name in TRACES:
            v = traces[name]
            part = v[::self.thin] if v is not None else np.full(len(t[::self.thin]), np.nan)
            h[name].extend(part.tolist())
        if len(h["t"]) > HISTORY_POINTS:
            for name in h:
                h[name] = h[name][::2]
            self.thin *= 2

    def _measures(self, t, traces) -> None:
        m = self.measure
        V, na = traces["V"], traces["Na_i"]
        if m["stim_off_at"] is not None and not self.settings.get("stim.on"):
            after = t >= m["stim_off_at"] + 50.0
            if np.any(after):
                low = float(np.min(V[after]))
                m["ahp_min"] = low if m["ahp_min"] is None else min(m["ahp_min"], low)
        if na is not None and len(na):
            peak = m["na_peak"]
            i = int(np.argmax(na))
            if peak is None or na[i] > peak or self.settings.get("stim.on"):
                if peak is None or na[i] >= peak or self.settings.get("stim.on"):
                    m["na_peak"], m["na_peak_t"], m["na_tau_s"] = float(na[i]), float(t[i]), None
            excess = m["na_peak"] - self.Na_rest
            if m["na_tau_s"] is None and excess > 0.05 and not self.settings.get("stim.on"):
                below = np.nonzero((t > m["na_peak_t"]) & (na - self.Na_rest <= excess / math.e))[0]
                if len(below):
                    m["na_tau_s"] = (float(t[below[0]]) - m["na_peak_t"]) / 1000.0

    def _at_baseline(self) -> bool:
        """Whether every setting but the stimulus is at its default (the resting ATP use holds)."""
        return all(self.settings[c.name] == c.default for c in self.kind.controls
                   if not c.name.startswith("stim."))

    def _atp_per_spike(self):
        n = len(self.spikes)
        if not n or not self.kind.pumps or not math.isfinite(self.kind.rest_atp_amol_s):
            return None
        atp = self.counters()["atp_used_amol"] or 0.0
        # Na+ still inside above its start will cost one ATP per 3 when pumped out: counting it
        # gives each spike's whole cost at once, not only the part the pumps have paid so far.
        j = self.kind.ledger_idx["Na_inside"][0]
        owed = (self.y[j] - self.y_start[j]) * self.kind.area_um2 / 3.0
        return _r((atp - self.kind.rest_atp_amol_s * self.t / 1000.0 + owed) / n)

    def measures(self) -> dict:
        """The lessons' live numbers (see ``lessons.NUMBERS`` for their meaning and units)."""
        k, m = self.kind, self.measure
        c = self.counters()
        n = len(self.spikes)
        atp = c["atp_used_amol"] or 0.0
        out = {"pump_mV": _r(k.pump_mV, 4), "spikes": n, "t_s": _r(self.t / 1000.0),
               "na_out_per_atp": _r(c["na_out_amol"] / atp, 4) if atp > 0 else None,
               "k_in_per_atp": _r(c["k_in_amol"] / atp, 4) if atp > 0 else None,
               "charge_out_per_atp": _r(c["charge_out_amol"] / atp, 4) if atp > 0 else None,
               "atp_per_s_amol": _r(atp / (self.t / 1000.0)) if self.t > 0 and k.pumps else None,
               "atp_rest_per_s_amol": _r(k.rest_atp_amol_s),
               "atp_per_spike_amol": self._atp_per_spike() if self.baseline else m["atp_per_spike"],
               "V_rest_mV": _r(self.V_rest, 5),
               "pump_off_jump_mV": _r(m["off_jump"], 4) if m["off_jump"] is not None else None,
               "ahp_mV": _r(m["ahp_min"] - self.V_rest, 4) if m["ahp_min"] is not None else None,
               "na_recovery_tau_s": _r(m["na_tau_s"], 4) if m["na_tau_s"] is not None else None}
        if m["block_at"] is not None:
            end = m["block_end"] if m["block_end"] is not None else math.inf
            late = [s for s in self.spikes if m["block_at"] <= s < end]
            out["firing_after_block_s"] = _r((late[-1] - m["block_at"]) / 1000.0, 4) if late else 0.0
        else:
            out["firing_after_block_s"] = None
        return out

    # ---------------------------------------------------------------- files --
    def spec(self) -> dict:
        """The run as data that ``replay`` (and ``nakpump run --spec``) repeats exactly."""
        return {"format": SPEC_FORMAT, "cell": self.kind.name, "lesson": self.lesson,
                "settings": dict(self.initial_settings), "steps": list(self.lesson_steps),
                "changes": [dict(c) for c in self.changes],
                "chunks": [list(c) for c in self.chunks], "duration_ms": self.t}

    def csv(self) -> str:
        """The run so far as CSV ('#' header lines with provenance; units in column names)."""
        import json

        from .._version import __version__

        units = {"t": "ms", "V": "mV", "Na_i": "mM", "K_i": "mM", "K_o": "mM", "Na_o": "mM",
                 "I_pump": "uA/cm2", "ATP_i": "mM"}
        cols = [f"{n}_{units[n]}" for n in ("t",) + TRACES]
        head = (f"# nakpump {__version__} serve run: read the table with pandas.read_csv(path, comment='#')\n"
                f"# provenance: {json.dumps({'spec': self.spec(), 'spikes': self.spikes})}\n")
        h = self.history
        rows = zip(*[h[n] for n in ("t",) + TRACES], strict=True)
        body = "\n".join(",".join("" if not math.isfinite(x) else f"{x:.10g}" for x in row) for row in rows)
        return head + ",".join(cols) + "\n" + body + ("\n" if body else "")
