"""Time windows (`--window`, `--step`), alone or one per value of a header field with
`--by-field`: `WindowSessionizer`.

A window is closed once the newest timestamp seen is a window length past its end: that grace
lets slightly out-of-order lines, common in BGL/Thunderbird, still land in place, and bounds
memory by the windows still open. An event later than that cannot be taken back (its window is
already written), so batch callers put these events in time order first (`time_ordered`) and
only a live stream can have late events, counted in `SessionizeStats.n_late`. Session ids: the
window's start in ISO 8601, prefixed by the value with `--by-field`
(`R02-M1-N0-C:J12-U11@2005-06-03T15:40:00`) or by the id of a `--by-id` regex (windows per id
for logs whose id sits inside the message, a firewall's source address: `id_pattern`). A labels
map (`--labels`) labels windows by these ids, as written (QA: logs without a label column could
not be evaluated by window); without one, a window is anomalous when one of its lines is (a
format's `<Label>` field).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import timedelta

from logbert.errors import LogbertError
from logbert.parsing.dating import COUNTED_BEFORE
from logbert.sessions.io import NORMAL, Session
from logbert.sessions.labels import settle_window_labels, window_label
from logbert.sessions.options import compile_id_pattern, field_names, has_value, parse_duration
from logbert.sessions.silences import WHOLE_LOG, Silence, SilenceRecord
from logbert.sessions.stats import SessionizeStats
from logbert.sessions.streaming import (
    _EPOCH,
    ID_COLUMN,
    Sessionizer,
    _micros,
    _Open,
    _to_datetime,
)

# `dating.COUNTED_BEFORE` in microseconds since the epoch: a time before it counts seconds
# since a start
COUNTED_BEFORE_US = _micros(COUNTED_BEFORE - _EPOCH)

SOURCE_FIELD = "source"  # the input file's name, `--by-field source`: windows per file
SILENT_IDS_LOOKED_UP = 100_000  # empty windows of one silence met with labels (a year of 5 min)
SILENT_AT_END = 2  # windows after a value's last, to the newest, that are a silence at the end
SILENT_PART = 0.5  # ... the newest counted where the log went through this share of it
# with `value_clock`: pushes in a row without an event of a value after which its windows close
# by the stream's newest time, as windows of a value that fell silent (rounds of reading every
# input to its end, where the reader says it reads so: `quiet_in_rounds`)
QUIET_PUSHES = 2
VALUES_WATCHED = 100_000  # values of windows per value watched for silences (memory bound)


class WindowSessionizer(Sessionizer):
    """Fixed (`step` None or equal to `window`) or sliding windows over `timestamp`.

    Windows start at multiples of `step` since the Unix epoch and cover [start, start+window);
    a line belongs to every window that covers it. Empty windows are not emitted. The session
    id is the window start (ISO 8601); `start`/`end` are the window bounds, `end` exclusive.
    A window closes once the newest timestamp is a window length past its end; lines later
    than that are counted in `stats.n_late`. A line without a timestamp takes the time of the
    dated line before it (`n_dated_before`: a traceback or a lifecycle line between dated
    ones, QA uWSGI: its HARAKIRI and crash lines were in no window), and one before any dated
    line is counted in `n_no_timestamp`.
    With `field` there is one window per (value of that header field, window): the id is
    `value@start` and sessions come out in the order they close (then first appearance);
    events with no value are counted in `stats.n_unmatched`.
    Batch callers sort its events by time first (`time_ordered`), so only a live stream can
    have late events.
    """

    windows_per_log = True

    time_ordered = True

    def __init__(
        self,
        window: timedelta | str,
        step: timedelta | str | None = None,
        track_lines: bool = False,
        stats: SessionizeStats | None = None,
        field: str | None = None,
        labels: dict[str, str] | None = None,
        id_pattern: str | None = None,
    ) -> None:
        super().__init__(track_lines, stats)
        self.field = field
        # windows per id of a --by-id regex: the first id each message names (`ID_COLUMN`),
        # with `field` within its value; the counts speak of ids then, as `IdSessionizer`'s
        if id_pattern is None:
            self.stats.field = field
        self.id_pattern = id_pattern
        self.id_regex = compile_id_pattern(id_pattern) if id_pattern is not None else None
        self.key_column = ID_COLUMN if id_pattern is not None else field
        # kinds of event only among those with no id (`stats`; QA Zabbix: every housekeeper
        # run and slow query in no host's window, said as a count alone)
        self.stats.id_keys = id_pattern is not None
        self.labels = labels
        # with labels: the ids of the windows closed, in order (a dict: examples repeat)
        self._written: dict[str, None] = {}
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
        self._previous: int | None = None  # the last dated event's time (an undated one's)
        # the first dated event's time: a window begun before it starts there, the log's start
        # cutting it (`_close`)
        self._first: int | None = None
        # ... per input file with windows per file (`--by-field source`): each file's first
        # event, its own log's start (QA Vector: every host's first window started at the first
        # file's first line, a time the host never logged)
        self._first_by_file: dict[str, int] = {}
        self._last_closed: int | None = None  # the last plain window's index (silences)
        # ... and per value, its last window's index and how many it wrote (VALUES_WATCHED)
        self._last_by_value: dict[str, tuple[int, int]] = {}
        # windows per value closed by each value's own time (`value_clock`), set by a live
        # stream of inputs read one after another (`serving.engine`): the newest time of any
        # made the lines of an input read after one that reached later "late" (QA Mimir: one
        # file per pod, 1,432 of 2,331 events not scored; QA OctoPrint: a second printer's
        # every line). A value's windows also close by the stream's newest time once
        # QUIET_PUSHES pushes in a row held none of its events (a host that fell silent).
        self.value_clock = False
        # ... quiet counted in rounds of reading every input to its end (`end_round`, watch),
        # not in pushes: a file read in several pushes made another file quiet, its windows
        # closed by the first's clock and its next lines late (QA Zammad: a worker's log some
        # minutes behind the web server's, 64 events not scored)
        self.quiet_in_rounds = False
        self._round_written = False  # an event of some value since the last `end_round`
        self._clock_by_value: dict[str, int] = {}
        self._closed_through: dict[str, int] = {}  # per value, its last window closed
        self._pushed_at: dict[str, int] = {}  # per value, the push that last held its event
        self._pushes = 0
        # every silence and the windows each value wrote, when a caller asks for them (set to
        # a `SilenceRecord`: batch reads of raw logs, `pipeline.logs`); with it, each value's
        # last event (time, line) before its next window
        self.silence_record: SilenceRecord | None = None
        self._last_event: dict[str, tuple[int | None, tuple | None]] = {}

    @property
    def required_columns(self) -> list[str]:
        fields = field_names(self.field) if self.field is not None else []
        if self.id_pattern is not None:
            return ["template_id", "timestamp", "content", *fields]
        return ["template_id", "timestamp", *fields]

    def _push(self, batch: dict[str, list]) -> list[Session]:
        if self.key_column is not None:
            return self._push_keyed(batch)
        stats, windows, track, closed = self.stats, self._windows, self.track_lines, []
        width, stride, grace, newest = self._width, self._stride, self._grace, self._newest
        for key, ts, line_label, line in zip(
            batch["template_id"], batch["timestamp"], batch["label"], batch["line"], strict=True
        ):
            stats.n_events += 1
            if (ts := self._dated(ts)) is None:
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
        by_value, clocks = self.value_clock, self._clock_by_value
        self._pushes += not self.quiet_in_rounds
        for value, key, ts, line_label, line in zip(
            batch[self.key_column],
            batch["template_id"],
            batch["timestamp"],
            batch["label"],
            batch["line"],
            strict=True,
        ):
            stats.n_events += 1
            if not has_value(value):
                stats.count_no_value(key)
                continue
            if (ts := self._dated(ts)) is None:
                continue
            if self.key_column == SOURCE_FIELD and ts < self._first_by_file.get(value, ts + 1):
                self._first_by_file[value] = ts
            if newest is None or ts > newest:
                newest = ts
            clock = newest
            if by_value:
                own = clocks.get(value)
                clock = clocks[value] = ts if own is None or ts > own else own
                self._pushed_at[value] = self._pushes
                self._round_written = True
            done = self._closed_through.get(value, -1) if by_value else -1
            late = False
            for index in range((ts - width) // stride + 1, ts // stride + 1):
                close_at = index * stride + width + grace
                if close_at <= clock or index <= done:
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
            while heap and heap[0][0] <= newest and not by_value:
                _, _, (value_, index) = heapq.heappop(heap)
                closed.append(self._close(keyed.pop((value_, index)), index, value_))
        self._newest = newest
        if by_value:
            closed += self._close_by_value_clock()
        return closed

    def end_round(self) -> list[Session]:
        """With `quiet_in_rounds`, the reader has read every input to its end: a value with no
        event in QUIET_PUSHES rounds that held events (of other values) is quiet; the windows
        that closes. A round with no event at all counts for none (the inputs wait alike)."""
        if not self._round_written:
            return []
        self._round_written = False
        self._pushes += 1
        return self._close_by_value_clock() if self.value_clock else []

    def wrote_this_round(self, value: str) -> bool:
        """Whether `value` had an event since the last `end_round` (not silent if behind)."""
        return self._pushed_at.get(value, -1) == self._pushes

    def _close_by_value_clock(self) -> list[Session]:
        """With `value_clock`, the windows due by the stream's newest time whose value's own
        time has passed their close, or whose value held no event for QUIET_PUSHES pushes."""
        heap, keyed, closed, kept = self._closing, self._keyed, [], []
        while heap and self._newest is not None and heap[0][0] <= self._newest:
            entry = heapq.heappop(heap)
            close_at, _, (value, index) = entry
            quiet = self._pushes - self._pushed_at.get(value, 0) >= QUIET_PUSHES
            if self._clock_by_value.get(value, close_at) < close_at and not quiet:
                kept.append(entry)
                continue
            self._closed_through[value] = max(index, self._closed_through.get(value, -1))
            closed.append(self._close(keyed.pop((value, index)), index, value))
        for entry in kept:
            heapq.heappush(heap, entry)
        if len(self._clock_by_value) > VALUES_WATCHED:
            self._forget_values()
        return closed

    def _forget_values(self) -> None:
        """Bound the value clock's memory (a value per request id in a stream that never ends):
        drop, longest quiet first, the values with no window open, down to nine tenths of
        VALUES_WATCHED. (An event of a dropped value for a window already written would write
        it again: a value quiet that long is taken as gone.)"""
        open_values = {value for value, _ in self._keyed}
        quiet = sorted(
            (v for v in self._clock_by_value if v not in open_values), key=self._pushed_at.get
        )
        for value in quiet[: len(self._clock_by_value) - VALUES_WATCHED * 9 // 10]:
            del self._clock_by_value[value]
            self._closed_through.pop(value, None)
            self._pushed_at.pop(value, None)

    def _dated(self, ts: int | None) -> int | None:
        """`ts`, or for an undated event the time of the dated one before it (None, counted,
        when there was none)."""
        if ts is not None:
            self._previous = ts
            if self._first is None or ts < self._first:
                self._first = ts
            self.stats.n_counted_times += ts < COUNTED_BEFORE_US
            return ts
        if self._previous is None:
            self.stats.n_no_timestamp += 1
        else:
            self.stats.n_dated_before += 1
        return self._previous

    def _flush(self) -> list[Session]:
        closed = [self._close(session, index) for index, session in self._windows.items()]
        self._windows.clear()
        heap, keyed = self._closing, self._keyed
        while heap:
            _, _, (value, index) = heapq.heappop(heap)
            closed.append(self._close(keyed.pop((value, index)), index, value))
        self._count_silences_at_end()
        if self.labels is not None:
            settle_window_labels(self.labels, self._written, self.stats)
            self._count_silent_labels()
        return closed

    def _count_silent_labels(self) -> None:
        """Count the labels' ids that named no window because they name a window of a
        recorded silence (`stats.n_labels_silent`): a model that judges silences has rows
        for some of them, and the summary must not call them all unjudged."""
        if self.silence_record is None or not self.stats.n_labels_unused:
            return
        silent = {i for s in self.silence_record.silences for i, _, _ in s.windows()}
        self.stats.n_labels_silent = sum(i in silent for i in self.labels if i not in self._written)

    def _count_silences_at_end(self) -> None:
        """Count, as `_count_value_silence` does, the windows after a value's last one up to
        the newest window any value wrote, where at least `SILENT_AT_END` (QA Telegraf: a host
        whose agent died and never wrote again, while nine others went on to the log's end,
        was said by nothing; one that came back was)."""
        if not self._last_by_value:
            return
        newest = max(index for index, _ in self._last_by_value.values())
        # ... but the newest window only where the log went through half of it at least: one it
        # barely entered is no time a value kept silent (QA Swift: an auditor that reports every
        # 30 minutes flagged at 12:00-12:05, the log ending at 12:00:00, its silence one window
        # longer than training's longest)
        end = newest * self._stride + self._width
        entered = self._newest is not None and end - self._newest > self._width * SILENT_PART
        until = newest if entered else newest + 1
        for value, (last, written) in self._last_by_value.items():
            if until - 1 - last >= SILENT_AT_END:
                self._add_silence(value, written, last, until, at_end=True)
        self._last_by_value = {}  # (counted once)

    def _close(self, session: _Open, index: int, value: str | None = None) -> Session:
        if value is None:
            self._count_silence(index)
        else:
            self._count_value_silence(value, index)
        if self.silence_record is not None:
            self.silence_record.windows[WHOLE_LOG if value is None else value] += 1
            line = session.lines[-1] if session.lines else None
            self._last_event[WHOLE_LOG if value is None else value] = (session.last, line)
        start = index * self._stride
        session_id = self._window_id(index, value)
        label = session.label()
        if self.labels is not None:
            label = window_label(
                self.labels, self._written, self.stats, session_id, session.anomalous
            )
        # a window the log's start cut begins at the log's first event, so it is shorter than
        # the others and marked open as one the log's end cut is (`SessionLifecycle.open_mask`;
        # QA Telegraf: each host's first window, a few minutes of it in the log, was judged
        # whole, and `length` flagged all of them, 10 of its 11 false alarms)
        first = self._first_by_file.get(value, self._first) if value is not None else self._first
        begin = start if first is None else max(start, first)
        return session.close(session_id, label, self.stats, start=begin, end=start + self._width)

    def _count_silence(self, index: int) -> None:
        """Count the windows between the last plain window closed and window `index` that
        held no event (`SessionizeStats.silence_warning`), and those the labels call
        anomalous."""
        last, self._last_closed = self._last_closed, index
        if last is None or index <= last + 1:
            return
        self._record_silence(WHOLE_LOG, last, index)
        stats = self.stats
        stats.n_empty_windows += index - last - 1
        stats.empty_window_example = stats.empty_window_example or self._window_id(last + 1)
        if self.labels is not None:
            empty = range(last + 1, min(index, last + 1 + SILENT_IDS_LOOKED_UP))
            stats.n_labels_silent_anomalous += sum(
                self.labels.get(self._window_id(i), NORMAL) != NORMAL for i in empty
            )

    def _count_value_silence(self, value: str, index: int) -> None:
        """Count, per value (a host's file, a node), the windows between its last window and
        window `index` that held none of its events (`SessionizeStats.value_silence_warning`;
        QA Consul: a client that crashed wrote no window for 40 minutes while seven others
        wrote theirs, and nothing said so)."""
        seen = self._last_by_value.get(value)
        if seen is None and len(self._last_by_value) >= VALUES_WATCHED:
            return
        last, written = seen if seen is not None else (None, 0)
        self._last_by_value[value] = (index, written + 1)
        if last is not None and index > last + 1:
            self._add_silence(value, written, last, index)
        if value in self.stats.value_silences:
            self.stats.value_silences[value][1] += 1

    def _add_silence(
        self, value: str, written: int, last: int, until: int, at_end: bool = False
    ) -> None:
        """Count the windows of `value` after its window `last`, up to `until` (excluded), as
        one silence in `stats.value_silences` (empty windows, windows written, the first
        empty one's id, silences); `written`: its windows written so far; `at_end`: the log
        ended before it wrote again."""
        self._record_silence(value, last, until, at_end)
        entry = self.stats.value_silences.setdefault(
            value, [0, written, self._window_id(last + 1, value), 0]
        )
        entry[0] += until - last - 1
        entry[3] += 1

    def _record_silence(
        self,
        value: str,
        last: int,
        until: int,
        at_end: bool = False,
        into: list[Silence] | None = None,
    ) -> None:
        """Keep the silence of `value` after its window `last`, up to window `until`
        (excluded), in `silence_record` when one is kept (or in `into`)."""
        if into is None and self.silence_record is None:
            return
        when, line = self._last_event.get(value, (None, None))
        (into if into is not None else self.silence_record.silences).append(
            Silence(
                value=value,
                start=_to_datetime((last + 1) * self._stride),
                step=timedelta(microseconds=self._stride),
                width=self.window,
                length=until - last - 1,
                last_event=_to_datetime(when),
                last_line=tuple(line) if line is not None else None,
                at_end=at_end,
            )
        )

    def running_silences(self, values: Iterable[str] | None = None) -> Iterator[Silence]:
        """The silences still running, by each value's own clock (`value_clock`: the live
        engine), of those of `values` (default: every value) with an event seen: the complete
        windows since its last event that hold none of its events, up to the stream's newest
        time (a window is complete once that time is past its end). Only meaningful once every
        input has been read to its end: a value read later lags without being silent."""
        if self._newest is None:
            return
        last_complete = (self._newest - self._width) // self._stride
        for value in list(self._clock_by_value) if values is None else values:
            clock = self._clock_by_value.get(value)
            if clock is None or (last := clock // self._stride) >= last_complete:
                continue
            self._record_silence(value, last, last_complete + 1, into=(found := []))
            silence = found[0]
            if silence.last_event != (newest := _to_datetime(clock)):  # (its window still open)
                held = self._keyed.get((value, last))
                line = held.lines[-1] if held is not None and held.lines else None
                silence = replace(
                    silence, last_event=newest, last_line=None if line is None else tuple(line)
                )
            yield silence

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
        return {
            "window_us": self._width,
            "step_us": self._stride,
            "field": self.field,
            "id_pattern": self.id_pattern,
        }

    def _snapshot(self) -> dict:
        return {
            "windows": [[i, s.to_json()] for i, s in self._windows.items()],
            "keyed": [[v, i, s.to_json()] for (v, i), s in self._keyed.items()],
            "closing": [[at, seq, v, i] for at, seq, (v, i) in self._closing],  # a heap: as is
            "seq": self._seq,
            "newest": self._newest,
            "first": self._first,
            "first_by_file": self._first_by_file,
            "clock_by_value": self._clock_by_value,
            "closed_through": self._closed_through,
            "pushed_at": self._pushed_at,
            "pushes": self._pushes,
            # each value's last window and windows written, its last event (silences)
            "last_by_value": self._last_by_value,
            "last_event": self._last_event,
        }

    def _restore(self, state: dict) -> None:
        self._windows = {int(i): _Open.from_json(s) for i, s in state["windows"]}
        self._keyed = {(str(v), int(i)): _Open.from_json(s) for v, i, s in state["keyed"]}
        self._closing = [
            (int(at), int(seq), (str(v), int(i))) for at, seq, v, i in state["closing"]
        ]
        self._seq = int(state["seq"])
        self._newest = state["newest"]
        self._first = state.get("first")  # (a snapshot written before it was kept: None)
        # (... and before the value clock and each file's start were kept: none yet)
        self._first_by_file = {str(v): int(t) for v, t in state.get("first_by_file", {}).items()}
        self._clock_by_value = {str(v): int(t) for v, t in state.get("clock_by_value", {}).items()}
        self._closed_through = {str(v): int(i) for v, i in state.get("closed_through", {}).items()}
        self._pushed_at = {str(v): int(n) for v, n in state.get("pushed_at", {}).items()}
        self._pushes = int(state.get("pushes", 0))
        self._last_by_value = {
            str(v): (int(i), int(n)) for v, (i, n) in state.get("last_by_value", {}).items()
        }
        self._last_event = {
            str(v): (when, tuple(line) if line is not None else None)
            for v, (when, line) in state.get("last_event", {}).items()
        }
