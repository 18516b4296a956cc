"""The workshop-room store: SQLAlchemy Core on SQLite (default) or PostgreSQL (by URL).

Tables (all prefixed ``workshop_``):

- ``workshop_schema``: one row per applied migration (the versioned migration table);
  :meth:`RoomStore.migrate` applies what is missing, in one transaction, under a lock
  on PostgreSQL so that two replicas starting at once do not both migrate.
- ``workshop_rooms``: a room's code (its key), the SHA-256 of the facilitator's secret
  (the secret itself is never stored), title, language, created / expires / closed
  times, and whether participants may see the anonymous spread.
- ``workshop_participants``: one row per participant: the SHA-256 of their own token,
  display name, one-line rationale, and their scenario as the text of a scenario file
  (``scenarios.io``: validated on the way in and on the way out) with its schema and
  model version.
- ``workshop_rate_events``: recent room creations and joins per client, so that rate
  limits hold across replicas.

Every text from outside (title, name, rationale) is stored cleaned: one line, control
and direction characters made visible, cut to its limit (:func:`clean_text`). Times
are UTC, stored without a zone.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError
from sqlalchemy.engine import Connection, Engine

from model import MODEL_VERSION
from scenarios import SCHEMA_VERSION, Scenario, ScenarioError, dump_scenario, load_scenario
from scenarios import printable as _printable
from scenarios.settings import Settings

#: Environment variable with a database URL (``postgresql://user:pw@host/db`` or
#: ``sqlite:////abs/path.sqlite3``); without it the store is a SQLite file.
ENV_URL = "BATKEN_DATABASE_URL"
#: Environment variable with the SQLite file's path (when no URL is given).
ENV_PATH = "BATKEN_ROOMS_DB"
ROOT = Path(__file__).resolve().parents[1]
#: Default SQLite file: ``var/rooms.sqlite3`` in the checkout (git-ignored); where the
#: checkout is read-only (the container image), ``~/.local/share/batken/``.
DEFAULT_PATH = ROOT / "var" / "rooms.sqlite3"
FALLBACK_PATH = Path.home() / ".local" / "share" / "batken" / "rooms.sqlite3"

#: Seconds a PostgreSQL server has to accept a connection.
CONNECT_TIMEOUT_S = 10
#: Room codes: 8 characters without look-alikes (no 0/O, 1/I/L): 31**8 = 8.5e11 codes.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8
TITLE_MAX = 80
NAME_MAX = 40
RATIONALE_MAX = 200
DEFAULT_DAYS = 30
MAX_DAYS = 90
MAX_PARTICIPANTS = 200
#: How long an expired room's code and date stay known (its data is gone at expiry).
TOMBSTONE_DAYS = 90

metadata = sa.MetaData()

schema_table = sa.Table(
    "workshop_schema",
    metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("description", sa.String(200), nullable=False),
    sa.Column("applied_at", sa.DateTime, nullable=False),
)

rooms_table = sa.Table(
    "workshop_rooms",
    metadata,
    sa.Column("code", sa.String(16), primary_key=True),
    sa.Column("secret_hash", sa.String(64), nullable=False),
    sa.Column("title", sa.String(TITLE_MAX * 8), nullable=False, default=""),
    sa.Column("lang", sa.String(8), nullable=False, default="en"),
    sa.Column("show_spread", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.DateTime, nullable=False),
    sa.Column("expires_at", sa.DateTime, nullable=False, index=True),
    sa.Column("closed_at", sa.DateTime, nullable=True),
)

participants_table = sa.Table(
    "workshop_participants",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "room_code",
        sa.String(16),
        sa.ForeignKey("workshop_rooms.code", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("name", sa.String(NAME_MAX * 8), nullable=False, default=""),
    sa.Column("rationale", sa.String(RATIONALE_MAX * 8), nullable=False, default=""),
    sa.Column("scenario", sa.Text, nullable=True),
    sa.Column("schema_version", sa.Integer, nullable=True),
    sa.Column("model_version", sa.String(16), nullable=True),
    sa.Column("saves", sa.Integer, nullable=False, default=0),
    sa.Column("joined_at", sa.DateTime, nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.Column("submitted_at", sa.DateTime, nullable=True),
)

rate_table = sa.Table(
    "workshop_rate_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("client", sa.String(64), nullable=False),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Index("ix_workshop_rate_client", "client", "action", "at"),
)


def _v1(conn: Connection) -> None:
    for table in (rooms_table, participants_table, rate_table):
        table.create(conn, checkfirst=True)


#: The migrations, in order: (version, what it does, function). Never edit an applied
#: one: add the next (``ALTER TABLE ...`` through ``conn.execute(sa.text(...))``).
MIGRATIONS: tuple[tuple[int, str, Callable[[Connection], None]], ...] = (
    (1, "rooms, participants, rate events", _v1),
)
SCHEMA = MIGRATIONS[-1][0]


class RoomError(Exception):
    """Why a room action was refused; ``code`` names it for the planner's language.

    Codes: ``bad_code`` (not a room code at all), ``not_found``, ``expired``,
    ``closed``, ``bad_key`` (facilitator secret does not match), ``bad_token``
    (participant token unknown in this room), ``full``, ``rate_limited``,
    ``bad_scenario`` (a value out of range),
    ``newer_schema`` (the database was migrated by a newer app).
    """

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        extra = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"{self.code}" + (f" ({extra})" if extra else "")


def utcnow() -> dt.datetime:
    """Now, UTC, without a zone (how the store keeps times)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def clean_text(value: object, limit: int) -> str:
    """Outside text as the store keeps it: one line, control and direction characters
    visible as ``\\uXXXX``, at most ``limit`` characters."""
    if value is None:
        return ""
    return _printable(str(value)[: limit * 4], limit)


