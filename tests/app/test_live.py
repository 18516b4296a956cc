"""The live layer's data: decoded as the script decodes it, every step's card reads
exactly what the settled card will read for that step."""

from __future__ import annotations

import base64
from dataclasses import replace

import numpy as np
from streamlit.testing.v1 import AppTest

from tests.app.conftest import TIMEOUT
from ui.live import js_round, pack


def _decode(data: dict) -> dict[str, dict]:
    """What ui/live.js does: blocks of 1-, 2- or 4-byte differences -> per setting,
    cards (value, change and percentage from the value, the reference and the two
    corrections) and paths."""
    raw = base64.b64decode(data["packed"])
    blocks, offset = [], 0
    for width, n in data["layout"]:
        steps = np.frombuffer(raw, f"<i{width}", count=n, offset=offset)
        blocks.append(np.cumsum(steps.astype(np.int64)).astype(float))
        offset += -(-n * width // 4) * 4
    assert offset == len(raw), "the layout does not cover the packed bytes"
    years = len(data["own_path"])
    out, start = {}, 0
    for key, (_, _, n) in data["grids"].items():
        cards = {}
        for j, kid in enumerate(data["kpis"]):
            scale, ref = 10 ** data["digits"][kid], data["refs"][kid]
            shown = blocks[3 * j][start : start + n]
            approx = js_round(1000 * (shown - ref) / ref) if ref else 0.0
            cards[kid] = {
                "value": shown / scale,
                "diff": (shown - ref + blocks[3 * j + 1][start : start + n]) / scale,
                "pct": (approx + blocks[3 * j + 2][start : start + n]) / 10,
            }
        path = blocks[-1][start * years : (start + n) * years].reshape(n, years)
        cost = blocks[data["cost_block"]][start : start + n]
        out[key] = {"cards": cards, "path": path + np.array(data["own_path"]), "cost": cost}
        start += n
    return out


def test_js_round_rounds_halves_up_as_javascript_does() -> None:
    np.testing.assert_array_equal(
        js_round(np.array([-2.5, -0.5, 0.5, 1.5, 2.5, 2.4999, -1.2])),
        [-2.0, 0.0, 1.0, 2.0, 3.0, 2.0, -1.0],
    )


def test_pack_picks_the_narrowest_width_and_round_trips() -> None:
    small, wide = np.arange(10) * 3, np.array([0, 40_000, -40_000, 5])
    packed, layout = pack([small, np.array([7]), wide])
    assert layout == [[1, 10], [1, 1], [4, 4]]
    raw, offset, back = base64.b64decode(packed), 0, []
    for width, n in layout:
        back.append(np.cumsum(np.frombuffer(raw, f"<i{width}", count=n, offset=offset)))
        offset += -(-n * width // 4) * 4
    for got, want in zip(back, [small, [7], wide], strict=True):
        np.testing.assert_array_equal(got, want)


def test_every_step_of_every_lever_decodes_to_the_models_card() -> None:
    def script() -> None:
        import streamlit as st

        from scenarios.settings import Settings
        from ui import compute, live

        settings = Settings.from_mapping({"infrastructure_spend": 1500, "irrigation_new_ha": 700})
        result = compute.run_one(settings.effective.key)
        st.session_state["payload"] = live.payload(
            live.Published(settings, result, None, 2035, "grp", settings.band)
        )
        st.session_state["result"] = result

    at = AppTest.from_function(script, default_timeout=TIMEOUT).run()
    assert not at.exception, [e.message for e in at.exception]
    data = at.session_state["payload"]

    from model import ALL_SETTINGS, run_scenarios
    from model.appraisal import DEFAULT_RATE
    from model.sweep import lever_grid
    from scenarios.settings import Settings

    base = {"infrastructure_spend": 1500.0, "irrigation_new_ha": 700.0}
    decoded = _decode(data)
    assert list(decoded) == list(ALL_SETTINGS)
    for key in ("sme_support", "water_availability", "end_year"):
        grid = lever_grid(key)
        table = decoded[key]
        picks = [0, len(grid) // 3, len(grid) - 1]
        rows = [{**base, key: float(grid[i])} for i in picks]
        if key == "end_year":  # an end before the start counts as the start
            rows = [{**r, "end_year": max(r["end_year"], 2027)} for r in rows]
        runs = run_scenarios(rows)
        grp = runs.scenario["grp"][:, 2035 - 2007]
        base_grp = runs.baseline["grp"][0, 2035 - 2007]
        value, diff, pct = (table["cards"]["grp"][part] for part in ("value", "diff", "pct"))
        assert_rounded = np.testing.assert_array_equal
        assert_rounded(value[picks], np.round(grp))
        assert_rounded(diff[picks], np.round(grp - base_grp))
        assert_rounded(pct[picks], np.round(100 * (grp - base_grp) / base_grp, 1))
        assert_rounded(table["path"][picks], np.round(runs.scenario["grp"][:, 2024 - 2007 :]))
        # the whole programme's cost (the live answer sentence), as the appraisal counts it
        assert_rounded(table["cost"][picks], np.round(runs.appraisals[DEFAULT_RATE].cost))

    # every card of every row of every setting, against the step tables themselves
    from ui.live import LIVE_KPIS, OUTPUTS, _key
    from ui.live_worker import step_tables
    from ui.results import value_at

    result = at.session_state["result"]
    settings = Settings.from_mapping(base)
    tables = step_tables(*_key(settings, 2035, "grp"), OUTPUTS)
    starts = np.cumsum([0] + [g[2] for g in data["grids"].values()])
    for name, kid, digits in [*((k, k, d) for k, d in LIVE_KPIS), ("headline", "grp", 0)]:
        v, ref = tables["kpi"][kid], value_at(result, kid, 2035)[1]
        scale = 10**digits
        got = {
            part: np.concatenate([decoded[k]["cards"][name][part] for k in decoded])
            for part in ("value", "diff", "pct")
        }
        assert len(got["value"]) == starts[-1] == len(v)
        np.testing.assert_array_equal(got["value"], np.round(v * scale) / scale, err_msg=name)
        np.testing.assert_array_equal(got["diff"], np.round((v - ref) * scale) / scale, name)
        if ref:
            want_pct = np.round(100 * (v - ref) / ref * 10) / 10
            np.testing.assert_array_equal(got["pct"], want_pct, err_msg=name)


def test_the_worker_keeps_the_rule_of_reversed_years() -> None:
    """ui/live_worker.py repeats Settings.effective's rule so the worker needs no
    scenario package; the two must agree."""
    from scenarios.settings import Settings
    from ui.live_worker import _effective

    for start, end in ((2030, 2025), (2027, 2036), (2040, 2024)):
        row = {"start_year": float(start), "end_year": float(end)}
        eff = Settings.from_mapping(row).effective
        assert _effective(dict(row)) == {
            "start_year": eff["start_year"],
            "end_year": eff["end_year"],
        }


def test_tables_from_the_worker_process_equal_those_made_in_the_server(monkeypatch) -> None:
    """The worker (spawned, as in the server) returns exactly what the server computes."""
    import multiprocessing
    import sys
    import types
    from concurrent.futures import ProcessPoolExecutor

    from ui.live import OUTPUTS
    from ui.live_worker import step_tables

    args = ((("infrastructure_spend", 1500.0),), 2035, "grp", OUTPUTS)
    here = step_tables(*args)
    # AppTest.from_function (earlier tests) leaves its script as __main__, which a spawned
    # child would run again; the server's own main module is app.py
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        there = pool.submit(step_tables, *args).result(timeout=120)
    assert there["grids"] == here["grids"]
    np.testing.assert_array_equal(there["path"], here["path"])
    for k in OUTPUTS:
        np.testing.assert_array_equal(there["kpi"][k], here["kpi"][k])


def test_against_a_reference_the_cards_move_against_it_and_the_headline_against_the_baseline() -> (
    None
):
    def script() -> None:
        import streamlit as st

        from scenarios import preset
        from scenarios.settings import Settings
        from ui import compute, live

        settings = Settings.from_mapping({"infrastructure_spend": 1500})
        result = compute.run_one(settings.effective.key)
        ref = compute.run_one(Settings.from_mapping(preset("sme_led").to_settings()).effective.key)
        st.session_state["payload"] = live.payload(
            live.Published(settings, result, ref, 2035, "grp", settings.band)
        )

    at = AppTest.from_function(script, default_timeout=TIMEOUT).run()
    assert not at.exception, [e.message for e in at.exception]
    table = _decode(at.session_state["payload"])["sme_support"]

    from model import run_scenarios
    from scenarios import preset

    runs = run_scenarios(
        [{"infrastructure_spend": 1500.0, "sme_support": 0.0}, preset("sme_led").to_settings()]
    )
    grp, ref_grp = runs.scenario["grp"][:, 2035 - 2007]
    base = runs.baseline["grp"][0, 2035 - 2007]
    assert table["cards"]["grp"]["diff"][0] == round(grp - ref_grp), "card: against the preset"
    assert table["cards"]["headline"]["diff"][0] == round(grp - base), "headline: the baseline"


def test_the_charts_fast_rows_equal_the_long_frame() -> None:
    """ui.results.history_records (the slider path) gives the rows of with_history
    (the exports' path), for GRP and per person, recorded years included."""
    from ui import compute
    from ui.results import history_records, with_history

    result = compute.run_one((("infrastructure_spend", 1500.0),))
    for measure in ("grp", "grp_per_capita"):
        labels = ("base", "scen", "rec")
        rows = history_records(result.frame, measure, *labels)
        frame = with_history(result.frame, measure, *labels)
        assert len(rows) == len(frame) > 0
        assert [r["series"] for r in rows] == frame["series"].tolist()
        assert [r["year"] for r in rows] == frame["year"].tolist()
        want = frame["value"].to_numpy(dtype=float)
        got = np.array([np.nan if r["value"] is None else r["value"] for r in rows])
        np.testing.assert_allclose(got, want, rtol=1e-12, equal_nan=True)
        assert "rec" in {r["series"] for r in rows}


def test_briefs_equal_the_full_results_and_only_new_scenarios_are_run(monkeypatch) -> None:
    """The workshop's per-participant figures (ui.compute.briefs) are the full run's cost
    and gains; a second call with one scenario more runs only that one."""
    import ui.compute as compute

    keys = [
        (("infrastructure_spend", 1500.0),),
        (("irrigation_new_ha", 700.0), ("sme_support", 120.0)),
        (),
    ]
    got = compute.briefs(keys, 2035)
    for key, brief in zip(keys, got, strict=True):
        want = compute.brief_of(compute.run_one(key), 2035)
        np.testing.assert_allclose(brief.cost, want.cost, rtol=1e-12)
        for output in compute.BRIEF_OUTPUTS:
            np.testing.assert_allclose(brief.gain[output], want.gain[output], rtol=1e-12, atol=1e-9)
    assert got[0].cost > 0 and got[0].gain["grp"] > 0 and got[2].cost == 0

    asked: list[int] = []
    real = compute.run_scenarios
    monkeypatch.setattr(
        compute, "run_scenarios", lambda rows: asked.append(len(rows)) or real(rows)
    )
    again = compute.briefs([*keys, (("road_maintenance", 300.0),)], 2035)
    assert asked == [1], "only the new scenario is run"
    assert again[:3] == got


def test_the_live_captions_and_sentence_are_the_sidebars_own_texts() -> None:
    """Each money lever's "what it buys" caption at every step of each setting it reads
    is what the sidebar writes there; the sentence's pieces make the sidebar's answer."""
    from model.levers import LEVERS
    from model.sweep import lever_grid
    from scenarios.settings import Settings
    from ui import live
    from ui.i18n import translate
    from ui.sidebar import buys

    settings = Settings.from_mapping({"infrastructure_spend": 1500, "road_trunk_share": 30})
    grids = {k: (float(lever_grid(k)[0]), 1.0, len(lever_grid(k))) for k in LEVERS}
    grids["road_trunk_share"] = (0.0, 5.0, len(lever_grid("road_trunk_share")))
    for lang in ("ky", "ru", "en"):
        got = live.captions(settings, grids, lang)
        assert set(got) == set(LEVERS) | {"road_trunk_share"}
        for key, pairs in got.items():
            grid = lever_grid(key)
            for lever, texts in pairs:
                assert len(texts) == len(grid), (key, lever)
                for i in (0, len(grid) // 2, len(grid) - 1):
                    want = buys(lever, {**dict(settings), key: float(grid[i])}, lang)
                    assert texts[i] == want, (lang, key, lever, i)
        # the trunk share moves the road caption, not a caption of its own
        assert [lever for lever, _ in got["road_trunk_share"]] == ["infrastructure_spend"]
        first, last = got["road_trunk_share"][0][1][0], got["road_trunk_share"][0][1][-1]
        assert first != last

        pieces = live.sentence(lang, 2035)
        bold = [text for text, strong in pieces if strong]
        assert bold == ["\x01"], "the change is the sentence's bold part"
        joined = "".join(text for text, _ in pieces).replace("\x01", "+5").replace("\x02", "9")
        assert joined == translate(
            lang, "sidebar.headline", year=2035, change="+5", cost="9"
        ).replace("**", "")


def test_with_a_budget_the_tables_carry_what_each_step_leaves_of_it() -> None:
    """Each row's budget left (rounded as the sidebar writes it) and whether it is over,
    from the same costs as the cost block; the sentences are the sidebar's own."""
    from scenarios.settings import Settings
    from ui import compute, live
    from ui.i18n import translate

    settings = Settings.from_mapping({"infrastructure_spend": 1500})
    result = compute.run_one(settings.effective.key)
    run = live.Published(settings, result, None, 2035, "grp", settings.band, "en")
    data = live.payload(replace(run, budget=20_000.0))
    assert live.payload(run)["budget"] is None, "no budget, no line"
    raw = base64.b64decode(data["packed"])
    blocks, offset = [], 0
    for width, n in data["layout"]:
        steps = np.frombuffer(raw, f"<i{width}", count=n, offset=offset)
        blocks.append(np.cumsum(steps.astype(np.int64)))
        offset += -(-n * width // 4) * 4
    cost = blocks[data["cost_block"]]
    left, over = blocks[data["budget"]["block"]], blocks[data["budget"]["block"] + 1]
    np.testing.assert_array_equal(np.abs(left - (20_000 - cost)) <= 1, True)
    np.testing.assert_array_equal(over, (left < 0).astype(int))
    assert over.any() and not over.all(), "some steps are over the budget, some not"
    joined = "".join(text for text, _ in data["budget"]["over"])
    assert joined == translate(
        "en", "budget.over", over="\x01", cost="\x02", budget="20,000", start="\x03", end="\x04"
    ).replace("**", "")
