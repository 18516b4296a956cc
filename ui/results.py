"""Results shared by the pages: KPI definitions, recorded history, long frames for charts."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from model import SECTORS
from model.levers import FIRST_PROJECTION_YEAR, LAST_YEAR
from model.parameters import CALIBRATION_JSON
from ui.compute import Result

KPI_YEARS = tuple(range(FIRST_PROJECTION_YEAR, LAST_YEAR + 1))
DEFAULT_KPI_YEAR = 2035


@dataclass(frozen=True)
class Kpi:
    """A yearly indicator shown as a KPI card and in the compare tables."""

    id: str  # catalog key kpi.<id>, and the frame column
    digits: int = 0


#: Yearly KPIs (delta against the baseline in the same year).
YEARLY_KPIS = (
    Kpi("grp"),
    Kpi("grp_per_capita"),
    Kpi("jobs"),
    Kpi("sme_count"),
    Kpi("irrigated_effective_ha"),
    Kpi("programme_cost_cumulative"),
)


def value_at(result: Result, column: str, year: int) -> tuple[float, float]:
    """(scenario, baseline) value of ``column`` in ``year``."""
    frame = result.frame
    i = int(np.searchsorted(frame["year"].to_numpy(), year))  # years are sorted
    base = f"base_{column}"
    return (
        float(frame[column].to_numpy()[i]),
        float(frame[base].to_numpy()[i]) if base in frame.columns else 0.0,
    )


def kpi_change(value: float, base: float, digits: int, lang: str | None = None) -> str:
    """The change of a KPI against its reference as shown everywhere (cards, compare
    tables, the brief): ``+1 234 (+4.5 %)``; no percentage when the reference is 0."""
    from ui.i18n import fmt_signed

    diff = fmt_signed(value - base, digits, lang=lang)
    pct = f" ({fmt_signed(100 * (value - base) / base, 1, lang=lang)} %)" if base else ""
    return diff + pct


def net_npv(result: Result) -> float:
    """Net present value of the programme at 6% (million som): lasting net benefit less
    cost, by the convention of :mod:`model.appraisal`."""
    return result.npv


#: Rows of the appraisal table: (summary key, kind) where kind picks the format.
APPRAISAL_ROWS: tuple[tuple[str, str], ...] = (
    ("pv_benefit", "money"),
    ("pv_residual", "money"),
    ("pv_cost", "money"),
    ("npv", "money"),
    ("bcr", "ratio"),
    ("eirr", "pct"),
    ("pv_construction_demand", "money"),
    ("cost", "money"),
    ("horizon", "year"),
)


def fmt_appraisal(kind: str, value: float | int | None, fmt_num, na: str) -> str:
    """One appraisal figure as text: money without decimals, ratio with two, EIRR in %."""
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return na
    if kind == "ratio":
        return fmt_num(value, 2)
    if kind == "pct":
        return f"{fmt_num(100 * value, 1)} %"
    if kind == "year":
        return str(int(value))
    return fmt_num(value)


def appraisal_table(result: Result, label, rate_label, fmt_num, na: str) -> pd.DataFrame:
    """The appraisal at every rate, one row per figure, one column per rate (text).

    ``label(key)`` names a row, ``rate_label(rate)`` a column; formatting is the
    caller's language's (``fmt_num``)."""
    rows = []
    for key, kind in APPRAISAL_ROWS:
        row = {"": label(key)}
        for rate, summary in result.appraisal.items():
            row[rate_label(rate)] = fmt_appraisal(kind, summary[key], fmt_num, na)
        rows.append(row)
    return pd.DataFrame(rows)


@cache
def recorded_history() -> pd.DataFrame:
    """Recorded GRP (million som, 2020 prices), from ``data/calibration.json``."""
    try:
        series = json.loads(CALIBRATION_JSON.read_text(encoding="utf-8"))["series"]
        return pd.DataFrame(
            {
                "year": np.asarray(series["year"], dtype=int),
                "grp": np.asarray(series["recorded"], dtype=float),
            }
        )
    except (OSError, KeyError, ValueError):
        return pd.DataFrame({"year": np.array([], dtype=int), "grp": np.array([], dtype=float)})


def recorded_for(measure: str, population: pd.Series, years: pd.Series) -> pd.DataFrame:
    """Recorded history as (year, value); per capita divides by the model's population."""
    rec_years, values = recorded_values(measure, population, years)
    return pd.DataFrame({"year": rec_years, "value": values})


def recorded_values(
    measure: str, population: pd.Series, years: pd.Series
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`recorded_for` as (years, values) arrays, without a frame: every slider move
    draws the record (a frame and its renaming cost ~2 ms a run)."""
    rec = recorded_history()
    rec_years, grp = rec["year"].to_numpy(), rec["grp"].to_numpy()
    if measure == "grp":
        return rec_years, grp
    pop = dict(zip(years.to_numpy().tolist(), population.to_numpy().tolist(), strict=True))
    return rec_years, grp * 1e6 / np.array([pop.get(y, np.nan) for y in rec_years.tolist()])


def with_history(
    frame: pd.DataFrame, measure: str, base: str, scenario: str, recorded: str
) -> pd.DataFrame:
    """Baseline, scenario and recorded history of ``measure`` (GRP or per person) as one
    long frame (year, series, value; NaN where there is no number): what every GRP chart
    draws. The rows of :func:`history_records`."""
    rows = history_records(frame, measure, base, scenario, recorded)
    return pd.DataFrame(
        {
            "year": np.array([r["year"] for r in rows], dtype=int),
            "series": [r["series"] for r in rows],
            "value": np.array([np.nan if r["value"] is None else r["value"] for r in rows]),
        }
    )


def history_records(
    frame: pd.DataFrame, measure: str, base: str, scenario: str, recorded: str
) -> list[dict]:
    """Baseline, scenario and recorded history of ``measure`` as the chart's data rows
    (``year``, ``series``, ``value``; None where there is no number), built without
    pandas: this is on every slider move's path, where a frame, its concatenation and
    its JSON cost ~4 ms."""
    years = frame["year"].to_numpy().tolist()
    rec_years, rec_values = recorded_values(measure, frame["base_population"], frame["year"])
    parts = (
        (base, years, frame[f"base_{measure}"].to_numpy().tolist()),
        (scenario, years, frame[measure].to_numpy().tolist()),
        (recorded, rec_years.tolist(), rec_values.tolist()),
    )
    return [
        {"year": int(y), "series": label, "value": v if math.isfinite(v) else None}
        for label, ys, vs in parts
        for y, v in zip(ys, vs, strict=True)
    ]


def long_series(pairs: list[tuple[str, pd.Series, pd.Series]]) -> pd.DataFrame:
    """A long frame (year, series, value) from (label, years, values) triples."""
    parts = [
        pd.DataFrame({"year": y.to_numpy(), "series": label, "value": v.to_numpy()})
        for label, y, v in pairs
    ]
    return pd.concat(parts, ignore_index=True)


def sectors_long(frame: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """Sector value added of a scenario, long, labels translated."""
    return long_series([(labels[s], frame["year"], frame[s]) for s in SECTORS])