def normalise_code(raw: object) -> str:
    """A typed room code in canonical form (upper case, spaces and dashes dropped);
    :class:`RoomError` ``bad_code`` when it cannot be a code."""
    text = re.sub(r"[\s\-_.]+", "", str(raw or "")[:64]).upper()
    if len(text) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in text):
        raise RoomError("bad_code")
    return text


def format_code(code: str) -> str:
    """A code as shown to people: two groups of four (``K7Q2-M9XD``)."""
    return f"{code[:4]}-{code[4:]}" if len(code) == CODE_LENGTH else code


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def default_url() -> str:
    """The database URL: ``BATKEN_DATABASE_URL``, else a SQLite file
    (``BATKEN_ROOMS_DB`` or :data:`DEFAULT_PATH`)."""
    url = os.environ.get(ENV_URL, "").strip()
    if url:
        return url
    path = Path(os.environ.get(ENV_PATH, "").strip() or DEFAULT_PATH)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not os.access(path.parent, os.W_OK):
            raise PermissionError(path.parent)
    except OSError:
        if os.environ.get(ENV_PATH):
            raise
        path = FALLBACK_PATH
        path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def _driver_url(url: str) -> str:
    """``postgresql://`` means psycopg 3 here (SQLAlchemy's default would be psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@dataclass(frozen=True)
class Room:
    code: str
    title: str
    lang: str
    show_spread: bool
    created_at: dt.datetime
    expires_at: dt.datetime
    closed_at: dt.datetime | None

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    def expired(self, now: dt.datetime | None = None) -> bool:
        return (now or utcnow()) >= self.expires_at


@dataclass(frozen=True)
class Entry:
    """One participant of a room, their scenario read back through the file format."""

    id: int
    name: str
    rationale: str
    scenario_text: str | None
    schema_version: int | None
    model_version: str | None
    saves: int
    joined_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    settings: Settings | None = field(default=None)
    #: Why a stored scenario could not be read (a tampered or newer row), else None.
    problem: str | None = None

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


def scenario_payload(settings: Mapping[str, float], name: str, rationale: str) -> str:
    """A participant's scenario as the text of a scenario file (validated)."""
    try:
        scn = Scenario.from_settings(
            dict(Settings.from_mapping(dict(settings)).effective),
            name=name or "Participant",
            description=rationale,
        )
    except (ValidationError, KeyError) as exc:
        raise RoomError("bad_scenario", detail=str(exc).splitlines()[0][:200]) from None
    return dump_scenario(scn)


@lru_cache(maxsize=4096)
def _parsed(text: str) -> tuple[Settings | None, str | None]:
    """A stored scenario's settings, or why it cannot be read. Kept by text: the
    facilitator's view reads every participant's scenario every two seconds, and most
    have not changed (settings are immutable, so one object can serve every reader)."""
    try:
        return Settings.from_mapping(load_scenario(text).to_settings()), None
    except ScenarioError as exc:
        return None, str(exc)


