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
"""

from __future__ import annotations

import streamlit as st

_JS = """
export default function () {
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
}
"""
_history = st.components.v2.component("batken_history", js=_JS)


def install() -> None:
    """Mount the script (no visible element; installs itself once per browser page)."""
    with st.sidebar:
        _history(key="history_rule", height=0)
