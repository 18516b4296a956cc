"""Headless tests of the dashboard with Streamlit's AppTest (no browser)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from model import ALL_SETTINGS, CONTEXT, LEVERS, run_scenarios
from scenarios import PRESET_IDS, dump_scenario, preset
from tests.app.conftest import KPI_YEAR, goto, metric_number, new_app, no_exception
from ui.nav import PAGE_IDS


@pytest.mark.parametrize("page_id", PAGE_IDS)
def test_every_page_renders(page_id: str) -> None:
    at = new_app()
    at = goto(at, page_id)
    no_exception(at)
    assert at.title, f"page {page_id} shows no title"
    # the levers are in the sidebar on every page
    assert at.slider(key="infrastructure_spend").value == 0


def test_baseline_kpis_match_the_model() -> None:
    at = new_app()
    no_exception(at)
    frame = run_scenarios([{}]).frame(0)
    grp = float(frame.loc[frame["year"] == KPI_YEAR, "grp"].iloc[0])
    assert metric_number(at, "grp") == pytest.approx(grp, abs=1), "GRP card != model baseline"
    assert metric_number(at, "programme_cost_cumulative") == 0


UP_LEVERS = [k for k in (*LEVERS, *CONTEXT) if k != "water_availability"]


def test_water_availability_direction() -> None:
    """More water than normal only helps where the water cap binds (it does not at the
    baseline), so: a drought lowers GRP, extra water never lowers it."""
    at = new_app()
    base = metric_number(at, "grp")
    at.slider(key="water_availability").set_value(70.0).run()
    assert metric_number(at, "grp") < base, "a drought (70%) did not lower GRP"
    at.slider(key="water_availability").set_value(130.0).run()
    assert metric_number(at, "grp") >= base, "extra water (130%) lowered GRP"


@pytest.mark.parametrize("key", UP_LEVERS)
def test_each_lever_moves_grp_up(key: str) -> None:
    at = new_app()
    before_grp = metric_number(at, "grp")
    before_cost = metric_number(at, "programme_cost_cumulative")
    spec = ALL_SETTINGS[key]
    at.slider(key=key).set_value(float(min(spec.high, spec.default + 10 * spec.step))).run()
    no_exception(at)
    after_grp = metric_number(at, "grp")
    assert after_grp > before_grp, f"raising {key} did not raise GRP {KPI_YEAR}"
    after_cost = metric_number(at, "programme_cost_cumulative")
    if key in LEVERS:
        assert after_cost > before_cost, f"raising {key} did not raise the programme cost"
    else:
        assert after_cost == before_cost, f"context lever {key} changed the programme cost"


def test_reversed_years_warn_and_do_not_crash() -> None:
    at = new_app(infrastructure_spend="500")
    at.slider(key="start_year").set_value(2035).run()
    at.slider(key="end_year").set_value(2030).run()
    no_exception(at)
    assert any("before the first" in w.value for w in at.warning), "no reversed-years warning"
    # treated as a one-year programme (2035): cost to 2035 = one year of spending
    assert metric_number(at, "programme_cost_cumulative") == pytest.approx(500)


@pytest.mark.parametrize("pid", PRESET_IDS)
def test_preset_sets_the_levers(pid: str) -> None:
    at = new_app(sme_support="100")
    at.selectbox(key="preset_pick").set_value(pid).run()
    no_exception(at)
    expected = preset(pid).to_settings()
    for key, spec in ALL_SETTINGS.items():
        got = at.slider(key=key).value
        assert got == pytest.approx(expected.get(key, spec.default)), (
            f"preset {pid}: lever {key} is {got}, preset says {expected.get(key)}"
        )


def test_reset_to_baseline() -> None:
    at = new_app(infrastructure_spend="1500", water_availability="80")
    at.button(key="reset_baseline").click().run()
    no_exception(at)
    for key in ALL_SETTINGS:
        assert at.slider(key=key).value == pytest.approx(ALL_SETTINGS[key].default), key


def test_query_params_seed_the_levers() -> None:
    at = new_app(infrastructure_spend="500", water_availability="85", start_year="2030")
    no_exception(at)
    assert at.slider(key="infrastructure_spend").value == 500
    assert at.slider(key="water_availability").value == 85
    assert at.slider(key="start_year").value == 2030
    assert not at.warning, f"a valid link produced warnings: {[w.value for w in at.warning]}"
    base = new_app()
    assert metric_number(at, "grp") != metric_number(base, "grp")


@pytest.mark.parametrize(
    "key,raw",
    [
        ("infrastructure_spend", "abc"),
        ("infrastructure_spend", "99999"),
        ("infrastructure_spend", "nan"),
        ("water_availability", "-5"),
        ("mining_growth", "inf"),
        ("start_year", "2030.5"),
        ("end_year", "1999"),
    ],
)
def test_bad_link_values_warn_and_fall_back(key: str, raw: str) -> None:
    at = new_app(**{key: raw, "sme_support": "100"})
    no_exception(at)
    warnings = " ".join(w.value for w in at.warning)
    assert key in warnings and raw in warnings, f"no warning naming {key}={raw}: {warnings!r}"
    assert at.slider(key=key).value == pytest.approx(ALL_SETTINGS[key].default), (
        f"{key}={raw} did not fall back to the default"
    )
    assert at.slider(key="sme_support").value == 100, "a good value in the same link was lost"
    assert key not in at.query_params, f"the bad {key} stayed in the URL"


def test_unknown_query_keys_are_ignored() -> None:
    at = new_app(utm_source="telegram", infrastructure_spend="500")
    no_exception(at)
    assert not at.warning
    assert at.slider(key="infrastructure_spend").value == 500


def test_old_model_version_in_link_is_announced() -> None:
    at = new_app(v="0", infrastructure_spend="500")
    no_exception(at)
    # The link's own value is shown as a code span (text, never Markdown).
    assert any("model version `0`" in i.value for i in at.info), "no old-version notice"
    assert at.query_params["v"] != "0"


def test_share_link_holds_the_settings() -> None:
    at = new_app(infrastructure_spend="500", mining_growth="3.5")
    text = " ".join(c.value for c in at.code)
    assert "infrastructure_spend=500" in text and "mining_growth=3.5" in text and "v=" in text, (
        f"share link incomplete: {text!r}"
    )
    assert "apricot_price" not in text, "defaults must drop out of the share link"


def _files_page(**query: str) -> AppTest:
    return goto(new_app(**query), "files")


def test_upload_valid_file_applies_levers() -> None:
    at = _files_page()
    text = dump_scenario(preset("roads_first")).encode()
    at.file_uploader(key="upload").set_value(("roads.toml", text, "application/toml")).run()
    no_exception(at)
    assert not at.error, [e.value for e in at.error]
    at.button(key="apply_0").click().run()
    no_exception(at)
    assert at.slider(key="infrastructure_spend").value == 2000
    assert at.slider(key="road_maintenance").value == 300


@pytest.mark.parametrize(
    "content,expect",
    [
        (b"", "empty"),
        (
            b"schema_version = 1\nname = 'x'\n[levers]\ninfrastructure_spend = 99999\n",
            "infrastructure_spend",
        ),
        (b"schema_version = 1\nname = 'x'\n[levers]\nbogus = 1\n", "bogus"),
        (b"this is = = not toml", "not valid TOML"),
        (
            b"schema_version = 1\nname = 'x'\n[programme]\nstart_year = 2035\nend_year = 2030\n",
            "end_year",
        ),
    ],
)
def test_bad_upload_shows_message_and_keeps_levers(content: bytes, expect: str) -> None:
    at = _files_page(infrastructure_spend="750", sme_support="40")
    at.file_uploader(key="upload").set_value(("broken.toml", content, "application/toml")).run()
    no_exception(at)
    errors = " ".join(e.value for e in at.error)
    assert expect in errors, f"expected a message mentioning {expect!r}, got {errors!r}"
    assert not [b for b in at.button if b.key and b.key.startswith("apply_")], (
        "a refused file must not offer 'apply'"
    )
    assert at.slider(key="infrastructure_spend").value == 750
    assert at.slider(key="sme_support").value == 40


def test_pin_and_compare() -> None:
    at = new_app(infrastructure_spend="1000")
    at.text_input(key="pin_name").input("Roads 1000").run()
    at.button(key="pin_button").click().run()
    no_exception(at)
    at = goto(at, "compare")
    no_exception(at)
    assert "pin:Roads 1000" in at.multiselect(key="compare_pick").value
    at.multiselect(key="compare_pick").select("preset:sme_led").run()
    no_exception(at)
    assert len(at.table) == 3, "expected the vs-baseline, vs-reference and settings tables"


def test_every_slider_that_does_not_start_at_zero_marks_the_status_quo() -> None:
    """Issue 10, "levers in physical terms": where today's world sits on a context or
    programme slider is written under it, in the planner's language."""
    from ui.i18n import fmt_setting, translate

    at = new_app(lang="ru", water_availability="70")
    captions = [c.value for c in at.sidebar.caption]
    for key, spec in ALL_SETTINGS.items():
        if key in LEVERS:
            continue
        want = translate("ru", "sidebar.status_quo").format(
            value=fmt_setting(key, spec.default, lang="ru")
        )
        assert want in captions, f"{key}: no status-quo mark ({want!r})"
