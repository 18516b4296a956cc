"""The dashboard's charts by id, in a given language, and drawing any chart on a page.

:func:`chart`: a result, the programme years and a language code in, an Altair chart out;
the scenario page draws these (its main GRP chart takes the faster cached-spec path of
:func:`ui.charts.line_chart_spec`) and the exports render the same charts to PNG and SVG.
:func:`show`: every chart on every page goes through it, so axis numbers follow the
planner's language (``42 000`` in Kyrgyz and Russian, ``42,000`` in English).
"""

from __future__ import annotations

from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa
import streamlit as st

from model import SECTORS
from model.levers import FIRST_PROJECTION_YEAR
from report.images import number_locale
from ui import charts
from ui.compute import Result
from ui.i18n import t, translate
from ui.results import history_records, long_series, sectors_long, with_history

#: Chart ids in display order.
CHART_IDS = ("grp", "grp_per_capita", "sectors", "roads", "irrigation", "sme", "cost")


def _colors(lang: str) -> tuple[str, str, dict[str, str]]:
    scen, base = translate(lang, "series.scenario"), translate(lang, "series.baseline")
    return scen, base, {base: charts.BASELINE_COLOR, scen: charts.SCENARIO_COLOR}


def chart(chart_id: str, result: Result, band: tuple[int, int], lang: str) -> alt.LayerChart:
    """One of the scenario page's charts, built with ``ui.charts`` in ``lang``."""
    tr = translate
    f = result.frame
    year, series = tr(lang, "chart.year"), tr(lang, "chart.series")
    scen, base, colors = _colors(lang)
    if chart_id in ("grp", "grp_per_capita"):
        rec = tr(lang, "series.recorded")
        long = with_history(f, chart_id, base, scen, rec)
        return charts.line_chart(
            long,
            title=tr(lang, f"chart.grp.title_{chart_id}"),
            x_title=year,
            y_title=tr(lang, f"chart.grp.y_{chart_id}"),
            series_title=series,
            colors={**colors, rec: charts.RECORDED_COLOR},
            dashed=[base],
            points=[rec],
            band=band,
        )
    if chart_id == "sectors":
        labels = {s: tr(lang, f"output.{s}") for s in SECTORS}
        return charts.stacked_area(
            sectors_long(f, labels),
            title=tr(lang, "chart.sectors.title"),
            x_title=year,
            y_title=tr(lang, "chart.sectors.y"),
            series_title=tr(lang, "chart.sectors.legend"),
            order=[labels[s] for s in SECTORS],
            band=band,
        )
    if chart_id in ("roads", "sme"):  # baseline against scenario for one output
        output = {"roads": "road_km_good", "sme": "sme_count"}[chart_id]
        return charts.line_chart(
            long_series([(base, f["year"], f[f"base_{output}"]), (scen, f["year"], f[output])]),
            title=tr(lang, f"chart.{chart_id}.title"),
            x_title=year,
            y_title=tr(lang, f"chart.{chart_id}.y"),
            series_title=series,
            colors=colors,
            dashed=[base],
            band=band,
        )
    if chart_id == "irrigation":
        equipped, effective, cap = (
            tr(lang, "series.irr_equipped"),
            tr(lang, "series.irr_effective"),
            tr(lang, "series.water_cap"),
        )
        return charts.line_chart(
            long_series(
                [
                    (equipped, f["year"], f["irrigated_ha"]),
                    (effective, f["year"], f["irrigated_effective_ha"]),
                    (cap, f["year"], f["water_cap_ha"]),
                ]
            ),
            title=tr(lang, "chart.irrigation.title"),
            x_title=year,
            y_title=tr(lang, "chart.irrigation.y"),
            series_title=series,
            colors={equipped: "#009E73", effective: charts.SCENARIO_COLOR, cap: "#D55E00"},
            dashed=[cap],
            band=band,
        )
    if chart_id == "cost":
        return charts.cost_benefit(
            f,
            title=tr(lang, "chart.cost.title"),
            x_title=year,
            y_title=tr(lang, "chart.cost.y"),
            series_title=series,
            cost_label=tr(lang, "series.cost"),
            gain_label=tr(lang, "series.gain"),
            demand_label=tr(lang, "series.demand"),
            band=band,
        )
    raise KeyError(chart_id)


