"""`logbert train`: fit any registered detector on the normal sessions of a file.

Labelled anomalies are left out (and counted); a seeded share of the normal sessions is held
out as validation data for early stopping and for calibrating the threshold, so the saved
model directory is ready to score.
"""

from __future__ import annotations

import inspect
import shutil
import time
from pathlib import Path

import typer
import yaml

from logbert.errors import LogbertError
from logbert.evaluation.protocols import holdout
from logbert.models.registry import detector_class
from logbert.scoring.thresholds import rule_needs_labels
from logbert.sessions.io import ANOMALY, read_sessions
from logbert.sessions.lifecycle import OpenKeys, log_end, mark_open, session_lifetime

DEFAULT_TRAIN_RULE = "max"


def command(
    sessions: Path = typer.Argument(..., help="Sessions file (.parquet, .jsonl or DeepLog)."),
    output: Path = typer.Option(..., "--output", "-o", help="Model directory to write."),
    model: str = typer.Option("logbert", "--model", help="Detector name (see models/registry)."),
    config: Path | None = typer.Option(None, "--config", help="YAML of constructor params."),
    epochs: int | None = typer.Option(None, "--epochs", help="Override the epoch count."),
    seed: int = typer.Option(0, "--seed", help="Seed for the split and the model."),
    resume: bool = typer.Option(False, "--resume", help="Continue from the last checkpoint."),
    input_format: str | None = typer.Option(None, "--input-format", help="Sessions format."),
    threshold_rule: str = typer.Option(
        DEFAULT_TRAIN_RULE, "--threshold-rule", help="Calibration rule on the validation split."
    ),
    validation_split: float = typer.Option(
        0.1, "--validation-split", help="Share of normal sessions held out for validation."
    ),
) -> None:
    """Train a detector on normal sessions and calibrate its threshold."""
    if rule_needs_labels(threshold_rule):
        raise LogbertError(
            f"--threshold-rule {threshold_rule!r} needs labelled anomalies, but train validates "
            "on normal sessions only; use mean+2std, quantile:Q or max, or run "
            "`logbert calibrate` on a labelled validation file afterwards"
        )
    if not 0 <= validation_split < 1:
        raise LogbertError("--validation-split must be in [0, 1)")
    cls = detector_class(model)
    params = _params(cls, config, epochs, seed)
    all_sessions = read_sessions(sessions, input_format)
    normal = [s for s in all_sessions if s.label != ANOMALY]
    left_out = len(all_sessions) - len(normal)
    if not normal:
        raise LogbertError(f"{sessions}: no normal sessions to train on")
    # sessions that started less than a normal lifetime before the log's end may still run
    lifetime = session_lifetime(normal)
    marked = mark_open(normal, lifetime, log_end(all_sessions))
    train, val = holdout(marked, validation_split, seed)
    typer.echo(
        f"Training {model} on {len(train)} normal sessions ({len(val)} held out for "
        f"validation; {left_out} labelled anomalies left out)",
        err=True,
    )
    if lifetime is not None:
        n_open = sum(isinstance(k, OpenKeys) for k in marked)
        typer.echo(
            f"Session lifetime (99% of normal sessions end within): {lifetime / 3600:.3g} h; "
            f"{n_open} sessions started later than that before the log's end and are "
            "treated as still open (their end is not judged)",
            err=True,
        )
    detector = cls(**params)
    started = time.perf_counter()
    fit_options = {
        "checkpoint_dir": output / "checkpoints",
        "resume": resume,
        "log": lambda line: typer.echo(line, err=True),
    }
    accepted = inspect.signature(detector.fit).parameters
    detector.fit(
        train,
        validation=val or None,
        **{k: v for k, v in fit_options.items() if k in accepted},
    )
    seconds = time.perf_counter() - started
    calibration = val or train
    detector.calibrate(
        calibration,
        rule=threshold_rule,
        source=f"{'validation split' if val else 'training sessions'} of {sessions} "
        f"({len(calibration)} normal sessions, seed {seed})",
    )
    detector.training_info_ = {
        **detector.training_info_,
        "sessions_file": str(sessions),
        "anomalies_left_out": left_out,
        "session_lifetime_seconds": lifetime,
        "train_seconds": seconds,
    }
    detector.save(output)
    templates = Path(sessions).parent / "templates.csv"
    if templates.exists():
        shutil.copyfile(templates, output / "templates.csv")
    threshold = detector.threshold_
    typer.echo(
        f"Trained in {seconds:.1f}s; threshold {threshold.value:.6g} on {threshold.score} "
        f"({threshold.rule}); model saved to {output}"
    )


def _params(cls, config: Path | None, epochs: int | None, seed: int) -> dict:
    params: dict = {}
    if config is not None:
        try:
            params = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
        except FileNotFoundError as exc:
            raise LogbertError(f"config file not found: {config}") from exc
        except yaml.YAMLError as exc:
            raise LogbertError(f"{config}: invalid YAML ({exc})") from exc
        if not isinstance(params, dict):
            raise LogbertError(f"{config}: expected a mapping of constructor parameters")
    accepted = inspect.signature(cls.__init__).parameters
    unknown = set(params) - set(accepted)
    if unknown:
        raise LogbertError(
            f"{config}: unknown parameters for {cls.name}: {', '.join(sorted(unknown))}; "
            f"valid: {', '.join(p for p in accepted if p != 'self')}"
        )
    if epochs is not None and "epochs" in accepted:
        params["epochs"] = epochs
    if "seed" in accepted:
        params.setdefault("seed", seed)
    return params
