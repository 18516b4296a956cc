"""Issue 10's defects 7, 9, 10, 11, 13 and 14 in a real browser, in the language each was
seen in, at a laptop's width and (where the defect is about text or layout) a phone's.

AppTest (tests/app/) proves what the app sends; these read what Chromium draws: the
legend of the rendered Vega chart, the cells of a data grid as its accessible table
holds them, the text a planner can see. Every expected text comes from the catalogs.
"""

from __future__ import annotations

import re

import pytest

from model import ALL_SETTINGS
from model.parameters import parameter_table
from scenarios import preset
from scenarios.settings import Settings
from tests.e2e.conftest import TIMEOUT_MS
from ui.i18n import parse_num, translate

expect = pytest.importorskip("playwright.sync_api").expect

DESKTOP = (1280, 800)
PHONE = (390, 844)
NBSP = "\u00a0"

#: Each legend of a Vega chart drawn as SVG: its title and its entries' labels.
LEGENDS = """c => [...c.querySelectorAll('.role-legend')].map(l => ({
  title: [...l.querySelectorAll('.role-legend-title text')].map(t => t.textContent).join(' '),
  labels: [...l.querySelectorAll('.role-legend-label text')].map(t => t.textContent)}))"""

#: The cells of a Streamlit data grid (glide-data-grid draws on a canvas and keeps only
#: the cells in view in an accessible table, updated ~0.2 s after a scroll): scroll it
#: page by page and collect "row,column" -> text (row 1 is the header), with the grid's
#: own row and column counts. ``mode``: "full" (every page), "edges" (across the top
#: rows and down the first columns) or "down" (down the first columns).
GRID_CELLS = """async (root, mode) => {
  const sc = root.querySelector('.dvn-scroller');
  const grid = root.querySelector('table[role="grid"]');
  const cells = {};
  const grab = () => { for (const r of root.querySelectorAll('[role="row"]')) {
    const ri = r.getAttribute('aria-rowindex');
    for (const c of r.querySelectorAll('[role="gridcell"],[role="columnheader"]'))
      cells[ri + ',' + c.getAttribute('aria-colindex')] = c.textContent; } };
  // what the grid holds: each row's index and its cells' columns (a pinned first
  // column is always there, so its first cell alone does not show a sideways scroll)
  const sig = () => [...root.querySelectorAll('[role="row"]')].map(r =>
    r.getAttribute('aria-rowindex') + ':' +
    [...r.children].map(c => c.ariaColIndex).join(',')).join(' ');
  const go = async (left, top) => {
    const before = sig(), t0 = performance.now(), was = [sc.scrollLeft, sc.scrollTop];
    sc.scrollTo(left, top);
    // at the grid's edge the scroll stays where it was: nothing new to wait for
    if (sc.scrollLeft === was[0] && sc.scrollTop === was[1]) { grab(); return; }
    while (sig() === before && performance.now() - t0 < 1500)
      await new Promise(res => setTimeout(res, 20));
    grab();
  };
  const pages = (size, total) => {
    const out = [0];
    while (out[out.length - 1] + size < total) out.push(out[out.length - 1] + size - 40);
    return out;
  };
  grab();
  // half a width a step: a pinned first column covers part of what a scroll shows
  const lefts = pages(sc.clientWidth / 2, sc.scrollWidth);
  const tops = pages(sc.clientHeight, sc.scrollHeight);
  const spots = mode === 'full' ? tops.flatMap(t => lefts.map(l => [l, t]))
    : [...(mode === 'edges' ? lefts.map(l => [l, 0]) : []), ...tops.map(t => [0, t])];
  for (const [l, t] of spots) if (l || t) await go(l, t);
  sc.scrollTo(0, 0);
  return {rows: +grid.getAttribute('aria-rowcount'), cols: +grid.getAttribute('aria-colcount'),
          cells};
}"""

#: The rows of an st.table (header row first), each a list of cell texts.
TABLE_ROWS = """t => [...t.querySelectorAll('tr')].map(r =>
  [...r.querySelectorAll('th,td')].map(c => c.innerText.trim()))"""


def grid(locator, mode: str = "full") -> dict[tuple[int, int], str]:
    """A data grid's cells, (row, column) -> text, row 1 the header, as the browser holds
    them (see GRID_CELLS for ``mode``)."""
    expect(locator.locator('table[role="grid"] [role="row"]').first).to_be_attached()
    locator.scroll_into_view_if_needed()
    locator.page.wait_for_timeout(250)  # the grid lays out its scroll area
    got = locator.evaluate(GRID_CELLS, mode)
    cells = {tuple(map(int, k.split(","))): v for k, v in got["cells"].items()}
    if mode == "full":
        missing = [
            (r, c)
            for r in range(1, got["rows"] + 1)
            for c in range(1, got["cols"] + 1)
            if (r, c) not in cells
        ]
        assert not missing, f"grid cells never drawn while scrolling through: {missing[:10]}"
    return cells


