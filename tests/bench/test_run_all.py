"""bench/run_all.py's summary of the alternating latency probe rounds."""

from __future__ import annotations

from bench.run_all import probe_rows


def test_the_ratio_is_the_median_of_each_rounds_own_ratio() -> None:
    floors = [("2.3", "40"), ("2.4", "60"), ("2.2", "50")]
    apps = [("4.1", "140"), ("4.3", "150"), ("4.0", "130")]
    rows = {name: figure for name, figure, _ in probe_rows(floors, apps)}
    # the rounds' ratios 3.50, 2.50, 2.60 -> 2.60 (the medians' ratio, 140 / 50 = 2.80,
    # would mix a slow moment of one app with a fast one of the other)
    assert rows["browser: dashboard / floor"] == "2.60x (3.50, 2.50, 2.60)"
    assert rows["browser: floor app slider->settled (median)"] == "50 ms (40, 60, 50)"
    assert rows["browser: dashboard slider->settled (median)"] == "140 ms (140, 150, 130)"
    assert rows["browser: dashboard cold start to idle page"] == "4.10 s (4.10, 4.30, 4.00)"


def test_one_round_prints_plain_figures_and_a_failed_probe_gives_no_ratio() -> None:
    (_, floor, app, ratio, _) = probe_rows([("2.3", "40")], [("4.1", "120")])
    assert (floor[1], app[1], ratio[1]) == ("40 ms", "120 ms", "3.00x")
    rows = probe_rows([("2.3", "n/a")], [("", "120")])
    assert rows[3][1] == "n/a" and rows[1][1] == "n/a"
