"""Raw log files -> sessions, in memory: the parse and sessionize stages chained for the bundle.

The same components as `logbert parse` and `logbert sessionize` (`Parser.iter_chunks`,
`Sessionizer.push`), so a model trained or scored from raw logs sees exactly the sessions the
step-by-step commands would write. Nothing is lost silently: rejected lines (that do not fit
the format) are counted and written aside when a rejects path is given; lines without a
session id and templates unknown to a frozen parser are counted in `LogReadSummary`. Time
windows get the events of all the files in time order (`sessionize_events`), so logs of
several hosts, rotated files or a log that is not sorted lose no event as late.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from logbert.errors import LogbertError
from logbert.parsing.auto import count_continuations, show_line
from logbert.parsing.clock import NEWEST_FIRST
from logbert.parsing.formats import display_name
from logbert.parsing.pipeline import Parser
from logbert.parsing.reader import name_files
from logbert.parsing.summary import (
    WARNING,
    bad_fit_warnings,
    binary_input_warning,
    continuation_hint,
    empty_message_warning,
    fits_records,
    join_continuations,
    levelless_warning,
    mostly_continuations,
    offset_first_warning,
    other_format_warning,
    problem_rejects_warning,
    raw_header_warning,
    spaced_field_warnings,
    unfit_advice,
    wordless_level_warning,
    wordless_templates_warning,
    zone_field_warnings,
)
from logbert.sessions.io import Session
from logbert.sessions.lifecycle import readable_duration
from logbert.sessions.options import by_field_hint, json_key_hint
from logbert.sessions.sessionize import SessionizerSettings, sessionize_events
from logbert.sessions.silences import SilenceRecord
from logbert.sessions.window_sessions import WindowSessionizer

# above this share of events with templates a model never saw, the logs are probably not
# the kind it was trained on (another system, or another version of it): `score` warns
MOSTLY_UNSEEN = 0.5


@dataclass
class LogReadSummary:
    """What reading raw logs saw; `line()` is the closing summary the CLI prints."""

    files: list[str] = field(default_factory=list)
    lines: int = 0
    rejected: int = 0
    continuations: int = 0  # of the rejected, lines that look like a multi-line record's rest
    blank: int = 0  # empty or whitespace-only lines: neither events nor rejects
    unmatched: int = 0
    sessions: int = 0
    new_templates: int = 0
    events: int = 0  # events with a template (lines that fit the format and a template)
    new_template_events: int = 0  # of them, events whose template no training log line had
    # events that joined no session (no id or field value, or no time for a window)
    in_no_session: int = 0
    join_hint: str = ""  # how to join the continuation lines, when most rejects are ones
    # sessions by id or field with an event earlier than one before it, and the first's id
    out_of_order: int = 0
    out_of_order_example: str | None = None
    sessionize_text: str = ""
    first_content: str | None = None  # the first event's content: what --by-id is matched on
    rejects_path: Path | None = None
    notes: list[str] = field(default_factory=list)  # the parser's: format chosen, year source
    labels_shifted: str | None = None  # the labels sit a clock offset off (`label_times`)
    # most anomalous labels came to sessions of reused ids (`repeated_anomalies_dominate`)
    labels_reused: bool = False
    # ids the labels file labels anomalous that named no session read: anomalies no figure
    # judges (their lines rejected, or matched by no --by-id)
    anomalies_without_session: int = 0
    template_counts: Counter = field(default_factory=Counter)  # events per template id
    session_keys: set = field(default_factory=set, repr=False)  # template ids in some session
    # the newest event read so far, any event (a health check after the last request too):
    # where the log ends, for which sessions may still be running
    last_event: datetime | None = None
    # time windows: every run of windows a value (or the log) wrote nothing in, and the
    # windows each value wrote (`sessions.silences`); None for other sessions
    silences: SilenceRecord | None = field(default=None, repr=False)
    # called after each chunk of lines is counted (the CLI's progress line on a terminal)
    on_chunk: Callable[[LogReadSummary], None] | None = field(
        default=None, repr=False, compare=False
    )

    def line(self) -> str:
        """The summary, after the parser's notes (one per line)."""
        text = "".join(f"{note}\n" for note in self.notes)
        text += f"{self.lines:,} lines read, {self.rejected:,} rejected"
        about = [continuation_hint(self.continuations, self.rejected, self.join_hint)]
        if self.rejected and self.rejects_path is not None:
            about.insert(0, f"kept in {self.rejects_path}")
        if any(about):
            text += f" ({'; '.join(part for part in about if part)})"
        if self.blank:
            text += f", {self.blank:,} blank"
        if self.new_templates:
            templates = "template" if self.new_templates == 1 else "templates"
            text += (
                f", {self.new_templates:,} {templates} not in the training logs (unseen keys, "
                f"in {self.new_template_events:,} of {self.events:,} events)"
            )
        return text + f"; {self.sessionize_text}"

    def mostly_unseen_warning(self) -> str | None:
        """`mostly_unseen_warning` of what was read."""
        return mostly_unseen_warning(self.new_template_events, self.events)


