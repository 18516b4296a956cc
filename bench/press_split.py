"""Where a key press's time goes, in headless Chromium: the browser, the server, the browser.

    python bench/press_split.py .                      # the dashboard, 16 presses
    python bench/press_split.py bench/floor_app --presses 10

For each press of the first slider (ArrowLeft and ArrowRight in turn, so that the
scenario flips between two values), times on the page's own clock from the ``keydown``:

- ``sent``: the browser sent its rerun request (the websocket's first ``send``);
- ``first``: the page handled the server's first message of the run;
- ``last``: the page handled the run's last message;
- ``settled``: the page's last change before it went quiet (as ``latency_probe.py``).

Prints the median of each and the messages a press brought. ``last - first`` is longer
than the script's run when the page's main thread is busy: messages wait in its queue.
Alternating two values keeps the model's caches warm, so ``settled`` is lower than
``latency_probe.py``'s (a new value each press). Figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import latency_probe as probe

#: Installed before the page's scripts: the time of each websocket message the page
#: handles and of the first message it sends after ``__sent`` is reset.
WATCH_SOCKET = """
(() => {
  const Native = window.WebSocket;
  window.__frames = [];
  window.__sent = null;
  window.WebSocket = function (...args) {
    const ws = new Native(...args);
    ws.addEventListener("message", () => window.__frames.push(performance.now()));
    const send = ws.send.bind(ws);
    ws.send = (data) => { window.__sent = window.__sent ?? performance.now(); return send(data); };
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, Native);
})();
"""


def split(page, presses: int, quiet_ms: float) -> list[tuple[float, float, float, float, int]]:
    """(sent, first, last, settled ms after the key, messages) for each press."""
    slider = page.locator(probe.SLIDER).first
    rows = []
    for i in range(presses):
        slider.focus()
        page.evaluate(
            "window.__latencyProbe.keyAt = null; window.__frames = []; window.__sent = null"
        )
        page.keyboard.press("ArrowLeft" if i % 2 == 0 else "ArrowRight")
        page.wait_for_timeout(100)  # the run has begun: no quiet page before it
        page.wait_for_function(probe.IS_QUIET, arg=quiet_ms, polling=10, timeout=60_000)
        last_change, key_at, frames, sent = page.evaluate(
            "[window.__latencyProbe.lastChange, window.__latencyProbe.keyAt,"
            " window.__frames, window.__sent]"
        )
        if key_at is None or not frames or sent is None:
            raise SystemExit(f"press {i + 1}: no key event, request or answer was seen")
        rows.append(
            (
                sent - key_at,
                frames[0] - key_at,
                frames[-1] - key_at,
                last_change - key_at,
                len(frames),
            )
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("app_dir", type=Path)
    ap.add_argument("--presses", type=int, default=16)
    ap.add_argument("--quiet-ms", type=float, default=400.0)
    ap.add_argument("--chromium", default=os.environ.get("BROWSER_PATH", "/usr/bin/chromium"))
    args = ap.parse_args(argv)

    from playwright.sync_api import sync_playwright

    port = probe.free_port()
    base = f"http://127.0.0.1:{port}"
    server = probe.start_server(args.app_dir, "app.py", port)
    try:
        probe.wait_healthy(base + "/_stcore/health", server, 60)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"]
            )
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.add_init_script(WATCH_SOCKET)
                probe.measure(page, base, "", 3, args.quiet_ms, time.monotonic(), 60)  # warm
                rows = split(page, args.presses, args.quiet_ms)
            finally:
                browser.close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
    sent, first, last, settled, messages = (statistics.median(c) for c in zip(*rows, strict=True))
    print(f"{args.app_dir}: {len(rows)} presses, medians after the key press (ms):")
    print(
        f"  request sent {sent:.0f}, first message {first:.0f}, last message {last:.0f}, "
        f"settled {settled:.0f}; {messages:.0f} messages a press"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
