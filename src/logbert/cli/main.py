"""The `logbert` command: one sub-command per pipeline stage.

Each command lives in its own module `logbert.cli.<name>` exposing `command`; this file only
wires them up and turns `LogbertError` into a one-line message (no traceback) with exit status 2.
Command modules are imported only when their command runs, so `logbert parse` does not pay for
torch, scikit-learn or matplotlib.
"""

from __future__ import annotations

import importlib
import signal
import sys
from typing import Any

import typer
from rich.console import Console
from rich.text import Text  # user text as given: no markup in `[...]`
from typer.core import TyperGroup

from logbert import __version__
from logbert.errors import LogbertError

# command name -> module under logbert.cli, in pipeline order (the order `--help` lists them)
COMMANDS = {
    "parse": "parse",
    "sessionize": "sessionize",
    "split": "split",
    "train": "train",
    "score": "score",
    "calibrate": "calibrate",
    "evaluate": "evaluate",
    "report": "report",
    "benchmark": "benchmark",
    "watch": "watch",
    "serve": "serve",
}


class _LazyCommands(TyperGroup):
    """A command group that imports a command's module only when that command is needed.

    (Typer's own Click types only: recent Typer releases vendor Click, so `click` itself is not
    installed with logbert.)
    """

    def list_commands(self, ctx: typer.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        module = importlib.import_module(f"logbert.cli.{COMMANDS[cmd_name]}")
        single = typer.Typer(pretty_exceptions_enable=False, add_completion=False)
        single.command(cmd_name)(module.command)
        return typer.main.get_command(single)


app = typer.Typer(
    name="logbert",
    cls=_LazyCommands,
    help="Find anomalous sessions in system logs: parse -> sessionize -> train -> score.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


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


INTERRUPTED = 130  # the shell's status for a process stopped by SIGINT (128 + 2)
# commands that read logs with a model's own parser: a `--format` there is a misunderstanding
# (QA: click answered "No such option: --format (Possible options: --input-format)", and
# `--input-format` is a sessions file's format)
MODEL_READERS = ("score", "calibrate", "evaluate", "watch", "serve")


# ... and a session key there too: the model keys sessions as its training did (QA hostapd:
# `score --by-id ...` met "No such option: --by-id")
SESSION_OPTIONS = ("--by-id", "--by-field", "--window", "--step", "--lines")


def _check_model_reader_options(args: list[str]) -> None:
    """Refuse `--format` or a session key given to a command that reads logs with a model's
    parser and session settings."""
    command = next((a for a in args if not a.startswith("-")), None)
    if command not in MODEL_READERS:
        return
    if any(a == "--format" or a.startswith("--format=") for a in args):
        raise LogbertError(
            f"{command} has no --format: a model reads logs with the format it was trained "
            "with (its parser, saved in the model directory); logs of another format need a "
            "model trained on them (`logbert train LOGS --logs --format ...`)"
        )
    given = next((o for o in SESSION_OPTIONS for a in args if a.split("=")[0] == o), None)
    if given is not None:
        raise LogbertError(
            f"{command} has no {given}: a model keys the sessions of logs as its training did "
            "(its session settings, saved in the model directory, e.g. its --by-id regex); "
            "sessions keyed otherwise need a model trained on them (`logbert train LOGS --logs "
            f"{given} ...`)"
        )


def _stop_on_sigterm(signum: int, frame: object) -> None:
    """SIGTERM (`timeout`, a service manager) stops a command as Ctrl-C does, so it cleans up
    and says what it leaves (QA: `timeout 600 logbert train ...` left a half-written model
    folder, unsaid); `watch` and `serve` install their own clean stop."""
    raise KeyboardInterrupt("stopped by SIGTERM")


def main() -> None:
    """Console entry point. Standard output is line-buffered when piped or redirected, so
    each line (the training plan, an epoch's time left) arrives as it is said (QA Odoo: a
    `train ... > log` printed nothing for 32 minutes, the block buffer never filled)."""
    err = Console(stderr=True)
    if not sys.stdout.isatty() and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(line_buffering=True)
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    try:
        _check_model_reader_options(sys.argv[1:])
        app()
    except LogbertError as exc:
        for note in getattr(exc, "__notes__", ()):  # what led there (e.g. the format auto chose)
            err.print(Text(note), highlight=False, soft_wrap=True)
        err.print(Text.assemble(("error:", "bold red"), f" {exc}"), highlight=False, soft_wrap=True)
        sys.exit(2)
    except KeyboardInterrupt as exc:
        _interrupted(err, exc)
    except SystemExit as exc:
        # Typer catches Ctrl-C itself and exits 130 without a word; say what happened
        if exc.code == INTERRUPTED:
            _interrupted(err, _keyboard_interrupt(exc))
        raise


def _interrupted(err: Console, exc: BaseException | None) -> None:
    """One `interrupted: ...` line, then exit 130. A command may say what its interruption
    leaves behind by re-raising `KeyboardInterrupt(text)` (train: how to resume)."""
    detail = str(exc) if exc is not None and str(exc) else "stopped by Ctrl-C (SIGINT)"
    err.print(Text(f"interrupted: {detail}"), highlight=False, soft_wrap=True)
    sys.exit(INTERRUPTED)


def _keyboard_interrupt(exc: BaseException) -> BaseException | None:
    """The KeyboardInterrupt behind an exit (Typer chains it as the cause of its `Exit`)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


if __name__ == "__main__":
    main()
