"""AppTest: what the planner sees of the analyses (bands, tornado, waterfall, goal-seek,
budget envelope, fit to history). Model-level properties are tested in tests/analysis."""

from __future__ import annotations

import json
import re
import string
import tomllib
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from model import LEVERS, run_scenarios
from model.optimise import programme_cost
from tests.app.conftest import chart_title, goto, metric_number, new_app, no_exception
from ui.i18n import _flatten, translate

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = {"infrastructure_spend": "1000", "irrigation_new_ha": "1500", "sme_support": "100"}


def sentence(key: str, **fill: str) -> str:
    """A regex for the English catalog text ``key`` as the app fills it in: the text is
    literal, each ``{placeholder}`` a named group (a repeat must match the same text),
    and the placeholders given in ``fill`` are the literal values."""
    out, seen = "", set()
    for literal, name, _, _ in string.Formatter().parse(translate("en", key)):
        out += re.escape(literal)
        if name is None:
            continue
        if name in fill:
            out += re.escape(fill[name])
        elif name in seen:
            out += f"(?P={name})"
        else:
            seen.add(name)
            out += f"(?P<{name}>.+?)"
    return out


def texts(at: AppTest) -> str:
    """Every markdown, caption, info, warning and success text of the run, joined."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for e in (*at.info, *at.warning, *at.success, *at.error)]
    return "\n".join(parts)


def chart_titles(at: AppTest) -> list[str]:
    """Titles of the Altair charts drawn in the run."""
    return [chart_title(el) for el in at.get("vega_lite_chart")]


def levers(at: AppTest) -> dict[str, float]:
    return {k: float(at.session_state[k]) for k in LEVERS}


# --- catalogs ---------------------------------------------------------------------------


def _part(lang: str) -> dict[str, str]:
    with (ROOT / "i18n" / f"{lang}.analysis.toml").open("rb") as fh:
        return _flatten(tomllib.load(fh))


def test_catalog_parts_match_and_do_not_clash() -> None:
    en = _part("en")
    with (ROOT / "i18n" / "en.toml").open("rb") as fh:
        main = _flatten(tomllib.load(fh))
    assert not set(en) & set(main), f"keys also in en.toml: {sorted(set(en) & set(main))}"
    ph = re.compile(r"\{(\w+)\}")
    for lang in ("ru", "ky"):
        other = _part(lang)
        assert set(other) == set(en), f"{lang}.analysis.toml keys differ: {set(other) ^ set(en)}"
        for key, text in en.items():
            assert set(ph.findall(other[key])) == set(ph.findall(text)), (
                f"{lang}.analysis.toml {key}: placeholders {ph.findall(other[key])} "
                f"!= English {ph.findall(text)}"
            )
        assert other["bands.toggle"] != en["bands.toggle"], f"{lang} is not translated"
    assert re.search("[ңөү]", " ".join(_part("ky").values())), "ky lacks Kyrgyz letters"


# --- pages render -----------------------------------------------------------------------


@pytest.mark.parametrize("page_id", ["analysis", "goal"])
@pytest.mark.parametrize("query", [{}, SCENARIO], ids=["baseline", "scenario"])
def test_analysis_and_goal_pages_render(page_id: str, query: dict[str, str]) -> None:
    at = goto(new_app(**query), page_id)
    no_exception(at)
    assert at.title and at.title[0].value, f"{page_id} has no title"


# --- 1. bands on the scenario page ------------------------------------------------------


def test_bands_toggle_shows_the_beats_sentence() -> None:
    at = new_app(**SCENARIO)
    beats = sentence("bands.beats")
    assert not re.search(beats, texts(at)), "bands must be off by default"
    at.toggle(key="bands").set_value(True).run()
    no_exception(at)
    found = re.search(beats, texts(at))
    assert found, f"no 'beats the baseline' sentence: {texts(at)[:400]!r}"
    pct, year = int(found.group("pct")), int(found.group("year"))
    assert 0 <= pct <= 100, f"share of draws {pct}% is not a percentage"
    kpi_year = at.selectbox(key="year").value
    assert year == kpi_year, f"sentence year {year} is not the KPI year {kpi_year}"
    spec = json.dumps([json.loads(c.proto.spec) for c in at.get("vega_lite_chart")])
    for level in ("bands.level90", "bands.level50"):
        assert translate("en", level) in spec, f"band {level} not in the GRP chart"
    # follows the KPI year selector
    at.selectbox(key="year").set_value(2030).run()
    assert re.search(sentence("bands.beats", year="2030"), texts(at)), (
        "sentence ignores the KPI year"
    )


# --- 2. analysis page -------------------------------------------------------------------


def test_tornado_waterfall_and_sobol() -> None:
    at = goto(new_app(**SCENARIO), "analysis")
    no_exception(at)
    titles = chart_titles(at)
    assert any(re.fullmatch(sentence("analysis.tornado_chart"), t) for t in titles), (
        f"no tornado chart; charts: {titles}"
    )
    assert any(re.fullmatch(sentence("analysis.why_chart"), t) for t in titles), (
        f"no waterfall; charts: {titles}"
    )
    body = texts(at)
    assert re.search(sentence("analysis.tornado_sentence"), body), "no tornado sentence"
    assert (
        re.search(sentence("analysis.tornado_weak"), body)
        or translate("en", "analysis.tornado_no_weak") in body
    ), "no weak-sources sentence"
    # the waterfall adds up: the sentence's total equals the KPI difference
    total = re.search(sentence("analysis.why_sentence"), body)
    assert total, f"no waterfall sentence: {body[:300]!r}"
    runs = run_scenarios([{k: float(v) for k, v in SCENARIO.items()}])
    diff = float(runs.scenario["grp"][0, 2035 - 2007] - runs.baseline["grp"][0, 2035 - 2007])
    assert float(total.group("total").replace(",", "")) == pytest.approx(diff, abs=1), (
        "waterfall total != scenario minus baseline GRP 2035"
    )
    at.button(key="sobol_run").click().run()
    no_exception(at)
    assert any(re.fullmatch(sentence("analysis.sobol_chart"), t) for t in chart_titles(at)), (
        "Sobol chart missing after the button"
    )
    assert re.search(sentence("analysis.sobol_sentence"), texts(at)), (
        "no sentence naming the parameters that matter most"
    )


def test_analysis_without_programme_explains_why_nothing_to_explain() -> None:
    at = goto(new_app(), "analysis")
    no_exception(at)
    assert translate("en", "analysis.no_programme") in texts(at), "no 'nothing to explain'"
    assert not any(re.fullmatch(sentence("analysis.tornado_chart"), t) for t in chart_titles(at)), (
        "a tornado drawn without a programme"
    )


# --- 3. goal-seek -----------------------------------------------------------------------


def test_goal_budget_mix_within_budget_and_apply_sets_levers() -> None:
    at = goto(new_app(), "goal")
    base_grp = metric_number(goto(new_app(), "scenario"), "grp")
    at.text_input(key="goal_budget").input("15000").run()
    at.button(key="goal_best_run").click().run()
    no_exception(at)
    assert at.button(key="goal_apply_best"), "no 'Apply this mix' button"
    at.button(key="goal_apply_best").click().run()
    no_exception(at)
    applied = levers(at)
    assert any(v > 0 for v in applied.values()), f"apply left every lever at 0: {applied}"
    cost = programme_cost(applied)
    assert cost <= 15000 + 1e-6, f"applied mix costs {cost:.0f} > budget 15,000"
    assert cost >= 0.8 * 15000, f"applied mix spends only {cost:.0f} of 15,000"
    for k, v in applied.items():
        step = LEVERS[k].step
        assert abs(v / step - round(v / step)) < 1e-9, f"{k}={v} is not on the slider grid"
    for k, v in applied.items():
        assert at.slider(key=k).value == pytest.approx(v), f"slider {k} not set"
    assert at.query_params.get("infrastructure_spend") or at.query_params.get("sme_support"), (
        f"URL does not carry the mix: {dict(at.query_params)}"
    )
    at = goto(at, "scenario")
    no_exception(at)
    assert metric_number(at, "grp") > base_grp, "KPIs did not change after applying the mix"
    assert metric_number(at, "programme_cost_cumulative") > 0


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({}, []),
        ({"road_trunk_share": "80"}, ["lever.road_trunk_share.label"]),
        ({"infrastructure_spend.batken": "60"}, ["page.districts"]),
        (
            {"road_trunk_share": "20", "infrastructure_spend.leilek": "50"},
            ["lever.road_trunk_share.label", "page.districts"],
        ),
    ],
)
def test_goal_says_what_of_the_scenario_the_search_does_not_vary(query, named) -> None:
    """The optimiser spreads money at the default trunk share and places nothing by
    district; when the scenario sets either, the page says so in the planner's language
    (the figures it shows are the mix run with the planner's settings)."""
    at = goto(new_app(lang="ru", infrastructure_spend="1000", **query), "goal")
    no_exception(at)
    notes = [
        i.value for i in at.info if i.value.startswith(translate("ru", "goal.search_spread")[:20])
    ]
    if not named:
        assert notes == [], notes
        return
    what = ", ".join(translate("ru", k) for k in named)
    assert notes == [translate("ru", "goal.search_spread", what=what)], notes


def test_goal_unreachable_target_says_so() -> None:
    at = goto(new_app(), "goal")
    at.text_input(key="goal_target").input("500000").run()
    at.button(key="goal_cheap_run").click().run()
    no_exception(at)
    warnings = " ".join(w.value for w in at.warning)
    assert re.search(sentence("goal.unreachable"), warnings), (
        f"no 'not reachable' message: {warnings!r}"
    )
    assert at.button(key="goal_apply_cheap"), "the closest mix must still be offered"


def test_goal_cheapest_mix_reaches_target_after_rounding() -> None:
    at = goto(new_app(), "goal")
    hint = re.search(sentence("goal.hint_baseline"), texts(at))
    assert hint, "no baseline hint next to the target"
    target = int(float(hint.group("value").replace(",", "")) * 1.08)
    at.text_input(key="goal_target").input(str(target)).run()
    at.button(key="goal_cheap_run").click().run()
    at.button(key="goal_apply_cheap").click().run()
    no_exception(at)
    at = goto(at, "scenario")
    assert metric_number(at, "grp_per_capita") >= target, "rounded mix misses the target"


# --- 4. budget envelope -----------------------------------------------------------------


def test_budget_envelope_left_and_over() -> None:
    at = new_app(infrastructure_spend="500", budget="10000")  # 500 x 10 years = 5,000
    no_exception(at)
    assert re.search(sentence("budget.left", left="5,000"), texts(at)), texts(at)[:300]
    at.slider(key="infrastructure_spend").set_value(1500.0).run()  # 15,000
    warnings = " ".join(w.value for w in at.warning)
    over = sentence("budget.over")
    assert re.search(sentence("budget.over", over="5,000"), warnings), (
        f"no over-budget warning: {warnings!r}"
    )
    at.text_input(key="budget_text").set_value("0").run()
    assert not re.search(over, " ".join(w.value for w in at.warning)), "0 must switch it off"


def test_water_and_road_warnings() -> None:
    at = new_app(irrigation_new_ha="4000")
    assert any(re.search(sentence("budget.water"), w.value) for w in at.warning), (
        "no water warning for 4,000 new ha a year"
    )
    at = new_app(
        infrastructure_spend="5000", road_maintenance="1000", start_year="2024", end_year="2040"
    )
    assert any(re.search(sentence("budget.roads"), w.value) for w in at.warning), (
        "no road-network warning"
    )
    at = new_app(infrastructure_spend="500")
    assert not at.warning, f"a feasible scenario warns: {[w.value for w in at.warning]}"


def _basins_short_of_water(levers: dict[str, float]) -> dict[str, int]:
    """Basin -> the first projection year its land needs more water than it has, for
    the basins where the programme adds irrigated land (read from the model's basin
    outputs directly, not through the app)."""
    from model.levers import BASINS, FIRST_PROJECTION_YEAR, YEARS

    places = run_scenarios([levers], by_district=True).places
    assert places is not None
    served = places["basins_scenario"]["irrigated_served_ha"][0]
    cap = places["basins_scenario"]["water_cap_ha"][0]
    added = served - places["basins_baseline"]["irrigated_served_ha"][0]
    out = {}
    for i, basin in enumerate(BASINS):
        short = (served[:, i] > cap[:, i] + 0.5) & (YEARS >= FIRST_PROJECTION_YEAR)
        if short.any() and (added[:, i] > 0.5).any():
            out[basin] = int(YEARS[np.argmax(short)])
    return out


def test_a_river_basin_short_of_water_is_warned_even_when_the_oblast_is_not() -> None:
    """200 new ha a year fit the oblast's water, but part goes to the Sokh basin, whose
    water the baseline's own new land (Burgondu) already uses up: the model gives those
    hectares nothing from then on, and the sidebar and the page must say so."""
    short = _basins_short_of_water({"irrigation_new_ha": 200.0})
    assert short, "premise: some basin the programme waters runs short"
    at = new_app(irrigation_new_ha="200")
    assert not any(re.search(sentence("budget.water"), w.value) for w in at.warning), (
        "premise: the oblast as a whole has the water"
    )
    for where in (at.sidebar.warning, at.main.warning):
        text = " ".join(w.value for w in where)
        assert re.search(sentence("budget.basin_water"), text), f"no basin warning: {text!r}"
        for basin, year in short.items():
            named = translate(
                "en", "budget.basin_from", name=translate("en", f"basin.{basin}"), year=year
            )
            assert named in text, f"{named!r} not in {text!r}"


# --- 5. fit to history ------------------------------------------------------------------


def test_about_shows_fit_and_backtest_sentences() -> None:
    at = goto(new_app(), "about")
    no_exception(at)
    body = texts(at)
    fit = re.search(sentence("fit_history.fit_sentence"), body)
    assert fit and 0 < float(fit.group("pct")) < 20, f"no fit sentence: {body[:400]!r}"
    assert re.search(
        sentence(
            "fit_history.backtest_sentence",
            fit_start="2007",
            fit_end="2017",
            start="2018",
            end="2023",
        ),
        body,
    ), "no back-test sentence"
    assert translate("en", "fit_history.source") in body, "data source not named"
    assert translate("en", "fit_history.pc_caption") in body, "per-capita basis not explained"


def test_share_link_carries_the_budget_envelope() -> None:
    at = new_app(budget="20000", infrastructure_spend="500")
    no_exception(at)
    text = " ".join(c.value for c in at.code)
    assert "budget=20000" in text and "infrastructure_spend=500" in text, text
