"""Detection metrics on held-out labelled sessions.

Training loss is not detection quality: these numbers are what the tool reports as quality.
Labels are 1 for anomaly, 0 for normal; a session is flagged when score > threshold.

`category_metrics` scores category predictions (multi-class or multi-label models) beside
the binary figures: accuracy, per-class precision / recall / F1 / support, macro and micro
F1, the exact-match ratio, the partial score (defined in `PARTIAL_SCORE`), the confusion
matrix (full for multi-class, 2x2 per class for multi-label), and the validation loss when the
model recorded one. A true category the model never saw in training cannot be predicted; it is
counted (`unseen_in_training`) and kept in the figures, which it lowers, rather than refused.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    confusion_matrix,
    f1_score,
    hamming_loss,
    multilabel_confusion_matrix,
    precision_recall_fscore_support,
    roc_auc_score,
)

from logbert.errors import LogbertError

# Size of the full HDFS_v1 DeepLog test split (protocol A projects false positives onto it).
HDFS_FULL_NORMAL_TEST = 553_366
HDFS_FULL_ANOMALIES = 16_838
NORMAL_CLASS = "normal"
PARTIAL_SCORE = (
    "partial score: mean over sessions of |predicted ∩ true| / |predicted ∪ true| "
    "(category sets; a normal session's set is empty, and two empty sets score 1)"
)


def detection_metrics(
    labels: np.ndarray | list[int], scores: np.ndarray | list[float], threshold: float
) -> dict:
    """Accuracy, precision, recall, F1, confusion matrix, ROC-AUC, PR-AUC and score stats.

    With no anomalous session, recall has nothing to count (0 of 0), so precision, recall and
    F1 are None (n/a) rather than a 0.0 that would read as a failed detector; FPR, accuracy
    and the confusion matrix still describe the run. ROC-AUC and PR-AUC need both classes."""
    labels = np.asarray(labels, dtype=int)
    scores = np.asarray(scores, dtype=float)
    if labels.size == 0:
        raise LogbertError("cannot evaluate on no sessions")
    if labels.shape != scores.shape:
        raise LogbertError("labels and scores differ in length")
    predicted = (scores > threshold).astype(int)
    tn, fp, fn, tp = (int(v) for v in confusion_matrix(labels, predicted, labels=[0, 1]).ravel())
    precision = recall = f1 = None
    if tp + fn:  # some session is anomalous
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn)
        f1 = _f1(precision, recall)
    both_classes = 0 < labels.sum() < labels.size
    normal, anomaly = scores[labels == 0], scores[labels == 1]
    return {
        "n_sessions": int(labels.size),
        "n_anomalies": int(labels.sum()),
        "threshold": float(threshold),
        "accuracy": (tp + tn) / labels.size,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "confusion_matrix": {"tn": tn, "fp": fp, "fn": fn, "tp": tp},
        "fpr": fp / (fp + tn) if fp + tn else 0.0,
        "roc_auc": float(roc_auc_score(labels, scores)) if both_classes else None,
        "pr_auc": float(average_precision_score(labels, scores)) if both_classes else None,
        "normal_score_mean": _stat(normal, np.mean),
        "normal_score_sd": _stat(normal, np.std),
        "anomaly_score_mean": _stat(anomaly, np.mean),
        "anomaly_score_sd": _stat(anomaly, np.std),
    }


def add_flagged(metrics: dict, n_anomalous: int, n_normal: int) -> dict:
    """`metrics` of `detection_metrics` with items flagged without a score added (silent
    windows: `pipeline.verdicts.silence_rows`), `n_anomalous` labelled anomalous and `n_normal`
    labelled normal: the confusion matrix, counts, accuracy, precision, recall, F1 and FPR
    count them; ROC-AUC, PR-AUC and the score means and spreads, which rank scores, stay the
    sessions' own."""
    cm = metrics["confusion_matrix"]
    cm["tp"] += n_anomalous
    cm["fp"] += n_normal
    tp, fp, fn, tn = cm["tp"], cm["fp"], cm["fn"], cm["tn"]
    metrics["n_sessions"] += n_anomalous + n_normal
    metrics["n_anomalies"] += n_anomalous
    metrics["accuracy"] = (tp + tn) / metrics["n_sessions"]
    if tp + fn:
        metrics["precision"] = tp / (tp + fp) if tp + fp else 0.0
        metrics["recall"] = tp / (tp + fn)
        metrics["f1"] = _f1(metrics["precision"], metrics["recall"])
    metrics["fpr"] = fp / (fp + tn) if fp + tn else 0.0
    return metrics


