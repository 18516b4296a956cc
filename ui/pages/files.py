"""Scenario files: edit the name and notes, download, upload to load or to compare.

Names, descriptions and file names from an upload are shown as text (:mod:`ui.plain`).
An upload of more than :data:`ui.files.MAX_UPLOAD_FILES` files is refused whole: the
files leave the server's memory and the upload widget starts empty again.
"""

from __future__ import annotations

import contextlib

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from model import ALL_SETTINGS
from scenarios import MAX_FILE_BYTES, Scenario
from scenarios.settings import Settings
from ui import districts, keys, plain, state
from ui.files import MAX_UPLOAD_FILES, Upload, file_stem, forget_uploads, read_upload, scenario_text
from ui.i18n import fmt_num, fmt_setting, t

META_FIELDS = ("name", "description", "author", "notes")
UPLOAD_GENERATION = keys.UPLOAD_GENERATION
UPLOAD_REFUSED = keys.UPLOAD_REFUSED


def _meta_changed(field: str) -> None:
    """Callback of a form field: what the form shows, with the typed field, becomes the
    metadata of the levers as they stand."""
    meta = state.meta_for(state.current())
    meta[field] = st.session_state.get(f"meta_{field}", "")
    state.set_meta(**meta)


def _apply(scenario: Scenario, file_name: str) -> None:
    state.apply_scenario(scenario)
    st.session_state[keys.FLASH] = t(
        "files.applied", name=plain.code(scenario.name), file=plain.code(file_name)
    )


def _add_to_compare(scenario: Scenario, file_name: str) -> None:
    uploaded = st.session_state.setdefault(keys.UPLOADED, {})
    uploaded[scenario.name] = scenario.to_settings()
    st.session_state[keys.FLASH] = t("files.added", name=plain.code(scenario.name))


def _upload_key() -> str:
    generation = st.session_state.get(UPLOAD_GENERATION, 0)
    return "upload" if generation == 0 else f"upload_{generation}"


def _refuse_upload(files: list) -> None:
    """Too many files: free them on the server and give the widget a fresh key."""
    ctx = get_script_run_ctx()
    for f in files:
        with contextlib.suppress(Exception):  # the files are Streamlit's; best effort
            ctx.uploaded_file_mgr.remove_file(ctx.session_id, f.file_id)
    ss = st.session_state
    ss[UPLOAD_REFUSED] = len(files)
    ss[UPLOAD_GENERATION] = ss.get(UPLOAD_GENERATION, 0) + 1
    st.rerun()


def sync_meta_form(settings: Settings) -> None:
    """Put the current scenario's metadata (:func:`ui.state.meta_for`: as the Scenario
    page and the brief name it) into the form's fields.

    A keyed text field keeps what it last showed, whatever ``value=`` says; so when the
    metadata changed elsewhere (a file applied, a preset picked, "Reset to baseline", a
    goal-seek mix applied, a lever moved off a preset) the fields would still show the
    old scenario. Writing the metadata into the fields' state before they are drawn
    makes them show it; what the planner typed is already in the metadata (``_meta_changed``).
    """
    meta = state.meta_for(settings)
    ss = st.session_state
    for field in META_FIELDS:
        key = f"meta_{field}"
        if ss.get(key) != meta[field]:
            ss[key] = meta[field]


