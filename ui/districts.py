"""Districts and basins in the dashboard: where each lever goes, and the results by place.

The settings of place (:data:`model.levers.PLACE_SETTINGS`: ``<lever>.<unit>`` shares in %,
``water_availability.<basin>``) are part of every :class:`scenarios.settings.Settings`,
but they are not sidebar sliders: the districts page sets them. They live in
``st.session_state[PLACE]`` (not in widgets, so they survive page switches),
:func:`ui.state.capture` reads them with :func:`place_values`, and
:func:`ui.state.apply_settings` (presets, files, reset, undo) sets them with
:func:`apply_place`. A link carries them as ordinary query parameters
(``irrigation_new_ha.kadamjay=70``): read on the session's first run, refused values
reported on the districts page, and written back to the address bar on every run, so a
reload keeps them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import numpy as np
import pandas as pd
import streamlit as st

from model import BASIN_OUTPUTS, BASINS, DISTRICTS, LEVERS, OUTPUTS, PLACE_SETTINGS, run_scenarios
from model.core import CELL_OUTPUT
from model.districts import geography
from model.levers import YEARS, basin_water_key, place_key
from scenarios.settings import format_value, parse_value

#: Session keys of this feature (with the other keys' naming; kept here while
#: ``ui/keys.py`` is being edited by another change).
PLACE = "place_settings"  # {place key: value} that differ from their defaults
PLACE_REFUSED = "place_refused"  # [(key, raw)] refused from the opening link
PLACE_WROTE = "place_wrote"  # (page path, {key: text}) last written to the address bar
PLACE_LEVER = "place_lever"  # the districts page's lever picker
PLACE_MODE = "place_mode"  # prefix of each lever's "oblast-wide / by district" radio
PLACE_W = "place_w"  # prefix of the share sliders' keys
BASIN_W = "basin_w"  # prefix of the basin water sliders' keys
DISTRICT_YEAR = "district_year"  # the districts page's year
DISTRICT_MEASURE = "district_measure"  # the small multiples' measure

PLACE_KEYS: tuple[str, ...] = tuple(PLACE_SETTINGS)
SettingsKey = tuple[tuple[str, float], ...]


def _default(key: str) -> float:
    return float(PLACE_SETTINGS[key].default)


def _from_link() -> dict[str, float]:
    """The settings of place the opening link carries; refused ones are remembered."""
    qp = st.query_params
    values: dict[str, float] = {}
    refused: list[tuple[str, str]] = []
    for key in PLACE_KEYS:
        if key not in qp:
            continue
        raw = qp.get(key) or ""
        value = parse_value(key, raw)
        if value is None:
            refused.append((key, raw[:80]))
        elif value != _default(key):
            values[key] = value
    st.session_state[PLACE_REFUSED] = refused
    return values


def place_values() -> dict[str, float]:
    """The session's settings of place (non-default ones); from the link on first use.

    Called by :func:`ui.state.capture` on every run; keeps the address bar in step.
    """
    ss = st.session_state
    if PLACE not in ss:
        ss[PLACE] = _from_link()
    elif _moved_by_browser():
        # Back or Forward: the address holds another scenario's placement; follow it, as
        # the levers bound to the address do (one history entry = one whole scenario)
        ss[PLACE] = _from_link()
        apply_place(ss[PLACE])
    values = dict(ss[PLACE])
    keep_in_url(values)
    return values


def _url_state() -> tuple[str, dict[str, str]]:
    """(page path, the settings of place in the address bar as text)."""
    try:
        path = urlsplit(st.context.url or "").path
    except Exception:
        path = ""
    qp = st.query_params
    return path, {k: qp.get(k) or "" for k in PLACE_KEYS if k in qp}


def _moved_by_browser() -> bool:
    """True when the address's settings of place are not what this session last wrote
    and the page is the same: the browser went Back or Forward. (A page switch drops
    them from the address without a history step of its own: then the session's stay.)"""
    last = st.session_state.get(PLACE_WROTE)
    if last is None:
        return False
    path, now = _url_state()
    return path == last[0] and now != last[1]


def keep_in_url(values: Mapping[str, float]) -> None:
    """Write the settings of place to the address bar (not bound: page switches drop
    them), and drop the ones at their defaults."""
    qp = st.query_params
    for key in PLACE_KEYS:
        if key in values:
            text = format_value(key, values[key])
            if qp.get(key) != text:
                qp[key] = text
        elif key in qp:
            del qp[key]
    path, _ = _url_state()
    st.session_state[PLACE_WROTE] = (
        path,
        {k: format_value(k, values[k]) for k in PLACE_KEYS if k in values},
    )


def apply_place(settings: Mapping[str, float]) -> None:
    """Set the settings of place from a whole scenario (missing keys to default) and let
    the page's widgets take them on their next render. Call from a callback only."""
    ss = st.session_state
    ss[PLACE] = {
        k: float(settings[k]) for k in PLACE_KEYS if k in settings and settings[k] != _default(k)
    }
    # the page's widget keys are "<prefix>__<lever>..." ; the bare prefixes would also
    # match PLACE_WROTE ("place_wrote"), and clearing it made a Back during the run
    # keep this placement as the session's own
    widgets = tuple(f"{prefix}__" for prefix in (PLACE_W, BASIN_W, PLACE_MODE))
    for k in list(ss.keys()):
        if isinstance(k, str) and k.startswith(widgets):
            del ss[k]


def set_place(key: str, value: float) -> None:
    """Change one setting of place (a share or a basin's water)."""
    ss = st.session_state
    values = dict(ss.get(PLACE) or {})
    if value == _default(key):
        values.pop(key, None)
    else:
        values[key] = float(value)
    ss[PLACE] = values


def lever_placed(values: Mapping[str, float], lever: str) -> bool:
    """True when the planner placed ``lever`` (any share above zero)."""
    return any(values.get(place_key(lever, d), 0.0) > 0 for d in DISTRICTS)


def shares_of(values: Mapping[str, float], lever: str) -> dict[str, float]:
    """The lever's shares in % after normalising (what the model runs), or {} if unplaced."""
    raw = {d: values.get(place_key(lever, d), 0.0) for d in DISTRICTS}
    total = sum(raw.values())
    return {d: 100.0 * v / total for d, v in raw.items()} if total > 0 else {}


def placement_lines(settings: Mapping[str, float]) -> list[str]:
    """Where a scenario places its levers and which basins it dries or wets, one
    translated line each (empty for a scenario spread by the rules)."""
    from ui.i18n import fmt_num, t

    lines = []
    for lever in LEVERS:
        shares = shares_of(settings, lever)
        if shares:
            where = ", ".join(
                f"{t(f'district.{d}')} {fmt_num(v, 0)} %" for d, v in shares.items() if v > 0.05
            )
            lines.append(t("districts.placed_line", lever=t(f"lever.{lever}.label"), where=where))
    for b in BASINS:
        value = float(settings.get(basin_water_key(b), 100.0))
        if value != 100.0:
            lines.append(t("districts.basin_line", name=t(f"basin.{b}"), value=fmt_num(value, 0)))
    return lines


# --- results by place ----------------------------------------------------------------------

#: Indicators of the district table and the small multiples: (output, digits).
MEASURES: tuple[tuple[str, int], ...] = (
    ("grp", 0),
    ("grp_per_capita", 0),
    ("jobs", 0),
    ("irrigated_effective_ha", 0),
    ("road_km_good", 0),
)


@dataclass(frozen=True)
class PlaceResult:
    """One scenario by unit and by basin, with the baseline beside it.

    ``units`` and ``base_units``: output -> ``(n_years, n_units)``; ``basins`` and
    ``base_basins``: basin output -> ``(n_years, n_basins)``; years are :data:`YEARS`.
    """

    units: dict[str, np.ndarray]
    base_units: dict[str, np.ndarray]
    gain_units: dict[str, np.ndarray]
    basins: dict[str, np.ndarray]
    base_basins: dict[str, np.ndarray]

    def at(self, output: str, year: int) -> tuple[np.ndarray, np.ndarray]:
        """(scenario, baseline) of ``output`` in ``year``, one value per unit."""
        c = int(year - YEARS[0])
        return self.units[output][c], self.base_units[output][c]


@st.cache_data(max_entries=64, show_spinner=False)
def run_places(settings: SettingsKey) -> PlaceResult:
    """The scenario with the split by unit and basin (about 2 ms; cached)."""
    runs = run_scenarios([dict(settings)], by_district=True)
    assert runs.places is not None
    p = runs.places
    return PlaceResult(
        units={k: p["scenario"][k][0] for k in OUTPUTS},
        base_units={k: p["baseline"][k][0] for k in OUTPUTS},
        gain_units={k: p["scenario"][k][0] - p["counterfactual"][k][0] for k in OUTPUTS},
        basins={k: p["basins_scenario"][k][0] for k in (*BASIN_OUTPUTS, CELL_OUTPUT)},
        base_basins={k: p["basins_baseline"][k][0] for k in BASIN_OUTPUTS},
    )


BAND_DRAWS = 500  # Monte Carlo draws of the district ranges (about half a second)


@st.cache_data(max_entries=16, show_spinner=False)
def district_gain_bands(settings: SettingsKey, year: int) -> dict[str, tuple[float, float, float]]:
    """Unit -> (5 %, 50 %, 95 %) of the programme's GRP gain in ``year`` (against the same
    world without it) over :data:`BAND_DRAWS` parameter draws: every parameter drawn, the
    units' own shares (cities' weight, Kadamjay's mining, each basin's land and water)
    among them (:func:`model.uncertainty.monte_carlo`)."""
    from model.uncertainty import monte_carlo

    mc = monte_carlo(dict(settings), n_draws=BAND_DRAWS, by_district=True)
    assert mc.district_gain is not None
    band = mc.district_gain["grp"][:, int(year - YEARS[0]), :]
    lo, mid, hi = (mc.quantiles.index(q) for q in (0.05, 0.5, 0.95))
    return {
        d: (float(band[lo, i]), float(band[mid, i]), float(band[hi, i]))
        for i, d in enumerate(DISTRICTS)
    }


def district_rows(result: PlaceResult, year: int) -> list[dict[str, float | str]]:
    """One row per unit: id, then each measure's scenario value and its change against
    the baseline (language-neutral; the page and the exports label them)."""
    rows = []
    for d, unit in enumerate(DISTRICTS):
        row: dict[str, float | str] = {"district": unit}
        for out, _ in MEASURES:
            value, base = result.at(out, year)
            row[out] = float(value[d])
            row[f"{out}_change"] = float(value[d] - base[d])
        rows.append(row)
    return rows


def small_multiples_frame(result: PlaceResult, output: str) -> pd.DataFrame:
    """Long frame for the small multiples: year, unit, series (scenario/baseline), value."""
    n = len(YEARS)
    parts = []
    for series, data in (("scenario", result.units), ("baseline", result.base_units)):
        for d, unit in enumerate(DISTRICTS):
            parts.append(
                pd.DataFrame(
                    {
                        "year": YEARS,
                        "district": [unit] * n,
                        "series": [series] * n,
                        "value": data[output][:, d],
                    }
                )
            )
    return pd.concat(parts, ignore_index=True)


def schematic_dot(
    names: Mapping[str, str],
    basin_names: Mapping[str, str],
    use: Mapping[str, str],
    labels: Mapping[str, str],
    cell_ha: Mapping[tuple[str, str], str],
    full: Mapping[str, bool],
) -> str:
    """A Graphviz schematic (not a map): each basin, how much of its water is in use, an
    arrow to each unit it serves with the hectares. All text is ours (catalog strings and
    numbers), quoted for DOT."""

    def q(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = [
        "digraph places {",
        "  rankdir=LR; bgcolor=transparent; nodesep=0.25; ranksep=0.9;",
        '  node [fontname="DejaVu Sans", fontsize=11, style="rounded,filled", shape=box];',
        '  edge [fontname="DejaVu Sans", fontsize=9, color="#5b7fa6"];',
        f'  subgraph cluster_b {{ label={q(labels["basins"])}; color="#9ab"; fontsize=11;',
    ]
    for b in BASINS:
        fill = "#f6c3b5" if full[b] else "#cfe3f5"
        text = f"{basin_names[b]}\n{labels['in_use'].format(pct=use[b])}"
        lines.append(f"    b_{b} [label={q(text)}, fillcolor={q(fill)}];")
    lines.append("  }")
    lines.append(f'  subgraph cluster_d {{ label={q(labels["units"])}; color="#9ab"; fontsize=11;')
    for d in DISTRICTS:
        lines.append(f'    d_{d} [label={q(names[d])}, fillcolor="#eef2e6"];')
    lines.append("  }")
    for (b, d), ha in cell_ha.items():
        lines.append(f"  b_{b} -> d_{d} [label={q(labels['ha'].format(ha=ha))}];")
    lines.append("}")
    return "\n".join(lines)


def basin_use(result: PlaceResult, year: int) -> dict[str, float]:
    """Each basin's served land as % of what its water can serve in ``year``."""
    c = int(year - YEARS[0])
    served = result.basins["irrigated_served_ha"][c]
    cap = result.basins["water_cap_ha"][c]
    return {b: float(100 * served[i] / cap[i]) if cap[i] > 0 else 0.0 for i, b in enumerate(BASINS)}


def basins_beyond_water(result: PlaceResult) -> dict[str, int]:
    """Basin -> the first projection year its land needs more water than it has."""
    from model.levers import FIRST_PROJECTION_YEAR

    served = result.basins["irrigated_served_ha"]
    cap = result.basins["water_cap_ha"]
    out = {}
    for i, b in enumerate(BASINS):
        over = np.nonzero((served[:, i] > cap[:, i] + 0.5) & (YEARS >= FIRST_PROJECTION_YEAR))[0]
        if len(over):
            out[b] = int(YEARS[over[0]])
    return out


def basins_short_where_added(result: PlaceResult) -> dict[str, int]:
    """:func:`basins_beyond_water`, for the basins where the scenario adds irrigated land
    (its served land above the baseline's in some year): where the programme's hectares
    meet a river that has no water left for them."""
    added = result.basins["irrigated_served_ha"] - result.base_basins["irrigated_served_ha"]
    return {
        b: year
        for b, year in basins_beyond_water(result).items()
        if (added[:, BASINS.index(b)] > 0.5).any()
    }


def cells_in(result: PlaceResult, year: int) -> dict[tuple[str, str], float]:
    """(basin, unit) -> equipped irrigated hectares in ``year`` (the schematic's arrows)."""
    g = geography()
    c = int(year - YEARS[0])
    cells = result.basins[CELL_OUTPUT][c]
    return {
        (BASINS[g.cell_basin[i]], DISTRICTS[g.cell_district[i]]): float(cells[i])
        for i in range(g.n_cells)
    }


__all__ = [
    "LEVERS",
    "MEASURES",
    "PLACE",
    "PLACE_KEYS",
    "PlaceResult",
    "apply_place",
    "basin_use",
    "basin_water_key",
    "cells_in",
    "district_rows",
    "lever_placed",
    "place_values",
    "run_places",
    "schematic_dot",
    "set_place",
    "shares_of",
    "small_multiples_frame",
]
