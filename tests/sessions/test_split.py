"""`holdout` (the seeded validation split every training run uses, moved from protocols) and
`split_sessions` (`logbert split`: train / validation / test by time or seeded random)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from logbert.errors import LogbertError
from logbert.sessions.io import Session
from logbert.sessions.split import holdout, split_sessions


def test_same_split_as_before_the_move():
    # outputs recorded from logbert.evaluation.protocols.holdout before it moved here
    assert holdout(list(range(10)), 0.3, 0) == ([0, 1, 3, 5, 7, 8, 9], [2, 4, 6])
    assert holdout(list(range(20)), 0.25, 7) == (
        [0, 1, 2, 4, 5, 6, 7, 9, 10, 11, 15, 16, 17, 18, 19],
        [3, 8, 12, 13, 14],
    )


def test_too_few_sessions_means_no_validation():
    assert holdout([1, 2], 0.1, 0) == ([1, 2], [])
    assert holdout([[1], [2]], 0.9, 0) == ([[1], [2]], [])  # validation would take them all
    assert holdout([], 0.5, 0) == ([], [])


def test_works_on_sessions_and_key_lists_alike():
    sessions = [Session(f"s{i}", [i, i + 1]) for i in range(10)]
    train, val = holdout(sessions, 0.3, 0)
    assert [s.session_id for s in val] == ["s2", "s4", "s6"]
    assert len(train) == 7 and all(isinstance(s, Session) for s in train)
    keys_train, keys_val = holdout([s.keys for s in sessions], 0.3, 0)
    assert keys_val == [s.keys for s in val] and keys_train == [s.keys for s in train]
    assert holdout(tuple(range(10)), 0.3, 0)[0] == [0, 1, 3, 5, 7, 8, 9]  # any sequence


def test_split_sessions_by_time_is_chronological():
    t0 = datetime(2024, 1, 1)
    sessions = [Session(str(i), [i], start=t0 + timedelta(hours=20 - i)) for i in range(20)]
    parts, method = split_sessions(sessions, (0.5, 0.2, 0.3))
    assert method == "time"
    assert [s.session_id for s in parts["train"]] == [str(i) for i in range(19, 9, -1)]
    assert [s.session_id for s in parts["test"]] == ["5", "4", "3", "2", "1", "0"]
    latest_train = max(s.start for s in parts["train"])
    assert all(s.start > latest_train for s in parts["validation"] + parts["test"])


def test_a_time_split_keeps_sessions_that_start_together_in_one_part():
    """QA Fluent Bit: six pods' 5-minute windows of 11:00 went four to validation and two to
    test; each cut moves to the nearer end of its run of equal starts."""
    t0 = datetime(2024, 1, 1)
    pods = [f"pod{p}" for p in range(6)]
    sessions = [
        Session(f"{pod}@{w}", [1], start=t0 + timedelta(minutes=5 * w))
        for w in range(10)
        for pod in pods
    ]
    parts, _ = split_sessions(sessions, (0.55, 0.08, 0.37))  # cuts at 33 (a tie: 30) and 38
    sizes = {name: len(part) for name, part in parts.items()}
    assert sizes == {"train": 30, "validation": 6, "test": 24}
    for earlier, later in (("train", "validation"), ("validation", "test")):
        assert max(s.start for s in parts[earlier]) < min(s.start for s in parts[later])
    # no validation part: its two cuts move as one; a part too small keeps the cut
    parts, _ = split_sessions(sessions, (0.7, 0.0, 0.3))
    assert [len(parts[p]) for p in ("train", "validation", "test")] == [42, 0, 18]
    few = [Session(str(i), [1], start=t0) for i in range(5)]
    parts, _ = split_sessions(few, (0.6, 0.0, 0.4))
    assert [len(parts[p]) for p in ("train", "validation", "test")] == [3, 0, 2]


def test_split_sessions_random_is_seeded_and_stratified():
    sessions = [Session(str(i), [i], "anomaly" if i % 5 == 0 else "normal") for i in range(100)]
    parts, method = split_sessions(sessions, (0.6, 0.1, 0.3), seed=3)
    assert method == "random"
    counts = {k: (len(v), sum(s.label == "anomaly" for s in v)) for k, v in parts.items()}
    assert counts == {"train": (60, 12), "validation": (10, 2), "test": (30, 6)}
    again, _ = split_sessions(sessions, (0.6, 0.1, 0.3), seed=3)
    assert [s.session_id for s in again["test"]] == [s.session_id for s in parts["test"]]
    ids = [s.session_id for part in parts.values() for s in part]
    assert sorted(ids) == sorted(s.session_id for s in sessions)


def test_split_sessions_refuses_parts_under_two_sessions():
    with pytest.raises(LogbertError, match="fewer than two"):
        split_sessions([Session(str(i), [1]) for i in range(6)], (0.6, 0.1, 0.3))


def test_a_zero_train_share_is_named_as_the_cause():
    """It said "20 sessions are too few ... fewer than two sessions"."""
    with pytest.raises(LogbertError, match=r"the train share is 0 \(shares \(0, 0.3, 0.7\)\): a "
                       "split needs training sessions"):  # fmt: skip
        split_sessions([Session(str(i), [1]) for i in range(20)], (0, 0.3, 0.7))
