import numpy as np

from logbert.models.invariants import InvariantsDetector, integer_invariant

# count(open=1) == count(close=2) in every session; key 3 varies freely.
NORMAL = [[1, 3, 2], [1, 1, 3, 2, 2], [1, 2], [1, 1, 1, 3, 3, 2, 2, 2], [3, 1, 2, 3]] * 10


def test_mines_open_equals_close_and_counts_violations():
    detector = InvariantsDetector().fit(NORMAL)
    found = detector.invariants()
    open_col, close_col = (int(np.flatnonzero(detector.vocab_ == k)[0]) for k in (1, 2))
    assert any(
        set(inv) == {open_col, close_col} and inv[open_col] == -inv[close_col] for inv in found
    )
    scores = detector.decision_function([[1, 2, 3], [1, 1, 2], [1, 2, 9]])
    assert scores[0] == 0
    assert scores[1] >= 1  # open without close
    assert scores[2] >= 1  # unseen key breaks the "unknown count is 0" invariant


def test_integer_invariant_respects_support():
    sub = np.array([[1, 1], [2, 2], [1, 0]], dtype=float)
    assert integer_invariant(sub, np.array([0.45, 0.45, 0.1]), 0.9) is not None
    assert integer_invariant(sub, np.array([0.45, 0.45, 0.1]), 0.95) is None


def test_identical_training_sessions_still_give_their_invariants():
    """One distinct count vector: the reduced SVD kept no null-space vector, so no invariant
    but the unknown column was found and [1, 2] or [1] * 200 scored 0."""
    detector = InvariantsDetector().fit([[1, 2, 3, 4]] * 30)
    assert detector.training_info_["n_invariants"] == 4  # c1 = c2 = c3 = c4, unknown = 0
    scores = detector.decision_function([[1, 2, 3, 4], [4, 3, 2, 1], [1, 2], [1] * 200])
    assert scores[:2].tolist() == [0, 0] and np.all(scores[2:] >= 1)


def test_fewer_distinct_vectors_than_subset_columns_find_the_invariant():
    detector = InvariantsDetector().fit([[1, 2, 3, 3]] * 20 + [[1, 1, 2, 3, 3, 3]] * 20)
    col = {k: int(np.flatnonzero(detector.vocab_ == k)[0]) for k in (1, 2, 3)}
    found = [inv for inv in detector.invariants() if len(inv) == 3]
    assert len(found) == 1  # c1 + c2 = c3
    inv = found[0]
    assert inv[col[1]] == inv[col[2]] == -inv[col[3]]
    assert detector.decision_function([[1, 2, 3], [1, 2, 3, 3]]).tolist() == [1, 0]
