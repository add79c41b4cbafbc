"""`logbert sessionize`: events.parquet -> sessions (parquet, JSONL or DeepLog sequence file).

The grouping itself is `logbert.sessions.sessionize` (a streaming `Sessionizer` built from
`SessionizerSettings`); this module checks the options and the output path before any work,
copies the events' template-set metadata into a Parquet sessions file and records there how
the sessions were cut (`settings.read_sessionizer_settings` reads it), and refuses to leave behind
a file with no sessions (an empty output means the options did not fit the log). Time windows
are cut from the events in time order, so an unsorted log loses nothing; events that still
came too late for their window are a `warning: ` line, and an error when they are most of them.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import typer
from rich.console import Console
from rich.progress import Progress

from logbert.cli.inputs import labels_map
from logbert.errors import LogbertError
from logbert.parsing.auto import show_line
from logbert.sessions.io import (
    OUTPUT_FORMATS,
    Session,
    check_sessions_output,
    create_output_folder,
    detect_format,
    removed_if_failed,
    write_sessions,
)
from logbert.sessions.labels import mostly_unlabelled_warning
from logbert.sessions.lifecycle import LOG_END_KEY
from logbert.sessions.options import by_field_hint, json_key_hint
from logbert.sessions.sessionize import (
    TEMPLATE_SET_KEY,
    SessionizerSettings,
    SessionizeStats,
    events_metadata,
    sessionize_file,
)
from logbert.sessions.settings import sessionizer_metadata


def command(
    events: Path = typer.Argument(..., help="Events parquet written by `logbert parse`."),
    output: Path = typer.Option(
        ..., "--output", "-o", help="Sessions file (.parquet, .jsonl, else a DeepLog file)."
    ),
    by_id: str | None = typer.Option(
        None,
        "--by-id",
        help=r"Regex naming the session id in each line's content, e.g. 'blk_-?\d+'. "
        r"The id is the whole match, or the only capture group ('(?:attempt|container)_(\S+)': "
        "write other groups as (?:...)), or the group named id ('(?P<id>...)'); several named "
        "groups join their values with '/'.",
    ),
    window: str | None = typer.Option(
        None, "--window", help="Time windows over the timestamp column, e.g. 30s, 5m, 1h."
    ),
    by_field: str | None = typer.Option(
        None,
        "--by-field",
        help="One session per value of this header field (e.g. Node for BGL; several joined "
        "by commas, e.g. Component,Pid, key a session by their values together): alone, or with "
        "--window / --lines for one session per value and window (ids 'VALUE@START', "
        "'VALUE#K').",
    ),
    lines: int | None = typer.Option(
        None,
        "--lines",
        help="Count windows: N consecutive events per session (ids '#K', from 1 in each run; "
        "blank and rejected lines are no events, so labels by line number shift), for logs "
        "with no usable time; with --by-field, N lines of the same value.",
    ),
    step: str | None = typer.Option(
        None,
        "--step",
        help="Slide windows by this much: a duration with --window, a number of lines with "
        "--lines (default: the window, fixed windows).",
    ),
    labels: Path | None = typer.Option(
        None,
        "--labels",
        help="CSV with a header, e.g. 'BlockId,Label' or 'InstanceId,Label', joined onto --by-id "
        "or --by-field sessions, or time windows by their ids as written (START, or "
        "VALUE@START with --by-field) (label column: the one named Label, else the second; "
        "normal/anomaly, 0/1, true/false, benign/attack, ok/fail, negative/positive, or a "
        "category name). Without it, labels come from the events' label column (a session "
        "is anomalous if any line is).",
    ),
    idle_timeout: str | None = typer.Option(
        None,
        "--idle-timeout",
        help="With --by-id or --by-field alone: write a session once the log has gone this "
        "long past its last "
        "event (e.g. 1h, 1d), so memory holds only active sessions. Default: hold every session "
        "to the end of the file. Pick it longer than the longest quiet gap inside a session.",
    ),
    order: str | None = typer.Option(
        None,
        "--order",
        help="lines or time: the order events join sessions by id, field or count. Default: "
        "input line order (one log). time: sorted by timestamp (stable), for files of several "
        "services or hosts parsed one after another. Time windows are always in time order.",
    ),
    output_format: str | None = typer.Option(
        None, "--format", help=f"Output format: {', '.join(OUTPUT_FORMATS)} (default: extension)."
    ),
) -> None:
    """Group parsed events into sessions: by id, header field, time or line windows."""
    settings = SessionizerSettings(
        by_id=by_id,
        idle_timeout=idle_timeout,
        window=window,
        step=step,
        by_field=by_field,
        lines=lines,
        order=order,
    ).validate()
    fmt = output_format or detect_format(output)
    if fmt not in OUTPUT_FORMATS:
        raise LogbertError(f"unknown --format {fmt!r}; valid: {', '.join(OUTPUT_FORMATS)}")
    if not events.is_file():
        raise LogbertError(f"events file not found: {events} (write it with `logbert parse`)")
    check_sessions_output(output)

    label_map = labels_map(labels)  # says which columns it took, as train and evaluate do
    metadata = {
        key: value for key, value in events_metadata(events).items() if key == TEMPLATE_SET_KEY
    }
    metadata.update(sessionizer_metadata(settings))
    last = _last_event_time(events)  # the log's end: lines after the last session count too
    if last is not None:
        metadata[LOG_END_KEY] = last.isoformat()
    stats = SessionizeStats(header_fields=_header_fields(events))
    sessionizer = settings.build(label_map, stats=stats)
    with _ProgressBar(events) as advance:
        sessions = _checked(sessionize_file(events, sessionizer, progress=advance), stats, events)
        _write_atomically(
            sessions, output, fmt, metadata, lambda: _why_empty(settings, stats, events)
        )

    typer.echo(stats.summary(by_window=window is not None))
    unlabelled = mostly_unlabelled_warning(
        label_map,
        stats.n_unlabelled,
        stats.n_sessions,
        stats.unlabelled_example,
        "`logbert train` trains unlabelled sessions as normal, so anomalies among them would "
        "be learnt as normal",
    )
    for warning in [*stats.warnings(settings.by_id), stats.counted_times_warning(), unlabelled]:
        if warning is not None:
            typer.echo(warning, err=True)
    note = " (keys only: ids, times and labels are not in this format)" if fmt == "deeplog" else ""
    typer.echo(f"wrote {output} ({fmt}){note}")


def _last_event_time(events: Path) -> datetime | None:
    """The newest timestamp of an events file (any event, one that joins no session too), read
    a column at a time; None when it has none."""
    parquet = pq.ParquetFile(events)
    if "timestamp" not in parquet.schema_arrow.names:
        return None
    newest = [pc.max(b.column(0)).as_py() for b in parquet.iter_batches(columns=["timestamp"])]
    return max((t for t in newest if t is not None), default=None)


def _checked(
    sessions: Iterator[Session], stats: SessionizeStats, events: Path
) -> Iterator[Session]:
    """`sessions`, then a `LogbertError` when most timestamped events were lost as late
    (`SessionizeStats.check_late`): raised while writing, so no output is left behind.
    (`sessionize_file` sorts time windows by time, so this guards, it should not fire.)"""
    yield from sessions
    stats.check_late(str(events))


def _write_atomically(
    sessions: Iterator[Session],
    output: Path,
    fmt: str,
    metadata: dict[str, str],
    why_empty: Callable[[], str],
) -> None:
    """Write to a side file and rename, so a failure never leaves a half-written output;
    no sessions at all is a failure too (`why_empty()` says why) and leaves nothing."""
    partial = output.with_name(output.name + ".partial")
    with removed_if_failed(output):  # the folders this run made, if still empty
        try:
            create_output_folder(output, "sessions file")  # its error names the output
            if write_sessions(sessions, partial, fmt, metadata=metadata) == 0:
                raise LogbertError(f"{why_empty()}; nothing was written to {output}")
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)


# columns of an events file that are not header fields of the log format
_EVENT_COLUMNS = {"line_no", "source", "timestamp", "content", "template_id", "template",
                  "params", "label"}  # fmt: skip


def _header_fields(events: Path) -> list[str]:
    """The header fields of an events file that hold a value on some event (none when it is
    unreadable): an empty one holds no id (QA Nebula: logfmt's `Component`, empty on every
    line, was the field named)."""
    try:
        names = [n for n in pq.read_schema(events).names if n not in _EVENT_COLUMNS]
        table = pq.read_table(events, columns=names)
    except (OSError, ValueError):
        return []
    return [n for n in names if pc.any(pc.not_equal(table[n].cast(pa.string()), "")).as_py()]


def _case_hint(pattern: str, content: str | None) -> str:
    """`; it matches ... without regard to case` where the regex matches an event's content
    only so (QA Nebula: `vpnip=` for the lines' `vpnIp=`), else ""."""
    if content is None or re.search(pattern, content, re.IGNORECASE) is None:
        return ""
    return (
        f"; it matches the lines without regard to case (e.g. {show_line(content)}): "
        f"'(?i){pattern}'"
    )


def _content_example(content: str | None) -> str:
    """`; a line's message reads ...`: what the regex was matched against, which a format's
    fields may have changed (QA LSF: `<Event>` puts the record's type first, and `^(\\d+) `
    matched none of `JOB_NEW 48212 ...`, with nothing to show why)."""
    return "" if content is None else f"; a line's message reads {show_line(content)}"


def _header_fields_hint(events: Path) -> str:
    """`; ` + `by_field_hint` for the header fields of an events file ("" when none)."""
    clause = by_field_hint(_header_fields(events))
    return f"; {clause}" if clause else ""


def _why_empty(settings: SessionizerSettings, stats: SessionizeStats, events: Path) -> str:
    """Why sessionizing produced no session, from what it counted (and, for a --by-id that
    matched nothing, the header fields an id may sit in: --by-field reads those)."""
    if stats.n_events == 0:
        return "no sessions: the events file has no events"
    if settings.by_field is not None and settings.by_id is not None:  # (QA Zimbra: said the
        # field was empty where it was the message that held no id)
        return (
            f"no sessions: --by-id REGEX matched no line in {stats.n_events:,} events, or those "
            f"it matched have no --by-field {settings.by_field} value: with --by-field, --by-id "
            f"still reads each line's message (the content column), and keeps the ids of each "
            f"{settings.by_field} value apart; it does not read the field itself. To cut "
            f"sessions by what the field holds, use --by-field {settings.by_field} alone, or "
            "parse with a format string that leaves that part in the message"
        )
    if settings.by_field is not None and "," in settings.by_field and stats.n_unmatched == (
        stats.n_events
    ):  # (QA Headscale: `machine,node`, each on other lines, was "the field is empty")
        names = settings.by_field.split(",")
        return (
            f"no sessions: --by-field {settings.by_field}: no event has a value in every one "
            f"of {', '.join(names)} (a session's key joins them all); where each line names its "
            f"session in one of them, key by one field, or by the message with --by-id (e.g. "
            f"'(?:{'|'.join(re.escape(n) for n in names)})=(\\S+)')"
        )
    if settings.by_field is not None and stats.n_unmatched == stats.n_events:
        return (
            f"no sessions: --by-field {settings.by_field}: the field is empty (or null) in all "
            f"{stats.n_events:,} events; pick a field that names a node, host or process"
        )
    if settings.by_id is not None:
        return (
            f"no sessions: --by-id REGEX matched no line in {stats.n_events:,} events "
            f"(regex '{settings.by_id}' on the content column; the id is the whole match or "
            "its only capture group)"
            + (
                _case_hint(settings.by_id, stats.unmatched_example)
                or _content_example(stats.unmatched_example)
            )
            + _header_fields_hint(events) + json_key_hint(settings.by_id)
        )
    return (
        f"no sessions: no event had a timestamp ({stats.n_events:,} events); --window needs "
        "a log format with dates (see `logbert parse --help`: --year for formats that write "
        "none, --timestamp-format), or cut count windows with --lines N"
    )


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
