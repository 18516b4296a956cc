"""The brief: escapes planner text, prints the link, and its QR code decodes to the link."""

from __future__ import annotations

import base64
import io
import re

import altair as alt
import pandas as pd
import zxingcpp
from PIL import Image

from report import BriefContent, BriefRow, build_brief_html, chart_png, chart_svg

LINK = "https://batken.example.org/?infrastructure_spend=1500&start_year=2027&v=1&lang=ky"


def content(name: str = "Жол биринчи <b>bold</b>", link: str = LINK) -> BriefContent:
    chart = alt.Chart(pd.DataFrame({"year": [2024, 2030], "grp": [1.0, 2.0]}))
    return BriefContent(
        lang="ky",
        title="Сценарий",
        scenario_name=name,
        scenario_description="<script>alert(1)</script> сыпаттама",
        levers_heading="Рычагдар",
        levers=[("Жолдор", "1 500 млн сом")],
        kpi_heading="Көрсөткүчтөр",
        kpi_columns=("", "Базалык", "Сценарий", "Айырма"),
        kpis=[BriefRow("ДРП 2035", "32 029", "35 521", "+3 492")],
        chart_heading="ДРП",
        chart_svg=chart_svg(chart.mark_line().encode(x="year", y="grp").to_dict()),
        assumptions_heading="Божомолдор",
        assumptions=["ε = 0,10 (Bom & Ligthart 2014)"],
        footer_made="2026-11-27 · model v1",
        link_heading="Шилтеме",
        link=link,
        qr_caption="QR",
    )


def test_brief_escapes_text_and_contains_the_link():
    page = build_brief_html(content())
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert LINK.replace("&", "&amp;") in page
    assert 'lang="ky"' in page and "32 029" in page and "<svg" in page


def test_brief_qr_code_decodes_to_the_link():
    page = build_brief_html(content())
    data = re.search(r'id="qr" alt="[^"]*" src="data:image/png;base64,([^"]+)"', page).group(1)
    image = Image.open(io.BytesIO(base64.b64decode(data)))
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [LINK]


def test_chart_png_is_a_png():
    chart = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [2, 1]})).mark_bar().encode(x="x", y="y")
    assert chart_png(chart.to_dict()).startswith(b"\x89PNG")
