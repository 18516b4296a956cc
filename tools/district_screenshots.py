"""Screenshots of the districts page (whole page) in Kyrgyz, Russian and English at a
laptop's and a phone's width, opened on the Batken-2013 forum plan's link (its road
sections, Burgandy and the R-4 canal placed by district).

    python tools/district_screenshots.py                 # docs/screenshots/districts-*.png
    python tools/district_screenshots.py --out /tmp/shots --langs en --widths 390

``tools/screenshots.py`` photographs every page; this one waits for the schematic and the
six small charts, which load after the first paint, before it measures the page's height.
It starts its own server on a free port, asserts nothing and is for looking.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load_test import StartedServer  # noqa: E402
from model import DISTRICTS  # noqa: E402
from scenarios import preset  # noqa: E402
from scenarios.settings import Settings  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    ap.add_argument("--langs", nargs="*", default=["ky", "ru", "en"])
    ap.add_argument("--widths", nargs="*", type=int, default=[1400, 390])
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    query = urlencode(Settings.from_mapping(preset("forum_2013").to_settings()).to_query())
    with StartedServer(ROOT / "app.py") as server:
        base = server.url
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            for lang in args.langs:
                for width in args.widths:
                    ctx = browser.new_context(viewport={"width": width, "height": 900})
                    page = ctx.new_page()
                    page.goto(f"{base}/districts?{query}&lang={lang}")
                    page.wait_for_selector("[data-testid=stGraphVizChart] svg", timeout=60_000)
                    page.wait_for_function(
                        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                        timeout=30_000,
                    )
                    # charts below the fold draw once they are in view: show the whole page
                    for _ in range(2):
                        height = page.evaluate(
                            "() => document.querySelector('[data-testid=stMain]').scrollHeight"
                        )
                        page.set_viewport_size({"width": width, "height": min(height + 50, 9000)})
                        for d in DISTRICTS:
                            chart = f".st-key-district_multiple_{d}"
                            page.wait_for_selector(
                                f"{chart} [data-testid=stVegaLiteChart] svg", timeout=60_000
                            )
                    page.wait_for_timeout(1500)
                    path = args.out / f"districts-{lang}-{width}.png"
                    page.screenshot(path=str(path))
                    print(path)
                    ctx.close()
            browser.close()


if __name__ == "__main__":
    main()
