"""The appraisal convention (model.appraisal): what counts as benefit, one base year,
each asset's life, sourced unit costs, and the command that reproduces the page."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from numpy.testing import assert_allclose

from model import RATES, YEARS, ParameterSet, build_inputs, parameter_table, run_scenarios, simulate
from model.appraisal import BASE_YEAR, SUMMARY_KEYS, appraise
from model.crops import crop_budgets, incremental_value_per_ha
from model.levers import HORIZON_YEAR
from model.parameters import DATA_DIR, pert_draws
from model.units import (
    PROGRAMME_2017_NEW_HA,
    derived_unit_costs,
    storage_cost_from_programme,
    to_mln_som_2020,
)
from scenarios import preset

ROOT = Path(__file__).resolve().parents[2]
ROADS = {"infrastructure_spend": 1500.0, "start_year": 2027, "end_year": 2031}
IRRIGATION = {"irrigation_new_ha": 1000.0, "start_year": 2027, "end_year": 2031}
REHAB = {"irrigation_rehab_ha": 2000.0, "start_year": 2027, "end_year": 2036}


def central(**overrides: float) -> ParameterSet:
    return ParameterSet.central(**overrides)


def full_runs(settings: dict, params: ParameterSet):
    """Scenario and counterfactual to 2065 and the scenario's inputs."""
    from model import counterfactual_settings

    x = build_inputs([settings], last_year=HORIZON_YEAR)
    cf = build_inputs([counterfactual_settings(settings)], last_year=HORIZON_YEAR)
    return simulate(params, x), simulate(params, cf), x


@pytest.mark.parametrize("settings", [ROADS, IRRIGATION, {"sme_support": 300.0}])
def test_benefit_is_lasting_net_output_without_construction_demand(settings):
    """PV of benefit = discounted (GRP gain - construction demand - running costs) up to
    the horizon; the construction demand is reported apart and never inside it."""
    p = central()
    scn, cf, x = full_runs(settings, p)
    a = appraise(scn, cf, x, p, 0.06)
    t = np.arange(BASE_YEAR, HORIZON_YEAR + 1)
    cols = t - YEARS[0]
    d = (1.06) ** -(t - BASE_YEAR)
    counted = t <= a.horizon[0]

    def delta(key):
        return scn[key][0, cols] - cf[key][0, cols]

    running = delta("running_cost_roads") + delta("running_cost_irrigation")
    benefit = ((delta("grp") - delta("va_construction_demand") - running) * d * counted).sum()
    assert_allclose(a.pv_benefit[0], benefit + a.pv_residual[0], rtol=1e-10)
    assert_allclose(
        a.pv_construction_demand[0],
        (delta("va_construction_demand") * d * counted).sum(),
        rtol=1e-10,
    )
    assert_allclose(a.npv[0], a.pv_benefit[0] - a.pv_cost[0])
    assert_allclose(a.bcr[0], a.pv_benefit[0] / a.pv_cost[0])


def test_construction_multiplier_moves_grp_but_not_the_ratio():
    """A bigger regional multiplier raises GRP while works last, but the benefit-cost
    ratio, NPV and EIRR do not move: the programme's own spending is not its benefit."""
    low, high = central(regional_multiplier=1.1), central(regional_multiplier=1.6)
    runs = [run_scenarios([ROADS], params=p) for p in (low, high)]
    works = (YEARS >= 2027) & (YEARS <= 2031)
    assert np.all(runs[1].scenario["grp"][0, works] > runs[0].scenario["grp"][0, works])
    a0, a1 = runs[0].appraisal, runs[1].appraisal
    assert a1.pv_construction_demand[0] > a0.pv_construction_demand[0] * 1.4
    assert_allclose(a1.bcr, a0.bcr, rtol=1e-12)
    assert_allclose(a1.npv, a0.npv, rtol=1e-12)
    assert_allclose(a1.eirr, a0.eirr, rtol=1e-9)


def test_running_costs_of_new_assets_are_charged():
    """New km and hectares carry maintenance and O&M: dearer upkeep lowers the ratio."""
    cheap = run_scenarios(
        [ROADS, IRRIGATION],
        params=central(
            road_trunk_maint_cost_mln_som_per_km=0.75,
            road_local_maint_cost_mln_som_per_km=0.1,
            irr_om_cost_mln_som_per_ha=0.001,
        ),
    )
    dear = run_scenarios(
        [ROADS, IRRIGATION],
        params=central(
            road_trunk_maint_cost_mln_som_per_km=3.0,
            road_local_maint_cost_mln_som_per_km=0.5,
            irr_om_cost_mln_som_per_ha=0.004,
        ),
    )
    assert np.all(dear.appraisal.bcr < cheap.appraisal.bcr)


