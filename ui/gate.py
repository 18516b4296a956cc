"""One page run at a time in a server process; the others queue at the door.

Why: one Python process runs Python code on one core at a time (the interpreter lock).
Streamlit starts every session's run at once, each in its own thread, so forty
workshop participants moving levers share that core in 5 ms slices: every run takes many
times its own work, and a facilitator's refresh waits behind all of them. Let in one at
a time, with the rest queued, the runs do not slow each other down: the server gets
through more of them a second, each finishes sooner, and what does not pass the gate
gets the interpreter sooner. The facilitator's refreshes are fragment reruns, which do
not run the entrypoint and so do not queue here.

Measured (README, "Speed"; one server, each figure alternating with the gate off):

- 40 participants of one room, a lever every ~2 s each: the facilitator's refresh p95
  0.26-0.51 s instead of 0.84-1.93 s; participant reruns p95 0.29-0.50 s, not ~1 s.
- 30 sessions, a lever every 0.5 s each: 26-32 reruns a second instead of 20, p95
  0.62-0.88 s instead of 1.37 s.
- two slots did better than none and worse than one (28 reruns a second; the
  facilitator's p95 0.54-0.99 s).

A run that has to wait for something other than its own Python work (a worker process,
the slot of the heavy analyses, the rooms' database) leaves the gate first
(:func:`leave`) and finishes without it, so that no one queues behind a wait: a database
that is slow or down holds up the runs that use it, not everyone's. It never queues
again: a thread may only wait for the gate where it holds no other lock (here, at the
entrypoint), since a run waiting for the gate inside a cached function, holding that
function's lock, could wait for a run that waits for the lock. The scenario page's live tables are
built after its run, when the page's script fetches them (ui/live_route.py), and that
build takes a slot too: when a run waited for its tables inside the run and left the
gate for it, the end of each run competed with the next one, and the facilitator's
refresh p95 went back up to 0.65-0.91 s.

``BATKEN_RUN_SLOTS`` sets how many runs are let in at once (default 1; 0: no gate).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator

#: Page runs let in at once (``BATKEN_RUN_SLOTS``; 0: no gate).
RUN_SLOTS = max(0, int(os.environ.get("BATKEN_RUN_SLOTS", "1") or 0))

_slots = threading.BoundedSemaphore(max(RUN_SLOTS, 1))
_inside = threading.local()  # .slot: this thread's run holds a slot now


def holding() -> bool:
    """Whether this thread's run holds a slot now."""
    return bool(getattr(_inside, "slot", False))


@contextlib.contextmanager
def page_run() -> Iterator[None]:
    """The entrypoint's body: wait for a slot, hold it for the run, give it back however
    the run ends (Streamlit ends a run early by raising, e.g. for a newer rerun)."""
    if RUN_SLOTS == 0 or holding():
        yield
        return
    _slots.acquire()
    _inside.slot = True
    try:
        yield
    finally:
        leave()


def leave() -> None:
    """Give this run's slot to the next in the queue, for the rest of the run: call it
    before waiting on something that is not this run's own Python work. Nothing when the
    run holds none (a fragment rerun, a test, the gate off, already left)."""
    if holding():
        _inside.slot = False
        _slots.release()
