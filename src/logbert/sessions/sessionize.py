"""Group parsed events into sessions: by an id found in the message, by a header field (e.g.
BGL's `Node`), by time window, or by count window (N consecutive lines), and by a header field
combined with time or count windows (one session per value and window).

Why streaming objects: the same grouping serves two callers. `logbert sessionize` reads an
events parquet in batches and writes every session; online detection (and scoring raw logs)
gets events a batch at a time from a live source and must score each session as soon as it is
finished. So the logic lives once, in a `Sessionizer`: `push(events)` takes a batch of events
(a `pyarrow.Table` or `RecordBatch` with the columns `logbert parse` writes) and returns the
sessions that batch closed; `flush()` at the end of the stream returns everything still held.
`sessionize_by_id` / `sessionize_by_window` are thin loops over a file's batches.

Time order: a streaming window cannot take back an event that comes more than a window after
newer ones (its window is already written). Files and raw logs are read whole, so the batch
callers (`sessionize_file`, `sessionize_events`) put time-window events in time order first
(stable: file order among equal times) and lose nothing however the log is ordered; only a
live stream (`push` by hand, serving) can still have late events, and `SessionizeStats`
counts them (`late_warning`, `check_late`). Id sessions and count windows are never
reordered: line order is what they mean.

Memory grows only with the sessions held open: for ids that is every id seen (an id may
reappear until the end of the stream) unless an idle timeout closes sessions that have been
quiet for that long (then in order of closing); for windows, a window is closed once the newest
timestamp seen is a window length past its end (that grace lets slightly out-of-order lines,
common in BGL/Thunderbird, still land in place). Sessions come out in order of first appearance
otherwise. Nothing is dropped silently: events naming no id, events without a timestamp and
events too late for an already-closed window are counted in `SessionizeStats`.

With `track_lines=True` each session also carries `lines`: the (source, line_no) of the line
behind each key, so a scored session can point back at the raw log (in memory only; sessions
files do not store it).

Session ids: the id (`--by-id`) or field value (`--by-field`); a time window's start in ISO
8601, prefixed by the value with `--by-field` (`R02-M1-N0-C:J12-U11@2005-06-03T15:40:00`); a
count window's 0-based index after `#`, prefixed likewise (`R02-M1-N0-C:J12-U11#0`, `#3`).

`SessionizerSettings` is the user's choice (`--by-id`/`--window`/...) as plain data: checked
once, saved as JSON next to a model, described in one line, and built into a `Sessionizer`.
"""

from __future__ import annotations

import heapq
import re
from array import array
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import asdict, dataclass, fields
from dataclasses import field as dataclass_field
from datetime import datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from logbert.errors import LogbertError
from logbert.parsing.templates import TEMPLATE_SET_KEY  # noqa: F401 (re-exported)
from logbert.sessions.io import ANOMALY, NORMAL, Session, parquet_logbert_metadata, stream_parquet
from logbert.sessions.labels import event_category, split_label

EVENT_BATCH_SIZE = 65536
SNAPSHOT_VERSION = 1  # `Sessionizer.snapshot()` format
_EPOCH = datetime(1970, 1, 1)
_UNITS_US = {"ms": 1_000, "s": 1_000_000, "m": 60_000_000, "h": 3_600_000_000}
_UNITS_US["d"] = 24 * _UNITS_US["h"]
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)")

Progress = Callable[[int], None]
Events = pa.Table | pa.RecordBatch


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
    field: str | None = None  # --by-field: n_unmatched counts events with no value in it
    by_lines: bool = False  # count windows (--lines): no time involved
    categories: dict[str, int] = dataclass_field(
        default_factory=dict
    )  # sessions per anomaly category

    def count(self, label: str | None, categories: list[str] | None = None) -> None:
        self.n_sessions += 1
        for name in categories or ():
            self.categories[name] = self.categories.get(name, 0) + 1
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
        no_value = f"{self.n_unmatched:,} events had no {self.field} value"
        if by_window:
            if self.field is not None:
                text += no_value + "; "
            text += f"{self.n_no_timestamp:,} events had no timestamp"
        elif self.by_lines:
            text += no_value + "; " if self.field is not None else ""
            text += f"at most {self.max_open:,} sessions were held in memory at once"
        else:
            matched = (
                no_value if self.field is not None else f"{self.n_unmatched:,} events matched no id"
            )
            text += f"{matched}; at most {self.max_open:,} sessions were held in memory at once"
            if self.n_reopened:
                text += (
                    f"; {self.n_reopened:,} ids came back after --idle-timeout had closed their "
                    "session and were written again as new sessions with the same id (raise "
                    "--idle-timeout to keep them whole)"
                )
        if self.n_labels_unused:
            text += f"; {self.n_labels_unused:,} ids in the labels file named no session"
        if self.categories:
            ranked = sorted(self.categories.items(), key=lambda item: (-item[1], item[0]))
            text += "; anomaly categories (sessions): " + ", ".join(
                f"{name} {n:,}" for name, n in ranked
            )
        return text

    @property
    def n_windowed(self) -> int:
        """Events a time window could place: those with a timestamp (and, with --by-field, a
        value); the share of late events is taken of these."""
        return self.n_events - self.n_no_timestamp - self.n_unmatched

    def late_warning(self) -> str | None:
        """`warning: ...` when events came too late for their windows (None when none did):
        how many, their share, and what to do. Its own line, never a clause of `summary`,
        because those events are missing from the sessions."""
        if not self.n_late:
            return None
        share = self.n_late / max(self.n_windowed, 1)
        return (
            f"warning: {self.n_late:,} of {self.n_windowed:,} timestamped events ({share:.1%}) "
            "came more than a window after newer events and are missing from the windows "
            "already written; the log is out of time order (several files or hosts "
            "interleaved, or timestamps that jump back, e.g. a wrong year: check `logbert "
            "parse --year`). Window whole files (`logbert sessionize` and `--logs` sort them "
            "by time first) or use a longer --window"
        )

    def check_late(self, where: str) -> None:
        """Raise when more than half of the timestamped events were lost as late: sessions of
        the rest would stand for a log they mostly miss, and a model trained or scored on them
        would look like a normal run."""
        if self.n_late * 2 > self.n_windowed:
            share = self.n_late / max(self.n_windowed, 1)
            raise LogbertError(
                f"{where}: {self.n_late:,} of {self.n_windowed:,} timestamped events "
                f"({share:.1%}) came more than a window late and are missing from the time "
                "windows, so the sessions would miss most of the log; put the events in time "
                "order (check the timestamps: `logbert parse --year` when the year is guessed) "
                "or use a longer --window"
            )


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


