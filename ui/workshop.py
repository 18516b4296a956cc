"""Workshop rooms in the dashboard: the store, who this session is in a room, autosave,
rate limits, messages and exports. The page itself is ``ui/pages/workshop.py``.

A session is in at most one room, as its facilitator (it showed the room's secret) or as
a participant (it holds its own token). The address bar keeps ``room`` and, for a
participant, ``p`` (their token: a reload on a phone keeps their scenario). The
facilitator's secret ``key`` is read once from the link and then removed from the
address bar, so a projected screen never shows it; the session remembers it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import ipaddress
import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st

from rooms import (
    ENV_URL,
    Entry,
    RoomError,
    RoomStore,
    default_url,
    format_code,
    scenario_payload,
)
from scenarios.settings import Settings
from ui import gate, keys, links, plain, state
from ui.exports import SETTING_ORDER, text_cell
from ui.files import file_stem
from ui.i18n import current_lang, t

ROOM_PARAM, KEY_PARAM, TOKEN_PARAM = "room", "key", "p"
#: How often the facilitator's view refreshes itself (seconds).
REFRESH_S = float(os.environ.get("BATKEN_WORKSHOP_REFRESH_S", "2"))
#: Rate limits per client: (events, window in seconds). A room's participants often share
#: one address (the venue's wifi), so joining allows a full room; looking up codes (the
#: way to guess one) is limited harder.
LIMITS = {
    "create": (int(os.environ.get("BATKEN_ROOMS_CREATE_PER_HOUR", "10")), 3600.0),
    "join": (200, 600.0),
    "lookup": (int(os.environ.get("BATKEN_ROOMS_LOOKUPS_PER_10MIN", "300")), 600.0),
}


@dataclass(frozen=True)
class Seat:
    """This session's place in a room."""

    code: str
    role: str  # "facilitator" or "participant"
    secret: str  # the facilitator's key or the participant's token


@st.cache_resource(show_spinner=False)
def _store(url: str) -> RoomStore:
    store = RoomStore(url)
    store.purge_expired()
    return store


def database_url() -> str:
    """``BATKEN_DATABASE_URL``, else ``database_url`` in Streamlit's secrets, else the
    store's default SQLite file (``BATKEN_ROOMS_DB`` or ``var/rooms.sqlite3``)."""
    if os.environ.get(ENV_URL, "").strip():
        return os.environ[ENV_URL].strip()
    try:
        return str(st.secrets["database_url"])
    except Exception:  # no secrets file, or no such entry
        return default_url()


def store() -> RoomStore:
    """The process's one store (created, and migrated, on first use). A page run that
    uses it leaves the page-run gate (ui/gate.py): a database that is slow or down must
    not hold up every other planner's run."""
    gate.leave()
    return _store(database_url())


def client_id() -> str:
    """Who is asking, for the rate limits: the browser's address; behind a proxy on this
    machine (the shipped nginx), the address the proxy reports."""
    try:
        ip = st.context.ip_address
        headers = dict(st.context.headers or {})
    except Exception:
        ip, headers = None, {}
    try:
        local = ip is None or ipaddress.ip_address(str(ip)).is_loopback
    except ValueError:
        ip, local = None, True
    if local:
        lowered = {str(k).lower(): str(v) for k, v in headers.items()}
        forwarded = lowered.get("x-real-ip") or lowered.get("x-forwarded-for") or ""
        forwarded = forwarded.split(",")[0].strip()
        if forwarded:
            return forwarded[:64]
    return str(ip) if ip else "unknown"


def allowed(action: str) -> bool:
    """Count one ``action`` of this client; False when over its limit."""
    limit, window = LIMITS[action]
    return store().allow(client_id(), action, limit, window)


# --- this session's seat ------------------------------------------------------------


def seat() -> Seat | None:
    found = st.session_state.get(keys.WORKSHOP_SEAT)
    return found if isinstance(found, Seat) else None


def take_seat(code: str, role: str, secret: str) -> None:
    st.session_state[keys.WORKSHOP_SEAT] = Seat(code, role, secret)
    st.session_state.pop(keys.WORKSHOP_SAVED, None)
    keep_in_url()


