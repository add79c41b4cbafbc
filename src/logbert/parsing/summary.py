"""The writing side of `parse`: events parquet, templates.csv and rejects file, and the
closing summary (`ParseSummary`).

`write_run` only writes what `Parser.iter_chunks` yields, so computing stays in the parser.
Outputs are written under temporary names and renamed only when the whole run succeeded, so an
error (e.g. a truncated .gz) never leaves half-written files; `check_output` refuses outputs
that cannot be written before any parsing. A run that writes no event (empty or binary input,
every line rejected) is an error, and so is one with `--templates FILE` where no event matches a
template of FILE (every template_id would be null). A format that does not fit the logs (most
non-blank lines rejected; with several inputs: a file it does not fit) gets warnings that name
formats that would, and a template list most events do not match gets one too
(`fit_warnings`). Blank lines are counted apart in the summary (`, 6 blank`), never as rejects.
"""

from __future__ import annotations

import base64
import csv
import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from logbert.errors import LogbertError
from logbert.parsing.auto import (
    NAMED_INPUTS,
    ONE_WORD_FIELDS,
    SUGGEST_FIT,
    _suggestion,
    blank_records_hint,
    count_continuations,
    looks_binary,
    looks_like_continuation,
    rank_formats,
    record_lines,
    show_line,
    suggest_formats,
    time_only_hint,
)
from logbert.parsing.chunk import ParsedChunk
from logbert.parsing.formats import (
    BUILTIN_FORMATS,
    ISO_8601,
    LEVEL_FIRST_WORDS,
    LogFormat,
    display_name,
    regex_text_hint,
    resolve_format,
)
from logbert.parsing.mask_symbols import WILDCARD
from logbert.parsing.reader import name_files, source_names
from logbert.parsing.splitter import split_lines
from logbert.parsing.state import save_miner
from logbert.parsing.templates import TEMPLATE_SET_KEY, template_set

if TYPE_CHECKING:  # annotations only: the parser module imports this one, never the reverse
    from logbert.parsing.pipeline import Parser, RowCount

WARNING = "warning: "  # notes that start so are warnings (`parse` lists them with the others)
# what to do when a `--templates` list does not fit the logs (an error or a warning)
OTHER_TEMPLATES = (
    "pass the template list of the system that wrote these logs, or leave out --templates to "
    "mine templates"
)


def mostly_continuations(continuations: int, rejected: int) -> bool:
    """Whether more than half of the `rejected` lines look like continuation lines
    (`auto.looks_like_continuation`)."""
    return continuations * 2 > rejected > 0


def fits_records(rejected: int, lines: int, blank: int, continuations: int) -> bool:
    """Whether a format that rejected `rejected` of `lines` lines (`blank` of them blank)
    fits the records of multi-line logs: most rejects look like continuation lines
    (`continuations` of them) and it reads at least half of the other non-blank lines."""
    records = lines - blank - continuations
    other = rejected - continuations  # rejects that are not a record's continuation
    return mostly_continuations(continuations, rejected) and other * 2 <= records


def continuation_hint(continuations: int, rejected: int, how: str = "") -> str:
    """A clause for a summary's rejected count: `records_hint` where most `rejected` lines look
    like continuation lines, else `own_lines_hint` ("" when none was rejected)."""
    return records_hint(continuations, rejected, how) or own_lines_hint(continuations, rejected)


def records_hint(continuations: int, rejected: int, how: str = "") -> str:
    """A clause for a summary's rejected count when most `rejected` lines look like
    continuation lines (`mostly_continuations`), else "": the rejects file holds them, but
    without a word users take the count for lines of another format, and miss that a problem
    shown only in a stack trace is not judged. `how`: the commands that join them."""
    if not mostly_continuations(continuations, rejected):
        return ""
    what, them = "look like continuation lines of multi-line records, e.g. stack traces", "them"
    if continuations == 1:
        what = "looks like a continuation line of a multi-line record, e.g. a stack trace"
        them = "it"
    other = rejected - continuations  # lines of their own the format does not read (QA:
    # PostgreSQL's checkpointer lines, without the user@db of the format string)
    rest = ""
    if other:
        are = "is a line of its own" if other == 1 else "are lines of their own"
        rest = f"; the other {other:,} {are} that the format does not read"
    return (
        f"{continuations:,} {what}: logbert reads one event per line and does not judge {them}, "
        "so a problem shown only there goes unseen unless each record is joined into one line "
        f"first{f' ({how})' if how else ''}{rest}"
    )


def own_lines_hint(continuations: int, rejected: int) -> str:
    """A clause for a summary's rejected count when most `rejected` lines look like no
    stack trace's, else "": what they mean (QA Frigate: s6-overlay's undated `s6-rc: info:
    service frigate: stopping` lines, an unplanned restart, were "14 rejected" and nothing
    more), and no claim that they are events (QA Kylin: a query's multi-line record)."""
    own = rejected - continuations
    if not own or mostly_continuations(continuations, rejected):
        return ""
    are, they, them = ("is a line", "it", "it") if own == 1 else ("are lines", "they", "them")
    continues = "continues" if own == 1 else "continue"
    return (
        f"{own:,} {are} the format does not read, no stack trace's: no detector judges "
        f"{them}; where {they} {continues} the record before {them}, join each record into "
        f"one line first, else a format string that fits {them} too reads {them}"
    )


# how to join continuation lines to the record before them (QA ASP.NET Core: each record's
# message is on indented lines after its `info: Category[14]` header; QA Laravel: Monolog's
# `[stacktrace]` and `#0 ...` lines start with no white space) (mawk-safe: Debian's default).
# A record starts as the log's first dated line does: Spark's `26/11/30 10:00:00` is no
# `2026-11-30` (QA: the awk for a four-digit year joined a whole Spark log into one line)
# ... or as klog's level letter and date do, `E1203 00:35:00.881360` (QA kubelet: a value
# written over lines, `err=<` ... ` >`, was told to join by a four-digit year's date, which
# no klog line starts with)
# (... and a month's name before its day, Nextflow's `Dec-05 10:00:03.456`: QA, the advice
# looked for a four-digit year, and its join made a whole run one line)
# (... and a day's and a month's names, Apache's error log `[Tue Dec 03 10:40:00.100000 2024]`:
# QA Moodle, its PHP records' indented `  0 => 1733222400,` lines made the start, and the join
# glued 147 lines of unrelated requests into 25 records)
_DAY_MONTH = (
    r"\[?(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
)
_DATED_START = re.compile(
    r"\[?[0-9][^\s\]]{0,9}|[IWEF][0-9]{4,6}(?= )|[A-Z][a-z]{2}-[0-9]{1,2}(?= )|" + _DAY_MONTH
)
_ANY_DATE = r"\[?[0-9][0-9][0-9][0-9][-\/.][0-9][0-9][-\/.][0-9][0-9]"  # without a first line
_AWK_SPECIAL = set("/.[]()*+?^$|{}\\")
_DIGITS_RUN = re.compile(r"(?:\[0-9\])+")
_RECORD_MARK = re.compile(r"[^\w\s\[(]{2,}")
_NAMED_DATE_START = re.compile(r"\[[^\]\s]+\]\[[0-9]{4}-")
_NAMED_DATE = "\\[[^]]*\\]\\[[0-9]"  # ... and its awk pattern
_BRACKETED_LEVEL = re.compile(r"\[[A-Za-z]+\] ")
_LOGFMT_START = re.compile(r"[A-Za-z_][\w.-]*=\S")  # `ts=2026-...`, `level=info`, `time="..."`
_SYSLOG_START = re.compile(
    r"\[?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +[0-9]{1,2} [0-9]"
)
_LEVEL_START = "\\[[A-Za-z]+\\]"  # its awk pattern
_RUBY_START = re.compile(r"[A-Z], \[[0-9]")
# ... and a level word first, logback's `%-5level [%thread] %date` (Cassandra's `WARN  [...]`)
_LEVEL_WORD_START = f"({LEVEL_FIRST_WORDS}) "
_CATEGORY_LEVEL_START = "\\[[a-z_]+:[a-z]+,"  # awk's and Python's


