"""Hostile links and files in a real browser (issue #11, "Injection and exhaustion").

Text from a link or a file is shown as text: no heading, link or image appears, and no
request leaves for any host but the app's own while it is on the page. Every request of
the browser context is routed: one to another host is recorded and aborted, so nothing
actually leaves. Also: an unknown page path, a link Streamlit drops whole, the Compare
selection across a language switch.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pytest

from scenarios import Scenario, dump_scenario

# where Playwright is missing, skipped with the reason (not an import error)
sync_api = pytest.importorskip("playwright.sync_api")
BrowserContext, Page, expect = sync_api.BrowserContext, sync_api.Page, sync_api.expect

pytestmark = pytest.mark.browser

TIMEOUT_MS = 20_000
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
#: The link of the issue: a "Session expired" heading, a phishing link and a tracking
#: image in the model version, and an image in a lever value.
HOSTILE_QUERY = (
    "?v=0%0A%0A%23%20Session%20expired%0A%0A%5BSign%20in%20again%5D"
    "(http%3A%2F%2Fevil.test%2Fphish)%0A%0A!%5B%5D(http%3A%2F%2Fevil.test"
    "%2Fpixel.gif)&sme_support="
    + quote("![](http://evil.test/p.gif)")
    + "&year="
    + quote("<img src=http://evil.test/y.gif>")
)
HOSTILE_NAME = "![n](http://evil.test/name.png) **Sign in** [here](http://evil.test/x)"
HOSTILE_FILE_NAME = "![n](http://evil.test/file.png).toml"


@pytest.fixture
def outside(context: BrowserContext) -> list[str]:
    """URLs the pages of ``context`` asked for on any host but the app's (aborted)."""
    seen: list[str] = []

    def route(r) -> None:
        if urlsplit(r.request.url).hostname in LOCAL_HOSTS:
            r.continue_()
        else:
            seen.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return seen


def settle(page: Page) -> None:
    """No script run in progress and the page has drawn its title."""
    page.wait_for_timeout(200)
    expect(page.locator('[data-testid="stStatusWidget"]')).to_have_count(0, timeout=TIMEOUT_MS)
    expect(page.locator("h1").first).to_be_visible(timeout=TIMEOUT_MS)


def go_to(page: Page, page_id: str) -> None:
    page.locator(f'[data-testid="stSidebarNavLink"][href$="/{page_id}"]').click()
    expect(page).to_have_url(re.compile(rf"/{page_id}\b"))
    settle(page)


def go_home(page: Page) -> None:
    page.locator('[data-testid="stSidebarNavLink"]').first.click()
    settle(page)


def no_markup_from_outside(page: Page) -> None:
    """Nothing from evil.test became an image, a link or a heading on the page."""
    expect(page.locator('img[src*="evil.test"]')).to_have_count(0)
    expect(page.locator('a[href*="evil.test"]')).to_have_count(0)
    expect(page.locator("h1, h2, h3").filter(has_text="Session expired")).to_have_count(0)
    expect(page.locator('[data-testid="stException"]')).to_have_count(0)


def upload(page: Page, key: str = "upload") -> None:
    scenario = Scenario.from_settings(
        {"sme_support": 60.0}, name=HOSTILE_NAME, description="# Session expired\n\n" + HOSTILE_NAME
    )
    page.locator(f'.st-key-{key} input[type="file"]').set_input_files(
        {
            "name": HOSTILE_FILE_NAME,
            "mimeType": "application/toml",
            "buffer": dump_scenario(scenario).encode(),
        }
    )
    expect(page.locator(".st-key-upload_0")).to_be_visible(timeout=TIMEOUT_MS)
    settle(page)


