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
file dated by its mtime has no jump left to fix). A file whose lines run on past its modification
time (a generated or copied file) is cut by that rule into a year and the year before; the clock
puts the later lines back after the earlier ones, and says so as that, not as a rollover. One
`YearClock` follows one input, chunk by chunk, in line order. With one `--year` for several inputs
(rotated files given oldest first, `syslog.1` in December, `syslog` in January), an input whose
first line lies more than half a year before the end of the input read just before it starts in the
next year (`after`); inputs of other hosts over the same days never jump that far, so they keep the
year given. An input whose first line lies more than half a year after that end is most likely the
older rotated file given after the newer one (`syslog syslog.1`): with one `--year` both are dated
in the same year, a year apart, which a warning says (naming both files: give rotated files oldest
first); its timestamps are kept as read.

Steps back in time of any format: the clock also counts, on the final timestamps (years added,
so a rollover is no step), each step back of more than `STEP_BACK` between consecutive dated
lines of its input (concurrent writers are seconds apart; jumps of over a month in a format
without a year have the warning above). The run gets one warning over all inputs
(`step_back_warning`): events after such a step are dated before events they follow, so time
windows overlap there and sessions by id that span it look longer. A step of up to about an
hour (`DST_STEP`) is what a daylight-saving change leaves in a log written in local time
without a zone (the clock goes back an hour, less the time between the two lines).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from logbert.parsing.rotation import rotation_key, same_log_parts
from logbert.parsing.zones import local_year

