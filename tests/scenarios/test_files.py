"""Scenario files: presets validate and round-trip; every kind of bad file is refused
with a message that names the field."""

from __future__ import annotations

import json

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from model import LEVERS, run_scenarios
from scenarios import (
    MAX_FILE_BYTES,
    PRESET_IDS,
    SCHEMA_VERSION,
    Scenario,
    ScenarioError,
    dump_scenario,
    load_scenario,
    presets,
)

GOOD = """schema_version = 1
name = "Test"
description = "A test scenario"

[levers]
infrastructure_spend = 500.0
irrigation_new_ha = 1000.0

[programme]
start_year = 2027
end_year = 2030
"""


def test_all_presets_exist_validate_and_have_sourced_descriptions():
    """Six presets, each with a name and a description that says where figures come from."""
    ps = presets()
    assert list(ps) == list(PRESET_IDS)
    assert {
        "baseline",
        "forum_2013",
        "irrigation_2017_2025",
        "roads_first",
        "sme_led",
        "drought_stress",
    } == set(ps)
    for pid, s in ps.items():
        assert s.name and len(s.description) > 80, pid
    assert all(v == 0 for v in ps["baseline"].levers.model_dump().values())
    forum = ps["forum_2013"].description
    assert "124 km" in forum and "3,498 ha" in forum and "R-4" in forum


@pytest.mark.parametrize("pid", PRESET_IDS)
@pytest.mark.parametrize("fmt", ["toml", "json"])
def test_presets_round_trip(pid, fmt):
    """load -> save -> load gives the same scenario and identical model results."""
    original = presets()[pid]
    text = dump_scenario(original, fmt)
    again = load_scenario(text, f"x.{fmt}")
    assert again == original
    a = run_scenarios([original.to_settings()]).scenario["grp"]
    b = run_scenarios([again.to_settings()]).scenario["grp"]
    assert_array_equal(a, b)


def test_a_good_file_loads_with_defaults_for_missing_levers():
    s = load_scenario(GOOD, "good.toml")
    assert s.levers.infrastructure_spend == 500
    assert s.levers.sme_support == 0
    assert s.programme.end_year == 2030
    assert s.context.water_availability == 100


def reason(text: str | bytes, filename: str = "bad.toml") -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        load_scenario(text, filename)
    return info.value


def with_line(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new)


@pytest.mark.parametrize(
    ("text", "code", "field"),
    [
        ("", "empty", ""),
        ("   \n\n", "empty", ""),
        ('schema_version = 1\nname = "x"\nlevers = [', "syntax", ""),
        (
            with_line("infrastructure_spend = 500.0", "infrastructure_spend = -5.0"),
            "out_of_range",
            "levers.infrastructure_spend",
        ),
        (
            with_line("infrastructure_spend = 500.0", "infrastructure_spend = 1e9"),
            "out_of_range",
            "levers.infrastructure_spend",
        ),
        (
            with_line("infrastructure_spend = 500.0", "infrastructure_spend = nan"),
            "not_finite",
            "levers.infrastructure_spend",
        ),
        (
            with_line("infrastructure_spend = 500.0", "infrastructure_spend = inf"),
            "not_finite",
            "levers.infrastructure_spend",
        ),
        (
            with_line("infrastructure_spend = 500.0", 'infrastructure_spend = "lots"'),
            "wrong_type",
            "levers.infrastructure_spend",
        ),
        (
            with_line("infrastructure_spend = 500.0", "infrastructure_spend = true"),
            "wrong_type",
            "levers.infrastructure_spend",
        ),
        (
            with_line("infrastructure_spend = 500.0", "road_spend = 5.0"),
            "unknown_field",
            "levers.road_spend",
        ),
        (GOOD + 'colour = "red"\n', "unknown_field", "programme.colour"),
        ("extra = 1\n" + GOOD, "unknown_field", "extra"),
        (GOOD.replace("schema_version = 1\n", ""), "missing_field", "schema_version"),
        (GOOD.replace('name = "Test"\n', ""), "missing_field", "name"),
        (
            with_line("schema_version = 1", f"schema_version = {SCHEMA_VERSION + 1}"),
            "newer_version",
            "schema_version",
        ),
        (with_line("schema_version = 1", "schema_version = 0"), "bad_version", "schema_version"),
        (
            with_line("schema_version = 1", 'schema_version = "one"'),
            "bad_version",
            "schema_version",
        ),
        (with_line("end_year = 2030", "end_year = 2025"), "years_order", "programme.end_year"),
        (
            with_line("start_year = 2027", "start_year = 2027.5"),
            "wrong_type",
            "programme.start_year",
        ),
        (
            with_line("start_year = 2027", "start_year = 2010"),
            "out_of_range",
            "programme.start_year",
        ),
        (with_line('name = "Test"', 'name = ""'), "text_length", "name"),
        (with_line('name = "Test"', f'name = "{"x" * 500}"'), "text_length", "name"),
        (with_line('name = "Test"', 'name = "a\\u0007b"'), "control_chars", "name"),
        ('levers = 5\nschema_version = 1\nname = "x"\n', "wrong_type", "levers"),
    ],
)
def test_bad_files_are_refused_naming_the_field(text, code, field):
    err = reason(text)
    assert err.code == code, str(err)
    assert err.field == field
    message = str(err)
    assert message and "\n" not in message
    if field:
        assert field in message