@pytest.mark.parametrize(
    "settings", [ROADS, IRRIGATION, {"sme_support": 300.0, "start_year": 2027, "end_year": 2031}]
)
def test_start_year_changes_the_ratio_only_as_much_as_the_world_grows(settings):
    """Rule: the same programme started three years later has the same benefit-cost ratio
    up to the growth of the world it works in (the relative change of baseline GRP over
    those three years, plus 2% for the stocks it meets: the water cap nearer, as baseline
    irrigation fills it, and roads already built); its NPV falls by the discount factor
    (1.06)^-3 within the same margin. (Before the common base year and full asset lives,
    a road programme scored 1.37 / 1.18 / 0.89 when started 2027 / 2030 / 2033.)"""
    later = {
        **settings,
        "start_year": settings.get("start_year", 2027) + 3,
        "end_year": settings.get("end_year", 2036) + 3,
    }
    runs = run_scenarios([settings, later])
    a = runs.appraisal
    base = runs.baseline["grp"][0]
    t0 = int(settings.get("start_year", 2027)) - YEARS[0]
    margin = abs(base[t0 + 8] / base[t0 + 5] - 1) + 0.02
    assert abs(a.bcr[1] / a.bcr[0] - 1) <= margin, (a.bcr, margin)
    shifted = 1.06**-3
    flows = (abs(a.pv_benefit[0]) + a.pv_cost[0]) * shifted
    assert abs(a.npv[1] - a.npv[0] * shifted) <= margin * flows, (a.npv, margin)
    assert a.pv_cost[1] == pytest.approx(a.pv_cost[0] * shifted, rel=0.03)
    assert a.horizon[1] - a.horizon[0] == 3


def test_rehabilitation_cannot_return_more_than_its_physical_ceiling():
    """Rehabilitation restores the share 1 - q of a hectare's irrigation gain, q from the
    sourced 10-30% yield uplift. Even with every parameter at its most favourable end
    (30% uplift, the highest crop budgets, the lowest cost), its EIRR stays below the
    first-year gross return (1 - q) * dV / cost: benefits arrive a year late and fade as
    land degrades again."""
    table = {p.name: p for p in parameter_table()}
    q = table["degraded_irrigation_gain_share"].low
    k = table["crop_budget_factor"].high
    cost = table["irr_cost_rehab_mln_som_per_ha"].low
    best = central(
        degraded_irrigation_gain_share=q, crop_budget_factor=k, irr_cost_rehab_mln_som_per_ha=cost
    )
    dv = k * float(incremental_value_per_ha(np.array(30.0)))
    ceiling = (1 - q) * dv / cost
    a = run_scenarios([REHAB], params=best).appraisal
    assert a.eirr[0] < ceiling, (a.eirr[0], ceiling)
    central_eirr = run_scenarios([REHAB]).appraisal.eirr[0]
    assert 0.0 < central_eirr < 0.30, central_eirr


def test_irrigation_preset_costs_its_programme_figure():
    """The 2017-2025 irrigation preset costs what the programme itself cost (28.39 bn som
    at 2017 prices, converted to 2020 prices), and its reservoir water is its own."""
    programme = derived_unit_costs()[("", "programme")]
    assert_allclose(programme, 28390 / 0.835669, rtol=1e-4)
    s = preset("irrigation_2017_2025").to_settings()
    a = run_scenarios([s]).appraisal
    assert a.cost[0] == pytest.approx(programme, rel=0.005)
    assert s.get("water_availability", 100.0) == 100.0, "the water must come from the storage lever"
    assert s["irrigation_new_ha"] * (s["end_year"] - s["start_year"] + 1) == pytest.approx(
        PROGRAMME_2017_NEW_HA, rel=0.001
    )


