"""Open sessions: started less than a normal lifetime before the log's end."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import numpy as np
import pytest

from logbert.errors import LogbertError
from logbert.sessions.batch import SessionBatch
from logbert.sessions.io import Session, write_sessions
from logbert.sessions.lifecycle import (
    SessionLifecycle,
    file_log_end,
    log_end,
    open_sessions,
    session_lifetime,
    stretched_sessions_warning,
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
    mask = open_sessions(sessions, end, lifetime=3 * 3600)
    assert mask.dtype == bool and mask.tolist() == [False, True, True, False]
    assert open_sessions(sessions, end, lifetime=1.5 * 3600).tolist() == [
        False,
        False,
        True,
        False,
    ]
    assert open_sessions(sessions, end, lifetime=None).tolist() == [False] * 4
    assert open_sessions(sessions, None, lifetime=3600).tolist() == [False] * 4


def test_file_log_end(tmp_path):
    sessions = [_session(0, 0, 1, (5, 6)), _session(1, 9.5, 0.5, (7,))]
    for name in ("s.parquet", "s.jsonl"):
        write_sessions(sessions, tmp_path / name)
        assert file_log_end(tmp_path / name) == T0 + timedelta(hours=10)
    write_sessions(sessions, tmp_path / "keys_only.txt")
    assert file_log_end(tmp_path / "keys_only.txt") is None
    assert file_log_end("-") is None  # standard input cannot be read twice


def test_lifecycle_learns_the_lifetime_and_marks_open_sessions():
    training = [_session(i, 0, 1) for i in range(100)]
    lifecycle = SessionLifecycle().fit(training)
    assert lifecycle.lifetime_ == pytest.approx(3600)
    sessions = [_session(0, 0, 1, (5, 6)), _session(1, 9.5, 0.5, (7,)), Session("x", [8])]
    assert lifecycle.open_mask(sessions).tolist() == [False, True, False]
    later = T0 + timedelta(hours=20)
    assert lifecycle.open_mask(sessions, later).tolist() == [False, False, False]
    batch = lifecycle.batch(sessions)
    assert isinstance(batch, SessionBatch)
    assert batch.is_open.tolist() == [False, True, False] and batch.n_open == 1
    assert [k.tolist() for k in batch.keys] == [[5, 6], [7], [8]]
    assert batch.session_ids == ["s0", "s1", "x"]


def test_lifecycle_without_timestamps_never_opens_a_session():
    lifecycle = SessionLifecycle().fit([Session("a", [1]), Session("b", [2])])
    assert lifecycle.lifetime_ is None
    assert not lifecycle.open_mask([_session(0, 0, 1)]).any()


def test_lifecycle_round_trips_and_must_be_fitted():
    lifecycle = SessionLifecycle(quantile=0.9).fit([_session(i, 0, i + 1) for i in range(10)])
    back = SessionLifecycle.from_dict(lifecycle.to_dict())
    assert (back.quantile, back.lifetime_) == (0.9, lifecycle.lifetime_)
    assert SessionLifecycle.from_dict({"lifetime_seconds": None}).lifetime_ is None
    with pytest.raises(LogbertError, match="not fitted"):
        SessionLifecycle().open_mask([_session(0, 0, 1)])
    assert np.array_equal(back.open_mask([]), np.zeros(0, dtype=bool))


def test_file_log_end_of_parquet_times_written_as_text_or_epoch_seconds(tmp_path):
    """`score` took the maximum of a text column as the log's end and crashed on it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "s.parquet"
    starts = {"iso": ["2008-11-09T20:00:00", "2008-11-09T21:30:00"],
              "epoch": [1226260800, 1226266200]}  # fmt: skip
    for column in starts.values():
        pq.write_table(pa.table({"session_id": ["a", "b"], "keys": [[1], [2]],
                                 "start": column}), path)  # fmt: skip
        assert file_log_end(path) == T0 + timedelta(hours=1.5)


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"lifetime_seconds": "20m"}, "lifecycle.lifetime_seconds must be a non-negative number"),
        ({"lifetime_seconds": -1}, "not -1"),
        ({"lifetime_seconds": True}, "not True"),
        ({"quantile": "high", "lifetime_seconds": 60}, "lifecycle.quantile must be a number from"),
        ({"quantile": 2, "lifetime_seconds": 60}, "lifecycle.quantile must be a number from"),
        ("60", "lifecycle must be a JSON object"),
    ],
)
def test_a_hand_edited_lifecycle_is_refused_naming_the_file(record, message):
    """A lifetime of "20m" failed inside float() (a traceback); -1 was used, opening none."""
    with pytest.raises(LogbertError, match=r"^the model's pipeline\.json: .*" + re.escape(message)):
        SessionLifecycle.from_dict(record)
    with pytest.raises(LogbertError, match=r"^m/pipeline\.json: "):
        SessionLifecycle.from_dict(record, source="m/pipeline.json")


def test_lifetimes_read_in_the_unit_a_reader_thinks_in():
    """QA: a JSON service's traces live 0.85 s, which `train` printed as 0.000237 h."""
    from logbert.sessions.lifecycle import readable_duration

    assert readable_duration(0.853) == "0.853 s"
    assert [readable_duration(s) for s in (90, 2700, 3600, 50_400, 302_400)] == [
        "90 s", "45 min", "60 min", "14 h", "3.5 d"
    ]  # fmt: skip


