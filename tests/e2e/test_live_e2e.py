"""Issue 14, live dragging: while a lever's thumb is held and moved, the GRP card shows
the model's value for the thumb's every step, nothing is sent to the server, and the
release sends one run whose settled card is the same number."""

from __future__ import annotations

import pytest

from bench.live_drag import TABLES_READY, drag, expected_cards, watch_sent

expect = pytest.importorskip("playwright.sync_api").expect

LIVE_CHART = "svg.batken-live-chart"


def _check(report, settings, key, lang) -> None:
    assert report.sent_during == 0, f"{report.sent_during} frame(s) sent while dragging"
    assert report.sent_after == 1, f"the release sent {report.sent_after} frames, not one run"
    assert len(report.changes) >= 5, f"the card changed only {len(report.changes)} times"
    values = sorted({v for _, v, _ in report.changes} | {report.settled_value})
    want = expected_cards(settings, key, values, lang)
    wrong = [(v, text, want[v]) for _, v, text in report.changes if want[v] != text]
    assert wrong == [], f"live card differs from the model (value, shown, model): {wrong[:5]}"
    assert report.settled_text == want[report.settled_value], "settled card is not the model's"
    assert report.changes[-1][2] == report.settled_text, "the last live value was not kept"


def test_a_mouse_drag_moves_the_card_with_the_thumb_on_a_laptop(dashboard) -> None:
    sent = watch_sent(dashboard.page)
    dashboard.open("?lang=en&infrastructure_spend=1500")
    report = drag(dashboard.page, sent, "irrigation_new_ha", moves=20, duration_ms=1200)
    _check(report, {"infrastructure_spend": 1500}, "irrigation_new_ha", "en")
    expect(dashboard.page.locator(LIVE_CHART)).to_have_count(0)
    dashboard.expect_no_exception()


def test_a_mouse_drag_on_a_phone_in_russian(new_dashboard) -> None:
    dash = new_dashboard(width=390, height=844)
    sent = watch_sent(dash.page)
    dash.open("?lang=ru&irrigation_new_ha=1000")
    dash.page.locator('[data-testid="stExpandSidebarButton"]').click()
    report = drag(dash.page, sent, "infrastructure_spend", moves=15, duration_ms=1000, to=0.6)
    _check(report, {"irrigation_new_ha": 1000}, "infrastructure_spend", "ru")
    dash.expect_no_exception()


def test_the_chart_follows_the_thumb_and_gives_way_to_the_settled_chart(dashboard) -> None:
    """While the thumb is held, a live copy of the GRP chart covers the real one; the
    settled page has only the real chart."""
    sent = watch_sent(dashboard.page)
    dashboard.open("?lang=ru")
    page = dashboard.page
    sent.clear()
    slider = page.locator('.st-key-sme_support [data-testid="stSlider"]')
    slider.scroll_into_view_if_needed()
    thumb = page.locator('.st-key-sme_support input[type="range"]').locator("xpath=../..")
    box = thumb.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 60, box["y"] + box["height"] / 2, steps=5)
    chart = page.locator(LIVE_CHART)
    expect(chart).to_have_count(1)
    assert chart.locator("polyline").count() == 2, "baseline and scenario lines expected"
    # the copy's title in the lines the real chart drew it (one line on a laptop)
    vega = page.locator('[data-testid="stVegaLiteChart"] .role-title-text').first
    vega_lines = vega.locator("tspan").all_inner_texts() or [vega.text_content()]
    copy_lines = chart.locator("text[font-weight='600']").all_text_contents()
    assert copy_lines == vega_lines, (copy_lines, vega_lines)
    assert len(sent) == 0, f"{len(sent)} frame(s) sent while the thumb was held"
    page.mouse.up()
    expect(chart).to_have_count(0, timeout=20_000)
    dashboard.idle()
    dashboard.expect_no_exception()


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (390, 844)])
def test_arrow_keys_show_each_step_at_once(new_dashboard, width, height) -> None:
    """Each key press shows the new step's number; the settled page agrees."""
    dash = new_dashboard(width=width, height=height)
    dash.open("?lang=ky&infrastructure_spend=1500")
    if width < 500:
        dash.page.locator('[data-testid="stExpandSidebarButton"]').click()
    dash.press("sme_support", times=3)
    value = float(dash.lever_value("sme_support"))
    assert value > 0
    want = expected_cards({"infrastructure_spend": 1500}, "sme_support", [value], "ky")[value]
    expect(dash.kpi()).to_have_text(want)
    dash.idle()
    expect(dash.kpi()).to_have_text(want)
    # the appraisal cards, dimmed while the step was live, are back once it settled
    expect(dash.keyed("kpi_bcr")).to_have_css("opacity", "1")
    dash.expect_no_exception()


