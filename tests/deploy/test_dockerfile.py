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


def test_the_files_the_image_gets_are_enough_to_run_every_page(tmp_path: Path) -> None:
    """Copy exactly what the Dockerfile copies and run every page from that folder alone
    (a stand-in for `docker build` + `docker run`, which need an engine CI lacks)."""
    import os
    import shutil
    import subprocess
    import sys

    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    for src, dest in re.findall(r"^COPY (?:--chown=\S+ )?(\S+) (\S+)$", text, flags=re.M):
        if src == "requirements.txt":
            continue
        target = tmp_path / (src if dest in (".", "./") else dest.removeprefix("./"))
        if (ROOT / src).is_dir():
            shutil.copytree(ROOT / src, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(ROOT / src, target)
    script = (
        "from streamlit.testing.v1 import AppTest\n"
        "from streamlit.navigation.page import calc_hash\n"
        "from ui.nav import PAGE_IDS\n"
        "import ui, sys\n"
        "assert ui.__file__.startswith(sys.argv[1]), ui.__file__\n"
        "for pid in PAGE_IDS:\n"
        "    at = AppTest.from_file('app.py', default_timeout=60)\n"
        "    at._page_hash = calc_hash(pid)\n"
        "    at.run()\n"
        "    assert not at.exception, (pid, [e.message for e in at.exception])\n"
        "print('ok', len(PAGE_IDS))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    res = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert res.returncode == 0 and "ok" in res.stdout, (
        "the app does not run from the files the Dockerfile copies:\n"
        + res.stdout[-2000:]
        + res.stderr[-3000:]
    )
