"""What `train`, `score`, `calibrate` and `evaluate` share: their input and its checks.

Each reads either one sessions file (the step-by-step path) or, with `--logs`, raw log files
that the pipeline bundle parses and sessionizes itself. Everything a user can get wrong is
checked here before any work starts (a folder given as a file, a missing file, two kinds of
input at once), so a long run never fails at its end on a bad argument.
"""

from __future__ import annotations

import json
import math
from datetime import datetime
from pathlib import Path
from typing import NoReturn

import typer

from logbert.cli.progress import logs_progress
from logbert.errors import LogbertError
from logbert.parsing.folders import expand_folders
from logbert.parsing.reader import name_files
from logbert.parsing.templates import TEMPLATE_SET_KEY
from logbert.parsing.zones import check_timezone
from logbert.pipeline import LogReadSummary, Pipeline
from logbert.pipeline.files import FINGERPRINTS_FILE
from logbert.sessions.io import (
    ANOMALY,
    NORMAL,
    detect_format,
    iter_session_batches,
    read_file_metadata,
    refuse_raw_log,
)
from logbert.sessions.labels import mostly_anomalous_warning, read_labels_with_columns
from logbert.sessions.lifecycle import file_log_end
from logbert.sessions.settings import read_sessionizer_settings

INPUTS_HELP = (
    "A sessions file (.parquet, .jsonl or DeepLog), or with --logs raw log files or folders of "
    "them."
)
LOGS_HELP = (
    "The inputs are raw log files (plain, .gz or - for stdin): parse and sessionize them with "
    "the model's frozen templates and session settings."
)


YEAR_HELP = (
    "With --logs: the year of timestamps written without one (default: each file's "
    "modification time; a --year given to train dated the training files only)."
)


SCORE_TIMEZONE_HELP = (
    "With --logs: the time zone of timestamps written without a UTC offset in these logs "
    "(Europe/Berlin, +01:00; default: the zone given to train, else UTC)."
)


def dating_with_logs(year: int | None, timezone: str | None, logs: bool) -> None:
    """`--year` and `--timezone` date raw log lines: refused without --logs, where they would
    change nothing, and a zone that names none is refused before any line is read."""
    for option, value in (("--year", year), ("--timezone", timezone)):
        if value is not None and not logs:
            raise LogbertError(f"{option} dates raw log lines: it works with --logs")
    check_timezone(timezone)


def say(line: str) -> None:
    """Progress and notes go to stderr, so stdout stays the result."""
    typer.echo(line, err=True)


def load_pipeline(model_dir: Path, recalibrating: bool = False) -> Pipeline:
    """The model's bundle; says so when a checkpoint file stands in for the weights, and
    warns about model files whose absence leaves something out (`Pipeline.load_warnings_`).
    `recalibrating` (calibrate): a broken threshold file is a warning, not an error, since
    this run replaces it."""
    pipeline = Pipeline.load(model_dir, recalibrating=recalibrating)
    for warning in pipeline.load_warnings_:
        say(warning)
    source = pipeline.detector_.training_info_.get("weights_from_checkpoint")
    if source:
        say(f"using the weights of checkpoint {source} with its model directory's vocabulary "
            "and threshold")  # fmt: skip
    return pipeline


def finite_threshold(value: float | None) -> float | None:
    """typer callback of `--threshold`: nan or ±inf would flag nothing (or everything) while
    the run reports success, so they are refused as bad input."""
    if value is not None and not math.isfinite(value):
        raise LogbertError(
            f"--threshold {value}: the threshold must be a finite number (a score value; leave "
            "--threshold out to use the model's calibrated one)"
        )
    return value


def sessions_file(inputs: list[str]) -> Path:
    """The one sessions file of a command run without --logs."""
    if len(inputs) != 1:
        raise LogbertError(
            f"expected one sessions file, got {len(inputs)} inputs; to read raw log files pass "
            "--logs"
        )
    path = Path(inputs[0])
    if inputs[0] != "-":
        if path.is_dir():  # most likely a folder of raw logs (QA CRI: no word of --logs)
            raise LogbertError(
                f"{path} is a folder, not a sessions file: pass a .parquet/.jsonl/DeepLog file; "
                "for a folder of raw logs add --logs"
            )
        if not path.exists():
            raise LogbertError(f"sessions file not found: {path}")
    return path


def log_files(inputs: list[str]) -> list[str]:
    """Raw log inputs of --logs, each checked to exist; a folder stands for the log files
    under it, in rotation order, said on stderr (`expand_folders`)."""
    if inputs.count("-") > 1:
        raise LogbertError("stdin (-) can be read only once: pass it a single time")
    for name in inputs:
        if name != "-" and not Path(name).exists():
            raise LogbertError(f"log file {name} not found: pass log files after --logs")
    expanded = expand_folders(inputs)
    for note in expanded.notes:
        say(note)
    return expanded.files


