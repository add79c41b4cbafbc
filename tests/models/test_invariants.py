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


def test_a_broken_law_is_the_evidence_with_the_keys_it_wanted():
    """QA CFEngine: a run killed before its `Completed` line was flagged by invariants with
    `top_events: []`; "score 1 > threshold 0" was all there was to read."""
    detector = InvariantsDetector().fit(NORMAL)
    scored = detector.score_sessions([[3, 1, 1, 2], [1, 3, 2], [1, 2, 9, 9]], top_events=3)
    events = scored["top_events"]
    assert scored["score"].tolist()[1] == 0 and events[1] == []
    opened = [e for e in events[0] if e["key"] == 1]
    assert opened and opened[0]["position"] == 1  # the first `open` of the two
    assert [e["key"] for e in opened[0]["expected"]] == [2]  # ... a `close` was wanted
    assert opened[0]["note"] == "a count law of training broken: key 1 = key 2, here 2 and 1"
    unseen = [e for e in events[2] if e["key"] == 9]
    assert unseen and unseen[0]["position"] == 2 and unseen[0]["expected"] == []
    assert unseen[0]["note"].endswith("keys unseen in training = 0, here 2")
    assert detector.score_sessions([[1, 2]])["score"].tolist() == [0]  # (no evidence asked)
