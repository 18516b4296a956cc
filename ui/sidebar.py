"""The shared sidebar, rendered by the entrypoint on every page: presets, reset, levers.

Levers live here (not on a page) so their URL binding survives page switches.
"""

from __future__ import annotations

import streamlit as st

from model import ALL_SETTINGS
from scenarios import PRESET_IDS
from scenarios.settings import Settings
from ui import analysis, keys, state
from ui.i18n import fmt_num, fmt_setting, language_selector, t

BUDGET_KEY = keys.BUDGET
BUDGET_MAX = 1_000_000  # mln som; the levers at their bounds for 17 years cost ~750,000


def _lever(key: str) -> None:
    spec = ALL_SETTINGS[key]
    years = key in state.YEAR_KEYS
    cast = int if years else float
    digits = spec.digits
    st.slider(
        f"{t(f'lever.{key}.label')} ({t(f'unit.{key}')})",
        min_value=cast(spec.low),
        max_value=cast(spec.high),
        value=state.default(key),
        step=cast(spec.step),
        format="%d" if years else ("%.0f" if digits == 0 else "%.1f"),
        key=key,
        help=t(f"lever.{key}.help", default=fmt_setting(key, spec.default),
               low=fmt_setting(key, spec.low), high=fmt_setting(key, spec.high),
               unit=t(f"unit.{key}")),
        bind="query-params",
    )


def render() -> None:
    """Draw the sidebar. Must run before any page reads the lever values."""
    state.resync_bound_levers()
    with st.sidebar:
        language_selector()
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
        st.button(t("sidebar.reset"), key="reset_baseline", on_click=state.reset_to_baseline,
                  icon=":material/restart_alt:", help=t("sidebar.reset_help"),
                  width="stretch")
        with st.container(key="budget_box"):
            st.number_input(t("budget.input"), min_value=0, max_value=BUDGET_MAX, value=0,
                            step=1000, key=BUDGET_KEY, help=t("budget.input_help"),
                            bind="query-params")
            budget_status = st.empty()
        notes: dict = {}
        reversed_box = None
        for group, group_keys in state.GROUPS:
            with st.expander(t(f"group.{group}"), expanded=group != "context"):
                for key in group_keys:
                    _lever(key)
                if group in ("roads", "irrigation"):
                    notes[group] = st.empty()
                if group == "programme":
                    reversed_box = st.empty()
        settings = state.capture()  # this rerun's settings: every page reads them
        if settings.years_reversed and reversed_box is not None:
            reversed_box.warning(t("sidebar.years_reversed"), icon=":material/warning:")
        match = state.matching_preset(settings)
        status.caption(t("sidebar.matches_preset", name=t(f"preset.{match}.name")) if match
                       else t("sidebar.custom_settings"))
        _feasibility(settings, budget_status, notes)


def _feasibility(settings: Settings, budget_status, notes: dict) -> None:
    """Budget left and the feasibility warnings; reuses the page's cached run."""
    check = analysis.feasibility(settings, float(st.session_state.get(BUDGET_KEY) or 0))
    start, end = settings.band
    years = {"start": start, "end": end}
    if check.budget > 0:
        with budget_status.container(key="budget_status"):
            if check.over_budget:
                st.warning(t("budget.over", over=fmt_num(-check.left),
                             cost=fmt_num(check.cost_total), budget=fmt_num(check.budget),
                             **years), icon=":material/warning:")
            else:
                st.caption(t("budget.left", left=fmt_num(check.left),
                             cost=fmt_num(check.cost_total), budget=fmt_num(check.budget),
                             **years))
    if check.water_year is not None:
        with notes["irrigation"].container(key="water_warning"):
            st.warning(t("budget.water", year=check.water_year,
                         equipped=fmt_num(check.water_equipped_ha),
                         cap=fmt_num(check.water_cap_ha)), icon=":material/water_drop:")
    if check.road_year is not None:
        with notes["roads"].container(key="road_warning"):
            st.warning(t("budget.roads", year=check.road_year,
                         network=fmt_num(check.road_network_km)), icon=":material/add_road:")
