"""The parameter table as a planner reads it, the same on every page that shows it.

One row per parameter of ``data/parameters.csv`` (the values the model runs with, the
calibration applied): its short label in the planner's language (``param.<name>``), the
key, the meaning, value and range in the language's number format, the unit, the kind
and the confidence in the planner's language (``param_unit.*``, ``methodology.kind.*``,
``param_confidence.*``), the source and its first link. Sources stay in English, as
the works they cite (the pages say so). The methodology and About pages both
draw it; the tornado and Sobol charts label their bars with :func:`label`.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache

import pandas as pd
import streamlit as st

from model.parameters import parameter_table
from ui.exports import fmt_short
from ui.i18n import CATALOG_DIR, catalog, current_lang, translate

URL = re.compile(r"https?://[^\s,;)\]]+")


def label(name: str, lang: str | None = None) -> str:
    """A parameter's short label (its code name when the catalog has none)."""
    lang = lang or current_lang()
    key = f"param.{name}"
    return translate(lang, key) if key in catalog("en") else name


def unit(text: str, lang: str | None = None) -> str:
    """A unit as written in the parameter table, in the planner's language."""
    lang = lang or current_lang()
    key = f"param_unit.{text}"
    return translate(lang, key) if key in catalog("en") else text


#: The parameters' meanings in Kyrgyz and Russian, ``<lang>.toml``, keyed by parameter
#: name; the English is data/parameters.csv's own column. (A folder of its own: the
#: catalogs must have the same keys in every language, and English has these in the
#: data file.)
MEANING_FILES = CATALOG_DIR / "param_meaning"


@lru_cache(maxsize=8)
def _meanings(lang: str) -> dict[str, str]:
    path = MEANING_FILES / f"{lang}.toml"
    if not path.is_file():
        return {}
    return dict(tomllib.loads(path.read_text(encoding="utf-8"))["param_meaning"])


def meaning(name: str, english: str, lang: str | None = None) -> str:
    """A parameter's meaning in the planner's language (``english`` where none is written)."""
    return _meanings(lang or current_lang()).get(name, english)


#: Columns of the table, in order (headers are ``about.col.<id>``, the link's
#: ``methodology.col_link``).
COLUMNS = (
    "name",
    "key",
    "meaning",
    "value",
    "low",
    "high",
    "unit",
    "kind",
    "confidence",
    "source",
    "link",
)


def frame(lang: str | None = None) -> pd.DataFrame:
    """The parameter table, every cell text in the planner's language and number format."""
    lang = lang or current_lang()
    head = header(lang)
    rows = []
    for p in parameter_table():
        url = URL.search(p.source)
        cells = {
            "name": label(p.name, lang),
            "key": p.name,
            "meaning": meaning(p.name, p.meaning, lang),
            "value": fmt_short(p.value, lang),
            "low": fmt_short(p.low, lang),
            "high": fmt_short(p.high, lang),
            "unit": unit(p.unit, lang),
            "kind": translate(lang, f"methodology.kind.{p.kind}"),
            "confidence": translate(lang, f"param_confidence.{p.confidence}"),
            "source": p.source,
            "link": url.group(0) if url else None,
        }
        rows.append({head[c]: cells[c] for c in COLUMNS})
    return pd.DataFrame(rows)


def header(lang: str) -> dict[str, str]:
    """Column id -> translated header."""
    return {
        c: translate(lang, "methodology.col_link" if c == "link" else f"about.col.{c}")
        for c in COLUMNS
    }


def show(key: str) -> None:
    """Draw the parameter table (widths for long text, the link clickable)."""
    lang = current_lang()
    head = header(lang)
    st.dataframe(
        frame(lang),
        hide_index=True,
        key=key,
        column_config={
            # pinned: on a phone the other columns scroll sideways under the name
            head["name"]: st.column_config.TextColumn(width="medium", pinned=True),
            head["link"]: st.column_config.LinkColumn(head["link"]),
            head["meaning"]: st.column_config.TextColumn(width="large"),
            head["source"]: st.column_config.TextColumn(width="large"),
        },
    )


def lookup(key: str) -> None:
    """One parameter at a time, every field on its own line: the table's eleven columns
    do not fit a phone's width, this does (pick a parameter by its label)."""
    lang = current_lang()
    table = frame(lang)
    head = header(lang)
    names = list(table[head["name"]])
    pick = st.selectbox(
        translate(lang, "methodology.lookup"),
        names,
        index=None,
        key=key,
        placeholder=translate(lang, "methodology.lookup_placeholder"),
    )
    if pick is None:
        return
    row = table[table[head["name"]] == pick].iloc[0]
    with st.container(key=f"{key}_card", border=True):
        for col in COLUMNS[1:]:
            value = row[head[col]]
            if value is None or value == "":
                continue
            st.caption(head[col])
            # repository text (data/parameters.csv), shown literally all the same
            st.text(str(value))