def test_sessions_joined_by_a_reused_id_are_a_warning():
    """QA Jira: request ids (`minute x counter x n`) came back a day later after a restart;
    nine such sessions of 6,278 lasted 24 h against a 0.17 s lifetime, one set LogBERT's `max`
    threshold, and nothing was said."""
    t0 = datetime(2026, 11, 23, 10)
    quick = [Session(f"r{i}", [1, 2], start=t0, end=t0 + timedelta(seconds=0.1)) for i in range(99)]
    joined = Session("600x1x1", [1, 2, 1, 2], start=t0, end=t0 + timedelta(days=1))
    lifetime = session_lifetime(quick)
    said = stretched_sessions_warning([*quick, joined], lifetime)
    assert said is not None and said.startswith("warning: 1 of 100 sessions last far longer")
    assert "'600x1x1', 24 h" in said and "--idle-timeout" in said
    assert stretched_sessions_warning(quick, lifetime) is None
    # ... not advising an idle timeout given already (QA Barman: its daemons, never quiet 2 h)
    given = stretched_sessions_warning([*quick, joined], lifetime, "2h")
    assert given is not None and "none of them went quiet for --idle-timeout 2h" in given
    assert "--idle-timeout DURATION" not in given
    slow = Session("s", [1, 2], start=t0, end=t0 + timedelta(minutes=50))  # under an hour
    assert stretched_sessions_warning([*quick, slow], lifetime) is None


def test_a_session_the_idle_timeout_closed_is_not_open():
    """QA ingress-nginx: a visit quiet for 54 min under a 10 min idle timeout was "open" (its
    end unjudged) because a monitoring probe's hour-long sessions made the lifetime 59 min."""
    end = T0 + timedelta(minutes=60)
    visit = Session("10.9.9.9", [1], start=T0 + timedelta(minutes=5), end=T0 + timedelta(minutes=5))
    busy = Session("probe", [2, 2], start=T0 + timedelta(minutes=30), end=end)
    lifetime = 59 * 60.0
    assert open_sessions([visit, busy], end, lifetime).tolist() == [True, True]
    assert open_sessions([visit, busy], end, lifetime, idle=600.0).tolist() == [False, True]


def test_a_long_lived_session_still_writing_at_the_end_is_open():
    """QA kubelet: a kube-proxy pod started 6 h before the log's end (the lifetime 5.4 h),
    its status written every few minutes and last 7 min before the end, was judged ended and
    flagged for its `<end of session>`. One as old that fell quiet long before is whole."""
    end = T0 + timedelta(hours=10)
    writing = _session(0, 4, 5.9, keys=range(60))  # mean gap 6 min, quiet 6 min
    quiet = _session(1, 4, 4, keys=range(60))  # quiet 2 h
    few = _session(2, 4, 5.9, keys=(1, 2))  # two events: no gap to judge by
    assert open_sessions([writing, quiet, few], end, lifetime=3600).tolist() == [True, False, False]
    assert open_sessions([writing], end, lifetime=3600, idle=60).tolist() == [False]


def test_a_time_window_the_logs_end_cut_is_open_whatever_its_last_key():
    """QA unattended-upgrades: a day's window ending in `All upgrades installed` (a key that
    ends sessions) was whole, one ending in a failure open, so of the last day's windows only
    the failures were marked open, and an operator discounting open verdicts discounted them."""
    days = [_session(i, 24 * i, 24, keys=(1, 2, 3)) for i in range(5)]  # key 3 ends each
    lifecycle = SessionLifecycle().fit(days)
    assert lifecycle.final_keys_ == {3}
    last = [_session(5, 120, 24, keys=(1, 2, 3)), _session(6, 120, 24, keys=(1, 2, 9))]
    end = T0 + timedelta(hours=127)
    assert lifecycle.open_mask(last, end).tolist() == [False, True]  # sessions by id
    assert lifecycle.open_mask(last, end, clock_cut=True).tolist() == [True, True]
    assert lifecycle.batch(last, end, clock_cut=True).is_open.tolist() == [True, True]


def test_a_time_window_the_log_ends_in_its_last_hundredth_is_whole():
    """QA Resque: each host's last 5-minute window, its log ending at 10:59:59, was open, and
    ecvc, which judges no open window's mix, scored a whole window of jobs run without their
    fork hooks 0.0."""
    windows = [_session(i, i / 12, 1 / 12) for i in range(24)]  # 5-minute windows, 2 hours
    lifecycle = SessionLifecycle().fit(windows)
    last = _session(24, 2, 1 / 12)  # 22:00 to 22:05
    for seconds_before, still_open in ((1, False), (3, False), (4, True), (120, True)):
        end = last.end - timedelta(seconds=seconds_before)  # (1% of 5 minutes: 3 s)
        assert lifecycle.open_mask([last], end, clock_cut=True).tolist() == [still_open]
    # sessions by id keep their rule: one younger than the lifetime is open (its last key one
    # that ends no session)
    young = _session(25, 2, 1 / 12, keys=(1, 9))
    assert lifecycle.open_mask([young], young.end - timedelta(seconds=1)).tolist() == [True]
