"""The parameter table: one CSV that the model, the dashboard and the Monte Carlo all read.

``data/parameters.csv`` holds one row per parameter: ``name, value, low, high, unit,
group, kind, confidence, meaning, source``.  ``kind`` says where the value comes from
(``literature``, ``data``, ``derived``, ``assumption`` or ``calibrated``); rows of kind
``calibrated`` take their value from ``data/calibration.json`` when that file exists,
so the table keeps the prior and the fit lives beside it.

A :class:`ParameterSet` maps each name to a column array of shape ``(n_runs, 1)`` so
every equation broadcasts over runs (scenarios, Monte Carlo draws) and years at once.

Draws use the beta-PERT distribution on ``[low, mode, high]`` (Vose 2008, *Risk
Analysis*, ch. 9)::

    alpha = 1 + 4 (mode - low) / (high - low)
    beta  = 1 + 4 (high - mode) / (high - low)
    x     = low + (high - low) * Beta(alpha, beta)

The calibrated parameters are drawn jointly from the fit's estimated distribution,
``theta ~ N(theta_hat, cov)`` with the least-squares covariance stored in
``data/calibration.json`` (:mod:`model.calibration`), clipped to the table's bounds: a
faster productivity trend comes with a lower 2023 level, as the fit says (correlation
0.87), instead of each being drawn on its own.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
PARAMETERS_CSV = DATA_DIR / "parameters.csv"
CALIBRATION_JSON = DATA_DIR / "calibration.json"

#: Parameters that must be whole numbers of years (used as lags).
INTEGER_PARAMETERS = frozenset(
    {
        "road_build_years",
        "irr_lag_years",
        "sme_loan_term_years",
        "road_asset_life_years",
        "irr_asset_life_years",
        "sme_asset_life_years",
    }
)


@dataclass(frozen=True)
class ParameterInfo:
    """One row of the parameter table."""

    name: str
    value: float
    low: float
    high: float
    unit: str
    group: str
    kind: str
    confidence: str
    meaning: str
    source: str

    @property
    def uncertain(self) -> bool:
        """True when the table gives a range wider than a point."""
        return self.high > self.low


@cache
def parameter_table(use_calibration: bool = True) -> tuple[ParameterInfo, ...]:
    """Read the parameter table, with calibrated values merged in.

    Args:
        use_calibration: take the value of each ``calibrated`` row from
            ``data/calibration.json`` (written by ``python -m model calibrate``); with
            False, every row keeps the prior written in the table.

    Returns:
        The rows, in file order.
    """
    path, calibration = PARAMETERS_CSV, CALIBRATION_JSON
    fitted: dict[str, float] = {}
    if use_calibration and calibration.exists():
        fitted = json.loads(calibration.read_text(encoding="utf-8"))["parameters"]
    rows = []
    with path.open(newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            value = float(r["value"])
            if r["kind"] == "calibrated" and r["name"] in fitted:
                value = float(fitted[r["name"]])
            rows.append(
                ParameterInfo(
                    name=r["name"],
                    value=value,
                    low=float(r["low"]),
                    high=float(r["high"]),
                    unit=r["unit"],
                    group=r["group"],
                    kind=r["kind"],
                    confidence=r["confidence"],
                    meaning=r["meaning"],
                    source=r["source"],
                )
            )
    return tuple(rows)


def central_values(use_calibration: bool = True) -> dict[str, float]:
    """Name -> central (or calibrated) value of every parameter."""
    return {p.name: p.value for p in parameter_table(use_calibration)}


class ParameterSet(dict[str, np.ndarray]):
    """Parameters as column arrays of shape ``(n_runs, 1)``.

    Build one with :meth:`central` (one or more identical runs) or :meth:`from_draws`.
    """

    @property
    def n_runs(self) -> int:
        """Number of runs (rows)."""
        return next(iter(self.values())).shape[0]

    @classmethod
    def central(
        cls, n_runs: int = 1, use_calibration: bool = True, **overrides: float
    ) -> ParameterSet:
        """All parameters at their central values, repeated for ``n_runs`` runs.

        Args:
            n_runs: number of rows.
            use_calibration: use the fitted values of calibrated parameters.
            **overrides: parameter values to use instead of the table's.
        """
        return cls.with_values(overrides, n_runs, use_calibration)

    @classmethod
    def with_values(
        cls, overrides: Mapping[str, float], n_runs: int = 1, use_calibration: bool = True
    ) -> ParameterSet:
        """:meth:`central` with the values of ``overrides`` instead of the table's."""
        values = central_values(use_calibration)
        unknown = set(overrides) - set(values)
        if unknown:
            raise KeyError(f"unknown parameter(s): {sorted(unknown)}")
        values.update(overrides)
        return cls({k: np.full((n_runs, 1), float(v)) for k, v in values.items()})

    @classmethod
    def from_draws(cls, draws: dict[str, np.ndarray]) -> ParameterSet:
        """Central values, with the given names replaced by 1-D arrays of draws."""
        n = len(next(iter(draws.values())))
        ps = cls.central(n)
        for k, v in draws.items():
            if k not in ps:
                raise KeyError(f"unknown parameter: {k}")
            ps[k] = np.asarray(v, dtype=float).reshape(n, 1)
        return ps

    def repeat(self, n_runs: int) -> ParameterSet:
        """Tile a one-run set to ``n_runs`` identical rows."""
        if self.n_runs != 1:
            raise ValueError("repeat() needs a one-run parameter set")
        return ParameterSet({k: np.repeat(v, n_runs, axis=0) for k, v in self.items()})


def calibration_covariance() -> tuple[list[str], np.ndarray]:
    """Names and covariance matrix of the calibrated parameters (``calibration.json``)."""
    stored = json.loads(CALIBRATION_JSON.read_text(encoding="utf-8"))["covariance"]
    return list(stored["names"]), np.asarray(stored["matrix"], dtype=float)


def pert_draws(
    n_draws: int,
    names: list[str] | None = None,
    seed: int = 20130426,
    calibrated: bool = True,
) -> dict[str, np.ndarray]:
    """Draw parameter sets: beta-PERT on the table's ranges, the fit's joint normal for
    the calibrated parameters.

    Lags and lives are rounded to whole years.

    Args:
        n_draws: number of parameter sets.
        names: which table parameters vary by beta-PERT; default every uncertain,
            non-calibrated one.
        seed: seed of ``numpy.random.default_rng``; the same seed gives the same draws.
            The default is the date of the Batken-2013 investment forum.
        calibrated: also draw the calibrated parameters from the fit's covariance.

    Returns:
        name -> array of shape ``(n_draws,)``.
    """
    rng = np.random.default_rng(seed)
    table = {p.name: p for p in parameter_table()}
    if names is None:
        names = [p.name for p in table.values() if p.uncertain and p.kind != "calibrated"]
    out: dict[str, np.ndarray] = {}
    if calibrated:
        fitted, cov = calibration_covariance()
        mean = np.array([table[k].value for k in fitted])
        joint = rng.multivariate_normal(mean, cov, size=n_draws, method="cholesky")
        for j, k in enumerate(fitted):
            out[k] = np.clip(joint[:, j], table[k].low, table[k].high)
    for name in names:
        p = table[name]
        span = p.high - p.low
        a = 1 + 4 * (p.value - p.low) / span
        b = 1 + 4 * (p.high - p.value) / span
        x = p.low + span * rng.beta(a, b, size=n_draws)
        out[name] = np.round(x) if name in INTEGER_PARAMETERS else x
    return out