def header(cells: dict[tuple[int, int], str]) -> dict[str, int]:
    """Column header text -> column number."""
    return {v: c for (r, c), v in cells.items() if r == 1}


def rows_of(cells: dict[tuple[int, int], str]) -> dict[int, dict[int, str]]:
    """Data rows (row number -> column -> text) as far as drawn."""
    out: dict[int, dict[int, str]] = {}
    for (r, c), v in cells.items():
        if r > 1:
            out.setdefault(r, {})[c] = v
    return out


def table(locator) -> list[list[str]]:
    return locator.evaluate(TABLE_ROWS)


def template(lang: str, key: str) -> re.Pattern[str]:
    """A catalog sentence as a regular expression, each {placeholder} a named group."""
    text = translate(lang, key)
    parts = re.split(r"\{(\w+)\}", text)
    out = "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts))
    return re.compile(out.replace(r"\*\*", r"\**").replace("\\ ", "\\s"))


def open_phone_sidebar(dash) -> None:
    opener = dash.page.locator('[data-testid="stExpandSidebarButton"]')
    if opener.is_visible():
        opener.click()
    expect(dash.page.locator('[data-testid="stSidebarContent"]')).to_be_visible()


# --- defect 7: uncertainty bands keep the line legend ---------------------------------


@pytest.mark.parametrize(("width", "height"), [DESKTOP, PHONE])
def test_bands_on_keep_the_line_legend(new_dashboard, width: int, height: int) -> None:
    dash = new_dashboard(width=width, height=height)
    dash.open("?lang=ru&infrastructure_spend=1500")
    chart = dash.page.locator('[data-testid="stVegaLiteChart"]').first
    lines = [translate("ru", f"series.{s}") for s in ("baseline", "scenario", "recorded")]
    series = translate("ru", "chart.series")
    expect(chart.locator(".role-legend-label text").first).to_be_attached()
    assert {"title": series, "labels": lines} in chart.evaluate(LEGENDS), (
        f"without bands the line legend is not {lines}: {chart.evaluate(LEGENDS)}"
    )
    dash.keyed("bands", "label").click()
    expect(dash.keyed("bands_sentence")).to_be_visible()
    dash.idle()
    chart = dash.page.locator('[data-testid="stVegaLiteChart"]').first
    band_title = translate("ru", "bands.legend")
    expect(chart.locator(".role-legend-title text").filter(has_text=band_title)).to_have_count(1)
    legends = chart.evaluate(LEGENDS)
    assert {"title": series, "labels": lines} in legends, (
        f"{width} px: with the bands on, the legend of baseline / scenario / recorded is gone: "
        f"{legends}"
    )
    bands = [translate("ru", "bands.level90"), translate("ru", "bands.level50")]
    assert {"title": band_title, "labels": bands} in legends, f"no band legend: {legends}"
    dash.expect_no_exception()


# --- defect 9: no English left in ru / ky -------------------------------------------------

#: The tornado's bars are this chart's rect marks; its own text marks (not the axes'
#: labels) name the parameters
#: (a name of two lines is two tspans); they and the legends inside the chart's width.
TORNADO = """c => {
  const box = c.querySelector('svg').getBoundingClientRect();
  const texts = [...c.querySelectorAll('.mark-text.role-mark text')];
  return {
    labels: texts.map(t => {
      const lines = [...t.querySelectorAll('tspan')].map(s => s.textContent);
      return lines.length ? lines.join(' ') : t.textContent;
    }),
    outside: [...texts, ...c.querySelectorAll('.role-legend text')].filter(t => {
      const r = t.getBoundingClientRect();
      return r.left < box.left - 1 || r.right > box.right + 1;
    }).map(t => t.textContent),
    widest_bar: Math.max(0, ...[...c.querySelectorAll('.mark-rect path')]
      .map(p => p.getBBox().width))};
}"""


