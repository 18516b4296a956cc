"""Lever state: keys, defaults, reading the current settings, presets and reset.

Widget keys are the setting keys of :data:`model.ALL_SETTINGS` (the scenario-file keys
and the share-link parameter names); never rename one. Programmatic changes (preset,
reset, file load) go through :func:`apply_settings`, called from widget callbacks so
that the values are in ``st.session_state`` before the sliders render; the URL binding
then updates the address bar.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from model import ALL_SETTINGS
from model.levers import EVERY_SETTING
from model.levers import YEAR_KEYS as MODEL_YEAR_KEYS
from scenarios import PRESET_IDS, Scenario, preset
from scenarios.settings import Settings
from ui import districts
from ui.i18n import fmt_setting, t
from ui.keys import CURRENT, HISTORY, META, ORIGIN, PRESET_PICK

#: Lever groups in sidebar order, from the lever table (``Setting.group``): each entry is
#: (group id, setting keys in table order).
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = tuple(
    (g, tuple(k for k, s in ALL_SETTINGS.items() if s.group == g))
    for g in dict.fromkeys(s.group for s in ALL_SETTINGS.values())
)

YEAR_KEYS = MODEL_YEAR_KEYS


def typed(key: str, value: float) -> float | int:
    """A setting value in the type its slider uses (int for years, float otherwise)."""
    return round(value) if key in YEAR_KEYS else float(value)


def default(key: str) -> float | int:
    """The default of a setting, typed for its slider."""
    return typed(key, ALL_SETTINGS[key].default)


def capture() -> Settings:
    """Read the levers into this rerun's :class:`Settings` and keep it for the pages.

    The sidebar calls this once, right after its sliders (so the values are this run's);
    every page then reads :func:`current`.
    """
    ss = st.session_state
    ss[CURRENT] = Settings.from_mapping(
        {
            **{k: float(ss.get(k, spec.default)) for k, spec in ALL_SETTINGS.items()},
            **districts.place_values(),  # where each lever goes (the districts page)
        }
    )
    return ss[CURRENT]


HISTORY_MAX = 50  # lever states kept for undo


def record(settings: Settings) -> None:
    """Remember ``settings`` for undo when they differ from the state undo would return
    to: one entry per planner action (a slider move, a preset, a file, a reset)."""
    ss = st.session_state
    states, pos = ss.get(HISTORY) or ([], -1)
    if pos >= 0 and states[pos][0] == settings:
        return
    # with its name and description, so an undone preset takes its name along
    entry = (settings, dict(get_meta()), ss.get(ORIGIN))
    states = [*states[: pos + 1], entry][-HISTORY_MAX:]
    ss[HISTORY] = (states, len(states) - 1)


def can_undo() -> bool:
    return (st.session_state.get(HISTORY) or ([], -1))[1] > 0


def can_redo() -> bool:
    states, pos = st.session_state.get(HISTORY) or ([], -1)
    return 0 <= pos < len(states) - 1


def _step(by: int) -> None:
    ss = st.session_state
    states, pos = ss.get(HISTORY) or ([], -1)
    if not 0 <= pos + by < len(states):
        return
    ss[HISTORY] = (states, pos + by)
    settings, meta, origin = states[pos + by]
    apply_settings(settings)
    ss[META], ss[ORIGIN] = dict(meta), origin


def undo() -> None:
    """Callback: back to the levers before the last change."""
    _step(-1)


def redo() -> None:
    """Callback: forward again after an undo."""
    _step(+1)


def current() -> Settings:
    """This rerun's settings (as the sidebar captured them)."""
    found = st.session_state.get(CURRENT)
    return found if isinstance(found, Settings) else capture()


def resync_bound_levers() -> None:
    """Work around a Streamlit 1.67 race: re-assert lever values the URL lost.

    When a planner switches page within a moment of the app loading, the browser can
    send the page switch without the bound query parameters; the server keeps the
    lever's value but the slider then shows its default and the address bar drops it,
    so the next interaction would silently reset the lever. Assigning the value again
    before the slider renders makes Streamlit send it to the browser and put it back
    in the URL (measured: 3 in 16 fast page switches lost a value before, 0 in 32
    after; the browser test ``test_a_page_switch_right_after_a_link_loads_keeps_its_levers``
    in tests/e2e/test_e2e_flows.py catches it). Must run before the sliders are created.
    """
    ss = st.session_state
    params = st.query_params
    for key in ALL_SETTINGS:
        if key in ss and key not in params and ss[key] != default(key):
            ss[key] = ss[key]


def apply_settings(settings: Mapping[str, float]) -> None:
    """Set every lever (missing keys to default). Call from a callback only."""
    for key, spec in ALL_SETTINGS.items():
        st.session_state[key] = typed(key, settings.get(key, spec.default))
    districts.apply_place(settings)


def _widget_settings() -> Settings:
    """The levers' values as they stand (also inside a callback, before the rerun)."""
    ss = st.session_state
    return Settings.from_mapping(
        {k: float(ss.get(k, spec.default)) for k, spec in ALL_SETTINGS.items()}
    )


def set_meta(origin: Mapping[str, float] | None = None, **meta: str | None) -> None:
    """Replace the scenario metadata (name, description, author, notes), describing
    ``origin`` (default: the levers as they stand)."""
    st.session_state[META] = {
        "name": meta.get("name") or "",
        "description": meta.get("description") or "",
        "author": meta.get("author") or "",
        "notes": meta.get("notes") or "",
    }
    st.session_state[ORIGIN] = (
        Settings.from_mapping(origin) if origin is not None else _widget_settings()
    )


def meta_for(settings: Settings) -> dict[str, str]:
    """The metadata that is true of ``settings``.

    A name and description describe the scenario they came with (a preset, a file, what
    the planner typed). Once a lever moves away from it, the scenario is another one:
    it is named as derived ("Batken-2013 forum plan, changed: Road construction 2,500")
    and carries no description its numbers would contradict.
    """
    meta = dict(get_meta())
    origin = st.session_state.get(ORIGIN)
    if not meta["name"] or not isinstance(origin, Settings):
        return meta
    new, old = settings.effective, origin.effective
    changed = [k for k in ALL_SETTINGS if new[k] != old[k]]
    if not changed:
        return meta
    shown = [f"{t(f'lever.{k}.label')} {fmt_setting(k, new[k])}" for k in changed[:3]]
    if len(changed) > 3:
        shown.append(t("scenario.more_changes", n=len(changed) - 3))
    return {
        **meta,
        "name": t("scenario.derived", name=meta["name"], changes=", ".join(shown)),
        "description": "",
        "notes": "",
    }


def get_meta() -> dict[str, str]:
    """Scenario metadata kept across pages. A session that opens on a preset's settings
    (a shared link of the forum plan) starts with that preset's name and description,
    as a pick from the preset list gives: the file it saves and the name it gets once
    changed ("forum plan, changed: ...") are the preset's, not "My scenario"."""
    if META not in st.session_state:
        opened = current()  # with where the levers go: a preset places them too
        pid = matching_preset(opened)
        if pid is None or pid == "baseline":
            set_meta()
        else:
            set_meta(opened, **_preset_meta(pid))
    return st.session_state[META]


def _preset_meta(pid: str) -> dict[str, str | None]:
    """A preset's metadata, name and description in the planner's language (the preset
    files hold English)."""
    scenario = preset(pid)
    return {
        "name": t(f"preset.{pid}.name"),
        "description": t(f"preset.{pid}.description"),
        "author": scenario.author,
        "notes": scenario.notes,
    }


def apply_scenario(scenario: Scenario) -> None:
    """Set the levers and metadata from a validated scenario. Call from a callback only."""
    apply_settings(scenario.to_settings())
    set_meta(
        scenario.to_settings(),
        name=scenario.name,
        description=scenario.description,
        author=scenario.author,
        notes=scenario.notes,
    )


def on_preset_pick() -> None:
    """Callback of the preset picker: apply the preset, then clear the picker."""
    pid = st.session_state.get(PRESET_PICK)
    if pid in PRESET_IDS:
        settings = preset(pid).to_settings()
        apply_settings(settings)
        set_meta(settings, **_preset_meta(pid))
    st.session_state[PRESET_PICK] = None


def reset_to_baseline() -> None:
    """Callback of "Reset to baseline": every setting to its default."""
    apply_settings({})
    set_meta({})


def matching_preset(settings: Mapping[str, float]) -> str | None:
    """The id of the preset whose settings equal these (end year as given), if any."""
    for pid in PRESET_IDS:
        p = preset(pid).to_settings()
        if all(  # where its levers go is part of a preset too
            abs(float(p.get(k, s.default)) - float(settings.get(k, s.default))) < 1e-9
            for k, s in EVERY_SETTING.items()
        ):
            return pid
    return None
