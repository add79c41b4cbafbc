"""`parse`: input files -> events parquet + templates.csv + rejects file.

Computing and writing are separate: `Parser.process` (a list of strings from a live service, or
one chunk of a file) and `Parser.iter_chunks` (whole files) yield `ParsedChunk`s, each with its
events as a pyarrow table in the events schema, and `parse_files` only writes what they yield.
So `logbert parse`, training from raw logs and a live service parse lines the same way.

Per chunk of lines (one 8 MiB block) everything is vectorised: the header regex splits lines
(pyarrow/RE2), masks run on the whole content column, the masked messages are dictionary-encoded
so the miner sees each distinct one once, and template ids, templates and parameters are mapped
back with array takes. The per-line work runs ahead in worker threads; the miner runs serially
in input order. Outputs are written under temporary names and renamed only when the whole run
succeeded, so an error (e.g. a truncated .gz) never leaves half-written files.

Timestamps: formats that write no year take it from the format (`--year`), else per input file
from its modification time (`YearHint`); stdin without `--year` keeps null timestamps (the
parser says so in `notes`); a jump back of months inside a file is a year rollover or a warning
(`clock.py`, applied serially in line order). A run where a format with a timestamp rule reads
no timestamp from any line is an error naming the first line (`Parser.check_timestamps`), and so
is a `parse` run that writes no event (empty or binary input, every line rejected). `--format
auto`: the parser picks the built-in format that reads the most of the first lines
(`rank_formats`) when it sees its first chunk, and says which in `notes`; a binary input, or
one where no built-in format reads a timestamp, is an error.

For scoring, `Parser.freeze()` fixes the known templates (see `frozen.py`); `to_state` /
`from_state` carry a parser (format, miner, frozen flag) in plain JSON for a model directory.
"""

from __future__ import annotations

import base64
import csv
import json
import os
import re
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from logbert.errors import LogbertError
from logbert.parsing.clock import YearClock
from logbert.parsing.formats import (
    BUILTIN_FORMATS,
    LogFormat,
    display_name,
    format_from_spec,
    format_spec,
    parse_timestamps,
    resolve_format,
)
from logbert.parsing.frozen import FrozenMiner
from logbert.parsing.masks import JOIN, WILDCARD, mask_array
from logbert.parsing.reader import BLOCK_BYTES, STDIN, LineChunk, source_name
from logbert.parsing.reader import iter_chunks as read_chunks
from logbert.parsing.splitter import has_bytes, split_lines
from logbert.parsing.state import (
    STATE_VERSION,
    load_miner,
    miner_from_state,
    miner_state,
    save_miner,
)
from logbert.parsing.template_matcher import (
    KnownTemplate,
    TemplateMatcher,
    extract_params,
    known_template,
    load_templates,
    scatter_rows,
    template_regex,
)
from logbert.parsing.templates import TEMPLATE_SET_KEY, template_set

PARSERS = ("logbert", "drain3")
# Chunks prepared ahead in worker threads (pyarrow releases the GIL); also bounds memory.
WORKERS = 2


@dataclass
class ParsedChunk:
    """One chunk of input parsed: events in the events schema, and what did not become one."""

    events: pa.Table  # the events schema (`Parser.schema`), one row per line the format fits
    rejects: list[tuple[str, int, str]]  # (source, line_no, line) of lines the format rejects
    lines: int  # input lines in the chunk
    undecodable: int  # lines whose undecodable bytes were replaced
    unmatched: int  # events no template fits (`--templates` only): null template_id
    template_counts: dict[int, int] = field(default_factory=dict)  # lines per template id


