"""The page-run gate (ui/gate.py): one run at a time, a run that leaves lets the next in,
a slot comes back however a run ends, and a run that leaves inside a lock cannot
deadlock with a run queued behind it."""

from __future__ import annotations

import threading
import time

import pytest

from ui import gate

TIMEOUT_S = 10


@pytest.fixture
def one_slot(monkeypatch):
    """A fresh one-slot gate, whatever BATKEN_RUN_SLOTS the suite runs with."""
    monkeypatch.setattr(gate, "RUN_SLOTS", 1)
    monkeypatch.setattr(gate, "_slots", threading.BoundedSemaphore(1))


def run_threads(targets) -> None:
    """Run each target in its own thread (as Streamlit runs sessions); fail on a thread's
    error or on a thread still waiting after TIMEOUT_S."""
    errors: list[BaseException] = []

    def wrap(f):
        def run():
            try:
                f()
            except BaseException as exc:
                errors.append(exc)

        return run

    threads = [threading.Thread(target=wrap(f), daemon=True) for f in targets]
    for th in threads:
        th.start()
    for th in threads:
        th.join(TIMEOUT_S)
    stuck = [th.name for th in threads if th.is_alive()]
    assert not stuck, f"runs still waiting after {TIMEOUT_S} s (a deadlock?): {stuck}"
    assert not errors, f"a run failed: {errors!r}"


def test_runs_pass_one_at_a_time(one_slot):
    inside, most, lock = [0], [0], threading.Lock()

    def run():
        with gate.page_run():
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(0.02)
            with lock:
                inside[0] -= 1

    run_threads([run] * 6)
    assert most[0] == 1, f"{most[0]} runs were inside the gate at once"


def test_a_run_that_leaves_lets_the_next_one_in(one_slot):
    left, second_in, first_saw_second = threading.Event(), threading.Event(), threading.Event()

    def first():
        with gate.page_run():
            gate.leave()
            left.set()
            # still running (waiting on a worker): the second run must get in meanwhile
            assert second_in.wait(TIMEOUT_S), "the second run stayed queued"
            first_saw_second.set()

    def second():
        assert left.wait(TIMEOUT_S)
        with gate.page_run():
            assert gate.holding()
            second_in.set()

    run_threads([first, second])
    assert first_saw_second.is_set()
    assert not gate.holding()


def test_the_slot_comes_back_when_a_run_raises(one_slot):
    class Stop(Exception):
        """Streamlit ends a run early by raising (a newer rerun, st.stop)."""

    with pytest.raises(Stop), gate.page_run():
        raise Stop
    assert not gate.holding()
    assert gate._slots.acquire(timeout=1), "the raising run kept its slot"
    gate._slots.release()


def test_leave_and_nesting_are_harmless(one_slot):
    gate.leave()  # holds nothing: nothing happens
    with gate.page_run():
        with gate.page_run():  # already inside: does not wait for itself
            assert gate.holding()
        gate.leave()
        gate.leave()
        assert not gate.holding()
    # every slot is back: a BoundedSemaphore would raise on a second release
    assert gate._slots.acquire(timeout=1)
    gate._slots.release()


def test_no_deadlock_when_a_run_leaves_inside_a_cached_functions_lock(one_slot):
    """A: inside the gate, takes a cached function's lock, leaves the gate (heavy work),
    computes. B: queued behind A, then wants the same lock. If A queued for the gate again
    before giving the lock back (the first design did), neither could go on."""
    cache_lock = threading.Lock()
    a_has_lock, order = threading.Event(), []

    def a():
        with gate.page_run():
            with cache_lock:
                a_has_lock.set()
                gate.leave()
                time.sleep(0.05)  # B takes the slot and waits for the lock meanwhile
                order.append("a computed")
            order.append("a done")

    def b():
        assert a_has_lock.wait(TIMEOUT_S)
        with gate.page_run(), cache_lock:
            order.append("b computed")

    run_threads([a, b])
    assert order[0] == "a computed" and "b computed" in order, order


def test_the_gate_off_lets_everyone_in(monkeypatch):
    monkeypatch.setattr(gate, "RUN_SLOTS", 0)
    monkeypatch.setattr(gate, "_slots", threading.BoundedSemaphore(1))
    both_in = threading.Barrier(2, timeout=TIMEOUT_S)

    def run():
        with gate.page_run():
            both_in.wait()  # raises BrokenBarrierError if one waited for the other

    run_threads([run, run])
    assert not both_in.broken


def test_a_run_that_uses_the_room_store_leaves_the_gate(one_slot, monkeypatch, tmp_path):
    """A database that is slow or down must not hold up every other planner's run."""
    from ui import workshop

    monkeypatch.setenv(workshop.ENV_URL, f"sqlite:///{tmp_path / 'rooms.sqlite3'}")
    with gate.page_run():
        assert gate.holding()
        workshop.store()
        assert not gate.holding(), "a run holds the gate while it uses the database"
