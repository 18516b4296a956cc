"""The shared sidebar, rendered by the entrypoint on every page: presets, reset, levers.

Levers live here (not on a page) so their URL binding survives page switches.
"""

from __future__ import annotations

import streamlit as st

from model import ALL_SETTINGS
from scenarios import PRESET_IDS
from ui import state
from ui.i18n import language_selector, t


def _lever(key: str) -> None:
    spec = ALL_SETTINGS[key]
    years = key in state.YEAR_KEYS
    cast = int if years else float
    digits = 0 if float(spec.step).is_integer() else 1
    st.slider(
        f"{t(f'lever.{key}.label')} ({t(f'unit.{key}')})",
        min_value=cast(spec.low),
        max_value=cast(spec.high),
        value=state.default(key),
        step=cast(spec.step),
        format="%d" if years else ("%.0f" if digits == 0 else "%.1f"),
        key=key,
        help=t(f"lever.{key}.help", default=state.fmt_setting(key, spec.default),
               low=state.fmt_setting(key, spec.low), high=state.fmt_setting(key, spec.high),
               unit=t(f"unit.{key}")),
        bind="query-params",
    )


def render() -> None:
    """Draw the sidebar. Must run before any page reads the lever values."""
    with st.sidebar:
        language_selector()
        st.selectbox(
            t("sidebar.preset"),
            PRESET_IDS,
            index=None,
            key=state.PRESET_PICK,
            format_func=lambda pid: t(f"preset.{pid}.name"),
            placeholder=t("sidebar.preset_placeholder"),
            on_change=state.on_preset_pick,
            help=t("sidebar.preset_help"),
        )
        status = st.empty()  # filled once the sliders have their values (URL seeding)
        st.button(t("sidebar.reset"), key="reset_baseline", on_click=state.reset_to_baseline,
                  icon=":material/restart_alt:", help=t("sidebar.reset_help"),
                  width="stretch")
        for group, keys in state.GROUPS:
            with st.expander(t(f"group.{group}"), expanded=group != "context"):
                for key in keys:
                    _lever(key)
                if group == "programme" and state.years_reversed(state.current_settings()):
                    st.warning(t("sidebar.years_reversed"), icon=":material/warning:")
        match = state.matching_preset(state.current_settings())
        status.caption(t("sidebar.matches_preset", name=t(f"preset.{match}.name")) if match
                       else t("sidebar.custom_settings"))
