"""Live while dragging: the cards, the headline and the GRP chart follow a lever's thumb.

Streamlit sends a slider's value only when the planner lets go, and the page then takes
a script run to settle. So that the numbers move with the pointer, each run of the
scenario page also gets every setting's **step table**: the scenario with that one
setting at each of its slider steps, the others as they are (694 scenarios in one
vectorised model call, :func:`model.sweep.step_points`, ~15 ms), computed in a worker
process on the other core (:mod:`ui.live_worker`) once the page is drawn. A small script
(a components-v2 component, no visible element of its own) watches the sliders: while
one moves it looks up the thumb's step and writes the exact model values into the KPI
cards (a change line of its own where a card has none, as on the baseline), the answer
sentence over both headlines (:func:`sentence`, the programme's whole cost from the
tables), the money levers' "what it buys" captions (:func:`captions`), the budget line
(:func:`budget_line`), and a copy of the GRP chart drawn over the real one.
Nothing goes to the server until the thumb is released; then Streamlit's own single run
replaces every live value with the settled page.

The tables do not travel with the run. The page mounts the script at its top with an
address only (:func:`mount`, a token of the run), files what the tables need at its end
(:func:`publish`, nothing computed), and the script fetches them from that address once
the run has ended (:mod:`ui.live_route`, a route app.py adds to Streamlit's server).
Sent in the run, at its end, and made by the worker while the page drew, they cost
~20-25 ms of every slider move (README, "Speed"); fetched after it, the page is drawn
first, and a planner on a slow link gets the settled page before the ~68 KB of tables.

Values are rounded here, in numpy, to the digits the cards show (``np.round``), so the
script only adds separators and signs: a live number reads exactly as the settled card
will. The appraisal cards (ratio, NPV) need the counterfactual and the life-time runs;
they are dimmed while dragging and come back with the release.

Why not a slider of our own (the issue's suggestion): Streamlit's slider keeps its URL
binding, keyboard and touch handling, labels and languages as they are, and every test
and link that knows it keeps working; the script only reads it.
"""

from __future__ import annotations

import base64
import contextlib
import math
import secrets
import threading
from collections import OrderedDict
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import streamlit as st

from model.levers import FIRST_PROJECTION_YEAR
from model.sweep import lever_grid
from scenarios.settings import Settings
from ui import analysis, keys, live_route, live_worker, sidebar, workers
from ui.charts import title_lines
from ui.compute import Result
from ui.i18n import current_lang, translate
from ui.results import YEARLY_KPIS, value_at

#: The cards that follow the thumb (output, digits shown).
LIVE_KPIS = tuple((k.id, k.digits) for k in YEARLY_KPIS)
#: Outputs the live cards read (the frame columns of YEARLY_KPIS).
OUTPUTS = tuple(k for k, _ in LIVE_KPIS)
#: How long a fetch waits for the worker's tables (seconds); later: no live values that run.
WAIT_S = 1.0
#: Cards that cannot follow (they need the counterfactual and the runs to 2065).
STILL_KPIS = ("bcr", "npv")
#: The card whose arrow is grey (its change is spending, neither good nor bad).
PLAIN_ARROW_KPI = "programme_cost_cumulative"


#: Step tables of recent scenarios, for every session (a tab switch or a language change
#: reruns the page with the same levers).
_KEPT = 32
_tables: OrderedDict[tuple, dict] = OrderedDict()
_lock = threading.Lock()
_worker: ProcessPoolExecutor | None = None
_worker_ready: Future | None = None


def _executor() -> ProcessPoolExecutor | None:
    """The worker process, started on first use (spawned: the server has threads); None
    until it has started, so that the first runs do not wait for its imports."""
    global _worker, _worker_ready
    with _lock:
        if _worker is None:
            _worker, _worker_ready = workers.start(live_worker.ready)
        ready = _worker_ready is not None and _worker_ready.done()
    return _worker if ready else None


def _key(settings: Settings, year: int, measure: str) -> tuple:
    # only what differs from the defaults: rows without district placements skip their
    # parsing in build_inputs (most scenarios place nothing)
    return (tuple(sorted(settings.effective.non_default().items())), int(year), measure)


