"""`logbert evaluate`: detection metrics of a trained model on held-out labelled sessions.

Scores the sessions (or reuses a scores file from `logbert score` with `--scores`) and applies
the model's calibrated threshold; writes evaluation_results.json and prints a table.
"""

from __future__ import annotations

import json
from array import array
from pathlib import Path

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from logbert.errors import LogbertError
from logbert.evaluation.metrics import detection_metrics
from logbert.models.registry import load_detector
from logbert.scoring.score_files import iter_scores, session_scores
from logbert.scoring.thresholds import Threshold
from logbert.sessions.io import ANOMALY, iter_session_batches
from logbert.sessions.lifecycle import file_keys


def command(
    model_dir: Path = typer.Argument(..., help="Model directory written by `logbert train`."),
    sessions: Path = typer.Argument(..., help="Labelled sessions (.parquet/.jsonl/.json)."),
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
) -> None:
    """Evaluate a model on labelled sessions."""
    detector = load_detector(model_dir)
    info = detector.threshold_
    if info is None and threshold is None:
        raise LogbertError(f"{model_dir} has no threshold.json; run `logbert calibrate` first")
    if info is None:
        info = Threshold(value=threshold, rule="given", source="--threshold")
    elif threshold is not None:
        info = Threshold(**{**info.to_dict(), "value": threshold, "rule": "given"})
    if scores is not None:
        labels, values = _from_scores(scores, info.score)
    else:
        labels, values = _from_sessions(detector, sessions, input_format, info.score)
    metrics = detection_metrics(labels, values, info.value)
    metrics["threshold_info"] = info.to_dict()
    metrics["model"] = detector.name
    metrics["sessions_file"] = str(sessions)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    Console().print(metrics_table(metrics))
    typer.echo(f"Wrote {output}")


def _from_sessions(detector, path: Path, input_format: str | None, decision: str):
    labels = array("b")  # compact: one byte a session, whatever the file's size
    values: list[np.ndarray] = []
    keys = file_keys(path, input_format, detector.training_info_.get("session_lifetime_seconds"))
    for batch in iter_session_batches(path, input_format):
        missing = [s.session_id for s in batch if s.label is None]
        if missing:
            raise LogbertError(
                f"{path}: session {missing[0]} has no label ({len(missing)} in this batch); "
                "evaluate needs labelled sessions (sessionize with --labels)"
            )
        labels.extend(int(s.label == ANOMALY) for s in batch)
        values.append(session_scores(detector, keys(batch))[decision])
    if not labels:
        raise LogbertError(f"{path} holds no sessions to evaluate")
    return np.asarray(labels), np.concatenate(values)


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
