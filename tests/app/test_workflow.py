"""The planner's workflow, headless: a changed preset is named as what it now is."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from scenarios import preset
from ui.i18n import translate

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 60


def no_exception(at: AppTest) -> None:
    assert not at.exception, f"the app raised: {[e.message for e in at.exception]}"


def test_a_changed_preset_is_named_as_derived_and_loses_its_description() -> None:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT).run()
    at.selectbox(key="preset_pick").set_value("forum_2013").run()
    no_exception(at)
    name = translate("en", "preset.forum_2013.name")
    assert any(name in c.value for c in at.caption), "the preset is not named after picking it"
    assert at.expander, "a picked preset shows what it is"
    at.slider(key="infrastructure_spend").set_value(2500.0).run()
    no_exception(at)
    label = translate("en", "lever.infrastructure_spend.label")
    derived = translate("en", "scenario.derived", name=name, changes=f"{label} 2,500")
    assert any(derived in c.value for c in at.caption), [c.value for c in at.caption][:3]
    # the preset's description (1,850 million som a year) would contradict the levers now
    assert not any(translate("en", "scenario.about_preset") in e.label for e in at.expander)
    # moving the lever back restores the preset's own name and description
    at.slider(key="infrastructure_spend").set_value(
        preset("forum_2013").to_settings()["infrastructure_spend"]).run()
    assert not any(derived in c.value for c in at.caption)
    assert any(translate("en", "scenario.about_preset") in e.label for e in at.expander)
