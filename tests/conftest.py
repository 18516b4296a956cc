"""Suite-wide: the test markers, and the one headless Chromium every browser test shares.

Markers (select with ``-m``):

- ``browser``: drives Debian's Chromium through Playwright. Every test in ``tests/e2e``
  gets it automatically. Where the browser or Playwright is missing, these tests are
  skipped with the reason, not errored.
- ``deploy``: deployment checks (Dockerfile, nginx replicas, load script). Every test in
  ``tests/deploy`` gets it automatically.

The fast run a developer repeats while editing, without either::

    python -m pytest -m "not browser and not deploy"
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

#: Debian's Chromium (Playwright cannot download its own browser here).
BROWSER_PATH = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TESTS = Path(__file__).resolve().parent
#: Folders whose every test carries a marker.
FOLDER_MARKERS = {"e2e": "browser", "deploy": "deploy"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives headless Chromium (Playwright); skipped where it is missing"
    )
    config.addinivalue_line(
        "markers", "deploy: deployment checks (Dockerfile, nginx replicas, load script)"
    )


def browser_missing() -> str | None:
    """Why the browser tests cannot run on this machine, or None when they can."""
    if importlib.util.find_spec("playwright") is None:
        return "Playwright is not installed (pip install -r requirements-dev.txt)"
    if not (os.path.isfile(BROWSER_PATH) and os.access(BROWSER_PATH, os.X_OK)):
        return (
            f"no Chromium at {BROWSER_PATH} (apt-get install -y chromium, "
            "or set BROWSER_PATH to another Chromium binary)"
        )
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    missing = browser_missing()
    for item in items:
        folder = item.path.relative_to(TESTS).parts[0] if item.path.is_relative_to(TESTS) else ""
        if folder in FOLDER_MARKERS:
            item.add_marker(FOLDER_MARKERS[folder])
        if missing and item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.skip(reason=f"browser test: {missing}"))


@pytest.fixture(scope="session")
def browser() -> Iterator:
    """One headless Chromium for the whole session."""
    missing = browser_missing()
    if missing:
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=BROWSER_PATH, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