@dataclass
class ParseSummary:
    """Counts for the closing summary line, and warnings when the format does not fit."""

    lines: int = 0
    events: int = 0
    rejected: int = 0
    undecodable: int = 0
    unmatched: int = 0
    seconds: float = 0.0
    template_counts: Counter = field(default_factory=Counter)
    last_chunk: int = 0
    timestamps: int = 0  # events with a timestamp
    timed: bool = False  # whether the format reads timestamps (events without one are counted)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # format choice, year source, rollovers

    @property
    def templates(self) -> int:
        return len(self.template_counts)

    def add(self, chunk: ParsedChunk) -> None:
        self.lines += chunk.lines
        self.last_chunk = chunk.lines
        self.undecodable += chunk.undecodable
        self.rejected += len(chunk.rejects)
        self.unmatched += chunk.unmatched
        self.events += chunk.events.num_rows
        self.template_counts.update(chunk.template_counts)
        ts = chunk.events.column("timestamp")
        self.timestamps += len(ts) - ts.null_count

    def line(self) -> str:
        text = f"{self.lines:,} lines, {self.templates:,} templates, {self.rejected:,} rejected"
        if self.unmatched:
            text += f", {self.unmatched:,} unmatched"
        if self.undecodable:
            text += f", {self.undecodable:,} with undecodable bytes (replaced)"
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


def _schema(fmt: LogFormat) -> pa.Schema:
    return pa.schema(
        [("line_no", pa.int64()), ("source", pa.string()), ("timestamp", pa.timestamp("us"))]
        + [(f, pa.string()) for f in fmt.header_fields]
        + [
            ("content", pa.string()),
            ("template_id", pa.int64()),
            ("template", pa.string()),
            ("params", pa.list_(pa.string())),
            ("label", pa.string()),
        ]
    )


HEAD_LINES = 200  # first input lines kept (`Parser.head`) to suggest a format that fits
AUTO_YEAR = 2000  # a leap year: lets `rank_formats` check dates of formats without a year
SHOWN_CHARS = 120  # an input line quoted in a message is cut to this many characters
SUGGEST_FIT = 0.8  # a suggested format splits this share of the first lines ...
SUGGEST_DATED = 0.5  # ... and reads a timestamp from this share of them
WARNING = "warning: "  # notes that start so are warnings (`parse` lists them with the others)


def show_line(line: str) -> str:
    """A line quoted for a message: its repr, cut to about `SHOWN_CHARS` characters (a binary
    line's escapes would fill the screen)."""
    text = repr(line)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 4] + "...'"


def looks_binary(lines: list[str]) -> bool:
    """Whether sample lines look like binary data rather than text: more than 5% of their
    characters are NUL, other control characters or replaced undecodable bytes."""
    text = "".join(lines)
    odd = sum(1 for c in text if c == "\ufffd" or (c < " " and c not in "\t\f\v"))
    return len(text) > 0 and odd > 0.05 * len(text)


@dataclass(frozen=True)
class YearHint:
    """The year for timestamps of a format that writes none, for one input."""

    year: int
    not_after: int | None = None  # µs since the epoch: later dates go to the year before


@dataclass(frozen=True)
class FormatScore:
    """How well a built-in format reads a sample of lines (`rank_formats`)."""

    name: str
    lines: int  # lines in the sample
    split: int  # lines the format splits into fields
    dated: int  # of those, lines with a valid timestamp

    def describe(self) -> str:
        """`linux (200/200 lines with a timestamp, 200 split)`."""
        return f"{self.name} ({self.dated}/{self.lines} lines with a timestamp, {self.split} split)"


def rank_formats(
    lines: list[str], year: int | None = None, timestamp_format: str | None = None
) -> list[FormatScore]:
    """Every built-in format but raw, best first for `lines`: lines it splits with a valid
    timestamp (formats without a year are checked in a leap year when `year` is None), then
    lines it splits, then the most literal words (`sshd`: strong evidence), then the least
    literal punctuation."""
    arr = pa.array(lines, pa.string())
    ranked = []
    for name in BUILTIN_FORMATS:
        if name == "raw":
            continue
        fmt = resolve_format(name, year or AUTO_YEAR, timestamp_format)
        ok, cols = split_lines(arr, fmt)
        ts = parse_timestamps(cols, fmt.timestamp, int(ok.sum()))
        literal = re.sub(r"<[A-Za-z_][A-Za-z0-9_]*>|\\|\s", "", fmt.format)
        words = sum(c.isalnum() for c in literal)
        score = FormatScore(name, len(arr), int(ok.sum()), len(ts) - ts.null_count)
        # ties (a syslog line fits linux and mac): the format with less punctuation to match
        ranked.append(((score.dated, score.split, words, words - len(literal)), score))
    ranked.sort(key=lambda r: r[0], reverse=True)
    return [score for _, score in ranked]


