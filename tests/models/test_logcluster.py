import numpy as np

from logbert.models.logcluster import LogClusterDetector, contrast_idf_weights

NORMAL = [[1, 2, 3]] * 20 + [[4, 5, 6, 6]] * 20 + [[1, 2, 3, 3]] * 5


def test_two_normal_groups_form_clusters_and_mixtures_are_far():
    detector = LogClusterDetector().fit(NORMAL)
    assert detector.training_info_["n_clusters"] >= 2
    normal = detector.decision_function([[1, 2, 3], [4, 5, 6, 6]])
    odd = detector.decision_function([[1, 2, 3, 4, 5, 6], [1, 77, 78]])
    assert normal.max() < 0.05 < odd.min()


def test_empty_session_is_maximally_far():
    detector = LogClusterDetector().fit(NORMAL)
    assert detector.decision_function([[]])[0] == 1.0


def test_weights_favour_rare_and_unseen_keys():
    matrix = np.array([[1, 1, 0], [1, 0, 0], [1, 0, 0], [1, 0, 0]], dtype=float)
    weights = contrast_idf_weights(matrix)
    assert weights[0] < weights[1] < weights[2]
    assert weights[2] > 0.5  # the unseen-key column carries the contrast weight


def test_large_inputs_are_sampled_deterministically():
    rng = np.random.default_rng(0)
    sessions = [list(rng.integers(1, 30, size=8)) for _ in range(400)]
    first = LogClusterDetector(max_rows=50).fit(sessions)
    second = LogClusterDetector(max_rows=50).fit(sessions)
    assert first.training_info_["clustered_rows_sampled"] == 50
    np.testing.assert_array_equal(first.centroids_, second.centroids_)
