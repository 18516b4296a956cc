"""Scenario files in the app: writing the current scenario, reading uploads safely.

An upload is validated completely (``scenarios.load_scenario``) before anything in the
session changes; a refused file becomes one translated sentence naming the problem.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import ValidationError

from model import ALL_SETTINGS
from scenarios import MAX_FILE_BYTES, Scenario, ScenarioError, dump_scenario, load_scenario
from ui import state
from ui.i18n import t


@dataclass(frozen=True)
class Upload:
    """One uploaded file: the scenario, or the message why it was refused."""

    file_name: str
    scenario: Scenario | None
    error: str | None


def error_message(err: ScenarioError) -> str:
    """A ScenarioError in the active language (English sentence if the code is new)."""
    key = f"error.{err.code}"
    params = {k: ("" if v is None else v) for k, v in err.params.items()}
    # The parser speaks English; words it fills in are translated from their codes.
    if "expected_code" in params:
        params["expected"] = t(f"error.expected.{params['expected_code']}")
    if params.get("key") in ALL_SETTINGS:
        params["unit"] = t(f"unit.{params['key']}")
    text = t(key, field=err.field, **params)
    return str(err) if text == key else text


def read_upload(file_name: str, data: bytes) -> Upload:
    """Validate an uploaded file completely; never raises."""
    if len(data) > MAX_FILE_BYTES:
        return Upload(file_name, None, t("error.too_large", size_kb=len(data) // 1024,
                                         max_kb=MAX_FILE_BYTES // 1024))
    try:
        return Upload(file_name, load_scenario(data, file_name), None)
    except ScenarioError as err:
        return Upload(file_name, None, error_message(err))
    except Exception:
        return Upload(file_name, None, t("error.unreadable"))


def default_name() -> str:
    """The name a scenario gets when the planner left it empty."""
    return t("files.default_name")


def scenario_text(settings: Mapping[str, float], meta: Mapping[str, str],
                  fmt: str = "toml") -> tuple[str | None, str | None]:
    """The current scenario as file text, or ``(None, message)`` if the metadata is bad."""
    fields = {
        "name": (meta.get("name") or "").strip() or default_name(),
        "description": meta.get("description") or "",
        "author": (meta.get("author") or "").strip() or None,
        "notes": meta.get("notes") or None,
    }
    try:
        scn = Scenario.from_settings(state.effective(settings), **fields)
    except ValidationError as exc:
        e = exc.errors(include_url=False)[0]
        loc = ".".join(str(p) for p in e["loc"])
        return None, t("files.meta_invalid", field=loc, detail=str(e.get("msg", "")))
    return dump_scenario(scn, fmt), None


def file_stem(name: str) -> str:
    """A safe file name stem from a scenario name."""
    stem = re.sub(r"[^\w\-]+", "_", name.strip().lower(), flags=re.UNICODE).strip("_")
    return stem[:60] or "scenario"
