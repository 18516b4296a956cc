"""Uncertainty, sensitivity and attribution (issue 4). Placeholder until the page lands."""

from __future__ import annotations

import streamlit as st

from ui.i18n import t


def page() -> None:
    st.title(t("page.analysis"))
