"""`parse`: input files -> events parquet + templates.csv + rejects file.

Computing and writing are separate: `Parser.process` (a list of strings from a live service, or
one chunk of a file) and `Parser.iter_chunks` (whole files) yield `ParsedChunk`s, each with its
events as a pyarrow table in the events schema, and `parse_files` only writes what they yield
(`summary.py`). So `logbert parse`, training from raw logs and a live service parse lines the
same way.

Per chunk of lines (one 8 MiB block) everything is vectorised: the header regex splits lines
(pyarrow/RE2), masks run on the whole content column, the masked messages are dictionary-encoded
so the miner sees each distinct one once, and template ids, templates and parameters are mapped
back with array takes (`chunk.py`). The per-line work runs ahead in worker threads; the miner
runs serially in input order.

Timestamps: formats that write no year take it from the format (`--year`), else per input file
from its modification time (`YearHint`); stdin (and live lines) without `--year` take the
current date (the parser says so in `notes`); a jump back of months inside a file is a year
rollover or a warning (`clock.py`, applied serially in line order), and steps back of more than
ten minutes between consecutive lines of an input (any format: a daylight-saving change in local
time, unsorted logs) are one warning per run. A run where a format with a
timestamp rule reads no timestamp from any line is an error naming the first line
(`Parser.check_timestamps`); one where most lines get none is a warning, and some a note, naming
the first such line (`_note_undated`); with several inputs, one of which (nearly) no line is
dated while the others are is a warning naming it (`_undated_inputs`: another layout that the
format's fields happen to split). A `parse` run that writes no event (empty or binary
input, every line rejected) is an error too. Blank lines (empty or whitespace only) are neither
events nor rejects: they are counted apart (`ParsedChunk.blank`) and left out of every fit test.
`--format auto`: the parser picks the built-in format that reads the most of the first lines
(`rank_formats`, `auto.py`) when it sees its first chunk, and says which in `notes`; each later
input's first lines are checked against that choice (`check_choice`: a file it splits no line of
is an error, one it reads badly a warning). How each input fit the format is counted (`inputs`),
so `parse` names every file that mostly did not fit. A file named twice is an error
(`check_inputs`): its events would be duplicated. Each input's `source` is its base name, or its
path as given where inputs share a base name (`source_names`), so `(source, line_no)` names one
line in events, rejects and score evidence alike.

For scoring, `Parser.freeze()` fixes the known templates (see `frozen.py`); `to_state` /
`from_state` carry a parser (format, miner, frozen flag) in plain JSON for a model directory.

The counting of dated events and the timestamp notes and errors above are `Parser`'s mixin
`DatingChecks` (`dating.py`). What moved to `auto.py`, `chunk.py` and `summary.py` is
re-exported here (`__all__`), so callers keep importing from this module; those modules never
import it (but for annotations).
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from logbert.errors import LogbertError
from logbert.parsing.auto import (
    AUTO_DATED,
    AUTO_YEAR,
    HEAD_LINES,
    LEVEL_WORD_FORMATS,
    LEVEL_WORDS,
    NAMED_INPUTS,
    ONE_WORD_FIELDS,
    SHOWN_CHARS,
    SUGGEST_DATED,
    SUGGEST_FIT,
    FormatScore,
    InputFit,
    alerts_hint,
    blank_records_hint,
    count_continuations,
    layout_hint,
    looks_binary,
    looks_like_continuation,
    object_time_layout,
    pg_csvlog_hint,
    rank_formats,
    show_line,
    suggest_formats,
    text_lines,
)
from logbert.parsing.chunk import (
    ParsedChunk,
    Prepared,
    _blank,
    _params_by_position,
    _params_by_regex,
    _schema,
    _texts,
    _words,
)
from logbert.parsing.clock import (
    YearClock,
    after_written_warning,
    newest_first_warning,
    step_back_warning,
)
from logbert.parsing.dating import DatingChecks, YearHint, check_meridiem
from logbert.parsing.formats import (
    BUILTIN_FORMATS,
    ISO_8601,
    LogFormat,
    bare_name,
    display_name,
    format_from_spec,
    format_spec,
    parse_timestamps,
    resolve_format,
    timestamp_text,
    with_year,
)
from logbert.parsing.frozen import FrozenMiner
from logbert.parsing.inner_time import inner_time_warning
from logbert.parsing.json_lines import JSON
from logbert.parsing.levels import (
    LEVEL_DATE,
    PROGRAM_FIELD,
    SYSLOG_TAG,
    EventFieldMix,
    LevelMix,
    ProgramMix,
    is_event_field,
    level_values,
)
from logbert.parsing.logfmt import LOGFMT
from logbert.parsing.masks import mask_array
from logbert.parsing.reader import (
    BLOCK_BYTES,
    STDIN,
    LineChunk,
    check_inputs,
    source_names,
)
from logbert.parsing.reader import iter_chunks as read_chunks
from logbert.parsing.shared_lines import SharedLines, line_sample
from logbert.parsing.splitter import split_lines
from logbert.parsing.state import (
    STATE_VERSION,
    load_miner,
    miner_from_state,
    miner_state,
    rules_mismatch,
)
from logbert.parsing.summary import (
    WARNING,
    ParseSummary,
    check_output,
    fit_warnings,
    output_paths,
    write_run,
)
from logbert.parsing.template_matcher import (
    KnownTemplate,
    TemplateMatcher,
    known_template,
    load_templates,
)
from logbert.parsing.unified import TIDB
from logbert.parsing.w3c import W3C, ZEEK_FIELDS_DIRECTIVE, fields_after
from logbert.parsing.zones import (
    OWN_OFFSET,
    ZoneUse,
    apply_zone,
    check_timezone,
    stray_zone_field,
    zone_field,
)

# the lines a format's writer adds besides its records (`Parser._directives`): a regex of
# their start
# ... journalctl's markers in its text exports, `-- Boot 3f2a... --`, `-- No entries --` (QA
# NetworkManager: rejects, and an idle laptop's empty export stopped `auto` for the folder)
_JOURNAL_MARKERS = r"-- (?:Boot [0-9a-f]+|No entries|Journal begins |Logs begin |Reboot)"
# a level word that says something went wrong, as a line writes it (`Parser.problem_rejects`)
_PROBLEM_LEVEL_WORD = re.compile(
    r"(?<![\w-])(?:ERROR|ERRO|ERR|WARN|WARNIN|WARNING|FATAL|CRIT|CRITICAL|PANIC|SEVERE)(?![\w-])"
)
_FORMAT_LINES = {
    W3C: "#",
    "android": "--------- beginning of ",
    # `log show`'s header, its predicate's echo and its closing counts
    # (and its note that Info and Debug lines are left out)
    "macos": (
        r"Timestamp +Thread +Type|Filtering the log data|Skipping info and debug messages|-{20}"
        r"|Log +- Default:|Activity - "
    ),
    **{name: _JOURNAL_MARKERS for name in ("linux", "syslog-iso", "syslog-notag", "rfc3164")},
    "pgbackrest": r"-{10,}PROCESS START-{10,}$",  # a run's banner
    # glog's file header (QA Vitess: five rejects per file, counted as lines that do not fit),
    # with glog 0.4's running duration and YugabyteDB's build (QA YugabyteDB: two rejects a
    # file, a quiet node's file "22% do not fit", with advice to read it raw)
    "klog": (
        r"Log file created at: |Running on machine: |Binary: Built with |Previous log: "
        r"|Log line format: \[IWEF\]|Running duration \(h:mm:ss\): |Application fingerprint: "
    ),
    # HashiCorp's startup banner, `==> Starting Consul agent...` and its indented `Version:
    # '1.17.0'` lines (QA Consul: "continuation lines, e.g. stack traces" with an awk join on
    # every command)
    "hclog": r"==> | {2,}[A-Z][\w.()/ -]*: ",
}

# a built-in format's one-word fields that may hold several words: macOS process names,
# `Google Chrome Helper (Renderer)` (QA: "the lines write a header field the format lacks")
_SPACED_FIELDS = {"macos": ("Component",)}

__all__ = [
    "AUTO_YEAR",
    "HEAD_LINES",
    "PARSERS",
    "SHOWN_CHARS",
    "SUGGEST_DATED",
    "SUGGEST_FIT",
    "WARNING",
    "WORKERS",
    "FormatScore",
    "ParseSummary",
    "ParsedChunk",
    "Parser",
    "Prepared",
    "YearHint",
    "check_output",
    "fit_warnings",
    "looks_binary",
    "output_paths",
    "parse_files",
    "rank_formats",
    "show_line",
    "suggest_formats",
]

PARSERS = ("logbert", "drain3")
# Chunks prepared ahead in worker threads (pyarrow releases the GIL); also bounds memory.
WORKERS = 2

# a line that starts with its level, a bracketed thread maybe, then an ISO 8601 date and time
_LEVEL_FIRST = re.compile(
    r"(?i:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|FATAL|CRITICAL)\s+(?P<thread>\[[^\]]*\]\s+)?"
    r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d"
)
AUTO_MISFIT = "that --format auto's choice reads badly"


# A container runtime's log (CRI: kubelet's `/var/log/pods/...`) splits a line longer than 16 KiB
# into parts tagged `P`, the last `F`; read line by line each part is an event or a reject
# (QA: 155 of 191 templates were random payload parts, 14 false alarms). How to join them
# (mawk-safe: Debian's default awk):
CRI_PARTIAL = r"^\S+ (?:stdout|stderr) P "
JOIN_PARTIALS = (
    """awk '$3 == "P" { p = p substr($0, index($0, " P ") + 3); next } p != "" { i = """
    """index($0, " F "); $0 = substr($0, 1, i + 2) p substr($0, i + 3); p = "" } { print }' """
    "0.log > 0.joined.log"
)


