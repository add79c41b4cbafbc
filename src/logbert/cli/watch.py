"""`logbert watch`: a detector you can leave running.

Reads log files (or - for stdin: `journalctl -f | logbert watch MODEL -`) through the model's
frozen parser, sessionizer and detector (`logbert.serving.DetectionEngine`) and writes one JSON
line per alert. Without --follow it reads to the end and exits (the verdicts of `logbert score
MODEL --logs FILE...`); with --follow it keeps reading as the files grow, like `tail -F`
(rotation and truncation handled), until SIGINT/SIGTERM (state saved, exit 0). A --state-dir
belongs to the model that wrote it (another model's is refused: its sessions hold that model's
template ids). Bad option values fail before the model is loaded.
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import typer

from logbert.cli.inputs import finite_threshold, load_pipeline, say
from logbert.errors import LogbertError
from logbert.models.runtime import torch_threads
from logbert.parsing.folders import expand_folders
from logbert.serving.engine import DetectionEngine
from logbert.serving.watch import AlertSink, Watcher, WatchOptions, check_inputs


def command(
    model_dir: Path = typer.Argument(
        ..., help="Model directory written by `logbert train --logs`."
    ),
    inputs: list[str] = typer.Argument(..., metavar="FILE...", help="Log files, or - for stdin."),
    follow: bool = typer.Option(
        False, "--follow", "-f", help="Keep reading as the files grow (rotation handled)."
    ),
    alerts: Path | None = typer.Option(
        None, "--alerts", help="Append alerts (JSON lines) to this file (default: stdout)."
    ),
    state_dir: Path | None = typer.Option(
        None, "--state-dir", help="Save read positions and open sessions here; resume from it."
    ),
    poll: float = typer.Option(1.0, "--poll", help="Seconds between checks for new lines."),
    batch_lines: int = typer.Option(10_000, "--batch-lines", help="Lines per batch at most."),
    idle_timeout: str | None = typer.Option(
        None,
        "--idle-timeout",
        help="Close a session after this much log time without its id (e.g. 1h), overriding "
        "the model's setting; a closed session is judged once the log has moved the model's "
        "session lifetime past its start (the start note says how long), or at exit.",
    ),
    threshold: float | None = typer.Option(
        None, "--threshold", help="Decision threshold.", callback=finite_threshold
    ),
    top_events: int = typer.Option(3, "--top-events", help="Surprising positions per alert."),
    no_early: bool = typer.Option(
        False,
        "--no-early",
        help="No early alerts for running sessions with a new template or a key never seen "
        "in training.",
    ),
    final: bool = typer.Option(
        False,
        "--final",
        help="The inputs are complete: at the end, judge the sessions still open as `score "
        "--logs` does (with --state-dir they are otherwise kept for the next run).",
    ),
    rejects: Path | None = typer.Option(
        None, "--rejects", help="Append lines that do not fit the format here."
    ),
    max_seconds: float | None = typer.Option(
        None, "--max-seconds", help="With --follow: stop after this many seconds."
    ),
    idle_exit: float | None = typer.Option(
        None, "--idle-exit", help="With --follow: stop after this many seconds without new lines."
    ),
    year: int | None = typer.Option(
        None,
        "--year",
        help="The year of timestamps written without one (default: the current year; give it "
        "to replay an older log).",
    ),
    threads: int = typer.Option(
        0, "--threads", help="torch threads (0: torch's default; 1 is fastest on a busy machine)."
    ),
) -> None:
    """Watch logs and write an alert for each anomalous session."""
    # bad arguments fail here, before the model is loaded or a line is read
    if not follow and all(name == "-" or Path(name).exists() for name in inputs):
        # a folder read to its end is its log files, as `score --logs` reads it (QA Mesos:
        # refused); a missing input is `check_inputs`' error
        expanded = expand_folders(list(inputs))
        for note in expanded.notes:
            say(note)
        inputs = expanded.files
    check_inputs(list(inputs), follow)
    if threads < 0:  # as `score` takes it (QA Mesos, n8n: the README's `--threads 1` refused)
        raise LogbertError("--threads must be 0 (torch's default) or more")
    if top_events < 0:
        raise LogbertError(
            f"--top-events {top_events}: give how many surprising events each alert names, "
            "0 or more"
        )
    options = WatchOptions(
        follow=follow,
        state_dir=state_dir,
        poll=poll,
        batch_lines=batch_lines,
        max_seconds=max_seconds,
        idle_exit=idle_exit,
        rejects=rejects,
        model_dir=model_dir,
        final=final,
    )
    options.validate()
    pipeline = load_pipeline(model_dir)
    engine = DetectionEngine(
        pipeline,
        top_events=top_events,
        threshold=threshold,
        early_alerts=not no_early,
        idle_timeout=idle_timeout,
        model_dir=model_dir,
        year=year,
    )
    if (merged := engine.inputs_merge_note(len(inputs))) is not None:
        say(merged)
    if follow:
        ends = "exit" if state_dir is None else "the end of a run without --follow"
        note = engine.verdict_note(ends)
        if note:
            say(note)
    sink = AlertSink(alerts)
    stop = threading.Event()
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, lambda *_: stop.set())
    try:
        watcher = Watcher(engine, list(inputs), sink, options, say)
        with torch_threads(threads or None):
            watcher.run(stop)
    finally:
        sink.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    for line in watcher.report():
        say(line)
    unfit = watcher.unfit_error()
    if unfit is not None:
        raise LogbertError(unfit)
