"""Paths and small helpers shared by the deployment tests."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
NGINX_CONF = ROOT / "deploy" / "nginx.conf"


def log_tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return f"(no log at {path})"


def require_app() -> None:
    if not APP.is_file():
        pytest.fail(f"{APP} is missing: the deployment tests run the real dashboard", False)