def labels_map(path: Path | None) -> dict[str, str] | None:
    """Labels by session id from a two-column CSV; says which column was taken as the id."""
    if path is None:
        return None
    labels, id_column, label_column = read_labels_with_columns(path)
    say(f"labels: id column {id_column!r}, label column {label_column!r} ({len(labels):,} ids)")
    other = labels.other_columns
    if other and set(labels.values()) <= {NORMAL, ANOMALY}:
        # QA TeamCity, Gitea: a `type` column beside a 0/1 label was ignored unsaid, and no
        # recall by category came
        columns = ", ".join(repr(name) for name in other)
        say(
            f"note: labels column(s) {columns} not read: for recall by category, write the "
            f"category in the label column {label_column!r} (`disk_full` for an anomaly, "
            "`normal` for none)"
        )
    if warning := mostly_anomalous_warning(labels, label_column):
        say(warning)
    return labels


def refuse_labels_without_logs(
    inputs: list[str], pipeline: Pipeline, input_format: str | None = None
) -> NoReturn:
    """--labels without --logs is an error; a raw log given so is told to add --logs first
    (QA strongSwan: `evaluate MODEL LOG --labels L` heard only that sessions files carry
    their labels, where `score` named the log line)."""
    if len(inputs) == 1 and inputs[0] != "-" and Path(inputs[0]).is_file():
        refuse_raw_log(inputs[0], pipeline.reads_logs, input_format)
    raise LogbertError("--labels works with --logs; sessions files carry their labels")


def template_set_of(path: Path) -> dict | None:
    """The template set (id -> text) a sessions file was parsed with, when it records one."""
    raw = read_file_metadata(path).get(TEMPLATE_SET_KEY) if str(path) != "-" else None
    return json.loads(raw).get("templates") if raw else None


def check_sessions_fit(
    pipeline: Pipeline,
    path: Path,
    templates_given: bool = False,
    input_format: str | None = None,
) -> None:
    """Refuse a sessions file whose keys come from another parse run than the model's; warn
    when the file cannot be checked (only Parquet sessions files record their template set).
    A model trained from raw logs refuses such a file unless `score --templates` names its
    keys (`templates_given`, checked against the model's templates by the caller): no parse
    run but the model's own gives its key ids."""
    refuse_raw_log(path, pipeline.reads_logs, input_format)  # a log: say so, not its keys
    metadata = read_file_metadata(path)
    pipeline.check_templates(metadata, str(path))  # refuses first: no warning before an error
    cut = pipeline.sessions_cut_warning(read_sessionizer_settings(path), str(path))
    if cut is not None:
        say(cut)
    knows_its_run = pipeline.reads_logs or bool(getattr(pipeline, "template_set_", None))
    if TEMPLATE_SET_KEY not in metadata and knows_its_run:
        where = "standard input" if str(path) == "-" else str(path)
        if pipeline.reads_logs and not templates_given:
            raise LogbertError(_unmatched_key_ids(where))
        say(
            f"warning: {where} records no template set (only Parquet sessions files from "
            "`logbert sessionize` do), so its key ids cannot be checked against the model's "
            "templates: the scores mean something only if it was parsed with the model's "
            "parse state (the same --state file)"
        )


def _unmatched_key_ids(where: str) -> str:
    """Why sessions that record no template set cannot go to a model trained from raw logs:
    its parser runs only inside `--logs` (`parse --state` refuses a model's parser.json), so
    their key ids come from another parse run, and reading them as the model's keys flagged
    every session of a QA run (F1 0.13, exit 0) instead of failing."""
    return (
        f"{where} records no template set (JSON Lines and DeepLog sessions files cannot), and "
        "this model was trained from raw logs with its own parser, so these key ids come from "
        "another parse run and would be read as other templates: every figure would be "
        "meaningless. Score or evaluate the raw logs with --logs; to label reused ids "
        "session by session, parse with `logbert parse --state`, sessionize, and train on "
        "those sessions (.parquet files carry their template set, which is checked)"
    )


def read_all(
    pipeline: Pipeline,
    inputs: list[str],
    logs: bool,
    input_format: str | None = None,
    labels: Path | None = None,
    year: int | None = None,
    rejects: Path | None = None,
    timezone: str | None = None,
) -> tuple[list, str, datetime | None]:
    """Every session of the inputs (for calibrate-sized data), a description, and the log's
    last event (of any line; for a `split` part, of the whole log it was cut from), against
    which sessions still running are told, as `score` tells them. With --logs, lines that do
    not fit the format are kept in `rejects`; `year` and `timezone` date them
    (`Pipeline.log_parser`)."""
    if logs:
        summary = LogReadSummary()
        files = log_files(inputs)
        with logs_progress("reading logs", summary):
            sessions = list(
                pipeline.read_logs(
                    files, summary, labels_map(labels), rejects_path=rejects, year=year,
                    timezone=timezone,
                )
            )
        say(summary.line())
        return sessions, name_files(inputs), summary.last_event
    if labels is not None:
        raise LogbertError("--labels joins labels onto sessions read with --logs; sessions files "
                           "carry their own labels (sessionize --labels)")  # fmt: skip
    path = sessions_file(inputs)
    check_sessions_fit(pipeline, path, input_format=input_format)
    sessions = [s for batch in iter_session_batches(path, input_format) for s in batch]
    return sessions, str(path), file_end(pipeline, path, input_format)