@pytest.mark.parametrize(("width", "height"), [DESKTOP, PHONE])
def test_the_tornado_names_parameters_in_kyrgyz_and_draws_its_bars(
    new_dashboard, width: int, height: int
) -> None:
    dash = new_dashboard(width=width, height=height)
    dash.open("?lang=ky&infrastructure_spend=1000&sme_support=100", path="/analysis")
    title = translate(
        "ky",
        "analysis.tornado_chart",
        metric=translate("ky", "analysis.metric_grp_gain"),
        year=2035,
    )
    charts = dash.page.locator('[data-testid="stVegaLiteChart"]')
    # a long title is drawn on two lines (ui/charts.title_lines): find it by its start
    tornado = charts.filter(
        has=dash.page.locator(".role-title-text").filter(has_text=title[:25])
    ).first
    expect(tornado.locator(".mark-text.role-mark text").first).to_be_attached()
    tornado.scroll_into_view_if_needed()
    drawn = tornado.evaluate(TORNADO)
    names = {q.name for q in parameter_table()}
    labels = {translate("ky", f"param.{n}") for n in names}
    suffix = translate("ky", "analysis.weak_suffix")
    shown = [s.removesuffix(suffix) for s in drawn["labels"]]
    assert len(shown) == 10, f"not one name per row of the top 10: {shown}"
    # whole names (a name cut with "…" is no parameter's label), inside the chart
    not_labels = [s for s in shown if s not in labels]
    assert not not_labels, f"tornado names that are no parameter's whole Kyrgyz label: {not_labels}"
    assert not drawn["outside"], f"at {width} px text runs out of the chart: {drawn['outside']}"
    assert not set(shown) & names, f"code names on the tornado: {set(shown) & names}"
    assert drawn["widest_bar"] > 20, (
        f"at {width} px the tornado's labels leave its bars no room "
        f"(widest bar {drawn['widest_bar']:.0f} px)"
    )
    dash.expect_no_exception()


#: The waterfall's own texts (the steps' names above the bars, the values beside them;
#: a name of two lines is two tspans) that are drawn (Vega hides a text by opacity 0), and
#: every text outside the chart.
WATERFALL = """c => {
  const box = c.querySelector('svg').getBoundingClientRect();
  const shown = t => t.getAttribute('opacity') !== '0' && t.getBoundingClientRect().width > 0;
  return {
    names: [...c.querySelectorAll('.mark-text.role-mark text')].filter(shown).map(t => {
      const lines = [...t.querySelectorAll('tspan')].map(s => s.textContent);
      return lines.length ? lines.join(' ') : t.textContent;
    }),
    bars: c.querySelectorAll('.mark-rect path').length,
    outside: [...c.querySelectorAll('text')].filter(t => {
      const r = t.getBoundingClientRect();
      // (3 px: Vega draws an axis title into the chart's padding)
      return r.width > 0 && (r.left < box.left - 3 || r.right > box.right + 3);
    }).map(t => t.textContent)};
}"""


def test_the_waterfall_names_every_step_on_a_phone_in_kyrgyz(new_dashboard) -> None:
    """Four levers, their interaction and the total at 390 px: every bar named in full
    (standing bars named below them on one line: Vega dropped every other name), the
    legend inside the chart."""
    dash = new_dashboard(width=PHONE[0], height=PHONE[1])
    levers = "infrastructure_spend=1000&road_maintenance=300&irrigation_new_ha=1000&sme_support=100"
    dash.open(f"?lang=ky&{levers}", path="/analysis")
    title = translate("ky", "analysis.why_chart", year=2035)
    chart = (
        dash.page.locator('[data-testid="stVegaLiteChart"]')
        .filter(has=dash.page.locator(".role-title-text").filter(has_text=title[:20]))
        .first
    )
    expect(chart.locator(".mark-text.role-mark text").first).to_be_attached()
    chart.scroll_into_view_if_needed()
    drawn = chart.evaluate(WATERFALL)
    steps = [
        translate("ky", f"lever.{k}.label")
        for k in ("infrastructure_spend", "road_maintenance", "irrigation_new_ha", "sme_support")
    ] + [translate("ky", "analysis.interaction"), translate("ky", "analysis.total")]
    assert drawn["bars"] == len(steps), f"{drawn['bars']} bars for {steps}"
    missing = [name for name in steps if name not in drawn["names"]]
    assert not missing, f"steps not named in full: {missing}; drawn: {drawn['names']}"
    assert not drawn["outside"], f"text runs out of the chart: {drawn['outside']}"
    dash.expect_no_exception()


