"""Compare up to four scenarios: the current one, pinned ones, presets, uploaded files."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from model import ALL_SETTINGS, DEFAULT_RATE
from scenarios import PRESET_IDS, preset
from scenarios.settings import Settings
from ui import charts, compute, districts, figures, keys, plain, state
from ui.exports import SETTING_ORDER, setting_label
from ui.i18n import current_lang, fmt_num, fmt_setting, t
from ui.pages.scenario import MEASURES, pin_box, pinned
from ui.results import (
    DEFAULT_KPI_YEAR,
    KPI_YEARS,
    YEARLY_KPIS,
    fmt_appraisal,
    kpi_change,
    long_series,
    recorded_for,
    value_at,
)

MAX_COMPARED = 4
SELECTION = keys.COMPARE_SELECTION


def current_label(settings: Settings) -> str:
    """The current scenario's name: "Current levers", with the preset's name when the
    levers are exactly a preset's."""
    match = state.matching_preset(settings)
    return (
        t("compare.current_preset", name=t(f"preset.{match}.name"))
        if match
        else t("compare.current")
    )


def _options() -> dict[str, tuple[str, dict[str, float]]]:
    """Option id -> (label, settings). Ids: current, pin:<name>, file:<name>, preset:<id>."""
    opts: dict[str, tuple[str, dict[str, float]]] = {
        "current": (current_label(state.current()), state.current())
    }
    for name, settings in pinned().items():
        opts[f"pin:{name}"] = (t("compare.pinned_label", name=plain.text(name)), settings)
    for name, settings in st.session_state.get(keys.UPLOADED, {}).items():
        opts[f"file:{name}"] = (t("compare.file_label", name=plain.text(name)), settings)
    for pid in PRESET_IDS:
        if pid != "baseline":
            opts[f"preset:{pid}"] = (
                t("compare.preset_label", name=t(f"preset.{pid}.name")),
                preset(pid).to_settings(),
            )
    return opts


def _remember() -> None:
    st.session_state[SELECTION] = list(st.session_state.get(keys.COMPARE_PICK, []))


def _keep_choice_when_relabelled(label: str) -> None:
    """The browser keeps a multiselect's choice as option labels (see
    :data:`ui.i18n.TRANSLATED_CHOICES`): when the current scenario's label changes (a
    preset picked, a lever moved off a preset), the old label would match no option and
    the choice would be cleared. Writing the choice back before the widget is drawn
    sends it to the browser with the new labels."""
    ss = st.session_state
    if ss.get(keys.COMPARE_CURRENT_LABEL) != label:
        if keys.COMPARE_PICK in ss:
            ss[keys.COMPARE_PICK] = ss[keys.COMPARE_PICK]
        ss[keys.COMPARE_CURRENT_LABEL] = label


def page() -> None:
    st.title(t("compare.title"))
    st.caption(t("compare.intro"))
    opts = _options()
    _keep_choice_when_relabelled(opts["current"][0])
    saved = [o for o in st.session_state.get(SELECTION, []) if o in opts]
    default = saved or ["current", *[o for o in opts if o.startswith(("pin:", "file:"))]]
    chosen = st.multiselect(
        t("compare.choose"),
        list(opts),
        default=default[:MAX_COMPARED],
        key=keys.COMPARE_PICK,
        format_func=lambda o: opts[o][0] if o in opts else o,
        max_selections=MAX_COMPARED,
        on_change=_remember,
        help=t("compare.choose_help"),
    )
    chosen = [o for o in chosen if o in opts][:MAX_COMPARED]
    with st.expander(t("compare.pin_title"), icon=":material/push_pin:"):
        pin_box(state.current(), "pin_button_compare")
        for name in list(pinned()):
            st.button(
                t("compare.unpin", name=plain.code(name)),
                key=f"unpin_{name}",
                on_click=_unpin,
                args=(name,),
                icon=":material/close:",
            )
    if not chosen:
        st.info(t("compare.empty"))
        return

    labels = [opts[o][0] for o in chosen]
    # Table headers and headings render Markdown: names from files and pins as code.
    heads = [
        plain.code(lab, 160) if o.startswith(("pin:", "file:")) else lab
        for o, lab in zip(chosen, labels, strict=True)
    ]
    results = compute.run_many(
        tuple(Settings.from_mapping(opts[o][1]).effective.key for o in chosen)
    )

    measure = (
        st.segmented_control(
            t("chart.grp.measure"),
            MEASURES,
            default="grp",
            key="compare_measure",
            format_func=lambda m: t(f"chart.grp.measure_{m}"),
            required=True,
        )
        or "grp"
    )
    f0 = results[0].frame
    base, rec = t("series.baseline"), t("series.recorded")
    colors = {base: charts.BASELINE_COLOR}
    others = iter(charts.OTHER_COLORS)
    for oid, label in zip(chosen, labels, strict=True):
        colors[label] = charts.SCENARIO_COLOR if oid == "current" else next(others)
    colors[rec] = charts.RECORDED_COLOR
    pairs = [(base, f0["year"], f0[f"base_{measure}"])]
    pairs += [
        (lab, r.frame["year"], r.frame[measure]) for lab, r in zip(labels, results, strict=True)
    ]
    long = long_series(pairs)
    hist = recorded_for(measure, f0["base_population"], f0["year"]).assign(series=rec)
    long = pd.concat([long, hist], ignore_index=True)
    figures.show(
        charts.line_chart(
            long,
            title=t(f"chart.grp.title_{measure}"),
            x_title=t("chart.year"),
            y_title=t(f"chart.grp.y_{measure}"),
            series_title=t("chart.series"),
            colors=colors,
            dashed=[base],
            points=[rec],
        ),
        key="chart_compare",
    )

    year = int(
        st.selectbox(
            t("compare.year"),
            KPI_YEARS,
            index=KPI_YEARS.index(DEFAULT_KPI_YEAR),
            key="compare_year",
            help=t("compare.year_help"),
        )
    )
    st.subheader(t("compare.vs_baseline", year=year))
    st.table(_vs_baseline(heads, results, year))
    st.caption(t("compare.brackets_baseline", year=year))
    if len(chosen) > 1:
        ref = st.selectbox(
            t("compare.reference"),
            range(len(labels)),
            format_func=lambda i: labels[i],
            key="compare_ref",
        )
        st.subheader(t("compare.vs_reference", name=heads[ref], year=year))
        st.table(_vs_reference(heads, results, year, ref))
        st.caption(t("compare.brackets_reference", name=heads[ref], year=year))
    st.subheader(t("compare.settings_title"))
    st.table(settings_table(heads, [opts[o][1] for o in chosen]))


