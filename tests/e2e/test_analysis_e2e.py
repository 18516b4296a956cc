"""Goal-seek in a real browser: find the best mix for a budget, apply it, and see it in
the address bar and the KPIs."""

from __future__ import annotations

import re

import pytest

from model import LEVERS
from ui.i18n import translate

expect = pytest.importorskip("playwright.sync_api").expect

BUDGET = 15000


def test_applying_the_best_mix_for_a_budget_moves_the_levers_url_and_kpis(dashboard) -> None:
    dashboard.open()
    baseline = dashboard.kpi_text()
    dashboard.go_to("goal")
    budget = dashboard.keyed("goal_budget", "input")
    budget.fill(str(BUDGET))
    budget.press("Enter")
    dashboard.idle()
    dashboard.keyed("goal_best_run", "button").first.click()
    result = dashboard.keyed("goal_result_best")
    expect(result).to_be_visible(timeout=20_000)
    expect(result).to_contain_text(translate("en", "goal.budget_check").split("{")[0].strip())
    dashboard.idle()
    dashboard.keyed("goal_apply_best", "button").first.click()
    expect(dashboard.keyed("goal_applied_best")).to_be_visible(timeout=20_000)
    # the levers are bound to the URL: the address bar now carries the mix
    shown = dashboard.lever_values(list(LEVERS))
    moved = {k: v for k, v in shown.items() if float(v) != LEVERS[k].default}
    assert moved, f"applying the mix left every lever at its default: {shown}"
    for key, value in moved.items():
        expect(dashboard.page).to_have_url(re.compile(rf"[?&]{key}={re.escape(value)}\b"))
    dashboard.expect_no_exception()
    dashboard.go_home()
    expect(dashboard.kpi()).not_to_have_text(baseline)
    for key, value in moved.items():
        expect(dashboard.page).to_have_url(re.compile(rf"[?&]{key}={re.escape(value)}\b"))
    dashboard.expect_no_exception()
