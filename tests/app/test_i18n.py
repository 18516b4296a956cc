"""Three languages: catalog parity, every page in every language, the same numbers."""

from __future__ import annotations

import re

import pytest

from tests.app.conftest import goto, new_app, no_exception
from ui.i18n import (
    DEFAULT_LANG,
    available_languages,
    catalog,
    catalog_files,
    fmt_num,
    lang_from_locale,
    parse_num,
    translate,
)
from ui.nav import PAGE_IDS

LANGS = ("en", "ru", "ky")
PLACEHOLDER = re.compile(r"\{(\w*)\}")
RAW_KEY = re.compile(r"^[a-z_]+(\.[a-z0-9_]+)+$")


def test_the_three_languages_exist() -> None:
    assert set(LANGS) <= set(available_languages())
    for lang in LANGS:
        assert catalog_files(lang)[0].name == f"{lang}.toml"


@pytest.mark.parametrize("lang", [lang for lang in LANGS if lang != DEFAULT_LANG])
def test_catalogs_have_the_same_keys_and_placeholders(lang: str) -> None:
    en, other = catalog(DEFAULT_LANG), catalog(lang)
    assert sorted(set(en) - set(other)) == [], f"{lang}: keys missing"
    assert sorted(set(other) - set(en)) == [], f"{lang}: keys not in English"
    wrong = [k for k in en if set(PLACEHOLDER.findall(en[k])) != set(PLACEHOLDER.findall(other[k]))]
    assert wrong == [], f"{lang}: placeholders differ from English in {wrong}"


@pytest.mark.parametrize("lang", LANGS)
def test_no_empty_value(lang: str) -> None:
    empty = [k for k, v in catalog(lang).items() if v == ""]
    assert empty == [], f"{lang}: empty values {empty}"


def test_number_format_per_language() -> None:
    assert fmt_num(1234.5, 1, lang="en") == "1,234.5"
    assert fmt_num(1234.5, 1, lang="ru") == "1\u00a0234,5"
    assert fmt_num(1234.5, 1, lang="ky") == "1\u00a0234,5"
    for lang in LANGS:
        assert parse_num(fmt_num(-98765.43, 2, lang=lang), lang) == -98765.43


@pytest.mark.parametrize(
    "locale,lang",
    [
        ("ru-RU", "ru"),
        ("ru", "ru"),
        ("ky-KG", "ky"),
        ("ky", "ky"),
        ("en-US", "en"),
        ("de-DE", "en"),
        ("", "en"),
        (None, "en"),
        ("uz_UZ", "en"),
    ],
)
def test_browser_locale_picks_the_language(locale: str | None, lang: str) -> None:
    assert lang_from_locale(locale) == lang


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_renders_in_every_language(lang: str) -> None:
    # A fresh session per page: AppTest re-reads the last page's widgets with their
    # format_func outside the script run, where the language is unknown.
    for page_id in PAGE_IDS:
        at = goto(new_app(lang=lang), page_id)
        no_exception(at)
        assert at.title, f"{lang}/{page_id}: no title"
        assert not RAW_KEY.match(at.title[0].value), f"{lang}/{page_id}: raw key as title"
        assert at.selectbox(key="lang").value == lang, f"{lang}/{page_id}: language lost"
        # the first lever group's title shows the sidebar is really in that language
        assert at.sidebar.expander[0].label == translate(lang, "group.roads"), f"{lang}/{page_id}"
        assert at.query_params["lang"] == [lang] or at.query_params["lang"] == lang


def _kpis(at) -> list[float]:
    """The KPI card values, parsed back from the active language's number format."""
    lang = at.selectbox(key="lang").value
    return [parse_num(m.value, lang) for m in at.metric]


