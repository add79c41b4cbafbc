"""`logbert evaluate`: detection metrics of a trained model on held-out labelled sessions.

Scores the sessions, or raw logs with `--logs` and `--labels` (or reuses a scores file from
`logbert score` with `--scores`), and applies the model's calibrated threshold; writes
evaluation_results.json and prints a table. A model trained on a category target
(multiclass/multilabel) is also scored on its category predictions (`category_metrics`:
per-class figures, macro/micro F1, exact match, partial score, confusion matrix), written under
`categories` in the JSON and printed as more tables. With `--logs`, lines that do not fit the
format are kept in `<output stem>.rejects.txt` (as `score --logs` keeps them) and counted in
the JSON (`lines_read`, `lines_rejected`).
"""

from __future__ import annotations

import json
import math
import re
from array import array
from collections import Counter
from pathlib import Path

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

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
from logbert.evaluation.metrics import (
    add_flagged,
    category_metrics,
    detection_metrics,
    recall_by_category,
)
from logbert.models.runtime import torch_threads
from logbert.parsing.reader import name_files
from logbert.pipeline import LogReadSummary, Pipeline
from logbert.pipeline.unseen import UnseenPassed
from logbert.pipeline.verdicts import predicts_categories
from logbert.scoring.flag_rate import FlaggedStreams
from logbert.scoring.score_files import NOT_SCORES, iter_scores
from logbert.scoring.thresholds import p_value_mismatches
from logbert.sessions.io import (
    ANOMALY,
    LABEL_SPELLINGS,
    NORMAL,
    check_output_path,
    create_output_folder,
    detect_format,
    iter_session_batches,
    session_categories,
)


