"""Share links: checking what a link carries, the model version, building the link.

The levers are bound to the URL (``bind="query-params"``), so the address bar always
holds the non-default settings. Streamlit drops a bound value it cannot use without a
word; :func:`check_link` runs before the sliders render on a session's first run, names
every refused value so the planner sees a warning, and removes it so the slider starts
at its default. Query keys the app does not know are ignored silently: messengers and
analytics add their own (``utm_source``, ``fbclid``, ...), and refusing a link for that
would help nobody.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Mapping
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from model import ALL_SETTINGS, MODEL_VERSION
from ui import state
from ui.i18n import current_lang, t
from ui.nav import PAGE_IDS

VERSION_PARAM = "v"
LANG_PARAM = "lang"


def value_problem(key: str, raw: str) -> bool:
    """True when ``raw`` is not an acceptable value for setting ``key``."""
    spec = ALL_SETTINGS[key]
    try:
        value = float(raw.strip())
    except (ValueError, AttributeError):
        return True
    if not math.isfinite(value) or not spec.low <= value <= spec.high:
        return True
    return key in state.YEAR_KEYS and not value.is_integer()


FORCE_DEFAULTS = "link_force_defaults"


def check_link() -> None:
    """On a session's first run: record refused link values and the link's model version.

    On the run after :func:`enforce_defaults` asked for it, set the refused levers to
    their defaults (before the sliders render, so the binding also fixes the URL).
    """
    ss = st.session_state
    for key in ss.pop(FORCE_DEFAULTS, ()):
        ss[key] = state.default(key)
    if ss.get(state.LINK_CHECKED):
        return
    ss[state.LINK_CHECKED] = True
    qp = st.query_params
    bad: list[tuple[str, str]] = []
    for key in ALL_SETTINGS:
        if key not in qp:
            continue
        values = qp.get_all(key)
        raw = values[-1] if values else ""
        if len(values) != 1 or value_problem(key, raw):
            bad.append((key, raw[:40]))
            # The widget is not bound yet on the first run, so this is allowed; if not,
            # Streamlit drops the value itself and enforce_defaults() covers the rest.
            with contextlib.suppress(Exception):
                del qp[key]
    ss[state.LINK_WARNINGS] = bad
    ss[state.LINK_VERSION] = qp.get(VERSION_PARAM)


def enforce_defaults() -> None:
    """After the first run's sliders: if Streamlit kept a refused value in some form
    (e.g. ``start_year=2030.5`` read as 2030), rerun once with those levers at default."""
    ss = st.session_state
    if not ss.get(state.LINK_WARNINGS) or ss.get("link_enforced"):
        return
    ss["link_enforced"] = True
    keys = [k for k, _ in ss[state.LINK_WARNINGS] if ss.get(k) != state.default(k)]
    if keys:
        ss[FORCE_DEFAULTS] = keys
        st.rerun()


#: Pages opened at an anchor (``/methodology?lang=ru#roads`` from a lever's help): writing
#: ``v`` there would make the browser drop the ``#anchor`` before it scrolls to it.
NO_VERSION_PAGES = frozenset({"methodology"})


def _page_path() -> str:
    try:
        path = urlsplit(st.context.url or "").path
    except Exception:
        return ""
    return path.rstrip("/").rsplit("/", 1)[-1]


def keep_version_in_url() -> None:
    """Write ``v=<MODEL_VERSION>`` to the address bar (not bound; page switches drop it)."""
    if _page_path() in NO_VERSION_PAGES:
        return
    if st.query_params.get(VERSION_PARAM) != MODEL_VERSION:
        st.query_params[VERSION_PARAM] = MODEL_VERSION


def dismiss_link_warnings() -> None:
    """Callback: hide the link warnings."""
    st.session_state[state.LINK_WARNINGS] = []
    st.session_state[state.LINK_VERSION] = None


def show_link_messages() -> None:
    """The warnings about the opening link, until dismissed."""
    ss = st.session_state
    bad = ss.get(state.LINK_WARNINGS) or []
    version = ss.get(state.LINK_VERSION)
    old_version = version is not None and version != MODEL_VERSION
    if not bad and not old_version:
        return
    with st.container(key="link_messages"):
        if bad:
            lines = [t("link.bad_intro")]
            for key, raw in bad:
                spec = ALL_SETTINGS[key]
                lines.append("- " + t(
                    "link.bad_value", label=t(f"lever.{key}.label"), key=key, value=raw,
                    low=state.fmt_setting(key, spec.low), high=state.fmt_setting(key, spec.high),
                    unit=t(f"unit.{key}"), default=state.fmt_setting(key, spec.default),
                ))
            st.warning("\n".join(lines), icon=":material/link_off:")
        if old_version:
            st.info(t("link.old_version", link_version=version, model_version=MODEL_VERSION),
                    icon=":material/history:")
        st.button(t("link.dismiss"), key="dismiss_link_messages", on_click=dismiss_link_warnings)


def format_value(key: str, value: float) -> str:
    """A setting value as it appears in a link: whole numbers without ``.0``."""
    if key in state.YEAR_KEYS or float(value).is_integer():
        return str(round(value))
    return repr(float(value))


def link_params(settings: Mapping[str, float], lang: str | None = None) -> dict[str, str]:
    """Query parameters reproducing ``settings``: non-defaults, the version, the language.

    ``lang`` is always there (default: the active language), so a link opens in the
    sender's language whatever the reader's browser prefers.
    """
    params = {k: format_value(k, v) for k, v in state.non_default(settings).items()}
    budget = st.session_state.get("budget") or 0  # the optional budget envelope
    if budget > 0:
        params["budget"] = str(round(budget))
    params[VERSION_PARAM] = MODEL_VERSION
    params[LANG_PARAM] = lang or current_lang()
    return params


def base_url() -> str:
    """The app's root URL from the browser (page path removed), or "" when unknown."""
    try:
        url = st.context.url or ""
    except Exception:
        url = ""
    if not url:
        return ""
    parts = urlsplit(url)
    path = parts.path
    segments = [s for s in path.split("/") if s]
    if segments and segments[-1] in PAGE_PATHS:
        segments = segments[:-1]
    path = "/" + "/".join(segments) + ("/" if segments else "")
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


#: URL paths of the pages (the page ids of ui.nav).
PAGE_PATHS = frozenset(PAGE_IDS)


def share_link(settings: Mapping[str, float], lang: str | None = None) -> str:
    """The full link (or a relative one when the browser URL is unknown)."""
    return (base_url() or "./") + "?" + urlencode(link_params(settings, lang))
