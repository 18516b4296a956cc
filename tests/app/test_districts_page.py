"""The districts page: results by place, where the levers go, and the link that carries it."""

from __future__ import annotations

import pytest

from model import DISTRICTS, run_scenarios
from model.levers import basin_water_key, place_key
from scenarios import preset
from tests.app.conftest import goto, new_app, no_exception
from ui import districts as place
from ui.i18n import LANG_ORDER, fmt_num, translate
from ui.keys import CURRENT, PRESET_PICK

FORUM_QUERY = {
    k: (str(int(v)) if float(v).is_integer() else str(v))
    for k, v in preset("forum_2013").to_settings().items()
}


def district_table(at):
    """The results table: the page's first table (the placement summary is the second)."""
    frame = at.dataframe[0].value
    return frame.set_index(frame.columns[0])


@pytest.mark.parametrize("lang", LANG_ORDER)
def test_page_shows_every_unit_and_the_oblast_in_each_language(lang):
    at = goto(new_app(lang=lang, **FORUM_QUERY), "districts")
    no_exception(at)
    table = district_table(at)
    names = [translate(lang, f"district.{d}") for d in DISTRICTS]
    assert list(table.index) == [*names, translate(lang, "districts.oblast_total")]
    # the oblast row is the model's oblast GRP in 2035 (the default year)
    runs = run_scenarios([preset("forum_2013").to_settings()])
    grp = float(runs.frame(0).set_index("year").loc[2035, "grp"])
    cell = table.loc[
        translate(lang, "districts.oblast_total"), translate(lang, "districts.col_grp")
    ]
    assert cell.startswith(fmt_num(grp, lang=lang) + " (")
    assert at.title[0].value == translate(lang, "page.districts")


def test_a_link_places_the_levers_and_the_scenario_runs_with_them():
    at = goto(new_app(**FORUM_QUERY), "districts")
    settings = at.session_state[CURRENT]
    assert settings[place_key("irrigation_new_ha", "kadamjay")] == 70.0
    assert settings[place_key("infrastructure_spend", "leilek")] == 50.0
    summary = at.table[0].value  # the lever's name is the index
    where = dict(zip(summary.index, summary.iloc[:, 1], strict=True))
    assert "Kadamjay district 70 %" in where["New irrigated land"]
    assert where["Business credit and grants"].startswith("Oblast-wide")
    # the address bar keeps the placement (a reload keeps it)
    assert at.query_params[place_key("irrigation_new_ha", "kadamjay")] in ("70", ["70"])


def test_placing_a_lever_by_district_changes_the_results_and_the_link():
    at = goto(new_app(sme_support="500"), "districts")
    no_exception(at)
    before = district_table(at)
    at.selectbox(key=place.PLACE_LEVER).set_value("sme_support").run()
    at.radio(key=f"{place.PLACE_MODE}__sme_support").set_value("placed").run()
    no_exception(at)
    # starts from the rule (population), rounded to 5 %
    assert at.slider(key=f"{place.PLACE_W}__sme_support__kadamjay").value == 35
    for d in DISTRICTS:
        at.slider(key=f"{place.PLACE_W}__sme_support__{d}").set_value(100 if d == "sulukta" else 0)
        at.run()
    no_exception(at)
    settings = at.session_state[CURRENT]
    assert settings[place_key("sme_support", "sulukta")] == 100.0
    assert settings[place_key("sme_support", "kadamjay")] == 0.0
    assert at.query_params[place_key("sme_support", "sulukta")] in ("100", ["100"])
    after = district_table(at)
    col = "Jobs"
    assert after.loc["Sulukta city", col] != before.loc["Sulukta city", col]
    # back to the rule: the shares are cleared and the link drops them
    at.button(key="place_reset").click().run()
    no_exception(at)
    settings = at.session_state[CURRENT]
    assert all(settings[place_key("sme_support", d)] == 0.0 for d in DISTRICTS)
    assert place_key("sme_support", "sulukta") not in at.query_params


