"""The room store on SQLite and on a real PostgreSQL server (same tests, ``store``
fixture): rooms, participants, scenarios in the file format, privacy, expiry, deletion,
rate limits, migrations, restarts."""

from __future__ import annotations

import ast
import datetime as dt
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from model import MODEL_VERSION
from rooms import (
    CODE_ALPHABET,
    CODE_LENGTH,
    NAME_MAX,
    RATIONALE_MAX,
    SCHEMA,
    RoomError,
    RoomStore,
    format_code,
    median_settings,
    normalise_code,
    spread,
    utcnow,
)
from rooms.store import participants_table, rooms_table, schema_table
from scenarios import SCHEMA_VERSION, load_scenario
from scenarios.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def refused(code: str):
    """``pytest.raises`` for a RoomError with this code."""
    return pytest.raises(RoomError, match=f"^{code}")


def test_a_room_has_a_short_unguessable_code_and_a_secret_only_its_creator_gets(store):
    room, key = store.create_room("Batken akims, 7 December", lang="ky")
    assert len(room.code) == CODE_LENGTH and set(room.code) <= set(CODE_ALPHABET)
    assert len(CODE_ALPHABET) ** CODE_LENGTH > 5e11, "codes must not be guessable in practice"
    assert len(key) >= 32
    assert store.check_key(room.code, key).title == "Batken akims, 7 December"
    with refused("bad_key"):
        store.check_key(room.code, key[:-1] + ("A" if key[-1] != "A" else "B"))
    with store.engine.connect() as conn:
        stored = conn.execute(sa.select(rooms_table.c.secret_hash)).scalar_one()
    assert key not in stored, "the facilitator's secret must be stored only hashed"
    codes = {store.create_room()[0].code for _ in range(20)}
    assert len(codes) == 20, "room codes repeat"


def test_a_typed_code_is_read_in_any_case_with_dashes_and_spaces(store):
    room, _ = store.create_room()
    typed = " " + format_code(room.code).lower() + " "
    assert normalise_code(typed) == room.code
    assert store.room(typed).code == room.code
    with refused("bad_code"):
        store.room("<script>")
    with refused("not_found"):
        store.room("2345-6789" if room.code != "23456789" else "2345-678A")


def test_participants_save_their_scenario_in_the_file_format_with_versions(store):
    room, _ = store.create_room()
    entry, token = store.join(room.code, "Aigul")
    assert entry.settings is None and entry.saves == 0
    settings = Settings.from_mapping({"sme_support": 500.0, "irrigation_rehab_ha": 2000.0})
    with refused("bad_scenario"):
        store.save(room.code, token, {"sme_support": 5000.0})  # beyond the lever's range
    entry = store.save(room.code, token, settings, rationale="Cheap and quick")
    assert entry.settings == settings
    assert entry.saves == 1
    assert (entry.schema_version, entry.model_version) == (SCHEMA_VERSION, MODEL_VERSION)
    # the stored payload is a scenario file the dashboard and the CLI read
    scenario = load_scenario(entry.scenario_text)
    assert scenario.name == "Aigul" and scenario.description == "Cheap and quick"
    assert scenario.to_settings()["sme_support"] == 500.0
    again = store.save(room.code, token, settings.replace(sme_support=600.0), submit=True)
    assert again.saves == 2 and again.submitted and again.settings["sme_support"] == 600.0
    assert [e.name for e in store.entries(room.code)] == ["Aigul"]


def test_a_participant_is_reached_only_with_their_own_token(store):
    room, _ = store.create_room()
    other, _ = store.create_room()
    _, token = store.join(room.code, "A")
    with refused("bad_token"):
        store.participant(room.code, token + "x")
    with refused("bad_token"):
        store.save(other.code, token, {})  # a token of another room
    with store.engine.connect() as conn:
        stored = conn.execute(sa.select(participants_table.c.token_hash)).scalar_one()
    assert token not in stored


def test_names_and_rationales_are_one_line_plain_and_length_limited(store):
    room, _ = store.create_room("<h1>Title</h1>\n**bold**" * 20)
    assert "\n" not in room.title and len(room.title) <= 80
    hostile = "Bob\u202e\u0000\n# heading [x](http://evil.example) " + "x" * 500
    entry, token = store.join(room.code, hostile)
    assert len(entry.name) <= NAME_MAX
    assert "\u202e" not in entry.name and "\x00" not in entry.name and "\n" not in entry.name
    assert "\\u202e" in entry.name, "control characters must be made visible, not hidden"
    entry = store.save(room.code, token, {}, rationale="line one\nline two " + "y" * 900)
    assert "\n" not in entry.rationale and len(entry.rationale) <= RATIONALE_MAX
    assert entry.rationale.startswith("line one line two")
    # the stored scenario file still validates (names with controls would not)
    assert load_scenario(entry.scenario_text).description == entry.rationale


