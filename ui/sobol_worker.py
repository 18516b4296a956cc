"""The Sobol analysis in a worker process (no streamlit here: the worker imports only
this module and the model).

A Sobol run at the largest size is ~54,000 model runs: seconds of CPU and, in the
server process, a lasting memory high-water mark in every session thread that ran one
(glibc keeps freed memory in per-thread arenas; eight tabs pushed the server to 1.6 GB).
In one worker process, at a lower CPU priority, the run takes what CPU the server leaves
(planners moving levers go first), and its memory goes back to the system when the
worker is recycled.
Progress comes back through a queue set up when the worker starts.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any

from model.runtime import tune_allocator
from model.sensitivity import SobolResult, sobol

#: The worker's CPU priority below the server's (``nice``): on a busy machine a planner
#: moving a lever goes first, the analysis takes what is left.
NICENESS = 15

_queue: Any = None


def init(queue: Any) -> None:
    """Worker initializer: where progress goes (``(task_id, fraction)`` pairs); a lower
    CPU priority than the server's."""
    global _queue
    _queue = queue
    with contextlib.suppress(OSError, AttributeError):  # not on every platform
        os.nice(NICENESS)


def run(
    task_id: int,
    settings: tuple[tuple[str, float], ...],
    year: int,
    metric: str,
    n_base: int,
    chunk: int,
) -> SobolResult:
    """Sobol indices of ``metric`` in ``year`` for ``settings``; ``ValueError`` when the
    metric does not vary (the caller says so)."""

    def progress(fraction: float) -> None:
        if _queue is not None:
            _queue.put((task_id, fraction))

    return sobol(dict(settings), year, n_base=n_base, metric=metric, progress=progress, chunk=chunk)


tune_allocator()  # this worker's own process (model/runtime.py)
