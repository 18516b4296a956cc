"""Districts, cities and river basins: the split adds up, basins limit water, levers have
a place."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

from model import OUTPUTS, ParameterSet, build_inputs, run_scenarios, simulate, simulate_places
from model.districts import ADDITIVE_EXCLUDED, RULES, geography, shares
from model.levers import (
    BASINS,
    DISTRICTS,
    HORIZON_YEAR,
    LEVERS,
    YEARS,
    basin_water_key,
    place_key,
)
from model.parameters import pert_draws
from model.uncertainty import monte_carlo
from scenarios import PRESET_IDS, preset

ROOT = Path(__file__).resolve().parents[2]
ADDITIVE = [k for k in OUTPUTS if k not in ADDITIVE_EXCLUDED]
Y = {int(y): i for i, y in enumerate(YEARS)}

#: A scenario that places every lever somewhere and dries one basin.
PLACED = {
    "infrastructure_spend": 1500.0,
    "road_maintenance": 200.0,
    "irrigation_new_ha": 2000.0,
    "irrigation_rehab_ha": 1500.0,
    "water_storage_mcm": 10.0,
    "sme_support": 300.0,
    place_key("infrastructure_spend", "leilek"): 80.0,
    place_key("infrastructure_spend", "sulukta"): 20.0,
    place_key("road_maintenance", "kadamjay"): 100.0,
    place_key("irrigation_new_ha", "kadamjay"): 70.0,
    place_key("irrigation_new_ha", "batken"): 30.0,
    place_key("irrigation_rehab_ha", "leilek"): 100.0,
    place_key("water_storage_mcm", "batken"): 100.0,
    place_key("sme_support", "kyzyl_kiya"): 50.0,
    place_key("sme_support", "batken_city"): 50.0,
    basin_water_key("sokh"): 60.0,
}


def assert_adds_up(oblast: dict, units: dict, what: str) -> None:
    for k in ADDITIVE:
        total = units[k].sum(axis=-1)
        assert_allclose(
            total,
            oblast[k],
            rtol=1e-11,
            atol=1e-8,
            err_msg=f"{what}: {k} of the districts does not add up to the oblast's",
        )


@pytest.mark.parametrize("pid", PRESET_IDS)
def test_districts_add_up_to_the_oblast_in_every_preset(pid):
    """Every additive output of the six units equals the oblast's in every year, for the
    scenario, its counterfactual and the baseline."""
    runs = run_scenarios([preset(pid).to_settings()], by_district=True)
    assert runs.places is not None
    for which, oblast in (
        ("scenario", runs.scenario),
        ("counterfactual", runs.counterfactual),
        ("baseline", runs.baseline),
    ):
        assert_adds_up(oblast, runs.places[which], f"{pid} {which}")


def test_districts_add_up_with_every_lever_placed_and_over_parameter_draws():
    draws = ParameterSet.from_draws(pert_draws(40, seed=7))
    x = build_inputs([PLACED] * 40, last_year=HORIZON_YEAR)
    oblast, units, basins = simulate_places(draws, x)
    assert_adds_up(oblast, units, "placed scenario on 40 draws")
    assert_allclose(basins["irrigated_effective_ha"].sum(axis=2), oblast["irrigated_effective_ha"])
    assert_allclose(basins["water_cap_ha"].sum(axis=2), oblast["water_cap_ha"])
    # the oblast answer does not depend on asking for the split
    plain = simulate(draws, x)
    for k in OUTPUTS:
        assert_allclose(plain[k], oblast[k], rtol=1e-12, err_msg=k)


def test_per_person_outputs_are_the_units_own():
    runs = run_scenarios([PLACED], by_district=True)
    u = runs.places["scenario"]
    assert_allclose(u["grp_per_capita"], u["grp"] * 1e6 / u["population"])
    # population-weighted, the units' GRP per person is the oblast's
    weighted = (u["grp_per_capita"] * u["population"]).sum(axis=2) / u["population"].sum(axis=2)
    assert_allclose(weighted, runs.scenario["grp_per_capita"], rtol=1e-12)


def test_population_is_the_nsc_2021_split():
    """Each unit's population is its 2021 NSC share of the oblast's, in every year; the
    six 2021 figures add up to the oblast's 548,247 (Kyzyl-Kiya is the residual)."""
    with (ROOT / "data" / "districts.csv").open(encoding="utf-8") as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}
    pop21 = np.array([float(rows[d]["population_2021"]) for d in DISTRICTS])
    assert pop21.sum() == 548_247
    assert rows["kyzyl_kiya"]["population_2021_confidence"] == "D"
    u = run_scenarios([{}], by_district=True).places["baseline"]
    for year in (2007, 2021, 2040):
        assert_allclose(
            u["population"][0, Y[year]] / u["population"][0, Y[year]].sum(), pop21 / pop21.sum()
        )


