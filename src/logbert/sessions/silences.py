"""Silences: runs of time windows in which a value (a host, a pod; with plain windows the whole
log) wrote nothing, and the profile, learnt in training, that judges them.

A window with no event makes no session, so no detector can score a host that stopped writing
(QA: 5 of 8 reports of one round, a stopped NFS job, a silent QEMU host, Buildbot's poller,
Sonarr's RSS scheduler, Tempo's ingester, each warned of and judged by nothing). The window
sessionizer records each run of empty windows of a value in a `SilenceRecord` (`Silence`: the
value, the run's first window and its length, the value's last event before it); training
learns from its record, per value that wrote steadily, the longest silence its normal logs had
(`SilenceProfile`). A later silence is an anomaly of its own (`SilenceProfile.judge`) when its
value wrote at least `STEADY_WINDOWS` windows in training and the silence is at least
`MIN_WINDOWS` windows long (one empty window is what a job writing once a window length apart
leaves at a window's edge by jitter alone) and longer than `MARGIN` times the value's longest
silence there. Two margins were measured on 19 logs of earlier blind QA runs (session 60,
`benchmarks/results/silences.md`), 1 (the rule as first written) and 2 (a quiet night may
outlast the few training saw: with k silences seen, the next outlasts them all about once in
k + 1 by chance): 2 removed 15 false silent windows (NFS clients quiet at night, windows just
past an outage's labelled end) and lost 27 true ones (pods whose hangs were 1.2 to 2 times
their longest pause), so the margin is 1, and a value that paused in training may be flagged
on a longer quiet night. Values new to these logs, or that wrote now and then in training, are
not judged. With windows per input file (`--by-field source`) a file
is its training file where their paths end alike (`test/kvm03/libvirtd.log` is
`train/kvm03/libvirtd.log` when no other training file shares as long an ending: QA, every
test file named apart from its training file, nothing was judged).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from logbert.errors import LogbertError

STEADY_WINDOWS = 5  # windows a value wrote in training, at least, for its silences to be judged
MIN_WINDOWS = 2  # empty windows in a row, at least, of a silence judged anomalous
MARGIN = 1.0  # ... and more than this many times its value's longest silence in training
# ... and, for a value that wrote now and then (in fewer than `SPARSE` of the windows of its
# span in training), so long that at its share of empty windows (each window empty or not by
# chance, alone, as events at random times leave them) one as long would come less than once
# in `RARE` spans of training's length: such a value's longest pause in training is no bound
# for a longer test (QA Graphite: a file a new metric is created in every half hour or so, its
# longest pause in 30 hours of training 10 windows, flagged for 18 windows of 10 more hours;
# 43 false windows). A steadier value's empty windows come in clumps (a GC pause, a quiet
# hour), not alone: its longest is the bound (first measured for every value, the rule lost
# 16 of 61 true windows, a hung Vector agent's among them; session 61).
RARE = 0.01
SPARSE = 0.5
WHOLE_LOG = ""  # the value of plain windows (no --by-field): the whole log's silences
WINDOWS_LISTED = 10_000  # window ids one silence gives rows for, at most (a year of 1 h)


@dataclass(frozen=True)
class Silence:
    """`length` empty windows of `value` in a row, the first starting at `start`, each `step`
    after the one before; `last_event`: the time of the value's last event before them (and
    `last_line`, its `(source, line_no)` when lines were tracked); `at_end`: the log ended
    before the value wrote again."""

    value: str
    start: datetime
    step: timedelta
    width: timedelta
    length: int
    last_event: datetime | None = None
    last_line: tuple[str, int] | None = None
    at_end: bool = False

    def windows(self) -> Iterator[tuple[str, datetime, datetime]]:
        """The id, start and end of each empty window (at most `WINDOWS_LISTED`), ids spelt as
        the sessionizer spells a window's (`value@start`, the start alone for plain windows)."""
        for i in range(min(self.length, WINDOWS_LISTED)):
            begin = self.start + i * self.step
            when = begin.isoformat()
            yield (when if self.value == WHOLE_LOG else f"{self.value}@{when}"), begin, (
                begin + self.width
            )


@dataclass
class SilenceRecord:
    """What a window sessionizer saw of silences: every silence, and the windows each value
    wrote (memory: one entry per silence and per value, as the sessions themselves)."""

    silences: list[Silence] = field(default_factory=list)
    windows: Counter = field(default_factory=Counter)


