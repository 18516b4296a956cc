"""The planner's workflow, headless: a changed preset is named as what it now is."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from scenarios import preset
from tests.app.conftest import APP, TIMEOUT, no_exception
from ui.i18n import translate


def test_a_changed_preset_is_named_as_derived_and_loses_its_description() -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.selectbox(key="preset_pick").set_value("forum_2013").run()
    no_exception(at)
    name = translate("en", "preset.forum_2013.name")
    assert any(name in c.value for c in at.caption), "the preset is not named after picking it"
    assert at.expander, "a picked preset shows what it is"
    at.slider(key="infrastructure_spend").set_value(2500.0).run()
    no_exception(at)
    label = translate("en", "lever.infrastructure_spend.label")
    derived = translate("en", "scenario.derived", name=name, changes=f"{label} 2,500")
    assert any(derived in c.value for c in at.caption), [c.value for c in at.caption][:3]
    # the preset's description (1,850 million som a year) would contradict the levers now
    assert not any(translate("en", "scenario.about_preset") in e.label for e in at.expander)
    # moving the lever back restores the preset's own name and description
    at.slider(key="infrastructure_spend").set_value(
        preset("forum_2013").to_settings()["infrastructure_spend"]
    ).run()
    assert not any(derived in c.value for c in at.caption)
    assert any(translate("en", "scenario.about_preset") in e.label for e in at.expander)


def test_uncertainty_bands_keep_the_line_legend() -> None:
    """With bands on, the chart still says which line is the baseline, the scenario and
    the record: no layer switches the shared colour legend off."""
    import pandas as pd

    from ui.charts import line_chart_spec

    lines = pd.DataFrame({"year": [2030, 2031], "series": ["A", "A"], "value": [1.0, 2.0]})
    areas = pd.DataFrame(
        {
            "year": [2030, 2031],
            "series": ["A", "A"],
            "lo": [0.5, 1.5],
            "hi": [1.5, 2.5],
            "level": ["90 %", "90 %"],
        }
    )
    spec = line_chart_spec(
        lines,
        areas=areas,
        title="t",
        x_title="x",
        y_title="y",
        series_title="s",
        colors={"A": "#000", "B": "#111"},
        area_title="band",
    )
    colors = [
        layer["encoding"]["color"]
        for layer in spec["layer"]
        if "color" in layer.get("encoding", {})
    ]
    assert len(colors) >= 2, "bands and lines both coloured by series"
    assert all(c.get("legend", {}) is not None for c in colors), colors


def test_the_budget_box_refuses_what_it_cannot_use_and_keeps_the_budget() -> None:
    """-5, 2,000,000 and "abc" are named and refused (the budget stays); 20.5 is kept as
    20.5, not cut to 20; an empty box means no budget."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    box = at.text_input(key="budget_text")
    box.set_value("15000").run()
    assert at.session_state["budget"] == 15000
    for bad in ("-5", "2000000", "abc"):
        at.text_input(key="budget_text").set_value(bad).run()
        no_exception(at)
        errors = [e.value for e in at.error]
        assert any(bad in e and "15,000" in e for e in errors), (bad, errors)
        assert at.session_state["budget"] == 15000, f"{bad} changed the budget"
    at.text_input(key="budget_text").set_value("20.5").run()
    assert at.session_state["budget"] == 20.5 and not at.error
    at.text_input(key="budget_text").set_value("").run()
    assert at.session_state["budget"] == 0 and not at.error


def test_undo_and_redo_step_through_whole_planner_actions() -> None:
    """A preset is one action: undo returns to the levers before it, whole; redo goes
    forward again; a new change after an undo drops the redo."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    assert at.button(key="undo").disabled and at.button(key="redo").disabled
    at.slider(key="sme_support").set_value(100.0).run()
    at.selectbox(key="preset_pick").set_value("forum_2013").run()
    forum = preset("forum_2013").to_settings()
    assert at.slider(key="infrastructure_spend").value == forum["infrastructure_spend"]
    at.button(key="undo").click().run()
    no_exception(at)
    assert at.slider(key="infrastructure_spend").value == 0
    assert at.slider(key="sme_support").value == 100, "undo went back further than one action"
    assert not at.button(key="redo").disabled
    at.button(key="redo").click().run()
    assert at.slider(key="infrastructure_spend").value == forum["infrastructure_spend"]
    at.button(key="undo").click().run()
    at.slider(key="sme_support").set_value(200.0).run()
    assert at.button(key="redo").disabled, "a new change after an undo keeps no redo"
    at.button(key="undo").click().run()
    assert at.slider(key="sme_support").value == 100
    # the undone preset took its name along
    name = translate("en", "preset.forum_2013.name")
    assert not any(name in c.value for c in at.caption), [c.value for c in at.caption][:2]


def test_money_levers_say_what_they_buy() -> None:
    """Road money in km (with the trunk share set later in the sidebar), storage in
    hectares of water, business money in businesses."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(
        infrastructure_spend="1490",
        road_trunk_share="100",
        water_storage_mcm="10",
        sme_support="100",
    )
    at.run()
    captions = " | ".join(c.value for c in at.sidebar.caption)
    from model import ParameterSet
    from ui.i18n import fmt_num

    c = {k: float(v[0, 0]) for k, v in ParameterSet.central().items()}
    trunk = 1490 * c["road_efficiency"] / c["road_trunk_cost_mln_som_per_km"]
    assert (
        translate(
            "en",
            "buys.roads",
            trunk=fmt_num(trunk, lang="en"),
            local="0",
            c_trunk=fmt_num(c["road_trunk_cost_mln_som_per_km"], 1, lang="en"),
            c_local=fmt_num(c["road_local_cost_mln_som_per_km"], 1, lang="en"),
        )
        in captions
    ), captions
    water = fmt_num(10 * c["storage_ha_per_mcm"], lang="en")
    assert f"{water} more hectares" in captions, captions
    reached = fmt_num(100 / c["sme_loan_size_mln_som"], lang="en")
    assert f"≈ {reached} businesses reached" in captions, captions