# events read, at least, for none of them having a known template to be an error (QA macOS: a
# model of `log show --style syslog` scored the default style's lines, F1 0.25 with exit 0); a
# few lines may all be new events of the right log
ALL_UNSEEN_MIN = 20
# this share of sessions (and at least so many) out of time order stops `train --logs` unless
# --order was chosen: a sequence model would learn an order that never happened
UNORDERED_SHARE, UNORDERED_MIN = 0.1, 20


def mostly_unseen_warning(new_events: int, events: int) -> str | None:
    """A warning when most events carry templates no training log line had (MOSTLY_UNSEEN):
    every session would then be flagged for it, which says more about the logs than about
    the sessions (`score --logs`, and `watch` at its end); or of an outage, whose lines no
    training saw (QA collectd: told to train on a graphite outage's logs)."""
    if not events or new_events <= MOSTLY_UNSEEN * events:
        return None
    return (
        f"warning: {new_events:,} of {events:,} events ({new_events / events:.0%}) carry "
        "templates no line of the training logs had: these logs may come from another system "
        "or version than the training logs; check that they are the logs this model is for, "
        "or train a model on them; or the system is failing in ways training never saw (an "
        "outage writes lines of its own: read the new templates before training on them)"
    )


def log_file_list(files: str | os.PathLike | Sequence[str | os.PathLike]) -> list:
    """The log files as a list: one path (str or Path) is a one-file list, not a sequence of
    one-character file names."""
    if isinstance(files, str | os.PathLike):
        return [files]
    return list(files)


def check_labels_map(labels: object) -> Mapping[str, str] | None:
    """`labels` when it is None or a mapping of session id -> label; a path or a list is
    refused (a CSV path would otherwise be read as one id per character)."""
    if labels is None or isinstance(labels, Mapping):
        return labels
    given = f"a {type(labels).__name__}"
    if isinstance(labels, str | os.PathLike):
        given = f"the path {str(labels)!r}"
    raise LogbertError(
        "labels must be a dict of session id -> label (read a CSV with "
        f"logbert.sessions.labels.read_labels), not {given}"
    )


