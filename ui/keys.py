"""Every ``st.session_state`` key the dashboard uses, in one place.

Widget keys of the levers are the setting keys of :data:`model.ALL_SETTINGS` (also the
scenario-file keys and the share-link parameter names) and are not repeated here. Every
other key, of a widget or of the session's own memory, is a constant below; modules
import the constant, never spell the string.
"""

from __future__ import annotations

# --- widgets (their key is also where Streamlit keeps their value) -------------------
LANG = "lang"  # language code ("ky", "ru", "en"); the selector
PRESET_PICK = "preset_pick"  # preset selectbox (reset to None after applying)
BUDGET = "budget"  # budget envelope, mln som (a number; kept in the link)
BUDGET_TEXT = "budget_text"  # what the planner typed in the budget box
BUDGET_ERROR = "budget_error"  # why the typed budget was refused (None if it was not)
YEAR = "year"  # KPI year of the scenario page (bound to the link)
REFERENCE = "reference"  # what the cards' arrows compare against
PIN_NAME = "pin_name"  # name typed for a pinned scenario
GRP_MEASURE = "measure"  # GRP chart: total or per person (bound to the link)
RESULT_TAB = "result_tab"  # the scenario page's open section (GRP, sectors, ...)
BANDS = "bands"  # GRP chart: uncertainty bands on (bound to the link)
LIVE_STARTED = "live_started"  # this session has had its first scenario-page run
LIVE = "live_layer"  # the script that makes the cards follow a dragged lever (ui.live)
RESPONSE_LEVER = "response_lever"  # the lever whose response curve the Response tab shows
COMPARE_PICK = "compare_pick"  # the compare page's multiselect
GOAL_BUDGET = "goal_budget"  # goal-seek budget as typed (text, planner's format)
GOAL_TARGET = "goal_target"  # goal-seek GRP-per-person target as typed

# --- the session's memory --------------------------------------------------------------
CURRENT = "current_settings"  # this rerun's Settings (ui.state.capture)
HISTORY = "settings_history"  # (list of Settings, position): undo and redo
PINNED = "pinned_scenarios"  # {name: settings}
UPLOADED = "uploaded_scenarios"  # {name: settings} added to the compare set
META = "scenario_meta"  # {"name", "description", "author", "notes"}
ORIGIN = "scenario_origin"  # the Settings the metadata describes (a preset, a file)
FLASH = "flash"  # a one-time message shown on the next run
LAST_RUN = "_last_run"  # (settings, Result) of the latest model call
UPLOAD_DIGESTS = "_upload_digests"  # {upload id: content hash} parsed this session
UPLOAD_GENERATION = "upload_generation"  # bumped to give the upload widget a fresh key
UPLOAD_REFUSED = "upload_refused"  # how many files the last refused upload held
COMPARE_SELECTION = "compare_selection"  # copy of the multiselect (survives page switches)
GOAL_APPLIED = "goal_applied"  # (tag, settings) of the last applied optimised mix
GOAL_BEST = "goal_best"  # {"key": inputs, "mix": MixResult}
GOAL_CHEAP = "goal_cheap"  # the same for the cheapest mix
GOAL_BUDGET_VALUE = "goal_budget_value"  # the goal-seek budget, mln som (a number)
GOAL_BUDGET_ERROR = "goal_budget_error"  # why the typed budget was refused (None if not)
GOAL_BUDGET_FROM = "goal_budget_from"  # the sidebar envelope the budget was last filled from
GOAL_TARGET_VALUE = "goal_target_value"  # the GRP-per-person target, som (a number)
GOAL_TARGET_ERROR = "goal_target_error"  # why the typed target was refused (None if not)
COMPARE_CURRENT_LABEL = "compare_current_label"  # last label of the current scenario

# --- what the opening link carried (ui.links) -------------------------------------------
LINK_CHECKED = "link_checked"  # the URL was checked on this session's first run
LINK_WARNINGS = "link_warnings"  # [(key, raw value)] refused from the link
LINK_VERSION = "link_version"  # the v= of the opening link (None if absent)
LINK_REPEATED = "link_repeated"  # {key: how many times the link gives it}
LINK_BAD_PAGE = "link_bad_page"  # a page path the dashboard does not have
LINK_DROPPED = "link_dropped"  # {"fields", "chars"} of a link Streamlit dropped
LINK_SIZE_RUNS = "link_size_runs"  # runs that carried the link-size check
LINK_FORCE_DEFAULTS = "link_force_defaults"  # refused levers to set to default next run
LINK_ENFORCED = "link_enforced"  # the one rerun that forces those defaults happened
LINK_BAD_PINS = "link_bad_pins"  # the link's pinned scenarios could not be read

# --- workshop rooms (ui.workshop, ui/pages/workshop.py) -----------------------------------
WORKSHOP_SEAT = "workshop_seat"  # ui.workshop.Seat: this session's room and role
WORKSHOP_SAVED = "workshop_saved"  # (settings, time) a participant last saved to the room
WORKSHOP_STATUS = "workshop_status"  # why the last autosave was refused (None if it was not)
WORKSHOP_ERROR = "workshop_error"  # a refused room action, said on the next run
WORKSHOP_CHECKED = "workshop_checked"  # the room link this session already looked up
WORKSHOP_CODE = "workshop_code"  # the join form's typed code
WORKSHOP_NAME = "workshop_name"  # a participant's display name as typed
WORKSHOP_RATIONALE = "workshop_rationale"  # a participant's one-line rationale as typed
WORKSHOP_TITLE = "workshop_title"  # the create form: room title
WORKSHOP_DAYS = "workshop_days"  # the create form: days until the room expires
WORKSHOP_SPREAD = "workshop_spread"  # the create form / facilitator: participants see spread
WORKSHOP_PICK = "workshop_pick"  # the facilitator's "show this one" choice
WORKSHOP_MEASURE = "workshop_measure"  # the facilitator's scatter: GRP or jobs
WORKSHOP_DELETE = "workshop_delete"  # the facilitator confirmed deleting the room
WORKSHOP_ADOPTED = "workshop_adopted"  # the participant link tried on another page
WORKSHOP_CONFLICT = "workshop_conflict"  # the room holds another scenario than these levers
HISTORY_MOUNTED = "history_mounted"  # the history rule was sent to this session's page
HISTORY_FIRST_RUN = "history_first_run"  # this run is the session's first (rule not yet in)
