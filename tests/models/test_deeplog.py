import numpy as np
import pytest

from logbert.models.deeplog import DeepLog
from logbert.sessions.batch import SessionBatch

NORMAL = [[1, 2, 3, 4, 5, 6]] * 30 + [[1, 2, 3, 4, 4, 5, 6]] * 10


@pytest.fixture(scope="module")
def strict():
    """g = 1: only the single most likely next key counts as expected."""
    return DeepLog(
        window=4, top_g=1, epochs=150, learning_rate=1e-2, hidden_size=16, embedding_dim=8
    ).fit(NORMAL)


def test_normal_order_has_no_misses_and_swaps_miss(strict):
    scores = strict.decision_function([[1, 2, 3, 4, 5, 6], [1, 3, 2, 4, 5, 6]])
    assert scores[0] == 0
    assert scores[1] >= 1


def test_end_marker_catches_sessions_that_stop_early(strict):
    assert strict.decision_function([[1, 2, 3]])[0] >= 1
    assert strict.decision_function([[]])[0] >= 1  # END right after START is unexpected


def test_open_sessions_are_not_judged_on_their_end(strict):
    closed, still_open = strict.decision_function(SessionBatch.from_keys([[1, 2, 3]] * 2, [0, 1]))
    assert still_open == 0 and closed >= 1
    swapped = SessionBatch.from_keys([[1, 3, 2]], [True])
    assert strict.decision_function(swapped)[0] >= 1  # order still counts


def test_a_missed_position_is_the_evidence_with_the_keys_expected_there(strict):
    """QA Gitolite: DeepLog's flagged pushes carried no evidence (`top_events` absent), so an
    operator could not see which line made a session anomalous."""
    scored = strict.score_sessions([[1, 2, 3, 4, 5, 6], [1, 3, 2, 4, 5, 6], [1, 2, 3]], 3)
    assert scored["score"].tolist() == strict.decision_function(
        [[1, 2, 3, 4, 5, 6], [1, 3, 2, 4, 5, 6], [1, 2, 3]]
    ).tolist()
    normal, swapped, short = scored["top_events"]
    assert normal == []
    first = swapped[0]
    assert first["position"] == 1 and first["key"] == 3  # 2 was expected after 1
    assert first["expected"][0]["key"] == 2 and 0 < first["expected"][0]["prob"] <= 1
    assert len(swapped) <= 3
    end = short[-1]  # the session stopped where 4 comes
    assert end["key"] is None and end["position"] == 3 and end["expected"][0]["key"] == 4
    assert strict.score_sessions([[1, 2]])["score"].tolist() == [
        strict.decision_function([[1, 2]])[0]
    ]  # (no evidence asked: scores alone)


def test_each_unseen_key_is_a_miss(strict):
    base = strict.decision_function([[1, 2, 3, 4, 5, 6]])[0]
    scores = strict.decision_function([[1, 2, 3, 4, 5, 6, 42, 43]])
    assert scores[0] >= base + 2


def test_windows_cover_every_key_plus_end():
    detector = DeepLog(window=3, epochs=1).fit(NORMAL)
    windows, owner = detector._windows(
        [np.array([1, 2]), np.array([], dtype=np.int64)], closed=[True, True]
    )
    assert windows.shape == (3 + 1, 4)  # 2 keys + END, then END of the empty session
    np.testing.assert_array_equal(owner, [0, 0, 0, 1])
    assert detector.history_["epochs"][0]["train_loss"] > 0
    assert detector.training_info_["n_distinct_windows"] < detector.training_info_["n_windows"]


def test_time_windows_have_no_end_to_predict(tmp_path):
    """QA CrowdSec (LogBERT's, and DeepLog's alike): a time window's end, which a clock made,
    was judged as the system's: a window cut after any key was "expected: a heartbeat"."""
    batch = SessionBatch.from_keys(NORMAL)
    windows = SessionBatch(batch.keys, batch.is_open, clock_cut=True)
    model = DeepLog(window=4, top_g=1, epochs=150, learning_rate=1e-2, hidden_size=16,
                    embedding_dim=8).fit(windows)  # fmt: skip
    assert model.decision_function([[1, 2, 3]])[0] == 0  # cut after 3: no END expected
    model.save(tmp_path / "m")
    assert DeepLog.load(tmp_path / "m").decision_function([[1, 2, 3]])[0] == 0


def test_a_model_that_did_not_learn_normal_order_is_warned_of(strict):
    """QA XenServer: `--epochs 5` left DeepLog missing most normal next keys, its score a
    session's length, F1 0.00 with exit 0 and nothing said."""
    normal = SessionBatch.from_keys(NORMAL)
    assert strict.unlearnt_warning(normal, strict.decision_function(normal)) is None
    untrained = DeepLog(window=4, top_g=1, epochs=1, learning_rate=1e-4, hidden_size=8).fit(NORMAL)
    warning = untrained.unlearnt_warning(normal, untrained.decision_function(normal))
    assert warning is not None and "top-1 predictions missed" in warning
    assert "(--epochs, 1 now)" in warning
