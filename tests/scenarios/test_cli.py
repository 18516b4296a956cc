"""The command line: run writes one row per year; bad input exits non-zero with one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
PRESET = ROOT / "scenarios" / "presets" / "forum_2013.toml"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "model", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_run_writes_one_row_per_year(tmp_path):
    out = tmp_path / "r.csv"
    res = cli("run", str(PRESET), "--out", str(out))
    assert res.returncode == 0, res.stderr
    frame = pd.read_csv(out)
    required = [
        "year",
        "grp",
        "grp_per_capita",
        "population",
        "irrigated_ha",
        "road_km_good",
        "sme_count",
        "jobs",
        "programme_cost",
    ]
    assert set(required) <= set(frame.columns)
    assert frame["year"].tolist() == list(range(2007, 2041))
    assert frame.loc[frame.year == 2029, "programme_cost"].iloc[0] > 0
    assert frame.loc[frame.year == 2035, "programme_cost"].iloc[0] == 0


def test_validate_accepts_good_and_refuses_bad_files(tmp_path):
    assert cli("validate", str(PRESET)).returncode == 0
    bad = tmp_path / "bad.toml"
    bad.write_text('schema_version = 1\nname = "x"\n[levers]\nsme_support = -3\n')
    res = cli("validate", str(bad))
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "levers.sme_support" in lines[0], res.stderr
    missing = cli("run", str(tmp_path / "nope.toml"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr


def test_calibrate_check_reproduces_the_stored_calibration():
    res = cli("calibrate", "--check")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "reproduces" in res.stdout


def test_validate_refuses_hostile_files_in_one_line_without_a_traceback(tmp_path):
    """A number of 5,000 digits (int() raises ValueError), a header of 100,000 dotted
    parts (quadratic in tomllib), a duplicate JSON key: each one line naming the problem."""
    files = {
        "digits.toml": 'schema_version = 1\nname = "x"\n[levers]\nsme_support = ' + "9" * 5000,
        "digits.json": '{"schema_version": 1, "name": "x", "sme_support": ' + "9" * 5000 + "}",
        "dotted.toml": "[" + "a." * 100_000 + "a]\n",
        "twice.json": '{"schema_version": 1, "name": "a", "name": "b"}',
    }
    expected = {
        "digits.toml": "5000 digits",
        "digits.json": "5000 digits",
        "dotted.toml": "levels deep",
        "twice.json": "appears twice",
    }
    for name, text in files.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        res = cli("validate", str(path))
        assert res.returncode == 2, (name, res.stdout, res.stderr)
        assert "Traceback" not in res.stderr, res.stderr
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1 and expected[name] in lines[0], (name, res.stderr)
