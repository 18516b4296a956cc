"""ui/warm.py: a new server's first page's imports and one-off loads, made in a thread
while the browser loads the frontend."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
import ui.warm as warm
warm.RUNTIME_WAIT_S = 0.2
warm.warm_up().join(timeout=60)
from ui.i18n import catalog
print(json.dumps({
    "modules": [m for m in warm.MODULES if m not in sys.modules],
    "page_modules": [m for m in warm.PAGE_MODULES if m in sys.modules],
    "catalogs": catalog.cache_info().currsize,
}))
"""


def test_the_warm_up_imports_the_libraries_and_leaves_the_pages_without_a_runtime() -> None:
    """In a fresh interpreter: every library module is imported and every language's
    catalog loaded; without Streamlit's runtime (so outside a server) no page module is
    imported, since their cached functions and components bind to the runtime."""
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["modules"] == [], f"not imported: {got['modules']}"
    assert got["page_modules"] == [], f"imported without a runtime: {got['page_modules']}"
    assert got["catalogs"] == 3, "the three languages' catalogs are loaded"
    assert "warming up failed" not in out.stderr, out.stderr[-2000:]
