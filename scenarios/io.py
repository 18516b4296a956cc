"""Read and write scenario files; turn every way a file can be wrong into one clear error.

A file is loaded whole or not at all: :func:`load_scenario` either returns a valid
:class:`~scenarios.schema.Scenario` or raises :class:`ScenarioError`, whose ``code``,
``field`` and ``params`` let the dashboard say what is wrong in the planner's
language; ``str(error)`` is the English sentence the command line prints.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from model.levers import ALL_SETTINGS, EVERY_SETTING, basin_water_key, place_key
from scenarios.schema import SCHEMA_VERSION, Scenario, is_unsafe_char

MAX_FILE_BYTES = 256 * 1024  # scenario files are ~1 KB; anything near this is not one

# Shape limits, checked on the raw text before any parser runs (``check_shape``). A
# scenario file has about 15 keys, tables one level deep and keys of at most two parts
# (``levers.sme_support``); these limits are far above that and far below what makes a
# parser slow: tomllib spends time quadratic in the parts of one dotted key (a header of
# 118,000 parts costs ~10 s) and about a microsecond per line and per escape, and
# Python refuses integers of more than 4,300 digits.
MAX_LINES = 25_000  # notes may be 20,000 characters, even one per line
MAX_ESCAPES = 50_000  # backslashes (TOML); notes and description need 24,240 at most
MAX_ENTRIES = 200  # keys, list items, tables and lists outside strings
MAX_DEPTH = 8  # nesting of [ ] and { } outside strings
MAX_KEY_PARTS = 8  # parts of one dotted TOML key or table header
MAX_NUMBER_DIGITS = 100  # digits of one number (a scenario value needs fewer than 20)

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
    "control_chars": "'{field}' contains control or text-direction characters.",
    "newer_version": (
        "The file has schema_version {value}; this app reads version {supported} and older. "
        "Update the app to open it."
    ),
    "bad_version": "schema_version must be a whole number of 1 or more, not {value}.",
    "years_order": "programme.end_year ({end}) is before programme.start_year ({start}).",
    "too_many_keys": (
        "The file has {n} keys, list items and tables; a scenario file has at most {max}."
    ),
    "too_deep": (
        "The file nests tables, lists or dotted keys more than {max} levels deep; "
        "a scenario file needs two."
    ),
    "number_too_long": (
        "The file holds a number with {digits} digits ({start}...); a scenario file's "
        "numbers have at most {max} digits."
    ),
    "too_many_lines": "The file has {n} lines; a scenario file has at most {max}.",
    "too_many_escapes": ("The file has {n} backslash escapes; a scenario file has at most {max}."),
    "duplicate_key": "The key '{field}' appears twice; each key may appear only once.",
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
EXPECTED = {
    "whole_number": "a whole number",
    "number": "a number",
    "text": "text",
    "table": "a table",
    "other": "another type",
}


def _expected(err_type: str) -> str:
    if "int" in err_type:
        return "whole_number"
    if "float" in err_type or "number" in err_type:
        return "number"
    if "string" in err_type:
        return "text"
    return "table" if "dict" in err_type or "model" in err_type else "other"


def _wrong_type(loc: str, expected_code: str, shown: str) -> ScenarioError:
    return ScenarioError(
        "wrong_type",
        loc,
        {"expected": EXPECTED[expected_code], "expected_code": expected_code, "value": shown},
    )


def _from_validation(exc: ValidationError) -> ScenarioError:
    """The first problem pydantic found, as a :class:`ScenarioError`."""
    e = exc.errors(include_url=False)[0]
    # Keys and values come from the file: shown on one line, short, without control or
    # direction characters (they reach a terminal and the dashboard).
    loc = printable(".".join(str(p) for p in e["loc"]), 80)
    key = str(e["loc"][-1]) if e["loc"] else ""
    value = e.get("input")
    shown = printable(repr(value) if isinstance(value, str) else _short_repr(value), 40)
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
        parts = [str(part) for part in e["loc"]]
        if len(parts) == 3 and parts[0] == "placement":
            spec = EVERY_SETTING.get(place_key(parts[1], parts[2]))
        elif len(parts) == 2 and parts[0] == "basins":
            spec = EVERY_SETTING.get(basin_water_key(parts[1]))
        low, high, unit = (spec.low, spec.high, spec.unit) if spec else ("?", "?", "")
        return ScenarioError(
            "out_of_range",
            loc,
            {"value": shown, "low": f"{low:g}", "high": f"{high:g}", "unit": unit, "key": key},
        )
    if kind == "finite_number":
        return ScenarioError("not_finite", loc, {"value": shown})
    if kind in {"string_too_long", "string_too_short"}:
        lo = 1 if kind == "string_too_short" else 0
        hi = ctx.get("max_length", "")
        return ScenarioError("text_length", loc, {"min": ctx.get("min_length", lo), "max": hi})
    if kind == "value_error":
        if "newer than" in msg:
            return ScenarioError(
                "newer_version", loc, {"value": shown, "supported": SCHEMA_VERSION}
            )
        if "end_year" in msg:
            return ScenarioError(
                "years_order",
                "programme.end_year",
                {"start": value.get("start_year"), "end": value.get("end_year")}
                if isinstance(value, dict)
                else {"start": "?", "end": "?"},
            )
        if "control characters" in msg:
            return ScenarioError("control_chars", loc)
        if "expected a number" in msg:
            bad_key = msg.split(":", 1)[0].removeprefix("Value error, ")
            return _wrong_type(f"{loc}.{bad_key}" if loc else bad_key, "number", "true/false")
    if key == "schema_version":
        return ScenarioError("bad_version", loc, {"value": shown})
    return _wrong_type(loc, _expected(kind), shown)


def _short_repr(value: object) -> str:
    """``str(value)`` without building a long string for a container."""
    if isinstance(value, dict):
        return f"a table of {len(value)}"
    if isinstance(value, list | tuple):
        return f"a list of {len(value)}"
    return str(value)


def _allowed_keys(parent: tuple) -> list[str]:
    model: Any = Scenario
    for part in parent:
        field = getattr(model, "model_fields", {}).get(str(part))
        if field is None:
            return []
        model = field.annotation
        # an optional table (``Shares | None``): the table's own fields
        for arg in getattr(model, "__args__", ()):
            if hasattr(arg, "model_fields"):
                model = arg
    return list(getattr(model, "model_fields", {}))


def printable(text: object, limit: int = 80) -> str:
    """Outside text made safe to show on one line: control, direction and other
    invisible format characters as ``\\uXXXX``, whitespace runs as one space, at most
    ``limit`` characters (cut with "…")."""
    out = []
    for c in str(text)[: 4 * limit + 16]:  # never walk more than can be shown
        if c.isspace():
            out.append(" ")
        elif c not in "\u200c\u200d" and (  # ZWNJ/ZWJ belong to Persian and emoji
            is_unsafe_char(c) or unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs")
        ):
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(c)
    flat = " ".join("".join(out).split())
    return flat if len(flat) <= limit else flat[: max(1, limit - 1)].rstrip() + "…"


# Strings and comments, replaced by a placeholder before the shape checks so that text
# in a name or a note never counts. Each alternative starts with its own character and
# every loop is "unrolled" and possessive: matching is linear (no backtracking).
_TOML_SKIP = re.compile(
    r'"""[^"\\]*+(?:(?:\\[\s\S]|"(?!""))[^"\\]*+)*+"""'  # multi-line basic string
    r"|'''[^']*+(?:'(?!'')[^']*+)*+'''"  # multi-line literal string
    r'|"[^"\\\n]*+(?:\\.[^"\\\n]*+)*+"'  # basic string
    r"|'[^'\n]*+'"  # literal string
    r"|#[^\n]*+"  # comment
)
_JSON_SKIP = re.compile(r'"[^"\\]*+(?:\\.[^"\\]*+)*+"')
_LONG_NUMBER = re.compile(r"[0-9_]{" + str(MAX_NUMBER_DIGITS + 1) + ",}")
# MAX_KEY_PARTS dots in one stretch without "=", ",", brackets or a line break: only a
# dotted key or table header has that (a value has at most one dot).
_DOTTED = re.compile(r"(?:\.[^=,{}\[\]\n.]*+){" + str(MAX_KEY_PARTS) + "}")
_BRACKETS = re.compile(r"[\[\]{}]")


