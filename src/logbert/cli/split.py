"""`logbert split`: a sessions file -> train / validation / test files.

By time (chronological by session start, the default when sessions have start times: a model
of earlier data scores later data, as it will in use) or seeded random, stratified by label
when labels exist. The files keep the input's template-set metadata, so `score` and
`evaluate` can still check that they match the model's parse run.
"""

from __future__ import annotations

from pathlib import Path

import typer

from logbert.errors import LogbertError
from logbert.sessions.io import (
    ANOMALY,
    OUTPUT_FORMATS,
    check_output_path,
    read_file_metadata,
    read_sessions,
    write_sessions,
)
from logbert.sessions.split import PARTS, split_sessions


def command(
    sessions: Path = typer.Argument(..., help="Sessions file (.parquet, .jsonl or DeepLog)."),
    output_dir: Path = typer.Option(
        ..., "--output-dir", "-o", help="Folder for train.*, validation.* and test.*."
    ),
    train: float = typer.Option(0.6, "--train", help="Share of sessions for training."),
    validation: float = typer.Option(0.1, "--validation", help="Share for calibration."),
    test: float = typer.Option(0.3, "--test", help="Share held out for evaluation."),
    by: str = typer.Option(
        "auto", "--by", help="time (chronological), random (seeded, stratified), or auto."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of a random split."),
    output_format: str = typer.Option(
        "parquet", "--format", help=f"Output format: {', '.join(OUTPUT_FORMATS)}."
    ),
    input_format: str | None = typer.Option(None, "--input-format", help="Sessions format."),
) -> None:
    """Split sessions into train / validation / test files (by time or seeded random)."""
    if output_format not in OUTPUT_FORMATS:
        raise LogbertError(
            f"unknown --format {output_format!r}; valid: {', '.join(OUTPUT_FORMATS)}"
        )
    check_output_path(output_dir, "output folder", directory=True)
    if Path(sessions).is_dir():
        raise LogbertError(f"{sessions} is a folder, not a sessions file")
    all_sessions = read_sessions(sessions, input_format)
    parts, method = split_sessions(all_sessions, (train, validation, test), by, seed)
    metadata = read_file_metadata(sessions) if str(sessions) != "-" else {}
    suffix = {"parquet": ".parquet", "jsonl": ".jsonl", "deeplog": ".txt"}[output_format]
    output_dir.mkdir(parents=True, exist_ok=True)
    for name in PARTS:
        part = parts[name]
        if not part:
            continue
        path = output_dir / f"{name}{suffix}"
        write_sessions(part, path, output_format, metadata=metadata)
        anomalies = sum(s.label == ANOMALY for s in part)
        span = ""
        if method == "time":
            span = f", starting {part[0].start.isoformat()} to {part[-1].start.isoformat()}"
        typer.echo(f"{name}: {len(part):,} sessions ({anomalies:,} anomalous{span}) -> {path}")
    typer.echo(f"split {len(all_sessions):,} sessions by {method}"
               + (f" (seed {seed})" if method == "random" else ""))  # fmt: skip
