"""The write-ahead log of `logbert serve`: a batch is committed before `append` returns; a crash
after any batch (snapshot taken or not, batches committed but not processed) loses no line and
stores no alert twice. The worker runs synchronously here (its thread is not started)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from logbert.errors import LogbertError
from logbert.models.iqr import IQRDetector
from logbert.pipeline import Pipeline
from logbert.serving.engine import DetectionEngine
from logbert.serving.wal import DB_FILE, ModelIdentity, StateStore
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
    store = StateStore(state, ModelIdentity.of(model))
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
    store = StateStore(tmp_path / "s", ModelIdentity.of(model))
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
    StateStore(tmp_path / "s", ModelIdentity.of(model))
    with pytest.raises(LogbertError, match="belongs to another model") as caught:
        StateStore(tmp_path / "s", ModelIdentity.of(tmp_path / "elsewhere"))
    assert "its threshold and weights and parser and session settings changed" in str(caught.value)
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / DB_FILE).write_text("not a database" * 100)
    with pytest.raises(LogbertError, match="not a logbert serve state"):
        StateStore(tmp_path / "bad", ModelIdentity.of(model))


def test_last_batch_survives_the_snapshot_that_drops_the_batches(setup, tmp_path):
    """A restart read MAX(id) of an emptied table (0): "-4 to process" at the next start."""
    model, pipeline, lines = setup
    store, worker = open_worker(model, pipeline, tmp_path / "s", snapshot_every=1)
    assert store.last_batch() == 0
    for part in batches(lines)[:4]:
        store.append("lines", [("http", part)])
    process_all(store, worker)
    assert worker.snapshot_batch == 4 and store.batches_after(0) == []  # all dropped
    reopened = StateStore(tmp_path / "s", ModelIdentity.of(model))
    assert reopened.last_batch() == reopened.processed() == 4
    assert reopened.append("lines", [("http", lines[:1])]) == reopened.last_batch() == 5


def edit_json(path, change) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


def test_a_new_threshold_alone_resumes_the_state_and_other_changes_are_named(setup, tmp_path):
    """`logbert calibrate` rewrites threshold.json only: the state's sessions, template ids
    and snapshot mean the same to the model, so it goes on with a note. A change of anything
    else is refused, naming it (a state of an earlier logbert cannot tell which)."""
    model, _, _ = setup
    state = tmp_path / "s"
    StateStore(state, ModelIdentity.of(model)).close()
    old = json.loads((model / "threshold.json").read_text())["value"]
    edit_json(model / "threshold.json", lambda t: t.update(value=old + 1, rule="recall>=0.9"))
    store = StateStore(state, ModelIdentity.of(model))
    assert store.resume_note == (
        f"note: the model's threshold changed since this state was written ({old:.6g} -> "
        f"{old + 1:.6g}): judging from here on with the new one"
    )
    assert store.meta()["fingerprint"] == ModelIdentity.of(model).fingerprint  # now its model
    assert StateStore(state, ModelIdentity.of(model)).resume_note is None  # said once
    edit_json(model / "threshold.json", lambda t: t.update(rule="quantile:0.5"))  # same value
    assert StateStore(state, ModelIdentity.of(model)).resume_note == (
        f"note: the model was recalibrated since this state was written (its threshold is "
        f"still {old + 1:.6g}): going on as before"
    )
    edit_json(model / "pipeline.json", lambda p: p["template_set"].update({"99": "new <*>"}))
    with pytest.raises(LogbertError) as caught:
        StateStore(state, ModelIdentity.of(model))
    message = str(caught.value)
    assert f"--state-dir {state} belongs to another model ({model}, fingerprint " in message
    assert "; its parser changed): its open sessions and positions cannot be resumed" in message
    assert "alert ids start from 1 again" in message
    edit_json(model / "threshold.json", lambda t: t.update(value=old))
    with sqlite3.connect(state / DB_FILE) as db:  # a state of an earlier logbert
        db.execute("DELETE FROM meta WHERE key = 'model'")
    with pytest.raises(LogbertError, match="which part changed cannot be told"):
        StateStore(state, ModelIdentity.of(model))


def test_a_replay_after_a_new_threshold_never_reuses_a_stored_alert_id(setup, tmp_path):
    """Replayed with another threshold, processed batches give other alerts than the stored
    ones; new alerts must not take a stored id (they would be dropped as already stored)."""
    model, pipeline, lines = setup
    store, worker = open_worker(model, pipeline, tmp_path / "s")
    store.append("lines", [("http", lines)])
    store.append("flush", [])
    for batch in store.batches_after(0):  # killed after the flush's commit, before a snapshot
        store.commit_processed(batch.id, worker._apply(batch))
    last = store.last_alert_id()
    assert any(not alert["early"] for alert in store.alerts_after(0, 100))
    edit_json(model / "threshold.json", lambda t: t.update(value=1e9))  # flags nothing now
    store, worker = open_worker(model, Pipeline.load(model), tmp_path / "s")
    assert worker.replayed == 2 and worker.engine.next_alert_id == last + 1
