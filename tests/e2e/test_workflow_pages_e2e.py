"""The Files and Compare pages in a real browser, in Russian: what only the browser shows.

Streamlit writes some of its widgets' texts in English in the browser (the uploader's
button, limits and drop overlay; "Press Enter to apply"); the dashboard covers them with
the planner's language (ui/builtin_text.py). A multiselect keeps its choice as labels in
the browser, so a scenario whose label changes must stay chosen.
"""

from __future__ import annotations

import pytest

from scenarios import dump_scenario, preset
from ui.i18n import translate

expect = pytest.importorskip("playwright.sync_api").expect

#: Streamlit's English that a planner could see on the Files page.
ENGLISH = (
    "Upload",
    "Drag and drop",
    "per file",
    "Press Enter",
    "Ctrl+Enter to apply",
    "Browse files",
    "Skip to main content",
)

#: Texts drawn on the page: every text node with a rendered size (a text hidden with
#: display:none, or shrunk to nothing, is not drawn), plus every ::after content.
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


def drawn(dash) -> list[str]:
    return dash.page.evaluate(DRAWN_TEXT)


def english_drawn(dash) -> list[str]:
    return [s for s in drawn(dash) if any(e in s for e in ENGLISH)]


def test_the_files_page_on_a_phone_shows_no_streamlit_english_and_follows_an_applied_file(
    new_dashboard,
) -> None:
    dash = new_dashboard(width=390, height=844)
    dash.open("?lang=ru", path="/files")
    dash.expect_no_exception()
    expect(dash.page.locator('[data-testid="stFileUploaderDropzone"] button')).to_be_visible()
    # the uploader: our button label and limits, no English
    assert translate("ru", "builtin.upload_button") in drawn(dash)
    limits = translate("ru", "builtin.upload_limits", max_kb="256", max="10")
    expect(dash.page.get_by_text(limits)).to_be_visible()
    assert english_drawn(dash) == []
    # a file dragged over the box
    dropzone = '[data-testid="stFileUploaderDropzone"]'
    files = dash.page.evaluate_handle(
        "() => { const d = new DataTransfer(); d.items.add(new File(['x'], 'a.toml')); return d; }"
    )
    dash.page.dispatch_event(dropzone, "dragenter", {"dataTransfer": files})
    expect(dash.page.locator(f"{dropzone} > div:not([data-testid])")).to_be_visible()
    assert translate("ru", "builtin.upload_drop") in drawn(dash)
    assert english_drawn(dash) == []
    dash.page.dispatch_event(dropzone, "dragleave", {"dataTransfer": files})
    # typing in the form: the hint under the field
    name = dash.keyed("meta_name", "input")
    name.fill("Черновик")
    expect(dash.keyed("meta_name", '[data-testid="InputInstructions"]')).to_be_visible()
    assert translate("ru", "builtin.enter") in drawn(dash)
    notes = dash.keyed("meta_notes", "textarea")
    notes.fill("Заметка")
    expect(dash.keyed("meta_notes", '[data-testid="InputInstructions"]')).to_be_visible()
    assert translate("ru", "builtin.ctrl_enter") in drawn(dash)
    assert english_drawn(dash) == []
    notes.blur()
    dash.idle()
    # a refused file names the lever by its Russian label; a good one is applied
    bad = b"schema_version = 1\nname = 'x'\n[levers]\ninfrastructure_spend = 99999\n"
    good = preset("sme_led").model_copy(
        update={"name": "Малый бизнес из файла", "description": "Из файла", "author": "Гульнара"}
    )
    dash.keyed("upload", 'input[type="file"]').set_input_files(
        [
            {"name": "bad.toml", "mimeType": "application/toml", "buffer": bad},
            {
                "name": "good.toml",
                "mimeType": "application/toml",
                "buffer": dump_scenario(good).encode(),
            },
        ]
    )
    error = dash.page.locator("[data-testid='stAlertContentError']")
    label = translate("ru", "lever.infrastructure_spend.label")
    expect(error).to_contain_text(f"«{label}» (levers.infrastructure_spend)")
    assert english_drawn(dash) == []
    dash.idle()
    dash.page.locator('[class*="st-key-apply_"] button').click()
    dash.idle()
    expect(dash.keyed("meta_name", "input")).to_have_value("Малый бизнес из файла")
    expect(dash.keyed("meta_description", "textarea")).to_have_value("Из файла")
    expect(dash.keyed("meta_author", "input")).to_have_value("Гульнара")
    expect(dash.keyed("meta_notes", "textarea")).to_have_value("")
    dash.expect_no_exception()


