"""Altair chart specs. Pure functions of data and already translated texts.

Colours: Okabe-Ito (colour-blind safe). The baseline is always grey, the current
scenario always blue, recorded history always black points, in every chart and on
every page; other compared scenarios take the remaining Okabe-Ito colours in order.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

BASELINE_COLOR = "#7A7A7A"
SCENARIO_COLOR = "#0072B2"
RECORDED_COLOR = "#000000"
#: Other scenarios on the compare page, in order of selection.
OTHER_COLORS = ("#E69F00", "#009E73", "#CC79A7", "#D55E00")
#: Sectors (stacked area), Okabe-Ito order.
SECTOR_COLORS = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#CC79A7")
PROGRAMME_SHADE = "#E8E8E8"
HEIGHT = 300
SMALL_HEIGHT = 220


def _finish(chart: alt.LayerChart, title: str, height: int) -> alt.LayerChart:
    # fit-x: fit the container's width; the height is the plot's, so legend and title
    # add to it (Streamlit's default "fit" squeezes the plot to make room for them).
    return chart.properties(
        title=alt.TitleParams(title, anchor="start", fontSize=15),
        height=height, autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
    )


def _programme_band(start: int, end: int) -> alt.Chart:
    band = pd.DataFrame({"x": [start - 0.5], "x2": [end + 0.5]})
    return alt.Chart(band).mark_rect(color=PROGRAMME_SHADE, opacity=0.8).encode(
        x="x:Q", x2="x2:Q"
    )


def _x(title: str) -> alt.X:
    return alt.X("year:Q", title=title, axis=alt.Axis(format="d", tickMinStep=1),
                 scale=alt.Scale(nice=False, zero=False))


def line_chart(
    long: pd.DataFrame,
    *,
    title: str,
    x_title: str,
    y_title: str,
    series_title: str,
    colors: dict[str, str],
    dashed: Sequence[str] = (),
    points: Sequence[str] = (),
    band: tuple[int, int] | None = None,
    value_format: str = ",.0f",
    height: int = HEIGHT,
) -> alt.LayerChart:
    """Lines (and point series) from a long frame with columns year, series, value.

    ``colors`` maps series label to colour and fixes the legend order; series listed in
    ``points`` are drawn as points (recorded history), those in ``dashed`` dashed.
    """
    domain = list(colors)
    color = alt.Color("series:N", title=series_title,
                      scale=alt.Scale(domain=domain, range=[colors[s] for s in domain]),
                      legend=alt.Legend(orient="bottom", direction="horizontal",
                                        columns=2, labelLimit=260))
    tooltip = [alt.Tooltip("series:N", title=series_title),
               alt.Tooltip("year:Q", title=x_title, format="d"),
               alt.Tooltip("value:Q", title=y_title, format=value_format)]
    y = alt.Y("value:Q", title=y_title, axis=alt.Axis(format=",~f"),
              scale=alt.Scale(zero=False))
    is_point = alt.FieldOneOfPredicate(field="series", oneOf=list(points) or ["\x00"])
    is_dashed = alt.FieldOneOfPredicate(field="series", oneOf=list(dashed) or ["\x00"])
    base = alt.Chart(long)
    lines = base.transform_filter(~is_point).mark_line(strokeWidth=2.5).encode(
        x=_x(x_title), y=y, color=color, tooltip=tooltip,
        strokeDash=alt.condition(is_dashed, alt.value([6, 4]), alt.value([1, 0])),
    )
    layers: list[alt.Chart] = []
    if band is not None:
        layers.append(_programme_band(*band))
    layers.append(lines)
    if points:
        layers.append(base.transform_filter(is_point).mark_point(
            filled=True, size=45, opacity=1).encode(x=_x(x_title), y=y, color=color,
                                                    tooltip=tooltip))
    return _finish(alt.layer(*layers), title, height)


def stacked_area(
    long: pd.DataFrame, *, title: str, x_title: str, y_title: str, series_title: str,
    order: Sequence[str], band: tuple[int, int] | None = None,
) -> alt.LayerChart:
    """Stacked area of the series in ``order`` (long frame: year, series, value)."""
    color = alt.Color("series:N", title=series_title,
                      scale=alt.Scale(domain=list(order), range=list(SECTOR_COLORS)),
                      legend=alt.Legend(orient="bottom", direction="horizontal", columns=2,
                                        labelLimit=260))
    long = long.assign(order=long["series"].map({s: i for i, s in enumerate(order)}))
    area = alt.Chart(long).mark_area(opacity=0.9).encode(
        x=_x(x_title),
        y=alt.Y("value:Q", title=y_title, stack="zero", axis=alt.Axis(format=",~f")),
        color=color,
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("series:N", title=series_title),
                 alt.Tooltip("year:Q", title=x_title, format="d"),
                 alt.Tooltip("value:Q", title=y_title, format=",.0f")],
    )
    layers = [_programme_band(*band), area] if band else [area]
    return _finish(alt.layer(*layers), title, HEIGHT)


def cost_benefit(
    frame: pd.DataFrame, *, title: str, x_title: str, y_title: str, series_title: str,
    cost_label: str, gain_label: str, band: tuple[int, int] | None = None,
) -> alt.LayerChart:
    """Programme cost per year as bars, GRP gain from the programme as a line."""
    bars = pd.DataFrame({"year": frame["year"], "x0": frame["year"] - 0.38,
                         "x1": frame["year"] + 0.38, "series": cost_label,
                         "value": frame["programme_cost"]})
    line = pd.DataFrame({"year": frame["year"], "series": gain_label,
                         "value": frame["grp_programme_gain"]})
    color = alt.Color("series:N", title=series_title,
                      scale=alt.Scale(domain=[cost_label, gain_label],
                                      range=["#E69F00", SCENARIO_COLOR]),
                      legend=alt.Legend(orient="bottom", direction="horizontal",
                                        labelLimit=260))
    tooltip = [alt.Tooltip("series:N", title=series_title),
               alt.Tooltip("year:Q", title=x_title, format="d"),
               alt.Tooltip("value:Q", title=y_title, format=",.0f")]
    y = alt.Y("value:Q", title=y_title, axis=alt.Axis(format=",~f"))
    layers: list[alt.Chart] = [_programme_band(*band)] if band else []
    layers.append(alt.Chart(bars).mark_bar(opacity=0.85).encode(
        x=alt.X("x0:Q", title=x_title, axis=alt.Axis(format="d", tickMinStep=1),
                scale=alt.Scale(nice=False, zero=False)),
        x2="x1:Q", y=y, color=color, tooltip=tooltip))
    layers.append(alt.Chart(line).mark_line(strokeWidth=2.5).encode(
        x=_x(x_title), y=y, color=color, tooltip=tooltip))
    return _finish(alt.layer(*layers), title, HEIGHT)