def submit(settings: Settings, year: int, measure: str) -> Future | None:
    """Ask the worker for this scenario's step tables; None when they are kept already or
    the worker is not up yet (then :func:`payload` computes them itself)."""
    key = _key(settings, year, measure)
    with _lock:
        if key in _tables:
            return None
    pool = _executor()
    if pool is None:
        return None
    return pool.submit(live_worker.step_tables, *key, OUTPUTS)


def _step_tables(key: tuple, pending: Future | None) -> dict | None:
    with _lock:
        if key in _tables:
            _tables.move_to_end(key)
            return _tables[key]
    tables = None
    if pending is not None:
        # a queue behind other sessions may make the worker late, and then this run goes
        # without live values rather than wait
        with contextlib.suppress(Exception):
            tables = pending.result(timeout=WAIT_S)
    else:
        tables = live_worker.step_tables(*key, OUTPUTS)
    if tables is not None:
        with _lock:
            _tables[key] = tables
            while len(_tables) > _KEPT:
                _tables.popitem(last=False)
    return tables


@dataclass(frozen=True)
class Published:
    """A scenario-page run, as its live tables need it (:func:`payload`); what the run
    leaves for its tables' fetch (:func:`publish`)."""

    settings: Settings
    result: Result
    reference: Result | None
    year: int
    measure: str
    #: the programme's first and last year (the GRP chart's band)
    band: tuple[int, int]
    #: the language of the separators and the headline (None: the session's)
    lang: str | None = None
    #: False for a session's first run: its tables are made in the server's thread, since
    #: starting the worker (a new Python importing numpy) then would slow the first page
    use_worker: bool = False
    #: the planner's budget, mln som (0: none; the sidebar's budget line follows the thumb)
    budget: float = 0.0

    def submit(self) -> Future | None:
        """Start the tables in the worker (see :func:`submit`)."""
        if not self.use_worker:
            return None
        return submit(self.settings, self.year, self.measure)

    def build(self, pending: Future | None = None) -> dict | None:
        """The tables (:func:`payload`), from ``pending`` if given."""
        return payload(self, pending)


def payload(run: Published, pending: Future | None = None) -> dict | None:
    """What the script needs: for every step of every setting, each live card's value
    and its change against the cards' reference, rounded as the card shows them, and
    the chart's path in whole units.

    Every number is an integer in units of its last shown digit (a card of 0 digits in
    units, a percentage in tenths), in blocks (:func:`pack`): per card its values ``V``
    over all rows, then two corrections the script adds to what it computes from ``V``
    and the card's reference ``R`` (sent once, ``refs``): the change shown is
    ``V - R + c``, the percentage ``round(1000 (V - R) / R) + c`` tenths (rounding as
    JavaScript's ``Math.round``). The corrections are almost all 0 and go as one byte
    each; so a release carries ~68 KB instead of the ~155 KB of a plain int32 table.
    The last block is every row's path less the scenario's own path. The separators and
    the headline's change are in ``run.lang`` (None: the session's language).
    """
    settings, result, reference = run.settings, run.result, run.reference
    year, measure, lang = run.year, run.measure, run.lang or current_lang()
    tables = _step_tables(_key(settings, year, measure), pending)
    if tables is None:
        return None
    path = tables["path"]
    own_path = np.round(result.frame[measure].to_numpy()[-path.shape[1] :])
    blocks = []
    has_pct, refs = {}, {}
    # each card against the cards' reference; "headline": GRP against the baseline, as
    # both headline sentences say it whatever the cards compare with
    columns = [(kid, kid, digits) for kid, digits in LIVE_KPIS] + [("headline", "grp", 0)]
    for name, kid, digits in columns:
        v = tables["kpi"][kid]
        _, ref = value_at(result, kid, year)
        if reference is not None and name != "headline":
            ref = value_at(reference, kid, year)[0]
        scale = 10**digits
        shown, ref_units = np.round(v * scale), float(np.round(ref * scale))
        refs[name], has_pct[name] = int(ref_units), bool(ref)
        change = np.round((v - ref) * scale)
        pct = np.round(100 * (v - ref) / ref * 10) if ref else np.zeros_like(v)
        approx_pct = js_round(1000 * (shown - ref_units) / ref_units) if ref_units else 0.0
        blocks += [shown, change - (shown - ref_units), pct - approx_pct]
    # the programme's whole cost, in whole mln som (the live headline sentence)
    cost_block = len(blocks)
    blocks.append(np.round(tables["cost"]))
    budget = None
    if run.budget > 0:
        # what is left of the budget (the sidebar's line: its amount and which sentence)
        left = run.budget - tables["cost"]
        budget = budget_line(lang, run.budget, len(blocks))
        blocks += [np.round(left), analysis.over_budget(run.budget, left).astype(int)]
    blocks.append((np.round(path) - own_path).ravel())
    packed, layout = pack(blocks)
    return {
        "packed": packed,
        "layout": layout,
        "refs": refs,
        "grids": tables["grids"],
        "kpis": [name for name, _, _ in columns],
        "has_pct": has_pct,
        "year": year,
        "digits": {name: digits for name, _, digits in columns},
        "still": list(STILL_KPIS),
        # a card with no arrow yet (its value equals the reference) gets one while it
        # moves; the cost card's arrow is grey, as the settled card's (delta_color off)
        "grey_arrows": [PLAIN_ARROW_KPI],
        "sentence": sentence(lang, year),
        "cost_block": cost_block,
        "budget": budget,
        "captions": captions(settings, tables["grids"], lang),
        "sep": {
            "decimal": translate(lang, "format.decimal"),
            "thousands": translate(lang, "format.thousands"),
        },
        "chart": chart_frame(result, measure, run.band, lang),
        "own_path": own_path.astype(int).tolist(),
        "first_path_year": int(FIRST_PROJECTION_YEAR),
    }


