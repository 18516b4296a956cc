"""One settings value: link, file and widget share one validator; the value is frozen,
hashable and knows its effective form, programme band and link text."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from model import ALL_SETTINGS
from model.levers import CONTEXT, EVERY_SETTING, LEVERS, YEAR_KEYS
from scenarios import Scenario
from scenarios.settings import Settings, format_value, parse_value


def file_accepts(key: str, number: float) -> bool:
    """Does a scenario file with ``key = number`` validate?"""
    table = "levers" if key in LEVERS else "context" if key in CONTEXT else "programme"
    doc: dict = {"schema_version": 1, "name": "x", table: {key: number}}
    # the other year out of the way: a file also checks that the years are in order
    if key == "start_year":
        doc["programme"]["end_year"] = 2040
    if key == "end_year":
        doc["programme"]["start_year"] = 2024
    try:
        Scenario.model_validate(doc)
    except ValidationError:
        return False
    return True


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(sorted(ALL_SETTINGS)),
    st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**6), 10**6)),
)
def test_link_and_file_accept_exactly_the_same_numbers(key: str, number: float) -> None:
    """A number a link may carry is one a file may carry, and the other way round."""
    raw = repr(number) if isinstance(number, float) else str(number)
    in_link = parse_value(key, raw) is not None
    if (
        key in YEAR_KEYS
        and isinstance(number, float)
        and math.isfinite(number)
        and number.is_integer()
    ):
        number = int(number)  # TOML writes a whole year as an integer
    if isinstance(number, float) and not math.isfinite(number):
        assert not in_link
        return
    assert in_link == file_accepts(key, number), (key, raw)


def test_settings_is_a_frozen_hashable_mapping() -> None:
    a = Settings.from_mapping({"infrastructure_spend": 1500})
    b = Settings.from_mapping({"infrastructure_spend": 1500.0, "start_year": 2027})
    assert a == b and hash(a) == hash(b) and {a: 1}[b] == 1
    assert dict(a)["infrastructure_spend"] == 1500.0
    assert set(a) == set(EVERY_SETTING) and len(a) == len(EVERY_SETTING)
    assert list(a.values()) == list(a.numbers)  # the Mapping API works as on a dict
    assert a["water_availability"] == ALL_SETTINGS["water_availability"].default
    with pytest.raises(KeyError):
        Settings.from_mapping({"road_spend": 1})
    with pytest.raises(AttributeError):
        a.numbers = ()  # type: ignore[misc]


def test_effective_band_and_reversed_years() -> None:
    s = Settings.from_mapping({"start_year": 2030, "end_year": 2026})
    assert s.years_reversed and s.effective["end_year"] == 2030 and s.band == (2030, 2030)
    ok = Settings.from_mapping({"start_year": 2028, "end_year": 2033})
    assert ok.effective is ok and ok.band == (2028, 2033)


def test_query_round_trip_keeps_only_what_differs() -> None:
    s = Settings.from_mapping(
        {"infrastructure_spend": 1500, "mining_growth": 2.5, "start_year": 2030, "end_year": 2035}
    )
    query = s.to_query()
    assert query == {
        "infrastructure_spend": "1500",
        "mining_growth": "2.5",
        "start_year": "2030",
        "end_year": "2035",
    }
    back, refused = Settings.from_query({**query, "utm_source": "x"})
    assert back == s and refused == []
    half, refused = Settings.from_query(
        {"start_year": "2030.5", "sme_support": "abc", "infrastructure_spend": "900"}
    )
    assert set(refused) == {"sme_support", "start_year"}
    assert half["infrastructure_spend"] == 900 and half["start_year"] == 2027


@pytest.mark.parametrize("raw", ["", " ", "1e400", "nan", "-inf", "9" * 5000, "0x10", "½"])
def test_link_text_that_is_no_number_is_refused(raw: str) -> None:
    assert all(parse_value(k, raw) is None for k in ALL_SETTINGS)


def test_written_values_read_back() -> None:
    for key, spec in ALL_SETTINGS.items():
        for value in (spec.low, spec.default, spec.high):
            assert parse_value(key, format_value(key, value)) == float(value), key


def test_pins_round_trip_and_damaged_pins_are_refused_whole() -> None:
    from scenarios.settings import PINS_MAX, decode_pins, encode_pins

    pins = {
        "Roads 1 500": {"infrastructure_spend": 1500},
        "Форум, өзгөртүлгөн": {"irrigation_new_ha": 1000, "start_year": 2030},
    }
    text = encode_pins(pins)
    assert len(text) < 300 and text.startswith("1~")
    back = decode_pins(text)
    assert back == {name: Settings.from_mapping(s) for name, s in pins.items()}
    for damaged in (
        text[:-4],
        "2" + text[1:],
        "1~" + "A" * 5000,
        "",
        "1~",
        encode_pins({"x\u202eevil": {}}),
        encode_pins({f"p{i}": {} for i in range(PINS_MAX + 3)})[:10],
    ):
        assert decode_pins(damaged) is None, damaged[:40]


def test_pins_refuse_values_a_file_would_refuse() -> None:
    import base64
    import json
    import zlib

    from scenarios.settings import decode_pins

    def pack(items) -> str:
        raw = json.dumps(items).encode()
        return "1~" + base64.urlsafe_b64encode(zlib.compress(raw)).decode().rstrip("=")

    assert decode_pins(pack([["ok", {"sme_support": "100"}]])) is not None
    assert decode_pins(pack([["bad", {"sme_support": "99999"}]])) is None
    assert decode_pins(pack([["bad", {"road_spend": "1"}]])) is None
    # a compressed bomb: decompressing stops at 64 KiB and the pins are refused
    bomb = "1~" + base64.urlsafe_b64encode(zlib.compress(b"[" + b" " * 10_000_000)).decode()
    assert len(bomb) < 40_000 and decode_pins(bomb) is None
