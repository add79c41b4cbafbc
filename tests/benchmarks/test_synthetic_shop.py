"""`benchmarks/synthetic_shop.py`: the generated log is what its docstring says, seed by seed."""

from __future__ import annotations

import datetime as dt
import importlib.util
import random
import re
from collections import Counter
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture
def shop(monkeypatch):
    """The script as a module (it imports its sibling `process_stats`)."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    spec = importlib.util.spec_from_file_location(
        "synthetic_shop", BENCHMARKS / "synthetic_shop.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_log_is_seeded_time_ordered_and_every_line_names_its_session(shop, tmp_path):
    day = dt.datetime(2026, 11, 3, 8)
    kinds = shop.write_log(tmp_path / "a.log", random.Random(7), day, shop.ANOMALY_RATE)
    again = shop.write_log(tmp_path / "b.log", random.Random(7), day, shop.ANOMALY_RATE)
    assert kinds == again and (tmp_path / "a.log").read_text() == (tmp_path / "b.log").read_text()
    lines = (tmp_path / "a.log").read_text().splitlines()
    stamps = [line[:23] for line in lines]
    assert stamps == sorted(stamps)
    assert all(
        re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (INFO|WARN|ERROR) ", x) for x in lines
    )
    ids = Counter(re.search(shop.BY_ID, line).group(1) for line in lines)
    assert set(ids) == set(kinds) and len(kinds) == shop.N_SESSIONS
    counted = Counter(kinds.values())
    assert (
        0.03 * shop.N_SESSIONS
        < sum(n for k, n in counted.items() if k != "normal")
        < 0.07 * shop.N_SESSIONS
    )
    doubled = next(s for s, k in kinds.items() if k == "double_charge")
    assert sum("Payment authorised" in x and doubled in x for x in lines) == 2
    normal = shop.write_log(tmp_path / "n.log", random.Random(1), day, 0.0)
    assert set(normal.values()) == {"normal"}
