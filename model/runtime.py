"""How the process running the model should hand out memory (glibc on Linux).

A vectorised call allocates arrays of ``(runs, years)``: 1,000 runs to 2065 make ~0.5 MB
each, dozens of them per call. glibc serves blocks above its mmap threshold (128 KiB at
first) with a fresh ``mmap`` and returns them with ``munmap`` on free, so every call
pays system calls and page faults for memory it just gave back: on this project's
machine 1,000 runs took ~24-34 ms, of which more than half was that. With blocks up to
32 MiB kept on the heap and up to 128 MiB of free heap kept rather than trimmed, the same
call takes ~10-15 ms (bench/benchmark_model.py). The dashboard (app.py), the workers and
the benchmarks call :func:`tune_allocator` once at start; importing the model changes
nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import cache

#: glibc's mallopt parameters (malloc.h).
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
#: Blocks up to this size come from the heap, not from mmap (bytes).
MMAP_THRESHOLD = 32 * 1024 * 1024
#: Free heap kept before it is returned to the system (bytes).
TRIM_THRESHOLD = 128 * 1024 * 1024


@cache
def tune_allocator() -> bool:
    """Set the thresholds above; True if they were set (glibc only, else nothing).

    Once per process: a repeat call returns the first answer (finding libc costs ~2 ms,
    and the dashboard's script calls this on every run)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl or another libc: leave it as it is
        return False
    return bool(
        mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) and mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )
