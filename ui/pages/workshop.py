"""The Workshop page: a planning meeting on one screen.

Without a room: create one (facilitator) or join one by its code (participant). The
facilitator's view shows the room code, link and QR code for the projector, and a live
part that refreshes itself (``st.fragment(run_every=...)``, so the facilitator's own
levers are never touched): how many take part, the spread of every setting, the room's
median scenario with uncertainty bands, each participant's cost against gain, "show
this one", exports, close, reopen and delete. A participant sees their own scenario, a
name and a one-line rationale to submit, and, if the facilitator allows, the anonymous
spread. Names and rationales are outside text: tables, chart tooltips and ``st.text``
only, never Markdown.
"""

from __future__ import annotations

import contextlib
import io
import json
from functools import lru_cache

import altair as alt
import pandas as pd
import segno
import streamlit as st

from model import ALL_SETTINGS, DEFAULT_RATE
from rooms import (
    DEFAULT_DAYS,
    NAME_MAX,
    RATIONALE_MAX,
    TITLE_MAX,
    Entry,
    Room,
    RoomError,
    format_code,
    median_settings,
    spread,
)
from scenarios.settings import Settings
from ui import analysis, charts, compute, figures, keys, nav, plain, state
from ui import workshop as ws
from ui.exports import SETTING_ORDER
from ui.i18n import current_lang, fmt_num, fmt_setting, fmt_signed, t
from ui.pages.scenario import pinned
from ui.results import DEFAULT_KPI_YEAR, fmt_appraisal, kpi_change, value_at

DAY_CHOICES = (1, 7, 14, 30, 60, 90)
MEASURES = ("grp", "jobs")
#: Monte Carlo draws of the median's bands: the median moves with every participant's
#: lever, so the live view uses fewer draws than the scenario page (1,000): ~25 ms, not
#: ~150 ms, with the same 50 % and 90 % bands to within a few per cent.
MEDIAN_DRAWS = 250
GO = "workshop_go"  # session key: the page to open after "show this one"


def page() -> None:
    ss = st.session_state
    if go := ss.pop(GO, None):
        # Only the unbound parameters are handed over: switch_page would clear the bound
        # levers' ones, which Streamlit refuses; the levers write theirs again.
        qp = st.query_params
        keep = {k: qp[k] for k in qp if k not in ALL_SETTINGS and k != ws.KEY_PARAM}
        st.switch_page(nav.page(go), query_params=keep)
    st.title(t("workshop.title"))
    pending = _from_link()
    if err := ss.pop(keys.WORKSHOP_ERROR, None):
        st.error(err, icon=":material/error:")
    seat = ws.seat()
    if seat is None:
        _start(pending)
    elif seat.role == "facilitator":
        _facilitator(seat)
    else:
        _participant(seat)


# --- arriving -----------------------------------------------------------------------


def _from_link() -> Room | None:
    """Read ``room``/``key``/``p`` from the address once per distinct link. Returns the
    room a participant's link names when they have not joined yet."""
    ss, qp = st.session_state, st.query_params
    code = qp.get(ws.ROOM_PARAM)
    key, token = qp.get(ws.KEY_PARAM), qp.get(ws.TOKEN_PARAM)
    if not code:
        return None
    seat = ws.seat()
    if seat is not None and seat.code == code and not key:
        return None  # this session's own room, as kept in the address
    link = (code, key, token)
    if ss.get(keys.WORKSHOP_CHECKED, (None,))[0] == link:
        return ss[keys.WORKSHOP_CHECKED][1]
    pending: Room | None = None
    try:
        if not ws.allowed("lookup"):
            raise RoomError("rate_limited")
        store = ws.store()
        if key:
            room = store.check_key(code, key)
            ws.take_seat(room.code, "facilitator", key)
        elif token:
            entry = store.participant(code, token)
            room = store.room(code)
            ws.take_seat(room.code, "participant", token)
            ws.resume(entry)
        else:
            pending = store.room(code)
            ss[keys.WORKSHOP_CODE] = format_code(pending.code)
    except RoomError as err:
        ss[keys.WORKSHOP_ERROR] = ws.message(err)
        for p in (ws.KEY_PARAM, ws.TOKEN_PARAM, ws.ROOM_PARAM):
            qp.pop(p, None)
    ss[keys.WORKSHOP_CHECKED] = (link, pending)
    return pending