def test_a_closed_room_refuses_changes_and_joins_and_can_reopen(store):
    room, key = store.create_room()
    _, token = store.join(room.code, "A")
    store.set_closed(room.code, key, True)
    assert store.room(room.code).closed
    with refused("closed"):
        store.save(room.code, token, {"sme_support": 100.0})
    with refused("closed"):
        store.join(room.code, "B")
    with refused("bad_key"):
        store.set_closed(room.code, "not-the-key", False)
    store.set_closed(room.code, key, False)
    assert store.save(room.code, token, {"sme_support": 100.0}).saves == 1


def test_rooms_expire_after_30_days_by_default_and_are_purged_with_their_data(store):
    now = utcnow()
    room, key = store.create_room(now=now)
    assert room.expires_at - room.created_at == dt.timedelta(days=30)
    _, token = store.join(room.code, "A", now=now)
    store.save(room.code, token, {"sme_support": 10.0}, now=now)
    later = now + dt.timedelta(days=30, seconds=1)
    with refused("expired"):
        store.room(room.code, now=later)
    with refused("expired"):
        store.join(room.code, "B", now=later)
    with refused("expired"):
        store.save(room.code, token, {}, now=later)
    keep, _ = store.create_room(now=now, days=60)
    assert store.purge_expired(now=later) == 1
    with refused("expired"):  # an old link still says why, but nothing else is kept
        store.room(room.code, now=later)
    tomb = store.room(room.code, allow_expired=True)
    assert tomb.title == "" and tomb.expires_at == room.expires_at
    with refused("expired"):
        store.check_key(room.code, key, now=later)
    with store.engine.connect() as conn:
        secret = conn.execute(
            sa.select(rooms_table.c.secret_hash).where(rooms_table.c.code == room.code)
        ).scalar_one()
    assert secret == "", "an expired room's secret must go with its data"
    assert store.purge_expired(now=later) == 0
    store.purge_expired(now=later + dt.timedelta(days=91))
    with refused("not_found"):
        store.room(room.code, allow_expired=True)
    with store.engine.connect() as conn:
        left = conn.execute(
            sa.select(sa.func.count())
            .select_from(participants_table)
            .where(participants_table.c.room_code == room.code)
        ).scalar_one()
    assert left == 0, "an expired room's participants must go with it"
    assert store.room(keep.code, now=later).code == keep.code


def test_the_facilitator_deletes_a_room_and_all_its_data_at_once(store):
    room, key = store.create_room()
    tokens = [store.join(room.code, f"P{i}")[1] for i in range(3)]
    for t in tokens:
        store.save(room.code, t, {"sme_support": 50.0})
    with refused("bad_key"):
        store.delete_room(room.code, "guess")
    assert len(store.entries(room.code)) == 3
    store.delete_room(room.code, key)
    with refused("not_found"):
        store.room(room.code)
    with store.engine.connect() as conn:
        assert (
            conn.execute(sa.select(sa.func.count()).select_from(participants_table)).scalar() == 0
        )
    with refused("bad_token"):
        store.participant(room.code, tokens[0])


def test_spread_and_median_of_a_room(store):
    room, _ = store.create_room()
    choices = [0.0, 250.0, 500.0, 1000.0]
    for i, v in enumerate(choices):
        _, token = store.join(room.code, f"P{i}")
        store.save(room.code, token, {"sme_support": v, "start_year": 2027 + i})
    store.join(room.code, "joined, saved nothing")
    scenarios = [e.settings for e in store.entries(room.code) if e.settings is not None]
    assert len(scenarios) == 4
    rows = {s.key: s for s in spread(scenarios)}
    sme = rows["sme_support"]
    assert (sme.low, sme.median, sme.high, sme.moved, sme.n) == (0.0, 375.0, 1000.0, 3, 4)
    assert rows["road_maintenance"].moved == 0
    median = median_settings(scenarios)
    assert median is not None and median["sme_support"] in (370.0, 380.0)  # 375 on a step of 10
    assert median["start_year"] == 2028 or median["start_year"] == 2029  # 2028.5 on a year step
    assert float(median["start_year"]).is_integer()
    assert median_settings([]) is None and spread([]) == []