def leave_seat() -> None:
    for k in (
        keys.WORKSHOP_SEAT,
        keys.WORKSHOP_SAVED,
        keys.WORKSHOP_STATUS,
        keys.WORKSHOP_CONFLICT,
    ):
        st.session_state.pop(k, None)
    for p in (ROOM_PARAM, KEY_PARAM, TOKEN_PARAM):
        st.query_params.pop(p, None)


def keep_in_url() -> None:
    """The room (and a participant's token) in the address bar; never the facilitator's
    key. Runs on every page, as the language does, so a reload keeps the seat."""
    s = seat()
    qp = st.query_params
    if s is None:
        return
    if KEY_PARAM in qp and s.role == "facilitator" and qp.get(ROOM_PARAM) == s.code:
        qp.pop(KEY_PARAM)  # read already: the session keeps it
    if qp.get(ROOM_PARAM) != s.code:
        qp[ROOM_PARAM] = s.code
    if s.role == "participant" and qp.get(TOKEN_PARAM) != s.secret:
        qp[TOKEN_PARAM] = s.secret


def message(err: RoomError) -> str:
    """A refused room action in the planner's language."""
    # shown with st.error (Markdown): text from the store or a link goes as a code span
    params = {k: plain.code(v) if isinstance(v, str) else v for k, v in err.params.items()}
    if "expires_at" in params:
        params["date"] = params["expires_at"].strftime("%Y-%m-%d")
    return t(f"workshop.error.{err.code}", **params)


def autosave() -> None:
    """Save a participant's current levers to their room when they changed (runs after
    every page, so a participant may work on any page). Idempotent in one run."""
    s = seat()
    if s is None or s.role != "participant" or st.session_state.get(keys.WORKSHOP_CONFLICT):
        return  # (a conflict: the participant chooses first, see ui/pages/workshop.py)
    settings = state.current().effective
    ss = st.session_state
    if ss.get(keys.WORKSHOP_SAVED, (None,))[0] == settings:
        return
    try:
        store().save(s.code, s.secret, settings)
    except RoomError as err:
        ss[keys.WORKSHOP_STATUS] = message(err)
        ss[keys.WORKSHOP_SAVED] = (settings, None)  # do not try again until a change
        return
    ss[keys.WORKSHOP_SAVED] = (settings, dt.datetime.now(dt.UTC))
    ss.pop(keys.WORKSHOP_STATUS, None)


def resume(entry: Entry) -> None:
    """A participant comes back to the room through their own link: when the room holds
    another scenario than the levers on this screen (a new device, an old bookmark),
    nothing is saved until they choose which one to keep."""
    ss = st.session_state
    current = state.current().effective
    if entry.settings is not None and entry.settings.effective != current:
        ss[keys.WORKSHOP_CONFLICT] = True
    else:
        ss[keys.WORKSHOP_SAVED] = (current, entry.updated_at.replace(tzinfo=dt.UTC))


def load_saved() -> None:
    """Callback: the scenario the room holds for this participant onto the levers."""
    s = seat()
    ss = st.session_state
    ss.pop(keys.WORKSHOP_CONFLICT, None)
    if s is None:
        return
    try:
        entry = store().participant(s.code, s.secret)
    except RoomError as err:
        ss[keys.WORKSHOP_STATUS] = message(err)
        return
    if entry.settings is not None:
        state.apply_settings(entry.settings)
        ss[keys.WORKSHOP_SAVED] = (entry.settings.effective, dt.datetime.now(dt.UTC))


def keep_levers() -> None:
    """Callback: keep the levers on this screen; they are saved to the room."""
    st.session_state.pop(keys.WORKSHOP_CONFLICT, None)
    st.session_state.pop(keys.WORKSHOP_SAVED, None)


def adopt_from_link() -> None:
    """A participant's own link (``room`` and ``p``) opened on any page takes their seat
    (the Workshop page says what is wrong with a bad one)."""
    qp = st.query_params
    code, token = qp.get(ROOM_PARAM), qp.get(TOKEN_PARAM)
    ss = st.session_state
    if seat() is not None or not code or not token:
        return
    if ss.get(keys.WORKSHOP_ADOPTED) == (code, token):
        return  # looked up already (and refused: the Workshop page says why)
    ss[keys.WORKSHOP_ADOPTED] = (code, token)
    try:
        if not allowed("lookup"):
            return
        entry = store().participant(code, token)
        room = store().room(code)
    except RoomError:
        return
    take_seat(room.code, "participant", token)
    resume(entry)