def category_metrics(
    true: Sequence[Sequence[str]],
    predicted: Sequence[Sequence[str]],
    target: str,
    training_classes: Sequence[str] | None = None,
    validation_loss: float | None = None,
) -> dict:
    """Metrics of category predictions (see the module doc); `true`/`predicted` hold one list
    of anomaly categories per session ([] = normal), `target` is multiclass or multilabel.

    Multi-class: a session's class is its one category, `normal` when it has none (a true
    session with several categories counts as the class "A+B", which no model predicts);
    `accuracy` = exact-match ratio. Multi-label: one binary decision per (session, category);
    `accuracy` is sklearn's subset accuracy (= exact match) and `hamming_loss` the share of
    wrong decisions. Per-class figures run over every class seen in the truth or the
    predictions (and in training, when `training_classes` is given); a class neither true nor
    predicted here has none (None) and stays out of the macro average.
    """
    if len(true) != len(predicted):
        raise LogbertError(f"{len(true)} true category lists for {len(predicted)} predictions")
    if not true:
        raise LogbertError("cannot evaluate categories on no sessions")
    true_sets = [frozenset(t) - {NORMAL_CLASS} for t in true]
    pred_sets = [frozenset(p) - {NORMAL_CLASS} for p in predicted]
    known = set(training_classes or ()) - {NORMAL_CLASS}
    seen = {c for s in true_sets for c in s} | {c for s in pred_sets for c in s} | known
    out: dict = {"target": target, "n_sessions": len(true)}
    if target == "multiclass":
        y_true = [_class_of(s) for s in true_sets]
        y_pred = [_class_of(s) for s in pred_sets]
        classes = sorted(set(y_true) | set(y_pred) | known | {NORMAL_CLASS})
        y_true_m, y_pred_m = np.asarray(y_true), np.asarray(y_pred)
        matrix = confusion_matrix(y_true_m, y_pred_m, labels=classes)
        out["confusion_matrix"] = {"labels": classes, "matrix": matrix.tolist()}
        out["accuracy"] = float(accuracy_score(y_true_m, y_pred_m))
    elif target == "multilabel":
        classes = sorted(seen)
        y_true_m = _indicator(true_sets, classes)
        y_pred_m = _indicator(pred_sets, classes)
        per_class = multilabel_confusion_matrix(y_true_m, y_pred_m) if classes else []
        out["confusion_matrix"] = {
            name: {"tn": int(m[0, 0]), "fp": int(m[0, 1]), "fn": int(m[1, 0]), "tp": int(m[1, 1])}
            for name, m in zip(classes, per_class, strict=True)
        }
        out["accuracy"] = float(accuracy_score(y_true_m, y_pred_m)) if classes else 1.0
        out["hamming_loss"] = float(hamming_loss(y_true_m, y_pred_m)) if classes else 0.0
    else:
        raise LogbertError(f"category metrics need a multiclass or multilabel target, not {target}")
    out["classes"] = classes
    if classes:
        precision, recall, f1, support = precision_recall_fscore_support(
            y_true_m, y_pred_m, labels=None if target == "multilabel" else classes,
            zero_division=0,
        )  # fmt: skip
        predicted_n = (
            y_pred_m.sum(axis=0)
            if target == "multilabel"
            else np.array([np.count_nonzero(y_pred_m == c) for c in classes])
        )
        # a class neither true nor predicted here (one known from training only) has no
        # figures: n/a, and left out of the macro average (it counted as 0 there)
        present = [bool(n or m) for n, m in zip(support, predicted_n, strict=True)]
        out["per_class"] = {
            name: {
                "precision": float(p) if here else None,
                "recall": float(r) if here else None,
                "f1": float(f) if here else None,
                "support": int(n),
            }
            for name, p, r, f, n, here in zip(
                classes, precision, recall, f1, support, present, strict=True
            )
        }
        kept = [c for c, here in zip(classes, present, strict=True) if here]
        labels = (
            [i for i, here in enumerate(present) if here] if target == "multilabel" else kept
        )
        for average in ("macro", "micro"):
            out[f"{average}_f1"] = (
                float(f1_score(y_true_m, y_pred_m, labels=labels, average=average,
                               zero_division=0))  # fmt: skip
                if labels
                else 1.0
            )
    else:  # every session normal in truth and prediction: nothing to get wrong
        out["per_class"], out["macro_f1"], out["micro_f1"] = {}, 1.0, 1.0
    exact = [t == p for t, p in zip(true_sets, pred_sets, strict=True)]
    out["exact_match_ratio"] = float(np.mean(exact))
    out["partial_score"] = float(
        np.mean([_overlap(t, p) for t, p in zip(true_sets, pred_sets, strict=True)])
    )
    out["partial_score_means"] = PARTIAL_SCORE
    if training_classes is not None:
        unseen = Counter(c for s in true_sets for c in s if c not in known)
        out["unseen_in_training"] = {
            "n_sessions": sum(1 for s in true_sets if s - known),
            "categories": dict(sorted(unseen.items())),
        }
    out["validation_loss"] = validation_loss
    return out


def _class_of(categories: frozenset[str]) -> str:
    return "+".join(sorted(categories)) if categories else NORMAL_CLASS


def _indicator(sets: Sequence[frozenset[str]], classes: list[str]) -> np.ndarray:
    index = {c: i for i, c in enumerate(classes)}
    out = np.zeros((len(sets), len(classes)), dtype=np.int64)
    for row, categories in enumerate(sets):
        out[row, [index[c] for c in categories]] = 1
    return out


def _overlap(true: frozenset[str], predicted: frozenset[str]) -> float:
    union = true | predicted
    return len(true & predicted) / len(union) if union else 1.0


def recall_by_category(
    categories: Sequence[Sequence[str] | None], flagged: Sequence[bool]
) -> dict[str, dict] | None:
    """Of the anomalous sessions of each category, how many were flagged: which kinds of
    anomaly a binary detector catches (QA: labels named four kinds, and only one F1 came
    back). A session of several categories counts in each. None when the labels name no
    category but the generic anomaly (`["anomaly"]`), or there is no anomaly."""
    found: dict[str, list[int]] = {}
    for names, hit in zip(categories, flagged, strict=True):
        for name in names or ():
            counts = found.setdefault(str(name), [0, 0])
            counts[0] += 1
            counts[1] += bool(hit)
    if not found or set(found) == {"anomaly"}:
        return None
    return {
        name: {"n": n, "flagged": caught, "recall": caught / n}
        for name, (n, caught) in sorted(found.items(), key=lambda kv: (-kv[1][0], kv[0]))
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
