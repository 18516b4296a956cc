"""Recorded history of Batken oblast, in the model's units.

Reads the tidy files in ``data/`` and returns yearly arrays for 2007-2023:

* ``grp_real``: GRP in million som at constant 2020 prices,
  ``grp_real[y] = grp_current_prices[y] / deflator_2020[y]`` with the national GDP
  deflator (World Bank NY.GDP.DEFL.KD.ZG, chained to 2020 = 1; no regional deflator
  is published).
* ``population``: average resident population on one basis. The NSC switched its
  population base in 2018 (the series implied by GRP / GRP per capita jumps from
  460.5k in 2017 to 519.4k in 2018 while registry estimates grow ~2% a year). We
  chain-link: years before 2018 are scaled by
  ``k = pop[2018] / (pop[2017] * pop[2017] / pop[2016])``, i.e. the old-basis level
  is carried to the new basis with the old basis's own 2016-2017 growth.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from model.levers import FIRST_YEAR, LAST_HISTORY_YEAR
from model.parameters import DATA_DIR

BATKEN = "Batken oblast"


def _read_series(path: Path, indicator: str, geography: str = BATKEN) -> dict[int, float]:
    out: dict[int, float] = {}
    with path.open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["indicator"] == indicator and r["geography"] == geography:
                out[int(r["year"])] = float(r["value"])
    if not out:
        raise ValueError(f"{path.name}: no rows for {indicator!r} in {geography!r}")
    return out


@dataclass(frozen=True)
class History:
    """Recorded series, one value per year from ``years[0]`` to ``years[-1]``."""

    years: np.ndarray
    grp_nominal: np.ndarray
    deflator_2020: np.ndarray
    grp_real: np.ndarray
    population: np.ndarray
    grp_per_capita_real: np.ndarray
    source_grp: str


@cache
def load_history(data_dir: Path = DATA_DIR) -> History:
    """Load GRP, deflator and population for 2007-2023 from ``data_dir``."""
    years = np.arange(FIRST_YEAR, LAST_HISTORY_YEAR + 1)
    grp = _read_series(data_dir / "grp.csv", "grp_current_prices")
    deflator: dict[int, float] = {}
    with (data_dir / "deflator.csv").open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            deflator[int(r["year"])] = float(r["gdp_deflator_index_2020"])
    pop_implied = _read_series(data_dir / "population.csv", "population_implied_by_grp_per_capita")
    missing = [int(y) for y in years if y not in grp or y not in deflator or y not in pop_implied]
    if missing:
        raise ValueError(f"history incomplete, missing years {missing}")

    link = pop_implied[2018] / (pop_implied[2017] ** 2 / pop_implied[2016])
    year_list = [int(y) for y in years]
    population = np.array(
        [pop_implied[y] * (link if y < 2018 else 1.0) for y in year_list], dtype=float
    )
    grp_nominal = np.array([grp[y] for y in year_list], dtype=float)
    defl = np.array([deflator[y] for y in year_list], dtype=float)
    grp_real = grp_nominal / defl
    with (data_dir / "grp.csv").open(newline="", encoding="utf-8") as f:
        source = next(
            r["source"] for r in csv.DictReader(f) if r["indicator"] == "grp_current_prices"
        )
    return History(
        years=years,
        grp_nominal=grp_nominal,
        deflator_2020=defl,
        grp_real=grp_real,
        population=population,
        grp_per_capita_real=grp_real * 1e6 / population,
        source_grp=source,
    )
