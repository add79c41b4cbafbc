"""`logbert watch`: a detector you can leave running.

Reads log files (or - for stdin: `journalctl -f | logbert watch MODEL -`) through the model's
frozen parser, sessionizer and detector (`logbert.serving.DetectionEngine`) and writes one JSON
line per alert. Without --follow it reads to the end and exits (the verdicts of `logbert score
MODEL --logs FILE...`); with --follow it keeps reading as the files grow, like `tail -F`
(rotation and truncation handled), until SIGINT/SIGTERM (state saved, exit 0).
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import typer

from logbert.cli.inputs import load_pipeline, say
from logbert.errors import LogbertError
from logbert.serving.engine import DetectionEngine
from logbert.serving.watch import AlertSink, Watcher, WatchOptions


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
        help="Close id sessions quiet this long (e.g. 1h), overriding the model's setting: "
        "needed for verdicts before exit when the model holds sessions until the end.",
    ),
    threshold: float | None = typer.Option(None, "--threshold", help="Decision threshold."),
    top_events: int = typer.Option(3, "--top-events", help="Surprising positions per alert."),
    no_early: bool = typer.Option(
        False, "--no-early", help="No early alerts for running sessions with unseen templates."
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
) -> None:
    """Watch logs and write an alert for each anomalous session."""
    for name in inputs:
        if name != "-" and Path(name).is_dir():
            raise LogbertError(f"log file {name} is a folder: pass log files (or - for stdin)")
        if name != "-" and not follow and not Path(name).is_file():
            raise LogbertError(f"log file {name} not found: check the path")
    pipeline = load_pipeline(model_dir)
    engine = DetectionEngine(
        pipeline,
        top_events=top_events,
        threshold=threshold,
        early_alerts=not no_early,
        idle_timeout=idle_timeout,
    )
    settings = engine.settings
    if follow and settings.by_id is not None and settings.idle_timeout is None:
        say(
            "note: the model's sessions (by id, no idle timeout) close only at the end of the "
            "stream: with --follow, alerts come early (unseen templates) or at exit; pass "
            "--idle-timeout DURATION to judge quiet sessions as they go"
        )
    sink = AlertSink(alerts)
    options = WatchOptions(
        follow=follow,
        state_dir=state_dir,
        poll=poll,
        batch_lines=batch_lines,
        max_seconds=max_seconds,
        idle_exit=idle_exit,
        rejects=rejects,
    )
    stop = threading.Event()
    previous = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, lambda *_: stop.set())
    try:
        summary = Watcher(engine, list(inputs), sink, options, say).run(stop)
    finally:
        sink.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    m = engine.metrics()
    say(
        f"{summary.lines:,} lines read ({m['lines_rejected']:,} rejected, "
        f"{m['templates_new']:,} new templates); {m['sessions_scored']:,} sessions scored, "
        f"{m['sessions_flagged']:,} anomalous; {m['alerts']:,} alerts ({m['alerts_early']:,} "
        f"early); {m['sessions_open'] + m['sessions_pending']:,} sessions kept open; stopped "
        f"by {summary.stopped_by}"
    )
    if m["events_late"]:
        say(
            f"warning: {m['events_late']:,} events came after their time window had closed and "
            "were not scored: the lines arrive out of time order (several hosts or files "
            "interleaved?); watch each source with its own model, or score the files in batch "
            "(`logbert score MODEL FILES --logs` sorts them by time)"
        )
