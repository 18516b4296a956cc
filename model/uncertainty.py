r"""Monte Carlo uncertainty bands: scenario, baseline and programme gain on the same draws.

Parameter sets :math:`\theta^{(j)}, j = 1..n` are drawn from beta-PERT distributions on
the ranges of the parameter table (:func:`model.parameters.pert_draws`). For every draw
the scenario, its counterfactual (same context, levers at 0) and the reference baseline
(every setting at its default) are run with the **same** :math:`\theta^{(j)}` (common
random numbers, Glasserman 2004, *Monte Carlo Methods in Financial Engineering*, 4.1),
so differences carry only the uncertainty of the difference::

    band_q(t)   = Q_q{ Y^{scn}_t(theta_j) }_j,           q in (5, 25, 50, 75, 95) %
    gain_j(t)   = Y^{scn}_t(theta_j) - Y^{cf}_t(theta_j)
    P_beat(t)   = (1/n) sum_j 1[ GRP^{scn}_t(theta_j) > GRP^{base}_t(theta_j) ]

All ``3 n`` runs are one vectorised call of :func:`model.core.simulate`, run to 2065 so
that each draw is appraised (:func:`model.appraisal.appraise`) over the assets' lives.
The calibrated parameters are drawn jointly from the fit's covariance
(:func:`model.parameters.pert_draws`). The discount rate is not drawn: it is the
planner's choice, and the per-draw NPV, ratio and EIRR are at the rate asked for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from model import counterfactual_settings
from model.appraisal import DEFAULT_RATE, appraise
from model.core import simulate, simulate_places
from model.levers import HORIZON_YEAR, LAST_YEAR, YEARS, Inputs, build_inputs
from model.parameters import ParameterSet, pert_draws

__all__ = [
    "BAND_OUTPUTS",
    "QUANTILES",
    "McResult",
    "monte_carlo",
    "paired_runs",
    "repeat_inputs",
]

#: Quantiles of the bands, as fractions.
QUANTILES: tuple[float, ...] = (0.05, 0.25, 0.50, 0.75, 0.95)
#: Outputs summarised as bands.
BAND_OUTPUTS: tuple[str, ...] = ("grp", "grp_per_capita", "jobs")
DEFAULT_SEED = 20130426  # the default of model.parameters.pert_draws


def repeat_inputs(x: Inputs, repeats: int) -> Inputs:
    """Repeat every row of ``x`` ``repeats`` times, row by row (``[a, a, b, b]``)."""
    fields: dict[str, Any] = {
        k: None if getattr(x, k) is None else np.repeat(getattr(x, k), repeats, axis=0)
        for k in Inputs.__annotations__
    }
    return Inputs(**fields)


def paired_runs(
    settings: Mapping[str, float],
    params: ParameterSet,
    with_baseline: bool = False,
    last_year: int = LAST_YEAR,
    by_district: bool = False,
) -> tuple[dict[str, np.ndarray], ...]:
    """Run a scenario, its counterfactual and optionally the reference baseline on ``params``.

    Args:
        settings: flat scenario settings.
        params: ``n`` parameter rows; every run uses each row once.
        with_baseline: also run the reference baseline (all defaults).
        last_year: last simulated year (2065 for an appraisal).

    Returns:
        ``(scenario, counterfactual)`` or ``(scenario, counterfactual, baseline)``;
        each output name -> array ``(n, n_years)``. One call of :func:`simulate`. With
        ``by_district``, the same again by unit (arrays ``(n, n_years, n_units)``) after
        them.
    """
    rows: list[Mapping[str, float]] = [settings, counterfactual_settings(settings)]
    if with_baseline:
        rows.append({})
    n = params.n_runs
    x = repeat_inputs(build_inputs(rows, last_year=last_year), n)
    p = ParameterSet({k: np.tile(v, (len(rows), 1)) for k, v in params.items()})
    if by_district:
        out, units, _ = simulate_places(p, x)
        parts = [out, units]
    else:
        parts = [simulate(p, x)]
    return tuple(
        {k: v[i * n : (i + 1) * n] for k, v in part.items()}
        for part in parts
        for i in range(len(rows))
    )


def _year_col(year: int) -> int:
    if not YEARS[0] <= year <= YEARS[-1]:
        raise ValueError(f"year {year} outside {YEARS[0]}-{YEARS[-1]}")
    return int(year - YEARS[0])


@dataclass(frozen=True)
class McResult:
    """Monte Carlo bands of a scenario against its baseline.

    Attributes:
        settings: the scenario settings.
        n_draws: number of parameter draws.
        seed: seed of the draws.
        quantiles: the band quantiles (fractions), rows of every band array.
        scenario: output -> bands ``(len(quantiles), n_years)`` of the scenario.
        baseline: the same for the reference baseline (all settings at default).
        gain: the same for the programme gain, scenario minus counterfactual.
        district_gain: with ``by_district=True``, :data:`BAND_OUTPUTS` -> bands of the
            programme gain by unit, ``(len(quantiles), n_years, n_units)``: the units'
            shares (``district_urban_weight``, ``mining_share_kadamjay``, the basins'
            land and water) are drawn with every other parameter; else None.
        central: output -> ``(n_years,)``, the scenario at central parameters.
        central_baseline: the reference baseline at central parameters.
        central_gain: the programme gain at central parameters.
        grp_draws: ``"scenario"``, ``"baseline"``, ``"counterfactual"`` -> GRP per draw,
            ``(n_draws, n_years)``; kept for shares and custom statistics.
        rate: the discount rate of ``npv``, ``bcr`` (the planner's; not drawn).
        npv: net present value per draw, ``(n_draws,)`` (million som, 2020 prices).
        bcr: benefit-cost ratio per draw, ``(n_draws,)`` (NaN when nothing is spent).
        eirr: economic internal rate of return per draw (NaN where undefined).
    """

    settings: dict[str, float]
    n_draws: int
    seed: int
    quantiles: tuple[float, ...]
    scenario: dict[str, np.ndarray]
    baseline: dict[str, np.ndarray]
    gain: dict[str, np.ndarray]
    district_gain: dict[str, np.ndarray] | None
    central: dict[str, np.ndarray]
    central_baseline: dict[str, np.ndarray]
    central_gain: dict[str, np.ndarray]
    grp_draws: dict[str, np.ndarray] = field(repr=False)
    rate: float
    npv: np.ndarray = field(repr=False)
    bcr: np.ndarray = field(repr=False)
    eirr: np.ndarray = field(repr=False)

    @property
    def years(self) -> np.ndarray:
        """The model years, columns of every band."""
        return YEARS

    def band(self, which: str, output: str, q: float) -> np.ndarray:
        """One band line, e.g. ``band("scenario", "grp", 0.05)``; ``which`` is
        ``"scenario"``, ``"baseline"`` or ``"gain"``."""
        bands = {"scenario": self.scenario, "baseline": self.baseline, "gain": self.gain}[which]
        return bands[output][self.quantiles.index(q)]

    def share_beating_baseline(self, year: int) -> float:
        """Fraction of draws in which scenario GRP exceeds reference-baseline GRP in ``year``."""
        c = _year_col(year)
        d = self.grp_draws
        return float(np.mean(d["scenario"][:, c] > d["baseline"][:, c]))

    def share_positive_gain(self, year: int) -> float:
        """Fraction of draws in which the programme raises GRP in ``year`` (against its
        counterfactual; equals :meth:`share_beating_baseline` when the context is default)."""
        c = _year_col(year)
        d = self.grp_draws
        return float(np.mean(d["scenario"][:, c] > d["counterfactual"][:, c]))

    def frame(self, output: str = "grp") -> pd.DataFrame:
        """One row per year: central run and bands of scenario, baseline and gain."""
        data: dict[str, np.ndarray] = {
            "year": YEARS,
            "central": self.central[output],
            "central_baseline": self.central_baseline[output],
            "central_gain": self.central_gain[output],
        }
        for which, bands in (
            ("", self.scenario),
            ("baseline_", self.baseline),
            ("gain_", self.gain),
        ):
            for i, q in enumerate(self.quantiles):
                data[f"{which}p{round(q * 100):02d}"] = bands[output][i]
        return pd.DataFrame(data)


def monte_carlo(
    settings: Mapping[str, float],
    n_draws: int = 1000,
    seed: int = DEFAULT_SEED,
    names: Sequence[str] | None = None,
    quantiles: Sequence[float] = QUANTILES,
    rate: float = DEFAULT_RATE,
    by_district: bool = False,
) -> McResult:
    """Quantile bands of a scenario and the reference baseline on common parameter draws.

    Args:
        settings: flat scenario settings (keys of :data:`model.levers.ALL_SETTINGS`).
        n_draws: number of beta-PERT parameter draws.
        seed: seed of the draws; the same seed gives the same bands.
        names: parameters to vary; default every uncertain one (the calibrated ones
            jointly from the fit's covariance).
        quantiles: band quantiles as fractions, ascending.
        rate: discount rate of the per-draw appraisal.
        by_district: also band the programme gain by unit (:attr:`McResult.district_gain`).

    Returns:
        The bands, the central run and the per-draw GRP (see :class:`McResult`).
    """
    settings = dict(settings)
    qs = tuple(float(q) for q in quantiles)
    # named parameters only when asked for; by default the table's and the fit's
    draws = pert_draws(
        n_draws, list(names) if names is not None else None, seed=seed, calibrated=names is None
    )
    params = ParameterSet.from_draws(draws)
    # draws and the central row in one call: row n is the central parameter set
    central_p = ParameterSet.central()
    params = ParameterSet({k: np.concatenate([v, central_p[k]]) for k, v in params.items()})
    runs = paired_runs(
        settings, params, with_baseline=True, last_year=HORIZON_YEAR, by_district=by_district
    )
    scn_full, cf_full, base = runs[:3]
    district_gain = None
    if by_district:
        scn_u, cf_u = runs[3], runs[4]
        district_gain = {
            k: np.quantile((scn_u[k] - cf_u[k])[:n_draws, : len(YEARS)], qs, axis=0)
            for k in BAND_OUTPUTS
            if k != "grp_per_capita"
        }
    draws_only = ParameterSet({k: v[:n_draws] for k, v in params.items()})
    appraisal = appraise(
        {k: v[:n_draws] for k, v in scn_full.items()},
        {k: v[:n_draws] for k, v in cf_full.items()},
        build_inputs([settings], last_year=HORIZON_YEAR),
        draws_only,
        rate,
    )
    shown = len(YEARS)
    scn, cf, base = ({k: v[:, :shown] for k, v in d.items()} for d in (scn_full, cf_full, base))

    def bands(out: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        return {k: np.quantile(out[k][:n_draws], qs, axis=0) for k in BAND_OUTPUTS}

    gain_runs = {k: scn[k] - cf[k] for k in BAND_OUTPUTS}
    return McResult(
        settings=settings,
        n_draws=n_draws,
        seed=seed,
        quantiles=qs,
        scenario=bands(scn),
        baseline=bands(base),
        gain=bands(gain_runs),
        district_gain=district_gain,
        central={k: scn[k][n_draws] for k in BAND_OUTPUTS},
        central_baseline={k: base[k][n_draws] for k in BAND_OUTPUTS},
        central_gain={k: gain_runs[k][n_draws] for k in BAND_OUTPUTS},
        grp_draws={
            "scenario": scn["grp"][:n_draws],
            "baseline": base["grp"][:n_draws],
            "counterfactual": cf["grp"][:n_draws],
        },
        rate=float(rate),
        npv=appraisal.npv,
        bcr=appraisal.bcr,
        eirr=appraisal.eirr,
    )
