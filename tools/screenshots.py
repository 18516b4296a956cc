"""Screenshots of the dashboard's pages in Kyrgyz, Russian and English, at a laptop's and
a phone's width, in headless Chromium (Debian's ``/usr/bin/chromium``; set BROWSER_PATH
for another binary).

    python tools/screenshots.py                         # every page, docs/screenshots/
    python tools/screenshots.py --pages scenario --tabs cost --query "?infrastructure_spend=1500"
    python tools/screenshots.py --out /tmp/shots --langs en --widths 1400
    python tools/screenshots.py --pages scenario --preset forum_2013   # docs/screenshots/

Files are ``<page>[-<tab>]-<lang>-<width>.png``. The script starts its own server on a
free port and stops it; it asserts nothing: it is for looking, not testing.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load_test import StartedServer  # noqa: E402
from ui.nav import PAGE_IDS  # noqa: E402
from ui.pages.scenario import TABS  # noqa: E402

WIDTHS = {1400: 1000, 390: 844}  # width -> viewport height
LANGS = ("ky", "ru", "en")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _settle(page) -> None:
    """Wait until Streamlit has finished its run (no spinner, no stale elements)."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
    )
    page.wait_for_timeout(600)


def _whole_page(page, width: int, height: int) -> None:
    """Streamlit scrolls inside its main container, so a "full page" screenshot shows one
    screen: grow the window to the container's height instead."""
    full = page.evaluate(
        "() => Math.max(...['stMain', 'stSidebarContent'].map(id => "
        "(document.querySelector(`[data-testid=${id}]`) || {}).scrollHeight "
        "|| 0))"
    )
    page.set_viewport_size({"width": width, "height": max(height, min(int(full), 8000))})
    _settle(page)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    ap.add_argument("--pages", nargs="*", default=list(PAGE_IDS))
    ap.add_argument(
        "--tabs",
        nargs="*",
        default=[],
        help="also open these tabs of the scenario page (grp, sectors, physical, "
        "cost, table), one screenshot each",
    )
    ap.add_argument("--langs", nargs="*", default=list(LANGS))
    ap.add_argument("--widths", nargs="*", type=int, default=list(WIDTHS))
    ap.add_argument("--query", default="", help="query string added to every address")
    ap.add_argument("--preset", help="open this preset through its share link (e.g. forum_2013)")
    args = ap.parse_args()
    if args.preset:
        from urllib.parse import urlencode

        from scenarios import preset
        from scenarios.settings import Settings

        link = Settings.from_mapping(preset(args.preset).to_settings()).to_query()
        args.query = "?" + urlencode(link) + (("&" + args.query.lstrip("?")) if args.query else "")
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with StartedServer(ROOT / "app.py") as server:
        base = server.url
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=os.environ.get("BROWSER_PATH", "/usr/bin/chromium"), args=ARGS
            )
            for width in args.widths:
                height = WIDTHS.get(width, 900)
                ctx = browser.new_context(viewport={"width": width, "height": height})
                page = ctx.new_page()
                for lang in args.langs:
                    for page_id in args.pages:
                        path = "/" if page_id == PAGE_IDS[0] else f"/{page_id}"
                        sep = "&" if args.query else "?"
                        page.goto(f"{base}{path}{args.query}{sep}lang={lang}")
                        _settle(page)
                        shots = [("", None)]
                        if page_id == PAGE_IDS[0]:
                            shots += [(f"-{tab}", tab) for tab in args.tabs]
                        for suffix, tab in shots:
                            if tab is not None:
                                index = TABS.index(tab)
                                page.locator(".st-key-result_tab button").nth(index).click()
                                _settle(page)
                            name = args.out / f"{page_id}{suffix}-{lang}-{width}.png"
                            _whole_page(page, width, height)
                            page.screenshot(path=str(name))
                            page.set_viewport_size({"width": width, "height": height})
                            print(name)
                ctx.close()
            browser.close()


if __name__ == "__main__":
    main()
