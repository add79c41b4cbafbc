"""Which sessions may still be running when the log ends ("open" sessions).

A log is a window onto a running system: the sessions that start near its end have not had
time to finish. Their missing tail (an HDFS block not deleted yet) is not evidence of anything,
so LogBERT does not judge where such a session ends. A session counts as open when it started
less than a normal session's lifetime before the log's last event; the lifetime is the 99th
percentile of the durations (end - start) of the normal training sessions.

Plain data in and out: sessions with `start`/`end` datetimes (None when unknown; such sessions
are never open), lifetimes in seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from logbert.sessions.io import Session, detect_format, iter_session_batches, stream_parquet

LIFETIME_QUANTILE = 0.99


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


def log_end(sessions: Sequence[Session]) -> datetime | None:
    """The last event time among `sessions` (None when none has one)."""
    ends = [s.end or s.start for s in sessions if (s.end or s.start) is not None]
    return max(ends) if ends else None


def file_log_end(path: str | Path, input_format: str | None = None) -> datetime | None:
    """The last event time in a sessions file (a pass before scoring; None for stdin).

    Parquet reads only the time columns. Standard input cannot be read twice, so its
    sessions are never open.
    """
    if str(path) == "-":
        return None
    if detect_format(path, input_format) == "parquet":
        try:
            return _parquet_log_end(stream_parquet(path))
        except (pa.ArrowInvalid, OSError):
            pass  # the reader below says what is wrong with the file
    ends = (log_end(batch) for batch in iter_session_batches(path, input_format))
    return max((end for end in ends if end is not None), default=None)


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


def mark_open(
    sessions: Sequence[Session], lifetime: float | None, end: datetime | None = None
) -> list[list[int]]:
    """The sessions' keys, open ones as `OpenKeys`; `end` defaults to these sessions' last event."""
    return marked_keys(sessions, open_sessions(sessions, end or log_end(sessions), lifetime))


def open_sessions(
    sessions: Sequence[Session], end: datetime | None, lifetime: float | None
) -> list[bool]:
    """Per session: did it start less than `lifetime` seconds before `end`?"""
    if end is None or lifetime is None:
        return [False] * len(sessions)
    return [s.start is not None and (end - s.start).total_seconds() < lifetime for s in sessions]


class OpenKeys(list):
    """The keys of a session that was still open when the log ended (a list, marked).

    Detectors that model how sessions end (LogBERT) do not judge the end of these; to every
    other detector they are ordinary key lists.
    """


def sequence_key(keys: Sequence[int]) -> tuple[bool, tuple[int, ...]]:
    """What makes two sessions the same for scoring: their keys, and whether they are open."""
    return isinstance(keys, OpenKeys), tuple(keys)


def marked_keys(sessions: Sequence[Session], is_open: Sequence[bool] | None) -> list[list[int]]:
    """Each session's keys, as `OpenKeys` where `is_open` (plain lists when it is None)."""
    if is_open is None:
        return [s.keys for s in sessions]
    return [OpenKeys(s.keys) if o else s.keys for s, o in zip(sessions, is_open, strict=True)]


def file_keys(
    path: str | Path, input_format: str | None, lifetime: float | None
) -> Callable[[Sequence[Session]], list[list[int]]]:
    """For batches of one sessions file: their keys, open sessions marked (needs `lifetime`)."""
    end = file_log_end(path, input_format) if lifetime else None

    def keys(batch: Sequence[Session]) -> list[list[int]]:
        return mark_open(batch, lifetime, end) if end else marked_keys(batch, None)

    return keys