def test_oblast_wide_rule_keeps_every_units_roads_a_fixed_share():
    """Unplaced road money follows the stated rule: trunk km along the corridor, local km
    by population, so every unit's stock is a fixed share of the oblast's."""
    runs = run_scenarios(
        [{"infrastructure_spend": 2000.0, "road_maintenance": 300.0}], by_district=True
    )
    u, sh = runs.places["scenario"], shares(ParameterSet.central())
    trunk = runs.scenario["road_trunk_km_good"][0][:, None] * sh.trunk[None, :]
    local = runs.scenario["road_local_km_good"][0][:, None] * sh.population[None, :]
    assert_allclose(u["road_trunk_km_good"][0], trunk, rtol=1e-10)
    assert_allclose(u["road_local_km_good"][0], local, rtol=1e-10)
    assert set(RULES) == set(LEVERS)


def test_placed_roads_go_where_they_are_put():
    """Local road money placed in Leilek builds km there, not elsewhere, and moves the
    private economy's share toward Leilek; a unit's own network caps its km."""
    base = {"infrastructure_spend": 300.0, "road_trunk_share": 0.0}
    leilek = {**base, place_key("infrastructure_spend", "leilek"): 100.0}
    runs = run_scenarios([base, leilek], by_district=True)
    u = runs.places["scenario"]
    li, ki = DISTRICTS.index("leilek"), DISTRICTS.index("kadamjay")
    c = Y[2032]
    assert u["road_local_km_good"][1, c, li] > u["road_local_km_good"][0, c, li] + 50
    assert u["road_local_km_good"][1, c, ki] < u["road_local_km_good"][0, c, ki]
    share = u["va_private_other"][:, c, li] / u["va_private_other"][:, c].sum(axis=1)
    assert share[1] > share[0]
    cost = u["programme_cost"][1, Y[2028]]
    assert cost[li] == pytest.approx(300.0) and cost.sum() == pytest.approx(300.0)
    big = run_scenarios([{**leilek, "infrastructure_spend": 3000.0}], by_district=True)
    network = ParameterSet.central()["road_local_network_km"][0, 0]
    own = network * shares(ParameterSet.central()).population[li]
    assert big.places["scenario"]["road_local_km_good"][0, :, li].max() <= own + 1e-9


def test_a_drought_in_one_basin_hits_only_the_units_it_serves():
    base = run_scenarios([{}], by_district=True)
    dry = run_scenarios([{basin_water_key("sokh"): 50.0}], by_district=True)
    c = Y[2030]
    b_eff = dry.places["basins_scenario"]["irrigated_effective_ha"][0, c]
    b_base = base.places["basins_scenario"]["irrigated_effective_ha"][0, c]
    si = BASINS.index("sokh")
    assert b_eff[si] < 0.6 * b_base[si]
    others = [i for i in range(len(BASINS)) if i != si]
    assert_allclose(b_eff[others], b_base[others])
    land = dry.places["scenario"]["irrigated_effective_ha"][0, c]
    land0 = base.places["scenario"]["irrigated_effective_ha"][0, c]
    for d in ("kadamjay", "batken"):  # the Sokh serves these two
        assert land[DISTRICTS.index(d)] < land0[DISTRICTS.index(d)], d
    for d in ("leilek", "sulukta", "kyzyl_kiya", "batken_city"):
        assert land[DISTRICTS.index(d)] == pytest.approx(land0[DISTRICTS.index(d)]), d
    assert dry.scenario["grp"][0, c] < base.scenario["grp"][0, c]


def test_water_is_limited_basin_by_basin():
    """The same new hectares give less land in use on the short Sokh (Kadamjay) than on
    the Khodzha-Bakirgan (Leilek): water left in one basin cannot irrigate another, so
    the oblast answer depends on where the land is."""
    common = {"irrigation_new_ha": 2000.0, "start_year": 2027, "end_year": 2034}
    kad = {**common, place_key("irrigation_new_ha", "kadamjay"): 100.0}
    lei = {**common, place_key("irrigation_new_ha", "leilek"): 100.0}
    runs = run_scenarios([kad, lei])
    c = Y[2040]
    gain = (
        runs.scenario["irrigated_effective_ha"][:, c]
        - runs.counterfactual["irrigated_effective_ha"][:, c]
    )
    equipped = runs.scenario["irrigated_ha"][:, c] - runs.counterfactual["irrigated_ha"][:, c]
    assert_allclose(equipped[0], equipped[1])  # the same hectares built
    assert gain[0] < 0.8 * gain[1], gain
    assert runs.appraisal.bcr[0] < runs.appraisal.bcr[1]


