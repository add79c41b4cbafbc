"""The report's sections: each turns the loaded inputs into text, tables and figures.

A section whose data is missing says which file or field it needs instead of failing.
"""

from __future__ import annotations

import numpy as np

from logbert.evaluation.metrics import detection_metrics
from logbert.reporting import plots
from logbert.reporting.context import (
    LABELLED_SCORES_HINT,
    METRIC_NAMES,
    ReportData,
    metric_value,
)
from logbert.reporting.curve_reading import LOSS_IS_NOT_QUALITY, read_curve
from logbert.reporting.html import Section, fmt, join, key_values, missing, tag
from logbert.reporting.html import table as html_table
from logbert.reporting.inputs import as_float, rows_of
from logbert.reporting.sweep import operating_points, threshold_sweep

QUALITY_KEYS = ("f1", "precision", "recall", "accuracy", "fpr", "roc_auc", "pr_auc")


def training_section(data: ReportData) -> Section:
    """Loss curves, their reading, and the reminder that loss is not detection quality."""
    history = data.model.history
    if history is None:
        body = missing(f"No history.json in {data.model.path}: no training curves to show.")
        return Section("training", "Training", body)
    png = plots.training_png(history)
    if png is None:
        name = (data.model.config or {}).get("model") or "this model"
        body = missing(
            f"history.json records no loss per step or epoch: {name} is not trained by "
            "gradient steps, or its training was not recorded. No curves to show."
        )
        return Section("training", "Training", body)
    reading = read_curve(history, data.model.config)
    parts: list[object] = [data.figures.add("training_loss", png, "training and validation loss")]
    parts.append(tag("p", tag("strong", f"Reading: {reading.verdict}."), " ", reading.reason + "."))
    if not any(as_float(e.get("val_loss")) is not None for e in rows_of(history, "epochs")):
        parts.append(
            tag(
                "p",
                "No validation loss was recorded, so overfitting cannot be seen here.",
                cls="note",
            )
        )
    parts.append(tag("p", LOSS_IS_NOT_QUALITY, cls="note"))
    return Section("training", "Training", join(parts))


def scores_section(data: ReportData) -> Section:
    """Distributions of every score column present, the deciding one first with the threshold.

    Each panel and table row is labelled with its column's name; when the deciding column is
    absent the section says so and shows the others, none of them in its place.
    """
    table = data.scores
    if table is None:
        return Section(
            "scores",
            "Scores",
            missing("No scores file given (--scores): no score distributions to show."),
        )
    parts: list[object] = []
    lacking = data.lacks_deciding
    if lacking:
        parts.append(
            missing(
                f"{lacking} Shown instead: the distributions of the scores present "
                f"({', '.join(table.columns)}), each under its own name, without the threshold."
            )
        )
    if table.all_labels is None:
        parts.append(
            missing(
                "The scores carry no labels: one distribution for all sessions; "
                "quality numbers need labelled sessions."
            )
        )
    panels, rows = [], []
    for name, values in table.columns.items():
        keep = np.isfinite(values)
        if table.all_labels is not None:
            keep &= table.all_labels >= 0
        scores = values[keep]
        labels = None if table.all_labels is None else table.all_labels[keep]
        deciding = name == table.column
        panels.append(
            plots.DistributionPanel(
                name,
                scores,
                labels,
                data.threshold if deciding else None,
                "deciding score" if deciding else "not what the threshold applies to",
            )
        )
        rows.append(_stats_row(name, "all", values[np.isfinite(values)]))
        if labels is not None:
            rows += [
                _stats_row(name, "normal", scores[labels == 0]),
                _stats_row(name, "anomalous", scores[labels == 1]),
            ]
    png = plots.distribution_png(panels)
    parts.append(data.figures.add("score_distributions", png, "score distributions"))
    parts.append(html_table(["score", "sessions", "count", "mean", "sd", "median", "max"], rows))
    note = [f"From {table.path}."]
    if table.has_deciding:
        note.append(
            f"Deciding score: {table.column} (the threshold record's `score`): a session is "
            f"flagged when its {table.column} is above the threshold."
        )
        if table.secondary:
            note.append(
                f"Also shown, not what the threshold applies to: {', '.join(table.secondary)}."
            )
    undeclared = [n for n in data.model.score_names if n not in table.columns]
    if undeclared:
        note.append(
            f"The model declares {', '.join(data.model.score_names)} (config.json "
            f"score_names); the scores lack {', '.join(undeclared)}."
        )
    parts.append(tag("p", " ".join(note), cls="note"))
    return Section("scores", "Scores", join(parts))