class Parser:
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

    def _setup(self, fmt: LogFormat, miner: Any, known: list[KnownTemplate] | None) -> None:
        self.fmt = fmt
        self.matcher = TemplateMatcher(known) if known else None
        self.known = {t.tid: t.template for t in known} if known else {}
        self.miner = miner
        self.schema = _schema(fmt)
        self.head: list[str] = []  # the first lines seen (diagnostics only)
        self._notes: list[str] = []  # format choice, where years came from (for the summary)
        self._clocks: dict[str, YearClock] = {}  # year rollovers of the input being read
        self._clocks_done: list[YearClock] = []  # ... and of inputs read before (for notes)
        self.ranking: list[FormatScore] = []  # `--format auto`: how each format scored
        self._events = 0  # events of chunks whose timestamps could be read (year known)
        self._dated = 0  # of those, events with a timestamp
        self._first: tuple[str, int, str, str] | None = None  # source, line_no, line, time text

    @property
    def notes(self) -> list[str]:
        """What to tell the user after a run, in order: the format choice, where years came
        from, year rollovers, and warnings (they start with `warning: `) on timestamps that
        jump back; every command that prints notes shows them."""
        clocks = self._clocks_done + list(self._clocks.values())
        return self._notes + [m for clock in clocks for m in clock.messages()]

    @property
    def auto(self) -> bool:
        """Whether the format is still to be picked from the first lines (`--format auto`)."""
        return self.fmt.is_auto

    def choose_format(self, lines: list[str], source: str = "the input") -> LogFormat:
        """`--format auto`: pick the built-in format that reads most of `lines` (the first
        lines of `source`) and use it from now on; `notes` says which, and the runner-up.
        A binary input, or one no built-in format reads a timestamp from, is an error: a
        format picked there would only turn garbage into events."""
        placeholder = self.fmt
        sample = lines[:HEAD_LINES]
        what = f"the first {len(sample):,} lines of {source}"
        first = show_line((sample or [""])[0])
        if looks_binary(sample):
            raise LogbertError(
                f"--format auto: {source} looks binary, not like a text log ({what} hold many "
                f"NUL, control or undecodable bytes; first: {first}): no built-in format fits; "
                "pass the log file itself (gzip is read as is)"
            )
        ranking = rank_formats(sample, placeholder.year, placeholder.timestamp_format)
        best = ranking[0] if ranking else None
        if best is None or best.dated == 0:
            near = f" ({best.name} splits {best.split:,} of them)" if best and best.split else ""
            raise LogbertError(
                f"--format auto: no built-in format reads a timestamp from {what}{near}; "
                f"first: {first}; pass --format with a format string such as "
                "'<Date> <Time> <Level> <Component>: <Content>' (plus --timestamp-format if "
                "its time is not ISO 8601), or --format raw for lines without a header"
            )
        self.ranking = ranking
        fmt = resolve_format(best.name, placeholder.year, placeholder.timestamp_format)
        self.fmt, self.schema = fmt, _schema(fmt)
        note = f"format auto: chose {best.describe()}"
        if len(ranking) > 1:
            note += f"; runner-up {ranking[1].describe()}"
        self._notes.append(note)
        return fmt

    def year_hint(self, path: str) -> YearHint | None:
        """The year for `path`'s timestamps when the format writes none and --year was not
        given: the file's modification time; for stdin (and live lines, `process`) the
        current date, as syslog tools date what they receive now; adds a note saying which."""
        ts = self.fmt.timestamp
        if ts is None or not ts.needs_year:
            return None
        name = display_name(self.fmt)
        if ts.year is not None:
            note = f"timestamps: format {name} writes no year; using {ts.year} (--year)"
            if note not in self._notes:
                self._notes.append(note)
            return None
        if path == STDIN:
            seconds, where, what = time.time(), "stdin", "the current date"
        else:
            try:
                seconds = os.stat(path).st_mtime
            except OSError:
                return None
            where, what = source_name(path), "the file's modification time"
        when = datetime.fromtimestamp(seconds, UTC)
        note = (
            f"timestamps: format {name} writes no year; {where}: {when.year} from {what} "
            f"({when:%Y-%m-%d}; dates after it are taken in {when.year - 1}); pass --year YYYY "
            "to choose"
        )
        if note not in self._notes:
            self._notes.append(note)
        return YearHint(when.year, int(seconds * 1_000_000) + 86_400_000_000)

    def check_timestamps(self) -> None:
        """Raise when the format has a timestamp rule, events were read and none had a
        timestamp (naming the first line and what it should hold)."""
        spec = self.fmt.timestamp
        if spec is None or self._events == 0 or self._dated > 0 or self._first is None:
            return
        source, line_no, line, value = self._first
        fields = " ".join(f"<{f}>" for f in spec.fields)
        binary = f"{source} looks binary, not like a text log: " if looks_binary(self.head) else ""
        given = self.fmt.timestamp_format
        if self.is_models:
            layout = (
                "the model reads logs in the format it was trained on: score logs written like "
                "its training logs, or train a model on these (`logbert train LOG --logs "
                "--format ...`)"
            )
            raise LogbertError(
                f"{binary}these logs do not fit the model's log format {display_name(self.fmt)}: "
                f"it read no timestamp from any of {self._events:,} lines (the first, "
                f"{source}:{line_no} {show_line(line)}, has {fields} = {show_line(value)} where "
                f"{spec.describe()} was expected); {layout}"
            )
        if given:
            layout = f"check --timestamp-format {given!r} against {fields}"
        else:
            verb = "hold" if len(spec.fields) > 1 else "holds"
            layout = f"pass --timestamp-format (strptime, e.g. '%Y-%m-%d %H:%M:%S') if {fields} "
            layout += f"{verb} another layout"
        raise LogbertError(
            f"{binary}format {display_name(self.fmt)} read no timestamp from any of "
            f"{self._events:,} lines: the first, {source}:{line_no} {show_line(line)}, has "
            f"{fields} = {show_line(value)} where {spec.describe()} was expected; {layout}, "
            f"or {_suggestion(self)}"
        )

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
        return state

    @classmethod
    def from_state(cls, state: dict) -> Parser:
        """The parser `to_state` described (LogbertError when `state` is not one)."""
        try:
            fmt = format_from_spec(state["format"])
            run = cls.__new__(cls)
            if state["parser"] == "templates":
                known = [known_template(int(t["id"]), t["template"]) for t in state["templates"]]
                if not known:
                    raise ValueError("the template list is empty")
                run._setup(fmt, None, known)
            else:
                run._setup(fmt, miner_from_state(state["miner"]), None)
                if state.get("frozen"):
                    run.freeze()
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
        called after the caller has taken each chunk."""
        if inputs.count("-") > 1:  # checked at the call, not at the first chunk
            raise LogbertError("stdin (-) can be read only once: pass it a single time")
        return self._chunks(list(inputs), on_progress, block_bytes)

    def _chunks(
        self, inputs: list[str], on_progress: Callable[[int], None] | None, block_bytes: int
    ) -> Iterator[ParsedChunk]:
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            pending: deque[Future[Prepared]] = deque()

            def take() -> Iterator[ParsedChunk]:
                done = self._finish(pending.popleft().result())
                yield done
                if on_progress:
                    on_progress(done.lines)

            for path in inputs:
                name = source_name(path)
                hint = None if self.auto else self.year_hint(path)
                new_input = True  # the first chunk of this input starts its own year clock
                for chunk in read_chunks(path, block_bytes):
                    if self.auto and len(chunk.lines):
                        head = chunk.lines.slice(0, HEAD_LINES).to_pylist()
                        self.choose_format(head, name)
                        hint = self.year_hint(path)
                    pending.append(pool.submit(self.prepare, chunk, name, hint, new_input))
                    new_input = False
                    while len(pending) > WORKERS:
                        yield from take()
            while pending:
                yield from take()
        if self.auto:
            raise LogbertError("--format auto: the input has no lines to pick a format from")
        self.check_timestamps()

    def _clock(self, prep: Prepared) -> YearClock:
        """The year clock of the chunk's input (a new one where a file starts)."""
        clock = self._clocks.get(prep.name)
        if clock is None or prep.new_input:
            if clock is not None:
                self._clocks_done.append(clock)
            clock = self._clocks[prep.name] = YearClock(prep.name)
        return clock

    # -- one chunk ------------------------------------------------------------------------
    def prepare(
        self, chunk: LineChunk, name: str, hint: YearHint | None = None, new_input: bool = False
    ) -> Prepared:
        """Everything per chunk that does not touch the miner (runs in worker threads);
        `hint` gives the year when the format writes none; `new_input`: the chunk starts an
        input file (its year rollovers are counted afresh)."""
        n = len(chunk.lines)
        line_no = np.arange(chunk.first_line_no, chunk.first_line_no + n, dtype=np.int64)
        ok, cols = split_lines(chunk.lines, self.fmt)
        prep = Prepared(chunk, name, ok, line_no[ok], cols, new_input=new_input)
        spec = self.fmt.timestamp
        prep.timed = spec is not None and (not spec.needs_year or spec.year is not None or (
            hint is not None))  # fmt: skip
        if len(prep.line_no) == 0:
            return prep
        content = cols["Content"]
        year, not_after = (hint.year, hint.not_after) if hint is not None else (None, None)
        prep.timestamp = parse_timestamps(cols, spec, len(prep.line_no), year, not_after)
        if self.matcher is None:
            if self.miner.masks_input:
                distinct, codes, words_text = mask_array(content)
                prep.words = _words(words_text)
            else:
                enc = pc.dictionary_encode(content)
                distinct, codes = enc.dictionary, enc.indices.to_numpy(zero_copy_only=False)
            prep.messages, prep.codes = distinct.to_pylist(), codes
        return prep

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

    def _finish(self, prep: Prepared) -> ParsedChunk:
        """Serial part of a chunk: rejects, miner, parameters -> a `ParsedChunk`."""
        chunk, ok, line_no, cols = prep.chunk, prep.ok, prep.line_no, prep.cols
        if len(self.head) < HEAD_LINES:
            self.head += chunk.lines.slice(0, HEAD_LINES - len(self.head)).to_pylist()
        rejects: list[tuple[str, int, str]] = []
        if not ok.all():
            bad = np.flatnonzero(~ok)
            texts = chunk.lines.take(pa.array(bad)).to_pylist()
            first = chunk.first_line_no
            rejects = [(prep.name, first + int(i), t) for i, t in zip(bad, texts, strict=True)]
        out = ParsedChunk(
            self.schema.empty_table(), rejects, len(chunk.lines), chunk.undecodable, 0
        )
        m = len(line_no)
        if m == 0:
            return out
        if prep.timed and self.fmt.timestamp.needs_year:
            prep.timestamp = self._clock(prep).apply(prep.timestamp, line_no)
        if prep.timed:
            self._events += m
            self._dated += m - prep.timestamp.null_count
            if self._first is None:
                first = int(np.argmax(ok))
                value = " ".join(str(cols[f][0].as_py()) for f in self.fmt.timestamp.fields)
                self._first = (prep.name, int(line_no[0]), chunk.lines[first].as_py(), value)
        ids, texts, params = self.templates_for(prep)
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


