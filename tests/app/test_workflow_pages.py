"""The planner's workflow across pages, headless (AppTest): the Files form follows the
scenario, the Compare tables, goal-seek and the budget envelope, the parameter tables."""

from __future__ import annotations

import re

import pytest

from model import ALL_SETTINGS, LEVERS
from model.parameters import parameter_table
from scenarios import dump_scenario, preset
from tests.app.conftest import chart_title, goto, metric_number, new_app, no_exception
from ui.i18n import catalog, fmt_num, fmt_setting, parse_num, translate

META_KEYS = ("meta_name", "meta_description", "meta_author", "meta_notes")


def _form(at) -> dict[str, str]:
    return {
        k: (
            at.text_input(key=k).value
            if k in ("meta_name", "meta_author")
            else at.text_area(key=k).value
        )
        for k in META_KEYS
    }


def test_the_files_form_shows_an_applied_file_then_the_baseline_after_reset() -> None:
    at = goto(new_app(), "files")
    at.text_input(key="meta_name").input("Typed by hand").run()
    at.text_input(key="meta_author").input("Aibek").run()
    scn = preset("roads_first").model_copy(
        update={
            "name": "Roads from a file",
            "description": "Two roads",
            "author": "Gulnara",
            "notes": "Checked",
        }
    )
    at.file_uploader(key="upload").set_value(
        ("roads.toml", dump_scenario(scn).encode(), "application/toml")
    ).run()
    at.button(key="apply_0").click().run()
    no_exception(at)
    assert _form(at) == {
        "meta_name": "Roads from a file",
        "meta_description": "Two roads",
        "meta_author": "Gulnara",
        "meta_notes": "Checked",
    }, "after 'Apply to the levers' the form must show the applied file's metadata"
    at.button(key="reset_baseline").click().run()
    no_exception(at)
    assert _form(at) == dict.fromkeys(META_KEYS, ""), "after a reset the form must be empty"


def test_the_files_form_shows_a_preset_picked_in_the_sidebar_in_the_planners_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ui.i18n

    at = goto(new_app(lang="ru"), "files")
    at.text_input(key="meta_name").input("Старое имя").run()
    # AppTest formats options outside the session: give that formatting the app's language.
    with monkeypatch.context() as m:
        m.setattr(ui.i18n, "current_lang", lambda: "ru")
        at.selectbox(key="preset_pick").set_value("sme_led").run()
    no_exception(at)
    assert at.text_input(key="meta_name").value == translate("ru", "preset.sme_led.name")
    assert at.text_area(key="meta_description").value == translate(
        "ru", "preset.sme_led.description"
    )


def test_the_files_form_names_a_scenario_moved_off_its_name_as_the_scenario_page_does() -> None:
    at = goto(new_app(), "files")
    at.text_input(key="meta_name").input("My roads").run()
    at.text_area(key="meta_description").input("Roads only").run()
    at.slider(key="infrastructure_spend").set_value(500).run()
    no_exception(at)
    changed = translate(
        "en",
        "scenario.derived",
        name="My roads",
        changes=f"{translate('en', 'lever.infrastructure_spend.label')} 500",
    )
    assert at.text_input(key="meta_name").value == changed
    assert at.text_area(key="meta_description").value == "", "a description of other levers"
    # what the planner types now names these levers, as typed
    at.text_input(key="meta_name").input("Roads 500").run()
    at.slider(key="sme_support").set_value(0).run()
    assert at.text_input(key="meta_name").value == "Roads 500"


# --- goal-seek and the budget envelope --------------------------------------------------


def _caption_texts(at) -> str:
    return " ".join(c.value for c in at.caption)


def test_the_goal_seek_budget_is_filled_in_from_the_sidebar_envelope_and_says_so() -> None:
    at = goto(new_app(budget="12000"), "goal")
    no_exception(at)
    assert parse_num(at.text_input(key="goal_budget").value, "en") == 12000
    assert translate("en", "goal.budget_from_sidebar", budget="12,000") in _caption_texts(at)
    at.text_input(key="budget_text").input("9000").run()  # the envelope moves: so does this
    assert parse_num(at.text_input(key="goal_budget").value, "en") == 9000
    at.text_input(key="goal_budget").input("15000").run()  # the planner tries another
    no_exception(at)
    assert parse_num(at.text_input(key="goal_budget").value, "en") == 15000
    assert translate("en", "goal.budget_not_sidebar", budget="9,000") in _caption_texts(at)


