"""Live dragging, measured in headless Chromium: does the GRP card follow the thumb?

    python bench/live_drag.py                 # road lever, 120 pointer moves in 2 s
    python bench/live_drag.py --lever infrastructure_spend --moves 120 --ms 3000

Starts ``streamlit run app.py``, opens the scenario page, holds a lever's thumb with the
mouse and moves it across the track, then lets go. A MutationObserver installed in the
page records every change of the GRP card's value with the thumb's value at that
moment. Prints:

- ``updates per second during the drag``: changes of the card while the button was down,
  over the drag's duration;
- ``matching the model``: of those, how many show exactly what the model gives for the
  thumb's value (one vectorised model call, formatted as the card formats);
- ``reruns sent during the drag`` and ``after release``: websocket frames the browser
  sent to the server (a rerun request is one frame);
- the card after the page settled, and whether it equals the model.

The browser tests (tests/e2e/test_live_e2e.py) use :func:`drag` with a few moves.
Figures, not pass/fail: exits 1 only if the page never loaded.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: Records each change of the GRP card (time, thumb value, text) once installed.
RECORDER = """
(key) => {
  const rec = { changes: [] };
  window.__dragRecorder = rec;
  const card = document.querySelector('.st-key-kpi_grp [data-testid="stMetricValue"]');
  let last = card.innerText;
  new MutationObserver(() => {
    const now = card.innerText;
    if (now !== last) {
      last = now;
      // looked up at each change: a rerun may draw the slider anew, and an input held
      // from before (or none, if the sidebar was still being drawn) recorded nothing
      const input = document.querySelector(`.st-key-${key} input[type="range"]`);
      rec.changes.push([performance.now(), input ? parseFloat(input.value) : NaN, now]);
    }
  }).observe(card, { subtree: true, childList: true, characterData: true });
}
"""


@dataclass
class DragReport:
    """What one drag did."""

    seconds: float = 0.0
    changes: list[tuple[float, float, str]] = field(default_factory=list)  # (ms, value, text)
    sent_during: int = 0
    sent_after: int = 0
    settled_text: str = ""
    settled_value: float = float("nan")
    tables_wait_ms: float = float("nan")  # run's end -> its live tables, before the drag
    tables_after_ms: float = float("nan")  # the same after the release's run

    @property
    def updates_per_second(self) -> float:
        return len(self.changes) / self.seconds if self.seconds else 0.0


def expected_cards(
    settings: dict[str, float], key: str, values: list[float], lang: str = "en", year: int = 2035
) -> dict[float, str]:
    """The GRP card's text for each value of ``key``, from the model."""
    from model import run_scenarios
    from scenarios.settings import Settings
    from ui.i18n import fmt_num

    rows = [dict(Settings.from_mapping({**settings, key: v}).effective) for v in values]
    grp = run_scenarios(rows).scenario["grp"][:, year - 2007]
    return {v: fmt_num(g, 0, lang=lang) for v, g in zip(values, grp, strict=True)}


def watch_sent(page) -> list[float]:
    """Call before the page loads: the times of the frames it sends on its websocket."""
    sent: list[float] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda _f: sent.append(time.monotonic())))
    return sent


#: True once the page's last run has ended and its live tables have arrived.
TABLES_READY = """() => { const S = window.__batkenLive;
  return !!(S && S.url && S.fetching === S.url && S.data && S.arrivedAt >= S.endedAt); }"""


def tables_ready(page, timeout_ms: int = 30_000) -> float:
    """Wait until the live layer has the page's step tables (ui/live.js fetches them
    once the run has ended); the wait in ms from the run's end to their arrival."""
    page.wait_for_function(TABLES_READY, timeout=timeout_ms)
    return float(page.evaluate("window.__batkenLive.arrivedAt - window.__batkenLive.endedAt"))


