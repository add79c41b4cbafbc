"""`logbert evaluate`: detection metrics of a trained model on held-out labelled sessions.

Scores the sessions, or raw logs with `--logs` and `--labels` (or reuses a scores file from
`logbert score` with `--scores`), and applies the model's calibrated threshold; writes
evaluation_results.json and prints a table.
"""

from __future__ import annotations

import json
from array import array
from pathlib import Path

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from logbert.cli.inputs import (
    INPUTS_HELP,
    LOGS_HELP,
    TrainingOverlap,
    check_sessions_fit,
    file_end,
    labels_map,
    load_pipeline,
    log_files,
    say,
    sessions_file,
)
from logbert.errors import LogbertError
from logbert.evaluation.metrics import detection_metrics
from logbert.pipeline import LogReadSummary, Pipeline
from logbert.scoring.score_files import iter_scores
from logbert.sessions.io import ANOMALY, check_output_path, iter_session_batches


def command(
    model_dir: Path = typer.Argument(..., help="Model directory written by `logbert train`."),
    inputs: list[str] = typer.Argument(..., metavar="SESSIONS | LOG...", help=INPUTS_HELP),
    output: Path = typer.Option(
        Path("evaluation_results.json"), "--output", "-o", help="Where to write the metrics."
    ),
    scores: Path | None = typer.Option(
        None, "--scores", help="Reuse a scores file from `logbert score` instead of rescoring."
    ),
    threshold: float | None = typer.Option(
        None, "--threshold", help="Override the model's calibrated threshold."
    ),
    input_format: str | None = typer.Option(None, "--input-format", help="Sessions format."),
    logs: bool = typer.Option(False, "--logs", help=LOGS_HELP),
    labels: Path | None = typer.Option(
        None, "--labels", help="With --logs: CSV of session id and label."
    ),
) -> None:
    """Evaluate a model on labelled sessions (or labelled raw logs)."""
    check_output_path(output, "evaluation output")
    pipeline = load_pipeline(model_dir)
    info = pipeline.decision_threshold(threshold)
    overlap = TrainingOverlap(pipeline)
    if scores is not None:
        truth, values = _from_scores(scores, info.score)
    elif logs:
        if labels is None:
            raise LogbertError("evaluate --logs needs --labels (a CSV of session id and label)")
        truth, values = _from_logs(pipeline, log_files(inputs), labels_map(labels), overlap)
    else:
        if labels is not None:
            raise LogbertError("--labels works with --logs; sessions files carry their labels")
        path = sessions_file(inputs)
        check_sessions_fit(pipeline, path)
        truth, values = _from_sessions(pipeline, path, input_format, overlap)
    metrics = detection_metrics(truth, values, info.value)
    metrics["threshold_info"] = info.to_dict()
    metrics["model"] = pipeline.detector_.name
    metrics["sessions_file"] = ", ".join(inputs)
    if scores is None:
        metrics["training_overlap"] = overlap.report("evaluation")
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    Console().print(metrics_table(metrics))
    typer.echo(f"Wrote {output}")


def _from_sessions(
    pipeline: Pipeline, path: Path, input_format: str | None, overlap: TrainingOverlap
):
    labels = array("b")  # compact: one byte a session, whatever the file's size
    values: list[np.ndarray] = []
    end = file_end(pipeline, path, input_format)
    for batch in iter_session_batches(path, input_format):
        labels.extend(_labels(batch, str(path)))
        overlap.add(batch)
        values.append(pipeline.decision_scores(pipeline.batch(batch, end)))
    if not labels:
        raise LogbertError(f"{path} holds no sessions to evaluate")
    return np.asarray(labels), np.concatenate(values)


def _from_logs(
    pipeline: Pipeline, files: list[str], label_map: dict[str, str], overlap: TrainingOverlap
):
    summary = LogReadSummary()
    sessions = list(pipeline.read_logs(files, summary, label_map, track_lines=False))
    say(summary.line())
    overlap.add(sessions)
    truth = np.asarray(_labels(sessions, ", ".join(files)))
    return truth, pipeline.decision_scores(pipeline.batch(sessions))


def _labels(sessions, where: str) -> list[int]:
    missing = [s.session_id for s in sessions if s.label is None]
    if missing:
        raise LogbertError(
            f"{where}: session {missing[0]} has no label ({len(missing)} unlabelled); evaluate "
            "needs labelled sessions (sessionize with --labels, or --labels with --logs)"
        )
    return [int(s.label == ANOMALY) for s in sessions]


def _from_scores(path: Path, decision: str):
    labels = array("b")
    values = array("d")
    for row in iter_scores(path):
        if row.get("label") is None:
            raise LogbertError(
                f"{path}: row {row.get('session_id')} has no label; score a labelled sessions "
                "file to evaluate from scores"
            )
        if row.get(decision) is None:
            raise LogbertError(f"{path}: rows lack the {decision!r} score the threshold uses")
        labels.append(int(row["label"] == ANOMALY))
        values.append(float(row[decision]))
    if not labels:
        raise LogbertError(f"{path} holds no score rows")
    return np.asarray(labels), np.asarray(values)


def metrics_table(metrics: dict) -> Table:
    """The headline metrics as a rich table."""
    table = Table(title=f"Evaluation ({metrics['n_sessions']} sessions)")
    table.add_column("metric")
    table.add_column("value", justify="right")
    cm = metrics["confusion_matrix"]
    info = metrics["threshold_info"]
    rows = [
        ("accuracy", metrics["accuracy"]),
        ("precision", metrics["precision"]),
        ("recall", metrics["recall"]),
        ("F1", metrics["f1"]),
        ("ROC-AUC", metrics["roc_auc"]),
        ("PR-AUC", metrics["pr_auc"]),
        ("FPR", metrics["fpr"]),
    ]
    for name, value in rows:
        table.add_row(name, "n/a" if value is None else f"{value:.4f}")
    table.add_row("TP / FP / FN / TN", f"{cm['tp']} / {cm['fp']} / {cm['fn']} / {cm['tn']}")
    table.add_row("threshold", f"{info['value']:.6g} on {info['score']} ({info['rule']})")
    for kind in ("normal", "anomaly"):
        mean, sd = metrics[f"{kind}_score_mean"], metrics[f"{kind}_score_sd"]
        if mean is not None:
            table.add_row(f"{kind} score mean ± sd", f"{mean:.4f} ± {sd:.4f}")
    return table
