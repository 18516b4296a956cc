"""The main page: KPIs against the baseline, charts, results table, share and save.

Speed: the default rerun draws the KPI cards and one chart. The other charts and the
table are sections picked by a row of buttons: only the open section runs.
"""

from __future__ import annotations

import math

import numpy as np
import streamlit as st

from model import DEFAULT_RATE
from scenarios import PRESET_IDS, preset
from scenarios.settings import Settings
from ui import (
    analysis,
    charts,
    compute,
    exports,
    figures,
    keys,
    links,
    live,
    nav,
    plain,
    response,
    sidebar,
    state,
)
from ui.files import file_stem, scenario_text
from ui.i18n import current_lang, fmt_num, t
from ui.results import (
    DEFAULT_KPI_YEAR,
    KPI_YEARS,
    YEARLY_KPIS,
    appraisal_table,
    fmt_appraisal,
    kpi_change,
    net_npv,
    value_at,
)

MEASURES = ("grp", "grp_per_capita")
#: The methodology section that says how each KPI card's number is made.
KPI_SECTIONS = {
    "grp": "overview",
    "grp_per_capita": "overview",
    "jobs": "jobs",
    "sme_count": "smes",
    "irrigated_effective_ha": "irrigation",
    "programme_cost_cumulative": "appraisal",
    "bcr": "appraisal",
    "npv": "appraisal",
}
TABS = ("grp", "sectors", "physical", "cost", "response", "table")


def page() -> None:
    settings = state.current()
    eff = settings.effective
    result = compute.run_one(eff.key)
    band = settings.band

    # the live layer's step tables: its script fetches them by this run's token once the
    # page is drawn, and they are made then (ui/live.py)
    live_token = live.mount()

    st.title(t("scenario.title"))
    meta = state.meta_for(settings)
    match = state.matching_preset(settings)
    # A planner's or a file's name: a code span, shown literally (never Markdown).
    subtitle = (
        plain.code(meta["name"])
        if meta["name"]
        else (t(f"preset.{match}.name") if match else t("scenario.custom"))
    )
    st.caption(t("scenario.subtitle", name=subtitle, start=band[0], end=band[1]))
    if (match and match != "baseline") or meta["description"]:
        with st.expander(t("scenario.about_preset"), icon=":material/description:"):
            # Text: a planner's description is shown as typed, never as markup.
            st.text(meta["description"] or t(f"preset.{match}.description"))

    year = st.selectbox(
        t("kpi.year"),
        KPI_YEARS,
        index=KPI_YEARS.index(DEFAULT_KPI_YEAR),
        key=keys.YEAR,
        bind="query-params",
        help=t("kpi.year_help"),
    )
    ref_name, reference = _reference(settings)
    st.caption(t("kpi.caption_against", name=ref_name))
    _headline(result, int(year))
    if problems := sidebar.feasibility_problems(settings):
        with st.container(key="page_warnings"):
            st.warning("\n\n".join(problems), icon=":material/warning:")
    _kpis(result, int(year), reference)

    # One row of buttons picks the section and only that section is drawn. Not st.tabs:
    # its panel scans the page for a focusable element on every redraw, ~6-8 ms of the
    # browser's time on every slider move (README, "Speed"). In the link as its code.
    links.seed_choice(keys.RESULT_TAB, TABS)
    section = st.segmented_control(
        t("tab.picker"),
        TABS,
        default=TABS[0],
        required=True,
        format_func=lambda k: t(f"tab.{k}"),
        key=keys.RESULT_TAB,
        label_visibility="collapsed",
        width="stretch",
    )
    draw = {
        "grp": lambda r, b: _grp_chart(r, b, int(year), eff),
        "sectors": _sectors_chart,
        "physical": _physical_charts,
        "cost": _cost_chart,
        "response": lambda r, b: response.tab(settings, int(year)),
        "table": _table,
    }
    section = section if section in draw else TABS[0]
    links.keep_choice(keys.RESULT_TAB, section, TABS[0])
    with st.container(key="result_panel"):
        draw[section](result, band)
    _share_and_save(settings)
    # the cards, the headlines and the GRP chart follow a dragged lever (ui/live.py):
    # what the tables need, filed for the script's fetch (nothing computed here); the
    # measure read again (a link's measure is seeded by the GRP chart, after the start)
    measure = _measure()
    budget = float(st.session_state.get(keys.BUDGET) or 0)
    live.publish(
        live_token,
        live.Published(settings, result, reference, int(year), measure, band, budget=budget),
    )