def _start(pending: Room | None) -> None:
    """Join a room (first when a room link was opened) or create one."""
    if pending is not None:
        st.subheader(t("workshop.join.heading_room", code=format_code(pending.code)))
        if pending.title:
            st.text(pending.title)
        _join_form(pending.code)
        return
    st.caption(t("workshop.intro"))
    left, right = st.columns(2, gap="large")
    with left, st.container(border=True, key="workshop_join"):
        st.subheader(t("workshop.join.heading"))
        _join_form(None)
    with right, st.container(border=True, key="workshop_create"):
        st.subheader(t("workshop.create.heading"))
        _create_form()


def _join_form(code: str | None) -> None:
    with st.form("workshop_join_form", border=False):
        if code is None:
            st.text_input(
                t("workshop.join.code"),
                key=keys.WORKSHOP_CODE,
                max_chars=16,
                placeholder="K7Q2-M9XD",
            )
        st.text_input(
            t("workshop.join.name"),
            key=keys.WORKSHOP_NAME,
            max_chars=NAME_MAX,
            help=t("workshop.join.name_help", n=NAME_MAX),
        )
        pressed = st.form_submit_button(
            t("workshop.join.button"), icon=":material/login:", type="primary", width="stretch"
        )
    if pressed:
        _join(code or st.session_state.get(keys.WORKSHOP_CODE) or "")


def _join(code: str) -> None:
    ss = st.session_state
    try:
        if not ws.allowed("lookup") or not ws.allowed("join"):
            raise RoomError("rate_limited")
        _, token = ws.store().join(code, ss.get(keys.WORKSHOP_NAME) or "")
        room = ws.store().room(code)
    except RoomError as err:
        st.error(ws.message(err), icon=":material/error:")
        return
    ws.take_seat(room.code, "participant", token)
    ss[keys.FLASH] = t("workshop.join.done", code=format_code(room.code))
    st.rerun()


def _create_form() -> None:
    st.caption(t("workshop.create.help"))
    with st.form("workshop_create_form", border=False):
        st.text_input(
            t("workshop.create.title"),
            key=keys.WORKSHOP_TITLE,
            max_chars=TITLE_MAX,
            placeholder=t("workshop.create.title_placeholder"),
        )
        st.selectbox(
            t("workshop.create.days"),
            DAY_CHOICES,
            index=DAY_CHOICES.index(DEFAULT_DAYS),
            key=keys.WORKSHOP_DAYS,
            format_func=lambda d: t("workshop.create.days_n", n=d),
        )
        st.checkbox(t("workshop.spread_toggle"), key=keys.WORKSHOP_SPREAD)
        pressed = st.form_submit_button(
            t("workshop.create.button"), icon=":material/groups:", type="primary", width="stretch"
        )
    if pressed:
        ss = st.session_state
        if not ws.allowed("create"):
            st.error(ws.message(RoomError("rate_limited")), icon=":material/error:")
            return
        room, key = ws.store().create_room(
            ss.get(keys.WORKSHOP_TITLE) or "",
            lang=current_lang(),
            days=int(ss.get(keys.WORKSHOP_DAYS) or DEFAULT_DAYS),
            show_spread=bool(ss.get(keys.WORKSHOP_SPREAD)),
        )
        ws.take_seat(room.code, "facilitator", key)
        ss[keys.FLASH] = t("workshop.create.done", code=format_code(room.code))
        st.rerun()


def _leave_button(label: str = "workshop.leave") -> None:
    if st.button(t(label), key="workshop_leave", icon=":material/logout:"):
        ws.leave_seat()
        st.rerun()


# --- the participant ----------------------------------------------------------------