def test_basin_caps_add_up_to_the_oblast_water_cap():
    p = ParameterSet.central()
    x = build_inputs([{}], last_year=HORIZON_YEAR)
    out, _, basins = simulate_places(p, x)
    assert_allclose(basins["water_cap_ha"][0].sum(axis=1), p["water_cap_ha"][0, 0])
    sh = shares(p)
    assert_allclose(sh.cell_ha_2023.sum(), p["irr_equipped_ha_2023"][0, 0])
    assert_allclose(out["irrigated_ha"][0, Y[2023]], p["irr_equipped_ha_2023"][0, 0])


def test_shares_are_normalised_so_percentages_need_not_add_to_100():
    a = {"sme_support": 500.0, place_key("sme_support", "leilek"): 70.0}
    a[place_key("sme_support", "sulukta")] = 30.0
    b = {"sme_support": 500.0, place_key("sme_support", "leilek"): 7.0}
    b[place_key("sme_support", "sulukta")] = 3.0
    runs = run_scenarios([a, b], by_district=True)
    assert_allclose(runs.places["scenario"]["grp"][0], runs.places["scenario"]["grp"][1])


def test_geography_tables_match_the_model():
    g = geography()
    assert tuple(g.names) == DISTRICTS and tuple(g.basin_names) == BASINS
    # every basin serves at least one unit, every unit with farm land draws on a basin
    assert set(g.cell_basin.tolist()) == set(range(len(BASINS)))
    assert set(g.cell_district.tolist()) == set(range(len(DISTRICTS)))


def test_district_shares_enter_the_monte_carlo():
    """The units' shares are parameters with ranges: the bands of a programme's gain by
    unit have width, and the draws vary the district parameters."""
    draws = pert_draws(50, seed=3)
    for name in ("district_urban_weight", "mining_share_kadamjay", "irr_share_sokh"):
        assert np.ptp(draws[name]) > 0, name
    mc = monte_carlo({"sme_support": 400.0}, n_draws=100, by_district=True)
    assert mc.district_gain is not None
    band = mc.district_gain["grp"]
    assert band.shape == (len(mc.quantiles), len(YEARS), len(DISTRICTS))
    c = Y[2035]
    assert (band[-1, c] - band[0, c] > 0).all()


def test_closed_form_of_the_basin_stocks_equals_the_year_by_year_loop():
    """Without programme rehabilitation the oblast run takes the closed form of the basin
    stocks (model.core._basin_served_fast); the split runs the loop: both must agree on
    draws, storage, drought and wet years."""
    rng = np.random.default_rng(11)
    settings = [
        {
            "irrigation_new_ha": float(rng.uniform(0, 5000)),
            "infrastructure_spend": float(rng.uniform(0, 3000)),
            "water_storage_mcm": float(rng.uniform(0, 20)),
            "water_availability": float(rng.choice([60.0, 100.0, 130.0])),
        }
        for _ in range(60)
    ]
    draws = ParameterSet.from_draws(pert_draws(60, seed=12))
    x = build_inputs(settings, last_year=HORIZON_YEAR)
    fast = simulate(draws, x)
    loop, _, _ = simulate_places(draws, x)
    for k in OUTPUTS:
        assert_allclose(fast[k], loop[k], rtol=1e-10, atol=1e-6, err_msg=k)


def test_district_table_agrees_with_the_population_rows_and_the_shares_add_up():
    """data/districts.csv repeats the population rows of data/population.csv (one source
    of truth, checked), and the basin shares of the parameter table add up to 1."""
    from model.parameters import central_values

    with (ROOT / "data" / "population.csv").open(encoding="utf-8") as f:
        recorded = {
            r["geography"]: float(r["value"])
            for r in csv.DictReader(f)
            if r["indicator"] == "population_resident" and r["year"] == "2021"
        }
    g = geography()
    for d, pop in zip(DISTRICTS, g.population_2021, strict=True):
        name = g.names[d].replace(" city", " town")
        assert recorded[name] == pop, d
    values = central_values()
    for prefix in ("irr_share_", "water_cap_share_"):
        assert sum(values[prefix + b] for b in BASINS) == pytest.approx(1.0, abs=1e-9)
