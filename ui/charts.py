"""Altair chart specs. Pure functions of data and already translated texts.

Colours: Okabe-Ito (colour-blind safe). The baseline is always grey, the current
scenario always blue, recorded history always black points, in every chart and on
every page; other compared scenarios take the remaining Okabe-Ito colours in order.
"""

from __future__ import annotations

import json
import math
import re
import textwrap
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

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


#: A chart title's longest line (characters). Vega cuts a title wider than its chart with
#: "…" and cannot wrap it; 36 characters of 15 px text fit a phone's 390 px screen in
#: Cyrillic and Latin (tests/e2e/test_defects_e2e.py reads every title there).
TITLE_LINE_CHARS = 36


def title_lines(title: str, width: int = TITLE_LINE_CHARS) -> str | list[str]:
    """The title as Vega draws it: one line when it fits ``width`` characters, else
    whole words on as many lines as needed (Vega-Lite draws a list as lines)."""
    lines = textwrap.wrap(title, width, break_long_words=False, break_on_hyphens=False)
    return title if len(lines) <= 1 else lines


#: A bold title character's width, em, with room to spare: Chromium drew this app's
#: Kyrgyz, Russian and English titles at 0.44-0.52 em a character on average (2026-12-07),
#: so a title kept on one line is never cut (:func:`title_params`).
TITLE_CHAR_EM = 0.56


def title_params(title: str, font_size: int = 15) -> alt.TitleParams:
    """A chart's title, at the start. One line where it fits the chart; on a chart too
    narrow for it (a phone), the lines of :func:`title_lines`. Vega decides, from the
    chart's drawn ``width``, so one spec serves both."""
    lines = title_lines(title)
    if isinstance(lines, str):
        return alt.TitleParams(title, anchor="start", fontSize=font_size)
    one_line_px = math.ceil(len(title) * font_size * TITLE_CHAR_EM)
    # json.dumps writes valid string literals of Vega's expression language (quotes and
    # backslashes escaped), so no title can change the expression.
    whole, broken = json.dumps(title, ensure_ascii=False), json.dumps(lines, ensure_ascii=False)
    return alt.TitleParams(
        alt.ExprRef(f"width >= {one_line_px} ? {whole} : {broken}"),
        anchor="start",
        fontSize=font_size,
    )


def title_text(spec_title: Any) -> str:
    """A spec's title as one string, whichever form :func:`title_params` gave it."""
    text = spec_title.get("text", "") if isinstance(spec_title, dict) else spec_title
    if isinstance(text, dict):  # {"expr": 'width >= N ? "<whole>" : [...]'}
        literal = re.search(r'\? ("(?:[^"\\]|\\.)*") :', text.get("expr", ""))
        return json.loads(literal.group(1)) if literal else ""
    return " ".join(text) if isinstance(text, list) else str(text or "")


def _finish(chart: alt.LayerChart, title: str, height: int) -> alt.LayerChart:
    # fit-x: fit the container's width; the height is the plot's, so legend and title
    # add to it (Streamlit's default "fit" squeezes the plot to make room for them).
    return chart.properties(
        title=title_params(title),
        height=height,
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
    )


#: The room a legend under a chart has on a 390 px phone, px: the chart is ~358 px
#: wide and the legend starts under the plot, after the y axis (~105-120 px in). A
#: legend laid out wider is cut at the chart's edge (the sectors' second column was).
LEGEND_ROOM_PX = 245
#: The widest a legend label is drawn, px (longer ones end in "…"; tables name them whole).
LEGEND_LABEL_PX = 215
LEGEND_CHAR_PX = 6.5  # Vega's 10 px legend label, a generous average (Cyrillic too)
LEGEND_ITEM_PX = 30  # symbol, gap and the padding between columns


