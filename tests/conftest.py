"""Shared fixtures: where the real datasets live (../shared/datasets or $LOGBERT_DATA)."""

from __future__ import annotations

from pathlib import Path

import pytest

from logbert.evaluation.protocols import datasets_dir

ROOT = Path(__file__).resolve().parents[1]


def data_root() -> Path:
    return datasets_dir(ROOT)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The real datasets folder; tests that need it skip with a reason when it is absent."""
    root = data_root()
    if not root.is_dir():
        pytest.skip(f"real datasets not found at {root} (set LOGBERT_DATA)")
    return root


@pytest.fixture
def make_events(tmp_path):
    """Write a tiny events parquet (the `logbert parse` output shape) from column lists."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    def make(name: str = "events.parquet", **columns) -> Path:
        path = tmp_path / name
        pq.write_table(pa.table(columns), path, row_group_size=4)
        return path

    return make
