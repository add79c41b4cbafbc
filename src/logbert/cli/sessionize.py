"""`logbert sessionize`: events.parquet -> sessions (parquet, JSONL or DeepLog sequence file)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import typer
from rich.console import Console
from rich.progress import Progress

from logbert.errors import LogbertError
from logbert.sessions.io import OUTPUT_FORMATS, Session, detect_format, write_sessions
from logbert.sessions.labels import read_labels
from logbert.sessions.sessionize import (
    SessionizeStats,
    parse_duration,
    sessionize_by_id,
    sessionize_by_window,
)


def command(
    events: Path = typer.Argument(..., help="Events parquet written by `logbert parse`."),
    output: Path = typer.Option(
        ..., "--output", "-o", help="Sessions file (.parquet, .jsonl, else a DeepLog file)."
    ),
    by_id: str | None = typer.Option(
        None,
        "--by-id",
        help=r"Regex naming the session id in each line's content, e.g. 'blk_-?\d+'. "
        "With a capture group, group 1 is the id.",
    ),
    window: str | None = typer.Option(
        None, "--window", help="Time windows over the timestamp column, e.g. 30s, 5m, 1h."
    ),
    step: str | None = typer.Option(
        None, "--step", help="Slide windows by this much (default: --window, fixed windows)."
    ),
    labels: Path | None = typer.Option(
        None,
        "--labels",
        help="CSV 'BlockId,Label' joined onto --by-id sessions. Without it, labels come from "
        "the events' label column (a session is anomalous if any line is).",
    ),
    idle_timeout: str | None = typer.Option(
        None,
        "--idle-timeout",
        help="With --by-id: write a session once the log has gone this long past its last "
        "event (e.g. 1h, 1d), so memory holds only active sessions. Default: hold every session "
        "to the end of the file. Pick it longer than the longest quiet gap inside a session.",
    ),
    output_format: str | None = typer.Option(
        None, "--format", help=f"Output format: {', '.join(OUTPUT_FORMATS)} (default: extension)."
    ),
) -> None:
    """Group parsed events into sessions by an id in the message or by time window."""
    if (by_id is None) == (window is None):
        raise LogbertError("give exactly one of --by-id REGEX or --window DURATION")
    if step is not None and window is None:
        raise LogbertError("--step slides time windows: use it with --window")
    if labels is not None and window is not None:
        raise LogbertError(
            "--labels joins labels by session id (use with --by-id); windows are labelled from "
            "the events' label column"
        )
    if idle_timeout is not None and by_id is None:
        raise LogbertError("--idle-timeout closes quiet --by-id sessions: use it with --by-id")
    fmt = output_format or detect_format(output)
    if fmt not in OUTPUT_FORMATS:
        raise LogbertError(f"unknown --format {fmt!r}; valid: {', '.join(OUTPUT_FORMATS)}")
    if not events.is_file():
        raise LogbertError(f"events file not found: {events} (write it with `logbert parse`)")

    stats = SessionizeStats()
    with _ProgressBar(events) as advance:
        if by_id is not None:
            label_map = read_labels(labels) if labels is not None else None
            timeout = parse_duration(idle_timeout) if idle_timeout is not None else None
            sessions = sessionize_by_id(
                events, by_id, stats, label_map, progress=advance, idle_timeout=timeout
            )
        else:
            width = parse_duration(window)
            stride = parse_duration(step) if step is not None else None
            sessions = sessionize_by_window(events, width, stats, stride, progress=advance)
        _write_atomically(sessions, output, fmt)

    typer.echo(stats.summary(by_window=window is not None))
    note = " (keys only: ids, times and labels are not in this format)" if fmt == "deeplog" else ""
    typer.echo(f"wrote {output} ({fmt}){note}")


def _write_atomically(sessions: Iterator[Session], output: Path, fmt: str) -> None:
    """Write to a side file and rename, so a failure never leaves a half-written output."""
    partial = output.with_name(output.name + ".partial")
    try:
        write_sessions(sessions, partial, fmt)
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)


class _ProgressBar:
    """A rich progress bar over events read, shown only when stderr is a terminal."""

    def __init__(self, events: Path) -> None:
        self.events = events
        self.bar: Progress | None = None

    def __enter__(self):
        if not sys.stderr.isatty():
            return None
        try:
            total = pq.ParquetFile(self.events).metadata.num_rows
        except Exception:  # the sessionizer reports unreadable files properly
            return None
        self.bar = Progress(console=Console(stderr=True), transient=True)
        self.bar.start()
        task = self.bar.add_task("sessionizing events", total=total)
        return lambda n: self.bar.advance(task, n)

    def __exit__(self, *exc_info) -> None:
        if self.bar is not None:
            self.bar.stop()