def legend_under(labels: Sequence[str], orient: str = "bottom", **kw: Any) -> alt.Legend:
    """A legend under (or over) the chart that a phone shows whole: the labels in one row
    if the row fits :data:`LEGEND_ROOM_PX`, else in two columns if two fit, else one a
    row. Two legends on one side are laid out side by side: give the second another."""
    widths = [min(len(s) * LEGEND_CHAR_PX, LEGEND_LABEL_PX) + LEGEND_ITEM_PX for s in labels]
    columns: dict[str, int] = {}
    if sum(widths) > LEGEND_ROOM_PX:
        columns["columns"] = 2 if 2 * max(widths) <= LEGEND_ROOM_PX else 1
    return alt.Legend(
        orient=orient, direction="horizontal", labelLimit=LEGEND_LABEL_PX, **columns, **kw
    )


def _band_frame(start: int, end: int) -> pd.DataFrame:
    return pd.DataFrame(_band_records(start, end))


def _band_records(start: int, end: int) -> list[dict]:
    """The shaded programme years as one row: from half a year before the first to half
    a year after the last."""
    return [{"x": start - 0.5, "x2": end + 0.5}]


def _programme_band(start: int, end: int, source: alt.NamedData | None = None) -> alt.Chart:
    data = source if source is not None else _band_frame(start, end)
    return alt.Chart(data).mark_rect(color=PROGRAMME_SHADE, opacity=0.8).encode(x="x:Q", x2="x2:Q")


def _x(title: str) -> alt.X:
    return alt.X(
        "year:Q",
        title=title,
        axis=alt.Axis(format="d", tickMinStep=1),
        scale=alt.Scale(nice=False, zero=False),
    )


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
    areas: pd.DataFrame | None = None,
    area_title: str = "",
    shade: tuple[int, int] | None = None,
    named: bool = False,
) -> alt.LayerChart:
    """Lines (and point series) from a long frame with columns year, series, value.

    ``colors`` maps series label to colour and fixes the legend order; series listed in
    ``points`` are drawn as points (recorded history), those in ``dashed`` dashed.
    ``areas`` (columns year, series, lo, hi, level) draws shaded bands under the lines in
    the series' colour, the narrower ``level`` darker (uncertainty bands); ``shade`` is
    an extra year span shaded like the programme years (e.g. a back-test period).
    With ``named``, the layers read named datasets (``lines``, ``areas``, ``band``,
    ``shade``) instead of inline data: see :func:`line_chart_spec`.
    """
    src = (lambda name, frame: alt.NamedData(name)) if named else (lambda name, frame: frame)
    domain = list(colors)
    color = alt.Color(
        "series:N",
        title=series_title,
        scale=alt.Scale(domain=domain, range=[colors[s] for s in domain]),
        legend=legend_under(domain),
    )
    tooltip = [
        alt.Tooltip("series:N", title=series_title),
        alt.Tooltip("year:Q", title=x_title, format="d"),
        alt.Tooltip("value:Q", title=y_title, format=value_format),
    ]
    y = alt.Y("value:Q", title=y_title, axis=alt.Axis(format=",~f"), scale=alt.Scale(zero=False))
    is_point = alt.FieldOneOfPredicate(field="series", oneOf=list(points) or ["\x00"])
    is_dashed = alt.FieldOneOfPredicate(field="series", oneOf=list(dashed) or ["\x00"])
    base = alt.Chart(src("lines", long))
    lines = (
        base.transform_filter(~is_point)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=_x(x_title),
            y=y,
            color=color,
            tooltip=tooltip,
            strokeDash=alt.condition(is_dashed, alt.value([6, 4]), alt.value([1, 0])),
        )
    )
    layers: list[alt.Chart] = []
    if band is not None:
        layers.append(_programme_band(*band, source=src("band", None)))
    if shade is not None:
        layers.append(_programme_band(*shade, source=src("shade", None)))
    if areas is not None and len(areas):
        levels = list(dict.fromkeys(areas["level"]))
        layers.append(
            alt.Chart(src("areas", areas))
            .mark_area(interpolate="linear")
            .encode(
                x=_x(x_title),
                y=alt.Y("lo:Q", title=y_title),
                y2="hi:Q",
                # the same colour encoding as the lines (no legend=None: in a layered chart
                # that would switch off the shared legend of the lines as well)
                color=color,
                opacity=alt.Opacity(
                    "level:N",
                    title=area_title,
                    scale=alt.Scale(domain=levels, range=[0.16, 0.34][: len(levels)]),
                    # over the plot: beside the lines' legend it ran off a phone's chart
                    legend=legend_under(levels, orient="top"),
                ),
                tooltip=[
                    alt.Tooltip("series:N", title=series_title),
                    alt.Tooltip("level:N", title=area_title),
                    alt.Tooltip("year:Q", title=x_title, format="d"),
                    alt.Tooltip("lo:Q", format=value_format),
                    alt.Tooltip("hi:Q", format=value_format),
                ],
            )
        )
    layers.append(lines)
    if points:
        layers.append(
            base.transform_filter(is_point)
            .mark_point(filled=True, size=45, opacity=1)
            .encode(x=_x(x_title), y=y, color=color, tooltip=tooltip)
        )
    return _finish(alt.layer(*layers), title, height)


