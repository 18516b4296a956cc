"""The page shows the appraisal the command line prints: same function, same numbers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from scenarios import preset
from ui.i18n import catalog, fmt_num

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def card(at: AppTest, key: str):
    """The KPI card whose label is the catalog's ``kpi.<key>``."""
    label = catalog("en")[f"kpi.{key}"]
    found = [m for m in at.metric if m.label == label]
    assert found, f"no card {label!r}; cards: {[m.label for m in at.metric]}"
    return found[0]


@pytest.mark.parametrize("pid", ["forum_2013", "irrigation_2017_2025", "sme_led"])
def test_cards_show_what_appraise_json_prints(pid: str) -> None:
    settings = preset(pid).to_settings()
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in settings.items():
        at.query_params[k] = str(int(v)) if float(v).is_integer() else str(v)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    path = ROOT / "scenarios" / "presets" / f"{pid}.toml"
    printed = json.loads(
        subprocess.run(
            [sys.executable, "-m", "model", "appraise", str(path), "--json"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    assert card(at, "bcr").value == fmt_num(printed["bcr"], 2, lang="en")
    assert card(at, "npv").value == fmt_num(printed["npv"], lang="en")
    # the card's help names the discounted benefit, cost, horizon and the EIRR
    help_text = card(at, "bcr").help
    assert fmt_num(printed["pv_benefit"], lang="en") in help_text
    assert fmt_num(printed["pv_cost"], lang="en") in help_text
    assert str(printed["horizon"]) in help_text
    eirr = "n/a" if printed["eirr"] is None else f"{fmt_num(100 * printed['eirr'], 1, lang='en')} %"
    assert eirr in help_text


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_on_the_baseline_the_appraisal_cards_say_no_programme_under_a_dash(lang: str) -> None:
    """Nothing to appraise: a dash as the value (short enough for a phone's card) and
    "no programme" under it, grey and without an arrow; with a programme, the figures."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    for key in ("bcr", "npv"):
        label = catalog(lang)[f"kpi.{key}"]
        (metric,) = [m for m in at.metric if m.label == label]
        assert metric.value == "—"
        assert metric.delta == catalog(lang)["kpi.no_programme"]
        from streamlit.proto.Metric_pb2 import Metric as MetricProto

        assert metric.proto.direction == MetricProto.MetricDirection.NONE, "no arrow"
        assert metric.proto.color == MetricProto.MetricColor.GRAY, "grey, not green or red"
    with_programme = AppTest.from_file(APP, default_timeout=60)
    with_programme.query_params["lang"] = lang
    with_programme.query_params["sme_support"] = "200"
    with_programme.run()
    bcr = next(m for m in with_programme.metric if m.label == catalog(lang)["kpi.bcr"])
    assert bcr.value != "—" and not bcr.delta