@pytest.mark.parametrize(("lang", "size"), [("ru", DESKTOP), ("ky", PHONE)])
def test_parameter_tables_and_the_method_line_speak_the_planners_language(
    new_dashboard, lang: str, size: tuple[int, int]
) -> None:
    """Defects 9 and 10: units and kinds in the planner's language, the About page's table
    (its figures) drawn as the methodology's; About's method line translated. On the
    laptop every cell of the methodology's table is read; on the phone the first rows."""
    dash = new_dashboard(width=size[0], height=size[1])
    dash.open(f"?lang={lang}", path="/methodology")
    method = grid(
        dash.page.locator('[data-testid="stDataFrame"]').first,
        "full" if size == DESKTOP else "edges",
    )
    dash.open(f"?lang={lang}", path="/about")
    expect(dash.page.get_by_text(translate(lang, "about.method"))).to_be_visible()
    expect(dash.page.get_by_text("bounds from parameters.csv")).to_have_count(0)
    about = grid(dash.page.locator('[data-testid="stDataFrame"]').first, "edges")
    differ = {rc: (v, method.get(rc)) for rc, v in about.items() if method.get(rc) != v}
    assert not differ, f"About and the methodology draw the parameter table differently: {differ}"
    col = header(method)
    col = {c: col[translate(lang, f"about.col.{c}")] for c in ("key", "value", "unit", "kind")}
    params = {q.name: q for q in parameter_table()}
    rows = {r[col["key"]]: r for r in rows_of(method).values() if col["key"] in r}
    if size == DESKTOP:
        assert set(rows) == set(params), "rows missing from the parameter table"
    english_units = {q.unit for q in params.values()} - {"ha", "km", "-"}
    english_kinds = {q.kind for q in params.values()}
    checked = 0
    for name, row in rows.items():
        q = params[name]
        if col["unit"] in row:
            assert row[col["unit"]] not in english_units, f"{name}: unit {row[col['unit']]!r}"
            assert row[col["unit"]] == translate(lang, f"param_unit.{q.unit}")
        if col["kind"] in row:
            checked += 1
            assert row[col["kind"]] not in english_kinds, f"{name}: kind {row[col['kind']]!r}"
            assert row[col["kind"]] == translate(lang, f"methodology.kind.{q.kind}")
        if col["value"] in row:
            value = row[col["value"]]
            assert not re.search(r"\d\.\d|\d{5}", value), f"{name}: raw number {value!r}"
    assert checked, "no kind cell was read"
    grp = rows["grp_2023_mln_som"][col["value"]]
    assert re.fullmatch(rf"\d{{2}}{NBSP}\d{{3}}", grp), f"GRP 2023 not as '26 152': {grp!r}"
    # the fit's figures on the About page, in the same format
    for metric in dash.page.locator('[data-testid="stMetricValue"]').all_inner_texts():
        assert not re.search(r"\d\.\d|\d{4}", metric), f"About shows a raw number: {metric!r}"
    dash.expect_no_exception()


#: Streamlit's English a planner could see on the Files page.
ENGLISH = ("Upload", "Drag and drop", "per file", "Press Enter", "Browse files")

#: Every text drawn on the page, ::after contents included (the covered texts).
DRAWN_TEXT = """() => {
  const out = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    if (!n.textContent.trim()) continue;
    const r = document.createRange(); r.selectNodeContents(n);
    const box = r.getBoundingClientRect();
    if (box.width > 0 && box.height > 0) out.push(n.textContent.trim());
  }
  for (const e of document.querySelectorAll('*')) {
    const c = getComputedStyle(e, '::after').content;
    if (c && c !== 'none' && c !== 'normal' && c !== '""') out.push(c.slice(1, -1));
  }
  return out;
}"""


@pytest.mark.parametrize(("width", "height"), [DESKTOP, PHONE])
def test_a_bad_file_and_the_fields_hint_speak_kyrgyz(new_dashboard, width, height) -> None:
    dash = new_dashboard(width=width, height=height)
    dash.open("?lang=ky", path="/files")
    bad = b"schema_version = 1\nname = 'x'\n[levers]\ninfrastructure_spend = 99999\n"
    dash.keyed("upload", 'input[type="file"]').set_input_files(
        [{"name": "bad.toml", "mimeType": "application/toml", "buffer": bad}]
    )
    error = dash.page.locator("[data-testid='stAlertContentError']")
    label = translate("ky", "lever.infrastructure_spend.label")
    expect(error).to_contain_text(f"«{label}» (levers.infrastructure_spend)")
    expect(error).not_to_contain_text("'levers.infrastructure_spend'")
    high = f"{int(ALL_SETTINGS['infrastructure_spend'].high):,}".replace(",", NBSP)
    expect(error).to_contain_text(high)
    dash.keyed("meta_name", "input").fill("Жаңы план")
    expect(dash.keyed("meta_name", '[data-testid="InputInstructions"]')).to_be_visible()
    drawn = dash.page.evaluate(DRAWN_TEXT)
    assert translate("ky", "builtin.enter") in drawn, "'Press Enter to apply' is not in Kyrgyz"
    english = [s for s in drawn if any(e in s for e in ENGLISH)]
    assert english == [], f"{width} px: Streamlit's English on the Files page: {english}"
    dash.expect_no_exception()