@lru_cache(maxsize=64)
def _line_template(style: str) -> dict:
    kw = json.loads(style)
    kw["colors"] = dict(kw["colors"])
    areas = None
    if kw.pop("area_levels") is not None:
        areas = pd.DataFrame({"level": kw.pop("levels")})
    else:
        kw.pop("levels")
    empty = pd.DataFrame({"year": [], "series": [], "value": []})
    chart = line_chart(empty, areas=areas, named=True, **kw)
    return chart.to_dict(validate=False)


def line_chart_spec(
    long: pd.DataFrame | list[dict],
    *,
    areas: pd.DataFrame | None = None,
    band: tuple[int, int] | None = None,
    shade: tuple[int, int] | None = None,
    **style,
) -> dict:
    """:func:`line_chart` as a Vega-Lite spec for ``st.vega_lite_chart``, fast.

    The spec without data depends only on texts, colours and which layers exist; it is
    built and validated once and cached. Each call only attaches the data as named
    datasets, so a slider move skips Altair entirely (~35 ms) and, because the spec is
    unchanged, the browser updates the data of the existing chart instead of
    rebuilding it.
    """
    levels = list(dict.fromkeys(areas["level"])) if areas is not None and len(areas) else []
    key = json.dumps(
        {
            **style,
            "colors": list(style["colors"].items()),
            "dashed": list(style.get("dashed", ())),
            "points": list(style.get("points", ())),
            "band": [0, 0] if band else None,
            "shade": [0, 0] if shade else None,
            "area_levels": bool(levels) or None,
            "levels": levels,
        },
        sort_keys=True,
        ensure_ascii=False,
    )
    spec = dict(_line_template(key))
    datasets = {"lines": long if isinstance(long, list) else _records(long)}
    if band:
        datasets["band"] = _band_records(*band)
    if shade:
        datasets["shade"] = _band_records(*shade)
    if levels:
        datasets["areas"] = _records(areas)
    spec["datasets"] = datasets
    return spec


def _records(frame: pd.DataFrame) -> list[dict]:
    return json.loads(frame.to_json(orient="records"))


def stacked_area(
    long: pd.DataFrame,
    *,
    title: str,
    x_title: str,
    y_title: str,
    series_title: str,
    order: Sequence[str],
    band: tuple[int, int] | None = None,
) -> alt.LayerChart:
    """Stacked area of the series in ``order`` (long frame: year, series, value)."""
    color = alt.Color(
        "series:N",
        title=series_title,
        scale=alt.Scale(domain=list(order), range=list(SECTOR_COLORS)),
        legend=legend_under(order),
    )
    long = long.assign(order=long["series"].map({s: i for i, s in enumerate(order)}))
    area = (
        alt.Chart(long)
        .mark_area(opacity=0.9)
        .encode(
            x=_x(x_title),
            y=alt.Y("value:Q", title=y_title, stack="zero", axis=alt.Axis(format=",~f")),
            color=color,
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("series:N", title=series_title),
                alt.Tooltip("year:Q", title=x_title, format="d"),
                alt.Tooltip("value:Q", title=y_title, format=",.0f"),
            ],
        )
    )
    layers = [_programme_band(*band), area] if band else [area]
    return _finish(alt.layer(*layers), title, HEIGHT)


