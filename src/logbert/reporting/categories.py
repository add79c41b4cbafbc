"""The report's category section: what `logbert evaluate` measured on category predictions.

Only an evaluation file of a model trained on a multi-class or multi-label target has a
`categories` entry (`evaluation.metrics.category_metrics`); the section then shows its
summary figures (with what the partial score means), the per-class table and the confusion
matrix (full for multi-class, 2x2 per class for multi-label) as tables. Other reports get no
section, since a binary model has no categories to show.
"""

from __future__ import annotations

from logbert.reporting.context import ReportData
from logbert.reporting.html import Section, join, tag
from logbert.reporting.html import table as html_table

SUMMARY = (
    ("accuracy", "accuracy"),
    ("macro_f1", "macro F1"),
    ("micro_f1", "micro F1"),
    ("exact_match_ratio", "exact-match ratio"),
    ("partial_score", "partial score"),
    ("hamming_loss", "Hamming loss"),
    ("validation_loss", "validation loss"),
)


def categories_section(data: ReportData) -> Section | None:
    """The section, or None when the evaluation holds no category metrics."""
    metrics = (data.evaluation or {}).get("categories")
    if not isinstance(metrics, dict):
        return None
    rows = [(name, metrics[key]) for key, name in SUMMARY if key in metrics]
    unseen = metrics.get("unseen_in_training") or {}
    rows.append(("sessions with categories unseen in training", unseen.get("n_sessions", 0)))
    parts: list[object] = [
        tag(
            "p",
            f"{metrics.get('target')} target, {metrics.get('n_sessions')} sessions; "
            f"{metrics.get('partial_score_means', '')}.",
            cls="note",
        ),  # fmt: skip
        html_table(["metric", "value"], rows),
    ]
    if unseen.get("categories"):
        named = ", ".join(f"{name} ({n})" for name, n in unseen["categories"].items())
        parts.append(tag("p", f"Categories never seen in training: {named}.", cls="note"))
    per_class = metrics.get("per_class") or {}
    parts.append(
        html_table(
            ["class", "precision", "recall", "F1", "support"],
            [
                (name, row["precision"], row["recall"], row["f1"], row["support"])
                for name, row in per_class.items()
            ],
        )
    )
    matrix = metrics.get("confusion_matrix") or {}
    if "labels" in matrix:  # multi-class: true rows, predicted columns
        parts.append(tag("p", "Confusion matrix (true rows, predicted columns):", cls="note"))
        parts.append(
            html_table(
                ["true \\ predicted", *matrix["labels"]],
                [
                    (name, *counts)
                    for name, counts in zip(matrix["labels"], matrix["matrix"], strict=True)
                ],
            )  # fmt: skip
        )
    elif matrix:
        parts.append(tag("p", "Confusion matrix per class:", cls="note"))
        parts.append(
            html_table(
                ["class", "TP", "FP", "FN", "TN"],
                [(name, c["tp"], c["fp"], c["fn"], c["tn"]) for name, c in matrix.items()],
            )
        )
    return Section("categories", "Categories", join(parts))
