"""Text from outside on the page: shown as text, never as Markdown, and short.

Streamlit renders Markdown in ``st.markdown``, captions, titles, alerts (info, warning,
error, success), widget and button labels, help tooltips and ``st.table`` cells. A link
value, a file name or a scenario name put there as it came would become a heading, a
phishing link or an image fetched from any server (which learns the visitor's
address). So text from files, links and names a person typed reaches the page only
through one of these:

- :func:`code` inside Markdown: the text as an inline code span, which Markdown shows
  literally (no links, images, emphasis, HTML, emoji or math; backticks in the text
  get a longer fence), on one line, shortened;
- :func:`text` where Streamlit shows plain text (``st.text``, option labels, chart
  legends): on one line, shortened.

Both make control and text-direction characters visible as ``\\uXXXX``
(:func:`scenarios.printable`).
"""

from __future__ import annotations

import re

from scenarios import printable

#: Default length of outside text on the page (names are at most 120 characters).
SHORT = 80


def text(value: object, limit: int = SHORT) -> str:
    """Outside text for a plain-text place: one line, visible controls, shortened."""
    return printable(value, limit)


def code(value: object, limit: int = SHORT) -> str:
    """Outside text for a Markdown place: an inline code span (shown literally)."""
    body = printable(value, limit) or '""'
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * (longest + 1)
    # A span that starts or ends with a backtick needs a space inside the fence
    # (CommonMark strips one space on each side again).
    pad = " " if body[0] == "`" or body[-1] == "`" else ""
    return f"{fence}{pad}{body}{pad}{fence}"


#: Characters Markdown gives a meaning to (CommonMark's escapable punctuation).
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def bold(value: object, limit: int = 200) -> str:
    """Text as a bold Markdown label, every character shown as itself (a heading made of
    catalog text still goes through here: no string is trusted to be Markdown-free)."""
    return "**" + _MARKDOWN.sub(r"\\\1", printable(value, limit)) + "**"
