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


#: Per chart: each row name's box and each row's bar boxes (rows by the bars' middles,
#: top to bottom), as drawn.
ROWS = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"] svg')]
  .filter(svg => svg.querySelector('.row_names_marks')).map(svg => {
    const box = e => {
      const r = e.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; };
    const names = [...svg.querySelectorAll('.row_names_marks text')].map(t =>
      ({...box(t), lines: t.querySelectorAll('tspan').length || 1, text: t.textContent}));
    const bars = [...svg.querySelectorAll('.row_bars_marks path')].map(box);
    return {names: names.sort((a, b) => a.top - b.top), bars}; })"""


@pytest.mark.parametrize(("lang", "width"), [("ru", 1400), ("ky", 390)])
def test_each_row_name_sits_on_its_own_bar(new_dashboard, lang: str, width: int) -> None:
    """The tornado's and the waterfall's names are written above their bars. A row was as
    tall as the longest (two-line) name, and a one-line name sat at the row's top, 17 px
    over its own bar and 6 px under the bar before it: read as the name of the bar above.
    Each name must be nearer its own bar than the one above it."""
    dash = new_dashboard(width=width, height=1000)
    dash.open(f"?lang={lang}&infrastructure_spend=1500&irrigation_new_ha=600", path="/analysis")
    names = dash.page.locator('[data-testid="stVegaLiteChart"] .row_names_marks')
    expect(names).to_have_count(2, timeout=30_000)  # the tornado and the waterfall
    for key, drawn in zip(("tornado", "waterfall"), dash.page.evaluate(ROWS), strict=True):
        rows: list[list[dict]] = []  # bars grouped by their middle: one row each
        for bar in sorted(drawn["bars"], key=lambda b: b["top"] + b["bottom"]):
            middle = (bar["top"] + bar["bottom"]) / 2
            if rows and abs((rows[-1][0]["top"] + rows[-1][0]["bottom"]) / 2 - middle) < 3:
                rows[-1].append(bar)
            else:
                rows.append([bar])
        assert len(rows) == len(drawn["names"]) >= 3, (key, len(rows), len(drawn["names"]))
        lines = [n["lines"] for n in drawn["names"]]
        if width >= 1000:  # a laptop's chart has room for every name on one line
            assert set(lines) == {1}, f"{key}: names on several lines on a laptop: {lines}"
        cut = [n["text"] for n in drawn["names"] if "…" in n["text"]]
        assert not cut, f"{lang} {width} px, {key}: names cut: {cut}"
        for i, name in enumerate(drawn["names"]):
            own = min(b["top"] for b in rows[i]) - name["bottom"]
            assert own >= -1, f"{key} row {i}: the name overlaps its bar ({own:.0f} px)"
            if i:
                above = name["top"] - max(b["bottom"] for b in rows[i - 1])
                assert own < above, (
                    f"{lang} {width} px, {key} row {i}: {own:.0f} px over its own bar, "
                    f"{above:.0f} px under the bar above"
                )
    dash.expect_no_exception()


def test_the_best_mix_reads_whole_on_a_phone(new_dashboard) -> None:
    """At 390 px the best mix's table (lever, a year, cost over the programme) was a data
    grid wider than the phone: the cost column, the answer to "what does each lever
    cost", was off the screen behind a sideways scroll nothing pointed to. Every lever's
    name and cost must be on the screen."""
    dash = new_dashboard(width=390, height=844)
    dash.open("?lang=ky", path="/goal")
    dash.keyed("goal_best_run", "button").first.click()
    result = dash.keyed("goal_result_best")
    expect(result).to_be_visible(timeout=20_000)
    dash.idle()
    cost_head = result.get_by_text(translate("ky", "goal.col_cost"), exact=True)
    expect(cost_head).to_be_visible()
    box = cost_head.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390, f"cost column off screen: {box}"
    for key in LEVERS:
        name = result.get_by_text(translate("ky", f"lever.{key}.label"), exact=True)
        expect(name).to_be_visible()
    dash.expect_no_exception()


def test_what_each_lever_adds_reads_whole_on_a_phone(new_dashboard) -> None:
    """The waterfall's table (each lever alone, and its share of the whole) was a data
    grid: at 390 px its share column was off the screen, and its numbers lost the
    thousands separator every other number on the page has (+1354, not +1 354). The
    share column must be on the screen, in the page's number format."""
    dash = new_dashboard(width=390, height=844)
    dash.open("?lang=ky&infrastructure_spend=1500&irrigation_new_ha=600", path="/analysis")
    table = dash.keyed("why_table")
    expect(table).to_be_visible(timeout=30_000)
    head = table.get_by_text(translate("ky", "analysis.col_shapley"), exact=True)
    expect(head).to_be_visible()
    box = head.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390, f"off the screen: {box}"
    cells = [c.strip() for c in table.locator("td").all_inner_texts()]
    big = [c for c in cells if re.fullmatch(r"[+-]?\d[\d\s\u00a0\u202f]*", c) and len(c) > 4]
    assert big, f"no value of four digits or more to check: {cells}"
    assert all(re.search(r"\d[\s\u00a0\u202f]\d{3}$", c) for c in big), big
    dash.expect_no_exception()