def _participant(seat: ws.Seat) -> None:
    store = ws.store()
    try:
        room = store.room(seat.code)
        entry = store.participant(seat.code, seat.secret)
    except RoomError as err:
        st.error(ws.message(err), icon=":material/error:")
        _leave_button("workshop.forget")
        return
    ws.autosave()
    ss = st.session_state
    st.subheader(t("workshop.participant.heading", code=format_code(room.code)))
    if room.title:
        st.text(room.title)
    if room.closed:
        st.warning(t("workshop.error.closed"), icon=":material/lock:")
    elif ss.get(keys.WORKSHOP_CONFLICT):
        with st.container(border=True, key="workshop_conflict"):
            st.warning(t("workshop.participant.conflict"), icon=":material/sync_problem:")
            c1, c2 = st.columns(2)
            c1.button(
                t("workshop.participant.load_saved"),
                key="workshop_load_saved",
                on_click=ws.load_saved,
                icon=":material/cloud_download:",
                type="primary",
                width="stretch",
            )
            c2.button(
                t("workshop.participant.keep_levers"),
                key="workshop_keep_levers",
                on_click=ws.keep_levers,
                icon=":material/cloud_upload:",
                width="stretch",
            )
    elif status := ss.get(keys.WORKSHOP_STATUS):
        st.warning(status, icon=":material/cloud_off:")
    else:
        saved = ss.get(keys.WORKSHOP_SAVED, (None, None))[1]
        with st.container(key="workshop_saved"):
            st.success(
                t("workshop.participant.saved", time=ws.local_time(saved))
                if saved
                else t("workshop.participant.not_saved"),
                icon=":material/cloud_done:",
            )
    st.info(t("workshop.participant.how"), icon=":material/tune:")

    settings = state.current().effective
    result = compute.run_one(settings.key)
    _my_result(result)

    if keys.WORKSHOP_NAME not in ss:
        ss[keys.WORKSHOP_NAME] = entry.name
    if keys.WORKSHOP_RATIONALE not in ss:
        ss[keys.WORKSHOP_RATIONALE] = entry.rationale
    with st.container(border=True, key="workshop_submit"):
        st.text_input(
            t("workshop.join.name"),
            key=keys.WORKSHOP_NAME,
            max_chars=NAME_MAX,
            disabled=room.closed,
            help=t("workshop.join.name_help", n=NAME_MAX),
        )
        st.text_input(
            t("workshop.participant.rationale"),
            key=keys.WORKSHOP_RATIONALE,
            max_chars=RATIONALE_MAX,
            disabled=room.closed,
            placeholder=t("workshop.participant.rationale_placeholder"),
        )
        st.button(
            t("workshop.participant.submit"),
            key="workshop_submit_button",
            on_click=_submit,
            args=(seat,),
            icon=":material/send:",
            type="primary",
            disabled=room.closed,
            width="stretch",
        )
        if entry.submitted_at is not None:
            st.caption(
                t(
                    "workshop.participant.submitted",
                    time=ws.local_time(entry.submitted_at),
                )
            )
    if room.show_spread:
        entries = store.entries(room.code)
        scenarios = ws.scenario_settings(entries)
        st.subheader(t("workshop.spread.heading_anon", n=len(scenarios)))
        if scenarios:
            _spread_chart(
                scenarios, median_settings(scenarios), names=None, key="participant_spread"
            )
    st.divider()
    if st.button(t("workshop.participant.leave"), key="workshop_leave", icon=":material/logout:"):
        with contextlib.suppress(RoomError):  # already gone
            store.leave(seat.code, seat.secret)
        ws.leave_seat()
        st.rerun()
    st.caption(t("workshop.participant.leave_help"))


def _submit(seat: ws.Seat) -> None:
    ss = st.session_state
    try:
        ws.store().save(
            seat.code,
            seat.secret,
            state.current().effective,
            name=ss.get(keys.WORKSHOP_NAME) or "",
            rationale=ss.get(keys.WORKSHOP_RATIONALE) or "",
            submit=True,
        )
    except RoomError as err:
        ss[keys.WORKSHOP_ERROR] = ws.message(err)
        return
    ss[keys.FLASH] = t("workshop.participant.submitted_flash")


