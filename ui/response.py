"""The "Response" tab of the scenario page: what each lever does across its whole range.

For the chosen lever, the GRP gain in the cards' year and the return (EIRR) at every
slider step, the other levers as they are, the current value marked and a limit the
lever runs into (water cap, network length) marked where the curve flattens; below,
every setting's curve at a glance (41 points each). Every point is an ordinary model
run (:mod:`model.sweep`), made in one vectorised call, so a point reads exactly what the
cards would show with the lever there.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from model import ALL_SETTINGS, LEVERS
from model.sweep import ResponseCurve, response_curves
from scenarios.settings import Settings
from ui import charts, figures, keys
from ui.compute import SettingsKey
from ui.i18n import fmt_num, fmt_setting, t

#: Points per curve in the at-a-glance view (the chosen lever gets every slider step).
GLANCE_POINTS = 41
CURVE_COLOR = "#0072B2"
MARK_COLOR = "#D55E00"
LIMIT_COLOR = "#7A7A7A"


@st.cache_data(max_entries=32, show_spinner=False)
def curves(settings: SettingsKey, keys_: tuple[str, ...], year: int, n_points: int | None):
    """Cached :func:`model.sweep.response_curves` of the effective settings."""
    return response_curves(dict(settings), keys_, year, n_points)


def _default_lever(settings: Settings) -> str:
    """The first money lever the scenario uses, else road construction."""
    for key in LEVERS:
        if settings[key] != LEVERS[key].default:
            return key
    return next(iter(LEVERS))


def _frame(curve: ResponseCurve) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "value": curve.values,
            "gain": curve.gain,
            "eirr": 100 * curve.eirr,
            "label": [fmt_setting(curve.key, v) for v in curve.values],
        }
    )


def curve_chart(curve: ResponseCurve, measure: str, title: str, y_title: str) -> alt.LayerChart:
    """One measure across the lever's range: the line, the current value, the kinks."""
    data = _frame(curve)
    x = alt.X("value:Q", title=t(f"lever.{curve.key}.label"), scale=alt.Scale(nice=False))
    tooltip = [
        alt.Tooltip("label:N", title=t(f"lever.{curve.key}.label")),
        alt.Tooltip(f"{measure}:Q", title=y_title, format=",.1f"),
    ]
    line = (
        alt.Chart(data)
        .mark_line(color=CURVE_COLOR, point=alt.OverlayMarkDef(size=14, color=CURVE_COLOR))
        .encode(x=x, y=alt.Y(f"{measure}:Q", title=y_title), tooltip=tooltip)
    )
    here = data.iloc[[int(np.argmin(np.abs(curve.values - curve.current)))]]
    layers: list[alt.Chart] = [line]
    kinks = curve.kinks()
    if len(kinks):
        limits = pd.DataFrame({"value": kinks, "text": t("response.limit")})
        layers.append(
            alt.Chart(limits)
            .mark_rule(color=LIMIT_COLOR, strokeDash=[4, 3])
            .encode(x="value:Q", tooltip=alt.Tooltip("text:N", title=""))
        )
    layers += [
        alt.Chart(here).mark_rule(color=MARK_COLOR).encode(x="value:Q"),
        alt.Chart(here)
        .mark_point(color=MARK_COLOR, filled=True, size=90)
        .encode(x="value:Q", y=f"{measure}:Q", tooltip=tooltip),
    ]
    return alt.layer(*layers).properties(
        title=charts.title_params(title, 14),
        height=240,
        autosize=alt.AutoSizeParams(type="fit-x", contains="padding"),
    )


def glance_chart(all_curves: dict[str, ResponseCurve], y_title: str) -> alt.FacetChart:
    """Every setting's GRP-gain curve, one small panel each, current value marked."""
    rows = []
    for key, c in all_curves.items():
        label = t(f"lever.{key}.label")
        here = int(np.argmin(np.abs(c.values - c.current)))
        rows += [
            {"lever": label, "value": v, "gain": g, "here": i == here}
            for i, (v, g) in enumerate(zip(c.values, c.gain, strict=True))
        ]
    data = pd.DataFrame(rows)
    base = alt.Chart(data).encode(
        x=alt.X("value:Q", title=None, scale=alt.Scale(nice=False)),
        y=alt.Y("gain:Q", title=y_title),
    )
    line = base.mark_line(color=CURVE_COLOR)
    mark = base.transform_filter("datum.here").mark_point(color=MARK_COLOR, filled=True, size=50)
    return (
        alt.layer(line, mark, data=data)
        .properties(width=170, height=110)
        .facet(facet=alt.Facet("lever:N", title=None, sort=None), columns=3)
        .resolve_scale(x="independent")
    )


def tab(settings: Settings, year: int) -> None:
    """The tab's body."""
    options = list(ALL_SETTINGS)
    if st.session_state.get(keys.RESPONSE_LEVER) not in options:
        st.session_state[keys.RESPONSE_LEVER] = _default_lever(settings)
    key = st.selectbox(
        t("response.lever"),
        options,
        format_func=lambda k: t(f"lever.{k}.label"),
        key=keys.RESPONSE_LEVER,
    )
    eff = settings.effective.key
    curve = curves(eff, (key,), year, None)[key]
    st.caption(
        t(
            "response.caption",
            year=year,
            n=fmt_num(len(curve.values)),
            current=fmt_setting(key, curve.current),
        )
    )
    gain_title = t("response.gain_y", year=year)
    left, right = st.columns(2)
    with left, st.container(key="response_gain"):
        figures.show(curve_chart(curve, "gain", t("response.gain_title"), gain_title), "resp_gain")
    with right, st.container(key="response_eirr"):
        figures.show(
            curve_chart(curve, "eirr", t("response.eirr_title"), t("response.eirr_y")),
            "resp_eirr",
        )
    if len(curve.kinks()):
        st.caption(
            t("response.limit_note", values=", ".join(fmt_setting(key, v) for v in curve.kinks()))
        )
    with st.expander(t("response.glance"), icon=":material/grid_view:"):
        st.caption(t("response.glance_caption", n=GLANCE_POINTS))
        every = curves(eff, tuple(options), year, GLANCE_POINTS)
        with st.container(key="response_glance"):
            figures.show(glance_chart(every, gain_title), "resp_glance")
