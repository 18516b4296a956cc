"""The dashboard's own CSS: a few rules where Streamlit's defaults hide what a planner
must read. Our own text only, never anything from a file or a link."""

from __future__ import annotations

import streamlit as st

#: KPI labels wrap instead of being cut with "…": in Kyrgyz and Russian, and on a phone,
#: most labels are longer than a card is wide; the result tabs wrap too; the headline
#: stays in view (tests/e2e/test_workflow_e2e.py measures the first two).
CSS = """
<style>
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; height: auto !important;
}
[data-testid="stMetricLabel"] { align-items: flex-start !important; }
/* Tabs wrap onto a second line instead of running off a phone's screen. */
[data-testid="stTabs"] [role="tablist"] { flex-wrap: wrap !important; row-gap: 0.25rem; }
/* The headline answer stays in view while the planner scrolls the cards and charts. */
.st-key-headline {
  position: sticky; top: 0; z-index: 5; background: var(--background-color, #fff);
  padding: 0.25rem 0;
}
</style>
"""


def apply() -> None:
    """Add the CSS to the page (no visible element)."""
    st.html(CSS)
