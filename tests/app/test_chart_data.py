"""The GRP chart's data reach the browser whole when they go as Arrow built from rows
(ui/figures.py ``arrow_rows``) instead of through a pandas frame per dataset."""

from __future__ import annotations

import math

import pyarrow as pa
from numpy.testing import assert_allclose

from tests.app.conftest import chart_title, new_app, no_exception
from ui.figures import arrow_rows
from ui.i18n import translate
from ui.pages.scenario import TABS
from ui.results import recorded_history


def _rows(data: bytes) -> list[dict]:
    return pa.ipc.open_stream(data).read_all().to_pylist()


def test_rows_survive_the_arrow_round_trip_with_gaps_as_nulls() -> None:
    rows = [
        {"year": 2020, "series": "Базовый", "value": 1.5},
        {"year": 2021, "series": "Базовый", "value": None},
        {"year": 2022, "series": "=1+1", "value": 3.0},
    ]
    assert _rows(arrow_rows(rows)) == rows
    assert arrow_rows("not rows") == "not rows", "anything but a list is passed on as is"


def test_the_scenario_pages_grp_chart_carries_every_series_to_the_browser() -> None:
    at = new_app(lang="ru", infrastructure_spend="2000")
    no_exception(at)
    title = translate("ru", "chart.grp.title_grp")
    charts = [c for c in at.get("vega_lite_chart") if chart_title(c) == title]
    assert charts, "no GRP chart on the scenario page"
    datasets = {d.name: _rows(d.data.data) for d in charts[0].proto.datasets}
    assert set(datasets) >= {"lines", "band"}, f"datasets sent: {sorted(datasets)}"
    lines = datasets["lines"]
    by_series: dict[str, dict[int, float | None]] = {}
    for r in lines:
        by_series.setdefault(r["series"], {})[r["year"]] = r["value"]
    base, scen = translate("ru", "series.baseline"), translate("ru", "series.scenario")
    rec = translate("ru", "series.recorded")
    assert set(by_series) == {base, scen, rec}
    assert by_series[scen][2035] > by_series[base][2035], "2,000 mln som of roads add nothing"
    recorded = recorded_history()
    got = [by_series[rec][int(y)] for y in recorded["year"]]
    want = [None if not math.isfinite(v) else v for v in recorded["grp"]]
    assert_allclose(
        [math.nan if v is None else v for v in got],
        [math.nan if v is None else v for v in want],
    )
    (band,) = datasets["band"]
    assert band["x"] < band["x2"], band


def test_only_the_open_section_is_drawn_and_each_opens() -> None:
    """The section buttons replace tabs: the GRP chart by default, and each other section
    when picked (the table shows a dataframe, not the GRP chart)."""
    at = new_app(lang="en", infrastructure_spend="1500")
    picker = at.segmented_control(key="result_tab")
    assert picker.value == "grp"
    assert [translate("en", f"tab.{k}") for k in TABS] == list(picker.options)
    grp_title = translate("en", "chart.grp.title_grp")

    def grp_charts() -> int:
        return sum(chart_title(c) == grp_title for c in at.get("vega_lite_chart"))

    assert grp_charts() == 1
    for section in TABS[1:]:
        at.segmented_control(key="result_tab").set_value(section).run()
        no_exception(at)
        assert grp_charts() == 0, f"{section}: the GRP chart is drawn too"
        assert at.segmented_control(key="result_tab").value == section
    assert at.dataframe, "the table section shows no table"


def test_the_open_section_travels_in_the_link_as_its_code() -> None:
    """A link with ``result_tab=table`` opens the table; picking a section puts its code
    (never its translated label) in the address and the share link; the GRP section, the
    default, and a tampered value leave nothing there."""
    at = new_app(lang="ky", result_tab="table")
    no_exception(at)
    assert at.segmented_control(key="result_tab").value == "table"
    assert at.dataframe, "the link's section (the table) is not shown"
    assert at.query_params.get("result_tab") == "table"
    share = next(c.value for c in at.code if "result_tab=" in c.value)
    assert "result_tab=table" in share, share
    # picking (in English: AppTest cannot press a Russian or Kyrgyz button group; the
    # browser test does, tests/e2e/test_workflow_e2e.py)
    at = new_app(lang="en")
    at.segmented_control(key="result_tab").set_value("cost").run()
    assert at.query_params.get("result_tab") == "cost"
    at.segmented_control(key="result_tab").set_value("grp").run()
    assert "result_tab" not in at.query_params
    assert not any("result_tab=" in c.value for c in at.code)

    tampered = new_app(lang="en", result_tab="<b>x</b>")
    no_exception(tampered)
    assert tampered.segmented_control(key="result_tab").value == "grp"
    assert "result_tab" not in tampered.query_params


def test_a_long_title_is_one_line_on_a_wide_chart_and_lines_on_a_narrow_one() -> None:
    """ui/charts.title_params lets Vega pick by the drawn width; any text, quotes and
    backslashes included, stays a string of the expression (and reads back whole)."""
    import altair as alt
    import vl_convert as vlc

    from ui.charts import title_params, title_text

    title = 'Прирост "ВРП" по всему диапазону \\ рычага, 2027-2065'
    chart = alt.Chart(alt.Data(values=[{"x": 1, "y": 2}])).mark_point().encode(x="x:Q", y="y:Q")
    drawn = {}
    for width in (240, 900):
        spec = chart.properties(title=title_params(title), width=width).to_dict()
        assert title_text(spec["title"]) == title
        svg = vlc.vegalite_to_svg(spec)
        drawn[width] = svg.count("<tspan")
    assert drawn[240] >= 2, "a narrow chart draws the title on lines"
    assert drawn[900] == 0, "a wide chart draws the title on one line"
