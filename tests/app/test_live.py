"""The live layer's data: decoded as the script decodes it, every step's card reads
exactly what the settled card will read for that step."""

from __future__ import annotations

import base64

import numpy as np
from streamlit.testing.v1 import AppTest

from tests.app.conftest import TIMEOUT


def _decode(data: dict) -> dict[str, dict]:
    """What ui/live.js does: base64 int32 differences -> per setting, cards and paths."""
    all_ = np.cumsum(np.frombuffer(base64.b64decode(data["packed"]), "<i4").astype(np.int64))
    rows = sum(g[2] for g in data["grids"].values())
    years = len(data["own_path"])
    out, start = {}, 0
    for key, (_, _, n) in data["grids"].items():
        cards = {}
        for j, kid in enumerate(data["kpis"]):
            at = 3 * j * rows + start
            scale = 10 ** data["digits"][kid]
            cards[kid] = {
                "value": all_[at : at + n] / scale,
                "diff": all_[at + rows : at + rows + n] / scale,
                "pct": all_[at + 2 * rows : at + 2 * rows + n] / 10,
            }
        p0 = 3 * len(data["kpis"]) * rows + start * years
        path = all_[p0 : p0 + n * years].reshape(n, years) + np.array(data["own_path"])
        out[key] = {"cards": cards, "path": path}
        start += n
    return out


def test_every_step_of_every_lever_decodes_to_the_models_card() -> None:
    def script() -> None:
        import streamlit as st

        from scenarios.settings import Settings
        from ui import compute, live

        settings = Settings.from_mapping({"infrastructure_spend": 1500, "irrigation_new_ha": 700})
        result = compute.run_one(settings.effective.key)
        frame = live.chart_frame(result, "grp", settings.band)
        st.session_state["payload"] = live.payload(settings, result, None, 2035, "grp", frame)

    at = AppTest.from_function(script, default_timeout=TIMEOUT).run()
    assert not at.exception, [e.message for e in at.exception]
    data = at.session_state["payload"]

    from model import ALL_SETTINGS, run_scenarios
    from model.sweep import lever_grid

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
        frame = live.chart_frame(result, "grp", settings.band)
        st.session_state["payload"] = live.payload(settings, result, ref, 2035, "grp", frame)

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
