import numpy as np
import pytest

from logbert.models.base import read_config
from logbert.models.pca import PCADetector, q_statistic

NORMAL = [[1, 2, 3]] * 10 + [[1, 2, 3, 3]] * 5 + [[1, 1, 2, 2, 3, 3]] * 5


@pytest.mark.parametrize("tfidf", [True, False])
def test_normal_patterns_have_small_residuals_and_odd_ones_large(tfidf):
    detector = PCADetector(tfidf=tfidf).fit(NORMAL)
    normal = detector.decision_function(NORMAL)
    odd = detector.decision_function([[1, 3, 3, 3, 3], [1, 2, 3, 42]])
    assert odd.min() > 10 * max(normal.max(), 1e-9)


def test_q_statistic_is_recorded_and_saved(tmp_path):
    detector = PCADetector().fit(NORMAL)
    assert detector.q_threshold_ >= 0
    detector.save(tmp_path)
    assert read_config(tmp_path)["training"]["q_statistic_threshold"] == detector.q_threshold_
    assert PCADetector.load(tmp_path).q_threshold_ == pytest.approx(detector.q_threshold_)


def test_q_statistic_grows_with_residual_variance():
    assert q_statistic(np.array([0.1, 0.1])) < q_statistic(np.array([1.0, 1.0]))
    assert q_statistic(np.array([])) == 0.0


def test_identical_training_sessions_still_score():
    detector = PCADetector().fit([[1, 2]] * 4)
    assert detector.decision_function([[1, 2], [1, 2, 2]]).tolist()[0] == 0
    assert detector.decision_function([[1, 2, 2]])[0] > 0


def test_sessions_inside_the_normal_subspace_score_zero_not_rounding_noise():
    """QA LibreNMS: a few fixed workflows, normal sessions scored ~1e-28, and mean+2std of
    them (5.4e-28) flagged a quarter of the normal test sessions."""
    rng = np.random.default_rng(0)
    workflows = [[1, 2, 3, 4] * 3, [1, 2, 5, 6, 4], [7, 8, 9] * 2]
    training = [workflows[i] for i in rng.integers(0, 3, 300)]
    detector = PCADetector(n_components=5).fit(training)
    assert set(detector.decision_function(training).tolist()) == {0.0}
    assert detector.decision_function([[1, 2, 3, 9, 9, 4]])[0] > 0.01
