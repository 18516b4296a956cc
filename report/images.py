"""Altair / Vega-Lite charts as SVG or PNG, rendered without a browser (vl-convert)."""

from __future__ import annotations

from typing import Any

import vl_convert as vlc


def chart_svg(spec: dict[str, Any]) -> str:
    """A Vega-Lite spec (``chart.to_dict()``) as SVG text."""
    return vlc.vegalite_to_svg(spec)


def chart_png(spec: dict[str, Any], scale: float = 2.0) -> bytes:
    """A Vega-Lite spec as PNG bytes (``scale`` 2 gives print resolution)."""
    return vlc.vegalite_to_png(spec, scale=scale)