def cost_benefit(
    frame: pd.DataFrame,
    *,
    title: str,
    x_title: str,
    y_title: str,
    series_title: str,
    cost_label: str,
    gain_label: str,
    demand_label: str,
    band: tuple[int, int] | None = None,
) -> alt.LayerChart:
    """Programme cost per year as bars; the lasting GRP gain (the benefit) as a solid line
    and the construction-phase demand (in GRP, never a benefit) as a dashed one."""
    bars = pd.DataFrame(
        {
            "year": frame["year"],
            "x0": frame["year"] - 0.38,
            "x1": frame["year"] + 0.38,
            "series": cost_label,
            "value": frame["programme_cost"],
        }
    )
    gain = pd.DataFrame(
        {"year": frame["year"], "series": gain_label, "value": frame["grp_lasting_gain"]}
    )
    demand = pd.DataFrame(
        {"year": frame["year"], "series": demand_label, "value": frame["grp_construction_demand"]}
    )
    color = alt.Color(
        "series:N",
        title=series_title,
        scale=alt.Scale(
            domain=[cost_label, gain_label, demand_label],
            range=["#E69F00", SCENARIO_COLOR, "#999999"],
        ),
        legend=legend_under([cost_label, gain_label, demand_label]),
    )
    tooltip = [
        alt.Tooltip("series:N", title=series_title),
        alt.Tooltip("year:Q", title=x_title, format="d"),
        alt.Tooltip("value:Q", title=y_title, format=",.0f"),
    ]
    y = alt.Y("value:Q", title=y_title, axis=alt.Axis(format=",~f"))
    layers: list[alt.Chart] = [_programme_band(*band)] if band else []
    layers.append(
        alt.Chart(bars)
        .mark_bar(opacity=0.85)
        .encode(
            x=alt.X(
                "x0:Q",
                title=x_title,
                axis=alt.Axis(format="d", tickMinStep=1),
                scale=alt.Scale(nice=False, zero=False),
            ),
            x2="x1:Q",
            y=y,
            y2=alt.datum(0),
            color=color,
            tooltip=tooltip,
        )
    )
    layers.append(
        alt.Chart(gain)
        .mark_line(strokeWidth=2.5)
        .encode(x=_x(x_title), y=y, color=color, tooltip=tooltip)
    )
    layers.append(
        alt.Chart(demand)
        .mark_line(strokeWidth=2, strokeDash=[6, 4])
        .encode(x=_x(x_title), y=y, color=color, tooltip=tooltip)
    )
    return _finish(alt.layer(*layers), title, HEIGHT)


#: Rows of horizontal bars (the tornado, the waterfall): each name is written above its
#: bars, over the whole width, in lines of at most this many characters (the longest
#: Kyrgyz parameter name, 63 characters, takes two lines and fits a phone's 340 px: the
#: names are whole at every width, where a name on the axis beside the bars was cut).
ROW_LINE_CHARS = 40
ROW_LINE_PX = 13
ROW_FONT_PX = 11
ROW_BAR_PX = 14
#: How far the tornado's central line reaches beyond its bars, above and below together.
CENTRE_OVERHANG_PX = 6
#: Between a name's last line and its own bar, px (the central line reaches 3 px over the bar).
NAME_GAP_PX = 4
#: A row's height beyond its longest name and its bar: the gap above, 4 px under the bar,
#: and room enough that the longest name is clearly nearer its own bar than the one above.
ROW_SPACE_PX = 16
LOW_COLOR = "#D55E00"  # parameter at its low end (Okabe-Ito vermillion)
HIGH_COLOR = "#0072B2"  # parameter at its high end (Okabe-Ito blue)