def _record_start(head: Sequence[str]) -> str:
    """An awk pattern for how the dated lines of `head` most often start (the first word, at
    most ten characters, letters as classes, each run of digits as any number of them: QA
    Windows DNS, `11/3/2026` gave a pattern `11/10/2026` did not fit, and the join glued every
    later day's lines onto one record; the most common, not the first: QA Guacamole, Tomcat's
    one `06-Dec-2024 ...` line before logback's `08:00:00.000 [...]` records made a pattern
    none of them fit, and the join one line of the whole log), else a four-digit year's date."""
    starts: Counter[str] = Counter()
    for line in head:
        dated = _DATED_START.match(line.lstrip(" \t"))
        if dated:
            # ... after the white space it may start with, Zabbix's right-aligned pid
            # (`  1225:20251125:011240.113 ...`: QA, the advice looked for an ISO date)
            indent = "[ \\t]*" if line[:1] in (" ", "\t") else ""
            starts[indent + _DIGITS_RUN.sub("[0-9]+", "".join(
                "[0-9]" if c.isdigit() else "[A-Za-z]" if c.isalpha() else _awk_text(c)
                for c in dated.group(0)
            ))] += 1  # fmt: skip
    # a record starts at the line's start where any does: an indented number is more often a
    # record's rest (a PHP array's `  0 => ...`) than a record, unless records start so
    # indented or not (Zabbix's right-aligned pids), then the indent is optional
    indent = "[ \\t]*"
    records = Counter({start: n for start, n in starts.items() if not start.startswith(indent)})
    for start, n in starts.items():
        if start.startswith(indent) and start[len(indent) :] in records:
            records[start] = n + records.pop(start[len(indent) :])
    if starts:
        return (records or starts).most_common(1)[0][0]  # (the first met among equals)
    # ... or the marks a record starts with, WebLogic's `####<Dec 4, 2026 ...` (QA: the advice
    # looked for an ISO date, and its join glued every record onto none)
    marked = _RECORD_MARK.match(head[0]) if head else None
    if marked:
        return "".join(_awk_text(c) for c in marked.group(0))
    # ... or Ruby Logger's level letter before its bracketed time, `E, [2024-05-13T06:00:04
    # #5884]` (QA Zammad: the advice looked for a date at the start, which no record has)
    if head and _RUBY_START.match(head[0]):
        return "[A-Z], \\[[0-9]"
    # ... or a syslog date, Asterisk's `[Dec  3 20:08:57] VERBOSE[...]` (QA: the advice looked
    # for an ISO date, and its join made the whole log one line)
    if head and _SYSLOG_START.match(head[0]):
        return "\\[?[A-Z][a-z][a-z] +[0-9]+ [0-9]"
    # ... or its level in brackets, CouchDB's `[notice] 2026-12-03T04:45:26Z ...` (QA: the
    # advice looked for a date at the start, and its join made the whole log one line)
    if head and _BRACKETED_LEVEL.match(head[0]):
        return _LEVEL_START
    # ... or a level word, Cassandra's `INFO  [main] 2026-12-03 ...` (QA: the date's join made
    # the whole log one line)
    if head and re.match(_LEVEL_WORD_START, head[0]):
        return _LEVEL_WORD_START
    # ... or Couchbase ns_server's `[ns_server:debug,2026-12-03T00:01:36.551Z,...]` (QA: the
    # date's join made the whole log one line)
    if head and re.match(_CATEGORY_LEVEL_START, head[0]):
        return _CATEGORY_LEVEL_START
    # ... or a bracketed name before a bracketed date, Pritunl's `[pritunl-vpn1][2026-12-05 ...]`
    # (QA: the date's join made the whole log one line)
    if head and _NAMED_DATE_START.match(head[0]):
        return _NAMED_DATE
    return _ANY_DATE


def _awk_text(c: str) -> str:
    """A character as awk's regex reads it literally."""
    return "\\" + c if c in _AWK_SPECIAL else c


# `log show`'s header and its own lines (a predicate's echo, the closing counts): records of
# their own for the join, which had glued the closing counts onto the last event, a new
# template in every file joined so (QA macOS)
_LOG_SHOW_HEADER = re.compile(r"Timestamp +Thread +Type")
_LOG_SHOW_OWN = "Timestamp |Filtering |Skipping |-----|Log +- |Activity +- "


def _join_by_record_start(start: str) -> str:
    """The awk command that joins each line to the record before it, a record starting as
    the awk pattern `start` (`_record_start`) says."""
    how = {_LEVEL_START: "its level in brackets", _CATEGORY_LEVEL_START: "its category and "
           "level in brackets", _LEVEL_WORD_START: "its level",
           _NAMED_DATE: "a name and a date in brackets"}.get(start, "a date")  # fmt: skip
    return (
        f"where each record starts with {how}, awk '/^{start}/ "
        """{ if (r != "") print r; r = $0; next } { r = r " " $0 } END { if (r != "") print r }' """
        "LOG > joined.log"
    )


def join_continuations(head: Sequence[str] = ()) -> str:
    """Two awk commands that join continuation lines to their record (`head`: the log's
    first lines, whose first dated line shows how a record starts); the one that joins
    indented lines only where records do not start with white space themselves (QA Zabbix:
    every record does, and the join glued thousands of them into one line)."""
    # (half of the first lines or more, not the first alone: Rocket.Chat's startup box before
    # its JSON records made the box's border the record start, and the join one line of 2.4
    # MB: QA)
    if head and sum(line.lstrip().startswith("{") for line in head) * 2 >= len(head):
        # a JSON record joined with the text after it is no JSON: following the join, a Go
        # panic's zap record took its traceback and was rejected (QA etcd: the crash's one
        # record lost, "1 rejected")
        return (
            "JSON records cannot take the lines after them and stay JSON: those lines (a Go "
            "panic's goroutine traceback, a program's own prints) stay in the rejects file; "
            "grep -v '^{' LOG shows them"
        )
    if head and sum(bool(_LOGFMT_START.match(line)) for line in head) * 2 >= len(head):
        # ... nor logfmt's, whose lines start with no
        # date: the date's join made a whole log one line (QA Prometheus)
        return (
            "logfmt records (`ts=... level=... msg=...`) take no lines after them: those lines "
            "(a Go panic's goroutine traceback, a program's own prints) stay in the rejects "
            "file; grep -v '=' LOG shows most of them"
        )
    start = _record_start(head)
    if head and _LOG_SHOW_HEADER.match(head[0]):  # `log show`'s own lines stay lines
        start = f"({start}|{_LOG_SHOW_OWN})"
    by_date = _join_by_record_start(start)
    if start.startswith("[ \\t]*"):
        return by_date
    return by_date + (
        """; where its other lines start with white space, awk '/^[ \\t]/ { """
        """sub(/^[ \\t]+/, " "); r = r $0; next } { if (NR > 1) print r; r = $0 } END { print """
        """r }' LOG > joined.log"""
    )


