"""Live while dragging: the cards, the headline and the GRP chart follow a lever's thumb.

Streamlit sends a slider's value only when the planner lets go, and the page then takes
a script run to settle. So that the numbers move with the pointer, each run of the
scenario page also computes every setting's **step table**: the scenario with that one
setting at each of its slider steps, the others as they are (694 scenarios in one
vectorised model call, :func:`model.sweep.step_points`, about 6 ms), and sends it with
the page. A small script (a components-v2 component, no visible element of its own)
watches the sliders: while one moves it looks up the thumb's step and writes the exact
model values into the KPI cards, the headline sentences, and a copy of the GRP chart
drawn over the real one. Nothing goes to the server until the thumb is released; then
Streamlit's own single run replaces every live value with the settled page.

Values are rounded here, in numpy, to the digits the cards show (``np.round``), so the
script only adds separators and signs: a live number reads exactly as the settled card
will. The appraisal cards (ratio, NPV) need the counterfactual and the life-time runs;
they are dimmed while dragging and come back with the release.

Why not a slider of our own (the issue's suggestion): Streamlit's slider keeps its URL
binding, keyboard and touch handling, labels and languages as they are, and every test
and link that knows it keeps working; the script only reads it.
"""

from __future__ import annotations

import base64
from pathlib import Path

import numpy as np
import streamlit as st

from model import ALL_SETTINGS
from model.levers import FIRST_PROJECTION_YEAR
from model.sweep import lever_grid, step_points
from scenarios.settings import Settings
from ui import keys
from ui.compute import Result
from ui.i18n import t
from ui.results import YEARLY_KPIS, kpi_change, value_at

#: The cards that follow the thumb (output, digits shown).
LIVE_KPIS = tuple((k.id, k.digits) for k in YEARLY_KPIS)
#: Cards that cannot follow (they need the counterfactual and the runs to 2065).
STILL_KPIS = ("bcr", "npv")


def _effective(row: dict[str, float]) -> dict[str, float]:
    """The rule of :attr:`Settings.effective`: an end year before the start counts as it."""
    if row["end_year"] < row["start_year"]:
        row["end_year"] = row["start_year"]
    return row


@st.cache_data(max_entries=16, show_spinner=False)
def step_tables(numbers: tuple[tuple[str, float], ...], year: int, measure: str) -> dict:
    """Every setting's step table for the scenario ``numbers`` (cached per scenario):
    rows of all settings one after another, in :data:`model.ALL_SETTINGS` order."""
    base = {k: float(ALL_SETTINGS[k].default) for k in ALL_SETTINGS} | dict(numbers)
    grids = {k: lever_grid(k) for k in ALL_SETTINGS}
    rows = [_effective({**base, k: float(v)}) for k in ALL_SETTINGS for v in grids[k]]
    at_year, path = step_points(
        rows, year, [k for k, _ in LIVE_KPIS], measure, FIRST_PROJECTION_YEAR
    )
    return {
        "grids": {k: (float(g[0]), float(ALL_SETTINGS[k].step), len(g)) for k, g in grids.items()},
        "kpi": at_year,
        "path": path,
    }


def payload(
    settings: Settings,
    result: Result,
    reference: Result | None,
    year: int,
    measure: str,
    chart_frame: dict,
) -> dict:
    """What the script needs: for every step of every setting, each live card's value
    and its change against the cards' reference, rounded as the card shows them, and
    the chart's path in whole units.

    All of it is one array of integers (in units of each number's last digit: a card of
    0 digits in units, a percentage in tenths), each sent as its difference from the one
    before (neighbouring steps give near values) as little-endian int32 in base64: per
    card ``value``, ``diff``, ``pct`` over all rows, then every row's path less the
    scenario's own path. The script adds the differences back up (ui/live.js).
    """
    eff = settings.effective
    # only what differs from the defaults: rows without district placements skip
    # their parsing in build_inputs (most scenarios place nothing)
    tables = step_tables(tuple(sorted(eff.non_default().items())), year, measure)
    path = tables["path"]
    own_path = np.round(result.frame[measure].to_numpy()[-path.shape[1] :])
    blocks = []
    has_pct = {}
    for kid, digits in LIVE_KPIS:
        v = tables["kpi"][kid]
        _, ref = value_at(result, kid, year)
        if reference is not None:
            ref = value_at(reference, kid, year)[0]
        scale = 10**digits
        blocks += [np.round(v * scale), np.round((v - ref) * scale)]
        has_pct[kid] = bool(ref)
        pct = 100 * (v - ref) / ref if ref else np.zeros_like(v)
        blocks.append(np.round(pct * 10))
    blocks.append((np.round(path) - own_path).ravel())
    ints = np.concatenate(blocks).astype(np.int64)
    packed = np.diff(ints, prepend=0).astype("<i4")
    grp, base_grp = value_at(result, "grp", year)
    return {
        "packed": base64.b64encode(packed.tobytes()).decode("ascii"),
        "grids": tables["grids"],
        "kpis": [kid for kid, _ in LIVE_KPIS],
        "has_pct": has_pct,
        "year": year,
        "digits": dict(LIVE_KPIS),
        "still": list(STILL_KPIS),
        "headline_change": kpi_change(grp, base_grp, 0),
        "sep": {"decimal": t("format.decimal"), "thousands": t("format.thousands")},
        "chart": chart_frame,
        "own_path": own_path.astype(int).tolist(),
        "first_path_year": int(FIRST_PROJECTION_YEAR),
    }


def chart_frame(result: Result, measure: str, band: tuple[int, int]) -> dict:
    """The still parts of the GRP chart the live copy draws: baseline, recorded years,
    the scenario's own path, the programme years."""
    from ui.results import recorded_for

    f = result.frame
    years = f["year"].to_numpy()
    hist = recorded_for(measure, f["base_population"], f["year"])
    rec_pairs = [
        [int(y), float(v)]
        for y, v in zip(hist["year"], hist["value"], strict=True)
        if np.isfinite(v)
    ]
    return {
        "title": t(f"chart.grp.title_{measure}"),
        "y_title": t(f"chart.grp.y_{measure}"),
        "labels": [t("series.baseline"), t("series.scenario"), t("series.recorded")],
        "years": years.astype(int).tolist(),
        "baseline": np.round(f[f"base_{measure}"].to_numpy(), 1).tolist(),
        "scenario": np.round(f[measure].to_numpy(), 1).tolist(),
        "recorded": rec_pairs,
        "band": [int(band[0]), int(band[1])],
    }


#: The script (a file beside this module, so that it reads as JavaScript).
_JS = (Path(__file__).with_name("live.js")).read_text(encoding="utf-8")

_live = st.components.v2.component("batken_live", js=_JS)


def mount(data: dict) -> None:
    """Send this run's step tables to the script (no visible element)."""
    _live(key=keys.LIVE, data=data, height=0)
