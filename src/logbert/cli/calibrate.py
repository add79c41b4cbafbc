"""`logbert calibrate`: set a model's threshold from validation sessions by a named rule.

Rules from normal data (`mean+2std`, `quantile:q`, `max`, `evt:p`) use the normal sessions of
the input (all of them when it has no labels); `best-f1`, `precision>=p`, `recall>=r` need both
labels. The default is the detector's own rule, the one `train` uses. Never calibrate on the
data you evaluate on: `threshold.json` records the data used, and the threshold it replaces is
kept in `threshold.previous.json`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import typer

from logbert.cli.inputs import (
    INPUTS_HELP,
    LOGS_HELP,
    SCORE_TIMEZONE_HELP,
    YEAR_HELP,
    TrainingOverlap,
    dating_with_logs,
    load_pipeline,
    read_all,
    say,
)
from logbert.errors import LogbertError
from logbert.pipeline import model_directory
from logbert.pipeline.files import CALIBRATION_FILE, FINGERPRINTS_FILE
from logbert.scoring.thresholds import RULES_HELP, check_rule
from logbert.sessions.io import check_output_path

# the files a calibration writes (threshold.json is kept in the first before it is replaced)
WRITTEN = ("threshold.previous.json", "threshold.json", CALIBRATION_FILE, FINGERPRINTS_FILE)


def command(
    model_dir: Path = typer.Argument(..., help="Model directory written by `logbert train`."),
    inputs: list[str] = typer.Argument(..., metavar="SESSIONS | LOG...", help=INPUTS_HELP),
    rule: str | None = typer.Option(
        None,
        "--rule",
        "--threshold-rule",
        help=f"{RULES_HELP} (default: the detector's own rule, as in train, where it is "
        "--threshold-rule, which calibrate takes too).",
    ),
    logs: bool = typer.Option(False, "--logs", help=LOGS_HELP),
    labels: Path | None = typer.Option(
        None, "--labels", help="With --logs: CSV of session id and label."
    ),
    input_format: str | None = typer.Option(None, "--input-format", help="Sessions format."),
    year: int | None = typer.Option(None, "--year", help=YEAR_HELP),
    timezone: str | None = typer.Option(None, "--timezone", help=SCORE_TIMEZONE_HELP),
) -> None:
    """Calibrate the decision threshold and write threshold.json."""
    if rule is not None:
        check_rule(rule)
    pipeline = load_pipeline(model_dir, recalibrating=True)  # a broken threshold is replaced
    directory = model_directory(model_dir)
    # refused before the logs are read, as `train -o` does: not a traceback at the end
    check_output_path(directory, "model directory", directory=True)
    for name in WRITTEN:
        check_output_path(directory / name, "model file")
    dating_with_logs(year, timezone, logs)
    rejects = directory / "calibrate.rejects.txt"  # as train keeps train.rejects.txt
    validation, where, end = read_all(
        pipeline, inputs, logs, input_format, labels, year, rejects, timezone
    )
    if not validation:
        raise LogbertError(f"{where} holds no sessions to calibrate on")
    overlap = TrainingOverlap(pipeline)
    overlap.add(validation)
    in_training = overlap.report("calibration", validation_counts=False)["in_training"]
    n_anomalies = sum(s.label == "anomaly" for s in validation)
    n_unlabelled = sum(s.label is None for s in validation)
    labels = f", {n_anomalies} anomalies" if n_unlabelled < len(validation) else ""
    if n_unlabelled:
        labels += f", {n_unlabelled} unlabelled" if labels else ", unlabelled"
    threshold = pipeline.calibrate(
        validation,
        rule=rule,
        source=f"{where} ({len(validation)} sessions{labels}"
        f"{f', {in_training} of them training sessions' if in_training else ''})",
        log=say,
        end=end,
    )
    path = directory / "threshold.json"
    kept = ""
    if path.exists():
        shutil.copyfile(path, directory / "threshold.previous.json")
        kept = "; the previous one is kept in threshold.previous.json"
    pipeline.save_calibration(directory)
    typer.echo(
        f"Threshold {threshold.value:.6g} on {threshold.score} by {threshold.rule} from {where}; "
        f"wrote {path}{kept}"
    )
    classes = pipeline.detector_.training_info_.get("class_thresholds")
    if getattr(pipeline.detector_, "target", "binary") == "multilabel" and classes:
        say(
            f"note: this sets the anomaly threshold only; the {len(classes)} per-category "
            "thresholds stay as training set them (`logbert train --validation FILE` "
            "calibrates them on that file)"
        )
