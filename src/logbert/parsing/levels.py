"""Whether a format's `<Level>` field hides a line's severity from its event.

A format that reads the level into a header field leaves it out of the message, so the miner
never sees it: `Payment gateway answered <*>` at INFO and at ERROR is one template, and an
error line of a message normally logged at INFO passes as normal (QA Celery: 10 of 10 such
lines unflagged by ngram). `iso` and `json` keep the level in the message; a format string
naming `<Level>` does not. `LevelMix` counts the levels each template is met at, and a run
whose templates mix severities (a warning's and an error's, or either and a routine one) says
so; a model's parser remembers the severities its training met (`severities`), so scoring
says so of a template met more severe than training ever met it (QA Linkerd: training's WARN
`Service entering failfast`, at ERROR in the test pods, was the same known event, unsaid).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# levels that say something went wrong, lower-case, one-letter forms included (klog's E/W/F)
PROBLEM_LEVELS = frozenset({
    "error", "err", "fatal", "critical", "crit", "severe", "alert", "emerg", "emergency",
    "panic", "warn", "warning", "e", "f", "w", "c",
    "eror",  # Icecast's four letters (QA: an `EROR` line of an INFO message unsaid)
    "wrn", "ftl",  # Serilog's three letters, `{Level:u3}` (QA Jellyfin)
    # syslog's severities as numbers, 0 emergency to 3 error, 4 warning (Cisco's `%LINK-3-
    # UPDOWN` read into <Level>: QA NX-OS, a `-2-` line of a `-5-` message unsaid)
    "0", "1", "2", "3", "4",
})  # fmt: skip


# numbers alone as levels, read as syslog's: most lines at a warning or worse (of so many lines
# at least) say the log counts on another scale (`LevelMix.numeric_scale_warning`)
NUMERIC_PROBLEM_SHARE = 0.5
NUMERIC_MIN = 100
# ... of them, the levels of a warning (the rest: an error's or worse)
WARNING_LEVELS = frozenset({"warn", "warning", "w", "wrn", "4"})
# a line's severity, least first: `severity`
SEVERITIES = ("routine", "warning", "error")


def severity(level: str) -> str:
    """`routine`, `warning` or `error` for a level word (lower case)."""
    if level in WARNING_LEVELS:
        return "warning"
    return "error" if level in PROBLEM_LEVELS else "routine"


def _rank(level: str) -> int:
    """A level word's severity as a number, least 0 (`SEVERITIES`)."""
    return SEVERITIES.index(severity(level))


# klog's field of level letter and date, `E1203` (its `bare_name`): the letter is the level
# (QA kubelet: an `E` line of a message logged at `I` passed as normal, unsaid)
LEVEL_DATE = "leveldate"


def level_values(field: str, column: pa.Array) -> pa.Array:
    """The levels a header field holds: the field's values, or the letters of klog's
    level-and-date field (`LEVEL_DATE`)."""
    if field.lower() == LEVEL_DATE:
        return pc.utf8_slice_codeunits(column, 0, 1)
    return column


def _trimmed(column: pa.Array) -> pa.Array:
    """A header field's values without padding, null as empty."""
    return pc.utf8_trim_whitespace(pc.fill_null(column, ""))


def _template_values(ids: np.ndarray, values: pa.Array) -> Iterator[tuple[int, str, int]]:
    """The distinct (template id, value) pairs of a chunk with the first row of each, leaving
    out lines of no template (negative ids) and empty values."""
    table = pa.table({"id": ids, "value": values, "row": np.arange(len(ids))})
    pairs = table.group_by(["id", "value"]).aggregate([("row", "min")])
    for template_id, value, row in zip(
        pairs["id"].to_pylist(), pairs["value"].to_pylist(), pairs["row_min"].to_pylist(),
        strict=True,
    ):  # fmt: skip
        if template_id >= 0 and value:
            yield template_id, value, row


