"""The top of the page: headline numbers and the warnings a reader must see first."""

from __future__ import annotations

from pathlib import Path

from logbert.evaluation.metrics import add_flagged, detection_metrics
from logbert.reporting.context import (
    LABELLED_SCORES_HINT,
    METRIC_NAMES,
    ReportData,
    metric_value,
)
from logbert.reporting.html import Safe, fmt, tag


def key_figures(data: ReportData) -> Safe:
    """The headline numbers shown at the top of the page."""
    metrics, _ = data.metrics()
    boxes = []
    for key in ("f1", "precision", "recall", "roc_auc", "pr_auc"):
        if metrics is not None and key in metrics:
            value = metric_value(metrics, key)
            boxes.append((METRIC_NAMES[key], value if isinstance(value, str) else fmt(value)))
    if data.threshold is not None:
        boxes.append((f"threshold ({data.deciding})", fmt(data.threshold, 6)))
    if metrics is not None:
        boxes.append(("sessions", fmt(metrics.get("n_sessions"))))
        boxes.append(("anomalies", fmt(metrics.get("n_anomalies"))))
    elif data.scores is not None:
        boxes.append(("sessions scored", fmt(data.scores.n_rows - data.scores.n_unscored)))
    flagged = data.flagged()
    if flagged is not None:
        n_flagged, n_scored = flagged
        expected = data.expected_flag_rate()
        intends = "" if expected is None else f"; the threshold flags about {expected:.2%} normally"
        boxes.append(
            (f"flagged{intends}", f"{n_flagged:,} of {n_scored:,} ({n_flagged / n_scored:.1%})")
        )
    items = [
        tag("div", tag("div", value, cls="v"), tag("div", name, cls="k"), cls="figure-box")
        for name, value in boxes
    ]
    return tag("div", *items, cls="figures")


def warnings(data: ReportData) -> list[Safe]:
    """Things a reader must know before trusting the numbers."""
    out = [*data.notes, *_reused_data(data)]
    drift = data.flag_rate_note()
    if drift is not None:
        out.append(drift[0].upper() + drift[1:])
    table = data.scores
    if data.lacks_deciding and data.evaluation_path is not None:
        out.append(
            f"{data.lacks_deciding} The headline numbers come from "
            f"{data.evaluation_path.name} alone; the curves and the sweep, which need the "
            "deciding score per session, are left out."
        )
    elif data.lacks_deciding:
        out.append(
            f"{data.lacks_deciding} No F1, precision, recall or confusion matrix is shown: "
            "none is computed from another score."
        )
    out.extend(_undeclared_threshold_score(data))
    out.extend(_evaluation_labels_not_in_scores(data))
    if table is not None and table.n_silent:
        out.append(
            f"{table.n_silent:,} of {table.n_rows:,} rows in {table.path.name} are time "
            "windows a value wrote nothing in, flagged because the silence was longer than any "
            "of that value's in training (`decided_by: silence`); they have no score and are "
            "left out of every plot and number."
        )
    if table is not None and table.n_unscored > table.n_silent:
        out.append(
            f"{table.n_unscored - table.n_silent:,} of {table.n_rows:,} rows in "
            f"{table.path.name} have no numeric score; they are left out of every plot and "
            "number."
        )
    if table is not None and table.n_unlabelled:
        out.append(
            f"{table.n_unlabelled:,} scored sessions have no label; they are left out of the "
            "quality numbers and curves."
        )
    out.extend(_disagreements(data))
    return [tag("p", text, cls="warn") for text in out]


def _evaluation_labels_not_in_scores(data: ReportData) -> list[str]:
    """Say once why an evaluation's figures sit beside unlabelled plots (QA Grid Engine: F1
    from the evaluation in the headline, yet every section asked for labels)."""
    table, evaluation = data.scores, data.evaluation
    if table is None or evaluation is None or table.all_labels is not None:
        return []
    n_labelled = evaluation.get("n_sessions")
    counted = f" ({n_labelled:,} labelled sessions)" if isinstance(n_labelled, int) else ""
    return [
        f"The detection figures come from {data.evaluation_path.name}{counted}; "
        f"{table.path.name} carries no labels (`evaluate` does not write them into a scores "
        "file), so the distributions, curves, sweep and top sessions are shown unlabelled. "
        f"{LABELLED_SCORES_HINT}"
    ]


