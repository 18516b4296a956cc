"""Fixtures of the browser tests: a real ``streamlit run app.py`` and a driver for its page.

Tests take ``dashboard`` (the app in a fresh 1280x800 browser context) or
``new_dashboard`` (another context, e.g. a phone-sized one or a second visitor), and
talk to the page through its methods, so that selectors live here, once. The shared
Chromium is the ``browser`` fixture of ``tests/conftest.py``; where Chromium or
Playwright is missing these tests are skipped with the reason.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bench.load_test import StartedServer

# Without Playwright every browser test is skipped (tests/conftest.py says why).
with contextlib.suppress(ImportError):
    from playwright.sync_api import Locator, Page, expect

ROOT = Path(__file__).resolve().parents[2]
#: How long a page may take to load or finish a script run (a busy 2-core machine).
TIMEOUT_MS = 20_000


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a dashboard server started for this test session (the benchmarks'
    own server starter, bench/load_test.StartedServer)."""
    log = tmp_path_factory.mktemp("server") / "streamlit.log"
    server = StartedServer(ROOT / "app.py", log_path=log).start()
    try:
        try:
            server.wait_ready(60)
        except (RuntimeError, TimeoutError) as exc:
            pytest.fail(f"streamlit did not come up ({exc}):\n{log.read_text(errors='replace')}")
        yield server.url
    finally:
        server.stop()


