"""Batken scenario dashboard: the router. Run with ``streamlit run app.py``.

Order matters: the link check reads the URL before any lever renders; the sidebar
(levers, bound to the URL) is drawn by the entrypoint on every page so the binding
survives page switches; then the selected page runs.
"""

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

if get_script_run_ctx(suppress_warning=True) is None:
    # `streamlit run app.py` first imports this file outside any run and serves `app`:
    # Streamlit's own server with one route more, where the scenario page's script
    # fetches its live tables (ui/live_route.py). Each session's run takes the branch
    # below.
    from ui.live_route import route
    from ui.warm import warm_up

    app = st.App(__file__, routes=[route()])
    # the first page's imports and one-off loads while the browser loads the frontend
    warm_up()
else:
    from model.runtime import tune_allocator
    from ui import gate, history, keys, links, nav, sidebar, style
    from ui.i18n import t
    from ui.nav import PAGE_IDS
    from ui.workshop import after_page as workshop_after_page

    tune_allocator()  # once per process is enough; cheap to repeat (model/runtime.py)
    # An emoji icon: the browser draws it locally. A :material/...: icon made every visitor's
    # browser fetch the favicon from fonts.gstatic.com (tests/e2e/test_hostile_e2e.py).
    st.set_page_config(
        page_title=t("app.title"), page_icon="⛰️", layout="wide", initial_sidebar_state="auto"
    )

    # One run at a time in this process; the others queue (ui/gate.py: under the
    # interpreter lock, forty runs at once are slower for everyone, and a workshop
    # facilitator's refresh, a fragment that skips this gate, waited behind them).
    with gate.page_run():
        style.apply()
        history.install()
        links.check_link()
        page = st.navigation(nav.pages())
        sidebar.render()
        links.enforce_defaults()
        links.keep_version_in_url()
        links.show_link_messages()
        if flash := st.session_state.pop(keys.FLASH, None):
            st.success(flash, icon=":material/check_circle:")
        page.run()
        workshop_after_page()  # a workshop participant's levers saved to their room
        if page.url_path in PAGE_IDS[1:]:  # the scenario page has its own share box
            links.share_box(page.url_path)
        links.keep_pins_in_url()
