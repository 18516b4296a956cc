"""The allocator settings the dashboard runs the model with (model/runtime.py)."""

from __future__ import annotations

import sys

import pytest

from model.runtime import tune_allocator


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt is Linux-only")
def test_the_thresholds_are_set_on_linux() -> None:
    assert tune_allocator() is True, "mallopt refused the thresholds"


def test_the_model_runs_the_same_after_tuning() -> None:
    from numpy.testing import assert_array_equal

    from model import run_scenarios

    before = run_scenarios([{"infrastructure_spend": 1000.0}]).scenario["grp"]
    tune_allocator()
    after = run_scenarios([{"infrastructure_spend": 1000.0}]).scenario["grp"]
    assert_array_equal(before, after)