def read_log_sessions(
    parser: Parser,
    settings: SessionizerSettings,
    files: str | os.PathLike | Sequence[str | os.PathLike],
    summary: LogReadSummary,
    labels: Mapping[str, str] | None = None,
    track_lines: bool = False,
    rejects_path: Path | None = None,
    judge_silences: bool = False,
) -> Iterator[Session]:
    """Sessions of `files` as the parser and sessionizer settings make them, in their order.

    `summary` is filled in as the files are read (complete once the iterator is exhausted).
    Raises when no line fits the format or no session comes out. `files`: one path or a list
    of them; `labels`: session id -> label (`check_labels_map`). Time windows record their
    silences in `summary.silences`; `judge_silences`: the caller judges them (a model's
    silence profile) and says so, so sessionizing's warnings of them are left out.
    """
    files = log_file_list(files)
    labels = check_labels_map(labels)
    summary.files = list(files)
    summary.rejects_path = rejects_path
    known = set(parser.template_map())
    known_ids = pa.array(sorted(known), pa.int64())
    sessionizer = settings.build(labels=labels, track_lines=track_lines)
    if isinstance(sessionizer, WindowSessionizer):
        sessionizer.silence_record = summary.silences = SilenceRecord()
        sessionizer.stats.silences_judged = judge_silences
    rejects = _RejectsFile(rejects_path)
    where = name_files(files)

    def events() -> Iterator[pa.Table]:
        for chunk in parser.iter_chunks(files):
            sessionizer.stats.header_fields = list(parser.fmt.fields)  # `auto`: chosen now
            summary.lines += chunk.lines
            summary.rejected += len(chunk.rejects)
            summary.continuations += count_continuations(chunk.rejects)
            summary.blank += chunk.blank
            summary.unmatched += chunk.unmatched
            rejects.write(chunk.rejects)
            ids = chunk.events["template_id"]
            n_events = len(ids) - ids.null_count
            summary.events += n_events
            if summary.first_content is None and chunk.events.num_rows:
                summary.first_content = chunk.events.column("content")[0].as_py()
            summary.template_counts.update(chunk.template_counts)
            if known:  # a frozen parser: count the events of templates it did not know
                summary.new_template_events += n_events - _count_true(pc.is_in(ids, known_ids))
            if summary.on_chunk is not None:
                summary.on_chunk(summary)
            yield chunk.events
        if mostly_continuations(summary.continuations, summary.rejected):  # as `parse` says
            summary.join_hint = join_continuations(parser.join_head)  # (QA Home Assistant)

    try:
        # time windows get the events in time order (held to the end of the files), so none
        # is lost as late when files or hosts interleave
        for session in sessionize_events(sessionizer, events(), where):
            summary.sessions += 1
            summary.session_keys.update(session.keys)
            summary.last_event = sessionizer.stats.last_event
            yield session
    finally:
        rejects.close(keep=summary.rejected > 0)
    summary.notes = [  # inputs read newest first are harmless where events go in time order
        note for note in parser.notes
        if not ((settings.in_time_order or settings.whole_files) and NEWEST_FIRST in note)
    ]  # fmt: skip
    parser.check_timestamps()  # a format whose timestamps fail on every line is an error
    summary.new_templates = len(set(parser.template_map()) - known) if known else 0
    if known:
        summary.notes.extend(_unjudged_new_templates(summary, parser, known, settings))
    stats = sessionizer.stats
    summary.in_no_session = stats.n_in_no_session
    summary.last_event = stats.last_event
    summary.out_of_order = stats.n_out_of_order
    summary.out_of_order_example = stats.out_of_order_example
    summary.sessionize_text = stats.summary(by_window=settings.window is not None)
    if summary.lines == summary.blank:  # nothing to parse: the session settings are not at fault
        held = "holds no lines" if summary.lines == 0 else (
            f"holds only blank lines ({summary.lines:,})"
        )  # fmt: skip
        raise LogbertError(
            f"{where} {held}: no log record to read; check the path (a log rotated away, or "
            "one not yet written?)"
        )
    if summary.rejected and summary.rejected == summary.lines - summary.blank:
        remedy = (
            "score logs written like the model's training logs, or train a model on these"
            if parser.is_models
            else unfit_advice(parser)  # QA: `parse` named `--format json`, train did not
        )
        raise LogbertError(
            f"no line of {where} fits the log format {quoted_format_name(parser)} "
            f"({summary.lines:,} lines rejected): {remedy}"
        )
    # most lines (or a whole file) lost: the counts alone went unnoticed in train/score
    bad_fit = bad_fit_warnings(
        parser, summary.rejected, summary.lines, summary.blank, rejects_path,
        summary.continuations,
    )  # fmt: skip
    bad_fit += other_format_warning(
        parser, summary.rejected, summary.lines, summary.continuations
    )
    where_rejects = f" (see {rejects_path})" if rejects_path is not None else ""
    joined = mostly_continuations(summary.continuations, summary.rejected)  # the join is said
    bad_fit += problem_rejects_warning(
        parser, bad_fit, where_rejects, summary.continuations if joined else 0
    )
    bad_fit += binary_input_warning(parser)
    bad_fit += spaced_field_warnings(parser) + raw_header_warning(parser)
    bad_fit += empty_message_warning(parser) + wordless_level_warning(parser)
    bad_fit += levelless_warning(parser) + offset_first_warning(parser)
    bad_fit += zone_field_warnings(parser)
    if not known:  # (training: the templates are mined from these logs)
        bad_fit += wordless_templates_warning(parser.template_map(), summary.template_counts)
    if known and summary.events >= ALL_UNSEEN_MIN and summary.new_template_events == summary.events:
        raise LogbertError(
            f"none of the {summary.events:,} events of {where} has a template the model's "
            "training logs had: these are not the logs this model knows (another system, or "
            "another layout of its logs: the model reads them with format "
            f"{quoted_format_name(parser)}), so every session would be flagged for that "
            "alone; score logs written like the training logs, or train a model on these"
        )
    if summary.sessions == 0:
        raise _no_sessions(summary, settings, parser, where, bad_fit)
    summary.notes += bad_fit
    stats.check_late(where)
    if stats.labels_shift is not None and parser.times_carry_offsets():
        stats.labels_warning = stats.labels_shift.warning(log_has_offsets=True)
    elif stats.labels_shift is not None and parser.fmt.timezone is not None:
        stats.labels_warning = stats.labels_shift.warning(log_timezone=parser.fmt.timezone)
    summary.notes.extend(stats.warnings(settings.by_id))
    summary.labels_shifted = stats.labels_warning if stats.labels_shift is not None else None
    summary.anomalies_without_session = stats.n_labels_unused_anomalous
    summary.labels_reused = stats.repeated_anomalies_dominate()
    unseen = summary.mostly_unseen_warning()
    if unseen is not None:
        summary.notes.append(unseen)


