"""Streamlit's own English on the page, covered with the planner's language.

Streamlit 1.67 writes some widget texts in English in the browser, with no parameter to
change them: the keyboard's "Skip to main content" link; the file uploader's button
("Upload"), its limits line ("1MB per file • TOML, JSON"), its drop overlay ("Drag and
drop files here") and the size of a chosen file ("68.0B"); "Press Enter to apply" (or
"Ctrl+Enter") under text fields. This CSS hides those texts by their ``data-testid``
and shows the catalog's words instead (``builtin.*``); the Files page puts the limits in
a caption of its own. (The dashboard has no ``st.number_input``: its range errors are
English, so amounts are typed in text fields and checked by the page, in the planner's
language.)
What cannot be covered is listed in the README (Limitations).

The words are our catalog's, never text from outside; they are escaped for a CSS string
anyway.
"""

from __future__ import annotations

import streamlit as st

from ui.i18n import t

#: The dropzone of a file uploader, its button's label, and its drop overlay (the one
#: direct child ``div`` without a test id, shown while files are dragged over it).
_DROPZONE = '[data-testid="stFileUploaderDropzone"]'
_BUTTON_LABEL = f'{_DROPZONE} button [data-testid="stMarkdownContainer"]'
_OVERLAY = f"{_DROPZONE} > div:not([data-testid]):has(> span:only-child) > span"
#: "Press Enter to apply": the first of the instruction spans when the character counter
#: follows it (every text field of the dashboard has ``max_chars``; without it the lone
#: span could be either, and is left as it is).
_INSTR = '[data-testid="InputInstructions"] > span'
_ENTER = (f'[data-testid="stTextInput"] {_INSTR}:first-child:not(:last-child)',)
_CTRL_ENTER = (f'[data-testid="stTextArea"] {_INSTR}:first-child:not(:last-child)',)


def css_string(text: str) -> str:
    """``text`` as a CSS string literal (quotes, backslashes, line breaks and ``<`` escaped)."""
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ")
    return '"' + out.replace("<", "\\3c ") + '"'


def _replace(selectors: tuple[str, ...], text: str, size: str) -> str:
    hide = ", ".join(selectors)
    show = ", ".join(f"{s}::after" for s in selectors)
    return (
        f"{hide} {{ font-size: 0 !important; }}\n"
        f"{show} {{ content: {css_string(text)}; font-size: {size}; }}\n"
    )


def css() -> str:
    """The style sheet, in the active language."""
    return "\n".join(
        [
            "<style>",
            f"{_BUTTON_LABEL} p {{ display: none; }}",
            f"{_BUTTON_LABEL}::after {{ content: {css_string(t('builtin.upload_button'))}; }}",
            '[data-testid="stFileUploaderDropzoneInstructions"] { display: none; }',
            '[data-testid="stFileChipName"] + div { display: none; }',  # size: "68.0B"
            _replace((_OVERLAY,), t("builtin.upload_drop"), "0.875rem"),
            _replace(_ENTER, t("builtin.enter"), "0.75rem"),
            _replace(_CTRL_ENTER, t("builtin.ctrl_enter"), "0.75rem"),
            _replace(('[data-testid="stSkipToContent"]',), t("builtin.skip"), "1rem"),
            "</style>",
        ]
    )


def cover() -> None:
    """Add the style sheet to this run's page (no visible element)."""
    st.html(css())
