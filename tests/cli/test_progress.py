"""The progress line of `--logs` commands (`cli/progress.py`) and the training bar's log lines:
counts from the reading as it goes, nothing when piped, log lines written above the bar."""

from __future__ import annotations

from logbert.cli.progress import LogsProgress, logs_progress
from logbert.models import training
from logbert.models.iqr import IQRDetector
from logbert.pipeline import LogReadSummary, Pipeline
from logbert.sessions.sessionize import SessionizerSettings


def test_the_reading_reports_its_counts_after_each_chunk(raw_logs):
    train_log, test_log, _, _ = raw_logs
    seen: list[tuple[int, int]] = []
    pipeline = Pipeline(
        IQRDetector(), sessionizer=SessionizerSettings(by_id=r"blk_-?\d+"), log_format="hdfs"
    ).fit_logs([str(train_log)], on_read=lambda s: seen.append((s.lines, s.sessions)))
    assert seen and seen[-1][0] == len(train_log.read_text().splitlines())
    summary = LogReadSummary(on_chunk=lambda s: seen.append((s.lines, s.sessions)))
    before = len(seen)
    list(pipeline.read_logs([str(test_log)], summary))
    assert len(seen) > before and seen[-1][0] == summary.lines


def test_piped_the_progress_line_shows_nothing(capsys):
    with logs_progress("scoring") as shown:  # pytest's stderr is not a terminal
        assert isinstance(shown, LogsProgress) and shown.progress is None
        shown.read(LogReadSummary(lines=10, sessions=2))
        shown.scored(2)
        shown.stop()
    assert capsys.readouterr().err == ""


class FakeBar:
    def __init__(self, events: list[str]) -> None:
        self.events = events

    def stop(self) -> None:
        self.events.append("stop")

    def start(self) -> None:
        self.events.append("start")


def test_training_log_lines_are_written_with_the_bar_off_the_terminal():
    """QA: `Step 1100: Loss=...` was glued to the bar's line (`...0:01:02Step 1100`)."""
    events: list[str] = []
    progress = training._Progress(10, 0)  # no terminal: no bar
    progress._bar = FakeBar(events)
    log = progress.above(events.append)
    log("Step 100")
    assert events == ["stop", "Step 100", "start"]
    progress.close()
    log("Early stop")  # after the bar is gone: a plain line, the bar not started again
    assert events[-2:] == ["stop", "Early stop"]