def unordered_training_error(
    settings: SessionizerSettings, summary: LogReadSummary
) -> LogbertError | None:
    """The error that stops training when many sessions by id or field hold events out of time
    order and no `--order` was chosen (None otherwise): files of several hosts or services read
    one after another put each session's lines of the second file after all of the first's,
    so the model learns that order as normal (QA Keycloak: two nodes' files, 71% of sessions
    out of order, 20 minutes of training, a token used after logout caught 0 of 6 times, exit
    0 with a warning). Said before the training, with both ways on: the user knows which order
    the lines mean."""
    n, total = summary.out_of_order, summary.sessions
    if settings.order is not None or settings.in_time_order:
        return None
    if n < UNORDERED_MIN or n < UNORDERED_SHARE * total:
        return None
    return LogbertError(
        f"{n:,} of {total:,} sessions ({n / total:.0%}) have events out of time order (e.g. "
        f"session {summary.out_of_order_example!r}): their events keep the input line order, "
        "so a model trained on them learns an order that never happened (files of several "
        "hosts or services are read one after another). Choose the order before training: "
        "--order time takes each session's events by timestamp (several hosts' or services' "
        "files, rotated files); --order lines keeps the input order (one log whose line order "
        "is the one meant). Where an id is reused (process ids), put the host in it "
        "(--by-field Host,Pid) or pass --idle-timeout"
    )


def _unjudged_new_templates(
    summary: LogReadSummary, parser: Parser, known: set, settings: SessionizerSettings
) -> list[str]:
    """A warning when templates a model never saw are in no session: their lines joined none
    (no session id, no value of the field, no timestamp), so no verdict judges them, and the
    strongest evidence a log has goes unseen (QA: Postfix's `NOQUEUE: reject: ... Relay access
    denied` names no queue id). Sessions by id are told of time windows, which hold every
    line (QA Vault: raft, audit and seal lines name no lease; F1 1.000 below the warning)."""
    templates = parser.template_map()
    outside = set(templates) - known - summary.session_keys
    counts = summary.template_counts
    n_events = sum(counts.get(tid, 0) for tid in outside)
    if not n_events:
        return []
    top = max(outside, key=lambda tid: counts.get(tid, 0))
    several = f"{len(outside):,} templates" if len(outside) > 1 else "1 template"
    return [
        f"warning: {n_events:,} events of {several} the model never saw are in no session "
        f"(their lines joined none), so no verdict judges them; e.g. {show_line(templates[top])} "
        f"({counts.get(top, 0):,} events). Look at them (`logbert parse` of these logs lists "
        "the templates), or choose session settings that include them"
        + (
            ": a second model by time windows judges every line (e.g. `logbert train ... "
            "--by-field source --window 5m`)"
            if settings.by_id and not settings.window
            else ""
        )
    ]