def _entry(row: Any) -> Entry:
    settings, problem = _parsed(row.scenario) if row.scenario else (None, None)
    return Entry(
        id=row.id,
        name=row.name,
        rationale=row.rationale,
        scenario_text=row.scenario,
        schema_version=row.schema_version,
        model_version=row.model_version,
        saves=row.saves,
        joined_at=row.joined_at,
        updated_at=row.updated_at,
        submitted_at=row.submitted_at,
        settings=settings,
        problem=problem,
    )


def _room(row: Any) -> Room:
    return Room(
        code=row.code,
        title=row.title,
        lang=row.lang,
        show_spread=bool(row.show_spread),
        created_at=row.created_at,
        expires_at=row.expires_at,
        closed_at=row.closed_at,
    )


class RoomStore:
    """Rooms in a database; thread-safe (one engine, a connection per call)."""

    def __init__(self, url: str | None = None, *, migrate: bool = True) -> None:
        self.url = _driver_url(url or default_url())
        kwargs: dict[str, Any] = {"future": True}
        if self.url.startswith("sqlite"):
            database = sa.make_url(self.url).database
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 15}
        else:
            kwargs.update(pool_pre_ping=True, pool_size=5, max_overflow=10, pool_recycle=1800)
            # a server that does not answer fails a call in seconds, not the system's
            # minutes of TCP retries (the page then says the store is unavailable)
            kwargs["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_S}
        self.engine: Engine = sa.create_engine(self.url, **kwargs)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        if migrate:
            self.migrate()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def describe(self) -> str:
        """Where the rooms are kept, without a password (for the page and the logs)."""
        return sa.make_url(self.url).render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    # --- schema ---------------------------------------------------------------------

    def schema_version(self) -> int:
        """The highest applied migration (0 for an empty database)."""
        with self.engine.connect() as conn:
            if not sa.inspect(conn).has_table(schema_table.name):
                return 0
            found = conn.execute(sa.select(sa.func.max(schema_table.c.version))).scalar()
            return int(found or 0)

    def migrate(self) -> int:
        """Create or update the schema; returns the version. Idempotent and safe to run
        from several processes at once. A database migrated by a newer app is refused
        (:class:`RoomError` ``newer_schema``), never downgraded."""
        attempts = 10
        for attempt in range(attempts):
            try:
                with self.engine.begin() as conn:
                    if self.dialect == "postgresql":
                        conn.execute(sa.text("SELECT pg_advisory_xact_lock(724911)"))
                    schema_table.create(conn, checkfirst=True)
                    done = {
                        int(v) for v in conn.execute(sa.select(schema_table.c.version)).scalars()
                    }
                    if done and max(done) > SCHEMA:
                        raise RoomError("newer_schema", found=max(done), supported=SCHEMA)
                    for version, description, apply in MIGRATIONS:
                        if version in done:
                            continue
                        apply(conn)
                        conn.execute(
                            schema_table.insert().values(
                                version=version, description=description, applied_at=utcnow()
                            )
                        )
                return SCHEMA
            except (sa.exc.IntegrityError, sa.exc.OperationalError):
                # another process migrated at the same moment (SQLite has no advisory
                # lock, and pysqlite runs DDL outside the transaction): once it has
                # committed, its versions are there; look again after a short wait
                if attempt == attempts - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        return SCHEMA

    # --- rooms ----------------------------------------------------------------------

    def create_room(
        self,
        title: str = "",
        *,
        lang: str = "en",
        days: int = DEFAULT_DAYS,
        show_spread: bool = False,
        now: dt.datetime | None = None,
    ) -> tuple[Room, str]:
        """A new room and its facilitator secret (returned once, stored only hashed)."""
        now = now or utcnow()
        days = max(1, min(MAX_DAYS, int(days)))
        key = secrets.token_urlsafe(24)
        for _ in range(10):
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            try:
                with self.engine.begin() as conn:
                    conn.execute(
                        rooms_table.insert().values(
                            code=code,
                            secret_hash=_hash(key),
                            title=clean_text(title, TITLE_MAX),
                            lang=clean_text(lang, 8),
                            show_spread=bool(show_spread),
                            created_at=now,
                            expires_at=now + dt.timedelta(days=days),
                            closed_at=None,
                        )
                    )
                return self.room(code, now=now, allow_expired=True), key
            except sa.exc.IntegrityError:
                continue  # a code taken already: draw again
        raise RuntimeError("could not draw a free room code")

    def _row(self, conn: Connection, code: str) -> Any:
        row = conn.execute(sa.select(rooms_table).where(rooms_table.c.code == code)).first()
        if row is None:
            raise RoomError("not_found", room=code)
        return row

    def room(
        self, code: str, *, now: dt.datetime | None = None, allow_expired: bool = False
    ) -> Room:
        """A room by its code (typed any way); ``expired`` unless ``allow_expired``."""
        code = normalise_code(code)
        with self.engine.connect() as conn:
            room = _room(self._row(conn, code))
        if not allow_expired and room.expired(now):
            raise RoomError("expired", expires_at=room.expires_at)
        return room

    def check_key(self, code: str, key: str, *, now: dt.datetime | None = None) -> Room:
        """The room when ``key`` is its facilitator secret, else ``bad_key``."""
        code = normalise_code(code)
        with self.engine.connect() as conn:
            row = self._row(conn, code)
        room = _room(row)
        if room.expired(now):
            raise RoomError("expired", expires_at=room.expires_at)
        if not row.secret_hash or not hmac.compare_digest(
            row.secret_hash, _hash(str(key or "")[:200])
        ):
            raise RoomError("bad_key")
        return room

    def _update_room(self, code: str, key: str, **values: Any) -> Room:
        room = self.check_key(code, key)
        with self.engine.begin() as conn:
            conn.execute(rooms_table.update().where(rooms_table.c.code == room.code).values(values))
        return self.room(room.code)

    def set_closed(self, code: str, key: str, closed: bool, now: dt.datetime | None = None) -> Room:
        """Close a room (participants can no longer change their scenario) or reopen it."""
        return self._update_room(code, key, closed_at=(now or utcnow()) if closed else None)

    def set_show_spread(self, code: str, key: str, show: bool) -> Room:
        """Let participants see the room's anonymous spread, or not."""
        return self._update_room(code, key, show_spread=bool(show))

    def delete_room(self, code: str, key: str) -> int:
        """Delete a room and every participant's data at once; returns rows deleted."""
        room_code = normalise_code(code)
        with self.engine.connect() as conn:
            row = self._row(conn, room_code)
        if not hmac.compare_digest(row.secret_hash, _hash(str(key or "")[:200])):
            raise RoomError("bad_key")
        return self._delete(room_code)

    def _delete(self, code: str) -> int:
        with self.engine.begin() as conn:
            n = conn.execute(
                participants_table.delete().where(participants_table.c.room_code == code)
            ).rowcount
            n += conn.execute(rooms_table.delete().where(rooms_table.c.code == code)).rowcount
        return int(n)

    def purge_expired(self, now: dt.datetime | None = None) -> int:
        """Delete the data of every expired room: its participants (names, rationales,
        scenarios), its title and its secret. A tombstone (code and expiry date only) is
        kept for :data:`TOMBSTONE_DAYS`, so that an old link says "expired on ..."
        instead of "no such room"; then it goes too, as do rate events over a day old.
        Returns the rooms whose data was deleted."""
        now = now or utcnow()
        with self.engine.begin() as conn:
            codes = list(
                conn.execute(
                    sa.select(rooms_table.c.code).where(
                        rooms_table.c.expires_at <= now, rooms_table.c.secret_hash != ""
                    )
                ).scalars()
            )
            if codes:
                conn.execute(
                    participants_table.delete().where(participants_table.c.room_code.in_(codes))
                )
                conn.execute(
                    rooms_table.update()
                    .where(rooms_table.c.code.in_(codes))
                    .values(title="", secret_hash="", closed_at=now)
                )
            conn.execute(
                rooms_table.delete().where(
                    rooms_table.c.expires_at <= now - dt.timedelta(days=TOMBSTONE_DAYS)
                )
            )
            conn.execute(rate_table.delete().where(rate_table.c.at < now - dt.timedelta(days=1)))
        return len(codes)

    # --- participants ---------------------------------------------------------------

    def _open_for_changes(self, code: str, now: dt.datetime) -> Room:
        room = self.room(code, now=now)
        if room.closed:
            raise RoomError("closed")
        return room

    def join(
        self, code: str, name: str = "", *, now: dt.datetime | None = None
    ) -> tuple[Entry, str]:
        """A new participant in an open room; returns their entry and their own token
        (returned once, stored only hashed)."""
        now = now or utcnow()
        room = self._open_for_changes(code, now)
        token = secrets.token_urlsafe(18)
        with self.engine.begin() as conn:
            count = conn.execute(
                sa.select(sa.func.count())
                .select_from(participants_table)
                .where(participants_table.c.room_code == room.code)
            ).scalar_one()
            if count >= MAX_PARTICIPANTS:
                raise RoomError("full", limit=MAX_PARTICIPANTS)
            conn.execute(
                participants_table.insert().values(
                    room_code=room.code,
                    token_hash=_hash(token),
                    name=clean_text(name, NAME_MAX),
                    rationale="",
                    scenario=None,
                    saves=0,
                    joined_at=now,
                    updated_at=now,
                )
            )
        return self.participant(room.code, token), token

    def _participant_row(self, conn: Connection, code: str, token: str) -> Any:
        row = conn.execute(
            sa.select(participants_table).where(
                participants_table.c.room_code == code,
                participants_table.c.token_hash == _hash(str(token or "")[:200]),
            )
        ).first()
        if row is None:
            raise RoomError("bad_token")
        return row

    def participant(self, code: str, token: str) -> Entry:
        """A participant by their token (only they have it)."""
        code = normalise_code(code)
        with self.engine.connect() as conn:
            return _entry(self._participant_row(conn, code, token))

    def save(
        self,
        code: str,
        token: str,
        settings: Mapping[str, float] | None = None,
        *,
        name: str | None = None,
        rationale: str | None = None,
        submit: bool = False,
        now: dt.datetime | None = None,
    ) -> Entry:
        """Save a participant's scenario (and name, rationale; ``submit`` marks it
        submitted). Refused in a closed or expired room."""
        now = now or utcnow()
        room = self._open_for_changes(code, now)
        with self.engine.begin() as conn:
            row = self._participant_row(conn, room.code, token)
            values: dict[str, Any] = {"updated_at": now}
            if name is not None:
                values["name"] = clean_text(name, NAME_MAX)
            if rationale is not None:
                values["rationale"] = clean_text(rationale, RATIONALE_MAX)
            if settings is not None:
                values["scenario"] = scenario_payload(
                    settings, values.get("name", row.name), values.get("rationale", row.rationale)
                )
                values["schema_version"] = SCHEMA_VERSION
                values["model_version"] = MODEL_VERSION
                values["saves"] = participants_table.c.saves + 1
            if submit:
                values["submitted_at"] = now
            conn.execute(
                participants_table.update().where(participants_table.c.id == row.id).values(values)
            )
        return self.participant(room.code, token)

    def entries(self, code: str) -> list[Entry]:
        """Every participant of a room, in joining order (facilitator only: the page
        checks the key first)."""
        code = normalise_code(code)
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(participants_table)
                .where(participants_table.c.room_code == code)
                .order_by(participants_table.c.id)
            ).all()
        return [_entry(r) for r in rows]

    def leave(self, code: str, token: str) -> None:
        """A participant removes themselves and their scenario from the room."""
        code = normalise_code(code)
        with self.engine.begin() as conn:
            row = self._participant_row(conn, code, token)
            conn.execute(participants_table.delete().where(participants_table.c.id == row.id))

    # --- rate limits ----------------------------------------------------------------

    def allow(
        self,
        client: str,
        action: str,
        limit: int,
        window_s: float,
        *,
        now: dt.datetime | None = None,
    ) -> bool:
        """True (and the event counted) when ``client`` did ``action`` fewer than
        ``limit`` times in the last ``window_s`` seconds; False otherwise."""
        now = now or utcnow()
        client = hashlib.sha256(str(client).encode()).hexdigest()[:32]
        since = now - dt.timedelta(seconds=window_s)
        with self.engine.begin() as conn:
            n = conn.execute(
                sa.select(sa.func.count())
                .select_from(rate_table)
                .where(
                    rate_table.c.client == client,
                    rate_table.c.action == action,
                    rate_table.c.at > since,
                )
            ).scalar_one()
            if n >= limit:
                return False
            conn.execute(rate_table.insert().values(client=client, action=action, at=now))
        return True


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=15000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()
