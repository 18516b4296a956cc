"""The districts page in a real browser: a forum-plan link opens with its projects placed,
the schematic and the six small charts are drawn, and placing a lever reaches the address
bar and the scenario page."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

from model import DISTRICTS
from scenarios import preset
from scenarios.settings import Settings
from ui.i18n import translate

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api").expect

FORUM = "?" + urlencode(Settings.from_mapping(preset("forum_2013").to_settings()).to_query())


def test_forum_link_opens_the_districts_page_with_its_projects_placed(dashboard) -> None:
    dashboard.open(FORUM, path="/districts")
    page = dashboard.page
    dashboard.expect_no_exception()
    table = page.locator('[data-testid="stDataFrame"]').first
    expect(table).to_be_visible(timeout=20_000)
    # the schematic: every basin and unit drawn as SVG text
    svg = page.locator('[data-testid="stGraphVizChart"] svg')
    expect(svg).to_be_visible(timeout=20_000)
    for d in DISTRICTS:
        expect(svg).to_contain_text(translate("en", f"district.{d}"))
    expect(svg).to_contain_text(translate("en", "basin.sokh"))
    # six small charts, one per unit
    for d in DISTRICTS:
        chart = dashboard.keyed(f"district_multiple_{d}", '[data-testid="stVegaLiteChart"]')
        expect(chart).to_be_visible(timeout=20_000)
        expect(chart).to_contain_text(translate("en", f"district.{d}"))
    # the placement summary says where the forum plan's new land goes
    # (the data grid draws on a canvas; its cells are in the page for screen readers)
    expect(page.get_by_text("Batken district 30 %, Kadamjay district 70 %")).to_be_attached()
    expect(page).to_have_url(re.compile(r"[?&]irrigation_new_ha\.kadamjay=70\b"))


def test_placing_business_support_reaches_the_link_and_survives_a_page_switch(
    dashboard,
) -> None:
    dashboard.open("?sme_support=400", path="/districts")
    page = dashboard.page
    expect(page.locator('[data-testid="stGraphVizChart"] svg')).to_be_visible(timeout=20_000)
    dashboard.idle()
    picker = dashboard.keyed("place_lever", "input")
    picker.click()
    picker.press_sequentially("Business credit")  # the select box filters as one types
    page.get_by_role("option", name=translate("en", "lever.sme_support.label")).click()
    dashboard.idle()
    dashboard.keyed("place_mode__sme_support").get_by_text(
        translate("en", "districts.mode_placed")
    ).click()
    dashboard.idle()
    # the rule's start values are in the link now (population: Kadamjay 35 %)
    expect(page).to_have_url(re.compile(r"[?&]sme_support\.kadamjay=35\b"), timeout=20_000)
    thumb = dashboard.keyed("place_w__sme_support__sulukta", 'input[type="range"]')
    # one press at a time, each answered (its value in the address bar) before the next:
    # a press that lands while the previous one's run redraws the slider can be lost
    # (Streamlit's own race, not the placement's)
    for _ in range(4):
        before = page.url
        thumb.focus()
        thumb.press("ArrowRight")
        expect(page).not_to_have_url(before, timeout=20_000)
        dashboard.idle()
    expect(page).to_have_url(re.compile(r"[?&]sme_support\.sulukta=(2[05]|30)\b"), timeout=20_000)
    # on another page the scenario keeps its placement (the address bar too)
    dashboard.go_home()
    expect(page).to_have_url(re.compile(r"[?&]sme_support\.kadamjay=35\b"), timeout=20_000)
    dashboard.expect_no_exception()


def test_the_basin_schematic_reads_on_a_phone(new_dashboard) -> None:
    """At 390 px the schematic shrank to the phone's width and its words were ~5 px high:
    it keeps a legible size and scrolls sideways, as the causal diagram does."""
    dash = new_dashboard(width=390, height=844)
    dash.open(FORUM + "&lang=ky", path="/districts")
    texts = dash.page.locator('[data-testid="stGraphVizChart"] svg text')
    expect(texts.first).to_be_visible(timeout=20_000)
    # each word's font size as drawn: its size in the drawing times the drawing's scale
    smallest = """() => Math.min(...[...document.querySelectorAll(
        '[data-testid="stGraphVizChart"] svg text')].map(t =>
        parseFloat(t.getAttribute('font-size')) * t.getScreenCTM().a))"""
    size = dash.page.evaluate(smallest)
    assert size >= 9, f"the schematic's smallest words are drawn {size:.1f} px high"
    dash.expect_no_exception()


def test_where_each_lever_goes_reads_whole_on_a_phone(new_dashboard) -> None:
    """At 390 px the "where the levers go" table was a data grid wider than the screen:
    its third column, where each lever's money goes, was off the screen (and a long
    placement is cut in a grid's cell at any width). Each placement must be on the
    screen, whole."""
    dash = new_dashboard(width=390, height=844)
    dash.open(FORUM + "&lang=ky", path="/districts")
    summary = dash.keyed("place_summary")
    expect(summary).to_be_visible(timeout=20_000)
    where = ", ".join(
        f"{translate('ky', f'district.{d}')} {share} %"
        for d, share in (("batken", 30), ("kadamjay", 70))
    )
    placed = summary.get_by_text(where)
    expect(placed).to_be_visible()
    box = placed.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390, f"off the screen: {box}"
    dash.expect_no_exception()
