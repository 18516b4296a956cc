"""Exports and the one-page brief: results as CSV and Excel, charts as PNG/SVG, the brief.

Nothing is built on a normal rerun: every download button gets a callable, which
Streamlit runs (in a worker thread) only when the planner clicks. The callables close
over plain values (settings, cached result, language, link), never over session state.
"""

from __future__ import annotations

import streamlit as st

from ui import compute, exports, links, plain, state
from ui.files import file_stem
from ui.i18n import current_lang, t
from ui.results import DEFAULT_KPI_YEAR, KPI_YEARS


def page() -> None:
    st.title(t("reports.title"))
    st.caption(t("reports.intro"))

    lang = current_lang()
    settings = state.current()
    eff = settings.effective
    result = compute.run_one(eff.key)
    band = settings.band
    meta = state.meta_for(settings)
    preset_id = state.matching_preset(settings)
    link = links.share_link(settings, lang)
    name = exports.scenario_name(settings, meta, lang, preset_id)
    stem = _stem(name)
    st.text(t("reports.scenario", name=name))  # planner text: never markdown or HTML

    st.subheader(t("reports.data_title"))
    st.caption(t("reports.data_help"))
    cols = st.columns(3)
    cols[0].download_button(
        t("reports.csv"),
        data=lambda: exports.results_csv(result, lang),
        file_name=f"{stem}_results.csv",
        mime="text/csv",
        key="export_csv",
        icon=":material/table_view:",
        on_click="ignore",
        width="stretch",
    )
    cols[1].download_button(
        t("reports.xlsx"),
        data=lambda: exports.results_xlsx(eff, meta, result, link, lang),
        file_name=f"{stem}.xlsx",
        mime=exports.XLSX_MIME,
        key="export_xlsx",
        icon=":material/grid_on:",
        on_click="ignore",
        width="stretch",
    )
    cols[2].download_button(
        t("districts.csv"),
        data=lambda: exports.district_csv(eff, lang),
        file_name=f"{stem}_districts.csv",
        mime="text/csv",
        key="export_districts_csv",
        icon=":material/map:",
        on_click="ignore",
        width="stretch",
    )

    st.subheader(t("reports.charts_title"))
    st.caption(t("reports.charts_help"))
    lines = exports.image_lines(name, lang)
    with st.grid(4, min_column_width=220, key="export_charts"):
        for chart_id in exports.CHART_IDS:
            with st.container(border=True, key=f"export_chart_{chart_id}"):
                st.markdown(plain.bold(t(f"reports.chart.{chart_id}")))
                inner = st.columns(2)
                for col, fmt in zip(inner, ("png", "svg"), strict=True):
                    col.download_button(
                        fmt.upper(),
                        data=_chart_maker(chart_id, fmt, result, band, lang, lines),
                        file_name=f"{stem}_{chart_id}.{fmt}",
                        mime="image/png" if fmt == "png" else "image/svg+xml",
                        key=f"export_{chart_id}_{fmt}",
                        icon=":material/image:",
                        on_click="ignore",
                        width="stretch",
                    )

    st.subheader(t("reports.brief_title"))
    st.caption(t("reports.brief_help"))
    shown = st.session_state.get("year", DEFAULT_KPI_YEAR)
    year = st.selectbox(
        t("reports.brief_year"),
        KPI_YEARS,
        index=KPI_YEARS.index(shown) if shown in KPI_YEARS else KPI_YEARS.index(DEFAULT_KPI_YEAR),
        key="brief_year",
    )
    st.download_button(
        t("reports.brief_download"),
        data=lambda: exports.brief_html(
            settings, meta, result, int(year), link, lang, preset_id=preset_id
        ).encode("utf-8"),
        file_name=f"{stem}_brief_{lang}.html",
        mime="text/html",
        key="export_brief",
        icon=":material/print:",
        on_click="ignore",
        type="primary",
    )
    st.code(link, language=None, wrap_lines=True)


def _chart_maker(
    chart_id: str,
    fmt: str,
    result: compute.Result,
    band: tuple[int, int],
    lang: str,
    lines: list[str],
):
    return lambda: exports.chart_file(chart_id, fmt, result, band, lang, lines)


def _stem(name: str) -> str:
    return "batken_" + file_stem(name)