class LevelMix:
    """The levels met per template id, from a header field named Level."""

    def __init__(self) -> None:
        self.levels: dict[int, set[str]] = {}
        # the first line of each template at each level, `source:line_no` (a warning names it)
        self.first_line: dict[tuple[int, str], str] = {}
        self.lines: Counter = Counter()  # lines per level word

    def add(
        self, ids: np.ndarray, level: pa.Array, source: str = "", line_no: np.ndarray | None = None
    ) -> None:
        """Count one chunk: its template ids (negative: none) and their lines' levels (from
        `source`, at `line_no`: the first of each template and level is kept)."""
        words = pc.utf8_lower(_trimmed(level))
        counted = pc.value_counts(words)
        self.lines.update(dict(zip(
            counted.field("values").to_pylist(), counted.field("counts").to_pylist(), strict=True
        )))  # fmt: skip
        for template_id, word, row in _template_values(ids, words):
            self.levels.setdefault(template_id, set()).add(word)
            if line_no is not None:
                self.first_line.setdefault((template_id, word), f"{source}:{int(line_no[row])}")

    def severities(self, before: dict[int, list[str]] | None = None) -> dict[int, list[str]]:
        """Template id -> the severities met (`severity`), with those of `before` (an earlier
        run's, from the parser state), as plain JSON for the state."""
        out = {int(i): set(seen) for i, seen in (before or {}).items()}
        for template_id, seen in self.levels.items():
            out.setdefault(template_id, set()).update(severity(word) for word in seen)
        return {i: sorted(seen, key=SEVERITIES.index) for i, seen in sorted(out.items())}

    def raised_warning(
        self, field: str, templates: dict[int, str], trained: dict[int, list[str]]
    ) -> str | None:
        """A warning naming how many templates are met at a severity above every one training
        met them at (`trained`: the model parser's `severities`), with an example; None when
        none is (or training met no level)."""
        raised = []
        for template_id, seen in sorted(self.levels.items()):
            before = trained.get(template_id)
            if not before:
                continue
            if max(map(_rank, seen)) > max(map(SEVERITIES.index, before)):
                raised.append(template_id)
        if not raised:
            return None
        first = raised[0]
        worst = max(self.levels[first], key=_rank)
        line = self.first_line.get((first, worst))
        where = f" (first at {line})" if line else ""  # (QA Pacemaker: which line, unsaid)
        return (
            f"warning: <{field}>: {len(raised):,} template(s) the model knows are met at a "
            f"more severe level than training met them at (e.g. {templates.get(first, first)!r} "
            f"at {worst}{where}, in training only {' and '.join(trained[first])}): the level is a "
            "header field, not part of the event, so the model takes these lines for the "
            "routine ones and no verdict rests on their level; look at those lines yourself, "
            "or retrain with a format that leaves the level in the message"
        )

    def numeric_scale_warning(self, field: str) -> str | None:
        """A warning when <Level> holds numbers alone and most lines (`NUMERIC_PROBLEM_SHARE`,
        of `NUMERIC_MIN` at least) read as warnings or errors on syslog's scale (0 emergency to
        3 error, 4 warning): the log counts on another scale (QA BeeGFS: 0 critical to 5
        debug, its routine 2s and 3s read as errors, its chatty 4s as warnings, so no line
        could be more severe than training's), and a level's verdict would mislead."""
        words = {word: n for word, n in self.lines.items() if word}
        total = sum(words.values())
        if total < NUMERIC_MIN or not all(word.isdigit() for word in words):
            return None
        problems = sum(n for word, n in words.items() if severity(word) != "routine")
        if problems <= NUMERIC_PROBLEM_SHARE * total:
            return None
        shown = ", ".join(f"{word}: {words[word]:,}" for word in sorted(words, key=int)[:8])
        return (
            f"warning: <{field}>: its values are numbers ({shown} lines), read on syslog's "
            f"scale (0 to 3 an error, 4 a warning, 5 and up routine), and {problems:,} of the "
            f"{total:,} lines ({problems / total:.0%}) read as warnings or errors: where the log "
            "counts on another scale (BeeGFS: 0 critical to 5 debug), name the field otherwise "
            "(e.g. <Verbosity>), so no line's level is read as a severity"
        )

    def warning(
        self, field: str, templates: dict[int, str], before_time: bool = False
    ) -> str | None:
        """A warning naming how many templates are met both at a problem level and at another,
        with an example; None when none is. `before_time`: the layout writes the level before
        the time, so no format string can leave it in the message (QA Cassandra's
        `WARN  [GossipTasks:1] 2026-11-20 10:15:03,001 ...`: the advice could not be followed);
        `--format iso` is named (QA HBase: `hadoop` made a 53 s old-generation GC pause a
        routine pause's event, and writing a format string was the only advice)."""
        mixed = sorted(  # a warning's and an error's too (QA Linkerd: WARN and ERROR)
            i for i, seen in self.levels.items() if len({severity(word) for word in seen}) > 1
        )
        if not mixed:
            return None
        first = mixed[0]
        seen = ", ".join(sorted(self.levels[first]))
        advice = (
            f"this layout writes <{field}> before the time, so no format string can leave it in "
            "the message: look at such templates' problem-level lines yourself"
            if before_time
            else f"to make it part of the event, parse with a format string that leaves "
            f"<{field}> in the message (inside <Content>), or, where an ISO 8601 time leads each "
            "line, with --format iso, which keeps all after the time"
        )
        return (
            f"warning: <{field}>: {len(mixed):,} template(s) are met at levels of different "
            f"severity (e.g. {templates.get(first, first)!r} at {seen}): the level is a header "
            "field, not part of the event, so a line's level alone never makes a session "
            f"anomalous; {advice}"
        )


