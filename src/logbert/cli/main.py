"""The `logbert` command: one sub-command per pipeline stage.

Each command lives in its own module exposing `command`; this file only wires them up and
turns `LogbertError` into a one-line message (no traceback) with exit status 2.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from logbert import __version__
from logbert.cli import (
    benchmark,
    calibrate,
    evaluate,
    parse,
    report,
    score,
    sessionize,
    train,
)
from logbert.errors import LogbertError

app = typer.Typer(
    name="logbert",
    help="Find anomalous sessions in system logs: parse -> sessionize -> train -> score.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

app.command("parse")(parse.command)
app.command("sessionize")(sessionize.command)
app.command("train")(train.command)
app.command("score")(score.command)
app.command("calibrate")(calibrate.command)
app.command("evaluate")(evaluate.command)
app.command("benchmark")(benchmark.command)
app.command("report")(report.command)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"logbert {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """Find anomalous sessions in system logs."""


def main() -> None:
    """Console entry point."""
    err = Console(stderr=True)
    try:
        app()
    except LogbertError as exc:
        err.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
        sys.exit(2)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