def _no_sessions(
    summary: LogReadSummary,
    settings: SessionizerSettings,
    parser: Parser,
    where: str,
    bad_fit: list[str],
) -> LogbertError:
    """The error for logs that made no session. When the format missed most lines (not only
    the continuation lines of multi-line records), that comes first, with the bad-fit
    warning's advice (without the rejects file: `train` removes it with a failed model):
    the few lines it read say little about the session settings. The parser's notes (the
    format `--format auto` chose, where years came from) and the `bad_fit` warnings the
    message does not hold ride along as the error's notes (`add_note`), for the CLI to print
    before it."""
    lines, rejected, blank = summary.lines, summary.rejected, summary.blank
    notes = summary.notes + bad_fit
    misfit = []  # most of all lines rejected, not only a small file of several
    if rejected * 2 > lines - blank and not fits_records(
        rejected, lines, blank, summary.continuations
    ):
        misfit = bad_fit_warnings(parser, rejected, lines, blank)
    if misfit:
        fit = "; ".join(w.removeprefix(WARNING) for w in misfit)
        notes = summary.notes
        message = (
            f"no session in {where} ({lines:,} lines): {fit}; of the {lines - blank - rejected:,} "
            f"lines it read: {summary.sessionize_text}; fix the format first, then check the "
            f"session settings ({settings.describe()}) if still no session comes out"
        )
    else:
        message = (
            f"no session in {where} ({lines:,} lines): "
            f"{summary.sessionize_text}; check the session settings ({settings.describe()})"
            + _by_id_hint(settings, parser, summary.first_content)
        )
    error = LogbertError(message)
    for note in notes:
        error.add_note(note)
    return error


def _by_id_hint(
    settings: SessionizerSettings, parser: Parser, first_content: str | None = None
) -> str:
    """Where --by-id looks (the content after the header, quoted from the first event: JSON
    lines' fields are `name=value` words there, QA: a regex written for `"trace_id": "..."`
    matched nothing and the error showed no content) and the header fields a session may
    come from instead, for the "no session" error."""
    if settings.by_id is None:
        return ""
    hint = "; --by-id is matched against each line's content, after the header"
    if first_content:
        hint += f" (the first event's: {show_line(first_content)})"
    clause = by_field_hint(parser.fmt.fields)
    return (f"{hint}: {clause}" if clause else hint) + json_key_hint(settings.by_id)


def _count_true(mask: pa.ChunkedArray | pa.Array) -> int:
    return int(pc.sum(mask).as_py() or 0)


