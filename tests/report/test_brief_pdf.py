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


#: Names a file may carry: the longest as one unbreakable word, the longest in words, and
#: an ordinary one. The first alone once hid an overflow: Chromium shrinks a page whose
#: content is wider than the paper, so the unbreakable name made everything fit.
NAMES = {
    "unbreakable": "Ж" * NAME_MAX,
    "words": ("Жол программасы " * 20)[:NAME_MAX],
    "ordinary": "Форум",
}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("lang", ["en", "ru", "ky"])
def test_brief_prints_on_one_a4_page_with_whole_sources(
    lang: str, name: str, tmp_path: Path
) -> None:
    # the forum plan with more land and longer programme years: three river basins run
    # short, and the oblast's water (the most limit lines the brief prints)
    settings = {**preset("forum_2013").to_settings(), "start_year": 2024.0, "end_year": 2040.0}
    settings.update(infrastructure_spend=5000.0, road_maintenance=1000.0)
    result = _result(run_scenarios([settings]), 0)
    meta = {"name": NAMES[name], "description": ("Бюджет 2027 " * 400)[:DESCRIPTION_MAX]}
    link = (
        "https://batken.example.org/?"
        + "&".join(f"{k}={v:g}" for k, v in settings.items())
        + f"&v={MODEL_VERSION}&lang={lang}"
    )
    html = exports.brief_html(settings, meta, result, 2035, link, lang)
    for p in parameter_table():
        if p.name in exports.KEY_PARAMETERS:
            assert html_escape(p.source) in html, f"{p.name}: source not printed whole"
    assert html.count('class="limit"') >= 2, "premise: the worst case prints its water limits"
    pages = pdf_pages(html, tmp_path)
    assert pages == 1, f"the {lang} brief with the {name} name prints on {pages} A4 pages"


def test_long_descriptions_are_cut_at_a_word() -> None:
    text = "один два три " * 100
    short = shorten_words(text, DESCRIPTION_CHARS)
    assert len(short) <= DESCRIPTION_CHARS and short.endswith("…")
    assert short[:-1].split()[-1] in {"один", "два", "три"}
    assert shorten_words("коротко", DESCRIPTION_CHARS) == "коротко"


def test_the_brief_prints_the_water_limits_the_model_finds() -> None:
    """The forum plan's irrigation meets a river basin with no water left for it (and,
    later, the oblast's water): the brief says so beside its numbers, in the reader's
    language, with the basins and years read from the model's basin outputs."""
    from model.levers import BASINS, FIRST_PROJECTION_YEAR, YEARS
    from ui.i18n import translate

    settings = preset("forum_2013").to_settings()
    runs = run_scenarios([settings], by_district=True)
    assert runs.places is not None
    served = runs.places["basins_scenario"]["irrigated_served_ha"][0]
    cap = runs.places["basins_scenario"]["water_cap_ha"][0]
    added = served - runs.places["basins_baseline"]["irrigated_served_ha"][0]
    short = {}
    for i, basin in enumerate(BASINS):
        over = (served[:, i] > cap[:, i] + 0.5) & (YEARS >= FIRST_PROJECTION_YEAR)
        if over.any() and (added[:, i] > 0.5).any():
            short[basin] = int(YEARS[over.argmax()])
    assert short, "premise: the forum plan's land meets a basin short of water"
    result = _result(run_scenarios([settings]), 0)
    for lang in ("en", "ru", "ky"):
        html = exports.brief_html(settings, {}, result, 2035, "https://x.org/", lang)
        limit = translate(lang, "brief.limit_basins", basins="").split(":")[0]
        assert limit in html, f"{lang}: no water limit in the brief"
        for basin, year in short.items():
            name = translate(lang, f"basin.{basin}")
            named = translate(lang, "budget.basin_from", name=name, year=year)
            assert html_escape(named) in html, f"{lang}: {named!r} not in the brief"
    roads_only = {**preset("baseline").to_settings(), "infrastructure_spend": 500.0}
    html = exports.brief_html(
        roads_only, {}, _result(run_scenarios([roads_only]), 0), 2035, "https://x.org/", "en"
    )
    assert 'class="limit"' not in html, "a scenario within its limits is printed with one"