def _undeclared_threshold_score(data: ReportData) -> list[str]:
    """Warn when the threshold applies to a score the model does not declare it has."""
    declared = data.model.score_names
    if not declared or data.threshold_record is None or data.deciding in declared:
        return []
    return [
        f"The threshold applies to `{data.deciding}`, which this model does not declare "
        f"(config.json score_names: {', '.join(declared)}): was it calibrated for another model?"
    ]


def _reused_data(data: ReportData) -> list[str]:
    """Warn when the data shown seems to be data the model was trained or calibrated on.

    Files are matched by name (that is all the records keep), so the wording says "seems";
    an evaluation that checked its sessions against the model's own (`training_overlap`)
    speaks for its data instead (QA: test files named like the training files, in another
    folder, were called the training data).
    """
    shown = {data.scores.path.name} if data.scores is not None else set()
    evaluation = data.evaluation or {}
    evaluated = evaluation.get("sessions_file")
    overlap = evaluation.get("training_overlap")
    checked = isinstance(overlap, dict) and overlap.get("checked") is True
    out = _checked_overlap(overlap) if checked else []
    if isinstance(evaluated, str) and evaluated and not checked:
        shown.add(Path(evaluated).name)
    training = (data.model.config or {}).get("training")
    trained_on = training.get("sessions_file") if isinstance(training, dict) else None
    if isinstance(trained_on, str) and Path(trained_on).name in shown:
        out.append(
            f"The sessions evaluated seem to be the file the model was trained on "
            f"({Path(trained_on).name}, config.json training.sessions_file): its normal "
            "sessions were seen in training, so the numbers below are optimistic. Evaluate on "
            "held-out sessions."
        )
    source = str((data.threshold_record or {}).get("source") or "")
    named = sorted(name for name in shown if name in source)
    if named:
        out.append(
            f"The threshold was calibrated on {source!r}, which names the data shown "
            f"({', '.join(named)}): the detection numbers below are then optimistic."
        )
    return out


def _checked_overlap(overlap: dict) -> list[str]:
    """What an evaluation's own check found: its sessions among the model's training or
    calibration sessions (none: nothing to say). The two counts are not added: a session
    can be both (a cross-fitted threshold is calibrated on every training session)."""
    n = overlap.get("n_sessions")
    counts = {key: overlap.get(key) for key in ("in_training", "in_calibration")}
    numbers = [n, *counts.values()]
    if not all(isinstance(v, int) for v in numbers) or not any(counts.values()):
        return []
    return [
        f"{counts['in_training']:,} of the {n:,} sessions evaluated were training sessions of "
        f"the model, and {counts['in_calibration']:,} were sessions its threshold was "
        "calibrated on (a session can be both; evaluation training_overlap): the numbers "
        "below are optimistic. Evaluate on held-out sessions."
    ]


def _disagreements(data: ReportData) -> list[str]:
    pairs = data.labelled_scores()
    if data.evaluation is None or pairs is None or data.threshold is None:
        return []
    recomputed = detection_metrics(pairs[1], pairs[0], data.threshold)
    silences = data.evaluation.get("silences")
    if isinstance(silences, dict) and silences.get("windows_flagged"):
        # the flagged silent windows `evaluate --logs` counts, rows without a score here (QA
        # ntpd: "disagree ... the same run?" of an evaluation and scores of one run)
        recomputed = add_flagged(recomputed, *data.scores.silent_labelled)
    differ = [
        key
        for key in ("n_sessions", "n_anomalies", "f1")
        if _differ(data.evaluation.get(key), recomputed[key])
    ]
    if not differ:
        return []
    return [
        f"{data.evaluation_path.name} and {data.scores.path.name} disagree on "
        f"{', '.join(differ)}: are they from the same run? Curves use the scores file, "
        "headline numbers the evaluation file."
    ]


def _differ(recorded: object, recomputed: float | None) -> bool:
    """Whether a recorded figure disagrees with the recomputed one; F1 is None (n/a) when the
    sessions hold no anomaly, so a number on one side only is a disagreement too."""
    if not isinstance(recorded, int | float):
        return recorded is None and recomputed is not None
    return recomputed is None or abs(float(recorded) - float(recomputed)) > 1e-6
