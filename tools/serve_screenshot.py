"""The README's screenshot of `nakpump serve` (docs/serve.png): a real server on loopback, the page in
headless Chromium (Playwright; $NAKPUMP_CHROMIUM, default /usr/bin/chromium), a lesson run for a few
minutes of model time.

    python tools/serve_screenshot.py [--lesson gradients] [--model-s 700] [--out docs/serve.png]
"""

from __future__ import annotations

import argparse
import os
import socket
import threading
import time
from pathlib import Path

import httpx
import uvicorn
from playwright.sync_api import sync_playwright

from nakpump.serve.app import create_app


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lesson", default="gradients")
    ap.add_argument("--model-s", type=float, default=700.0, help="model seconds to run before the picture")
    ap.add_argument("--width", type=int, default=1280)
    ap.add_argument("--height", type=int, default=1250)
    ap.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "docs" / "serve.png"))
    a = ap.parse_args()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(preload=True), host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    threading.Thread(target=srv.run, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            if set(httpx.get(base + "/api/health").json()["cells"].values()) <= {"ready"}:
                break
        except (httpx.HTTPError, KeyError, ValueError):
            pass
        time.sleep(0.3)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=os.environ.get("NAKPUMP_CHROMIUM", "/usr/bin/chromium"))
        pg = b.new_page(viewport={"width": a.width, "height": a.height})
        pg.goto(base + "/")
        pg.wait_for_function("window.nakpump && window.nakpump.ready && window.nakpump.runId")
        pg.click(f'.lesson-btn[data-lesson="{a.lesson}"]')
        pg.wait_for_function(f"window.nakpump.lesson && window.nakpump.lesson.id === {a.lesson!r}")
        until = f"window.nakpump.lastChunk && window.nakpump.lastChunk.t_ms >= {a.model_s * 1000}"
        pg.wait_for_function(until, timeout=600_000)
        pg.click("#play")  # pause, so the picture is of one moment
        pg.screenshot(path=a.out)
        b.close()
    srv.should_exit = True
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
