"""`logbert calibrate`: set a model's threshold from validation sessions by a named rule.

Rules from normal data (`mean+2std`, `quantile:q`, `max`) use the normal sessions of the file
(all of them when it has no labels); `best-f1`, `precision>=p`, `recall>=r` need both labels.
Never calibrate on the data you evaluate on: `threshold.json` records the file used.
"""

from __future__ import annotations

from pathlib import Path

import typer

from logbert.errors import LogbertError
from logbert.models.registry import load_detector
from logbert.scoring.thresholds import DEFAULT_RULE
from logbert.sessions.io import read_sessions
from logbert.sessions.lifecycle import mark_open


def command(
    model_dir: Path = typer.Argument(..., help="Model directory written by `logbert train`."),
    sessions: Path = typer.Argument(..., help="Validation sessions (not the evaluation data)."),
    rule: str = typer.Option(DEFAULT_RULE, "--rule", help="mean+Kstd, quantile:Q, max, ..."),
    input_format: str | None = typer.Option(None, "--input-format", help="Sessions format."),
) -> None:
    """Calibrate the decision threshold and write threshold.json."""
    detector = load_detector(model_dir)
    validation = read_sessions(sessions, input_format)
    if not validation:
        raise LogbertError(f"{sessions} holds no sessions to calibrate on")
    labelled = all(s.label is not None for s in validation)
    labels = [int(s.is_anomaly) for s in validation] if labelled else None
    lifetime = detector.training_info_.get("session_lifetime_seconds")
    threshold = detector.calibrate(
        mark_open(validation, lifetime),
        labels=labels,
        rule=rule,
        source=f"{sessions} ({len(validation)} sessions"
        f"{f', {sum(labels)} anomalies' if labels else ', unlabelled'})",
    )
    threshold.save(Path(model_dir) / "threshold.json")
    typer.echo(
        f"Threshold {threshold.value:.6g} on {threshold.score} by {rule} from {sessions}; "
        f"wrote {Path(model_dir) / 'threshold.json'}"
    )