@dataclass
class RowCount:
    """How many events had a property (a one-word header field holding several words, an
    empty message) out of how many, and the first such."""

    rows: int = 0
    hits: int = 0
    example: tuple[str, int, str] | None = None  # source, line_no, the value

    def add(self, prep: Prepared, mask: np.ndarray, values: pa.Array | None = None) -> None:
        """Count a chunk's events (`mask`: which have the property), keeping the first."""
        self.rows += len(mask)
        found = int(mask.sum())
        self.hits += found
        if found and self.example is None:
            i = int(np.argmax(mask))
            value = "" if values is None else values[i].as_py()
            self.example = (prep.name, int(prep.line_no[i]), value)


class Parser(DatingChecks):
    """Streams inputs through one miner (ours, Drain3, or a known template list).

    Not thread-safe: one caller feeds it (`process` or `iter_chunks`), in input order.
    """

    def __init__(
        self,
        fmt: LogFormat,
        parser: str = "logbert",
        templates: Path | None = None,
        state: Path | None = None,
    ) -> None:
        if parser not in PARSERS:
            raise LogbertError(f"unknown parser {parser!r}: use one of {', '.join(PARSERS)}")
        if state is not None and templates:
            raise LogbertError(
                "--state keeps mined templates; --templates fixes them: drop --state"
            )
        if templates:
            self._setup(fmt, None, load_templates(templates))
        else:
            self._setup(fmt, load_miner(state, parser), None)
        self.templates_file = templates
        # set by `from_state`: a saved parser mined under other parsing rules (state.py)
        self.rules_mismatch: str | None = None

    def _setup(self, fmt: LogFormat, miner: Any, known: list[KnownTemplate] | None) -> None:
        check_timezone(fmt.timezone)
        self.fmt = fmt
        self.matcher = TemplateMatcher(known) if known else None
        self.known = {t.tid: t.template for t in known} if known else {}
        self.miner = miner
        self.schema = _schema(fmt)
        self.head: list[str] = []  # the first lines seen (diagnostics only)
        # ... and those of the first chunk with a rejected line: the records whose rest it may
        # be, for the advice on joining them (`join_head`)
        self._rejecting_head: list[str] = []
        # rejected lines that name a problem level, and the first (`summary.problem_rejects_
        # warning`: QA KrakenD, `auto` chose `gin` and every line of the gateway's own, its
        # errors among them, was rejected with a count alone)
        self.problem_rejects = 0
        self.problem_reject_example: tuple[str, int, str] | None = None
        self.zone_example: tuple[str, str] | None = None  # a header field's zone not applied
        self.skipped_hour = 0  # local times a zone's clocks skipped (spring forward) ...
        self.skipped_example: tuple[str, str, str] | None = None  # ... the first (`ZoneUse`)
        self._inner_time_checked = False  # `_check_inner_time` runs once
        self.zones_applied: set[str] = set()  # ... and the zone names applied (`zones.py`)
        self.rejected_head: list[str] = []  # ... and the first lines the format rejected
        self._notes: list[str] = []  # format choice, where years came from (for the summary)
        self._named: Counter[str] = Counter()  # inputs warned about, per kind of warning
        self._unnamed: dict[str, list[str]] = {}  # inputs past `NAMED_INPUTS` per kind of warning
        self._year_sources: dict[str, tuple[datetime, str]] = {}  # input -> (date, from what)
        self.trained_year: int | None = None  # a model's --year at training (`dating.py`)
        self._written: dict[str, int] = {}  # input dated by --year -> its modification time, µs
        self._clocks: dict[str, YearClock] = {}  # year rollovers of the input being read
        self._clocks_done: list[YearClock] = []  # ... and of inputs read before (for notes)
        self._last_clock: YearClock | None = None  # the clock of the input read last
        self.ranking: list[FormatScore] = []  # `--format auto`: how each format scored
        self.auto_source: str | None = None  # `--format auto`: the input the format came from
        self.inputs: list[InputFit] = []  # the last `iter_chunks` run: how each input fit
        self.empty_inputs: list[str] = []  # ... and the inputs that held no line at all
        # ... and those whose first lines look binary, with the first line (`looks_binary`)
        self.binary_inputs: list[tuple[str, str]] = []
        self.templates_file: Path | None = None  # `--templates FILE` (None: mined or a state)
        self._events = 0  # events of chunks whose timestamps could be read (year known)
        self._dated = 0  # of those, events with a timestamp
        self._midnight = 0  # of those, events at 00:00:00 exactly (a date without its time?)
        self._month_days: set[tuple[int, int]] = set()  # ... their (month, day) pairs, a few
        self._counted_times = 0  # ... and events before 1980: seconds since boot, not dates
        self._first_counted: tuple[str, int, str, str] | None = None  # the first of them
        self._time_text = 0  # events whose timestamp fields hold any text (none: no time at all)
        self._first_time_text: tuple[str, int, str, str] | None = None  # ... the first of them
        self._zoned_rows = 0  # events dated in the zone of --timezone (no offset of their own)
        self._naive_rows = 0  # ... and without --timezone: read as UTC (`notes`)
        # per one-word header field (<Level>, <Component>): how often it held several words
        self.spaced_fields: dict[str, RowCount] = {}
        self.wordless_level = RowCount()  # a format string's <Level> of punctuation alone
        self.levelless = RowCount()  # ... or a word that names no level
        self.level_hosts = RowCount()  # events whose <Host> is a level word (`INFO`)
        self.empty_messages = RowCount()  # events whose message is empty, and the first
        self.offset_first = RowCount()  # ... and a format string's whose starts with an offset
        self.level_mix = LevelMix()  # levels per template, where <Level> is a header field
        # ... and the severities a model's training met per template (`from_state`)
        self.trained_severities: dict[int, list[str]] = {}
        self.event_field_mix = EventFieldMix()  # ... and a format string's <Status>, <Type>...
        self.program_mix = ProgramMix()  # ... and the programs that write each template
        self._partials = 0  # lines that are a CRI log's partial records (`CRI_PARTIAL`)
        self.shared_lines: SharedLines | None = None  # several inputs' sampled lines
        self._first_partial: tuple[str, int] | None = None  # ... the first: source, line_no
        self._first: tuple[str, int, str, str] | None = None  # source, line_no, line, time text
        self._first_undated: tuple[str, int, str, str] | None = None  # ... of one without

    def use_year(self, year: int | None) -> None:
        """Date timestamps without a year by `year` from now on (None: each input's
        modification time, or the current date for stdin and live lines)."""
        self.fmt = with_year(self.fmt, year)

    def times_carry_offsets(self) -> bool:
        """Whether every dated line of the last inputs read carried its own UTC offset (or
        was epoch time), `--timezone` aside: then no zone option moves its times."""
        dated = [fit for fit in self.inputs if fit.dated]
        zone_given = self.fmt.timezone is not None or bool(self.zones_applied)
        return bool(dated) and not zone_given and all(f.in_utc == f.dated for f in dated)

    def use_timezone(self, zone: str | None) -> None:
        """Read times without a UTC offset in `zone` from now on (None: keep the zone this
        parser was made with). A model's parser takes the zone given at training; a host
        whose zone differs, or changed since, is scored with its own (QA Harbor, k3s)."""
        if zone is not None:
            check_timezone(zone)
            self.fmt = copy.copy(self.fmt)
            self.fmt.timezone = zone

    @property
    def notes(self) -> list[str]:
        """What to tell the user after a run, in order: the format choice, where years came
        from, year rollovers, and warnings (they start with `warning: `) on timestamps that
        jump back, or step back between consecutive lines; every command that prints notes
        shows them."""
        clocks = self._clocks_done + list(self._clocks.values())
        zones = sorted(z for z in self.zones_applied if z != self.fmt.timezone)  # (--timezone's
        # filled the lines without one: its own note below)
        applied = [
            f"timestamps: the time zones of the lines' own zone field ({', '.join(zones[:5])}"
            f"{', ...' if len(zones) > 5 else ''}) were applied: times are stored in UTC"
        ] if zones else []  # fmt: skip
        if self.fmt.timezone is not None and self._dated:
            applied.append(
                f"timestamps: times without a UTC offset of their own were read in "
                f"{self.fmt.timezone} (--timezone) and are stored in UTC"
                if self._zoned_rows  # (QA Graylog: said where every line had its own offset)
                else f"timestamps: every time carries its own UTC offset, so --timezone "
                f"{self.fmt.timezone} changed none"
            )
        spec = self.fmt.timestamp
        stray = stray_zone_field(self.fmt.fields, spec.fields) if spec is not None else None
        if stray is not None:
            applied.append(
                f"timestamps: <{stray}> is not beside the time fields "
                f"({' '.join(f'<{f}>' for f in spec.fields)}), so it is taken as another "
                "time's zone and not applied"
            )
        year = getattr(self.fmt.timestamp, "year", None)  # --year, for dates after the files
        at_start = {fit.name for fit in self.inputs if fit.stamped_at_start}
        return (
            self._notes + self._unnamed_inputs() + self._year_notes() + self._naive_note(zones)
            + applied + [m for clock in clocks for m in clock.messages()]
            + step_back_warning(
                [clock for clock in clocks if clock.source not in at_start],
                frozenset(fit.name for fit in self.inputs if fit.in_utc),
            )
            + newest_first_warning(clocks)
            + after_written_warning(clocks, self._written, year, self.fmt.timestamp_format)
        )  # fmt: skip

    def _naive_note(self, zones: list[str]) -> list[str]:
        """That times without a UTC offset were read as UTC, where every dated line's was so
        read (no --timezone, no zone field; lines of both kinds are a warning of their own):
        the scores then write them with a `Z` (QA loguru: local times stored as UTC, unsaid).
        A model's parser was told at training."""
        if not self._naive_rows or zones or self.fmt.timezone is not None or self.is_models:
            return []
        if any(fit.in_utc for fit in self.inputs):
            return []
        return [
            f"timestamps: {self._naive_rows:,} times without a UTC offset were read as UTC; if "
            "the log writes local time, pass --timezone with its zone (e.g. --timezone "
            "Europe/Berlin)"
        ]

    @property
    def auto(self) -> bool:
        """Whether the format is still to be picked from the first lines (`--format auto`)."""
        return self.fmt.is_auto

    def choose_format(self, lines: list[str], source: str = "the input") -> LogFormat:
        """`--format auto`: pick the built-in format that reads most of `lines` (the first
        lines of `source`; blank ones are left out, and counted for the advice) and use it
        from now on; `notes` says which, and the runner-up.
        A binary input, or one no built-in format reads a timestamp from, is an error: a
        format picked there would only turn garbage into events."""
        placeholder = self.fmt
        sample = text_lines(lines[:HEAD_LINES])
        blank = len(lines[:HEAD_LINES]) - len(sample)
        what = f"the first {len(sample):,} lines of {source}"
        first = show_line((sample or [""])[0])
        if looks_binary(sample):
            raise LogbertError(
                f"--format auto: {source} looks binary, not like a text log ({what} hold many "
                f"NUL, control or undecodable bytes; first: {first}): no built-in format fits; "
                "pass the log file itself (gzip is read as is)"
            )
        # (`iso` dates csvlog's lines, `nxos` an alert's second line: both read garbage)
        if hint := pg_csvlog_hint(sample) or alerts_hint(sample):
            raise LogbertError(f"--format auto: {source}: {hint}")
        layout = placeholder.timestamp_format
        ranking = rank_formats(sample, placeholder.year, layout)
        best = ranking[0] if ranking else None
        if layout is None and (best is None or best.dated < AUTO_DATED * best.lines):
            # JSON or logfmt lines whose time is in a layout of their writer's (QA Tyk)
            layout = object_time_layout(sample, placeholder.year)
            if layout is not None:
                ranking = rank_formats(sample, placeholder.year, layout)
                best = ranking[0]
        if best is not None and best.dated < AUTO_DATED * best.lines:
            # JSON objects name their own fields: one per line is evidence enough, dated or
            # not (`check_timestamps` then warns when the events have no time)
            objects = next((s for s in ranking if s.name == JSON), None)
            if objects is not None and objects.split >= SUGGEST_FIT * objects.lines:
                ranking.remove(objects)
                ranking.insert(0, objects)
                best = objects
        if best is None or (best.dated < AUTO_DATED * best.lines and best.name != JSON):
            # a few numbers in messages read as epoch seconds (1885: 1970) are no evidence, nor
            # is a format that split lines it dated none of (QA Squid, S3, JupyterHub: "hpc
            # splits 200 of them" told a user nothing)
            near = ""
            verb = "reads a timestamp from"
            if best is not None and best.dated:
                verb, near = "dates enough of", f" (the best, {best.describe()})"
            example = (
                "'<Date> <Time> <Level> <Component>: <Content>' (plus --timestamp-format if its "
                "time is not ISO 8601)"
            )
            if sample and re.match(ISO_8601, sample[0].split(" ", 1)[0]):
                example = "'<Timestamp> <Content>' (the lines start with an ISO 8601 time)"
            elif sample and re.match(r"1[0-9]{9}(?:\.[0-9]+)?\s", sample[0]):
                example = (
                    "'<Timestamp> <Content>' with --timestamp-format %s (the lines start with "
                    "epoch seconds)"
                )
            elif sample and re.match(r"[0-9]{2}/[0-9]{2}/[0-9]{2} [0-9:]{8}\s", sample[0]):
                # HTCondor's `12/03/26 07:00:00 (pid:1830) ...`, a US date with a two-digit
                # year (QA: the example's ISO time never fitted, and `spark` read yy/MM/dd)
                example = (
                    "'<Date> <Time> <Content>' with --timestamp-format '%m/%d/%y %H:%M:%S' "
                    "(the lines start with a two-digit-year date: '%d/%m/%y' if the day is "
                    "first)"
                )
            elif sample and (first_word := _LEVEL_FIRST.match(sample[0])):
                # logback's `%-5level [%thread] %date ...` (QA Cassandra: the date-first
                # example fitted no line)
                thread = "[<Thread>] " if first_word["thread"] else ""
                example = (
                    f"'<Level> {thread}<Date> <Time> <Content>' (the lines start with a level"
                    + (", a bracketed thread" if thread else "") + " and an ISO 8601 time)"
                )
            advice = layout_hint(sample) or blank_records_hint(len(sample) + blank, blank) or (
                f"pass --format with a format string such as {example}, or --format raw for "
                "lines without a header"
            )
            raise LogbertError(
                f"--format auto: no built-in format {verb} {what}{near}; first: {first}; {advice}"
            )
        self.ranking, self.auto_source = ranking, source
        fmt = resolve_format(best.name, placeholder.year, layout, placeholder.timezone)
        self.fmt, self.schema = fmt, _schema(fmt)
        note = f"format auto: chose {best.describe()}"
        if layout != placeholder.timestamp_format:
            note += f" with --timestamp-format {layout!r} (its times are not ISO 8601)"
        # a runner-up that dates no line is none (QA Android: `runner-up squid (0/200 lines
        # with a timestamp, 198 split)` read as a near miss)
        if len(ranking) > 1 and (ranking[1].dated or not best.dated):
            note += f"; runner-up {ranking[1].describe()}"
        self._notes.append(note)
        return fmt

    def check_choice(self, lines: list[str], fit: InputFit) -> None:
        """`--format auto` with several inputs: check the format chosen from the first input
        against the first lines of a later one. None of them split is an error (the file
        would be all rejects); fewer than half split or dated is a warning; both name the
        built-in format that reads the file best."""
        sample = lines[:HEAD_LINES]
        start = _FORMAT_LINES.get(self.fmt.name or "")
        if start is not None and self.fmt.name != W3C:  # the writer's own lines: no records
            # (a W3C file's `#Fields` name its columns: kept, as the format reads them)
            sample = [line for line in sample if not re.match(start, line)]
        year, given = self.fmt.year, self.fmt.timestamp_format
        # the chosen format alone first: every format on every file cost a folder of small
        # files ~40 ms a file (QA YARN: 1,326 container logs, 313 s)
        mine = next(iter(rank_formats(sample, year, given, (self.fmt.name,))), None)
        if mine is None or not sample:
            return
        n = mine.lines
        if mine.split * 2 >= n and mine.dated * 2 >= n:
            return
        best = rank_formats(sample, year, given)[0]
        what = (
            f"--format auto chose {self.fmt.name} from the first lines of {self.auto_source}, but "
            f"it reads {mine.dated:,} of the first {n:,} lines of {fit.name} with a timestamp "
            f"({mine.split:,} split)"
        )
        if looks_binary(sample):  # a crash dump beside the log (QA SQL Server's Log folder)
            advice = "it looks binary, not like a text log: leave it out (pass the log files)"
        elif hint := alerts_hint(sample):  # another format would read garbage there
            advice = hint
        elif best.name != mine.name and best.dated > mine.dated:
            advice = f"{best.describe()} fits it: parse it in a run of its own with --format "
            advice += best.name
        else:
            advice = "no built-in format reads it better: parse it in a run of its own"
        if mine.split == 0:
            raise LogbertError(f"{what}: every line of it would be rejected; {advice}")
        fit.warned = True
        self._warn_for_input(f"warning: {what}; {advice}", fit.name, AUTO_MISFIT)

    def _level_field(self) -> str | None:
        """The header field holding the level (`LevelMix`), if the format has one and its
        content lacks it (`json` keeps the level in the message too)."""
        if self.fmt.name == JSON:
            return None
        return next(
            (f for f in self.fmt.header_fields if bare_name(f) in ("level", LEVEL_DATE)), None
        )

    def _before_time(self, field: str) -> bool:
        """Whether the format puts `field` before its time fields (`<Level> [<Thread>] <Date>
        <Time> ...`) or in one (klog's `<LevelDate>`): then no format string can leave it
        inside <Content>."""
        spec, fields = self.fmt.timestamp, self.fmt.fields
        if spec is None or field not in fields:
            return False
        times = [fields.index(f) for f in spec.fields if f in fields]
        return bool(times) and (field in spec.fields or fields.index(field) < min(times))

    def _say_once(self, note: str) -> None:
        """Add `note` to the run's notes unless it is there already."""
        if note not in self._notes:
            self._notes.append(note)

    def _warn_for_input(self, note: str, name: str, kind: str) -> None:
        """A warning on one input, said for the first `NAMED_INPUTS` inputs of its `kind`; the
        others are counted and named in one line (`_unnamed_inputs`): a folder of 150 files
        alike gave 150 warnings of 700 characters each (QA Jenkins, CloudTrail)."""
        if note in self._notes:
            return
        if self._named[kind] < NAMED_INPUTS:
            self._named[kind] += 1
            self._notes.append(note)
        else:
            self._unnamed.setdefault(kind, []).append(name)

    def _unnamed_inputs(self) -> list[str]:
        return [
            f"warning: {len(names):,} more inputs {kind}, as above (first {names[0]}, last "
            f"{names[-1]})"
            for kind, names in self._unnamed.items()
        ]

    # -- state ----------------------------------------------------------------------------
    @property
    def name(self) -> str:
        """`logbert`, `drain3`, or `templates` (a known template list)."""
        return "templates" if self.matcher is not None else self.miner.name

    @property
    def frozen(self) -> bool:
        """Whether known templates are fixed (always, with a known template list)."""
        return self.matcher is not None or isinstance(self.miner, FrozenMiner)

    def freeze(self) -> Parser:
        """From now on a message that fits a known template gets its id and no known template
        changes; the others get new ids above every known one (see `frozen.py`). Idempotent;
        a no-op for a known template list."""
        if not self.frozen:
            self.miner = FrozenMiner(self.miner)
        return self

    @property
    def is_models(self) -> bool:
        """Whether this parser was frozen for a model (`freeze`): its format is the model's,
        so advice to pass parse options does not apply to the logs it reads."""
        return isinstance(self.miner, FrozenMiner)

    @property
    def known_ids(self) -> frozenset[int]:
        """Template ids known when the parser was frozen (empty while it is not)."""
        if self.matcher is not None:
            return frozenset(self.known)
        if isinstance(self.miner, FrozenMiner):
            return self.miner.known_ids
        return frozenset()

    def template_map(self) -> dict[int, str]:
        """Every template id known now (new ones included) -> its current text."""
        if self.matcher is not None:
            return dict(self.known)
        return {t: self.miner.template(t) for t in self.miner.ids}

    def to_state(self) -> dict:
        """Plain JSON: format, parser name, frozen flag, and the miner state or template list."""
        state: dict = {
            "version": STATE_VERSION,
            "format": format_spec(self.fmt),
            "parser": self.name,
            "frozen": self.frozen,
        }
        if self.matcher is not None:
            state["templates"] = [{"id": t, "template": self.known[t]} for t in sorted(self.known)]
        else:
            state["miner"] = miner_state(self.miner)
        severities = self.level_mix.severities(self.trained_severities)
        if severities:  # what a model's scoring compares its levels with (`levels.py`)
            state["severities"] = {str(i): seen for i, seen in severities.items()}
        return state

    @classmethod
    def from_state(cls, state: dict) -> Parser:
        """The parser `to_state` described (LogbertError when `state` is not one)."""
        try:
            fmt = format_from_spec(state["format"])
            run = cls.__new__(cls)
            run.rules_mismatch = None
            if state["parser"] == "templates":
                known = [known_template(int(t["id"]), t["template"]) for t in state["templates"]]
                if not known:
                    raise ValueError("the template list is empty")
                run._setup(fmt, None, known)
            else:
                run._setup(fmt, miner_from_state(state["miner"]), None)
                run.rules_mismatch = rules_mismatch(state["miner"])
                if state.get("frozen"):
                    run.freeze()
            run.trained_severities = {
                int(i): [str(kind) for kind in seen]
                for i, seen in state.get("severities", {}).items()
            }
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            raise LogbertError(f"not a logbert parser state ({exc!r})") from exc
        return run

    # -- parsing --------------------------------------------------------------------------
    def process(
        self,
        lines: Iterable[str] | LineChunk,
        source: str = "<lines>",
        first_line_no: int = 1,
    ) -> ParsedChunk:
        """Parse lines (strings without or with their line end, or a `LineChunk` of a file,
        which brings its own first line number); the streaming entry point."""
        if not isinstance(lines, LineChunk):
            arr = pa.array(lines if isinstance(lines, list) else list(lines), pa.string())
            if len(arr) and pc.any(pc.match_substring_regex(arr, "[\\r\\n]$")).as_py():
                arr = pc.utf8_rtrim(arr, characters="\r\n")
            lines = LineChunk(arr, first_line_no, 0)
        if self.auto and len(lines.lines):
            self.choose_format(lines.lines.slice(0, HEAD_LINES).to_pylist(), source)
        return self._finish(self.prepare(lines, source, self.year_hint(STDIN)))

    def iter_chunks(
        self,
        inputs: list[str],
        on_progress: Callable[[int], None] | None = None,
        block_bytes: int = BLOCK_BYTES,
    ) -> Iterator[ParsedChunk]:
        """Parse files (plain, .gz, or - for stdin) chunk by chunk, in order. The per-line
        work of the next chunks runs in worker threads meanwhile; `on_progress(lines)` is
        called after the caller has taken each chunk. `inputs` records how each input fit
        the format (`InputFit`). A file named twice is an error (checked at the call)."""
        check_inputs(inputs)
        return self._chunks(list(inputs), on_progress, block_bytes)

    def _chunks(
        self, inputs: list[str], on_progress: Callable[[int], None] | None, block_bytes: int
    ) -> Iterator[ParsedChunk]:
        self.inputs = []
        self.empty_inputs = []
        self.binary_inputs = []
        self.shared_lines = SharedLines() if len(inputs) > 1 else None
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            pending: deque[tuple[Future[Prepared], InputFit]] = deque()

            def take() -> Iterator[ParsedChunk]:
                future, fit = pending.popleft()
                done = self._finish(future.result(), fit)
                yield done
                if on_progress:
                    on_progress(done.lines)

            for path, name in zip(inputs, source_names(inputs), strict=True):
                hint = None if self.auto else self.year_hint(path, name)
                fit = InputFit(name)
                new_input = True  # the first chunk of this input starts its own year clock
                has_lines = False
                w3c_fields = None  # the fields a W3C file's directives named so far
                for chunk in read_chunks(path, block_bytes):
                    has_lines = has_lines or bool(len(chunk.lines))
                    if new_input and len(chunk.lines):
                        first = chunk.lines.slice(0, HEAD_LINES).to_pylist()
                        head = text_lines(first)
                        if self.auto:
                            self.choose_format(first, name)
                            hint = self.year_hint(path, name)
                        elif self.auto_source is not None:
                            self.check_choice(head, fit)
                        self.inputs.append(fit)
                    if self.fmt.name == W3C:  # the chunks are split in parallel, named in turn
                        chunk.w3c_fields = w3c_fields
                        w3c_fields = fields_after(chunk.lines, w3c_fields)
                    pending.append((pool.submit(self.prepare, chunk, name, hint, new_input), fit))
                    new_input = False
                    while len(pending) > WORKERS:
                        yield from take()
                if not has_lines:
                    self.empty_inputs.append(name)
            while pending:
                yield from take()
        copies = self._note_same_start()  # before `close` lets the inputs' first lines go
        self._note_shared_lines(copies)
        self._note_partial_records()
        self.binary_inputs = [(f.name, f.head[0]) for f in self.inputs if looks_binary(f.head)]
        for fit in self.inputs:
            fit.close()
        if self.auto:
            raise LogbertError("--format auto: the input has no lines to pick a format from")
        self.check_timestamps()
        self._note_undated()
        self._note_midnight()
        self._note_day_month()
        level, templates = self._level_field(), self.template_map()
        mixes = [self.event_field_mix.warning(templates)]
        mixes.append(self.program_mix.warning(templates, self.fmt.written or self.fmt.format))
        if level is not None:
            before = self._before_time(level)
            raised = None
            if self.trained_severities:
                raised = self.level_mix.raised_warning(level, templates, self.trained_severities)
            # one warning of the level's blind spot: the raised one names what scoring misses
            # (QA Pacemaker: both, worded alike, for one line)
            mixes.insert(0, raised or self.level_mix.warning(level, templates, before_time=before))
            mixes.insert(0, self.level_mix.numeric_scale_warning(level))
        for mixed in mixes:
            if mixed:
                self._say_once(mixed)
        self._note_counted_times()
        self._note_mixed_offsets()
        self._note_json_by_format_string()
        self._note_local_w3c_time()

    def _note_local_w3c_time(self) -> None:
        """A warning when a W3C file says its times are local (Windows Firewall's `#Time
        Format: Local`) and no --timezone names the zone: they are read as UTC, so windows and
        alerts are off by the zone's offset (QA Windows Firewall: alerts an hour off, `Z` and
        all, said only by `evaluate` against labels)."""
        if self.fmt.name != W3C or self.fmt.timezone is not None:
            return
        if any(line.strip().lower().startswith("#time format: local") for line in self.head):
            self._say_once(
                "warning: timestamps: the log says '#Time Format: Local': its times are the "
                "host's local time, read as UTC, so time windows, session times and alerts are "
                "off by the zone's offset; name the host's zone with --timezone (e.g. "
                "--timezone Europe/Berlin)"
            )

    def _note_shared_lines(self, copies: set[str]) -> None:
        """A warning when most of an input's lines are in another input too (`shared_lines`),
        but for inputs already said to be copies."""
        if self.shared_lines is None:
            return
        lines = {fit.name: fit.lines for fit in self.inputs}
        found = self.shared_lines.warning(lines, left_out=copies)
        if found:
            self._say_once(found)

    def _note_same_start(self) -> set[str]:
        """A warning when two inputs start with the same `HEAD_LINES` lines: the same log under
        two names (`gunzip -k` leaves `app.log.2` beside `app.log.2.gz`, and `app.log*` names
        both), whose events are then read twice. The same file named twice is refused
        (`check_inputs`); a copy is not the same file, and short identical files (per-device
        boot logs) can be distinct logs, so it is a warning (QA: F1 0.34, with only an
        out-of-time-order note pointing elsewhere)."""
        seen: dict[tuple[str, ...], str] = {}
        copies: list[tuple[str, str]] = []
        for fit in self.inputs:
            if len(fit.head) < HEAD_LINES:
                continue
            first = seen.setdefault(tuple(fit.head), fit.name)
            if first != fit.name:
                copies.append((first, fit.name))
        if copies:
            (first, copy), more = copies[0], len(copies) - 1
            self._say_once(
                f"warning: {copy} starts with the same {HEAD_LINES} lines as {first}"
                + (f" ({more:,} more such inputs)" if more else "")
                + ": the same log under two names (`gunzip -k` leaves both the file and its "
                ".gz)? Its events are read twice; pass each log once"
            )
        return {name for pair in copies for name in pair}

    def _count_partial_records(self, chunk: LineChunk, name: str) -> None:
        """Count the chunk's lines that are CRI partial records, keeping the first."""
        partial = pc.fill_null(pc.match_substring_regex(chunk.lines, CRI_PARTIAL), False)
        found = int(pc.sum(partial).as_py() or 0)
        if found and self._first_partial is None:
            row = int(np.argmax(partial.to_numpy(zero_copy_only=False)))
            self._first_partial = (name, chunk.first_line_no + row)
        self._partials += found

    def _note_partial_records(self) -> None:
        """A warning when lines are a container runtime's partial records, with the `awk`
        that joins them (`CRI_PARTIAL`)."""
        if not self._partials or self._first_partial is None:
            return
        source, line_no = self._first_partial
        self._say_once(
            f"warning: {self._partials:,} lines are partial records of a container runtime's "
            f"log (CRI, `<time> stdout P <part>`; the first, {source}:{line_no}): the runtime "
            "split each line longer than 16 KiB into parts, and each part is read as a line of "
            f"its own (an event or a reject); join them first: {JOIN_PARTIALS}"
        )

    def _clock(self, prep: Prepared) -> YearClock:
        """The year clock of the chunk's input (a new one where a file starts)."""
        clock = self._clocks.get(prep.name)
        if clock is None or prep.new_input:
            if clock is not None:
                self._clocks_done.append(clock)
            before = self._last_clock
            clock = self._clocks[prep.name] = YearClock(prep.name, zone=self.fmt.timezone)
            spec = self.fmt.timestamp
            if before is not None and spec is not None and spec.needs_year and spec.year:
                clock.after = before.end()  # one --year for inputs read in turn (`clock.py`)
                clock.previous = before.source
            self._last_clock = clock
        return clock

    # -- one chunk ------------------------------------------------------------------------
    def unfit_rows(self, lines: pa.Array) -> np.ndarray:
        """Positions of the `lines` the format does not read and that are not blank: those
        `prepare` rejects, found without its per-line work after the split (a service's
        answer names them before the engine parses them)."""
        ok, _ = split_lines(lines, self.fmt)
        return np.flatnonzero(~(ok | _blank(lines) | self._directives(lines)))

    def _directives(self, lines: pa.Array) -> np.ndarray:
        """Which lines are a W3C (or Zeek) file's `#` directives, or logcat's buffer markers
        (`_FORMAT_LINES`): the writer's own lines, no event, and no sign the format does not
        fit (QA Zeek: an hourly notice.log's nine directives were "21% of lines do not fit
        format w3c: their events are left out"; QA Android: a capture's `--------- beginning
        of main` came with advice to join it to the record before)."""
        start = _FORMAT_LINES.get(self.fmt.name or "")
        if start is None:
            return np.zeros(len(lines), bool)
        found = pc.match_substring_regex(lines, f"^(?:{start})")
        return pc.fill_null(found, False).to_numpy(zero_copy_only=False)

    def prepare(
        self, chunk: LineChunk, name: str, hint: YearHint | None = None, new_input: bool = False
    ) -> Prepared:
        """Everything per chunk that does not touch the miner (runs in worker threads);
        `hint` gives the year when the format writes none; `new_input`: the chunk starts an
        input file (its year rollovers are counted afresh)."""
        n = len(chunk.lines)
        line_no = np.arange(chunk.first_line_no, chunk.first_line_no + n, dtype=np.int64)
        ok, cols = split_lines(chunk.lines, self.fmt, chunk.w3c_fields)
        blank = _blank(chunk.lines)
        # a blank line "fits" --format raw, `log show`'s closing counts fit `macos`: no events
        directives = self._directives(chunk.lines)
        if (ok & (blank | directives)).any():
            cols = {k: v.filter(pa.array(~(blank | directives)[ok])) for k, v in cols.items()}
            ok = ok & ~blank & ~directives
        prep = Prepared(chunk, name, ok, blank, line_no[ok], cols, directives, new_input=new_input)
        if self.shared_lines is not None:
            prep.line_sample = line_sample(chunk.lines)
        prep.stamped_at_start = self.fmt.name == W3C and (
            "ts" in (chunk.w3c_fields or ())
            or bool(pc.any(pc.starts_with(chunk.lines, ZEEK_FIELDS_DIRECTIVE)).as_py())
        )
        spec = self.fmt.timestamp
        prep.timed = spec is not None and (not spec.needs_year or spec.year is not None or (
            hint is not None))  # fmt: skip
        if len(prep.line_no) == 0:
            return prep
        content = cols["Content"]
        check_meridiem(cols, self.fmt)
        year, not_after = (hint.year, hint.not_after) if hint is not None else (None, None)
        prep.timestamp = parse_timestamps(cols, spec, len(prep.line_no), year, not_after)
        text = timestamp_text(cols, spec)
        zone = zone_field(cols, spec.fields) if text is not None else None
        if zone is not None:  # `<Date> <Time> <Zone>`: CET times stored in UTC
            zones = cols[zone]
            if self.fmt.timezone is not None:  # lines without one in --timezone's (QA PHP-FPM:
                # `[06-Dec-2026 11:00:01]` beside `... UTC]` lines stayed an hour off, and
                # --timezone was said to have changed none)
                empty = pc.fill_null(pc.equal(zones, ""), True)
                prep.zoned = int(pc.sum(pc.and_(empty, pc.is_valid(prep.timestamp))).as_py() or 0)
                zones = pc.if_else(empty, self.fmt.timezone, zones)
            prep.timestamp, prep.zones = apply_zone(prep.timestamp, text, zones)
            prep.zone_name = zone
        elif text is not None and self.fmt.timezone is not None:  # --timezone: all in UTC now
            given = pa.array([self.fmt.timezone] * len(text), pa.string())
            prep.timestamp, prep.skipped_hour = apply_zone(prep.timestamp, text, given)
            prep.in_utc = len(text)
            own = pc.sum(pc.match_substring_regex(text, OWN_OFFSET)).as_py() or 0
            prep.zoned = len(text) - text.null_count - int(own)
        elif text is not None:  # times that say their offset (`_note_mixed_offsets`)
            own = pc.fill_null(pc.match_substring_regex(text, OWN_OFFSET), False)
            prep.in_utc = int(pc.sum(own).as_py() or 0)
            # ... and those dated that do not (QA Falco: undated lines were counted)
            naive = pc.and_(pc.is_valid(prep.timestamp), pc.invert(own))
            prep.naive = int(pc.sum(naive).as_py() or 0)
        prep.not_after = not_after
        if self.matcher is None:
            if self.miner.masks_input:
                distinct, codes, words_text = mask_array(content)
                prep.words = _words(words_text)
            else:
                enc = pc.dictionary_encode(content)
                distinct, codes = enc.dictionary, enc.indices.to_numpy(zero_copy_only=False)
            prep.messages, prep.codes = distinct.to_pylist(), codes
        return prep

    def _note_json_by_format_string(self) -> None:
        """A warning when a format string reads lines that are JSON objects: it takes them as
        text, whose fields come in any order and without spaces, where `--format json` reads
        them by name (QA Traefik: one template of 470 Decrypt, GetItem and PutItem events, and
        every line undated, with 0 rejected and no word said)."""
        if self.fmt.name != "custom" or not self.head:
            return
        objects = sum(1 for line in self.head if _looks_like_json_object(line))
        if objects * 2 > len(self.head):
            self._say_once(
                f"warning: {objects:,} of the first {len(self.head):,} lines are JSON objects: "
                f"format {display_name(self.fmt)} reads them as text, whose fields come in any "
                "order and without spaces between them, so different events share templates; "
                "--format json reads their fields by name"
            )

    def templates_for(self, prep: Prepared) -> tuple[np.ndarray, pa.Array, pa.Array]:
        """(template ids, template texts, params) for a prepared chunk (serial: the miner)."""
        content = prep.cols["Content"]
        if self.matcher is not None:
            ids, params = self.matcher.match(content)
            texts = {t: self.known[t] for t in np.unique(ids) if t >= 0}
            return ids, _texts(ids, texts), params
        codes, uniq = prep.codes, prep.messages
        counts = np.bincount(codes, minlength=len(uniq))
        uniq_ids = np.asarray(self.miner.add(uniq, counts), dtype=np.int64)
        ids = uniq_ids[codes]
        texts = {int(t): self.miner.template(int(t)) for t in np.unique(uniq_ids)}
        if self.miner.masks_input:
            params = _params_by_position(prep.words, ids, texts)
        else:
            params = _params_by_regex(content, ids, texts)
        return ids, _texts(ids, texts), params

    def params_for(self, content: pa.Array, ids: np.ndarray, texts: dict[int, str]) -> pa.Array:
        """The params of messages `content` under templates `ids` (`texts`: id -> text), as
        `templates_for` takes them: the words at the `<*>` positions, or a template's regex
        for a miner that masks by itself. For rows whose template generalised after they
        were written (`summary._refresh_template_texts`)."""
        if self.miner.masks_input:
            return _params_by_position(_words(mask_array(content)[2]), ids, texts)
        return _params_by_regex(content, ids, texts)

    def _note_zone_field(self, prep: Prepared) -> None:
        """Keep the zone names a header field outside the timestamp applied (`<Zone>` = `CET`,
        `zones.apply_zone`), and the first it could not (`CST` names several zones): those
        lines' times stay as written, read as UTC (`summary.zone_field_warnings`)."""
        if prep.zones is None:
            return
        self.zones_applied |= prep.zones.applied
        if self.zone_example is None and prep.zones.unapplied:
            self.zone_example = (prep.zone_name, min(prep.zones.unapplied))

    def _count_skipped_hour(self, use: ZoneUse | None) -> None:
        """Keep the count of local times in the hour a zone skips in spring, and the first
        (`zones._regional_offsets`, `summary.zone_field_warnings`)."""
        if use is None or not use.skipped:
            return
        self.skipped_hour += use.skipped
        self.skipped_example = self.skipped_example or use.skipped_example

    def _check_inner_time(self, prep: Prepared) -> None:
        """Once per run, on the first dated chunk of a format whose time writes no zone:
        whether the messages' own zoned times put the header in local time
        (`inner_time.inner_time_warning`)."""
        if self._inner_time_checked or not prep.timed or prep.in_utc or prep.zones is not None:
            return
        self._inner_time_checked = True
        warning = inner_time_warning(prep.timestamp, prep.cols["Content"])
        if warning is not None:
            self._say_once(warning)

    def _count_spaced_fields(self, prep: Prepared) -> None:
        """Count events whose one-word field (`ONE_WORD_FIELDS`) holds several words (`INFO
        api-7f9c`: the logs write a header field the format lacks, so it is read into this
        one), keeping the first of each. Not for fields read by name: a logfmt or JSON value
        may hold spaces, Prometheus' `component="scrape manager"` (QA: told to add a field to
        a format string that `logfmt` has none of)."""
        if self.fmt.name in (JSON, LOGFMT, TIDB):
            return
        for name in (*ONE_WORD_FIELDS, *self._own_fields(prep)):
            if name not in prep.cols or name in _SPACED_FIELDS.get(self.fmt.name or "", ()):
                continue
            value = pc.utf8_trim_whitespace(prep.cols[name])  # `[WARN ]`: padding, one word
            spaced = pc.match_substring(value, " ").to_numpy(zero_copy_only=False)
            self.spaced_fields.setdefault(name, RowCount()).add(prep, spaced, value)

    def _count_level_hosts(self, prep: Prepared) -> None:
        """Count events whose <Host> is a level word, keeping the first
        (`summary.level_host_warning`)."""
        if "Host" not in prep.cols:
            return
        value = prep.cols["Host"]
        named = pc.fill_null(pc.is_in(pc.utf8_lower(value), LEVEL_WORDS), False)
        self.level_hosts.add(prep, named.to_numpy(zero_copy_only=False), value)

    def _own_fields(self, prep: Prepared) -> list[str]:
        """A format string's other header fields (not the time's, not the message): one word
        on nearly every line, several on a few means those lines hold text the format lacks
        (`summary.spaced_field_warnings`); a built-in format's fields are known."""
        if self.fmt.name in BUILTIN_FORMATS:
            return []
        clock = set(self.fmt.timestamp.fields) if self.fmt.timestamp else set()
        return [f for f in prep.cols if f not in (*ONE_WORD_FIELDS, *clock, "Content")]

    def _count_wordless_level(self, prep: Prepared) -> None:
        """Count events whose format string's <Level> holds punctuation alone or a UTC
        offset (`|`, `+0100`: the format string lacks a separator or a field the lines write,
        QA loguru, every field read one place off and no level ever met), keeping the first
        (`summary.wordless_level_warning`); a built-in format's level is known."""
        if "Level" not in prep.cols:
            return
        value = pc.utf8_trim_whitespace(prep.cols["Level"])
        if self.fmt.name in LEVEL_WORD_FORMATS:  # ... or a built-in format's, no level word
            # (QA Uptime Kuma: `--format hclog` read `[MONITOR] WARN: ...` with the module as
            # every line's level, unsaid)
            wordless = pc.invert(pc.is_in(pc.utf8_lower(value), LEVEL_WORDS))
            self.wordless_level.add(prep, wordless.to_numpy(zero_copy_only=False), value)
            return
        if self.fmt.name in BUILTIN_FORMATS:
            return
        # ... or a UTC offset (QA Dagster: `<Date> <Time> <Level>` read `+0100` as the level)
        wordless = pc.match_substring_regex(value, r"^(?:[^\w\s]+|[+-]\d\d:?\d\d)$")
        wordless = pc.fill_null(wordless, False)
        self.wordless_level.add(prep, wordless.to_numpy(zero_copy_only=False), value)
        # ... and a word that is no level, nor a level's letter or number (QA Packer: `<Date>
        # <Time> <Level> <Content>` on lines that write none, `ui:`, a plugin's name or a
        # message's first word the level, and that word left out of every event, unsaid)
        bare = pc.utf8_lower(pc.replace_substring_regex(value, r"[^\w]", ""))
        letter = pc.match_substring_regex(bare, r"^(?:[a-z]|[0-9]*)$")  # `I`, `<6>`
        named = pc.or_(pc.is_in(bare, LEVEL_WORDS), letter)
        # (several words there are another warning's, a header field the format lacks)
        spaced = pc.match_substring_regex(value, r"\s")
        levelless = pc.and_(pc.invert(named), pc.invert(pc.or_(wordless, spaced)))
        levelless = pc.fill_null(levelless, False)
        self.levelless.add(prep, levelless.to_numpy(zero_copy_only=False), value)

    def _count_empty_messages(self, prep: Prepared) -> None:
        """Count events whose message is empty (a time alone on its line, read by a format
        that lets the message out: QA Oracle, 2,830 such events one empty template, and a
        model of windows made of it), keeping the first."""
        empty = pc.equal(pc.utf8_trim_whitespace(prep.cols["Content"]), "")
        self.empty_messages.add(prep, pc.fill_null(empty, False).to_numpy(zero_copy_only=False))
        if self.fmt.name in BUILTIN_FORMATS:
            return
        # ... and a format string's events whose message starts with a UTC offset (QA
        # apcupsd: `<Date> <Time> <Content>` on `2026-12-05 10:00:00 +0100  Power failure.`,
        # every time an hour off, two at summer time, and the offset a word of every event)
        offset = r"^\s*[+-][0-9]{2}:?[0-9]{2}(?:\s|$)"
        first = pc.match_substring_regex(prep.cols["Content"], offset)
        first = pc.fill_null(first, False).to_numpy(zero_copy_only=False)
        self.offset_first.add(prep, first, prep.cols["Content"])

    @property
    def join_head(self) -> list[str]:
        """The first lines of the input whose lines were rejected first (of the run's when
        none were): how its records start tells the awk that joins their continuation lines
        (QA Seafile: seahub.log's rejects were told to join by seafile.log's `[date]`, and
        the join made the whole file one line)."""
        return self._rejecting_head or self.head

    def _finish(self, prep: Prepared, fit: InputFit | None = None) -> ParsedChunk:
        """Serial part of a chunk: rejects, miner, parameters -> a `ParsedChunk` (counted in
        `fit`, its input's record, for a file's chunks)."""
        chunk, ok, line_no, cols = prep.chunk, prep.ok, prep.line_no, prep.cols
        if len(self.head) < HEAD_LINES:
            self.head += text_lines(chunk.lines.slice(0, HEAD_LINES - len(self.head)).to_pylist())
        self._count_partial_records(chunk, prep.name)
        if self.shared_lines is not None and prep.line_sample is not None:
            self.shared_lines.add(prep.name, prep.line_sample)
        rejects: list[tuple[str, int, str]] = []
        directives = prep.directives
        bad = np.flatnonzero(~(ok | prep.blank | directives))
        if len(bad):
            texts = chunk.lines.take(pa.array(bad)).to_pylist()
            first = chunk.first_line_no
            rejects = [(prep.name, first + int(i), t) for i, t in zip(bad, texts, strict=True)]
            problems = [
                r for r in rejects
                if _PROBLEM_LEVEL_WORD.search(r[2]) and not looks_like_continuation(r[2])
            ]
            self.problem_rejects += len(problems)
            if problems and self.problem_reject_example is None:
                self.problem_reject_example = problems[0]
            if len(self.rejected_head) < HEAD_LINES:
                self.rejected_head += text_lines(texts[: HEAD_LINES - len(self.rejected_head)])
            if not self._rejecting_head:
                self._rejecting_head = text_lines(chunk.lines.slice(0, HEAD_LINES).to_pylist())
        blank, n_directives = int(prep.blank.sum()), int(directives.sum())
        if fit is not None:  # directives, like blank lines, are left out of the fit
            fit.add(chunk.lines, len(rejects), blank + n_directives, count_continuations(rejects))
        out = ParsedChunk(
            self.schema.empty_table(), rejects, len(chunk.lines), chunk.undecodable, 0,
            blank=blank, directives=n_directives,
        )
        m = len(line_no)
        if m == 0:
            return out
        if prep.timed:
            clock, needs_year = self._clock(prep), self.fmt.timestamp.needs_year
            if needs_year:
                prep.timestamp = clock.apply(prep.timestamp, line_no, prep.not_after)
            clock.count_steps(prep.timestamp, line_no, said_jumps=needs_year)
            self._count_dated(prep, fit)
        self._count_spaced_fields(prep)
        self._count_level_hosts(prep)
        self._count_wordless_level(prep)
        self._count_empty_messages(prep)
        self._note_zone_field(prep)
        self._zoned_rows += prep.zoned
        self._count_skipped_hour(prep.zones or prep.skipped_hour)
        self._naive_rows += prep.naive
        self._check_inner_time(prep)
        ids, texts, params = self.templates_for(prep)
        level = self._level_field()
        if level is not None:
            self.level_mix.add(ids, level_values(level, cols[level]), prep.name, line_no)
        if self.fmt.name == "custom":  # a format string's fields: a built-in's are ours
            named = {f: cols[f] for f in self.fmt.header_fields if is_event_field(f)}
            if named:
                self.event_field_mix.add(ids, named)
        if PROGRAM_FIELD in cols and not self.is_models and SYSLOG_TAG in self.fmt.format:
            self.program_mix.add(ids, cols[PROGRAM_FIELD])
        unmatched = ids < 0
        out.unmatched = int(unmatched.sum())
        uniq, cnt = np.unique(ids[~unmatched], return_counts=True)
        out.template_counts = dict(zip(uniq.tolist(), cnt.tolist(), strict=True))
        fmt = self.fmt
        label = cols[fmt.label] if fmt.label and fmt.label in cols else pa.nulls(m, pa.string())
        arrays = {
            "line_no": pa.array(line_no),
            "source": pa.DictionaryArray.from_arrays(
                pa.array(np.zeros(m, np.int32)), pa.array([prep.name])
            ).cast(pa.string()),
            "timestamp": prep.timestamp,
            **{f: cols[f] for f in fmt.header_fields},
            "content": cols["Content"],
            "template_id": pa.array(ids, mask=unmatched),
            "template": texts,
            "params": params,
            "label": label,
        }
        out.events = pa.table(arrays, schema=self.schema)
        return out


# -- whole run --------------------------------------------------------------------------------
def parse_files(
    inputs: list[str],
    fmt: LogFormat,
    output: Path,
    parser: str = "logbert",
    templates: Path | None = None,
    state: Path | None = None,
    on_progress: Callable[[int], None] | None = None,
    block_bytes: int = BLOCK_BYTES,
) -> ParseSummary:
    """Parse `inputs` into `output` (+ templates.csv and rejects file); see the module doc."""
    check_output(output, state)
    check_inputs(inputs)
    run = Parser(fmt, parser, templates, state)
    return write_run(run, inputs, output, state, on_progress, block_bytes)


def _looks_like_json_object(line: str) -> bool:
    text = line.strip()
    if not (text.startswith("{") and text.endswith("}")):
        return False
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False
