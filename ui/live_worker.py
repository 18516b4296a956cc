"""The live layer's step tables in a worker process (no streamlit here: the worker
imports only this module and the model).

A scenario-page run needs them at its very end; computed in the server they add their
~15 ms of model time to every release of a lever. Here they are computed on the other
core while the page draws its cards and charts, so the release does not wait for them.
"""

from __future__ import annotations

import numpy as np

from model import ALL_SETTINGS
from model.levers import FIRST_PROJECTION_YEAR
from model.runtime import tune_allocator
from model.sweep import lever_grid, step_points

#: The output whose 2040 value is a programme's whole cost (model.sweep.step_points).
TOTAL_COST = "programme_cost_cumulative"


def _effective(row: dict[str, float]) -> dict[str, float]:
    """The rule of :attr:`scenarios.settings.Settings.effective` (an end year before the
    start counts as the start), kept here so the worker needs no scenario package;
    tests/app/test_live.py checks the two agree."""
    if row["end_year"] < row["start_year"]:
        row["end_year"] = row["start_year"]
    return row


def step_tables(
    numbers: tuple[tuple[str, float], ...], year: int, measure: str, outputs: tuple[str, ...]
) -> dict:
    """Every setting's step table for the scenario ``numbers`` (its non-default
    settings): each setting at each of its slider steps, the others as they are; rows of
    all settings one after another, in :data:`model.ALL_SETTINGS` order."""
    base = {k: float(ALL_SETTINGS[k].default) for k in ALL_SETTINGS} | dict(numbers)
    grids = {k: lever_grid(k) for k in ALL_SETTINGS}
    rows = [_effective({**base, k: float(v)}) for k in ALL_SETTINGS for v in grids[k]]
    at_year, path, totals = step_points(
        rows, year, list(outputs), measure, FIRST_PROJECTION_YEAR, [TOTAL_COST]
    )
    return {
        "grids": {k: (float(g[0]), float(ALL_SETTINGS[k].step), len(g)) for k, g in grids.items()},
        "kpi": {k: np.asarray(v) for k, v in at_year.items()},
        "path": path,
        # the whole programme's cost (the headline sentence's "programme cost")
        "cost": np.asarray(totals[TOTAL_COST]),
    }


def ready() -> bool:
    """A no-op the server sends first, to know the worker has started."""
    return True


tune_allocator()  # this worker's own process (model/runtime.py)