def after_page() -> None:
    """The entrypoint's hook, after the page ran: a participant's link, autosave and
    the address bar."""
    adopt_from_link()
    autosave()
    keep_in_url()


# --- links --------------------------------------------------------------------------


def participant_link(code: str, lang: str | None = None) -> str:
    """What participants open (the QR code): the workshop page of this room."""
    query = urlencode({ROOM_PARAM: code, "lang": lang or current_lang()})
    return f"{links.base_url() or './'}workshop?{query}"


def facilitator_link(code: str, key: str) -> str:
    query = urlencode({ROOM_PARAM: code, KEY_PARAM: key, "lang": current_lang()})
    return f"{links.base_url() or './'}workshop?{query}"


# --- exports ------------------------------------------------------------------------


#: Kyrgyzstan's clock: UTC+6 all year (no daylight saving since 2005). Rooms store UTC;
#: the people in the room read the time on Batken's and Bishkek's clocks.
BISHKEK = dt.timezone(dt.timedelta(hours=6))


def local_time(when: dt.datetime, fmt: str = "%H:%M:%S") -> str:
    """A stored time (UTC; a naive one is UTC) on Kyrgyzstan's clock, with its zone named
    in the planner's language: ``17:46:16 (Bishkek time)``."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return f"{when.astimezone(BISHKEK).strftime(fmt)} ({t('workshop.time_zone')})"


def display_name(entry: Entry, n: int) -> str:
    """A participant's name, or "Participant 3" when they gave none."""
    return entry.name or t("workshop.anonymous", n=n)


def room_rows(entries: Sequence[Entry], lang: str) -> list[dict[str, object]]:
    """One row per participant: number, name, status, times, rationale, every setting."""
    from ui.exports import setting_label

    rows = []
    for i, e in enumerate(entries, start=1):
        row: dict[str, object] = {
            t("workshop.col.n"): i,
            t("workshop.col.name"): display_name(e, i),
            t("workshop.col.submitted"): t("workshop.yes") if e.submitted else t("workshop.no"),
            t("workshop.col.updated"): local_time(e.updated_at, "%Y-%m-%d %H:%M:%S"),
            t("workshop.col.rationale"): e.rationale,
        }
        for key in SETTING_ORDER:
            row[setting_label(key, lang)] = None if e.settings is None else e.settings[key]
        rows.append(row)
    return rows


def room_csv(entries: Sequence[Entry], lang: str) -> bytes:
    """The room as CSV (UTF-8 with BOM): text cells that start like a formula are
    written as text (:func:`ui.exports.text_cell`)."""
    rows = room_rows(entries, lang)
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=[str(text_cell(k)) for k in rows[0]])
        writer.writeheader()
        for row in rows:
            writer.writerow({str(text_cell(k)): text_cell(v) for k, v in row.items()})
    return out.getvalue().encode("utf-8-sig")


def room_zip(code: str, entries: Sequence[Entry], lang: str) -> bytes:
    """A zip: every participant's scenario file (the store's validated payload) and the
    room's CSV."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, e in enumerate(entries, start=1):
            if e.settings is None:
                continue
            text = scenario_payload(e.settings, e.name or display_name(e, i), e.rationale)
            zf.writestr(f"{i:02d}_{file_stem(display_name(e, i))}.toml", text)
        zf.writestr(f"room_{code}.csv", room_csv(entries, lang))
    return buf.getvalue()


def export_name(code: str, ext: str) -> str:
    return f"workshop_{format_code(code)}_{dt.date.today().isoformat()}.{ext}"


def scenario_settings(entries: Sequence[Entry]) -> list[Settings]:
    return [e.settings for e in entries if e.settings is not None]


def fmt_value(key: str, value: float) -> str:
    """A setting's value with its unit, for tables and tooltips."""
    from ui.i18n import fmt_setting

    return f"{fmt_setting(key, value)} {t(f'unit.{key}')}"
