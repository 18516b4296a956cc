"""Districts: results by district and city, the basins, and where each lever goes."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from model import BASINS, DISTRICTS, LEVERS, ParameterSet
from model.districts import shares as model_shares
from model.levers import basin_water_key, place_key
from scenarios.settings import Settings
from ui import districts as place
from ui import exports, figures, plain, state
from ui.i18n import current_lang, fmt_num, fmt_setting, fmt_signed, t
from ui.results import DEFAULT_KPI_YEAR, KPI_YEARS


def unit_name(d: str) -> str:
    return t(f"district.{d}")


def _shares_text(shares: dict[str, float]) -> str:
    return ", ".join(f"{unit_name(d)} {fmt_num(v, 0)} %" for d, v in shares.items() if v > 0.05)


@st.cache_resource
def _rule_shares() -> dict[str, dict[str, float]]:
    """Each lever's oblast-wide rule as % per unit, at the central parameters (the start
    values when a planner switches a lever to "by district")."""
    sh = model_shares(ParameterSet.central())
    land = sh.district_ha_2023[0] / sh.district_ha_2023[0].sum()
    pop = sh.population
    by = {
        "infrastructure_spend": 0.5 * sh.trunk + 0.5 * pop,
        "road_maintenance": 0.5 * sh.trunk + 0.5 * pop,
        "irrigation_new_ha": land,
        "irrigation_rehab_ha": land,
        "water_storage_mcm": land,
        "sme_support": pop,
    }
    return {k: {d: 100.0 * float(v[i]) for i, d in enumerate(DISTRICTS)} for k, v in by.items()}


# --- callbacks -------------------------------------------------------------------------------


def _on_share(lever: str, d: str) -> None:
    ss = st.session_state
    place.set_place(place_key(lever, d), float(ss[f"{place.PLACE_W}__{lever}__{d}"]))


def _on_mode(lever: str) -> None:
    ss = st.session_state
    mode = ss.get(f"{place.PLACE_MODE}__{lever}")
    for d in DISTRICTS:
        ss.pop(f"{place.PLACE_W}__{lever}__{d}", None)
        place.set_place(place_key(lever, d), 0.0)
    if mode == "placed":  # start from the rule, rounded to the sliders' 5 %
        for d, v in _rule_shares()[lever].items():
            place.set_place(place_key(lever, d), float(5 * round(v / 5)))


def _on_basin(b: str) -> None:
    ss = st.session_state
    place.set_place(basin_water_key(b), float(ss[f"{place.BASIN_W}__{b}"]))


def _on_reset() -> None:
    values = dict(st.session_state.get(place.PLACE) or {})
    keep = {k: v for k, v in values.items() if k.startswith("water_availability.")}
    place.apply_place(keep)


# --- sections --------------------------------------------------------------------------------


def _table(result: place.PlaceResult, year: int) -> None:
    st.subheader(t("districts.table_heading", year=year))
    rows = place.district_rows(result, year)
    oblast: dict[str, float] = {}
    for out, _ in place.MEASURES:
        if out == "grp_per_capita":
            continue
        oblast[out] = sum(float(r[out]) for r in rows)
        oblast[f"{out}_change"] = sum(float(r[f"{out}_change"]) for r in rows)
    pop, base_pop = result.at("population", year)
    grp, base_grp = result.at("grp", year)
    oblast["grp_per_capita"] = float(grp.sum() * 1e6 / pop.sum())
    oblast["grp_per_capita_change"] = oblast["grp_per_capita"] - float(
        base_grp.sum() * 1e6 / base_pop.sum()
    )
    shown = []
    for r in [*rows, {"district": "oblast", **oblast}]:
        name = (
            t("districts.oblast_total")
            if r["district"] == "oblast"
            else unit_name(str(r["district"]))
        )
        line = {t("districts.col_district"): name}
        for out, digits in place.MEASURES:
            change = fmt_signed(float(r[f"{out}_change"]), digits)
            line[t(f"districts.col_{out}")] = f"{fmt_num(float(r[out]), digits)} ({change})"
        shown.append(line)
    # the unit's name pinned: on a phone the other columns scroll sideways under it
    st.dataframe(
        pd.DataFrame(shown),
        hide_index=True,
        width="stretch",
        key="district_table",
        column_config={t("districts.col_district"): st.column_config.TextColumn(pinned=True)},
    )
    st.caption(t("districts.table_caption"))
    settings, lang = state.current().effective, current_lang()
    if st.toggle(t("districts.bands"), key="district_bands", help=t("districts.bands_help")):
        with st.spinner(t("districts.bands_running")):
            bands = place.district_gain_bands(settings.key, year)
        st.dataframe(
            pd.DataFrame(
                {
                    t("districts.col_district"): [unit_name(d) for d in DISTRICTS],
                    t("districts.col_gain"): [fmt_signed(bands[d][1]) for d in DISTRICTS],
                    t("districts.col_range"): [
                        f"{fmt_signed(bands[d][0])} … {fmt_signed(bands[d][2])}" for d in DISTRICTS
                    ],
                }
            ),
            hide_index=True,
            width="stretch",
            key="district_bands_table",
        )
        st.caption(t("districts.bands_caption", n=fmt_num(place.BAND_DRAWS), year=year))
    st.download_button(
        t("districts.csv"),
        data=lambda: exports.district_csv(settings, lang),
        file_name="batken_districts.csv",
        mime="text/csv",
        key="district_csv",
        icon=":material/download:",
        on_click="ignore",
    )


def _small_multiples(result: place.PlaceResult) -> None:
    st.subheader(t("districts.chart_heading"))
    ids = [out for out, _ in place.MEASURES]
    measure = st.selectbox(
        t("districts.measure"),
        ids,
        key=place.DISTRICT_MEASURE,
        format_func=lambda o: t(f"districts.col_{o}"),
        help=t("districts.measure_help"),
    )
    frame = place.small_multiples_frame(result, measure)
    names = {
        "scenario": t("districts.series_scenario"),
        "baseline": t("districts.series_baseline"),
    }
    frame["series"] = frame["series"].map(names)
    digits = dict(place.MEASURES)[measure]
    st.caption(t("districts.chart_legend", scenario=names["scenario"], baseline=names["baseline"]))
    for i, d in enumerate(DISTRICTS):
        if i % 3 == 0:  # a row of three: on a phone the units keep their order
            cols = st.columns(3)
        one = frame[frame["district"] == d]
        chart = (
            alt.Chart(one, title=alt.TitleParams(unit_name(d), fontSize=13, anchor="start"))
            .mark_line(strokeWidth=2)
            .encode(
                x=alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickCount=4)),
                y=alt.Y(
                    "value:Q",
                    title=None,
                    scale=alt.Scale(zero=False),
                    axis=alt.Axis(tickCount=4, format=f",.{digits}f"),
                ),
                color=alt.Color(
                    "series:N",
                    legend=None,
                    scale=alt.Scale(
                        domain=[names["scenario"], names["baseline"]],
                        range=["#1f77b4", "#8c8c8c"],
                    ),
                ),
                strokeDash=alt.StrokeDash(
                    "series:N",
                    legend=None,
                    scale=alt.Scale(
                        domain=[names["scenario"], names["baseline"]], range=[[1, 0], [4, 3]]
                    ),
                ),
                tooltip=[
                    alt.Tooltip("series:N", title=" "),
                    alt.Tooltip("year:Q", title=t("districts.axis_year"), format="d"),
                    alt.Tooltip(
                        "value:Q", title=t(f"districts.col_{measure}"), format=f",.{digits}f"
                    ),
                ],
            )
            .properties(height=160)
        )
        with cols[i % 3], st.container(key=f"district_multiple_{d}"):
            figures.show(chart, key=f"district_chart_{d}")


def _schematic(result: place.PlaceResult, year: int) -> None:
    st.subheader(t("districts.schematic_heading", year=year))
    lang = current_lang()
    labels = {
        "basins": t("districts.schematic_basins"),
        "units": t("districts.schematic_units"),
        "in_use": t("districts.schematic_in_use", pct="{pct}"),
        "ha": t("districts.schematic_ha", ha="{ha}"),
    }
    cells = {k: fmt_num(v, 0, lang=lang) for k, v in place.cells_in(result, year).items()}
    use = {b: fmt_num(v, 0, lang=lang) for b, v in place.basin_use(result, year).items()}
    dot = place.schematic_dot(
        {d: unit_name(d) for d in DISTRICTS},
        {b: t(f"basin.{b}") for b in BASINS},
        use,
        labels,
        cells,
        full={b: v >= 99.5 for b, v in place.basin_use(result, year).items()},
    )
    with st.container(key="basin_schematic"):  # scrolls sideways on a phone (ui/style.py)
        st.graphviz_chart(dot, width="stretch")
    st.caption(t("districts.schematic_caption"))
    for b, first in place.basins_beyond_water(result).items():
        st.warning(
            t("districts.basin_full", name=t(f"basin.{b}"), year=first),
            icon=":material/water_drop:",
        )


def _summary(settings: Settings) -> None:
    values = dict(st.session_state.get(place.PLACE) or {})
    rows = []
    for lever in LEVERS:
        shares = place.shares_of(values, lever)
        where = _shares_text(shares) if shares else t("districts.mode_rule")
        if not shares:
            where += ": " + t(f"districts.rule.{lever}")
        rows.append(
            {
                t("districts.place_summary_lever"): t(f"lever.{lever}.label"),
                t("districts.place_summary_amount"): f"{fmt_setting(lever, settings[lever])} "
                f"{t(f'unit.{lever}')}",
                t("districts.place_summary_where"): where,
            }
        )
    # a static table: its placements wrap (in a data grid they were cut, and on a phone
    # the "where" column was off the screen); the lever's name is its first column
    table = pd.DataFrame(rows)
    with st.container(key="place_summary"):
        st.table(table.set_index(table.columns[0]))


def _placement(settings: Settings) -> None:
    st.subheader(t("districts.place_heading"))
    st.caption(t("districts.place_intro"))
    ss = st.session_state
    for key, raw in ss.get(place.PLACE_REFUSED) or []:
        lever, _, unit = key.partition(".")
        label = (
            f"{t(f'basin.{unit}')}"
            if lever == "water_availability"
            else f"{t(f'lever.{lever}.label')}: {unit_name(unit)}"
        )
        st.warning(
            t("districts.refused", label=label, value=plain.code(raw, 40)),
            icon=":material/link_off:",
        )
    _summary(settings)
    values = dict(ss.get(place.PLACE) or {})
    lever = st.selectbox(
        t("districts.place_pick"),
        list(LEVERS),
        key=place.PLACE_LEVER,
        format_func=lambda k: t(f"lever.{k}.label"),
        help=t("districts.place_pick_help"),
    )
    mode_key = f"{place.PLACE_MODE}__{lever}"
    if mode_key not in ss:
        ss[mode_key] = "placed" if place.lever_placed(values, lever) else "rule"
    st.radio(
        t("districts.mode"),
        ["rule", "placed"],
        key=mode_key,
        format_func=lambda m: t(f"districts.mode_{m}"),
        horizontal=True,
        on_change=_on_mode,
        args=(lever,),
        help=t("districts.mode_help", rule=t(f"districts.rule.{lever}")),
    )
    if settings[lever] == 0:
        st.info(t("districts.lever_off"), icon=":material/info:")
    if ss[mode_key] == "placed":
        for i, d in enumerate(DISTRICTS):
            if i % 2 == 0:  # a row of two: on a phone the units keep their order
                cols = st.columns(2)
            wkey = f"{place.PLACE_W}__{lever}__{d}"
            if wkey not in ss:
                ss[wkey] = round(values.get(place_key(lever, d), 0.0))
            cols[i % 2].slider(
                unit_name(d),
                min_value=0,
                max_value=100,
                step=5,
                key=wkey,
                format="%d %%",
                on_change=_on_share,
                args=(lever, d),
            )
        shares = place.shares_of(dict(ss.get(place.PLACE) or {}), lever)
        if shares:
            st.caption(t("districts.shares_now", shares=_shares_text(shares)))
        else:
            st.caption(t("districts.shares_zero"))
    st.button(
        t("districts.reset_place"),
        key="place_reset",
        on_click=_on_reset,
        help=t("districts.reset_place_help"),
        icon=":material/restart_alt:",
    )
    with st.expander(
        t("districts.basins_heading"),
        expanded=any(k.startswith("water_availability.") for k in values),
    ):
        st.caption(t("districts.basins_help"))
        for i, b in enumerate(BASINS):
            if i % 2 == 0:
                cols = st.columns(2)
            wkey = f"{place.BASIN_W}__{b}"
            if wkey not in ss:
                ss[wkey] = round(values.get(basin_water_key(b), 100.0))
            cols[i % 2].slider(
                t("districts.basin_slider", name=t(f"basin.{b}")),
                min_value=30,
                max_value=150,
                step=5,
                key=wkey,
                on_change=_on_basin,
                args=(b,),
            )


def page() -> None:
    st.title(t("page.districts"))
    st.caption(t("districts.intro"))
    settings = state.current().effective
    result = place.run_places(settings.key)
    year = st.selectbox(
        t("districts.year"),
        list(KPI_YEARS),
        index=list(KPI_YEARS).index(DEFAULT_KPI_YEAR),
        key=place.DISTRICT_YEAR,
        help=t("districts.year_help"),
    )
    _table(result, int(year))
    _placement(settings)
    _schematic(result, int(year))
    _small_multiples(result)
    with st.expander(t("districts.sources_heading")):
        st.markdown(t("districts.sources"))