def test_a_goal_seek_amount_that_is_not_a_number_is_refused_in_the_planners_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import ui.i18n

    # AppTest formats options outside the session: give that formatting the app's language.
    monkeypatch.setattr(ui.i18n, "current_lang", lambda: "ru")
    at = goto(new_app(lang="ru"), "goal")
    before = at.text_input(key="goal_budget").value
    at.text_input(key="goal_budget").input("много").run()
    no_exception(at)
    errors = " ".join(e.value for e in at.error)
    assert (
        translate("ru", "goal.bad_amount", text="`много`", high="1\u00a0000\u00a0000", kept=before)
        in errors
    ), errors


def _best_mix(at, budget: str = "15000"):
    at.text_input(key="goal_budget").input(budget).run()
    at.button(key="goal_best_run").click().run()
    no_exception(at)
    return at


def test_the_goal_seek_table_shows_the_slider_values_and_costs_without_the_optimisers_value() -> (
    None
):
    at = _best_mix(goto(new_app(), "goal"))
    table = at.table[0].value
    assert table.index.name == translate("en", "goal.col_lever")
    assert list(table.columns) == [translate("en", f"goal.col_{c}") for c in ("value", "cost")]
    assert set(table.index) == {translate("en", f"lever.{k}.label") for k in LEVERS}


def test_the_goal_seek_cost_is_the_scenario_cards_cost_or_says_why_it_is_not() -> None:
    at = _best_mix(goto(new_app(), "goal"))
    cost = parse_num(
        next(m.value for m in at.metric if m.label == translate("en", "goal.cost_total")), "en"
    )
    # the cards read 2035 by default, the programme runs to 2036: the page says so
    why = " ".join(c.value for c in at.caption if "2035" in c.value)
    assert translate("en", "kpi.programme_cost_cumulative", year=2035) in why, why
    at.button(key="goal_apply_best").click().run()
    at = goto(at, "scenario")
    part = metric_number(at, "programme_cost_cumulative")
    assert f"shows {fmt_num(part, lang='en')} mln som" in why, (why, part)
    at.selectbox(key="year").set_value(2036).run()  # the programme's last year
    assert metric_number(at, "programme_cost_cumulative") == pytest.approx(cost, abs=1), (
        "the card and goal-seek give two costs for the same mix"
    )
    at = _best_mix(goto(at, "goal"))
    assert translate("en", "goal.cost_total") in [m.label for m in at.metric], "no result"
    assert not [c for c in at.caption if "2036" in c.value and "mln som for this mix" in c.value], (
        "with the cards on the last programme year there is nothing to explain"
    )


# --- compare ----------------------------------------------------------------------------


def _compare(at, *extra: str):
    at = goto(at, "compare")
    if extra:
        at.multiselect(key="compare_pick").set_value(["current", *extra]).run()
    no_exception(at)
    return at


def test_the_compare_tables_name_the_year_of_the_tables_and_explain_the_brackets() -> None:
    at = _compare(new_app(infrastructure_spend="1000"), "preset:sme_led")
    assert at.selectbox(key="compare_year").label == translate("en", "compare.year")
    assert translate("en", "compare.brackets_baseline", year=2035) in _caption_texts(at)


def test_the_table_against_a_scenario_has_the_ratio_npv_and_eirr_rows() -> None:
    at = _compare(new_app(infrastructure_spend="1000"), "preset:sme_led")
    vs_base, vs_ref = at.table[0].value, at.table[1].value
    rows = [translate("en", f"appraisal.{k}_6") for k in ("bcr", "npv", "eirr")]
    assert all(r in vs_base.index for r in rows)
    assert all(r in vs_ref.index for r in rows), list(vs_ref.index)


