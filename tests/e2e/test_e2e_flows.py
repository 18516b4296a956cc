"""What a planner does in a real browser: move a lever, reload, share a link, save and load
a scenario file, open a tampered link, upload a broken file, switch page at once.

Against a real ``streamlit run app.py`` in headless Chromium; the ``dashboard`` driver
is in conftest.py. Expected values come from their sources (``model.ALL_SETTINGS`` for
steps and defaults, the English catalog for labels), so a changed step or label does
not need a test edit.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from model import ALL_SETTINGS
from ui.i18n import translate

expect = pytest.importorskip("playwright.sync_api").expect


def stepped(key: str, presses: int) -> float:
    """Where a lever is after ``presses`` ArrowRight presses from its default."""
    spec = ALL_SETTINGS[key]
    return min(spec.high, spec.default + presses * spec.step)


def too_high(key: str) -> float:
    """A value beyond a lever's range (as a tampered link or a hand-edited file has)."""
    spec = ALL_SETTINGS[key]
    return spec.high + 100 * spec.step


def test_moving_a_slider_changes_the_kpis_and_the_address_bar(dashboard) -> None:
    dashboard.open()
    grp, cost = dashboard.kpi_text("grp"), dashboard.kpi_text("programme_cost_cumulative")
    dashboard.press("infrastructure_spend")
    expect(dashboard.kpi("grp")).not_to_have_text(grp)
    expect(dashboard.kpi("programme_cost_cumulative")).not_to_have_text(cost)
    value = dashboard.shown(stepped("infrastructure_spend", 1))
    expect(dashboard.page).to_have_url(re.compile(rf"infrastructure_spend={value}\b"))
    dashboard.expect_no_exception()


def test_reloading_the_page_keeps_the_levers_and_the_kpis(dashboard) -> None:
    dashboard.open("?sme_support=200&infrastructure_spend=1000")
    shown = dashboard.kpi_text()
    dashboard.reload()
    expect(dashboard.kpi()).to_have_text(shown)
    assert dashboard.lever_value("sme_support") == "200"
    assert dashboard.lever_value("infrastructure_spend") == "1000"
    expect(dashboard.page).to_have_url(re.compile(r"sme_support=200"))


def test_the_share_link_opens_the_same_scenario_for_another_visitor(
    dashboard, new_dashboard
) -> None:
    dashboard.open()
    dashboard.press("road_maintenance", times=3)
    param = f"road_maintenance={dashboard.shown(stepped('road_maintenance', 3))}"
    expect(dashboard.page).to_have_url(re.compile(rf"{param}\b"))
    # the share link is drawn after the KPIs in the same run: once it holds the value, so
    # do they
    expect(dashboard.share_link).to_contain_text(param)
    dashboard.settle()
    shown = dashboard.kpi_text()
    link = dashboard.share_link.inner_text().strip()
    phone = new_dashboard(width=390, height=844)
    phone.open_link(link)
    expect(phone.kpi()).to_have_text(shown)
    # the address bar itself is also a working link
    phone.open_link(dashboard.page.url)
    expect(phone.kpi()).to_have_text(shown)


def test_a_downloaded_scenario_file_loads_back_after_a_reset(dashboard, tmp_path: Path) -> None:
    dashboard.open("?infrastructure_spend=1500&irrigation_new_ha=800&end_year=2033")
    shown = dashboard.kpi_text()
    with dashboard.page.expect_download() as download:
        dashboard.button("download_scenario").click()
    path = tmp_path / "scenario.toml"
    download.value.save_as(path)
    assert "infrastructure_spend = 1500" in path.read_text(encoding="utf-8")

    dashboard.settle()
    dashboard.page.get_by_role("button", name=translate("en", "sidebar.reset")).first.click()
    expect(dashboard.kpi()).not_to_have_text(shown)
    default = dashboard.shown(ALL_SETTINGS["infrastructure_spend"].default)
    expect(dashboard.lever("infrastructure_spend")).to_have_value(default)
    expect(dashboard.page).not_to_have_url(re.compile("infrastructure_spend"))

    dashboard.go_to("files")
    dashboard.keyed("upload", 'input[type="file"]').set_input_files(str(path))
    dashboard.button("apply_0").click()
    expect(dashboard.page.locator('[data-testid="stAlertContentSuccess"]')).to_be_visible()
    expect(dashboard.lever("infrastructure_spend")).to_have_value("1500")
    expect(dashboard.lever("irrigation_new_ha")).to_have_value("800")
    expect(dashboard.lever("end_year")).to_have_value("2033")
    dashboard.go_home()
    expect(dashboard.kpi()).to_have_text(shown)
    dashboard.expect_no_exception()