def command(
    model_dir: Path = typer.Argument(..., help="Model directory written by `logbert train`."),
    inputs: list[str] = typer.Argument(..., metavar="SESSIONS | LOG...", help=INPUTS_HELP),
    output: Path = typer.Option(
        Path("evaluation_results.json"), "--output", "-o", help="Where to write the metrics."
    ),
    scores: Path | None = typer.Option(
        None, "--scores", help="Reuse a scores file from `logbert score` instead of rescoring."
    ),
    threshold: float | None = typer.Option(
        None,
        "--threshold",
        callback=finite_threshold,
        help="Override the model's calibrated threshold (a finite number).",
    ),
    input_format: str | None = typer.Option(None, "--input-format", help="Sessions format."),
    logs: bool = typer.Option(False, "--logs", help=LOGS_HELP),
    labels: Path | None = typer.Option(
        None, "--labels", help="With --logs: CSV of session id and label."
    ),
    text: bool = typer.Option(
        False, "--text", help='The input is labelled text records ({"input", "output"}).'
    ),
    year: int | None = typer.Option(None, "--year", help=YEAR_HELP),
    timezone: str | None = typer.Option(None, "--timezone", help=SCORE_TIMEZONE_HELP),
    threads: int = typer.Option(
        0, "--threads", help="torch threads (0: torch's default; 1 is fastest on a busy machine)."
    ),
) -> None:
    """Evaluate a model on labelled sessions (or labelled raw logs)."""
    if threads < 0:
        raise LogbertError("--threads must be 0 (torch's default) or more")
    check_output_path(output, "evaluation output")
    dating_with_logs(year, timezone, logs)
    pipeline = load_pipeline(model_dir)
    info = pipeline.decision_threshold(threshold)
    overlap = TrainingOverlap(pipeline)
    found = Categories(pipeline, info.value)
    still_open = OpenSessions()
    normal = NormalVerdicts(pipeline, info.value)
    with torch_threads(threads or None):  # as `train` and `score` take it (QA)
        if text:
            require_text_detector(pipeline.detector_)
            records = text_records(
                inputs, True, **{"--scores": scores, "--logs": logs, "--labels": labels,
                                 "--input-format": input_format},
            )  # fmt: skip
            pipeline.detector_.extend_templates(records.templates)  # texts unseen in training
            overlap.add(records.sessions)
            detector_input = pipeline.batch(records.sessions)
            found.add(records.sessions, detector_input)
            truth = np.asarray(_labels(records.sessions, inputs[0]))
            values = pipeline.decision_scores(detector_input)
        elif scores is not None:
            if logs or labels is not None:
                # (QA Galera, NATS: scores of `score --logs` have no sessions file to pass)
                raise LogbertError(
                    "--scores reuses a scores file of a sessions file: pass that sessions file "
                    "(not --logs or --labels), or drop --scores to score the logs. Scores "
                    "written by `score --logs` have no sessions file: `evaluate MODEL LOGS "
                    "--logs --labels LABELS` scores the logs again, or write their sessions "
                    "with `logbert parse` and `logbert sessionize --labels LABELS`, then "
                    "`score` and `evaluate --scores` those"
                )
            path = sessions_file(inputs)
            check_sessions_fit(pipeline, path, input_format=input_format)
            expected = _session_labels(path, input_format, overlap)
            truth, values, verdicts, given_p, first = _from_scores(
                scores, info.score, found, expected, path, still_open, normal.kinds
            )
            _check_score_names(scores, set(first), pipeline)
            _check_model_id(scores, first.get("model_id"), pipeline)
            _check_verdicts(scores, values, verdicts, info.value)
            if threshold is None:  # p-values are against the model's own calibration
                _check_p_values(scores, values, given_p, pipeline)
        elif logs:  # labels from --labels, or from the log lines themselves (e.g. BGL windows)
            create_output_folder(output, "evaluation output")  # the rejects file goes beside it
            rejects = output.with_name(output.stem + ".rejects.txt")  # as `score --logs` keeps them
            truth, values, read, silent = _from_logs(
                pipeline, log_files(inputs), labels, overlap, found, still_open, rejects, year,
                normal, timezone,
            )  # fmt: skip
            silences = _silence_counts(silent)
            read.anomalies_without_session -= silences["labelled_anomalous"]
            for row in silent:  # (the kinds of anomaly their labels name, when they do)
                if row.get("label") is not None:
                    normal.kinds.add_row(row, math.inf)
        else:
            if labels is not None:
                refuse_labels_without_logs(inputs, pipeline, input_format)
            path = sessions_file(inputs)
            check_sessions_fit(pipeline, path, input_format=input_format)
            truth, values = _from_sessions(
                pipeline, path, input_format, overlap, found, still_open, normal
            )
    n_evaluated = len(values)
    truth, values = _labelled(truth, values)
    metrics = detection_metrics(truth, values, info.value)
    if logs and silences["windows_flagged"]:
        add_flagged(metrics, silences["labelled_anomalous"], silences["labelled_normal"])
    notes = [
        pipeline.open_sessions_note(still_open.count, stage="evaluate"),
        pipeline.mostly_open_warning(still_open.count, n_evaluated),
        *normal.notes(threshold, overlap.trained_on()),
        normal.unseen_warning(info.score),
        normal.every.cut_short_note(),
        pipeline.silence_note(read, silences["windows_flagged"]) if logs else None,
        _silences_counted_note(silences) if logs else None,
    ]
    if not logs and scores is None and not text:  # a sessions file read here
        notes.append(unrecorded_end_note(Path(inputs[0]), input_format, still_open.count))
    for note in notes:
        if note is not None:
            say(note)
    if not metrics["n_anomalies"]:
        say(
            f"warning: none of the {metrics['n_sessions']:,} sessions of {', '.join(inputs)} is "
            "labelled anomalous, so precision, recall and F1 are undefined (n/a, null in the "
            "JSON); the false-positive rate and the confusion matrix still hold. Evaluate on "
            "labelled data that holds anomalies for detection figures"
        )
    elif metrics["n_anomalies"] == metrics["n_sessions"]:
        spellings = ", ".join(sorted(k for k, v in LABEL_SPELLINGS.items() if v == NORMAL))
        say(
            f"warning: all {metrics['n_sessions']:,} sessions of {', '.join(inputs)} are "
            "labelled anomalous and none normal, so precision, the false-positive rate and "
            "ROC-AUC mean nothing (nothing flagged can be a false alarm). Check the labels' "
            f"spellings: normal is spelled {spellings}, and any other label names an anomaly "
            "category"
        )
    metrics["threshold_info"] = info.to_dict()
    metrics["threshold_parts"] = pipeline.threshold_parts(info)  # a combination's (QA nginx)
    metrics["threshold_words"] = pipeline.threshold_words(info)
    metrics["model"] = pipeline.detector_.name
    metrics["model_id"] = getattr(pipeline, "model_id_", None)  # the trained model evaluated
    metrics["sessions_file"] = name_files(inputs)
    metrics["training_overlap"] = overlap.report("evaluation")
    if logs:
        metrics["lines_read"], metrics["lines_rejected"] = read.lines, read.rejected
        _anomalies_without_session(metrics, read.anomalies_without_session, labels)
        if pipeline.judges_silences:
            metrics["silences"] = silences
    create_output_folder(output, "evaluation output")
    category = found.metrics(str(scores or name_files(inputs)))
    if category is not None:
        metrics["categories"] = category
    kinds = normal.kinds.metrics()
    if kinds is not None:
        metrics["recall_by_category"] = kinds
    output.write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    console = Console()
    console.print(metrics_table(metrics))
    if kinds is not None:
        console.print(kinds_table(kinds))
    if category is not None:
        for table in category_tables(category):
            console.print(table)
        unseen = category.get("unseen_in_training") or {}
        if unseen.get("n_sessions"):
            say(
                f"{unseen['n_sessions']:,} sessions hold categories never seen in training "
                f"({', '.join(f'{k}: {v:,}' for k, v in unseen['categories'].items())}); the "
                "model cannot predict them, and they count against it"
            )
    typer.echo(f"Wrote {output}")