@dataclass
class ParseSummary:
    """Counts for the closing summary line, and warnings when the format does not fit."""

    lines: int = 0
    events: int = 0
    rejected: int = 0
    continuations: int = 0  # of the rejected, lines that look like a multi-line record's rest
    blank: int = 0  # empty or whitespace-only lines: neither events nor rejects
    directives: int = 0  # a W3C or Zeek file's `#` directives: neither events nor rejects
    undecodable: int = 0
    unmatched: int = 0
    seconds: float = 0.0
    template_counts: Counter = field(default_factory=Counter)
    last_chunk: int = 0
    timestamps: int = 0  # events with a timestamp
    timed: bool = False  # whether the format reads timestamps (events without one are counted)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # format choice, year source, rollovers
    join_hint: str = ""  # how to join the continuation lines (`join_continuations`), if any

    @property
    def no_records(self) -> int:
        """Lines that are neither events nor rejects: blank lines and W3C directives."""
        return self.blank + self.directives

    @property
    def templates(self) -> int:
        return len(self.template_counts)

    def add(self, chunk: ParsedChunk) -> None:
        self.lines += chunk.lines
        self.last_chunk = chunk.lines
        self.undecodable += chunk.undecodable
        self.rejected += len(chunk.rejects)
        self.continuations += count_continuations(chunk.rejects)
        self.blank += chunk.blank
        self.directives += chunk.directives
        self.unmatched += chunk.unmatched
        self.events += chunk.events.num_rows
        self.template_counts.update(chunk.template_counts)
        ts = chunk.events.column("timestamp")
        self.timestamps += len(ts) - ts.null_count

    def line(self) -> str:
        templates = "template" if self.templates == 1 else "templates"
        text = f"{self.lines:,} lines, {self.templates:,} {templates}, {self.rejected:,} rejected"
        hint = continuation_hint(self.continuations, self.rejected, self.join_hint)
        if hint:
            text += f" ({hint})"
        if self.blank:
            text += f", {self.blank:,} blank"
        if self.directives:
            text += f", {self.directives:,} directive{'s' if self.directives > 1 else ''}"
        if self.unmatched:
            text += f", {self.unmatched:,} unmatched"
        if self.undecodable:
            # not UTF-8: a Windows server's ANSI log most often (QA DHCP: `JÜRGEN-PC` read
            # as `J\ufffdRGEN-PC` in session ids, with no word of how to read it)
            text += (
                f", {self.undecodable:,} with undecodable bytes (replaced; not UTF-8: for a "
                "Windows ANSI log, iconv -f cp1252 -t utf-8 LOG > LOG.utf8)"
            )
        if self.timed and 0 < self.timestamps < self.events:
            text += f", {self.events - self.timestamps:,} without a timestamp"
        rate = self.lines / self.seconds if self.seconds > 0 else 0.0
        return text + f" ({self.seconds:.1f} s, {rate:,.0f} lines/s)"


def output_paths(output: Path) -> tuple[Path, Path]:
    """(templates.csv, rejects file) beside the events file."""
    stem = output.name[: -len(".parquet")] if output.name.endswith(".parquet") else output.name
    return output.with_name("templates.csv"), output.with_name(f"{stem}.rejects.txt")


def check_output(output: Path, state: Path | None = None) -> None:
    """Refuse, before any parsing, outputs that cannot be written (LogbertError naming them)."""
    parent = output.parent
    if not parent.exists():
        raise LogbertError(f"output folder {parent} does not exist: create it first")
    if not parent.is_dir():
        raise LogbertError(
            f"output {output}: its folder {parent} is a file, not a folder: pass an output path "
            "inside a folder"
        )
    if output.is_dir():
        raise LogbertError(f"output {output} is a folder: pass a file name such as events.parquet")
    for beside in output_paths(output):
        if beside.is_dir():
            raise LogbertError(
                f"{beside} (written beside the output {output.name}) is a folder: pass an "
                "output in another folder, or move that folder away"
            )
    if not os.access(parent, os.W_OK | os.X_OK):
        raise LogbertError(f"output folder {parent} is not writable: pass an output path elsewhere")
    if state is not None:
        if state.is_dir():
            raise LogbertError(
                f"state file {state} is a folder: pass a file name such as state.json"
            )
        if not state.parent.is_dir():
            raise LogbertError(
                f"state file {state}: its folder {state.parent} does not exist or is a file"
            )


def write_run(
    run: Parser,
    inputs: list[str],
    output: Path,
    state: Path | None,
    on_progress: Callable[[int], None] | None,
    block_bytes: int,
) -> ParseSummary:
    """Write what `run` parses from `inputs` into `output` (+ templates.csv and rejects file),
    and the miner into `state` when given; see the module doc."""
    templates_csv, rejects = output_paths(output)
    tmp = {p: p.with_name(f".{p.name}.partial") for p in (output, templates_csv, rejects)}
    summary = ParseSummary()
    start = time.perf_counter()
    writer: pq.ParquetWriter | None = None
    written: dict[int, str] = {}  # each template id's text as first written

    def open_writer() -> pq.ParquetWriter:  # once the format is known (`--format auto`)
        try:
            return pq.ParquetWriter(tmp[output], run.schema, **_writer_options(run.fmt))
        except OSError as exc:
            raise LogbertError(f"cannot write beside {output}: {exc}") from exc

    try:
        try:
            rej = open(tmp[rejects], "w", encoding="utf-8")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise LogbertError(f"cannot write beside {output}: {exc}") from exc
        try:
            with rej:
                rej.write("source\tline_no\tline\n")
                for chunk in run.iter_chunks(inputs, on_progress, block_bytes):
                    summary.add(chunk)
                    if chunk.rejects:
                        rej.writelines(f"{s}\t{n}\t{line}\n" for s, n, line in chunk.rejects)
                    if writer is None:
                        writer = open_writer()
                    if chunk.events.num_rows:
                        writer.write_table(chunk.events)
                        _note_texts(written, chunk.events)
                if summary.events == 0:
                    raise LogbertError(_no_events(run, summary, inputs))
                almost_none = _reads_almost_none(run, summary)
                if almost_none:
                    raise LogbertError(almost_none)
                if run.matcher is not None and summary.unmatched == summary.events:
                    raise LogbertError(_no_template_matched(run, summary, inputs))
                if writer is None:
                    writer = open_writer()
                _add_template_set(writer, run)
        finally:
            if writer is not None:
                writer.close()
        _refresh_template_texts(tmp[output], written, run)
        _write_templates(run, summary, tmp[templates_csv])
        if state is not None and run.matcher is None:
            save_miner(run.miner, state)
        for final, partial in tmp.items():
            if final == rejects and not summary.rejected:  # kept when there are any (QA
                final.unlink(missing_ok=True)  # chrony: a file of its header line alone)
                continue  # (an earlier run's file of rejects went with it: none now)
            os.replace(partial, final)
    finally:
        for partial in tmp.values():
            partial.unlink(missing_ok=True)
    summary.seconds = time.perf_counter() - start
    summary.timed = run.fmt.timestamp is not None
    notes = run.notes
    summary.notes = [n for n in notes if not n.startswith(WARNING)]
    summary.warnings = [n for n in notes if n.startswith(WARNING)]
    summary.warnings += fit_warnings(run, summary, rejects)
    # the way to judge stack traces, where no warning gave it (QA WildFly, Trino, uWSGI: the
    # summary said to join the records, not how)
    if mostly_continuations(summary.continuations, summary.rejected) and not any(
        "joined.log" in w for w in summary.warnings
    ):
        summary.join_hint = join_continuations(run.join_head)
    return summary


def _note_texts(written: dict[int, str], events: pa.Table) -> None:
    """Record the text each template id was first written with (`_refresh_template_texts`)."""
    pairs = events.select(["template_id", "template"]).group_by(["template_id", "template"])
    for tid, text in zip(*pairs.aggregate([]).to_pydict().values(), strict=True):
        if tid is not None:
            written.setdefault(int(tid), text)


