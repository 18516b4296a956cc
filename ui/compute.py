"""The model, called through ``st.cache_data`` with hashable settings tuples.

A run costs about a millisecond; the cache mostly saves the DataFrame building and
keeps reruns flat. Never put widgets in here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from model import DEFAULT_RATE, OUTPUTS, RATES, run_scenarios
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
        v = self.appraisal[rate][key]
        return float("nan") if v is None else float(v)

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