def test_a_tampered_payload_is_reported_not_raised(store):
    room, _ = store.create_room()
    _, token = store.join(room.code, "A")
    store.save(room.code, token, {"sme_support": 10.0})
    with store.engine.begin() as conn:
        conn.execute(participants_table.update().values(scenario="sme_support = 1e999\n"))
    (entry,) = store.entries(room.code)
    assert entry.settings is None and entry.problem, "a bad stored scenario must be flagged"


def test_rate_limits_count_per_client_and_action_in_a_window(store):
    now = utcnow()
    assert all(store.allow("10.0.0.1", "create", 3, 3600, now=now) for _ in range(3))
    assert not store.allow("10.0.0.1", "create", 3, 3600, now=now)
    assert store.allow("10.0.0.2", "create", 3, 3600, now=now), "another client is not limited"
    assert store.allow("10.0.0.1", "join", 3, 3600, now=now), "another action is not limited"
    assert store.allow("10.0.0.1", "create", 3, 3600, now=now + dt.timedelta(hours=1, seconds=1))


def test_a_room_survives_a_restart_of_the_server(store_url):
    first = RoomStore(store_url)
    room, key = first.create_room("kept")
    _, token = first.join(room.code, "A")
    first.save(room.code, token, {"sme_support": 123.0}, rationale="why")
    first.close()
    second = RoomStore(store_url)  # a new process would do exactly this
    try:
        assert second.check_key(room.code, key).title == "kept"
        (entry,) = second.entries(room.code)
        assert entry.settings["sme_support"] == 123.0 and entry.rationale == "why"
        assert second.participant(room.code, token).name == "A"
    finally:
        second.close()


def test_migrations_are_versioned_idempotent_and_refuse_a_newer_database(store_url):
    first = RoomStore(store_url)
    assert first.schema_version() == SCHEMA
    assert first.migrate() == SCHEMA  # again: nothing to do, nothing broken
    with first.engine.connect() as conn:
        versions = list(conn.execute(sa.select(schema_table.c.version)).scalars())
    assert versions == list(range(1, SCHEMA + 1))
    with first.engine.begin() as conn:
        conn.execute(
            schema_table.insert().values(
                version=SCHEMA + 1, description="future", applied_at=utcnow()
            )
        )
    first.close()
    with refused("newer_schema"):
        RoomStore(store_url)


def test_two_processes_migrating_at_once_both_succeed(store_url):
    errors: list[BaseException] = []

    def start() -> None:
        try:
            RoomStore(store_url).close()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert not errors, f"concurrent migrations failed: {errors!r}"
    probe = RoomStore(store_url)
    assert probe.schema_version() == SCHEMA
    probe.close()


def test_many_participants_saving_at_once_lose_nothing(store):
    room, _ = store.create_room()
    tokens = [store.join(room.code, f"P{i}")[1] for i in range(12)]
    errors: list[BaseException] = []

    def work(i: int, token: str) -> None:
        try:
            for step in range(5):
                store.save(room.code, token, {"sme_support": float(80 * i + step)})
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i, t)) for i, t in enumerate(tokens)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert not errors, f"concurrent saves failed: {errors!r}"
    entries = store.entries(room.code)
    assert [e.saves for e in entries] == [5] * 12
    assert [e.settings["sme_support"] for e in entries] == [80.0 * i + 4 for i in range(12)]


def test_the_store_package_never_imports_streamlit():
    for path in (ROOT / "rooms").glob("*.py"):
        tree = ast.parse(path.read_text())
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not any(m.split(".")[0] == "streamlit" for m in imported), (
            f"{path.name} imports streamlit: the store must stay usable without the UI"
        )


def test_the_default_sqlite_file_is_outside_the_tracked_files(monkeypatch, tmp_path):
    from rooms import ENV_PATH, ENV_URL, default_url

    monkeypatch.delenv(ENV_URL, raising=False)
    monkeypatch.delenv(ENV_PATH, raising=False)
    url = default_url()
    assert url.startswith("sqlite:///")
    path = Path(url.removeprefix("sqlite:///"))
    if path.is_relative_to(ROOT):
        ignored = (ROOT / ".gitignore").read_text().splitlines()
        assert f"/{path.relative_to(ROOT).parts[0]}/" in ignored, f"{path} is not git-ignored"
    monkeypatch.setenv(ENV_PATH, str(tmp_path / "x" / "r.sqlite3"))
    assert default_url() == f"sqlite:///{tmp_path / 'x' / 'r.sqlite3'}"
    monkeypatch.setenv(ENV_URL, "postgresql://u:pw@db/batken")
    assert default_url() == "postgresql://u:pw@db/batken"
