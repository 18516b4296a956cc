"""Batken scenario model: roads, irrigation and SMEs to GRP, jobs and income.

Pure numpy/scipy; never imports streamlit. The modules, in reading order:

* :mod:`model.levers`: what a scenario may set and how it becomes yearly paths;
* :mod:`model.parameters`: the parameter table (``data/parameters.csv``) and draws;
* :mod:`model.history`: recorded GRP and population in model units;
* :mod:`model.core`: the equations (:func:`simulate`);
* :mod:`model.economics`: scenario against baseline, NPV and benefit-cost ratio;
* :mod:`model.calibration`: the fit to 2007-2023 GRP and the back-test.

Typical use::

    from model import run_scenarios
    result = run_scenarios([{"infrastructure_spend": 500}])
    result.frame(0)            # one row per year
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.core import OUTPUTS, SECTORS, simulate
from model.economics import compare
from model.levers import ALL_SETTINGS, CONTEXT, LEVERS, PROGRAMME, YEARS, build_inputs
from model.parameters import ParameterSet, parameter_table, pert_draws

__all__ = [
    "ALL_SETTINGS",
    "CONTEXT",
    "LEVERS",
    "OUTPUTS",
    "PROGRAMME",
    "SECTORS",
    "YEARS",
    "ParameterSet",
    "ScenarioRuns",
    "build_inputs",
    "compare",
    "counterfactual_settings",
    "parameter_table",
    "pert_draws",
    "run_scenarios",
    "simulate",
]

MODEL_VERSION = "1"


def counterfactual_settings(settings: Mapping[str, float]) -> dict[str, float]:
    """The same world without the programme: the scenario's context and years, levers at 0."""
    return {**dict(settings), **dict.fromkeys(LEVERS, 0.0)}


@dataclass(frozen=True)
class ScenarioRuns:
    """Scenario runs, the reference baseline and the appraisal of each programme.

    Attributes:
        scenario: outputs of each scenario, arrays ``(n_scenarios, n_years)``.
        counterfactual: the same context without the programme (levers at 0), same
            parameters; the programme effect and the appraisal are measured against it.
        baseline: the reference baseline (every setting at its default), one row per
            scenario; charts and KPI deltas compare against it.
        appraisal: :func:`model.economics.compare` of scenario against counterfactual.
    """

    scenario: dict[str, np.ndarray]
    counterfactual: dict[str, np.ndarray]
    baseline: dict[str, np.ndarray]
    appraisal: dict[str, np.ndarray]

    def frame(self, row: int = 0) -> pd.DataFrame:
        """One row per year: every output of run ``row``, the baseline GRP and the gains."""
        data = {"year": YEARS}
        data.update({k: self.scenario[k][row] for k in OUTPUTS})
        data["grp_baseline"] = self.baseline["grp"][row]
        data["grp_vs_baseline"] = self.scenario["grp"][row] - self.baseline["grp"][row]
        data["grp_programme_gain"] = self.appraisal["grp_gain"][row]
        return pd.DataFrame(data)


def run_scenarios(
    settings: Sequence[Mapping[str, float]], params: ParameterSet | None = None
) -> ScenarioRuns:
    """Run scenarios, their counterfactuals and the reference baseline in one call.

    Args:
        settings: flat scenario settings, one mapping per scenario (keys of
            :data:`ALL_SETTINGS`; missing keys take defaults).
        params: parameters with one row, or one row per scenario; default central.

    Returns:
        The runs and the appraisal of each programme.
    """
    n = len(settings)
    params = params if params is not None else ParameterSet.central()
    rows = [*settings, *(counterfactual_settings(s) for s in settings), {}]
    x = build_inputs(rows)
    if params.n_runs == 1:
        p = params
    else:  # scenario rows, counterfactual rows, then a baseline row per parameter row
        p = ParameterSet({k: np.concatenate([v, v, v]) for k, v in params.items()})
        x = build_inputs([*rows[:-1], *([{}] * n)])
    out = simulate(p, x)
    part = lambda a, b: {k: v[a:b] for k, v in out.items()}  # noqa: E731
    scenario, counterfactual = part(0, n), part(n, 2 * n)
    baseline = part(2 * n, 3 * n) if params.n_runs > 1 else {
        k: np.repeat(v[2 * n:], n, axis=0) for k, v in out.items()
    }
    appraisal = compare(scenario, counterfactual, x.start_year[:n], params["discount_rate"])
    return ScenarioRuns(scenario, counterfactual, baseline, appraisal)
