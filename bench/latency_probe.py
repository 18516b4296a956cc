"""Browser latency of a Streamlit app, as a planner feels it, in real headless Chromium.

    python bench/latency_probe.py .                   # the dashboard, 20 presses
    python bench/latency_probe.py bench/floor_app     # the one-slider floor app
    python bench/latency_probe.py . --presses 5 --json out.json

Two figures:

- **cold start**: from starting ``streamlit run`` to a page that is idle: a slider is
  drawn, no script run is in progress and the page has not changed for ``--quiet-ms``
  (the quiet period is part of this figure; the time of the last change is printed too).
- **slider to settled page**: the first slider gets a key press (ArrowRight; ArrowLeft
  once the slider is at its top); the latency is the time from the key event to the
  last change of the page before it went quiet again (no run in progress and no change
  for ``--quiet-ms``, after the server has answered the press). Presses that could not
  move the slider are not counted.
  Printed as min / median / p95 / max over the counted presses.

Both times are taken inside the page (``performance.now()``): the key press is the
``keydown`` event's own time stamp and page changes are seen by a MutationObserver
installed before the app's scripts run (and, for a chart drawn on a canvas, which changes
no DOM node, by every drawing call on a canvas), so the probe's round trips to the browser do
not count; nor does the quiet period after the last change.

Prints ``server start to idle page: X.XX s`` and
``slider->settled ms: min A median B p95 C max D`` (the lines bench/run_all.py reads;
an outside probe that prints the same lines can be passed to it with ``--probe``).
Exits 1 if the page never became idle or no press moved the slider.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

#: Installed before any page script: records the time of the last DOM change and of the
#: last keydown, both on the page's performance.now() clock.
WATCH_PAGE = """
(() => {
  const probe = { lastChange: performance.now(), keyAt: null };
  window.__latencyProbe = probe;
  const start = () => new MutationObserver(() => { probe.lastChange = performance.now(); })
      .observe(document.documentElement,
               { subtree: true, childList: true, attributes: true, characterData: true });
  if (document.documentElement) start(); else addEventListener("DOMContentLoaded", start);
  // a chart drawn on a canvas changes no DOM node: each drawing call counts as a change
  const c2d = window.CanvasRenderingContext2D && CanvasRenderingContext2D.prototype;
  for (const m of c2d ? ["clearRect", "fillRect", "fill", "stroke", "fillText", "drawImage"] : []) {
    const draw = c2d[m];
    c2d[m] = function (...args) {
      probe.lastChange = performance.now();
      return draw.apply(this, args);
    };
  }
  addEventListener("keydown", (e) => { probe.keyAt = e.timeStamp; }, true);
})();
"""
#: True once no script run is in progress and the page has been unchanged for `quiet` ms.
IS_QUIET = """
(quiet) => !document.querySelector('[data-testid="stStatusWidget"]')
           && performance.now() - window.__latencyProbe.lastChange >= quiet
