"""Levers, context assumptions and programme years: what a scenario may set.

Levers are programmes **on top of the baseline** (the calibrated current-policy path,
which already contains today's spending); every lever at zero is the baseline. Each
lever is active in the programme years ``start_year..end_year`` inclusive and zero
outside them. Context assumptions describe the world rather than the programme and
apply to every projection year (2024 on); at their defaults they are the baseline's.

The keys below are a public contract: they are the keys of scenario files, of the
dashboard's widgets and of share links. Never rename one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

FIRST_YEAR = 2007
LAST_HISTORY_YEAR = 2023
LAST_YEAR = 2040
YEARS = np.arange(FIRST_YEAR, LAST_YEAR + 1)
FIRST_PROJECTION_YEAR = LAST_HISTORY_YEAR + 1


@dataclass(frozen=True)
class Setting:
    """A number a scenario may set, with its unit, bounds, default and slider step."""

    key: str
    unit: str
    low: float
    high: float
    default: float
    step: float
    group: str
    meaning: str


LEVERS: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting("infrastructure_spend", "million som per year", 0, 5000, 0, 50, "roads",
                "Extra road construction and rehabilitation spending"),
        Setting("road_maintenance", "million som per year", 0, 1000, 0, 10, "roads",
                "Extra road maintenance spending"),
        Setting("irrigation_new_ha", "ha per year", 0, 5000, 0, 100, "irrigation",
                "New irrigated land started per year (arrives after the construction lag)"),
        Setting("irrigation_rehab_ha", "ha per year", 0, 10000, 0, 100, "irrigation",
                "Degraded irrigated land rehabilitated per year"),
        Setting("sme_support", "million som per year", 0, 1000, 0, 10, "sme",
                "Grants and credit for small and medium enterprises"),
    )
}

CONTEXT: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting("apricot_price", "som per kg", 10, 80, 30, 1, "context",
                "Farm-gate price of fresh apricots"),
        Setting("water_availability", "% of normal", 50, 150, 100, 5, "context",
                "Irrigation water available, in % of a normal year (drought < 100; "
                "new storage > 100)"),
        Setting("mining_growth", "% per year", -10, 10, 2, 0.5, "context",
                "Real growth of mining and industry output"),
    )
}

PROGRAMME: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting("start_year", "year", FIRST_PROJECTION_YEAR, LAST_YEAR, 2027, 1, "programme",
                "First year of programme spending"),
        Setting("end_year", "year", FIRST_PROJECTION_YEAR, LAST_YEAR, 2036, 1, "programme",
                "Last year of programme spending"),
    )
}

ALL_SETTINGS: dict[str, Setting] = {**LEVERS, **CONTEXT, **PROGRAMME}


@dataclass(frozen=True)
class Inputs:
    """Yearly input paths, each of shape ``(n_runs, n_years)`` over :data:`YEARS`.

    Lever paths are zero outside the programme years; context paths hold the
    baseline value in history years.
    """

    infrastructure_spend: np.ndarray
    road_maintenance: np.ndarray
    irrigation_new_ha: np.ndarray
    irrigation_rehab_ha: np.ndarray
    sme_support: np.ndarray
    apricot_price: np.ndarray
    water_availability: np.ndarray
    mining_growth: np.ndarray
    start_year: np.ndarray

    @property
    def n_runs(self) -> int:
        """Number of runs (rows)."""
        return self.infrastructure_spend.shape[0]


def build_inputs(settings: Sequence[Mapping[str, float]]) -> Inputs:
    """Turn flat scenario settings into yearly input paths, one row per scenario.

    Args:
        settings: one mapping per scenario from keys of :data:`ALL_SETTINGS` to
            values; a missing key takes its default.

    Returns:
        The paths. ``programme[t] = lever`` for ``start_year <= t <= end_year``, else 0;
        ``context[t] = value`` for ``t >= 2024``, else the default.
    """
    n = len(settings)
    if n == 0:
        raise ValueError("build_inputs needs at least one scenario")
    values = {k: np.empty(n) for k in ALL_SETTINGS}
    for i, s in enumerate(settings):
        unknown = set(s) - set(ALL_SETTINGS)
        if unknown:
            raise KeyError(f"unknown setting(s): {sorted(unknown)}")
        for k, spec in ALL_SETTINGS.items():
            values[k][i] = float(s.get(k, spec.default))
    years = YEARS[None, :]
    active = (years >= values["start_year"][:, None]) & (years <= values["end_year"][:, None])
    projection = np.broadcast_to(years >= FIRST_PROJECTION_YEAR, active.shape)
    paths = {k: np.where(active, values[k][:, None], 0.0) for k in LEVERS}
    for k, spec in CONTEXT.items():
        paths[k] = np.where(projection, values[k][:, None], spec.default)
    return Inputs(**paths, start_year=values["start_year"].astype(int))
