"""Group parsed events into sessions: by an id found in the message, by a header field (e.g.
BGL's `Node`), by time window, or by count window (N consecutive lines), and by a header field
combined with time or count windows (one session per value and window).

This module runs whole files and finite streams through a streaming `Sessionizer`
(`sessionize_file`, `sessionize_events`; `sessionize_by_id` / `sessionize_by_window` are thin
loops over a file's batches) and re-exports the rest, so callers import from one place. The
rest, each module importing only from those before it: `stats` (`SessionizeStats`), `options`
(durations, the `--by-id` regex, counts of lines), `streaming` (the `Sessionizer` base: `push`
batches, `flush` at the end), the kinds `id_sessions`, `window_sessions` and `line_sessions`,
and `settings` (`SessionizerSettings`, the user's choice built into a sessionizer).

Time order: a streaming window cannot take back an event that comes more than a window after
newer ones (its window is already written). Files and raw logs are read whole, so the batch
callers (`sessionize_file`, `sessionize_events`) put time-window events in time order first
(stable: file order among equal times) and lose nothing however the log is ordered; only a
live stream (`push` by hand, serving) can still have late events, and `SessionizeStats`
counts them (`late_warning`, `check_late`). Id sessions and count windows keep the input
line order by default: in one log that is what they mean (HDFS benchmarks); id sessions out of
time order (rotated files given newest first, several services' files read one after another)
are counted for a warning (`out_of_order_warning`), which points to `--order time`
(`SessionizerSettings.order`): their events are then sorted by time too, undated ones staying
behind the line before them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from logbert.errors import LogbertError
from logbert.parsing.templates import TEMPLATE_SET_KEY
from logbert.sessions.id_sessions import FieldSessionizer, IdSessionizer
from logbert.sessions.io import Session, parquet_logbert_metadata, stream_parquet
from logbert.sessions.line_sessions import LineSessionizer
from logbert.sessions.options import compile_id_pattern, field_names, parse_duration
from logbert.sessions.settings import SessionizerSettings
from logbert.sessions.stats import SessionizeStats
from logbert.sessions.streaming import (
    SNAPSHOT_VERSION,
    Events,
    Sessionizer,
    _check_columns,
    _timestamp_micros,
    note_shadowed_fields,
)
from logbert.sessions.window_sessions import WindowSessionizer

__all__ = [
    # defined here
    "EVENT_BATCH_SIZE",
    "Progress",
    "events_metadata",
    "sessionize_by_id",
    "sessionize_by_window",
    "sessionize_events",
    "sessionize_file",
    "sorted_by_time",
    # re-exported: they lived here before the split, and callers import them from here
    "TEMPLATE_SET_KEY",
    "SNAPSHOT_VERSION",
    "Events",
    "SessionizeStats",
    "parse_duration",
    "compile_id_pattern",
    "Sessionizer",
    "IdSessionizer",
    "FieldSessionizer",
    "WindowSessionizer",
    "LineSessionizer",
    "SessionizerSettings",
]

EVENT_BATCH_SIZE = 65536

Progress = Callable[[int], None]


# --- files ---------------------------------------------------------------------------------------


def sessionize_file(
    events: str | Path,
    sessionizer: Sessionizer,
    batch_size: int = EVENT_BATCH_SIZE,
    progress: Progress | None = None,
) -> Iterator[Session]:
    """Stream an events parquet through `sessionizer`: its sessions as they close, then the rest.

    `progress(n)` is called after each batch of n events. Time windows (`time_ordered`) get the
    events in time order: a file already in order is streamed batch by batch (flat memory);
    otherwise the columns the sessionizer reads are loaded whole and taken in sorted order.
    """
    path = Path(events)
    if not path.is_file():
        raise LogbertError(f"events file not found: {path} (write it with `logbert parse`)")
    try:
        parquet = stream_parquet(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise LogbertError(
            f"{path}: not a readable parquet events file ({exc}); write it with `logbert parse`"
        ) from exc
    names = parquet.schema_arrow.names
    _check_columns(
        names, sessionizer.required_columns, str(path), sessionizer.field,
        _first_messages(parquet, sessionizer, names, batch_size),
    )  # fmt: skip
    if sessionizer.field is not None and "content" in names:  # (the columns read below may
        # hold no messages: names that mean two things are looked for in the first ones)
        first = next(parquet.iter_batches(batch_size=batch_size, columns=["content"]), None)
        note_shadowed_fields(
            names, None if first is None else first.column(0), field_names(sessionizer.field),
            sessionizer.stats,
        )  # fmt: skip
    columns = sessionizer.wanted_columns(names)
    batches: Iterator[Events] = parquet.iter_batches(batch_size=batch_size, columns=columns)
    if sessionizer.time_ordered and not _file_in_time_order(parquet, batch_size, str(path)):
        columns = _with_tie_break(columns, names)
        batches = sorted_by_time(
            parquet.read(columns=columns), batch_size, str(path), _tie_stats(sessionizer)
        )
    for batch in batches:
        yield from sessionizer.push(batch, where=str(path))
        if progress is not None:
            progress(batch.num_rows)
    yield from sessionizer.flush()


def _first_messages(
    parquet: pq.ParquetFile, sessionizer: Sessionizer, names: list[str], batch_size: int
) -> pa.Array | None:
    """The first batch's messages, read only where a --by-field field is no column and may
    be a `name=value` word of them (`streaming._check_columns` asks them); else None."""
    fields = field_names(sessionizer.field) if sessionizer.field is not None else []
    if "content" not in names or all(f in names for f in fields):
        return None
    first = next(parquet.iter_batches(batch_size=batch_size, columns=["content"]), None)
    return None if first is None else first.column(0)


def _first_checked(
    tables: Iterator[Events], sessionizer: Sessionizer, where: str
) -> Iterator[Events]:
    """`tables`, the first checked with its messages: a `--by-field` name that is no column
    and that none of them holds as `name=value` is refused, naming the log format's fields
    (QA macOS: `train --logs` said only "no session ... no Component value")."""
    for i, table in enumerate(tables):
        if i == 0 and sessionizer.field is not None and "content" in table.schema.names:
            _check_columns(
                table.schema.names, sessionizer.required_columns, where, sessionizer.field,
                table.column("content"),
                [f for f in sessionizer.stats.header_fields if f != "Content"],
            )  # fmt: skip
            # (time windows hold no messages past here: names that mean two things are
            # looked for now)
            note_shadowed_fields(
                table.schema.names, table.column("content"), field_names(sessionizer.field),
                sessionizer.stats,
            )  # fmt: skip
        yield table


def sessionize_events(
    sessionizer: Sessionizer,
    events: Iterable[Events],
    where: str = "events",
    batch_size: int = EVENT_BATCH_SIZE,
) -> Iterator[Session]:
    """Every session of a finite stream of event tables (e.g. raw logs as they are parsed),
    then `flush`. Time windows (`time_ordered`) hold the events (only the columns they read)
    to the end of the stream and take them in time order, so none is lost as late; other
    sessionizers get each table as it comes. Empty tables are skipped (a chunk of rejected
    lines may lack columns)."""
    events = _first_checked((table for table in events if table.num_rows), sessionizer, where)
    if not sessionizer.time_ordered:
        for table in events:
            yield from sessionizer.push(table, where=where)
        yield from sessionizer.flush()
        return
    held: list[pa.Table] = []
    for table in events:
        names = table.schema.names
        _check_columns(names, sessionizer.required_columns, where, sessionizer.field)
        if isinstance(table, pa.RecordBatch):
            table = pa.Table.from_batches([table])
        held.append(table.select(_with_tie_break(sessionizer.wanted_columns(names), names)))
    if held:
        try:
            whole = pa.concat_tables(held, promote_options="permissive")
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise LogbertError(f"{where}: the event tables do not fit together ({exc})") from exc
        for batch in sorted_by_time(whole, batch_size, where, _tie_stats(sessionizer)):
            yield from sessionizer.push(batch, where=where)
    yield from sessionizer.flush()


def _tie_stats(sessionizer: Sessionizer) -> SessionizeStats | None:
    """The stats that count events of two inputs at one time (`sorted_by_time`): those of
    sessions by id or field; a time window mixes its inputs' events whatever their order."""
    return None if isinstance(sessionizer, WindowSessionizer) else sessionizer.stats


