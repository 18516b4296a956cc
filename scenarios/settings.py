"""One scenario's settings as a single frozen, hashable value.

Every path a setting takes (a share link, a scenario file, a slider) ends in a
:class:`Settings`: every key of :data:`model.levers.EVERY_SETTING`, missing ones at their
defaults, validated by the same pydantic field as a scenario file (:func:`parse_value`
for one raw text value from a link, :class:`scenarios.Scenario` for a file). The
dashboard builds it once per rerun from its widgets and every page reads it; the model
runs its :attr:`Settings.effective` form, and caches key on it (it is hashable).

Adding a lever touches :mod:`model.levers`, the equations and the catalogs; this class
follows from the lever table.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, cached_property

from pydantic import TypeAdapter, ValidationError

from model.levers import EVERY_SETTING, YEAR_KEYS
from scenarios.schema import setting_field

#: Every key a Settings holds: the levers, context and programme (sidebar), then the
#: settings of place (``<lever>.<unit>`` shares, ``water_availability.<basin>``), which
#: the districts page sets and links, files and the model carry like any other.
_KEYS: tuple[str, ...] = tuple(EVERY_SETTING)
_INDEX: dict[str, int] = {k: i for i, k in enumerate(_KEYS)}  # a lookup, not a search


@cache
def _adapter(key: str) -> TypeAdapter:
    """The pydantic validator of setting ``key``: the very field a scenario file uses."""
    return TypeAdapter(setting_field(key))


def parse_value(key: str, raw: str) -> float | None:
    """The value a link's text ``raw`` gives setting ``key``, or None if it is not one.

    Accepted: a finite number in the setting's range, a whole number for a year (``2030``
    or ``2030.0``, not ``2030.5``). Text is cut at 64 characters before it is read, so a
    10,000-digit "number" costs nothing.
    """
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if not text or len(text) > 64:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    if key in YEAR_KEYS:
        if not number.is_integer():
            return None
        number = int(number)
    try:
        return float(_adapter(key).validate_python(number))
    except ValidationError:
        return None


def format_value(key: str, value: float) -> str:
    """A setting's value as link text: whole numbers without ``.0`` (``1500``, ``2030``),
    others in Python's shortest round-trip form (``12.5``); :func:`parse_value` reads it
    back exactly."""
    if key in YEAR_KEYS or float(value).is_integer():
        return str(round(value))
    return repr(float(value))


@dataclass(frozen=True)
class Settings(Mapping[str, float]):
    """Every setting of a scenario, in :data:`model.levers.EVERY_SETTING` order (the
    sidebar's :data:`model.levers.ALL_SETTINGS`, then the settings of place).

    A read-only mapping (``settings["start_year"]``, ``dict(settings)``) that is hashable,
    so it can key a cache as it is.
    """

    #: The values in EVERY_SETTING order (``values()`` is the Mapping method, as usual).
    numbers: tuple[float, ...]

    @classmethod
    def from_mapping(cls, m: Mapping[str, float] | None = None) -> Settings:
        """Settings from any mapping; missing keys take their defaults, unknown keys are
        an error (a typo must not pass silently)."""
        m = m or {}
        unknown = set(m) - set(_KEYS)
        if unknown:
            raise KeyError(f"unknown setting(s): {sorted(unknown)}")
        return cls(tuple(float(m.get(k, EVERY_SETTING[k].default)) for k in _KEYS))

    # --- the mapping protocol -----------------------------------------------------------

    def __getitem__(self, key: str) -> float:
        return self.numbers[_INDEX[key]]

    def __iter__(self) -> Iterator[str]:
        return iter(_KEYS)

    def __len__(self) -> int:
        return len(_KEYS)

    # --- what the pages need ------------------------------------------------------------

    @property
    def key(self) -> tuple[tuple[str, float], ...]:
        """A plain hashable form ``((key, value), ...)`` for ``st.cache_data``."""
        return tuple(zip(_KEYS, self.numbers, strict=True))

    @property
    def years_reversed(self) -> bool:
        """The end year is before the start year (the model then runs one year)."""
        return self["end_year"] < self["start_year"]

    @cached_property
    def effective(self) -> Settings:
        """What the model runs: an end year before the start year counts as the start."""
        if not self.years_reversed:
            return self
        return self.replace(end_year=self["start_year"])

    @property
    def band(self) -> tuple[int, int]:
        """The programme years, first and last inclusive (of the effective settings)."""
        eff = self.effective
        return int(eff["start_year"]), int(eff["end_year"])

    def replace(self, **changes: float) -> Settings:
        """A copy with some settings changed."""
        return Settings.from_mapping({**dict(self), **changes})

    def non_default(self) -> dict[str, float]:
        """The settings that differ from their defaults (what a share link carries)."""
        return {
            k: v for k, v in zip(_KEYS, self.numbers, strict=True) if v != EVERY_SETTING[k].default
        }

    def to_query(self) -> dict[str, str]:
        """The non-default settings as link text: ``1500``, ``2030``, ``12.5``."""
        return {k: format_value(k, v) for k, v in self.non_default().items()}

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> tuple[Settings, list[str]]:
        """Settings from link text; returns the settings (refused values at default) and
        the keys whose value was refused. Keys the app does not know are ignored."""
        values: dict[str, float] = {}
        refused = []
        for key in _KEYS:
            if key not in query:
                continue
            value = parse_value(key, query[key])
            if value is None:
                refused.append(key)
            else:
                values[key] = value
        return cls.from_mapping(values), refused


#: Pinned scenarios in a link: ``pins=1~<base64url of zlib-compressed JSON>``, the JSON a
#: list of ``[name, {key: link text}]`` with only the non-default settings. Versioned, so
#: the format can change without misreading old links; bounded, so a link cannot make the
#: server decompress or keep much.
PINS_VERSION = "1"
PINS_MAX = 8
PINS_NAME_MAX = 80
PINS_TEXT_MAX = 4000


def encode_pins(pins: Mapping[str, Mapping[str, float]]) -> str:
    """The pinned scenarios (name -> settings) as one short, URL-safe text."""
    import base64
    import json
    import zlib

    items = [
        [name[:PINS_NAME_MAX], Settings.from_mapping(s).to_query()]
        for name, s in list(pins.items())[:PINS_MAX]
    ]
    raw = json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    packed = base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode("ascii").rstrip("=")
    return f"{PINS_VERSION}~{packed}"


def decode_pins(text: str) -> dict[str, Settings] | None:
    """Pinned scenarios from :func:`encode_pins` text, or None if it cannot be read whole
    (another version, damaged, too large, a bad name or value): a link's pins are taken
    all or not at all."""
    import base64
    import json
    import zlib

    from scenarios.schema import is_unsafe_char

    if not isinstance(text, str) or len(text) > PINS_TEXT_MAX or "~" not in text:
        return None
    version, packed = text.split("~", 1)
    if version != PINS_VERSION:
        return None
    try:
        data = base64.urlsafe_b64decode(packed + "=" * (-len(packed) % 4))
        inflater = zlib.decompressobj()
        raw = inflater.decompress(data, 64 * 1024)  # at most 64 KiB, whatever the link says
        if inflater.unconsumed_tail or not inflater.eof:  # too large, or cut short
            return None
        items = json.loads(raw.decode("utf-8"))
    except (ValueError, zlib.error, UnicodeDecodeError):
        return None
    if not isinstance(items, list) or len(items) > PINS_MAX:
        return None
    out: dict[str, Settings] = {}
    for item in items:
        if not (
            isinstance(item, list)
            and len(item) == 2
            and isinstance(item[0], str)
            and isinstance(item[1], dict)
        ):
            return None
        name, query = item
        if not name.strip() or len(name) > PINS_NAME_MAX or any(map(is_unsafe_char, name)):
            return None
        if not all(isinstance(v, str) for v in query.values()) or set(query) - set(_KEYS):
            return None
        settings, refused = Settings.from_query(query)
        if refused:
            return None
        out[name] = settings
    return out
