"""What a report is drawn from once loaded, and the threshold and metrics derived from it.

Verdict metrics (F1, confusion matrix, the sweep at the threshold) are computed only from the
deciding score, the column the threshold record's `score` field names; when the scores file
lacks it, `labelled_scores` and `metrics` give nothing from the scores and `lacks_deciding`
says why, because a threshold set on one score cannot be applied to another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from logbert.evaluation.metrics import detection_metrics
from logbert.reporting.html import Safe, image
from logbert.reporting.inputs import ModelInfo, ScoreTable, as_float, deciding_column
from logbert.scoring.flag_rate import expected_flag_rate, flag_rate_note

# how a scores file gets labels (QA: every row "label unknown", and the page did not say)
LABELLED_SCORES_HINT = (
    "Scores carry labels when `logbert score` reads labelled sessions, or raw logs with "
    "--labels (`score MODEL LOGS --logs --labels labels.csv`)."
)

METRIC_NAMES = {
    "f1": "F1",
    "precision": "precision",
    "recall": "recall",
    "accuracy": "accuracy",
    "fpr": "false-positive rate",
    "roc_auc": "ROC-AUC",
    "pr_auc": "PR-AUC",
    "threshold": "threshold",
    "n_sessions": "sessions",
    "n_anomalies": "anomalies",
}

# Metrics that have no value without anomalous sessions (recall and what builds on it), or
# without normal ones (the curves need both classes)
NEEDS_BOTH_CLASSES = ("roc_auc", "pr_auc")
NEEDS_ANOMALIES = ("recall", "f1", *NEEDS_BOTH_CLASSES)


def metric_value(metrics: dict, key: str) -> float | int | str:
    """A metric as the report shows it: its number, or "n/a (why)" where it is undefined.

    Evaluations store undefined metrics as null (ROC-AUC without anomalies) or as 0 (recall
    and F1 without anomalies); either way there is no number to show, and a reader must not
    see "None" or a 0 that looks like a measured failure.
    """
    value = metrics.get(key)
    n_sessions, n_anomalies = metrics.get("n_sessions"), metrics.get("n_anomalies")
    if key in NEEDS_ANOMALIES and n_anomalies == 0:
        return "n/a (no anomalies)"
    if key in NEEDS_BOTH_CLASSES and n_sessions is not None and n_anomalies == n_sessions:
        return "n/a (no normal sessions)"
    matrix = metrics.get("confusion_matrix")
    flagged = [matrix.get(cell) for cell in ("tp", "fp")] if isinstance(matrix, dict) else []
    if key == "precision" and flagged == [0, 0]:
        return "n/a (nothing flagged)"
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    number = as_float(value)
    if number is None and n_anomalies == 0:  # precision too, where evaluate leaves it out
        return "n/a (no anomalies)"
    return "n/a" if number is None else number


# Every figure a report can hold; a rerun removes those it no longer draws.
FIGURE_NAMES = (
    "training_loss",
    "score_distributions",
    "roc_pr",
    "confusion_matrix",
    "threshold_sweep",
)


@dataclass
class Figures:
    """PNG figures in page order, written beside the report as well as inlined."""

    items: dict[str, bytes] = field(default_factory=dict)

    def add(self, name: str, png: bytes, alt: str) -> Safe:
        assert name in FIGURE_NAMES, name
        self.items[f"{name}.png"] = png
        return image(png, alt, f"{name}.png")


@dataclass
class ReportData:
    """Everything loaded, plus the threshold and metrics derived from it."""

    model: ModelInfo
    scores: ScoreTable | None = None
    evaluation: dict | None = None
    evaluation_path: Path | None = None
    figures: Figures = field(default_factory=Figures)
    notes: list[str] = field(default_factory=list)  # warnings on how the inputs fit together

    @property
    def threshold_record(self) -> dict | None:
        """The threshold's provenance: from the evaluation when given, else the model's."""
        info = (self.evaluation or {}).get("threshold_info")
        return info if isinstance(info, dict) else self.model.threshold

    @property
    def deciding(self) -> str:
        """The score the threshold applies to (the threshold record's `score` field)."""
        return deciding_column(self.threshold_record)

    @property
    def lacks_deciding(self) -> str | None:
        """Why no verdict can be computed from the scores file, when it lacks the deciding
        score; None when it has it (or no scores file was given)."""
        table = self.scores
        if table is None or table.has_deciding:
            return None
        return (
            f"The scores lack `{table.column}`, the score the threshold applies to; rescore "
            "with this model."
        )

    @property
    def threshold(self) -> float | None:
        """The threshold the verdicts shown were made with."""
        value = (self.evaluation or {}).get("threshold")
        if value is None and self.threshold_record:
            value = self.threshold_record.get("value")
        return as_float(value)

    def flagged(self) -> tuple[int, int] | None:
        """(sessions flagged, sessions scored) in the scores file: its `is_anomaly` verdicts
        (what `score` flagged), else the deciding score above the threshold; None without
        scores of the deciding column."""
        table = self.scores
        if table is None or not table.has_deciding or not table.scores.size:
            return None
        if table.verdicts is not None:
            return int(np.count_nonzero(table.verdicts)), int(table.scores.size)
        if self.threshold is None:
            return None
        return int(np.count_nonzero(table.scores > self.threshold)), int(table.scores.size)

    @property
    def calibration(self) -> np.ndarray | None:
        """The model's normal calibration scores, when they are of the score the threshold
        shown applies to (they are of its own threshold's score); None otherwise."""
        scores = self.model.calibration_scores
        if scores is None or deciding_column(self.model.threshold) != self.deciding:
            return None
        return scores

    def expected_flag_rate(self) -> float | None:
        """The share of normal sessions the threshold flags (its conformal false-alarm rate
        on the calibration scores): what the calibration intends; None when unknown."""
        calibration = self.calibration
        if calibration is None or self.threshold is None:
            return None
        return expected_flag_rate(calibration, self.threshold)

    def flag_rate_note(self) -> str | None:
        """The note `score` prints when far more sessions were flagged than the threshold
        flags on normal data (`scoring.flag_rate`, its one rule), without its `note: `."""
        flagged = self.flagged()
        if flagged is None or self.threshold is None:
            return None
        note = flag_rate_note(*flagged, self.calibration, self.threshold)
        return None if note is None else note.removeprefix("note: ")

    def labelled_scores(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(scores, labels) of the labelled sessions, when both classes are present."""
        table = self.scores
        if table is None or table.labels is None or not table.has_deciding:
            return None
        mask = table.labelled
        labels = table.labels[mask]
        if labels.size == 0 or labels.min() == labels.max():
            return None
        return table.scores[mask], labels

    def metrics(self) -> tuple[dict | None, str]:
        """Detection metrics and where they come from (evaluation file, or the scores)."""
        if self.evaluation is not None and "f1" in self.evaluation:
            return self.evaluation, f"from {self.evaluation_path.name}"
        table = self.scores
        if table is None or table.labels is None or self.threshold is None:
            return None, ""
        if not table.has_deciding:
            return None, ""
        mask = table.labelled
        if not mask.any():
            return None, ""
        metrics = detection_metrics(table.labels[mask], table.scores[mask], self.threshold)
        return metrics, f"computed from {table.path.name} ({table.column}) at the threshold"