def quality_section(data: ReportData) -> Section:
    """Metrics, ROC and precision-recall curves, and the confusion matrix."""
    metrics, origin = data.metrics()
    parts: list[object] = []
    lacking = data.lacks_deciding
    if metrics is None and lacking:
        parts.append(
            missing(
                f"{lacking} No F1, precision, recall or confusion matrix is computed from "
                "another score: the threshold does not apply to it."
            )
        )
        parts.extend(_ranking_by_column(data))
    elif metrics is None:
        parts.append(
            missing(
                "No labelled sessions and no evaluation file (--evaluation): "
                "detection quality cannot be measured."
            )
        )
    else:
        shown = [k for k in (*QUALITY_KEYS, "n_sessions", "n_anomalies") if k in metrics]
        rows = [(METRIC_NAMES[k], metric_value(metrics, k)) for k in shown]
        parts.append(tag("p", f"Metrics {origin}:", cls="note"))
        parts.append(html_table(["metric", "value"], rows))
    pairs = data.labelled_scores()
    if pairs is None and lacking:
        parts.append(missing(f"No ROC or precision-recall curves of `{data.scores.column}`."))
    elif pairs is None:
        parts.append(
            missing(
                "ROC and precision-recall curves need scores (--scores) of "
                f"labelled sessions of both classes. {LABELLED_SCORES_HINT}"
            )
        )
    else:
        png, roc_auc, pr_auc = plots.roc_pr_png(*pairs)
        parts.append(data.figures.add("roc_pr", png, "ROC and precision-recall curves"))
        parts.append(
            tag(
                "p",
                f"From the scores: ROC-AUC {fmt(roc_auc)}, PR-AUC (average "
                f"precision) {fmt(pr_auc)}.",
                cls="note",
            )
        )
    matrix = (metrics or {}).get("confusion_matrix")
    if isinstance(matrix, dict) and all(
        isinstance(matrix.get(cell), int) for cell in ("tn", "fp", "fn", "tp")
    ):
        parts.append(
            data.figures.add("confusion_matrix", plots.confusion_png(matrix), "confusion matrix")
        )
    elif not lacking:
        parts.append(missing("No confusion matrix: it needs labels and a threshold."))
    return Section("quality", "Detection quality", join(parts))


def sweep_section(data: ReportData) -> Section:
    """Precision, recall and F1 against the threshold, with reference operating points."""
    pairs = data.labelled_scores()
    if pairs is None and data.lacks_deciding:
        return Section(
            "sweep",
            "Threshold sweep",
            missing(
                f"{data.lacks_deciding} No sweep: the threshold in use applies to "
                f"`{data.scores.column}`, not to the scores present."
            ),
        )
    if pairs is None:
        return Section(
            "sweep",
            "Threshold sweep",
            missing(
                "The sweep needs scores (--scores) of labelled sessions of both classes. "
                f"{LABELLED_SCORES_HINT}"
            ),
        )
    scores, labels = pairs
    points = operating_points(scores, labels)
    png = plots.sweep_png(threshold_sweep(scores, labels), data.threshold, points)
    chosen = "" if data.threshold is None else threshold_text(data.threshold, scores)
    rows = [("chosen (in use)", _rule_text(data), chosen, *_at(data, scores, labels))]
    for point in points:
        if point.threshold is None:
            rows.append((point.name, point.definition, "not reachable", "", "", ""))
        else:
            rows.append(
                (
                    point.name,
                    point.definition,
                    threshold_text(point.threshold, scores),
                    point.precision,
                    point.recall,
                    point.f1,
                )
            )
    parts = [
        data.figures.add("threshold_sweep", png, "precision, recall and F1 against threshold"),
        html_table(["point", "definition", "threshold", "precision", "recall", "F1"], rows),
        tag(
            "p",
            "The reference points are read off the data shown here, with its labels: "
            "they are for understanding the trade-off, not for setting the threshold. "
            "A threshold picked on the evaluated data overstates its quality; calibrate "
            "on separate validation data (logbert calibrate).",
            cls="note",
        ),
    ]
    return Section("sweep", "Threshold sweep", join(parts))


