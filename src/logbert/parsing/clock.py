"""Year rollover in logs whose timestamps write no year (syslog `Dec 31 23:59:59`, proxifier).

The year of such a log comes from `--year` or the file's modification time (`formats.py`), but a
file that runs from December into January still needs two years. Like syslog tools, the parser
reads each file's timestamps in line order and treats a jump back of more than half a year
(`ROLLOVER_BACK`; Dec 31 -> Jan 1 goes back 364 days) as the new year: that line and every later
one get one year more, and a note says so. A jump back of more than a month that is no rollover
(Oct 30 -> Jul 26: taking it as the next year would be a gap of nine months, more than going
back three) is not fixed: a warning names the line, since the log is out of time order or its
year is wrong. Smaller jumps back (lines a few seconds or days out of order) are normal.

The jumps are measured on timestamps after the year rule of `formats.py` (with the file's
modification time, dates after it are already taken in the year before, so a December-to-January
file dated by its mtime has no jump left to fix). One `YearClock` follows one input, chunk by
chunk, in line order. With one `--year` for several inputs (rotated files given oldest first,
`syslog.1` in December, `syslog` in January), an input whose first line lies more than half a
year before the end of the input read just before it starts in the next year (`after`); inputs
of other hosts over the same days never jump that far, so they keep the year given.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

DAY_US = 86_400_000_000
ROLLOVER_BACK = 183 * DAY_US  # back further than this: the next year is the nearer reading
JUMP_BACK = 31 * DAY_US  # back further than this (but no rollover): warn
BETWEEN_FILES_GAP_DAYS = 7  # a file dated a year on starting later than this after the last: say
NOTED_ROLLOVERS = 3  # rollovers named one by one per input (an unsorted log could have many)


def add_years(micros: np.ndarray, years: np.ndarray) -> np.ndarray:
    """µs timestamps moved `years` later, same month, day and time (Feb 29 -> Mar 1 where the
    new year has none)."""
    t = micros.astype("datetime64[us]")
    day = t.astype("datetime64[D]")
    month = day.astype("datetime64[M]")
    moved = (month + (years * 12).astype("timedelta64[M]")).astype("datetime64[D]")
    return ((moved + (day - month)).astype("datetime64[us]") + (t - day)).astype(np.int64)


@dataclass
class YearClock:
    """Follows the timestamps of one input in line order: adds a year after each rollover and
    remembers what to tell the user (`messages`)."""

    source: str
    shift: int = 0  # years added since the first line
    last: int | None = None  # µs of the previous line with a timestamp (before `shift`)
    rollovers: list[tuple[int, int]] = field(default_factory=list)  # (line_no, new year)
    jumps: int = 0  # jumps back that are no rollover
    first_jump: tuple[int, int, str, str] | None = None  # line_no, days back, from, to
    after: int | None = None  # µs (years added) of the last line of the input read before
    previous: str | None = None  # that input's name
    between: tuple[int, int, int] | None = None  # moved past `previous`: line, year, days after

    def end(self) -> int | None:
        """µs of the last line with a timestamp, years added (None: no dated line yet)."""
        if self.last is None:
            return None
        return int(add_years(np.array([self.last]), np.array([self.shift]))[0])

    def apply(self, timestamps: pa.Array, line_no: np.ndarray) -> pa.Array:
        """`timestamps` (one chunk, the rows of `line_no`) with the years of rollovers added."""
        valid = timestamps.is_valid().to_numpy(zero_copy_only=False)
        if not valid.any():
            return timestamps
        raw = np.array(pc.fill_null(timestamps.cast(pa.int64()), 0))  # a writable copy
        values, lines = raw[valid], line_no[valid]
        if self.last is None and self.after is not None:  # the first dated line of the input
            while (
                self.after - int(add_years(values[:1], np.array([self.shift]))[0]) > ROLLOVER_BACK
            ):
                self.shift += 1
            if self.shift:
                moved = int(add_years(values[:1], np.array([self.shift]))[0])
                self.between = (int(lines[0]), _year(moved), (moved - self.after) // DAY_US)
        before = np.concatenate([[values[0] if self.last is None else self.last], values[:-1]])
        back = before - values
        roll = back > ROLLOVER_BACK
        years = self.shift + np.cumsum(roll)
        shifted = add_years(values, years) if years.any() else values
        for i in np.flatnonzero(roll):
            self.rollovers.append((int(lines[i]), _year(shifted[i])))
        jump = np.flatnonzero((back > JUMP_BACK) & ~roll)
        if len(jump) and self.first_jump is None:
            i = int(jump[0])
            self.first_jump = (
                int(lines[i]), int(back[i] // DAY_US), _when(before[i]), _when(values[i])
            )  # fmt: skip
        self.jumps += len(jump)
        self.last, self.shift = int(values[-1]), int(years[-1])
        if not years.any():  # no rollover yet in this input
            return timestamps
        raw[valid] = shifted
        return pa.array(raw, pa.int64(), mask=~valid).cast(pa.timestamp("us"))

    def messages(self) -> list[str]:
        """Notes on the rollovers, and a warning (`warning: ...`) on jumps back that are none."""
        out = self._between_message() + [
            f"year rollover at {self.source}:{line}: later lines dated {year}"
            for line, year in self.rollovers[:NOTED_ROLLOVERS]
        ]
        if len(self.rollovers) > NOTED_ROLLOVERS:
            out.append(
                f"{self.source}: {len(self.rollovers) - NOTED_ROLLOVERS:,} more year rollovers "
                "(a jump back of over half a year each): the log may not be in time order"
            )
        if self.first_jump is not None:
            line, days, was, now = self.first_jump
            more = f" ({self.jumps - 1:,} more such jumps later)" if self.jumps > 1 else ""
            out.append(
                f"warning: timestamps jump back by {days:,} days at {self.source}:{line} (from "
                f"{was} to {now}){more}: too short for a year rollover, so the log is not in "
                "time order or its year is wrong; these timestamps were kept as read (sort "
                "the log, or split it where the year changes and pass --year for each part)"
            )
        return out

    def _between_message(self) -> list[str]:
        """The note on an input dated a year after the one read before it: a rotated file
        given oldest first starts right after the previous one ended; one that starts weeks
        later may be another host's file of the same months, dated a year too late."""
        if self.between is None:
            return []
        line, year, days = self.between
        if days <= BETWEEN_FILES_GAP_DAYS:
            return [f"year rollover at {self.source}:{line}: later lines dated {year}"]
        return [
            f"warning: {self.source} starts over half a year before {self.previous} (read "
            f"before it) ended, so it was dated a year later, from {year} on ({days:,} days "
            f"after {self.previous} ends), as a rotated file given oldest first; if both cover "
            "the same months (two hosts' logs), leave out --year (each file is then dated by "
            "its modification time), or parse each in a run of its own (one --state file keeps "
            "their template ids the same)"
        ]


def _year(micros: int) -> int:
    return int(np.datetime64(int(micros), "us").astype("datetime64[Y]").astype(int)) + 1970


def _when(micros: int) -> str:
    """`2016-10-30 16:54:09` for a µs timestamp."""
    return str(np.datetime64(int(micros), "us").astype("datetime64[s]")).replace("T", " ")
