r"""Sensitivity of the programme effect to the parameters: tornado and Sobol indices.

The output :math:`f(\theta)` is a programme metric in one year, by default the GRP gain
:math:`\Delta_t(\theta) = GRP^{scn}_t(\theta) - GRP^{cf}_t(\theta)` (scenario minus the
same context without the programme, same parameters).

**Tornado** (one-at-a-time, Saltelli et al. 2008, *Global Sensitivity Analysis. The
Primer*, 1.2.2): with :math:`\theta^0` the central values and
:math:`\theta^{i\pm}` the central set with parameter :math:`i` at its low / high::

    swing_i = | f(theta^{i+}) - f(theta^{i-}) |

All ``2k + 1`` parameter sets (and their counterfactuals) run in one vectorised call.

**Sobol** (variance-based, Saltelli et al. 2010, *Comput. Phys. Commun.* 181:259-270;
Jansen 1999), parameters uniform on ``[low, high]``::

    S1_i = V[E(f | theta_i)] / V(f)          first-order index
    ST_i = E[V(f | theta_~i)] / V(f)         total index

estimated with SALib (Herman & Usher 2017, *JOSS* 2(9)): ``N (k + 2)`` Saltelli-Sobol'
sample points, bootstrap confidence intervals.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from model.appraisal import DEFAULT_RATE, appraise
from model.levers import HORIZON_YEAR, YEARS, build_inputs
from model.parameters import INTEGER_PARAMETERS, ParameterInfo, ParameterSet, parameter_table
from model.uncertainty import paired_runs

__all__ = [
    "METRICS",
    "SobolResult",
    "SobolRow",
    "TornadoResult",
    "TornadoRow",
    "metric_values",
    "sobol",
    "tornado",
    "uncertain_parameters",
]

#: Metrics a sensitivity analysis can explain (all but ``npv`` read one year).
METRICS: dict[str, str] = {
    "grp_gain": "GRP gain against the counterfactual, million som (2020 prices)",
    "jobs_gain": "jobs gain against the counterfactual, persons",
    "grp_per_capita_gain": "GRP per capita gain, som per person (2020 prices)",
    "grp": "scenario GRP, million som (2020 prices)",
    "npv": "net present value of the programme at 6% (model.appraisal), million som",
}


def uncertain_parameters(include_calibrated: bool = False) -> list[ParameterInfo]:
    """Rows of the parameter table with a range (``high > low``), in table order.

    Calibrated rows are left out by default: their uncertainty is the fit's (as in
    :func:`model.parameters.pert_draws`).
    """
    return [
        p
        for p in parameter_table()
        if p.uncertain and (include_calibrated or p.kind != "calibrated")
    ]


def metric_values(
    settings: Mapping[str, float], params: ParameterSet, metric: str, year: int
) -> np.ndarray:
    """The metric for every parameter row, shape ``(n,)``; one vectorised model call."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; choose from {sorted(METRICS)}")
    if not YEARS[0] <= year <= YEARS[-1]:
        raise ValueError(f"year {year} outside {YEARS[0]}-{YEARS[-1]}")
    c = int(year - YEARS[0])
    if metric == "npv":
        scn, cf = paired_runs(settings, params, last_year=HORIZON_YEAR)
        x = build_inputs([dict(settings)], last_year=HORIZON_YEAR)
        return appraise(scn, cf, x, params, DEFAULT_RATE, with_eirr=False).npv
    scn, cf = paired_runs(settings, params)
    if metric == "grp":
        return scn["grp"][:, c].copy()
    out = metric.removesuffix("_gain")
    return scn[out][:, c] - cf[out][:, c]


@dataclass(frozen=True)
class TornadoRow:
    """One bar of the tornado: the metric with one parameter at its low and its high."""

    name: str
    unit: str
    kind: str
    confidence: str
    meaning: str
    low: float
    central: float
    high: float
    output_low: float
    output_high: float

    @property
    def swing(self) -> float:
        """``|output_high - output_low|``."""
        return abs(self.output_high - self.output_low)

    @property
    def weakly_sourced(self) -> bool:
        """True for confidence ``L`` (an assumption with little local evidence)."""
        return self.confidence == "L"


@dataclass(frozen=True)
class TornadoResult:
    """Tornado rows sorted by swing (largest first) and the central metric."""

    metric: str
    year: int
    central_output: float
    rows: tuple[TornadoRow, ...]

    def frame(self) -> pd.DataFrame:
        """One row per parameter, largest swing first."""
        return pd.DataFrame(
            [
                {**r.__dict__, "swing": r.swing, "weakly_sourced": r.weakly_sourced}
                for r in self.rows
            ]
        )


