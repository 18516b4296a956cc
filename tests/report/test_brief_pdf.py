"""The one-page brief prints on one A4 page in every language, sources whole.

Chromium (Debian's) prints the brief to PDF exactly as a planner's "Save as PDF" would;
the test counts the pages. The worst case is used: the longest scenario name and
description a file may carry, every lever set, the forum plan's results.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html import escape as html_escape
from pathlib import Path

import pytest

from model import MODEL_VERSION, parameter_table, run_scenarios
from report.brief import DESCRIPTION_CHARS, shorten_words
from scenarios import preset
from scenarios.schema import DESCRIPTION_MAX, NAME_MAX
from ui import exports
from ui.compute import _result

CHROMIUM = os.environ.get("BROWSER_PATH", "/usr/bin/chromium")
pytestmark = pytest.mark.skipif(
    shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists(),
    reason=f"no Chromium at {CHROMIUM} to print the brief (install Debian's chromium)",
)


def pdf_pages(html: str, tmp: Path) -> int:
    page = tmp / "brief.html"
    page.write_text(html, encoding="utf-8")
    pdf = tmp / "brief.pdf"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


@pytest.mark.parametrize("lang", ["en", "ru", "ky"])
def test_brief_prints_on_one_a4_page_with_whole_sources(lang: str, tmp_path: Path) -> None:
    settings = preset("forum_2013").to_settings()
    result = _result(run_scenarios([settings]), 0)
    meta = {"name": "Ж" * NAME_MAX, "description": ("Бюджет 2027 " * 400)[:DESCRIPTION_MAX]}
    link = (
        "https://batken.example.org/?"
        + "&".join(f"{k}={v:g}" for k, v in settings.items())
        + f"&v={MODEL_VERSION}&lang={lang}"
    )
    html = exports.brief_html(settings, meta, result, 2035, link, lang)
    for p in parameter_table():
        if p.name in exports.KEY_PARAMETERS:
            assert html_escape(p.source) in html, f"{p.name}: source not printed whole"
    assert pdf_pages(html, tmp_path) == 1, f"the {lang} brief does not fit on one A4 page"


def test_long_descriptions_are_cut_at_a_word() -> None:
    text = "один два три " * 100
    short = shorten_words(text, DESCRIPTION_CHARS)
    assert len(short) <= DESCRIPTION_CHARS and short.endswith("…")
    assert short[:-1].split()[-1] in {"один", "два", "три"}
    assert shorten_words("коротко", DESCRIPTION_CHARS) == "коротко"
