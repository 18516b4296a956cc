"""Worker processes of the server (the Sobol analysis, the live layer's step tables).

Spawned, not forked: the server has threads. A spawned child first re-runs the parent's
``__main__``, and inside a Streamlit run that is the app script itself (Streamlit puts
app.py there), so every worker would start by running the whole dashboard in bare mode.
:func:`start` hides the script from the child while it is created: the worker imports
only its own module and the model.
"""

from __future__ import annotations

import multiprocessing
import sys
import types
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any


def start(
    first: Callable[..., Any], *args: Any, **pool_kwargs: Any
) -> tuple[ProcessPoolExecutor, Future]:
    """A one-process pool, its process started now by submitting ``first(*args)``."""
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), **pool_kwargs)
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")  # no file: the child skips it
    try:
        future = pool.submit(first, *args)  # the child is spawned here, in this thread
    finally:
        sys.modules["__main__"] = main
    return pool, future
