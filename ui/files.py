"""Scenario files in the app: writing the current scenario, reading uploads safely.

An upload is validated completely (``scenarios.load_scenario``) before anything in the
session changes; a refused file becomes one translated sentence naming the problem,
with the file's own words (keys, values) shown as text, never as Markdown. Each
upload is parsed once: the outcome is cached by the content's hash (shared by every
session, bounded), and a session hashes each upload once (by its upload id), so a
rerun of the Files page costs nothing per file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import streamlit as st
from pydantic import ValidationError

from model import ALL_SETTINGS
from scenarios import MAX_FILE_BYTES, Scenario, ScenarioError, dump_scenario, load_scenario
from scenarios.settings import Settings
from ui import keys, plain
from ui.i18n import fmt_num, fmt_setting, t

#: Files one upload may hold (a planner compares at most four scenarios).
MAX_UPLOAD_FILES = 10
#: Error parameters that carry the file's own words (shown as text).
OUTSIDE_PARAMS = ("value", "detail", "start")
#: Error parameters that are counts (shown with the language's separators).
COUNT_PARAMS = ("n", "max", "digits", "size_kb", "max_kb")


@dataclass(frozen=True)
class Upload:
    """One uploaded file: the scenario, or the message why it was refused."""

    file_name: str
    scenario: Scenario | None
    error: str | None


#: Where each setting sits in a scenario file (``levers.sme_support``) -> its key.
FILE_FIELDS: dict[str, str] = {
    f"{section}.{key}": key
    for section, info in Scenario.model_fields.items()
    for key in getattr(info.annotation, "model_fields", {})
    if key in ALL_SETTINGS
}
#: The scenario file's text fields (named by ``error.field.<name>``).
TEXT_FIELDS = ("name", "description", "author", "notes")


def field_name(field: str) -> str:
    """A scenario file's field as the planner knows it (Markdown): the lever's or the
    text field's label in the planner's language with the file key as code after it
    (“Road construction” (`levers.infrastructure_spend`)); a field the dashboard does
    not know (the file's own words) as code only."""
    key = FILE_FIELDS.get(field)
    label = (
        t(f"lever.{key}.label")
        if key
        else t(f"error.field.{field}")
        if field in TEXT_FIELDS
        else None
    )
    code = plain.code(field)
    return t("error.field_label", label=label, code=code) if label else code


def error_message(err: ScenarioError) -> str:
    """A ScenarioError in the active language (English sentence if the code is new), as
    Markdown in which the file's own words are code spans (shown literally)."""
    key = f"error.{err.code}"
    params: dict[str, Any] = {k: ("" if v is None else v) for k, v in err.params.items()}
    # The parser speaks English; words it fills in are translated from their codes.
    if "expected_code" in params:
        params["expected"] = t(f"error.expected.{params['expected_code']}")
    if (setting := params.get("key")) in ALL_SETTINGS:
        spec = ALL_SETTINGS[setting]
        params["unit"] = t(f"unit.{setting}")
        params["low"] = fmt_setting(setting, spec.low)
        params["high"] = fmt_setting(setting, spec.high)
    if err.code == "years_order":
        params["start_field"] = field_name("programme.start_year")
        params["end_field"] = field_name("programme.end_year")
    for name in OUTSIDE_PARAMS:
        if name in params:
            params[name] = plain.code(params[name], 60)
    for name in COUNT_PARAMS:
        if isinstance(params.get(name), int):
            params[name] = fmt_num(params[name])
    field = field_name(err.field) if err.field else ""
    text = t(key, field=field, **params)
    return plain.code(str(err), 200) if text == key else text


#: What parsing a file gave: the scenario, or the error's (code, field, params).
Outcome = tuple[Scenario | None, tuple[str, str, dict[str, Any]] | None]


@st.cache_data(max_entries=64, show_spinner=False)
def _parse(digest: str, suffix: str, _data: bytes) -> Outcome:
    """Parse one file's content (keyed by its hash; ``_data`` is not hashed again)."""
    try:
        return load_scenario(_data, f"upload{suffix}"), None
    except ScenarioError as err:
        return None, (err.code, err.field, dict(err.params))
    except Exception:
        return None, ("unreadable", "", {})


def outcome(data: bytes, file_name: str, upload_id: str | None = None) -> Outcome:
    """The parse outcome of one upload: its hash computed once per upload id (kept in
    the session), the parse once per content (shared cache)."""
    if len(data) > MAX_FILE_BYTES:  # refused before hashing or parsing
        return None, (
            "too_large",
            "",
            {"size_kb": len(data) // 1024, "max_kb": MAX_FILE_BYTES // 1024},
        )
    digests = st.session_state.setdefault(keys.UPLOAD_DIGESTS, {})
    digest = digests.get(upload_id) if upload_id else None
    if digest is None:
        digest = hashlib.sha256(data).hexdigest()
        if upload_id:
            digests[upload_id] = digest
    suffix = PurePath(file_name).suffix.lower()
    return _parse(digest, suffix if suffix in (".toml", ".json") else "", data)


def forget_uploads(keep: Sequence[str]) -> None:
    """Drop the remembered hashes of uploads that are gone."""
    digests = st.session_state.get(keys.UPLOAD_DIGESTS) or {}
    for upload_id in set(digests) - set(keep):
        del digests[upload_id]


def read_upload(file_name: str, data: bytes, upload_id: str | None = None) -> Upload:
    """Validate an uploaded file completely; never raises."""
    scenario, error = outcome(data, file_name, upload_id)
    if scenario is not None:
        return Upload(file_name, scenario, None)
    code, field, params = error or ("unreadable", "", {})
    if code == "unreadable":
        return Upload(file_name, None, t("error.unreadable"))
    return Upload(file_name, None, error_message(ScenarioError(code, field, params)))


def default_name() -> str:
    """The name a scenario gets when the planner left it empty."""
    return t("files.default_name")


def scenario_text(
    settings: Mapping[str, float], meta: Mapping[str, str], fmt: str = "toml"
) -> tuple[str | None, str | None]:
    """The current scenario as file text, or ``(None, message)`` if the metadata is bad."""
    fields = {
        "name": (meta.get("name") or "").strip() or default_name(),
        "description": meta.get("description") or "",
        "author": (meta.get("author") or "").strip() or None,
        "notes": meta.get("notes") or None,
    }
    try:
        scn = Scenario.from_settings(dict(Settings.from_mapping(settings).effective), **fields)
    except ValidationError as exc:
        e = exc.errors(include_url=False)[0]
        loc = ".".join(str(p) for p in e["loc"])
        return None, t("files.meta_invalid", field=loc, detail=str(e.get("msg", "")))
    return dump_scenario(scn, fmt), None


def file_stem(name: str) -> str:
    """A safe file name stem from a scenario name."""
    stem = re.sub(r"[^\w\-]+", "_", name.strip().lower(), flags=re.UNICODE).strip("_")
    return stem[:60] or "scenario"
