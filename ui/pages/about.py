"""About: where every number comes from (parameter table, calibration fit, data)."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from model import MODEL_VERSION
from model.parameters import CALIBRATION_JSON, parameter_table
from ui import charts
from ui.i18n import fmt_num, t
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
        cols[0].metric(t("about.mape"), f"{fmt_num(fit.get('mape_pct', float('nan')), 1)} %",
                       help=t("about.mape_help", start=fit.get("years", ["?"])[0],
                              end=fit.get("years", ["?", "?"])[-1]), border=True)
        cols[1].metric(t("about.rmse"), f"{fmt_num(fit.get('rmse_mln_som', float('nan')))}",
                       help=t("about.rmse_help"), border=True)
        fy, py = back.get("fit_years", ["?", "?"]), back.get("predict_years", ["?", "?"])
        cols[2].metric(t("about.backtest"),
                       f"{fmt_num(back.get('mape_pct', float('nan')), 1)} %",
                       help=t("about.backtest_help", fit_start=fy[0], fit_end=fy[-1],
                              start=py[0], end=py[-1]), border=True)
        series = cal.get("series", {})
        if series.get("year"):
            years = pd.Series(series["year"])
            rec, mod = t("series.recorded"), t("about.model_fit")
            long = long_series([(mod, years, pd.Series(series["model"])),
                                (rec, years, pd.Series(series["recorded"]))])
            st.altair_chart(charts.line_chart(
                long, title=t("about.fit_chart"), x_title=t("chart.year"),
                y_title=t("chart.grp.y_grp"), series_title=t("chart.series"),
                colors={mod: charts.SCENARIO_COLOR, rec: charts.RECORDED_COLOR},
                points=[rec]), key="chart_fit")
        st.caption(t("about.method", method=cal.get("method", ""), data=cal.get("data", "")))

    st.subheader(t("about.parameters_title"))
    st.caption(t("about.parameters_help"))
    rows = [{
        t("about.col.name"): p.name, t("about.col.value"): p.value,
        t("about.col.low"): p.low, t("about.col.high"): p.high, t("about.col.unit"): p.unit,
        t("about.col.kind"): p.kind, t("about.col.confidence"): p.confidence,
        t("about.col.meaning"): p.meaning, t("about.col.source"): p.source,
    } for p in parameter_table()]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="parameter_table")

    st.subheader(t("about.data_title"))
    st.markdown(t("about.data"))
