"""The engine loop's warnings: a batch the model mostly cannot read, or whose events came too
late for their time window, is a `warning:` line (rate-limited), never only a counter."""

from __future__ import annotations

import pytest

from logbert.models.pca import PCADetector
from logbert.pipeline import Pipeline
from logbert.serving.engine import DetectionEngine
from logbert.serving.wal import ModelIdentity, StateStore
from logbert.serving.worker import RateLimitedWarnings, StreamWorker
from logbert.sessions.sessionize import SessionizerSettings

from .conftest import BLOCK

BGL = "- 1117838570 2005.06.03 R02-M1-N0-C:J12-U11 2005-06-03-15.42.50.675872 R02-M1-N0-C:J12-U11 RAS KERNEL INFO instruction cache parity error corrected"  # noqa: E501


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_warnings_of_a_kind_are_rate_limited_and_the_held_back_ones_counted():
    clock, written = Clock(), []
    warnings = RateLimitedWarnings(60, written.append, clock)
    assert warnings.warn("lost", "warning: a")
    clock.now = 10
    assert not warnings.warn("lost", "warning: b") and not warnings.warn("lost", "warning: c")
    assert warnings.warn("late", "warning: other kind")  # each kind on its own
    clock.now = 61
    assert warnings.warn("lost", "warning: d")
    assert written == ["warning: a", "warning: other kind",
                       "warning: d (2 more like it in the last 61 s were not shown)"]  # fmt: skip


def test_held_back_warnings_are_counted_when_the_interval_passes_or_the_server_stops():
    clock, written = Clock(), []
    warnings = RateLimitedWarnings(60, written.append, clock)
    warnings.warn("lost_lines", "warning: a")
    clock.now = 10
    warnings.warn("lost_lines", "warning: b")
    warnings.flush()  # the interval has not passed: nothing yet
    assert written == ["warning: a"]
    clock.now = 70
    warnings.flush()
    assert written[-1] == (
        "warning: 1 more lost lines warnings like the last one shown came in the last 70 s and "
        "were not shown"
    )
    warnings.warn("late", "warning: c")
    clock.now = 71
    warnings.warn("late", "warning: d")
    warnings.flush(force=True)
    assert written[-1].startswith("warning: 1 more late warnings")
    warnings.flush(force=True)  # nothing held: nothing written
    assert len(written) == 4


@pytest.fixture
def by_id(raw_logs, tmp_path):
    train_log, test_log, _, _ = raw_logs
    Pipeline(PCADetector(), sessionizer=SessionizerSettings(by_id=BLOCK), log_format="hdfs"
             ).fit_logs([str(train_log)]).save(tmp_path / "m")  # fmt: skip
    return tmp_path / "m", test_log.read_text().splitlines()


def test_a_batch_of_another_log_format_is_warned_about_once(by_id, tmp_path):
    model, lines = by_id
    written: list[str] = []
    worker = StreamWorker(
        DetectionEngine(Pipeline.load(model)),
        StateStore(tmp_path / "s", ModelIdentity.of(model)),
        warnings=RateLimitedWarnings(0, written.append),
    )
    store = worker.store
    store.append("lines", [("http", lines[:20])])  # fits: no warning
    store.append("lines", [("bgl", [BGL] * 7 + lines[:2])])  # 7 of 9 lines lost
    store.append("lines", [("http", [x.replace("blk_", "block ") for x in lines[:6]])])
    for batch in store.batches_after(0):
        worker._process(batch)
    assert len(written) == 2, written
    assert written[0].startswith("warning: batch 2 (source bgl): 7 of 9 lines were not scored")
    assert "7 do not fit the model's log format hdfs" in written[0]
    assert written[1].startswith("warning: batch 3 (source http): 6 of 6 lines")
    assert "6 fit it but named no session id" in written[1]
    assert worker.engine.counters.lines_unmatched == 6
    store.close()


def test_events_after_their_window_closed_are_warned_about(raw_logs, tmp_path):
    train_log, test_log, _, _ = raw_logs
    model = tmp_path / "w"
    Pipeline(PCADetector(), sessionizer=SessionizerSettings(window="10s"), log_format="hdfs"
             ).fit_logs([str(train_log)]).save(model)  # fmt: skip
    lines = test_log.read_text().splitlines()
    worker, written = _warning_worker(model, tmp_path)
    worker.store.append("lines", [("a.log", lines)])
    worker.store.append("lines", [("again.log", lines[:5])])  # far behind: too late
    for batch in worker.store.batches_after(0):
        worker._process(batch)
    assert len(written) == 1 and written[0].startswith("warning: batch 2 (source again.log): 5 ")
    assert "after their time window had closed" in written[0]
    worker.store.close()


def test_sessions_that_began_before_the_stream_are_warned_about(by_id, raw_logs, tmp_path):
    """The `score --logs` warning of a file cut while sessions ran, on the stream too."""
    from ..conftest import with_cut_blocks_first

    model, _ = by_id
    lines = with_cut_blocks_first(raw_logs[1], tmp_path).read_text().splitlines()
    worker, written = _warning_worker(model, tmp_path)
    worker.store.append("lines", [("today.log", lines)])
    worker.store.append("flush", [])
    for batch in worker.store.batches_after(0):
        worker._process(batch)
    assert len(written) == 1 and written[0].startswith("warning: 3 of 16 sessions begin ")
    assert written[0].endswith("Send the earlier lines first: the stream keeps sessions open "
                               "between requests (and across restarts with the same "
                               "--state-dir)")  # fmt: skip
    worker.store.close()


def _warning_worker(model, tmp_path) -> tuple[StreamWorker, list[str]]:
    """A stream worker of `model` (no early alerts) and the warnings it writes, unthrottled."""
    written: list[str] = []
    worker = StreamWorker(
        DetectionEngine(Pipeline.load(model), early_alerts=False),
        StateStore(tmp_path / "s", ModelIdentity.of(model)),
        warnings=RateLimitedWarnings(0, written.append),
    )
    return worker, written
