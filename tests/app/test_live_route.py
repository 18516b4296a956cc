"""The live tables' route (ui/live_route.py): a run files its tables under a token, the
page's script fetches them once by address; a tampered or stale address gets a 404 and
never a traceback."""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from pathlib import Path

import pytest
from starlette.requests import Request
from streamlit import config
from streamlit.testing.v1 import AppTest
from streamlit.web.server.app_discovery import discover_asgi_app

from tests.app.conftest import APP, TIMEOUT
from ui import live, live_route


def _get(token: str) -> tuple[int, object, dict]:
    """``GET /batken-live/<token>`` through the route's handler: (status, JSON, headers)."""
    request = Request(
        {
            "type": "http",
            "method": "GET",
            "path": f"/batken-live/{token}",
            "path_params": {"token": token},
            "headers": [],
            "query_string": b"",
        }
    )
    response = asyncio.run(live_route.serve(request))
    return response.status_code, json.loads(bytes(response.body)), dict(response.headers)


def test_streamlit_run_serves_app_py_with_the_route() -> None:
    """`streamlit run app.py` finds the ASGI app in app.py (else the page's script would
    fetch from a route that does not exist and nothing would be live)."""
    found = discover_asgi_app(Path(APP))
    assert found.is_asgi_app and found.import_string == "app:app", found
    assert live_route.route().path == "/batken-live/{token}"


def test_the_route_and_the_scripts_address_follow_the_servers_base_path() -> None:
    config.set_option("server.baseUrlPath", "/tools/batken/")
    try:
        assert live_route.route().path == "/tools/batken/batken-live/{token}"
        assert live_route.path("ab" * 16) == f"/tools/batken/batken-live/{'ab' * 16}"
    finally:
        config.set_option("server.baseUrlPath", "")


def test_a_runs_tables_are_fetched_once_and_equal_what_the_run_would_have_sent() -> None:
    def script() -> None:
        import secrets

        import streamlit as st

        from scenarios.settings import Settings
        from ui import compute, live

        settings = Settings.from_mapping({"infrastructure_spend": 1800})
        result = compute.run_one(settings.effective.key)
        token = secrets.token_hex(16)
        run = live.Published(settings, result, None, 2040, "grp", settings.band)
        live.publish(token, run)
        st.session_state["token"] = token
        st.session_state["direct"] = live.payload(run)

    at = AppTest.from_function(script, default_timeout=TIMEOUT)
    at.query_params["lang"] = "ru"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    status, body, headers = _get(at.session_state["token"])
    assert status == 200, body
    assert body == json.loads(json.dumps(at.session_state["direct"])), "fetched != built"
    assert body["sep"]["thousands"] != ",", "the run's language (ru) was not kept"
    assert headers["cache-control"] == "no-store"
    again, _, _ = _get(at.session_state["token"])
    assert again == 404, "a run's tables were served twice"


@pytest.mark.parametrize(
    "token",
    ["", "x", "../../etc/passwd", "<script>", "AB" * 16, "a" * 31, "a" * 33, "%00" * 11],
)
def test_a_tampered_address_gets_404_at_once(token: str) -> None:
    start = time.monotonic()
    status, body, _ = _get(token)
    assert (status, body) == (404, {"error": "unknown"})
    assert time.monotonic() - start < 1.0, "a malformed token waited for a run"


def test_an_unknown_token_waits_for_its_run_then_gets_404(monkeypatch) -> None:
    monkeypatch.setattr(live_route, "PUBLISH_WAIT_S", 0.2)
    start = time.monotonic()
    status, body, _ = _get(secrets.token_hex(16))
    assert (status, body) == (404, {"error": "unknown"})
    assert time.monotonic() - start >= 0.2


def test_tables_that_fail_are_null_and_logged_not_a_traceback(caplog) -> None:
    token = secrets.token_hex(16)

    class Broken:
        def submit(self) -> None:
            return None

        def build(self, pending) -> dict:
            raise ValueError("a live value does not fit 32 bits")

    live.file(token, Broken())  # type: ignore[arg-type]
    status, body, _ = _get(token)
    assert (status, body) == (200, None)
    assert "live tables failed" in caplog.text


def test_only_the_newest_runs_are_kept(monkeypatch) -> None:
    monkeypatch.setattr(live, "_published", live.OrderedDict())
    monkeypatch.setattr(live, "_PUBLISHED_KEPT", 3)
    tokens = [secrets.token_hex(16) for _ in range(5)]
    records = [object() for _ in tokens]
    for token, record in zip(tokens, records, strict=True):
        live.file(token, record)  # type: ignore[arg-type]
    assert [live.published(t) for t in tokens] == [None, None, *records[2:]]


def test_a_sessions_first_run_makes_its_tables_in_the_server_and_later_runs_in_the_worker() -> None:
    """Starting the worker (a new Python importing numpy) beside a session's first page
    would slow its cold start; later runs' tables go to the worker on the other core."""

    def script() -> None:
        import secrets

        import streamlit as st

        from scenarios.settings import Settings
        from ui import compute, live

        settings = Settings.from_mapping({})
        result = compute.run_one(settings.effective.key)
        tokens = st.session_state.setdefault("tokens", [])
        tokens.append(secrets.token_hex(16))
        live.publish(tokens[-1], live.Published(settings, result, None, 2035, "grp", settings.band))

    at = AppTest.from_function(script, default_timeout=TIMEOUT).run()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    records = [live.published(token) for token in at.session_state["tokens"]]
    assert [r.use_worker for r in records if r is not None] == [False, True]