def _measure() -> str:
    """The GRP chart's measure this run (total or per person)."""
    measure = st.session_state.get(keys.GRP_MEASURE)
    return measure if measure in MEASURES else "grp"


def _headline(result: compute.Result, year: int) -> None:
    """The answer in one sentence; on the baseline, how to start instead."""
    cost = result.figure("cost")
    if not cost > 0:
        # keyed: while a lever is dragged from here, the live layer shows the answer
        # sentence in its place (ui/live.js)
        with st.container(key="headline_hint"):
            st.info(t("scenario.hint"), icon=":material/lightbulb:")
        return
    value, base = value_at(result, "grp", year)
    with st.container(key="headline"):
        st.markdown(
            t(
                "scenario.headline",
                year=year,
                change=kpi_change(value, base, 0),
                cost=fmt_num(cost),
                eirr=fmt_appraisal(
                    "pct", result.appraisal[DEFAULT_RATE]["eirr"], fmt_num, t("common.na")
                ),
                bcr=fmt_appraisal(
                    "ratio", result.appraisal[DEFAULT_RATE]["bcr"], fmt_num, t("common.na")
                ),
            )
        )


def _reference(settings) -> tuple[str, compute.Result | None]:
    """What the cards' arrows compare against: the baseline, or in one click a preset or a
    pinned scenario ("what did my change add to the forum plan?")."""
    options = {"baseline": t("series.baseline")}
    options |= {f"preset:{p}": t(f"preset.{p}.name") for p in PRESET_IDS if p != "baseline"}
    options |= {f"pin:{n}": t("compare.pinned_label", name=plain.text(n)) for n in pinned()}
    choice = st.selectbox(
        t("kpi.reference"),
        list(options),
        format_func=options.get,
        key=keys.REFERENCE,
        help=t("kpi.reference_help"),
    )
    if choice in (None, "baseline") or choice not in options:
        return options["baseline"], None
    kind, _, name = choice.partition(":")
    ref = preset(name).to_settings() if kind == "preset" else pinned()[name]
    return options[choice], compute.run_one(Settings.from_mapping(ref).effective.key)


def _kpis(result: compute.Result, year: int, reference: compute.Result | None = None) -> None:
    cards: list[tuple[str, str, str | None, str]] = []
    for kpi in YEARLY_KPIS:
        value, base = value_at(result, kpi.id, year)
        if reference is not None:  # the chosen scenario's value, same year
            base = value_at(reference, kpi.id, year)[0]
        delta = kpi_change(value, base, kpi.digits)
        cards.append(
            (
                kpi.id,
                t(f"kpi.{kpi.id}", year=year),
                fmt_num(value, kpi.digits),
                delta if abs(value - base) > 1e-9 else None,
            )
        )
    # Without a programme there is nothing to appraise: say so instead of "n/a" and 0,
    # under a dash (as the value, "no programme" was cut to "no progra…" on every width)
    programme = result.figure("cost") > 0
    none = t("kpi.no_programme") if not programme else None
    bcr = result.bcr
    cards.append(
        (
            "bcr",
            t("kpi.bcr"),
            (fmt_num(bcr, 2) if math.isfinite(bcr) else t("common.na")) if programme else "—",
            none,
        )
    )
    cards.append(("npv", t("kpi.npv"), fmt_num(net_npv(result)) if programme else "—", none))
    a = result.appraisal[DEFAULT_RATE]
    figures_kw = {
        "benefit": fmt_num(result.figure("pv_benefit")),
        "cost": fmt_num(result.figure("pv_cost")),
        "demand": fmt_num(result.figure("pv_construction_demand")),
        "eirr": fmt_appraisal("pct", a["eirr"], fmt_num, t("common.na")),
        "horizon": a["horizon"],
        "base": a["base_year"],
    }
    helps = {"bcr": t("kpi_help.bcr", **figures_kw), "npv": t("kpi_help.npv", **figures_kw)}
    # A responsive grid: four cards a row on a laptop, two on a phone.
    with st.grid(4, min_column_width=150, key="kpis"):
        for kid, label, value, delta in cards:
            with st.container(key=f"kpi_{kid}"):
                st.metric(
                    label,
                    value,
                    delta,
                    delta_color="off"
                    if kid in (live.PLAIN_ARROW_KPI, *live.STILL_KPIS)
                    else "normal",
                    # the appraisal cards' only line under the value is "no programme"
                    delta_arrow="off" if kid in live.STILL_KPIS else "auto",
                    help=helps.get(kid, t(f"kpi_help.{kid}"))
                    + "\n\n"
                    + t("kpi.how", lang=current_lang(), anchor=KPI_SECTIONS[kid]),
                    border=True,
                )