def pieces(lang: str, key: str, **fill: object) -> list[list]:
    """Catalog text ``key`` in ``lang``, filled, as ``[text, bold]`` pieces (its Markdown
    bold, ``**``, split out): the script puts the pieces in as text, never as markup,
    and puts its live values where the fill left ``\x01``, ``\x02``, ...."""
    text = translate(lang, key, **fill)
    return [[piece, i % 2 == 1] for i, piece in enumerate(text.split("**")) if piece]


def sentence(lang: str, year: int) -> list[list]:
    """The headline sentence the script writes while a lever moves, over both headlines
    (the sidebar's and the page's; from the baseline they hold a hint instead): the
    sidebar's sentence, with ``\x01`` where the change goes and ``\x02`` the cost."""
    return pieces(lang, "sidebar.headline", year=year, change="\x01", cost="\x02")


def budget_line(lang: str, budget: float, block: int) -> dict:
    """The sidebar's budget line while a lever moves: what is left (``\x01``) or over,
    of the programme's cost (``\x02``) over its years (``\x03``-``\x04``), as the
    settled line says it (``ui.sidebar._budget_text``); ``block``: the packed block
    of what is left per row, the next one 1 where the row is over the budget."""
    fill = {"cost": "\x02", "budget": sidebar.amount(budget, lang), "start": "\x03", "end": "\x04"}
    return {
        "left": pieces(lang, "budget.left", left="\x01", **fill),
        "over": pieces(lang, "budget.over", over="\x01", **fill),
        "block": block,
    }


@lru_cache(maxsize=4096)
def _caption_texts(lang: str, lever: str, key: str, others: tuple) -> tuple[str, ...]:
    # a lever's captions depend on its own slider (and road money on the trunk share):
    # the same few hundred texts every run, so kept
    return tuple(
        sidebar.buys(lever, {**dict(others), key: float(v)}, lang) or "" for v in lever_grid(key)
    )


def captions(settings: Settings, grids: dict, lang: str) -> dict[str, list]:
    """The "what it buys" caption under each money lever at every step of each setting
    it reads (:data:`ui.sidebar.BUYS_READS`), in ``lang``: ``setting -> [[lever,
    texts], ...]``, ``texts`` one per row of the setting's grid."""
    out: dict[str, list] = {}
    for lever, reads in sidebar.BUYS_READS.items():
        for key in reads:
            if key not in grids:
                continue
            others = tuple(sorted((k, float(settings[k])) for k in reads if k != key))
            texts = _caption_texts(lang, lever, key, others)
            out.setdefault(key, []).append([lever, list(texts)])
    return out


def js_round(x: np.ndarray | float) -> np.ndarray:
    """JavaScript's ``Math.round``: to the nearest integer, halves up (numpy's ``round``
    takes halves to even), so that the script's arithmetic matches this module's."""
    x = np.asarray(x, dtype=float)
    low = np.floor(x)
    return np.where(x - low >= 0.5, low + 1, low)