def test_a_basin_drought_set_on_the_page_reaches_the_model():
    at = goto(new_app(), "districts")
    at.slider(key=f"{place.BASIN_W}__sokh").set_value(50).run()
    no_exception(at)
    assert at.session_state[CURRENT][basin_water_key("sokh")] == 50.0
    assert any("Sokh" in w.value for w in at.warning)


def test_a_bad_link_value_is_refused_with_a_message_and_dropped():
    at = goto(new_app(**{place_key("sme_support", "leilek"): "250"}), "districts")
    no_exception(at)
    assert any("250" in w.value for w in at.warning)
    assert at.session_state[CURRENT][place_key("sme_support", "leilek")] == 0.0
    assert place_key("sme_support", "leilek") not in at.query_params


def test_presets_and_reset_set_the_placement_too():
    at = goto(new_app(), "districts")
    at.selectbox(key=PRESET_PICK).set_value("forum_2013").run()
    no_exception(at)
    assert at.session_state[CURRENT][place_key("irrigation_new_ha", "kadamjay")] == 70.0
    at.button(key="reset_baseline").click().run()
    no_exception(at)
    assert at.session_state[CURRENT][place_key("irrigation_new_ha", "kadamjay")] == 0.0


def test_schematic_names_every_basin_and_unit():
    at = goto(new_app(), "districts")
    dot = at.get("graphviz_chart")[0].proto.spec
    for b in ("Isfara", "Sokh", "Isfayram-Say and Shakhimardan", "Khodzha-Bakirgan (Leilek)"):
        assert b in dot
    for d in DISTRICTS:
        assert f"d_{d}" in dot


def test_an_old_file_says_it_is_spread_by_the_rules_and_a_new_one_says_where():
    from ui.districts import placement_lines

    lines = placement_lines(preset("forum_2013").to_settings())
    assert any("Kadamjay district 70 %" in line for line in lines)
    assert placement_lines(preset("roads_first").to_settings()) == []
    from scenarios import load_scenario

    old = load_scenario('schema_version = 2\nname = "old"\n[levers]\nsme_support = 9.0\n')
    assert old.upgrade_note() is not None
    text = translate("en", "districts.old_file", version=old.schema_version)
    assert "oblast-wide rules" in text and str(old.schema_version) in text


def test_a_preset_with_its_placement_changed_is_no_longer_that_preset():
    from ui.state import matching_preset

    forum = preset("forum_2013").to_settings()
    assert matching_preset(forum) == "forum_2013"
    moved = {**forum, place_key("irrigation_new_ha", "leilek"): 50.0}
    assert matching_preset(moved) is None


def test_the_range_of_each_units_gain_comes_from_the_monte_carlo():
    at = goto(new_app(**FORUM_QUERY), "districts")
    at.toggle(key="district_bands").set_value(True).run()
    no_exception(at)
    bands = at.dataframe[1].value  # after the results table
    assert len(bands) == len(DISTRICTS)
    assert list(bands.iloc[:, 0]) == [translate("en", f"district.{d}") for d in DISTRICTS]
    # every unit's 90 % range has width: the parameters, district shares among them, vary
    for text in bands.iloc[:, 2]:
        low, high = (float(v.replace(",", "")) for v in text.split(" … "))
        assert low < high, text


def test_compare_lists_where_each_scenario_puts_its_levers():
    at = goto(new_app(sme_support="300"), "compare")
    at.multiselect(key="compare_pick").set_value(["current", "preset:forum_2013"]).run()
    no_exception(at)
    table = at.table[-1].value
    row = table.loc[translate("en", "page.districts")]
    forum = translate("en", "compare.preset_label", name=translate("en", "preset.forum_2013.name"))
    assert "Kadamjay district 70 %" in row[forum]
    assert row[translate("en", "compare.current")] == translate("en", "districts.mode_rule")
