"""Every visible string comes from here: ``t(key, **kw)`` reads ``i18n/<lang>.toml``.

Catalogs are TOML tables flattened to dotted keys (``[lever.sme_support] label = ...``
becomes ``lever.sme_support.label``); values may hold ``{placeholders}``. The language
is ``st.session_state["lang"]`` (a code such as ``"en"``), English when unset or when
no catalog exists for it. A key missing from the active catalog falls back to English,
and a key missing everywhere shows as the key itself: a visible bug, never a crash.
"""

from __future__ import annotations

import math
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

import streamlit as st

CATALOG_DIR = Path(__file__).resolve().parent.parent / "i18n"
DEFAULT_LANG = "en"


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
    """Language codes with a main catalog ``i18n/<lang>.toml``, English first."""
    codes = sorted(p.stem for p in CATALOG_DIR.glob("*.toml") if "." not in p.stem)
    return tuple(sorted(codes, key=lambda c: c != DEFAULT_LANG))


def current_lang() -> str:
    """The active language code."""
    lang = st.session_state.get("lang", DEFAULT_LANG)
    return lang if lang in available_languages() else DEFAULT_LANG


def t(key: str, /, **kw: Any) -> str:
    """The string for ``key`` in the active language, placeholders filled from ``kw``."""
    text = catalog(current_lang()).get(key)
    if text is None:
        text = catalog(DEFAULT_LANG).get(key, key)
    if not kw:
        return text
    try:
        return text.format(**kw)
    except (KeyError, IndexError, ValueError):
        return text


def has(key: str) -> bool:
    """True when the English catalog holds ``key``."""
    return key in catalog(DEFAULT_LANG)


def fmt_num(x: float | None, digits: int = 0) -> str:
    """A number with the language's thousands and decimal separators; n/a for NaN/inf."""
    if x is None or not math.isfinite(x):
        return t("common.na")
    text = f"{x:,.{digits}f}"
    if text in {"-0", "-0.0", "-0.00"}:
        text = text[1:]
    return (
        text.replace(",", "\x00")
        .replace(".", t("format.decimal"))
        .replace("\x00", t("format.thousands"))
    )


def fmt_signed(x: float, digits: int = 0) -> str:
    """Like :func:`fmt_num` with an explicit sign (for deltas)."""
    if not math.isfinite(x):
        return t("common.na")
    body = fmt_num(abs(x), digits)
    if body.strip("0,. \u202f\u00a0") == "":
        return body
    return ("+" if x > 0 else "-") + body  # ASCII minus: st.metric reads it


def language_selector() -> None:
    """Language picker; rendered only once a second catalog exists (ru/ky arrive later).

    Option values are language codes (never translated labels), so links stay neutral.
    """
    langs = available_languages()
    if len(langs) < 2:
        return
    st.selectbox(
        t("sidebar.language"),
        langs,
        index=langs.index(DEFAULT_LANG) if DEFAULT_LANG in langs else 0,
        key="lang",
        bind="query-params",
    )
