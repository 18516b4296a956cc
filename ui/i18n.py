"""Every visible string comes from here: ``t(key, **kw)`` reads ``i18n/<lang>.toml``.

Catalogs are TOML tables flattened to dotted keys (``[lever.sme_support] label = ...``
becomes ``lever.sme_support.label``); values may hold ``{placeholders}``. The language
is ``st.session_state["lang"]`` (a code such as ``"ky"``; the selector bound to the URL
as ``lang``), before the selector has rendered the URL's ``lang``, then the browser's
locale; English when none of these names a catalog. A key missing from the active
catalog falls back to English, and a key missing everywhere shows as the key itself: a
visible bug, never a crash.
"""

from __future__ import annotations

import math
import threading
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui import keys

CATALOG_DIR = Path(__file__).resolve().parent.parent / "i18n"
DEFAULT_LANG = "en"
#: Order of the language selector.
LANG_ORDER = ("ky", "ru", "en")


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = str(value)
    return out


def catalog_files(lang: str) -> list[Path]:
    """``i18n/<lang>.toml`` plus per-feature parts ``i18n/<lang>.<part>.toml``."""
    main = CATALOG_DIR / f"{lang}.toml"
    return ([main] if main.is_file() else []) + sorted(CATALOG_DIR.glob(f"{lang}.*.toml"))


@cache
def catalog(lang: str) -> dict[str, str]:
    """The flat catalog of one language (empty when there is no such file).

    Parts are merged; a key defined in two files of one language is a bug and raises.
    """
    out: dict[str, str] = {}
    for path in catalog_files(lang):
        with path.open("rb") as fh:
            part = _flatten(tomllib.load(fh))
        clash = set(out) & set(part)
        if clash:
            raise ValueError(f"{path.name}: keys defined twice: {sorted(clash)[:5]}")
        out.update(part)
    return out


@cache
def available_languages() -> tuple[str, ...]:
    """Language codes with a main catalog ``i18n/<lang>.toml``: Kyrgyz, Russian, English
    (the planners' languages first), then any other in alphabetical order."""
    codes = sorted(p.stem for p in CATALOG_DIR.glob("*.toml") if "." not in p.stem)
    return tuple(
        sorted(codes, key=lambda c: LANG_ORDER.index(c) if c in LANG_ORDER else len(LANG_ORDER))
    )


