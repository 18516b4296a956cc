"""The image holds every package the app imports and every data file it reads.

No Docker engine runs on CI machines, so the Dockerfile is checked as text against the
repository: each top-level folder the app needs at run time is copied.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = ("app.py", ".streamlit", "model", "scenarios", "data", "ui", "report", "i18n", "docs")


def test_dockerfile_copies_everything_the_app_needs() -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    copied = set(re.findall(r"^COPY (?:--chown=\S+ )?(\S+) ", text, flags=re.M))
    missing = [p for p in RUNTIME if p not in copied]
    assert not missing, f"Dockerfile does not copy {missing}"
    for path in RUNTIME:
        assert (ROOT / path).exists(), f"{path} is listed but not in the repository"
    assert "USER app" in text and "HEALTHCHECK" in text and "_stcore/health" in text
    assert "${PORT}" in text, "the port must come from the PORT environment variable"


def test_every_top_level_package_the_app_imports_is_copied() -> None:
    imported = set()
    for py in [ROOT / "app.py", *(ROOT / "ui").rglob("*.py")]:
        imported |= set(re.findall(r"^\s*(?:from|import) (\w+)", py.read_text(), flags=re.M))
    local = {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}
    needed = (imported & local) - {"tests"}
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    for package in needed:
        assert re.search(rf"^COPY .*\b{package}\b", text, flags=re.M), f"{package} not copied"
