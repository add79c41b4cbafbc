"""`logbert score`: one score row per session, in input order, streamed batch by batch."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from logbert.errors import LogbertError
from logbert.models.registry import load_detector
from logbert.scoring.score_files import ScoreWriter, read_templates, score_format, score_rows
from logbert.sessions.io import iter_session_batches
from logbert.sessions.lifecycle import file_log_end, open_sessions

# Sessions per batch: identical sequences are scored once per batch, so large batches save
# work on repetitive logs, while memory stays bounded however big the input is.
SESSION_BATCH = 65_536


def command(
    model_dir: Path = typer.Argument(..., help="Model directory written by `logbert train`."),
    sessions: Path = typer.Argument(..., help="Sessions file (.parquet, .jsonl or DeepLog)."),
    output: Path = typer.Option(..., "--output", "-o", help="scores.jsonl or scores.parquet"),
    threshold: float | None = typer.Option(
        None, "--threshold", help="Decision threshold (default: the model's calibrated one)."
    ),
    templates: Path | None = typer.Option(
        None, "--templates", help="templates.csv from parse (default: the model dir's)."
    ),
    input_format: str | None = typer.Option(None, "--input-format", help="Sessions format."),
    top_events: int = typer.Option(3, "--top-events", help="Surprising positions per row."),
) -> None:
    """Score sessions with a trained model."""
    score_format(output)
    detector = load_detector(model_dir)
    if threshold is None and detector.threshold_ is None:
        raise LogbertError(
            f"{model_dir} has no threshold.json; pass --threshold or run `logbert calibrate`"
        )
    value = threshold if threshold is not None else detector.threshold_.value
    decision = detector.threshold_.score if detector.threshold_ is not None else "score"
    names = read_templates(templates or Path(model_dir) / "templates.csv")
    if templates is not None and not names:
        raise LogbertError(f"templates file not found or empty: {templates}")
    started = time.perf_counter()
    lifetime = detector.training_info_.get("session_lifetime_seconds")
    end = file_log_end(sessions, input_format) if lifetime else None  # a first, cheap pass
    flagged = still_open = 0
    with ScoreWriter(output) as writer:
        for batch in iter_session_batches(sessions, input_format, SESSION_BATCH):
            is_open = open_sessions(batch, end, lifetime) if end is not None else None
            rows = score_rows(detector, batch, value, decision, names, top_events, is_open)
            flagged += sum(r["is_anomaly"] for r in rows)
            still_open += sum(is_open or [])
            writer.write(rows)
    seconds = time.perf_counter() - started
    if writer.count == 0:
        output.unlink(missing_ok=True)
        raise LogbertError(f"{sessions} holds no sessions; nothing was scored")
    typer.echo(
        f"Scored {writer.count} sessions in {seconds:.2f}s ({writer.count / seconds:.0f}/s): "
        f"{flagged} anomalous at {decision} > {value:.6g}; wrote {output}"
    )
    if end is not None:
        typer.echo(
            f"{still_open} sessions started less than the normal lifetime "
            f"({lifetime / 3600:.3g} h) before the log's end ({end}); they may still be "
            "running, so where they end was not judged (column `open`)"
        )
