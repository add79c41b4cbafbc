"""Open sessions: started less than a normal lifetime before the log's end."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from logbert.sessions.io import Session, write_sessions
from logbert.sessions.lifecycle import (
    OpenKeys,
    file_keys,
    file_log_end,
    log_end,
    marked_keys,
    open_sessions,
    session_lifetime,
)

T0 = datetime(2008, 11, 9, 20, 0)


def _session(i: int, start_h: float, hours: float, keys=(1, 2)) -> Session:
    start = T0 + timedelta(hours=start_h)
    return Session(f"s{i}", list(keys), "normal", start=start, end=start + timedelta(hours=hours))


def test_lifetime_is_the_99th_percentile_of_durations():
    sessions = [_session(i, 0, 1) for i in range(99)] + [_session(99, 0, 50)]
    assert session_lifetime(sessions) == pytest.approx(3600 * (1 + 0.01 * 49), rel=1e-6)
    assert session_lifetime([Session("x", [1])]) is None  # no timestamps, no lifetime


def test_sessions_younger_than_the_lifetime_at_the_end_are_open():
    sessions = [_session(0, 0, 1), _session(1, 8, 1), _session(2, 9.5, 0.5), Session("x", [3])]
    end = log_end(sessions)
    assert end == T0 + timedelta(hours=10)
    assert open_sessions(sessions, end, lifetime=3 * 3600) == [False, True, True, False]
    assert open_sessions(sessions, end, lifetime=1.5 * 3600) == [False, False, True, False]
    assert open_sessions(sessions, end, lifetime=None) == [False] * 4
    assert open_sessions(sessions, None, lifetime=3600) == [False] * 4


def test_open_sessions_keep_their_keys_and_are_marked(tmp_path):
    sessions = [_session(0, 0, 1, (5, 6)), _session(1, 9.5, 0.5, (7,))]
    keys = marked_keys(sessions, [False, True])
    assert keys == [[5, 6], [7]] and isinstance(keys[1], OpenKeys)
    assert not isinstance(keys[0], OpenKeys)
    assert not any(isinstance(k, OpenKeys) for k in marked_keys(sessions, None))
    path = tmp_path / "s.parquet"
    write_sessions(sessions, path)
    assert file_log_end(path) == T0 + timedelta(hours=10)
    batch_keys = file_keys(path, None, lifetime=3600)(sessions)
    assert [isinstance(k, OpenKeys) for k in batch_keys] == [False, True]
    assert not any(isinstance(k, OpenKeys) for k in file_keys(path, None, None)(sessions))