def test_an_unchanged_value_shows_alone_and_a_changed_one_with_its_change_in_brackets() -> None:
    at = _compare(new_app(), "preset:sme_led")  # the current levers are the baseline
    table = at.table[0].value
    grp = translate("en", "kpi.grp", year=2035)
    current = translate(
        "en", "compare.current_preset", name=translate("en", "preset.baseline.name")
    )
    assert table.loc[grp, current] == table.loc[grp, translate("en", "series.baseline")]
    sme_led = translate("en", "compare.preset_label", name=translate("en", "preset.sme_led.name"))
    assert re.fullmatch(r"[\d,]+ \[\+[\d,]+ \(\+[\d.]+ %\)\]", table.loc[grp, sme_led]), table.loc[
        grp, sme_led
    ]


def test_the_current_scenario_is_named_by_its_preset_in_the_comparison() -> None:
    at = _compare(
        new_app(
            **{
                k: str(v)
                for k, v in preset("roads_first").to_settings().items()
                if v != ALL_SETTINGS[k].default
            }
        )
    )
    name = translate(
        "en", "compare.current_preset", name=translate("en", "preset.roads_first.name")
    )
    assert name in at.table[0].value.columns
    at.slider(key="infrastructure_spend").set_value(100).run()  # off the preset
    assert translate("en", "compare.current") in at.table[0].value.columns
    assert at.multiselect(key="compare_pick").value == ["current"], "the choice was lost"


def test_the_compare_page_lists_each_scenarios_lever_settings_with_units() -> None:
    at = _compare(
        new_app(lang="ru", infrastructure_spend="1500", mining_growth="3.5"), "preset:roads_first"
    )
    table = at.table[-1].value
    assert len(table) == len(ALL_SETTINGS)
    row = (
        f"{translate('ru', 'lever.infrastructure_spend.label')} "
        f"({translate('ru', 'unit.infrastructure_spend')})"
    )
    roads = translate("ru", "compare.preset_label", name=translate("ru", "preset.roads_first.name"))
    expected = fmt_setting(
        "infrastructure_spend",
        preset("roads_first").to_settings()["infrastructure_spend"],
        lang="ru",
    )
    assert table.loc[row, translate("ru", "compare.current")] == "1\u00a0500"
    assert table.loc[row, roads] == expected
    growth = (
        f"{translate('ru', 'lever.mining_growth.label')} ({translate('ru', 'unit.mining_growth')})"
    )
    assert table.loc[growth, translate("ru", "compare.current")] == "3,5"


# --- the parameter tables, the method line, a refused file -------------------------------


def test_about_and_methodology_show_one_parameter_table_in_the_planners_language() -> None:
    shown = {}
    for page_id in ("about", "methodology"):
        at = goto(new_app(lang="ru"), page_id)
        no_exception(at)
        shown[page_id] = at.dataframe[0].value
    assert shown["about"].equals(shown["methodology"]), "two tables, two formats"
    table = shown["about"].set_index(translate("ru", "about.col.key"))
    p = {q.name: q for q in parameter_table()}["grp_2023_mln_som"]
    row = table.loc["grp_2023_mln_som"]
    assert row[translate("ru", "about.col.value")] == fmt_num(p.value, lang="ru")
    assert row[translate("ru", "about.col.name")] == translate("ru", "param.grp_2023_mln_som")
    assert row[translate("ru", "about.col.unit")] == translate(
        "ru", "param_unit.million som (2020 prices)"
    )
    units = set(table[translate("ru", "about.col.unit")])
    kinds = set(table[translate("ru", "about.col.kind")])
    assert not units & {q.unit for q in parameter_table()} - {"ha", "km", "-"}, units
    assert not kinds & {"assumption", "calibrated", "data", "derived", "literature"}, kinds


def test_every_parameter_and_unit_has_a_label_in_every_language() -> None:
    for lang in ("en", "ru", "ky"):
        cat = catalog(lang)
        assert [q.name for q in parameter_table() if f"param.{q.name}" not in cat] == []
        assert [q.unit for q in parameter_table() if f"param_unit.{q.unit}" not in cat] == []


def test_the_about_pages_method_line_is_in_the_planners_language() -> None:
    at = goto(new_app(lang="ky"), "about")
    no_exception(at)
    method = translate("ky", "about.method")
    assert method in _caption_texts(at)
    assert "bounds from parameters.csv" not in _caption_texts(at)


