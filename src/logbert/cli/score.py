"""`logbert score`: one score row per session, streamed batch by batch.

Input is a sessions file (refused when its keys come from another parse run than the model's)
or, with `--logs`, raw log files that the model's bundle parses with its frozen templates and
sessionizes with its settings; then each surprising event also names its raw line (`source`,
`line_no`), and lines that do not fit the format are counted and kept beside the output. A
`--templates` file from another parse run than the model's is refused too: its text would name
the model's keys as other events in the evidence. That covers the keys new since training as
well: those the frozen parser mines from the logs (`--logs`), or those the sessions file's own
template set records.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import typer

from logbert.cli.inputs import (
    INPUTS_HELP,
    LOGS_HELP,
    SCORE_TIMEZONE_HELP,
    YEAR_HELP,
    TrainingOverlap,
    check_sessions_fit,
    dating_with_logs,
    file_end,
    finite_threshold,
    labels_map,
    load_pipeline,
    log_files,
    refuse_labels_without_logs,
    say,
    sessions_file,
    unrecorded_end_note,
)
from logbert.cli.progress import logs_progress
from logbert.cli.text_inputs import require_text_detector, text_records
from logbert.errors import LogbertError
from logbert.models.runtime import torch_threads
from logbert.parsing.reader import name_files
from logbert.parsing.templates import (
    TEMPLATES_FILE_REMEDY,
    require_same_text,
    require_templates_file,
)
from logbert.pipeline import LogReadSummary
from logbert.pipeline.unseen import UnseenPassed
from logbert.scoring.flag_rate import FlaggedStreams
from logbert.scoring.score_files import SILENCE, ScoreWriter, score_format
from logbert.sessions.io import (
    Session,
    check_output_path,
    iter_session_batches,
    recorded_templates,
)
from logbert.sessions.lifecycle import LongScoredSessions

# Sessions per batch: identical sequences are scored once per batch, so large batches save
# work on repetitive logs, while memory stays bounded however big the input is.
SESSION_BATCH = 65_536


def command(
    model_dir: Path = typer.Argument(..., help="Model directory written by `logbert train`."),
    inputs: list[str] = typer.Argument(..., metavar="SESSIONS | LOG...", help=INPUTS_HELP),
    output: Path = typer.Option(..., "--output", "-o", help="scores.jsonl or scores.parquet"),
    logs: bool = typer.Option(False, "--logs", help=LOGS_HELP),
    threshold: float | None = typer.Option(
        None,
        "--threshold",
        callback=finite_threshold,
        help="Decision threshold, a finite number (default: the model's calibrated one).",
    ),
    templates: Path | None = typer.Option(
        None, "--templates", help="templates.csv from parse (default: the model's templates)."
    ),
    input_format: str | None = typer.Option(None, "--input-format", help="Sessions format."),
    year: int | None = typer.Option(None, "--year", help=YEAR_HELP),
    timezone: str | None = typer.Option(None, "--timezone", help=SCORE_TIMEZONE_HELP),
    labels: Path | None = typer.Option(
        None,
        "--labels",
        help="With --logs: CSV of session id and label, written into each row's `label` (so "
        "`logbert report` can draw ROC and precision-recall curves from the scores).",
    ),
    top_events: int = typer.Option(3, "--top-events", help="Surprising positions per row."),
    text: bool = typer.Option(
        False, "--text", help='The input is text records ({"input", optional "output"}).'
    ),
    threads: int = typer.Option(
        0, "--threads", help="torch threads (0: torch's default; 1 is fastest on a busy machine)."
    ),
) -> None:
    """Score sessions (or raw logs) with a trained model."""
    if threads < 0:  # as `train` takes it (QA FortiGate: `score --threads` did not exist)
        raise LogbertError("--threads must be 0 (torch's default) or more")
    score_format(output)
    check_output_path(output, "scores file")
    if labels is not None and text:
        raise LogbertError("--labels works with --logs; sessions files carry their labels")
    dating_with_logs(year, timezone, logs)
    pipeline = load_pipeline(model_dir)
    if labels is not None and not logs:
        refuse_labels_without_logs(inputs, pipeline, input_format)
    names = None
    if templates is not None and not text:  # `--text` refuses --templates below
        names = require_templates_file(pipeline.templates(), templates)
        if not names:
            raise LogbertError(f"templates file not found or empty: {templates}")
    info = pipeline.decision_threshold(threshold)
    tally = UnseenPassed()  # sessions with keys training never saw that pass as normal
    options = {"threshold": threshold, "top_events": top_events, "templates": names, "tally": tally}
    # how many scored sessions the model trained on: a flag-rate note then blames the threshold
    overlap = TrainingOverlap(pipeline)
    long = LongScoredSessions(pipeline.lifecycle_.lifetime_)  # (a window lasts its length)

    def seen(sessions: Sequence[Session]) -> None:
        long.add(sessions)
        if overlap.checked:
            overlap.add(sessions)

    options["on_sessions"] = seen
    started = time.perf_counter()
    flagged = still_open = silent = 0  # (silent: rows of silent windows, `verdicts`)
    streams = FlaggedStreams()  # (of windows: most flagged ones of one stream are said)
    summary = LogReadSummary()
    if text:
        require_text_detector(pipeline.detector_)
        records = text_records(
            inputs, False, **{"--logs": logs, "--templates": templates,
                              "--input-format": input_format},
        )  # fmt: skip
        options["templates"] = {**pipeline.templates(), **records.templates}
        batches = pipeline.score_batches([records.sessions], None, **options)
    elif logs:
        rejects = output.with_name(output.stem + ".rejects.txt")
        batches = pipeline.score_logs(
            log_files(inputs), summary, labels_map(labels), rejects_path=rejects, year=year,
            timezone=timezone, templates_from=f"--templates {templates}", **options,
        )  # fmt: skip
    else:
        path = sessions_file(inputs)
        check_sessions_fit(pipeline, path, bool(names), input_format)
        recorded = recorded_templates(path)
        if names:
            require_templates_fit_sessions(names, templates, path, recorded)
        elif recorded:  # keys new since training have their text in the file, not the model
            options["templates"] = {**recorded, **pipeline.templates()}
        end = file_end(pipeline, path, input_format)  # a first, cheap pass
        sessions = iter_session_batches(path, input_format, SESSION_BATCH)
        batches = pipeline.score_batches(sessions, end, **options)
    try:
        with (
            torch_threads(threads or None),
            logs_progress("scoring", summary) as shown,
            ScoreWriter(output, pipeline.detector_.score_names) as writer,
        ):
            for rows in batches:
                silent += sum(r.get("decided_by") == SILENCE for r in rows)
                for row in rows:
                    if row.get("decided_by") != SILENCE:
                        flagged += row["is_anomaly"]
                        streams.add(row["session_id"], row["is_anomaly"])
                still_open += sum(bool(r.get("open")) for r in rows)
                writer.write(rows)
                shown.scored(len(rows))
    except BaseException:  # a failed run leaves no half-written scores file behind
        output.unlink(missing_ok=True)
        raise
    seconds = time.perf_counter() - started
    if writer.count == 0:
        output.unlink(missing_ok=True)
        raise LogbertError(f"{name_files(inputs)} holds no sessions; nothing was scored")
    if logs:
        say(summary.line())
    scored = writer.count - silent
    typer.echo(
        f"Scored {scored} sessions in {seconds:.2f}s ({scored / seconds:.0f}/s): "
        f"{flagged} anomalous at {info.score} > {info.value:.6g}"
        + (f", and {silent} silent windows" if silent else "")
        + f"; wrote {output}"
    )
    detector = pipeline.detector_
    drift = pipeline.flag_rate_note(
        flagged,
        scored,
        threshold,
        overlap.trained_on(),
        tally.n_unseen,
        tally.unseen_event_share,
        n_unseen_flagged=tally.n_unseen - tally.n_passed,
    )
    notes = (
        pipeline.open_sessions_note(still_open),  # sessions without times are never open
        pipeline.mostly_open_warning(still_open, scored),
        None if logs or text else unrecorded_end_note(Path(inputs[0]), input_format, still_open),
        drift,
        streams.note(flagged) if drift is not None else None,
        None
        if detector.supervised
        else tally.warning(info.score, detector.name, info.value, scored),
        tally.cut_short_note(),
        long.warning(),
        pipeline.window_blind_spot_note(),
        pipeline.silence_note(summary, silent) if logs else None,
    )
    for note in notes:
        if note is not None:
            say(note)


def require_templates_fit_sessions(
    names: dict[int, str], templates: Path, path: Path, recorded: dict[int, str]
) -> None:
    """Refuse a `--templates` file whose text for a key of the sessions file's own template
    set (`recorded`) differs: the model's keys are checked on loading it, but keys new since
    training (mined by a later parse run) are only in the sessions file. Nothing to compare
    when the file records no template set (JSON Lines, DeepLog)."""
    if recorded:
        require_same_text(
            recorded,
            names,
            data=f"--templates {templates}",
            reference=str(path),
            remedy=TEMPLATES_FILE_REMEDY,
        )
