"""Detection metrics on held-out labelled sessions.

Training loss is not detection quality: these numbers are what the tool reports as quality.
Labels are 1 for anomaly, 0 for normal; a session is flagged when score > threshold.
"""

from __future__ import annotations

import math

import numpy as np
from sklearn.metrics import average_precision_score, confusion_matrix, roc_auc_score

from logbert.errors import LogbertError

# Size of the full HDFS_v1 DeepLog test split (protocol A projects false positives onto it).
HDFS_FULL_NORMAL_TEST = 553_366
HDFS_FULL_ANOMALIES = 16_838


def detection_metrics(
    labels: np.ndarray | list[int], scores: np.ndarray | list[float], threshold: float
) -> dict:
    """Accuracy, precision, recall, F1, confusion matrix, ROC-AUC, PR-AUC and score stats."""
    labels = np.asarray(labels, dtype=int)
    scores = np.asarray(scores, dtype=float)
    if labels.size == 0:
        raise LogbertError("cannot evaluate on no sessions")
    if labels.shape != scores.shape:
        raise LogbertError("labels and scores differ in length")
    predicted = (scores > threshold).astype(int)
    tn, fp, fn, tp = (int(v) for v in confusion_matrix(labels, predicted, labels=[0, 1]).ravel())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    both_classes = 0 < labels.sum() < labels.size
    normal, anomaly = scores[labels == 0], scores[labels == 1]
    return {
        "n_sessions": int(labels.size),
        "n_anomalies": int(labels.sum()),
        "threshold": float(threshold),
        "accuracy": (tp + tn) / labels.size,
        "precision": precision,
        "recall": recall,
        "f1": _f1(precision, recall),
        "confusion_matrix": {"tn": tn, "fp": fp, "fn": fn, "tp": tp},
        "fpr": fp / (fp + tn) if fp + tn else 0.0,
        "roc_auc": float(roc_auc_score(labels, scores)) if both_classes else None,
        "pr_auc": float(average_precision_score(labels, scores)) if both_classes else None,
        "normal_score_mean": _stat(normal, np.mean),
        "normal_score_sd": _stat(normal, np.std),
        "anomaly_score_mean": _stat(anomaly, np.mean),
        "anomaly_score_sd": _stat(anomaly, np.std),
    }


def projected_f1(
    metrics: dict,
    full_normal: int = HDFS_FULL_NORMAL_TEST,
    full_anomalies: int = HDFS_FULL_ANOMALIES,
) -> dict:
    """Project precision and F1 to a full-size test set from a sample's FPR and recall.

    FP_full = FPR x full_normal and TP_full = recall x full_anomalies: at HDFS scale even a
    0.5% false-positive rate means thousands of false alarms, which a small sample hides.
    """
    fp_full = metrics["fpr"] * full_normal
    tp_full = metrics["recall"] * full_anomalies
    precision = tp_full / (tp_full + fp_full) if tp_full + fp_full else 0.0
    return {
        "projected_fp": fp_full,
        "projected_precision": precision,
        "projected_f1": _f1(precision, metrics["recall"]),
    }


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _stat(values: np.ndarray, fn) -> float | None:
    if values.size == 0:
        return None
    result = float(fn(values))
    return result if math.isfinite(result) else None
