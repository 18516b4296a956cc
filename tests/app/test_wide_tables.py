"""Wide data grids on a phone: a 390 px screen shows two or three of their columns, and a
planner scrolls the rest sideways. The first column (the year, the district, the
parameter) is pinned, so that every number scrolled to still says what row it is on."""

from __future__ import annotations

import json

import pytest

from tests.app.conftest import goto, new_app, no_exception


def _pinned(grid) -> set[str]:
    config = json.loads(grid.proto.columns or "{}")
    return {name for name, c in config.items() if c.get("pinned")}


@pytest.mark.parametrize(
    ("page_id", "query", "first"),
    [
        ("scenario", {"result_tab": "table"}, "table.year"),
        ("districts", {}, "districts.col_district"),
        ("about", {}, "about.col.name"),
        ("about", {"grid": "1"}, "about.sources_col.topic"),
    ],
)
def test_a_wide_grids_first_column_is_pinned(page_id: str, query: dict, first: str) -> None:
    from ui.i18n import translate

    which = int(query.get("grid", "0"))  # the page's n-th grid (About has two)
    query = {k: v for k, v in query.items() if k != "grid"}
    at = new_app(lang="ru", infrastructure_spend="1000", **query)
    if page_id != "scenario":
        at = goto(at, page_id)
    no_exception(at)
    assert len(at.dataframe) > which, f"{page_id}: no grid {which}"
    grid = at.dataframe[which]
    name = translate("ru", first)
    assert grid.value.columns[0] == name, list(grid.value.columns)[:3]
    assert _pinned(grid) == {name}, f"{page_id}: pinned {_pinned(grid)}, not {name!r}"