def _refresh_template_texts(path: Path, written: dict[int, str], run: Parser) -> None:
    """Rewrite the events file's `template` column where a template generalised after its
    first rows were written, so that one id has one text, templates.csv's (QA Vault: 6 of 73
    ids had two texts, split by input file, and grouping by `template` counted wrong), and
    those rows' `params` by the final text (QA supervisord: `exited: <*> (...)` held no
    param for the program whose lines came before the name became a variable). Most runs
    have nothing to rewrite; a rewrite streams the file once."""
    final = run.template_map()
    stale = {tid: final[tid] for tid, text in written.items() if final.get(tid, text) != text}
    if not stale:
        return
    ids, texts = pa.array(list(stale), pa.int64()), pa.array(list(stale.values()), pa.string())
    source = pq.ParquetFile(path)
    fresh = path.with_name(path.name + ".fresh")
    writer = pq.ParquetWriter(fresh, source.schema_arrow, **_writer_options(run.fmt))
    try:
        for batch in source.iter_batches():
            tid = pc.cast(batch.column("template_id"), pa.int64())
            where = pc.index_in(tid, value_set=ids)
            column = pc.coalesce(pc.take(texts, where), batch.column("template"))
            index = batch.schema.get_field_index("template")
            batch = batch.set_column(index, "template", column)
            rows = np.flatnonzero(where.is_valid().to_numpy(zero_copy_only=False))
            if len(rows):
                batch = _refresh_params(batch, rows, run, stale)
            writer.write_batch(batch)
    finally:
        writer.close()
    os.replace(fresh, path)


def _refresh_params(
    batch: pa.RecordBatch, rows: np.ndarray, run: Parser, stale: dict[int, str]
) -> pa.RecordBatch:
    """`batch` with the params of `rows` taken again under their templates' final texts."""
    taken = pa.array(rows)
    ids = pc.cast(batch.column("template_id").take(taken), pa.int64()).to_numpy()
    fresh = run.params_for(batch.column("content").take(taken), ids, stale).to_pylist()
    params = batch.column("params").to_pylist()
    for row, value in zip(rows, fresh, strict=True):
        params[row] = value
    index = batch.schema.get_field_index("params")
    return batch.set_column(index, "params", pa.array(params, batch.schema.field(index).type))


# a share of the lines (not blank, not continuations of a record) that a format must read, where
# a built-in format reads the first lines: below it the run is an error, as reading none is
# (QA Temporal: `--format iso` read the two plain banner lines of 9,088 zap JSON lines and
# wrote a 2-event file, exit 0 with a warning that a script checking `$?` never sees)
READS_AT_LEAST = 0.01


def _reads_almost_none(run: Parser, summary: ParseSummary) -> str:
    """Why a run whose format read under `READS_AT_LEAST` of its lines is refused, where a
    built-in format reads the first lines better (`suggest_formats`); "" where it is not.
    A model's parser is left alone (its format was chosen when it was trained: `score
    --logs` says what it could not read)."""
    records = summary.lines - summary.no_records - summary.continuations
    if run.is_models or summary.events >= READS_AT_LEAST * records:
        return ""
    names = suggest_formats(run)[:3]
    if not names:
        return ""
    first = show_line(run.rejected_head[0]) if run.rejected_head else "''"
    they = "they read" if len(names) > 1 else "it reads"
    return (
        f"format {display_name(run.fmt)} reads only {summary.events:,} of {summary.lines:,} "
        f"lines ({summary.rejected:,} rejected; first: {first}); nothing was written: "
        f"try --format {' or --format '.join(names)} ({they} the first lines)"
    )


def _no_events(run: Parser, summary: ParseSummary, inputs: list[str]) -> str:
    """Why a run wrote no event, and what to do (a `parse` that writes nothing fails)."""
    where = name_files(source_names(inputs))
    if summary.lines == summary.no_records:
        what = (
            "empty input" if summary.lines == 0
            else f"{summary.directives:,} directives only" if summary.directives
            else f"{summary.blank:,} blank lines only"
        )  # fmt: skip
        return (
            f"{where}: no lines to parse ({what}); nothing was written: pass a log file "
            "that holds lines"
        )
    first = show_line(run.head[0]) if run.head else "''"
    lines = f"{summary.lines:,} line" + ("s" if summary.lines != 1 else "")
    what = f"no line of {where} fits format {display_name(run.fmt)} ({lines} "
    if looks_binary(run.head):
        return (
            f"{where} looks binary, not like a text log: {what}rejected; first: {first}); "
            "nothing was written: pass the log file itself (gzip is read as is)"
        )
    indented = [line for line in run.head if line[:1] in (" ", "\t")]
    custom = run.fmt.name == "custom"  # a format string (json, logfmt, w3c: no line layout)
    if custom and run.fmt.format.startswith("<") and len(indented) * 2 > len(run.head) > 0:
        # QA Varnish: `varnishlog -g raw` right-aligns its first field with spaces
        return (
            f"{what}rejected; first: {first}); nothing was written: the lines start with white "
            "space, which a format starting with a field reads as a continuation of the line "
            # (as typed, no repr's doubled backslashes: QA IPMI pasted `\\|` and no line fit)
            f"before; start the format string with ' *' (' *{run.fmt.written or run.fmt.format}')"
        )
    return f"{what}rejected; first: {first}); nothing was written: {unfit_advice(run)}"


def unfit_advice(run: Parser) -> str:
    """What to pass when no line fits the run's format: the built-in formats that read the
    first lines, or how to write a format string (with the regex signs to escape)."""
    return _suggestion(run) + regex_text_hint(run.fmt)


def _no_template_matched(run: Parser, summary: ParseSummary, inputs: list[str]) -> str:
    """Why a `--templates` run whose events all went unmatched fails: the file is another
    system's template list (or not this log's at all); events without a template id only fail
    later, in `sessionize`."""
    where = name_files(source_names(inputs))
    first = show_line(run.head[0]) if run.head else "''"
    return (
        f"no event of {where} matches a template of {run.templates_file} ({summary.events:,} "
        f"events, first line {first}): the templates look like another system's; nothing was "
        f"written: {OTHER_TEMPLATES}"
    )


def _add_template_set(writer: pq.ParquetWriter, run: Parser) -> None:
    """Store the final template set in the schema metadata. Parquet keeps key-value metadata in
    the footer, so it can be added at the end; readers take the schema (and its metadata) from
    the `ARROW:schema` entry, which is therefore rewritten with the key added."""
    value = json.dumps(template_set(run.template_map(), run.name), ensure_ascii=False)
    schema = run.schema.with_metadata({TEMPLATE_SET_KEY: value})
    writer.add_key_value_metadata(
        {
            TEMPLATE_SET_KEY: value,
            "ARROW:schema": base64.b64encode(schema.serialize().to_pybytes()).decode("ascii"),
        }
    )


def binary_input_warning(run: Parser) -> list[str]:
    """A warning naming the inputs whose first lines look binary (`looks_binary`), where a
    format read them anyway (`raw` fits anything; a model's frozen parser takes each line as
    an event of a template unseen in training: QA BackupPC, compressed logs scored as three
    alerts of "templates" of compressed bytes, exit 0)."""
    binary = run.binary_inputs
    if not binary:
        return []
    if len(run.inputs) <= 1:
        what = "the input looks"
    elif len(binary) == 1:
        what = f"{binary[0][0]} looks"
    else:
        what = f"{binary[0][0]} (and {len(binary) - 1:,} more inputs) look"
    return [
        f"warning: {what} binary, not like a text log (its first lines hold many "
        f"NUL, control or undecodable bytes; first: {show_line(binary[0][1])}): its events "
        "are likely garbage; pass the log file itself (gzip and zlib files are read as their "
        "text; decompress others, bzip2, xz or zstd, first)"
    ]