def test_dollar_costs_convert_at_their_own_year():
    """A dollar of 2017 is 68.9 som of 2017, deflated to 2020 prices; the 2020 rate would
    be 12% off. Every derived unit cost in the parameter table matches its source row."""
    assert to_mln_som_2020(1.0, "USD", 2017) == pytest.approx(68.9 / 0.835669)
    assert to_mln_som_2020(1.0, "USD", 2020) == pytest.approx(77.3)
    assert to_mln_som_2020(1.0, "KGS", 2023) == pytest.approx(1 / 1.574197)
    table = {p.name: p for p in parameter_table()}
    checked = 0
    for (name, role), value in derived_unit_costs().items():
        if not name:
            continue
        assert getattr(table[name], role) == pytest.approx(value, rel=1e-3), (name, role)
        checked += 1
    assert checked >= 9
    assert table["storage_cost_mln_som_per_mcm"].value == pytest.approx(
        storage_cost_from_programme(), rel=1e-3
    )


def test_mining_setting_moves_the_first_projection_year():
    """The mining-growth setting applies from 2024: the 2024 level already grows at it."""
    runs = run_scenarios([{"mining_growth": 10.0}, {"mining_growth": -5.0}])
    m = runs.scenario["va_mining"]
    t = int(2023 - YEARS[0])
    assert m[0, t + 1] / m[0, t] == pytest.approx(1.10)
    assert m[1, t + 1] / m[1, t] == pytest.approx(0.95)
    assert m[0, t] == pytest.approx(m[1, t])


def test_discount_rate_is_a_choice_not_a_draw():
    """No parameter draw moves the rate; the three rates give falling NPVs; the NPV at
    the EIRR is zero."""
    assert "discount_rate" not in {p.name for p in parameter_table()}
    assert "discount_rate" not in pert_draws(10, seed=1)
    runs = run_scenarios([REHAB])
    npvs = [runs.appraisals[r].npv[0] for r in RATES]
    assert npvs[0] > npvs[1] > npvs[2]
    irr = runs.appraisal.eirr[0]
    at_irr = run_scenarios([REHAB], rates=(float(irr),)).appraisal
    assert abs(at_irr.npv[0]) < 1e-6 * at_irr.pv_cost[0]


def test_residual_value_covers_life_beyond_2065():
    """Irrigation ending in 2040 (life 30 years, to 2070) is counted to 2065 and valued
    for 2066-2070 by holding the 2065 net benefit; a road programme ending 2031 needs none."""
    late = {"irrigation_rehab_ha": 2000.0, "start_year": 2036, "end_year": 2040}
    runs = run_scenarios([late, ROADS])
    a = runs.appraisal
    assert a.horizon[0] == HORIZON_YEAR
    d = sum(1.06 ** -(t - BASE_YEAR) for t in range(2066, 2071))
    assert a.pv_residual[0] == pytest.approx(a.net_benefit[0, -1] * d)
    assert a.pv_residual[0] > 0
    assert a.horizon[1] == 2031 + 20 and a.pv_residual[1] == 0


def test_calibration_uncertainty_enters_the_draws():
    """The fitted parameters are drawn jointly: productivity growth and the 2023 level
    move together as the fit's covariance says (correlation about 0.87)."""
    draws = pert_draws(4000, seed=5)
    c = np.corrcoef(draws["grp_2023_mln_som"], draws["nonfarm_productivity_growth"])[0, 1]
    assert c > 0.7
    assert np.std(draws["nonfarm_productivity_growth"]) > 0.008


def test_baseline_builds_the_local_km_that_are_reported():
    """With local roads at their own unit cost the baseline completes about as many local
    km a year as the oblast reports asphalting (48-83 km, 2023-2025, data/roads.csv)."""
    with (DATA_DIR / "roads.csv").open(encoding="utf-8") as f:
        reported = [
            float(r["value"])
            for r in csv.DictReader(f)
            if r["indicator"] == "roads_asphalted_in_year" and int(r["year"]) >= 2023
        ]
    p = central()
    local = (p["road_local_spend_base_mln_som"] / p["road_local_cost_mln_som_per_km"])[0, 0]
    assert min(reported) <= local <= max(reported), (local, reported)


def test_forum_trunk_sections_open_as_their_km():
    """The forum plan's 124 km of the Osh-Batken-Isfana road become about 124 good trunk km
    (less a year's wear) when the sections open, not more."""
    runs = run_scenarios([preset("forum_2013").to_settings()])
    gain = runs.scenario["road_trunk_km_good"][0] - runs.counterfactual["road_trunk_km_good"][0]
    assert 100 <= gain.max() <= 124.5, gain.max()