def sorted_by_time(
    events: pa.Table, batch_size: int, where: str, stats: SessionizeStats | None = None
) -> Iterator[pa.Table]:
    """`events` in time order, `batch_size` rows at a time: a sort on `timestamp`, equal
    times in order of input name and line, so that the order the inputs were given in
    changes nothing (QA: HDFS's datanode and namenode lines share seconds, and 5,807 of
    6,802 blocks got other sequences with the files swapped). Events without one stay behind
    the event before them (an undated line belongs where it was written: time windows give it
    that event's time, `--order time` keeps it there). One input already in order: plain
    slices, no copy. Events of two inputs at one time, whose order is the inputs' names' and
    not the one they happened in, are counted into `stats` (`tie_warning`)."""
    micros = _timestamp_micros(events.column("timestamp"), where)
    named = {"source", "line_no"} <= set(events.column_names)
    one_input = not named or pc.count_distinct(events.column("source")).as_py() <= 1
    in_order = _ascending(micros)[0] and one_input
    if not in_order and micros.null_count:
        micros = pc.fill_null(pc.fill_null_forward(micros), _EARLIEST)
    order = None
    if not in_order and named:
        columns = [micros, events.column("source"), events.column("line_no")]
        keys = pa.table(columns, names=["t", "s", "l"])
        order = pc.sort_indices(keys, sort_keys=[(name, "ascending") for name in ("t", "s", "l")])
        if stats is not None and not one_input:
            stats.n_events_timed += len(events)
            sources = events.column("source").take(order)
            stats.n_input_ties += _input_ties(micros.take(order), sources)
    elif not in_order:
        order = pc.array_sort_indices(micros)
    for offset in range(0, events.num_rows, batch_size):
        if order is None:
            yield events.slice(offset, batch_size)
        else:
            yield events.take(order.slice(offset, batch_size))