def fit_warnings(run: Parser, summary: ParseSummary, rejects: Path | None = None) -> list[str]:
    """Warnings when the format does not fit the logs: a binary input, most lines rejected
    (with several inputs: of a file, each such file named, since a small file all rejected
    hides among big ones), or no timestamp parsed although the format has timestamp fields
    (when its year was known this is an error raised earlier, `Parser.check_timestamps`);
    each suggests formats that fit better. With `--templates`, most events matching no
    template is a warning too."""
    fmt = run.fmt
    name = display_name(fmt)
    out = []
    out += binary_input_warning(run)
    rejected = bad_fit_warnings(
        run, summary.rejected, summary.lines, summary.no_records, rejects, summary.continuations
    )
    rejected += other_format_warning(run, summary.rejected, summary.lines, summary.continuations)
    out += rejected + problem_rejects_warning(
        run, rejected, f" (see {rejects})" if rejects else "",
        summary.continuations if mostly_continuations(summary.continuations, summary.rejected)
        else 0,
    )  # fmt: skip
    if summary.lines:  # every input empty is an error (`_no_events`); some: say which
        for empty in run.empty_inputs:
            out.append(f"warning: {empty} is empty: nothing was read from it")
    if run.matcher is not None and summary.unmatched * 2 > summary.events:
        out.append(
            f"warning: {summary.unmatched:,} of {summary.events:,} events "
            f"({summary.unmatched / summary.events:.0%}) match no template of "
            f"{run.templates_file}: the templates look like another system's (or miss most of "
            f"this log's events); those events have no template_id: {OTHER_TEMPLATES}"
        )
    out += spaced_field_warnings(run) + raw_header_warning(run) + zone_field_warnings(run)
    out += level_host_warning(run)
    out += generic_format_warning(run)
    out += empty_message_warning(run) + wordless_level_warning(run) + levelless_warning(run)
    out += offset_first_warning(run)
    out += wordless_templates_warning(run.template_map(), summary.template_counts)
    # said by check_timestamps: a lone <Time>, or JSON lines without a time key
    guessed = fmt.timestamp is not None and (fmt.timestamp.guessed or run.timeless_json)
    if fmt.timestamp is not None and run._events and summary.timestamps == 0 and not guessed:
        fields = " ".join(f"<{f}>" for f in fmt.timestamp.fields)
        out.append(
            f"warning: format {name} read no timestamp from any line (its {fields} fields never "
            f"held a date it knows): every timestamp is null, so time windows and session "
            f"lifetimes cannot use them; {_suggestion(run)}"
        )
    return out


WORDLESS_SHARE = 0.1  # a share of events in templates of no word that is a warning
WORDLESS_MIN = 20  # ... of at least this many events
_WORD = re.compile(r"[A-Za-z]{2,}")


def wordless_templates_warning(templates: dict[int, str], counts: Counter) -> list[str]:
    """A warning when at least `WORDLESS_SHARE` of the events (`counts`: events per template
    id) are in templates with no word left, `<*>` or `<*> <*>|<*>`: their messages were values
    alone (a URL, an id, a number), so whatever happened, those events are one (QA Shibboleth:
    the audit log's SAML and CAS records one `<*>` event, the profile that says which masked
    as a URL, exit 0)."""
    wordless = {
        tid: n for tid, n in counts.items()
        if n and WILDCARD in templates.get(tid, "")  # (a rule of dashes or no message: no value)
        and not _WORD.search(templates[tid].replace(WILDCARD, " "))
    }  # fmt: skip
    total, hits = sum(counts.values()), sum(wordless.values())
    if hits < WORDLESS_MIN or hits < WORDLESS_SHARE * total:
        return []
    shown = sorted(wordless, key=lambda tid: -wordless[tid])[:3]
    listed = ", ".join(f"{tid} {templates[tid]!r}" for tid in shown)
    return [
        f"warning: {hits:,} of {total:,} events ({hits / total:.0%}) are in templates with no "
        f"word ({listed}{', ...' if len(wordless) > 3 else ''}): their messages were values "
        "alone (a URL, an id, a number), so whatever happened, those events are one event to "
        "every detector; a field that says what happened in words (an action, a status) "
        "tells them apart where the format string keeps it in <Content> or names it <Event>, "
        "but a URL or an id is masked as a value wherever it stands: look at these lines "
        "before trusting a model of them"
    ]


EMPTY_MESSAGES = 0.1  # a share of events with an empty message that is a warning


def empty_message_warning(run: Parser) -> list[str]:
    """A warning when many events have an empty message (`EMPTY_MESSAGES`): one template of
    no words, which says nothing (QA Oracle: `<Timestamp>( <Content>)?` on records whose time
    stands alone; a model of windows made of that template, F1 0.0, exit 0)."""
    counted = run.empty_messages
    if counted.example is None or counted.hits < EMPTY_MESSAGES * counted.rows:
        return []
    source, line_no, _ = counted.example
    joined = time_only_hint(run.head)
    return [
        f"warning: {counted.hits:,} of {counted.rows:,} events have an empty message (the "
        f"first, {source}:{line_no}): they are one template with no words, which tells no "
        "event from another; "
        + (joined or "give a format whose <Content> holds each line's message")
    ]


def wordless_level_warning(run: Parser) -> list[str]:
    """A warning when a format string's <Level> holds punctuation alone on most events
    (loguru's `2026-12-05 08:00:01.000 | INFO | app:f:1 - msg` read by `<Date> <Time> <Level>
    <Component> <Content>`: QA, `|` the level of 19,270 events, the level the component, and
    every check of levels silent, exit 0)."""
    counted = run.wordless_level
    if counted.example is None or counted.hits * 2 <= counted.rows:
        return []
    source, line_no, value = counted.example
    if run.fmt.name in BUILTIN_FORMATS:  # a level word it always writes (`LEVEL_WORD_FORMATS`)
        return [
            f"warning: format {run.fmt.name}: <Level> holds no level word on "
            f"{counted.hits:,} of {counted.rows:,} events (the first, {source}:{line_no}: "
            f"{show_line(value)}): these lines are not written in that format (a module or "
            "thread read as the level, the level left elsewhere, so a warning and an error of "
            "one text may be one event); parse with --format auto, or a format string"
        ]
    if value[:1] in "+-" and value[1:2].isdigit():  # a UTC offset (QA Dagster: `+0100`)
        what = "a UTC offset"
        fix = "add a field for it after the time (e.g. '<Date> <Time> <Zone> ...')"
    else:
        what = "a separator"
        example = f"<Date> <Time> {value} <Level> {value} <Content>"
        fix = f"write it in the format string (e.g. '{example}')"
    return [
        f"warning: format {display_name(run.fmt)}: <Level> holds no word on {counted.hits:,} "
        f"of {counted.rows:,} events (the first, {source}:{line_no}: {show_line(value)}): the "
        f"lines write {what} the format string lacks, so the fields after it are read one "
        f"place off; {fix}"
    ]


def offset_first_warning(run: Parser) -> list[str]:
    """A warning when most events' message starts with a UTC offset the format string left
    out (`<Date> <Time> <Content>` on `... 10:00:00 +0100  Power failure.`): the times are
    read as UTC, off by it, and it is a word of every event (QA apcupsd: exit 0, the generic
    note that times were read as UTC the only word)."""
    counted = run.offset_first
    if counted.example is None or counted.hits * 2 <= counted.rows:
        return []
    source, line_no, value = counted.example
    offset = value.split()[0]
    return [
        f"warning: format {display_name(run.fmt)}: the message of {counted.hits:,} of "
        f"{counted.rows:,} events starts with a UTC offset (the first, {source}:{line_no}: "
        f"{offset!r}) that the format string leaves out: their times are read as UTC, off by "
        "it, and it is a word of each event; add a field for it after the time (e.g. "
        "'<Date> <Time> <Zone> <Content>'), which applies it"
    ]


def levelless_warning(run: Parser) -> list[str]:
    """A warning when a format string's <Level> holds a word that names no level on most
    events (`ui:`, `Force`): the lines write no level where the format string says, so each
    line's word there is left out of its event (QA Packer: `Force build: false` the event
    `build: <*>`, exit 0)."""
    counted = run.levelless
    if counted.example is None or counted.hits * 2 <= counted.rows or wordless_level_warning(run):
        return []
    source, line_no, value = counted.example
    return [
        f"warning: format {display_name(run.fmt)}: <Level> holds a word that names no level "
        f"on {counted.hits:,} of {counted.rows:,} events (the first, {source}:{line_no}: "
        f"{show_line(value)}): the lines write no level there, and each line's word there is "
        "left out of its event; write <Level> where the lines write their level, or leave "
        "it out of the format string"
    ]