def pack(blocks: list[np.ndarray]) -> tuple[str, list[list[int]]]:
    """Integer blocks -> (base64, layout). Each block is sent as the differences of
    neighbouring values (near steps give near values), in the narrowest of 1, 2 or 4
    bytes (little-endian) that holds them, padded to 4 bytes so that the script reads
    it as a typed array in place; ``layout`` lists ``[bytes, count]`` per block."""
    parts, layout = [], []
    for block in blocks:
        steps = np.diff(np.asarray(block, dtype=np.int64), prepend=0)
        widest = int(np.abs(steps).max(initial=0))
        if widest >= 2**31:
            raise ValueError("a live value does not fit 32 bits")
        width = 1 if widest < 2**7 else 2 if widest < 2**15 else 4
        raw = steps.astype(f"<i{width}").tobytes()
        parts.append(raw + bytes(-len(raw) % 4))
        layout.append([width, len(steps)])
    return base64.b64encode(b"".join(parts)).decode("ascii"), layout


def chart_frame(
    result: Result, measure: str, band: tuple[int, int], lang: str | None = None
) -> dict:
    """The still parts of the GRP chart the live copy draws: baseline, recorded years,
    the scenario's own path, the programme years; words in ``lang`` (None: the
    session's language)."""
    from ui.results import recorded_values

    lang = lang or current_lang()

    f = result.frame
    years = f["year"].to_numpy()
    rec_years, rec_values = recorded_values(measure, f["base_population"], f["year"])
    rec_pairs = [
        [int(y), float(v)]
        for y, v in zip(rec_years.tolist(), rec_values.tolist(), strict=True)
        if math.isfinite(v)
    ]
    return {
        # until Vega has drawn its own
        "title": title_lines(translate(lang, f"chart.grp.title_{measure}")),
        "y_title": translate(lang, f"chart.grp.y_{measure}"),
        "labels": [translate(lang, f"series.{k}") for k in ("baseline", "scenario", "recorded")],
        "years": years.astype(int).tolist(),
        "baseline": np.round(f[f"base_{measure}"].to_numpy(), 1).tolist(),
        "scenario": np.round(f[measure].to_numpy(), 1).tolist(),
        "recorded": rec_pairs,
        "band": [int(band[0]), int(band[1])],
    }


#: The script (a file beside this module, so that it reads as JavaScript).
_JS = (Path(__file__).with_name("live.js")).read_text(encoding="utf-8")

_live = st.components.v2.component("batken_live", js=_JS)

#: Published runs kept for their fetch (each is fetched once, right after its run).
_PUBLISHED_KEPT = 128
_published: OrderedDict[str, Published] = OrderedDict()


def mount() -> str:
    """At the top of the scenario page: a token for this run, and the address of its
    tables sent to the script (a few bytes; no visible element). Returns the token that
    :func:`publish` files the run's tables under.

    Why at the top and by address: an element whose content changes at the end of a
    run makes the browser commit the page once more after everything else, and ~68 KB
    of tables in the run's messages are decoded while the page draws: ~20 ms of every
    slider move on the project's machine (README, "Speed"). The script fetches the
    tables once the run has ended, when the page is already drawn."""
    token = secrets.token_hex(16)
    _live(key=keys.LIVE, data={"url": live_route.path(token)}, height=0)
    return token


def publish(token: str, run: Published) -> None:
    """At the end of the run: file ``run`` under the run's token, in the session's
    language. Nothing is computed here, nor in the worker while the page draws (it would
    take a core from the browser and the server): the fetch starts the tables once the
    page is drawn."""
    use_worker = bool(st.session_state.get(keys.LIVE_STARTED))
    st.session_state[keys.LIVE_STARTED] = True
    file(token, replace(run, lang=current_lang(), use_worker=use_worker))


def file(token: str, record: Published) -> None:
    """Keep ``record`` for ``token``'s fetch; the oldest go beyond ``_PUBLISHED_KEPT``."""
    with _lock:
        _published[token] = record
        while len(_published) > _PUBLISHED_KEPT:
            _published.popitem(last=False)


def published(token: str) -> Published | None:
    """The record filed under ``token`` (taken: a run's tables are fetched once)."""
    with _lock:
        return _published.pop(token, None)