class NormalVerdicts:
    """The labelled normal sessions evaluated, how many were flagged, and which hold keys no
    training session held: for `score`'s flag-rate note on them (QA: a newer version's
    reworded messages, FPR 0.91, and `evaluate` said nothing of why; `score` did)."""

    def __init__(self, pipeline: Pipeline, threshold: float) -> None:
        self.pipeline, self.threshold = pipeline, threshold
        self.n = self.flagged = 0
        self.unseen = UnseenPassed()
        # ... and every session, for `score`'s warning on those that hold never-seen keys and
        # pass (QA ALB: `score` said so of a model deciding by `score`, `evaluate` did not)
        self.every, self.n_all = UnseenPassed(), 0
        self.kinds = KindsCaught(pipeline, threshold)  # the anomalous ones, by category
        self.streams = FlaggedStreams()  # ... and the normal ones' streams, of windows

    def add(self, sessions, values: np.ndarray, still_open: np.ndarray | None = None) -> None:
        """Count the normal ones of `sessions` (labelled), scored `values`; the anomalous
        ones go to `kinds`. `still_open` (the detector input's open mask): also count the
        closed ones passed as normal that are only how fitted sessions started, for `score`'s
        note (QA ZooKeeper: `evaluate` was silent on 19 sessions missing their last step)."""
        self.kinds.add(sessions, values)
        rows = [i for i, s in enumerate(sessions) if s.label == NORMAL]
        flagged = [bool(values[i] > self.threshold) for i in rows]
        self.n += len(rows)
        self.flagged += sum(flagged)
        for i, is_flagged in zip(rows, flagged, strict=True):
            self.streams.add(sessions[i].session_id, is_flagged)
        self.pipeline.tally_unseen(self.unseen, [sessions[i] for i in rows], flagged)
        self.n_all += len(sessions)
        self.pipeline.tally_unseen(
            self.every, sessions, [bool(v > self.threshold) for v in values],
            None if still_open is None else [bool(o) for o in still_open],
        )  # fmt: skip

    def unseen_warning(self, decision: str) -> str | None:
        """`score`'s warning when sessions holding keys no training session held passed (by
        `decision`, the score deciding), labelled normal or not."""
        detector = self.pipeline.detector_
        if detector.supervised:
            return None
        return self.every.warning(decision, detector.name, self.threshold, self.n_all)

    def notes(self, threshold: float | None, n_trained_on: int | None) -> list[str | None]:
        """The flag-rate note on the normal sessions, and where it is said, the stream most
        flagged ones are windows of, where there is one (`FlaggedStreams`)."""
        drift = self.pipeline.flag_rate_note(
            self.flagged, self.n, threshold, n_trained_on, self.unseen.n_unseen,
            self.unseen.unseen_event_share, what="normal sessions",
            n_unseen_flagged=self.unseen.n_unseen - self.unseen.n_passed,
        )  # fmt: skip
        return [drift, self.streams.note(self.flagged) if drift is not None else None]


class OpenSessions:
    """Sessions still open at the log's end among those evaluated (from the detector input,
    or the `open` column of a scores file), for one note at the end."""

    def __init__(self) -> None:
        self.count = 0

    def add(self, batch) -> None:
        """Count the open sessions of a detector input (`SessionBatch`)."""
        self.count += batch.n_open

    def add_row(self, row: dict) -> None:
        """Count a score row that `logbert score` marked open."""
        self.count += bool(row.get("open"))


