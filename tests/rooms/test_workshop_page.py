"""The Workshop page in headless app runs (AppTest): creating a room, joining it from
its link, autosave, submit, the facilitator's view, bad input in each language, and the
exports. The store is a fresh SQLite file per test (``BATKEN_ROOMS_DB``)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from rooms import RoomStore, format_code
from scenarios import load_scenario
from scenarios.settings import Settings
from tests.app.conftest import goto, new_app, no_exception
from ui import compute
from ui import workshop as ws
from ui.i18n import fmt_num, fmt_signed, translate
from ui.results import DEFAULT_KPI_YEAR


@pytest.fixture
def db(tmp_path, monkeypatch) -> RoomStore:
    monkeypatch.delenv("BATKEN_DATABASE_URL", raising=False)
    path = tmp_path / "rooms.sqlite3"
    monkeypatch.setenv("BATKEN_ROOMS_DB", str(path))
    store = RoomStore(f"sqlite:///{path}")
    yield store
    store.close()


def workshop(**query: str) -> AppTest:
    at = new_app(**query)
    return goto(at, "workshop")


def texts(at: AppTest) -> str:
    """Everything the page says, in one string (for "is this message shown?")."""
    parts = [e.value for e in at.error] + [w.value for w in at.warning]
    parts += [i.value for i in at.info] + [s.value for s in at.success]
    parts += [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [x.value for x in at.subheader] + [x.value for x in at.text]
    return "\n".join(str(p) for p in parts)


def test_the_page_offers_to_join_or_create_a_room(db):
    at = workshop()
    no_exception(at)
    heads = [s.value for s in at.subheader]
    assert heads == ["Join a room", "Run a workshop"], heads


def test_a_facilitator_creates_a_room_and_gets_code_link_and_qr(db):
    at = workshop()
    at.text_input(key="workshop_title").input("Akims' meeting")
    next(b for b in at.button if b.label == "Create a room").click()
    at.run()
    no_exception(at)
    seat = at.session_state["workshop_seat"]
    assert seat.role == "facilitator" and len(seat.code) == 8
    room = db.check_key(seat.code, seat.secret)
    assert room.title == "Akims' meeting"
    said = texts(at)
    assert format_code(seat.code) in said, "the room code must be on the screen"
    codes = [c.value for c in at.code]
    assert any(f"room={seat.code}" in c and "key=" not in c for c in codes), codes
    assert any(f"key={seat.secret}" in c for c in codes), "the facilitator's own link is missing"
    assert at.get("image"), "no QR code image"
    assert "key" not in at.query_params, "the secret must not stay in the address bar"
    assert [m.label for m in at.metric][:3] == ["Participants", "With a scenario", "Submitted"]


def test_a_participant_joins_from_the_link_and_their_levers_are_saved(db):
    room, _key = db.create_room("Meeting")
    at = workshop(room=room.code, lang="ru")
    no_exception(at)
    assert format_code(room.code) in texts(at)
    at.text_input(key="workshop_name").input("Айгуль")
    next(b for b in at.button if b.label == translate("ru", "workshop.join.button")).click()
    at.run()
    no_exception(at)
    seat = at.session_state["workshop_seat"]
    assert seat.role == "participant"
    assert at.query_params.get("p") == [seat.secret] or at.query_params.get("p") == seat.secret
    at.slider(key="sme_support").set_value(300.0)
    at.run()
    no_exception(at)
    (entry,) = db.entries(room.code)
    assert entry.name == "Айгуль"
    assert entry.settings is not None and entry.settings["sme_support"] == 300.0
    # submit with a rationale
    at.text_input(key="workshop_rationale").input('=HYPERLINK("x") cheap')
    at.button(key="workshop_submit_button").click()
    at.run()
    (entry,) = db.entries(room.code)
    assert entry.submitted and entry.rationale.startswith("=HYPERLINK")
    # the participant sees only their own scenario: no other participant's name
    _other, _ = db.join(room.code, "Secret Other")
    at.run()
    assert "Secret Other" not in texts(at)
    assert not list(at.dataframe), "a participant must not see the room's table"


def test_autosave_works_from_any_page(db):
    room, _ = db.create_room()
    _, token = db.join(room.code, "A")
    at = new_app(room=room.code, p=token)  # a reload of their link on the scenario page
    at = goto(at, "workshop")
    at = goto(at, "scenario")
    at.slider(key="irrigation_rehab_ha").set_value(1500.0)
    at.run()
    no_exception(at)
    (entry,) = db.entries(room.code)
    assert entry.settings is not None and entry.settings["irrigation_rehab_ha"] == 1500.0


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_bad_links_say_what_is_wrong_in_the_planners_language(db, lang):
    room, key = db.create_room()
    cases = {
        "bad_code": {"room": "<b>x</b>"},
        "not_found": {"room": "ZZZZ-ZZZZ"},
        "bad_key": {"room": room.code, "key": key[:-2] + "xx"},
        "bad_token": {"room": room.code, "p": "forged"},
    }
    for code, query in cases.items():
        at = workshop(lang=lang, **query)
        no_exception(at)
        expected = translate(lang, f"workshop.error.{code}")
        assert expected in [e.value for e in at.error], (code, [e.value for e in at.error])
        assert "workshop_seat" not in at.session_state


def test_an_expired_room_says_when_it_expired(db):
    import datetime as dt

    from rooms import utcnow

    start = utcnow() - dt.timedelta(days=3)
    room, _ = db.create_room(now=start, days=1)
    at = workshop(room=room.code, lang="ky")
    no_exception(at)
    day = (start + dt.timedelta(days=1)).strftime("%Y-%m-%d")
    expected = translate("ky", "workshop.error.expired", date=day)
    assert expected in [e.value for e in at.error], [e.value for e in at.error]


def test_the_facilitator_sees_spread_median_and_points(db):
    room, key = db.create_room()
    for i, v in enumerate([100.0, 200.0, 600.0]):
        _, token = db.join(room.code, f"P{i}")
        db.save(room.code, token, {"sme_support": v}, rationale=f"reason {i}")
    at = workshop(room=room.code, key=key)
    no_exception(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Participants"] == "3" and metrics["With a scenario"] == "3"
    assert "The room's median scenario" in texts(at)
    frames = [d.value for d in at.dataframe]
    spread = next(f for f in frames if "Median" in f.columns)
    row = spread[spread["Setting"].str.startswith("Business credit")].iloc[0]
    assert (row["Lowest"], row["Median"], row["Highest"], row["Moved from default"]) == (
        "100",
        "200",
        "600",
        "3 of 3",
    )
    people = next(f for f in frames if "Rationale" in f.columns)
    assert list(people["Name"]) == ["P0", "P1", "P2"]
    # cost and gain in the planner's number format, as the other tables (not 26763)
    cost_col = translate("en", "workshop.points.x")
    gain_col = translate("en", "workshop.points.y_grp", year=DEFAULT_KPI_YEAR)
    briefs = compute.briefs(
        [Settings.from_mapping({"sme_support": v}).effective.key for v in (100.0, 200.0, 600.0)],
        DEFAULT_KPI_YEAR,
    )
    assert list(people[cost_col]) == [fmt_num(b.cost, lang="en") for b in briefs]
    assert list(people[gain_col]) == [fmt_signed(b.gain["grp"], lang="en") for b in briefs]
    assert all("," in c for c in people[cost_col]), list(people[cost_col])
    assert all(g.startswith("+") for g in people[gain_col]), list(people[gain_col])
    # the spread chart: a tick per participant and the median, on the same setting
    data = {
        d.name: pa.ipc.open_stream(d.data.data).read_all().to_pylist()
        for c in at.get("vega_lite_chart")
        for d in c.proto.datasets
        if d.name in ("ticks", "medians")
    }
    credit = translate("en", "lever.sme_support.label")
    ticks = [r for r in data["ticks"] if r["setting"] == credit]
    assert [(r["who"], r["value"].split()[0]) for r in sorted(ticks, key=lambda r: r["who"])] == [
        ("P0", "100"),
        ("P1", "200"),
        ("P2", "600"),
    ]
    (median,) = [r for r in data["medians"] if r["setting"] == credit]
    assert median["value"].split()[0] == "200"
    assert ticks[0]["pos"] < median["pos"] < ticks[2]["pos"]


def test_show_this_one_puts_a_participants_scenario_on_the_levers_and_in_compare(db):
    room, key = db.create_room()
    _, token = db.join(room.code, "Bakyt")
    db.save(room.code, token, {"infrastructure_spend": 1500.0})
    at = workshop(room=room.code, key=key)
    at.button(key="workshop_show_compare").click()
    at.run()
    no_exception(at)
    assert at.session_state["infrastructure_spend"] == 1500.0
    pins = at.session_state["pinned_scenarios"]
    assert any("Bakyt" in name for name in pins), pins
    assert any(o.startswith("pin:") and "Bakyt" in o for o in at.session_state["compare_pick"])


def test_close_and_delete_from_the_facilitators_view(db):
    room, key = db.create_room()
    _, _token = db.join(room.code, "A")
    at = workshop(room=room.code, key=key)
    at.button(key="workshop_close").click()
    at.run()
    assert db.room(room.code).closed
    at.checkbox(key="workshop_delete").check()
    at.run()
    at.button(key="workshop_delete_button").click()
    at.run()
    no_exception(at)
    assert "workshop_seat" not in at.session_state
    with pytest.raises(Exception, match="not_found"):
        db.room(room.code)


def test_exports_are_formula_safe_and_hold_valid_scenario_files(db):
    room, _ = db.create_room()
    _, token = db.join(room.code, "=cmd|' /C calc'!A0")
    db.save(room.code, token, {"sme_support": 50.0}, rationale="+1 and -1")
    entries = db.entries(room.code)
    data = ws.room_csv(entries, "en").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data)))
    assert rows[0]["Name"].startswith("'="), rows[0]
    assert rows[0]["Rationale"] == "'+1 and -1"
    assert float(rows[0]["Business credit and grants (mln som/yr)"]) == 50.0
    # stored in UTC, shown on Kyrgyzstan's clock (UTC+6), the zone named
    stored = entries[0].updated_at.replace(tzinfo=dt.UTC)
    bishkek = (stored + dt.timedelta(hours=6)).strftime("%Y-%m-%d %H:%M:%S")
    assert rows[0]["Last change"] == f"{bishkek} (Bishkek time)", rows[0]
    with zipfile.ZipFile(io.BytesIO(ws.room_zip(room.code, entries, "en"))) as zf:
        names = zf.namelist()
        toml = [n for n in names if n.endswith(".toml")]
        assert len(toml) == 1 and any(n.endswith(".csv") for n in names)
        scenario = load_scenario(zf.read(toml[0]))
    assert scenario.to_settings()["sme_support"] == 50.0


def test_creating_rooms_is_rate_limited_per_client(db, monkeypatch):
    monkeypatch.setitem(ws.LIMITS, "create", (2, 3600.0))
    made = 0
    for _ in range(3):
        at = workshop()
        next(b for b in at.button if b.label == "Create a room").click()
        at.run()
        no_exception(at)
        if "workshop_seat" in at.session_state:
            made += 1
        else:
            assert translate("en", "workshop.error.rate_limited") in [e.value for e in at.error]
    assert made == 2


def test_a_participant_back_on_a_new_device_loses_nothing(db):
    room, _ = db.create_room()
    _, token = db.join(room.code, "A")
    db.save(room.code, token, {"sme_support": 400.0, "irrigation_rehab_ha": 2000.0})
    at = workshop(room=room.code, p=token)  # their link, on levers at the baseline
    no_exception(at)
    (entry,) = db.entries(room.code)
    assert entry.settings["sme_support"] == 400.0, "the baseline overwrote their scenario"
    assert translate("en", "workshop.participant.conflict") in [w.value for w in at.warning]
    at.button(key="workshop_load_saved").click()
    at.run()
    no_exception(at)
    assert at.session_state["sme_support"] == 400.0
    assert at.session_state["irrigation_rehab_ha"] == 2000.0
    at.slider(key="sme_support").set_value(450.0)
    at.run()
    (entry,) = db.entries(room.code)
    assert entry.settings["sme_support"] == 450.0
    assert entry.settings["irrigation_rehab_ha"] == 2000.0


def test_room_times_are_on_kyrgyzstans_clock_in_the_planners_language():
    noon_utc = dt.datetime(2026, 12, 7, 6, 0, 0, tzinfo=dt.UTC)
    assert ws.local_time(noon_utc) == "12:00:00 (Bishkek time)"
    assert ws.local_time(noon_utc.replace(tzinfo=None)) == "12:00:00 (Bishkek time)"
    late = dt.datetime(2026, 12, 7, 20, 30, 0, tzinfo=dt.UTC)
    assert ws.local_time(late, "%Y-%m-%d %H:%M") == "2026-12-08 02:30 (Bishkek time)"
    for lang in ("ru", "ky"):
        zone = translate(lang, "workshop.time_zone")
        assert zone and zone != translate("en", "workshop.time_zone")