def file_end(pipeline: Pipeline, path: Path, input_format: str | None):
    """The last event of a sessions file when the model judges open sessions (else None)."""
    if pipeline.lifecycle_.lifetime_ is None:
        return None
    return file_log_end(path, input_format)


def unrecorded_end_note(path: Path, input_format: str | None, n_open: int) -> str | None:
    """A note when sessions were judged open against the last session of a sessions file
    that cannot record the log's end (JSON Lines, DeepLog: no metadata): lines after the last
    session (health checks, a later part of a split) would have closed them, as they do for
    Parquet files and --logs."""
    if not n_open or str(path) == "-" or detect_format(path, input_format) == "parquet":
        return None
    return (
        f"note: {path} cannot record where its log ended (only Parquet sessions files do), so "
        f"the {n_open:,} open sessions were judged against its last session; if the log went "
        "on after it, sessionize to a .parquet file, or score the raw logs with --logs"
    )


class TrainingOverlap:
    """Counts input sessions the model was trained or calibrated on (by `train`'s validation
    sessions, its cross-fitting of every session, or `logbert calibrate`); warns about them.

    A model that records no training sessions (training_sessions.npz missing) cannot be
    checked: the counts are then unknown (None, `checked` false) and a warning says so,
    because zero would report a clean held-out check that was never made."""

    def __init__(self, pipeline: Pipeline) -> None:
        self.pipeline = pipeline
        self.checked = pipeline.knows_training_sessions
        # a cross-fitted threshold's calibration sessions are the training and validation
        # ones: `in_calibration` then overlaps those counts, and is not added to them
        self.cross_fitted = pipeline.threshold_cross_fitted
        self.counts: dict[str, int | None] = pipeline.training_overlap([])  # 0 or None each

    def add(self, sessions) -> None:
        for key, value in self.pipeline.training_overlap(sessions).items():
            if value is not None:
                self.counts[key] = (self.counts[key] or 0) + value

    def trained_on(self) -> int | None:
        """How many of the sessions seen the model was trained, validated or calibrated on
        (None: unknown, the model records no training sessions)."""
        if not self.checked:
            return None
        kinds = ["in_training", "in_validation"] + ([] if self.cross_fitted else ["in_calibration"])
        counts = [self.counts[k] or 0 for k in kinds]
        return min(sum(counts), self.counts["n_sessions"] or 0)

    def report(self, what: str, validation_counts: bool = True) -> dict:
        """Warn on stderr when the input overlaps (or cannot be checked); the record for the
        command's JSON output.

        `validation_counts` False: re-using the sessions the threshold was calibrated on (the
        validation split, or an earlier `logbert calibrate`'s) is no fault (calibrate).
        """
        n, train, val, cal = (
            self.counts[k] for k in ("n_sessions", "in_training", "in_validation", "in_calibration")
        )
        if cal and validation_counts and not self.cross_fitted:  # else: the warnings below
            say(
                f"warning: {cal:,} of {n:,} sessions ({cal / n:.1%}) are the sessions the "
                "threshold was picked on (`logbert calibrate`), so the figures of the "
                f"{what} on them are optimistic: it is not on held-out data"
            )
        if not self.checked:
            say(
                f"warning: the model records no training sessions ({FINGERPRINTS_FILE} "
                "missing): overlap with training data cannot be checked, so the "
                f"{what} may be on sessions the model was trained on"
            )
            found = True if cal else None  # an overlap found is one, checked or not
            return {**self.counts, "overlaps_training": found, "checked": False}
        if train:
            also = " and its threshold was cross-fitted on" if self.cross_fitted else ""
            say(
                f"warning: {train:,} of {n:,} sessions ({train / n:.1%}) are sessions the model "
                f"was trained on{also}; {what} on them is not on held-out data (use `logbert "
                "split`)"
            )
        if val and validation_counts:
            role = (  # a cross-fitted threshold comes from every session, not the holdout
                "held out in training for early stopping (the threshold was cross-fitted)"
                if self.cross_fitted
                else "the threshold was calibrated on"
            )
            say(
                f"warning: {val:,} of {n:,} sessions ({val / n:.1%}) are the validation sessions "
                f"{role}; {what} on them is not on held-out data"
            )
        return {**self.counts, "overlaps_training": bool(train or val or cal), "checked": True}