@dataclass
class Prepared:
    """A chunk after the per-line work: matched rows, columns, masked messages."""

    chunk: LineChunk
    name: str
    ok: np.ndarray
    line_no: np.ndarray
    cols: dict[str, pa.Array]
    timestamp: pa.Array | None = None
    timed: bool = False  # whether timestamps could be read (the format has a rule and a year)
    new_input: bool = False  # the first chunk of an input file
    messages: list[str] | None = None  # distinct (masked) messages for the miner
    codes: np.ndarray | None = None  # each row's index into `messages`
    words: pa.ListArray | None = None


def _texts(ids: np.ndarray, texts: dict[int, str]) -> pa.Array:
    keys = np.array(sorted(texts), dtype=np.int64)
    if len(keys) == 0:
        return pa.nulls(len(ids), pa.string())
    pos = np.searchsorted(keys, ids).clip(0, len(keys) - 1)
    found = keys[pos] == ids
    vocab = pa.array([texts[int(k)] for k in keys], pa.string())
    return vocab.take(pa.array(pos, mask=~found))


def _words(content: pa.Array) -> pa.Array:
    """Words of trimmed text (a plain split when there are no whitespace runs: faster)."""
    text = content
    if has_bytes(text, 9, 13) or pc.any(pc.match_substring(text, "  ")).as_py():
        return pc.split_pattern_regex(text, r"\s+")
    return pc.split_pattern(text, " ")


