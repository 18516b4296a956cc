"""Languages in a real browser: a Kyrgyz link, the language kept in the URL, switching,
and a lever's help linking to its methodology section. Every expected label is read
from the catalogs."""

from __future__ import annotations

import re

import pytest

from ui.i18n import parse_num, translate

expect = pytest.importorskip("playwright.sync_api").expect

NBSP = "\u00a0"


def test_a_kyrgyz_link_keeps_its_language_and_levers_as_a_lever_moves(dashboard) -> None:
    dashboard.open("?lang=ky&infrastructure_spend=1500")
    sidebar = dashboard.page.locator('[data-testid="stSidebar"]')
    expect(sidebar).to_contain_text(translate("ky", "group.roads"))
    expect(dashboard.page.locator("h1").first).to_have_text(translate("ky", "scenario.title"))
    before = dashboard.kpi_text()
    assert NBSP in before, f"Kyrgyz numbers group thousands with a no-break space: {before!r}"
    dashboard.press("road_maintenance")
    expect(dashboard.kpi()).not_to_have_text(before)
    for param in (r"road_maintenance=\d+", r"lang=ky\b", r"infrastructure_spend=1500\b"):
        expect(dashboard.page).to_have_url(re.compile(param))
    expect(dashboard.share_link).to_contain_text("lang=ky")
    dashboard.expect_no_exception()


def test_switching_language_keeps_the_numbers(dashboard) -> None:
    dashboard.open("?lang=en&sme_support=200")
    english = parse_num(dashboard.kpi_text(), "en")
    dashboard.keyed("lang", "input").click()
    dashboard.page.get_by_role("option", name=translate("ru", "language.name")).click()
    expect(dashboard.page.locator("h1").first).to_have_text(translate("ru", "scenario.title"))
    expect(dashboard.page).to_have_url(re.compile(r"lang=ru\b"))
    expect(dashboard.page).to_have_url(re.compile(r"sme_support=200\b"))
    expect(dashboard.kpi()).to_contain_text(NBSP)  # the card has re-rendered in Russian
    assert parse_num(dashboard.kpi_text(), "ru") == english


def test_a_levers_help_links_to_its_methodology_section(dashboard) -> None:
    dashboard.open("?lang=ru")
    dashboard.keyed("infrastructure_spend", '[data-testid="stTooltipIcon"]').hover()
    help_text = translate("ru", "lever.infrastructure_spend.help")
    link_text = re.search(r"\[([^\]]+)\]\(", help_text)
    assert link_text, f"the help text has no markdown link: {help_text!r}"
    link = dashboard.page.get_by_role("link", name=link_text.group(1))
    expect(link).to_have_attribute("href", "/methodology?lang=ru#roads")
    dashboard.page.goto(dashboard.base_url + "/methodology?lang=ru#roads")
    heading = dashboard.page.locator("#roads")
    expect(heading).to_be_visible(timeout=20_000)
    expect(dashboard.page.locator("h1").first).to_have_text(translate("ru", "methodology.title"))
    expect(heading).to_be_in_viewport(timeout=10_000)