class KindsCaught:
    """Each labelled session's categories and verdict, for the recall of each kind of anomaly
    (`recall_by_category`) of a binary detector; a category model has its own metrics."""

    def __init__(self, pipeline: Pipeline, threshold: float) -> None:
        self.active = not predicts_categories(pipeline.detector_)
        self.threshold = threshold
        self.categories: list[list[str] | None] = []
        self.flagged: list[bool] = []

    def add(self, sessions, values: np.ndarray) -> None:
        if self.active:
            self.categories.extend(session_categories(s) for s in sessions)
            self.flagged.extend(bool(v > self.threshold) for v in values)

    def add_row(self, row: dict, value: float) -> None:
        """A score row's kinds (its `labels`, else its binary label) and verdict."""
        if self.active:
            kinds = row.get("labels")
            if kinds is None:
                kinds = [] if row.get("label") == NORMAL else [ANOMALY]
            self.categories.append(list(kinds))
            self.flagged.append(bool(value > self.threshold))

    def metrics(self) -> dict | None:
        return recall_by_category(self.categories, self.flagged) if self.active else None


class Categories:
    """True and predicted categories, gathered batch by batch when the model predicts them."""

    def __init__(self, pipeline: Pipeline, threshold: float) -> None:
        detector = pipeline.detector_
        self.active = predicts_categories(detector)
        self.detector, self.threshold = detector, threshold
        self.target = getattr(detector, "target", "binary")
        self.true: list[list[str]] = []
        self.predicted: list[list[str]] = []

    def add(self, sessions, batch) -> None:
        """Categories of labelled `sessions` (as `batch`, the detector's input)."""
        if self.active:
            self.true.extend(session_categories(s) for s in sessions)
            self.predicted.extend(self.detector.predict_categories(batch, threshold=self.threshold))

    def add_row(self, row: dict, path: Path) -> None:
        """Categories of a score row (its `categories` and `labels` columns)."""
        if not self.active:
            return
        if row.get("categories") is None or row.get("labels") is None:
            raise LogbertError(
                f"{path}: row {row.get('session_id')} lacks the categories columns a "
                f"{self.target} model writes; rescore the sessions with this model"
            )
        self.true.append(list(row["labels"]))
        self.predicted.append(list(row["categories"]))

    def metrics(self, where: str) -> dict | None:
        if not self.active:
            return None
        history = getattr(self.detector, "history_", {}) or {}
        losses = [e.get("val_loss") for e in history.get("epochs", []) if isinstance(e, dict)]
        losses = [v for v in losses if isinstance(v, int | float)]
        loss = history.get("best_val_loss", min(losses) if losses else None)
        return category_metrics(
            self.true,
            self.predicted,
            self.target,
            training_classes=[str(c) for c in getattr(self.detector, "classes_", [])],
            validation_loss=loss,
        )


def _from_sessions(
    pipeline: Pipeline,
    path: Path,
    input_format: str | None,
    overlap: TrainingOverlap,
    found: Categories,
    still_open: OpenSessions,
    normal: NormalVerdicts,
):
    labels = array("b")  # compact: one byte a session, whatever the file's size
    values: list[np.ndarray] = []
    missing: list[str] = []
    end = file_end(pipeline, path, input_format)
    key_file = detect_format(path, input_format) == "deeplog"
    for batch in iter_session_batches(path, input_format):
        labels.extend(
            _labels(batch, str(path), key_file=True) if key_file
            else _marked_labels(batch, missing)
        )  # fmt: skip
        overlap.add(batch)
        detector_input = pipeline.batch(batch, end)
        still_open.add(detector_input)
        values.append(pipeline.decision_scores(detector_input))
        normal.add(batch, values[-1], detector_input.is_open)
        found.add(batch, detector_input)
    if not labels:
        raise LogbertError(f"{path} holds no sessions to evaluate")
    if missing and not _left_out(missing, len(labels), str(path)):
        raise _unlabelled_error(str(path), missing[0], len(missing))
    return np.asarray(labels), np.concatenate(values)


