"""Fixtures of the room-store tests: every test that takes ``store`` runs twice, on a
fresh SQLite file and on a fresh database of a real PostgreSQL server (a throwaway
cluster started once per test session, see tests/pg.py). Only the PostgreSQL run is
skipped, with the reason, where the server binaries are missing; CI installs them."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from rooms import RoomStore
from tests.pg import pg_missing, throwaway_postgres


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """URL of the session's throwaway PostgreSQL (its ``postgres`` database)."""
    missing = pg_missing()
    if missing:
        pytest.skip(f"PostgreSQL: {missing}")
    with throwaway_postgres() as url:
        yield url


def fresh_pg_database(server_url: str) -> str:
    """A new, empty database on the server; its URL."""
    name = "t_" + secrets.token_hex(6)
    engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    engine.dispose()
    return server_url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """A URL of an empty database, on each engine in turn."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'rooms.sqlite3'}"
    return fresh_pg_database(request.getfixturevalue("pg_server"))


@pytest.fixture
def store(store_url: str) -> Iterator[RoomStore]:
    made = RoomStore(store_url)
    yield made
    made.close()
