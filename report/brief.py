"""The one-page scenario brief: a print-ready HTML page a planner can print or save as PDF.

Pure Python (no streamlit): the dashboard passes in the translated strings and the
formatted numbers, so the same function serves every language and the tests can read
the page back. Every piece of text that comes from a scenario file or a link is
escaped with :func:`html.escape`; nothing a planner typed is ever rendered as markup.

The share link is printed in full and as a QR code (segno, error correction M), so a
printed page leads back to the live scenario.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Sequence
from dataclasses import dataclass

import segno


@dataclass(frozen=True)
class BriefRow:
    """One KPI row: label, baseline value, scenario value and difference, already formatted."""

    label: str
    baseline: str
    scenario: str
    difference: str


@dataclass(frozen=True)
class BriefContent:
    """Everything the brief shows, already translated and formatted."""

    lang: str
    title: str
    scenario_name: str
    scenario_description: str
    levers_heading: str
    levers: Sequence[tuple[str, str]]
    kpi_heading: str
    kpi_columns: tuple[str, str, str, str]
    kpis: Sequence[BriefRow]
    chart_heading: str
    chart_svg: str
    assumptions_heading: str
    assumptions: Sequence[str]
    footer_made: str
    link_heading: str
    link: str
    qr_caption: str
    print_hint: str = ""
    #: The table by district and city (heading, four column names, one row per unit);
    #: empty: no table.
    districts_heading: str = ""
    district_columns: tuple[str, str, str, str] = ("", "", "", "")
    districts: Sequence[BriefRow] = ()
    #: Limits the model finds in this scenario (water, road network), one sentence each;
    #: printed under the tables, where a reader of the numbers sees them.
    limits: Sequence[str] = ()


#: The most of a scenario's description the brief shows: enough for its purpose, never so
#: much that the page overflows (a file may carry up to 4,000 characters).
DESCRIPTION_CHARS = 360
#: The most of a scenario's name the brief's title shows (a file may carry 120 characters;
#: the whole name is in the file and behind the link).
NAME_CHARS = 80


def shorten_words(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, with "…" if cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:.") + "…"


def qr_png(link: str, scale: int = 4) -> bytes:
    """The link as a QR code PNG."""
    buf = io.BytesIO()
    segno.make(link, error="m").save(buf, kind="png", scale=scale, border=2)
    return buf.getvalue()


#: The brief must print on one A4 page in every language with every source whole
#: (tests/report/test_brief_pdf.py prints it with Chromium and counts the pages).
_CSS = """
@page { size: A4; margin: 11mm; }
body { margin: 0 auto; font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif;
       font-size: 8.2pt; color: #1b1b1b; max-width: 188mm; }
h1 { font-size: 11.5pt; margin: 0 0 1mm; overflow-wrap: anywhere; }
h2 { font-size: 9pt; margin: 1.6mm 0 0.8mm; border-bottom: 1px solid #999; }
p.desc { margin: 0 0 1.5mm; font-size: 8pt; overflow-wrap: anywhere; }
p.limit { margin: 0.8mm 0 0; font-size: 7.2pt; color: #7a4a00; }
table { border-collapse: collapse; width: 100%; font-size: 7.6pt; }
td, th { padding: 0.35mm 1mm; border-bottom: 1px solid #ddd; text-align: left;
         vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
table.kpis td:first-child { width: 46%; }
.cols { display: flex; gap: 5mm; }
.cols > div { flex: 1; }
.cols > div:first-child { flex: 1.5; }
.chart svg { display: block; width: auto; height: auto; max-width: 100%; max-height: 46mm;
             margin: 0 auto; }
table.districts { font-size: 7pt; }
table.districts td, table.districts th { padding: 0.2mm 1mm; }
ul { margin: 0; padding-left: 4mm; font-size: 6.6pt; line-height: 1.18; }
.link { font-size: 6.5pt; word-break: break-all; overflow: hidden; }
.link img { float: left; width: 24mm; height: 24mm; margin: 0 3mm 0 0; }
.cols > div.linkbox { flex: 1; break-inside: avoid; }
footer { margin-top: 2mm; font-size: 8pt; color: #555; }
p.hint { background: #FFF4D6; padding: 2mm; font-size: 9pt; }
@media print { .noprint { display: none; } }
"""


def build_brief_html(c: BriefContent) -> str:
    """Render the brief as one self-contained HTML page (chart as SVG, QR as PNG)."""
    e = html.escape
    lever_rows = "".join(
        f"<tr><td>{e(k)}</td><td class='num'>{e(v)}</td></tr>" for k, v in c.levers
    )
    head = "".join(
        f"<th{' class=num' if i else ''}>{e(col)}</th>" for i, col in enumerate(c.kpi_columns)
    )
    kpi_rows = "".join(
        f"<tr><td>{e(r.label)}</td><td class='num'>{e(r.baseline)}</td>"
        f"<td class='num'>{e(r.scenario)}</td><td class='num'>{e(r.difference)}</td></tr>"
        for r in c.kpis
    )
    assumptions = "".join(f"<li>{e(a)}</li>" for a in c.assumptions)
    district_table = ""
    if c.districts:
        d_head = "".join(
            f"<th{' class=num' if i else ''}>{e(col)}</th>"
            for i, col in enumerate(c.district_columns)
        )
        d_rows = "".join(
            f"<tr><td>{e(r.label)}</td><td class='num'>{e(r.baseline)}</td>"
            f"<td class='num'>{e(r.scenario)}</td><td class='num'>{e(r.difference)}</td></tr>"
            for r in c.districts
        )
        district_table = (
            f"<h2>{e(c.districts_heading)}</h2>"
            f"<table class='districts'><tr>{d_head}</tr>{d_rows}</table>"
        )
    qr = base64.b64encode(qr_png(c.link)).decode("ascii")
    return f"""<!DOCTYPE html>
<html lang="{e(c.lang)}"><head><meta charset="utf-8">
<title>{e(c.title)}: {e(c.scenario_name)}</title><style>{_CSS}</style></head>
<body>
{f'<p class="noprint hint">{e(c.print_hint)}</p>' if c.print_hint else ""}
<h1>{e(c.title)}: {e(shorten_words(c.scenario_name, NAME_CHARS))}</h1>
<p class="desc">{e(shorten_words(c.scenario_description, DESCRIPTION_CHARS))}</p>
<div class="cols">
<div><h2>{e(c.kpi_heading)}</h2><table class="kpis"><tr>{head}</tr>{kpi_rows}</table></div>
<div><h2>{e(c.levers_heading)}</h2><table>{lever_rows}</table></div>
</div>
{"".join(f'<p class="limit">⚠ {e(x)}</p>' for x in c.limits)}
{district_table}
<div class="cols">
<div><h2>{e(c.chart_heading)}</h2>
<div class="chart">{c.chart_svg}</div></div>
<div class="linkbox"><h2>{e(c.link_heading)}</h2>
<div class="link"><img id="qr" alt="{e(c.qr_caption)}" src="data:image/png;base64,{qr}">
<a href="{e(c.link, quote=True)}">{e(c.link)}</a></div></div>
</div>
<h2>{e(c.assumptions_heading)}</h2>
<ul>{assumptions}</ul>
<footer>{e(c.footer_made)}</footer>
</body></html>
"""