# Header fields whose name says they hold what happened (a response's status, a proxy's
# flags, a record's type, an action): a format string that reads them leaves them out of the
# event just as a level (QA Envoy: `<Status> <Flags>` as fields, a 503 `UF` one event with a
# 200, F1 1.00 -> 0.46 unsaid; QA Nagios: `<Type>` merged HOST ALERT with HOST NOTIFICATION).
EVENT_FIELD_WORDS = (
    "status", "code", "flag", "type", "event", "action", "result", "state", "outcome",
    "method", "response", "signal", "reason", "verb", "operation",
    "record", "kind",  # PBS accounting's record type, `S`tart and `R`erun (QA: one event)
)  # fmt: skip
# a field holding more distinct values is an entity's (hosts, users) or free text
EVENT_FIELD_VALUES = 12


def is_event_field(name: str) -> bool:
    """Whether a header field's name says it holds what happened (`EVENT_FIELD_WORDS`)."""
    lower = name.lower()
    return any(word in lower for word in EVENT_FIELD_WORDS)


class EventFieldMix:
    """The values met per template id of header fields named like events (`is_event_field`),
    up to `EVENT_FIELD_VALUES` distinct values per field (past that it is no longer kept)."""

    def __init__(self) -> None:
        self.values: dict[str, dict[int, set[str]]] = {}
        self.too_many: set[str] = set()

    def add(self, ids: np.ndarray, fields: dict[str, pa.Array]) -> None:
        """Count one chunk: its template ids (negative: none) and their lines' field values."""
        for name, column in fields.items():
            if name in self.too_many:
                continue
            seen = self.values.setdefault(name, {})
            for template_id, value, _ in _template_values(ids, _trimmed(column.cast(pa.string()))):
                seen.setdefault(template_id, set()).add(value)
            if len(set().union(*seen.values())) > EVENT_FIELD_VALUES:
                self.too_many.add(name)
                del self.values[name]

    def warning(self, templates: dict[int, str]) -> str | None:
        """A warning naming the fields whose values differ within templates, with an example;
        None when none does."""
        mixed = {
            name: sorted(i for i, seen in by_template.items() if len(seen) > 1)
            for name, by_template in self.values.items()
        }
        mixed = {name: ids for name, ids in mixed.items() if ids}
        if not mixed:
            return None
        name, ids = next(iter(mixed.items()))
        shown = ", ".join(sorted(self.values[name][ids[0]])[:4])
        fields = ", ".join(f"<{field}>" for field in mixed)
        count = len({i for ids in mixed.values() for i in ids})
        return (
            f"warning: {fields}: {count:,} template(s) are met with several values of it (e.g. "
            f"{templates.get(ids[0], ids[0])!r} with <{name}> {shown}): header fields are not "
            "part of the event, so lines that differ only there are one event to every "
            "detector; to make such a field part of the event, leave it inside <Content> in "
            "the format string (a field needed for sessions that comes after it, a host, can "
            "then key them with --by-id REGEX, and per host windows with --by-id REGEX "
            "--window DURATION)"
        )


