import pytest

from logbert.errors import LogbertError
from logbert.evaluation.metrics import add_flagged, detection_metrics, projected_f1


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
    # ROC-AUC: of the 2 x 4 (anomaly, normal) pairs, only the anomaly at 0.8 outscores normals
    # (0.1, 0.2, 0.3), so 3 of 8 pairs are ranked right.
    assert metrics["roc_auc"] == pytest.approx(3 / 8)
    # PR-AUC (average precision), ranking 0.9 N, 0.8 A, 0.3 N, 0.2 N, 0.1 N, 0.05 A:
    # recall 1/2 at precision 1/2 (after 2), then recall 1 at precision 2/6 (after 6).
    assert metrics["pr_auc"] == pytest.approx(0.5 * 0.5 + 0.5 * (2 / 6))
    assert (metrics["n_sessions"], metrics["n_anomalies"], metrics["threshold"]) == (6, 2, 0.5)
    # normal scores 0.1, 0.2, 0.3, 0.9; anomalous 0.8, 0.05 (population sd, numpy's default)
    assert metrics["normal_score_mean"] == pytest.approx(0.375)
    assert metrics["normal_score_sd"] == pytest.approx((0.3875 / 4) ** 0.5)
    assert metrics["anomaly_score_mean"] == pytest.approx(0.425)
    assert metrics["anomaly_score_sd"] == pytest.approx(0.375)


def test_single_class_has_no_auc():
    metrics = detection_metrics([0, 0], [0.1, 0.2], threshold=0.15)
    assert metrics["roc_auc"] is None and metrics["pr_auc"] is None
    assert metrics["anomaly_score_mean"] is None and metrics["anomaly_score_sd"] is None
    assert metrics["normal_score_mean"] == pytest.approx(0.15)
    assert metrics["confusion_matrix"] == {"tn": 1, "fp": 1, "fn": 0, "tp": 0}


def test_projected_f1_scales_false_positives():
    metrics = {"fpr": 0.001, "recall": 1.0}
    projected = projected_f1(metrics, full_normal=1_000_000, full_anomalies=1_000)
    assert projected["projected_fp"] == pytest.approx(1_000)
    assert projected["projected_precision"] == pytest.approx(0.5)
    assert projected["projected_f1"] == pytest.approx(2 / 3)


def test_empty_input_is_an_error():
    with pytest.raises(LogbertError):
        detection_metrics([], [], 0.0)


def test_data_without_anomalies_has_no_precision_recall_or_f1():
    """an evaluation on normal sessions only printed 0.0000 for all three."""
    metrics = detection_metrics([0, 0, 0], [0.1, 0.9, 0.2], 0.5)
    assert metrics["precision"] is None and metrics["recall"] is None and metrics["f1"] is None
    assert metrics["fpr"] == pytest.approx(1 / 3) and metrics["confusion_matrix"]["fp"] == 1
    assert detection_metrics([0, 1], [0.1, 0.2], 0.5)["precision"] == 0.0  # nothing flagged


def test_recall_by_category_counts_each_kind_and_none_for_generic_labels():
    from logbert.evaluation.metrics import recall_by_category

    kinds = [["timeout"], [], ["timeout", "crash"], ["crash"], ["timeout"], None]
    flagged = [True, True, False, True, True, False]
    assert recall_by_category(kinds, flagged) == {
        "timeout": {"n": 3, "flagged": 2, "recall": 2 / 3},
        "crash": {"n": 2, "flagged": 1, "recall": 0.5},
    }
    assert recall_by_category([["anomaly"], []], [True, False]) is None


def test_items_flagged_without_a_score_count_in_the_verdict_figures_not_in_the_ranking():
    """Silent windows (no score) count as flagged in precision, recall and F1, while ROC-AUC
    and the score means stay the sessions' (QA: a flagged window's made-up score moved the
    normal score mean from 0.05 to 4.28)."""

    labels, scores = [0, 0, 1, 1], [0.1, 0.9, 0.8, 0.2]
    before = detection_metrics(labels, scores, 0.5)
    after = add_flagged(detection_metrics(labels, scores, 0.5), 3, 1)
    assert after["confusion_matrix"] == {"tn": 1, "fp": 2, "fn": 1, "tp": 4}
    assert after["n_sessions"] == 8 and after["n_anomalies"] == 5
    assert after["precision"] == 4 / 6 and after["recall"] == 4 / 5 and after["fpr"] == 2 / 3
    assert after["accuracy"] == 5 / 8
    for name in ("roc_auc", "pr_auc", "normal_score_mean", "anomaly_score_sd"):
        assert after[name] == before[name]