def _from_logs(
    pipeline: Pipeline,
    files: list[str],
    labels: Path | None,
    overlap: TrainingOverlap,
    found: Categories,
    still_open: OpenSessions,
    rejects: Path,
    year: int | None = None,
    normal: NormalVerdicts | None = None,
    timezone: str | None = None,
) -> tuple[np.ndarray, np.ndarray, LogReadSummary, list[dict]]:
    """Labels and scores of the sessions of raw logs (labelled by the `labels` CSV, else by
    the lines), what reading them saw, and the rows of the silent windows the model flags
    (`Pipeline.silence_rows`); rejected lines are kept in `rejects`; `year` and `timezone`
    date lines written without a year or a UTC offset (`Pipeline.log_parser`)."""
    summary = LogReadSummary()
    label_map = labels_map(labels)
    with logs_progress("reading logs", summary):
        sessions = list(
            pipeline.read_logs(
                files, summary, label_map, track_lines=False, rejects_path=rejects, year=year,
                timezone=timezone,
            )
        )
    say(summary.line())
    if summary.labels_shifted:  # the warning just said names the offset and the fix (QA
        # Monero: diagnosed exactly, then F1 0.04 printed and exit 0)
        raise LogbertError(
            "the labels sit a whole clock offset off the windows (the warning above): figures "
            "against them would judge each window by another's label, so none were written; "
            "correct the labels' times or the log's zone as it says, and evaluate again"
        )
    if summary.labels_reused:  # (QA Pgpool: warned exactly, then F1 0.08 printed and exit 0
        # for a detector at 0.98)
        raise LogbertError(
            "most sessions the labels file labels anomalous took the label from an id that "
            "had already labelled an earlier session (the warning above): the figures would "
            "count every later session of a reused id as an anomaly, so none were written; "
            "label the sessions one by one, or key sessions by an id that is never reused, "
            "as the warning says"
        )
    overlap.add(sessions)
    missing: list[str] = []
    truth = np.asarray(_marked_labels(sessions, missing))
    where = name_files(files)
    if missing and not (labels is not None and _left_out(missing, len(sessions), where, labels)):
        _labels(sessions, where, labels)  # the error, naming where the labels should come from
    detector_input = pipeline.batch(sessions, summary.last_event)  # the log's last line
    still_open.add(detector_input)
    found.add(sessions, detector_input)
    values = pipeline.decision_scores(detector_input)
    if normal is not None:
        normal.add(sessions, values, detector_input.is_open)
    return truth, values, summary, pipeline.silence_rows(summary, label_map)


def _silence_counts(silent: list[dict]) -> dict[str, int]:
    """How many silent windows the model flagged (`Pipeline.silence_rows`), and how the labels
    name them."""
    named = [row["label"] for row in silent if row.get("label") is not None]
    return {
        "windows_flagged": len(silent),
        "labelled_anomalous": sum(label == ANOMALY for label in named),
        "labelled_normal": sum(label == NORMAL for label in named),
        "unlabelled": len(silent) - len(named),
    }


def _silences_counted_note(counts: dict[str, int]) -> str | None:
    """`note: ...` of how the flagged silent windows count in the figures: those the labels
    name in precision, recall and F1 (no score: out of ROC-AUC and the score means), the
    others left out (QA: 9 flagged windows of a real outage the labels did not name dropped
    out unsaid)."""
    flagged, unlabelled = counts["windows_flagged"], counts["unlabelled"]
    if not flagged:
        return None
    named = flagged - unlabelled
    text = (
        f"note: of the {flagged:,} silent windows flagged, {named:,} the labels name "
        f"({counts['labelled_anomalous']:,} anomalous, {counts['labelled_normal']:,} normal) "
        "count in precision, recall and F1; having no score, they are out of ROC-AUC, PR-AUC "
        "and the score means"
    )
    if unlabelled:
        text += (
            f"; {unlabelled:,} the labels do not name are left out of every figure (label "
            "those windows to count them)"
        )
    return text


def _anomalies_without_session(metrics: dict, missing: int, labels: Path | None) -> None:
    """Say so, and record it, when ids the labels file labels anomalous named no session of
    the logs: the figures judge only the anomalies that became sessions, so a recall of 1.0
    may leave some out (QA Heroku: a syslog drain's router lines rejected, its 8 crashes no
    session, `recall 1.0000`; QA vLLM: an id pattern that missed one API's ids, 5 of 25
    anomalies left out), said only at the end of the summary line. `recall_counting_them`:
    the recall were each of them a miss."""
    if not missing:
        return
    cm, judged = metrics["confusion_matrix"], metrics["n_anomalies"]
    recall = cm["tp"] / (judged + missing)
    metrics["anomalies_without_session"] = missing
    metrics["recall_counting_them"] = recall
    say(
        f"warning: {missing:,} id{'s' if missing > 1 else ''} {labels} labels anomalous named "
        "no session of these logs, "
        f"so no figure judges them (the recall is over the {judged:,} that did; counting "
        f"each of them as missed it is {recall:.4f}): their lines may have been rejected (see "
        "the rejects file), or the logs name them otherwise than the labels do (an id the "
        "session settings do not extract, a window start not in UTC); check the format and "
        "the session settings"
    )


FEW = 0.05  # of the sessions (or one): unlabelled ones `evaluate` leaves out (`_left_out`)


