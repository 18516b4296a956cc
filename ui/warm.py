"""The first page's slow first steps, taken while a new server starts.

A new server's first page waits for its imports and one-off loads: pandas, Altair, the
model and the scenario files' schemas (~0.6 s on the project's machine), Altair's first
chart (it reads the Vega-Lite schema, ~70 ms) and the three languages' catalogs
(~30 ms). app.py starts them in a thread as soon as the server has its app, so they run
while the browser loads and starts Streamlit's frontend instead of inside the first run.
Measured with ``bench/latency_probe.py`` (README, "Speed"). Only work that draws
nothing: no page module, nothing that registers a component or reads a session.
"""

from __future__ import annotations

import importlib
import logging
import threading
import time

#: Imported in this order by :func:`warm_up`; each is one the first page needs.
MODULES = ("numpy", "pandas", "altair", "pyarrow", "model", "model.sweep", "scenarios")
#: The dashboard's own modules the first page imports, once Streamlit's runtime exists:
#: they declare cached functions and components, which Streamlit binds to its runtime.
PAGE_MODULES = ("ui.sidebar", "ui.nav", "ui.links", "ui.history", "ui.pages.scenario")
#: How long the thread waits for the runtime (seconds); then the first run imports them.
RUNTIME_WAIT_S = 20.0

_LOGGER = logging.getLogger(__name__)


def _prime() -> None:
    """The one-off loads the first run would make: Altair's schema, the catalogs."""
    import altair as alt
    import pandas as pd

    from ui.i18n import available_languages, catalog

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