def _unpin(name: str) -> None:
    pinned().pop(name, None)


def _kpi_rows() -> list[tuple[str, int]]:
    return [(k.id, k.digits) for k in YEARLY_KPIS]


def cell(value: float, ref: float, digits: int) -> str:
    """A value with its change against ``ref`` in brackets (``32,029 [+1,234 (+4.0 %)]``);
    the value alone when the change, as shown, is zero."""
    shown = fmt_num(value, digits)
    if round(value - ref, digits) == 0:
        return shown
    return f"{shown} [{kpi_change(value, ref, digits)}]"


def _vs_baseline(labels: list[str], results: list[compute.Result], year: int) -> pd.DataFrame:
    rows = []
    for kid, digits in _kpi_rows():
        base = value_at(results[0], kid, year)[1]
        row = {
            t("compare.indicator"): t(f"kpi.{kid}", year=year),
            t("series.baseline"): fmt_num(base, digits),
        }
        for lab, r in zip(labels, results, strict=True):
            row[lab] = cell(value_at(r, kid, year)[0], base, digits)
        rows.append(row)
    rows += [
        _appraisal_row(key, kind, labels, results, with_baseline=True)
        for key, kind in APPRAISAL_ROWS
    ]
    return pd.DataFrame(rows).set_index(t("compare.indicator"))


#: The appraisal figures of both tables: (summary key, kind of number).
APPRAISAL_ROWS = (("bcr", "ratio"), ("npv", "money"), ("eirr", "pct"))


def _appraisal_row(
    key: str,
    kind: str,
    labels: list[str],
    results: list[compute.Result],
    with_baseline: bool = False,
) -> dict:
    """One appraisal figure (at 6%) per scenario; the baseline has no programme."""
    na = t("common.na")
    row = {t("compare.indicator"): t(f"appraisal.{key}_6")}
    if with_baseline:
        row[t("series.baseline")] = na
    for lab, r in zip(labels, results, strict=True):
        row[lab] = fmt_appraisal(kind, r.appraisal[DEFAULT_RATE][key], fmt_num, na)
    return row


def _vs_reference(
    labels: list[str], results: list[compute.Result], year: int, ref: int
) -> pd.DataFrame:
    rows = []
    for kid, digits in _kpi_rows():
        ref_value = value_at(results[ref], kid, year)[0]
        row = {t("compare.indicator"): t(f"kpi.{kid}", year=year)}
        for i, (lab, r) in enumerate(zip(labels, results, strict=True)):
            value = value_at(r, kid, year)[0]
            row[lab] = fmt_num(value, digits) if i == ref else cell(value, ref_value, digits)
        rows.append(row)
    rows += [_appraisal_row(key, kind, labels, results) for key, kind in APPRAISAL_ROWS]
    return pd.DataFrame(rows).set_index(t("compare.indicator"))


def settings_table(labels: list[str], settings: list[Mapping[str, float]]) -> pd.DataFrame:
    """Every setting of each compared scenario (rows: the sidebar's settings with their
    units; columns: the baseline and the scenarios), in the planner's number format."""
    lang = current_lang()
    rows = []
    for key in SETTING_ORDER:
        spec = ALL_SETTINGS[key]
        row = {
            t("compare.setting"): setting_label(key, lang),
            t("series.baseline"): fmt_setting(key, spec.default),
        }
        for lab, s in zip(labels, settings, strict=True):
            row[lab] = fmt_setting(key, float(s.get(key, spec.default)))
        rows.append(row)
    # where the levers go and each basin's water (the districts page): one row, when any
    # compared scenario places a lever or sets a basin
    where = [districts.placement_lines(s) for s in settings]
    if any(where):
        row = {t("compare.setting"): t("page.districts"), t("series.baseline"): "–"}
        for lab, lines in zip(labels, where, strict=True):
            row[lab] = "; ".join(lines) or t("districts.mode_rule")
        rows.append(row)
    return pd.DataFrame(rows).set_index(t("compare.setting"))