def tornado(
    settings: Mapping[str, float],
    year: int,
    metric: str = "grp_gain",
    names: Sequence[str] | None = None,
) -> TornadoResult:
    """One-at-a-time sensitivity of ``metric`` in ``year`` to each uncertain parameter.

    Args:
        settings: flat scenario settings.
        year: the year the metric is read (ignored for ``npv``).
        metric: a key of :data:`METRICS`.
        names: parameters to move; default every uncertain, non-calibrated one.

    Returns:
        Rows sorted by swing, largest first (ties by name, so the order is stable),
        with unit, kind and confidence of each parameter.
    """
    table = {p.name: p for p in parameter_table()}
    infos = [table[n] for n in names] if names is not None else uncertain_parameters()
    k = len(infos)
    params = ParameterSet.central(2 * k + 1)
    for i, p in enumerate(infos):  # row 2i: low, row 2i+1: high, row 2k: central
        params[p.name] = params[p.name].copy()
        params[p.name][2 * i, 0] = p.low
        params[p.name][2 * i + 1, 0] = p.high
    y = metric_values(settings, params, metric, year)
    rows = [
        TornadoRow(
            p.name,
            p.unit,
            p.kind,
            p.confidence,
            p.meaning,
            p.low,
            p.value,
            p.high,
            float(y[2 * i]),
            float(y[2 * i + 1]),
        )
        for i, p in enumerate(infos)
    ]
    rows.sort(key=lambda r: (-r.swing, r.name))
    return TornadoResult(metric, year, float(y[2 * k]), tuple(rows))


@dataclass(frozen=True)
class SobolRow:
    """Sobol indices of one parameter with half-widths of their confidence intervals."""

    name: str
    S1: float
    S1_conf: float
    ST: float
    ST_conf: float
    confidence: str
    kind: str
    unit: str


@dataclass(frozen=True)
class SobolResult:
    """Sobol indices sorted by ST (largest first), with the sample size used."""

    metric: str
    year: int
    n_base: int
    n_evaluations: int
    rows: tuple[SobolRow, ...]
    output_mean: float
    output_std: float

    def frame(self) -> pd.DataFrame:
        """One row per parameter, largest ST first."""
        return pd.DataFrame([r.__dict__ for r in self.rows])

    def top(self, n: int = 5) -> list[str]:
        """Names of the ``n`` parameters with the largest total index."""
        return [r.name for r in self.rows[:n]]


def sobol(
    settings: Mapping[str, float],
    year: int,
    n_base: int = 256,
    names: Sequence[str] | None = None,
    seed: int = 20130426,
    progress: Callable[[float], None] | None = None,
    metric: str = "grp_gain",
    chunk: int = 4096,
    num_resamples: int = 100,
) -> SobolResult:
    """Sobol first-order and total indices of ``metric`` in ``year`` (SALib).

    Args:
        settings: flat scenario settings.
        year: the year the metric is read (ignored for ``npv``).
        n_base: SALib base sample size ``N`` (a power of 2); ``N (k + 2)`` model runs.
        names: parameters to vary (uniform on the table's range); default every
            uncertain, non-calibrated one. Others stay central.
        seed: seed of the scrambled Sobol' sequence and of the bootstrap.
        progress: called with the fraction done (0-1] after each chunk of runs.
        metric: a key of :data:`METRICS`.
        chunk: parameter rows per vectorised model call.
        num_resamples: bootstrap resamples for the confidence intervals.

    Returns:
        Indices per parameter sorted by ST, with 95 % confidence half-widths.
    """
    # SALib (and the scipy.stats it loads) costs ~0.25 s to import: only on demand.
    from SALib.analyze import sobol as sobol_analyze
    from SALib.sample import sobol as sobol_sample

    table = {p.name: p for p in parameter_table()}
    infos = [table[n] for n in names] if names is not None else uncertain_parameters()
    problem = {
        "num_vars": len(infos),
        "names": [p.name for p in infos],
        "bounds": [[p.low, p.high] for p in infos],
    }
    x = sobol_sample.sample(problem, n_base, calc_second_order=False, seed=seed)
    for j, p in enumerate(infos):  # lags are whole years; the model rounds them as well
        if p.name in INTEGER_PARAMETERS:
            x[:, j] = np.round(x[:, j])
    n = x.shape[0]
    y = np.empty(n)
    central = ParameterSet.central()
    for a in range(0, n, chunk):
        b = min(n, a + chunk)
        params = ParameterSet({k: np.repeat(v, b - a, axis=0) for k, v in central.items()})
        for j, p in enumerate(infos):
            params[p.name] = x[a:b, j : j + 1].copy()
        y[a:b] = metric_values(settings, params, metric, year)
        if progress is not None:
            progress(b / n)
    if np.std(y) == 0:
        raise ValueError(f"{metric} in {year} does not vary; nothing to attribute")
    si = sobol_analyze.analyze(
        problem, y, calc_second_order=False, num_resamples=num_resamples, seed=seed
    )
    rows = [
        SobolRow(
            p.name,
            float(si["S1"][j]),
            float(si["S1_conf"][j]),
            float(si["ST"][j]),
            float(si["ST_conf"][j]),
            p.confidence,
            p.kind,
            p.unit,
        )
        for j, p in enumerate(infos)
    ]
    rows.sort(key=lambda r: (-r.ST, r.name))
    return SobolResult(metric, year, n_base, n, tuple(rows), float(y.mean()), float(y.std()))
