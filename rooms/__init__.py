"""Workshop rooms: a facilitator's room, its participants and their scenarios, kept in a
database (SQLite by default, PostgreSQL by URL). No streamlit here: the dashboard's
``ui/workshop.py`` and ``ui/pages/workshop.py`` use this package."""

from __future__ import annotations

from rooms.stats import Spread, median_settings, spread
from rooms.store import (
    CODE_ALPHABET,
    CODE_LENGTH,
    DEFAULT_DAYS,
    ENV_PATH,
    ENV_URL,
    MAX_DAYS,
    NAME_MAX,
    RATIONALE_MAX,
    SCHEMA,
    TITLE_MAX,
    Entry,
    Room,
    RoomError,
    RoomStore,
    clean_text,
    default_url,
    format_code,
    normalise_code,
    scenario_payload,
    utcnow,
)

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "DEFAULT_DAYS",
    "ENV_PATH",
    "ENV_URL",
    "MAX_DAYS",
    "NAME_MAX",
    "RATIONALE_MAX",
    "SCHEMA",
    "TITLE_MAX",
    "Entry",
    "Room",
    "RoomError",
    "RoomStore",
    "Spread",
    "clean_text",
    "default_url",
    "format_code",
    "median_settings",
    "normalise_code",
    "scenario_payload",
    "spread",
    "utcnow",
]
