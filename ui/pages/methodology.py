"""How the model works, for planners: the methodology text, the causal chain as a
diagram, the parameter table, the data sources and the limitations.

The text is ``docs/methodology/<lang>.md``, sections ``## [anchor] Title``. Each section
is drawn with ``st.header(title, anchor=anchor)``: the anchors are language-neutral, so
``/methodology#roads`` (linked from the lever help texts) works in every language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import streamlit as st

from ui import parameters, plain
from ui.i18n import DEFAULT_LANG, current_lang, has, t

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "methodology"
DATA = ROOT / "data"
SECTION = re.compile(r"^## \[([a-z0-9_-]+)\] (.+)$", re.MULTILINE)
#: Sections drawn after the parameter table and the data sources.
LAST = ("limitations",)

#: The causal chain: (from, to) node ids; labels are methodology.node.<id>.
EDGES = (
    ("roads", "road_km"),
    ("road_km", "access"),
    ("access", "smes"),
    ("access", "farm"),
    ("sme_support", "smes"),
    ("irrigation", "farm"),
    ("water", "farm"),
    ("apricot", "farm"),
    ("farm", "processing"),
    ("roads", "construction"),
    ("irrigation", "construction"),
    ("smes", "grp"),
    ("processing", "grp"),
    ("farm", "grp"),
    ("mining", "grp"),
    ("construction", "grp"),
    ("public", "grp"),
    ("grp", "jobs"),
    ("grp", "income"),
    ("jobs", "income"),
)
LEVER_NODES = ("roads", "irrigation", "sme_support")
CONTEXT_NODES = ("water", "apricot", "mining")
RESULT_NODES = ("grp", "jobs", "income")


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    body: str


@cache
def sections(lang: str) -> tuple[Section, ...]:
    """The sections of ``docs/methodology/<lang>.md`` (English if the file is missing)."""
    path = DOCS / f"{lang}.md"
    if not path.is_file():
        path = DOCS / f"{DEFAULT_LANG}.md"
    text = path.read_text(encoding="utf-8")
    marks = list(SECTION.finditer(text))
    return tuple(
        Section(
            m.group(1),
            m.group(2).strip(),
            text[m.end() : marks[i + 1].start() if i + 1 < len(marks) else len(text)].strip(),
        )
        for i, m in enumerate(marks)
    )


def _dot_label(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def chain_dot() -> str:
    """The causal chain as Graphviz DOT, node labels from the catalog."""
    nodes = sorted({n for edge in EDGES for n in edge})
    lines = [
        "digraph chain {",
        "rankdir=LR;",
        'bgcolor="transparent";',
        "ranksep=0.3;",
        "nodesep=0.15;",
        'node [shape=box, style="rounded,filled", fontname="sans-serif", fontsize=20, '
        'fillcolor="#FFFFFF", color="#7A7A7A"];',
        'edge [color="#555555"];',
    ]
    for n in nodes:
        fill = (
            "#D6E9F5"
            if n in LEVER_NODES
            else "#FCEBC8"
            if n in CONTEXT_NODES
            else "#D9F0E5"
            if n in RESULT_NODES
            else "#FFFFFF"
        )
        lines.append(f'{n} [label="{_dot_label(t(f"methodology.node.{n}"))}", fillcolor="{fill}"];')
    lines += [f"{a} -> {b};" for a, b in EDGES]
    lines.append("}")
    return "\n".join(lines)


def page() -> None:
    lang = current_lang()
    st.title(t("methodology.title"))
    st.caption(t("methodology.intro"))
    if not (DOCS / f"{lang}.md").is_file():
        st.info(t("methodology.missing_text"))
    secs = sections(lang)
    extra = [
        ("chain", t("methodology.chain_title")),
        ("parameters", t("methodology.params_title")),
        ("data", t("methodology.data_title")),
    ]
    with st.expander(t("methodology.contents"), icon=":material/toc:"):
        items = [(s.anchor, s.title) for s in secs if s.anchor not in LAST][:1] + extra[:1]
        items += [(s.anchor, s.title) for s in secs if s.anchor not in LAST][1:] + extra[1:]
        items += [(s.anchor, s.title) for s in secs if s.anchor in LAST]
        st.markdown("\n".join(f"- [{title}](#{anchor})" for anchor, title in items))

    body = [s for s in secs if s.anchor not in LAST]
    for i, sec in enumerate(body):
        st.header(sec.title, anchor=sec.anchor)
        st.markdown(sec.body)
        if i == 0:
            _chain()
    _parameters()
    _data_sources()
    for sec in secs:
        if sec.anchor in LAST:
            st.header(sec.title, anchor=sec.anchor)
            st.markdown(sec.body)


def _chain() -> None:
    st.header(t("methodology.chain_title"), anchor="chain")
    with st.container(key="causal_chain"):  # scrolls sideways on a phone (ui/style.py)
        st.graphviz_chart(chain_dot())
    st.caption(t("methodology.chain_caption"))
    with st.expander(t("methodology.chain_list"), icon=":material/list:"):
        # the same edges as the diagram, readable at any width
        by_source: dict[str, list[str]] = {}
        for a, b in EDGES:
            by_source.setdefault(a, []).append(b)
        st.markdown(
            "\n".join(
                f"- **{t(f'methodology.node.{a}')}** → "
                + ", ".join(t(f"methodology.node.{b}") for b in targets)
                for a, targets in by_source.items()
            )
        )


def _parameters() -> None:
    st.header(t("methodology.params_title"), anchor="parameters")
    st.caption(t("methodology.params_help"))
    st.info(t("methodology.params_note"), icon=":material/translate:")
    parameters.show("methodology_parameters")
    parameters.lookup("methodology_lookup")


def _data_sources() -> None:
    st.header(t("methodology.data_title"), anchor="data")
    st.markdown(t("methodology.data_intro"))
    st.markdown(plain.bold(t("methodology.data_files")))
    files = [*sorted(p.stem for p in DATA.glob("*.csv")), "calibration"]
    lines = []
    for stem in files:
        suffix = "json" if stem == "calibration" else "csv"
        if (DATA / f"{stem}.{suffix}").is_file():
            key = f"methodology.file.{stem}"
            lines.append(f"- `data/{stem}.{suffix}`" + (f": {t(key)}" if has(key) else ""))
    lines.append("- `data/README.md`")
    st.markdown("\n".join(lines))