def level_host_warning(run: Parser) -> list[str]:
    """A warning when <Host> holds a level word on most events (`WARN`): the lines write no
    host, and the format reads their level as one, left out of each event (QA NetBird:
    `--format syslog-iso` on `2026-12-05T16:50:48Z WARN client/...: msg` read every line, a
    WARN and an ERRO line of one message one event, exit 0 and unsaid)."""
    counted = run.level_hosts
    if counted.example is None or counted.hits * 2 <= counted.rows:
        return []
    source, line_no, value = counted.example
    names = [] if run.is_models else suggest_formats(run)[:3]
    advice = f"; try --format {' or --format '.join(names)}" if names else ""
    return [
        f"warning: format {display_name(run.fmt)}: <Host> holds a level word on "
        f"{counted.hits:,} of {counted.rows:,} events (the first, {source}:{line_no}: "
        f"{show_line(value)}): the lines write no host there, so their level is read as the "
        f"host and left out of their events (a warning and an error of one message one "
        f"event){advice}"
    ]


def raw_header_warning(run: Parser) -> list[str]:
    """A warning when `--format raw` reads lines that a built-in format splits and dates
    (`suggest_formats`): raw keeps each line's header in its message, so the templates hold
    times and hosts, and a log of another day is all new templates (QA: a kubelet log with
    `--format raw`, exit 0, then 503 false alarms on the next day's log). A model's parser is
    left alone (its format was chosen when it was trained)."""
    if run.fmt.name != "raw" or run.is_models or not run.head:
        return []
    names = suggest_formats(run)[:3]
    if not names:
        return []
    return [
        f"warning: format raw keeps each line's header (time, host, level) in its message, "
        f"and these lines start with a header that --format {' or --format '.join(names)} "
        "reads: the templates hold times and hosts, so a log of another day or host is new "
        f"templates; parse with --format {names[0]}"
    ]


# the header fields a generic format leaves in the message where a system's format reads them
_HEADER_FIELDS = frozenset({"Host", "Component", "PID", "Pid", "Program", "Node", "Hostname"})


def generic_format_warning(run: Parser) -> list[str]:
    """A warning when a generic built-in format (`iso`) was named for lines that a system's
    format reads as well, dating as many and filling header fields of its own (`auto` picks
    it): the generic one leaves that header (a host, a program and its pid) in each message,
    so every template holds it and a second host's lines are new templates (QA Mastodon:
    `--format iso` on a journal, `mastodon bundle[<*>]:` in every template, 0 rejected and
    no word said). A model's parser is left alone (its format was chosen when it was
    trained)."""
    generic = run.fmt.name in BUILTIN_FORMATS and BUILTIN_FORMATS[run.fmt.name].generic
    if not generic or run.fmt.is_auto or run.is_models or not run.head:
        return []
    ranking = rank_formats(run.head, run.fmt.year, run.fmt.timestamp_format)
    own = next((s for s in ranking if s.name == run.fmt.name), None)
    best = ranking[0] if ranking else None
    if own is None or best is None or best.name == own.name or not best.specific:
        return []
    if own.split < SUGGEST_FIT * own.lines or best.split < own.split or best.dated != own.dated:
        return []  # (each reads lines the other does not: another warning's, a mixed log)
    # ... and reads header fields the named one lacks (`syslog-notag` reads the host and the
    # tag as `linux` does: QA VyOS, warned of all the same)
    lacking = set(resolve_format(best.name).fields) - set(run.fmt.fields) - {"Content"}
    if not lacking & _HEADER_FIELDS:
        return []
    return [
        f"warning: format {run.fmt.name} reads these lines, and so does format {best.name}, "
        f"which also reads their header into fields of its own (a host, a program, a process "
        f"id): with {run.fmt.name} that header stays in each message, so every template holds "
        f"it and another host's or process's lines are new templates; parse with --format "
        f"{best.name} (`--format auto` picks it)"
    ]


def zone_field_warnings(run: Parser) -> list[str]:
    """A warning for a zone name that a header field outside the timestamp held and that
    could not be applied (`CST` names several zones): those times are off by its offset.
    (Zones applied are a note: `Parser.notes`.) And one for local times in the hour a zone
    (of --timezone or a zone field) skips in spring: the log's clock does not follow it."""
    out = []
    if run.zone_example is not None:
        name, value = run.zone_example
        out.append(
            f"warning: format {display_name(run.fmt)}: <{name}> holds the time zone {value!r}, "
            "which logbert cannot apply (an abbreviation of several zones, or a name the tz "
            "database lacks): those timestamps are read as UTC, so times and time windows are "
            "off by that zone's offset; write the log's times in UTC (PostgreSQL: "
            "log_timezone = 'UTC'; a Java server: -Duser.timezone=UTC), with a numeric offset "
            "(%z), or with a tz database name (Europe/Paris)"
        )
    if run.skipped_example is not None:
        text, zone, standard = run.skipped_example
        n = run.skipped_hour
        out.append(
            f"warning: timestamps: {n:,} local time{'s' if n > 1 else ''} (e.g. {text!r}) "
            f"fall in the hour {zone} skips when its clocks go forward, which a clock that "
            "follows that zone never writes: the log's clock may keep standard time all year "
            "or be in another zone, and its times from that day on may be an hour off "
            f"(read with the offset before the change); check the zone (--timezone, or the "
            f"lines' zone field), or give a fixed offset (--timezone {standard})"
        )
    return out


def spaced_field_warnings(run: Parser) -> list[str]:
    """A warning per one-word header field (<Level>, <Component>) that holds several words on
    more than a quarter of the lines, a level on a few (`_mostly_spaced`; `INFO api-7f9c`): the
    logs write a header field the
    format lacks (a new version added a host after the level; QA ASA: two firewalls of three,
    47% of the lines, unsaid at `train` and said at `evaluate`), and it is read into this one
    ([] otherwise)."""
    out = []
    for name, counted in run.spaced_fields.items():
        if name not in ONE_WORD_FIELDS:  # a format string's own field
            out += _misread_field_warning(run, name, counted)
            continue
        if counted.example is None or not _mostly_spaced(name, counted.hits, counted.rows):
            continue
        if _in_brackets(run, name):
            continue
        source, line_no, value = counted.example
        if name not in ("Level", "Component"):  # a word of a request's header
            out.append(
                f"warning: format {display_name(run.fmt)}: <{name}> holds several words on "
                f"{counted.hits:,} of {counted.rows:,} lines (the first, {source}:{line_no}: "
                f"{show_line(value)}), where the format has one word: the lines are not in "
                f"this format; {_suggestion(run)}"
            )
            continue
        example = "'<Level> <Host>'" if name == "Level" else "'<Host> <Component>'"
        out.append(
            f"warning: format {display_name(run.fmt)}: <{name}> holds several words on "
            f"{counted.hits:,} of {counted.rows:,} lines (the first, {source}:{line_no}: "
            f"{show_line(value)}): the lines write a header field the format lacks (a host or "
            f"service name?), so it is read as part of <{name}>; "
            + (
                "the model's format lacks that field: retrain with a format that has it (if "
                "`train` warned the same, its format never fit these logs; if not, more of "
                "these lines than of the training logs' are so written)"
                if run.is_models
                else f"add it to the format string (e.g. {example}); if the field holds "
                "several words by design (Nagios' `CURRENT HOST STATE`), name it otherwise"
            )
        )
    return out


def _misread_field_warning(run: Parser, name: str, counted: RowCount) -> list[str]:
    """A warning when a format string's own header field holds one word on nearly every line
    (`MISREAD_FIELD_SHARE`) and several on some: the field ran on past text those lines hold
    and the format lacks (QA Samba: `real(<Ruid>, <Rgid>)] <Component>` met `real(0, 0),
    class=auth] ...`, and 179 auth lines were split wrong, `<Rgid>` taking half the line)."""
    if not counted.hits or counted.hits > MISREAD_FIELD_SHARE * counted.rows:
        return []
    if _in_brackets(run, name):
        return []
    source, line_no, value = counted.example
    return [
        f"warning: format {display_name(run.fmt)}: <{name}> holds one word on most lines but "
        f"several on {counted.hits:,} of {counted.rows:,} (the first, {source}:{line_no}: "
        f"{show_line(value)}): those lines hold text the format lacks before the field's end, "
        "so their fields and message are misread; write that part as an optional group in "
        "the format string, `(...)?` (a field inside it if it varies: `(, class=<Class>)?`)"
    ]


