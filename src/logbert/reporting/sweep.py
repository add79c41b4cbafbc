"""Threshold sweep and reference operating points, read off the labelled scores being shown.

These points help a reader see the trade-off; they are picked on the very data the report
shows, so they are not honest thresholds for that data (calibrate on validation data instead).
The points reuse the calibration rules of `logbert.scoring.thresholds`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.metrics import precision_recall_curve

from logbert.errors import LogbertError
from logbert.evaluation.metrics import detection_metrics
from logbert.scoring.thresholds import calibrate

PRECISION_TARGET = 0.95
RECALL_TARGET = 0.99
OPERATING_RULES = (
    (
        "precision-first",
        f"precision>={PRECISION_TARGET}",
        f"the threshold with the most recall whose precision is at least {PRECISION_TARGET}",
    ),
    (
        "recall-first",
        f"recall>={RECALL_TARGET}",
        f"the threshold with the most precision whose recall is at least {RECALL_TARGET}",
    ),
    ("balanced", "best-f1", "the threshold with the highest F1"),
)


@dataclass(frozen=True)
class OperatingPoint:
    """A named threshold choice and its precision/recall/F1 on the shown data."""

    name: str
    definition: str
    threshold: float | None  # None when no threshold meets the definition
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None


@dataclass(frozen=True)
class Sweep:
    """Precision, recall and F1 of flagging `score > threshold`, for each threshold."""

    thresholds: np.ndarray
    precision: np.ndarray
    recall: np.ndarray
    f1: np.ndarray


def threshold_sweep(scores: np.ndarray, labels: np.ndarray) -> Sweep:
    """The sweep over every distinct score (labels: 1 = anomaly, 0 = normal; both present)."""
    precision, recall, cutoffs = precision_recall_curve(labels, scores)
    precision, recall = precision[:-1], recall[:-1]
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    # precision_recall_curve flags score >= cutoff; the same verdicts come from any threshold
    # just below the cutoff, so the curves are drawn at the cutoffs.
    return Sweep(cutoffs, precision, recall, f1)


def operating_points(scores: np.ndarray, labels: np.ndarray) -> list[OperatingPoint]:
    """Precision-first, recall-first and balanced thresholds on these scores and labels."""
    points = []
    for name, rule, definition in OPERATING_RULES:
        try:
            value = calibrate(scores, rule, labels)
        except LogbertError:
            points.append(OperatingPoint(name, definition, None))
            continue
        metrics = detection_metrics(labels, scores, value)
        points.append(
            OperatingPoint(
                name, definition, value, metrics["precision"], metrics["recall"], metrics["f1"]
            )
        )
    return points
