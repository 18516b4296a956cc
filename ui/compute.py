"""The model, called through ``st.cache_data`` with hashable settings tuples.

A run costs about a millisecond; the cache mostly saves the DataFrame building and
keeps reruns flat. Never put widgets in here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from model import DEFAULT_RATE, OUTPUTS, RATES, YEARS, run_scenarios
from ui import keys

SettingsKey = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Result:
    """One scenario's yearly frame (with ``base_<output>`` columns) and its appraisal.

    ``appraisal`` maps each rate of :data:`model.RATES` to the summary of
    :meth:`model.appraisal.Appraisal.summary` (the figures ``python -m model appraise``
    prints); the properties read the default rate (6%), NaN where undefined.
    """

    frame: pd.DataFrame
    appraisal: dict[float, dict[str, float | int | None]]

    def figure(self, key: str, rate: float = DEFAULT_RATE) -> float:
        """One appraisal figure at ``rate``; NaN where it is undefined."""
        return _num(self.appraisal[rate][key])

    @property
    def bcr(self) -> float:
        """Benefit-cost ratio at 6%."""
        return self.figure("bcr")

    @property
    def npv(self) -> float:
        """Net present value at 6%, million som (2020 prices)."""
        return self.figure("npv")

    @property
    def eirr(self) -> float:
        """Economic internal rate of return (a fraction; NaN where undefined)."""
        return self.figure("eirr")


def _result(runs, row: int) -> Result:
    frame = runs.frame(row)
    # One concat, not a column at a time (21 inserts cost ~7 ms on every slider move).
    base = pd.DataFrame({f"base_{k}": runs.baseline[k][row] for k in OUTPUTS}, index=frame.index)
    frame = pd.concat([frame, base], axis=1)
    return Result(frame=frame, appraisal={r: runs.appraisals[r].summary(row) for r in RATES})


@st.cache_data(max_entries=256, show_spinner=False)
def _run_one_cached(settings: SettingsKey) -> Result:
    return _result(run_scenarios([dict(settings)]), 0)


_LAST = keys.LAST_RUN  # (settings, Result) of the latest call in this session


def run_one(settings: SettingsKey) -> Result:
    """Run one scenario (settings as from :func:`ui.state.as_key`).

    The sidebar (feasibility) and the page both ask for the current scenario on every
    rerun; the session keeps the last answer so the second ask skips the cache's hash
    and unpickle. Results are never mutated by callers.
    """
    last = st.session_state.get(_LAST)
    if last is not None and last[0] == settings:
        return last[1]
    result = _run_one_cached(settings)
    st.session_state[_LAST] = (settings, result)
    return result


@st.cache_data(max_entries=64, show_spinner=False)
def run_many(settings: tuple[SettingsKey, ...]) -> list[Result]:
    """Run several scenarios in one vectorised call."""
    runs = run_scenarios([dict(s) for s in settings])
    return [_result(runs, i) for i in range(len(settings))]


@dataclass(frozen=True)
class Brief:
    """What a view of many scenarios shows of each (the workshop's points and table):
    the programme cost (the appraisal's ``cost`` at 6 %, million som) and, per output,
    the scenario less the baseline in one year."""

    cost: float
    gain: dict[str, float]


#: Outputs a :class:`Brief` carries.
BRIEF_OUTPUTS = ("grp", "jobs")
_BRIEFS: OrderedDict[tuple[SettingsKey, int], Brief] = OrderedDict()
_BRIEFS_KEPT = 4096
_briefs_lock = threading.Lock()


def _num(v: float | int | None) -> float:
    """An appraisal figure as a float; NaN where it is undefined (None)."""
    return float("nan") if v is None else float(v)


def brief_of(result: Result, year: int) -> Brief:
    """The :class:`Brief` of a scenario already run."""
    from ui.results import value_at  # ui.results imports this module

    gains = {}
    for k in BRIEF_OUTPUTS:
        value, base = value_at(result, k, year)
        gains[k] = value - base
    return Brief(cost=result.figure("cost"), gain=gains)


def briefs(settings: Sequence[SettingsKey], year: int) -> list[Brief]:
    """:class:`Brief` of each scenario, from one vectorised model call for the ones not
    seen before. Kept per scenario for every session: a workshop's facilitator view
    refreshes every two seconds over ~40 scenarios of which only the moved ones are new
    (building a whole :class:`Result` for each took ~60 ms a refresh)."""
    col = int(year - YEARS[0])
    with _briefs_lock:
        have = {k: _BRIEFS[(k, year)] for k in settings if (k, year) in _BRIEFS}
    missing = [k for k in dict.fromkeys(settings) if k not in have]
    if missing:
        runs = run_scenarios([dict(k) for k in missing])
        appraisal = runs.appraisals[DEFAULT_RATE]
        found = {
            k: Brief(
                cost=_num(appraisal.summary(i)["cost"]),
                gain={
                    o: float(runs.scenario[o][i, col] - runs.baseline[o][i, col])
                    for o in BRIEF_OUTPUTS
                },
            )
            for i, k in enumerate(missing)
        }
        with _briefs_lock:
            for k, b in found.items():
                _BRIEFS[(k, year)] = b
            while len(_BRIEFS) > _BRIEFS_KEPT:
                _BRIEFS.popitem(last=False)
        have |= found
    return [have[k] for k in settings]
