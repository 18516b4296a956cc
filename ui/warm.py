"""The first page's slow first steps, taken while a new server starts.

A new server's first page waits for its imports and one-off loads: pandas, Altair, the
model, the scenario files' schemas and the rooms' database layer (~0.8 s on the
project's machine), Altair's first chart (it reads the Vega-Lite schema, ~70 ms), the
three languages' catalogs (~30 ms) and Streamlit's emoji table (~0.1 s). app.py starts
them in a thread as soon as the server has its app, so they run while the browser loads
and starts Streamlit's frontend instead of inside the first run. Measured with
``bench/latency_probe.py`` (README, "Speed"). Only work that draws nothing; the page
modules wait until Streamlit's runtime exists (their cached functions and components
are bound to it).
"""

from __future__ import annotations

import importlib
import logging
import threading
import time

#: Imported in this order by :func:`warm_up`; each is one the first page needs.
MODULES = (
    "numpy",
    "pandas",
    "altair",
    "pyarrow",
    "model",
    "model.sweep",
    "scenarios",
    "rooms",
)
#: The dashboard's own modules the first page imports, once Streamlit's runtime exists:
#: they declare cached functions and components, which Streamlit binds to its runtime.
PAGE_MODULES = (
    "ui.sidebar",
    "ui.nav",
    "ui.links",
    "ui.history",
    "ui.workshop",
    "ui.pages.scenario",
)
#: How long the thread waits for the runtime (seconds); then the first run imports them.
RUNTIME_WAIT_S = 20.0

_LOGGER = logging.getLogger(__name__)


def _prime() -> None:
    """The one-off loads the first run would make: Altair's schema, the catalogs, and
    Streamlit's emoji table (it checks the page icon against it, ~0.1 s)."""
    import altair as alt
    import pandas as pd
    from streamlit.string_util import is_emoji

    from ui.i18n import available_languages, catalog

    is_emoji("⛰️")
    frame = pd.DataFrame({"year": [2020], "value": [1.0]})
    alt.Chart(frame).mark_line().encode(x="year:Q", y="value:Q").to_dict(validate=False)
    for lang in available_languages():
        catalog(lang)


def _warm() -> None:
    # a failure here only loses the head start: the run that needs a module imports it
    # again and reports its error there
    try:
        for name in MODULES:
            importlib.import_module(name)
        _prime()
        if _runtime_started():
            for name in PAGE_MODULES:
                importlib.import_module(name)
    except Exception:
        _LOGGER.exception("warming up failed")


def _runtime_started() -> bool:
    from streamlit.runtime import Runtime

    deadline = time.monotonic() + RUNTIME_WAIT_S
    while not Runtime.exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def warm_up() -> threading.Thread:
    """Start the imports and loads in a daemon thread; returns it (tests join it)."""
    thread = threading.Thread(target=_warm, name="batken-warm-up", daemon=True)
    thread.start()
    return thread
