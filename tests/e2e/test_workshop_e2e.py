"""A whole workshop in Chromium: one facilitator, three participants (Kyrgyz, Russian on a
390 px phone, English), levers moved, the spread and the median on the facilitator's
screen, a participant's scenario shown on the main screen, and the room surviving a
restart of the server (its own server here, on a SQLite file in a temp directory)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from bench.load_test import StartedServer
from model import run_scenarios
from tests.e2e.conftest import TIMEOUT_MS, Dashboard
from ui.i18n import translate
from ui.results import kpi_change

with __import__("contextlib").suppress(ImportError):
    from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
#: Each participant: language, viewport, name, presses of the business-support lever
#: (step 10 mln som/yr).
PEOPLE = (
    ("ky", (1280, 800), "Айгүл", 10),
    ("ru", (390, 844), "Ольга", 20),
    ("en", (1280, 800), "Tom", 30),
)


class Server:
    """``streamlit run app.py`` on a fixed port with the rooms in one SQLite file;
    ``restart()`` stops it and starts it again on the same port and file."""

    def __init__(self, db: Path) -> None:
        self.env = {"BATKEN_ROOMS_DB": str(db), "BATKEN_WORKSHOP_REFRESH_S": "1"}
        self.server = StartedServer(ROOT / "app.py", env=self.env)
        self.server.start().wait_ready()
        self.url = self.server.url

    def restart(self) -> None:
        port = self.server.port
        self.server.stop()
        self.server = StartedServer(ROOT / "app.py", port=port, env=self.env)
        self.server.start().wait_ready()

    def stop(self) -> None:
        self.server.stop()


@pytest.fixture
def server(tmp_path) -> Iterator[Server]:
    made = Server(tmp_path / "rooms.sqlite3")
    try:
        yield made
    finally:
        made.stop()


def visitor(browser, server: Server, size: tuple[int, int], contexts: list) -> Dashboard:
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]})
    ctx.set_default_timeout(TIMEOUT_MS)
    contexts.append(ctx)
    return Dashboard(ctx.new_page(), server.url)


def metric(dash: Dashboard, label: str):
    return (
        dash.page.locator('[data-testid="stMetric"]')
        .filter(has_text=label)
        .locator('[data-testid="stMetricValue"]')
    )


def with_lang(link: str, lang: str) -> str:
    parts = urlsplit(link)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query["lang"] = lang
    return parts._replace(query=urlencode(query)).geturl()


def test_a_workshop_with_three_participants_survives_a_restart(browser, server):
    contexts: list = []
    try:
        _workshop(browser, server, contexts)
    finally:
        for ctx in contexts:
            ctx.close()


def _workshop(browser, server: Server, contexts: list) -> None:
    # --- the facilitator creates the room -------------------------------------------
    host = visitor(browser, server, (1400, 900), contexts)
    host.open("?lang=en", path="/workshop")
    host.page.locator(".st-key-workshop_title input").fill("Batken planning meeting")
    host.page.get_by_role("button", name="Create a room").click()
    invite = host.keyed("workshop_invite")
    expect(invite).to_be_visible(timeout=TIMEOUT_MS)
    link = invite.locator("code").inner_text().strip()
    assert "/workshop?" in link and "room=" in link and "key=" not in link, link
    code = parse_qs(urlsplit(link).query)["room"][0]
    assert "key=" not in host.page.url, "the facilitator's secret stayed in the address bar"
    expect(host.keyed("workshop_qr", "img")).to_be_visible()
    host.page.locator('[data-testid="stExpander"]').filter(has_text="Facilitator").click()
    private = host.page.locator('[data-testid="stExpander"] code').first.inner_text().strip()
    assert f"room={code}" in private and "key=" in private

    # --- three participants join and move a lever -----------------------------------
    people = []
    for lang, size, name, presses in PEOPLE:
        dash = visitor(browser, server, size, contexts)
        dash.open_link(with_lang(link, lang), until="title")
        dash.settle()
        expect(dash.page.locator("h3").first).to_contain_text(code[:4])
        dash.page.locator(".st-key-workshop_name input").fill(name)
        dash.page.get_by_role("button", name=translate(lang, "workshop.join.button")).click()
        expect(dash.keyed("workshop_mine")).to_be_visible(timeout=TIMEOUT_MS)
        dash.expect_no_exception()
        if size[0] < 500:  # a phone: the levers are behind the side panel's button
            dash.page.locator('[data-testid="stExpandSidebarButton"]').click()
        dash.press("sme_support", presses)
        expect(dash.lever("sme_support")).to_have_value(str(presses * 10))
        dash.idle()
        if size[0] < 500:  # close the side panel again to reach the page
            dash.page.locator('[data-testid="stSidebarCollapseButton"] button').click(force=True)
            expect(dash.page.locator('[data-testid="stSidebar"]')).to_have_attribute(
                "data-collapsed", "true"
            )
        expect(dash.keyed("workshop_saved")).to_contain_text(
            re.sub(r"\{time\}.*", "", translate(lang, "workshop.participant.saved")).strip()
        )
        dash.page.locator(".st-key-workshop_rationale input").fill(f"reason of {name}")
        dash.page.locator(".st-key-workshop_rationale input").press("Enter")
        dash.idle()
        dash.button("workshop_submit_button").click()
        dash.idle()
        dash.expect_no_exception()
        people.append(dash)
    phone = people[1]
    width = phone.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1, f"the participant's page is {width} px wide on a 390 px phone"

    # --- the facilitator's view fills in by itself ------------------------------------
    expect(metric(host, "With a scenario")).to_have_text("3", timeout=TIMEOUT_MS)
    expect(metric(host, "Submitted")).to_have_text("3", timeout=TIMEOUT_MS)
    expect(host.keyed("box_facilitator_spread", "canvas, svg").first).to_be_visible()
    median = run_scenarios([{"sme_support": 200.0}])
    i = list(median.frame(0)["year"]).index(2035)
    grp, base = float(median.frame(0)["grp"].iloc[i]), float(median.baseline["grp"][0][i])
    expected = kpi_change(grp, base, 0, lang="en")
    expect(host.keyed("workshop_median", '[data-testid="stMetricValue"]').first).to_have_text(
        expected, timeout=TIMEOUT_MS
    )
    expect(host.keyed("box_workshop_points", "canvas, svg").first).to_be_visible()
    host.expect_no_exception()

    # --- "show this one": the first participant's scenario on the main screen ------
    host.button("workshop_show_main").click()
    expect(host.page).to_have_url(re.compile(r"/(start)?\?"), timeout=TIMEOUT_MS)
    host.settle()
    expect(host.lever("sme_support")).to_have_value("100")
    host.expect_no_exception()

    # --- the server restarts; nothing is lost ----------------------------------------
    server.restart()
    host.open_link(private, until="title")
    host.settle()
    expect(metric(host, "With a scenario")).to_have_text("3", timeout=TIMEOUT_MS)
    en = people[2]
    en.reload()
    expect(en.keyed("workshop_mine")).to_be_visible(timeout=TIMEOUT_MS)
    expect(en.page.locator(".st-key-workshop_name input")).to_have_value("Tom")
    expect(en.lever("sme_support")).to_have_value("300")
    en.expect_no_exception()
