"""The page of `nakpump serve` in a real browser (Playwright, headless Chromium).

A real uvicorn server (``nakpump.serve.app:create_app``) runs on a free loopback
port; the page is driven as a student would: each lesson chosen, the ouabain
slider moved, the CSV, the figure and the spec downloaded.  The numbers are
read back from the page (``window.nakpump``), never from the server directly.

Playwright cannot download its own browser here: Debian's ``chromium`` is
launched through ``executable_path`` (``$NAKPUMP_CHROMIUM``, default
``/usr/bin/chromium``).  Without a browser the tests skip, except in CI
(``$CI`` set), where they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("NAKPUMP_CHROMIUM", "/usr/bin/chromium")
STARTUP_S = float(os.environ.get("NAKPUMP_SERVE_STARTUP_S", "240"))


def _no_browser(why: str):
    if os.environ.get("CI"):
        pytest.fail(f"no browser for the page tests in CI: {why}")
    pytest.skip(why)


def _browser_path() -> str:
    path = CHROMIUM if os.path.isabs(CHROMIUM) else shutil.which(CHROMIUM)
    if not path or not os.access(path, os.X_OK):
        _no_browser(f"no Chromium at {CHROMIUM!r} (apt-get install -y chromium, or set NAKPUMP_CHROMIUM)")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    """A real uvicorn serving nakpump's app on loopback; yields its base URL once every cell is ready."""
    uvicorn = pytest.importorskip("uvicorn")
    httpx = pytest.importorskip("httpx")
    import importlib

    module, _, factory = os.environ.get("NAKPUMP_SERVE_APP", "nakpump.serve.app:create_app").partition(":")
    app = getattr(importlib.import_module(module), factory)(preload=True)
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                            timeout_graceful_shutdown=2, lifespan="on")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, name="nakpump-serve-test", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_S
    ready = False
    while time.monotonic() < deadline and thread.is_alive():
        try:
            h = httpx.get(base + "/api/health", timeout=2).json()
            states = {h.get("cells", {}).get(n) for n in ("tissue", "pump-leak")}  # presets: on first use
            assert "failed" not in states, h
            if states and states <= {"ready"}:
                ready = True
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.2)  # polling the server's start, not a wait on the page
    if not ready:
        srv.should_exit = True
        pytest.fail(f"the server did not get ready within {STARTUP_S:.0f} s")
    yield base
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    path = _browser_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("playwright is not installed (pip install playwright)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.set_default_timeout(30_000)
    pg.goto(server + "/")
    pg.wait_for_function("window.nakpump && window.nakpump.ready && window.nakpump.runId")
    yield pg
    # the page's run is deleted as a closing page would (the server also drops idle runs)
    pg.evaluate("window.nakpump.runId && fetch('/api/runs/' + window.nakpump.runId, {method: 'DELETE'})")
    ctx.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def _js(page, expr):
    return page.evaluate(expr)


def _chunks(page) -> int:
    return _js(page, "window.nakpump.chunks")


def test_page_loads_labelled_and_narrow(page):
    # every control the server declares is on the page, labelled, with its unit and range
    controls = _js(page, "window.nakpump.controls")
    names = {c["name"] for c in controls}
    assert {"pump.block", "stim.on", "bath.K_o"} <= names
    unlabelled = _js(page, """[...document.querySelectorAll('#controls input')]
        .filter(i => !i.labels || !i.labels.length || !i.labels[0].textContent.trim()).map(i => i.id)""")
    assert unlabelled == []
    slider = page.locator('[data-name="pump.block"]')
    assert slider.get_attribute("type") == "range"
    # keyboard-operable: focus the slider, press the arrow key, the value moves one step
    slider.focus()
    page.keyboard.press("ArrowRight")
    assert float(slider.input_value()) > 0
    page.keyboard.press("ArrowLeft")
    # the focus order follows the page: the lessons, then play/pause, then the controls
    order = page.evaluate("""(() => { const all = [...document.querySelectorAll(
        'a[href], button, select, input')].filter(e => !e.disabled && e.offsetParent !== null);
        return all.map(e => e.id || e.className); })()""")
    assert (order.index("lesson-btn") < order.index("play") < order.index("ctl-pump-block")
            < order.index("dl-csv"))
    # the cells and the lessons come from the server
    assert page.locator("#cell option").count() >= 2
    assert page.locator(".lesson-btn").count() == len(_js(page, "window.nakpump.lessons")) >= 3
    # readable at phone width: nothing wider than the screen
    page.set_viewport_size({"width": 375, "height": 800})
    page.wait_for_function("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_each_lesson_runs_with_live_numbers(page, tmp_path):
    lessons = _js(page, "window.nakpump.lessons")
    assert lessons
    page.select_option("#speed", "60000")
    for lesson in lessons:
        old = _js(page, "window.nakpump.runId")
        page.click(f'.lesson-btn[data-lesson="{lesson["id"]}"]')
        page.wait_for_function(f"window.nakpump.runId && window.nakpump.runId !== {old!r} "
                               "&& window.nakpump.chunks >= 3")
        assert page.locator("#lesson-title").inner_text() == lesson["title"]
        assert page.locator("#lesson-notice").inner_text().strip() == lesson["notice"].strip()
        button = page.locator(f'.lesson-btn[data-lesson="{lesson["id"]}"]')
        assert button.get_attribute("aria-pressed") == "true"
        # the controls show the run's settings (the lesson's, then its timed steps)
        settings = _js(page, "window.nakpump.settings")
        for name in lesson.get("settings") or {}:
            loc = page.locator(f'[data-name="{name}"]')
            if loc.get_attribute("type") == "range":
                assert float(loc.input_value()) == pytest.approx(float(settings[name]), abs=1e-6), name
            else:
                assert loc.is_checked() == bool(settings[name]), name
        # the numbers it names come from the stream's measures, as they arrive
        if lesson.get("numbers"):
            page.wait_for_function("""() => {
                const n = window.nakpump;
                return [...document.querySelectorAll('#lesson-numbers dd')].some(dd => {
                    const v = n.liveNumber(dd.dataset.measure);
                    return typeof v === 'number' && /\\d/.test(dd.textContent);
                });
            }""", timeout=45_000)
        page.screenshot(path=str(tmp_path / f"lesson-{lesson['id']}.png"), full_page=True)
        assert (tmp_path / f"lesson-{lesson['id']}.png").stat().st_size > 10_000
    print(f"lesson screenshots in {tmp_path}")


STUDENT_QUESTIONS = [
    ("how many mV does the pump add to rest?", "resting-potential", "pump_mV"),
    ("how long does the cell keep firing after ouabain?", "gradients", "firing_after_block_s"),
    ("how much ATP does a spike cost?", "energy", "atp_per_spike_amol"),
    ("how long does the pump take to restore Na+ after 100 spikes?", "action-potentials",
     "na_recovery_tau_s"),
]


@pytest.mark.parametrize("question, lesson, number", STUDENT_QUESTIONS, ids=[q[1] for q in STUDENT_QUESTIONS])
def test_the_page_answers_a_students_question(page, question, lesson, number):
    """From the page alone: the lesson shows the number that answers the question, as the stream gives it."""
    page.click(f'.lesson-btn[data-lesson="{lesson}"]')
    page.wait_for_function(f"window.nakpump.lesson && window.nakpump.lesson.id === {lesson!r} "
                           "&& window.nakpump.runId")
    page.select_option("#speed", "60000")  # faster than the lesson's pace: minutes of model time in seconds
    dd = page.locator(f'#lesson-numbers dd[data-measure="{number}"]')
    assert dd.count() == 1, f"the lesson {lesson} does not show {number} ({question})"
    page.wait_for_function(f"typeof window.nakpump.liveNumber({number!r}) === 'number'", timeout=60_000)
    shown = page.evaluate(f"""(() => {{ const n = window.nakpump, dd = document.querySelector(
        '#lesson-numbers dd[data-measure="{number}"]');
        return {{text: dd.textContent, label: dd.previousElementSibling.textContent,
                 value: n.liveNumber({number!r}), formatted: n.fmt(n.liveNumber({number!r}))}}; }})()""")
    assert shown["text"].startswith(shown["formatted"]), shown
    assert shown["label"].strip() and shown["label"] != number, shown
    if number == "firing_after_block_s":
        # the answer is the last spike's time: wait until 30 s of model time have passed without one
        page.wait_for_function("""(() => {
            const n = window.nakpump, c = n.lastChunk, f = n.liveNumber('firing_after_block_s');
            const block = n.lesson.steps.find(s => (s.settings['pump.block'] || 0) >= 0.5).at_ms;
            return c && c.t_ms > block + 1000 * f + 30000; })()""", timeout=60_000)
        shown["text"] = dd.inner_text()
    print(f"{question} {shown['label']}: {shown['text']}")


def test_ouabain_depolarises_and_loads_na(page):
    page.select_option("#speed", "60000")
    page.click("#reset")
    page.click("#play")
    assert page.locator("#play").get_attribute("aria-pressed") == "true"
    # let the cell sit at rest for 5 s of model time, read the page's own plotted data
    page.wait_for_function("(() => { const t = window.nakpump.data.t; "
                           "return t.length && t[t.length-1] >= 5000; })()")
    before = _js(page, """(() => { const d = window.nakpump.data, n = d.t.length - 1;
        return {t: d.t[n], V: d.V[n], Na_i: d.Na_i[n]}; })()""")
    # the pump's running counters: ions moved and ATP spent, in the ratio 3:2:1
    counters = _js(page, "window.nakpump.counters")
    assert counters["atp_used_amol"] > 0
    assert counters["na_out_amol"] / counters["atp_used_amol"] == pytest.approx(3, rel=1e-3)
    assert page.locator("#counters").inner_text().count("3.00 : 2.00 : 1") == 1
    slider = page.locator('[data-name="pump.block"]')
    slider.focus()
    page.keyboard.press("End")  # the whole range from the keyboard: all pumps blocked
    assert float(slider.input_value()) == 1
    page.wait_for_function("window.nakpump.settings['pump.block'] == 1")
    # the change is marked on the plots where the stream applied it
    page.wait_for_function("window.nakpump.marks.some(m => /ouabain|block/i.test(m.text))")
    # V depolarises and Na_i rises in the plotted data, within minutes of model time
    page.wait_for_function(f"""(() => {{ const d = window.nakpump.data, n = d.t.length - 1;
        return d.V[n] > {before['V']} + 2 && d.Na_i[n] > {before['Na_i']} + 1; }})()""", timeout=60_000)
    after = _js(page, """(() => { const d = window.nakpump.data, n = d.t.length - 1;
        return {t: d.t[n], V: d.V[n], Na_i: d.Na_i[n]}; })()""")
    assert after["t"] > before["t"]
    # the plot holds the same data (uPlot's own arrays)
    plotted = _js(page, "document.querySelectorAll('.uplot canvas').length")
    assert plotted >= 4
    # the readout follows the stream
    assert "mV" in page.locator('[data-readout="V"]').inner_text()
    page.click("#play")
    assert page.locator("#play").get_attribute("aria-pressed") == "false"


def test_downloads_csv_png_spec(page, tmp_path):
    page.select_option("#speed", "60000")
    page.click("#play")
    page.wait_for_function("window.nakpump.chunks >= 3")
    page.click("#play")  # pause, so the run's CSV is what the page shows
    with page.expect_download() as dl:
        page.click("#dl-csv")
    csv = Path(dl.value.path()).read_text()
    lines = [ln for ln in csv.splitlines() if ln and not ln.startswith("#")]
    assert len(lines) > 3 and "V" in lines[0]
    with page.expect_download() as dl:
        page.click("#dl-png")
    png = Path(dl.value.path()).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5_000
    with page.expect_download() as dl:
        page.click("#dl-spec")
    spec = Path(dl.value.path()).read_text()
    assert "pump.block" in spec or "cell" in spec


def test_preparing_state_then_ready(page):
    """While /api/health says the cell is preparing, the page says so and waits; then it goes on."""
    health = page.evaluate("fetch('/api/health').then(r => r.json())")
    preparing = {**health, "cells": {name: "preparing" for name in health["cells"]}}
    import json

    page.route("**/api/health", lambda route: route.fulfill(status=200, content_type="application/json",
                                                            body=json.dumps(preparing)))
    page.select_option("#cell", index=1)
    status = page.locator("#status")
    page.wait_for_function("document.getElementById('status').textContent.includes('Preparing')")
    assert page.locator("#play").is_disabled()
    assert "busy" in status.get_attribute("class")
    page.unroute("**/api/health")
    page.wait_for_function("!document.getElementById('play').disabled && window.nakpump.runId")
    assert "Preparing" not in status.inner_text()


def test_other_cell_and_reset(page):
    cells = page.evaluate("[...document.querySelectorAll('#cell option')].map(o => o.value)")
    other = cells[1]
    old = page.evaluate("window.nakpump.runId")
    page.select_option("#cell", other)
    page.wait_for_function(f"window.nakpump.cell === {other!r} && window.nakpump.runId "
                           f"&& window.nakpump.runId !== {old!r}")
    names = {c["name"] for c in page.evaluate("window.nakpump.controls")}
    assert "pump.block" in names
    page.click("#play")
    page.wait_for_function("window.nakpump.chunks >= 3")
    # a new speed while playing: the stream is reopened and goes on
    n = page.evaluate("window.nakpump.chunks")
    page.select_option("#speed", "1000")
    page.wait_for_function(f"window.nakpump.chunks >= {n + 3}")
    page.click("#play")  # pause and play again at once: the stream resumes where it was
    t = page.evaluate("window.nakpump.lastChunk.t_ms")
    page.click("#play")
    page.wait_for_function(f"window.nakpump.lastChunk.t_ms > {t} && window.nakpump.playing")
    assert page.evaluate("window.nakpump.data.t[0]") < 1
    before = page.evaluate("window.nakpump.lastChunk.t_ms")
    page.click("#reset")
    # after a reset the run starts again from t = 0 (Reset zeroes the chunk count) and plays on
    page.wait_for_function(f"window.nakpump.chunks >= 1 && window.nakpump.lastChunk "
                           f"&& window.nakpump.lastChunk.t_ms < {before} && window.nakpump.data.t[0] < 1 "
                           "&& window.nakpump.playing")
    assert page.locator("#play").get_attribute("aria-pressed") == "true"


def test_a_preset_without_a_pump(page):
    """A preset is compiled on first use (the page asks for it and waits); its missing controls and
    readouts are simply absent or n/a."""
    old = page.evaluate("window.nakpump.runId")
    page.select_option("#cell", "hh1952")
    page.wait_for_function(f"window.nakpump.cell === 'hh1952' && window.nakpump.runId "
                           f"&& window.nakpump.runId !== {old!r}")
    names = {c["name"] for c in page.evaluate("window.nakpump.controls")}
    assert "pump.block" not in names and {"stim.on", "ttx", "cell.T"} <= names
    assert page.locator('[data-name="pump.block"]').count() == 0
    page.click("#play")
    page.wait_for_function("window.nakpump.chunks >= 2")
    assert page.locator('[data-readout="I_pump"]').inner_text() == "n/a"
    assert "mV" in page.locator('[data-readout="V"]').inner_text()


def test_bad_setting_shows_the_servers_message_next_to_the_control(page):
    page.evaluate("window.nakpump.set('bath.K_o', 100000)")
    err = page.locator('[data-err="bath.K_o"]')
    err.wait_for(state="visible")
    assert "allowed" in err.inner_text()
    assert page.locator('[data-name="bath.K_o"]').get_attribute("aria-invalid") == "true"


def test_closing_the_page_ends_its_run(browser, server):
    import httpx

    ctx = browser.new_context()
    pg = ctx.new_page()
    pg.goto(server + "/")
    pg.wait_for_function("window.nakpump && window.nakpump.ready && window.nakpump.runId")
    rid = pg.evaluate("window.nakpump.runId")
    assert httpx.get(f"{server}/api/runs/{rid}").status_code == 200
    pg.close(run_before_unload=True)
    deadline = time.monotonic() + 10
    while httpx.get(f"{server}/api/runs/{rid}").status_code != 404:
        assert time.monotonic() < deadline, "the run outlived its page"
        time.sleep(0.1)  # polling the server after the page is gone
    ctx.close()


def test_a_run_gone_from_the_server_is_reported_and_reset_starts_anew(page, server):
    import httpx

    rid = page.evaluate("window.nakpump.runId")
    assert httpx.delete(f"{server}/api/runs/{rid}").status_code == 204
    page.click("#play")
    page.wait_for_function("document.getElementById('status').textContent.includes('Reset')")
    assert page.locator("#play").get_attribute("aria-pressed") == "false"
    page.click("#reset")
    page.wait_for_function(f"window.nakpump.runId && window.nakpump.runId !== {rid!r}")
    page.click("#play")
    page.wait_for_function("window.nakpump.chunks >= 2")
