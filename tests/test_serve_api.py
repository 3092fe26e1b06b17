"""The explorer's HTTP API (nakpump serve) without a browser: FastAPI's test
client reading the Server-Sent-Events stream (docs/serve.md)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from .serve_helpers import chunks, make_client, read_stream

FAST = {"speed": 600000, "chunk_ms": 10000}


@pytest.fixture(scope="module")
def client():
    with make_client(max_runs_per_client=64) as c:
        yield c


def new_run(client, **body) -> str:
    r = client.post("/api/runs", json=body or {"cell": "tissue"})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def test_health_cells_controls_lessons(client):
    h = client.get("/api/health").json()
    assert h["ok"] and h["cells"]["tissue"] == h["cells"]["pump-leak"] == "ready"
    cells = client.get("/api/cells").json()
    assert [c["name"] for c in cells][:2] == ["tissue", "pump-leak"]
    assert all(c["pump_mV"] < 0 for c in cells[:2])  # the pump's current hyperpolarises
    ctl = {c["name"]: c for c in client.get("/api/cells/tissue/controls").json()}
    for name in ("stim.on", "stim.frequency", "stim.amplitude", "pump.block", "bath.K_o", "energy.supply",
                 "ttx", "tea", "cell.T"):
        assert name in ctl and ctl[name]["min"] <= ctl[name]["default"] <= ctl[name]["max"]
    assert ctl["pump.block"]["targets"] == ["alpha1.block", "alpha3.block"]
    leak = {c["name"] for c in client.get("/api/cells/pump-leak/controls").json()}
    assert "energy.supply" not in leak and "pump.block" in leak
    lessons = client.get("/api/lessons").json()
    assert [le["id"] for le in lessons] == ["pump-cycle", "resting-potential", "gradients",
                                            "action-potentials", "energy"]
    for le in lessons:
        assert le["text"] and le["notice"] and le["numbers"]
        assert set(le["numbers"]) == set(le["number_info"])


def test_chunks_continue_in_time_and_state(client):
    rid = new_run(client, cell="tissue", settings={"stim.on": 1, "stim.frequency": 20})
    ev = read_stream(client, rid, speed=600000, chunk_ms=500, max_chunks=4)
    cs = chunks(ev)
    assert [c["seq"] for c in cs] == [0, 1, 2, 3] and ev[-1][0] == "end"
    for a, b in zip(cs, cs[1:], strict=False):
        assert b["t0"] == pytest.approx(a["t0"] + 500)
        assert b["t"][0] == pytest.approx(a["t"][-1])  # the next chunk starts where this one ended
        assert b["V"][0] == pytest.approx(a["V"][-1], abs=1e-9)
        assert b["Na_i"][0] == pytest.approx(a["Na_i"][-1], rel=1e-12)
        assert b["counters"]["atp_used_amol"] > a["counters"]["atp_used_amol"]
    for c in cs:
        assert len(c["t"]) <= 400 and len(c["V"]) == len(c["t"]) == len(c["Na_i"])
        assert 5 <= len(c["spikes"]) <= 10  # 20 Hz for 0.5 s
        assert all(c["t0"] <= s < c["t0"] + 500 for s in c["spikes"])
        assert max(c["V"]) > 0  # the downsampling keeps the spikes' peaks
    m = cs[-1]["measures"]
    assert m["na_out_per_atp"] == pytest.approx(3.0, rel=1e-3)
    assert m["k_in_per_atp"] == pytest.approx(2.0, rel=1e-3)
    assert m["spikes"] == sum(len(c["spikes"]) for c in cs) and m["atp_per_spike_amol"] > 0
    # a second stream continues the same run
    more = chunks(read_stream(client, rid, speed=600000, chunk_ms=500, max_chunks=1))
    assert more[0]["seq"] == 4 and more[0]["t0"] == pytest.approx(2000)


def test_pump_block_runs_the_gradients_down(client):
    ctrl = new_run(client)
    blocked = new_run(client, cell="tissue", settings={"pump.block": 1})
    c0 = chunks(read_stream(client, ctrl, max_chunks=6, **FAST))[-1]["readouts"]
    c1 = chunks(read_stream(client, blocked, max_chunks=6, **FAST))[-1]["readouts"]
    assert c0["V"] == pytest.approx(-70, abs=0.1) and c0["Na_i"] == pytest.approx(10, abs=0.05)
    assert c1["Na_i"] > c0["Na_i"] + 10  # a minute without the pump
    assert c1["V"] > c0["V"] + 10 and c1["I_pump"] == pytest.approx(0, abs=1e-9)
    # washout mid-run: the pump works again, above its resting rate (Na_i is high)
    r = client.post(f"/api/runs/{blocked}/settings", json={"pump.block": 0})
    assert r.status_code == 200 and r.json()["settings"]["pump.block"] == 0
    c2 = chunks(read_stream(client, blocked, max_chunks=1, **FAST))[-1]["readouts"]
    assert c2["I_pump"] > c0["I_pump"] and c2["Na_i"] < c1["Na_i"]


def test_pump_leak_cell_and_outside_k(client):
    rid = new_run(client, cell="pump-leak", settings={"bath.K_o": 8})
    c = chunks(read_stream(client, rid, max_chunks=1, speed=600000, chunk_ms=2000))[0]
    assert c["readouts"]["K_o"] > 7 and c["readouts"]["V"] > -69  # high K+ depolarises


def test_reset_and_delete(client):
    rid = new_run(client, settings={"pump.block": 1})
    read_stream(client, rid, max_chunks=1, **FAST)
    r = client.post(f"/api/runs/{rid}/reset")
    assert r.status_code == 200 and r.json()["t_ms"] == 0 and r.json()["settings"]["pump.block"] == 1
    c = chunks(read_stream(client, rid, max_chunks=1, speed=600000, chunk_ms=100))[0]
    assert c["seq"] == 0 and c["t0"] == 0
    assert client.delete(f"/api/runs/{rid}").status_code == 204
    for method, path in (("get", "csv"), ("get", "spec"), ("get", "stream"), ("post", "settings"),
                         ("post", "reset")):
        r = getattr(client, method)(f"/api/runs/{rid}/{path}")
        assert r.status_code == 404 and r.json()["detail"][0]["field"] == "id"
    assert client.delete(f"/api/runs/{rid}").status_code == 404


@pytest.mark.parametrize("body, field", [
    ({"cell": "tissue", "settings": {"pump.block": 2}}, "pump.block"),
    ({"cell": "tissue", "settings": {"stim.frequency": "fast"}}, "stim.frequency"),
    ({"cell": "tissue", "settings": {"stim.on": 0.5}}, "stim.on"),
    ({"cell": "tissue", "settings": {"warp": 1}}, "warp"),
    ({"cell": "pump-leak", "settings": {"energy.supply": 0}}, "energy.supply"),
    ({"cell": "tissue", "settings": [1, 2]}, "settings"),
    ({"cell": 3}, "cell"),
    ({"lesson": 3}, "lesson"),
    ({"colour": "red"}, "colour"),
])
def test_bad_inputs_are_422_with_the_field(client, body, field):
    r = client.post("/api/runs", json=body)
    assert r.status_code == 422, r.text
    d = r.json()["detail"][0]
    assert d["field"] == field and d["message"]
    if field == "pump.block":
        assert d["allowed"] == "0 to 1" and "out of range" in d["message"]


def test_bad_query_and_body(client):
    rid = new_run(client)
    for q in ({"speed": 0}, {"speed": "nan"}, {"speed": "x"}, {"chunk_ms": 1e6}, {"max_chunks": -1},
              {"colour": 1}):
        r = client.get(f"/api/runs/{rid}/stream", params=q)
        assert r.status_code == 422, (q, r.text)
        assert r.json()["detail"][0]["field"] == next(iter(q))
    r = client.post(f"/api/runs/{rid}/settings", content=b"{not json")
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == "body"
    r = client.post(f"/api/runs/{rid}/settings", json={"cell.T": 99})
    assert r.status_code == 422 and r.json()["detail"][0]["allowed"] == "10 to 45 degC"
    assert client.get("/api/cells/squid/controls").status_code == 404
    assert client.post("/api/runs", json={"lesson": "nope"}).status_code == 404


def test_caps_are_429():
    with make_client(max_runs_per_client=2, max_runs_total=3) as c:
        ids = [new_run(c) for _ in range(2)]
        r = c.post("/api/runs", json={"cell": "tissue"})
        assert r.status_code == 429 and "client" in r.json()["detail"][0]["message"]
        c.delete(f"/api/runs/{ids[0]}")
        new_run(c)
    with make_client(max_runs_total=1) as c:
        new_run(c)
        r = c.post("/api/runs", json={"cell": "pump-leak"})
        assert r.status_code == 429 and "full" in r.json()["detail"][0]["message"]
    with make_client(max_model_ms_per_run=1500) as c:
        rid = new_run(c)
        ev = read_stream(c, rid, speed=600000, chunk_ms=1000, max_chunks=10)
        assert [d["t0"] for d in chunks(ev)] == [0, 1000]
        assert ev[-1][0] == "end" and "cap" in ev[-1][1]["reason"]


def test_lesson_runs_apply_their_steps(client):
    r = client.post("/api/runs", json={"lesson": "resting-potential"})
    assert r.status_code == 201 and r.json()["cell"] == "tissue"
    rid = r.json()["id"]
    cs = chunks(read_stream(client, rid, speed=600000, chunk_ms=500, max_chunks=8))
    assert cs[3]["readouts"]["V"] == pytest.approx(-70, abs=0.05)
    assert [c["settings"]["pump.electrogenic"] for c in cs] == [1, 1, 1, 1, 0, 0, 1, 1]
    m = cs[-1]["measures"]
    # switching the pump's current off depolarises by about its direct share (the rest report's)
    assert m["pump_mV"] < -1.0 and m["pump_off_jump_mV"] == pytest.approx(-m["pump_mV"], abs=1.0)
    assert cs[-1]["readouts"]["V"] == pytest.approx(-70, abs=0.5)  # and it comes back


def test_action_potential_lesson_answers_the_students_questions(client):
    rid = client.post("/api/runs", json={"lesson": "action-potentials"}).json()["id"]
    cs = chunks(read_stream(client, rid, speed=600000, chunk_ms=2500, max_chunks=16))
    m = cs[-1]["measures"]
    assert m["spikes"] == 100  # 20 Hz for 5 s
    assert m["atp_per_spike_amol"] > 0 and m["ahp_mV"] < -0.5
    assert 5 < m["na_recovery_tau_s"] < 35  # the pump restores Na+ over tens of seconds


def test_csv_and_spec_downloads_and_replay(client, tmp_path):
    import pandas as pd

    from nakpump.cli import main
    from nakpump.serve.app import _KINDS
    from nakpump.serve.spec import replay

    rid = new_run(client, cell="pump-leak", settings={"stim.on": 1, "stim.frequency": 10})
    server = chunks(read_stream(client, rid, speed=600000, chunk_ms=700, max_chunks=2))
    client.post(f"/api/runs/{rid}/settings", json={"stim.on": 0, "pump.block": 0.5})
    server += chunks(read_stream(client, rid, speed=600000, chunk_ms=1500, max_chunks=2))
    csv = client.get(f"/api/runs/{rid}/csv")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    path = tmp_path / "run.csv"
    path.write_text(csv.text)
    table = pd.read_csv(path, comment="#")
    assert list(table.columns[:3]) == ["t_ms", "V_mV", "Na_i_mM"]
    assert table["t_ms"].iloc[-1] == pytest.approx(4400) and table["V_mV"].max() > 0
    spec = client.get(f"/api/runs/{rid}/spec")
    assert spec.status_code == 200
    data = json.loads(spec.text)
    assert data["cell"] == "pump-leak" and data["duration_ms"] == pytest.approx(4400)
    again = replay(data, _KINDS["pump-leak"])
    assert np.array_equal(np.concatenate([c["V"] for c in again]), np.concatenate([c["V"] for c in server]))
    assert [c["spikes"] for c in again] == [c["spikes"] for c in server]
    # and from the command line
    f = tmp_path / "run.json"
    f.write_text(spec.text)
    out = tmp_path / "replay.csv"
    assert main(["run", "--spec", str(f), "--out", str(out), "--quiet"]) == 0
    replayed = pd.read_csv(out, comment="#")
    assert np.array_equal(replayed["V_mV"].to_numpy(), table["V_mV"].to_numpy())


def test_spec_cli_errors(tmp_path, capsys):
    from nakpump.cli import main

    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something else"}')
    assert main(["run", "--spec", str(bad)]) == 2
    assert "not a spec file" in capsys.readouterr().err
    assert main(["run", "--spec", str(tmp_path / "missing.json")]) == 2
    assert main(["run", "--spec", str(bad), "--plot", "x.png"]) == 2
    assert "--plot" in capsys.readouterr().err


def test_serve_command_without_fastapi(monkeypatch, capsys):
    import builtins

    from nakpump.cli import main

    real = builtins.__import__

    def no_uvicorn(name, *args, **kwargs):
        if name == "uvicorn":
            raise ImportError("No module named 'uvicorn'", name="uvicorn")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_uvicorn)
    assert main(["serve", "--port", "8123"]) == 2
    err = capsys.readouterr().err
    assert 'pip install fastapi uvicorn' in err and len(err.strip().splitlines()) == 1
    assert main(["serve", "--port", "99999"]) == 2


def test_page_or_placeholder_is_served(client):
    r = client.get("/")
    assert r.status_code == 200


def test_a_preparing_cell_answers_503(client, monkeypatch):
    from nakpump.serve import app as appmod

    monkeypatch.setitem(appmod._STATUS, "pump-leak", "preparing")
    assert client.get("/api/health").json()["cells"]["pump-leak"] == "preparing"
    r = client.post("/api/runs", json={"cell": "pump-leak"})
    assert r.status_code == 503 and r.headers["retry-after"] == "2"
    assert "preparing" in r.json()["detail"][0]["message"]
    assert client.get("/api/cells/pump-leak/controls").status_code == 503
    assert client.post("/api/runs", json={"cell": "tissue"}).status_code == 201  # the other cell is ready


def test_a_change_during_a_chunk_applies_from_its_end(client):
    from nakpump.serve.app import _KINDS
    from nakpump.serve.sessions import Run

    run = Run(_KINDS["pump-leak"])
    run.advance(100.0)
    with run.lock:  # as if a chunk were being simulated
        merged = run.update({"pump.block": 1})
        assert merged["pump.block"] == 1 and run.settings["pump.block"] == 0
    assert run.update({"ttx": 0.5})["pump.block"] == 1  # not busy: applied at once, after the queued one
    run.advance(100.0)
    assert run.settings["pump.block"] == 1 and run.settings["ttx"] == 0.5
    assert run.spec()["changes"] == [{"at_ms": 100.0, "settings": {"pump.block": 1.0}},
                                     {"at_ms": 100.0, "settings": {"ttx": 0.5}}]


def test_the_explorers_answers_agree_with_the_scenarios():
    """Two ways to the same numbers: the explorer's live measures (from the
    ledger's running totals, chunk by chunk) against the spike-train
    scenario's summary (from the sampled pump flux, one run) for the same
    100 spikes at 10 Hz: ATP per spike within 2 %, the Na+ recovery time
    within 15 % (1/e crossing against an exponential fit)."""
    from nakpump import catalog
    from nakpump.serve.sessions import CellKind, Run

    run = Run(CellKind.build("tissue"), settings={"stim.on": 1, "stim.frequency": 10, "stim.amplitude": 15})
    for _ in range(10):
        run.advance(1000.0)
    run.update({"stim.on": 0})
    for _ in range(12):
        run.advance(5000.0)
    live = run.measures()
    summary = catalog.get("spike-train").run().measures
    assert live["spikes"] == summary["spikes"] == 100
    per_spike_amol = summary["atp_per_spike"] / 6.02214076e23 * 1e18
    assert live["atp_per_spike_amol"] == pytest.approx(per_spike_amol, rel=0.02)
    assert live["na_recovery_tau_s"] == pytest.approx(summary["na_tau"], rel=0.15)


# ------------------------------------------------------------------ presets --
PRESETS = ("hh1952", "cressman2009", "hubel-dahlem2014", "wei2014", "kager2000")


@pytest.fixture(scope="module")
def presets(client):
    """The preset cells, prepared on first use (in the background) and waited for."""
    import time

    for name in PRESETS:
        r = client.get(f"/api/cells/{name}/controls")
        assert r.status_code in (200, 503), r.text
        if r.status_code == 503:  # compiled lazily: "preparing" (the existing 503 path)
            assert r.json()["status"] == "preparing" and r.headers["retry-after"] == "2"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        cells = client.get("/api/health").json()["cells"]
        if all(cells[n] == "ready" for n in PRESETS):
            return PRESETS
        assert "failed" not in cells.values(), client.get("/api/health").json()["errors"]
        time.sleep(0.1)
    pytest.fail(f"presets not ready: {cells}")


def test_presets_are_listed_with_their_titles(client):
    from nakpump.catalog import PRESETS as CATALOG

    cells = {c["name"]: c for c in client.get("/api/cells").json()}
    for name in PRESETS:
        assert cells[name]["title"] == CATALOG[name].title
        assert cells[name]["status"] in ("not started", "preparing", "ready")


def test_preset_controls_only_for_present_targets(client, presets):
    from nakpump.serve.app import _KINDS

    for name in presets:
        ctl = {c["name"]: c for c in client.get(f"/api/cells/{name}/controls").json()}
        assert {"stim.on", "stim.frequency", "stim.amplitude", "bath.K_o", "cell.T"} <= set(ctl)
        assert "energy.supply" not in ctl  # no preset has the energy mechanism
        for c in ctl.values():
            assert c["min"] <= c["default"] <= c["max"], (name, c)
            for target in c["targets"]:
                _KINDS[name].param_index(target)  # raises for a target the cell lacks
    hh = {c["name"]: c for c in client.get("/api/cells/hh1952/controls").json()}
    assert "pump.block" not in hh and hh["ttx"]["targets"] == ["hh_na.block"]
    assert hh["cell.T"]["default"] == 6.3
    cress = {c["name"] for c in client.get("/api/cells/cressman2009/controls").json()}
    assert "pump.block" in cress and "ttx" not in cress  # its channels are one mechanism


@pytest.mark.parametrize("name", PRESETS)
def test_a_preset_streams(client, presets, name):
    rid = new_run(client, cell=name, settings={"stim.on": 1, "stim.frequency": 10})
    ev = read_stream(client, rid, speed=600000, chunk_ms=1000, max_chunks=2)
    assert ev[-1][0] == "end"
    cs = chunks(ev)
    assert len(cs) == 2 and all(np.all(np.isfinite(c["V"])) for c in cs)
    c = cs[-1]
    assert c["ATP_i"] is None and c["readouts"]["ATP_i"] is None  # no ATP state in these cells
    assert c["measures"]["spikes"] >= 1
    if name == "hh1952":  # no pump: its readouts, counters and measures are null, not an error
        assert c["readouts"]["I_pump"] is None and c["I_pump"] is None
        assert set(c["counters"].values()) == {None} and c["measures"]["atp_per_spike_amol"] is None
    else:
        assert c["measures"]["na_out_per_atp"] == pytest.approx(3.0, rel=1e-3)
        assert c["counters"]["atp_used_amol"] > 0 and c["readouts"]["I_pump"] > 0
    r = client.post(f"/api/runs/{rid}/settings", json={"bath.K_o": 8, "cell.T": 20})
    assert r.status_code == 200
    assert np.all(np.isfinite(chunks(read_stream(client, rid, max_chunks=1, **FAST))[0]["V"]))


@pytest.mark.parametrize("name, field", [("hh1952", "pump.block"), ("wei2014", "energy.supply"),
                                         ("cressman2009", "ttx"), ("kager2000", "pump.block")])
def test_a_bad_control_for_a_preset_is_422(client, presets, name, field):
    value = 2 if field == "pump.block" and name == "kager2000" else 0.5
    r = client.post("/api/runs", json={"cell": name, "settings": {field: value}})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == field
    rid = new_run(client, cell=name)
    r = client.post(f"/api/runs/{rid}/settings", json={field: value})
    assert r.status_code == 422 and r.json()["detail"][0]["field"] == field


def test_a_preset_spec_replays(client, presets, tmp_path):
    import pandas as pd

    from nakpump.cli import main

    rid = new_run(client, cell="wei2014", settings={"stim.on": 1, "stim.frequency": 5})
    read_stream(client, rid, speed=600000, chunk_ms=600, max_chunks=2)
    client.post(f"/api/runs/{rid}/settings", json={"stim.on": 0, "pump.block": 0.5, "bath.K_o": 6})
    read_stream(client, rid, speed=600000, chunk_ms=800, max_chunks=1)
    table = pd.read_csv(__import__("io").StringIO(client.get(f"/api/runs/{rid}/csv").text), comment="#")
    spec = client.get(f"/api/runs/{rid}/spec").text
    assert json.loads(spec)["cell"] == "wei2014"
    f, out = tmp_path / "run.json", tmp_path / "replay.csv"
    f.write_text(spec)
    assert main(["run", "--spec", str(f), "--out", str(out), "--quiet"]) == 0
    replayed = pd.read_csv(out, comment="#")
    assert np.array_equal(replayed["V_mV"].to_numpy(), table["V_mV"].to_numpy())
    assert replayed["ATP_i_mM"].isna().all()
