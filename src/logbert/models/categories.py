"""What every detector with a category `target` shares (the count-vector classifiers in
`supervised.py` and `text-classifier`): class names, encoded targets, the per-class thresholds
of a multi-label target, the anomaly score a category model keeps, and the categories it names.

- multiclass: one category per session, `normal` one of the classes; anomaly score
  1 - P(normal); a flagged session gets the likeliest anomaly class.
- multilabel: a set of categories per session, one probability per class (no `normal`
  class: a normal session is the all-zero row); a threshold per class, best F1 on the labelled
  validation sessions (in-sample on the training labels for a class the validation sessions do
  not hold both ways); anomaly score the largest calibrated class probability (`calibrated`
  maps each class's threshold onto 0.5); a flagged session gets the classes over their
  thresholds, else the likeliest one.

A session not flagged (anomaly score not above the binary threshold) has no category, so the
categories always agree with `predict`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from logbert.scoring.thresholds import calibrate
from logbert.sessions.batch import SessionBatch
from logbert.sessions.io import ANOMALY, NORMAL

BINARY_CLASSES = np.array([NORMAL, ANOMALY])


def class_names(categories: list[list[str]], target: str) -> np.ndarray:
    """Sorted class names: every category seen (multilabel), plus `normal` (multiclass)."""
    names = {c for cats in categories for c in cats}
    if target == "multiclass":
        names.add(NORMAL)
    return np.array(sorted(names))


def encode_categories(categories: list[list[str]], classes: np.ndarray, target: str) -> np.ndarray:
    """Class indexes (multiclass) or an indicator matrix (multilabel); a category not in
    `classes` (unseen in training) sets no column."""
    index = {c: i for i, c in enumerate(classes.tolist())}
    if target == "multiclass":
        return np.array([index[cats[0] if cats else NORMAL] for cats in categories], np.int64)
    out = np.zeros((len(categories), classes.size), dtype=np.int64)
    for row, cats in enumerate(categories):
        out[row, [index[c] for c in cats if c in index]] = 1
    return out


def class_counts(targets: np.ndarray, classes: np.ndarray, target: str) -> dict[str, int]:
    if target == "multiclass":
        counts = np.bincount(targets, minlength=classes.size)
    else:
        counts = targets.sum(axis=0)
    return {str(c): int(n) for c, n in zip(classes, counts, strict=True)}


def calibrated(probability: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """Each class probability mapped so that its threshold lands on 0.5 (piecewise linear,
    monotone, [0, 1] stays [0, 1]): above 0.5 exactly when the class is over its threshold."""
    t = np.asarray(thresholds, dtype=float)[None, :]
    p = np.asarray(probability, dtype=float)
    low = 0.5 * p / np.where(t > 0, t, 1.0)
    high = 0.5 + 0.5 * (p - t) / np.where(t < 1, 1.0 - t, 1.0)
    return np.clip(np.where(p > t, high, low), 0.0, 1.0)


def labelled_categories(validation: SessionBatch | None) -> SessionBatch | None:
    """The validation sessions whose categories are known, or None when there are none."""
    if validation is None or validation.categories is None:
        return None
    known = [i for i, c in enumerate(validation.categories) if c is not None]
    return validation.take(known) if known else None


def fit_class_thresholds(
    classes: np.ndarray,
    held_out: tuple[np.ndarray, np.ndarray] | None,
    in_sample: Callable[[], tuple[np.ndarray, np.ndarray]],
) -> tuple[np.ndarray, dict[str, Any]]:
    """Best-F1 threshold per class (multilabel) and the training_info entries that say where
    each came from.

    `held_out`: (class probabilities, indicator targets) of the labelled validation sessions;
    `in_sample()`: the same for the training sessions, asked for only when some class is not
    held both ways by the validation sessions.
    """
    thresholds, sources = [], {}
    training: tuple[np.ndarray, np.ndarray] | None = None
    for k, name in enumerate(classes.tolist()):
        if held_out is not None and 0 < held_out[1][:, k].sum() < held_out[1].shape[0]:
            thresholds.append(calibrate(held_out[0][:, k], "best-f1", held_out[1][:, k]))
            sources[name] = f"validation sessions ({held_out[1].shape[0]})"
        else:
            training = training or in_sample()
            thresholds.append(calibrate(training[0][:, k], "best-f1", training[1][:, k]))
            sources[name] = (
                f"training sessions, in-sample (the validation sessions do not hold {name} "
                "both ways)"
            )
    info = {
        "class_thresholds": dict(zip(classes.tolist(), thresholds, strict=True)),
        "class_threshold_sources": sources,
    }
    return np.asarray(thresholds, dtype=float), info


def anomaly_scores(
    probability: np.ndarray, classes: np.ndarray, target: str, thresholds: np.ndarray | None
) -> np.ndarray:
    """The anomaly score of a category model: 1 - P(normal) (multiclass), the largest
    calibrated class probability (multilabel)."""
    if target == "multiclass":
        normal = int(np.flatnonzero(classes == NORMAL)[0])
        return 1.0 - np.asarray(probability, dtype=float)[:, normal]
    return calibrated(probability, thresholds).max(axis=1)


def category_names(
    probability: np.ndarray, classes: np.ndarray, target: str, thresholds: np.ndarray | None
) -> list[list[str]]:
    """Per row, the categories a flagged session gets (see the module doc)."""
    if target == "multiclass":
        anomalous = np.flatnonzero(classes != NORMAL)
        best = anomalous[np.argmax(probability[:, anomalous], axis=1)]
        return [[str(classes[b])] for b in best]
    scaled = calibrated(probability, thresholds)
    best = np.argmax(scaled, axis=1)
    return [
        [str(c) for c in classes[row > 0.5]] or [str(classes[b])]
        for row, b in zip(scaled, best, strict=True)
    ]


def flagged_categories(
    scores: np.ndarray, threshold: float, names: list[list[str]] | None
) -> list[list[str]]:
    """The categories of each row: none when its score is not above `threshold`, else its
    `names` (`category_names`; None: a binary target, whose one category is `anomaly`)."""
    flagged = np.asarray(scores) > threshold
    if names is None:
        return [[ANOMALY] if f else [] for f in flagged]
    return [list(n) if f else [] for n, f in zip(names, flagged, strict=True)]


def default_threshold(detector: Any, threshold: float | None) -> float:
    """`threshold`, else the detector's calibrated `threshold_`, else 0.5 (as `predict`)."""
    if threshold is not None:
        return threshold
    calibrated_threshold = getattr(detector, "threshold_", None)
    return calibrated_threshold.value if calibrated_threshold is not None else 0.5