def _grp_chart(
    result: compute.Result, band: tuple[int, int], year: int, eff: dict[str, float]
) -> None:
    # the measure and the bands side by side (one horizontal container: st.columns would
    # add three blocks to the messages of every slider move)
    controls = st.container(horizontal=True, vertical_alignment="bottom")
    with controls:
        # in the link as its code (links.seed_choice)
        links.seed_choice(keys.GRP_MEASURE, MEASURES)
        measure = (
            st.segmented_control(
                t("chart.grp.measure"),
                MEASURES,
                default="grp",
                key=keys.GRP_MEASURE,
                format_func=lambda m: t(f"chart.grp.measure_{m}"),
                required=True,
            )
            or "grp"
        )
        links.keep_choice(keys.GRP_MEASURE, measure, "grp")
    with controls:
        # Off by default: 1,000 draws cost ~45 ms per new scenario (cached afterwards);
        # a slider rerun stays as fast as before unless the planner asks for the bands.
        show_bands = st.toggle(
            t("bands.toggle"),
            value=False,
            key=keys.BANDS,
            bind="query-params",
            help=t("bands.toggle_help", n=fmt_num(analysis.N_DRAWS)),
        )
    mc = analysis.bands(eff.key) if show_bands else None
    spec = figures.grp_spec(result, measure, band, mc)
    with st.container(key="grp_chart_box"):  # the live copy covers it (ui/live.js)
        figures.show(spec, key="chart_grp")
    if mc is not None:
        with st.container(key="bands_sentence"):
            st.markdown(beats_sentence(mc, eff, year))
        st.caption(t("bands.caption", n=fmt_num(mc.n_draws)))
    st.caption(t("chart.grp.caption", start=band[0], end=band[1]))


def beats_sentence(mc, eff: dict[str, float], year: int) -> str:
    """The plain sentence: in how many draws the scenario beats the baseline by ``year``."""
    if analysis.is_baseline(eff):
        return t("bands.is_baseline")
    return t(
        "bands.beats",
        pct=analysis.share_text_pct(mc.share_beating_baseline(year)),
        year=year,
        n=fmt_num(mc.n_draws),
    )


def _sectors_chart(result: compute.Result, band: tuple[int, int]) -> None:
    figures.show(figures.chart("sectors", result, band, current_lang()), key="chart_sectors")
    st.caption(t("chart.sectors.caption"))


def _physical_charts(result: compute.Result, band: tuple[int, int]) -> None:
    lang = current_lang()
    for col, chart_id in zip(st.columns(3), ("roads", "irrigation", "sme"), strict=True):
        with col:
            figures.show(
                figures.chart(chart_id, result, band, lang).properties(height=charts.SMALL_HEIGHT),
                key=f"chart_{chart_id}",
            )
    st.caption(t("chart.physical.caption"))


