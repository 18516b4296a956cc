"""The shared sidebar, rendered by the entrypoint on every page: presets, reset, levers.

Levers live here (not on a page) so their URL binding survives page switches.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import streamlit as st

from model import ALL_SETTINGS, LEVERS
from model.parameters import ParameterSet
from scenarios import PRESET_IDS
from scenarios.settings import Settings
from ui import analysis, compute, keys, plain, state
from ui.i18n import (
    current_lang,
    fmt_num,
    fmt_setting,
    language_selector,
    parse_num,
    t,
    translate,
)

BUDGET_KEY = keys.BUDGET
BUDGET_MAX = 1_000_000  # mln som; the levers at their bounds for 17 years cost ~750,000


def _lever(key: str) -> float:
    """The slider of one setting; its value this run."""
    spec = ALL_SETTINGS[key]
    years = key in state.YEAR_KEYS
    cast = int if years else float
    digits = spec.digits
    return st.slider(
        f"{t(f'lever.{key}.label')} ({t(f'unit.{key}')})",
        min_value=cast(spec.low),
        max_value=cast(spec.high),
        value=state.default(key),
        step=cast(spec.step),
        format="%d" if years else ("%.0f" if digits == 0 else "%.1f"),
        key=key,
        # static text: its "how it is modelled" link gets the levers in the browser
        # (ui/history.py), so an unmoved slider stays unchanged and is not drawn again
        help=t(
            f"lever.{key}.help",
            default=fmt_setting(key, spec.default),
            low=fmt_setting(key, spec.low),
            high=fmt_setting(key, spec.high),
            unit=t(f"unit.{key}"),
        ),
        bind="query-params",
    )


@st.cache_resource
def _unit_costs() -> dict[str, float]:
    """Central unit costs and conversions of the parameter table (read once)."""
    p = ParameterSet.central()
    return {k: float(v[0, 0]) for k, v in p.items()}


#: Money levers whose "what it buys" needs only their own value (road construction also
#: needs the trunk share, a slider drawn after it): their caption is drawn with the
#: slider, not in a placeholder filled later (one message less to the browser each).
OWN_VALUE_BUYS = tuple(k for k in LEVERS if k != "infrastructure_spend")


def buys(key: str, settings: Mapping[str, float], lang: str | None = None) -> str | None:
    """What a money lever's value buys each programme year, at the central unit costs
    (km of road, hectares, businesses): planners think in those, not in som. In ``lang``
    (None: the session's; give it outside a script run, as the live tables do)."""
    lang = lang or current_lang()
    c, x = _unit_costs(), settings[key]

    def num(value: float, digits: int = 0) -> str:
        return fmt_num(value, digits, lang=lang)

    if key == "infrastructure_spend":
        share = settings["road_trunk_share"] / 100.0
        trunk = x * share * c["road_efficiency"] / c["road_trunk_cost_mln_som_per_km"]
        local = x * (1 - share) * c["road_efficiency"] / c["road_local_cost_mln_som_per_km"]
        return translate(
            lang,
            "buys.roads",
            trunk=num(trunk),
            local=num(local),
            c_trunk=num(c["road_trunk_cost_mln_som_per_km"], 1),
            c_local=num(c["road_local_cost_mln_som_per_km"], 1),
        )
    if key == "road_maintenance":
        return translate(
            lang,
            "buys.maintenance",
            local=num(x / c["road_local_maint_cost_mln_som_per_km"]),
            trunk=num(x / c["road_trunk_maint_cost_mln_som_per_km"]),
        )
    if key in ("irrigation_new_ha", "irrigation_rehab_ha"):
        per_ha = c[
            "irr_cost_new_mln_som_per_ha"
            if key == "irrigation_new_ha"
            else "irr_cost_rehab_mln_som_per_ha"
        ]
        return translate(lang, "buys.cost", cost=num(x * per_ha), unit=num(1000 * per_ha))
    if key == "water_storage_mcm":
        return translate(
            lang,
            "buys.storage",
            cost=num(x * c["storage_cost_mln_som_per_mcm"]),
            ha=num(x * c["storage_ha_per_mcm"]),
        )
    if key == "sme_support":
        reached = x / c["sme_loan_size_mln_som"]
        return translate(
            lang, "buys.sme", reached=num(reached), added=num(reached * (1 - c["sme_deadweight"]))
        )
    return None


#: The settings each "what it buys" caption reads (the caption is under the first):
#: while one of them is dragged, the live layer writes the caption for the thumb's step.
BUYS_READS: dict[str, tuple[str, ...]] = {
    k: (k, "road_trunk_share") if k == "infrastructure_spend" else (k,) for k in LEVERS
}


def render() -> None:
    """Draw the sidebar. Must run before any page reads the lever values."""
    state.resync_bound_levers()
    with st.sidebar:
        language_selector()
        headline = st.container(key="sidebar_headline")  # filled once the levers are read
        st.selectbox(
            t("sidebar.preset"),
            PRESET_IDS,
            index=None,
            key=keys.PRESET_PICK,
            format_func=lambda pid: t(f"preset.{pid}.name"),
            placeholder=t("sidebar.preset_placeholder"),
            on_change=state.on_preset_pick,
            help=t("sidebar.preset_help"),
        )
        status = st.empty()  # filled once the sliders have their values (URL seeding)
        st.button(
            t("sidebar.reset"),
            key="reset_baseline",
            on_click=state.reset_to_baseline,
            icon=":material/restart_alt:",
            help=t("sidebar.reset_help"),
            width="stretch",
        )
        undo_box = st.empty()  # drawn once this run's levers are recorded
        with st.container(key="budget_box"):
            _budget_box()
            budget_status = st.empty()
        notes: dict = {}
        bought: dict = {}
        reversed_box = None
        for group, group_keys in state.GROUPS:
            with st.expander(t(f"group.{group}"), expanded=group != "context"):
                for key in group_keys:
                    value = _lever(key)
                    if key in OWN_VALUE_BUYS:  # what it buys: this slider's value alone
                        if text := buys(key, {key: value}):
                            st.caption(text)
                    elif key in LEVERS:  # needs later sliders: filled once all are read
                        bought[key] = st.empty()
                    else:  # where today's world is on this slider (money levers: at 0)
                        st.caption(
                            t(
                                "sidebar.status_quo",
                                value=fmt_setting(key, ALL_SETTINGS[key].default),
                            )
                        )
                if group in ("roads", "irrigation"):
                    notes[group] = st.empty()
                if group == "programme":
                    reversed_box = st.empty()
        settings = state.capture()  # this rerun's settings: every page reads them
        state.record(settings)
        with headline:
            _headline(settings)
        for key, box in bought.items():
            if text := buys(key, settings):
                box.caption(text)
        # one row of two buttons: a horizontal container (columns would add three
        # more blocks to every run's messages)
        with undo_box.container(horizontal=True):
            st.button(
                t("sidebar.undo"),
                key="undo",
                on_click=state.undo,
                width="stretch",
                icon=":material/undo:",
                disabled=not state.can_undo(),
                help=t("sidebar.undo_help"),
            )
            st.button(
                t("sidebar.redo"),
                key="redo",
                on_click=state.redo,
                width="stretch",
                icon=":material/redo:",
                disabled=not state.can_redo(),
                help=t("sidebar.redo_help"),
            )
        if settings.years_reversed and reversed_box is not None:
            reversed_box.warning(t("sidebar.years_reversed"), icon=":material/warning:")
        match = state.matching_preset(settings)
        status.caption(
            t("sidebar.matches_preset", name=t(f"preset.{match}.name"))
            if match
            else t("sidebar.custom_settings")
        )
        _feasibility(settings, budget_status, notes)


def _headline(settings: Settings) -> None:
    """The scenario's answer in one line at the top of the levers, so that on a phone,
    where the levers cover the page, the planner sees what a move does without closing
    them (the same figures as the scenario page's cards, for the year they show)."""
    from ui.results import DEFAULT_KPI_YEAR, kpi_change, value_at

    result = compute.run_one(settings.effective.key)
    cost = result.figure("cost")
    if not cost > 0:
        st.caption(t("sidebar.headline_baseline"))
        return
    year = int(st.session_state.get(keys.YEAR) or DEFAULT_KPI_YEAR)
    value, base = value_at(result, "grp", year)
    st.markdown(
        t("sidebar.headline", year=year, change=kpi_change(value, base, 0), cost=fmt_num(cost))
    )


def amount(value: float, lang: str | None = None) -> str:
    """A budget as the box shows it: 20.5 stays 20,5 (not 20), 15000 is 15 000."""
    return fmt_num(value, 0 if float(value).is_integer() else 1, lang=lang)


def _budget_from_link() -> float:
    """The budget a link carries (``links.check_link`` has refused a bad one), else 0."""
    raw = st.query_params.get(keys.BUDGET)
    try:
        value = float(raw) if raw is not None else 0.0
    except ValueError:
        return 0.0
    return value if math.isfinite(value) and 0 <= value <= BUDGET_MAX else 0.0


def _on_budget_text() -> None:
    """Callback of the budget box: take the typed amount, or say why not and keep the
    budget the planner had (a number input would clamp or drop it without a word)."""
    ss = st.session_state
    text = str(ss.get(keys.BUDGET_TEXT) or "").strip()
    value: float | None = 0.0
    if text:
        try:
            value = parse_num(text)
        except ValueError:
            value = None
    if value is None or not math.isfinite(value) or not 0 <= value <= BUDGET_MAX:
        ss[keys.BUDGET_ERROR] = t(
            "budget.bad",
            text=plain.code(text, 40),
            high=fmt_num(BUDGET_MAX),
            kept=fmt_num(float(ss.get(keys.BUDGET) or 0)),
        )
        return
    ss[keys.BUDGET], ss[keys.BUDGET_ERROR] = value, None
    if value > 0:
        st.query_params[keys.BUDGET] = f"{value:g}"
    else:
        st.query_params.pop(keys.BUDGET, None)


def _budget_box() -> None:
    """The optional budget envelope: typed text, checked, in the planner's number format."""
    ss = st.session_state
    if keys.BUDGET not in ss:
        ss[keys.BUDGET] = _budget_from_link()
    if keys.BUDGET_TEXT not in ss:
        value = float(ss[keys.BUDGET])
        ss[keys.BUDGET_TEXT] = amount(value) if value else ""
    st.text_input(
        t("budget.input"),
        key=keys.BUDGET_TEXT,
        help=t("budget.input_help"),
        placeholder="0",
        on_change=_on_budget_text,
        max_chars=40,
    )
    if ss.get(keys.BUDGET_ERROR):
        st.error(ss[keys.BUDGET_ERROR], icon=":material/error:")


def feasibility_problems(settings: Settings) -> list[str]:
    """The sidebar's warnings as short sentences, for the page itself: on a phone the
    sidebar is closed, and a planner must still see that a scenario is over budget or
    beyond the water or the road network."""
    check = analysis.feasibility(settings, float(st.session_state.get(BUDGET_KEY) or 0))
    out = []
    if check.over_budget:
        out.append(_budget_text("budget.over", check, settings))
    if check.short_basins:  # first: a river runs short no later than the oblast
        out.append(_basin_water(check))
    if check.water_year is not None:
        out.append(_oblast_water(check))
    if check.road_year is not None:
        out.append(_roads(check))
    return out


def _budget_text(key: str, check: analysis.Feasibility, settings: Settings) -> str:
    """``budget.over`` or ``budget.left``, filled in."""
    start, end = settings.band
    return t(
        key,
        over=fmt_num(-check.left),
        left=fmt_num(check.left),
        cost=fmt_num(check.cost_total),
        budget=amount(check.budget),
        start=start,
        end=end,
    )


def _basin_water(check: analysis.Feasibility) -> str:
    """The river basins the programme's land finds short of water, each with its year."""
    basins = ", ".join(
        t("budget.basin_from", name=t(f"basin.{b}"), year=year) for b, year in check.short_basins
    )
    return t("budget.basin_water", basins=basins)


def _oblast_water(check: analysis.Feasibility) -> str:
    return t(
        "budget.water",
        year=check.water_year,
        equipped=fmt_num(check.water_equipped_ha),
        cap=fmt_num(check.water_cap_ha),
    )


def _roads(check: analysis.Feasibility) -> str:
    return t("budget.roads", year=check.road_year, network=fmt_num(check.road_network_km))


def _feasibility(settings: Settings, budget_status, notes: dict) -> None:
    """Budget left and the feasibility warnings; reuses the page's cached run."""
    check = analysis.feasibility(settings, float(st.session_state.get(BUDGET_KEY) or 0))
    if check.budget > 0:
        with budget_status.container(key="budget_status"):
            if check.over_budget:
                st.warning(_budget_text("budget.over", check, settings), icon=":material/warning:")
            else:
                st.caption(_budget_text("budget.left", check, settings))
    if check.water_year is not None or check.short_basins:
        with notes["irrigation"].container(key="water_warning"):
            if check.short_basins:  # first: a river runs short no later than the oblast
                st.warning(_basin_water(check), icon=":material/water_drop:")
            if check.water_year is not None:
                st.warning(_oblast_water(check), icon=":material/water_drop:")
    if check.road_year is not None:
        with notes["roads"].container(key="road_warning"):
            st.warning(_roads(check), icon=":material/add_road:")
