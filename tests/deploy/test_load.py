"""The load script, small: 3 sessions for ~5 s against the real app.py.

If this fails, the report printed below says which: the script could not drive
the app (protocol/startup), the app raised during reruns (errors by kind, with
samples), or no rerun finished at all.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.deploy.helpers import APP, ROOT, log_tail, require_app

pytestmark = pytest.mark.load


def test_load_small_has_no_errors(tmp_path):
    require_app()
    out, log = tmp_path / "load.json", tmp_path / "server.log"
    cmd = [
        sys.executable,
        str(ROOT / "bench" / "load_test.py"),
        "--start",
        str(APP),
        "--sessions",
        "3",
        "--duration",
        "5",
        "--ramp",
        "0.5",
        "--json",
        str(out),
        "--server-log",
        str(log),
    ]
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=38)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(
            f"LOAD SCRIPT HUNG (> 38 s)\n{exc.stdout}\n{exc.stderr}\n"
            f"--- server log\n{log_tail(log)}",
            False,
        )
    report = f"{proc.stdout}\n{proc.stderr[-3000:]}\n--- server log\n{log_tail(log)}"
    assert out.is_file(), f"LOAD SCRIPT DID NOT RUN (exit {proc.returncode}):\n{report}"
    result = json.loads(out.read_text())
    assert result["sliders_per_session"] > 0, f"LOAD: no slider found in app.py:\n{report}"
    assert result["errors"] == 0, f"LOAD: {result['errors']} errors under load:\n{report}"
    assert result["reruns"] > 0, f"LOAD: no rerun finished:\n{report}"
    assert proc.returncode == 0, report
