"""Batken scenario model: roads, irrigation and SMEs to GRP, jobs and income.

Pure numpy/scipy; never imports streamlit. The modules, in reading order:

* :mod:`model.levers`: what a scenario may set and how it becomes yearly paths;
* :mod:`model.parameters`: the parameter table (``data/parameters.csv``) and draws;
* :mod:`model.history`: recorded GRP and population in model units;
* :mod:`model.crops`: the with/without crop budgets of an irrigated hectare;
* :mod:`model.districts`: districts, cities and river basins; where each lever goes;
* :mod:`model.core`: the equations (:func:`simulate`, :func:`simulate_places` with the
  split by unit and basin);
* :mod:`model.appraisal`: programme against counterfactual: NPV, benefit-cost ratio,
  EIRR on one convention (base year 2024, 6/9/12%, each asset's life);
* :mod:`model.units`: money at 2020 prices from reported costs;
* :mod:`model.calibration`: the fit to 2007-2023 GRP and the back-test.

Typical use::

    from model import run_scenarios
    result = run_scenarios([{"infrastructure_spend": 500}])
    result.frame(0)            # one row per year
    result.appraisal.summary(0) # NPV, ratio, EIRR at 6%
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.appraisal import DEFAULT_RATE, RATES, Appraisal, appraise
from model.core import BASIN_OUTPUTS, OUTPUTS, SECTORS, simulate, simulate_places
from model.levers import (
    ALL_SETTINGS,
    BASINS,
    CONTEXT,
    DISTRICTS,
    EVERY_SETTING,
    HORIZON_YEAR,
    LEVERS,
    PLACE_SETTINGS,
    PROGRAMME,
    YEARS,
    Inputs,
    build_inputs,
)
from model.parameters import ParameterSet, parameter_table, pert_draws

__all__ = [
    "ALL_SETTINGS",
    "BASINS",
    "BASIN_OUTPUTS",
    "CONTEXT",
    "DEFAULT_RATE",
    "DISTRICTS",
    "EVERY_SETTING",
    "LEVERS",
    "OUTPUTS",
    "PLACE_SETTINGS",
    "PROGRAMME",
    "RATES",
    "SECTORS",
    "YEARS",
    "Appraisal",
    "ParameterSet",
    "ScenarioRuns",
    "appraise",
    "build_inputs",
    "counterfactual_settings",
    "parameter_table",
    "pert_draws",
    "run_scenarios",
    "simulate",
    "simulate_places",
]

#: 3: irrigation water limited river basin by river basin, levers with a place, results
#: by district and city.
MODEL_VERSION = "3"


def counterfactual_settings(settings: Mapping[str, float]) -> dict[str, float]:
    """The same world without the programme: the scenario's context and years, levers at 0."""
    return {**dict(settings), **dict.fromkeys(LEVERS, 0.0)}