def _my_result(result: compute.Result) -> None:
    year = DEFAULT_KPI_YEAR
    grp, grp_base = value_at(result, "grp", year)
    jobs, jobs_base = value_at(result, "jobs", year)
    with st.container(key="workshop_mine"):
        st.markdown(plain.bold(t("workshop.participant.yours")))
        c1, c2, c3 = st.columns(3)
        c1.metric(t("workshop.kpi.grp", year=year), kpi_change(grp, grp_base, 0))
        c2.metric(t("workshop.kpi.jobs", year=year), kpi_change(jobs, jobs_base, 0))
        c3.metric(t("workshop.kpi.cost"), fmt_num(result.figure("cost")))


# --- the facilitator ----------------------------------------------------------------


def _facilitator(seat: ws.Seat) -> None:
    store = ws.store()
    try:
        room = store.check_key(seat.code, seat.secret)
    except RoomError as err:
        st.error(ws.message(err), icon=":material/error:")
        _leave_button("workshop.forget")
        return
    link = ws.participant_link(room.code)
    top = st.columns([3, 2], gap="large")
    with top[0], st.container(key="workshop_invite"):
        if room.title:
            st.text(room.title)
        st.caption(t("workshop.invite.code"))
        st.title(format_code(room.code), anchor=False)  # big: read from the back row
        st.caption(t("workshop.invite.how"))
        st.code(link, language=None, wrap_lines=True)
        if room.closed:
            st.warning(t("workshop.facilitator.closed"), icon=":material/lock:")
        st.caption(
            t(
                "workshop.facilitator.expires",
                date=room.expires_at.strftime("%Y-%m-%d"),
                created=room.created_at.strftime("%Y-%m-%d"),
            )
        )
    with top[1], st.container(key="workshop_qr"):
        st.image(_qr_png(link), width=220, caption=t("workshop.invite.qr"))
    _controls(room, seat)
    _live(room.code, seat.secret)


def _qr_png(link: str) -> bytes:
    buf = io.BytesIO()
    segno.make(link, error="m").save(buf, kind="png", scale=8, border=2)
    return buf.getvalue()


def _controls(room: Room, seat: ws.Seat) -> None:
    with st.expander(t("workshop.facilitator.controls"), icon=":material/admin_panel_settings:"):
        st.caption(t("workshop.facilitator.link_help"))
        st.code(ws.facilitator_link(room.code, seat.secret), language=None, wrap_lines=True)
        st.toggle(
            t("workshop.spread_toggle"),
            value=room.show_spread,
            key=f"workshop_spread_{room.code}",
            on_change=_toggle_spread,
            args=(seat,),
        )
        c1, c2 = st.columns(2)
        if room.closed:
            c1.button(
                t("workshop.facilitator.reopen"),
                key="workshop_reopen",
                on_click=_set_closed,
                args=(seat, False),
                icon=":material/lock_open:",
            )
        else:
            c1.button(
                t("workshop.facilitator.close"),
                key="workshop_close",
                on_click=_set_closed,
                args=(seat, True),
                icon=":material/lock:",
            )
        with c2:
            confirm = st.checkbox(
                t("workshop.facilitator.delete_confirm"), key=keys.WORKSHOP_DELETE
            )
            st.button(
                t("workshop.facilitator.delete"),
                key="workshop_delete_button",
                on_click=_delete,
                args=(seat,),
                icon=":material/delete_forever:",
                disabled=not confirm,
                type="primary",
            )
        _leave_button("workshop.facilitator.leave")


def _toggle_spread(seat: ws.Seat) -> None:
    value = bool(st.session_state.get(f"workshop_spread_{seat.code}"))
    try:
        ws.store().set_show_spread(seat.code, seat.secret, value)
    except RoomError as err:
        st.session_state[keys.WORKSHOP_ERROR] = ws.message(err)


