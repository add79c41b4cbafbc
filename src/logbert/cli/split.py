"""`logbert split`: a sessions file -> train / validation / test files.

By time (chronological by session start, the default when sessions have start times: a model
of earlier data scores later data, as it will in use) or seeded random, stratified by label
when labels exist. The files keep the input's template-set metadata, so `score` and
`evaluate` can still check that they match the model's parse run. Part files of an earlier
split in the folder that this run does not write (a share of 0, another `--format`) are
removed, so no old test file shares sessions with a new train file.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import typer

from logbert.cli.inputs import say
from logbert.errors import LogbertError
from logbert.sessions.io import (
    ANOMALY,
    OUTPUT_FORMATS,
    Session,
    check_output_path,
    create_output_folder,
    read_file_metadata,
    read_sessions,
    write_sessions,
)
from logbert.sessions.lifecycle import LOG_END_KEY, log_end, recorded_log_end
from logbert.sessions.options import parse_duration
from logbert.sessions.settings import read_sessionizer_settings
from logbert.sessions.split import PARTS, split_sessions

SUFFIXES = {"parquet": ".parquet", "jsonl": ".jsonl", "deeplog": ".txt"}


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
    if method == "random":
        _refuse_overlapping_windows(sessions, all_sessions)
    metadata = read_file_metadata(sessions) if str(sessions) != "-" else {}
    # the log's end, not each part's: the train part's last sessions were complete in the log
    end = (recorded_log_end(sessions) if str(sessions) != "-" else None) or log_end(all_sessions)
    if end is not None:
        metadata = {**metadata, LOG_END_KEY: end.isoformat()}
    suffix = SUFFIXES[output_format]
    create_output_folder(output_dir, "output folder", directory=True)
    written = []
    for name in PARTS:
        part = parts[name]
        if not part:
            continue
        path = output_dir / f"{name}{suffix}"
        write_sessions(part, path, output_format, metadata=metadata)
        written.append(path)
        span = ""
        if method == "time":
            span = f", starting {part[0].start.isoformat()} to {part[-1].start.isoformat()}"
        typer.echo(f"{name}: {len(part):,} sessions ({_labelled(part)}{span}) -> {path}")
    _remove_stale_parts(output_dir, written, sessions)
    if method == "time":
        _note_sliding_windows(sessions, parts, all_sessions)
    typer.echo(
        f"split {len(all_sessions):,} sessions by {method}"
        + (f" (seed {seed})" if method == "random" else "")
        + (_why_random(all_sessions) if method == "random" and by == "auto" else "")
    )


def _labelled(part: list[Session]) -> str:
    """How a part is labelled: `3 anomalous`, `3 anomalous, 5 unlabelled` or `unlabelled`."""
    unlabelled = sum(s.label is None for s in part)
    if unlabelled == len(part):
        return "unlabelled"
    anomalies = sum(s.label == ANOMALY for s in part)
    return f"{anomalies:,} anomalous" + (f", {unlabelled:,} unlabelled" if unlabelled else "")


def _why_random(sessions: list[Session]) -> str:
    """Why `--by auto` split at random: some sessions have no start time."""
    missing = sum(s.start is None for s in sessions)
    return (
        f": {missing:,} of {len(sessions):,} sessions have no start time, so not by time "
        "(--by time needs every session timed)"
    )


def _remove_stale_parts(output_dir: Path, written: list[Path], source: Path) -> None:
    """Remove the part files of an earlier split in `output_dir` that this run did not write
    (a part with share 0, another `--format`): left there, an old test file would hold
    sessions the new train file now has, and be evaluated as if held out. Says so on stderr.
    The input file is never removed, even when it is such a part."""
    keep = {path.resolve() for path in written}
    if str(source) != "-":
        keep.add(Path(source).resolve())
    stale = [output_dir / f"{name}{suffix}" for name in PARTS for suffix in SUFFIXES.values()]
    for path in stale:
        if path.is_file() and path.resolve() not in keep:
            path.unlink()
            typer.echo(
                f"removed {path}: an earlier split's part that this split does not write (it "
                "would share sessions with the new parts)",
                err=True,
            )


def _overlap(path: Path, sessions: list[Session]) -> str | None:
    """`--window 5m --step 1m` (or `--lines 100 --step 20`) when the file's sessions are
    windows that share lines with their neighbours, else None. A file that records no
    settings (JSON Lines, stdin) is judged by its sessions (`_overlapping_time_windows`)."""
    settings = read_sessionizer_settings(path) if str(path) != "-" else None
    if settings is None:
        return _overlapping_time_windows(sessions)
    if settings.step is None:
        return None
    if settings.window is not None:
        if parse_duration(settings.step) >= parse_duration(settings.window):
            return None
        return f"--window {settings.window} --step {settings.step}"
    if settings.lines is not None and int(settings.step) < int(settings.lines):
        return f"--lines {settings.lines} --step {settings.step}"
    return None


def _overlapping_time_windows(sessions: list[Session]) -> str | None:
    """`time windows of 0:05:00 that overlap` when the sessions are time windows (ids are
    their start, `2026-11-03T10:00:00` or `VALUE@2026-11-03T10:00:00`, and they span start
    to end) of which one starts before the one before it of the same value ends: sliding
    windows in a file that does not record how it was cut (QA: a JSON Lines file of sliding
    windows split at random without a word)."""
    ends: dict[str, datetime] = {}
    width = None
    for session in sorted(
        (s for s in sessions if s.start is not None and s.end is not None),
        key=lambda s: s.start,
    ):
        value, _, when = str(session.session_id).rpartition("@")
        try:
            if datetime.fromisoformat(when) != session.start:
                return None
        except ValueError:
            return None  # not a time window's id: sessions by id may overlap in time
        if value in ends and session.start < ends[value]:
            width = session.end - session.start
        ends[value] = max(session.end, ends.get(value, session.end))
    return None if width is None else f"time windows of {width} that overlap"


def _refuse_overlapping_windows(path: Path, sessions: list[Session]) -> None:
    """Refuse a random split of sliding windows: nearly every test window would share lines
    with training windows, and every figure would be of data the model saw (QA: BGL 5-minute
    windows every minute, F1 0.99 at random against 0.73 with tumbling windows, no word)."""
    sliding = _overlap(path, sessions)
    if sliding is None:
        return
    raise LogbertError(
        f"{path} holds sliding windows ({sliding}), which share lines with their neighbours: "
        "split at random, nearly every validation and test window would hold lines of "
        "training windows, and the figures would be of data the model saw. Split them by "
        "time (--by time; only the windows at each boundary share lines, and they are named), "
        "or sessionize windows that do not overlap (--step equal to the window) to split at "
        "random"
    )


def _note_sliding_windows(
    path: Path, parts: dict[str, list[Session]], sessions: list[Session]
) -> None:
    """A warning when sliding windows (`--window W --step S`, S < W) were split by time: each
    window shares lines with its neighbours, so the first windows of a part hold lines of the
    part before it (a validation or test window partly made of training lines)."""
    settings = read_sessionizer_settings(path) if str(path) != "-" else None
    sliding = _overlap(path, sessions)
    if sliding is None or (settings is not None and settings.window is None):
        return
    shared = []
    earlier = parts[PARTS[0]]
    for name in PARTS[1:]:
        ends = [s.end or s.start for s in earlier if (s.end or s.start) is not None]
        if ends and parts[name]:
            last = max(ends)
            n = sum(1 for s in parts[name] if s.start is not None and s.start < last)
            if n:
                shared.append(f"{n:,} {name} windows")
        earlier = parts[name] or earlier
    if shared:
        say(
            f"warning: {' and '.join(shared)} share lines with the part before them: the "
            f"windows slide ({sliding}), so windows at a "
            "boundary hold lines of both sides; sessionize with --step equal to --window (or "
            "leave those windows out) to keep the parts apart"
        )
