"""`holdout`: the seeded train/validation split every training run uses (moved from protocols)."""

from __future__ import annotations

from logbert.sessions.io import Session
from logbert.sessions.split import holdout


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