def test_lang_ru_link_gives_the_same_kpis_as_english() -> None:
    levers = {
        "infrastructure_spend": "1500",
        "sme_support": "100",
        "water_availability": "85",
        "start_year": "2027",
    }
    en = new_app(lang="en", **levers)
    ru = new_app(lang="ru", **levers)
    no_exception(en)
    no_exception(ru)
    assert ru.title[0].value == translate("ru", "scenario.title"), "the link did not open in ru"
    en_values, ru_values = _kpis(en), _kpis(ru)
    assert len(en_values) >= 6
    assert ru_values == pytest.approx(en_values)
    assert any("\u00a0" in m.value for m in ru.metric), "no Russian thousands separator"


def test_switching_language_keeps_levers_and_numbers() -> None:
    at = new_app(infrastructure_spend="1000")
    before = _kpis(at)
    at.selectbox(key="lang").set_value("ky").run()
    no_exception(at)
    assert at.title[0].value == translate("ky", "scenario.title"), "the page is not in Kyrgyz"
    assert at.slider(key="infrastructure_spend").value == 1000
    assert _kpis(at) == pytest.approx(before)
    assert at.query_params["lang"] in ("ky", ["ky"])


@pytest.mark.parametrize("lang", LANGS)
def test_share_link_carries_the_language(lang: str) -> None:
    at = new_app(lang=lang, road_maintenance="30")
    link = " ".join(c.value for c in at.code)
    assert f"lang={lang}" in link and "road_maintenance=30" in link and "v=" in link


@pytest.mark.parametrize("lang", ["ru", "ky"])
def test_a_picked_preset_is_named_and_described_in_the_planners_language(
    lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ui.i18n

    at = new_app(lang=lang)
    # AppTest formats the option in the test process, outside any session: give that
    # formatting the app's language so it finds the translated label.
    with monkeypatch.context() as m:
        m.setattr(ui.i18n, "current_lang", lambda: lang)
        at.selectbox(key="preset_pick").set_value("roads_first").run()
    no_exception(at)
    name = translate(lang, "preset.roads_first.name")
    assert any(name in c.value for c in at.caption), "the subtitle does not name the preset"
    texts = " ".join(x.value for x in at.text)
    assert translate(lang, "preset.roads_first.description")[:40] in texts
    assert translate("en", "preset.roads_first.name") not in texts, "the English name shows"


@pytest.mark.parametrize(("lang", "thousands"), [("en", ","), ("ru", "\u00a0"), ("ky", "\u00a0")])
def test_chart_axes_use_the_languages_number_format(lang: str, thousands: str) -> None:
    """Charts carry the language's d3 number locale (42 000 in ru/ky, 42,000 in en)."""
    import json

    at = new_app(lang=lang)
    no_exception(at)
    charts = list(at.main.get("vega_lite_chart"))
    assert charts, "no chart on the scenario page"
    spec = json.loads(charts[0].proto.spec)
    assert spec["config"]["locale"]["number"]["thousands"] == thousands, spec.get("config")


@pytest.mark.parametrize("lang", ["ru", "ky"])
def test_every_parameters_meaning_is_in_the_planners_language(lang: str) -> None:
    """The parameter table's "meaning" column (and the tornado's tooltip, which reads it)
    was English in ru and ky: each of the 85 parameters has its meaning translated,
    none copied from the English, no translation of a parameter that does not exist."""
    from model.parameters import parameter_table
    from ui.parameters import MEANING_FILES, frame, meaning

    english = {p.name: p.meaning for p in parameter_table()}
    path = MEANING_FILES / f"{lang}.toml"
    import tomllib

    written = tomllib.loads(path.read_text(encoding="utf-8"))["param_meaning"]
    assert sorted(written) == sorted(english), set(written) ^ set(english)
    for name, text in english.items():
        shown = meaning(name, text, lang)
        assert shown != text and re.search("[а-яөүңА-ЯӨҮҢ]", shown), (name, shown)
    column = frame(lang)[translate(lang, "about.col.meaning")]
    assert list(column) == [meaning(p.name, p.meaning, lang) for p in parameter_table()]
    assert meaning("grp_2023_mln_som", "as written", "en") == "as written"
