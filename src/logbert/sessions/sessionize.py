"""Group parsed events into sessions: by an id found in the message, or by time window.

Events come from the parquet written by `logbert parse` and are read in batches, never whole.
Sessions are yielded in order of first appearance. Memory grows only with the sessions held
open: for ids that is every id seen (an id may reappear until the end of the file) unless an idle
timeout closes sessions that have been quiet for that long (then in order of closing); for windows,
a window is closed and yielded once the newest timestamp seen is a window length past its end
(that grace lets slightly out-of-order lines, common in BGL/Thunderbird, still land in place).
Nothing is dropped silently: events naming no id, events without a timestamp and events too
late for an already-closed window are counted in `SessionizeStats`.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from logbert.errors import LogbertError
from logbert.sessions.io import ANOMALY, NORMAL, Session, stream_parquet
from logbert.sessions.labels import event_label

EVENT_BATCH_SIZE = 65536
_EPOCH = datetime(1970, 1, 1)
_UNITS_US = {"ms": 1_000, "s": 1_000_000, "m": 60_000_000, "h": 3_600_000_000}
_UNITS_US["d"] = 24 * _UNITS_US["h"]
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)")

Progress = Callable[[int], None]


@dataclass
class SessionizeStats:
    """What sessionizing saw; the CLI prints `summary()` at the end."""

    n_events: int = 0
    n_sessions: int = 0
    n_anomaly: int = 0
    n_normal: int = 0
    n_unlabelled: int = 0
    n_unmatched: int = 0  # by id: events whose content names no id
    n_no_timestamp: int = 0  # by window: events without a timestamp
    n_late: int = 0  # by window: events missing from windows closed before they arrived
    n_labels_unused: int = 0  # labels-file ids that named no session
    max_open: int = 0  # most sessions held in memory at once
    n_reopened: int = 0  # by id with an idle timeout: ids seen again after their session closed

    def count(self, label: str | None) -> None:
        self.n_sessions += 1
        if label == ANOMALY:
            self.n_anomaly += 1
        elif label == NORMAL:
            self.n_normal += 1
        else:
            self.n_unlabelled += 1

    def summary(self, by_window: bool) -> str:
        """One line, e.g. `11,501 sessions (350 anomaly, ...) from 222,579 events; ...`."""
        text = (
            f"{self.n_sessions:,} sessions ({self.n_anomaly:,} anomaly, {self.n_normal:,} normal, "
            f"{self.n_unlabelled:,} unlabelled) from {self.n_events:,} events; "
        )
        if by_window:
            text += f"{self.n_no_timestamp:,} events had no timestamp"
            if self.n_late:
                text += (
                    f"; {self.n_late:,} events came more than a window late and are missing "
                    "from windows already written (sort the log by time)"
                )
        else:
            text += (
                f"{self.n_unmatched:,} events matched no id; at most {self.max_open:,} sessions "
                "were held in memory at once"
            )
            if self.n_reopened:
                text += (
                    f"; {self.n_reopened:,} ids came back after --idle-timeout had closed their "
                    "session and were written again as new sessions with the same id (raise "
                    "--idle-timeout to keep them whole)"
                )
        if self.n_labels_unused:
            text += f"; {self.n_labels_unused:,} ids in the labels file named no session"
        return text


def parse_duration(text: str) -> timedelta:
    """`30s`, `5m`, `1h`, `2d`, `500ms` or sums like `1h30m` as a timedelta."""
    cleaned = str(text).strip().lower().replace(" ", "")
    parts = _DURATION_PART.findall(cleaned)
    if not cleaned or "".join(n + u for n, u in parts) != cleaned:
        raise LogbertError(
            f"invalid duration {text!r}: use a number and a unit ms/s/m/h/d, e.g. 30s, 5m, 1h"
        )
    micros = round(sum(float(n) * _UNITS_US[u] for n, u in parts))
    if micros <= 0:
        raise LogbertError(f"invalid duration {text!r}: must be longer than zero")
    return timedelta(microseconds=micros)


def compile_id_pattern(pattern: str) -> re.Pattern[str]:
    """The `--by-id` regex; with a capture group the first group is the id."""
    try:
        regex = re.compile(pattern)
    except re.error as exc:
        raise LogbertError(f"invalid --by-id regex {pattern!r}: {exc}") from exc
    if regex.search("") is not None and not regex.groups:
        raise LogbertError(f"--by-id regex {pattern!r} matches the empty string; name an id")
    return regex


def sessionize_by_id(
    events: str | Path,
    pattern: str,
    stats: SessionizeStats,
    labels: dict[str, str] | None = None,
    batch_size: int = EVENT_BATCH_SIZE,
    progress: Progress | None = None,
    idle_timeout: timedelta | None = None,
) -> Iterator[Session]:
    """One session per id matched in `content`; a line naming several ids joins each once.

    Labels come from `labels` (id -> label; ids absent stay unlabelled) or, without it, from
    the events' `label` column (any anomalous line makes the session anomalous).
    Without `idle_timeout` every session is held until the end of the file and they come out in
    order of first appearance. With it, a session is written as soon as the newest timestamp is
    more than `idle_timeout` past its last event, so memory holds only the active sessions (and
    the ids already written); an id that shows up again later starts a new session with the same
    id, counted in `stats.n_reopened`.
    """
    regex = compile_id_pattern(pattern)
    timeout = _micros(idle_timeout) if idle_timeout is not None else None
    # insertion order: first appearance or, with a timeout, least recent activity first
    sessions: dict[str, _Open] = {}
    written: set[str] = set()
    newest: int | None = None

    def close(session_id: str, session: _Open) -> Session:
        label = labels.get(session_id) if labels is not None else session.label()
        return session.close(session_id, label, stats)

    for batch in _event_batches(events, ["content"], batch_size, progress, timeout is not None):
        for content, key, ts, line_label in zip(
            batch["content"],
            batch["template_id"],
            batch["timestamp"],
            batch["label"],
            strict=True,
        ):
            stats.n_events += 1
            if timeout is not None and ts is not None:
                newest = ts if newest is None else max(newest, ts)
            ids = _ids_in(regex, content)
            if not ids:
                stats.n_unmatched += 1
            for session_id in ids:
                if timeout is None:
                    session = sessions.get(session_id)
                else:  # popped and re-inserted below: the end is the most recently active
                    session = sessions.pop(session_id, None)
                if session is None:
                    session = _Open()
                    stats.n_reopened += session_id in written
                sessions[session_id] = session
                session.touched = newest
                session.add(key, ts, line_label)
            if timeout is None or newest is None:
                continue
            stats.max_open = max(stats.max_open, len(sessions))
            while sessions:
                session_id, session = next(iter(sessions.items()))
                if session.touched is not None and session.touched + timeout >= newest:
                    break
                del sessions[session_id]
                written.add(session_id)
                yield close(session_id, session)
    stats.max_open = max(stats.max_open, len(sessions))
    if labels is not None:
        stats.n_labels_unused = sum(1 for i in labels if i not in sessions and i not in written)
    for session_id, session in sessions.items():
        yield close(session_id, session)


def sessionize_by_window(
    events: str | Path,
    window: timedelta,
    stats: SessionizeStats,
    step: timedelta | None = None,
    batch_size: int = EVENT_BATCH_SIZE,
    progress: Progress | None = None,
) -> Iterator[Session]:
    """Fixed (`step` None or equal to `window`) or sliding windows over `timestamp`.

    Windows start at multiples of `step` since the Unix epoch and cover [start, start+window);
    a line belongs to every window that covers it. Empty windows are not emitted. The session
    id is the window start (ISO 8601); `start`/`end` are the window bounds, `end` exclusive.
    """
    width = _micros(window)
    stride = _micros(step) if step is not None else width
    if stride > width:
        raise LogbertError(
            f"--step {step} is longer than --window {window}: lines between windows would be lost"
        )
    grace = width
    windows: dict[int, _Open] = {}  # window index -> open session, in first-appearance order
    newest: int | None = None
    for batch in _event_batches(events, [], batch_size, progress, need_time=True):
        for key, ts, line_label in zip(
            batch["template_id"], batch["timestamp"], batch["label"], strict=True
        ):
            stats.n_events += 1
            if ts is None:
                stats.n_no_timestamp += 1
                continue
            if newest is None or ts > newest:
                newest = ts
            late = False
            for index in range((ts - width) // stride + 1, ts // stride + 1):
                if index * stride + width + grace <= newest:
                    late = True
                    continue
                session = windows.get(index)
                if session is None:
                    session = windows[index] = _Open()
                session.add(key, ts, line_label)
            stats.n_late += late
            stats.max_open = max(stats.max_open, len(windows))
            while windows:
                index = next(iter(windows))
                if index * stride + width + grace > newest:
                    break
                yield _close_window(windows.pop(index), index, stride, width, stats)
    for index, session in windows.items():
        yield _close_window(session, index, stride, width, stats)


# --- internals -------------------------------------------------------------------------------


class _Open:
    """A session being built: keys in line order, time range, line labels seen."""

    __slots__ = ("keys", "first", "last", "anomalous", "unknown", "touched")

    def __init__(self) -> None:
        self.keys = array("q")
        self.touched: int | None = None  # newest time in the file when it last got an event
        self.first: int | None = None
        self.last: int | None = None
        self.anomalous = False
        self.unknown = False

    def add(self, key: int, ts: int | None, line_label: str | None) -> None:
        self.keys.append(key)
        if ts is not None:
            self.first = ts if self.first is None else min(self.first, ts)
            self.last = ts if self.last is None else max(self.last, ts)
        if line_label == ANOMALY:
            self.anomalous = True
        elif line_label is None:
            self.unknown = True

    def label(self) -> str | None:
        """Anomaly if any line is; normal only when every line is labelled normal."""
        if self.anomalous:
            return ANOMALY
        return None if self.unknown else NORMAL

    def close(
        self,
        session_id: str,
        label: str | None,
        stats: SessionizeStats,
        start: int | None = None,
        end: int | None = None,
    ) -> Session:
        stats.count(label)
        start = self.first if start is None else start
        end = self.last if end is None else end
        return Session(
            session_id=session_id,
            keys=self.keys.tolist(),
            label=label,
            start=_to_datetime(start),
            end=_to_datetime(end),
            n_lines=len(self.keys),
        )


def _close_window(
    session: _Open, index: int, stride: int, width: int, stats: SessionizeStats
) -> Session:
    start = index * stride
    session_id = _to_datetime(start).isoformat()
    return session.close(session_id, session.label(), stats, start=start, end=start + width)


def _ids_in(regex: re.Pattern[str], content: str | None) -> list[str]:
    if not content:
        return []
    if regex.groups:
        found = [m.group(1) for m in regex.finditer(content)]
    else:
        found = regex.findall(content)
    if len(found) == 1:
        return found if found[0] else []
    return [i for i in dict.fromkeys(found) if i]


def _micros(delta: timedelta) -> int:
    return delta // timedelta(microseconds=1)


def _to_datetime(micros: int | None) -> datetime | None:
    return None if micros is None else _EPOCH + timedelta(microseconds=micros)


def _event_batches(
    path: str | Path,
    required: list[str],
    batch_size: int,
    progress: Progress | None,
    need_time: bool = False,
) -> Iterator[dict[str, list]]:
    """Columns `template_id`, `timestamp` (µs since epoch or None), `label` and `required`."""
    path = Path(path)
    if not path.is_file():
        raise LogbertError(f"events file not found: {path} (write it with `logbert parse`)")
    try:
        parquet = stream_parquet(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise LogbertError(
            f"{path}: not a readable parquet events file ({exc}); write it with `logbert parse`"
        ) from exc
    names = parquet.schema_arrow.names
    needed = ["template_id", *required] + (["timestamp"] if need_time else [])
    missing = [c for c in needed if c not in names]
    if missing:
        hint = " (--window needs timestamped events)" if "timestamp" in missing else ""
        raise LogbertError(
            f"{path}: events need column(s) {', '.join(missing)}{hint}; it has "
            f"{', '.join(names)}. Write events with `logbert parse`."
        )
    columns = [c for c in ["template_id", *required, "timestamp", "label"] if c in names]
    for record_batch in parquet.iter_batches(batch_size=batch_size, columns=columns):
        n = record_batch.num_rows
        batch = {c: record_batch.column(c).to_pylist() for c in required}
        batch["template_id"] = _keys(record_batch.column("template_id"), path)
        batch["timestamp"] = (
            _timestamps(record_batch.column("timestamp"), path)
            if "timestamp" in columns
            else [None] * n
        )
        batch["label"] = (
            [event_label(v) for v in record_batch.column("label").to_pylist()]
            if "label" in columns
            else [None] * n
        )
        yield batch
        if progress is not None:
            progress(n)


def _keys(column: pa.Array, path: Path) -> list[int]:
    if column.null_count:
        raise LogbertError(
            f"{path}: {column.null_count} events have no template_id; re-run `logbert parse`"
        )
    try:
        return pc.cast(column, pa.int64()).to_pylist()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise LogbertError(f"{path}: template_id must be integers ({exc})") from exc


def _timestamps(column: pa.Array, path: Path) -> list[int | None]:
    """Microseconds since the epoch (UTC for zone-aware columns), None where missing."""
    kind = column.type
    try:
        if pa.types.is_timestamp(kind):
            micros = pc.cast(column, pa.timestamp("us", kind.tz), safe=False)
        else:
            micros = pc.cast(column, pa.timestamp("us"))
        return pc.cast(micros, pa.int64()).to_pylist()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise LogbertError(
            f"{path}: column timestamp has type {kind}, not timestamps ({exc})"
        ) from exc
