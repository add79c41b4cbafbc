"""`logbert report`: one self-contained HTML page (plus PNGs) on training, scores and verdicts."""

from __future__ import annotations

from pathlib import Path

import typer

from logbert.errors import LogbertError
from logbert.reporting.report import DEFAULT_TOP, build_report
from logbert.sessions.io import check_output_path


def command(
    model_dir: Path = typer.Argument(..., help="Model directory written by `logbert train`."),
    output: Path = typer.Option(
        Path("report.html"), "--output", "-o", help="HTML file to write; PNGs go beside it."
    ),
    scores: Path | None = typer.Option(
        None, "--scores", help="Scores (.jsonl or .parquet) written by `logbert score`."
    ),
    evaluation: Path | None = typer.Option(
        None, "--evaluation", help="evaluation_results.json written by `logbert evaluate`."
    ),
    sessions: Path | None = typer.Option(
        None, "--sessions", help="The scored sessions file, to show whole top sessions."
    ),
    templates: Path | None = typer.Option(
        None,
        "--templates",
        help="templates.csv from `logbert parse`, for template text (default: MODEL_DIR's).",
    ),
    top: int = typer.Option(DEFAULT_TOP, "--top", help="How many top-scoring sessions to show."),
    data: list[str] | None = typer.Argument(None, hidden=True),
) -> None:
    """Write an HTML report: loss curves, score distributions, ROC/PR, sweep, top sessions."""
    if data:  # `score` and `evaluate` take their data so (QA: a generic "extra argument")
        raise LogbertError(
            f"report takes no data file after the model ({data[0]}): pass what you have "
            "with --scores FILE (from `logbert score`), --evaluation FILE (from `logbert "
            "evaluate`) and --sessions FILE (the scored sessions, to show them whole)"
        )
    check_output_path(output, "report")
    result = build_report(model_dir, output, scores, evaluation, sessions, templates, top)
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
    typer.echo(f"report: {result.html_path}")
    if result.figure_paths:
        typer.echo(f"figures: {len(result.figure_paths)} PNGs in {result.figure_paths[0].parent}")
    if result.missing:
        typer.echo(
            "sections with parts lacking data (each part says what it needs): "
            + ", ".join(result.missing)
        )