def page() -> None:
    st.title(t("files.title"))
    st.caption(t("files.intro"))
    settings = state.current()
    sync_meta_form(settings)

    st.subheader(t("files.save_title"))
    with st.container(key="meta_form"):
        st.text_input(
            t("files.meta_name"),
            key="meta_name",
            max_chars=120,
            placeholder=t("files.default_name"),
            on_change=_meta_changed,
            args=("name",),
        )
        st.text_area(
            t("files.meta_description"),
            key="meta_description",
            max_chars=4000,
            height=100,
            on_change=_meta_changed,
            args=("description",),
        )
        st.text_input(
            t("files.meta_author"),
            key="meta_author",
            max_chars=120,
            on_change=_meta_changed,
            args=("author",),
        )
        st.text_area(
            t("files.meta_notes"),
            key="meta_notes",
            max_chars=20000,
            height=100,
            on_change=_meta_changed,
            args=("notes",),
        )
    meta = state.meta_for(settings)
    stem = file_stem(meta["name"] or t("files.default_name"))
    cols = st.columns(2)
    for col, fmt in zip(cols, ("toml", "json"), strict=True):
        text, error = scenario_text(settings, meta, fmt)
        with col:
            if error:
                st.error(error)
            else:
                st.download_button(
                    t(f"files.download_{fmt}"),
                    data=text,
                    file_name=f"{stem}.{fmt}",
                    mime="application/toml" if fmt == "toml" else "application/json",
                    key=f"download_{fmt}",
                    icon=":material/download:",
                    on_click="ignore",
                    width="stretch",
                )
    st.caption(t("files.save_help"))

    st.subheader(t("files.load_title"))
    files = (
        st.file_uploader(
            t("files.upload"),
            type=["toml", "json"],
            accept_multiple_files=True,
            key=_upload_key(),
            help=t("files.upload_help", max_kb=MAX_FILE_BYTES // 1024),
        )
        or []
    )
    # Streamlit's own limits line is English and names its server limit (1 MB), not the
    # scenario file's: ui.builtin_text hides it, and this caption says it.
    st.caption(
        t(
            "builtin.upload_limits",
            max_kb=fmt_num(MAX_FILE_BYTES // 1024),
            max=fmt_num(MAX_UPLOAD_FILES),
        )
    )
    if len(files) > MAX_UPLOAD_FILES:
        _refuse_upload(files)
    if files:
        st.session_state.pop(UPLOAD_REFUSED, None)
    elif refused := st.session_state.get(UPLOAD_REFUSED):
        with st.container(key="upload_refused"):
            st.error(
                t("files.too_many", n=fmt_num(refused), max=MAX_UPLOAD_FILES),
                icon=":material/error:",
            )
    forget_uploads([f.file_id for f in files])
    for i, f in enumerate(files):
        _show_upload(i, read_upload(f.name, f.getvalue(), f.file_id))


def _preview(scn: Scenario) -> None:
    """What applying the file would change: its settings that differ from the levers now,
    each beside the current value (nothing is applied until the planner says so)."""
    theirs, mine = Settings.from_mapping(scn.to_settings()), state.current()
    changed = [k for k in ALL_SETTINGS if theirs[k] != mine[k]]
    if not changed:
        st.caption(t("files.preview_same"))
        return
    st.caption(t("files.preview_title"))
    st.table(
        {
            t("files.preview_lever"): [
                f"{t(f'lever.{k}.label')} ({t(f'unit.{k}')})" for k in changed
            ],
            t("files.preview_now"): [fmt_setting(k, mine[k]) for k in changed],
            t("files.preview_file"): [fmt_setting(k, theirs[k]) for k in changed],
        }
    )


def _show_upload(i: int, up: Upload) -> None:
    with st.container(border=True, key=f"upload_{i}"):
        if up.scenario is None:
            st.error(
                t("files.refused", file=plain.code(up.file_name), message=up.error),
                icon=":material/error:",
            )
            st.caption(t("files.refused_help"))
            return
        scn = up.scenario
        # Text from the file: plain text, never Markdown.
        st.text(f"{plain.text(scn.name, 120)} · {plain.text(up.file_name)}")
        if scn.description:
            st.text(plain.text(scn.description, 300))
        if scn.upgrade_note():  # an older file: spread by the rules, every basin normal
            st.info(t("districts.old_file", version=scn.schema_version), icon=":material/info:")
        _preview(scn)
        for line in districts.placement_lines(scn.to_settings()):
            st.caption(line)
        cols = st.columns(2)
        cols[0].button(
            t("files.apply"),
            key=f"apply_{i}",
            on_click=_apply,
            args=(scn, up.file_name),
            icon=":material/input:",
            type="primary",
            width="stretch",
        )
        cols[1].button(
            t("files.add_compare"),
            key=f"compare_{i}",
            on_click=_add_to_compare,
            args=(scn, up.file_name),
            icon=":material/compare_arrows:",
            width="stretch",
        )