def test_a_refused_file_names_the_lever_by_its_label_in_the_planners_language() -> None:
    at = goto(new_app(lang="ru"), "files")
    bad = b"schema_version = 1\nname = 'x'\n[levers]\ninfrastructure_spend = 99999\n"
    at.file_uploader(key="upload").set_value(("bad.toml", bad, "application/toml")).run()
    no_exception(at)
    errors = " ".join(e.value for e in at.error)
    label = translate("ru", "lever.infrastructure_spend.label")
    assert f"«{label}» (`levers.infrastructure_spend`)" in errors, errors
    assert "5\u00a0000" in errors, "the range is not in the planner's number format"
    assert "'levers.infrastructure_spend'" not in errors


def _chart_rows(chart) -> list[dict]:
    """The data rows an Altair chart was drawn with (its Arrow datasets)."""
    import pyarrow as pa

    rows: list[dict] = []
    for dataset in chart.proto.datasets:
        for _, value in dataset.data.ListFields():
            if isinstance(value, bytes) and value:
                rows += pa.ipc.open_stream(value).read_all().to_pylist()
    return rows


def test_the_tornado_names_each_parameter_by_its_meaning_in_the_planners_language() -> None:
    at = goto(new_app(lang="ky", infrastructure_spend="1000", sme_support="100"), "analysis")
    no_exception(at)
    title = translate(
        "ky",
        "analysis.tornado_chart",
        metric=translate("ky", "analysis.metric_grp_gain"),
        year=2035,
    )
    tornado = [c for c in at.get("vega_lite_chart") if chart_title(c) == title]
    assert tornado, "no tornado chart"
    every = _chart_rows(tornado[0])
    rows = [r for r in every if "unit" in r]  # the bars (not the names, not the centre line)
    written = [r for r in every if "lines" in r]  # the names written above the bars
    names = {q.name for q in parameter_table()}
    labels = {translate("ky", f"param.{n}") for n in names}
    suffix = translate("ky", "analysis.weak_suffix")
    shown = {r["label"].removesuffix(suffix) for r in rows}
    assert shown and shown <= labels, f"not a parameter label: {shown - labels}"
    assert not {r["label"] for r in rows} & names, "code names on the tornado"
    units = {translate("ky", f"param_unit.{q.unit}") for q in parameter_table()}
    assert {r["unit"] for r in rows} <= units
    # the tooltip's meaning in Kyrgyz too (i18n/param_meaning/ky.toml)
    english = {q.meaning for q in parameter_table()}
    assert rows and not {r["meaning"] for r in rows} & english, "English meanings in ky"
    # each bar's name written once above it, whole (its lines joined give the label)
    assert sorted(r["label"] for r in written) == sorted({r["label"] for r in rows})
    assert all(" ".join(r["lines"].split("\n")) == r["label"] for r in written), written
    sentence = " ".join(m.value for m in at.markdown)
    assert not re.search(r"`[a-z_0-9]+`", sentence), "code names in the tornado sentences"


