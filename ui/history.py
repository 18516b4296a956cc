"""One browser-history entry per planner action, so that Back returns to the previous
whole scenario.

Streamlit writes the address bar in two ways: a widget bound to the URL that the planner
moves replaces the current entry (``history.replaceState``: Back then skips the move),
and every query parameter the script sets pushes an entry of its own
(``history.pushState``: a preset that sets five levers leaves five entries, and Back
walks through half-applied presets nobody saw). This script, installed once per page,
routes both through one rule:

- an address change that follows a planner's action (a pointer press or a key press
  since the last change) pushes one entry; every further change until the next action
  replaces it, so the entry ends holding the whole new scenario;
- a change nobody asked for (the first run writing ``v=``, the script keeping pins in
  the link) replaces the current entry;
- a page switch (another path) always pushes, as before.

Back and Forward then step through whole scenarios; Streamlit reruns with the restored
address and the bound levers take its values. The in-page undo and redo
(``ui.state``) do the same inside the session without touching the browser's list.

The same script completes the "how it is modelled" links of the help texts (levers and
KPI cards): the catalog's link is ``/methodology?lang=..#section``; when a tooltip shows
one, it gets the levers of the address bar so that following it keeps the scenario.
Done here, in the browser, rather than in every help text: a help text holding the
levers would change all twenty of them on every slider move, and each changed element
is drawn again (a slider move then redrew every slider and card).
"""

from __future__ import annotations

import streamlit as st

from model import ALL_SETTINGS
from ui import keys

_JS = """
export default function ({ data }) {
  window.__batkenLinkKeys = (data && data.keep) || [];
  if (window.__batkenHistory) return;
  window.__batkenHistory = true;
  const h = window.history;
  const push = h.pushState.bind(h);
  const replace = h.replaceState.bind(h);
  let acted = false;  // a planner's action since the last address change
  const mark = (e) => { if (e.isTrusted) acted = true; };
  window.addEventListener("pointerdown", mark, true);
  window.addEventListener("keydown", mark, true);
  window.addEventListener("popstate", () => { acted = false; });
  const write = (state, title, url) => {
    const next = new URL(url ?? window.location.href, window.location.href);
    if (next.href === window.location.href) return replace(state, title, url);
    if (next.pathname !== window.location.pathname || acted) {
      acted = false;
      return push(state, title, url);
    }
    return replace(state, title, url);
  };
  h.pushState = write;
  h.replaceState = write;
  // "how it is modelled" links: carry the levers of the address bar
  const complete = (root) => {
    if (!root.querySelectorAll) return;
    const links = root.matches && root.matches(LINK) ? [root] : root.querySelectorAll(LINK);
    for (const a of links) {
      const href = a.getAttribute("href"), at = href.indexOf("#");
      const here = new URLSearchParams(window.location.search), query = new URLSearchParams();
      for (const k of window.__batkenLinkKeys) if (here.has(k)) query.set(k, here.get(k));
      const own = new URLSearchParams(href.slice(href.indexOf("?") + 1, at < 0 ? undefined : at));
      for (const [k, v] of own) query.set(k, v);  // its language
      const next = "/methodology?" + query.toString() + (at < 0 ? "" : href.slice(at));
      if (next !== href) a.setAttribute("href", next);
    }
  };
  new MutationObserver((records) => {
    for (const r of records) for (const n of r.addedNodes) if (n.nodeType === 1) complete(n);
  }).observe(document.body, { childList: true, subtree: true });
}
const LINK = 'a[href^="/methodology?"]';

"""
_history = st.components.v2.component("batken_history", js=_JS)


def install() -> None:
    """Mount the script (no visible element; installs itself once per browser page)."""
    ss = st.session_state
    ss[keys.HISTORY_FIRST_RUN] = keys.HISTORY_MOUNTED not in ss
    ss[keys.HISTORY_MOUNTED] = True
    with st.sidebar:
        _history(key="history_rule", data={"keep": list(ALL_SETTINGS)}, height=0)


def may_add_to_address(param: str) -> bool:
    """Whether this run may write ``param``, which the address lacks, to the address bar.

    Not on the session's first run: the rule above is installed only once its script
    has loaded, after the first run's address writes, so each of them pushed a history
    entry of its own (Back from a freshly opened dashboard showed the same page again).
    The next run (the planner's first action) writes it into that action's entry."""
    return param in st.query_params or not st.session_state.get(keys.HISTORY_FIRST_RUN, False)
