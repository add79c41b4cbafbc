import numpy as np
from sklearn.svm import OneClassSVM

from logbert.models.count_vectors import count_matrix, unique_rows
from logbert.models.ocsvm import OCSVMDetector

RNG = np.random.default_rng(1)
NORMAL = [list(RNG.integers(1, 5, size=RNG.integers(4, 9))) for _ in range(200)]


def test_scores_equal_negated_sklearn_decision_function():
    detector = OCSVMDetector(nu=0.1).fit(NORMAL)
    matrix = count_matrix(detector.vocab_, [np.asarray(s) for s in NORMAL])
    distinct, _, counts = unique_rows(matrix)
    reference = OneClassSVM(nu=0.1, gamma=detector.gamma_).fit(distinct, sample_weight=counts)
    probe = [np.asarray(s) for s in NORMAL[:20]] + [np.array([4] * 20)]
    expected = -reference.decision_function(count_matrix(detector.vocab_, probe))
    np.testing.assert_allclose(detector.decision_function(probe), expected, atol=1e-9)


def test_far_sessions_score_higher():
    detector = OCSVMDetector().fit(NORMAL)
    normal = np.median(detector.decision_function(NORMAL))
    assert detector.decision_function([[1] * 40, [9, 9, 9, 9]]).min() > normal
