import warnings

import numpy as np
import pytest
from sklearn.ensemble import IsolationForest

from logbert.models.count_vectors import count_matrix
from logbert.models.isolation_forest import IsolationForestDetector, average_path_length

RNG = np.random.default_rng(0)
NORMAL = [list(RNG.integers(1, 6, size=RNG.integers(3, 12))) for _ in range(300)]


def test_scores_equal_sklearn_score_samples():
    detector = IsolationForestDetector(unseen_penalty=False, seed=3).fit(NORMAL)
    arrays = [np.asarray(s) for s in NORMAL[:50]] + [np.array([1] * 30)]
    matrix = count_matrix(detector.vocab_, [np.asarray(s) for s in NORMAL])
    reference = IsolationForest(random_state=3).fit(matrix)
    expected = -reference.score_samples(count_matrix(detector.vocab_, arrays))
    np.testing.assert_allclose(detector.decision_function(arrays), expected, rtol=1e-12)


def test_unseen_penalty_puts_unseen_keys_on_top():
    detector = IsolationForestDetector().fit(NORMAL)
    scores = detector.decision_function(NORMAL + [[1, 2, 99]])
    assert scores[-1] > scores[:-1].max()


def test_average_path_length_known_values():
    np.testing.assert_allclose(average_path_length(np.array([0, 1, 2])), [0, 0, 1])
    assert average_path_length(np.array([256]))[0] > 9


def test_one_training_session_gives_sklearns_score_not_nan():
    """c(1) = 0: the score was 2^(-0/0), a NaN threshold and a model no command could use."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # none from a division by zero
        warnings.simplefilter("ignore", UserWarning)  # too little variety, tested below
        detector = IsolationForestDetector(unseen_penalty=False).fit([[1, 2, 3]])
        scores = detector.decision_function([[1, 2, 3], [1, 1, 1, 1]])
    reference = IsolationForest(random_state=0).fit(
        count_matrix(detector.vocab_, [np.array([1, 2, 3])])
    )
    expected = -reference.score_samples(count_matrix(detector.vocab_, [np.array([1, 2, 3])]))
    np.testing.assert_allclose(scores, [expected[0]] * 2)
    assert detector.threshold_.value == 0.5


def test_too_alike_training_sessions_are_a_warning_through_log_or_python():
    """One distinct count vector scores every session 0.5, the threshold: nothing is flagged."""
    lines: list[str] = []
    IsolationForestDetector().fit([[1, 2, 3]] * 10, log=lines.append)
    assert len(lines) == 1 and lines[0].startswith("warning: isolation-forest: the training")
    assert "only 1 distinct count vector (" in lines[0] and "at least 3" in lines[0]
    with pytest.warns(UserWarning, match="only 2 distinct count vectors"):
        IsolationForestDetector().fit([[1, 2, 3]] * 5 + [[1, 2, 3, 3]] * 5)
    quiet: list[str] = []
    IsolationForestDetector().fit([[1, 2, 3], [1, 2, 3, 3], [1, 2, 2, 3]], log=quiet.append)
    assert quiet == []