def _set_closed(seat: ws.Seat, closed: bool) -> None:
    try:
        ws.store().set_closed(seat.code, seat.secret, closed)
    except RoomError as err:
        st.session_state[keys.WORKSHOP_ERROR] = ws.message(err)


def _delete(seat: ws.Seat) -> None:
    ss = st.session_state
    try:
        ws.store().delete_room(seat.code, seat.secret)
    except RoomError as err:
        ss[keys.WORKSHOP_ERROR] = ws.message(err)
        return
    ws.leave_seat()
    ss.pop(keys.WORKSHOP_DELETE, None)
    ss[keys.FLASH] = t("workshop.facilitator.deleted", code=format_code(seat.code))


@st.fragment(run_every=ws.REFRESH_S)
def _live(code: str, secret: str) -> None:
    """The part of the facilitator's screen that refreshes itself."""
    try:
        room = ws.store().check_key(code, secret)
        entries = ws.store().entries(code)
    except RoomError as err:
        st.error(ws.message(err), icon=":material/error:")
        return
    numbered = [(i, e) for i, e in enumerate(entries, start=1)]
    with_scenario = [(i, e) for i, e in numbered if e.settings is not None]
    with st.container(key="workshop_counts"):
        c1, c2, c3 = st.columns(3)
        c1.metric(t("workshop.count.joined"), len(entries))
        c2.metric(t("workshop.count.with_scenario"), len(with_scenario))
        c3.metric(t("workshop.count.submitted"), sum(1 for e in entries if e.submitted))
    if not with_scenario:
        st.info(t("workshop.waiting"), icon=":material/hourglass_empty:")
        _exports(room, entries)
        return
    scenarios = [e.settings for _, e in with_scenario if e.settings is not None]
    names = [ws.display_name(e, i) for i, e in with_scenario]
    median = median_settings(scenarios)
    assert median is not None
    # the median in full (its chart and cards); of each participant only the figures the
    # points and the table show, kept per scenario: a refresh runs only who moved
    median_result = compute.run_one(median.effective.key)
    briefs = compute.briefs([s.effective.key for s in scenarios], DEFAULT_KPI_YEAR)

    st.subheader(t("workshop.spread.heading", n=len(scenarios)))
    _spread_chart(scenarios, median, names=names, key="facilitator_spread")
    with st.expander(t("workshop.spread.table"), expanded=False):
        st.dataframe(_spread_table(scenarios), hide_index=True, key="workshop_spread_table")

    st.subheader(t("workshop.median.heading"))
    _median(median, median_result)

    st.subheader(t("workshop.points.heading"))
    _points(with_scenario, names, briefs, compute.brief_of(median_result, DEFAULT_KPI_YEAR))

    st.subheader(t("workshop.people.heading"))
    _people(room, with_scenario, names, briefs)
    _exports(room, entries)


def _spread_rows(
    scenarios: list[Settings], median: Settings, names: list[str] | None
) -> tuple[list[dict], list[dict]]:
    """The spread chart's rows: (a tick per participant and setting, the room's median
    per setting), each ``setting``, ``pos`` (0-100 % of the slider), ``value`` (as the
    slider shows it), ``who`` and ``kind``. Plain rows, no frame: the facilitator's view
    builds them on every refresh (40 participants: 520 ticks)."""
    ticks: list[dict] = []
    medians: list[dict] = []
    choice, med = t("workshop.spread.choice"), t("workshop.median.series")
    shown: dict[tuple[str, float], str] = {}  # many choose the same value: format it once

    def value(key: str, x: float) -> str:
        if (key, x) not in shown:
            shown[key, x] = ws.fmt_value(key, x)
        return shown[key, x]

    for key in SETTING_ORDER:
        spec = ALL_SETTINGS[key]
        span = (spec.high - spec.low) or 1.0
        label = t(f"lever.{key}.label")
        for i, s in enumerate(scenarios):
            ticks.append(
                {
                    "setting": label,
                    "pos": 100 * (s[key] - spec.low) / span,
                    "value": value(key, s[key]),
                    "who": names[i] if names else "",
                    "kind": choice,
                }
            )
        medians.append(
            {
                "setting": label,
                "pos": 100 * (median[key] - spec.low) / span,
                "value": value(key, median[key]),
                "who": med,
                "kind": med,
            }
        )
    return ticks, medians


