"""The dashboard's own CSS: a few rules where Streamlit's defaults hide what a planner
must read. Our own text only, never anything from a file or a link."""

from __future__ import annotations

import streamlit as st

#: KPI labels wrap instead of being cut with "…": in Kyrgyz and Russian, and on a phone,
#: most labels are longer than a card is wide (tests/e2e/test_workflow_e2e.py measures it).
CSS = """
<style>
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; height: auto !important;
}
[data-testid="stMetricLabel"] { align-items: flex-start !important; }
</style>
"""


def apply() -> None:
    """Add the CSS to the page (no visible element)."""
    st.html(CSS)
