"""The streaming `Sessionizer` base (events in, finished sessions out), `_Open` (a session
being built) and the reading of event columns every kind of sessionizer shares.

Why streaming objects: the same grouping serves two callers. `logbert sessionize` reads an
events parquet in batches and writes every session; online detection (and scoring raw logs)
gets events a batch at a time from a live source and must score each session as soon as it is
finished. So the logic lives once, in a `Sessionizer`: `push(events)` takes a batch of events
(a `pyarrow.Table` or `RecordBatch` with the columns `logbert parse` writes) and returns the
sessions that batch closed; `flush()` at the end of the stream returns everything still held.
The kinds (`id_sessions`, `window_sessions`, `line_sessions`) say which sessions an event joins
and when one closes.

Memory grows only with the sessions held open (each kind says which). Nothing is dropped
silently: what an event could not join is counted in `SessionizeStats`.

With `track_lines=True` each session also carries `lines`: the (source, line_no) of the line
behind each key, so a scored session can point back at the raw log (in memory only; sessions
files do not store it).

`snapshot()` names its kind by class name, not module, so moving a class between modules does
not break the snapshots serving has saved; renaming one does.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Collection, Iterator, Sequence
from dataclasses import asdict
from datetime import datetime, timedelta

import pyarrow as pa
import pyarrow.compute as pc

from logbert.errors import LogbertError
from logbert.parsing.rotation import log_name
from logbert.sessions.io import ANOMALY, NORMAL, Session
from logbert.sessions.labels import event_category, split_label
from logbert.sessions.options import field_names, inside_a_word, match_id, word_around
from logbert.sessions.stats import SessionizeStats

# the key of windows per id in a batch's columns (`_id_values`): no field can take this name
ID_COLUMN = "\x00id"

SNAPSHOT_VERSION = 1  # `Sessionizer.snapshot()` format
_EPOCH = datetime(1970, 1, 1)

Events = pa.Table | pa.RecordBatch


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
    # Windows per input (`--by-field source`) take a rotated file as a part of its log
    # (`folders.log_name`): `app.log.1` and `app.log` are one stream of windows (QA
    # supervisord: each host two sources, the window at the rotation cut in two). One session
    # per file (`FieldSessionizer`) keeps each file apart.
    windows_per_log: bool = False

    @property
    def reads_sources(self) -> bool:
        """Whether `push` reads each event's input (`source`): to tell events of several
        inputs apart where line order is what they join in."""
        return False

    def __init__(self, track_lines: bool = False, stats: SessionizeStats | None = None) -> None:
        self.track_lines = track_lines
        self.stats = stats if stats is not None else SessionizeStats()
        self._done = False

    @property
    def required_columns(self) -> list[str]:
        """Columns `push` refuses to go without."""
        return ["template_id"]

    # header fields read beside the session's when present (`FieldSessionizer`: the host of a
    # process id), under their names in a pushed batch
    context_columns: tuple[str, ...] = ()

    def wanted_columns(self, available: list[str]) -> list[str]:
        """The columns of `available` that `push` reads (what a file reader should load)."""
        optional = ["timestamp", "label"] + (["source", "line_no"] if self.track_lines else [])
        optional += ["source"] if self.reads_sources else []
        optional += list(self.context_columns)
        fields = field_names(self.field) if self.field is not None else []
        if any(f not in available for f in fields):  # a field of the message (`_field_values`)
            optional.append("content")
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


# --- internals -------------------------------------------------------------------------------


class _Open:
    """A session being built: keys in line order, time range, line labels seen, raw lines."""

    __slots__ = ("keys", "first", "last", "anomalous", "unknown", "touched", "lines", "categories",
                 "out_of_order", "gap", "gap_at", "source")  # fmt: skip

    def __init__(self, track_lines: bool = False) -> None:
        self.keys = array("q")
        self.touched: int | None = None  # newest time in the stream when it last got an event
        self.first: int | None = None
        self.last: int | None = None
        self.anomalous = False
        self.unknown = False
        self.categories: set[str] = set()  # alert names of the anomalous lines (BGL: KERNDTLB)
        self.lines: list[tuple[str, int]] | None = [] if track_lines else None
        self.out_of_order = False  # counted in `SessionizeStats.n_out_of_order` (by id)
        self.gap = 0  # µs: the longest quiet time between two of its events (`count_gap`) ...
        self.gap_at = 0  # ... and the index of the key after it
        self.source: str | None = None  # the input of its latest event (`IdSessionizer`)

    def add(
        self, key: int, ts: int | None, line_label: str | None, line: tuple | None = None
    ) -> None:
        self.keys.append(key)
        if ts is not None:
            if self.last is not None and ts - self.last > self.gap:
                self.gap, self.gap_at = ts - self.last, len(self.keys) - 1
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
        stats.count(label, categories, session_id, len(self.keys), self.keys)
        if start is None and not stats.by_lines:  # a window's first event may come again
            # hours later: no reused id (QA IPMI: `--by-field source --window 1d` was told
            # to pass --idle-timeout, which windows refuse)
            stats.count_gap(self.gap, self.keys, self.gap_at, session_id)
        stats.count_restart(self.keys, session_id)
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
            "out_of_order": self.out_of_order,
            "gap": [self.gap, self.gap_at],
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
        session.out_of_order = bool(data.get("out_of_order", False))  # absent in older ones
        session.gap, session.gap_at = data.get("gap", [0, 0])
        lines = data["lines"]
        if lines is not None:
            sources = lines["sources"]
            session.lines = [(sources[i], no) for i, no in lines["pairs"]]
        return session


def _micros(delta: timedelta) -> int:
    return delta // timedelta(microseconds=1)


def _to_datetime(micros: int | None) -> datetime | None:
    return None if micros is None else _EPOCH + timedelta(microseconds=micros)


def _check_columns(
    names: list[str],
    needed: list[str],
    where: str,
    by_field: str | None = None,
    messages: pa.Array | None = None,
    header_fields: Sequence[str] = (),
) -> None:
    """Refuse events without a column a sessionizer needs. A `--by-field` field that is no
    column may be a `name=value` word of the message (`_field_values`): it is refused only
    when `messages` (the first events' content, when the caller has them) never name it.
    `header_fields`: the log format's, where the events carry none (`--logs`)."""
    missing = [c for c in needed if c not in names]
    fields = field_names(by_field) if by_field is not None else []
    if "content" in names:
        missing = [c for c in missing if c not in fields or _named_nowhere(c, messages)]
    absent = [f for f in fields if f in missing]
    if absent:
        reserved = {"line_no", "source", "timestamp", "content", "template_id", "template",
                    "params", "label"}  # fmt: skip
        header = [c for c in names if c not in reserved] or list(header_fields)
        have = ", ".join(header) if header else "none (a raw format: parse with a format that has"
        have += "" if header else " header fields)"
        # a field named as the log writes it, `component`, where the format reads it as a
        # header field, `Component` (QA Prometheus: the list named it, nothing pointed at it)
        cased = {f: c for f in absent for c in header if c.lower() == f.lower() and c != f}
        meant = "".join(f"; did you mean {c!r} for {f!r}?" for f, c in cased.items())
        raise LogbertError(
            f"{where}: --by-field {by_field!r}: the events have no such field"
            + (f" ({', '.join(absent)})" if len(fields) > 1 else "")
            + meant
            + "; their header "
            f"fields: {have} (other columns: {', '.join(c for c in names if c not in header)})"
            + _content_field_hint(absent)
        )
    if missing:
        hint = " (--window needs timestamped events)" if "timestamp" in missing else ""
        raise LogbertError(
            f"{where}: events need column(s) {', '.join(missing)}{hint}; it has "
            f"{', '.join(names)}. Write events with `logbert parse`."
        )


def _named_nowhere(field: str, messages: pa.Array | None) -> bool:
    """Whether no message of `messages` holds `field=` (False when there are none to ask)."""
    if messages is None:
        return False
    return not pc.any(pc.match_substring(messages, f"{field.removesuffix('=')}=")).as_py()


def note_shadowed_fields(
    columns: Sequence[str],
    content: pa.Array | pa.ChunkedArray | None,
    names: list[str],
    stats: SessionizeStats,
) -> None:
    """Keep in `stats.shadowed_fields` (once) the `--by-field` names that mean another thing
    than the messages' own field of that name, or than a header field spelt in another case:
    `source` is the input file where a CloudEvents line holds `source=<emitter>` (QA Boundary:
    five hosts one stream of windows, exit 0), and `host` is the messages' `host=` word
    (a registry's address) where the header's is `Host` (QA BuildKit: a fourth, made-up host
    of every builder's registry traffic). `columns`: the events' columns; `content`: their
    messages (the first batch's will do; None: not at hand, look at the next batch)."""
    if stats.shadowed_fields is not None or content is None:
        return
    stats.shadowed_fields = {}
    sample = content.slice(0, 1000)
    for name in names:
        if name.endswith("="):
            continue
        if name in columns and name == "source":
            words = _message_field(sample, name).drop_null()
            if len(words):
                stats.shadowed_fields[name] = f"=:{words[0].as_py()}"
        elif name not in columns:
            cased = [c for c in columns if c.lower() == name.lower() and c not in _RESERVED]
            if cased:
                stats.shadowed_fields[name] = cased[0]


# the columns events carry besides a format's header fields
_RESERVED = frozenset({"line_no", "source", "timestamp", "content", "template_id", "template",
                       "params", "label"})  # fmt: skip


def _content_field_hint(absent: list[str]) -> str:
    """For a field that is no header field: a `name=value` word of the message would do (a
    JSON line's nested `userIdentity.arn`, QA CloudTrail), and none of the first events'
    messages holds one."""
    name = absent[0]
    return (
        f"; nor does any of the first events' messages hold `{name}=...` (a JSON or logfmt "
        "line's fields are read from there by name: check its spelling)"
    )


def _field_values(
    events: Events, names: list[str], per_log: bool = False
) -> list[str | None]:
    """The session id of each event: its value of the one field, or the values of several
    joined by `/`; None (no session) where any of them is null or empty. A field that is no
    column is read from the message's `name=value` words, as a JSON or logfmt line's fields
    are written (`user.username=alice`; QA Kubernetes audit, Winlogbeat: per-user and
    per-host time windows could not be made, `--by-id` takes no `--window`). With `per_log`,
    an input (`source`) is named by its log, a rotated file's suffix left out."""
    columns = []
    for name in names:
        if name in events.schema.names:
            column = events.column(name)
        else:  # (`name=`: the message's word, where a column has the name too)
            column = _message_field(events.column("content"), name.removesuffix("="))
        if not pa.types.is_string(column.type) and not pa.types.is_large_string(column.type):
            column = pc.cast(column, pa.string())
        # a padded header value is the value (QA JVM: `gc,start    ` and `gc,start       `,
        # the tag padded wider once a longer one was seen, were two sessions)
        values = pc.utf8_trim_whitespace(column).to_pylist()
        if per_log and name == "source":
            names_of = {v: log_name(v) for v in set(values) if v is not None}
            values = [names_of.get(v) for v in values]
        columns.append(values)
    if len(columns) == 1:
        return columns[0]
    return [None if not all(parts) else "/".join(parts) for parts in zip(*columns, strict=True)]


def _id_values(
    texts: list[str | None], regex: re.Pattern[str], stats: SessionizeStats
) -> list[str | None]:
    """The first id a --by-id regex names in each message (None where it names none): the
    key of windows per id; one found inside a longer word or number is counted, as sessions
    by id count it (QA Juniper: `(\\d+\\.\\d+\\.\\d+)` with --window made one session of a
    subnet's clients, with no word said)."""
    out: list[str | None] = []
    for text in texts:
        match = regex.search(text) if text else None
        if match is not None and inside_a_word(text, *match.span()):
            stats.count_cut_id(match[0], word_around(text, *match.span()))
        out.append(match_id(regex, match) if match is not None else None)
    return out


def _message_field(content: pa.ChunkedArray | pa.Array, name: str) -> pa.Array:
    """Each message's value of its `name=value` word: quoted (`ipAddress="203.0.113.28",`,
    Keycloak's events: QA, the quotes and comma were in every session id, so labels written
    as plain addresses named none), in braces or brackets, spaces and all (a JSON value,
    Consul's `peer={Voter d23f... 10.0.0.12:8300}`: QA, every peer one session `{Voter`), or
    up to a space, comma or semicolon; null where none."""
    pattern = (
        rf"(?:^|[\s,;(]){re.escape(name)}=(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'"
        r"|(?P<bare>\{[^{}]*\}|\[[^\[\]]*\]|[^\s,;)]+))"
    )
    parts = pc.extract_regex(content, pattern)
    values = [pc.struct_field(parts, i) for i in range(3)]
    # the groups that did not take part are empty: the first non-empty one is the value
    empty_as_null = [pc.if_else(pc.equal(v, ""), None, v) for v in values]
    return pc.coalesce(*empty_as_null)


def _event_columns(events: Events, sessionizer: Sessionizer, where: str) -> dict[str, list]:
    """Python lists: `template_id`, `timestamp` (µs since epoch or None), `label`, `content`
    (when required) and `line` ((source, line_no) per event, None when not tracked/absent)."""
    names = events.schema.names
    _check_columns(names, sessionizer.required_columns, where, sessionizer.field)
    n = events.num_rows
    batch = {"template_id": _keys(events.column("template_id"), where)}
    if "content" in sessionizer.required_columns:
        batch["content"] = events.column("content").to_pylist()
    id_regex = getattr(sessionizer, "id_regex", None)
    if id_regex is not None:  # windows per id (`WindowSessionizer`): content is required
        ids = _id_values(batch["content"], id_regex, sessionizer.stats)
        if sessionizer.field is not None:  # ... within the field's value, a host's `rootfs`
            within = _field_values(
                events, field_names(sessionizer.field), sessionizer.windows_per_log
            )
            ids = [
                None if i is None or not v else f"{v}/{i}"
                for v, i in zip(within, ids, strict=True)
            ]
        batch[ID_COLUMN] = ids
    elif sessionizer.field is not None:
        note_shadowed_fields(
            names,
            events.column("content") if "content" in names else None,
            field_names(sessionizer.field),
            sessionizer.stats,
        )
        parts = field_names(sessionizer.field)
        batch[sessionizer.field] = _field_values(events, parts, sessionizer.windows_per_log)
        if len(parts) > 1:  # (a host's events none of which has the other parts' value)
            first = _field_values(events, parts[:1], sessionizer.windows_per_log)
            sessionizer.stats.count_first_parts(first, batch[sessionizer.field])
    batch["timestamp"] = [None] * n
    if "timestamp" in names:
        micros = _timestamp_micros(events.column("timestamp"), where)
        batch["timestamp"] = micros.to_pylist()
        newest = pc.max(micros).as_py()  # the log's newest line, whether it joins a session
        stats = sessionizer.stats
        if newest is not None and (stats.last_event_us is None or newest > stats.last_event_us):
            stats.last_event_us = newest
    batch["label"] = (
        [event_category(v) for v in events.column("label").to_pylist()]
        if "label" in names
        else [None] * n
    )
    if sessionizer.field != "source":  # else it holds the field's values (QA Veeam:
        # `--by-field source --window 24h` was "the field is empty in all events")
        batch["source"] = (
            _sources(events.column("source"))
            if sessionizer.reads_sources and "source" in names
            else [None] * n
        )
    for name in sessionizer.context_columns:
        if name in names:
            batch[name] = events.column(name).to_pylist()
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


def _sources(column: pa.Array | pa.ChunkedArray) -> list[str | None]:
    """Each event's input; a batch of one input (most) without a value per row converted."""
    inputs = pc.unique(column)
    if len(inputs) == 1:
        return [inputs[0].as_py()] * len(column)
    return column.to_pylist()


def _keys(column: pa.Array | pa.ChunkedArray, where: str) -> list[int]:
    if column.null_count:
        raise LogbertError(
            f"{where}: {column.null_count} events have no template_id: lines that matched no "
            "template of the --templates file (`logbert parse` counts them as unmatched, and "
            "writes them with no template_id; `logbert parse --templates FILE` of these logs "
            "shows them). Parse without --templates (templates are then mined), or add the "
            "missing templates to that file"
        )
    try:
        return pc.cast(column, pa.int64()).to_pylist()
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise LogbertError(f"{where}: template_id must be integers ({exc})") from exc


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