def test_business_support_has_no_ceiling_and_pays_for_deadweight():
    """Twice the support reaches twice the businesses (no hard ceiling), and more
    deadweight means fewer of them."""
    runs = run_scenarios([{"sme_support": 300.0}, {"sme_support": 600.0}])
    b = runs.scenario["supported_businesses"]
    assert_allclose(b[1], 2 * b[0], rtol=1e-12)
    assert b[0].max() > 0
    more_dw = run_scenarios([{"sme_support": 300.0}], params=central(sme_deadweight=0.7))
    assert_allclose(
        more_dw.scenario["supported_businesses"][0], b[0] * (1 - 0.7) / (1 - 0.4), rtol=1e-12
    )


def test_crop_budget_value_is_the_with_without_difference():
    """One irrigated hectare adds the crop mix's irrigated minus rain-fed value added."""
    expected = 0.0
    for c in crop_budgets():
        price = 30.0 if c.price is None else c.price
        expected += c.share * (c.yield_irrigated - c.yield_rainfed) * price * c.value_added_share
    assert float(incremental_value_per_ha(np.array(30.0))) * 1e6 == pytest.approx(expected * 1e3)
    assert {c.crop for c in crop_budgets()} == {"apricot", "other_orchard", "grain", "fodder"}


def test_appraise_command_prints_the_same_figures_as_the_model(tmp_path):
    """``python -m model appraise FILE --json`` prints exactly the summary keys, with the
    values of the model's own appraisal."""
    path = ROOT / "scenarios" / "presets" / "forum_2013.toml"
    out = subprocess.run(
        [sys.executable, "-m", "model", "appraise", str(path), "--json", "--rate", "0.09"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    got = json.loads(out)
    assert tuple(got) == SUMMARY_KEYS
    want = run_scenarios([preset("forum_2013").to_settings()]).appraisals[0.09].summary(0)
    for k in SUMMARY_KEYS:
        if want[k] is None:
            assert got[k] is None, k
        else:
            assert got[k] == pytest.approx(want[k], rel=1e-12), k
    bad = subprocess.run(
        [sys.executable, "-m", "model", "appraise", str(path), "--rate", "lots"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "rate" in bad.stderr


def test_readme_preset_table_is_what_the_model_says():
    """The README's table of preset appraisals is the model's own output (cost, the ratio
    at 6/9/12%): a change of parameters that moves them must update the README too."""
    import re

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = {
        m.group(1).strip(): m.group(2)
        for m in re.finditer(
            r"^\| ([^|]+?)(?:, at its own cost)? \| ([\d,]+ \| [\d.]+ \| [\d.]+ \| "
            r"[\d.]+) \|",
            text,
            flags=re.M,
        )
    }
    checked = 0
    for pid in ("forum_2013", "irrigation_2017_2025", "roads_first", "sme_led"):
        s = preset(pid)
        assert s.name in rows, f"README has no appraisal row for {s.name!r}"
        cost, *ratios = (float(v.replace(",", "")) for v in rows[s.name].split(" | "))
        runs = run_scenarios([s.to_settings()])
        assert runs.appraisal.cost[0] == pytest.approx(cost, abs=0.5), s.name
        for rate, shown in zip(RATES, ratios, strict=True):
            assert round(float(runs.appraisals[rate].bcr[0]), 2) == shown, (s.name, rate)
        checked += 1
    assert checked == 4


def test_tornado_of_npv_falls_with_unit_costs():
    """Dearer hectares lower the programme's NPV and the multiplier on construction moves
    nothing (construction demand no longer makes spending look like benefit). Road unit
    costs are left out on purpose: they also set how many km the baseline's own money
    builds, so their effect on a programme's NPV has no fixed sign."""
    from model.sensitivity import tornado

    res = tornado(
        {**IRRIGATION, **ROADS},
        2035,
        metric="npv",
        names=[
            "irr_cost_new_mln_som_per_ha",
            "irr_om_cost_mln_som_per_ha",
            "regional_multiplier",
            "local_content_constr",
        ],
    )
    rows = {r.name: r for r in res.rows}
    for name in ("irr_cost_new_mln_som_per_ha", "irr_om_cost_mln_som_per_ha"):
        assert rows[name].output_high < rows[name].output_low, name
    for name in ("regional_multiplier", "local_content_constr"):
        assert rows[name].swing == pytest.approx(0.0, abs=1e-6), name