def _spread_chart(
    scenarios: list[Settings], median: Settings, names: list[str] | None, key: str
) -> None:
    """Every setting on one line from its lowest to its highest value: a tick for each
    participant's choice, a red bar at the room's median."""
    ticks, medians = _spread_rows(scenarios, median, names)
    choice, med = t("workshop.spread.choice"), t("workshop.median.series")
    order = list(dict.fromkeys(r["setting"] for r in medians))
    style = json.dumps(
        {
            "order": order,
            "names": t("workshop.col.name") if names else None,
            "texts": [t("workshop.col.setting"), t("workshop.col.value"), t("workshop.spread.x")],
            "kinds": [choice, med],
        },
        ensure_ascii=False,
    )
    spec = dict(_spread_template(style))
    spec["datasets"] = {"ticks": ticks, "medians": medians}
    with st.container(key=f"box_{key}"):
        figures.show(spec, key=key)


@lru_cache(maxsize=32)
def _spread_template(style: str) -> dict:
    """The spread chart without its data (named datasets ``ticks`` and ``medians``),
    built and turned into a spec once per language: a refresh only attaches the data
    (an Altair chart built on every refresh cost ~30 ms of the facilitator's view)."""
    kw = json.loads(style)
    order = kw["order"]
    setting_title, value_title, x_title = kw["texts"]
    tooltip = [
        alt.Tooltip("setting:N", title=setting_title),
        alt.Tooltip("value:N", title=value_title),
    ]
    if kw["names"]:
        tooltip.append(alt.Tooltip("who:N", title=kw["names"]))
    y = alt.Y("setting:N", sort=order, title=None, axis=alt.Axis(labelLimit=180))
    x = alt.X(
        "pos:Q",
        title=x_title,
        scale=alt.Scale(domain=[0, 100]),
        axis=alt.Axis(values=[0, 25, 50, 75, 100]),
    )
    color = alt.Color(
        "kind:N",
        title=None,
        scale=alt.Scale(domain=kw["kinds"], range=[charts.SCENARIO_COLOR, "#D55E00"]),
        legend=alt.Legend(orient="bottom"),
    )
    ticks = (
        alt.Chart(alt.NamedData("ticks"))
        .mark_tick(thickness=3, size=18, opacity=0.8)
        .encode(x=x, y=y, color=color, tooltip=tooltip)
    )
    medians = (
        alt.Chart(alt.NamedData("medians"))
        .mark_tick(thickness=4, size=22)
        .encode(x=x, y=y, color=color, tooltip=tooltip)
    )
    chart = (ticks + medians).properties(
        height=30 * len(order), autosize=alt.AutoSizeParams(type="fit-x", contains="padding")
    )
    return chart.to_dict(validate=False)


def _spread_table(scenarios: list[Settings]) -> pd.DataFrame:
    n = len(scenarios)
    return pd.DataFrame(
        [
            {
                t("workshop.col.setting"): f"{t(f'lever.{s.key}.label')} ({t(f'unit.{s.key}')})",
                t("workshop.col.min"): fmt_setting(s.key, s.low),
                t("workshop.col.median"): fmt_setting(s.key, s.median),
                t("workshop.col.max"): fmt_setting(s.key, s.high),
                t("workshop.col.moved"): t("workshop.col.moved_of", moved=s.moved, n=n),
            }
            for s in spread(scenarios, SETTING_ORDER)
        ]
    )


