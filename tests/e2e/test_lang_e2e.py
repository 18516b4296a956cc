"""Languages in a real browser: a Kyrgyz link, the language kept in the URL, switching."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_e2e_flows import GRP, THUMB, grp_text, no_exception, open_app
from ui.i18n import parse_num, translate

pytestmark = pytest.mark.browser


def test_kyrgyz_link_keeps_lang_and_levers(page: Page, app_url: str) -> None:
    open_app(page, app_url + "/?lang=ky&infrastructure_spend=1500")
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar).to_contain_text(translate("ky", "group.roads"))
    expect(page.locator("h1").first).to_have_text(translate("ky", "scenario.title"))
    before = grp_text(page)
    assert "\u00a0" in before, "Kyrgyz numbers should group thousands with a no-break space"
    thumb = page.locator(THUMB.format(key="road_maintenance"))
    thumb.focus()
    thumb.press("ArrowRight")
    expect(page.locator(GRP)).not_to_have_text(before)
    expect(page).to_have_url(re.compile(r"road_maintenance=\d+"))
    expect(page).to_have_url(re.compile(r"lang=ky"))
    expect(page).to_have_url(re.compile(r"infrastructure_spend=1500"))
    expect(page.locator(".st-key-share_link code")).to_contain_text("lang=ky")
    no_exception(page)


def test_switching_language_keeps_the_numbers(page: Page, app_url: str) -> None:
    open_app(page, app_url + "/?lang=en&sme_support=200")
    english = parse_num(grp_text(page), "en")
    page.locator(".st-key-lang input").click()
    page.get_by_role("option", name=translate("ru", "language.name")).click()
    expect(page.locator("h1").first).to_have_text(translate("ru", "scenario.title"))
    expect(page).to_have_url(re.compile(r"lang=ru"))
    expect(page).to_have_url(re.compile(r"sme_support=200"))
    expect(page.locator(GRP)).to_contain_text("\u00a0")  # the card has re-rendered
    assert parse_num(grp_text(page), "ru") == english
    no_exception(page)


def test_lever_help_links_to_its_methodology_section(page: Page, app_url: str) -> None:
    open_app(page, app_url + "/?lang=ru")
    page.locator('.st-key-infrastructure_spend [data-testid="stTooltipIcon"]').hover()
    link = page.get_by_role("link", name=re.sub(r"^\[|\].*$", "", translate(
        "ru", "lever.infrastructure_spend.help").split("[")[-1]))
    expect(link).to_have_attribute("href", "/methodology?lang=ru#roads")
    page.goto(app_url + "/methodology?lang=ru#roads")
    heading = page.locator("#roads")
    expect(heading).to_be_visible(timeout=20_000)
    expect(page.locator("h1").first).to_have_text(translate("ru", "methodology.title"))
    expect(heading).to_be_in_viewport(timeout=10_000)
