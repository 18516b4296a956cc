"""The page list. Page objects are cheap and matched by ``url_path``, so any module can
build a link to a page with :func:`page` (``st.page_link(page("files"))``)."""

from __future__ import annotations

import streamlit as st

from ui.i18n import t

#: Page ids in menu order; each is also the URL path (language-neutral).
PAGE_IDS = (
    "scenario",
    "compare",
    "districts",
    "analysis",
    "goal",
    "files",
    "reports",
    "workshop",
    "methodology",
    "about",
)
DEFAULT_PATH = "start"  # reserved by the default page (served at "/")
ICONS = {
    "scenario": ":material/tune:",
    "compare": ":material/compare_arrows:",
    "districts": ":material/map:",
    "analysis": ":material/ssid_chart:",
    "goal": ":material/target:",
    "files": ":material/folder_open:",
    "reports": ":material/print:",
    "workshop": ":material/groups:",
    "methodology": ":material/account_tree:",
    "about": ":material/info:",
}


def page(page_id: str) -> st.Page:
    """The ``st.Page`` of one page (the first is the default page)."""
    from ui.pages import (
        about,
        analysis,
        compare,
        districts,
        files,
        goal,
        methodology,
        reports,
        scenario,
        workshop,
    )

    funcs = {
        "scenario": scenario.page,
        "compare": compare.page,
        "districts": districts.page,
        "analysis": analysis.page,
        "goal": goal.page,
        "files": files.page,
        "reports": reports.page,
        "workshop": workshop.page,
        "methodology": methodology.page,
        "about": about.page,
    }
    default = page_id == PAGE_IDS[0]
    # The default page is served at "/" yet reserves its url_path, which Streamlit then
    # does not open ("Page not found"): it gets a reserved name of its own, and its id
    # is served by the hidden alias in pages().
    return st.Page(
        funcs[page_id],
        title=t(f"page.{page_id}"),
        icon=ICONS[page_id],
        url_path=DEFAULT_PATH if default else page_id,
        default=default,
    )


def _scenario_at_its_own_path() -> None:
    from ui.pages import scenario

    scenario.page()


def pages() -> list[st.Page]:
    """Every page in menu order, and a hidden alias: the first page is served at ``/``,
    so ``/scenario`` (a link that names it, or a planner typing it) opens it too instead
    of "Page not found"."""
    alias = st.Page(
        _scenario_at_its_own_path,
        title=t(f"page.{PAGE_IDS[0]}"),
        icon=ICONS[PAGE_IDS[0]],
        url_path=PAGE_IDS[0],
        visibility="hidden",
    )
    return [*(page(p) for p in PAGE_IDS), alias]
