"""Exports: Excel and CSV results, chart images, the one-page brief in every language."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
from html.parser import HTMLParser

import openpyxl
import pandas as pd
import pytest
import zxingcpp
from PIL import Image

from model import ALL_SETTINGS, MODEL_VERSION, run_scenarios
from model.parameters import parameter_table
from tests.app.conftest import goto, new_app, no_exception
from ui import exports
from ui.compute import _result
from ui.i18n import translate

LANGS = ("en", "ru", "ky")
SETTINGS = {k: s.default for k, s in ALL_SETTINGS.items()} | {
    "infrastructure_spend": 1500.0,
    "sme_support": 100.0,
    "start_year": 2027.0,
}
BAND = (2027, 2036)


@pytest.fixture(scope="module")
def result():
    return _result(run_scenarios([SETTINGS]), 0)


def link(lang: str) -> str:
    return (
        "https://batken.example.org/?infrastructure_spend=1500&sme_support=100"
        f"&start_year=2027&v={MODEL_VERSION}&lang={lang}"
    )


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("style", "svg")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "svg")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def page_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return re.sub(r"[ \t\r\n]+", " ", " ".join(parser.parts)).strip()  # keeps no-break spaces


@pytest.mark.parametrize("lang", LANGS)
def test_brief_in_each_language_holds_the_link_and_its_qr_code(lang: str, result) -> None:
    meta = {"name": "Roads <script>x</script>", "description": "Дорога 1500"}
    page = exports.brief_html(
        SETTINGS, meta, result, 2035, link(lang), lang, today=dt.date(2026, 11, 27)
    )
    text = page_text(page)
    assert link(lang) in text, "the share link is not printed in the brief"
    assert f'lang="{lang}"' in page
    assert "<script>x" not in page, "scenario text was not escaped"
    for key in ("brief.levers", "brief.assumptions", "brief.col_baseline"):
        assert translate(lang, key) in text, f"{lang}: {key} missing from the brief"
    assert translate(lang, "brief.kpis", year=2035) in text
    assert translate(lang, "lever.infrastructure_spend.label") in text
    assert "2026-11-27" in text and MODEL_VERSION in text
    assert "<svg" in page, "no chart"
    qr = re.search(r'id="qr" alt="[^"]*" src="data:image/png;base64,([^"]+)"', page).group(1)
    image = Image.open(io.BytesIO(base64.b64decode(qr)))
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [link(lang)]


def test_brief_numbers_use_the_language_format(result) -> None:
    ru = page_text(exports.brief_html(SETTINGS, {}, result, 2035, link("ru"), "ru"))
    assert "1\u00a0500" in ru and translate("ru", "scenario.custom") in ru


@pytest.mark.parametrize("lang", ["en", "ky"])
def test_excel_export_has_results_settings_and_parameters(lang: str, result) -> None:
    data = exports.results_xlsx(SETTINGS, {"name": "Test"}, result, link(lang), lang)
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    names = [translate(lang, f"export.sheet_{s}") for s in ("results", "settings", "parameters")]
    assert book.sheetnames == [*names, translate(lang, "export.districts.sheet")]
    results = list(book[names[0]].iter_rows(values_only=True))
    assert results[0][0] == translate(lang, "table.year")
    assert translate(lang, "table.grp") in results[0] and "(" in translate(lang, "table.grp")
    assert len(results) == 1 + len(result.frame)
    years = [r[0] for r in results[1:]]
    assert years[0] == 2007 and years[-1] == 2040
    settings = list(book[names[1]].iter_rows(values_only=True))
    keys = [r[4] for r in settings[1 : len(ALL_SETTINGS) + 1]]
    assert sorted(keys) == sorted(ALL_SETTINGS)
    spend = next(r for r in settings if r[4] == "infrastructure_spend")
    assert spend[1] == 1500 and spend[2] == translate(lang, "unit.infrastructure_spend")
    assert any(r[1] == link(lang) for r in settings if r and len(r) > 1)
    params = list(book[names[2]].iter_rows(values_only=True))
    assert params[0][0] == translate(lang, "about.col.name")
    assert len(params) == 1 + len(parameter_table())
    # one row per year and district; a year's six GRP rows add up to the results sheet's
    units = list(book[translate(lang, "export.districts.sheet")].iter_rows(values_only=True))
    assert len(units) == 1 + 6 * len(result.frame)
    grp_col = units[0].index(translate(lang, "table.grp"))
    grp_2035 = sum(r[grp_col] for r in units[1:] if r[0] == 2035)
    want = next(r for r in results[1:] if r[0] == 2035)[
        results[0].index(translate(lang, "table.grp"))
    ]
    assert grp_2035 == pytest.approx(want, rel=1e-9)


def test_csv_export_reads_back(result) -> None:
    frame = pd.read_csv(io.BytesIO(exports.results_csv(result, "ru")), encoding="utf-8-sig")
    assert list(frame.columns)[:2] == [translate("ru", "table.year"), translate("ru", "table.grp")]
    assert len(frame) == len(result.frame)


@pytest.mark.parametrize("chart_id", exports.CHART_IDS)
def test_chart_exports_are_valid_png_and_svg(chart_id: str, result) -> None:
    svg = exports.chart_file(chart_id, "svg", result, BAND, "ky").decode("utf-8")
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert translate("ky", "chart.year") in svg, "the axis is not in Kyrgyz"
    if chart_id in ("grp", "cost"):  # PNG costs more; two are enough
        png = exports.chart_file(chart_id, "png", result, BAND, "ky")
        image = Image.open(io.BytesIO(png))
        assert image.format == "PNG" and image.width >= exports.EXPORT_WIDTH


def test_svg_axis_numbers_use_the_language_format(result) -> None:
    svg = exports.chart_file("grp", "svg", result, BAND, "ru").decode("utf-8")
    assert re.search(r">\d{2}\u00a0\d{3}<", svg), "axis numbers are not 12 345 style"


@pytest.mark.parametrize("lang", LANGS)
def test_reports_and_methodology_pages_render(lang: str) -> None:
    at = goto(new_app(lang=lang, infrastructure_spend="1500"), "reports")
    no_exception(at)
    assert at.title[0].value == translate(lang, "reports.title")
    assert any(f"lang={lang}" in c.value for c in at.code), "no share link on the page"
    at = goto(new_app(lang=lang), "methodology")
    no_exception(at)
    anchors = [h.proto.anchor for h in at.header]
    for anchor in (
        "overview",
        "roads",
        "irrigation",
        "smes",
        "chain",
        "parameters",
        "data",
        "limitations",
    ):
        assert anchor in anchors, f"{lang}: no section #{anchor}"


def test_an_exported_chart_says_what_it_shows_alone(result) -> None:
    """Scenario name, date, model version and the source line are in the image itself."""
    lines = exports.image_lines("Дороги 1 500", "ru", today=dt.date(2026, 12, 2))
    svg = exports.chart_file("grp", "svg", result, BAND, "ru", lines).decode("utf-8")
    assert "Дороги 1 500" in svg and "2026-12-02" in svg
    assert f"версии {MODEL_VERSION}" in svg
    assert translate("ru", "exports.image_source")[:30] in svg
