"""Property-based tests: whatever bytes or values arrive, the parser returns a valid
scenario or raises ScenarioError with a known code, never anything else."""

from __future__ import annotations

import json
import math

from hypothesis import given, settings
from hypothesis import strategies as st

from model import ALL_SETTINGS
from scenarios import MESSAGES, Scenario, ScenarioError, dump_scenario, load_scenario
from scenarios.schema import is_unsafe_char

KNOWN_CODES = set(MESSAGES)

values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
)


def check(raw: bytes | str, filename: str) -> None:
    try:
        s = load_scenario(raw, filename)
    except ScenarioError as err:
        assert err.code in KNOWN_CODES
        assert str(err)  # the message formats without error
        return
    assert isinstance(s, Scenario)
    for key, value in s.to_settings().items():
        spec = ALL_SETTINGS[key]
        assert math.isfinite(value) and spec.low <= value <= spec.high


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash_the_parser(raw):
    check(raw, "x.toml")
    check(raw, "x.json")


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["levers", "context", "programme"]),
        st.dictionaries(st.sampled_from([*ALL_SETTINGS, "bogus"]), values, max_size=4),
        max_size=3,
    ),
    st.one_of(st.just(1), values),
)
def test_random_documents_are_valid_or_refused_cleanly(tables, version):
    doc = {"schema_version": version, "name": "fuzz", **tables}
    try:
        text = json.dumps(doc)
    except (TypeError, ValueError):
        return
    check(text, "x.json")


@settings(max_examples=100, deadline=None)
@given(
    st.fixed_dictionaries(
        {
            k: st.floats(min_value=s.low, max_value=s.high, allow_nan=False)
            for k, s in ALL_SETTINGS.items()
            if k not in ("start_year", "end_year")
        }
    ),
    st.text(min_size=1, max_size=120).filter(lambda t: not any(map(is_unsafe_char, t))),
)
def test_every_valid_scenario_round_trips(settings_, name):
    s = Scenario.from_settings(settings_, name=name)
    assert load_scenario(dump_scenario(s), "x.toml") == s
    assert load_scenario(dump_scenario(s, "json"), "x.json") == s