def drag(
    page,
    sent: list[float],
    key: str,
    moves: int = 60,
    duration_ms: int = 2000,
    to: float = 0.95,
) -> DragReport:
    """Hold ``key``'s thumb, move it ``moves`` times to ``to`` of the track over
    ``duration_ms``, let go; record what the page showed and sent (``sent`` from
    :func:`watch_sent`)."""
    page.locator('.st-key-kpi_grp [data-testid="stMetricValue"]').wait_for(timeout=30_000)
    page.locator(f'.st-key-{key} input[type="range"]').wait_for(state="attached", timeout=30_000)
    report = DragReport()
    report.tables_wait_ms = tables_ready(page)
    page.evaluate(RECORDER, key)
    slider = page.locator(f'.st-key-{key} [data-testid="stSlider"]')
    slider.scroll_into_view_if_needed()
    thumb = page.locator(f'.st-key-{key} input[type="range"]').locator("xpath=../..")
    track = page.locator(f'.st-key-{key} [data-testid="stSlider"] [data-orientation="horizontal"]')
    tb = thumb.bounding_box()
    bb = track.last.bounding_box()
    if tb is None or bb is None:
        raise RuntimeError(f"lever {key} is not on the screen")
    x0, y = tb["x"] + tb["width"] / 2, tb["y"] + tb["height"] / 2
    x1 = bb["x"] + to * bb["width"]
    page.mouse.move(x0, y)
    page.mouse.down()
    start = time.monotonic()
    n_before = len(sent)
    for i in range(1, moves + 1):
        page.mouse.move(x0 + (x1 - x0) * i / moves, y)
        wait = start + duration_ms / 1000 * i / moves - time.monotonic()
        if wait > 0:
            time.sleep(wait)
    report.seconds = time.monotonic() - start
    report.sent_during = len(sent) - n_before
    report.changes = [tuple(c) for c in page.evaluate("window.__dragRecorder.changes")]
    page.mouse.up()
    released = len(sent)
    # settled: the server's run has come and gone
    page.wait_for_timeout(300)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=30_000)
    page.wait_for_timeout(300)
    report.sent_after = len(sent) - released
    report.settled_text = page.locator('.st-key-kpi_grp [data-testid="stMetricValue"]').inner_text()
    report.settled_value = float(page.locator(f'.st-key-{key} input[type="range"]').input_value())
    report.tables_after_ms = tables_ready(page)
    return report


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lever", default="infrastructure_spend")
    ap.add_argument("--moves", type=int, default=120)
    ap.add_argument("--ms", type=int, default=2000)
    ap.add_argument("--query", default="irrigation_new_ha=1000")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    # the benchmarks' own server starter (its health wait, its process-group stop)
    from bench.load_test import StartedServer

    with StartedServer(ROOT / "app.py") as server:
        base = server.url
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            sent = watch_sent(page)
            page.goto(f"{base}/?lang=en&{args.query}")
            page.locator(".st-key-kpi_grp").wait_for(timeout=60_000)
            page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached")
            page.wait_for_timeout(500)
            report = drag(page, sent, args.lever, args.moves, args.ms)
            browser.close()
    settings = dict(p.split("=") for p in args.query.split("&") if p)
    settings = {k: float(v) for k, v in settings.items()}
    # a change seen while the slider was not in the page has no value (NaN): not a match
    values = sorted({c[1] for c in report.changes if c[1] == c[1]} | {report.settled_value})
    want = expected_cards(settings, args.lever, values)
    good = sum(1 for _, v, text in report.changes if want.get(v) == text)
    print(f"drag: {args.moves} pointer moves over {report.seconds:.2f} s on {args.lever}")
    print(f"updates per second during the drag: {report.updates_per_second:.1f}")
    print(f"matching the model: {good} of {len(report.changes)}")
    print(f"reruns sent during the drag: {report.sent_during}, after release: {report.sent_after}")
    print(
        f"live tables ready after the run ended: {report.tables_wait_ms:.0f} ms (page load), "
        f"{report.tables_after_ms:.0f} ms (after the release)"
    )
    ok = want[report.settled_value] == report.settled_text
    print(f"settled card: {report.settled_text} ({'equals' if ok else 'differs from'} the model)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
