"""Altair / Vega-Lite charts as SVG or PNG, rendered without a browser (vl-convert)."""

from __future__ import annotations

from typing import Any


def number_locale(decimal: str, thousands: str) -> dict[str, Any]:
    """A d3-format locale for the axes and labels (e.g. ``1 234,5`` in ru/ky), in the
    browser and in exported images alike; the minus is the same ASCII "-" the cards and
    tables print (``ui.i18n.fmt_num``)."""
    return {
        "decimal": decimal,
        "thousands": thousands,
        "grouping": [3],
        "currency": ["", ""],
        "minus": "-",
    }


def chart_svg(spec: dict[str, Any], locale: dict[str, Any] | None = None) -> str:
    """A Vega-Lite spec (``chart.to_dict()``) as SVG text; ``locale`` formats numbers."""
    import vl_convert as vlc  # imported on first export, not at app start

    if locale is None:
        return vlc.vegalite_to_svg(spec)
    return vlc.vegalite_to_svg(spec, format_locale=locale)


def chart_png(
    spec: dict[str, Any], scale: float = 2.0, locale: dict[str, Any] | None = None
) -> bytes:
    """A Vega-Lite spec as PNG bytes (``scale`` 2 gives print resolution)."""
    import vl_convert as vlc

    if locale is None:
        return vlc.vegalite_to_png(spec, scale=scale)
    return vlc.vegalite_to_png(spec, scale=scale, format_locale=locale)