def vega_locale() -> dict[str, Any]:
    """The d3 number locale of the active language, for Vega-Lite's ``config.locale``."""
    return {"number": number_locale(t("format.decimal"), t("format.thousands"))}


def show(chart: alt.TopLevelMixin | dict[str, Any], key: str) -> None:
    """Draw an Altair chart or a Vega-Lite spec with the language's number format."""
    locale = vega_locale()
    if isinstance(chart, dict):
        # a cached template's copy: never mutate the shared config dict
        spec = {**chart, "config": {**chart.get("config", {}), "locale": locale}}
        if "datasets" in spec:
            spec["datasets"] = {k: arrow_rows(v) for k, v in spec["datasets"].items()}
        st.vega_lite_chart(spec, key=key)
    else:
        st.altair_chart(chart.configure(locale=locale), key=key)


def arrow_rows(rows: Any) -> Any:
    """A named dataset's rows (a list of dicts) as the Arrow IPC bytes Streamlit sends
    to the browser. Streamlit would make these itself, through a pandas frame per
    dataset (~1 ms each on every slider move); pyarrow builds them from the rows in
    microseconds. Anything else is passed on as it is."""
    if not isinstance(rows, list):
        return rows
    table = pa.Table.from_pylist(rows)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def band_frame(
    mc, measure: str, labels: dict[str, str], first_year: int = FIRST_PROJECTION_YEAR
) -> pd.DataFrame:
    """50 % and 90 % bands of scenario and baseline from projection years on, long
    (year, series, lo, hi, level); the scenario's bands are left out where they equal
    the baseline's (the scenario is the baseline)."""
    years = mc.years
    keep = years >= first_year
    parts = []
    whiches = ["baseline", "scenario"]
    if np.allclose(mc.scenario[measure], mc.baseline[measure]):
        whiches = ["baseline"]
    for which in whiches:
        for lo_q, hi_q, level in (
            (0.05, 0.95, t("bands.level90")),
            (0.25, 0.75, t("bands.level50")),
        ):
            parts.append(
                pd.DataFrame(
                    {
                        "year": years[keep],
                        "series": labels[which],
                        "lo": mc.band(which, measure, lo_q)[keep],
                        "hi": mc.band(which, measure, hi_q)[keep],
                        "level": level,
                    }
                )
            )
    return pd.concat(parts, ignore_index=True)


def grp_spec(
    result: Result,
    measure: str,
    band: tuple[int, int],
    mc: Any = None,
    *,
    title: str | None = None,
    scenario_label: str | None = None,
) -> dict[str, Any]:
    """The GRP chart as every page draws it (scenario, workshop median): the baseline
    dashed, the scenario, recorded years as points, the programme years shaded, and the
    Monte Carlo bands when ``mc`` is given. The hot path of every slider move: a cached
    spec with the data attached (:func:`ui.charts.line_chart_spec`), not an Altair chart
    built and validated on each rerun."""
    scen = scenario_label or t("series.scenario")
    base, rec = t("series.baseline"), t("series.recorded")
    return charts.line_chart_spec(
        history_records(result.frame, measure, base, scen, rec),
        title=title or t(f"chart.grp.title_{measure}"),
        x_title=t("chart.year"),
        y_title=t(f"chart.grp.y_{measure}"),
        series_title=t("chart.series"),
        colors={
            base: charts.BASELINE_COLOR,
            scen: charts.SCENARIO_COLOR,
            rec: charts.RECORDED_COLOR,
        },
        dashed=[base],
        points=[rec],
        band=band,
        areas=band_frame(mc, measure, {"scenario": scen, "baseline": base}) if mc else None,
        area_title=t("bands.legend"),
    )