def _row_names(labels: Sequence[str]) -> tuple[list[dict], int]:
    """Names written above horizontal bars (the tornado's and the waterfall's rows): each
    in lines of at most ROW_LINE_CHARS, and the height of a row that holds the
    longest name and its bar. Each name sits just over its own bar (``top``: its first
    line's top, px from the row's top): a row is as tall as the longest name, and a
    shorter name at the row's top was nearer the bar above it than its own."""
    wrapped = [
        textwrap.wrap(label, ROW_LINE_CHARS, break_on_hyphens=False) or [label] for label in labels
    ]
    most_lines = max((len(lines) for lines in wrapped), default=1)
    row_px = most_lines * ROW_LINE_PX + ROW_BAR_PX + ROW_SPACE_PX
    bar_top = row_px / 2 + _bar_offset(row_px) - ROW_BAR_PX / 2
    names = [
        {
            "label": label,
            "rank": i,
            "lines": "\n".join(lines),
            "n": len(lines),
            "top": bar_top - NAME_GAP_PX - len(lines) * ROW_LINE_PX,
            "top_one": bar_top - NAME_GAP_PX - ROW_LINE_PX,  # drawn on one line
        }
        for i, (label, lines) in enumerate(zip(labels, wrapped, strict=True))
    ]
    return names, row_px


def _bar_offset(row_px: int) -> float:
    """A bar's offset from its row's middle to the foot of the row (under the name)."""
    return row_px / 2 - ROW_BAR_PX / 2 - 4


def _row_y() -> alt.Y:
    """The rows' axis: in the given order, no labels of its own (names are text marks)."""
    return alt.Y(
        "label:N",
        title=None,
        sort=alt.SortField("rank", order="ascending"),
        axis=alt.Axis(labels=False, ticks=False, domain=False),
        scale=alt.Scale(paddingInner=0, paddingOuter=0),
    )


def _row_text(names: list[dict], tooltip_title: str) -> alt.Chart:
    """Each row's name just over its bar, from the left edge over the chart's whole width:
    on one line where the chart is wide enough for the longest, else in its lines (Vega
    decides from the drawn ``width``; a row keeps the height of the lines)."""
    longest = max((len(n["label"]) for n in names), default=0)
    one_line = f"width >= {math.ceil(longest * ROW_FONT_PX * TITLE_CHAR_EM)}"
    return (
        alt.Chart(pd.DataFrame(names))
        .transform_calculate(
            shown=f"{one_line} ? datum.label : datum.lines",
            at=f"{one_line} ? datum.top_one : datum.top",
        )
        .mark_text(
            align="left",
            baseline="top",
            fontSize=ROW_FONT_PX,
            lineHeight=ROW_LINE_PX,
            lineBreak="\n",
            limit=alt.ExprRef("width"),  # (only a name longer than the chart is cut)
        )
        .encode(
            x=alt.value(0),
            y=_row_y(),
            # with an offset channel Vega places a mark from its row's top: px, no scale
            yOffset=alt.YOffset("at:Q", scale=None),
            text="shown:N",
            tooltip=alt.Tooltip("label:N", title=tooltip_title),
        )
        .properties(name="row_names")  # Vega's class of the names (browser tests find them)
    )


