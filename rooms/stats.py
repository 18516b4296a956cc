"""What a room's scenarios add up to: per setting the spread of choices, and the room's
median scenario. Pure functions of :class:`scenarios.settings.Settings` values."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from model.levers import ALL_SETTINGS, YEAR_KEYS
from scenarios.settings import Settings


@dataclass(frozen=True)
class Spread:
    """The choices of one setting across a room's scenarios."""

    key: str
    n: int  # scenarios counted
    moved: int  # of them, how many set it away from its default
    low: float
    median: float
    high: float
    values: tuple[float, ...]


def spread(scenarios: Sequence[Settings], keys: Sequence[str] | None = None) -> list[Spread]:
    """Per setting (default: every one, in lever-table order): min, median, max and how
    many moved it. Empty when there is no scenario."""
    if not scenarios:
        return []
    out = []
    for key in keys or tuple(ALL_SETTINGS):
        default = ALL_SETTINGS[key].default
        values = tuple(float(s[key]) for s in scenarios)
        out.append(
            Spread(
                key=key,
                n=len(values),
                moved=sum(1 for v in values if not math.isclose(v, default, abs_tol=1e-9)),
                low=min(values),
                median=float(statistics.median(values)),
                high=max(values),
                values=values,
            )
        )
    return out


def _on_step(key: str, value: float) -> float:
    """A value snapped to its setting's slider step and range (a median of two values
    can fall between steps)."""
    spec = ALL_SETTINGS[key]
    steps = round((value - spec.low) / spec.step) if spec.step > 0 else 0
    snapped = spec.low + steps * spec.step
    snapped = min(max(snapped, spec.low), spec.high)
    return float(round(snapped)) if key in YEAR_KEYS else round(snapped, 10)


def median_settings(scenarios: Sequence[Settings]) -> Settings | None:
    """The room's median scenario: every setting at the median of the choices, on its
    slider step; None when there is no scenario."""
    if not scenarios:
        return None
    return Settings.from_mapping(
        {
            key: _on_step(key, float(statistics.median(float(s[key]) for s in scenarios)))
            for key in ALL_SETTINGS
        }
    )