def _labelled(truth: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The labels and scores of the labelled sessions (`_labels` marks the others -1)."""
    known = truth >= 0
    return (truth, values) if known.all() else (truth[known], values[known])


def _labels(sessions, where: str, labels: Path | None = None, key_file: bool = False) -> list[int]:
    """1 for anomalous, 0 for normal sessions; an unlabelled one is an error that says where
    its label should have come from (`labels`: the --labels file given with --logs;
    `key_file`: a DeepLog key file, which cannot hold labels)."""
    if key_file and any(s.label is None for s in sessions):
        raise LogbertError(
            f"{where}: a DeepLog key file holds no labels, so evaluate cannot tell its normal "
            "sessions from anomalies: put the normal and the anomalous sessions in one JSON "
            'file, {"normal_sessions": [[keys...], ...], "anomaly_sessions": [[keys...], ...]} '
            "(e.g. from DeepLog's hdfs_test_normal and hdfs_test_abnormal), or a JSON Lines "
            'file with a "label" per session, and evaluate that; `logbert score` scores a key '
            "file without labels"
        )
    missing = [s.session_id for s in sessions if s.label is None]
    if missing and labels is not None:
        which = (
            "no session of it has a label there"
            if len(missing) == len(sessions)
            else f"{len(missing):,} of its {len(sessions):,} sessions have none there"
        )
        # a window's id is its start in UTC (QA Oracle: labels in the log's +01:00 time
        # matched windows an hour off, and the error said nothing of time); not where the
        # file lists only the anomalies, no session labelled normal (QA: it misled there)
        utc = (
            "; a time window is named by its start in UTC, as `score` writes it: ids written in "
            "the log's local time miss by its offset (and a log that writes local time without "
            "an offset is read as UTC unless --timezone names its zone when it is parsed)"
            if any(s.label == NORMAL for s in sessions)
            and re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$", str(missing[0]))
            else ""
        )
        raise LogbertError(
            f"{where}: session {missing[0]} has no label in --labels {labels} ({which}); "
            f"evaluate needs every session labelled: give each session id a label in {labels}"
            + utc
        )
    if missing:
        raise _unlabelled_error(where, missing[0], len(missing))
    return [int(s.label == ANOMALY) for s in sessions]


def _unlabelled_error(where: str, first: str, n_missing: int) -> LogbertError:
    """The error for sessions without a label and no labels file to blame."""
    return LogbertError(
        f"{where}: session {first} has no label ({n_missing} unlabelled); evaluate "
        "needs labelled sessions: pass --labels (with `sessionize`, or with --logs), a CSV "
        "of session ids and labels, the ids as the sessions are named (a time window's too: "
        "its start, as `score` writes its id); time and line windows may also take their "
        "lines' labels (a format with a label field: bgl, thunderbird, or a format string "
        "with a <Label> field)"
    )


def _marked_labels(sessions, missing: list[str]) -> list[int]:
    """`_labels` with an unlabelled session -1 (`_labelled` leaves it out) and its id added to
    `missing`, for `_left_out` to judge once every session is read."""
    missing.extend(s.session_id for s in sessions if s.label is None)
    return [-1 if s.label is None else int(s.label == ANOMALY) for s in sessions]


def _left_out(
    missing: list[str], n_sessions: int, where: str, labels: Path | None = None
) -> bool:
    """Whether the unlabelled sessions are few enough to leave out of the figures (`FEW`, or
    one: a window after the labels' last entry at the log's end, QA CockroachDB, pfSense: one
    such window refused the whole evaluation), said; more are refused by the caller (labels of
    windows an hour off, in another zone, would still match most windows, each the wrong
    one), and so are sessions none of which is labelled."""
    if len(missing) > max(1, FEW * n_sessions) or len(missing) == n_sessions:
        return False
    source = f" in --labels {labels}" if labels is not None else ""
    how = "" if labels is not None else " (`sessionize --labels`)"
    say(
        f"warning: {len(missing):,} of the {n_sessions:,} sessions of {where} have no label"
        f"{source} (e.g. {missing[0]}): they are left out of the figures; label them{how} to "
        "count them"
    )
    return True


def _session_labels(path: Path, input_format: str | None, overlap: TrainingOverlap) -> Counter:
    """(session id, label) of every session of the sessions file, counted (ids may repeat);
    the training overlap is counted on the way."""
    expected: Counter = Counter()
    for batch in iter_session_batches(path, input_format):
        overlap.add(batch)
        expected.update((s.session_id, s.label) for s in batch)
    if not expected:
        raise LogbertError(f"{path} holds no sessions to evaluate")
    return expected


def _from_scores(
    path: Path,
    decision: str,
    found: Categories,
    expected: Counter,
    sessions: Path,
    still_open: OpenSessions,
    kinds: KindsCaught,
):
    """Labels and scores from a scores file, which must score exactly the sessions file's
    sessions (same ids, same labels): metrics of other data must not carry its name."""
    labels = array("b")
    values = array("d")
    verdicts = array("b")
    given_p = array("d")
    seen: Counter = Counter()
    first: dict = {}
    missing: list[str] = []  # rows without a label: a few are left out, as `_from_sessions` does
    for row in iter_scores(path):
        first = first or row
        if row.get(decision) is None:
            raise LogbertError(f"{path}: rows lack the {decision!r} score the threshold uses")
        seen[(row["session_id"], row.get("label"))] += 1
        if row.get("label") is None:  # (QA OpenTelemetry: each log's last window, unlabelled,
            missing.append(str(row["session_id"]))  # was refused here, evaluated without)
        labels.append(-1 if row.get("label") is None else int(row["label"] == ANOMALY))
        values.append(float(row[decision]))
        verdicts.append(int(bool(row.get("is_anomaly"))))
        p_value = row.get("p_value")
        given_p.append(float(p_value) if isinstance(p_value, int | float) else float("nan"))
        still_open.add_row(row)
        found.add_row(row, path)
        kinds.add_row(row, values[-1])
    if not labels:
        raise LogbertError(f"{path} holds no score rows")
    if missing and not _left_out(missing, len(labels), str(sessions)):
        raise _unlabelled_error(str(path), missing[0], len(missing))
    extra, absent = seen - expected, expected - seen
    if extra or absent:
        first = next(iter(extra or absent))[0]
        raise LogbertError(
            f"--scores {path} does not score the sessions of {sessions}: "
            f"{sum(extra.values()):,} of its {len(labels):,} rows are not sessions there (or "
            f"carry another label), {sum(absent.values()):,} of its {expected.total():,} "
            f"sessions have no row (first: {first}). Score that file with this model "
            f"(`logbert score MODEL {sessions} -o SCORES`) and evaluate those scores"
        )
    return (
        np.asarray(labels),
        np.asarray(values),
        np.asarray(verdicts, dtype=bool),
        np.asarray(given_p),
        first,
    )


def _check_score_names(path: Path, columns: set[str], pipeline) -> None:
    """Warn when the file's score columns are not the ones this model's detector writes: a
    detector that shares the decision score's name (`score`) with another, e.g. `ecvc` and
    `new-event+length+ecvc`, can pass the verdict and p-value checks (both thresholds 0)
    while its scores, and so ROC-AUC, are the other detector's."""
    ours = set(pipeline.detector_.score_names)
    theirs = columns - set(NOT_SCORES)
    if theirs and theirs != ours:
        say(
            f"warning: {path} holds the scores {', '.join(sorted(theirs))}, this model's "
            f"{pipeline.detector_.name} writes {', '.join(sorted(ours))}: were these scores "
            "written by another detector? Its metrics describe that model; rescore with this "
            "one (`logbert score`)"
        )


def _check_model_id(path: Path, theirs: str | None, pipeline) -> None:
    """Warn when the file's rows name another trained model (`model_id`) than this one: its
    scores, and so its ROC-AUC, are that model's even where verdicts and p-values agree."""
    ours = getattr(pipeline, "model_id_", None)
    if theirs is not None and ours is not None and theirs != ours:
        say(
            f"warning: {path} was written by model {theirs}, not by this one ({ours}, "
            "`model_id` in pipeline.json): its metrics describe that model; rescore with this "
            "one (`logbert score`)"
        )


def _check_verdicts(path: Path, values: np.ndarray, verdicts: np.ndarray, threshold: float) -> None:
    """Warn when the file's verdicts are not this model's at this threshold: the scores may
    come from another model (or `score --threshold`), whose scale this threshold does not fit."""
    differ = int(np.sum((values > threshold) != verdicts))
    if differ:
        say(
            f"warning: on {differ:,} of {len(values):,} rows of {path} the verdict written by "
            f"`logbert score` differs from score > {threshold:.6g}, the threshold this "
            "evaluation uses: were these scores written by another model, or with another "
            "--threshold? The metrics use this one"
        )


def _check_p_values(path: Path, values: np.ndarray, given: np.ndarray, pipeline) -> None:
    """Warn when the file's p-values are not the ones this model's calibration scores give:
    verdicts of two detectors can agree at a threshold while their scores (and so ROC-AUC)
    differ, but their p-values do not agree."""
    calibration = getattr(pipeline, "calibration_scores_", None)
    if calibration is None or not np.size(calibration):
        return
    differ, n_checked = p_value_mismatches(values, given, calibration)
    if differ:
        say(
            f"warning: on {differ:,} of {n_checked:,} rows of {path} the p_value is not "
            f"the one this model's calibration scores give: were these scores written by "
            "another model (or before `logbert calibrate`)? Its metrics describe that model; "
            "rescore with this one (`logbert score`)"
        )


def metrics_table(metrics: dict) -> Table:
    """The headline metrics as a rich table."""
    table = Table(title=f"Evaluation ({metrics['n_sessions']} sessions)")
    table.add_column("metric")
    table.add_column("value", justify="right")
    cm = metrics["confusion_matrix"]
    info = metrics["threshold_info"]
    rows = [
        ("accuracy", metrics["accuracy"]),
        ("precision", metrics["precision"]),
        ("recall", metrics["recall"]),
        ("F1", metrics["f1"]),
        ("ROC-AUC", metrics["roc_auc"]),
        ("PR-AUC", metrics["pr_auc"]),
        ("FPR", metrics["fpr"]),
    ]
    counting = metrics.get("recall_counting_them")  # labelled anomalies that became no session
    if counting is not None:  # (QA Zimbra: the table's recall 1.0000 was what users copied)
        missing = metrics["anomalies_without_session"]
        rows.insert(3, (f"recall counting {missing:,} anomalies in no session", counting))
    for name, value in rows:
        table.add_row(name, "n/a" if value is None else f"{value:.4f}")
    table.add_row("TP / FP / FN / TN", f"{cm['tp']} / {cm['fp']} / {cm['fn']} / {cm['tn']}")
    words = metrics.get("threshold_words")
    table.add_row(
        "threshold",
        words.removeprefix("threshold ") if words else
        f"{info['value']:.6g} on {info['score']} ({info['rule']})",
    )  # fmt: skip
    for kind in ("normal", "anomaly"):
        mean, sd = metrics[f"{kind}_score_mean"], metrics[f"{kind}_score_sd"]
        if mean is not None:
            table.add_row(f"{kind} score mean ± sd", f"{mean:.4f} ± {sd:.4f}")
    return table


def kinds_table(kinds: dict[str, dict]) -> Table:
    """Recall of each anomaly category the labels name (`recall_by_category`)."""
    table = Table(title="Anomalies caught, by category")
    for name in ("category", "flagged / sessions", "recall"):
        table.add_column(name, justify="left" if name == "category" else "right")
    for name, row in kinds.items():
        table.add_row(name, f"{row['flagged']:,} / {row['n']:,}", f"{row['recall']:.4f}")
    return table


def category_tables(metrics: dict) -> list[Table]:
    """The category metrics as rich tables: the summary, per class, the confusion matrix."""
    summary = Table(title=f"Categories ({metrics['target']}, {metrics['n_sessions']} sessions)")
    summary.add_column("metric")
    summary.add_column("value", justify="right")
    rows = [
        ("accuracy", metrics["accuracy"]),
        ("macro F1", metrics["macro_f1"]),
        ("micro F1", metrics["micro_f1"]),
        ("exact-match ratio", metrics["exact_match_ratio"]),
        ("partial score", metrics["partial_score"]),
        ("Hamming loss", metrics.get("hamming_loss")),
        ("validation loss", metrics.get("validation_loss")),
    ]
    for name, value in rows:
        if value is not None or name == "validation loss":
            summary.add_row(name, "n/a (not recorded)" if value is None else f"{value:.4f}")
    unseen = metrics.get("unseen_in_training") or {}
    summary.add_row("sessions with categories unseen in training", str(unseen.get("n_sessions", 0)))
    summary.caption = metrics["partial_score_means"]
    per_class = Table(title="Per class")
    for name in ("class", "precision", "recall", "F1", "support"):
        per_class.add_column(name, justify="left" if name == "class" else "right")
    for name, row in metrics["per_class"].items():
        figures = (
            "n/a" if row[k] is None else f"{row[k]:.4f}" for k in ("precision", "recall", "f1")
        )
        per_class.add_row(name, *figures, str(row["support"]))
    matrix = Table(title="Confusion matrix" + (" (true rows, predicted columns)"
                   if metrics["target"] == "multiclass" else " per class"))  # fmt: skip
    cm = metrics["confusion_matrix"]
    if metrics["target"] == "multiclass":
        matrix.add_column("true \\ predicted")
        for name in cm["labels"]:
            matrix.add_column(name, justify="right")
        for name, counts in zip(cm["labels"], cm["matrix"], strict=True):
            matrix.add_row(name, *(str(c) for c in counts))
    else:
        for name in ("class", "TP", "FP", "FN", "TN"):
            matrix.add_column(name, justify="left" if name == "class" else "right")
        for name, cell in cm.items():
            matrix.add_row(name, *(str(cell[k]) for k in ("tp", "fp", "fn", "tn")))
    return [summary, per_class, matrix]