# --- defect 10: one number format ---------------------------------------------------------


@pytest.mark.parametrize(("lang", "size"), [("ru", DESKTOP), ("ky", PHONE)])
def test_the_table_tab_shows_numbers_as_the_cards_do(new_dashboard, lang, size) -> None:
    """Every column's first rows (on the laptop) and every year of the first columns are
    in the planner's format, and the GRP of the cards' year is the card's."""
    dash = new_dashboard(width=size[0], height=size[1])
    dash.open(f"?lang={lang}&infrastructure_spend=1500")
    card = dash.kpi_text("grp")
    dash.open_section(translate(lang, "tab.table"))
    frame = dash.keyed("result_panel", '[data-testid="stDataFrame"]')
    expect(frame).to_be_visible()
    cells = grid(frame, "edges" if size == DESKTOP else "down")
    col = header(cells)
    year, grp = col[translate(lang, "table.year")], col[translate(lang, "table.grp")]
    rows = rows_of(cells)
    years = [rows[r][year] for r in sorted(rows)]
    assert years == [str(y) for y in range(2007, 2007 + len(years))], f"years: {years}"
    assert "2035" in years, "the grid was not read down to 2035"
    number = re.compile(rf"[−-]?\d{{1,3}}({NBSP}\d{{3}})*(,\d{{1,2}})?")
    raw = [v for r in rows.values() for c, v in r.items() if c != year and not number.fullmatch(v)]
    assert raw == [], f"cells not in the {lang} number format (e.g. 19755.9546): {raw[:8]}"
    assert len({c for r in rows.values() for c in r}) >= 3, "too few columns read"
    in_2035 = next(r for r in rows.values() if r[year] == "2035")
    assert in_2035[grp] in card, f"the table's GRP in 2035 {in_2035[grp]!r}, the card {card!r}"
    dash.expect_no_exception()


# --- defect 11: the budget box ------------------------------------------------------------


@pytest.mark.parametrize(("width", "height"), [DESKTOP, PHONE])
def test_the_budget_box_refuses_or_takes_exactly_what_is_typed(
    new_dashboard, width, height
) -> None:
    dash = new_dashboard(width=width, height=height)
    dash.open("?lang=ru&infrastructure_spend=500")
    open_phone_sidebar(dash)
    box = dash.keyed("budget_text", "input")
    error = dash.keyed("budget_box", "[data-testid='stAlertContentError']")
    status = dash.keyed("budget_status")
    said = (template("ru", "budget.left"), template("ru", "budget.over"))

    def type_in(text: str) -> None:
        box.fill(text)
        box.press("Enter")
        dash.idle()

    def budget_in_status() -> str:
        m = said[0].search(status.inner_text()) or said[1].search(status.inner_text())
        assert m, f"the budget status says neither left nor over: {status.inner_text()!r}"
        return m["budget"]

    type_in("15000")
    expect(dash.page).to_have_url(re.compile(r"[?&]budget=15000\b"))
    expect(error).to_have_count(0)
    assert budget_in_status() == f"15{NBSP}000"
    refused = template("ru", "budget.bad")
    for bad in ("-5", "2000000", "abc"):
        type_in(bad)
        expect(error).to_contain_text(bad)
        m = refused.search(error.inner_text())
        assert m, f"{bad!r}: the refusal is not the Russian message: {error.inner_text()!r}"
        assert bad in m["text"] and m["kept"] == f"15{NBSP}000", (
            f"{bad!r}: the message must name what was typed and the budget kept: {m.groupdict()}"
        )
        expect(dash.page).to_have_url(re.compile(r"[?&]budget=15000\b"))
        assert budget_in_status() == f"15{NBSP}000", f"{bad!r} changed the budget in use"
    for decimal in ("20,5", "20.5"):
        type_in(decimal)
        expect(error).to_have_count(0)
        expect(dash.page).to_have_url(re.compile(r"[?&]budget=20\.5\b"))
        assert budget_in_status() == "20,5", (
            f"{decimal!r}: the app uses 20.5 and the sidebar says budget {budget_in_status()!r}"
        )
    # what the box shows after a reload is what the app uses
    dash.reload()
    open_phone_sidebar(dash)
    expect(dash.keyed("budget_text", "input")).to_have_value("20,5")
    dash.expect_no_exception()


# --- defect 13: the compare page ----------------------------------------------------------

ROADS_FIRST = "&".join(
    f"{k}={v:g}"
    for k, v in preset("roads_first").to_settings().items()
    if v != ALL_SETTINGS[k].default
)


