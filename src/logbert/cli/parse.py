"""`logbert parse`: raw log lines -> events parquet with template ids (log keys).

The outputs are checked before any line is read (an unwritable path fails at once, not after
a long parse); notes (which format `--format auto` chose, where the year of year-less
timestamps came from) and warnings that the format does not fit the logs go to stderr after the
summary. A format that reads no timestamp from any line is an error (exit 2), and so is a run
that writes no event (an empty or binary input, every line rejected) or, with `--templates`, no
event with a template id: an events file like that would only fail later. An input named twice
and text in UTF-16 / UTF-32 are errors too. Year rollovers of year-less timestamps (Dec 31 ->
Jan 1) are noted, and jumps back of months that are none are warned about. The output's folder
is created when missing; `templates.csv` has one fixed name per folder, so replacing one whose
ids meant other templates (an earlier run on other logs) is warned about.
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from logbert.errors import LogbertError
from logbert.parsing.folders import expand_folders
from logbert.parsing.formats import LogFormat, format_names, resolve_format
from logbert.parsing.pipeline import PARSERS, check_output, output_paths, parse_files
from logbert.parsing.templates import read_templates, replaced_templates_warning
from logbert.parsing.zones import TIMEZONE_HELP, check_timezone
from logbert.sessions.io import check_output_path, create_output_folder, removed_if_failed


def command(
    inputs: list[str] = typer.Argument(
        ...,
        metavar="INPUT...",
        help="Log files (plain or .gz), folders of them (read oldest rotation first: app.log.2.gz, "
        "app.log.1, app.log), or - for stdin.",
    ),
    format: str = typer.Option(
        ...,
        "--format",
        "-f",
        help=f"Built-in format ({', '.join(format_names())}), auto (the built-in format that "
        "reads most of the first 200 lines, said on stderr), or a loghub format string such as "
        "'<Date> <Time> <Level> <Component>: <Content>' (a <Timestamp> field, or <Date> <Time>, "
        "is read as ISO 8601 / RFC 3339, offsets converted to UTC, or epoch time (seconds; "
        "13/16/19 digits: milli/micro/nanoseconds); "
        "<Month> <Date> <Time> as a syslog time such as 'Jun 14 15:16:01').",
    ),
    output: Path = typer.Option(
        ...,
        "--output",
        "-o",
        help="Events parquet (its folder is created); templates.csv and NAME.rejects.txt "
        "beside it (one templates.csv per folder: give each run its own folder).",
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
    year: int | None = typer.Option(
        None,
        "--year",
        help="Year of the timestamps of formats that write none (linux, mac, android, "
        "proxifier, openssh), for the first file's first line; a jump back of over half a "
        "year (Dec 31 -> Jan 1, within a file or from one file to the next: give rotated files "
        "oldest first) moves later lines to the next year, said on stderr. Default: each "
        "file's modification time (stdin: the current date). Formats that write the year "
        "ignore it, with a warning.",
    ),
    timestamp_format: str | None = typer.Option(
        None,
        "--timestamp-format",
        help="How the timestamp fields are written, strptime-like, e.g. '%Y-%m-%d %H:%M:%S' or "
        "'%d/%b/%Y:%H:%M:%S %z' (%s alone: epoch seconds, or milli/micro/nanoseconds told by "
        "13/16/19 digits); replaces the format's own rule. Several time fields are read "
        "joined by a space in the line's order (`<Date> <Month> <Year> <Time>`: "
        "'%d %b %Y %H:%M:%S.%f'); a 12-hour clock: '%m/%d/%Y %I:%M:%S %p'.",
    ),
    timezone: str | None = typer.Option(None, "--timezone", help=TIMEZONE_HELP),
) -> None:
    """Parse raw logs into events with stable template ids."""
    check_timezone(timezone)
    fmt = resolve_format(format, year, timestamp_format, timezone)
    expanded = expand_folders(inputs)  # a folder: its log files, oldest rotation first
    inputs = expanded.files
    for note in expanded.notes:
        typer.echo(note, err=True)
    with removed_if_failed(output):  # a failed run leaves no empty folder (QA nginx)
        _parse(inputs, fmt, output, parser, templates, state)


_TEXT_SUFFIXES = (".jsonl", ".json", ".csv", ".txt", ".log")


def _parse(
    inputs: list[str],
    fmt: LogFormat,
    output: Path,
    parser: str,
    templates: Path | None,
    state: Path | None,
) -> None:
    """`parse` once the format is known and the folders are expanded."""
    if output.suffix.lower() in _TEXT_SUFFIXES:  # QA Laravel: Parquet written, named .jsonl
        raise LogbertError(
            f"--output {output}: parse writes its events as Parquet, not {output.suffix}: name "
            "it events.parquet (`logbert sessionize` writes sessions as JSON lines)"
        )
    if not output.parent.exists():  # created as the other commands create their outputs'
        check_output_path(output, "events file")  # a file in the way, or no write access
        create_output_folder(output, "events file")  # `missing/..` exists once made
    if state is not None and not state.parent.exists():  # as the output's (QA: it was not)
        check_output_path(state, "state file")
        create_output_folder(state, "state file")
    check_output(output, state)
    templates_csv = output_paths(output)[0]
    if templates is not None and templates.resolve() == templates_csv.resolve():
        raise LogbertError(
            f"--templates {templates} is where this run writes its own templates.csv (beside "
            f"the output {output.name}): it would be overwritten; pass an output in another "
            "folder"
        )
    earlier = _earlier_templates(templates_csv)
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
    for note in summary.notes:
        typer.echo(note, err=True)
    for warning in summary.warnings:
        typer.echo(warning, err=True)
    replaced = replaced_templates_warning(earlier, read_templates(templates_csv), templates_csv)
    if replaced is not None:
        typer.echo(replaced, err=True)


def _earlier_templates(path: Path) -> dict[int, str]:
    """The templates.csv an earlier run left where this run writes its own (one fixed name per
    folder), so that replacing it can be said; {} when there is none, or when it is not one
    `parse` wrote (nothing of a run's keys to lose)."""
    try:
        return read_templates(path)
    except LogbertError:
        return {}
