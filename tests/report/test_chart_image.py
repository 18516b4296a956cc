"""An exported chart image carries, under its title, the scenario's name, the date, the
model version and the source. Those lines are drawn whole inside the image in every
language: at the export's 720 px a Russian name line and the source line ran past the
image's right edge and were cut ("… панель сценарие", "… Кыргызской Ре")."""

from __future__ import annotations

import pytest

from scenarios.schema import NAME_MAX
from ui import exports
from ui.compute import _result

pytestmark = pytest.mark.browser
BAND = (2027, 2031)

#: Each subtitle line Vega drew: its text and its right edge, and the drawing's width.
SUBTITLE = """() => { const svg = document.querySelector('svg');
  const parts = [...svg.querySelectorAll('.role-title-subtitle text')].flatMap(t => {
    const spans = [...t.querySelectorAll('tspan')]; return spans.length ? spans : [t]; });
  const lines = parts.map(e => ({text: e.textContent, right: e.getBoundingClientRect().right}));
  return {width: svg.getBoundingClientRect().width, lines}; }"""


@pytest.fixture(scope="module")
def result():
    from model import run_scenarios

    return _result(run_scenarios([{"infrastructure_spend": 1500.0}]), 0)


@pytest.mark.parametrize("lang", ["ru", "ky", "en"])
@pytest.mark.parametrize("chart_id", ["grp", "cost"])
def test_the_lines_under_an_exported_charts_title_are_whole(browser, result, lang, chart_id):
    name = ("Дороги и сугат, өзгөртүлгөн сценарий " * 4)[:NAME_MAX]  # the longest kept
    lines = exports.image_lines(name, lang)
    svg = exports.chart_file(chart_id, "svg", result, BAND, lang, lines).decode("utf-8")
    page = browser.new_page()
    try:
        page.set_content(svg)
        drawn = page.evaluate(SUBTITLE)
    finally:
        page.close()
    texts = [d["text"] for d in drawn["lines"]]
    assert " ".join(texts).split() == " ".join(lines).split(), f"a line lost words: {texts}"
    cut = [d for d in drawn["lines"] if d["right"] > drawn["width"] + 0.5]
    assert not cut, f"{lang} {chart_id}: past the image's {drawn['width']:.0f} px: {cut}"