def model_section(data: ReportData) -> Section:
    """The model's configuration, the data it was trained on, and the threshold's provenance."""
    config = data.model.config
    parts: list[object] = [tag("h3", "Model configuration")]
    if config:
        parts.append(
            tag(
                "p",
                "Model: ",
                tag("code", config.get("model", "unknown")),
                f" (directory {data.model.path})",
            )
        )
        parts.append(key_values(config.get("params") or {}))
    else:
        parts.append(missing(f"No config.json in {data.model.path}."))
    parts.append(tag("h3", "Training data"))
    training = training_facts((config or {}).get("training"))
    extras = {k: v for k, v in (data.model.history or {}).items() if k not in ("steps", "epochs")}
    if training or extras:
        parts.append(key_values({**training, **extras}))
    else:
        parts.append(missing("config.json records nothing about the training data."))
    parts.append(tag("h3", "Threshold provenance"))
    record = data.threshold_record
    if record:
        parts.append(key_values(record))
        parts.append(
            tag(
                "p",
                "A threshold is honest only when calibrated on data other than the data evaluated.",
                cls="note",
            )
        )
    else:
        parts.append(
            missing(
                "No threshold.json in the model directory and no threshold_info "
                "in the evaluation file."
            )
        )
    return Section("model", "Model and data", join(parts))


def threshold_text(value: float, scores: np.ndarray) -> float | str:
    """A threshold as the sweep table shows it: its value, or where it lies when it lies
    outside the scores.

    Rules such as recall>=R put the threshold just below the lowest score to flag every
    session (`nextafter`, e.g. -4.941e-324 below a score of 0); that number means nothing to
    a reader, its effect does.
    """
    if scores.size and value < scores.min():
        return "below every score: flags every session"
    if scores.size and value >= scores.max():
        return f"{fmt(value)}: at or above every score, flags none"
    return value


def training_facts(training: object) -> dict:
    """config.json's `training` record as the Training-data table shows it.

    Models trained by the pipeline carry two counts of left-out anomalies: the pipeline's
    `anomalies_left_out` (the labelled anomalies it removed before fitting) and the
    detector's own `n_anomalies_left_out`, which counts anomalies among the sessions it was
    given and so is always 0 there (they were already removed). Only the pipeline's count is
    shown when both are recorded; a detector fitted directly keeps its own.
    """
    if not isinstance(training, dict):
        return {}
    if "anomalies_left_out" in training:
        return {k: v for k, v in training.items() if k != "n_anomalies_left_out"}
    return dict(training)


def _ranking_by_column(data: ReportData) -> list[object]:
    """ROC-AUC and PR-AUC of each score column present (threshold-free), by name."""
    table = data.scores
    if table is None or table.all_labels is None:
        return []
    rows = []
    for name, values in table.columns.items():
        keep = np.isfinite(values) & (table.all_labels >= 0)
        labels = table.all_labels[keep]
        if labels.size == 0 or labels.min() == labels.max():
            continue
        metrics = detection_metrics(labels, values[keep], 0.0)
        rows.append((name, int(labels.size), metrics["roc_auc"], metrics["pr_auc"]))
    if not rows:
        return []
    return [
        tag(
            "p",
            "How well each score present ranks anomalous above normal sessions (no threshold "
            "involved; none of these is the model's verdict):",
            cls="note",
        ),
        html_table(["score", "labelled sessions", "ROC-AUC", "PR-AUC"], rows),
    ]


def _stats_row(column: str, name: str, values: np.ndarray) -> tuple:
    if values.size == 0:
        return (column, name, 0, "", "", "", "")
    return (
        column,
        name,
        int(values.size),
        float(values.mean()),
        float(values.std()),
        float(np.median(values)),
        float(values.max()),
    )


def _rule_text(data: ReportData) -> str:
    record = data.threshold_record or {}
    rule = record.get("rule")
    return (
        f"rule {rule}, calibrated on {record.get('source') or 'unrecorded data'}"
        if rule
        else "no threshold record"
    )


def _at(data: ReportData, scores: np.ndarray, labels: np.ndarray) -> tuple:
    if data.threshold is None:
        return ("", "", "")
    metrics = detection_metrics(labels, scores, data.threshold)
    return (metrics["precision"], metrics["recall"], metrics["f1"])