def test_binary_and_oversized_files_are_refused():
    assert reason(b"\x89PNG\r\n\x1a\n\x00\x00\x00").code == "not_text"
    assert reason(b"\xff\xfe\xfa bad utf8").code == "not_text"
    big = GOOD + "# " + "x" * (MAX_FILE_BYTES + 10) + "\n"
    assert reason(big).code == "too_large"
    assert reason(b"x" * (5 * 1024 * 1024)).code == "too_large"


def test_json_files_and_json_specials():
    data = json.loads(dump_scenario(presets()["roads_first"], "json"))
    assert load_scenario(json.dumps(data), "s.json").levers.infrastructure_spend == 2000
    data["levers"]["sme_support"] = float("nan")
    err = reason(json.dumps(data), "s.json")  # Python writes NaN, which JSON readers accept
    assert (err.code, err.field) == ("not_finite", "levers.sme_support")
    assert reason("[1, 2, 3]", "s.json").code == "not_table"
    assert reason('{"schema_version": 1,', "s.json").code == "syntax"


def test_html_and_non_latin_text_are_kept_verbatim():
    """Names are data: markup is stored as typed (the UI never renders it as HTML)."""
    name = "<script>alert(1)</script> Баткен — Баткенская область ӨҮҢ"
    s = Scenario.from_settings({"sme_support": 50.0}, name=name, notes="<b>x</b>")
    again = load_scenario(dump_scenario(s), "x.toml")
    assert again.name == name and again.notes == "<b>x</b>"


def test_a_refused_file_is_all_or_nothing():
    """One bad value refuses the whole file: no partial scenario comes back."""
    text = with_line("irrigation_new_ha = 1000.0", "irrigation_new_ha = -1.0")
    with pytest.raises(ScenarioError):
        load_scenario(text, "x.toml")


def test_every_lever_is_in_the_schema_with_the_model_bounds():
    fields = Scenario.model_fields["levers"].annotation.model_fields
    assert set(fields) == set(LEVERS)
    for key, spec in LEVERS.items():
        s = Scenario.from_settings({key: spec.high}, name="edge")
        assert s.to_settings()[key] == spec.high
        with pytest.raises(ScenarioError):
            load_scenario(
                with_line("infrastructure_spend = 500.0", f"{key} = {spec.high + 1}"), "x.toml"
            )
    assert np.isfinite(list(Scenario.from_settings({}, name="d").to_settings().values())).all()
