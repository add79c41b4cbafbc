"""`logbert parse`: raw log lines -> events parquet with template ids (log keys).

The outputs are checked before any line is read (an unwritable path fails at once, not after
a long parse); warnings that the format does not fit the logs go to stderr after the summary.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from logbert.parsing.formats import format_names, resolve_format
from logbert.parsing.pipeline import PARSERS, check_output, parse_files


def command(
    inputs: list[str] = typer.Argument(
        ..., metavar="INPUT...", help="Log files (plain or .gz), or - for stdin."
    ),
    format: str = typer.Option(
        ...,
        "--format",
        "-f",
        help=f"Built-in format ({', '.join(format_names())}) or a loghub format string such as "
        "'<Date> <Time> <Level> <Component>: <Content>'.",
    ),
    output: Path = typer.Option(
        ...,
        "--output",
        "-o",
        help="Events parquet; templates.csv and NAME.rejects.txt beside it.",
    ),
    parser: str = typer.Option(
        "logbert", "--parser", help=f"Template miner: {' or '.join(PARSERS)} (for comparison)."
    ),
    templates: Path | None = typer.Option(
        None, "--templates", help="Known templates (loghub _templates.csv) instead of mining."
    ),
    state: Path | None = typer.Option(
        None,
        "--state",
        help="Miner state JSON (any --parser): read if present, updated after the run.",
    ),
) -> None:
    """Parse raw logs into events with stable template ids."""
    fmt = resolve_format(format)
    check_output(output, state)
    err = Console(stderr=True)
    if sys.stderr.isatty():
        progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.completed:,.0f} lines"),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            console=err,
            transient=True,
        )
        with progress:
            task = progress.add_task("parse", total=None, rate="")

            def tick(n: int) -> None:
                progress.advance(task, n)
                t = progress.tasks[0]
                if t.elapsed:
                    progress.update(task, rate=f"{t.completed / t.elapsed:,.0f} lines/s")

            summary = parse_files(inputs, fmt, output, parser, templates, state, tick)
    else:
        summary = parse_files(inputs, fmt, output, parser, templates, state)
    typer.echo(summary.line())
    for warning in summary.warnings:
        typer.echo(warning, err=True)
