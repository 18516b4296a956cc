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

    [placement.irrigation_new_ha]   # where a lever goes, % of it per district or city;
    kadamjay = 70.0                 # absent: spread oblast-wide by the stated rule
    batken = 30.0

    [basins]                 # water of each river basin, % of its normal year
    sokh = 60.0                     # (times context.water_availability)

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

from model.levers import (
    BASIN_WATER,
    BASINS,
    CONTEXT,
    DISTRICTS,
    EVERY_SETTING,
    LEVERS,
    PLACEMENT,
    PROGRAMME,
    YEAR_KEYS,
    Setting,
    basin_water_key,
    place_key,
)

#: 2 (model version 2): levers ``water_storage_mcm`` and programme ``road_trunk_share``
#: added; files of version 1 read unchanged (absent keys take their defaults).
#: 3 (model version 3): tables ``[placement.<lever>]`` (where each lever goes, % per
#: district or city) and ``[basins]`` (water of each river basin); files of versions 1
#: and 2 read unchanged, every lever spread oblast-wide and every basin normal, and say so
#: (:meth:`Scenario.upgrade_note`).
SCHEMA_VERSION = 3
#: The first version that knows districts and basins.
PLACES_VERSION = 3
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
    return _field(EVERY_SETTING[key], integer=key in YEAR_KEYS)[0]


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
#: One lever's shares: a field per district or city (``kadamjay = 70.0``), % of the lever.
Shares = _table_model("Shares", {d: PLACEMENT[place_key(next(iter(LEVERS)), d)] for d in DISTRICTS})
Basins = _table_model("Basins", {b: BASIN_WATER[basin_water_key(b)] for b in BASINS})


class Placement(_NoBool):
    """Where each programme lever goes: a table of shares per lever; absent = the
    oblast-wide rule (``model.districts.RULES``)."""

    infrastructure_spend: Shares | None = None  # type: ignore[valid-type]
    road_maintenance: Shares | None = None  # type: ignore[valid-type]
    irrigation_new_ha: Shares | None = None  # type: ignore[valid-type]
    irrigation_rehab_ha: Shares | None = None  # type: ignore[valid-type]
    water_storage_mcm: Shares | None = None  # type: ignore[valid-type]
    sme_support: Shares | None = None  # type: ignore[valid-type]


assert tuple(Placement.model_fields) == tuple(LEVERS), "Placement must list every lever"


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

    schema_version: int = Field(ge=1, description="File format version; this app writes 3")
    name: str = Field(min_length=1, max_length=NAME_MAX)
    description: str = Field(default="", max_length=DESCRIPTION_MAX)
    author: str | None = Field(default=None, max_length=NAME_MAX)
    notes: str | None = Field(default=None, max_length=NOTES_MAX)
    levers: Levers = Field(default_factory=Levers)  # type: ignore[valid-type]
    programme: Programme = Field(default_factory=Programme)
    context: Context = Field(default_factory=Context)  # type: ignore[valid-type]
    placement: Placement = Field(default_factory=Placement)
    basins: Basins = Field(default_factory=Basins)  # type: ignore[valid-type]

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
        """Flat settings for the model and links: every lever, context and programme key,
        plus the settings of place that differ from their defaults (``<lever>.<unit>``
        shares, ``water_availability.<basin>``)."""
        out = {**_dump(self.levers), **_dump(self.programme), **_dump(self.context)}
        for lever in LEVERS:
            shares = getattr(self.placement, lever)
            if shares is not None and any(v > 0 for v in _dump(shares).values()):
                out.update({place_key(lever, d): v for d, v in _dump(shares).items()})
        out.update({basin_water_key(b): v for b, v in _dump(self.basins).items() if v != 100.0})
        return out

    def upgrade_note(self) -> str | None:
        """For a file older than districts and basins: what it is read as (English; the
        dashboard shows its own words), else None."""
        if self.schema_version >= PLACES_VERSION:
            return None
        return (
            f"written for schema version {self.schema_version}, before districts and river "
            "basins: every lever is spread over the districts by the oblast-wide rules and "
            "every basin has its normal water; save it again to keep the new format"
        )

    @classmethod
    def from_settings(cls, settings: dict[str, float], **meta: Any) -> Scenario:
        """Build a scenario from flat settings plus metadata (``name`` etc.)."""
        pick = lambda keys: {k: settings[k] for k in keys if k in settings}  # noqa: E731
        placement = {}
        for lever in LEVERS:
            shares = {d: settings.get(place_key(lever, d), 0.0) for d in DISTRICTS}
            if any(v > 0 for v in shares.values()):
                placement[lever] = shares
        basins = {
            b: settings[basin_water_key(b)]
            for b in BASINS
            if settings.get(basin_water_key(b), 100.0) != 100.0
        }
        return cls.model_validate(
            {
                "schema_version": SCHEMA_VERSION,
                "levers": pick(LEVERS),
                "programme": pick(PROGRAMME),
                "context": pick(CONTEXT),
                "placement": placement,
                "basins": basins,
                **meta,
            }
        )


def is_finite_number(x: object) -> bool:
    """True for an int or float that is neither NaN nor infinite (bool excluded)."""
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)
