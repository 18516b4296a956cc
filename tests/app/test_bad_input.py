"""The bad-input catalogue (docs/bad-input.md): the rows not covered elsewhere.

Links: repeated keys, a 10,000-character value; files: markup and very long non-Latin
names; extreme but valid scenarios. Plus property-based tests of the link decoder.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import ALL_SETTINGS, LEVERS
from scenarios import Scenario, dump_scenario
from tests.app.test_app import goto, metric_number, new_app, no_exception
from ui.links import format_value, value_problem


def test_repeated_link_keys_warn_and_fall_back() -> None:
    """?infrastructure_spend=500&infrastructure_spend=900: ambiguous, so refused."""
    from streamlit.testing.v1 import AppTest

    from tests.app.test_app import APP, TIMEOUT

    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["infrastructure_spend"] = ["500", "900"]
    at.query_params["sme_support"] = "100"
    at.run()
    no_exception(at)
    warnings = " ".join(w.value for w in at.warning)
    assert "infrastructure_spend" in warnings, f"no warning for a repeated key: {warnings!r}"
    assert at.slider(key="infrastructure_spend").value == 0
    assert at.slider(key="sme_support").value == 100


def test_a_ten_thousand_character_value_is_refused_and_shown_short() -> None:
    raw = "9" * 10_000
    at = new_app(road_maintenance=raw)
    no_exception(at)
    warnings = " ".join(w.value for w in at.warning)
    assert "road_maintenance" in warnings
    assert len(warnings) < 2_000, "the warning repeats the whole 10,000-character value"
    assert at.slider(key="road_maintenance").value == 0


def test_all_levers_at_maximum_for_the_whole_horizon_runs_clean() -> None:
    """Extreme but valid: every lever at its maximum from 2024 to 2040."""
    query = {k: str(int(s.high)) for k, s in LEVERS.items()}
    at = new_app(**query, start_year="2024", end_year="2040")
    no_exception(at)
    refused = [w.value for w in at.warning if w.icon == ":material/link_off:"]
    assert not refused, f"valid extreme values were refused: {refused}"
    feasibility = " ".join(w.value for w in at.warning)
    assert feasibility, "roads at the network and land beyond the water should be flagged"
    for kpi in ("grp", "jobs", "sme_count", "programme_cost_cumulative", "bcr"):
        value = metric_number(at, kpi)
        assert math.isfinite(value) and value > 0, f"{kpi} shows {value}"


@pytest.mark.parametrize("name", [
    "<script>alert('x')</script><img src=x onerror=alert(1)>",
    "Баткен облусу: өрүк, суу жана жолдор — " * 3,
    "ش" * 120,
])
def test_markup_and_long_non_latin_names_load_as_plain_text(name: str) -> None:
    """Names and notes from a file are text, shown escaped (never as HTML)."""
    s = Scenario.from_settings({"sme_support": 50.0}, name=name[:120],
                               notes="<b>bold?</b> <script>x</script>")
    at = goto(new_app(), "files")
    at.file_uploader(key="upload").set_value(("n.toml", dump_scenario(s).encode(),
                                              "application/toml")).run()
    no_exception(at)
    assert not at.error, [e.value for e in at.error]
    for element in (*at.markdown, *at.caption, *at.info, *at.success):
        assert not getattr(element.proto, "allow_html", False) or "<script" not in element.value, (
            "text from a file reached an element that renders HTML")


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(sorted(ALL_SETTINGS)), st.text(max_size=60))
def test_link_decoder_never_crashes_and_accepts_only_valid_values(key: str, raw: str) -> None:
    """Any text in a link either is refused or is a finite, in-range value."""
    if value_problem(key, raw):
        return
    value = float(raw.strip())
    spec = ALL_SETTINGS[key]
    assert math.isfinite(value) and spec.low <= value <= spec.high


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_link_values_round_trip(data) -> None:
    """A setting written into a link reads back as the same number and is accepted."""
    key = data.draw(st.sampled_from(sorted(ALL_SETTINGS)))
    spec = ALL_SETTINGS[key]
    if key in ("start_year", "end_year"):
        value = float(data.draw(st.integers(int(spec.low), int(spec.high))))
    else:
        value = data.draw(st.floats(spec.low, spec.high, allow_nan=False))
    text = format_value(key, value)
    assert not value_problem(key, text), f"{key}={text} refused after writing it"
    assert float(text) == value


@pytest.mark.parametrize(("lang", "words"), [
    ("ru", ("число", "млн сом")),
    ("ky", ("сан", "млн сом")),
])
def test_file_errors_speak_the_planners_language(lang: str, words: tuple[str, str]) -> None:
    """Type and range errors from a file use the planner's language, units included."""
    at = goto(new_app(lang=lang), "files")
    bad_type = b'schema_version = 1\nname = "x"\n[levers]\nsme_support = "many"\n'
    at.file_uploader(key="upload").set_value(("t.toml", bad_type, "application/toml")).run()
    no_exception(at)
    message = " ".join(e.value for e in at.error)
    assert words[0] in message and "number" not in message, message
    bad_range = b'schema_version = 1\nname = "x"\n[levers]\nsme_support = 5000\n'
    at.file_uploader(key="upload").set_value(("r.toml", bad_range, "application/toml")).run()
    message = " ".join(e.value for e in at.error)
    assert words[1] in message and "million som" not in message, message