def test_the_scenario_page_itself_warns_beyond_water_and_budget() -> None:
    """On a phone the sidebar is closed: the page repeats its warnings."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(irrigation_new_ha="4000", budget="1000")
    at.run()
    no_exception(at)
    texts = " ".join(w.value for w in at.main.warning)
    water = translate("en", "budget.water", year=0, equipped=0, cap=0).split("0")[0][:25]
    assert water in texts, texts[:300]
    over = translate("en", "budget.over", over=0, cost=0, budget=0, start=0, end=0)
    assert over.split("0")[0][:15] in texts, texts[:300]


def test_an_uploaded_file_shows_what_it_would_change_before_it_is_applied() -> None:
    from streamlit.navigation.page import calc_hash

    from scenarios import dump_scenario

    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["infrastructure_spend"] = "500"
    at.run()
    at._page_hash = calc_hash("files")  # private: see tests/app/conftest.goto
    at.run()
    text = dump_scenario(preset("roads_first")).encode()
    at.file_uploader(key="upload").set_value(("roads.toml", text, "application/toml")).run()
    no_exception(at)
    table = at.table[0].value
    label = translate("en", "lever.infrastructure_spend.label")
    rows = {r for r in table[translate("en", "files.preview_lever")] if label in r}
    assert rows, table
    row = table[table[translate("en", "files.preview_lever")].str.contains(label)].iloc[0]
    assert row[translate("en", "files.preview_now")] == "500"
    assert row[translate("en", "files.preview_file")] == "2,000"
    assert at.slider(key="infrastructure_spend").value == 500, "nothing applied before Apply"


def test_one_click_shows_what_a_change_adds_to_a_preset() -> None:
    """Forum plan with more road money, compared against the forum plan itself: the GRP
    card's arrow is the difference from the forum plan, not from the baseline."""
    from model import run_scenarios
    from ui.i18n import fmt_signed

    forum = preset("forum_2013").to_settings()
    mine = {**forum, "infrastructure_spend": 2500.0}
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update({k: f"{v:g}" for k, v in mine.items()})
    at.run()
    at.selectbox(key="reference").set_value("preset:forum_2013").run()
    no_exception(at)
    runs = run_scenarios([mine, forum])
    col = 2035 - 2007
    gain = runs.scenario["grp"][0, col] - runs.scenario["grp"][1, col]
    card = next(m for m in at.metric if m.label.startswith("GRP 2035"))
    assert card.delta.startswith(fmt_signed(gain, 0, lang="en")), (card.delta, gain)
    assert any(translate("en", "preset.forum_2013.name") in c.value for c in at.caption)


def test_a_link_that_opens_a_preset_names_it_in_the_file_and_when_changed() -> None:
    """A shared link of the forum plan opened the preset's levers, and the Scenario page
    named it, but the Files page offered "My scenario" and saved the file under that name
    with no description; moving a lever then said "your own scenario", not "forum plan,
    changed: ...". A link that opens a preset is the preset, as a pick from the list is."""
    from urllib.parse import parse_qsl, urlencode

    from scenarios.settings import Settings
    from tests.app.conftest import goto, new_app
    from ui.i18n import fmt_setting

    query = dict(
        parse_qsl(urlencode(Settings.from_mapping(preset("forum_2013").to_settings()).to_query()))
    )
    at = goto(new_app(lang="ru", **query), "files")
    no_exception(at)
    name = translate("ru", "preset.forum_2013.name")
    assert at.text_input(key="meta_name").value == name
    assert at.text_area(key="meta_description").value == translate(
        "ru", "preset.forum_2013.description"
    )
    button = next(b for b in at.get("download_button") if b.proto.id.endswith("download_toml"))
    assert button.proto.url, button.proto
    at = goto(at, "scenario")
    at.slider(key="infrastructure_spend").set_value(2500.0).run()
    no_exception(at)
    label = translate("ru", "lever.infrastructure_spend.label")
    shown = fmt_setting("infrastructure_spend", 2500.0, lang="ru")
    derived = translate("ru", "scenario.derived", name=name, changes=f"{label} {shown}")
    derived = derived.replace("\u00a0", " ")  # as a code span writes it (ui/plain.code)
    assert any(derived in c.value for c in at.caption), [c.value for c in at.caption][:3]
