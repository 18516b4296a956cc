"""The page list. Page objects are cheap and matched by ``url_path``, so any module can
build a link to a page with :func:`page` (``st.page_link(page("files"))``)."""

from __future__ import annotations

import streamlit as st

from ui.i18n import t

#: Page ids in menu order; each is also the URL path (language-neutral).
PAGE_IDS = ("scenario", "compare", "analysis", "goal", "files", "reports", "methodology",
            "about")
ICONS = {"scenario": ":material/tune:", "compare": ":material/compare_arrows:",
         "analysis": ":material/ssid_chart:", "goal": ":material/target:",
         "files": ":material/folder_open:", "reports": ":material/print:",
         "methodology": ":material/account_tree:", "about": ":material/info:"}


def page(page_id: str) -> st.Page:
    """The ``st.Page`` of one page (the first is the default page)."""
    from ui.pages import about, analysis, compare, files, goal, methodology, reports, scenario

    funcs = {"scenario": scenario.page, "compare": compare.page, "analysis": analysis.page,
             "goal": goal.page, "files": files.page, "reports": reports.page,
             "methodology": methodology.page, "about": about.page}
    return st.Page(funcs[page_id], title=t(f"page.{page_id}"), icon=ICONS[page_id],
                   url_path=page_id, default=page_id == PAGE_IDS[0])


def pages() -> list[st.Page]:
    """Every page in menu order."""
    return [page(p) for p in PAGE_IDS]
