"""Goal-seek and budget: the two questions a planner asks, answered as an appliable mix.

(a) With B million som over the programme years, which mix gives the most GRP, jobs or
NPV by year Y? (b) What is the cheapest mix that reaches GRP per person X by year Y?
Programme years and context come from the sidebar. The optimiser's levers are rounded
to the slider steps (down for a budget, up for a target), the rounded mix is re-run and
re-checked, and "Apply this mix" writes it to the levers in a callback (so the URL and
the share link follow) and points to the Scenario page. (``st.switch_page`` cannot be
used: it clears the query parameters, which Streamlit refuses while levers are bound.)
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from model import LEVERS, PLACE_SETTINGS
from model.optimise import LEVER_KEYS, OBJECTIVES, MixResult, lever_unit_costs
from scenarios.settings import Settings
from ui import analysis, compute, keys, nav, plain, state
from ui.i18n import fmt_num, fmt_setting, fmt_signed, parse_num, t
from ui.results import DEFAULT_KPI_YEAR, KPI_YEARS, value_at

APPLIED = keys.GOAL_APPLIED
BEST = keys.GOAL_BEST
CHEAP = keys.GOAL_CHEAP
DEFAULT_BUDGET = 20_000
#: Largest budget (mln som) and GRP-per-person target (som) the questions accept.
MAX_AMOUNT = 1_000_000


def page() -> None:
    settings = state.current()
    eff = settings.effective
    start, end = int(eff["start_year"]), int(eff["end_year"])
    st.title(t("goal.title"))
    st.caption(t("goal.intro", start=start, end=end))
    if what := _not_searched(eff):
        st.info(t("goal.search_spread", what=what), icon=":material/info:")
    _budget_question(eff, start, end)
    st.divider()
    _target_question(eff, start, end)


def _not_searched(eff: Settings) -> str:
    """What of the scenario the optimiser does not vary or read (model/optimise.py
    spreads money at the default trunk share and places nothing by district), named for
    the planner; "" when the scenario has none of it."""
    changed = eff.non_default()
    parts = []
    if "road_trunk_share" in changed:
        parts.append(t("lever.road_trunk_share.label"))
    if not changed.keys().isdisjoint(PLACE_SETTINGS):  # the districts page's placement, water
        parts.append(t("page.districts"))
    return ", ".join(parts)


def _fmt_amount(value: float) -> str:
    return fmt_num(value, 0 if float(value).is_integer() else 1)


def _on_amount(value_key: str, text_key: str, error_key: str) -> None:
    """Callback of an amount box: take the typed amount, or say why not and keep the
    amount it had (a number input would refuse it with an English message)."""
    ss = st.session_state
    text = str(ss.get(text_key) or "").strip()
    try:
        value = parse_num(text) if text else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not 0 <= value <= MAX_AMOUNT:
        ss[error_key] = t(
            "goal.bad_amount",
            text=plain.code(text, 40),
            high=fmt_num(MAX_AMOUNT),
            kept=_fmt_amount(ss[value_key]),
        )
        return
    ss[value_key], ss[error_key] = value, None


def _amount_box(
    label: str, help_text: str, value_key: str, text_key: str, error_key: str, default: float
) -> float:
    """A typed amount in the planner's number format: the number it holds (kept in
    ``value_key``), the text box (``text_key``) and, if the last entry was refused, why."""
    ss = st.session_state
    if value_key not in ss:
        ss[value_key] = float(default)
    value = float(ss[value_key])
    text = ss.get(text_key)
    if not ss.get(error_key):
        # (re)write the box when it is new or shows another number (e.g. in the number
        # format of the language the planner just left)
        try:
            same = text is not None and parse_num(str(text)) == value
        except ValueError:
            same = False
        if not same:
            ss[text_key] = _fmt_amount(value)
    st.text_input(
        label,
        key=text_key,
        help=help_text,
        max_chars=20,
        on_change=_on_amount,
        args=(value_key, text_key, error_key),
    )
    if ss.get(error_key):
        st.error(ss[error_key], icon=":material/error:")
    return value


def _budget_from_sidebar() -> float:
    """Follow the sidebar's budget envelope: whenever it is set to a new amount, the
    goal-seek budget takes it (the planner may then type another); returns the envelope
    (0 = none)."""
    ss = st.session_state
    envelope = float(ss.get(keys.BUDGET) or 0)
    if envelope > 0 and ss.get(keys.GOAL_BUDGET_FROM) != envelope:
        ss[keys.GOAL_BUDGET_VALUE] = envelope  # the box shows it (see _amount_box)
        ss[keys.GOAL_BUDGET_ERROR] = None
        ss[keys.GOAL_BUDGET_FROM] = envelope
    return envelope


def _year_select(key: str, start: int) -> int:
    years = [y for y in KPI_YEARS if y >= start]
    default = DEFAULT_KPI_YEAR if DEFAULT_KPI_YEAR in years else years[-1]
    if st.session_state.get(key) not in years:
        st.session_state.pop(key, None)
    return int(
        st.selectbox(
            t("goal.year"),
            years,
            index=years.index(default),
            key=key,
            help=t("goal.year_help", start=start),
        )
    )


def _budget_question(eff: dict[str, float], start: int, end: int) -> None:
    ss = st.session_state
    st.subheader(t("goal.best_title"))
    cols = st.columns(3)
    with cols[0]:
        envelope = _budget_from_sidebar()
        budget = _amount_box(
            t("goal.budget"),
            t("goal.budget_help", start=start, end=end),
            keys.GOAL_BUDGET_VALUE,
            keys.GOAL_BUDGET,
            keys.GOAL_BUDGET_ERROR,
            envelope or DEFAULT_BUDGET,
        )
        if envelope > 0:
            with st.container(key="goal_budget_source"):
                st.caption(
                    t("goal.budget_from_sidebar", budget=_fmt_amount(envelope))
                    if budget == envelope
                    else t("goal.budget_not_sidebar", budget=_fmt_amount(envelope))
                )
    with cols[1]:
        objective = st.selectbox(
            t("goal.objective"),
            tuple(OBJECTIVES),
            key="goal_objective",
            format_func=lambda o: t(f"goal.objective_{o}"),
        )
    with cols[2]:
        year = _year_select("goal_year", start)
    inputs = (float(budget), start, end, year, objective, analysis.context_key(eff))
    if st.button(
        t("goal.best_run"), key="goal_best_run", type="primary", icon=":material/calculate:"
    ):
        with st.spinner(t("goal.running")):
            ss[BEST] = {"key": inputs, "mix": analysis.best_mix_of(*inputs)}
    stored = ss.get(BEST)
    if stored and stored["key"] == inputs:
        _show_mix(stored["mix"], eff, up=False, tag="best")


def _target_question(eff: dict[str, float], start: int, end: int) -> None:
    ss = st.session_state
    st.subheader(t("goal.cheap_title"))
    cf = compute.run_one(eff.replace(**dict.fromkeys(LEVERS, 0.0)).key).frame
    cols = st.columns(3)
    with cols[2]:
        year = _year_select("goal_target_year", start)
    base_pc = float(cf.loc[cf["year"] == year, "grp_per_capita"].iloc[0])
    with cols[0]:
        target = _amount_box(
            t("goal.target"),
            t("goal.target_help"),
            keys.GOAL_TARGET_VALUE,
            keys.GOAL_TARGET,
            keys.GOAL_TARGET_ERROR,
            round(1.1 * base_pc, -3),
        )
    with cols[1], st.container(key="goal_hint"):
        which = (
            "goal.hint_baseline"
            if analysis.is_baseline({**eff, **dict.fromkeys(LEVERS, 0.0)})
            else "goal.hint_context"
        )
        st.markdown(t(which, year=year, value=fmt_num(base_pc)))
    inputs = (float(target), year, start, end, analysis.context_key(eff))
    if st.button(
        t("goal.cheap_run"), key="goal_cheap_run", type="primary", icon=":material/calculate:"
    ):
        with st.spinner(t("goal.running")):
            ss[CHEAP] = {"key": inputs, "mix": analysis.cheapest_mix_of(*inputs)}
    stored = ss.get(CHEAP)
    if not stored or stored["key"] != inputs:
        return
    mix: MixResult = stored["mix"]
    if mix.reached and mix.cost_total == 0:
        st.success(
            t("goal.no_programme_needed", year=year, value=fmt_num(target), base=fmt_num(base_pc)),
            icon=":material/check_circle:",
        )
        return
    if not mix.reached:
        # the mix shown below: on the slider steps, as it would be applied
        shown = analysis.rounded_mix(mix, eff, up=True)
        with st.container(key="goal_unreachable"):
            st.warning(
                t(
                    "goal.unreachable",
                    year=year,
                    target=fmt_num(target),
                    closest=fmt_num(shown.grp_per_capita),
                    cost=fmt_num(shown.cost_total),
                ),
                icon=":material/block:",
            )
    _show_mix(mix, eff, up=True, tag="cheap")


def _card_year() -> int:
    """The year of the Scenario page's cards (its selector, else the link's, else the
    default)."""
    for raw in (st.session_state.get(keys.YEAR), st.query_params.get(keys.YEAR)):
        try:
            year = int(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if year in KPI_YEARS:
            return year
    return DEFAULT_KPI_YEAR


def _show_mix(mix: MixResult, eff: dict[str, float], up: bool, tag: str) -> None:
    applied = analysis.rounded_mix(mix, eff, up=up)
    year = mix.target_year
    n_years = int(eff["end_year"]) - int(eff["start_year"]) + 1
    unit_cost = dict(zip(LEVER_KEYS, lever_unit_costs(), strict=True))
    rows = []
    for k in LEVERS:
        value = applied.settings[k]
        cost = value * unit_cost[k] * n_years
        rows.append(
            {
                t("goal.col_lever"): t(f"lever.{k}.label"),
                t("goal.col_value"): f"{fmt_setting(k, value)} {t(f'unit.{k}')}",
                t("goal.col_cost"): fmt_num(cost),
            }
        )
    with st.container(key=f"goal_result_{tag}", border=True):
        st.markdown(plain.bold(t(f"goal.result_{tag}", year=year)))
        # a static table: it wraps to a phone's width (a data grid put the cost column
        # off a 390 px screen); the lever's name is its first column
        table = pd.DataFrame(rows)
        st.table(table.set_index(table.columns[0]))
        cards = st.columns(4)
        cards[0].metric(
            t("goal.cost_total"),
            fmt_num(applied.cost_total),
            help=t("goal.cost_help", start=int(eff["start_year"]), end=int(eff["end_year"])),
        )
        cards[1].metric(
            t("goal.grp", year=year),
            fmt_num(applied.grp),
            fmt_signed(applied.grp - applied.base_grp),
        )
        cards[2].metric(
            t("goal.jobs", year=year),
            fmt_num(applied.jobs),
            fmt_signed(applied.jobs - applied.base_jobs),
        )
        cards[3].metric(
            t("goal.pc", year=year),
            fmt_num(applied.grp_per_capita),
            fmt_signed(applied.grp_per_capita - applied.base_grp_per_capita),
        )
        st.caption(t("goal.rounded_down" if not up else "goal.rounded_up"))
        _cost_on_the_card(applied, eff)
        ok = True
        if not up and mix.budget is not None:
            left = mix.budget - applied.cost_total
            ok = left >= -1e-6
            st.markdown(
                t(
                    "goal.budget_check",
                    budget=fmt_num(mix.budget),
                    cost=fmt_num(applied.cost_total),
                    left=fmt_num(left),
                )
            )
            if mix.water_cap_binds:
                st.caption(t("goal.water_binds"))
        if up and mix.target_grp_per_capita is not None and mix.reached:
            ok = applied.grp_per_capita >= mix.target_grp_per_capita - 1e-6
            st.markdown(
                t(
                    "goal.target_check",
                    year=year,
                    target=fmt_num(mix.target_grp_per_capita),
                    value=fmt_num(applied.grp_per_capita),
                )
            )
        if not ok:
            st.warning(t("goal.recheck_failed"), icon=":material/warning:")
        name = t(
            f"goal.name_{tag}",
            budget=fmt_num(mix.budget or 0),
            target=fmt_num(mix.target_grp_per_capita or 0),
            year=year,
        )
        cols = st.columns([1, 2], vertical_alignment="center")
        cols[0].button(
            t("goal.apply"),
            key=f"goal_apply_{tag}",
            type="primary",
            icon=":material/input:",
            on_click=_apply,
            args=(tag, applied.settings, name),
            help=t("goal.apply_help"),
        )
        last = st.session_state.get(APPLIED)
        if last and last[0] == tag and _levers_equal(last[1], state.current()):
            with cols[1], st.container(key=f"goal_applied_{tag}"):
                st.page_link(
                    nav.page("scenario"),
                    label=t("goal.see_scenario"),
                    icon=":material/arrow_forward:",
                )


def _cost_on_the_card(applied: analysis.AppliedMix, eff: dict[str, float]) -> None:
    """Why the Scenario page's cost card can show less for the same mix: it counts
    spending up to its year only; this page counts the whole programme."""
    card_year, end = _card_year(), int(eff["end_year"])
    if card_year >= end:
        return  # the card shows the same total
    result = compute.run_one(applied.settings.key)
    part = value_at(result, "programme_cost_cumulative", card_year)[0]
    with st.container(key="goal_cost_card"):
        st.caption(
            t(
                "goal.cost_card",
                card=t("kpi.programme_cost_cumulative", year=card_year),
                year=card_year,
                part=fmt_num(part),
                total=fmt_num(applied.cost_total),
                start=int(eff["start_year"]),
                end=end,
            )
        )


def _levers_equal(a: dict[str, float], b: dict[str, float]) -> bool:
    return all(abs(float(a[k]) - float(b[k])) < 1e-9 for k in LEVERS)


def _apply(tag: str, settings: dict[str, float], name: str) -> None:
    """Callback: write the mix to the levers (the URL and share link follow)."""
    state.apply_settings(settings)
    state.set_meta(name=name)
    st.session_state[APPLIED] = (tag, dict(settings))
    st.session_state[keys.FLASH] = t("goal.applied", name=name)
