"""The analysis layer (issue 4) through ``st.cache_data``, keyed by hashable settings.

Monte Carlo, tornado, Shapley and the optimiser are pure functions of settings (and a
few scalars), so they cache like :mod:`ui.compute`. Sobol is not cached here: it runs
on demand with a progress bar, and the page keeps its last result in session state.
Also here: rounding an optimised mix to the slider steps, and the budget/feasibility
check the sidebar shows (it reuses the cached scenario run). Never put widgets in here.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import math
import multiprocessing
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeout
from dataclasses import dataclass
from functools import cache, lru_cache
from queue import Empty
from typing import Any

import numpy as np
import streamlit as st

from model import ALL_SETTINGS, CONTEXT, LEVERS, PROGRAMME
from model.attribution import ShapleyResult, shapley
from model.optimise import LEVER_KEYS, MixResult, best_mix, cheapest_mix, programme_cost
from model.parameters import ParameterSet
from model.sensitivity import SobolResult, TornadoResult, tornado
from model.uncertainty import McResult, monte_carlo
from scenarios.settings import Settings
from ui import compute, gate, sobol_worker
from ui import districts as place
from ui.compute import SettingsKey

N_DRAWS = 1000
ContextKey = tuple[tuple[str, float], ...]
#: Heavy analyses computed in the server process (Monte Carlo bands: ~110 MB for a
#: moment; the optimisers: ~65 MB) run one at a time, so that many sessions asking for
#: new settings at once cannot add their peaks up; cached results never wait. Afterwards
#: the freed memory goes back to the system: glibc keeps it in the arena of the thread
#: that ran the analysis, and every session's thread would keep its own ~100 MB.
HEAVY_SLOTS = 1
_heavy_slots = threading.BoundedSemaphore(HEAVY_SLOTS)
try:
    _libc: Any = ctypes.CDLL("libc.so.6") if sys.platform.startswith("linux") else None
except OSError:  # not glibc
    _libc = None


@contextlib.contextmanager
def _heavy() -> Iterator[None]:
    # the run leaves the page-run gate (ui/gate.py): this slot bounds heavy work on its
    # own, and no one should queue behind a run that waits here
    gate.leave()
    with _heavy_slots:
        try:
            yield
        finally:
            if _libc is not None:
                _libc.malloc_trim(0)


@st.cache_data(max_entries=32, show_spinner=False)
def bands(settings: SettingsKey, n_draws: int = N_DRAWS) -> McResult:
    """Monte Carlo bands of a scenario and the baseline on the same draws (cached)."""
    with _heavy():
        return monte_carlo(dict(settings), n_draws=n_draws)


@st.cache_data(max_entries=64, show_spinner=False)
def tornado_of(settings: SettingsKey, year: int, metric: str) -> TornadoResult:
    """One-at-a-time sensitivity of ``metric`` in ``year`` (cached)."""
    return tornado(dict(settings), year, metric=metric)


@st.cache_data(max_entries=64, show_spinner=False)
def shapley_of(settings: SettingsKey) -> ShapleyResult:
    """Shapley attribution of the GRP difference against the reference baseline."""
    return shapley(dict(settings), output="grp", against="baseline")


@st.cache_data(max_entries=32, show_spinner=False)
def best_mix_of(
    budget: float, start: int, end: int, year: int, objective: str, context: ContextKey
) -> MixResult:
    """:func:`model.optimise.best_mix` (cached)."""
    with _heavy():
        return best_mix(budget, start, end, year, objective, dict(context))


@st.cache_data(max_entries=32, show_spinner=False)
def cheapest_mix_of(
    target: float, year: int, start: int, end: int, context: ContextKey
) -> MixResult:
    """:func:`model.optimise.cheapest_mix` (cached)."""
    with _heavy():
        return cheapest_mix(target, year, start, end, dict(context))


def context_key(settings: Mapping[str, float]) -> ContextKey:
    """The context part of settings, hashable."""
    return tuple((k, float(settings[k])) for k in CONTEXT)


def has_programme(settings: Mapping[str, float]) -> bool:
    """True when at least one lever is on."""
    return any(float(settings.get(k, 0.0)) > 0 for k in LEVERS)


def is_baseline(settings: Mapping[str, float]) -> bool:
    """True when every setting that changes results is at its default."""
    return all(
        float(settings.get(k, ALL_SETTINGS[k].default)) == ALL_SETTINGS[k].default
        for k in (*LEVERS, *CONTEXT)
    )


# --- rounding an optimised mix to the slider steps -------------------------------------


def round_levers(levers: Mapping[str, float], up: bool) -> dict[str, float]:
    """Lever values on the slider grid: down (``up=False``, keeps a budget) or up
    (``up=True``, keeps a target), within the lever bounds."""
    out: dict[str, float] = {}
    for k in LEVER_KEYS:
        spec = LEVERS[k]
        steps = float(levers.get(k, 0.0)) / spec.step
        n = math.ceil(steps - 1e-9) if up else math.floor(steps + 1e-9)
        out[k] = float(min(spec.high, max(spec.low, n * spec.step)))
    return out


@dataclass(frozen=True)
class AppliedMix:
    """An optimised mix rounded to the slider steps and re-run through the model."""

    settings: Settings  # full settings ready for ui.state.apply_settings
    cost_total: float  # mln som over the programme years
    grp: float  # in the target year
    jobs: float
    grp_per_capita: float
    npv: float  # the programme's NPV at 6%, as the KPI cards
    base_grp: float  # reference baseline, same year
    base_jobs: float
    base_grp_per_capita: float


def rounded_mix(mix: MixResult, current: Mapping[str, float], up: bool) -> AppliedMix:
    """Round ``mix`` to the slider steps, keep the current context and years, re-run."""
    settings = Settings.from_mapping(
        {**Settings.from_mapping(current).effective, **mix.settings, **round_levers(mix.levers, up)}
    ).effective
    result = compute.run_one(settings.key)
    f = result.frame
    row = f.loc[f["year"] == mix.target_year].iloc[0]
    return AppliedMix(
        settings=settings,
        cost_total=programme_cost(settings),
        grp=float(row["grp"]),
        jobs=float(row["jobs"]),
        grp_per_capita=float(row["grp_per_capita"]),
        npv=result.npv,
        base_grp=float(row["base_grp"]),
        base_jobs=float(row["base_jobs"]),
        base_grp_per_capita=float(row["base_grp_per_capita"]),
    )


# --- budget envelope and feasibility ---------------------------------------------------


def over_budget(budget: float, left):
    """Whether a budget is overspent by ``left`` (budget minus cost, mln som; a number
    or an array of them): a budget is set and more than rounding is missing."""
    return (budget > 0) & (np.asarray(left) < -1e-6)


@dataclass(frozen=True)
class Feasibility:
    """What the sidebar warns about, from one (cached) scenario run."""

    cost_total: float  # programme cost over the programme years, mln som
    budget: float  # 0 = no budget set
    water_year: int | None  # first year equipped ha exceed the water cap
    water_equipped_ha: float
    water_cap_ha: float
    road_year: int | None  # first year good roads reach the whole network
    road_network_km: float
    # (basin, first year) where the programme adds land and the basin's land needs more
    # water than it has: the oblast can have water to spare while one river is short
    short_basins: tuple[tuple[str, int], ...] = ()

    @property
    def left(self) -> float:
        """Budget minus cost (negative: over budget)."""
        return self.budget - self.cost_total

    @property
    def over_budget(self) -> bool:
        return bool(over_budget(self.budget, self.left))


def road_network_km() -> dict[str, float]:
    """Central length of each road network (trunk, local), km: the caps on good roads."""
    return dict(_road_network_km())


@cache
def _road_network_km() -> tuple[tuple[str, float], ...]:
    p = ParameterSet.central()
    return tuple((k, float(p[f"road_{k}_network_km"][0, 0])) for k in ("trunk", "local"))


def feasibility(settings: Mapping[str, float], budget: float) -> Feasibility:
    """Cost against budget, irrigation against water, roads against the network."""
    eff = Settings.from_mapping(settings).effective
    # the sidebar and the page both ask, on every run, about the same scenario
    return _feasibility(eff.key, float(budget or 0.0))


@lru_cache(maxsize=256)
def _feasibility(key: tuple, budget: float) -> Feasibility:
    eff = dict(key)
    f = compute.run_one(key).frame
    cost = float(f["programme_cost_cumulative"].iloc[-1])
    proj = f[f["year"] >= PROGRAMME["start_year"].low]
    water_year = None
    eq, cap = float("nan"), float("nan")
    if eff["irrigation_new_ha"] > 0 or eff["irrigation_rehab_ha"] > 0:
        over = proj[proj["irrigated_ha"] > proj["water_cap_ha"] + 1e-6]
        if len(over):
            water_year = int(over["year"].iloc[0])
            eq, cap = float(over["irrigated_ha"].iloc[-1]), float(over["water_cap_ha"].iloc[-1])
    short_basins: tuple[tuple[str, int], ...] = ()
    if eff["irrigation_new_ha"] > 0 or eff["irrigation_rehab_ha"] > 0:
        short = place.basins_short_where_added(place.run_places(key))
        short_basins = tuple(sorted(short.items(), key=lambda item: item[1]))
    road_year, net = None, float("nan")
    if eff["infrastructure_spend"] > 0 or eff["road_maintenance"] > 0:
        # the first year either network (trunk or local) is wholly in good condition
        for kind, km in road_network_km().items():
            full = proj[proj[f"road_{kind}_km_good"] >= km * (1 - 1e-6)]
            if len(full) and (road_year is None or int(full["year"].iloc[0]) < road_year):
                road_year, net = int(full["year"].iloc[0]), km
    return Feasibility(cost, budget, water_year, eq, cap, road_year, net, short_basins)


def share_text_pct(x: float) -> int:
    """A share as a whole percentage (for sentences)."""
    return int(np.round(100 * x))


# --- Sobol: one run at a time per server, in a worker process, shared by settings -------
#
# A Sobol run at the largest size (1,024 base samples, ~54,000 model runs) takes seconds
# of CPU; in the server process, in chunks of 4,096 runs, it peaked at ~170 MB, and
# every session thread that ran one kept its high-water mark (eight tabs: 1.6 GB). Here:
# one worker process runs them (a core of its own; recycled now and then, so its memory
# goes back to the system), in chunks of 512 runs (peak ~60 MB, and faster than 4,096),
# at most SOBOL_SLOTS at once (the others wait, saying so), and finished results serve
# every session that asks the same question.

SOBOL_CHUNK = 512
SOBOL_SLOTS = 1
SOBOL_KEPT = 16
SOBOL_RECYCLE = 10  # runs per worker process
_sobol_slots = threading.BoundedSemaphore(SOBOL_SLOTS)
_sobol_lock = threading.Lock()
_sobol_results: OrderedDict[tuple, SobolResult] = OrderedDict()
_sobol_tasks = itertools.count()
_worker: tuple[Executor, Any] | None = None

SobolKey = tuple[SettingsKey, int, str, int]  # settings, year, metric, base samples


def sobol_result(key: SobolKey) -> SobolResult | None:
    """A finished Sobol result for these settings, if any session computed it."""
    with _sobol_lock:
        res = _sobol_results.get(key)
        if res is not None:
            _sobol_results.move_to_end(key)
        return res


def _executor() -> tuple[Executor, Any]:
    """The worker process (started on first use, spawned: the server has threads) and
    the queue its progress comes back on."""
    global _worker
    with _sobol_lock:
        if _worker is None:
            context = multiprocessing.get_context("spawn")
            queue = context.Queue()
            _worker = (
                ProcessPoolExecutor(
                    1,
                    mp_context=context,
                    initializer=sobol_worker.init,
                    initargs=(queue,),
                    max_tasks_per_child=SOBOL_RECYCLE,
                ),
                queue,
            )
        return _worker


def _keep(key: SobolKey, res: SobolResult) -> None:
    """Keep a finished result for every session (the oldest go beyond SOBOL_KEPT)."""
    with _sobol_lock:
        _sobol_results[key] = res
        _sobol_results.move_to_end(key)
        while len(_sobol_results) > SOBOL_KEPT:
            _sobol_results.popitem(last=False)


def _finished(key: SobolKey, future: Future) -> None:
    """Done callback of a run: keep the result for everyone, free the slot. Runs even
    when the planner who asked has moved on."""
    try:
        if not future.cancelled() and future.exception() is None:
            _keep(key, future.result())
    finally:
        _sobol_slots.release()


def run_sobol(
    key: SobolKey, progress: Callable[[float], None], waiting: Callable[[], None]
) -> SobolResult:
    """Sobol indices for ``key``: a shared result, else one computed when a slot is free.

    ``waiting`` is called while another run holds the slot, ``progress`` during the
    run; both should be Streamlit calls, so that a planner's next action (a rerun)
    stops the wait (a started run finishes in the worker and is kept). ``ValueError``
    when the metric does not vary.
    """
    if (res := sobol_result(key)) is not None:
        return res
    gate.leave()  # the rest is waiting on the worker (ui/gate.py)
    while not _sobol_slots.acquire(timeout=0.25):
        waiting()
    if (res := sobol_result(key)) is not None:  # computed while this one waited
        _sobol_slots.release()
        return res
    try:
        executor, queue = _executor()
        task_id = next(_sobol_tasks)
        settings, year, metric, n_base = key
        future = executor.submit(
            sobol_worker.run, task_id, settings, year, metric, n_base, SOBOL_CHUNK
        )
    except BaseException:
        _sobol_slots.release()
        raise
    future.add_done_callback(lambda f: _finished(key, f))
    while True:
        try:
            result = future.result(timeout=0.2)
        except FuturesTimeout:
            result = None
        latest = None
        with contextlib.suppress(Empty):
            while True:
                done_id, fraction = queue.get_nowait()
                if done_id == task_id:
                    latest = fraction
        if result is not None:
            _keep(key, result)  # now: the done callback may run a moment later
            progress(1.0)  # the worker's last report may still be on its way
            return result
        if latest is not None:
            progress(latest)
