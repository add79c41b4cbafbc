import pytest

from logbert.errors import LogbertError
from logbert.evaluation.metrics import detection_metrics, projected_f1


def test_detection_metrics_counts_and_ratios():
    labels = [0, 0, 0, 0, 1, 1]
    scores = [0.1, 0.2, 0.3, 0.9, 0.8, 0.05]
    metrics = detection_metrics(labels, scores, threshold=0.5)
    assert metrics["confusion_matrix"] == {"tn": 3, "fp": 1, "fn": 1, "tp": 1}
    assert metrics["precision"] == pytest.approx(0.5)
    assert metrics["recall"] == pytest.approx(0.5)
    assert metrics["f1"] == pytest.approx(0.5)
    assert metrics["accuracy"] == pytest.approx(4 / 6)
    assert metrics["fpr"] == pytest.approx(0.25)
    assert 0.0 <= metrics["roc_auc"] <= 1.0 and metrics["pr_auc"] is not None


def test_single_class_has_no_auc():
    metrics = detection_metrics([0, 0], [0.1, 0.2], threshold=0.15)
    assert metrics["roc_auc"] is None and metrics["anomaly_score_mean"] is None


def test_projected_f1_scales_false_positives():
    metrics = {"fpr": 0.001, "recall": 1.0}
    projected = projected_f1(metrics, full_normal=1_000_000, full_anomalies=1_000)
    assert projected["projected_fp"] == pytest.approx(1_000)
    assert projected["projected_precision"] == pytest.approx(0.5)
    assert projected["projected_f1"] == pytest.approx(2 / 3)


def test_empty_input_is_an_error():
    with pytest.raises(LogbertError):
        detection_metrics([], [], 0.0)