class SilenceProfile:
    """Per value that wrote steadily in training, the longest silence it had there; judges
    later silences (module doc): flagged from `MIN_WINDOWS` windows and past `margin` times
    that longest (`train --silence-margin`). Fitted attributes: `longest_` (value -> empty
    windows in a row, 0 when none), `written_` (value -> windows written), `seen_` (every
    value that wrote a window in training), `step_seconds_` (the windows' step, which the
    lengths count), `paths_` (the values are input files, matched by how their paths end:
    `key_of`)."""

    def __init__(self, margin: float = MARGIN) -> None:
        self.margin = margin

    def fit(self, record: SilenceRecord, step: timedelta, paths: bool = False) -> SilenceProfile:
        steady = {v: n for v, n in record.windows.items() if n >= STEADY_WINDOWS}
        longest, empty = dict.fromkeys(steady, 0), dict.fromkeys(steady, 0)
        for silence in record.silences:
            if silence.value in longest:
                longest[silence.value] = max(longest[silence.value], silence.length)
                empty[silence.value] += silence.length
        self.longest_, self.written_, self.empty_ = longest, steady, empty
        self.seen_ = set(record.windows)
        self.step_seconds_ = step.total_seconds()
        self.paths_ = paths
        return self

    def judge(self, silence: Silence) -> bool:
        """Whether `silence` is anomalous: its value wrote steadily in training, and it is
        at least `MIN_WINDOWS` windows and longer than `margin` times the value's longest
        there."""
        return self.judge_length(silence.value, silence.length)

    def judge_length(self, value: str, length: int) -> bool:
        """Whether `length` empty windows in a row of `value` are anomalous (`judge`)."""
        flagged_from = self.flagged_from(value)
        return flagged_from is not None and length >= flagged_from

    def flagged_from(self, value: str) -> int | None:
        """The shortest silence of `value` flagged (None: not judged): `MIN_WINDOWS`, past
        `margin` times its longest in training, and for a value that wrote now and then rare
        at its share of empty windows there (`RARE`, `SPARSE`; a profile saved before those
        were kept leaves that out)."""
        key = self.key_of(value)
        if key is None:
            return None
        shortest = max(MIN_WINDOWS, math.floor(self.margin * self.longest_[key]) + 1)
        empty = getattr(self, "empty_", {}).get(key)
        if not empty:  # (none: a steady value, or a profile from before they were kept)
            return shortest
        span = self.written_[key] + empty
        quiet = empty / span  # (a window's chance to be empty)
        if quiet < SPARSE:
            return shortest
        expected = span * (1 - quiet)  # silences to start, one after each written window
        rare = math.floor(math.log(RARE / expected) / math.log(quiet)) + 1
        return max(shortest, rare)

    def longest(self, value: str) -> int | None:
        """The longest silence `value` had in training (None: not judged)."""
        key = self.key_of(value)
        return None if key is None else self.longest_[key]

    def key_of(self, value: str) -> str | None:
        """The training value `value` is judged as: itself, or for input files the training
        file whose path ends as `value`'s does over the most parts, when no other does as
        far (`paths_`); None when none is judged."""
        if value in self.longest_:
            return value
        if not self.paths_:
            return None
        cache = self.__dict__.setdefault("_keys", {})
        if value not in cache:
            cache[value] = _same_file(value, self.seen_)
            if cache[value] not in self.longest_:
                cache[value] = None
        return cache[value]

    def seen(self, value: str) -> bool:
        """Whether training saw `value` (or, for input files, a file that is it)."""
        return value in self.seen_ or (self.paths_ and _same_file(value, self.seen_) is not None)

    def training_note(self, record: SilenceRecord) -> str:
        """`note: ...` of what training learnt: which values are judged, and by what rule."""
        values = len(record.windows)
        if not self.longest_:
            return (
                f"note: silences are judged for no value: none of the {values:,} wrote "
                f"{STEADY_WINDOWS} time windows or more in training"
            )
        times = "" if self.margin == 1 else f"{self.margin:g} times "
        rule = (
            f"at least {MIN_WINDOWS} windows and longer than {times}its longest here, is "
            "flagged as an anomaly of its own (rows `decided_by: silence`; `--silence-margin`)"
        )
        if set(self.longest_) == {WHOLE_LOG}:
            return (
                f"note: silences: a later silence of the log (time windows in a row with no "
                f"event), {rule}"
            )
        return (
            f"note: silences: {len(self.longest_):,} of {values:,} values wrote "
            f"{STEADY_WINDOWS} time windows or more in training; a later silence of one "
            f"(windows in a row with none of its events), {rule}"
        )

    def scoring_note(self, record: SilenceRecord, n_rows: int) -> str | None:
        """`note: ...` of the silences of the logs scored: the windows flagged (`n_rows`), an
        example; the silences of judged values longer than training's yet too short to flag;
        those of values training never saw, or saw too little of, as long as a flagged one
        would be. None when there were none of these."""
        flagged, short, unseen, sparse = [], [], [], []
        for silence in record.silences:
            longest = self.longest(silence.value)
            if longest is not None:
                if silence.length >= self.flagged_from(silence.value):
                    flagged.append(silence)
                elif silence.length > longest:
                    short.append(silence)
            elif silence.length >= MIN_WINDOWS and record.windows[silence.value] >= STEADY_WINDOWS:
                (sparse if self.seen(silence.value) else unseen).append(silence)
        parts = []
        if flagged:
            values = len({s.value for s in flagged})
            whose = "" if {s.value for s in flagged} == {WHOLE_LOG} else (
                f" ({values:,} value{_s(values)})"
            )  # fmt: skip
            at_end = sum(s.at_end for s in flagged)
            ending = (
                f"; {at_end:,} of them at the log's end (`at_end`: the value never wrote again, "
                "or its input was cut earlier than the others)"
                if at_end
                else ""
            )
            parts.append(
                f"{n_rows:,} time window{_s(n_rows)} of {len(flagged):,} "
                f"silence{_s(len(flagged))}{whose} flagged, longer than training allows "
                f"({self._example(flagged)}): rows `decided_by: silence`{ending}"
            )
        if short:
            parts.append(
                f"{len(short):,} silence{_s(len(short))} longer than {_its(short)} value's "
                f"longest in training but too short to flag ({self._example(short)}"
                f"{self._others(short)}): look at those times yourself"
            )
        for found, why in ((unseen, "never saw"), (sparse, "saw too little of")):
            if found:
                example = max(found, key=lambda s: s.length)
                advice = (
                    "train on files named as these are, or"
                    if why == "never saw" and self.paths_
                    else "retrain on logs that hold those values, or"
                )
                parts.append(
                    f"{len(found):,} silence{_s(len(found))} of values training {why} "
                    f"{'are' if len(found) > 1 else 'is'} not judged (e.g. {example.value!r}, "
                    f"{example.length:,} windows from {example.start.isoformat()}): {advice} "
                    "look at those times yourself"
                )
        return f"note: {'; '.join(parts)}" if parts else None

    @staticmethod
    def _others(silences: list[Silence], shown: int = 3) -> str:
        """`; also ...` naming up to `shown` more of `silences` (value@start, length)."""
        rest = sorted(silences, key=lambda s: -s.length)[1 : 1 + shown]
        if not rest:
            return ""
        named = ", ".join(
            f"{s.value or 'the log'}@{s.start.isoformat()} ({s.length:,})" for s in rest
        )
        more = len(silences) - 1 - len(rest)
        return f"; also {named}" + (f" and {more:,} more" if more else "")

    def _example(self, silences: list[Silence]) -> str:
        """The longest of `silences` in words, with its value's longest in training."""
        worst = max(silences, key=lambda s: s.length)
        who = "the log" if worst.value == WHOLE_LOG else repr(worst.value)
        longest = self.longest(worst.value)
        return (
            f"e.g. {who} wrote nothing for {worst.length:,} window{_s(worst.length)} from "
            f"{worst.start.isoformat()}, its longest in training {longest:,}, flagged from "
            f"{self.flagged_from(worst.value):,}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "margin": self.margin,
            "step_seconds": self.step_seconds_,
            "paths": self.paths_,
            "values": {
                v: [self.written_[v], n, self.empty_[v]] for v, n in sorted(self.longest_.items())
            },
            "seen": sorted(self.seen_),
        }

    @classmethod
    def from_dict(cls, record: dict[str, Any], source: str) -> SilenceProfile:
        try:
            profile = cls(float(record.get("margin", MARGIN)))
            profile.step_seconds_ = float(record["step_seconds"])
            values = record["values"]
            profile.written_ = {str(v): int(w) for v, (w, *_) in values.items()}
            profile.longest_ = {str(v): int(entry[1]) for v, entry in values.items()}
            if all(len(entry) > 2 for entry in values.values()):  # (kept since session 61)
                profile.empty_ = {str(v): int(entry[2]) for v, entry in values.items()}
            profile.seen_ = {str(v) for v in record.get("seen", values)}
            profile.paths_ = bool(record.get("paths", False))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise LogbertError(
                f"{source}: silences: not a silence profile ({exc!r}); retrain the model"
            ) from exc
        return profile


def _same_file(value: str, files: set[str]) -> str | None:
    """The one of `files` whose path ends as `value`'s does over the most parts (at least its
    name), when no other does as far; None otherwise."""
    parts = value.split("/")
    best, found = 0, []
    for other in files:
        theirs = other.split("/")
        common = 0
        while common < min(len(parts), len(theirs)) and (
            parts[-1 - common] == theirs[-1 - common]
        ):
            common += 1
        if common and common >= best:
            found = [other] if common > best else [*found, other]
            best = common
    return found[0] if len(found) == 1 else None


def _s(count: int) -> str:
    return "" if count == 1 else "s"


def _its(silences: list[Silence]) -> str:
    return "its" if len(silences) == 1 else "their"
