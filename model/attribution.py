r"""Why did output change? Exact Shapley attribution of a scenario's effect to its levers.

The players are the levers the scenario sets to a non-zero value, :math:`N`, with
:math:`k = |N|`. For a coalition :math:`S \subseteq N` let :math:`v_t(S)` be the output in
year :math:`t` with only the levers in :math:`S` on (others at 0, same context, years
and parameters) minus the output with none on (the counterfactual). The Shapley value
(Shapley 1953, *Contributions to the Theory of Games* II:307-317) of lever :math:`i`::

    phi_i(t) = sum_{S subset N \ {i}} |S|! (k - |S| - 1)! / k!  [v_t(S + i) - v_t(S)]

is exact over all :math:`2^k` coalitions, all run in one vectorised call, and adds up:
:math:`\sum_i \phi_i(t) = v_t(N)` (efficiency). The standalone effect
:math:`v_t(\{i\})` is what one lever does alone; the interaction
:math:`v_t(N) - \sum_i v_t(\{i\})` is what one-at-a-time effects miss (e.g. roads that
raise the value of newly irrigated land). With ``against="baseline"`` the context
settings that differ from their defaults are players too and the effect is measured
against the reference baseline.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from math import factorial

import numpy as np
import pandas as pd

from model.core import OUTPUTS, simulate
from model.levers import CONTEXT, LEVERS, YEARS, build_inputs
from model.parameters import ParameterSet

__all__ = ["ShapleyResult", "shapley"]


@dataclass(frozen=True)
class ShapleyResult:
    """Per-player contributions to the difference in one output, per year.

    Attributes:
        output: the model output attributed (e.g. ``"grp"``).
        against: ``"counterfactual"`` or ``"baseline"``.
        players: the levers (and context settings) switched on, in attribution order.
        contributions: player -> Shapley value per year, ``(n_years,)``.
        standalone: player -> effect of that player alone, ``(n_years,)``.
        total: the whole difference, scenario minus reference, ``(n_years,)``.
        interaction: ``total - sum(standalone)``, what one-at-a-time effects miss.
    """

    output: str
    against: str
    players: tuple[str, ...]
    contributions: dict[str, np.ndarray]
    standalone: dict[str, np.ndarray]
    total: np.ndarray
    interaction: np.ndarray

    @property
    def years(self) -> np.ndarray:
        """The model years, positions of every array."""
        return YEARS

    def at(self, year: int) -> dict[str, float]:
        """Player -> contribution in ``year``, plus ``"total"`` and ``"interaction"``
        (the waterfall of one year)."""
        c = int(year - YEARS[0])
        out = {p: float(v[c]) for p, v in self.contributions.items()}
        out["interaction"] = float(self.interaction[c])
        out["total"] = float(self.total[c])
        return out

    def frame(self) -> pd.DataFrame:
        """One row per year: Shapley value of each player, interaction and total."""
        return pd.DataFrame(
            {
                "year": YEARS,
                **self.contributions,
                "interaction": self.interaction,
                "total": self.total,
            }
        )


def shapley(
    settings: Mapping[str, float],
    output: str = "grp",
    against: str = "counterfactual",
    params: ParameterSet | None = None,
) -> ShapleyResult:
    """Exact Shapley attribution of ``output`` (scenario minus reference) to the levers.

    Args:
        settings: flat scenario settings.
        output: a key of :data:`model.core.OUTPUTS`.
        against: ``"counterfactual"`` (same context, levers at 0; players are the
            non-zero levers) or ``"baseline"`` (every setting at default; context
            settings off their default are players too).
        params: one parameter row; default central.

    Returns:
        Contributions per player and year; they add up to the total difference.
    """
    if output not in OUTPUTS:
        raise ValueError(f"unknown output {output!r}")
    if against not in ("counterfactual", "baseline"):
        raise ValueError("against must be 'counterfactual' or 'baseline'")
    settings = dict(settings)
    players = [k for k in LEVERS if float(settings.get(k, 0.0)) != 0.0]
    off: dict[str, float] = dict.fromkeys(LEVERS, 0.0)
    if against == "baseline":
        players += [k for k, s in CONTEXT.items() if float(settings.get(k, s.default)) != s.default]
        off.update({k: s.default for k, s in CONTEXT.items()})
    k = len(players)
    masks = np.array(list(itertools.product((0, 1), repeat=k)), dtype=bool).reshape(2**k, k)
    rows = [
        {**settings, **{p: off[p] for p, on in zip(players, m, strict=True) if not on}}
        for m in masks
    ]
    p = params if params is not None else ParameterSet.central()
    y = simulate(p, build_inputs(rows))[output]
    y = np.broadcast_to(y, (len(rows), len(YEARS)))
    index = {tuple(m): i for i, m in enumerate(masks.tolist())}
    v = y - y[0]  # v(S): row 0 is the empty coalition
    weights = [factorial(s) * factorial(k - s - 1) / factorial(k) for s in range(k)]
    contributions: dict[str, np.ndarray] = {}
    standalone: dict[str, np.ndarray] = {}
    for i, name in enumerate(players):
        phi = np.zeros(len(YEARS))
        for m in masks.tolist():
            if m[i]:
                continue
            with_i = list(m)
            with_i[i] = True
            phi += weights[sum(m)] * (v[index[tuple(with_i)]] - v[index[tuple(m)]])
        contributions[name] = phi
        alone = [False] * k
        alone[i] = True
        standalone[name] = v[index[tuple(alone)]].copy()
    total = v[-1].copy()
    interaction = total - sum(standalone.values(), np.zeros(len(YEARS)))
    return ShapleyResult(
        output, against, tuple(players), contributions, standalone, total, interaction
    )