def test_a_tampered_link_warns_and_keeps_its_good_values(dashboard) -> None:
    sme_high = dashboard.shown(too_high("sme_support"))
    dashboard.open(
        f"?infrastructure_spend=abc&sme_support={sme_high}"
        "&water_availability=nan&road_maintenance=100&v=0"
    )
    warning = dashboard.keyed("link_messages", "[data-testid='stAlertContentWarning']")
    for key in ("infrastructure_spend", "sme_support", "water_availability"):
        expect(warning).to_contain_text(key)
    old_version = translate("en", "link.old_version").split("{")[0] + "0"
    expect(dashboard.keyed("link_messages", "[data-testid='stAlertContentInfo']")).to_contain_text(
        old_version
    )
    dashboard.expect_no_exception()
    for key in ("infrastructure_spend", "sme_support", "water_availability"):
        assert dashboard.lever_value(key) == dashboard.shown(ALL_SETTINGS[key].default), (
            f"{key} did not fall back to its default"
        )
    assert dashboard.lever_value("road_maintenance") == "100", "the good value was lost"
    expect(dashboard.page).not_to_have_url(re.compile(rf"=abc|={sme_high}\b|=nan"))


def test_a_broken_upload_is_refused_and_the_levers_stay(dashboard, tmp_path: Path) -> None:
    dashboard.open("?infrastructure_spend=750&sme_support=40")
    shown = dashboard.kpi_text()
    dashboard.go_to("files")
    bad = tmp_path / "broken.toml"
    bad.write_text(
        "schema_version = 1\nname = 'x'\n[levers]\n"
        f"infrastructure_spend = {too_high('infrastructure_spend')}\n",
        encoding="utf-8",
    )
    dashboard.keyed("upload", 'input[type="file"]').set_input_files(str(bad))
    error = dashboard.keyed("upload_0", "[data-testid='stAlertContentError']")
    expect(error).to_contain_text("broken.toml")
    expect(error).to_contain_text("infrastructure_spend")
    expect(dashboard.keyed("apply_0")).to_have_count(0)
    assert dashboard.lever_values(["infrastructure_spend", "sme_support"]) == {
        "infrastructure_spend": "750",
        "sme_support": "40",
    }
    dashboard.expect_no_exception()
    dashboard.go_home()
    expect(dashboard.kpi()).to_have_text(shown)


#: Fast page switches per run of the race test, each by a new visitor.
RACE_TRIES = 5
#: Chromium's CPU is slowed this many times in the race test: it stretches the window.
RACE_CPU_THROTTLE = 4


def test_a_page_switch_right_after_a_link_loads_keeps_its_levers(new_dashboard) -> None:
    """A planner who clicks another page the moment a link's page appears keeps the
    link's levers, on the sliders and in the address bar.

    Streamlit 1.67 race, worked around in ``ui.state.resync_bound_levers``: a page switch
    sent while the first run is still drawing (or just after) goes without the URL-bound
    values. The click comes as soon as the title is drawn, in a browser whose CPU is
    throttled 4x, so it lands inside that window every time. Measured with the workaround
    switched off: the values were lost in 6 of 6 tries (8 of 8 at 2x, 5 of 6 unthrottled);
    with it on, 0 of 12.
    """
    levers = {"infrastructure_spend": "750", "sme_support": "40"}
    query = "?" + "&".join(f"{k}={v}" for k, v in levers.items())
    lost = []
    for attempt in range(RACE_TRIES):
        visitor = new_dashboard(height=900)
        cdp = visitor.page.context.new_cdp_session(visitor.page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": RACE_CPU_THROTTLE})
        visitor.open(query, until="title")
        visitor.go_to("files")  # at once, while the first run may still be drawing
        visitor.settle()
        try:  # the workaround's rerun may still be putting the values back: let it finish
            for key, value in levers.items():
                expect(visitor.lever(key)).to_have_value(value, timeout=5_000)
                expect(visitor.page).to_have_url(re.compile(rf"[?&]{key}={value}\b"), timeout=5_000)
        except AssertionError:
            lost.append(
                f"try {attempt + 1}: sliders show {visitor.lever_values(list(levers))}"
                f", address bar {visitor.page.url}"
            )
        visitor.page.context.close()
    assert not lost, (
        f"levers lost in {len(lost)} of {RACE_TRIES} page switches right "
        "after loading a link:\n" + "\n".join(lost)
    )
