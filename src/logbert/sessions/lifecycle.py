"""Which sessions may still be running when the log ends ("open" sessions).

A log is a window onto a running system: the sessions that start near its end have not had
time to finish. Their missing tail (an HDFS block not deleted yet) is not evidence of anything,
so LogBERT does not judge where such a session ends. A session counts as open when it started
less than a normal session's lifetime before the log's last event; the lifetime is the 99th
percentile of the durations (end - start) of the normal training sessions. A session that has
lived longer than that and was still writing at the end (quiet no longer than its own mean gap
between events) is open too: a long-lived one, cut.

Plain data in and out: sessions with `start`/`end` datetimes (None when unknown; such sessions
are never open), lifetimes in seconds.

A part of a log is not the log: the train part of `logbert split` ends where the validation
part begins, and its last sessions were complete in the log. `split` records the whole log's
last event in each Parquet part (`LOG_END_KEY`), and `recorded_log_end` / `file_log_end` take
it from there, so those sessions are not called open.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from logbert.errors import LogbertError
from logbert.sessions.batch import SessionBatch
from logbert.sessions.io import (
    Session,
    detect_format,
    iter_session_batches,
    read_file_metadata,
    stream_parquet,
)

LIFETIME_QUANTILE = 0.99
# a time window the log's end cut within this share of its length before its end holds all but
# a few of its events: whole (QA Resque: each host's last 5-minute window, its log ending at
# 10:59:59, was open, and ecvc judged none of its mix: a whole window of jobs run without their
# fork hooks scored 0.0)
NEARLY_WHOLE = 0.01
FINAL_KEY_SHARE = 0.1  # a key ending this share of training sessions, and nothing else, ends
LOG_END_KEY = "logbert.log_end"  # Parquet metadata: the last event of the log a part came from


def readable_duration(seconds: float) -> str:
    """A lifetime in the unit a reader thinks in (0.85 s, 45 min, 14 h, 3.5 d)."""
    if seconds < 120:
        return f"{seconds:.3g} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.3g} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.3g} h"
    return f"{seconds / 86400:.3g} d"


def session_lifetime(sessions: Sequence[Session]) -> float | None:
    """Seconds within which 99% of these sessions finish; None without timestamps."""
    durations = [
        (s.end - s.start).total_seconds()
        for s in sessions
        if s.start is not None and s.end is not None
    ]
    if not durations:
        return None
    return float(np.quantile(durations, LIFETIME_QUANTILE))


# a session this many times the lifetime (and an hour or more) is two joined by a reused id
STRETCHED_RATIO = 1000
STRETCHED_MIN_SECONDS = 3600.0


def stretched_sessions_warning(
    sessions: Sequence[Session], lifetime: float, idle_timeout: str | None = None
) -> str | None:
    """`warning: ...` when some sessions last `STRETCHED_RATIO` times the `lifetime` within
    which 99% end (and an hour or more), else None: an id used again later, a counter that
    restarts with its process, joins two sessions into one (QA Jira: request ids come back a
    day later at the same minute; such a session set LogBERT's `max` threshold at 11.0 where
    normal requests scored up to 3.8, and 16 anomalies passed, unsaid). With an
    `idle_timeout` given, they never went quiet that long: long-running work, or an id
    reused sooner (QA Barman: `--idle-timeout` advised again to a run that gave it)."""
    long = _lasting_over(sessions, max(STRETCHED_RATIO * lifetime, STRETCHED_MIN_SECONDS))
    if not long:
        return None
    seconds, example = max(long)
    remedy = (
        "--idle-timeout DURATION ends a session after that long without an event"
        if idle_timeout is None else
        f"none of them went quiet for --idle-timeout {idle_timeout}: work that runs that long "
        "(a daemon's, judged as one long session), or an id used again sooner than that"
    )  # fmt: skip
    return (
        f"warning: {len(long):,} of {len(sessions):,} sessions last far longer than the 99% that "
        f"end within {readable_duration(lifetime)} (the longest, {example!r}, "
        f"{readable_duration(seconds)}): an id used again later (a counter or process id that "
        "restarts) joins two sessions into one, and the model learns the pair as normal; "
        f"{remedy}"
    )


# a scored session this many times the training sessions' lifetime (and an hour or more) was
# cut otherwise than they were
FAR_LONGER_RATIO = 100


class LongScoredSessions:
    """Scored sessions far longer than the training sessions' `lifetime` (`FAR_LONGER_RATIO`
    times it, an hour or more): the logs scored are cut otherwise than training's were (a
    model trained on one file per job scoring all jobs in one file: QA Airbyte, one session of
    16 hours flagged, exit 0, unsaid), or their ids come back; `add` each batch, then
    `warning`."""

    def __init__(self, lifetime: float | None) -> None:
        self.lifetime = lifetime
        self.n_sessions = 0
        self.n_long = 0
        self.longest: tuple[float, str] | None = None

    def add(self, sessions: Sequence[Session]) -> None:
        self.n_sessions += len(sessions)
        if self.lifetime is None:
            return
        limit = max(FAR_LONGER_RATIO * self.lifetime, STRETCHED_MIN_SECONDS)
        long = _lasting_over(sessions, limit)
        self.n_long += len(long)
        self.longest = max([*long, *([self.longest] if self.longest else [])], default=None)

    def warning(self) -> str | None:
        """`warning: ...` when any scored session was far longer (None otherwise)."""
        if self.longest is None or self.lifetime is None:
            return None
        seconds, example = self.longest
        return (
            f"warning: {self.n_long:,} of {self.n_sessions:,} sessions scored last far longer "
            f"than the model's training sessions, 99% of which ended within "
            f"{readable_duration(self.lifetime)} (the longest here, {example!r}, "
            f"{readable_duration(seconds)}): work stuck for hours (an anomaly of its own, a "
            "message retried all day), or logs cut into sessions otherwise than the training "
            "logs were (one file holding what training read as many: by-field source "
            "sessions are files), or ids that come back later; in the last two cases the "
            "verdicts compare unlike things: give the logs as training had them, or train a "
            "model on logs cut as these are"
        )


def _lasting_over(sessions: Sequence[Session], limit: float) -> list[tuple[float, str]]:
    """(seconds, session id) of the sessions lasting over `limit` seconds."""
    timed = (
        ((s.end - s.start).total_seconds(), s.session_id)
        for s in sessions
        if s.start is not None and s.end is not None
    )
    return [(seconds, session_id) for seconds, session_id in timed if seconds > limit]


def log_end(sessions: Sequence[Session]) -> datetime | None:
    """The last event time among `sessions` (None when none has one)."""
    ends = [s.end or s.start for s in sessions if (s.end or s.start) is not None]
    return max(ends) if ends else None


def file_log_end(path: str | Path, input_format: str | None = None) -> datetime | None:
    """The last event time in a sessions file (a pass before scoring; None for stdin).

    Parquet with timestamp columns reads only those columns. Standard input cannot be read
    twice, so its sessions are never open.
    """
    if str(path) == "-":
        return None
    recorded = recorded_log_end(path)
    if recorded is not None:
        return recorded
    if detect_format(path, input_format) == "parquet":
        try:
            parquet = stream_parquet(path)
        except (pa.ArrowInvalid, OSError):
            parquet = None  # the reader below says what is wrong with the file
        if parquet is not None and _timestamp_columns(parquet):
            return _parquet_log_end(parquet)
    ends = (log_end(batch) for batch in iter_session_batches(path, input_format))
    return max((end for end in ends if end is not None), default=None)


def recorded_log_end(path: str | Path) -> datetime | None:
    """The last event of the whole log a sessions file is a part of (`LOG_END_KEY`, written by
    `logbert sessionize` and `logbert split` into Parquet files), None when not recorded."""
    text = read_file_metadata(path).get(LOG_END_KEY)
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise LogbertError(f"{path}: {LOG_END_KEY} {text!r} is not an ISO 8601 time") from exc


def _timestamp_columns(parquet: pq.ParquetFile) -> bool:
    """Are the file's `start`/`end` columns (if any) timestamps without a zone? Then their
    maximum is read from the columns alone; text, epoch numbers or zone-aware times go
    through the sessions reader, which converts them (or names what is wrong)."""
    schema = parquet.schema_arrow
    return all(
        pa.types.is_timestamp(schema.field(name).type) and schema.field(name).type.tz is None
        for name in ("start", "end")
        if name in schema.names
    )


def _parquet_log_end(parquet: pq.ParquetFile) -> datetime | None:
    columns = sorted(set(parquet.schema_arrow.names) & {"start", "end"})
    if not columns:
        return None
    latest = [
        pc.max(batch.column(name)).as_py()
        for batch in parquet.iter_batches(columns=columns)
        for name in columns
    ]
    return max((t for t in latest if t is not None), default=None)


def open_sessions(
    sessions: Sequence[Session],
    end: datetime | None,
    lifetime: float | None,
    idle: float | None = None,
) -> np.ndarray:
    """Per session: did it start less than `lifetime` seconds before `end`, and (with an idle
    timeout of `idle` seconds) come no more than that before `end` with its last event? A
    session quiet for longer was closed by the timeout: it is whole (QA ingress-nginx: visits
    quiet for 54 min under a 10 min timeout were "open", their end unjudged, because a
    monitoring probe's hour-long sessions made the lifetime 59 min)."""
    if end is None or lifetime is None:
        return np.zeros(len(sessions), dtype=bool)
    return np.array(
        [
            s.start is not None
            and ((end - s.start).total_seconds() < lifetime or _still_writing(s, end, lifetime))
            and (idle is None or (end - (s.end or s.start)).total_seconds() <= idle)
            for s in sessions
        ],
        dtype=bool,
    )


def _still_writing(session: Session, end: datetime, lifetime: float) -> bool:
    """Whether a session that has lived longer than `lifetime` was still writing at `end`: its
    quiet before it no longer than its own mean gap between events. A long-lived one (a
    daemon's pod whose status comes every few minutes, a connection held open) the log's end
    cut is no session that ended there (QA kubelet: a kube-proxy pod started 6 h before the
    end, its last status 7 min before it, was judged ended and flagged for its
    `<end of session>`)."""
    if session.start is None or session.end is None or len(session.keys) < 3:
        return False
    duration = (session.end - session.start).total_seconds()
    quiet = (end - session.end).total_seconds()
    return duration > lifetime and quiet <= duration / (len(session.keys) - 1)


def _nearly_whole(session: Session, end: datetime | None, lifetime: float) -> bool:
    """Whether a time window (`lifetime`: its length) reaches within `NEARLY_WHOLE` of its
    length of `end`, the log's last event."""
    if session.start is None or end is None:
        return False
    return (end - session.start).total_seconds() >= lifetime * (1 - NEARLY_WHOLE)


def _cut_at_start(session: Session, lifetime: float) -> bool:
    """Whether a time window is shorter than windows are (`lifetime`, its clock's span): the
    log's start cut it, and it starts at the log's first event (`WindowSessionizer`)."""
    if session.start is None or session.end is None:
        return False
    return (session.end - session.start).total_seconds() < lifetime


def final_keys(sessions: Sequence[Session]) -> frozenset[int]:
    """The keys that end sessions and nothing else: each ends at least FINAL_KEY_SHARE of the
    sessions and never stands before another event (PgBouncer's `closing because: ...`). A
    session whose last key is one has ended, however shortly before the log's end it began
    (QA PgBouncer: 156 connections that had closed were "open", their end unjudged; a login
    the log's end cut short, with no close, stays open). Time windows, cut by the clock, end
    on no such key, or are open by their clock alone (`SessionLifecycle.open_mask`)."""
    last: dict[int, int] = {}
    inside: set[int] = set()
    for session in sessions:
        if session.keys:
            last[session.keys[-1]] = last.get(session.keys[-1], 0) + 1
            inside.update(session.keys[:-1])
    least = FINAL_KEY_SHARE * len(sessions)
    return frozenset(k for k, n in last.items() if n >= least and k not in inside)


class SessionLifecycle:
    """How long normal sessions live, learnt from training sessions; which ones are open.

    `fit` records `lifetime_` (the 99th percentile of the normal sessions' durations; None
    without timestamps, and then no session is ever open). `batch` turns sessions into the
    `SessionBatch` a detector scores, with the open mask set against the log's last event.
    The pipeline bundle owns one, so the Python API marks open sessions exactly as the CLI.
    """

    def __init__(self, quantile: float = LIFETIME_QUANTILE) -> None:
        self.quantile = quantile

    def fit(self, sessions: Sequence[Session]) -> SessionLifecycle:
        durations = [
            (s.end - s.start).total_seconds()
            for s in sessions
            if s.start is not None and s.end is not None
        ]
        self.lifetime_ = float(np.quantile(durations, self.quantile)) if durations else None
        self.final_keys_ = final_keys(sessions)
        return self

    def open_mask(
        self,
        sessions: Sequence[Session],
        end: datetime | None = None,
        idle: float | None = None,
        clock_cut: bool = False,
    ) -> np.ndarray:
        """Which sessions started less than a lifetime before `end` (default: their last event)
        and, under an idle timeout of `idle` seconds, were not closed by it (`open_sessions`).
        A time window (`clock_cut`) ends at its clock, whatever its last event: one the log's
        end cut is open though its last key ends sessions (QA unattended-upgrades: a day's
        window ending `All upgrades installed` was whole, one ending in a failure open, so
        the last day's failures alone were marked so)."""
        lifetime = self._lifetime()
        if lifetime is None:
            return np.zeros(len(sessions), dtype=bool)
        still = open_sessions(sessions, end or log_end(sessions), lifetime, idle)
        final = getattr(self, "final_keys_", frozenset())
        if final and not clock_cut:  # a session that ended as sessions end is whole, however young
            still &= np.array([not s.keys or s.keys[-1] not in final for s in sessions], bool)
        if clock_cut:  # a window the log's end cut in its last hundredth is whole (above) ...
            last = end or log_end(sessions)
            still &= np.array([not _nearly_whole(s, last, lifetime) for s in sessions], bool)
            # ... and a window the log's start cut is shorter than its clock's span
            still |= np.array([_cut_at_start(s, lifetime) for s in sessions], dtype=bool)
        return still

    def batch(
        self,
        sessions: Sequence[Session],
        end: datetime | None = None,
        idle: float | None = None,
        clock_cut: bool = False,
    ) -> SessionBatch:
        """`sessions` as detector input, open ones marked (`end`: the log's last event;
        `idle`: the idle timeout in seconds that cut them, if any; `clock_cut`: they are time
        windows, `SessionBatch.clock_cut`)."""
        open_mask = self.open_mask(sessions, end, idle, clock_cut)
        return SessionBatch.from_sessions(sessions, open_mask, clock_cut)

    def to_dict(self) -> dict:
        return {
            "quantile": self.quantile,
            "lifetime_seconds": self._lifetime(),
            "final_keys": sorted(getattr(self, "final_keys_", ())),
        }

    @classmethod
    def from_dict(cls, data: dict, source: str = "the model's pipeline.json") -> SessionLifecycle:
        """A fitted lifecycle from `to_dict()` output. The values are checked, since a hand-
        edited file reaches this: a negative lifetime would mark no session open and text
        would fail later; `source` names the file in the message."""
        if not isinstance(data, dict):
            raise LogbertError(
                f"{source}: lifecycle must be a JSON object with quantile and "
                f"lifetime_seconds, not {data!r}"
            )
        quantile = data.get("quantile", LIFETIME_QUANTILE)
        if not _is_number(quantile) or not 0 <= quantile <= 1:
            raise LogbertError(
                f"{source}: lifecycle.quantile must be a number from 0 to 1, not {quantile!r}"
            )
        lifetime = data.get("lifetime_seconds")
        if lifetime is not None and (not _is_number(lifetime) or lifetime < 0):
            raise LogbertError(
                f"{source}: lifecycle.lifetime_seconds must be a non-negative number of seconds "
                f"or null (no lifetime: no session is open), not {lifetime!r}"
            )
        final = data.get("final_keys", [])  # (models saved before they were kept: none)
        if not isinstance(final, list) or not all(
            isinstance(k, int) and not isinstance(k, bool) for k in final
        ):
            raise LogbertError(
                f"{source}: lifecycle.final_keys must be a list of keys, not {final!r}"
            )
        lifecycle = cls(float(quantile))
        lifecycle.lifetime_ = None if lifetime is None else float(lifetime)
        lifecycle.final_keys_ = frozenset(final)
        return lifecycle

    def _lifetime(self) -> float | None:
        if not hasattr(self, "lifetime_"):
            raise LogbertError("SessionLifecycle is not fitted: call fit(training_sessions)")
        return self.lifetime_


def _is_number(value: object) -> bool:
    """A finite int or float, not a bool (JSON `true` is no number of seconds)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