def lang_from_locale(locale: str | None) -> str:
    """The catalog language for a browser locale: ``ru*`` -> ru, ``ky*`` -> ky, else en."""
    code = (locale or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in available_languages() else DEFAULT_LANG


def browser_lang() -> str:
    """The language the browser asks for (``st.context.locale``), English if unknown."""
    try:
        return lang_from_locale(st.context.locale)
    except Exception:  # no browser context (bare mode, worker thread)
        return DEFAULT_LANG


def current_lang() -> str:
    """The active language code.

    The language selector's value once it exists; before it has rendered (the first
    run of a session, when page titles are already being built) the ``lang`` of the
    URL, then the browser's locale.

    Asked ~300 times a run (every :func:`t`): the selector's value is kept for the rest
    of the run once read (a run's widget values do not change while it runs). The run
    is told apart by its cursor table, which Streamlit makes anew for every run.
    """
    ctx = get_script_run_ctx(suppress_warning=True)
    run = getattr(ctx, "cursors", None)
    kept = getattr(_RUN_LANG, "kept", None)
    if run is not None and kept is not None and kept[0] is run:
        return kept[1]
    try:
        lang = st.session_state.get(keys.LANG)
        if lang is None:
            lang = st.query_params.get("lang") or browser_lang()
        elif run is not None:
            _RUN_LANG.kept = (run, lang)
    except Exception:  # outside a script run
        lang = DEFAULT_LANG
    return lang if lang in available_languages() else DEFAULT_LANG


#: (the run's cursor table, its language), per script thread
_RUN_LANG = threading.local()


def translate(lang: str, key: str, /, **kw: Any) -> str:
    """The string for ``key`` in ``lang`` (for code that runs outside a script run)."""
    text = catalog(lang).get(key) if lang in available_languages() else None
    if text is None:
        text = catalog(DEFAULT_LANG).get(key, key)
    if not kw:
        return text
    try:
        return text.format(**kw)
    except (KeyError, IndexError, ValueError):
        return text


def t(key: str, /, **kw: Any) -> str:
    """The string for ``key`` in the active language, placeholders filled from ``kw``."""
    return translate(current_lang(), key, **kw)


def has(key: str) -> bool:
    """True when the English catalog holds ``key``."""
    return key in catalog(DEFAULT_LANG)


def fmt_num(x: float | None, digits: int = 0, *, lang: str | None = None) -> str:
    """A number with the language's thousands and decimal separators; n/a for NaN/inf.

    ``lang`` defaults to the active language (give it outside a script run).
    """
    lang = lang or current_lang()
    if x is None or not math.isfinite(x):
        return translate(lang, "common.na")
    text = f"{x:,.{digits}f}"
    if text in {"-0", "-0.0", "-0.00"}:
        text = text[1:]
    return (
        text.replace(",", "\x00")
        .replace(".", translate(lang, "format.decimal"))
        .replace("\x00", translate(lang, "format.thousands"))
    )


def fmt_setting(key: str, value: float, *, lang: str | None = None) -> str:
    """A setting's value for display: years plain, others with as many decimals as the
    setting's step has, in the language's number format."""
    from model.levers import ALL_SETTINGS, YEAR_KEYS

    if key in YEAR_KEYS:
        return str(round(value))
    return fmt_num(value, ALL_SETTINGS[key].digits, lang=lang)


def fmt_signed(x: float, digits: int = 0, *, lang: str | None = None) -> str:
    """Like :func:`fmt_num` with an explicit sign (for deltas)."""
    lang = lang or current_lang()
    if not math.isfinite(x):
        return translate(lang, "common.na")
    body = fmt_num(abs(x), digits, lang=lang)
    if body.strip("0,. \u202f\u00a0") == "":
        return body
    return ("+" if x > 0 else "-") + body  # ASCII minus: st.metric reads it


def parse_num(text: str, lang: str | None = None) -> float:
    """A number formatted by :func:`fmt_num` back as a float (tests, round trips)."""
    lang = lang or current_lang()
    thousands = translate(lang, "format.thousands")
    decimal = translate(lang, "format.decimal")
    raw = text.strip().replace(thousands, "").replace("\u00a0", "").replace(" ", "")
    return float(raw.replace(decimal, "."))


def language_name(lang: str) -> str:
    """A language's own name for itself (``Кыргызча``, ``Русский``, ``English``)."""
    return catalog(lang).get("language.name", lang)


#: Choice widgets whose option labels are translated. Streamlit keeps a selectbox's or
#: multiselect's value in the browser as the option *labels*; after a language switch the
#: browser still holds the old language's labels, which match no option at the next
#: rerun, so the choice was silently cleared (the Compare selection, after a switch and
#: a lever move). Re-asserting the values when the language changes makes Streamlit
#: send them to the browser again, in the new language.
TRANSLATED_CHOICES = ("compare_pick", "compare_ref", "goal_objective")


def _reassert_choices() -> None:
    """Callback of the language selector (see :data:`TRANSLATED_CHOICES`)."""
    ss = st.session_state
    for key in TRANSLATED_CHOICES:
        if key in ss:
            ss[key] = ss[key]


def language_selector() -> None:
    """Language picker; each language named in itself; the code kept in the URL as ``lang``.

    Not a ``bind="query-params"`` widget: a bound selectbox writes its *label* to the
    URL (``lang=Кыргызча``), and link values must stay language-neutral codes. So the
    selector starts from :func:`current_lang` (the link's ``lang``, else the browser's
    language) and writes its code back to the URL on every run, page switches included.
    Also covers Streamlit's own English texts with this language's (:mod:`ui.builtin_text`).
    """
    from ui import builtin_text, history  # builtin_text imports this module

    builtin_text.cover()  # Streamlit's own English, in this language (every page)
    langs = available_languages()
    if len(langs) < 2:
        return
    lang = st.selectbox(
        t("sidebar.language"),
        langs,
        index=langs.index(current_lang()),
        key=keys.LANG,
        format_func=language_name,
        help=t("sidebar.language_help"),
        on_change=_reassert_choices,
    )
    if st.query_params.get("lang") != lang and history.may_add_to_address("lang"):
        st.query_params["lang"] = lang