@pytest.mark.parametrize(("lang", "size"), [("en", DESKTOP), ("ru", PHONE)])
def test_the_compare_page_names_reads_and_lists_its_scenarios(new_dashboard, lang, size) -> None:
    dash = new_dashboard(width=size[0], height=size[1])
    dash.open(f"?lang={lang}&{ROADS_FIRST}", path="/compare")
    pick = dash.keyed("compare_pick", "input")
    pick.click()
    sme = translate(lang, "compare.preset_label", name=translate(lang, "preset.sme_led.name"))
    dash.page.get_by_role("option", name=sme).click()
    dash.page.keyboard.press("Escape")
    dash.idle()
    tables = dash.page.locator('[data-testid="stTable"]')
    expect(tables).to_have_count(3)
    expect(dash.page.get_by_text(translate(lang, "kpi.year"), exact=True)).to_have_count(0)
    expect(dash.keyed("compare_year", "label")).to_have_text(translate(lang, "compare.year"))
    current = translate(
        lang, "compare.current_preset", name=translate(lang, "preset.roads_first.name")
    )
    vs_base, vs_ref, levers = (table(tables.nth(i)) for i in range(3))
    assert current in vs_base[0], f"the current scenario is not named by its preset: {vs_base[0]}"
    appraisal = [translate(lang, f"appraisal.{k}_6") for k in ("bcr", "npv", "eirr")]
    for rows, what in ((vs_base, "the baseline"), (vs_ref, "the current scenario")):
        names = [r[0] for r in rows[1:]]
        assert all(a in names for a in appraisal), f"against {what}: no ratio/NPV/EIRR rows {names}"
    # change cells: "value [+change (+x %)]", or the value alone when nothing changed
    fmt = {"en": (",", "."), "ru": (NBSP, ",")}[lang]
    num = rf"[\d{fmt[0]}]+(?:{re.escape(fmt[1])}\d+)?"
    cell = re.compile(rf"−?-?{num}(?: \[[+−-]{num} \([+−-]{num} %\)\])?|n/a|—|–")
    grp = translate(lang, "kpi.grp", year=2035)
    grp_row = next(r for r in vs_base if r[0] == grp)
    assert all(cell.fullmatch(c) for c in grp_row[1:]), f"unreadable change cells: {grp_row}"
    assert "[0 (0" not in " ".join(grp_row), f"a zero change in brackets: {grp_row}"
    # the settings table: every lever with its unit, each scenario's value
    assert len(levers) - 1 == len(ALL_SETTINGS), "not one row per lever"
    row = (
        f"{translate(lang, 'lever.infrastructure_spend.label')} "
        f"({translate(lang, 'unit.infrastructure_spend')})"
    )
    spend = next(r for r in levers if r[0] == row)
    shown = f"{preset('roads_first').to_settings()['infrastructure_spend']:,.0f}"
    assert spend[levers[0].index(current)] == shown.replace(",", fmt[0]), spend
    dash.expect_no_exception()


FORUM = "&".join(
    f"{k}={v}"
    for k, v in Settings.from_mapping(preset("forum_2013").to_settings()).to_query().items()
)


#: Every text of every chart on the page drawn (partly) outside its chart's box: Streamlit
#: cuts a chart at its edge. (Rotated axis titles are allowed 3 px.)
TEXT_PAST_CHART = """() => { const out = [];
  for (const chart of document.querySelectorAll('[data-testid="stVegaLiteChart"]')) {
    const c = chart.getBoundingClientRect();
    for (const text of chart.querySelectorAll('svg text')) {
      const b = text.getBoundingClientRect();
      if (b.width && (b.right > c.right + 3 || b.left < c.left - 3))
        out.push(`${text.textContent} (${Math.round(b.left)}-${Math.round(b.right)} px,`
          + ` chart ${Math.round(c.left)}-${Math.round(c.right)} px)`);
    }
  }
  return out; }"""


