r"""What one more irrigated hectare adds: with/without crop budgets.

For each crop :math:`c` grown on new irrigated land (``data/crop_budgets.csv``), with
share :math:`s_c` of the new land, yields :math:`y^I_c` irrigated and :math:`y^R_c`
rain-fed (t/ha), farm-gate price :math:`p_c` (som/kg, 2020 prices; the apricot price
is the scenario's setting) and value-added share :math:`v_c` (output less purchased
inputs)::

    dV = k * sum_c s_c (y^I_c - y^R_c) * 1000 p_c v_c / 1e6      million som per ha per year

``k`` is ``crop_budget_factor`` (1, range 0.7-1.3), the budgets' uncertainty. This is
the *incremental* value of irrigating a hectare, net of what the land gave rain-fed;
livestock is not attributed to irrigation. The running cost of the canal (O&M) is a
cost of the programme in :mod:`model.appraisal`, not deducted here.

Rain-fed land gives ``rainfed_value`` per ha, the grain budget's rain-fed yield, used
when a drought cuts rain-fed output.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

import numpy as np

from model.parameters import DATA_DIR


@dataclass(frozen=True)
class CropBudget:
    """One row of ``data/crop_budgets.csv``; ``price`` is None for the apricot setting."""

    crop: str
    share: float
    yield_irrigated: float
    yield_rainfed: float
    price: float | None
    value_added_share: float


@cache
def crop_budgets() -> tuple[CropBudget, ...]:
    """The crop budgets; shares add up to 1 (checked)."""
    with (DATA_DIR / "crop_budgets.csv").open(newline="", encoding="utf-8") as f:
        rows = tuple(
            CropBudget(
                crop=r["crop"],
                share=float(r["share_of_new_land"]),
                yield_irrigated=float(r["yield_irrigated_t_ha"]),
                yield_rainfed=float(r["yield_rainfed_t_ha"]),
                price=None if r["price_som_per_kg"] == "lever" else float(r["price_som_per_kg"]),
                value_added_share=float(r["value_added_share"]),
            )
            for r in csv.DictReader(f)
        )
    if abs(sum(c.share for c in rows) - 1.0) > 1e-9:
        raise ValueError("crop_budgets.csv: shares of new land must add up to 1")
    return rows


def incremental_value_per_ha(apricot_price: np.ndarray) -> np.ndarray:
    """``dV / k``: million som per ha per year, for apricot prices (som/kg) of any shape."""
    out = np.zeros_like(np.asarray(apricot_price, dtype=float))
    for c in crop_budgets():
        price = apricot_price if c.price is None else c.price
        out = (
            out
            + c.share
            * (c.yield_irrigated - c.yield_rainfed)
            * 1e3
            * price
            * c.value_added_share
            / 1e6
        )
    return out


def rainfed_value_per_ha() -> float:
    """Million som per ha per year of rain-fed grain (the grain budget's rain-fed yield)."""
    grain = next(c for c in crop_budgets() if c.crop == "grain")
    assert grain.price is not None
    return grain.yield_rainfed * 1e3 * grain.price * grain.value_added_share / 1e6
