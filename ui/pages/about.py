"""About: where every number comes from (parameter table, calibration fit, data)."""

from __future__ import annotations

import csv
import json
from collections import Counter

import numpy as np
import pandas as pd
import streamlit as st

from model import MODEL_VERSION
from model.history import load_history
from model.parameters import CALIBRATION_JSON, DATA_DIR
from ui import charts, figures, parameters, plain
from ui.i18n import fmt_num, has, t
from ui.results import long_series


def page() -> None:
    st.title(t("about.title"))
    st.markdown(t("about.intro", version=MODEL_VERSION))

    st.subheader(t("about.fit_title"))
    try:
        cal = json.loads(CALIBRATION_JSON.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        cal = None
    if cal is None:
        st.warning(t("about.no_calibration"))
    else:
        fit, back = cal.get("fit", {}), cal.get("backtest", {})
        cols = st.columns(3)
        cols[0].metric(
            t("about.mape"),
            f"{fmt_num(fit.get('mape_pct', float('nan')), 1)} %",
            help=t(
                "about.mape_help",
                start=fit.get("years", ["?"])[0],
                end=fit.get("years", ["?", "?"])[-1],
            ),
            border=True,
        )
        cols[1].metric(
            t("about.rmse"),
            f"{fmt_num(fit.get('rmse_mln_som', float('nan')))}",
            help=t("about.rmse_help"),
            border=True,
        )
        fy, py = back.get("fit_years", ["?", "?"]), back.get("predict_years", ["?", "?"])
        cols[2].metric(
            t("about.backtest"),
            f"{fmt_num(back.get('mape_pct', float('nan')), 1)} %",
            help=t("about.backtest_help", fit_start=fy[0], fit_end=fy[-1], start=py[0], end=py[-1]),
            border=True,
        )
        _fit_panel(cal, fit, back)

    st.subheader(t("about.parameters_title"))
    st.caption(t("about.parameters_help"))
    parameters.show("parameter_table")

    st.subheader(t("about.data_title"))
    st.markdown(t("about.data"))
    _sources_table()


#: The recorded data sets, in the order a planner asks about them (data/<stem>.csv).
SOURCE_FILES = (
    "grp",
    "population",
    "deflator",
    "prices",
    "investment",
    "industry",
    "social",
    "land_water",
    "roads",
    "other",
)


@st.cache_data(show_spinner=False)
def source_addresses() -> list[tuple[str, int, str, int, str]]:
    """Per data set: its stem, how many figures carry a source, the address its figures
    cite most ("" if they cite none), how many other addresses they cite, and the source
    text its figures cite most (read from data/<stem>.csv)."""
    out = []
    for stem in SOURCE_FILES:
        path = DATA_DIR / f"{stem}.csv"
        if not path.is_file():
            continue
        with path.open(encoding="utf-8", newline="") as f:
            sources = [(r.get("source") or "").strip() for r in csv.DictReader(f)]
        sourced = [s for s in sources if s]
        cited = Counter(u for s in sourced for u in parameters.URL.findall(s))
        top = cited.most_common(1)[0][0] if cited else ""
        text = Counter(sourced).most_common(1)[0][0] if sourced else ""
        out.append((stem, len(sourced), top, max(len(cited) - 1, 0), text))
    return out


def _sources_table() -> None:
    """Each data set with its main source's address: a link a planner can open."""
    rows = [
        {
            t("about.sources_col.topic"): (
                t(f"methodology.file.{stem}") if has(f"methodology.file.{stem}") else stem
            ),
            t("about.sources_col.link"): top,
            t("about.sources_col.figures"): figures_n,
            t("about.sources_col.others"): others,
            # repository text, shown as text in a grid cell (never markup), shortened
            t("about.sources_col.text"): plain.text(text, 120),
        }
        for stem, figures_n, top, others, text in source_addresses()
    ]
    topic, link = t("about.sources_col.topic"), t("about.sources_col.link")
    # the address beside the data set, the data set pinned: on a phone the address is
    # what scrolls into view, and the row still says what it is
    st.dataframe(
        pd.DataFrame(rows),
        hide_index=True,
        key="data_sources",
        column_config={
            topic: st.column_config.TextColumn(width="medium", pinned=True),
            link: st.column_config.LinkColumn(link, width="medium"),
        },
    )


def _mape(model: np.ndarray, recorded: np.ndarray) -> float:
    return float(np.mean(np.abs(model / recorded - 1.0)) * 100)


def _fit_panel(cal: dict, fit: dict, back: dict) -> None:
    """Model against recorded GRP and GRP per person, the fit and the back-test in words."""
    series = cal.get("series", {})
    if not series.get("year"):
        st.caption(t("about.method"))
        return
    years = np.asarray(series["year"], dtype=int)
    rec = np.asarray(series["recorded"], dtype=float)
    mod = np.asarray(series["model"], dtype=float)
    bt = np.asarray(series.get("backtest_model", []), dtype=float)
    fy, py = back.get("fit_years", [years[0], 2017]), back.get("predict_years", [2018, years[-1]])
    pred = (years >= py[0]) & (years <= py[-1])
    with st.container(key="fit_sentences"):
        st.markdown(
            t(
                "fit_history.fit_sentence",
                pct=fmt_num(_mape(mod, rec), 1),
                start=int(years[0]),
                end=int(years[-1]),
            )
        )
        if len(bt) == len(years):
            st.markdown(
                t(
                    "fit_history.backtest_sentence",
                    fit_start=fy[0],
                    fit_end=fy[-1],
                    start=py[0],
                    end=py[-1],
                    pct=fmt_num(_mape(bt[pred], rec[pred]), 1),
                    fit_pct=fmt_num(_mape(mod[pred], rec[pred]), 1),
                )
            )
    tabs = st.tabs([t("fit_history.tab_grp"), t("fit_history.tab_pc")], key="fit_tab")
    rec_l, mod_l, bt_l = (
        t("series.recorded"),
        t("about.model_fit"),
        t("fit_history.backtest_series", end=fy[-1]),
    )
    yrs = pd.Series(years)
    with tabs[0]:
        pairs = [(mod_l, yrs, pd.Series(mod)), (rec_l, yrs, pd.Series(rec))]
        colors = {mod_l: charts.SCENARIO_COLOR, rec_l: charts.RECORDED_COLOR}
        if len(bt) == len(years):
            pairs.insert(1, (bt_l, yrs, pd.Series(bt)))
            colors = {mod_l: charts.SCENARIO_COLOR, bt_l: "#E69F00", rec_l: charts.RECORDED_COLOR}
        figures.show(
            charts.line_chart(
                long_series(pairs),
                title=t("about.fit_chart"),
                x_title=t("chart.year"),
                y_title=t("chart.grp.y_grp"),
                series_title=t("chart.series"),
                colors=colors,
                points=[rec_l],
                dashed=[bt_l],
                shade=(int(py[0]), int(py[-1])),
            ),
            key="chart_fit",
        )
        st.caption(t("fit_history.grp_caption", start=py[0], end=py[-1]))
    with tabs[1]:
        hist = load_history()
        if not np.array_equal(hist.years, years):
            st.caption(t("fit_history.pc_unavailable"))
        else:
            pop = hist.population
            pc_pairs = [
                (mod_l, yrs, pd.Series(mod * 1e6 / pop)),
                (rec_l, yrs, pd.Series(hist.grp_per_capita_real)),
            ]
            figures.show(
                charts.line_chart(
                    long_series(pc_pairs),
                    title=t("fit_history.pc_chart"),
                    x_title=t("chart.year"),
                    y_title=t("chart.grp.y_grp_per_capita"),
                    series_title=t("chart.series"),
                    colors={mod_l: charts.SCENARIO_COLOR, rec_l: charts.RECORDED_COLOR},
                    points=[rec_l],
                ),
                key="chart_fit_pc",
            )
            st.caption(t("fit_history.pc_caption"))
    with st.container(key="fit_source"):
        st.markdown(t("fit_history.source"))
    st.caption(t("about.method"))