# --- streaming sessionizers --------------------------------------------------------------------


class Sessionizer:
    """Events in, finished sessions out: `push` batches, then `flush` at the end of the stream.

    `push(events)` returns the sessions the batch closed (ready to score), `flush()` every
    session still held; after `flush` the sessionizer is done. `stats` counts what was seen.
    `events` is a `pyarrow.Table` or `RecordBatch` with `template_id` and the columns the
    subclass needs (`required_columns`); `timestamp`, `label` and, with `track_lines`, `source`
    and `line_no` are used when present.
    """

    # Batch callers (`sessionize_file`, `sessionize_events`) sort this sessionizer's events
    # by time first: true for time windows, whose streaming drops events a window late.
    time_ordered: bool = False

    def __init__(self, track_lines: bool = False, stats: SessionizeStats | None = None) -> None:
        self.track_lines = track_lines
        self.stats = stats if stats is not None else SessionizeStats()
        self._done = False

    @property
    def required_columns(self) -> list[str]:
        """Columns `push` refuses to go without."""
        return ["template_id"]

    def wanted_columns(self, available: list[str]) -> list[str]:
        """The columns of `available` that `push` reads (what a file reader should load)."""
        optional = ["timestamp", "label"] + (["source", "line_no"] if self.track_lines else [])
        wanted = list(dict.fromkeys([*self.required_columns, *optional]))
        return [c for c in wanted if c in available]

    def push(self, events: Events, *, where: str = "events") -> list[Session]:
        """Add a batch of events; returns the sessions it closed (`where` names it in errors)."""
        if self._done:
            raise LogbertError(
                "this sessionizer was flushed at the end of its stream: make a new one"
            )
        if not isinstance(events, pa.Table | pa.RecordBatch):
            raise LogbertError(
                f"{where}: events must be a pyarrow Table or RecordBatch, not "
                f"{type(events).__name__}"
            )
        return self._push(_event_columns(events, self, where))

    def flush(self) -> list[Session]:
        """End of the stream: every session still held, in the order they would have closed."""
        if self._done:
            return []
        self._done = True
        return self._flush()

    def _push(self, batch: dict[str, list]) -> list[Session]:
        raise NotImplementedError

    def _flush(self) -> list[Session]:
        raise NotImplementedError

    # --- snapshot / restore: resume a stream exactly (plain JSON) -----------------------------

    def snapshot(self) -> dict:
        """Everything needed to resume this stream exactly, as plain JSON: the kind and
        settings (checked by `restore`), the counts, and every session still held (keys, times,
        line labels seen, raw lines when tracked). Labels by id are not in it: pass them again
        to `SessionizerSettings.build`."""
        return {
            "version": SNAPSHOT_VERSION,
            "kind": type(self).__name__,
            "settings": self._settings(),
            "track_lines": self.track_lines,
            "done": self._done,
            "stats": asdict(self.stats),
            **self._snapshot(),
        }

    def restore(self, state: dict) -> Sessionizer:
        """Continue the stream `snapshot()` described (this sessionizer must be built with the
        same settings: a LogbertError says what differs). Returns self."""
        if not isinstance(state, dict) or state.get("version") != SNAPSHOT_VERSION:
            raise LogbertError(
                f"not a sessionizer snapshot of version {SNAPSHOT_VERSION} "
                f"(got {type(state).__name__} {str(state)[:80]!r})"
            )
        mine = (type(self).__name__, self._settings(), self.track_lines)
        theirs = (state.get("kind"), state.get("settings"), state.get("track_lines"))
        if mine != theirs:
            raise LogbertError(
                f"the sessionizer snapshot was taken with other settings ({theirs}) than this "
                f"sessionizer's ({mine}): build it with the settings it was taken with"
            )
        try:
            for name, value in state["stats"].items():
                setattr(self.stats, name, value)  # in place: a caller may hold the stats
            self._done = bool(state["done"])
            self._restore(state)
        except (KeyError, TypeError, ValueError) as exc:
            raise LogbertError(
                f"the sessionizer snapshot is incomplete or corrupt ({exc!r})"
            ) from exc
        return self

    @property
    def n_open(self) -> int:
        """Sessions held now (not closed yet)."""
        return sum(1 for _ in self._held())

    def peek(self, keys: Collection[int]) -> list[Session]:
        """The sessions held now that hold any of `keys`, as they stand (nothing is closed and
        `stats` is not touched): for alerts on a session before it ends."""
        wanted = set(keys)
        return [
            session.preview(session_id, start, end)
            for session_id, session, start, end in self._held()
            if not wanted.isdisjoint(session.keys)
        ]

    def _held(self) -> Iterator[tuple[str, _Open, int | None, int | None]]:
        """(session id, open session, start, end) of every session held; start/end None for
        the session's own first/last event time."""
        raise NotImplementedError

    def _settings(self) -> dict:
        raise NotImplementedError

    def _snapshot(self) -> dict:
        raise NotImplementedError

    def _restore(self, state: dict) -> None:
        raise NotImplementedError

    field: str | None = None  # --by-field: the header field whose value names the session


