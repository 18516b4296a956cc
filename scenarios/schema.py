"""The scenario file format: a pydantic schema built from the model's lever table.

A scenario file is TOML (or JSON) a planner can read in a text editor::

    schema_version = 1
    name = "Roads first"
    description = "..."
    author = "Oblast planning department"   # optional
    notes = "..."                           # optional

    [levers]                 # programmes on top of the baseline; absent = 0
    infrastructure_spend = 1500.0   # million som per year
    irrigation_new_ha = 500.0       # ha per year

    [programme]
    start_year = 2027
    end_year = 2036

    [context]                # optional overrides of context assumptions
    water_availability = 85.0       # % of a normal year

Bounds, units and defaults come from :mod:`model.levers`, so the file, the dashboard
and the share link all accept exactly the same values. Unknown keys are errors.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    create_model,
    field_validator,
    model_validator,
)

from model.levers import ALL_SETTINGS, CONTEXT, LEVERS, PROGRAMME, YEAR_KEYS, Setting

#: 2 (model version 2): levers ``water_storage_mcm`` and programme ``road_trunk_share``
#: added; files of version 1 read unchanged (absent keys take their defaults).
SCHEMA_VERSION = 2
NAME_MAX = 120
DESCRIPTION_MAX = 4000
NOTES_MAX = 20000


def _field(spec: Setting, integer: bool = False) -> tuple[Any, Any]:
    kind = int if integer else float
    return (
        Annotated[
            kind,
            Field(
                ge=spec.low,
                le=spec.high,
                description=f"{spec.meaning} ({spec.unit}); default {spec.default:g}",
                allow_inf_nan=False,
                strict=False,
            ),
        ],
        int(spec.default) if integer else float(spec.default),
    )


def setting_field(key: str) -> Any:
    """The annotated type of setting ``key`` as a scenario file's field declares it: the
    one validator that files, links (:func:`scenarios.settings.parse_value`) and the
    dashboard's widgets share."""
    return _field(ALL_SETTINGS[key], integer=key in YEAR_KEYS)[0]


_STRICT = ConfigDict(extra="forbid", frozen=True)


class _NoBool(BaseModel):
    """Reject true/false where a number is expected (pydantic would read them as 1/0)."""

    model_config = _STRICT

    @model_validator(mode="before")
    @classmethod
    def _no_bool(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for k, v in data.items():
                if isinstance(v, bool):
                    raise ValueError(f"{k}: expected a number, got {str(v).lower()}")
        return data


def _table_model(name: str, settings: dict[str, Setting]) -> type[_NoBool]:
    """A pydantic model with one field per setting, as :func:`_field` declares it."""
    fields: dict[str, Any] = {k: _field(s, integer=k in YEAR_KEYS) for k, s in settings.items()}
    return create_model(name, __base__=_NoBool, **fields)


Levers = _table_model("Levers", LEVERS)
Context = _table_model("Context", CONTEXT)
_ProgrammeBase = _table_model("_ProgrammeBase", PROGRAMME)


class Programme(_ProgrammeBase):  # type: ignore[misc, valid-type]
    """Programme years, first and last inclusive, and how the road money is split."""

    @model_validator(mode="after")
    def _order(self) -> Programme:
        if self.end_year < self.start_year:
            raise ValueError("end_year must not be before start_year")
        return self


#: Characters that reorder text when shown (Trojan Source, CVE-2021-42574): the
#: bidirectional embeddings, overrides and isolates. ``Roads \u202efdp.exe`` shows as
#: "Roads exe.pdf".
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_unsafe_char(c: str) -> bool:
    """True for a control character (C0 other than newline and tab, DEL, C1) or a
    bidirectional control: characters that have no place in a name or a note."""
    o = ord(c)
    return (o < 32 and c not in "\n\t") or 0x7F <= o <= 0x9F or c in BIDI_CONTROLS


def _clean_text(value: str) -> str:
    # Control and direction characters can hide or reorder text in terminals and on the
    # page; refuse them rather than silently strip.
    if any(map(is_unsafe_char, value)):
        raise ValueError("contains control characters")
    return value


def _dump(table: BaseModel) -> dict[str, float]:
    return table.model_dump()


class Scenario(BaseModel):
    """One scenario: metadata, levers, programme years and context assumptions."""

    model_config = _STRICT

    schema_version: int = Field(ge=1, description="File format version; this app writes 2")
    name: str = Field(min_length=1, max_length=NAME_MAX)
    description: str = Field(default="", max_length=DESCRIPTION_MAX)
    author: str | None = Field(default=None, max_length=NAME_MAX)
    notes: str | None = Field(default=None, max_length=NOTES_MAX)
    levers: Levers = Field(default_factory=Levers)  # type: ignore[valid-type]
    programme: Programme = Field(default_factory=Programme)
    context: Context = Field(default_factory=Context)  # type: ignore[valid-type]

    @field_validator("schema_version")
    @classmethod
    def _known_version(cls, v: int) -> int:
        if v > SCHEMA_VERSION:
            raise ValueError(
                f"schema_version {v} is newer than this app understands ({SCHEMA_VERSION})"
            )
        return v

    @field_validator("name", "description", "author", "notes")
    @classmethod
    def _text(cls, v: str | None) -> str | None:
        return None if v is None else _clean_text(v)

    def to_settings(self) -> dict[str, float]:
        """Flat settings (lever, context and programme keys) for the model and links."""
        return {**_dump(self.levers), **_dump(self.programme), **_dump(self.context)}

    @classmethod
    def from_settings(cls, settings: dict[str, float], **meta: Any) -> Scenario:
        """Build a scenario from flat settings plus metadata (``name`` etc.)."""
        pick = lambda keys: {k: settings[k] for k in keys if k in settings}  # noqa: E731
        return cls.model_validate(
            {
                "schema_version": SCHEMA_VERSION,
                "levers": pick(LEVERS),
                "programme": pick(PROGRAMME),
                "context": pick(CONTEXT),
                **meta,
            }
        )


def is_finite_number(x: object) -> bool:
    """True for an int or float that is neither NaN nor infinite (bool excluded)."""
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)