def events_metadata(path: str | Path) -> dict[str, str]:
    """The `logbert.*` schema metadata of an events parquet (e.g. `logbert.template_set`)."""
    path = Path(path)
    if not path.is_file():
        raise LogbertError(f"events file not found: {path} (write it with `logbert parse`)")
    try:
        return parquet_logbert_metadata(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise LogbertError(
            f"{path}: not a readable parquet events file ({exc}); write it with `logbert parse`"
        ) from exc


def sessionize_by_id(
    events: str | Path,
    pattern: str,
    stats: SessionizeStats,
    labels: dict[str, str] | None = None,
    batch_size: int = EVENT_BATCH_SIZE,
    progress: Progress | None = None,
    idle_timeout: timedelta | None = None,
    track_lines: bool = False,
) -> Iterator[Session]:
    """Sessions of an events file by id (see `IdSessionizer`), counted into `stats`."""
    sessionizer = IdSessionizer(pattern, labels, idle_timeout, track_lines, stats)
    yield from sessionize_file(events, sessionizer, batch_size, progress)


def sessionize_by_window(
    events: str | Path,
    window: timedelta,
    stats: SessionizeStats,
    step: timedelta | None = None,
    batch_size: int = EVENT_BATCH_SIZE,
    progress: Progress | None = None,
    track_lines: bool = False,
) -> Iterator[Session]:
    """Sessions of an events file by time window (see `WindowSessionizer`), counted into `stats`."""
    sessionizer = WindowSessionizer(window, step, track_lines, stats)
    yield from sessionize_file(events, sessionizer, batch_size, progress)


# --- internals -------------------------------------------------------------------------------

_EARLIEST = -(2**63)  # sort key of undated events before the first dated one


def _input_ties(micros: pa.Array, sources: pa.ChunkedArray | pa.Array) -> int:
    """How many events, in time order, share their time with the event before them and come
    from another input: their order is the inputs' names', not the one they happened in."""
    times = pc.fill_null(micros, _EARLIEST).to_numpy(zero_copy_only=False)
    codes = pc.dictionary_encode(sources).combine_chunks().indices.to_numpy(zero_copy_only=False)
    if times.size < 2:
        return 0
    return int(((times[1:] == times[:-1]) & (codes[1:] != codes[:-1])).sum())


def _ascending(
    micros: pa.Array | pa.ChunkedArray, after: int | None = None
) -> tuple[bool, int | None]:
    """(are the non-null times in order, none before its predecessor nor before `after`?,
    the last of them or `after` when there are none)."""
    values = pc.drop_null(micros).to_numpy()
    if not values.size:
        return True, after
    in_order = (after is None or values[0] >= after) and bool((values[1:] >= values[:-1]).all())
    return in_order, int(values[-1])


def _with_tie_break(columns: list[str], names: list[str]) -> list[str]:
    """`columns` and the input name and line number where the events have them: equal times
    are taken in their order (`sorted_by_time`)."""
    return columns + [c for c in ("source", "line_no") if c in names and c not in columns]


def _file_in_time_order(parquet: pq.ParquetFile, batch_size: int, where: str) -> bool:
    """One pass over the timestamp column (and the input names): are the file's events in
    time order, from one input? Several inputs are sorted even when in order, so that equal
    times go by input name whatever order the inputs were parsed in."""
    last: int | None = None
    sources: set[str] = set()
    named = "source" in parquet.schema_arrow.names
    columns = ["timestamp", "source"] if named else ["timestamp"]
    for batch in parquet.iter_batches(batch_size=batch_size, columns=columns):
        in_order, last = _ascending(_timestamp_micros(batch.column(0), where), last)
        if named:
            sources.update(pc.unique(batch.column(1)).to_pylist())
        if not in_order or len(sources) > 1:
            return False
    return True