def test_the_tables_come_by_one_fetch_after_each_run_not_in_its_messages(dashboard) -> None:
    """The run's websocket messages carry only the tables' address; the page's script
    fetches each run's tables once, after the run, and gets them (not a 404)."""
    page = dashboard.page
    received: list[bytes] = []
    page.on(
        "websocket",
        lambda ws: ws.on(
            "framereceived", lambda f: received.append(f if isinstance(f, bytes) else f.encode())
        ),
    )
    fetched: list[tuple[str, int]] = []
    encodings: set[str | None] = set()

    def seen(response) -> None:
        if "/batken-live/" in response.url:
            fetched.append((response.url, response.status))
            encodings.add(response.headers.get("content-encoding"))

    page.on("response", seen)
    dashboard.open("?lang=en")
    page.wait_for_function(TABLES_READY, timeout=30_000)
    first = page.evaluate("window.__batkenLive.url")
    dashboard.press("sme_support", times=1)
    page.wait_for_function("(u) => window.__batkenLive.url !== u", arg=first, timeout=30_000)
    dashboard.idle()
    page.wait_for_function(TABLES_READY, timeout=30_000)
    assert len(fetched) >= 2, f"one fetch per run expected: {fetched}"
    assert {status for _, status in fetched} == {200}, fetched
    assert len({url for url, _ in fetched}) == len(fetched), f"a run fetched twice: {fetched}"
    assert encodings == {"gzip"}, f"the tables were not compressed: {encodings}"
    assert received and not any(b'"packed"' in frame for frame in received), (
        "the step tables travelled in the run's messages"
    )
    dashboard.expect_no_exception()


@pytest.mark.parametrize(("width", "height"), [(1400, 900), (390, 844)])
def test_the_live_script_mounted_first_adds_no_gap_above_the_title(
    new_dashboard, width, height
) -> None:
    """The script's element is the page's first and draws nothing: the title starts
    where the page's content starts, as on every other page."""
    dash = new_dashboard(width=width, height=height)
    dash.open("?lang=ky")
    gap = dash.page.evaluate(
        """() => {
          const block = document.querySelector('[data-testid="stMainBlockContainer"]');
          const title = block.querySelector('h1');
          return title.getBoundingClientRect().top - block.getBoundingClientRect().top
            - parseFloat(getComputedStyle(block).paddingTop);
        }"""
    )
    assert abs(gap) <= 1, f"{gap:.0f} px between the page's top and its title"


def _expected_live(key: str, value: float, lang: str, year: int = 2035) -> dict[str, str]:
    """From the model, for the baseline with ``key`` at ``value``: the GRP card's change
    line, the sidebar's answer sentence (as read on the page) and the lever's caption."""
    from model import run_scenarios
    from model.appraisal import DEFAULT_RATE
    from scenarios.settings import Settings
    from ui.i18n import fmt_num, translate
    from ui.results import kpi_change
    from ui.sidebar import buys

    settings = Settings.from_mapping({key: value})
    runs = run_scenarios([dict(settings.effective)])
    grp = float(runs.scenario["grp"][0, year - 2007])
    base = float(runs.baseline["grp"][0, year - 2007])
    change = kpi_change(grp, base, 0, lang=lang)
    cost = fmt_num(float(runs.appraisals[DEFAULT_RATE].cost[0]), lang=lang)
    sentence = translate(lang, "sidebar.headline", year=year, change=change, cost=cost)
    return {
        "change": change,
        "sentence": sentence.replace("**", ""),
        "caption": buys(key, dict(settings), lang) or "",
    }


def _hold_and_move(page, key: str, dx: float) -> float:
    """Press ``key``'s thumb, move it ``dx`` px and keep holding; the thumb's value."""
    page.wait_for_function(TABLES_READY, timeout=30_000)
    slider = page.locator(f'.st-key-{key} [data-testid="stSlider"]')
    slider.scroll_into_view_if_needed()
    thumb = page.locator(f'.st-key-{key} input[type="range"]').locator("xpath=../..")
    box = thumb.bounding_box()
    assert box is not None, f"lever {key} is not on the screen"
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] / 2, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + dx, y, steps=6)
    page.wait_for_timeout(200)
    value = float(page.locator(f'.st-key-{key} input[type="range"]').input_value())
    assert value > 0, "the thumb did not move"
    return value