class IdSessionizer(Sessionizer):
    """One session per id matched in `content`; a line naming several ids joins each once.

    Labels come from `labels` (id -> label; ids absent stay unlabelled) or, without it, from
    the events' `label` column (any anomalous line makes the session anomalous).
    Without `idle_timeout` every session is held until `flush` and they come out in order of
    first appearance. With it, a session is closed as soon as the newest timestamp is more than
    `idle_timeout` past its last event, so memory holds only the active sessions (and the ids
    already closed); an id that shows up again later starts a new session with the same id,
    counted in `stats.n_reopened`. An idle timeout needs a `timestamp` column.
    """

    def __init__(
        self,
        pattern: str,
        labels: dict[str, str] | None = None,
        idle_timeout: timedelta | str | None = None,
        track_lines: bool = False,
        stats: SessionizeStats | None = None,
    ) -> None:
        super().__init__(track_lines, stats)
        self.pattern = pattern
        self.regex = compile_id_pattern(pattern)
        self._keyed_state(labels, idle_timeout)

    def _keyed_state(self, labels: dict[str, str] | None, idle_timeout) -> None:
        """Labels by id, the idle timeout and the sessions held (shared with by-field)."""
        self.labels = labels
        if isinstance(idle_timeout, str):
            idle_timeout = parse_duration(idle_timeout)
        self.idle_timeout = idle_timeout
        self._timeout = _micros(idle_timeout) if idle_timeout is not None else None
        # insertion order: first appearance or, with a timeout, least recent activity first
        self._sessions: dict[str, _Open] = {}
        self._written: set[str] = set()
        self._newest: int | None = None

    @property
    def required_columns(self) -> list[str]:
        return ["template_id", "content"] + (["timestamp"] if self._timeout is not None else [])

    def _close(self, session_id: str, session: _Open) -> Session:
        label = self.labels.get(session_id) if self.labels is not None else session.label()
        return session.close(session_id, label, self.stats)

    def _push(self, batch: dict[str, list]) -> list[Session]:
        stats, timeout, sessions = self.stats, self._timeout, self._sessions
        track, newest, closed = self.track_lines, self._newest, []
        for ids, key, ts, line_label, line in zip(
            self._ids(batch),
            batch["template_id"],
            batch["timestamp"],
            batch["label"],
            batch["line"],
            strict=True,
        ):
            stats.n_events += 1
            if timeout is not None and ts is not None:
                newest = ts if newest is None else max(newest, ts)
            if not ids:
                stats.n_unmatched += 1
            for session_id in ids:
                if timeout is None:
                    session = sessions.get(session_id)
                else:  # popped and re-inserted below: the end is the most recently active
                    session = sessions.pop(session_id, None)
                if session is None:
                    session = _Open(track)
                    stats.n_reopened += session_id in self._written
                sessions[session_id] = session
                session.touched = newest
                session.add(key, ts, line_label, line)
            if timeout is None or newest is None:
                continue
            stats.max_open = max(stats.max_open, len(sessions))
            while sessions:
                session_id, session = next(iter(sessions.items()))
                if session.touched is not None and session.touched + timeout >= newest:
                    break
                del sessions[session_id]
                self._written.add(session_id)
                closed.append(self._close(session_id, session))
        self._newest = newest
        if timeout is None:  # sessions only grow: the count now is the most so far
            stats.max_open = max(stats.max_open, len(sessions))
        return closed

    def _ids(self, batch: dict[str, list]) -> Iterator[list[str]]:
        """The session ids each event joins."""
        regex = self.regex
        return (_ids_in(regex, content) for content in batch["content"])

    def _flush(self) -> list[Session]:
        sessions, written, labels = self._sessions, self._written, self.labels
        self.stats.max_open = max(self.stats.max_open, len(sessions))
        if labels is not None:
            self.stats.n_labels_unused = sum(
                1 for i in labels if i not in sessions and i not in written
            )
        closed = [self._close(session_id, session) for session_id, session in sessions.items()]
        written.update(sessions)
        sessions.clear()
        return closed

    def _held(self) -> Iterator[tuple[str, _Open, int | None, int | None]]:
        return ((session_id, session, None, None) for session_id, session in self._sessions.items())

    def _settings(self) -> dict:
        return {"pattern": self.pattern, "field": self.field, "idle_timeout_us": self._timeout}

    def _snapshot(self) -> dict:
        return {
            "sessions": [[i, s.to_json()] for i, s in self._sessions.items()],
            "written": sorted(self._written),
            "newest": self._newest,
        }

    def _restore(self, state: dict) -> None:
        self._sessions = {str(i): _Open.from_json(s) for i, s in state["sessions"]}
        self._written = set(state["written"])
        self._newest = state["newest"]


