"""The "What each lever does" tab, run headless on its own (the scenario page draws it
only when the tab is open)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import TIMEOUT


def _tab(settings: dict, year: int, lang: str = "en", lever: str | None = None) -> AppTest:
    def script(settings: dict, year: int, lang: str, lever: str | None) -> None:
        import streamlit as st

        from scenarios.settings import Settings
        from ui import keys, response

        st.session_state[keys.LANG] = lang
        if lever:
            st.session_state.setdefault(keys.RESPONSE_LEVER, lever)
        response.tab(Settings.from_mapping(settings), year)

    at = AppTest.from_function(script, args=(settings, year, lang, lever), default_timeout=TIMEOUT)
    return at.run()


def test_the_tab_shows_the_chosen_levers_curve_and_names_the_limit() -> None:
    at = _tab({"irrigation_new_ha": 5000}, 2040)
    assert not at.exception, [e.message for e in at.exception]
    assert at.selectbox[0].value == "irrigation_new_ha", "default: the lever the scenario uses"
    captions = " ".join(c.value for c in at.caption)
    assert "51" in captions, "the caption must say how many points the curve has"
    assert "2,100" in captions, f"the water cap's kink is not named: {captions}"


def test_in_russian_and_for_another_lever() -> None:
    at = _tab({"infrastructure_spend": 1500}, 2035, lang="ru", lever="sme_support")
    assert not at.exception, [e.message for e in at.exception]
    assert at.selectbox[0].value == "sme_support"
    captions = " ".join(c.value for c in at.caption)
    assert "ВРП в 2035 году" in captions and "101" in captions, captions