def _params_by_position(words: pa.ListArray, ids: np.ndarray, texts: dict[int, str]) -> pa.Array:
    """Words of each message at its template's `<*>` positions (templates align word by word)."""
    keys = np.array(sorted(texts), dtype=np.int64)
    positions = [[p for p, w in enumerate(texts[int(k)].split(" ")) if WILDCARD in w] for k in keys]
    counts = np.array([len(p) for p in positions], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    flat_pos = np.array([p for ps in positions for p in ps], dtype=np.int64)
    local = np.searchsorted(keys, ids)
    c = counts[local]
    out_off = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum(c, out=out_off[1:])
    if out_off[-1] == 0:
        return pa.ListArray.from_arrays(out_off.astype(np.int32), pa.array([], pa.string()))
    row = np.repeat(np.arange(len(ids)), c)
    k = np.arange(out_off[-1]) - out_off[row]
    word_off = words.offsets.to_numpy()
    flat = word_off[row] + flat_pos[starts[local][row] + k]
    values = words.values.take(pa.array(flat))
    if pc.any(pc.match_substring(values, JOIN)).as_py():
        values = pc.replace_substring(values, JOIN, " ")
    return pa.ListArray.from_arrays(pa.array(out_off, pa.int64()).cast(pa.int32()), values)


def _params_by_regex(content: pa.Array, ids: np.ndarray, texts: dict[int, str]) -> pa.Array:
    pieces = []
    for tid, text in texts.items():
        rows = np.flatnonzero(ids == tid)
        part = content.take(pa.array(rows))
        regex = template_regex(text)
        ok = pc.match_substring_regex(part, regex).to_numpy(zero_copy_only=False)
        if ok.any():
            pieces.append((rows[ok], extract_params(part.filter(pa.array(ok)), regex)))
    return scatter_rows(pieces, len(ids))


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
    if inputs.count("-") > 1:
        raise LogbertError("stdin (-) can be read only once: pass it a single time")
    run = Parser(fmt, parser, templates, state)
    templates_csv, rejects = output_paths(output)
    tmp = {p: p.with_name(f".{p.name}.partial") for p in (output, templates_csv, rejects)}
    summary = ParseSummary()
    start = time.perf_counter()
    writer: pq.ParquetWriter | None = None

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
                if summary.events == 0:
                    raise LogbertError(_no_events(run, summary, inputs))
                if writer is None:
                    writer = open_writer()
                _add_template_set(writer, run)
        finally:
            if writer is not None:
                writer.close()
        _write_templates(run, summary, tmp[templates_csv])
        if state is not None and run.matcher is None:
            save_miner(run.miner, state)
        for final, partial in tmp.items():
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
    return summary


def _no_events(run: Parser, summary: ParseSummary, inputs: list[str]) -> str:
    """Why a run wrote no event, and what to do (a `parse` that writes nothing fails)."""
    where = ", ".join(source_name(p) for p in inputs)
    if summary.lines == 0:
        return (
            f"{where}: no lines to parse (empty input); nothing was written: pass a log file "
            "that holds lines"
        )
    first = show_line(run.head[0]) if run.head else "''"
    what = f"no line of {where} fits format {display_name(run.fmt)} ({summary.lines:,} lines "
    if looks_binary(run.head):
        return (
            f"{where} looks binary, not like a text log: {what}rejected; first: {first}); "
            "nothing was written: pass the log file itself (gzip is read as is)"
        )
    return f"{what}rejected; first: {first}); nothing was written: {_suggestion(run)}"


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


def fit_warnings(run: Parser, summary: ParseSummary, rejects: Path | None = None) -> list[str]:
    """Warnings when the format does not fit the logs: a binary input, most lines rejected, or
    no timestamp parsed although the format has timestamp fields (when its year was known this
    is an error raised earlier, `Parser.check_timestamps`); each suggests formats that fit
    better."""
    fmt = run.fmt
    name = display_name(fmt)
    out = []
    if looks_binary(run.head):  # e.g. --format raw: every line "fits"
        out.append(
            f"warning: the input looks binary, not like a text log (its first lines hold many "
            f"NUL, control or undecodable bytes; first: {show_line(run.head[0])}): its events "
            "are likely garbage; pass the log file itself"
        )
    if summary.lines and summary.rejected * 2 > summary.lines:
        where = f" (see {rejects})" if rejects is not None else ""
        out.append(
            f"warning: format {name} does not fit these logs: {summary.rejected:,} of "
            f"{summary.lines:,} lines ({summary.rejected / summary.lines:.0%}) did not match it"
            f"{where}; {_suggestion(run)}"
        )
    if fmt.timestamp is not None and run._events and summary.timestamps == 0:
        fields = " ".join(f"<{f}>" for f in fmt.timestamp.fields)
        out.append(
            f"warning: format {name} read no timestamp from any line (its {fields} fields never "
            f"held a date it knows): every timestamp is null, so time windows and session "
            f"lifetimes cannot use them; {_suggestion(run)}"
        )
    return out


def suggest_formats(run: Parser) -> list[str]:
    """Built-in formats (not the run's own) that would do better on the first lines, best
    first: each is tried on them as a real parse would (same splitter, same --year and
    --timestamp-format; a format without a year in a leap year), and named only where it
    splits most of them and reads a timestamp from at least half."""
    if not run.head:
        return []
    ranking = rank_formats(run.head, run.fmt.year, run.fmt.timestamp_format)
    n = len(run.head)
    return [
        s.name
        for s in ranking
        if s.name != run.fmt.name and s.split >= SUGGEST_FIT * n and s.dated >= SUGGEST_DATED * n
    ]


def _suggestion(run: Parser) -> str:
    names = suggest_formats(run)[:3]
    if names:
        they = "they read" if len(names) > 1 else "it reads"
        return f"try --format {' or --format '.join(names)} ({they} the first lines)"
    return (
        "no built-in format reads the first lines: pass a format string that matches them "
        "(with --timestamp-format if its time is not ISO 8601), or try --format auto"
    )


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
        out = csv.writer(fh)
        out.writerow(["template_id", "template", "count"])
        for tid in sorted(known):
            out.writerow([tid, known[tid], summary.template_counts.get(tid, 0)])