def test_the_tornados_central_line_stays_between_the_names() -> None:
    """The central value is marked in each row across its bars only, so that no name
    written over the chart's width is crossed (one line down the whole chart crossed the
    names on a phone)."""
    import pandas as pd

    from ui.charts import ROW_LINE_PX, _row_names, tornado_chart

    long = "Рынокко жетүүдөн дыйкан алган баанын өсүшү, узун аталыш экинчи сапка"
    columns = ("label", "output_low", "output_high", "weak", "meaning", "low", "high", "unit")
    frame = pd.DataFrame(
        [
            dict(zip(columns, (long, 450.0, 1060.0, True, "", 0.1, 0.3, "share"), strict=True)),
            dict(zip(columns, ("Жол", 510.0, 700.0, False, "", 1.0, 2.0, "share"), strict=True)),
        ]
    )
    names, row_px = _row_names([f"{long} (L)", "Жол"])
    assert names[0]["n"] == 2, "the test needs a name of two lines"
    kw = dict.fromkeys(("title", "x_title", "end_title", "source_title"), "x")
    kw.update(low_label="low", high_label="high", weak_label="weak", strong_label="strong")
    spec = tornado_chart(frame, **kw, weak_suffix=" (L)", central=694.0).to_dict()
    marks = [layer["mark"] for layer in spec["layer"]]
    assert not any(m["type"] == "rule" for m in marks), "a line down the whole chart"
    centre = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "tick")
    bar = next(m for m in marks if m["type"] == "bar")
    text = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "text")
    assert centre["encoding"]["y"]["field"] == "label", "not drawn row by row"
    assert text["encoding"]["yOffset"] == {"field": "at", "type": "quantitative", "scale": None}
    # a row, from its top: the name's lines, then the bar; offsets from the row's middle
    # (the names' are from the row's top: ui/charts._row_names)
    name_bottom = names[0]["top"] + 2 * ROW_LINE_PX - row_px / 2  # two lines
    tick = centre["mark"]
    tick_top, tick_bottom = tick["yOffset"] - tick["size"] / 2, tick["yOffset"] + tick["size"] / 2
    assert name_bottom < tick_top, f"the line reaches into the name ({name_bottom}, {tick_top})"
    assert tick_bottom <= row_px / 2, "the line reaches into the next row"
    assert tick["yOffset"] == bar["yOffset"], "the line is not where the bars are"


def test_the_words_over_streamlits_english_cannot_end_the_style_sheet() -> None:
    from ui.builtin_text import css_string

    text = css_string('a "quote" \\ back </style><script>x</script>\nnext')
    assert text.startswith('"') and text.endswith('"')
    inner = text[1:-1]
    assert "<" not in inner and "\n" not in inner
    assert '"' not in inner.replace('\\"', ""), "an unescaped quote ends the CSS string"


@pytest.mark.parametrize("lang", ["ru", "ky", "en"])
def test_the_about_pages_sentences_write_a_percentage_as_its_cards_do(lang: str) -> None:
    """The cards said "4,7 %", the sentence under them "4,7%": one number format."""
    at = goto(new_app(lang=lang), "about")
    no_exception(at)
    card = at.metric[0].value  # the fit's mean error, "4,7 %"
    assert card.endswith(" %"), card
    number = card.removesuffix(" %")
    sentences = " ".join(m.value for m in at.markdown)
    assert f"{number}\u00a0%" in sentences, (card, sentences[:300])
    assert not re.search(r"\d%", sentences), "a percentage glued to its number"


@pytest.mark.parametrize("lang", ["ru", "ky", "en"])
def test_the_data_sources_are_addresses_not_repository_paths(lang: str) -> None:
    """The About page's "Data sources" sent a planner to `data/` and `data/README.md` in
    the repository. It now lists each data set with its main source's address (a link a
    planner can open) and how many figures it holds, read from the data files."""
    import csv
    from pathlib import Path

    at = goto(new_app(lang=lang), "about")
    no_exception(at)
    text = " ".join(m.value for m in at.markdown)
    assert "data/README.md" not in text and "`data/`" not in text, text[-300:]
    table = at.dataframe[1].value  # after the parameter table
    cols = [translate(lang, f"about.sources_col.{c}") for c in ("topic", "figures", "link")]
    # the address beside the data set (on a phone the first columns are the ones seen)
    assert list(table.columns[:2]) == [cols[0], cols[2]], list(table.columns)
    grp = translate(lang, "methodology.file.grp")
    row = table[table[cols[0]] == grp].iloc[0]
    with (Path(__file__).resolve().parents[2] / "data" / "grp.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert int(row[cols[1]]) == sum(1 for r in rows if r["source"].strip())
    assert str(row[cols[2]]).startswith("http"), row[cols[2]]
    assert any(str(row[cols[2]]) in r["source"] for r in rows), "not an address the file cites"
    # a data set whose sources have no address (the deflator) names its source in words
    deflator = table[table[cols[0]] == translate(lang, "methodology.file.deflator")].iloc[0]
    assert deflator[cols[2]] in ("", None) or str(deflator[cols[2]]).startswith("http")
    assert "World Bank" in deflator[translate(lang, "about.sources_col.text")]
    assert "None" not in table.astype(str).to_string()