MISREAD_FIELD_SHARE = 0.1


# a one-word field holding several words on more than this share of the lines is misread; a
# level on any `SPACED_LEVEL_MIN` lines (a level is one word: QA NX-OS, one switch of seven
# wrote a `%$ VDC-1 %$` prefix the format lacked, `1 %$ %ETHPORT` its level on 11% of the lines)
SPACED_SHARE = 0.25
SPACED_LEVEL_MIN = 10


def _mostly_spaced(name: str, hits: int, rows: int) -> bool:
    """Whether `hits` of `rows` lines holding several words in field `name` is a warning."""
    if name == "Level":
        return hits >= min(SPACED_LEVEL_MIN, rows) and hits * 100 >= rows
    return hits > SPACED_SHARE * rows


def _in_brackets(run: Parser, name: str) -> bool:
    """Whether the format writes field `name` in brackets (`[<Component>]`, or WebLogic's
    angle brackets, `<<User>>`): they end it, spaces and all (QA Kafka: `[ReplicaFetcher
    replicaId=1]`; QA WebLogic: `<WLS Kernel>` was called a sign of another format); or
    before a tab, which ends it as well (QA Trino: airlift's tab-separated `Service Thread`
    was called misread, and the advice sent the user to fix a format that was right); or
    between the format's own marks with a field right after (`<Component>:<Level>:`), but
    a level."""
    fmt = run.fmt.format
    return (
        re.search(rf"(?:\\?[\[(]|<)<{name}>(?:\\?[\])]|>)", fmt) is not None
        # ... or between marks of the format's own that are no space, the next field right
        # after (QA Greenbone: gvmd's `<Component>:<Level>:<Date>`, `md manage:`, `event task:`);
        # never a level, one word whatever marks it (QA NX-OS: `%<Component>-<Level>-`)
        # ... those marks escaped too (QA Drupal: `\|<Type>\|`, `page not found`)
        or (
            name != "Level"
            and re.search(rf"(?:^|[^\s>\\])<{name}>(?:\\[^\sstn]|[^\s<\\])+<", fmt) is not None
        )
        or re.search(rf"<{name}>(?:\t|\\t)", fmt) is not None
    )


# rejected lines of their own, at least this many, that another built-in format reads
OTHER_FORMAT_MIN = 10


def other_format_warning(
    run: Parser, rejected: int, lines: int, continuations: int = 0
) -> list[str]:
    """A warning when the lines the format rejected (not continuation lines) are mostly
    another built-in format's lines: a log that mixes two formats, the other's lines left out
    unjudged (QA ingress-nginx: `auto` chose `access`, and the controller's klog warnings and
    errors, every reload failure, went to the rejects file with no word said). Not where most
    lines are rejected: `bad_fit_warnings` names the format that reads them then."""
    head = [line for line in run.rejected_head if not looks_like_continuation(line)]
    if rejected - continuations < OTHER_FORMAT_MIN or len(head) < OTHER_FORMAT_MIN:
        return []
    if rejected * 2 > lines:
        return []
    best = rank_formats(head)[0]
    if best.name == run.fmt.name or best.dated * 2 <= len(head):
        return []
    example = next((line for line in head if re.match(r"[\w\[]", line)), head[0])
    return [
        f"warning: {rejected - continuations:,} rejected lines are lines of another format: "
        f"{best.name} reads {best.dated} of the first {len(head)} of them (e.g. "
        f"{show_line(example)}); the log mixes two writers (a controller's own log beside its "
        f"access log?), and those lines are judged by no detector: split them apart (grep) "
        f"and parse each part with its format, e.g. --format {best.name} for the rejected ones"
    ]


def bad_fit_warnings(
    run: Parser,
    rejected: int,
    lines: int,
    blank: int,
    rejects: Path | None = None,
    continuations: int = 0,
) -> list[str]:
    """`warning: ...` lines when the format rejected more than half of the non-blank lines:
    with several inputs, one per input file it does not fit (a small file all rejected hides
    among big ones), else one for the whole run; for `parse` and for every command that reads
    raw logs (`train`, `score`, `evaluate`, `calibrate --logs`). Each says what to do
    (`_advice`), unless most rejects are continuation lines (`continuations` of them) and the
    format reads the other lines: then it fits the records, and the warning says that the
    rest of multi-line records is not judged instead of blaming the format."""
    where = f" (see {rejects})" if rejects is not None else ""
    if len(run.inputs) > 1:
        unfit = [fit for fit in run.inputs if not fit.fits and not fit.warned]
        named = [
            _bad_fit(run, fit.name, fit.rejected, fit.lines, fit.blank, fit.continuations, where,
                     fit.head)
            for fit in unfit[:NAMED_INPUTS]
        ]  # fmt: skip
        rest = unfit[NAMED_INPUTS:]  # QA CRI: 150 such warnings for a node's pod folder
        if rest:
            named.append(
                f"warning: format {display_name(run.fmt)} does not fit {len(rest):,} more "
                f"inputs either (first {rest[0].name}, last {rest[-1].name})"
            )
        # ... and a file it fits whose share of other rejects passes `UNFIT_SHARE` (QA Spring
        # Boot: 14% of one service's lines, 10.04% of the run, were left out unsaid)
        some = [
            _some_unfit(run, fit.rejected - fit.continuations, fit.lines - fit.blank, where,
                        fit.name)
            for fit in run.inputs
            if fit.fits and not fit.warned
        ]  # fmt: skip
        found = [w for warned in some for w in warned]
        if len(found) > NAMED_INPUTS:  # QA Ceph: three files named, a fourth's loss unsaid
            found = found[:NAMED_INPUTS] + [
                f"warning: {len(found) - NAMED_INPUTS:,} more inputs leave out over "
                f"{UNFIT_SHARE:.0%} of their lines the same way{where}"
            ]
        return named + found
    # ... or two-line records, half the lines continuations (QA Samba: a header line and its
    # message; `auto`'s run trained on the headers alone, with no word of joining them)
    many_continued = continuations >= CONTINUED_SHARE * (lines - blank)
    if not rejected or (rejected * 2 <= lines - blank and not many_continued):
        return _some_unfit(run, rejected - continuations, lines - blank, where, None, blank)
    return [
        _bad_fit(run, None, rejected, lines, blank, continuations, where, run.head,
                 run.rejected_head)
    ]  # fmt: skip


def problem_rejects_warning(
    run: Parser, said: list[str], where: str = "", continuations: int = 0
) -> list[str]:
    """A warning when rejected lines name a problem level (`ERROR`, `WARN`, ...) where no other
    warning (`said`, or `check_choice`'s on an input) names the rejects: few lines, but the ones
    a detector needs, left out (QA KrakenD: `auto` chose `gin` for the access lines, and the
    gateway's own 792 lines, its errors and circuit breaker among them, were rejected with a
    count alone, exit 0). Where most rejects look like continuation lines (`continuations`,
    0 where they do not: the summary then gives no join), the records span lines, and joining
    them comes first (QA Odoo: PostgreSQL's `ERROR: ...` line after `bad query:` was told to
    be read raw, losing its record's pid and session)."""
    if not run.problem_rejects or run.problem_reject_example is None:
        return []
    if said or any(fit.warned for fit in run.inputs):
        return []
    source, line_no, text = run.problem_reject_example
    joined = (
        f"; if they continue the record before them (this log's records span lines: "
        f"{continuations:,} rejected lines look like continuation lines), join each record "
        "into one line first (the summary says how); else read"
        if continuations
        else "; read"
    )
    return [
        f"warning: {run.problem_rejects:,} rejected lines name an error or warning level (the "
        f"first, {source}:{line_no}: {show_line(text)}): format {display_name(run.fmt)} does "
        f"not read them, so no detector judges them{where}{joined} them with a format that "
        "does (a format string whose parts are optional groups, '(<Date> <Time> )?<Content>', "
        "or --format raw), or split the writers' lines apart first and parse each with its own"
    ]


