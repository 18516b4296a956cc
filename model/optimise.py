r"""Goal-seek and budget optimiser: the best lever mix for a budget, the cheapest for a target.

A mix is the yearly programme :math:`x = (x^{infra}, x^{maint}, x^{new}, x^{rehab},
x^{storage}, x^{sme})`, constant over the programme years :math:`t_s..t_e`
(:math:`n = t_e - t_s + 1` years), within the lever bounds :math:`0 \le x_i \le \bar x_i`.
With the unit costs :math:`c = (1, 1, c_{new}, c_{rehab}, c_{storage}, 1)` (million som
per unit, central parameters) the
programme costs :math:`C(x) = n\, c \cdot x` million som (2020 prices), the same sum as
the model's ``programme_cost_cumulative``.

**Best mix** for a budget :math:`B` and an objective :math:`J`: GRP or jobs read in the
target year, or the programme's NPV at 6% by the appraisal convention of
:mod:`model.appraisal` (the same figure the dashboard's cards show; no target year)::

    max_x  J(x) - eps C(x) / B     s.t.  C(x) <= B,  0 <= x <= xbar

(the tiny ``eps`` makes the optimiser leave money unspent rather than buy nothing, e.g.
hectares beyond the water cap when the target year is after the programme).

**Cheapest mix** for a GRP per capita target :math:`X` in year :math:`T`::

    min_x  C(x)     s.t.  GRPpc_T(x) >= X,  0 <= x <= xbar

Both are solved in two stages: a vectorised search over a grid of lever directions
(every direction evaluated in one :func:`model.core.simulate` call; for the cheapest mix
a vectorised bisection of the scale along every direction), then SLSQP (Kraft 1988,
DFVLR-FB 88-28; :func:`scipy.optimize.minimize`) from the best grid points with
forward-difference gradients computed in one vectorised call. The water cap is inside the
model (effective hectares are capped); results report whether it binds.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from model.appraisal import DEFAULT_RATE, appraise
from model.core import simulate
from model.levers import (
    CONTEXT,
    HORIZON_YEAR,
    LAST_YEAR,
    LEVERS,
    PROGRAMME,
    YEARS,
    Inputs,
    build_inputs,
)
from model.parameters import ParameterSet

__all__ = [
    "LEVER_KEYS",
    "OBJECTIVES",
    "MixResult",
    "best_mix",
    "cheapest_mix",
    "lever_unit_costs",
    "programme_cost",
]

#: The levers the optimiser allocates, in this order in every array.
LEVER_KEYS: tuple[str, ...] = tuple(LEVERS)
#: Objectives of :func:`best_mix` and their units.
OBJECTIVES: dict[str, str] = {
    "grp": "GRP in the target year, million som (2020 prices)",
    "jobs": "jobs in the target year, persons",
    "npv": "net present value of the programme at 6% (model.appraisal), million som",
}
_EPS = 1e-7  # weight of the cost tie-breaker, relative to the objective's scale
_FD_STEP = 1e-6  # forward-difference step in the scaled variables
_N_STARTS = 3  # SLSQP starts from the best grid points
_SLSQP = {"maxiter": 40, "ftol": 1e-9}  # kinks (caps) make more iterations pay little


def lever_unit_costs(params: ParameterSet | None = None) -> np.ndarray:
    """Million som per unit of each lever per year, in :data:`LEVER_KEYS` order."""
    p = params if params is not None else ParameterSet.central()
    per_unit = {
        "irrigation_new_ha": float(p["irr_cost_new_mln_som_per_ha"][0, 0]),
        "irrigation_rehab_ha": float(p["irr_cost_rehab_mln_som_per_ha"][0, 0]),
        "water_storage_mcm": float(p["storage_cost_mln_som_per_mcm"][0, 0]),
    }
    return np.array([per_unit.get(k, 1.0) for k in LEVER_KEYS])


def programme_cost(settings: Mapping[str, float]) -> float:
    """Total programme cost of flat settings: yearly cost times programme years (mln som)."""
    start = int(settings.get("start_year", PROGRAMME["start_year"].default))
    end = int(settings.get("end_year", PROGRAMME["end_year"].default))
    levers = np.array([float(settings.get(k, 0.0)) for k in LEVER_KEYS])
    return float(lever_unit_costs() @ levers * max(0, end - start + 1))


@dataclass(frozen=True)
class MixResult:
    """An optimised lever mix, ready to apply as scenario settings.

    Attributes:
        settings: flat scenario settings: the five levers (per-year values), start and
            end year and the context keys.
        objective: ``"grp"``, ``"jobs"``, ``"npv"`` or ``"cost"`` (cheapest mix).
        target_year: the year the objective or target is read.
        value: the objective in the target year (GRP or NPV in million som, jobs in
            persons; for the cheapest mix, GRP per capita in som per person).
        counterfactual_value: the same without the programme.
        grp_per_capita: GRP per capita of the mix in the target year (som per person).
        cost_per_year: million som per programme year (2020 prices).
        cost_total: ``cost_per_year`` times the programme years.
        budget: the budget of :func:`best_mix` (None for the cheapest mix).
        target_grp_per_capita: the target of :func:`cheapest_mix` (None otherwise).
        reached: the target is reached (always True for :func:`best_mix`).
        budget_binding: the mix spends (almost) the whole budget.
        levers_at_upper_bound: levers at their upper bound.
        water_cap_binds: effective irrigated hectares equal the water cap in the
            target year (more hectares would add nothing there).
        spend_per_year: lever -> million som per year.
        message: one plain sentence for the planner.
        n_evaluations: model runs used.
    """

    settings: dict[str, float]
    objective: str
    target_year: int
    value: float
    counterfactual_value: float
    grp_per_capita: float
    cost_per_year: float
    cost_total: float
    budget: float | None
    target_grp_per_capita: float | None
    reached: bool
    budget_binding: bool
    levers_at_upper_bound: tuple[str, ...]
    water_cap_binds: bool
    spend_per_year: dict[str, float] = field(default_factory=dict)
    message: str = ""
    n_evaluations: int = 0

    @property
    def levers(self) -> dict[str, float]:
        """Lever key -> per-year value (units of :data:`model.levers.LEVERS`)."""
        return {k: self.settings[k] for k in LEVER_KEYS}


def _directions(levels: int = 4) -> np.ndarray:
    """Grid of lever directions in fractions of the upper bounds, max component 1."""
    grid = np.linspace(0.0, 1.0, levels)
    d = np.array(list(itertools.product(grid, repeat=len(LEVER_KEYS))))
    return d[np.isclose(d.max(axis=1), 1.0)]


@dataclass(frozen=True)
class _Description:
    """What one mix does in the target year (for :class:`MixResult`)."""

    grp_per_capita: float
    values: dict[str, float]
    water_cap_binds: bool
    at_upper: tuple[str, ...]


class _Problem:
    """The model as a function of yearly spending per lever, vectorised over rows."""

    def __init__(
        self,
        start_year: int,
        end_year: int,
        target_year: int,
        context: Mapping[str, float],
        horizon: int = LAST_YEAR,
    ) -> None:
        bad = set(context) - set(CONTEXT)
        if bad:
            raise KeyError(f"not context settings: {sorted(bad)}")
        if not (YEARS[0] < start_year <= end_year <= YEARS[-1]):
            raise ValueError(f"bad programme years {start_year}-{end_year}")
        if not start_year <= target_year <= YEARS[-1]:
            raise ValueError(f"target year {target_year} outside {start_year}-{YEARS[-1]}")
        self.start, self.end, self.target = int(start_year), int(end_year), int(target_year)
        self.context = {k: float(v) for k, v in context.items()}
        self.params = ParameterSet.central()
        self.unit_cost = lever_unit_costs(self.params)
        self.upper = np.array([LEVERS[k].high for k in LEVER_KEYS], dtype=float)
        self.upper_spend = self.upper * self.unit_cost
        self.n_years = self.end - self.start + 1
        # The search runs to ``horizon``: 2065 when it maximises the appraisal's NPV, else
        # 2040 (40% fewer years); the NPV of a single mix is always read on a 2065 run.
        self.horizon = horizon
        self.templates = {}
        for last in {horizon, HORIZON_YEAR}:
            ones = build_inputs(
                [
                    {
                        **self.context,
                        "start_year": self.start,
                        "end_year": self.end,
                        **dict.fromkeys(LEVER_KEYS, 1.0),
                    }
                ],
                last_year=last,
            )
            self.templates[last] = (
                ones.infrastructure_spend,  # 1 in programme years
                {k: getattr(ones, k) for k in (*CONTEXT, "road_trunk_share")},
            )
        self.col = int(self.target - YEARS[0])
        self.n_evaluations = 0
        zero = np.zeros((1, len(LEVER_KEYS)))
        self.cf_full = self.run(zero, HORIZON_YEAR)
        cf = self.run(zero)
        self.cf = {k: float(self.measure(cf, k)[0]) for k in (*OBJECTIVES, "grp_per_capita")}

    def settings(self, spend: np.ndarray) -> dict[str, float]:
        levers = np.asarray(spend, dtype=float) / self.unit_cost
        levers = np.clip(levers, 0.0, self.upper)
        return {
            **{k: float(v) for k, v in zip(LEVER_KEYS, levers, strict=True)},
            "start_year": self.start,
            "end_year": self.end,
            **self.context,
        }

    def inputs(self, spend: np.ndarray, last: int | None = None) -> Inputs:
        """Input paths to ``last`` (default the search horizon) for spending rows
        ``(n, levers)`` in million som per year."""
        mask, fixed = self.templates[last or self.horizon]
        levers = np.atleast_2d(spend) / self.unit_cost
        paths = {k: mask * levers[:, i : i + 1] for i, k in enumerate(LEVER_KEYS)}
        return Inputs(
            **paths, **fixed, start_year=np.array([self.start]), end_year=np.array([self.end])
        )

    def run(self, spend: np.ndarray, last: int | None = None) -> dict[str, np.ndarray]:
        """Model outputs for spending rows ``(n, levers)``, million som per year."""
        spend = np.atleast_2d(spend)
        self.n_evaluations += spend.shape[0]
        out = simulate(self.params, self.inputs(spend, last))
        out["_spend"] = spend
        return out

    def measure(self, out: dict[str, np.ndarray], what: str) -> np.ndarray:
        if what == "npv":
            spend = out["_spend"]
            if out["grp"].shape[1] != self.cf_full["grp"].shape[1]:
                out = self.run(spend, HORIZON_YEAR)
            return appraise(
                out,
                self.cf_full,
                self.inputs(spend, HORIZON_YEAR),
                self.params,
                DEFAULT_RATE,
                with_eirr=False,
            ).npv
        return out[what][:, self.col]

    def value(self, spend: np.ndarray, what: str) -> np.ndarray:
        return self.measure(self.run(spend), what)

    def with_gradient(
        self, spend: np.ndarray, scale: np.ndarray, what: str
    ) -> tuple[float, np.ndarray]:
        """Value at ``spend`` and its gradient in the scaled variable ``spend / scale``."""
        k = len(spend)
        z = spend / scale
        room = self.upper_spend / scale - z
        steps = np.where(room >= _FD_STEP, _FD_STEP, -_FD_STEP)
        rows = np.tile(spend, (k + 1, 1))
        rows[1:] += np.diag(steps * scale)
        v = self.value(rows, what)
        return float(v[0]), (v[1:] - v[0]) / steps

    def describe(self, spend: np.ndarray) -> _Description:
        out = self.run(spend[None, :])
        eff = out["irrigated_effective_ha"][0, self.col]
        cap = out["water_cap_ha"][0, self.col]
        levers = spend / self.unit_cost
        return _Description(
            grp_per_capita=float(out["grp_per_capita"][0, self.col]),
            values={k: float(self.measure(out, k)[0]) for k in OBJECTIVES},
            water_cap_binds=bool(eff >= cap * (1 - 1e-9)),
            at_upper=tuple(
                k
                for k, v, u in zip(LEVER_KEYS, levers, self.upper, strict=True)
                if v >= u * (1 - 1e-6)
            ),
        )


def _clip_to_budget(spend: np.ndarray, upper: np.ndarray, budget: float) -> np.ndarray:
    spend = np.clip(spend, 0.0, upper)
    total = spend.sum()
    return spend * (budget / total) if total > budget > 0 else spend


def _result(
    prob: _Problem,
    spend: np.ndarray,
    objective: str,
    budget: float | None,
    target: float | None,
    reached: bool,
    message: str,
) -> MixResult:
    info = prob.describe(spend)
    per_year = float(spend.sum())
    value = info.grp_per_capita if objective == "cost" else info.values[objective]
    cf = prob.cf["grp_per_capita"] if objective == "cost" else prob.cf[objective]
    return MixResult(
        settings=prob.settings(spend),
        objective=objective,
        target_year=prob.target,
        value=float(value),
        counterfactual_value=float(cf),
        grp_per_capita=float(info.grp_per_capita),
        cost_per_year=per_year,
        cost_total=per_year * prob.n_years,
        budget=budget,
        target_grp_per_capita=target,
        reached=reached,
        budget_binding=bool(
            budget is not None and budget > 0 and per_year * prob.n_years >= budget * (1 - 1e-3)
        ),
        levers_at_upper_bound=info.at_upper,
        water_cap_binds=info.water_cap_binds,
        spend_per_year={k: float(v) for k, v in zip(LEVER_KEYS, spend, strict=True)},
        message=message,
        n_evaluations=prob.n_evaluations,
    )


def _maximise(prob: _Problem, per_year: float, objective: str) -> np.ndarray:
    """Best yearly spending within ``per_year`` (million som) for ``objective``."""
    ub = prob.upper_spend
    if per_year <= 0:
        return np.zeros(len(ub))
    # stage 1: every grid direction scaled to spend the budget (or to its bounds)
    d = _directions() * ub
    cand = d * np.minimum(per_year / d.sum(axis=1), 1.0 / np.max(d / ub, axis=1))[:, None]
    cand = np.vstack([cand, np.minimum(ub, per_year * ub / ub.sum())[None, :]])
    v = prob.value(cand, objective)
    order = np.argsort(-v, kind="stable")
    best, best_v = cand[order[0]], float(v[order[0]])
    scale = max(abs(best_v - prob.cf[objective]), 1e-9)

    # stage 2: SLSQP in z = spend / per_year, sum z <= 1, 0 <= z <= ub / per_year
    def fun(z: np.ndarray) -> tuple[float, np.ndarray]:
        val, grad = prob.with_gradient(z * per_year, np.full(len(z), per_year), objective)
        return -(val - prob.cf[objective]) / scale + _EPS * z.sum(), -grad / scale + _EPS

    bounds = [(0.0, u / per_year) for u in ub]
    cons = [{"type": "ineq", "fun": lambda z: 1.0 - z.sum(), "jac": lambda z: -np.ones_like(z)}]
    polished = []
    for i in order[:_N_STARTS]:
        from scipy.optimize import minimize  # ~0.2 s to import: only on demand

        res = minimize(
            fun,
            cand[i] / per_year,
            jac=True,
            method="SLSQP",
            bounds=bounds,
            constraints=cons,
            options=_SLSQP,
        )
        polished.append(_clip_to_budget(res.x * per_year, ub, per_year))
    pv = prob.value(np.array(polished), objective)
    score = lambda s, val: val - _EPS * scale * s.sum() / per_year  # noqa: E731
    if score(polished[int(np.argmax(pv))], pv.max()) > score(best, best_v):
        best = polished[int(np.argmax(pv))]
    return best


def best_mix(
    budget_mln_som: float,
    start_year: int = int(PROGRAMME["start_year"].default),
    end_year: int = int(PROGRAMME["end_year"].default),
    target_year: int = 2035,
    objective: str = "grp",
    context: Mapping[str, float] | None = None,
) -> MixResult:
    """The lever mix that maximises ``objective`` in ``target_year`` within a budget.

    Args:
        budget_mln_som: total programme budget over the programme years, million som
            (2020 prices); the mix spends at most ``budget / (end - start + 1)`` a year.
        start_year: first programme year.
        end_year: last programme year.
        target_year: year the objective is read (``npv`` is the appraisal's NPV over the
            assets' lives and does not read it).
        objective: ``"grp"``, ``"jobs"`` or ``"npv"`` (see :data:`OBJECTIVES`).
        context: context settings (apricot price, water, mining growth); default baseline.

    Returns:
        The mix as scenario settings, its value, cost and what binds.
    """
    if objective not in OBJECTIVES:
        raise ValueError(f"unknown objective {objective!r}; choose from {sorted(OBJECTIVES)}")
    if budget_mln_som < 0:
        raise ValueError("budget must be >= 0")
    prob = _Problem(
        start_year,
        end_year,
        target_year,
        context or {},
        HORIZON_YEAR if objective == "npv" else LAST_YEAR,
    )
    spend = _maximise(prob, budget_mln_som / prob.n_years, objective)
    res = _result(prob, spend, objective, float(budget_mln_som), None, True, "")
    gain = res.value - res.counterfactual_value
    when = "" if objective == "npv" else f" in {target_year}"
    msg = (
        f"Best mix for {budget_mln_som:,.0f} mln som: {OBJECTIVES[objective].split(',')[0]} "
        f"+{gain:,.0f} against no programme{when}; spends "
        f"{res.cost_total:,.0f} mln som."
    )
    if res.water_cap_binds:
        msg += " The water cap binds: more irrigated hectares would add nothing."
    return MixResult(**{**res.__dict__, "message": msg, "n_evaluations": prob.n_evaluations})


def cheapest_mix(
    target_grp_per_capita: float,
    target_year: int = 2035,
    start_year: int = int(PROGRAMME["start_year"].default),
    end_year: int = int(PROGRAMME["end_year"].default),
    context: Mapping[str, float] | None = None,
    bisection_steps: int = 14,
) -> MixResult:
    """The least-cost lever mix that reaches a GRP per capita in the target year.

    Args:
        target_grp_per_capita: som per person (2020 prices) in ``target_year``.
        target_year: year the target is read.
        start_year: first programme year.
        end_year: last programme year.
        context: context settings; default baseline.
        bisection_steps: bisection steps along each grid direction in stage 1.

    Returns:
        The mix with ``reached`` True, or, when no mix within the lever bounds reaches
        the target, ``reached`` False and the mix with the highest GRP per capita.
    """
    prob = _Problem(start_year, end_year, target_year, context or {})
    x_target = float(target_grp_per_capita)
    ub = prob.upper_spend
    k = len(ub)
    if prob.cf["grp_per_capita"] >= x_target:
        return _result(
            prob,
            np.zeros(k),
            "cost",
            None,
            x_target,
            True,
            "Reached without a programme: no spending needed.",
        )
    top = float(prob.value(ub[None, :], "grp_per_capita")[0])
    if top < x_target:
        spend = _maximise(prob, float(ub.sum()), "grp_per_capita")
        res = _result(prob, spend, "cost", None, x_target, False, "")
        msg = (
            f"No mix within the lever bounds reaches {x_target:,.0f} som per person in "
            f"{target_year}; the closest reaches {res.grp_per_capita:,.0f} at "
            f"{res.cost_total:,.0f} mln som."
        )
        return MixResult(**{**res.__dict__, "message": msg, "n_evaluations": prob.n_evaluations})

    # stage 1: along every direction, bisect the smallest scale that reaches the target
    d = _directions() * ub
    d /= np.max(d / ub, axis=1)[:, None]  # scale 1 puts the largest lever at its bound
    ok = prob.value(d, "grp_per_capita") >= x_target
    d = d[ok]
    lo, hi = np.zeros(len(d)), np.ones(len(d))
    for _ in range(bisection_steps):
        mid = 0.5 * (lo + hi)
        reach = prob.value(d * mid[:, None], "grp_per_capita") >= x_target
        hi, lo = np.where(reach, mid, hi), np.where(reach, lo, mid)
    cand = d * hi[:, None]
    costs = cand.sum(axis=1)
    order = np.argsort(costs, kind="stable")
    best = cand[order[0]]

    # stage 2: SLSQP in y = spend / sum(ub): min sum y  s.t. (pc(y) - X) / X >= 0
    total = float(ub.sum())
    cache: dict[bytes, tuple[float, np.ndarray]] = {}

    def constraint(y: np.ndarray) -> tuple[float, np.ndarray]:
        key = y.tobytes()
        if key not in cache:
            v, g = prob.with_gradient(y * total, np.full(k, total), "grp_per_capita")
            cache[key] = ((v - x_target) / x_target, g / x_target)
        return cache[key]

    cons = [{"type": "ineq", "fun": lambda y: constraint(y)[0], "jac": lambda y: constraint(y)[1]}]
    polished = []
    for i in order[:_N_STARTS]:
        from scipy.optimize import minimize

        res = minimize(
            lambda y: (y.sum(), np.ones_like(y)),
            cand[i] / total,
            jac=True,
            method="SLSQP",
            bounds=[(0.0, u / total) for u in ub],
            constraints=cons,
            options=_SLSQP,
        )
        polished.append(np.clip(res.x * total, 0.0, ub))
    # stage 3: along each polished direction, the smallest scale that reaches the target
    for s in polished:
        lam_max = float(np.min(np.where(s > 0, ub / np.where(s > 0, s, 1.0), np.inf)))
        lam_hi = min(lam_max, 1.5)
        if not np.isfinite(lam_hi) or s.sum() == 0:
            continue
        lam = np.linspace(0.0, lam_hi, 65)
        reach = prob.value(s[None, :] * lam[:, None], "grp_per_capita") >= x_target
        if not reach.any():
            continue
        j = int(np.argmax(reach))
        a, b = (lam[j - 1] if j > 0 else 0.0), lam[j]
        for _ in range(30):
            m = 0.5 * (a + b)
            if prob.value(s[None, :] * m, "grp_per_capita")[0] >= x_target:
                b = m
            else:
                a = m
        if (s * b).sum() < best.sum():
            best = s * b
    res = _result(prob, best, "cost", None, x_target, True, "")
    msg = (
        f"Cheapest mix reaching {x_target:,.0f} som per person in {target_year}: "
        f"{res.cost_total:,.0f} mln som over {prob.n_years} years."
    )
    if res.water_cap_binds:
        msg += " The water cap binds in the target year."
    return MixResult(**{**res.__dict__, "message": msg, "n_evaluations": prob.n_evaluations})
