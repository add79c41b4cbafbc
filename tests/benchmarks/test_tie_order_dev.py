"""`benchmarks/tie_order_dev.py`: the orders it compares and the timed edits it makes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def tie():
    spec = importlib.util.spec_from_file_location("tie_order_dev", BENCHMARKS / "tie_order_dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_key_order_sorts_only_within_a_run_of_one_timestamp(tie):
    events = [(1, 8), (1, 1), (2, 18), (2, 8), (2, 18), (3, 5), (2, 1)]
    assert tie.in_order(events, "line") == (8, 1, 18, 8, 18, 5, 1)
    # runs are consecutive: the late event at time 2 after time 3 stays where it is
    assert tie.in_order(events, "key") == (1, 8, 8, 18, 18, 5, 1)


def test_an_inserted_or_moved_event_takes_the_time_of_its_new_predecessor(tie):
    events = [(t, k) for t, k in zip([1, 1, 2, 3, 3, 4], [10, 11, 12, 13, 14, 15], strict=True)]
    for seed in range(20):
        edited = tie.edits(events, [99], np.random.default_rng(seed))
        assert set(edited) == {"delete", "truncate", "insert", "move"}
        assert len(edited["delete"]) == 5 and 1 <= len(edited["truncate"]) <= 5
        inserted = edited["insert"]
        at = next(i for i, (_, k) in enumerate(inserted) if k == 99)
        assert inserted[at][0] == inserted[max(at - 1, 0) if at else 1][0]
        moved = edited["move"]
        assert sorted(k for _, k in moved) == [k for _, k in events]
        assert [k for _, k in moved] != [k for _, k in events]
