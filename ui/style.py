"""The dashboard's own CSS: a few rules where Streamlit's defaults hide what a planner
must read. Our own text only, never anything from a file or a link."""

from __future__ import annotations

import streamlit as st

from ui.i18n import t

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
/* Button labels wrap too: a download button read "... параметрлер (Ex…" on a phone. */
[data-testid^="stBaseButton"] [data-testid="stMarkdownContainer"],
[data-testid^="stBaseButton"] [data-testid="stMarkdownContainer"] p {
  white-space: normal !important; overflow: visible !important;
  text-overflow: clip !important; overflow-wrap: anywhere;
}
/* Tabs wrap onto a second line instead of running off a phone's screen. */
[data-testid="stTabs"] [role="tablist"] { flex-wrap: wrap !important; row-gap: 0.25rem; }
/* The result sections read as tabs (an underlined row), not as one more row of choice
   buttons like the GRP measure below them: on a phone both rows wrap and looked alike. */
.st-key-result_tab [role="radiogroup"] {
  gap: 0 0.25rem !important; border-bottom: 1px solid rgba(49, 51, 63, 0.2);
}
.st-key-result_tab button[role="radio"] {
  border: none !important; border-radius: 0 !important; background: transparent !important;
  border-bottom: 3px solid transparent !important; box-shadow: none !important;
  flex: 0 1 auto !important; padding: 0.3rem 0.6rem !important;
}
.st-key-result_tab button[role="radio"][aria-checked="true"] {
  border-bottom-color: currentColor !important; font-weight: 600;
}
.st-key-result_tab button[role="radio"][aria-checked="true"] p { font-weight: 600; }
.st-key-result_tab button[role="radio"]:focus-visible {
  outline: 2px solid currentColor !important; outline-offset: 2px;
}
/* The headline answer stays in view while the planner scrolls the cards and charts. */
[data-testid="stLayoutWrapper"]:has(> .st-key-headline), .st-key-headline {
  position: sticky; top: 0; z-index: 5; background: var(--background-color, #fff);
  padding: 0.25rem 0;
}
/* The live layer's script (ui/live.py) is mounted first on the scenario page and draws
   nothing of its own: out of the flow, so that it adds no gap above the title. */
.st-key-live_layer {
  position: absolute !important; width: 0 !important; height: 0 !important; overflow: hidden;
}
/* While a lever is dragged (ui/live.js): a headline shows the live answer sentence in
   place of what it holds; a card without a change line gets a live one, coloured as
   Streamlit colours its own, and hidden once the settled card has its own. */
.batken-live-on > :not(.batken-live-sentence) { display: none !important; }
.batken-live-sentence p { margin: 0; }
/* the budget line: a caption within the budget, a warning's colours over it */
.st-key-budget_status .batken-live-sentence { font-size: 0.875rem; }
.st-key-budget_status .batken-live-sentence[data-over="false"] { color: rgba(49, 51, 63, 0.6); }
.st-key-budget_status .batken-live-sentence[data-over="true"] {
  color: rgb(146, 108, 5); background: rgba(255, 189, 69, 0.2);
  padding: 0.75rem 1rem; border-radius: 0.5rem;
}
.batken-live-delta {
  display: inline-flex; width: fit-content; border-radius: 9999px; font-size: 14px;
  padding: 2px 6px 2px 4px; color: rgb(104, 98, 85); background: rgb(245, 244, 242);
}
.batken-live-delta[data-sign="up"] { color: rgb(12, 90, 68); background: rgb(241, 251, 246); }
.batken-live-delta[data-sign="down"] { color: rgb(158, 48, 59); background: rgb(255, 241, 242); }
.batken-live-delta[data-sign="up"]::before { content: "↑"; margin-right: 4px; }
.batken-live-delta[data-sign="down"]::before { content: "↓"; margin-right: 4px; }
[data-testid="stMetric"]:has([data-testid="stMetricDelta"]) .batken-live-delta { display: none; }
/* Page names in the menu wrap instead of ending in "…" (Kyrgyz and Russian names). */
[data-testid="stSidebarNavLink"] span, [data-testid="stSidebarNavLink"] p,
[data-testid="stSidebarNavLink"] .stMarkdownEllipsis {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}
[data-testid="stSidebarNavLink"] { height: auto !important; min-height: 2rem; }
/* The causal diagram and the basin schematic keep a readable size on a phone and scroll
   sideways (shrunk to 358 px, the schematic's smallest words were 7 px high). */
.st-key-causal_chain, .st-key-basin_schematic { overflow-x: auto; }
.st-key-causal_chain svg { min-width: 760px; }
.st-key-basin_schematic svg { min-width: 620px; }
/* The KPI cards of a row are as tall as its tallest (a label on two lines made its card
   stand out below the others): each grid cell's content fills the cell. */
.st-key-kpis [data-testid="stLayoutWrapper"]:has(> [class*="st-key-kpi_"]) { flex: 1 1 auto; }
.st-key-kpis [class*="st-key-kpi_"] > [data-testid="stElementContainer"] { flex: 1 1 auto; }
.st-key-kpis [class*="st-key-kpi_"] [data-testid="stMetric"] { height: 100%; }
/* The scenario's one-line answer stays on top of the levers while they scroll. */
[data-testid="stLayoutWrapper"]:has(> .st-key-sidebar_headline), .st-key-sidebar_headline {
  position: sticky; top: 0; z-index: 5; padding: 0.25rem 0;
  background: var(--secondary-background-color, #f0f2f6);
}
</style>
"""

#: The sidebar's open button is an unlabelled ">>" icon; on a phone, where the levers
#: live behind it, it says what it opens (our own catalog text, never outside text).
LABEL_CSS = """
<style>
[data-testid="stExpandSidebarButton"]::after {
  content: "%s"; margin-left: 0.35rem; font-weight: 600; font-size: 0.95rem;
}
[data-testid="stExpandSidebarButton"] { width: auto !important; padding-right: 0.6rem; }
</style>
"""


def apply() -> None:
    """Add the CSS to the page (no visible element)."""
    label = t("sidebar.open_levers").replace("\\", "").replace('"', "")
    st.html(CSS + LABEL_CSS % label)