def _shown(out: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Outputs cut to the years the dashboard reports (2007-2040)."""
    return {k: v[:, : len(YEARS)] for k, v in out.items()}


@dataclass(frozen=True)
class ScenarioRuns:
    """Scenario runs, the reference baseline and the appraisal of each programme.

    Attributes:
        scenario: outputs of each scenario, arrays ``(n_scenarios, n_years)`` over
            :data:`YEARS` (2007-2040).
        counterfactual: the same context without the programme (levers at 0), same
            parameters; the programme effect and the appraisal are measured against it.
        baseline: the reference baseline (every setting at its default), one row per
            scenario; charts and KPI deltas compare against it.
        appraisals: rate -> :func:`model.appraisal.appraise` of scenario against
            counterfactual, for each rate of :data:`RATES` (on runs to 2065).
        places: with ``by_district=True``: ``"scenario"``, ``"counterfactual"``,
            ``"baseline"`` -> output -> ``(n_scenarios, n_years, n_units)`` by unit
            (:data:`DISTRICTS` order), and ``"basins_scenario"``, ``"basins_baseline"``
            -> basin output -> ``(n_scenarios, n_years, n_basins)``; else None.
    """

    scenario: dict[str, np.ndarray]
    counterfactual: dict[str, np.ndarray]
    baseline: dict[str, np.ndarray]
    appraisals: dict[float, Appraisal]
    places: dict[str, dict[str, np.ndarray]] | None = None

    @property
    def appraisal(self) -> Appraisal:
        """The appraisal at the default rate (6%), or at the only rate asked for."""
        return self.appraisals.get(DEFAULT_RATE) or next(iter(self.appraisals.values()))

    def gain(self, output: str) -> np.ndarray:
        """The programme's effect on ``output``: scenario minus counterfactual, per year."""
        return self.scenario[output] - self.counterfactual[output]

    def frame(self, row: int = 0) -> pd.DataFrame:
        """One row per year: every output of run ``row``, the baseline GRP and the gains."""
        data = {"year": YEARS}
        data.update({k: self.scenario[k][row] for k in OUTPUTS})
        data["grp_baseline"] = self.baseline["grp"][row]
        data["grp_vs_baseline"] = self.scenario["grp"][row] - self.baseline["grp"][row]
        gain = self.scenario["grp"][row] - self.counterfactual["grp"][row]
        demand = (
            self.scenario["va_construction_demand"][row]
            - self.counterfactual["va_construction_demand"][row]
        )
        data["grp_programme_gain"] = gain
        data["grp_construction_demand"] = demand
        data["grp_lasting_gain"] = gain - demand
        return pd.DataFrame(data)

    def district_frame(self, row: int = 0) -> pd.DataFrame:
        """One row per year and unit (district or city): the columns of :meth:`frame`
        plus ``district``; run with ``by_district=True``. Additive columns add up, year by
        year, to the oblast's; per-person columns are the unit's own."""
        if self.places is None:
            raise ValueError("run_scenarios(..., by_district=True) keeps the split")
        scn, cf, base = (self.places[k] for k in ("scenario", "counterfactual", "baseline"))
        frames = []
        for d, unit in enumerate(DISTRICTS):
            data: dict[str, object] = {"year": YEARS, "district": unit}
            data.update({k: scn[k][row, :, d] for k in OUTPUTS})
            data["grp_baseline"] = base["grp"][row, :, d]
            data["grp_vs_baseline"] = scn["grp"][row, :, d] - base["grp"][row, :, d]
            gain = scn["grp"][row, :, d] - cf["grp"][row, :, d]
            demand = (
                scn["va_construction_demand"][row, :, d] - cf["va_construction_demand"][row, :, d]
            )
            data["grp_programme_gain"] = gain
            data["grp_construction_demand"] = demand
            data["grp_lasting_gain"] = gain - demand
            frames.append(pd.DataFrame(data))
        return (
            pd.concat(frames, ignore_index=True)
            .sort_values(
                ["year", "district"],
                key=lambda c: c.map(DISTRICTS.index) if c.name == "district" else c,
            )
            .reset_index(drop=True)
        )


def appraise_all(
    scenario: dict[str, np.ndarray],
    counterfactual: dict[str, np.ndarray],
    x: Inputs,
    params: ParameterSet,
    rates: Sequence[float] = RATES,
) -> dict[float, Appraisal]:
    """:func:`model.appraisal.appraise` at each rate; the EIRR is computed once."""
    first = appraise(scenario, counterfactual, x, params, rates[0])
    out = {float(rates[0]): first}
    for r in rates[1:]:
        out[float(r)] = appraise(scenario, counterfactual, x, params, r, first.eirr)
    return out


def run_scenarios(
    settings: Sequence[Mapping[str, float]],
    params: ParameterSet | None = None,
    rates: Sequence[float] = RATES,
    by_district: bool = False,
) -> ScenarioRuns:
    """Run scenarios, their counterfactuals and the reference baseline in one call.

    Args:
        settings: flat scenario settings, one mapping per scenario (keys of
            :data:`EVERY_SETTING`; missing keys take defaults).
        params: parameters with one row, or one row per scenario; default central.
        rates: discount rates to appraise at (default 6%, 9%, 12%).
        by_district: also keep the split by unit and basin (:attr:`ScenarioRuns.places`);
            the oblast results are the same either way.

    Returns:
        The runs (reported years) and the appraisal of each programme (runs to 2065).
    """
    n = len(settings)
    params = params if params is not None else ParameterSet.central()
    rows = [*settings, *(counterfactual_settings(s) for s in settings), {}]
    if params.n_runs == 1:
        p = params
    else:  # scenario rows, counterfactual rows, then a baseline row per parameter row
        p = ParameterSet({k: np.concatenate([v, v, v]) for k, v in params.items()})
        rows = [*rows[:-1], *([{}] * n)]
    x = build_inputs(rows, last_year=HORIZON_YEAR)
    units: dict[str, np.ndarray] = {}
    basins: dict[str, np.ndarray] = {}
    if by_district:
        out, units, basins = simulate_places(p, x)
    else:
        out = simulate(p, x)

    def part(a: int, b: int) -> dict[str, np.ndarray]:
        return {k: v[a:b] for k, v in out.items()}

    scenario, counterfactual = part(0, n), part(n, 2 * n)
    baseline = (
        part(2 * n, 3 * n)
        if params.n_runs > 1
        else {k: np.repeat(v[2 * n :], n, axis=0) for k, v in out.items()}
    )
    x_scn = build_inputs(list(settings), last_year=HORIZON_YEAR)
    appraisals = appraise_all(scenario, counterfactual, x_scn, params, rates)
    places = None
    if by_district:

        def rows_of(d: dict[str, np.ndarray], a: int, b: int) -> dict[str, np.ndarray]:
            if params.n_runs > 1 or b - a == n:
                return {k: v[a:b, : len(YEARS)] for k, v in d.items()}
            return {k: np.repeat(v[a:b, : len(YEARS)], n, axis=0) for k, v in d.items()}

        base_end = 3 * n if params.n_runs > 1 else 2 * n + 1
        places = {
            "scenario": rows_of(units, 0, n),
            "counterfactual": rows_of(units, n, 2 * n),
            "baseline": rows_of(units, 2 * n, base_end),
            "basins_scenario": rows_of(basins, 0, n),
            "basins_baseline": rows_of(basins, 2 * n, base_end),
        }
    return ScenarioRuns(
        _shown(scenario), _shown(counterfactual), _shown(baseline), appraisals, places
    )