# a share of lines the format does not read, other than continuation lines, that a run names
# even where the format fits most lines (QA Kafka: 31% of a broker's lines, its ZooKeeper
# session losses among them, were rejected with only a count said)
UNFIT_SHARE = 0.1
CONTINUED_SHARE = 0.4  # continuation lines that say a log's records span lines, join advice


def _some_unfit(
    run: Parser, other: int, judged: int, where: str, file: str | None = None, blank: int = 0
) -> list[str]:
    """A warning when more than `UNFIT_SHARE` of the `judged` lines (of one input `file`, or
    the run) are rejects that are not continuation lines (`other` of them), with an example;
    with many `blank` lines besides, how to join records separated by them."""
    if judged <= 0 or other <= UNFIT_SHARE * judged:
        return []
    paragraphs = blank_records_hint(judged + blank, blank)
    if paragraphs:
        return [
            f"warning: {other:,} of {judged:,} lines ({other / judged:.0%}) do not fit format "
            f"{display_name(run.fmt)}{where}, and {paragraphs}"
        ]
    example = _common_reject(run.rejected_head) if file is None else None
    example_text = f" (e.g. {show_line(example)})" if example is not None else ""
    of = f" of {file}" if file is not None else ""
    # ... or lines that continue a record in a way no pattern knows (a failed command's output
    # under Telegraf's error, Fluent Bit's response body under `response:`): QA, the advice
    # sent users looking for a format that does not exist
    return [
        f"warning: {other:,} of {judged:,} lines{of} ({other / judged:.0%}) do not fit format "
        f"{display_name(run.fmt)} and do not look like continuation lines{example_text}: "
        f"their events are left out{where}; if they matter, use a format that reads them "
        # (QA uvicorn: its own undated lines beside the app's dated ones, 41% left out, a 500
        # in none of the events, and no such format named)
        f"too (a format string whose header is an optional group, {_optional_header(run)}, "
        "or --format raw, which reads each line whole), or if each continues the record "
        "before it, join them to it first ("
        f"{_join_by_record_start(_record_start(run.head))})"
    ]


def _optional_header(run: Parser) -> str:
    """The run's own format string with its header made an optional group, where that reads
    its times as the format does (an ISO 8601 `<Timestamp>`, or no time) and the header holds
    no regex groups; a generic example otherwise. QA XtraBackup: the generic `'(<Date> <Time>
    )?<Content>'`, followed as written for MySQL's lines, refused every line (its time is one
    ISO field); the `mysql` format's own header made optional read every line."""
    text = run.fmt.written or run.fmt.format
    header = text.removesuffix("<Content>")
    spec = run.fmt.timestamp
    iso = spec is None or (spec.fields == ("Timestamp",) and spec.pattern == ISO_8601)
    plain = not any(c in header for c in "(|?*+")  # (a header a user can read and edit)
    if iso and plain and header and header != text:
        return f"'({header})?<Content>'"
    return "'(<Date> <Time> )?<Content>'"


def _common_reject(rejected: list[str]) -> str | None:
    """The first rejected line of the most common kind (its first characters, digits and
    letters alike): a header block's first line is a poor example when most rejects are
    records the format misread (QA DHCP: `Event ID  Meaning` for 398 lease records)."""
    lines = [line for line in rejected if not looks_like_continuation(line)]
    if not lines:
        return None
    common = Counter(_line_kind(line) for line in lines).most_common(1)[0][0]
    return next(line for line in lines if _line_kind(line) == common)


def _line_kind(line: str) -> str:
    """A line's first characters with digits and letters alike (`00,00/00` of a record)."""
    return re.sub(r"[A-Za-z]", "a", re.sub(r"[0-9]", "0", line[:8]))


def _bad_fit(
    run: Parser,
    file: str | None,
    rejected: int,
    lines: int,
    blank: int,
    continuations: int,
    where: str,
    head: list[str],
    rejected_head: list[str] | None = None,
) -> str:
    """The bad-fit warning for one input `file` (None: the whole run) of `lines` lines, of
    which `rejected` did not match, `continuations` of them continuation lines
    (`rejected_head`: the first of the rejected lines, for the whole run)."""
    name = display_name(run.fmt)
    logs, its = ("these logs", "") if file is None else (file, "its ")
    share = f"{rejected:,} of {its}{_rejected_share(rejected, lines, blank)}"
    if fits_records(rejected, lines, blank, continuations):
        return (
            f"warning: format {name} fits the records of {logs}, but {share} did not match "
            f"it{where}: {continuations:,} of them look like continuation lines of multi-line "
            "records (stack traces), which logbert reads one event per line and does not "
            "judge; to judge them, join each record into one line first "
            f"({join_continuations(head)})"
        )
    advice = blank_records_hint(lines, blank) or _advice(run, head, rejected_head)
    return f"warning: format {name} does not fit {logs}: {share} did not match it{where}; {advice}"


def _advice(run: Parser, head: list[str], rejected_head: list[str] | None = None) -> str:
    """What to do about lines the format rejects: a model's parser cannot change; a format
    that reads the first lines itself (their records: continuation lines are no layout of
    their own) meets lines of another layout further on (another format would fit those and
    lose these), which a built-in format may read (`rejected_head`: QA, a JSON log after a
    plain-text start-up banner was told that no built-in format reads its lines); else the
    built-in formats that read the first lines."""
    if run.is_models:
        return _MODEL_ADVICE
    rejected = suggest_formats(run, rejected_head)[:1] if rejected_head else []
    reads_rest = (
        f"--format {rejected[0]} reads the first of the rejected lines" if rejected else ""
    )
    if head:
        ok, _ = split_lines(pa.array(record_lines(head), pa.string()), run.fmt)
        if ok.mean() >= SUGGEST_FIT:
            return f"{_MIXED_ADVICE} ({reads_rest})" if rejected else _MIXED_ADVICE
    if rejected and not suggest_formats(run, head):
        return f"{reads_rest}: try it"
    return _suggestion(run, head)


_MIXED_ADVICE = (
    "the format reads the first lines, so lines of another layout are mixed in further on "
    "(see the rejected lines): each layout needs a format of its own, so split the log by "
    "layout, or write a format string that fits both"
)
# a frozen model's parser: the logs must be written like its training logs
_MODEL_ADVICE = (
    "those lines are not scored: they come from another system, or another layout is mixed "
    "in (one model reads one format); if they matter, train a model with a format that fits "
    "them"
)


def _rejected_share(rejected: int, lines: int, blank: int) -> str:
    """`8 lines (80%)`, or `3 non-blank lines (67%)`: blank lines are not judged by the format."""
    judged = lines - blank
    what = "non-blank lines" if blank else "lines"
    return f"{judged:,} {what} ({rejected / judged:.0%})"


def _writer_options(fmt: LogFormat) -> dict:
    """Dictionary pages for repetitive columns and statistics for sortable ones only: the
    writer spends most of its time on the long unique texts (content, params) otherwise."""
    clock = set(fmt.timestamp.fields) if fmt.timestamp else set()
    return {
        "use_dictionary": ["source", "template", "label"]
        + [f for f in fmt.header_fields if f not in clock],
        "write_statistics": ["line_no", "timestamp", "template_id"],
    }


def _write_templates(run: Parser, summary: ParseSummary, path: Path) -> None:
    known = run.template_map()
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["template_id", "template", "count"])
        for tid in sorted(known):
            out.writerow([tid, known[tid], summary.template_counts.get(tid, 0)])