def tornado_chart(
    frame: pd.DataFrame,
    *,
    title: str,
    x_title: str,
    low_label: str,
    high_label: str,
    weak_label: str,
    strong_label: str,
    end_title: str,
    source_title: str,
    weak_suffix: str,
    central: float,
    value_format: str = ",.0f",
) -> alt.LayerChart:
    """Horizontal bars from the central output to the output with each parameter at its
    low and its high end, largest swing on top; each parameter's name above its bars.

    ``frame`` columns: label, output_low, output_high, weak (bool), meaning, low, high,
    unit. Weakly sourced rows are pale with a dashed outline, their label ends in
    ``weak_suffix``, and a second legend names them.
    """
    rows, labels = [], []
    for i, r in enumerate(frame.itertuples(index=False)):
        label = f"{r.label}{weak_suffix}" if r.weak else r.label
        labels.append(label)
        for end, out, val in (
            (low_label, r.output_low, r.low),
            (high_label, r.output_high, r.high),
        ):
            rows.append(
                {
                    "label": label,
                    "rank": i,
                    "end": end,
                    "x0": central,
                    "x1": out,
                    "value": out,
                    "setting": val,
                    "unit": r.unit,
                    "meaning": r.meaning,
                    "source": weak_label if r.weak else strong_label,
                    "weak": bool(r.weak),
                }
            )
    data = pd.DataFrame(rows)
    # a row: the name's lines, then the bars (the names over the chart's whole width)
    names, row_px = _row_names(labels)
    y, bar_offset = _row_y(), _bar_offset(row_px)
    tooltip = [
        alt.Tooltip("label:N", title=title),
        alt.Tooltip("end:N", title=end_title),
        alt.Tooltip("setting:Q", format=",.4~g"),
        alt.Tooltip("unit:N"),
        alt.Tooltip("value:Q", title=x_title, format=value_format),
        alt.Tooltip("source:N", title=source_title),
        alt.Tooltip("meaning:N"),
    ]
    # the bars' ends above the chart, the evidence below: side by side, two legends ran
    # off a phone's screen
    legend = {"direction": "vertical", "labelLimit": 320}
    bars = (
        alt.Chart(data)
        .mark_bar(height=ROW_BAR_PX, yOffset=bar_offset)
        .encode(
            x=alt.X(
                "x0:Q", title=x_title, axis=alt.Axis(format=",~f"), scale=alt.Scale(zero=False)
            ),
            x2="x1:Q",
            y=y,
            color=alt.Color(
                "end:N",
                title=end_title,
                scale=alt.Scale(domain=[low_label, high_label], range=[LOW_COLOR, HIGH_COLOR]),
                legend=alt.Legend(orient="top", **legend),
            ),
            opacity=alt.Opacity(
                "source:N",
                title=source_title,
                scale=alt.Scale(domain=[strong_label, weak_label], range=[1.0, 0.35]),
                legend=alt.Legend(
                    orient="bottom",
                    **legend,
                    symbolFillColor=BASELINE_COLOR,
                    symbolStrokeColor="#333333",
                    symbolDash=[3, 2],
                ),
            ),
            stroke=alt.condition("datum.weak", alt.value("#333333"), alt.value(None)),
            strokeDash=alt.condition("datum.weak", alt.value([3, 2]), alt.value([1, 0])),
            strokeWidth=alt.condition("datum.weak", alt.value(1), alt.value(0)),
            tooltip=tooltip,
        )
        .properties(name="row_bars")
    )
    # the central value: a short line in each row, across its bars only (drawn over
    # them); one line down the whole chart crossed the names written over the chart's
    # width (on a phone)
    centre = (
        alt.Chart(
            pd.DataFrame([{"label": n["label"], "rank": n["rank"], "x": central} for n in names])
        )
        .mark_tick(
            color="#000000",
            thickness=1,
            size=ROW_BAR_PX + CENTRE_OVERHANG_PX,
            yOffset=bar_offset,
        )
        .encode(x="x:Q", y=y)
    )
    height = row_px * len(frame)  # rows of exactly row_px: the names are placed by it
    layers = alt.layer(bars, centre, _row_text(names, title))  # the line over the bars
    return _finish(layers, title, height).resolve_legend(color="independent", opacity="independent")


