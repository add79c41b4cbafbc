from logbert.models.iqr import IQRDetector

NORMAL = [[1, 2, 2, 3]] * 6 + [[1, 2, 2, 2, 3]] * 4


def test_in_fence_sessions_score_zero_and_outliers_by_distance():
    detector = IQRDetector().fit(NORMAL)
    scores = detector.decision_function([[1, 2, 2, 3], [1, 2, 2, 2, 2, 2, 2, 2, 3], [1, 3]])
    assert scores[0] == 0
    assert scores[1] > 0 and scores[2] > 0
    assert scores[1] > detector.decision_function([[1, 2, 2, 2, 2, 2, 3]])[0]


def test_unseen_keys_add_their_count():
    detector = IQRDetector().fit(NORMAL)
    base = detector.decision_function([[1, 2, 2, 3]])[0]
    assert detector.decision_function([[1, 2, 2, 3, 8, 9]])[0] == base + 2