def _cost_chart(result: compute.Result, band: tuple[int, int]) -> None:
    figures.show(figures.chart("cost", result, band, current_lang()), key="chart_cost")
    st.caption(t("chart.cost.caption"))
    st.subheader(t("appraisal.title"))
    table = appraisal_table(
        result,
        lambda k: t(f"appraisal.{k}"),
        lambda r: t("appraisal.at_rate", rate=fmt_num(100 * r)),
        fmt_num,
        t("common.na"),
    )
    # a static table: its long row names wrap on a phone instead of pushing the rates
    # off-screen, as a scrolling data grid would
    with st.container(key="appraisal_table"):
        st.table(table.set_index(table.columns[0]))
    eff = state.current().effective
    if not analysis.is_baseline(eff):
        # the same draws as the bands (cached by settings): how sure is the ratio?
        mc = analysis.bands(eff.key)
        lo, hi = np.nanquantile(mc.bcr, [0.05, 0.95])
        st.markdown(
            t(
                "appraisal.draws",
                n=fmt_num(mc.n_draws),
                pct=analysis.share_text_pct(float(np.mean(mc.bcr > 1.0))),
                lo=fmt_num(lo, 2),
                hi=fmt_num(hi, 2),
            )
        )
    st.caption(t("appraisal.convention", base=result.appraisal[DEFAULT_RATE]["base_year"]))


def _table(result: compute.Result, band: tuple[int, int]) -> None:
    lang = current_lang()
    # the same table and CSV (with the byte-order mark spreadsheets need for Cyrillic)
    # as the exports page
    st.download_button(
        t("table.download"),
        data=exports.results_csv(result, lang),
        file_name="batken_results.csv",
        mime="text/csv",
        key="download_csv",
        icon=":material/download:",
        on_click="ignore",
    )
    table = exports.results_frame(result, lang)
    year = table.columns[0]
    # shown in the planner's number format, as on the cards (42 000, not 42000.1234)
    shown = table.astype(object)
    for col in table.columns[1:]:
        shown[col] = [fmt_num(v, 0 if abs(v) >= 100 or v == 0 else 2) for v in table[col]]
    shown[year] = table[year].astype(str)
    # the year pinned: on a phone the other columns scroll sideways under it
    st.dataframe(
        shown,
        hide_index=True,
        key="results_table",
        column_config={year: st.column_config.TextColumn(pinned=True)},
    )


def _share_and_save(settings: dict[str, float]) -> None:
    st.subheader(t("share.title"))
    cols = st.columns([3, 2])
    with cols[0], st.container(key="share_link"):
        st.caption(t("share.help"))
        st.code(links.share_link(settings), language=None, wrap_lines=True)
    with cols[1], st.container(key="save_box"):
        meta = state.meta_for(settings)
        text, error = scenario_text(settings, meta)
        if error:
            st.error(error)
        else:
            st.download_button(
                t("files.download_toml"),
                data=text,
                file_name=f"{file_stem(meta['name'] or t('files.default_name'))}.toml",
                mime="application/toml",
                key="download_scenario",
                icon=":material/download:",
                on_click="ignore",
                width="stretch",
            )
        st.page_link(nav.page("files"), label=t("share.more_files"), icon=":material/folder_open:")
        pin_box(settings)


def pin_current(settings: dict[str, float]) -> None:
    """Callback: pin the current settings under the name typed in ``pin_name``."""
    name = plain.text(st.session_state.get(keys.PIN_NAME) or "", 80)  # typed: visible controls
    if not name:
        match = state.matching_preset(settings)
        name = t(f"preset.{match}.name") if match else t("compare.pin_default", n=len(pinned()) + 1)
    pinned()[name[:80]] = dict(settings)
    st.session_state[keys.PIN_NAME] = ""
    st.session_state[keys.FLASH] = t("compare.pinned", name=plain.code(name[:80]))


def pinned() -> dict[str, dict[str, float]]:
    """The pinned scenarios of this session (name -> settings)."""
    return st.session_state.setdefault(keys.PINNED, {})


def pin_box(settings: dict[str, float], button_key: str = "pin_button") -> None:
    """The name field and the pin button (on this page and on the compare page)."""
    st.text_input(
        t("compare.pin_name"),
        key=keys.PIN_NAME,
        max_chars=80,
        placeholder=t("compare.pin_placeholder"),
    )
    st.button(
        t("compare.pin"),
        key=button_key,
        on_click=pin_current,
        args=(settings,),
        icon=":material/push_pin:",
        width="stretch",
    )
