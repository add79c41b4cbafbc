"""The unseen-key ceiling on toy protocols (exact values)."""

import pytest

from logbert.evaluation.ceiling import describe_ceiling, unseen_key_ceiling
from logbert.sessions.io import Session


def _sessions(keys_list, label):
    return [Session(f"{label}{i}", keys, label) for i, keys in enumerate(keys_list)]


def test_forced_false_positives_and_f1_bound():
    train = _sessions([[1, 2], [2, 3]], "normal")
    test = _sessions([[1, 2, 3], [1, 4], [5], [3, 3]], "normal")  # 2 hold unseen keys (4, 5)
    test += _sessions([[1, 9], [1, 2], [7, 7, 1]], "anomaly")  # 2 of 3 hold unseen keys
    out = unseen_key_ceiling(train, test)
    assert out == {
        "n_train_keys": 3,
        "n_test_normal": 4,
        "n_test_anomalies": 3,
        "normal_with_unseen": 2,
        "normal_with_unseen_share": 0.5,
        "anomalies_with_unseen": 2,
        "f1_max": 2 * 3 / (2 * 3 + 2),
    }
    assert out["f1_max"] == 0.75
    line = describe_ceiling(out)
    assert "2 of 4 normal test sessions (50.00%)" in line and "2*3/(2*3+2) = 0.750" in line


def test_protocol_b_argument_is_reproduced():
    """181 anomalies and 26 forced false positives give F1 <= 0.933 (benchmarks/results)."""
    train = _sessions([[1]], "normal")
    test = _sessions([[1, 6]] * 26 + [[1]] * 100, "normal") + _sessions([[1]] * 181, "anomaly")
    out = unseen_key_ceiling(train, test)
    assert out["normal_with_unseen"] == 26
    assert out["f1_max"] == pytest.approx(0.933, abs=5e-4)


def test_no_anomalies_and_no_normals():
    train = _sessions([[1]], "normal")
    assert unseen_key_ceiling(train, _sessions([[2]], "normal"))["f1_max"] is None
    only_anomalies = unseen_key_ceiling(train, _sessions([[2]], "anomaly"))
    assert only_anomalies["f1_max"] == 1.0 and only_anomalies["normal_with_unseen_share"] is None