def test_no_request_leaves_for_another_host_while_hostile_links_and_files_are_shown(
    context: BrowserContext, outside: list[str], app_url: str
) -> None:
    page = context.new_page()
    # The route sees requests to other hosts: a deliberate one is recorded.
    page.goto(app_url + "/_stcore/health")
    page.evaluate("fetch('http://evil.test/control').catch(() => null)")
    page.wait_for_timeout(500)
    assert outside == ["http://evil.test/control"], f"the route missed it: {outside}"
    outside.clear()

    page.goto(app_url + "/" + HOSTILE_QUERY)
    settle(page)
    messages = page.locator(".st-key-link_messages")
    expect(messages).to_contain_text("Session expired")  # shown, as text
    expect(messages).to_contain_text("http://evil.test/p.gif")
    no_markup_from_outside(page)

    go_to(page, "files")
    upload(page)
    card = page.locator(".st-key-upload_0")
    expect(card).to_contain_text("evil.test/name.png")
    expect(card).to_contain_text("evil.test/file.png")
    no_markup_from_outside(page)
    page.locator(".st-key-apply_0 button").click()
    settle(page)
    expect(page.locator('[data-testid="stAlertContentSuccess"]')).to_contain_text("evil.test")
    no_markup_from_outside(page)

    go_home(page)
    expect(
        page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first
    ).to_contain_text("evil.test/name.png")  # the subtitle
    page.locator(".st-key-pin_name input").fill("[pin](http://evil.test/pin)")
    page.locator(".st-key-pin_name input").press("Enter")
    settle(page)
    page.locator(".st-key-pin_button button").click()
    settle(page)
    no_markup_from_outside(page)

    go_to(page, "files")
    upload(page)
    page.locator(".st-key-compare_0 button").click()
    settle(page)
    go_to(page, "compare")
    expect(page.locator('[data-testid="stTable"]').first).to_contain_text("evil.test/name.png")
    expect(page.locator('[data-testid="stTable"]').first).to_contain_text("evil.test/pin")
    no_markup_from_outside(page)

    assert outside == [], f"requests left for other hosts: {outside}"


def test_an_unknown_page_path_is_named_and_left_out_of_the_share_link(
    page: Page, app_url: str
) -> None:
    page.goto(app_url + "/bogus?infrastructure_spend=500")
    settle(page)
    expect(page.locator(".st-key-link_messages")).to_contain_text("bogus")
    page.keyboard.press("Escape")  # Streamlit's own "Page not found" dialog, in English
    share = page.locator(".st-key-share_link code")
    expect(share).to_contain_text("infrastructure_spend=500")
    expect(share).not_to_contain_text("/bogus")


def test_a_link_that_streamlit_drops_whole_is_announced(page: Page, app_url: str) -> None:
    """Over 1,000 parameters: Streamlit ignores the whole query (one server log line)."""
    filler = "&".join(f"utm{i}=1" for i in range(1000))
    page.goto(f"{app_url}/?infrastructure_spend=500&{filler}")
    settle(page)
    warning = page.locator(".st-key-link_messages")
    expect(warning).to_contain_text("too long", timeout=TIMEOUT_MS)
    expect(warning).to_contain_text("1,001 parameters")
    assert page.locator('.st-key-infrastructure_spend input[type="range"]').input_value() == "0"


def test_the_compare_selection_survives_a_language_switch_and_a_lever_move(
    page: Page, app_url: str
) -> None:
    page.goto(app_url + "/compare?infrastructure_spend=500&lang=en")
    settle(page)
    chips = page.locator(".st-key-compare_pick .react-aria-ComboBox [data-tag] span[title]")
    expect(chips).to_have_count(1)
    page.locator(".st-key-compare_pick input").click()
    page.get_by_role("option", name=re.compile("SME")).first.click()
    page.keyboard.press("Escape")
    settle(page)
    expect(chips).to_have_count(2)
    page.locator(".st-key-lang").click()
    page.get_by_role("option", name="Русский").click()
    settle(page)
    expect(chips).to_have_text([re.compile("Текущие"), re.compile("МСП")])
    thumb = page.locator('.st-key-sme_support input[type="range"]')
    thumb.focus()
    thumb.press("ArrowRight")
    settle(page)
    expect(chips).to_have_text([re.compile("Текущие"), re.compile("МСП")])
