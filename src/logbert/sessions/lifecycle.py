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

from logbert.sessions.io import Session, iter_session_batches

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
    """The last event time in a sessions file, streamed (a pass before scoring)."""
    last = None
    for batch in iter_session_batches(path, input_format):
        end = log_end(batch)
        if end is not None and (last is None or end > last):
            last = end
    return last


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
        return marked_keys(batch, open_sessions(batch, end, lifetime) if end else None)

    return keys
