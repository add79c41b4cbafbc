"""The write-ahead log of `logbert serve`: a batch is committed before `append` returns; a crash
after any batch (snapshot taken or not, batches committed but not processed) loses no line and
stores no alert twice. The worker runs synchronously here (its thread is not started)."""

from __future__ import annotations

import sqlite3

import pytest

from logbert.errors import LogbertError
from logbert.models.iqr import IQRDetector
from logbert.pipeline import Pipeline
from logbert.serving.engine import DetectionEngine
from logbert.serving.wal import DB_FILE, StateStore, model_fingerprint
from logbert.serving.worker import StreamWorker
from logbert.sessions.sessionize import SessionizerSettings

from .conftest import with_new_template

CHUNK = 6


@pytest.fixture
def setup(raw_logs, tmp_path):
    """(model dir, pipeline, lines of a test log with an unseen template: early alerts too)."""
    train_log, test_log, _, _ = raw_logs
    model = tmp_path / "model"
    settings = SessionizerSettings(by_id=r"blk_-?\d+")
    Pipeline(IQRDetector(), sessionizer=settings, log_format="hdfs").fit_logs(
        [str(train_log)]
    ).save(model)
    lines = with_new_template(test_log, tmp_path).read_text().splitlines()
    return model, Pipeline.load(model), lines


def open_worker(model, pipeline, state, snapshot_every=2):
    store = StateStore(state, model_fingerprint(model), model)
    worker = StreamWorker(DetectionEngine(pipeline), store, snapshot_every=snapshot_every,
                          snapshot_seconds=1e9)  # fmt: skip
    worker._replay()
    return store, worker


def process_all(store, worker):
    for batch in store.batches_after(worker.processed, 10_000):
        worker._process(batch)


def stored_alerts(state) -> list[tuple[int, str, int]]:
    with sqlite3.connect(state / DB_FILE) as db:
        return db.execute("SELECT alert_id, session_id, early FROM alerts ORDER BY 1").fetchall()


def batches(lines):
    return [lines[i : i + CHUNK] for i in range(0, len(lines), CHUNK)]


def test_append_is_committed_before_it_returns(setup, tmp_path):
    model, _, lines = setup
    store = StateStore(tmp_path / "s", model_fingerprint(model), model)
    batch_id = store.append("lines", [("a", lines[:3]), ("b", lines[3:5])], rejected=2)
    with sqlite3.connect(tmp_path / "s" / DB_FILE) as other:  # another connection sees it
        assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        row = other.execute("SELECT kind, n_lines FROM batches WHERE id = ?", (batch_id,))
        assert row.fetchone() == ("lines", 5)
    assert store.meta()["lines_received"] == "5" and store.meta()["lines_malformed"] == "2"
    assert [b.segments for b in store.batches_after(0)] == [[("a", lines[:3]), ("b", lines[3:5])]]


@pytest.mark.parametrize("crash_after", [0, 1, 3, 4, 7])
def test_a_crash_after_any_batch_loses_no_line_and_repeats_no_alert(setup, tmp_path,
                                                                    crash_after):  # fmt: skip
    model, pipeline, lines = setup
    parts = batches(lines)
    # the reference: one uninterrupted run
    store, worker = open_worker(model, pipeline, tmp_path / "ref")
    for part in parts:
        store.append("lines", [("http", part)])
    store.append("flush", [])
    process_all(store, worker)
    expected = stored_alerts(tmp_path / "ref")
    assert any(early for _, _, early in expected) and any(not e for _, _, e in expected)
    # a run that dies after `crash_after` batches processed, two more committed, no clean stop
    state = tmp_path / "state"
    store, worker = open_worker(model, pipeline, state)
    for part in parts[: crash_after + 2]:
        store.append("lines", [("http", part)])
    for batch in store.batches_after(0, crash_after):
        worker._process(batch)
    del store, worker  # killed: the engine's memory is gone, the database stays
    store, worker = open_worker(model, pipeline, state)
    assert worker.processed == crash_after
    assert worker.snapshot_batch == crash_after - crash_after % 2  # every 2 batches
    for part in parts[crash_after + 2 :]:
        store.append("lines", [("http", part)])
    store.append("flush", [])
    process_all(store, worker)
    assert stored_alerts(state) == expected
    assert worker.engine.counters.lines_accepted == len(lines)  # every line, once
    assert (
        worker.engine.metrics() == DetectionEngine(pipeline).restore(store.snapshot()[0]).metrics()
    )  # the flush left a snapshot of the final state


def test_a_state_dir_of_another_model_is_refused(setup, tmp_path):
    model, _, _ = setup
    StateStore(tmp_path / "s", model_fingerprint(model), model)
    with pytest.raises(LogbertError, match="belongs to another model"):
        StateStore(tmp_path / "s", "0" * 64, tmp_path / "elsewhere")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / DB_FILE).write_text("not a database" * 100)
    with pytest.raises(LogbertError, match="not a logbert serve state"):
        StateStore(tmp_path / "bad", model_fingerprint(model), model)


def test_last_batch_survives_the_snapshot_that_drops_the_batches(setup, tmp_path):
    """A restart read MAX(id) of an emptied table (0): "-4 to process" at the next start."""
    model, pipeline, lines = setup
    store, worker = open_worker(model, pipeline, tmp_path / "s", snapshot_every=1)
    assert store.last_batch() == 0
    for part in batches(lines)[:4]:
        store.append("lines", [("http", part)])
    process_all(store, worker)
    assert worker.snapshot_batch == 4 and store.batches_after(0) == []  # all dropped
    reopened = StateStore(tmp_path / "s", model_fingerprint(model), model)
    assert reopened.last_batch() == reopened.processed() == 4
    assert reopened.append("lines", [("http", lines[:1])]) == reopened.last_batch() == 5
