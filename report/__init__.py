"""Printable outputs that need no streamlit: the one-page brief and chart images."""

from report.brief import BriefContent, BriefRow, build_brief_html, qr_png
from report.images import chart_png, chart_svg, number_locale

__all__ = [
    "BriefContent",
    "BriefRow",
    "build_brief_html",
    "chart_png",
    "chart_svg",
    "number_locale",
    "qr_png",
]