def _median(median: Settings, result: compute.Result) -> None:
    year = DEFAULT_KPI_YEAR
    grp, grp_base = value_at(result, "grp", year)
    jobs, jobs_base = value_at(result, "jobs", year)
    with st.container(key="workshop_median"):
        c1, c2, c3, c4 = st.columns(4)
        c1.metric(t("workshop.kpi.grp", year=year), kpi_change(grp, grp_base, 0))
        c2.metric(t("workshop.kpi.jobs", year=year), kpi_change(jobs, jobs_base, 0))
        c3.metric(t("workshop.kpi.cost"), fmt_num(result.figure("cost")))
        c4.metric(
            t("workshop.kpi.bcr"),
            fmt_appraisal("ratio", result.appraisal[DEFAULT_RATE]["bcr"], fmt_num, t("common.na")),
        )
    eff = median.effective
    mc = analysis.bands(eff.key, MEDIAN_DRAWS)
    spec = figures.grp_spec(
        result,
        "grp",
        eff.band,
        mc,
        title=t("workshop.median.chart"),
        scenario_label=t("workshop.median.series"),
    )
    figures.show(spec, key="workshop_median_chart")
    st.caption(t("bands.caption", n=fmt_num(mc.n_draws)))


def _points(
    with_scenario: list[tuple[int, Entry]],
    names: list[str],
    briefs: list[compute.Brief],
    median: compute.Brief,
) -> None:
    """Every participant's scenario as a point: programme cost against the gain."""
    measure = (
        st.segmented_control(
            t("workshop.points.measure"),
            MEASURES,
            default="grp",
            key=keys.WORKSHOP_MEASURE,
            format_func=lambda m: t(f"workshop.points.measure_{m}"),
            required=True,
        )
        or "grp"
    )
    y_title = t(f"workshop.points.y_{measure}", year=DEFAULT_KPI_YEAR)
    x_title = t("workshop.points.x")
    rows = [
        {
            "who": name,
            "n": i,
            "rationale": e.rationale,
            "cost": b.cost,
            "gain": b.gain[measure],
            "kind": t("workshop.points.submitted") if e.submitted else t("workshop.points.draft"),
        }
        for (i, e), name, b in zip(with_scenario, names, briefs, strict=True)
    ]
    rows.append(
        {
            "who": t("workshop.median.series"),
            "n": 0,
            "rationale": "",
            "cost": median.cost,
            "gain": median.gain[measure],
            "kind": t("workshop.median.series"),
        }
    )
    style = json.dumps(
        {
            "kinds": [
                t("workshop.points.submitted"),
                t("workshop.points.draft"),
                t("workshop.median.series"),
            ],
            "texts": [x_title, y_title, t("workshop.col.name"), t("workshop.col.rationale")],
        },
        ensure_ascii=False,
    )
    spec = dict(_points_template(style))
    spec["datasets"] = {"points": rows}
    with st.container(key="box_workshop_points"):
        figures.show(spec, key="workshop_points")