DAY_US = 86_400_000_000
ROLLOVER_BACK = 183 * DAY_US  # back further than this: the next year is the nearer reading
JUMP_BACK = 31 * DAY_US  # back further than this (but no rollover): warn
BETWEEN_FILES_GAP_DAYS = 7  # a file dated a year on starting later than this after the last: say
NOTED_ROLLOVERS = 3  # rollovers named one by one per input (an unsorted log could have many)
MINUTE_US = 60_000_000
STEP_BACK = 10 * MINUTE_US  # consecutive dated lines further back than this: warn (not jitter)
# a step back to a time before this (µs since the epoch: its first day) is a clock counting
# from a boot starting again, dmesg's uptime after a reboot (QA: four boots in one file)
UPTIME_RESTART_US = 86_400_000_000
# a step back within this range looks like a daylight-saving change: an hour back, less the
# time between the two lines (up to a quarter of an hour), plus a minute of jitter
DST_STEP = (45 * MINUTE_US, 61 * MINUTE_US)
# an input whose steps between dated lines go back this often (of at least so many) is newest
# first as a whole, not a log with a few steps back (QA CSV exports: "3 steps back of over 10
# minutes" said of a file read backwards, and a dense one got no word at all)
REVERSED_SHARE = 0.9
REVERSED_MIN_STEPS = 20


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
    # the zone of --timezone: its lines were moved to UTC before the clock sees them, and a
    # rollover's year is said as the log writes it (QA Puppet: Berlin's Jan 1 00:00 rollover
    # was "later lines dated 2026", the UTC year of 23:00 on Dec 31)
    zone: str | None = None
    shift: int = 0  # years added since the first line
    last: int | None = None  # µs of the previous line with a timestamp (before `shift`)
    rollovers: list[tuple[int, int]] = field(default_factory=list)  # (line_no, new year)
    past_mtime: tuple[int, int] | None = None  # (line_no, year): lines run on past `not_after`
    jumps: int = 0  # jumps back that are no rollover
    first_jump: tuple[int, int, str, str] | None = None  # line_no, days back, from, to
    after: int | None = None  # µs (years added) of the last line of the input read before
    previous: str | None = None  # that input's name
    between: tuple[int, int, int] | None = None  # moved past `previous`: line, year, days after
    ahead: int | None = None  # days it starts after `previous` ends (over half a year)
    final: int | None = None  # µs of the previous dated line, years added (`count_steps`)
    first_final: int | None = None  # µs of the input's first dated line, years added
    steps: int = 0  # steps back of more than `STEP_BACK` between consecutive dated lines
    backward: int = 0  # consecutive dated lines going back in time, by any amount ...
    forward: int = 0  # ... and forward (`is_reversed`)
    first_step: tuple[int, int, int, int] | None = None  # line_no, µs back, from, to (µs)

    def end(self) -> int | None:
        """µs of the last line with a timestamp, years added (None: no dated line yet)."""
        if self.last is None:
            return None
        return int(add_years(np.array([self.last]), np.array([self.shift]))[0])

    def apply(
        self, timestamps: pa.Array, line_no: np.ndarray, not_after: int | None = None
    ) -> pa.Array:
        """`timestamps` (one chunk, the rows of `line_no`) with the years of rollovers added;
        `not_after` (µs): the limit past which the year rule dated lines a year back (a
        "rollover" that lands past it undoes that rule, see the module docstring)."""
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
                self.between = (
                    int(lines[0]), _year(moved, self.zone), (moved - self.after) // DAY_US
                )  # fmt: skip
            elif int(values[0]) - self.after > ROLLOVER_BACK:  # given after a newer file?
                self.ahead = (int(values[0]) - self.after) // DAY_US
        before = np.concatenate([[values[0] if self.last is None else self.last], values[:-1]])
        back = before - values
        roll = back > ROLLOVER_BACK
        years = self.shift + np.cumsum(roll)
        shifted = add_years(values, years) if years.any() else values
        for i in np.flatnonzero(roll):
            if not_after is not None and shifted[i] > not_after and self.past_mtime is None:
                self.past_mtime = (int(lines[i]), _year(shifted[i], self.zone))
            else:
                self.rollovers.append((int(lines[i]), _year(shifted[i], self.zone)))
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

    def count_steps(self, timestamps: pa.Array, line_no: np.ndarray, said_jumps: bool) -> None:
        """Count the chunk's steps back of more than `STEP_BACK` between consecutive dated
        lines (`timestamps`: final, years added; the rows of `line_no`), and keep the first;
        `said_jumps`: jumps back of over `JUMP_BACK` have the warning of `apply` (a format
        without a year) and are not counted again."""
        valid = timestamps.is_valid().to_numpy(zero_copy_only=False)
        if not valid.any():
            return
        values = pc.drop_null(timestamps).cast(pa.int64()).to_numpy()
        if self.first_final is None:
            self.first_final = int(values[0])
        before = np.concatenate([[values[0] if self.final is None else self.final], values[:-1]])
        back = before - values
        step = back > STEP_BACK
        if said_jumps:
            step &= back <= JUMP_BACK
        found = np.flatnonzero(step)
        if len(found) and self.first_step is None:
            i = int(found[0])
            self.first_step = (int(line_no[valid][i]), int(back[i]), int(before[i]), int(values[i]))
        self.steps += len(found)
        self.backward += int((back > 0).sum())
        self.forward += int((back < 0).sum())
        self.final = int(values[-1])

    def is_reversed(self) -> bool:
        """Whether the input runs newest first: nearly every step between dated lines goes
        back in time (exports write so: Event Viewer, SIEM searches)."""
        steps = self.backward + self.forward
        return steps >= REVERSED_MIN_STEPS and self.backward >= REVERSED_SHARE * steps

    def messages(self) -> list[str]:
        """Notes on the rollovers, and a warning (`warning: ...`) on jumps back that are none."""
        out = self._between_message() + self._ahead_message() + self._past_mtime_message()
        out += [
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

    def _past_mtime_message(self) -> list[str]:
        """The note on lines dated after the file's modification time that follow on from
        the lines before them: the year rule took them a year back, the clock put them back."""
        if self.past_mtime is None:
            return []
        line, year = self.past_mtime
        return [
            f"{self.source}: lines from {line:,} on are dated after the file's modification "
            f"time, yet follow on from the lines before, so they are kept in {year}, not taken "
            f"in {year - 1} (a copied or generated file?); pass --year YYYY to choose"
        ]

    def _ahead_message(self) -> list[str]:
        """The warning on an input that starts over half a year after the one read before it
        ended: with one --year, the older of two rotated files given after the newer one
        (`syslog` in January, then `syslog.1` in December) is dated a year after it."""
        if self.ahead is None:
            return []
        return [
            f"warning: {self.source} (read after {self.previous}) starts {self.ahead:,} days "
            f"after {self.previous} ends, one --year dating both: if {self.source} is the older "
            "rotated file, its events are dated a year late and sessions that span the two "
            f"files look a year long; give rotated files oldest first ({_ROTATED}), so that the "
            "year rolls over between them"
        ]


def step_back_warning(clocks: list[YearClock], zoned: frozenset[str] = frozenset()) -> list[str]:
    """One warning for a run whose inputs step back in time (`YearClock.count_steps`): the
    first step (input, line, size, a daylight-saving change when it is about an hour back in
    an input none of whose times carries a UTC offset: `zoned` names those that do), how many
    there were, what they do to sessions and what to do."""
    backwards = [clock for clock in clocks if clock.is_reversed()]
    out = [_reversed_message(backwards)] if backwards else []
    firsts = [
        (clock.source, clock.first_step)
        for clock in clocks
        if clock.first_step is not None and not clock.is_reversed()
    ]
    if not firsts:
        return out
    source, (line, back, was, now) = firsts[0]
    steps = sum(clock.steps for clock in clocks)
    where = f" in {len(firsts):,} inputs" if len(firsts) > 1 else ""
    count = f"{steps:,} step{'s' if steps > 1 else ''} back of over {STEP_BACK // MINUTE_US} "
    count += f"minutes{where} in all"
    what = (
        f"warning: timestamps step back {_span(back)} at {source}:{line} (from "
        f"{_when(was)} to {_when(now)}; {count})"
    )
    effect = (
        "events after it are dated earlier than those before it, so time windows overlap "
        "there, and sessions by id that span it look longer (their events stay in line order)"
    )
    if 0 <= now < UPTIME_RESTART_US:  # back to the clock's first day: seconds since boot
        return out + [
            f"{what}: the clock starts again near zero there, so it counts time since boot "
            "(dmesg's `[  120.766080]`) and the log holds several boots whose events are "
            "dated alike; sorting by time would mix the boots, and time windows and sessions "
            "by id already do; split the file at each boot and give the parts as inputs (e.g. "
            f"csplit -z -f boot {source} '/\\] Linux version/' '{{*}}'), or log wall-clock "
            "times (dmesg -T, journalctl -k)"
        ]
    if DST_STEP[0] <= back <= DST_STEP[1] and source not in zoned:
        return out + [
            f"{what}: about an hour back, as at a daylight-saving change in a log written in "
            f"local time without a zone; {effect}; log in UTC or with a UTC offset"
        ]
    return out + [
        f"{what}: the log is not in time order there (merged or unsorted logs, rotated files "
        f"out of order, or a clock set back); where a clock was set back, {effect}; sort "
        f"merged logs by time, and give rotated files oldest first ({_ROTATED})"
    ]


def _reversed_message(clocks: list[YearClock]) -> str:
    """The warning for inputs that run newest first (`YearClock.is_reversed`); it holds
    `NEWEST_FIRST`, so callers whose events go in time order leave it out as that one's."""
    first = clocks[0]
    steps = first.backward + first.forward
    more = f" (and those of {len(clocks) - 1:,} more inputs)" if len(clocks) > 1 else ""
    return (
        f"warning: the lines of {first.source} {NEWEST_FIRST}{more}: {first.backward:,} of "
        f"its {steps:,} steps between dated lines go back in time, as exports write them; "
        "sessions by id take their events in line order, so each session's events come in "
        "reverse and a sequence detector learns them backwards: reverse the file first "
        f"(`tac {first.source} > oldest-first.log`; a header line moves to the end)"
    )


_ROTATED = "`app.log.1` before `app.log`"
NEWEST_FIRST = "were given newest first"  # in `newest_first_warning`, for callers to tell it


def newest_first_warning(clocks: list[YearClock]) -> list[str]:
    """One warning when inputs were read newest first: an input whose every dated line lies
    before the first dated line of the input read just before it (a shell's `app.log*` lists
    `app.log app.log.1 app.log.2.gz`). Steps back inside an input have `step_back_warning`;
    between inputs nothing said it, and a request that spanned a rotation took its later
    events first (QA Spring Boot: 6 of 3,000 training requests, LogBERT's threshold rose
    with them, F1 1.00 -> 0.74). Files of several hosts over the same hours overlap in time
    and are not named."""
    pairs = [
        (before.source, after.source)
        for before, after in zip(clocks, clocks[1:], strict=False)
        if before.first_final is not None
        and after.final is not None
        and after.final <= before.first_final  # a rotation cuts at a line: the same time
        and _one_log(before.source, after.source)
    ]
    if not pairs:
        return []
    first, then = pairs[0]
    more = f" ({len(pairs) - 1:,} more such pairs)" if len(pairs) > 1 else ""
    return [
        f"warning: {then} ends before {first} (read before it) starts{more}: the inputs "
        f"{NEWEST_FIRST}, as a shell lists rotated files (`app.log*`), so a session whose "
        "events span two of them takes its later events first; give rotated files oldest first "
        f"({_ROTATED}, as a folder of them is read; where the numbers run the other way, as "
        "the JVM's `gc.log.0` is its oldest, name the files in their order), or sessionize "
        "them with --order time"
    ]


def after_written_warning(
    clocks: list[YearClock],
    written: dict[str, int],
    year: int | None,
    timestamp_format: str | None = None,
) -> list[str]:
    """A warning when `--year year` dates an input's lines more than a day after the file was
    last written (`written`: input -> modification time, µs, for inputs dated by --year): a
    year too late (QA Postfix:
    `--year 2026` on December's file dated it December 2026, after the file's own date and
    after today, with only a note); or when `--timestamp-format` does (QA Spark: day-first
    `%d/%m/%y` read `26/11/30` as 2030-11-26, with no word)."""
    late = [
        (clock.source, end, written[clock.source])
        for clock in clocks
        if clock.source in written
        and (end := clock.final) is not None  # the last dated line, any format's
        and end > written[clock.source] + DAY_US
    ]
    if not late:
        return []
    source, end, last_written = late[0]
    more = f" ({len(late) - 1:,} more such inputs)" if len(late) > 1 else ""
    if year is None:
        return [
            f"warning: --timestamp-format {timestamp_format!r} dates {source}'s lines up to "
            f"{_day(end)}, after the file was last written ({_day(last_written)}){more}: does "
            "it read the fields in another order than the log writes them (day and month, or "
            "year and day, swapped)? Check it against a line"
        ]
    return [
        f"warning: --year {year} dates {source}'s lines up to {_day(end)}, after the file was "
        f"last written ({_day(last_written)}){more}: is the year one too late? Leave out --year "
        "to date each file by its modification time, or give the year of its first line"
    ]


def _one_log(first: str, second: str) -> bool:
    """Whether two inputs are files of one rotated log (`app.log`, `app.log.1`,
    `app.log.2.gz`, `syslog-20261101`) in one folder: files of two services (`gateway.log`,
    `inventory.log.2`; two Jenkins builds' `log`s) are not read newest first whatever their
    times (QA microservices, Jenkins)."""
    a, b = PurePath(first), PurePath(second)
    return a.parent == b.parent and (
        rotation_key(a.name)[0] == rotation_key(b.name)[0] or same_log_parts(a.name, b.name)
    )


def _span(micros: int) -> str:
    """`55 minutes`, `3 h 20 min`, `12 days`: the size of a step back."""
    minutes = round(micros / MINUTE_US)
    if minutes < 90:
        return f"{minutes} minutes"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60} min"
    return f"{micros // DAY_US:,} days"


def _year(micros: int, zone: str | None = None) -> int:
    """The year of a µs UTC timestamp, in `zone` (of --timezone) where one is named."""
    if zone is not None:
        return local_year(micros, zone)
    return int(np.datetime64(int(micros), "us").astype("datetime64[Y]").astype(int)) + 1970


def _day(micros: int) -> str:
    """`2026-01-01` for a µs timestamp."""
    return str(np.datetime64(int(micros), "us").astype("datetime64[D]"))


def _when(micros: int) -> str:
    """`2016-10-30 16:54:09` for a µs timestamp."""
    return str(np.datetime64(int(micros), "us").astype("datetime64[s]")).replace("T", " ")
