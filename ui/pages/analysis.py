"""Uncertainty and sensitivity: fan chart, tornado, Sobol on demand, and "why did output
change?" (Shapley waterfall), all for the current levers.

Speed: Monte Carlo (1,000 draws, ~45 ms), tornado (~3 ms) and Shapley (~1 ms) are
cached per scenario in :mod:`ui.analysis`; Sobol (~0.5-2 s) runs only on the button.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from model.sensitivity import SobolResult
from scenarios.settings import Settings
from ui import analysis, charts, compute, figures, parameters, state
from ui.figures import band_frame
from ui.i18n import fmt_num, fmt_signed, t
from ui.pages.scenario import beats_sentence
from ui.results import DEFAULT_KPI_YEAR, KPI_YEARS, long_series

METRICS = ("grp_gain", "grp")
SOBOL_SIZES = (256, 512, 1024)
SOBOL_STATE = "sobol_result"  # session: {"key": ..., "result": SobolResult}
TOP_SHOWN = (10, 20, 0)  # tornado rows shown; 0 = all


def page() -> None:
    settings = state.current()
    eff = settings.effective
    key = eff.key

    st.title(t("analysis.title"))
    st.caption(t("analysis.intro"))
    cols = st.columns(2)
    with cols[0]:
        year = int(
            st.selectbox(
                t("analysis.year"),
                KPI_YEARS,
                index=KPI_YEARS.index(DEFAULT_KPI_YEAR),
                key="analysis_year",
                help=t("analysis.year_help"),
            )
        )
    with cols[1]:
        metric = (
            st.segmented_control(
                t("analysis.metric"),
                METRICS,
                default="grp_gain",
                key="analysis_metric",
                format_func=lambda m: t(f"analysis.metric_{m}"),
                required=True,
                help=t("analysis.metric_help"),
            )
            or "grp_gain"
        )

    _fan(key, eff, year)
    st.divider()
    explainable = metric != "grp_gain" or analysis.has_programme(eff)
    if not explainable:
        st.info(t("analysis.no_programme"), icon=":material/info:")
    else:
        _tornado(key, year, metric)
        st.divider()
        _sobol(key, eff, year, metric)
    st.divider()
    _waterfall(key, year)


def _fan(key: compute.SettingsKey, eff: dict[str, float], year: int) -> None:
    st.subheader(t("analysis.fan_title"))
    mc = analysis.bands(key)
    result = compute.run_one(key)
    f = result.frame
    scen, base = t("series.scenario"), t("series.baseline")
    long = long_series([(base, f["year"], f["base_grp"]), (scen, f["year"], f["grp"])])
    chart = charts.line_chart(
        long,
        title=t("chart.grp.title_grp"),
        x_title=t("chart.year"),
        y_title=t("chart.grp.y_grp"),
        series_title=t("chart.series"),
        colors={base: charts.BASELINE_COLOR, scen: charts.SCENARIO_COLOR},
        dashed=[base],
        band=Settings.from_mapping(eff).band,
        areas=band_frame(mc, "grp", {"scenario": scen, "baseline": base}),
        area_title=t("bands.legend"),
    )
    figures.show(chart, key="chart_fan")
    with st.container(key="fan_sentence"):
        st.markdown(beats_sentence(mc, eff, year))
        c = year - int(mc.years[0])
        lo, hi = mc.band("gain", "grp", 0.05)[c], mc.band("gain", "grp", 0.95)[c]
        if analysis.has_programme(eff):
            st.markdown(
                t(
                    "analysis.gain_range",
                    year=year,
                    lo=fmt_signed(lo),
                    hi=fmt_signed(hi),
                    central=fmt_signed(mc.central_gain["grp"][c]),
                )
            )
    st.caption(t("bands.caption", n=fmt_num(mc.n_draws)))


def _quoted(name: str) -> str:
    """A parameter in a sentence: its short label, quoted (``“Population growth”``)."""
    return t("analysis.quoted", label=parameters.label(name))


def _tornado(key: compute.SettingsKey, year: int, metric: str) -> None:
    st.subheader(t("analysis.tornado_title"))
    res = analysis.tornado_of(key, year, metric)
    frame = res.frame()
    shown = (
        st.segmented_control(
            t("analysis.tornado_rows"),
            TOP_SHOWN,
            default=10,
            key="tornado_rows",
            format_func=lambda n: (
                t("analysis.tornado_all", n=len(frame))
                if n == 0
                else t("analysis.tornado_top", n=n)
            ),
            required=True,
        )
        or 10
    )
    top = frame if shown == 0 else frame.head(shown)
    top = top.assign(
        label=[parameters.label(n) for n in top["name"]],
        unit=[parameters.unit(u) for u in top["unit"]],
        meaning=[
            parameters.meaning(n, m) for n, m in zip(top["name"], top["meaning"], strict=True)
        ],
        weak=top["weakly_sourced"],
    )
    metric_label = t(f"analysis.metric_{metric}")
    chart = charts.tornado_chart(
        top,
        title=t("analysis.tornado_chart", metric=metric_label, year=year),
        x_title=t("analysis.tornado_x", metric=metric_label, year=year),
        low_label=t("analysis.at_low"),
        high_label=t("analysis.at_high"),
        weak_label=t("analysis.weak_legend"),
        strong_label=t("analysis.strong_legend"),
        end_title=t("analysis.tornado_legend"),
        source_title=t("analysis.source_legend"),
        weak_suffix=t("analysis.weak_suffix"),
        central=res.central_output,
    )
    figures.show(chart, key="chart_tornado")
    head = frame.head(3)
    weak_top = [
        n
        for n, w in zip(frame.head(10)["name"], frame.head(10)["weakly_sourced"], strict=True)
        if w
    ]
    with st.container(key="tornado_sentence"):
        st.markdown(
            t(
                "analysis.tornado_sentence",
                year=year,
                metric=metric_label,
                names=", ".join(_quoted(n) for n in head["name"]),
                swing=fmt_num(float(head["swing"].iloc[0])),
                central=fmt_num(res.central_output),
            )
        )
        st.markdown(
            t("analysis.tornado_weak", names=", ".join(_quoted(n) for n in weak_top))
            if weak_top
            else t("analysis.tornado_no_weak")
        )
    st.caption(t("analysis.tornado_caption"))


def _sobol(key: compute.SettingsKey, eff: dict[str, float], year: int, metric: str) -> None:
    st.subheader(t("analysis.sobol_title"))
    st.caption(t("analysis.sobol_intro"))
    cols = st.columns([2, 1], vertical_alignment="bottom")
    with cols[0]:
        n_base = st.select_slider(
            t("analysis.sobol_size"),
            SOBOL_SIZES,
            value=512,
            key="sobol_size",
            help=t("analysis.sobol_size_help"),
        )
    with cols[1]:
        run = st.button(
            t("analysis.sobol_run"),
            key="sobol_run",
            icon=":material/play_arrow:",
            type="primary",
            width="stretch",
        )
    wanted = (key, year, metric, int(n_base))
    ss = st.session_state
    if run:
        bar = st.progress(0.0, text=t("analysis.sobol_running"))
        try:
            # One run at a time per server, results shared (ui.analysis.run_sobol).
            res = analysis.run_sobol(
                wanted,
                progress=lambda x: bar.progress(min(1.0, x), text=t("analysis.sobol_running")),
                waiting=lambda: bar.progress(0.0, text=t("analysis.sobol_waiting")),
            )
        except ValueError:
            bar.empty()
            st.warning(t("analysis.sobol_flat"))
            return
        bar.empty()
        ss[SOBOL_STATE] = {"key": wanted, "result": res}
    stored = ss.get(SOBOL_STATE)
    if not stored:
        return
    if stored["key"] != wanted:
        st.info(t("analysis.sobol_stale"), icon=":material/update:")
        return
    _sobol_result(stored["result"], year, metric)


def _sobol_result(res: SobolResult, year: int, metric: str) -> None:
    frame = res.frame().head(10)
    frame = frame.assign(
        label=[parameters.label(n) for n in frame["name"]], weak=frame["confidence"] == "L"
    )
    chart = charts.sobol_chart(
        frame,
        title=t("analysis.sobol_chart", year=year),
        first_label=t("analysis.s1"),
        total_label=t("analysis.st"),
        index_title=t("analysis.sobol_index"),
        weak_suffix=t("analysis.weak_suffix"),
    )
    figures.show(chart, key="chart_sobol")
    top = [r for r in res.rows[:5] if r.ST >= 0.05] or list(res.rows[:1])
    names = ", ".join(f"{_quoted(r.name)} ({fmt_num(r.ST, 2)})" for r in top)
    weak = [_quoted(r.name) for r in top if r.confidence == "L"]
    with st.container(key="sobol_sentence"):
        st.markdown(
            t(
                "analysis.sobol_sentence",
                metric=t(f"analysis.metric_{metric}"),
                year=year,
                names=names,
            )
        )
        st.markdown(
            t("analysis.sobol_weak", names=", ".join(weak)) if weak else t("analysis.sobol_no_weak")
        )
    st.caption(t("analysis.sobol_caption", runs=fmt_num(res.n_evaluations), n=fmt_num(res.n_base)))


def _waterfall(key: compute.SettingsKey, year: int) -> None:
    st.subheader(t("analysis.why_title"))
    res = analysis.shapley_of(key)
    if not res.players:
        st.info(t("analysis.why_baseline"), icon=":material/info:")
        return
    mode = (
        st.segmented_control(
            t("analysis.why_mode"),
            ("separate", "shared"),
            default="separate",
            key="why_mode",
            format_func=lambda m: t(f"analysis.why_{m}"),
            required=True,
            help=t("analysis.why_mode_help"),
        )
        or "separate"
    )
    c = year - int(res.years[0])
    label = {p: t(f"lever.{p}.label") for p in res.players}
    rows: list[dict[str, object]] = []
    for p in res.players:
        value = res.standalone[p][c] if mode == "separate" else res.contributions[p][c]
        rows.append({"label": label[p], "value": float(value), "kind": "step"})
    if mode == "separate":
        rows.append(
            {"label": t("analysis.interaction"), "value": float(res.interaction[c]), "kind": "step"}
        )
    total = float(res.total[c])
    rows.append({"label": t("analysis.total"), "value": total, "kind": "total"})
    steps = pd.DataFrame(rows)
    chart = charts.waterfall_chart(
        steps,
        title=t("analysis.why_chart", year=year),
        y_title=t("analysis.why_y"),
        step_title=t("analysis.why_step"),
        up_label=t("analysis.raises"),
        down_label=t("analysis.lowers"),
        total_label=t("analysis.total"),
    )
    figures.show(chart, key="chart_waterfall")
    biggest = max(res.players, key=lambda p: abs(res.contributions[p][c]))
    with st.container(key="why_sentence"):
        st.markdown(
            t(
                "analysis.why_sentence",
                year=year,
                total=fmt_signed(total),
                name=label[biggest],
                value=fmt_signed(float(res.contributions[biggest][c])),
                interaction=fmt_signed(float(res.interaction[c])),
            )
        )
    # a static table in the page's number format: it wraps to a phone (in a data grid
    # the share column was off a 390 px screen, and its numbers had no thousands mark)
    table = pd.DataFrame(
        {
            t("analysis.col_alone"): [fmt_signed(float(res.standalone[p][c])) for p in res.players],
            t("analysis.col_shapley"): [
                fmt_signed(float(res.contributions[p][c])) for p in res.players
            ],
        },
        index=pd.Index([label[p] for p in res.players], name=t("analysis.col_player")),
    )
    with st.container(key="why_table"):
        st.table(table)
    st.caption(t("analysis.why_caption"))