PROGRAM_FIELD = "Component"  # a syslog line's program
# ... in a syslog tag, `program[pid]:`, as the formats that write one read it (others' component
# is a logger, a class or a source file and line: no program)
SYSLOG_TAG = r"<Component>(\[<PID>\])?"
PROGRAM_MIX_SHARE = 0.25  # the share of events in templates several programs write: a warning
PROGRAM_MIN_SHARE = 0.1  # ... a program writing this share of a template's lines at least
PROGRAM_MIX_MIN = 50  # ... of at least this many events
_PID = r"\[[0-9]+\]$"  # (a program's pid written with its name, `sshd[812]`)


class ProgramMix:
    """The lines per template id and program (`PROGRAM_FIELD`, its pid left out): templates
    that several programs write are one event to every detector, where a syslog collects
    servers whose lines look alike (QA Swift: object-, container- and account-server access
    lines one event, a container update before its object's write unseen)."""

    def __init__(self) -> None:
        self.counts: dict[int, Counter] = {}

    def add(self, ids: np.ndarray, programs: pa.Array) -> None:
        """Count one chunk: its template ids (negative: none) and their lines' programs."""
        names = pc.replace_substring_regex(_trimmed(programs.cast(pa.string())), _PID, "")
        table = pa.table({"id": ids, "program": names})
        counted = table.group_by(["id", "program"]).aggregate([("id", "count")])
        for template_id, program, n in zip(
            counted["id"].to_pylist(), counted["program"].to_pylist(),
            counted["id_count"].to_pylist(), strict=True,
        ):  # fmt: skip
            if template_id >= 0 and program:
                self.counts.setdefault(template_id, Counter())[program] += n

    def warning(self, templates: dict[int, str], fmt_string: str) -> str | None:
        """A warning when at least `PROGRAM_MIX_SHARE` of the events are in templates that
        two programs or more write (each at least `PROGRAM_MIN_SHARE` of its lines), with
        the example of the largest and a format string that makes the program the event's
        first word; None otherwise (loghub's Linux: `su` and `sshd` sessions, 12%)."""
        total = sum(sum(c.values()) for c in self.counts.values())
        mixed = {
            tid: counts for tid, counts in self.counts.items()
            if len(counts) > 1
            and counts.most_common(2)[1][1] >= PROGRAM_MIN_SHARE * sum(counts.values())
        }  # fmt: skip
        hits = sum(sum(c.values()) for c in mixed.values())
        if hits < PROGRAM_MIX_MIN or hits < PROGRAM_MIX_SHARE * total:
            return None
        tid, counts = max(mixed.items(), key=lambda item: sum(item[1].values()))
        n = sum(counts.values())
        by = ", ".join(f"{name} {k / n:.0%}" for name, k in counts.most_common(3))
        event = f"<{PROGRAM_FIELD}>" in fmt_string
        advice = (
            f", e.g. --format '{fmt_string.replace(f'<{PROGRAM_FIELD}>', '<Event>')}'"
            if event else ""
        )  # fmt: skip
        return (
            f"warning: {hits:,} of {total:,} events ({hits / total:.0%}) are in templates that "
            f"several programs write (e.g. {tid} {templates.get(tid, tid)!r}: {by}): the "
            f"program (<{PROGRAM_FIELD}>) is no part of the event, so one program's line is "
            "the same event as another's; where their lines mean different things, name the "
            f"program <Event> in a format string (it then leads the event's words){advice}"
        )
