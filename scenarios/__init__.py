"""Scenario files: schema, reading and writing, and the bundled presets."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from scenarios.io import (
    MAX_FILE_BYTES,
    MESSAGES,
    ScenarioError,
    dump_scenario,
    load_scenario,
    printable,
    read_scenario,
    scenario_from_mapping,
)
from scenarios.schema import SCHEMA_VERSION, Scenario

__all__ = [
    "MAX_FILE_BYTES",
    "MESSAGES",
    "PRESET_IDS",
    "SCHEMA_VERSION",
    "Scenario",
    "ScenarioError",
    "dump_scenario",
    "load_scenario",
    "preset",
    "presets",
    "printable",
    "read_scenario",
    "scenario_from_mapping",
]

PRESET_DIR = Path(__file__).resolve().parent / "presets"

#: Preset ids in display order; each is ``presets/<id>.toml``. Ids are language-neutral
#: and appear in share links.
PRESET_IDS = (
    "baseline",
    "forum_2013",
    "irrigation_2017_2025",
    "roads_first",
    "sme_led",
    "drought_stress",
)


@cache
def presets() -> dict[str, Scenario]:
    """Every bundled preset, by id."""
    return {pid: read_scenario(PRESET_DIR / f"{pid}.toml") for pid in PRESET_IDS}


def preset(preset_id: str) -> Scenario:
    """One bundled preset; ``KeyError`` for an unknown id."""
    return presets()[preset_id]