@lru_cache(maxsize=32)
def _points_template(style: str) -> dict:
    """The points chart without its data (named dataset ``points``), built once per
    language and measure; each refresh attaches the rows."""
    kw = json.loads(style)
    kinds = kw["kinds"]
    x_title, y_title, name_title, rationale_title = kw["texts"]
    chart = (
        alt.Chart(alt.NamedData("points"))
        .mark_point(filled=True, size=110, opacity=0.85)
        .encode(
            x=alt.X("cost:Q", title=x_title, axis=alt.Axis(format=",~f")),
            y=alt.Y("gain:Q", title=y_title, axis=alt.Axis(format=",~f")),
            color=alt.Color(
                "kind:N",
                title=None,
                scale=alt.Scale(domain=kinds, range=[charts.SCENARIO_COLOR, "#56B4E9", "#D55E00"]),
                legend=alt.Legend(orient="bottom"),
            ),
            shape=alt.Shape(
                "kind:N",
                scale=alt.Scale(domain=kinds, range=["circle", "circle", "diamond"]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("who:N", title=name_title),
                alt.Tooltip("rationale:N", title=rationale_title),
                alt.Tooltip("cost:Q", title=x_title, format=",.0f"),
                alt.Tooltip("gain:Q", title=y_title, format=",.0f"),
            ],
        )
        .properties(height=320, autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    )
    return chart.to_dict(validate=False)


def _people(
    room: Room,
    with_scenario: list[tuple[int, Entry]],
    names: list[str],
    briefs: list[compute.Brief],
) -> None:
    cost = t("workshop.points.x")
    gain = t("workshop.points.y_grp", year=DEFAULT_KPI_YEAR)
    table = pd.DataFrame(
        [
            {
                t("workshop.col.n"): i,
                t("workshop.col.name"): plain.text(name, 40),
                t("workshop.col.submitted"): t("workshop.yes") if e.submitted else t("workshop.no"),
                # in the planner's number format, as every other table (the CSV export
                # keeps plain numbers for spreadsheets)
                cost: fmt_num(b.cost),
                gain: fmt_signed(b.gain["grp"]),
                t("workshop.col.rationale"): plain.text(e.rationale, 200),
            }
            for (i, e), name, b in zip(with_scenario, names, briefs, strict=True)
        ]
    )
    right = st.column_config.TextColumn(alignment="right")
    st.dataframe(
        table,
        hide_index=True,
        key="workshop_people",
        column_config={cost: right, gain: right},
    )
    options = {
        e.id: f"{i} · {plain.text(name, 40)}"
        for (i, e), name in zip(with_scenario, names, strict=True)
    }
    ss = st.session_state
    if ss.get(keys.WORKSHOP_PICK) not in options:
        ss.pop(keys.WORKSHOP_PICK, None)
    with st.container(key="workshop_show"):
        pick = st.selectbox(
            t("workshop.show.pick"),
            list(options),
            key=keys.WORKSHOP_PICK,
            format_func=lambda o: options.get(o, str(o)),
        )
        c1, c2 = st.columns(2)
        args = (room.code, pick, dict(zip([e.id for _, e in with_scenario], names, strict=True)))
        c1.button(
            t("workshop.show.main"),
            key="workshop_show_main",
            on_click=_show,
            args=(*args, "scenario"),
            icon=":material/slideshow:",
            type="primary",
            width="stretch",
        )
        c2.button(
            t("workshop.show.compare"),
            key="workshop_show_compare",
            on_click=_show,
            args=(*args, "compare"),
            icon=":material/compare_arrows:",
            width="stretch",
        )
        st.caption(t("workshop.show.help"))
    if ss.get(GO):
        st.rerun(scope="app")


def _show(code: str, entry_id: int | None, names: dict[int, str], where: str) -> None:
    """Callback: the chosen participant's scenario on the levers (the main screen),
    pinned under their name and selected in Compare; the page switch follows."""
    seat = ws.seat()
    if seat is None or entry_id is None:
        return
    entry = next((e for e in ws.store().entries(code) if e.id == entry_id), None)
    if entry is None or entry.settings is None:
        return
    name = t("workshop.show.pin_name", code=format_code(code), name=names.get(entry_id, ""))
    name = plain.text(name, 80)
    state.apply_settings(entry.settings)
    state.set_meta(entry.settings, name=name, description=entry.rationale)
    pinned()[name] = dict(entry.settings)
    ss = st.session_state
    chosen = ["current", f"pin:{name}"]
    ss[keys.COMPARE_SELECTION] = chosen
    ss[keys.COMPARE_PICK] = chosen
    ss[GO] = where
    ss[keys.FLASH] = t("workshop.show.done", name=plain.code(name))


def _exports(room: Room, entries: list[Entry]) -> None:
    lang = current_lang()
    c1, c2 = st.columns(2)
    c1.download_button(
        t("workshop.export.csv"),
        data=lambda: ws.room_csv(ws.store().entries(room.code), lang),
        file_name=ws.export_name(room.code, "csv"),
        mime="text/csv",
        key="workshop_csv",
        icon=":material/table:",
        on_click="ignore",
        width="stretch",
        disabled=not entries,
    )
    c2.download_button(
        t("workshop.export.zip"),
        data=lambda: ws.room_zip(room.code, ws.store().entries(room.code), lang),
        file_name=ws.export_name(room.code, "zip"),
        mime="application/zip",
        key="workshop_zip",
        icon=":material/folder_zip:",
        on_click="ignore",
        width="stretch",
        disabled=not entries,
    )