@pytest.mark.parametrize("lang", ["ru", "ky"])
def test_every_charts_legend_and_labels_stay_inside_it_on_a_phone(new_dashboard, lang) -> None:
    """On a 390 px phone the sectors' legend drew its second column past the chart's edge
    (mining, other private business and public services could not be told apart), as
    did the cost chart's legend, the uncertainty bands' legend beside the lines' one,
    and the compare page's "Current levers: <the forum plan>". Every chart of the
    scenario page's sections, the compare and the uncertainty pages, with the forum
    plan's long name."""
    dash = new_dashboard(width=PHONE[0], height=PHONE[1])
    dash.open(f"?lang={lang}&{FORUM}")
    past, with_charts = {}, 0
    for i in range(dash.sections().count()):
        dash.sections().nth(i).click()
        dash.idle()
        dash.page.wait_for_timeout(400)  # the section's run has begun (idle can pass before)
        dash.idle()
        charts = dash.page.locator('[data-testid="stVegaLiteChart"]')
        if charts.count() == 0:  # the table section
            continue
        with_charts += 1
        expect(charts.first.locator("svg")).to_be_visible(timeout=TIMEOUT_MS)
        dash.page.wait_for_timeout(300)  # every chart of the section drawn
        if texts := dash.page.evaluate(TEXT_PAST_CHART):
            past[f"scenario section {i + 1}"] = texts
    assert with_charts >= 4, f"premise: the sections draw charts ({with_charts} did)"
    for page_id in ("compare", "analysis"):
        dash.open(f"?lang={lang}&{FORUM}", path=f"/{page_id}")
        chart = dash.page.locator('[data-testid="stVegaLiteChart"] svg').first
        expect(chart).to_be_visible(timeout=TIMEOUT_MS)
        dash.page.wait_for_timeout(300)
        if texts := dash.page.evaluate(TEXT_PAST_CHART):
            past[page_id] = texts
    legends = dash.page.locator('[data-testid="stVegaLiteChart"] svg .role-legend-label text')
    assert legends.count() > 0, "premise: the analysis page's charts have legends"
    assert not past, f"{lang} at {PHONE[0]} px, chart texts past the chart's edge: {past}"
    dash.expect_no_exception()


# --- defect 14: goal-seek -----------------------------------------------------------------


def test_goal_seek_cost_matches_the_scenario_card_and_one_budget_field(dashboard) -> None:
    dashboard.open("?lang=en&budget=15000", path="/goal")
    budget = dashboard.keyed("goal_budget", "input")
    expect(budget).to_have_value("15,000")
    source = dashboard.keyed("goal_budget_source")
    expect(source).to_have_text(translate("en", "goal.budget_from_sidebar", budget="15,000"))
    # the envelope moves: so does the goal-seek budget (one budget, not two)
    sidebar = dashboard.keyed("budget_text", "input")
    sidebar.fill("14000")
    sidebar.press("Enter")
    dashboard.idle()
    expect(budget).to_have_value("14,000")
    dashboard.keyed("goal_best_run", "button").first.click()
    result = dashboard.keyed("goal_result_best")
    expect(result).to_be_visible()
    dashboard.idle()
    head = result.locator('[data-testid="stTable"]').evaluate(TABLE_ROWS)[0]
    assert head == [translate("en", f"goal.col_{c}") for c in ("lever", "value", "cost")], head
    expect(result).not_to_contain_text("optimiser")
    cost_label = translate("en", "goal.cost_total")
    total = parse_num(
        result.locator('[data-testid="stMetric"]')
        .filter(has_text=cost_label)
        .locator('[data-testid="stMetricValue"]')
        .inner_text(),
        "en",
    )
    why = dashboard.keyed("goal_cost_card")
    said = template("en", "goal.cost_card").search(why.inner_text()) if why.count() else None
    dashboard.keyed("goal_apply_best", "button").first.click()
    expect(dashboard.keyed("goal_applied_best")).to_be_visible()
    dashboard.go_home()
    card = parse_num(dashboard.kpi_text("programme_cost_cumulative"), "en")
    if said is None:  # the cards' year covers the whole programme: the same cost
        assert card == pytest.approx(total, abs=1), (
            f"goal-seek says {total:,.0f}, the scenario card {card:,.0f}, and nothing says why"
        )
        return
    assert parse_num(said["part"], "en") == pytest.approx(card, abs=1), (
        f"goal-seek says the card shows {said['part']}, the card shows {card:,.0f}"
    )
    assert parse_num(said["total"], "en") == pytest.approx(total, abs=1)
    # on the programme's last year the card shows goal-seek's total
    dashboard.keyed("year", "input").click()
    dashboard.page.get_by_role("option", name=said["end"], exact=True).click()
    # the run for the new year has drawn the card: its label names the year
    label = dashboard.keyed("kpi_programme_cost_cumulative", '[data-testid="stMetricLabel"]')
    expect(label).to_contain_text(said["end"])
    dashboard.idle()
    card = parse_num(dashboard.kpi_text("programme_cost_cumulative"), "en")
    assert card == pytest.approx(total, abs=1), (
        f"on {said['end']} the card shows {card:,.0f}, goal-seek's cost is {total:,.0f}"
    )
    dashboard.expect_no_exception()


#: Every chart title drawn on the page (Vega draws a multi-line title as tspans).
TITLES = """() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"] .role-title-text')]
  .map(t => t.textContent)"""