def sobol_chart(
    frame: pd.DataFrame,
    *,
    title: str,
    first_label: str,
    total_label: str,
    index_title: str,
    weak_suffix: str,
) -> alt.Chart:
    """Grouped bars of first-order and total Sobol indices per parameter (frame columns:
    label, S1, ST, weak), largest ST on top; weak rows' labels carry ``weak_suffix``."""
    long = pd.concat(
        [
            frame.assign(index=first_label, value=frame["S1"].clip(lower=0)),
            frame.assign(index=total_label, value=frame["ST"].clip(lower=0)),
        ],
        ignore_index=True,
    )
    long["rank"] = long.groupby("index").cumcount()
    long["label"] = long["label"] + long["weak"].map({True: weak_suffix, False: ""})
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y(
                "label:N",
                title=None,
                sort=alt.SortField("rank", order="ascending"),
                axis=alt.Axis(labelLimit=320),
            ),
            yOffset=alt.YOffset("index:N", sort=[first_label, total_label]),
            x=alt.X("value:Q", title=index_title, scale=alt.Scale(domain=[0, 1])),
            color=alt.Color(
                "index:N",
                title=None,
                scale=alt.Scale(domain=[first_label, total_label], range=["#56B4E9", "#0072B2"]),
                legend=legend_under([first_label, total_label]),
            ),
            opacity=alt.condition("datum.weak", alt.value(0.55), alt.value(1.0)),
            tooltip=[
                alt.Tooltip("label:N"),
                alt.Tooltip("index:N"),
                alt.Tooltip("value:Q", format=".2f"),
            ],
        )
    )
    return chart.properties(
        title=title_params(title),
        height=max(SMALL_HEIGHT, 34 * len(frame)),
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
    )


def waterfall_chart(
    steps: pd.DataFrame,
    *,
    title: str,
    y_title: str,
    step_title: str,
    up_label: str,
    down_label: str,
    total_label: str,
) -> alt.LayerChart:
    """A waterfall on its side: each step (columns label, value, kind in {"step",
    "total"}) starts where the previous ended, the total starts at zero; rises blue,
    falls vermillion, the total grey. Each step's name is written above its bar (as the
    tornado's): standing bars named below could name only every other step on a phone.
    ``y_title`` names the value axis."""
    start, rows = 0.0, []
    for i, r in enumerate(steps.itertuples(index=False)):
        if r.kind == "total":
            lo, hi, kind = 0.0, r.value, total_label
        else:
            lo, hi = start, start + r.value
            start = hi
            kind = up_label if r.value >= 0 else down_label
        rows.append(
            {"label": r.label, "rank": i, "x0": lo, "x1": hi, "value": r.value, "kind": kind}
        )
    data = pd.DataFrame(rows)
    names, row_px = _row_names([r["label"] for r in rows])
    bar_offset = _bar_offset(row_px)
    bars = (
        alt.Chart(data)
        .mark_bar(height=ROW_BAR_PX, yOffset=bar_offset)
        .encode(
            x=alt.X("x0:Q", title=y_title, axis=alt.Axis(format=",~f")),
            x2="x1:Q",
            y=_row_y(),
            color=alt.Color(
                "kind:N",
                title=step_title,
                scale=alt.Scale(
                    domain=[up_label, down_label, total_label],
                    range=[SCENARIO_COLOR, "#D55E00", BASELINE_COLOR],
                ),
                legend=alt.Legend(
                    orient="bottom", direction="vertical", labelLimit=LEGEND_LABEL_PX
                ),
            ),
            tooltip=[
                alt.Tooltip("label:N", title=step_title),
                alt.Tooltip("value:Q", title=y_title, format="+,.0f"),
            ],
        )
        .properties(name="row_bars")
    )
    value = (
        alt.Chart(data)
        .mark_text(align="left", baseline="middle", dx=4, fontSize=12, yOffset=bar_offset)
        .encode(x="end:Q", y=_row_y(), text=alt.Text("value:Q", format="+,.0f"))
        .transform_calculate(end="max(datum.x0, datum.x1)")
    )
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#000000").encode(x="x:Q")
    height = row_px * len(rows)
    return _finish(alt.layer(zero, bars, value, _row_text(names, step_title)), title, height)