class _RejectsFile:
    """Rejected lines, tab-separated like `logbert parse` writes them; removed if none."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.handle = None
        if path is not None:
            self.handle = open(path, "w", encoding="utf-8")  # noqa: SIM115 (closed in close())
            self.handle.write("source\tline_no\tline\n")

    def write(self, rows: list[tuple[str, int, str]]) -> None:
        if self.handle is not None:
            self.handle.writelines(f"{s}\t{n}\t{text}\n" for s, n, text in rows)

    def close(self, keep: bool) -> None:
        if self.handle is not None:
            self.handle.close()
            if not keep:
                os.unlink(self.path)


def format_name(parser: Parser) -> str:
    """The parser's log format by name (`hadoop`, also for `--format auto`), or its format
    string, quoted, as the user wrote it (not with its field brackets escaped: QA nginx and
    Cassandra were shown `'<Level> \\[<Thread>\\] ...'`)."""
    return display_name(parser.fmt)


def quoted_format_name(parser: Parser) -> str:
    """`format_name` in quotes, a built-in name too (`'hdfs'`)."""
    name = format_name(parser)
    return name if name.startswith("'") else f"'{name}'"


# a few anomalous sessions begin oddly too (1 of 11,501 HDFS blocks); a log cut while
# sessions run cuts many (1,130 of 7,206 HDFS blocks of a later half-day file): warn from 1%
EARLIER_STARTS_SHARE = 0.01
# ... or from this many, however many sessions there are (QA PBS: 9 jobs queued before the
# scored days, 0.6% of 1,549, were 9 of 12 false alarms, unsaid)
EARLIER_STARTS_ENOUGH = 5
BATCH_ADVICE = (
    "Score the files together (oldest first, in one --logs run), or follow the log with "
    "`logbert watch --state-dir`"
)


class EarlierStarts:
    """Counts the sessions that may have begun before the logs read: they begin with a key no
    training session begins with (`first_keys`) and started within the normal session
    `lifetime` (seconds) of the earliest session seen. Scoring yesterday's model on today's
    file cuts every session that spans midnight: its first events lie in yesterday's file, and
    the model judges their absence (the mirror of a session still open at the log's end).
    Batch reads (`note_earlier_starts`) and live streams (`serving.engine`) share it; its
    state is plain JSON (`to_dict`), so a resumed stream keeps counting."""

    def __init__(
        self, first_keys: set[int], lifetime: float, known_keys: frozenset[int] | None = None
    ) -> None:
        self.first_keys = first_keys
        self.lifetime = lifetime
        # the keys the model's parser knows: a session whose first key is a template new since
        # training is no cut beginning (QA: a newer version's reworded first line was blamed
        # on "an earlier file"); None: every key counts
        self.known_keys = known_keys
        self.seen = 0
        self.earliest: datetime | None = None
        self.odd: list[tuple[datetime, str, int]] = []  # (start, session id, first key)

    def add(self, session: Session) -> None:
        self.seen += 1
        start = session.start
        if start is None:
            return
        self.earliest = start if self.earliest is None else min(self.earliest, start)
        if not len(session.keys) or int(session.keys[0]) in self.first_keys:
            return
        if self.known_keys is not None and int(session.keys[0]) not in self.known_keys:
            return
        if (start - self.earliest).total_seconds() < self.lifetime:  # later ones never count
            self.odd.append((start, session.session_id, int(session.keys[0])))

    def warning(self, advice: str = BATCH_ADVICE) -> str | None:
        """`warning: ...` once at least 1% (and 2) of the sessions seen, or 5, begin oddly near
        the start, else None; `advice` says what to do where it is printed."""
        if self.earliest is None:
            return None
        near = [o for o in self.odd if (o[0] - self.earliest).total_seconds() < self.lifetime]
        if len(near) < max(2, min(EARLIER_STARTS_SHARE * self.seen, EARLIER_STARTS_ENOUGH)):
            return None
        _, example, key = min(near)
        return (
            f"warning: {len(near):,} of {self.seen:,} sessions begin with an event no training "
            f"session begins with (e.g. session {example!r}, key {key}) and started within the "
            f"normal session lifetime ({readable_duration(self.lifetime)}) of the logs' first "
            "session: they may have begun before these logs, in an earlier file (or the "
            "logs lack a file of another service that the training logs had), and their "
            "missing beginning is judged like an anomaly; if no earlier log names them, they "
            f"began out of order here and are anomalies as scored. {advice}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "seen": self.seen,
            "earliest": None if self.earliest is None else self.earliest.isoformat(),
            "odd": [[start.isoformat(), sid, key] for start, sid, key in self.odd],
        }

    def restore(self, state: dict[str, Any]) -> EarlierStarts:
        """Continue from `to_dict()` output; returns self."""
        self.seen = int(state["seen"])
        earliest = state["earliest"]
        self.earliest = None if earliest is None else datetime.fromisoformat(earliest)
        self.odd = [(datetime.fromisoformat(s), str(i), int(k)) for s, i, k in state["odd"]]
        return self


def note_earlier_starts(
    sessions: Iterator[Session], starts: EarlierStarts, summary: LogReadSummary
) -> Iterator[Session]:
    """`sessions` as they come, counted by `starts`; once they are all read, its warning (if
    any) in `summary.notes`."""
    for session in sessions:
        starts.add(session)
        yield session
    warning = starts.warning()
    if warning is not None:
        summary.notes.append(warning)
