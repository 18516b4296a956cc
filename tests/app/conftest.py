"""Helpers of the AppTest suites (headless app runs): one place, imported by the test
modules (``from tests.app.conftest import new_app, goto, ...``)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from streamlit import config
from streamlit.navigation.page import calc_hash
from streamlit.testing.v1 import AppTest

TIMEOUT = 60
APP = str(Path(__file__).resolve().parents[2] / "app.py")
KPI_YEAR = 2035  # the year the KPI cards show by default

# The shipped config hides error details from visitors (client.showErrorDetails =
# "none"); a failing test should still say what the app raised.
# (test_bad_input.py::test_a_visitor_never_sees_a_traceback_or_a_server_path checks the
# shipped value.)
config.set_option("client.showErrorDetails", "full")


def new_app(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def goto(at: AppTest, page_id: str) -> AppTest:
    """Open a page. Our pages are callables (st.Page(fn, url_path=...)); AppTest's public
    switch_page() only resolves page *files*, so set the page hash the way a real session
    does: st.Page hashes its url_path."""
    at._page_hash = calc_hash(page_id)  # private: see docstring
    return at.run()


def no_exception(at: AppTest) -> None:
    assert not at.exception, f"the app raised: {[e.message for e in at.exception]}"


def metric_number(at: AppTest, kpi: str) -> float:
    """The value shown in a KPI card, as a number (cards are keyed kpi_<id>)."""
    from ui.i18n import catalog

    # the English label up to its year, from the catalog the app reads
    pattern = re.escape(catalog("en")[f"kpi.{kpi}"]).replace(r"\{year\}", r"\d{4}")
    for m in at.metric:
        if re.fullmatch(pattern, m.label):
            text = m.value.replace(",", "")
            return float("nan") if text == "n/a" else float(text)
    raise AssertionError(f"no KPI card for {kpi!r}; cards: {[m.label for m in at.metric]}")


def chart_title(chart) -> str:
    """The title of a Vega-Lite chart element of an AppTest run, as one string (a long
    title is sent as one line or lines, by the chart's width: ui/charts.title_params)."""
    from ui.charts import title_text

    return title_text(json.loads(chart.proto.spec).get("title", {}))
