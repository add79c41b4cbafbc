"""The half of `Parser` that dates events and says what went wrong with their times.

A `Parser` counts, per chunk, how many events got a timestamp (`_count_dated`) and keeps the
first lines worth naming; after a run these methods turn the counts into the run's notes and
errors: no timestamp on any line (an error naming the first line and the layout expected,
`check_timestamps`), few lines dated (`_note_undated`), one input undated among dated ones,
times at midnight only, times before 1980 (seconds since a boot), offsets on some inputs only,
and where the year of a year-less format came from (`year_hint`, `_year_notes`).

`DatingChecks` is a mixin of `Parser` (`pipeline.py`), kept apart so that the parser's stream
of chunks reads in one sitting: it uses the parser's `fmt`, `inputs`, `head`, `rejected_head`,
`is_models`, `_notes` and its counters (set in `Parser._setup`), and says things through
`_say_once` and `_warn_for_input`.
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from logbert.errors import LogbertError
from logbert.parsing.auto import InputFit, _suggestion, layout_of, looks_binary, show_line
from logbert.parsing.chunk import Prepared
from logbert.parsing.formats import (
    BUILTIN_FORMATS,
    LogFormat,
    display_name,
    regex_text_hint,
    timestamp_text,
)
from logbert.parsing.json_lines import JSON, TIME_KEYS
from logbert.parsing.logfmt import LOGFMT
from logbert.parsing.reader import STDIN, source_name

# a time of day written as midnight, `00:00:00`, `0:00` (its text, before any zone applied)
_WRITTEN_MIDNIGHT = r"(?:^|[^0-9])0?0:00(?::00)?(?:[^0-9:]|$)"
# what to do when logs read by a model's parser do not give its format's timestamps
_MODEL_LAYOUT = (
    "the model reads logs in the format it was trained on: score logs written like its "
    "training logs, or train a model on these (`logbert train LOG --logs --format ...`)"
)


# a time of day alone, `21:30:00.123`, `9:05 PM`
_CLOCK_ONLY = re.compile(r"\d{1,2}:\d\d(?::\d\d(?:[.,]\d+)?)?(?: ?[AaPp][Mm])?")


_MERIDIEM = re.compile(r"(?i)[ap]\.?m\.?")


def check_meridiem(columns: dict[str, pa.Array], fmt: LogFormat) -> None:
    """Refuse a --timestamp-format that reads a 24-hour `%H` where a field beside the time,
    or the message's first word, holds AM/PM: every afternoon time would be read as the
    morning's, unsaid (QA NestJS: `12/05/2026, 12:05:00 AM` read as noon, a day's log
    "stepping back 11 h 59 min")."""
    given, spec = fmt.timestamp_format, fmt.timestamp
    if not given or "%H" not in given or "%p" in given or spec is None:
        return
    for name, column in columns.items():
        if name in spec.fields or not len(column):
            continue
        head = column.slice(0, 50).to_pylist()  # a sample: the chunk's first values
        first = [str(w).split(None, 1)[0] for w in head if w and str(w).strip()]
        if first and all(_MERIDIEM.fullmatch(w) for w in first):
            where = "the message's first word" if name == "Content" else f"field <{name}>"
            raise LogbertError(
                f"--timestamp-format {given!r} reads a 24-hour hour (%H), but {where} holds "
                f"AM/PM (e.g. {first[0]!r}): every time after noon would be read as the "
                "morning's; use %I with %p and put that field in the time, e.g. "
                "'%m/%d/%Y %I:%M:%S %p' with '<Date> <Time> <Meridiem> ...'"
            )


@dataclass(frozen=True)
class YearHint:
    """The year for timestamps of a format that writes none, for one input."""

    year: int
    not_after: int | None = None  # µs since the epoch: later dates go to the year before


# inputs dated by their modification time named one by one; more are counted by year
YEAR_NOTES = 5
UNDATED_INPUT = "with no timestamp while the other inputs' lines are dated"
AT_MIDNIGHT = "dated at midnight only"

# a timestamp before this is a count of seconds (uptime) read as epoch time, not a date
COUNTED_BEFORE = datetime(1980, 1, 1)
MONTH_DAYS_KEPT = 64  # distinct (month, day) pairs of dated events kept (`_note_day_month`)

# what a JSON line needs to be dated (`--format json`), for messages
_TIME_KEY = f"a time key holding a date or epoch time ({', '.join(TIME_KEYS)})"


class DatingChecks:
    """Dates and timestamp warnings of a `Parser` run (see the module doc)."""

    def year_hint(self, path: str, source: str | None = None) -> YearHint | None:
        """The year for `path`'s timestamps when the format writes none and --year was not
        given: the file's modification time; for stdin (and live lines, `process`) the
        current date, as syslog tools date what they receive now; adds a note saying which
        (`source`: the input's name there, default `source_name(path)`). A --year that the
        format has no use for gets a warning: the user expected it to date something."""
        ts = self.fmt.timestamp
        name = display_name(self.fmt)
        if ts is None or not ts.needs_year:
            if ts is not None and self.fmt.timestamp_format is not None:
                self._note_written(path, source)  # a layout misread: dates after it was written
            if self.fmt.year is not None:
                if ts is None:
                    why = f"format {name} reads no timestamp"
                elif self.fmt.timestamp_format is not None:
                    why = f"--timestamp-format {self.fmt.timestamp_format!r} reads the year"
                elif ts.guessed:  # a lone <Time>: not said to write a year (QA Guacamole)
                    fields = " ".join(f"<{f}>" for f in ts.fields)
                    why = (
                        f"format {name} reads {fields} as a whole ISO 8601 or epoch timestamp, "
                        "which holds its own date; a year does not date a time of day alone"
                    )
                else:
                    why = f"format {name} writes the year in its timestamps"
                note = f"warning: --year {self.fmt.year} is ignored: {why}"
                self._say_once(note)
            return None
        if ts.year is not None:
            note = f"timestamps: format {name} writes no year; using {ts.year} (--year)"
            self._say_once(note)
            self._note_written(path, source)  # to tell dates after it was written
            return None
        if path == STDIN:
            seconds, where, what = time.time(), "stdin", "the current date"
        else:
            try:
                seconds = os.stat(path).st_mtime
            except OSError:
                return None
            where, what = source or source_name(path), "the file's modification time"
        when = datetime.fromtimestamp(seconds, UTC)
        if where not in self._year_sources:  # once per input (live lines ask every batch)
            self._year_sources[where] = (when, what)
        return YearHint(when.year, int(seconds * 1_000_000) + 86_400_000_000)

    def _note_written(self, path: str, source: str | None) -> None:
        """Keep a file's modification time, µs, for `clock.after_written_warning`."""
        if path != STDIN and os.path.isfile(path):
            self._written[source or source_name(path)] = int(os.stat(path).st_mtime * 1e6)

    def _year_notes(self) -> list[str]:
        """Where the years of year-less timestamps came from: a note per input, or for more
        than `YEAR_NOTES` inputs one note counting them by year (QA: 300 boot logs gave 300
        lines of notes)."""
        sources = self._year_sources
        if not sources:
            return []
        name = display_name(self.fmt)
        if len(sources) <= YEAR_NOTES:
            return [
                f"timestamps: format {name} writes no year; {where}: {when.year} from {what} "
                f"({when:%Y-%m-%d}; dates more than a day after it are taken in {when.year - 1}); "
                "pass --year YYYY to choose"
                for where, (when, what) in sources.items()
            ] + self._training_year_warning()
        by_year = Counter(when.year for when, _ in sources.values())
        years = ", ".join(f"{year} ({count:,} files)" for year, count in sorted(by_year.items()))
        return [
            f"timestamps: format {name} writes no year; {len(sources):,} inputs took it from "
            f"their modification times: {years} (dates more than a day after a file's are taken "
            "in the year before); pass --year YYYY to choose"
        ] + self._training_year_warning()

    def _training_year_warning(self) -> list[str]:
        """A warning where a model's logs were dated by --year at training and these took
        another year (from their files, no --year now): the README says --year dated the
        training files only, but a model trained on logs of 2024 scoring them as 2026 was only
        a note, its sessions' times two years off (QA Harbor)."""
        trained = getattr(self, "trained_year", None)
        other = sorted({when.year for when, _ in self._year_sources.values()} - {trained})
        if trained is None or not other:
            return []
        years = ", ".join(str(year) for year in other)
        return [
            f"warning: the model's training logs were dated {trained} by --year, and these "
            f"inputs took {years} (no --year given now): if they are of {trained}'s logs, "
            f"pass --year {trained}; their sessions' times, and windows across a new year, "
            "follow it"
        ]

    @property
    def timeless_json(self) -> bool:
        """Whether these are JSON (or logfmt) lines of which none has a time key (`TIME_KEYS`):
        their events are undated by the log itself, which is a warning, not a misfit (QA
        Cilium: `level=info msg="..." subsys=daemon`, `kubectl logs` of an older agent, was
        refused by `logfmt`, which pointed to `auto`, which had refused it too)."""
        return self.fmt.name in (JSON, LOGFMT) and self._events > 0 and not self._time_text

    def check_timestamps(self) -> None:
        """Raise when the format has a timestamp rule, events were read and none had a
        timestamp (naming the first line and what it should hold)."""
        spec = self.fmt.timestamp
        if spec is None or self._events == 0 or self._dated > 0 or self._first is None:
            return
        source = self._first[0]
        if self.timeless_json:  # JSON lines without a time key: undated, not misread
            # (QA Windows: `--timestamp-format` given for a `TimeCreated` key the reader did
            # not take read nothing, unsaid)
            given = self.fmt.timestamp_format
            unused = (
                f"; --timestamp-format {given!r} reads the value of such a key only: name "
                "the time's key `time`" if given else ""
            )  # fmt: skip
            self._say_once(
                f"warning: {'JSON' if self.fmt.name == JSON else 'logfmt'} lines: no line has "
                f"{_TIME_KEY}, so events have no timestamps: "
                "sessions by --by-id, --by-field or --lines work; time windows, session "
                f"lifetimes and chronological splits need a time{unused}"
            )
            return
        timed = self._first_time_text
        if _time_optional(self.fmt) and timed and re.search(r"\d[:/.T-]\d", timed[3]):
            # ... but lines whose time fields hold text none of which reads are misread (QA
            # Discourse: `--timestamp-format '... %z'` beside a <Zone> field, every time null,
            # exit 0, and the zone said to be applied): the error below names the first that
            # holds a date or a time (a count, `2 tests failed`, is a message's first word)
            self._first = timed
        elif _time_optional(self.fmt):
            # a format string that lets the time out, `(\[<Timestamp>\] )?<Content>`: lines
            # without one are undated by the log, not misread (QA Jenkins: a build without the
            # timestamper plugin was refused by a model trained on such builds)
            self._say_once(
                f"warning: format {display_name(self.fmt)} found a time in none of the "
                f"{self._events:,} lines (the first, {self._has_time(self._first)}), so events "
                "have no timestamps: sessions by --by-id, --by-field or --lines work; time "
                "windows, session lifetimes and chronological splits need a time"
            )
            return
        if spec.guessed:  # a lone <Time>/<Date> that is not a whole timestamp: maybe a clock
            note = (
                f"warning: format {display_name(self.fmt)} dates no line: "
                f"{self._has_time(self._first)}, so sessions have no times (time windows, "
                "session lifetimes and chronological splits need them); "
                f"{self._layout_advice()}"
            )
            self._say_once(note)
            return
        binary = f"{source} looks binary, not like a text log: " if looks_binary(self.head) else ""
        if self.is_models:
            raise LogbertError(
                f"{binary}these logs do not fit the model's log format {display_name(self.fmt)}: "
                f"it read no timestamp from any of the {self._events:,} lines it split into "
                "its fields (the first, "
                f"{self._has_time(self._first)}); {_MODEL_LAYOUT}"
            )
        rejected = sum(fit.rejected for fit in self.inputs)
        unfit = (  # QA hclog: 1 banner line split, 11,400 lines rejected unsaid
            f" ({rejected:,} other lines did not fit it at all, e.g. "
            f"{show_line(self.rejected_head[0])})"
            if rejected > self._events and self.rejected_head
            else ""
        )
        # a time that begins or ends with a bracket: likely one the format string meant as
        # written (QA auditd: `msg=audit(<Timestamp>:...)` read `(1763683348.023`)
        value = self._first[3].strip()
        bracket = re.search(r"^[(\[{]|[)\]}]$", value)
        signs = regex_text_hint(self.fmt) + "; else " if bracket else "; "
        closing = {"[": "]", "(": ")", "{": "}"}.get(value[:1])
        # ... if what they hold looks like a time, not a process id (QA Pacemaker: `[1234]` was
        # called a time written in brackets)
        timelike = re.search(r"\d[:/.T-]\d|^.\d{9,}", value) is not None
        if closing and value.endswith(closing) and timelike and not regex_text_hint(self.fmt):
            # the time in brackets the format string leaves out (QA Slurm: `[2026-11-21T00:00:00]`
            # read by '<Timestamp> <Content>' was sent to --timestamp-format)
            fields = " ".join(f"<{f}>" for f in spec.fields)
            signs = (
                f"; the time is written in {value[0]}{closing}: put them around {fields} in the "
                f"format string ('{value[0]}{fields}{closing} ...'); else "
            )
        raise LogbertError(
            f"{binary}format {display_name(self.fmt)} read no timestamp from any of the "
            f"{self._events:,} lines it split into its fields{unfit}: the first, "
            f"{self._has_time(self._first)}{signs}"
            f"{self._layout_advice()}, or {_suggestion(self)}"
        )

    def _has_time(self, event: tuple[str, int, str, str]) -> str:
        """`a.log:3 'line', has <Time> = 'text' where epoch seconds was expected`."""
        source, line_no, line, value = event
        spec = self.fmt.timestamp
        fields = " ".join(f"<{f}>" for f in spec.fields)
        if not value.strip():  # an optional header the line lacks (QA ProxySQL: `= ' '`)
            return f"{source}:{line_no} {show_line(line)}, has no {fields}"
        return (
            f"{source}:{line_no} {show_line(line)}, has {fields} = {show_line(value)} where "
            f"{spec.describe()} was expected"
        )

    def _layout_advice(self) -> str:
        """What to pass when the timestamp fields hold another layout than the format reads."""
        spec = self.fmt.timestamp
        fields = " ".join(f"<{f}>" for f in spec.fields)
        given = self.fmt.timestamp_format
        if given:
            return f"check --timestamp-format {given!r} against {fields}"
        verb = "hold" if len(spec.fields) > 1 else "holds"
        if self._first is not None and _CLOCK_ONLY.fullmatch(self._first[3].strip()):
            # a time of day alone, which no --timestamp-format can date (QA Prefect: this
            # advice sent users to an option that then refused their `%H:%M:%S.%f`)
            return (
                f"{fields} {verb} a time of day alone, and logbert cannot date lines that write "
                "no date (a time alone repeats every day): name the field otherwise (e.g. "
                "<Clock>) and cut sessions by an id (--by-id, --by-field) or by line counts "
                "(--lines N)"
            )
        layout = None if self._first is None else layout_of(self._first[3])
        if layout is not None:  # one it knows (QA Tyk: logrus's `Dec 05 06:00:00`)
            return f"pass --timestamp-format {layout!r}, which reads {fields} as written"
        return (
            f"pass --timestamp-format (strptime, e.g. '%Y-%m-%d %H:%M:%S') if {fields} {verb} "
            "another layout"
        )

    def _note_undated(self) -> None:
        """After a run where some events of a dated format got no timestamp: a note naming the
        first (a line whose date is off, e.g. Feb 29 in a year without one), or a warning when
        most did (the format reads another field or layout than the logs write: the few dated
        lines are likely wrong too), with what to pass instead."""
        missing = self._events - self._dated
        event = self._first_undated
        if self.fmt.timestamp is None or not self._dated or not missing or event is None:
            return
        undated = self._undated_inputs()
        for fit in undated:
            self._undated_input(fit)
        if missing == sum(fit.events - fit.dated for fit in undated):
            return  # every undated line is in an input named above
        share = f"{missing:,} of {self._events:,} lines ({missing / self._events:.0%})"
        first = f"the first, {self._has_time(event)}"
        swapped = _day_and_month_swapped(self.fmt.timestamp_format, event[3])
        if swapped is not None:
            # (QA IPMI: `%d/%m/%Y` on ipmitool's `11/28/2026` left 19% undated with a note, and
            # the other 81% were read months off: `12/02/2026` as 12 February)
            note = (
                f"warning: {share} have no timestamp under --timestamp-format "
                f"{self.fmt.timestamp_format!r} ({first}), but that one reads with "
                f"{swapped!r}: the log writes day and month the other way round, and the lines "
                f"that did read are dated months off; pass --timestamp-format {swapped!r}"
            )
        elif missing * 2 <= self._events:
            note = f"timestamps: {share} have none: {first}"
        elif self.is_models and _time_optional(self.fmt):  # the model's format lets lines go
            # undated, as its training's did: no sign of another layout (QA Discourse: Rails'
            # `Started ... at` the one dated line of four, "fits badly" on every score)
            note = (
                f"timestamps: {share} have none (the model's format lets a line go without its "
                f"time; each is dated by the dated line before it): {first}"
            )
        elif self.is_models:
            note = (
                f"warning: these logs fit the model's log format {display_name(self.fmt)} "
                f"badly: {share} have no timestamp ({first}); {_MODEL_LAYOUT}"
            )
        else:
            note = (
                f"warning: format {display_name(self.fmt)} dates few of these logs: {share} have "
                f"no timestamp ({first}): sessions date each by the dated line before it, right "
                "where a record's first line alone carries its time (Rails' `Started ... at`), "
                f"wrong where the format misses the logs' layout; if so, {self._layout_advice()}, "
                f"or {_suggestion(self, auto=True)}"
            )
        self._say_once(note)

    def _undated_inputs(self) -> list[InputFit]:
        """With several inputs: each not named already (a bad fit, or `--format auto`'s check)
        of which (nearly) no event is dated (`InputFit.undated`) while most events of the
        other inputs are: its lines have another layout that the format happens to split."""
        if len(self.inputs) < 2:
            return []
        return [
            fit for fit in self.inputs
            if fit.undated and fit.fits and not fit.warned and fit.first_undated is not None
            and (self._dated - fit.dated) * 2 > self._events - fit.events
        ]  # fmt: skip

    def _undated_input(self, fit: InputFit) -> None:
        """The warning on one input of `_undated_inputs`, with a format that fits it."""
        some = f"none of its {fit.events:,} lines has"
        if fit.dated:
            some = f"only {fit.dated:,} of its {fit.events:,} lines have"
        if self.fmt.name == JSON:  # objects name their fields: these lack a time key
            self._warn_for_input(
                f"warning: {fit.name}: {some} {_TIME_KEY} while the other inputs' lines are "
                "dated: its events have no time, so time windows, session lifetimes and "
                "chronological splits leave them out", fit.name, UNDATED_INPUT
            )
            return
        fmt = f"format {display_name(self.fmt)}"
        if self.is_models:
            fmt, advice = f"the model's log format {display_name(self.fmt)}", _MODEL_LAYOUT
        else:  # ranks every built-in format on the input's first lines: only when warned
            advice = f"parse it in a run of its own: {_suggestion(self, fit.head)}"
        self._warn_for_input(
            f"warning: {fit.name}: {some} a timestamp while the other inputs' lines are dated: "
            f"its lines have another layout than {fmt} reads (the first, "
            f"{self._has_time(fit.first_undated)}), so their header fields are likely wrong "
            f"too and time windows leave them out; {advice}", fit.name, UNDATED_INPUT
        )

    def _note_mixed_offsets(self) -> None:
        """A warning when one input's times carry a UTC offset and another's carry none: the
        latter are read as UTC, so if they are local times the two are out by the zone's
        offset, and sessions and windows across the inputs mix them up (QA: a worker log
        without its +0200 beside a scheduler log in UTC, F1 0.22 with only the flag-rate note)."""
        dated = [fit for fit in self.inputs if fit.dated]
        mixed = [fit for fit in dated if 0 < fit.in_utc < fit.dated]
        if mixed:  # one file of two writers (QA: gunicorn's `+0100` lines in Django's log)
            fit = mixed[0]
            self._say_once(
                f"warning: timestamps: {fit.dated - fit.in_utc:,} of the {fit.dated:,} dated "
                f"lines of {fit.name} carry no UTC offset and are read as UTC, while the other "
                f"{fit.in_utc:,} carry one (two writers in one file?): if the former are local "
                "times, they are off by their zone's offset against the latter, and sessions "
                "and time windows mix them up; log with offsets (or in UTC) everywhere"
            )
        with_offset = [fit for fit in dated if fit.in_utc * 2 > fit.dated]
        without = [fit for fit in dated if fit.in_utc == 0]
        if not with_offset or not without:
            return
        note = (
            f"warning: timestamps: {without[0].name} writes times without a UTC offset, read as "
            f"UTC, while {with_offset[0].name} writes them with one"
            + (f" ({len(without):,} and {len(with_offset):,} inputs)" if len(dated) > 2 else "")
            + ": if the former are local times, they are off by their zone's offset against the "
            "latter, and sessions, time windows and --order time across the inputs mix them up; "
            "log with offsets (or in UTC) everywhere"
        )
        self._say_once(note)

    def _note_counted_times(self) -> None:
        """A warning when dated events fall before 1980: the times are counts of seconds (since
        boot, as dmesg's `[    2.314159]`, or since a program started) read as epoch time, not
        dates. Each file starts them again, so time windows put different files' events
        together and a log's end is another file's (QA dmesg: boots cut short were judged
        still running, or not, by which other files were scored with them)."""
        if not self._counted_times or self._first_counted is None:
            return
        source, line_no, line, value = self._first_counted
        if re.fullmatch(r"\s*(?:19[7-9][0-9]|2[01][0-9][0-9])\s*", value) and value.strip() in line:
            # the year alone of a time written in several words (QA NX-OS: `<Timestamp>` took
            # `2026` of `2026 Dec  5 10:00:00`, read as 2,026 s; the log was blamed)
            note = (
                f"warning: timestamps: {self._counted_times:,} of {self._dated:,} dated lines "
                f"read the year alone as the time (the first, {source}:{line_no} "
                f"{show_line(line)}: {value.strip()!r}, read as that many seconds after 1970): "
                "the log writes its time in several words; name each in the format string, "
                "e.g. '<Year> <Month> <Date> <Time> <Content>'"
            )
            self._say_once(note)
            return
        note = (
            f"warning: timestamps: {self._counted_times:,} of {self._dated:,} dated lines fall "
            f"before 1980 (the first, {source}:{line_no} {show_line(line)}): these times count "
            "seconds since a boot or a start, they are not dates, and each file starts them "
            "again: time windows, --idle-timeout, session lifetimes and chronological splits "
            "mix files; sessions by id or by file (--by-field source) in line order work"
        )
        self._say_once(note)

    def _note_midnight(self) -> None:
        """A warning when nine in ten dated events (of at least two) are at 00:00:00: the format
        reads a date without its time of day, so time windows and session lifetimes count days
        (a layout the timestamp rule accepts, e.g. a `<Timestamp>` that holds a date only)."""
        # (nine in ten: a few lines of another writer with their time, QA Superset: gunicorn's
        # lines among the app's, whose `2026-03-02 00:00:09,862:INFO:...` `iso` dated at
        # midnight, the time of day left in every message, said by nothing)
        if self._dated < 2 or self._midnight * 10 < self._dated * 9 or self._first is None:
            self._note_midnight_inputs()
            return
        spec = self.fmt.timestamp
        if spec is not None and spec.epoch and not spec.pattern and not spec.guessed:
            return  # epoch seconds hold the time of day (QA Nagios: a rotation's state dump)
        source, line_no, line, _ = self._first
        share = "all" if self._midnight == self._dated else f"{self._midnight:,} of"
        note = (
            f"warning: timestamps: {share} {self._dated:,} dated lines are at midnight (00:00:00): "
            f"format {display_name(self.fmt)} reads a date without its time of day (the first "
            f"line, {source}:{line_no} {show_line(line)}), so time windows and session lifetimes "
            "count whole days; "
            + (  # a built-in format's fields are fixed: --timestamp-format cannot add a field
                "pass a format string whose fields hold the date and the time (e.g. "
                "'<Date> <Time> ...', with --timestamp-format if the time is not ISO 8601)"
                if self.fmt.name in BUILTIN_FORMATS
                else "name the field that holds the time (e.g. '<Date> <Time> ...'), or pass "
                "--timestamp-format with it"
            )
        )
        self._say_once(note)

    def _reads_month_and_day(self) -> bool:
        """Whether the user's --timestamp-format reads a month and a day (`_note_day_month`:
        the (month, day) pairs are counted for it alone)."""
        given = self.fmt.timestamp_format or ""
        return "%m" in given and "%d" in given

    def _note_day_month(self) -> None:
        """A warning when a `--timestamp-format` with both a month and a day dates every line
        on one day of the month in two or more months, that day 12 or less: dates written
        day first read month first (or the other way), consecutive days becoming the same day
        of consecutive months (QA Graphite: carbon's `01/12/2025` to `04/12/2025` read with
        `%m/%d/%Y` as the 12th of January to April, exit 0, windows and label ids months
        off)."""
        days = {d for _, d in self._month_days}
        months = {m for m, _ in self._month_days}
        if not self._reads_month_and_day() or len(days) != 1 or len(months) < 2:
            return
        (day,) = days
        if day > 12:
            return
        self._say_once(
            f"warning: timestamps: every dated line falls on day {day} of a month, in "
            f"{len(months)} months (--timestamp-format {self.fmt.timestamp_format!r}): the "
            "log's dates are likely written the other way round (day first, or month first), "
            "so its consecutive days read as months apart; swap %d and %m"
        )

    def _note_midnight_inputs(self) -> None:
        """With several inputs, where not all are: each input dated at midnight only (QA
        Ceph: `ceph-volume.log`'s layout beside the daemons' dated logs)."""
        if len(self.inputs) < 2:
            return
        for fit in self.inputs:
            if fit.dated >= 2 and fit.midnight == fit.dated:
                self._warn_for_input(
                    f"warning: timestamps: all {fit.dated:,} dated lines of {fit.name} are at "
                    f"midnight (00:00:00), unlike the other inputs': format "
                    f"{display_name(self.fmt)} reads a date without its time of day there, so "
                    "its events fall in the day's first time window; parse it in a run of its "
                    "own with a format that reads its time",
                    fit.name, AT_MIDNIGHT,
                )  # fmt: skip

    def _count_dated(self, prep: Prepared, fit: InputFit | None = None) -> None:
        """Count a timed chunk's events with and without a timestamp (in the run, and in `fit`,
        its input's record), and keep the first event, and the first without a timestamp, for
        messages (`check_timestamps`, `_note_undated`)."""
        m, missing = len(prep.line_no), prep.timestamp.null_count
        self._events += m
        self._dated += m - missing
        if m > missing:
            stamps = prep.timestamp
            at_midnight = pc.equal(stamps, pc.floor_temporal(stamps, unit="day"))
            text = timestamp_text(prep.cols, self.fmt.timestamp)
            if text is not None:  # ... not written so: a start at 00:00:00 is no date alone
                # (QA Graphite: a file whose 7 lines were a startup at midnight was said to be
                # read without its time, and to be parsed in a run of its own)
                written = pc.fill_null(pc.match_substring_regex(text, _WRITTEN_MIDNIGHT), False)
                at_midnight = pc.and_(at_midnight, pc.invert(written))
            midnight = int(pc.sum(at_midnight).as_py() or 0)
            self._midnight += midnight
            if self._reads_month_and_day() and len(self._month_days) < MONTH_DAYS_KEPT:
                pairs = pa.table({"m": pc.month(stamps), "d": pc.day(stamps)}).drop_null()
                self._month_days.update(zip(*pairs.group_by(["m", "d"]).aggregate([])
                                            .to_pydict().values(), strict=True))  # fmt: skip
            if fit is not None:
                fit.midnight += midnight
            early = pc.fill_null(pc.less(stamps, pa.scalar(COUNTED_BEFORE, stamps.type)), False)
            found = int(pc.sum(early).as_py() or 0)
            if found and self._first_counted is None:
                row = int(np.argmax(early.to_numpy(zero_copy_only=False)))
                self._first_counted = self._event_text(prep, row)
            self._counted_times += found
        if self._first is None:
            self._first = self._event_text(prep, 0)
        if m == missing and not self._time_text:  # while nothing is dated: any time text?
            lengths = np.zeros(m, dtype=np.int64)
            for field in self.fmt.timestamp.fields:
                column = pc.fill_null(pc.utf8_length(prep.cols[field]), 0)
                lengths += column.to_numpy(zero_copy_only=False)
            self._time_text += int(lengths.sum())
            if self._time_text and self._first_time_text is None:
                self._first_time_text = self._event_text(prep, int(np.argmax(lengths > 0)))
        else:
            self._time_text += m - missing
        first_undated = None
        wanted = self._first_undated is None or (fit is not None and fit.first_undated is None)
        if missing and wanted:
            nulls = prep.timestamp.is_null().to_numpy(zero_copy_only=False)
            first_undated = self._event_text(prep, int(np.argmax(nulls)))
            self._first_undated = self._first_undated or first_undated
        if fit is not None:
            fit.events += m
            fit.dated += m - missing
            fit.in_utc += prep.in_utc
            fit.stamped_at_start = fit.stamped_at_start or prep.stamped_at_start
            fit.first_undated = fit.first_undated or first_undated

    def _event_text(self, prep: Prepared, i: int) -> tuple[str, int, str, str]:
        """(source, line_no, line, timestamp fields' text) of the chunk's `i`-th event."""
        value = " ".join(str(prep.cols[f][i].as_py()) for f in self.fmt.timestamp.fields)
        line_no = int(prep.line_no[i])
        line = prep.chunk.lines[line_no - prep.chunk.first_line_no].as_py()
        return prep.name, line_no, line, value


def _time_optional(fmt: LogFormat) -> bool:
    """Whether a format string lets a line go without its time (`(\\[<Timestamp>\\] )?<Content>`
    reads a bare word, its time fields empty)."""
    if fmt.timestamp is None or fmt.name in BUILTIN_FORMATS:
        return False
    match = re.match(fmt.regex, "logbert")
    return match is not None and not any(match.groupdict().get(f) for f in fmt.timestamp.fields)


def _day_and_month_swapped(given: str | None, value: str) -> str | None:
    """`given` with `%d` and `%m` swapped when a time it could not read reads so (a day past
    12 where the month was expected), else None."""
    if not given or "%d" not in given or "%m" not in given:
        return None
    swapped = given.replace("%d", "\0").replace("%m", "%d").replace("\0", "%m")
    try:
        datetime.strptime(value.strip(), swapped)
    except ValueError:
        return None
    return swapped
