r"""Money in the model's unit: million som at constant 2020 prices.

A cost reported in year :math:`y` is converted at that year's own exchange rate, then
deflated with the national GDP deflator (2020 = 1)::

    mln_som_2020 = amount * fx_y / D_y          (amount in million USD, fx in som per USD)
    mln_som_2020 = amount / D_y                  (amount in million som, current prices)

``fx_y`` is ``data/exchange_rate.csv`` (annual average), ``D_y`` is
``data/deflator.csv``. Years after the last published deflator use the last one (so a
2024 or 2025 figure is, if anything, overstated in 2020 prices). Converting every dollar
figure at the 2020 rate instead would be off by the change of the rate, e.g. 68.9 som
per USD in 2017 against 77.3 in 2020 (12%).

Every unit cost in ``data/parameters.csv`` that is derived from a reported project is
a row of ``data/unit_costs.csv``; :func:`derived_unit_costs` recomputes them so a test
can check the table against its sources.
"""

from __future__ import annotations

import csv
from functools import cache

from model.parameters import DATA_DIR


@cache
def exchange_rates() -> dict[int, float]:
    """Year -> som per US dollar, annual average."""
    with (DATA_DIR / "exchange_rate.csv").open(newline="", encoding="utf-8") as f:
        return {int(r["year"]): float(r["kgs_per_usd"]) for r in csv.DictReader(f)}


@cache
def deflators() -> dict[int, float]:
    """Year -> national GDP deflator, 2020 = 1."""
    with (DATA_DIR / "deflator.csv").open(newline="", encoding="utf-8") as f:
        return {int(r["year"]): float(r["gdp_deflator_index_2020"]) for r in csv.DictReader(f)}


def to_mln_som_2020(amount_mln: float, currency: str, year: int) -> float:
    """Million som at 2020 prices from ``amount_mln`` million USD or som of ``year``."""
    defl = deflators()
    d = defl[min(year, max(defl))]
    if currency == "USD":
        return amount_mln * exchange_rates()[year] / d
    if currency == "KGS":
        return amount_mln / d
    raise ValueError(f"unknown currency {currency!r}")


def unit_cost_rows() -> list[dict[str, str]]:
    """The rows of ``data/unit_costs.csv``."""
    with (DATA_DIR / "unit_costs.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def derived_unit_costs() -> dict[tuple[str, str], float]:
    """``(parameter, role) -> million som (2020 prices) per unit`` from the reported costs;
    role is ``value``, ``low`` or ``high``; the programme row is keyed ``("", "programme")``."""
    out: dict[tuple[str, str], float] = {}
    for r in unit_cost_rows():
        total = to_mln_som_2020(float(r["amount_mln"]), r["currency"], int(r["price_year"]))
        out[(r["parameter"], r["role"])] = total / float(r["quantity"])
    return out


#: The Batken irrigation programme 2017-2025 (24.kg 44624): hectares and storage.
PROGRAMME_2017_NEW_HA = 30_168
PROGRAMME_2017_IMPROVED_HA = 1_110
PROGRAMME_2017_STORAGE_MCM = 210.0


def storage_cost_from_programme() -> float:
    r"""Million som (2020 prices) per million m³ of reservoir storage, derived from the
    Batken irrigation programme 2017-2025::

        c_storage = (C_prog - 30,168 ha * c_new - 1,110 ha * c_rehab) / 210 mcm

    i.e. what the programme cost beyond canals at the Batken canal cost per ha and
    rehabilitation at the on-farm cost per ha, charged to its 210 million m³ reservoir.
    """
    u = derived_unit_costs()
    programme = u[("", "programme")]
    canals = PROGRAMME_2017_NEW_HA * u[("irr_cost_new_mln_som_per_ha", "value")]
    rehab = PROGRAMME_2017_IMPROVED_HA * u[("irr_cost_rehab_mln_som_per_ha", "value")]
    return (programme - canals - rehab) / PROGRAMME_2017_STORAGE_MCM
