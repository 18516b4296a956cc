"""Where a scenario puts its levers: files (schema 3), old files, links and the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from model.levers import DISTRICTS, basin_water_key, place_key
from scenarios import ScenarioError, load_scenario, preset
from scenarios.io import dump_scenario
from scenarios.schema import SCHEMA_VERSION, Scenario
from scenarios.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
FORUM = ROOT / "scenarios" / "presets" / "forum_2013.toml"

PLACED_FILE = """schema_version = 3
name = "Burgandy and R-4"

[levers]
irrigation_new_ha = 1000.0

[placement.irrigation_new_ha]
kadamjay = 70.0
batken = 30.0

[basins]
sokh = 60.0
"""


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "model", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_schema_version_is_3_and_a_placed_file_round_trips():
    assert SCHEMA_VERSION == 3
    s = load_scenario(PLACED_FILE, "x.toml")
    settings = s.to_settings()
    assert settings[place_key("irrigation_new_ha", "kadamjay")] == 70.0
    assert settings[place_key("irrigation_new_ha", "batken")] == 30.0
    assert settings[basin_water_key("sokh")] == 60.0
    text = dump_scenario(s)
    assert "[placement.irrigation_new_ha]" in text and "[basins]" in text
    again = load_scenario(text, "y.toml")
    assert again.to_settings() == settings
    # an unplaced scenario writes no placement or basin table at all
    plain = dump_scenario(Scenario.from_settings({"sme_support": 10.0}, name="plain"))
    assert "placement" not in plain and "basins" not in plain


@pytest.mark.parametrize("version", [1, 2])
def test_old_files_still_read_oblast_wide_with_a_note(version):
    text = f'schema_version = {version}\nname = "old"\n[levers]\nsme_support = 100.0\n'
    s = load_scenario(text, "old.toml")
    assert s.to_settings()["sme_support"] == 100.0
    assert not any("." in k for k in s.to_settings())  # nothing placed, basins normal
    note = s.upgrade_note()
    assert note is not None and f"version {version}" in note and "oblast-wide" in note
    assert load_scenario(PLACED_FILE, "new.toml").upgrade_note() is None


def test_a_share_out_of_range_names_the_field_and_its_range():
    bad = PLACED_FILE.replace("kadamjay = 70.0", "kadamjay = 170.0")
    with pytest.raises(ScenarioError) as err:
        load_scenario(bad, "bad.toml")
    assert err.value.code == "out_of_range"
    assert err.value.field == "placement.irrigation_new_ha.kadamjay"
    assert "0 to 100" in str(err.value)
    unknown = PLACED_FILE.replace("kadamjay = 70.0", "osh = 70.0")
    with pytest.raises(ScenarioError) as err:
        load_scenario(unknown, "bad.toml")
    assert err.value.code == "unknown_field" and "kadamjay" in str(err.value)


def test_share_link_carries_the_placement():
    s = Settings.from_mapping(load_scenario(PLACED_FILE, "x.toml").to_settings())
    query = s.to_query()
    assert query[place_key("irrigation_new_ha", "kadamjay")] == "70"
    assert query[basin_water_key("sokh")] == "60"
    back, refused = Settings.from_query(query)
    assert back == s and refused == []
    bad, refused = Settings.from_query({place_key("sme_support", "leilek"): "-5"})
    assert refused == [place_key("sme_support", "leilek")]
    assert bad[place_key("sme_support", "leilek")] == 0.0


def test_forum_preset_places_its_projects():
    """The forum plan's road sections lie between Batken and Isfana (Batken and Leilek
    districts), Burgandy in Kadamjay and the R-4 canal in Batken district."""
    st = preset("forum_2013").to_settings()
    assert st[place_key("irrigation_new_ha", "kadamjay")] == 70.0
    assert st[place_key("irrigation_new_ha", "batken")] == 30.0
    assert st[place_key("infrastructure_spend", "leilek")] > 0
    assert st[place_key("infrastructure_spend", "batken")] > 0
    assert st[place_key("infrastructure_spend", "kadamjay")] == 0.0
    assert "crbc.com" in (preset("forum_2013").notes or "")


def test_run_by_district_writes_one_row_per_year_and_district(tmp_path):
    oblast_csv, unit_csv = tmp_path / "o.csv", tmp_path / "d.csv"
    assert cli("run", str(FORUM), "--out", str(oblast_csv)).returncode == 0
    res = cli("run", str(FORUM), "--out", str(unit_csv), "--by-district")
    assert res.returncode == 0, res.stderr
    oblast, units = pd.read_csv(oblast_csv), pd.read_csv(unit_csv)
    assert list(units.columns) == ["year", "district", *oblast.columns[1:]]
    assert len(units) == len(oblast) * len(DISTRICTS)
    assert set(units["district"]) == set(DISTRICTS)
    additive = [
        c for c in oblast.columns[1:] if c not in ("grp_per_capita", "labour_income_per_capita")
    ]
    summed = units.groupby("year")[additive].sum().reset_index()
    # the CSV rounds to 3 decimals: six rounded rows add up within 6 x 0.0005
    assert_allclose(summed[additive].to_numpy(), oblast[additive].to_numpy(), atol=0.004)
    # default output stays the oblast's
    assert "district" not in oblast.columns


def test_run_prints_the_upgrade_note_for_an_old_file(tmp_path):
    old = tmp_path / "old.toml"
    old.write_text('schema_version = 2\nname = "old"\n[levers]\nsme_support = 100.0\n')
    res = cli("run", str(old), "--out", str(tmp_path / "r.csv"))
    assert res.returncode == 0 and "note:" in res.stderr and "oblast-wide" in res.stderr
