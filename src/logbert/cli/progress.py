"""A progress line for commands that read raw logs (`--logs`): on a terminal only.

Reading a day of logs and scoring it takes minutes; without a word a user cannot tell a
working run from a hung one (QA: 1.5 million lines, 8 minutes of silence). `parse` and
`sessionize` have their bars; this is the one for `train`, `score`, `evaluate` and `calibrate`
with `--logs`: lines read, sessions made, sessions scored, elapsed time. Piped, it stays quiet
(stderr is not a terminal), as every progress display of the CLI does.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from logbert.pipeline import LogReadSummary


class LogsProgress:
    """Counts shown on one transient line; `read` takes a reading's counts (the summary's
    `on_chunk`), `scored` adds sessions scored. Does nothing when `progress` is None."""

    def __init__(self, progress: Progress | None, what: str) -> None:
        self.progress = progress
        self.n_scored = 0
        self.lines = self.sessions = 0
        self.task = None if progress is None else progress.add_task(what, counts="")

    def read(self, summary: LogReadSummary) -> None:
        self.lines, self.sessions = summary.lines, summary.sessions
        self._show()

    def scored(self, n: int) -> None:
        self.n_scored += n
        self._show()

    def stop(self) -> None:
        """Take the line off the terminal now (before other output, e.g. a training bar)."""
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    def _show(self) -> None:
        if self.progress is None:
            return
        counts = f"{self.lines:,} lines, {self.sessions:,} sessions"
        if self.n_scored:
            counts += f", {self.n_scored:,} scored"
        self.progress.update(self.task, counts=counts)


@contextmanager
def logs_progress(what: str, summary: LogReadSummary | None = None) -> Iterator[LogsProgress]:
    """A `LogsProgress` shown on stderr while the block runs, when stderr is a terminal; it
    follows `summary`'s reading (its `on_chunk`) while the block runs."""
    if not sys.stderr.isatty():
        yield LogsProgress(None, what)
        return
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.fields[counts]}"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    shown = LogsProgress(progress, what)
    if summary is not None:
        summary.on_chunk = shown.read
    try:
        with progress:
            yield shown
    finally:
        if summary is not None:
            summary.on_chunk = None