def test_the_files_form_empties_after_a_reset_to_the_baseline(dashboard) -> None:
    dashboard.open("?lang=ru", path="/files")
    dashboard.keyed("preset_pick", "input").click()
    dashboard.page.get_by_role("option", name=translate("ru", "preset.roads_first.name")).click()
    dashboard.idle()
    expect(dashboard.keyed("meta_name", "input")).to_have_value(
        translate("ru", "preset.roads_first.name")
    )
    dashboard.page.get_by_role("button", name=translate("ru", "sidebar.reset"), exact=True).click()
    dashboard.idle()
    expect(dashboard.keyed("meta_name", "input")).to_have_value("")
    expect(dashboard.keyed("meta_description", "textarea")).to_have_value("")
    dashboard.expect_no_exception()


def test_the_current_scenario_keeps_its_place_in_the_comparison_as_its_name_changes(
    dashboard,
) -> None:
    """The current levers are named by their preset ("Текущие рычаги: Сначала дороги");
    picking a preset or moving a lever renames them, and they stay chosen."""
    dashboard.open("?lang=ru", path="/compare")
    chips = dashboard.keyed("compare_pick", ".react-aria-ComboBox [data-tag]")
    baseline = translate(
        "ru", "compare.current_preset", name=translate("ru", "preset.baseline.name")
    )
    expect(chips).to_have_count(1)
    expect(chips).to_have_attribute("aria-label", baseline)
    dashboard.keyed("preset_pick", "input").click()
    roads = translate("ru", "preset.roads_first.name")
    dashboard.page.get_by_role("option", name=roads).click()
    dashboard.idle()
    named = translate("ru", "compare.current_preset", name=roads)
    expect(chips).to_have_count(1)
    expect(chips).to_have_attribute("aria-label", named)
    expect(
        dashboard.page.locator('[data-testid="stTable"] th').filter(has_text=named)
    ).to_have_count(2)  # against the baseline, and the settings table
    dashboard.press("infrastructure_spend")  # off the preset
    dashboard.idle()
    plain = translate("ru", "compare.current")
    expect(chips).to_have_count(1)
    expect(chips).to_have_attribute("aria-label", plain)
    expect(
        dashboard.page.locator('[data-testid="stTable"] th').filter(has_text=named)
    ).to_have_count(0)
    expect(
        dashboard.page.locator('[data-testid="stTable"] th').filter(has_text=plain).first
    ).to_be_visible()
    dashboard.expect_no_exception()


#: Every button's label whose text is wider than its box (Streamlit cuts a button label
#: to one line with "…").
CUT_BUTTON_LABELS = """() => [...document.querySelectorAll(
    '[data-testid^="stBaseButton"] [data-testid="stMarkdownContainer"]')]
  .filter(el => el.getClientRects().length && el.scrollWidth > el.clientWidth + 1
    && !el.closest('[data-testid="stSidebar"][data-collapsed="true"]'))
  .map(el => el.innerText.trim())"""


@pytest.mark.parametrize(("lang", "width"), [("ky", 390), ("ru", 390), ("ky", 1400)])
def test_no_button_label_is_cut_on_any_page(new_dashboard, lang: str, width: int) -> None:
    """A download button read "Натыйжалар, жөндөөлөр жана параметрлер (Ex…" on a phone:
    the planner could not see which file it gives. Every button on every page shows
    its whole label, wrapping where it must."""
    from ui.nav import PAGE_IDS

    d = new_dashboard(width=width, height=900)
    cut = {}
    for page_id in PAGE_IDS:
        d.open(f"?lang={lang}", path="/" if page_id == "scenario" else f"/{page_id}")
        d.page.wait_for_timeout(300)  # late widgets (fragments) drawn
        if page_id == "scenario" and width < 600:  # the sidebar's buttons, opened
            d.page.locator('[data-testid="stExpandSidebarButton"]').click()
            expect(d.page.locator('[data-testid="stSidebar"]')).to_have_attribute(
                "data-collapsed", "false"
            )
            d.page.wait_for_function(  # its slide-in has ended: labels at their width
                """() => { const r = document.querySelector('[data-testid="stSidebar"]')
                  .getBoundingClientRect(); return r.left >= 0 && r.width > 250; }"""
            )
            d.page.wait_for_timeout(100)
        if labels := d.page.evaluate(CUT_BUTTON_LABELS):
            cut[page_id] = labels
    assert not cut, f"{lang} at {width} px: button labels cut: {cut}"