LIVE_PARTS = ".batken-live-delta, .batken-live-sentence"


@pytest.mark.parametrize(
    ("lang", "width", "height"), [("ky", 1400, 900), ("ru", 390, 844), ("en", 1400, 900)]
)
def test_a_drag_from_the_baseline_shows_the_change_the_answer_and_what_it_buys(
    new_dashboard, lang, width, height
) -> None:
    """From the baseline the cards have no change line and the headlines hold a hint:
    while a lever is held, the GRP card shows its change against the baseline, both
    headlines (the sidebar's, which a phone shows over the levers, and the page's) give
    the answer sentence, and the lever's "what it buys" caption follows the thumb; all
    exactly the model's. Released, the settled page says the same, and no live part is
    left."""
    dash = new_dashboard(width=width, height=height)
    dash.open(f"?lang={lang}")
    page = dash.page
    if width < 500:
        page.locator('[data-testid="stExpandSidebarButton"]').click()
    sent = watch_sent(page)
    key = "infrastructure_spend"
    caption = page.locator(f".st-key-{key} + div [data-testid='stCaptionContainer']")
    value = _hold_and_move(page, key, 70)
    want = _expected_live(key, value, lang)
    delta = page.locator('.st-key-kpi_grp [data-testid="stMetric"]')
    expect(delta.locator(".batken-live-delta")).to_have_text(want["change"])
    expect(dash.keyed("sidebar_headline", ".batken-live-sentence")).to_have_text(want["sentence"])
    if width > 500:  # on a phone the levers cover the page
        expect(page.locator(".st-key-headline_hint .batken-live-sentence")).to_have_text(
            want["sentence"]
        )
    expect(caption).to_have_text(want["caption"])
    assert len(sent) == 0, f"{len(sent)} frame(s) sent while the thumb was held"
    page.mouse.up()
    dash.idle()
    expect(page.locator(LIVE_PARTS)).to_have_count(0)
    settled = want
    expect(delta.locator('[data-testid="stMetricDelta"]')).to_have_text(settled["change"])
    expect(dash.keyed("sidebar_headline")).to_have_text(settled["sentence"])
    expect(caption).to_have_text(settled["caption"])
    dash.expect_no_exception()


def test_back_at_the_start_the_live_parts_go_and_the_hint_is_back(dashboard) -> None:
    """A thumb let go where it was picked up sends nothing: the page puts back what it
    had (the hint, no change line) at once."""
    dashboard.open("?lang=en")
    page = dashboard.page
    hint = page.locator(".st-key-headline_hint [data-testid='stAlert']")
    expect(hint).to_be_visible()
    box = page.locator('.st-key-sme_support input[type="range"]').locator("xpath=../..")
    _hold_and_move(page, "sme_support", 60)
    expect(page.locator(".st-key-headline_hint .batken-live-sentence")).to_have_count(1)
    expect(hint).to_be_hidden()
    b = box.bounding_box()
    assert b is not None
    page.mouse.move(b["x"] - 200, b["y"] + b["height"] / 2, steps=4)  # past the start
    page.mouse.up()
    expect(page.locator(LIVE_PARTS)).to_have_count(0)
    expect(hint).to_be_visible()
    assert dashboard.lever_value("sme_support") == "0"
    dashboard.expect_no_exception()


