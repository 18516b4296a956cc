"""Screenshots of the Workshop page as the facilitator and as a participant, in Kyrgyz,
Russian and English, at 1400 and 390 px, on a room seeded with eight participants.

    python tools/workshop_screenshots.py                  # /tmp/workshop-shots
    python tools/workshop_screenshots.py --out docs/screenshots --langs en --widths 1400

Starts its own server on a temp SQLite file, seeds it through the store (``rooms``),
opens the facilitator's link and one participant's link. Files are
``workshop-<role>-<lang>-<width>.png``. Asserts nothing: it is for looking.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load_test import StartedServer  # noqa: E402
from rooms import RoomStore  # noqa: E402

SEED = (
    ("Айгүл", {"sme_support": 400.0, "irrigation_rehab_ha": 2000.0}, "Сначала вода и кредит"),
    ("Bakyt", {"infrastructure_spend": 1500.0, "road_maintenance": 200.0}, "Roads open markets"),
    ("Ольга", {"irrigation_new_ha": 1000.0, "water_storage_mcm": 10.0}, ""),
    ("", {"sme_support": 200.0, "irrigation_rehab_ha": 1000.0}, "Cheap, quick to start"),
    ("Нурлан", {"infrastructure_spend": 500.0, "sme_support": 300.0}, "Баарынан бир аз"),
    ("Gulnara", {"irrigation_rehab_ha": 3000.0, "end_year": 2032}, "Rehabilitation pays back"),
    ("Azamat", {"infrastructure_spend": 2500.0, "road_trunk_share": 80.0}, "Corridor first"),
    ("Света", {"sme_support": 600.0}, ""),
)
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("/tmp/workshop-shots"))
    ap.add_argument("--langs", nargs="+", default=["ky", "ru", "en"])
    ap.add_argument("--widths", nargs="+", type=int, default=[1400, 390])
    ap.add_argument("--height", type=int, default=0, help="window height (default: tall)")
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "rooms.sqlite3"
        store = RoomStore(f"sqlite:///{db}")
        room, key = store.create_room("Batken oblast planning meeting, 7 December")
        tokens = []
        for i, (name, levers, why) in enumerate(SEED):
            _, token = store.join(room.code, name)
            store.save(room.code, token, levers, rationale=why, submit=i % 3 != 2)
            tokens.append(token)
        store.close()
        env = {"BATKEN_ROOMS_DB": str(db)}
        with StartedServer(ROOT / "app.py", env=env) as server, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for lang in args.langs:
                for width in args.widths:
                    views = {
                        "facilitator": f"room={room.code}&key={key}",
                        "participant": f"room={room.code}&p={tokens[0]}",
                    }
                    for role, query in views.items():
                        # Streamlit scrolls inside the page: a tall window shows all of it
                        height = args.height or (2900 if width > 500 else 4200)
                        ctx = browser.new_context(viewport={"width": width, "height": height})
                        page = ctx.new_page()
                        page.goto(f"{server.url}/workshop?{query}&lang={lang}")
                        page.locator("h1").first.wait_for(timeout=30_000)
                        page.wait_for_timeout(4000)  # charts drawn, one refresh done
                        path = args.out / f"workshop-{role}-{lang}-{width}.png"
                        page.screenshot(path=str(path), full_page=True)
                        print(path)
                        ctx.close()
            browser.close()


if __name__ == "__main__":
    main()
