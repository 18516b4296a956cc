"""Browser flow of issue 4: goal-seek, apply the mix, and see it in the URL and the KPIs."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_e2e_flows import GRP, THUMB, go_home, go_to, grp_text, no_exception, open_app

pytestmark = pytest.mark.browser


def idle(page: Page) -> None:
    """No script run in progress (a rerun briefly shows stale and new elements)."""
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=20_000)


def test_goal_seek_apply_updates_url_and_kpis(page: Page, app_url: str) -> None:
    open_app(page, app_url)
    baseline = grp_text(page)
    go_to(page, "goal")
    budget = page.locator(".st-key-goal_budget input")
    budget.fill("15000")
    budget.press("Enter")
    idle(page)
    page.locator(".st-key-goal_best_run button").first.click()
    result = page.locator(".st-key-goal_result_best")
    expect(result).to_be_visible(timeout=20_000)
    expect(result).to_contain_text("Within the budget")
    idle(page)
    page.locator(".st-key-goal_apply_best button").first.click()
    expect(page.locator(".st-key-goal_applied_best")).to_be_visible(timeout=20_000)
    # the levers are bound to the URL: the address bar now carries the mix
    expect(page).to_have_url(re.compile(r"infrastructure_spend=\d+"))
    url = page.url
    shown = {k: page.locator(THUMB.format(key=k)).input_value()
             for k in ("infrastructure_spend", "road_maintenance", "sme_support")}
    for key, value in shown.items():
        if value != "0":
            assert f"{key}={value}" in url, f"URL {url} lacks {key}={value}"
    no_exception(page)
    go_home(page)
    expect(page.locator(GRP)).not_to_have_text(baseline)
    expect(page).to_have_url(re.compile(r"infrastructure_spend=\d+"))
    no_exception(page)