def test_a_finger_drag_on_a_touch_phone_moves_the_card_and_sends_one_run(new_dashboard) -> None:
    """A phone's finger, not a mouse: touch events (Chromium's own, through its DevTools
    protocol) on the thumb; the card follows with the model's value, the sidebar's answer
    too, nothing is sent until the finger lifts, then one run."""
    dash = new_dashboard(width=390, height=844, has_touch=True, is_mobile=True)
    page = dash.page
    sent = watch_sent(page)
    dash.open("?lang=ky&irrigation_new_ha=1000")
    page.locator('[data-testid="stExpandSidebarButton"]').tap()
    page.wait_for_function(TABLES_READY, timeout=30_000)
    key = "infrastructure_spend"
    page.locator(f'.st-key-{key} [data-testid="stSlider"]').scroll_into_view_if_needed()
    thumb = page.locator(f'.st-key-{key} input[type="range"]').locator("xpath=../..")
    box = thumb.bounding_box()
    assert box is not None
    x0, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    touch = page.context.new_cdp_session(page)

    def finger(kind: str, x: float | None = None) -> None:
        points = [] if x is None else [{"x": x, "y": y}]
        touch.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": points})

    sent.clear()
    finger("touchStart", x0)
    for i in range(1, 11):
        finger("touchMove", x0 + 9 * i)
        page.wait_for_timeout(30)
    page.wait_for_timeout(200)
    value = float(dash.lever_value(key))
    assert value > 0, "the finger did not move the thumb"
    want = expected_cards({"irrigation_new_ha": 1000}, key, [value], "ky")[value]
    expect(dash.kpi()).to_have_text(want)
    expect(dash.keyed("sidebar_headline", ".batken-live-sentence")).to_have_count(1)
    assert len(sent) == 0, f"{len(sent)} frame(s) sent while the finger was down"
    before = page.evaluate("window.__batkenLive.url")
    finger("touchEnd")
    # the release's run has mounted its own tables' address and ended
    page.wait_for_function("(u) => window.__batkenLive.url !== u", arg=before)
    page.wait_for_function(TABLES_READY, timeout=30_000)
    dash.idle()
    assert len(sent) == 1, f"lifting the finger sent {len(sent)} frames, not one run"
    expect(dash.kpi()).to_have_text(want)
    expect(page.locator(LIVE_PARTS)).to_have_count(0)
    dash.expect_no_exception()


def test_the_live_charts_programme_years_follow_a_dragged_end_year(dashboard) -> None:
    """The shaded programme years of the live chart copy follow the end-year lever while
    it is held (the scenario's line alone moved before, under the old shading)."""
    dashboard.open("?lang=en&infrastructure_spend=1500")
    page = dashboard.page
    key = "end_year"
    first = _hold_and_move(page, key, 12)
    band = page.locator(f"{LIVE_CHART} rect")
    expect(band).to_have_count(1)
    narrow = float(band.get_attribute("width") or 0)
    box = page.locator(f'.st-key-{key} input[type="range"]').locator("xpath=../..").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2 + 40, box["y"] + box["height"] / 2, steps=4)
    page.wait_for_timeout(200)
    later = float(dashboard.lever_value(key))
    assert later > first, "the thumb did not move further"
    wide = float(band.get_attribute("width") or 0)
    assert wide > narrow, f"the programme years stayed {narrow:.0f} px wide ({first} -> {later})"
    page.mouse.up()
    dashboard.idle()
    dashboard.expect_no_exception()


def _budget_line(settings: dict[str, float], budget: float, lang: str) -> tuple[str, bool]:
    """The sidebar's budget line for ``settings`` (as read on the page), and whether it
    is over the budget, from the model and the catalog."""
    from model import run_scenarios
    from model.appraisal import DEFAULT_RATE
    from scenarios.settings import Settings
    from ui.i18n import fmt_num, translate
    from ui.sidebar import amount

    s = Settings.from_mapping(settings)
    cost = float(run_scenarios([dict(s.effective)]).appraisals[DEFAULT_RATE].cost[0])
    left = budget - cost
    over = left < -1e-6
    start, end = s.band
    text = translate(
        lang,
        "budget.over" if over else "budget.left",
        over=fmt_num(-left, lang=lang),
        left=fmt_num(left, lang=lang),
        cost=fmt_num(cost, lang=lang),
        budget=amount(budget, lang),
        start=start,
        end=end,
    )
    return text.replace("**", ""), over


@pytest.mark.parametrize(("lang", "dx"), [("ru", 8), ("en", 70)])
def test_the_budget_line_follows_the_thumb(new_dashboard, lang, dx) -> None:
    """With a budget set, the sidebar's budget line says what the thumb's step leaves of
    it, or by how much it is over, as the settled line then says it."""
    dash = new_dashboard(width=1400, height=900)
    budget = 20_000.0
    dash.open(f"?lang={lang}&budget=20000&infrastructure_spend=1500")
    page = dash.page
    key = "infrastructure_spend"
    value = _hold_and_move(page, key, dx)
    text, over = _budget_line({key: value}, budget, lang)
    live = dash.keyed("budget_status", ".batken-live-sentence")
    expect(live).to_have_text(text)
    expect(live).to_have_attribute("data-over", "true" if over else "false")
    page.mouse.up()
    dash.idle()
    expect(page.locator(LIVE_PARTS)).to_have_count(0)
    expect(dash.keyed("budget_status", "p")).to_have_text(text)  # a caption or a warning
    dash.expect_no_exception()