class Dashboard:
    """The dashboard in one browser page, driven the way a planner drives it."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        #: Requests Chromium dropped with net::ERR_NETWORK_CHANGED (see ``_load``).
        self.network_changes: list[str] = []
        page.on("requestfailed", self._on_request_failed)

    def _on_request_failed(self, request) -> None:
        if "ERR_NETWORK_CHANGED" in (request.failure or ""):
            self.network_changes.append(request.url)

    @staticmethod
    def shown(value: float) -> str:
        """A setting as the slider and the address bar write it: 750.0 -> '750'."""
        return str(int(value)) if float(value).is_integer() else repr(float(value))

    # --- what is on the page ---------------------------------------------------------

    def kpi(self, kpi_id: str = "grp") -> Locator:
        """The value of a KPI card on the scenario page (cards are keyed kpi_<id>)."""
        return self.page.locator(f'.st-key-kpi_{kpi_id} [data-testid="stMetricValue"]')

    def kpi_text(self, kpi_id: str = "grp") -> str:
        return self.kpi(kpi_id).inner_text()

    def lever(self, key: str) -> Locator:
        """The slider input of a lever (sliders are keyed by their setting key)."""
        return self.page.locator(f'.st-key-{key} input[type="range"]')

    def lever_value(self, key: str) -> str:
        return self.lever(key).input_value()

    def lever_values(self, keys: tuple[str, ...] | list[str]) -> dict[str, str]:
        return {k: self.lever_value(k) for k in keys}

    def keyed(self, key: str, inner: str = "") -> Locator:
        """The element rendered with ``key=...`` (Streamlit's .st-key-<key> class)."""
        return self.page.locator(f".st-key-{key} {inner}".strip())

    def button(self, key: str) -> Locator:
        return self.keyed(key, '[data-testid^="stBaseButton"]')

    def sections(self) -> Locator:
        """The scenario page's section buttons (GRP, sectors, ..., table), in order."""
        return self.keyed("result_tab", "button")

    def open_section(self, name: str) -> None:
        """Open the scenario page's section labelled ``name`` and wait for its run."""
        self.sections().filter(has_text=name).click()
        self.idle()

    @property
    def share_link(self) -> Locator:
        return self.keyed("share_link", "code")

    def expect_no_exception(self) -> None:
        expect(self.page.locator('[data-testid="stException"]')).to_have_count(0)

    # --- moving around ---------------------------------------------------------------

    def open(self, query: str = "", path: str = "/", *, until: str = "settled") -> None:
        """Open ``path`` + ``query`` of the app and wait ``until``: "settled" (the first
        run has finished; on the scenario page its KPI cards are drawn) or "title" (the
        page has drawn its title; the first run may still be going on)."""
        self.open_link(self.base_url + path + query, until=until)

    def open_link(self, url: str, *, until: str = "settled") -> None:
        """Open a full address (a share link, another visitor's address bar) like ``open``."""
        if until == "title":
            self._load(lambda: self.page.goto(url), self._titled, self._expect_title)
        elif re.search(r"^https?://[^/]+/[a-z]", url):  # another page than the scenario
            self._load(lambda: self.page.goto(url), self._settled, self.settle)
        else:
            self._load(lambda: self.page.goto(url), self._kpis_drawn, self._expect_kpis)

    def reload(self) -> None:
        self._load(self.page.reload, self._settled, self.settle)

    def _load(
        self, navigate: Callable[[], object], ready: Callable[[], bool], confirm: Callable[[], None]
    ) -> None:
        """Navigate and wait until ``ready()``; load again if Chromium dropped a request
        meanwhile because the machine's network interfaces changed
        (net::ERR_NETWORK_CHANGED, e.g. a container starting on a shared machine): a
        half-loaded page is not the app's doing. Then ``confirm()`` asserts the page is
        ready, so any other failure says what is missing."""
        for _ in range(3):
            seen = len(self.network_changes)
            navigate()
            deadline = time.monotonic() + TIMEOUT_MS / 1000
            while len(self.network_changes) == seen and time.monotonic() < deadline:
                if ready():
                    break
                self.page.wait_for_timeout(20)
            if len(self.network_changes) == seen:
                break
            navigate = self.page.reload
        confirm()

    def _expect_title(self) -> None:
        expect(self.page.locator("h1").first).to_be_visible(timeout=TIMEOUT_MS)

    def _expect_kpis(self) -> None:
        self.settle()
        expect(self.kpi()).to_be_visible(timeout=TIMEOUT_MS)

    def _kpis_drawn(self) -> bool:
        return self._settled() and self.kpi().is_visible()

    def _titled(self) -> bool:
        return self.page.locator("h1").first.is_visible()

    def _settled(self) -> bool:
        return self.page.locator('[data-testid="stStatusWidget"]').count() == 0 and self._titled()

    def idle(self) -> None:
        """No script run in progress, and none of its elements left over: a rerun shows
        the last run's elements (marked stale) beside its new ones until it ends, and a
        locator then finds both (a download button "resolved to 2 elements")."""
        expect(self.page.locator('[data-testid="stStatusWidget"]')).to_have_count(
            0, timeout=TIMEOUT_MS
        )
        expect(self.page.locator('[data-stale="true"]')).to_have_count(0, timeout=TIMEOUT_MS)

    def settle(self) -> None:
        """The app is connected, no run is in progress, and the page has drawn its title."""
        self.idle()
        expect(self.page.locator("h1").first).to_be_visible(timeout=TIMEOUT_MS)

    def go_to(self, page_id: str) -> None:
        """Click a page in the sidebar menu (page ids are the URL paths)."""
        self.page.locator(f'[data-testid="stSidebarNavLink"][href$="/{page_id}"]').click()
        expect(self.page).to_have_url(re.compile(rf"/{page_id}\b"))
        self.idle()

    def go_home(self) -> None:
        """Back to the scenario page (first in the menu), its KPI cards drawn."""
        self.page.locator('[data-testid="stSidebarNavLink"]').first.click()
        self.settle()
        expect(self.kpi()).to_be_visible(timeout=TIMEOUT_MS)

    def press(self, key: str, times: int = 1, arrow: str = "ArrowRight") -> None:
        """Move a lever by keyboard, one step per press."""
        thumb = self.lever(key)
        thumb.focus()
        for _ in range(times):
            thumb.press(arrow)


DASHBOARDS = pytest.StashKey[list[Dashboard]]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """On a failure, say whether Chromium saw the machine's network change meanwhile."""
    report = yield
    if report.failed:
        dropped = [u for d in item.stash.get(DASHBOARDS, []) for u in d.network_changes]
        if dropped:
            report.sections.append(
                (
                    "Chromium: net::ERR_NETWORK_CHANGED",
                    f"{len(dropped)} request(s) dropped because the machine's network interfaces "
                    "changed during the test (a container or network namespace starting?); "
                    "the failure may be that, not the app:\n" + "\n".join(dropped[:10]),
                )
            )
    return report


@pytest.fixture
def context(browser):
    """A fresh browser context (own cookies and storage) per test, 1280x800."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    ctx.set_default_timeout(TIMEOUT_MS)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context) -> Page:
    return context.new_page()


@pytest.fixture
def dashboard(request: pytest.FixtureRequest, page: Page, app_url: str) -> Dashboard:
    """The dashboard in this test's browser page (not opened yet: call ``open``)."""
    made = Dashboard(page, app_url)
    request.node.stash.setdefault(DASHBOARDS, []).append(made)
    return made


@pytest.fixture
def new_dashboard(
    request: pytest.FixtureRequest, browser, app_url: str
) -> Iterator[Callable[..., Dashboard]]:
    """Make another visitor: ``new_dashboard(width=390, height=844)`` gives a Dashboard
    in a fresh browser context of that size (more context options, e.g. ``has_touch``,
    pass through); every one is closed after the test."""
    contexts = []

    def make(width: int = 1280, height: int = 800, **options) -> Dashboard:
        ctx = browser.new_context(
            viewport={"width": width, "height": height}, accept_downloads=True, **options
        )
        ctx.set_default_timeout(TIMEOUT_MS)
        contexts.append(ctx)
        made = Dashboard(ctx.new_page(), app_url)
        request.node.stash.setdefault(DASHBOARDS, []).append(made)
        return made

    yield make
    for ctx in contexts:
        ctx.close()
