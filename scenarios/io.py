"""Read and write scenario files; turn every way a file can be wrong into one clear error.

A file is loaded whole or not at all: :func:`load_scenario` either returns a valid
:class:`~scenarios.schema.Scenario` or raises :class:`ScenarioError`, whose ``code``,
``field`` and ``params`` let the dashboard say what is wrong in the planner's
language; ``str(error)`` is the English sentence the command line prints.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from model.levers import ALL_SETTINGS
from scenarios.schema import SCHEMA_VERSION, Scenario

MAX_FILE_BYTES = 256 * 1024  # scenario files are ~1 KB; anything near this is not one

#: Error codes and their English sentences; ``{field}`` and params fill the blanks.
MESSAGES = {
    "empty": "The file is empty.",
    "too_large": "The file is {size_kb} KB; a scenario file is at most {max_kb} KB.",
    "not_text": "The file is not a text file (it is not UTF-8 text).",
    "syntax": "The file is not valid {fmt}: {detail}",
    "not_table": "The file must hold a table of settings, not a single value.",
    "unknown_field": "Unknown field '{field}'. Allowed here: {allowed}.",
    "missing_field": "Required field '{field}' is missing.",
    "out_of_range": "'{field}' is {value}; allowed range is {low} to {high} {unit}.",
    "not_finite": "'{field}' must be a finite number, not {value}.",
    "wrong_type": "'{field}' has the wrong type: expected {expected}, got {value}.",
    "text_length": "'{field}' must be between {min} and {max} characters long.",
    "control_chars": "'{field}' contains control characters.",
    "newer_version": (
        "The file has schema_version {value}; this app reads version {supported} and older. "
        "Update the app to open it."
    ),
    "bad_version": "schema_version must be a whole number of 1 or more, not {value}.",
    "years_order": "programme.end_year ({end}) is before programme.start_year ({start}).",
}


@dataclass
class ScenarioError(ValueError):
    """Why a scenario file (or link) was refused."""

    code: str
    field: str = ""
    params: dict[str, Any] = dc_field(default_factory=dict)

    def __str__(self) -> str:
        return MESSAGES[self.code].format(field=self.field, **self.params)


#: What a field expected, by code (the dashboard translates the code).
EXPECTED = {"whole_number": "a whole number", "number": "a number", "text": "text",
            "table": "a table", "other": "another type"}


def _expected(err_type: str) -> str:
    if "int" in err_type:
        return "whole_number"
    if "float" in err_type or "number" in err_type:
        return "number"
    if "string" in err_type:
        return "text"
    return "table" if "dict" in err_type or "model" in err_type else "other"


def _wrong_type(loc: str, expected_code: str, shown: str) -> ScenarioError:
    return ScenarioError("wrong_type", loc, {"expected": EXPECTED[expected_code],
                                             "expected_code": expected_code, "value": shown})


def _from_validation(exc: ValidationError) -> ScenarioError:
    """The first problem pydantic found, as a :class:`ScenarioError`."""
    e = exc.errors(include_url=False)[0]
    loc = ".".join(str(p) for p in e["loc"])
    key = str(e["loc"][-1]) if e["loc"] else ""
    value = e.get("input")
    shown = repr(value) if isinstance(value, str) else str(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    kind = e["type"]
    msg = str(e.get("msg", ""))
    ctx = e.get("ctx", {}) or {}
    if kind == "extra_forbidden":
        parent = e["loc"][:-1]
        allowed = _allowed_keys(parent)
        return ScenarioError("unknown_field", loc, {"allowed": ", ".join(allowed)})
    if kind == "missing":
        return ScenarioError("missing_field", loc)
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        if key == "schema_version":
            return ScenarioError("bad_version", loc, {"value": shown})
        spec = ALL_SETTINGS.get(key)
        low, high, unit = (spec.low, spec.high, spec.unit) if spec else ("?", "?", "")
        return ScenarioError(
            "out_of_range", loc, {"value": shown, "low": f"{low:g}", "high": f"{high:g}",
                                  "unit": unit, "key": key}
        )
    if kind == "finite_number":
        return ScenarioError("not_finite", loc, {"value": shown})
    if kind in {"string_too_long", "string_too_short"}:
        lo = 1 if kind == "string_too_short" else 0
        hi = ctx.get("max_length", "")
        return ScenarioError("text_length", loc, {"min": ctx.get("min_length", lo), "max": hi})
    if kind == "value_error":
        if "newer than" in msg:
            return ScenarioError("newer_version", loc,
                                 {"value": shown, "supported": SCHEMA_VERSION})
        if "end_year" in msg:
            return ScenarioError("years_order", "programme.end_year",
                                 {"start": value.get("start_year"), "end": value.get("end_year")}
                                 if isinstance(value, dict) else {"start": "?", "end": "?"})
        if "control characters" in msg:
            return ScenarioError("control_chars", loc)
        if "expected a number" in msg:
            bad_key = msg.split(":", 1)[0].removeprefix("Value error, ")
            return _wrong_type(f"{loc}.{bad_key}" if loc else bad_key, "number", "true/false")
    if key == "schema_version":
        return ScenarioError("bad_version", loc, {"value": shown})
    return _wrong_type(loc, _expected(kind), shown)


def _allowed_keys(parent: tuple) -> list[str]:
    if not parent:
        return list(Scenario.model_fields)
    sub = Scenario.model_fields[str(parent[0])].annotation
    return list(getattr(sub, "model_fields", {}))


def parse_scenario_text(raw: bytes | str, filename: str | None = None) -> dict[str, Any]:
    """Decode a file's bytes to a mapping, TOML or JSON by name or by content."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) == 0 or not raw.strip():
        raise ScenarioError("empty")
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(
            "too_large", params={"size_kb": len(raw) // 1024, "max_kb": MAX_FILE_BYTES // 1024}
        )
    if b"\x00" in raw:
        raise ScenarioError("not_text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ScenarioError("not_text") from None
    suffix = Path(filename).suffix.lower() if filename else ""
    as_json = suffix == ".json" or (suffix != ".toml" and text.lstrip().startswith("{"))
    try:
        data = json.loads(text) if as_json else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError, RecursionError) as exc:
        detail = str(exc).splitlines()[0][:160]
        raise ScenarioError("syntax", params={"fmt": "JSON" if as_json else "TOML",
                                              "detail": detail}) from None
    if not isinstance(data, dict):
        raise ScenarioError("not_table")
    return data


def scenario_from_mapping(data: dict[str, Any]) -> Scenario:
    """Validate a mapping (as read from a file) into a :class:`Scenario`."""
    if "schema_version" not in data:
        raise ScenarioError("missing_field", "schema_version")
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise _from_validation(exc) from None


def load_scenario(raw: bytes | str, filename: str | None = None) -> Scenario:
    """Parse and validate a scenario file's content (all or nothing)."""
    return scenario_from_mapping(parse_scenario_text(raw, filename))


def read_scenario(path: str | Path) -> Scenario:
    """Load a scenario file from disk."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FileNotFoundError(f"cannot read {path}: {exc.strerror}") from None
    return load_scenario(raw, path.name)


def dump_scenario(scenario: Scenario, fmt: str = "toml") -> str:
    """The scenario as TOML (default) or JSON text; optional fields left out when empty."""
    data = scenario.model_dump(exclude_none=True)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    header = (
        "# Batken scenario file. Open it in the dashboard or run: python -m model run FILE\n"
        "# Money in million som per year at 2020 prices; land in hectares per year.\n"
    )
    return header + tomli_w.dumps(data)