class FieldSessionizer(IdSessionizer):
    """One session per value of a header field (`--by-field Node`); the value is the id.

    Works as `IdSessionizer` (labels by id, `idle_timeout`, `n_reopened`) with the field's
    value instead of an id in the content; events with no value (null or empty) are counted in
    `stats.n_unmatched`.
    """

    def __init__(
        self,
        field: str,
        labels: dict[str, str] | None = None,
        idle_timeout: timedelta | str | None = None,
        track_lines: bool = False,
        stats: SessionizeStats | None = None,
    ) -> None:
        Sessionizer.__init__(self, track_lines, stats)
        self.field = self.stats.field = field
        self.pattern, self.regex = None, None
        self._keyed_state(labels, idle_timeout)

    @property
    def required_columns(self) -> list[str]:
        return ["template_id", self.field] + (["timestamp"] if self._timeout is not None else [])

    def _ids(self, batch: dict[str, list]) -> Iterator[list[str]]:
        return ([v] if v else [] for v in batch[self.field])


class WindowSessionizer(Sessionizer):
    """Fixed (`step` None or equal to `window`) or sliding windows over `timestamp`.

    Windows start at multiples of `step` since the Unix epoch and cover [start, start+window);
    a line belongs to every window that covers it. Empty windows are not emitted. The session
    id is the window start (ISO 8601); `start`/`end` are the window bounds, `end` exclusive.
    A window closes once the newest timestamp is a window length past its end; lines later
    than that are counted in `stats.n_late`, lines without a timestamp in `n_no_timestamp`.
    With `field` there is one window per (value of that header field, window): the id is
    `value@start` and sessions come out in the order they close (then first appearance);
    events with no value are counted in `stats.n_unmatched`.
    Batch callers sort its events by time first (`time_ordered`), so only a live stream can
    have late events.
    """

    time_ordered = True

    def __init__(
        self,
        window: timedelta | str,
        step: timedelta | str | None = None,
        track_lines: bool = False,
        stats: SessionizeStats | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(track_lines, stats)
        self.field = self.stats.field = field
        self._keyed: dict[tuple[str, int], _Open] = {}  # with field: (value, index) -> session
        self._closing: list[tuple[int, int, tuple[str, int]]] = []  # heap: (close at, seq, key)
        self._seq = 0
        self.window = parse_duration(window) if isinstance(window, str) else window
        self.step = parse_duration(step) if isinstance(step, str) else step
        self._width = _micros(self.window)
        self._stride = _micros(self.step) if self.step is not None else self._width
        if self._stride > self._width:
            raise LogbertError(
                f"--step {step} is longer than --window {window}: lines between windows would "
                "be lost"
            )
        self._grace = self._width
        self._windows: dict[int, _Open] = {}  # window index -> open session, first appearance
        self._newest: int | None = None

    @property
    def required_columns(self) -> list[str]:
        return ["template_id", "timestamp"] + ([self.field] if self.field is not None else [])

    def _push(self, batch: dict[str, list]) -> list[Session]:
        if self.field is not None:
            return self._push_keyed(batch)
        stats, windows, track, closed = self.stats, self._windows, self.track_lines, []
        width, stride, grace, newest = self._width, self._stride, self._grace, self._newest
        for key, ts, line_label, line in zip(
            batch["template_id"], batch["timestamp"], batch["label"], batch["line"], strict=True
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
                    session = windows[index] = _Open(track)
                session.add(key, ts, line_label, line)
            stats.n_late += late
            stats.max_open = max(stats.max_open, len(windows))
            while windows:
                index = next(iter(windows))
                if index * stride + width + grace > newest:
                    break
                closed.append(self._close(windows.pop(index), index))
        self._newest = newest
        return closed

    def _push_keyed(self, batch: dict[str, list]) -> list[Session]:
        stats, keyed, heap, track, closed = (
            self.stats,
            self._keyed,
            self._closing,
            self.track_lines,
            [],
        )
        width, stride, grace, newest = self._width, self._stride, self._grace, self._newest
        for value, key, ts, line_label, line in zip(
            batch[self.field],
            batch["template_id"],
            batch["timestamp"],
            batch["label"],
            batch["line"],
            strict=True,
        ):
            stats.n_events += 1
            if not value:
                stats.n_unmatched += 1
                continue
            if ts is None:
                stats.n_no_timestamp += 1
                continue
            if newest is None or ts > newest:
                newest = ts
            late = False
            for index in range((ts - width) // stride + 1, ts // stride + 1):
                close_at = index * stride + width + grace
                if close_at <= newest:
                    late = True
                    continue
                session = keyed.get((value, index))
                if session is None:
                    session = keyed[(value, index)] = _Open(track)
                    heapq.heappush(heap, (close_at, self._seq, (value, index)))
                    self._seq += 1
                session.add(key, ts, line_label, line)
            stats.n_late += late
            stats.max_open = max(stats.max_open, len(keyed))
            while heap and heap[0][0] <= newest:
                _, _, (value_, index) = heapq.heappop(heap)
                closed.append(self._close(keyed.pop((value_, index)), index, value_))
        self._newest = newest
        return closed

    def _flush(self) -> list[Session]:
        closed = [self._close(session, index) for index, session in self._windows.items()]
        self._windows.clear()
        heap, keyed = self._closing, self._keyed
        while heap:
            _, _, (value, index) = heapq.heappop(heap)
            closed.append(self._close(keyed.pop((value, index)), index, value))
        return closed

    def _close(self, session: _Open, index: int, value: str | None = None) -> Session:
        start = index * self._stride
        session_id = _to_datetime(start).isoformat()
        if value is not None:
            session_id = f"{value}@{session_id}"
        return session.close(
            session_id, session.label(), self.stats, start=start, end=start + self._width
        )

    def _held(self) -> Iterator[tuple[str, _Open, int | None, int | None]]:
        for index, session in self._windows.items():
            yield (
                self._window_id(index),
                session,
                index * self._stride,
                index * self._stride + self._width,
            )
        for (value, index), session in self._keyed.items():
            start = index * self._stride
            yield self._window_id(index, value), session, start, start + self._width

    def _window_id(self, index: int, value: str | None = None) -> str:
        session_id = _to_datetime(index * self._stride).isoformat()
        return session_id if value is None else f"{value}@{session_id}"

    def _settings(self) -> dict:
        return {"window_us": self._width, "step_us": self._stride, "field": self.field}

    def _snapshot(self) -> dict:
        return {
            "windows": [[i, s.to_json()] for i, s in self._windows.items()],
            "keyed": [[v, i, s.to_json()] for (v, i), s in self._keyed.items()],
            "closing": [[at, seq, v, i] for at, seq, (v, i) in self._closing],  # a heap: as is
            "seq": self._seq,
            "newest": self._newest,
        }

    def _restore(self, state: dict) -> None:
        self._windows = {int(i): _Open.from_json(s) for i, s in state["windows"]}
        self._keyed = {(str(v), int(i)): _Open.from_json(s) for v, i, s in state["keyed"]}
        self._closing = [
            (int(at), int(seq), (str(v), int(i))) for at, seq, v, i in state["closing"]
        ]
        self._seq = int(state["seq"])
        self._newest = state["newest"]


class LineSessionizer(Sessionizer):
    """Count windows: `lines` consecutive events per session, a new window every `step`
    events (default `lines`: fixed windows); for logs whose time is unusable. With `field`,
    counted per value of that header field (the `lines` consecutive events with the same value).

    A window is written as soon as it is full; at the end of the stream the earliest unfinished
    window of each value (the tail) is written too, shorter, when it holds lines no full window
    has (the later unfinished windows of a sliding run lie inside it). Ids: `#k` (k = 0-based
    window index) or `value#k`; `start`/`end` are the first and last event times (null
    without timestamps). Events with no value of `field` are counted in `stats.n_unmatched`.
    """

    def __init__(
        self,
        lines: int,
        step: int | None = None,
        field: str | None = None,
        track_lines: bool = False,
        stats: SessionizeStats | None = None,
    ) -> None:
        super().__init__(track_lines, stats)
        self.lines, self.step = _positive_count(lines, "--lines"), step
        self._step = _positive_count(step, "--step") if step is not None else self.lines
        if self._step > self.lines:
            raise LogbertError(
                f"--step {step} is longer than --lines {lines}: lines between windows would be lost"
            )
        self.field = self.stats.field = field
        self.stats.by_lines = True
        self._counts: dict[str | None, int] = {}  # events seen per value
        self._open: dict[tuple[str | None, int], _Open] = {}  # (value, index), creation order

    @property
    def required_columns(self) -> list[str]:
        return ["template_id"] + ([self.field] if self.field is not None else [])

    def _push(self, batch: dict[str, list]) -> list[Session]:
        stats, counts, open_, track, closed = (
            self.stats, self._counts, self._open, self.track_lines, [],
        )  # fmt: skip
        size, stride = self.lines, self._step
        values = batch[self.field] if self.field is not None else [None] * len(batch["label"])
        for value, key, ts, line_label, line in zip(
            values, batch["template_id"], batch["timestamp"], batch["label"], batch["line"],
            strict=True,
        ):  # fmt: skip
            stats.n_events += 1
            if self.field is not None and not value:
                stats.n_unmatched += 1
                continue
            pos = counts.get(value, 0)
            counts[value] = pos + 1
            for index in range(max(0, (pos - size) // stride + 1), pos // stride + 1):
                session = open_.get((value, index))
                if session is None:
                    session = open_[(value, index)] = _Open(track)
                session.add(key, ts, line_label, line)
            stats.max_open = max(stats.max_open, len(open_))
            full = pos - size + 1
            if full >= 0 and full % stride == 0:
                index = full // stride
                closed.append(self._close(open_.pop((value, index)), value, index))
        return closed

    def _flush(self) -> list[Session]:
        tails: dict[str | None, tuple[int, _Open]] = {}
        for (value, index), session in self._open.items():
            if value not in tails or index < tails[value][0]:
                tails[value] = (index, session)
        self._open.clear()
        size, stride, counts = self.lines, self._step, self._counts
        return [
            self._close(session, value, index)
            for value, (index, session) in tails.items()
            # only when it holds lines no full window has (sliding: it may lie inside the last)
            if index == 0 or counts[value] > (index - 1) * stride + size
        ]

    def _close(self, session: _Open, value: str | None, index: int) -> Session:
        session_id = f"{value}#{index}" if value is not None else f"#{index}"
        return session.close(session_id, session.label(), self.stats)

    def _held(self) -> Iterator[tuple[str, _Open, int | None, int | None]]:
        for (value, index), session in self._open.items():
            yield (f"{value}#{index}" if value is not None else f"#{index}"), session, None, None

    def _settings(self) -> dict:
        return {"lines": self.lines, "step": self._step, "field": self.field}

    def _snapshot(self) -> dict:
        return {
            "counts": [[v, n] for v, n in self._counts.items()],
            "open": [[v, i, s.to_json()] for (v, i), s in self._open.items()],
        }

    def _restore(self, state: dict) -> None:
        self._counts = {v: int(n) for v, n in state["counts"]}
        self._open = {(v, int(i)): _Open.from_json(s) for v, i, s in state["open"]}


# --- settings ------------------------------------------------------------------------------------


@dataclass
class SessionizerSettings:
    """How to cut sessions, as the user wrote it (`--by-id`, `--idle-timeout`, `--window`,
    `--step`, `--by-field`, `--lines`; durations like "1d"): check it, save it as JSON,
    describe it, build it.

    Modes: exactly one of `by_id`, `window`, `lines`; or `by_field` alone or with `window` or
    `lines` (one session per value and window). `step` slides `window` (a duration) or
    `lines` (a count); `idle_timeout` closes quiet `by_id` / `by_field`-alone sessions."""

    by_id: str | None = None
    idle_timeout: str | None = None
    window: str | None = None
    step: str | None = None
    by_field: str | None = None
    lines: int | None = None

    def validate(self) -> SessionizerSettings:
        """Raise `LogbertError` for a combination or value that cannot work; returns self."""
        if self.by_id is not None and self.by_field is not None:
            raise LogbertError(
                "--by-id and --by-field both name the session: give one (--by-field goes with "
                "--window or --lines)"
            )
        cuts = [self.by_id, self.window, self.lines]
        given = sum(c is not None for c in cuts)
        if given > 1 or (given == 0 and self.by_field is None):
            raise LogbertError(
                "give exactly one of --by-id REGEX or --window DURATION or --lines N, or "
                "--by-field FIELD (alone or with --window or --lines)"
            )
        if self.step is not None and self.window is None and self.lines is None:
            raise LogbertError(
                "--step slides time windows (--window) or count windows (--lines): use it with "
                "one of them"
            )
        if self.idle_timeout is not None and (
            (self.by_id is None and self.by_field is None)
            or self.window is not None
            or self.lines is not None
        ):
            raise LogbertError(
                "--idle-timeout closes quiet --by-id or --by-field sessions: use it with --by-id "
                "or --by-field alone"
            )
        if self.by_field is not None and (
            not isinstance(self.by_field, str) or not self.by_field.strip()
        ):
            raise LogbertError("--by-field needs a header field name, e.g. Node")
        if self.by_id is not None:
            compile_id_pattern(self.by_id)
        if self.idle_timeout is not None:
            parse_duration(self.idle_timeout)
        if self.window is not None:
            window = parse_duration(self.window)
            if self.step is not None and parse_duration(self.step) > window:
                raise LogbertError(
                    f"--step {self.step} is longer than --window {self.window}: lines between "
                    "windows would be lost"
                )
        if self.lines is not None:
            lines = _positive_count(self.lines, "--lines")
            if self.step is not None and _positive_count(self.step, "--step") > lines:
                raise LogbertError(
                    f"--step {self.step} is longer than --lines {self.lines}: lines between "
                    "windows would be lost"
                )
        return self

    def to_dict(self) -> dict[str, str | int | None]:
        """Plain JSON: `{"by_id", "idle_timeout", "window", "step", "by_field", "lines"}`."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> SessionizerSettings:
        """Settings from `to_dict()` output (missing keys are None); checked with `validate`."""
        if not isinstance(data, dict):
            raise LogbertError(f"sessionizer settings must be a JSON object, not {data!r}")
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise LogbertError(
                f"unknown sessionizer setting(s) {', '.join(unknown)}; known: "
                f"{', '.join(sorted(names))}"
            )
        for name, value in data.items():
            if value is None:
                continue
            if name == "lines":
                if isinstance(value, bool) or not isinstance(value, int):
                    raise LogbertError(
                        f"sessionizer setting lines must be an integer, not {value!r}"
                    )
            elif not isinstance(value, str):
                raise LogbertError(f"sessionizer setting {name} must be a string, not {value!r}")
        return cls(**data).validate()

    def build(
        self,
        labels: dict[str, str] | None = None,
        track_lines: bool = False,
        stats: SessionizeStats | None = None,
    ) -> Sessionizer:
        """A fresh sessionizer for one stream (`labels`: id -> label, by id or by field alone)."""
        self.validate()
        if self.by_id is not None:
            return IdSessionizer(self.by_id, labels, self.idle_timeout, track_lines, stats)
        keyed = self.window is None and self.lines is None
        if keyed:
            return FieldSessionizer(self.by_field, labels, self.idle_timeout, track_lines, stats)
        if labels is not None:
            raise LogbertError(
                "--labels joins labels by session id (use with --by-id or --by-field alone); "
                "windows are labelled from the events' label column"
            )
        if self.lines is not None:
            step = int(self.step) if self.step is not None else None
            return LineSessionizer(self.lines, step, self.by_field, track_lines, stats)
        return WindowSessionizer(self.window, self.step, track_lines, stats, self.by_field)

    def describe(self) -> str:
        """One line, e.g. `by id 'blk_-?\\d+', idle timeout 1d`, `windows of 5m every 1m`,
        `by field Node, windows of 5m`, `windows of 100 lines every 50`."""
        if self.by_id is not None:
            text = f"by id '{self.by_id}'"
            return text + (f", idle timeout {self.idle_timeout}" if self.idle_timeout else "")
        parts = [f"by field {self.by_field}"] if self.by_field is not None else []
        if self.idle_timeout:
            parts.append(f"idle timeout {self.idle_timeout}")
        if self.window is not None:
            text = f"windows of {self.window}"
            parts.append(text + (f" every {self.step}" if self.step is not None else ""))
        if self.lines is not None:
            text = f"windows of {self.lines} lines"
            parts.append(text + (f" every {self.step}" if self.step is not None else ""))
        return ", ".join(parts)


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
    _check_columns(names, sessionizer.required_columns, str(path), sessionizer.field)
    columns = sessionizer.wanted_columns(names)
    batches: Iterator[Events] = parquet.iter_batches(batch_size=batch_size, columns=columns)
    if sessionizer.time_ordered and not _file_in_time_order(parquet, batch_size, str(path)):
        batches = sorted_by_time(parquet.read(columns=columns), batch_size, str(path))
    for batch in batches:
        yield from sessionizer.push(batch, where=str(path))
        if progress is not None:
            progress(batch.num_rows)
    yield from sessionizer.flush()


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
    events = (table for table in events if table.num_rows)
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
        held.append(table.select(sessionizer.wanted_columns(names)))
    if held:
        try:
            whole = pa.concat_tables(held, promote_options="permissive")
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise LogbertError(f"{where}: the event tables do not fit together ({exc})") from exc
        for batch in sorted_by_time(whole, batch_size, where):
            yield from sessionizer.push(batch, where=where)
    yield from sessionizer.flush()


def sorted_by_time(events: pa.Table, batch_size: int, where: str) -> Iterator[pa.Table]:
    """`events` in time order, `batch_size` rows at a time: a stable sort on `timestamp`
    (equal times keep their order; events without one come last, where a window counts
    them). Already in order: plain slices, no copy."""
    micros = _timestamp_micros(events.column("timestamp"), where)
    in_order, _ = _ascending(micros)
    order = None if in_order else pc.array_sort_indices(micros, null_placement="at_end")
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


class _Open:
    """A session being built: keys in line order, time range, line labels seen, raw lines."""

    __slots__ = ("keys", "first", "last", "anomalous", "unknown", "touched", "lines", "categories")

    def __init__(self, track_lines: bool = False) -> None:
        self.keys = array("q")
        self.touched: int | None = None  # newest time in the stream when it last got an event
        self.first: int | None = None
        self.last: int | None = None
        self.anomalous = False
        self.unknown = False
        self.categories: set[str] = set()  # alert names of the anomalous lines (BGL: KERNDTLB)
        self.lines: list[tuple[str, int]] | None = [] if track_lines else None

    def add(
        self, key: int, ts: int | None, line_label: str | None, line: tuple | None = None
    ) -> None:
        self.keys.append(key)
        if ts is not None:
            self.first = ts if self.first is None else min(self.first, ts)
            self.last = ts if self.last is None else max(self.last, ts)
        if line_label is None:
            self.unknown = True
        elif line_label != NORMAL:  # anomaly, or an alert's name
            self.anomalous = True
            if line_label != ANOMALY:
                self.categories.add(line_label)
        if self.lines is not None:
            if line is None:  # events without source/line_no: the evidence is incomplete
                self.lines = None
            else:
                self.lines.append(line)

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
        """`label`: from a labels map (normal/anomaly or a category name) or `self.label()`;
        an anomalous session gets its lines' alert names as categories (distinct, sorted)."""
        label, categories = split_label(label)
        if label == ANOMALY and categories is None and self.categories:
            categories = sorted(self.categories)
        stats.count(label, categories)
        start = self.first if start is None else start
        end = self.last if end is None else end
        return Session(
            session_id=session_id,
            keys=self.keys.tolist(),
            label=label,
            start=_to_datetime(start),
            end=_to_datetime(end),
            n_lines=len(self.keys),
            lines=self.lines,
            categories=categories,
        )

    def preview(self, session_id: str, start: int | None = None, end: int | None = None) -> Session:
        """The session as it stands, without closing it (no stats counted)."""
        return Session(
            session_id=session_id,
            keys=self.keys.tolist(),
            label=self.label(),
            start=_to_datetime(self.first if start is None else start),
            end=_to_datetime(self.last if end is None else end),
            n_lines=len(self.keys),
            lines=list(self.lines) if self.lines is not None else None,
            categories=sorted(self.categories) if self.anomalous and self.categories else None,
        )

    def to_json(self) -> dict:
        """Plain JSON (`snapshot`): keys, first/last/touched times in µs, labels seen, lines
        (sources listed once, then [source index, line_no] pairs)."""
        out: dict = {
            "keys": self.keys.tolist(),
            "first": self.first,
            "last": self.last,
            "touched": self.touched,
            "anomalous": self.anomalous,
            "unknown": self.unknown,
            "categories": sorted(self.categories),
            "lines": None,
        }
        if self.lines is not None:
            sources: dict[str, int] = {}
            pairs = [[sources.setdefault(src, len(sources)), no] for src, no in self.lines]
            out["lines"] = {"sources": list(sources), "pairs": pairs}
        return out

    @classmethod
    def from_json(cls, data: dict) -> _Open:
        session = cls()
        session.keys = array("q", data["keys"])
        session.first, session.last, session.touched = data["first"], data["last"], data["touched"]
        session.anomalous, session.unknown = bool(data["anomalous"]), bool(data["unknown"])
        session.categories = set(data.get("categories", []))  # absent in older snapshots
        lines = data["lines"]
        if lines is not None:
            sources = lines["sources"]
            session.lines = [(sources[i], no) for i, no in lines["pairs"]]
        return session


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


def _positive_count(value: object, option: str) -> int:
    """A count of lines (`--lines`, `--step` with it): a positive integer, or its digits."""
    if isinstance(value, bool):
        value = None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or value < 1:
        raise LogbertError(f"{option} {value!r}: give a number of lines, 1 or more, e.g. 100")
    return value


def _micros(delta: timedelta) -> int:
    return delta // timedelta(microseconds=1)


def _to_datetime(micros: int | None) -> datetime | None:
    return None if micros is None else _EPOCH + timedelta(microseconds=micros)


def _check_columns(
    names: list[str], needed: list[str], where: str, by_field: str | None = None
) -> None:
    missing = [c for c in needed if c not in names]
    if by_field is not None and by_field in missing:
        reserved = {"line_no", "source", "timestamp", "content", "template_id", "template",
                    "params", "label"}  # fmt: skip
        header = [c for c in names if c not in reserved]
        have = ", ".join(header) if header else "none (a raw format: parse with a format that has"
        have += "" if header else " header fields)"
        raise LogbertError(
            f"{where}: --by-field {by_field!r}: the events have no such field; their header "
            f"fields: {have} (other columns: {', '.join(c for c in names if c not in header)})"
        )
    if missing:
        hint = " (--window needs timestamped events)" if "timestamp" in missing else ""
        raise LogbertError(
            f"{where}: events need column(s) {', '.join(missing)}{hint}; it has "
            f"{', '.join(names)}. Write events with `logbert parse`."
        )


def _event_columns(events: Events, sessionizer: Sessionizer, where: str) -> dict[str, list]:
    """Python lists: `template_id`, `timestamp` (µs since epoch or None), `label`, `content`
    (when required) and `line` ((source, line_no) per event, None when not tracked/absent)."""
    names = events.schema.names
    _check_columns(names, sessionizer.required_columns, where, sessionizer.field)
    n = events.num_rows
    batch = {"template_id": _keys(events.column("template_id"), where)}
    if "content" in sessionizer.required_columns:
        batch["content"] = events.column("content").to_pylist()
    if sessionizer.field is not None:
        column = events.column(sessionizer.field)
        if not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
            column = pc.cast(column, pa.string())
        batch[sessionizer.field] = column.to_pylist()
    batch["timestamp"] = (
        _timestamps(events.column("timestamp"), where) if "timestamp" in names else [None] * n
    )
    batch["label"] = (
        [event_category(v) for v in events.column("label").to_pylist()]
        if "label" in names
        else [None] * n
    )
    batch["line"] = [None] * n  # (source, line_no) per event when tracked
    if sessionizer.track_lines and "source" in names and "line_no" in names:
        batch["line"] = list(
            zip(
                events.column("source").to_pylist(),
                events.column("line_no").to_pylist(),
                strict=True,
            )
        )
    return batch


def _keys(column: pa.Array | pa.ChunkedArray, where: str) -> list[int]:
    if column.null_count:
        raise LogbertError(
            f"{where}: {column.null_count} events have no template_id; re-run `logbert parse`"
        )
    try:
        return pc.cast(column, pa.int64()).to_pylist()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise LogbertError(f"{where}: template_id must be integers ({exc})") from exc


def _timestamps(column: pa.Array | pa.ChunkedArray, where: str) -> list[int | None]:
    """Microseconds since the epoch (UTC for zone-aware columns), None where missing."""
    return _timestamp_micros(column, where).to_pylist()


def _timestamp_micros(column: pa.Array | pa.ChunkedArray, where: str) -> pa.Array | pa.ChunkedArray:
    """The timestamp column as int64 microseconds since the epoch (UTC for zone-aware
    columns), nulls where missing: what windows cut on, so also what they are sorted by."""
    kind = column.type
    try:
        if pa.types.is_timestamp(kind):
            micros = pc.cast(column, pa.timestamp("us", kind.tz), safe=False)
        else:
            micros = pc.cast(column, pa.timestamp("us"))
        return pc.cast(micros, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise LogbertError(
            f"{where}: column timestamp has type {kind}, not timestamps ({exc})"
        ) from exc


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


def _file_in_time_order(parquet: pq.ParquetFile, batch_size: int, where: str) -> bool:
    """One pass over the timestamp column alone: are the file's events in time order?"""
    last: int | None = None
    for batch in parquet.iter_batches(batch_size=batch_size, columns=["timestamp"]):
        in_order, last = _ascending(_timestamp_micros(batch.column(0), where), last)
        if not in_order:
            return False
    return True
