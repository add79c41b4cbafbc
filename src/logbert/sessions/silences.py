"""Silences: runs of time windows in which a value (a host, a pod; with plain windows the whole
log) wrote nothing, and the profile, learnt in training, that judges them.

A window with no event makes no session, so no detector can score a host that stopped writing
(QA: 5 of 8 reports of one round, a stopped NFS job, a silent QEMU host, Buildbot's poller,
Sonarr's RSS scheduler, Tempo's ingester, each warned of and judged by nothing). The window
sessionizer records each run of empty windows of a value in a `SilenceRecord` (`Silence`: the
value, the run's first window and its length, the value's last event before it); training
learns from its record, per value that wrote steadily, the longest silence its normal logs had
(`SilenceProfile`). A later silence is an anomaly of its own (`SilenceProfile.judge`) when its
value wrote at least `STEADY_WINDOWS` windows in training and it is longer than any silence the
value had there, and at least `MIN_WINDOWS` windows long: one empty window is what a job
writing once a window length apart leaves at a window's edge by jitter alone. The rule was
written down before any log was scored with it; nothing in it was chosen on QA or shared data.
Values new to these logs, or that wrote now and then in training, are not judged.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from logbert.errors import LogbertError

STEADY_WINDOWS = 5  # windows a value wrote in training, at least, for its silences to be judged
MIN_WINDOWS = 2  # empty windows in a row, at least, of a silence judged anomalous
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
    later silences (module doc). Fitted attributes: `longest_` (value -> empty windows in a
    row, 0 when none), `written_` (value -> windows written), `step_seconds_` (the windows'
    step, which the lengths count)."""

    def fit(self, record: SilenceRecord, step: timedelta) -> SilenceProfile:
        steady = {v: n for v, n in record.windows.items() if n >= STEADY_WINDOWS}
        longest = dict.fromkeys(steady, 0)
        for silence in record.silences:
            if silence.value in longest:
                longest[silence.value] = max(longest[silence.value], silence.length)
        self.longest_, self.written_ = longest, steady
        self.step_seconds_ = step.total_seconds()
        return self

    def judge(self, silence: Silence) -> bool:
        """Whether `silence` is anomalous: its value wrote steadily in training, and it is
        longer than any the value had there and at least `MIN_WINDOWS` windows."""
        return self.judge_length(silence.value, silence.length)

    def judge_length(self, value: str, length: int) -> bool:
        """Whether `length` empty windows in a row of `value` are anomalous (`judge`)."""
        longest = self.longest_.get(value)
        return longest is not None and length >= max(MIN_WINDOWS, longest + 1)

    def longest(self, value: str) -> int | None:
        """The longest silence `value` had in training (None: not judged)."""
        return self.longest_.get(value)

    def training_note(self, record: SilenceRecord) -> str:
        """`note: ...` of what training learnt: which values are judged, and by what rule."""
        values = len(record.windows)
        whose = "the log" if set(self.longest_) == {WHOLE_LOG} else (
            f"{len(self.longest_):,} of {values:,} values"
        )  # fmt: skip
        if not self.longest_:
            return (
                f"note: silences are judged for no value: none of the {values:,} wrote "
                f"{STEADY_WINDOWS} time windows or more in training"
            )
        return (
            f"note: silences: {whose} wrote {STEADY_WINDOWS} time windows or more in "
            "training; a later silence (windows in a row with no event) of one, longer than "
            f"its longest here and at least {MIN_WINDOWS} windows, is flagged as an anomaly of "
            "its own (rows `decided_by: silence`)"
        )

    def scoring_note(self, record: SilenceRecord, n_rows: int) -> str | None:
        """`note: ...` of the silences of the logs scored: the windows flagged (`n_rows`), an
        example, and the silences of values not judged (new, or sparse in training) as long as
        a flagged one would be; None when there were none of either."""
        flagged = [s for s in record.silences if self.judge(s)]
        unjudged = [
            s for s in record.silences
            if s.value not in self.longest_ and s.length >= MIN_WINDOWS
            and record.windows[s.value] >= STEADY_WINDOWS
        ]  # fmt: skip
        parts = []
        if flagged:
            worst = max(flagged, key=lambda s: s.length)
            who = "the log" if worst.value == WHOLE_LOG else repr(worst.value)
            values = len({s.value for s in flagged})
            parts.append(
                f"{n_rows:,} time window{'s' if n_rows > 1 else ''} of {len(flagged):,} "
                f"silence{'s' if len(flagged) > 1 else ''} ({values:,} value"
                f"{'s' if values > 1 else ''}) flagged, longer than any of their value's in "
                f"training (e.g. {who} wrote nothing for {worst.length:,} windows from "
                f"{worst.start.isoformat()}, its longest in training "
                f"{self.longest_[worst.value]:,}): rows `decided_by: silence`"
            )
        if unjudged:
            example = max(unjudged, key=lambda s: s.length)
            many = len(unjudged) > 1
            parts.append(
                f"{len(unjudged):,} silence{'s' if many else ''} of values that training saw "
                f"too little of {'are' if many else 'is'} not judged (e.g. "
                f"{example.value!r}, {example.length:,} windows from "
                f"{example.start.isoformat()}): look at those times yourself, or retrain on "
                "logs that hold those values"
            )
        return f"note: {'; '.join(parts)}" if parts else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "step_seconds": self.step_seconds_,
            "values": {v: [self.written_[v], n] for v, n in sorted(self.longest_.items())},
        }

    @classmethod
    def from_dict(cls, record: dict[str, Any], source: str) -> SilenceProfile:
        try:
            profile = cls()
            profile.step_seconds_ = float(record["step_seconds"])
            values = record["values"]
            profile.written_ = {str(v): int(w) for v, (w, _) in values.items()}
            profile.longest_ = {str(v): int(n) for v, (_, n) in values.items()}
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise LogbertError(
                f"{source}: silences: not a silence profile ({exc!r}); retrain the model"
            ) from exc
        return profile