"""
SLIDER = '[data-testid="stSlider"] input[type="range"]'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(app_dir: Path, app: str, port: int) -> subprocess.Popen:
    """``streamlit run APP`` in APP_DIR on 127.0.0.1:PORT, quiet, in its own process group
    (so that the caller can stop it with its children)."""
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        app,
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
    return subprocess.Popen(
        cmd,
        cwd=app_dir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def wait_healthy(url: str, proc: subprocess.Popen, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"streamlit exited with status {proc.returncode} before serving")
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"no answer from {url} within {timeout_s:.0f} s")


def nearest_rank(sorted_values: list[float], q: float) -> float:
    """The q-quantile by the nearest-rank method (q=0.95: the 19th of 20)."""
    return sorted_values[max(0, math.ceil(q * len(sorted_values)) - 1)]


def measure(
    page, base: str, query: str, presses: int, quiet_ms: float, t_start: float, timeout_s: float
) -> tuple[float, float, list[float], int]:
    """(cold start to idle s, to the last change s, latencies ms, presses that did not
    move the slider)."""
    answers = [0]  # websocket messages from the server (each rerun sends several)

    def count(_frame) -> None:
        answers[0] += 1

    page.on("websocket", lambda ws: ws.on("framereceived", count))
    page.add_init_script(WATCH_PAGE)
    page.goto(base + "/" + query, timeout=timeout_s * 1000)
    page.locator('[data-testid="stSlider"]').first.wait_for(timeout=timeout_s * 1000)
    slider = page.locator(SLIDER).first  # visually hidden: the thumb draws it
    page.wait_for_function(IS_QUIET, arg=quiet_ms, polling=10, timeout=timeout_s * 1000)
    idle = time.monotonic() - t_start
    quiet_for = page.evaluate("performance.now() - window.__latencyProbe.lastChange")
    last_change = idle - quiet_for / 1000

    latencies: list[float] = []
    stuck = 0
    arrow = "ArrowRight"
    for _ in range(presses):
        slider.focus()
        before = slider.input_value()
        page.evaluate("window.__latencyProbe.keyAt = null")
        heard = answers[0]
        page.keyboard.press(arrow)
        page.wait_for_function(IS_QUIET, arg=quiet_ms, polling=10, timeout=timeout_s * 1000)
        if slider.input_value() == before:  # at the end of the range: turn round
            arrow = "ArrowLeft" if arrow == "ArrowRight" else "ArrowRight"
            stuck += 1
            continue
        # A server slower than the quiet period has not answered yet: the page only looks
        # settled. Wait for its answer, then for quiet again.
        deadline = time.monotonic() + timeout_s
        while answers[0] == heard:
            if time.monotonic() > deadline:
                raise SystemExit(f"the server did not answer a key press within {timeout_s} s")
            page.wait_for_timeout(10)
        page.wait_for_function(IS_QUIET, arg=quiet_ms, polling=10, timeout=timeout_s * 1000)
        last, key_at = page.evaluate(
            "[window.__latencyProbe.lastChange, window.__latencyProbe.keyAt]"
        )
        if key_at is None:
            raise SystemExit("the key press never reached the page (no keydown event)")
        latencies.append(last - key_at)
    return idle, last_change, latencies, stuck


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("app_dir", type=Path, help="folder to run the app from")
    ap.add_argument("--app", default="app.py", help="script in APP_DIR (default app.py)")
    ap.add_argument("--presses", type=int, default=20)
    ap.add_argument("--port", type=int, default=0, help="0: a free port")
    ap.add_argument("--query", default="", help="query string to open, e.g. '?lang=ru'")
    ap.add_argument(
        "--quiet-ms",
        type=float,
        default=400.0,
        help="no page change for this long = settled (default 400)",
    )
    ap.add_argument("--chromium", default=os.environ.get("BROWSER_PATH", "/usr/bin/chromium"))
    ap.add_argument("--timeout", type=float, default=60.0, help="per wait, seconds")
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    t_start = time.monotonic()
    server = start_server(args.app_dir, args.app, port)
    try:
        wait_healthy(base + "/_stcore/health", server, args.timeout)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"]
            )
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                idle, last_change, latencies, stuck = measure(
                    page, base, args.query, args.presses, args.quiet_ms, t_start, args.timeout
                )
            finally:
                browser.close()
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait(timeout=10)

    print(
        f"server start to idle page: {idle:.2f} s (last page change at {last_change:.2f} s; "
        f"idle = unchanged for {args.quiet_ms:.0f} ms)"
    )
    if not latencies:
        print("no key press moved the slider")
        return 1
    ordered = sorted(latencies)
    figures = {
        "cold_start_s": round(idle, 3),
        "last_change_s": round(last_change, 3),
        "presses_counted": len(ordered),
        "presses_not_moving": stuck,
        "min_ms": round(ordered[0], 1),
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(nearest_rank(ordered, 0.95), 1),
        "max_ms": round(ordered[-1], 1),
    }
    print(f"presses counted: {len(ordered)} (not moving the slider: {stuck})")
    print(
        f"slider->settled ms: min {ordered[0]:.0f} median {figures['median_ms']:.0f} "
        f"p95 {figures['p95_ms']:.0f} max {ordered[-1]:.0f}"
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
