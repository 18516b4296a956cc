r"""A lever's response curve: the headline results across the lever's whole range.

For a scenario :math:`s` and one setting :math:`k`, the curve holds, at each value
:math:`v` of a grid over :math:`k`'s range (every slider step, or ``n_points`` evenly
spaced values), the scenario :math:`s` with :math:`k = v` and every other setting as in
:math:`s`::

    gain(v)  = GRP_y(s[k := v]) - GRP_y(baseline)     mln som (2020 prices), year y
    bcr(v)   = PV benefits / PV costs of s[k := v] at 6% (model.appraisal)
    eirr(v)  = the return of s[k := v] (model.appraisal.eirr), NaN without a programme

All points come from one vectorised call of :func:`model.run_scenarios` (each point is
an ordinary scenario run, appraised against its own counterfactual), so every point is
exactly what the dashboard shows when the lever is set there. A limit the lever runs
into (the water cap, the road network's length) shows as a kink: the curve flattens
where more money buys nothing more.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from model.appraisal import DEFAULT_RATE
from model.levers import ALL_SETTINGS, YEARS


def lever_grid(key: str, n_points: int | None = None) -> np.ndarray:
    """Values of a setting across its range: every slider step (``n_points`` None), or
    ``n_points`` evenly spaced values, ends included, rounded to the slider's step."""
    spec = ALL_SETTINGS[key]
    steps = round((spec.high - spec.low) / spec.step)
    if n_points is None or n_points >= steps + 1:
        idx = np.arange(steps + 1)
    else:
        idx = np.unique(np.round(np.linspace(0, steps, n_points)).astype(int))
    return spec.low + idx * spec.step


@dataclass(frozen=True)
class ResponseCurve:
    """One setting's curve (arrays of the grid's length).

    Attributes:
        key: the setting swept.
        year: the year of ``grp`` and ``gain``.
        values: the setting's values (its unit, :data:`model.levers.ALL_SETTINGS`).
        grp: GRP in ``year`` at each value, mln som (2020 prices).
        gain: ``grp`` less the reference baseline's GRP in ``year``, mln som.
        bcr: benefit-cost ratio at 6% (NaN where the point has no programme).
        eirr: economic internal rate of return, a fraction (NaN where undefined).
        cost: the programme's total cost, mln som (2020 prices).
        current: the scenario's own value of the setting.
    """

    key: str
    year: int
    values: np.ndarray
    grp: np.ndarray
    gain: np.ndarray
    bcr: np.ndarray
    eirr: np.ndarray
    cost: np.ndarray
    current: float

    def kinks(self, drop: float = 0.5) -> np.ndarray:
        """Values where the curve's slope falls by more than ``drop`` of what it was (a
        limit starting to bind); empty where the curve bends smoothly."""
        slope = np.diff(self.gain) / np.diff(self.values)
        before, after = slope[:-1], slope[1:]
        bends = (np.abs(before) > 1e-9) & (np.abs(after) < (1 - drop) * np.abs(before))
        return self.values[1:-1][bends]


def response_curves(
    settings: Mapping[str, float],
    keys: Sequence[str],
    year: int,
    n_points: int | None = None,
) -> dict[str, ResponseCurve]:
    """The response curves of ``keys`` around ``settings``, all in one model call.

    Args:
        settings: the scenario (keys of :data:`model.levers.ALL_SETTINGS`; missing keys
            take defaults).
        keys: settings to sweep.
        year: the year whose GRP is reported (2007-2040).
        n_points: points per curve (None: every slider step).

    Returns:
        key -> its :class:`ResponseCurve`, in the order of ``keys``.
    """
    from model import run_scenarios  # the package imports this module's siblings

    if year not in YEARS:
        raise ValueError(f"year {year} is outside {YEARS[0]}-{YEARS[-1]}")
    base = {k: float(settings.get(k, spec.default)) for k, spec in ALL_SETTINGS.items()}
    grids = {k: lever_grid(k, n_points) for k in keys}
    rows = [{**base, k: float(v)} for k in keys for v in grids[k]]
    runs = run_scenarios(rows, rates=(DEFAULT_RATE,))
    col = int(year - YEARS[0])
    grp = runs.scenario["grp"][:, col]
    gain = grp - runs.baseline["grp"][:, col]
    a = runs.appraisal
    out: dict[str, ResponseCurve] = {}
    start = 0
    for k in keys:
        n = len(grids[k])
        part = slice(start, start + n)
        out[k] = ResponseCurve(
            key=k,
            year=int(year),
            values=grids[k],
            grp=grp[part],
            gain=gain[part],
            bcr=a.bcr[part],
            eirr=a.eirr[part],
            cost=a.cost[part],
            current=base[k],
        )
        start += n
    return out


def step_points(
    rows: Sequence[Mapping[str, float]],
    year: int,
    outputs: Sequence[str],
    path_output: str,
    first_path_year: int,
    totals: Sequence[str] = (),
) -> tuple[dict[str, np.ndarray], np.ndarray, dict[str, np.ndarray]]:
    """Many scenarios at once, cut to what a live display needs: each output in
    ``year``, ``path_output`` over ``first_path_year``-2040, and each of ``totals`` in
    2040 (for ``programme_cost_cumulative`` that is the programme's whole cost, the
    appraisal's undiscounted ``cost``: a programme ends by 2040).

    Runs :func:`model.core.simulate` once on all rows (no counterfactual, no
    appraisal, no years after 2040), with the central parameters, so each value equals
    the scenario run's own (``run_scenarios([row]).scenario``) exactly.

    Returns:
        (output -> array ``(n_rows,)`` in ``year``, array ``(n_rows, n_path_years)``,
        total -> array ``(n_rows,)`` in 2040).
    """
    from model.core import simulate
    from model.levers import LAST_YEAR, build_inputs
    from model.parameters import ParameterSet

    if year not in YEARS or first_path_year not in YEARS:
        raise ValueError(f"years must lie in {YEARS[0]}-{YEARS[-1]}")
    out = simulate(ParameterSet.central(), build_inputs(list(rows), last_year=LAST_YEAR))
    col = int(year - YEARS[0])
    first = int(first_path_year - YEARS[0])
    last = len(YEARS) - 1
    return (
        {o: out[o][:, col] for o in outputs},
        out[path_output][:, first : len(YEARS)],
        {o: out[o][:, last] for o in totals},
    )
