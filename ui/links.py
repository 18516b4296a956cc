"""Share links: checking what a link carries, the model version, building the link.

The levers are bound to the URL (``bind="query-params"``), so the address bar always
holds the non-default settings. Streamlit drops a bound value it cannot use without a
word; :func:`check_link` runs before the sliders render on a session's first run, names
every refused value so the planner sees a warning, and removes it so the slider starts
at its default. The same holds for the other bound values (the budget envelope, the KPI
year), for a key given twice, for a page path the dashboard does not have, and for a
link Streamlit drops whole (over 1,000 parameters or 512 Ki characters; only the
browser still knows it, so a tiny script reports it, see :func:`show_link_messages`).
Query keys the app does not know are ignored silently: messengers and analytics add
their own (``utm_source``, ``fbclid``, ...), and refusing a link for that would help
nobody. Values from the link are shown as text (:mod:`ui.plain`), never as Markdown.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Mapping, Sequence
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.state.query_params import (
    CLIENT_STATE_QUERY_STRING_MAX_FIELDS,
    CLIENT_STATE_QUERY_STRING_MAX_LENGTH,
)

from model import ALL_SETTINGS, MODEL_VERSION
from scenarios.settings import Settings, decode_pins, encode_pins, parse_value
from ui import history, keys, plain, state
from ui.i18n import current_lang, fmt_num, fmt_setting, t
from ui.nav import PAGE_IDS
from ui.results import DEFAULT_KPI_YEAR, KPI_YEARS
from ui.sidebar import BUDGET_KEY, BUDGET_MAX

VERSION_PARAM = "v"
LANG_PARAM = "lang"
YEAR_PARAM = "year"  # the KPI year of the scenario page (a bound selectbox)
# Session keys of the link check (ui.keys)
LINK_REPEATED, LINK_BAD_PAGE = keys.LINK_REPEATED, keys.LINK_BAD_PAGE
LINK_DROPPED, LINK_SIZE_RUNS = keys.LINK_DROPPED, keys.LINK_SIZE_RUNS


def value_problem(key: str, raw: str) -> bool:
    """True when ``raw`` is not an acceptable value for setting ``key`` (the scenario
    file's own field validates it: :func:`scenarios.settings.parse_value`)."""
    return parse_value(key, raw) is None


def _whole(raw: str) -> int | None:
    """``raw`` as a whole number (``1500``, ``1500.0``, ``1.5e3``), else None."""
    try:
        value = float(raw.strip())
    except (ValueError, AttributeError):
        return None
    return int(value) if math.isfinite(value) and value.is_integer() else None


def _amount(raw: str) -> float | None:
    """``raw`` as a finite number (``15000``, ``20.5``), else None."""
    try:
        value = float(raw.strip())
    except (ValueError, AttributeError):
        return None
    return value if math.isfinite(value) else None


#: The other bound values a link may carry: key -> (accepts, default).
OTHER_PARAMS = {
    BUDGET_KEY: (lambda raw: (n := _amount(raw)) is not None and 0 <= n <= BUDGET_MAX, 0),
    YEAR_PARAM: (lambda raw: _whole(raw) in KPI_YEARS, DEFAULT_KPI_YEAR),
}


def _default(key: str) -> float | int:
    return state.default(key) if key in ALL_SETTINGS else OTHER_PARAMS[key][1]


def requested_page() -> str:
    """The page path the browser asked for on this run ("" for the main page)."""
    ctx = get_script_run_ctx()
    pages = getattr(ctx, "pages_manager", None)
    return str(getattr(pages, "intended_page_name", None) or "").strip("/")


FORCE_DEFAULTS = keys.LINK_FORCE_DEFAULTS


def check_link() -> None:
    """On a session's first run: record refused link values and the link's model version.

    On the run after :func:`enforce_defaults` asked for it, set the refused levers to
    their defaults (before the sliders render, so the binding also fixes the URL).
    """
    ss = st.session_state
    for key in ss.pop(FORCE_DEFAULTS, ()):
        ss[key] = _default(key)
    if ss.get(keys.LINK_CHECKED):
        return
    ss[keys.LINK_CHECKED] = True
    qp = st.query_params
    bad: list[tuple[str, str]] = []
    repeated: dict[str, int] = {}
    for key in (*ALL_SETTINGS, *OTHER_PARAMS):
        if key not in qp:
            continue
        values = qp.get_all(key)
        raw = values[-1] if values else ""
        if len(values) > 1:
            repeated[key] = len(values)
        elif key in ALL_SETTINGS and not value_problem(key, raw):
            continue
        elif key in OTHER_PARAMS and OTHER_PARAMS[key][0](raw):
            if key == YEAR_PARAM and raw != str(_whole(raw)):  # 2040.0 -> 2040 for the widget
                qp[key] = str(_whole(raw))
            continue
        else:
            bad.append((key, raw[:200]))
        # The widget is not bound yet on the first run, so this is allowed; if not,
        # Streamlit drops the value itself and enforce_defaults() covers the rest.
        with contextlib.suppress(Exception):
            del qp[key]
    ss[keys.LINK_WARNINGS] = bad
    ss[LINK_REPEATED] = repeated
    _read_pins(qp)
    ss[keys.LINK_VERSION] = qp.get(VERSION_PARAM)
    page = requested_page()
    ss[LINK_BAD_PAGE] = page if page and page not in PAGE_PATHS else None


PINS_PARAM = "pins"  # the pinned scenarios (scenarios.settings.encode_pins)


def _read_pins(qp) -> None:
    """Pinned scenarios from the link (a reload keeps them, a shared link brings them),
    taken whole or not at all; a link whose pins cannot be read says so."""
    ss = st.session_state
    ss[keys.LINK_BAD_PINS] = False
    if PINS_PARAM not in qp:
        return
    pins = decode_pins(qp.get(PINS_PARAM) or "")
    if pins is None:
        ss[keys.LINK_BAD_PINS] = True
        with contextlib.suppress(Exception):
            del qp[PINS_PARAM]
        return
    ss[keys.PINNED] = {**{name: dict(s) for name, s in pins.items()}, **(ss.get(keys.PINNED) or {})}


def keep_pins_in_url() -> None:
    """Write the pinned scenarios to the address bar (after the page ran), so that a
    reload or a copied address keeps them; drop the parameter when there are none."""
    pins = st.session_state.get(keys.PINNED) or {}
    qp = st.query_params
    if not pins:
        qp.pop(PINS_PARAM, None)
        return
    text = encode_pins(pins)
    if qp.get(PINS_PARAM) != text:
        qp[PINS_PARAM] = text


def enforce_defaults() -> None:
    """After the first run's sliders: if Streamlit kept a refused value in some form
    (e.g. ``start_year=2030.5`` read as 2030), rerun once with those levers at default."""
    ss = st.session_state
    if not (ss.get(keys.LINK_WARNINGS) or ss.get(LINK_REPEATED)) or ss.get(keys.LINK_ENFORCED):
        return
    ss[keys.LINK_ENFORCED] = True
    refused = [k for k, _ in ss[keys.LINK_WARNINGS]] + list(ss.get(LINK_REPEATED) or {})
    to_reset = [k for k in refused if ss.get(k) != _default(k)]
    if to_reset:
        ss[FORCE_DEFAULTS] = to_reset
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
    if st.query_params.get(VERSION_PARAM) != MODEL_VERSION and history.may_add_to_address(
        VERSION_PARAM
    ):
        st.query_params[VERSION_PARAM] = MODEL_VERSION


def seed_choice(key: str, options: Sequence[str]) -> None:
    """Before a button row keyed ``key`` (a segmented control) is drawn: on its first run
    in this session, start it at the link's value when that is one of ``options``.

    Such a row is kept in the link by hand, as its code (``measure=grp_per_capita``,
    ``result_tab=cost``): bound to the URL, a segmented control would write its
    translated label there, and the link would depend on the sender's language."""
    ss, qp = st.session_state, st.query_params
    if key not in ss and qp.get(key) in options:
        ss[key] = qp[key]


def keep_choice(key: str, value: str, default: str) -> None:
    """After the row: its value in the link (nothing for the default, which also clears
    a tampered value)."""
    qp = st.query_params
    if value == default:
        qp.pop(key, None)
    elif qp.get(key) != value:
        qp[key] = value


def dismiss_link_warnings() -> None:
    """Callback: hide the link warnings."""
    ss = st.session_state
    ss[keys.LINK_WARNINGS] = []
    ss[keys.LINK_VERSION] = None
    for key in (LINK_REPEATED, LINK_BAD_PAGE, LINK_DROPPED, keys.LINK_BAD_PINS):
        ss[key] = None


#: Reports a link that Streamlit dropped whole. Streamlit ignores a query string of more
#: than 1,000 parameters or 512 Ki characters (one server log line) and the app then sees
#: none of it; the browser still has the address the page was opened with (the
#: navigation entry, untouched by later URL updates), so this script measures it and, if
#: it is over the limits, triggers one rerun carrying the size. Loaded on a session's
#: first runs only.
_LINK_SIZE_JS = """
let reported = false;
export default function ({ data, setTriggerValue }) {
  if (reported) return;
  const entry = performance.getEntriesByType("navigation")[0];
  const query = new URL(entry ? entry.name : window.location.href).search.slice(1);
  const fields = query ? query.split("&").length : 0;
  if (query.length > data.max_chars || fields > data.max_fields) {
    reported = true;
    setTriggerValue("dropped", { fields: fields, chars: query.length });
  }
}
"""
_link_size = st.components.v2.component("batken_link_size", js=_LINK_SIZE_JS)


def _check_link_size() -> None:
    """Mount the link-size script on the session's first two runs (the first may stop
    early for a rerun); keep what it reports."""
    ss = st.session_state
    runs = ss.get(LINK_SIZE_RUNS, 0)
    if runs >= 2:
        return
    ss[LINK_SIZE_RUNS] = runs + 1
    with st.sidebar:
        result = _link_size(
            key="link_size",
            height=0,
            on_dropped_change=lambda: None,
            data={
                "max_fields": CLIENT_STATE_QUERY_STRING_MAX_FIELDS,
                "max_chars": CLIENT_STATE_QUERY_STRING_MAX_LENGTH,
            },
        )
    dropped = getattr(result, "dropped", None)
    if isinstance(dropped, dict):
        ss[LINK_DROPPED] = {k: int(dropped.get(k) or 0) for k in ("fields", "chars")}


def _bad_value_line(key: str, raw: str) -> str:
    value = plain.code(raw, 40)
    if key in ALL_SETTINGS:
        spec = ALL_SETTINGS[key]
        return t(
            "link.bad_value",
            label=t(f"lever.{key}.label"),
            key=key,
            value=value,
            low=fmt_setting(key, spec.low),
            high=fmt_setting(key, spec.high),
            unit=t(f"unit.{key}"),
            default=fmt_setting(key, spec.default),
        )
    if key == BUDGET_KEY:
        return t(
            "link.bad_choice",
            label=t("budget.input"),
            key=key,
            value=value,
            low=0,
            high=fmt_num(BUDGET_MAX),
            default=fmt_num(0),
        )
    return t(
        "link.bad_choice",
        label=t("kpi.year"),
        key=key,
        value=value,
        low=KPI_YEARS[0],
        high=KPI_YEARS[-1],
        default=DEFAULT_KPI_YEAR,
    )


def _label(key: str) -> str:
    if key in ALL_SETTINGS:
        return t(f"lever.{key}.label")
    return t("budget.input") if key == BUDGET_KEY else t("kpi.year")


def show_link_messages() -> None:
    """The warnings about the opening link, until dismissed."""
    _check_link_size()
    ss = st.session_state
    bad = ss.get(keys.LINK_WARNINGS) or []
    repeated = ss.get(LINK_REPEATED) or {}
    bad_page = ss.get(LINK_BAD_PAGE)
    dropped = ss.get(LINK_DROPPED)
    version = ss.get(keys.LINK_VERSION)
    old_version = version is not None and version != MODEL_VERSION
    bad_pins = ss.get(keys.LINK_BAD_PINS)
    if not (bad or repeated or bad_page or dropped or old_version or bad_pins):
        return
    with st.container(key="link_messages"):
        if dropped:
            st.warning(
                t(
                    "link.dropped",
                    fields=fmt_num(dropped["fields"]),
                    chars=fmt_num(dropped["chars"]),
                    max_fields=fmt_num(CLIENT_STATE_QUERY_STRING_MAX_FIELDS),
                ),
                icon=":material/link_off:",
            )
        if bad or repeated:
            lines = [t("link.bad_intro")]
            lines += [
                "- "
                + t("link.repeated", label=_label(key), key=key, n=n, default=_default_text(key))
                for key, n in repeated.items()
            ]
            lines += ["- " + _bad_value_line(key, raw) for key, raw in bad]
            st.warning("\n".join(lines), icon=":material/link_off:")
        if bad_page:
            st.warning(
                t("link.bad_page", page=plain.code(bad_page, 60)), icon=":material/link_off:"
            )
        if bad_pins:
            st.warning(t("link.bad_pins"), icon=":material/link_off:")
        if old_version:
            st.info(
                t(
                    "link.old_version",
                    link_version=plain.code(version, 20),
                    model_version=MODEL_VERSION,
                ),
                icon=":material/history:",
            )
        st.button(t("link.dismiss"), key="dismiss_link_messages", on_click=dismiss_link_warnings)


def _default_text(key: str) -> str:
    if key in ALL_SETTINGS:
        return fmt_setting(key, ALL_SETTINGS[key].default)
    return fmt_num(0) if key == BUDGET_KEY else str(DEFAULT_KPI_YEAR)


def link_params(settings: Mapping[str, float], lang: str | None = None) -> dict[str, str]:
    """Query parameters reproducing ``settings``: non-defaults, the version, the language.

    ``lang`` is always there (default: the active language), so a link opens in the
    sender's language whatever the reader's browser prefers.
    """
    ss = st.session_state
    params = Settings.from_mapping(settings).to_query()
    budget = ss.get(keys.BUDGET) or 0  # the optional budget envelope
    if budget > 0:
        params[keys.BUDGET] = f"{budget:g}"
    # the view: the year the cards show and the GRP chart's choices (what a receiver
    # must see to see the same numbers)
    year = ss.get(keys.YEAR)
    if year is not None and int(year) != DEFAULT_KPI_YEAR:
        params[keys.YEAR] = str(int(year))
    if ss.get(keys.GRP_MEASURE) not in (None, "grp"):
        params[keys.GRP_MEASURE] = str(ss[keys.GRP_MEASURE])
    if ss.get(keys.BANDS):
        params[keys.BANDS] = "true"
    if ss.get(keys.RESULT_TAB) not in (None, "grp"):  # the scenario page's open section
        params[keys.RESULT_TAB] = str(ss[keys.RESULT_TAB])
    if ss.get(keys.PINNED):  # the compared set travels too
        params[PINS_PARAM] = encode_pins(ss[keys.PINNED])
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
    # The page's path is not part of the base; nor is a path the app has no page for.
    bad = [s for s in (st.session_state.get(LINK_BAD_PAGE) or "").split("/") if s]
    if bad and segments[-len(bad) :] == bad:
        segments = segments[: -len(bad)]
    elif segments and segments[-1] in PAGE_PATHS:
        segments = segments[:-1]
    path = "/" + "/".join(segments) + ("/" if segments else "")
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


#: URL paths of the pages (the page ids of ui.nav).
PAGE_PATHS = frozenset(PAGE_IDS)


def share_link(
    settings: Mapping[str, float], lang: str | None = None, page_id: str | None = None
) -> str:
    """The full link (or a relative one when the browser URL is unknown); with
    ``page_id`` (another page than the first) it opens that page."""
    path = page_id if page_id in PAGE_PATHS and page_id != PAGE_IDS[0] else ""
    return (base_url() or "./") + path + "?" + urlencode(link_params(settings, lang))


def share_box(page_id: str) -> None:
    """At the foot of every page but the scenario page (which has its own share box):
    the link that opens this page with this scenario and this view."""
    with (
        st.expander(t("share.page_title"), icon=":material/share:"),
        st.container(key="share_page_link"),
    ):
        st.caption(t("share.page_help"))
        st.code(share_link(state.current(), page_id=page_id), language=None, wrap_lines=True)