def check_shape(text: str, as_json: bool = False) -> None:
    """Refuse, before parsing, a file that no scenario can be and that would make the
    parser slow: too many lines, escapes, entries or digits, nested too deep, a key of
    too many parts. Linear in the size of the text (a few ms for 256 KB, against up to
    10 s that tomllib spends on some such files)."""
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        raise ScenarioError("too_many_lines", params={"n": lines, "max": MAX_LINES})
    if not as_json and (escapes := text.count("\\")) > MAX_ESCAPES:  # tomllib: ~1 µs each
        raise ScenarioError("too_many_escapes", params={"n": escapes, "max": MAX_ESCAPES})
    bare = (_JSON_SKIP if as_json else _TOML_SKIP).sub("s", text)
    if m := _LONG_NUMBER.search(bare):
        number = m.group().replace("_", "")
        raise ScenarioError(
            "number_too_long",
            params={"digits": len(number), "start": number[:12], "max": MAX_NUMBER_DIGITS},
        )
    # Entries: keys ("=" or ":"), list items (","), tables and lists (brackets; stray
    # closing ones count too, so that the walk below stays short).
    brackets = max(bare.count("[") + bare.count("{"), bare.count("]") + bare.count("}"))
    entries = bare.count(":" if as_json else "=") + bare.count(",") + brackets
    if entries > MAX_ENTRIES:
        raise ScenarioError("too_many_keys", params={"n": entries, "max": MAX_ENTRIES})
    if not as_json and _DOTTED.search(bare):
        raise ScenarioError("too_deep", params={"max": MAX_KEY_PARTS})
    depth = 0
    for m in _BRACKETS.finditer(bare):
        depth = max(0, depth + (1 if m.group() in "[{" else -1))
        if depth > MAX_DEPTH:
            raise ScenarioError("too_deep", params={"max": MAX_DEPTH})


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """json.loads hook: refuse a key given twice (json keeps the last one silently)."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ScenarioError("duplicate_key", printable(key, 60))
        out[key] = value
    return out


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
    check_shape(text, as_json)
    try:
        data = (
            json.loads(text, object_pairs_hook=_no_duplicates) if as_json else tomllib.loads(text)
        )
    except ScenarioError:
        raise
    except (ValueError, RecursionError) as exc:  # both decoders' errors are ValueErrors
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ScenarioError(
            "syntax", params={"fmt": "JSON" if as_json else "TOML", "detail": printable(first, 160)}
        ) from None
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
    """The scenario as TOML (default) or JSON text; optional fields left out when empty,
    and so are unplaced levers and basins at their normal water."""
    data = scenario.model_dump(exclude_none=True)
    if not data.get("placement"):
        data.pop("placement", None)
    basins = {k: v for k, v in data.get("basins", {}).items() if v != 100.0}
    if basins:
        data["basins"] = basins
    else:
        data.pop("basins", None)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    header = (
        "# Batken scenario file. Open it in the dashboard or run: python -m model run FILE\n"
        "# Money in million som per year at 2020 prices; land in hectares per year.\n"
    )
    return header + tomli_w.dumps(data)