@pytest.mark.parametrize("lang", ["ru", "ky"])
def test_chart_titles_are_whole_on_a_phone(new_dashboard, lang: str) -> None:
    """Vega cuts a title wider than its chart with "…": on a 390 px phone the Russian and
    Kyrgyz titles of the GRP, sectors, cost and lever-response charts lost their ends.
    Each section's titles must be drawn whole, every word of the catalog's text."""
    dash = new_dashboard(width=PHONE[0], height=PHONE[1])
    checked = 0
    for section in ("grp", "sectors", "cost", "response"):
        dash.open(f"?lang={lang}&infrastructure_spend=1000&sme_support=100&result_tab={section}")
        charts = dash.page.locator('[data-testid="stVegaLiteChart"] .role-title-text')
        expect(charts.first).to_be_attached()
        titles = dash.page.evaluate(TITLES)
        cut = [s for s in titles if "…" in s]
        assert not cut, f"{lang} phone, section {section}: titles cut with '…': {cut}"
        checked += len(titles)
    # the catalog's GRP title, every word of it, is on the GRP section
    dash.open(f"?lang={lang}&infrastructure_spend=1000")
    expect(dash.page.locator(".role-title-text").first).to_be_attached()
    drawn = " ".join(dash.page.evaluate(TITLES))
    words = translate(lang, "chart.grp.title_grp").split()
    assert all(w in drawn for w in words), (words, drawn)
    assert checked >= 4, f"only {checked} chart titles found"
    dash.expect_no_exception()


#: Every chart title as Vega drew it: its text and its number of lines (a multi-line
#: title is one text element of tspans).
TITLE_LINES = """() => [...document.querySelectorAll(
  '[data-testid="stVegaLiteChart"] .role-title-text')]
  .map(t => ({text: t.textContent, lines: t.querySelectorAll('tspan').length || 1}))"""


@pytest.mark.parametrize("lang", ["ru", "ky"])
def test_chart_titles_take_one_line_on_a_laptop(new_dashboard, lang: str) -> None:
    """The titles are broken into lines for a phone's 390 px (above), and the laptop got
    the same lines: "Валовой региональный продукт / Баткенской области" on two lines over
    a 1,000 px wide chart. A title that fits its chart takes one line there."""
    dash = new_dashboard(width=1400, height=1000)
    checked = 0
    for section in ("grp", "sectors", "cost", "response"):
        dash.open(f"?lang={lang}&infrastructure_spend=1000&sme_support=100&result_tab={section}")
        expect(
            dash.page.locator('[data-testid="stVegaLiteChart"] .role-title-text').first
        ).to_be_attached()
        drawn = dash.page.evaluate(TITLE_LINES)
        broken = [d["text"] for d in drawn if d["lines"] > 1]
        assert not broken, f"{lang} laptop, section {section}: titles on several lines: {broken}"
        checked += len(drawn)
    dash.open(f"?lang={lang}&infrastructure_spend=1000")
    expect(dash.page.locator(".role-title-text").first).to_have_text(
        translate(lang, "chart.grp.title_grp")
    )
    assert checked >= 4, f"only {checked} chart titles found"
    dash.expect_no_exception()


#: How the picked button of a button row is drawn: its background and bottom border.
PICKED_STYLE = """sel => { const b = document.querySelector(sel + ' button[aria-checked="true"]');
  const c = getComputedStyle(b);
  return {bg: c.backgroundColor, bottom: parseFloat(c.borderBottomWidth),
          left: parseFloat(c.borderLeftWidth)}; }"""


def test_the_section_row_reads_as_tabs_not_as_the_measure_buttons(new_dashboard) -> None:
    """On a phone the scenario page's row of sections and the "GRP total / per person"
    row under it both wrapped into boxed buttons and looked alike. The sections are drawn
    as tabs: the open one underlined, no box; the measure keeps its boxed buttons."""
    dash = new_dashboard(width=PHONE[0], height=PHONE[1])
    dash.open("?lang=ru&infrastructure_spend=1000")
    expect(dash.sections().first).to_be_visible()
    section = dash.page.evaluate(PICKED_STYLE, ".st-key-result_tab")
    measure = dash.page.evaluate(PICKED_STYLE, ".st-key-measure")
    assert section["bg"] in ("rgba(0, 0, 0, 0)", "transparent"), section
    assert section["bottom"] >= 2 and section["left"] == 0, section
    assert measure["bg"] not in ("rgba(0, 0, 0, 0)", "transparent"), measure
    assert measure["left"] > 0, measure
    dash.expect_no_exception()
