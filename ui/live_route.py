"""The server route where the scenario page's script fetches a run's live tables.

``GET <base>/batken-live/<token>``: the step tables of the run that mounted ``token``
(:func:`ui.live.mount`, :func:`ui.live.publish`), as JSON. app.py adds :func:`route` to
Streamlit's own server (``st.App``); this module imports nothing of the page, so that
the server can import it before Streamlit's runtime exists.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable
from concurrent.futures import Future

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from streamlit import config

from ui import gate

#: The route's first path segment (under ``server.baseUrlPath``).
ROUTE = "batken-live"
#: A run's token: 32 lowercase hex digits (``secrets.token_hex(16)``); anything else in
#: the path is answered 404 without a lookup.
TOKEN = re.compile(r"[0-9a-f]{32}")
#: How long a fetch waits for its run to publish (seconds): the script fetches once the
#: run has ended, so the run has published unless it was stopped on the way.
PUBLISH_WAIT_S = 5.0
#: The tables are one run's and fetched once: no cache may keep them.
NO_STORE = {"Cache-Control": "no-store"}

_LOGGER = logging.getLogger(__name__)


def _prefix() -> str:
    base = str(config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def path(token: str) -> str:
    """The address (path) of a run's tables."""
    return f"{_prefix()}/{ROUTE}/{token}"


async def serve(request: Request) -> Response:
    """The run's tables as JSON; ``null`` when they could not be made (the worker was
    too late: the page then shows nothing live until the next run); 404 for a token that
    is malformed, unknown or already fetched."""
    from ui import live  # the page's module, as the runs imported it

    token = str(request.path_params.get("token", ""))
    record = None
    if TOKEN.fullmatch(token):
        deadline = time.monotonic() + PUBLISH_WAIT_S
        while (record := live.published(token)) is None and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
    if record is None:
        return JSONResponse({"error": "unknown"}, status_code=404, headers=NO_STORE)
    data = None
    try:
        # the worker makes the tables on the other core while this waits without a slot
        # (submitted from a thread: the first submit starts the worker process)
        pending = await run_in_threadpool(record.submit)
        if pending is not None:
            await asyncio.wait({asyncio.wrap_future(pending)}, timeout=live.WAIT_S)
        if pending is None or pending.done():  # late: no live values this run
            data = await run_in_threadpool(_in_turn, record.build, pending)
    except Exception:  # logged; the page has no live values this run
        _LOGGER.exception("live tables failed")
    return JSONResponse(data, headers=NO_STORE)


def _in_turn(build: Callable[[Future | None], dict | None], pending: Future | None) -> dict | None:
    """Build in a page-run slot (ui/gate.py): under load the tables queue with the runs
    instead of slowing every run down."""
    with gate.page_run():
        return build(pending)


def route() -> Route:
    """The route of :func:`serve`, for ``st.App(routes=...)``."""
    return Route(path("{token}"), serve, methods=["GET"])
