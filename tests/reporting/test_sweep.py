import numpy as np

from logbert.reporting.sweep import operating_points, threshold_sweep


def data():
    scores = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
    labels = np.array([0, 0, 0, 0, 1, 0, 1, 0, 1, 1])
    return scores, labels


def test_points_meet_their_definitions():
    scores, labels = data()
    points = {p.name: p for p in operating_points(scores, labels)}
    precise = points["precision-first"]
    assert precise.precision >= 0.95 and precise.recall == 0.5  # flags 0.9 and 1.0
    assert 0.8 <= precise.threshold < 0.9
    full = points["recall-first"]
    assert full.recall >= 0.99 and full.precision == 4 / 6  # flags 0.5 and above
    assert 0.4 <= full.threshold < 0.5
    balanced = points["balanced"]
    assert balanced.f1 >= max(precise.f1, full.f1)


def test_unreachable_point_has_no_threshold():
    scores = np.array([0.1, 0.9, 0.9])
    labels = np.array([0, 1, 0])  # the anomaly ties a normal: precision never reaches 0.95
    points = {p.name: p for p in operating_points(scores, labels)}
    assert points["precision-first"].threshold is None
    assert points["recall-first"].threshold is not None


def test_sweep_matches_flagging_above_threshold():
    scores, labels = data()
    sweep = threshold_sweep(scores, labels)
    for cutoff, precision, recall in zip(
        sweep.thresholds, sweep.precision, sweep.recall, strict=True
    ):
        flagged = scores >= cutoff
        assert precision == labels[flagged].mean()
        assert recall == labels[flagged].sum() / labels.sum()
