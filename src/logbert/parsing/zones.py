"""Time zones named in a header field of their own (`<Date> <Time> <Zone>`): applied to UTC.

PostgreSQL's `%m` writes `2026-11-04 06:00:18.746 CET`, syslog-style loggers `... EST`: the
zone sits in a field beside the timestamp, not in it, so the timestamp rule (`formats.py`)
reads the time as UTC. Stored as written, CET times were an hour late, and windows, session
lifetimes and the order of several hosts' logs with them (QA PostgreSQL).

A zone field's value is applied where it says one thing: a numeric offset (`+01`, `-0500`,
`+05:30`), an abbreviation with one meaning (`CET` +1, `CEST` +2, `EST` -5, `PDT` -7, ...), or
a tz database name (`Europe/Paris`, `America/New_York`: the offset of that date, daylight
saving included). Abbreviations that name several zones (`CST`: US Central or China; `IST`:
India, Israel or Ireland) and names the tz database lacks are left unapplied, and the caller
warns (`ZoneUse.unapplied`). A line whose timestamp carries its own offset keeps it.

A log that writes local time without any zone (nginx's error log, Python's logging, most
syslog) is read as UTC unless `--timezone` names its zone (`LogFormat.timezone`): then every
time without an offset of its own is that zone's, as if each line had a zone field (QA Kong: a
gateway's error log at UTC+1 had its windows named an hour off, and the labels were blamed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pyarrow as pa
import pyarrow.compute as pc

from logbert.errors import LogbertError
from logbert.parsing.formats import ZONE_ABBREVIATIONS as ABBREVIATIONS
from logbert.parsing.formats import bare_name

# header fields naming a time zone (`formats.bare_name` of the field), and the names of UTC
ZONE_FIELDS = frozenset({"zone", "tz", "timezone", "tzname", "zonename"})
UTC_NAMES = frozenset({"UTC", "GMT", "Z", "+00:00", "+0000", "+00", "UT", "ZULU"})


_OFFSET = r"(?P<s>[+-])(?P<h>\d\d):?(?P<m>\d\d)?"
# a timestamp text in UTC already: one that ends in its own offset (`10:00:00+02:00`,
# `10:00:00.5 Z`, `10:00:00 CET`; a colon or bracket after it, `iso`'s `...+0100:` of Falco's
# `2026-12-03T22:01:12.383870655+0100: Notice ...`, QA), or epoch time
OWN_OFFSET = (
    r"\d:\d\d(?::\d\d(?:[.,]\d+)?)?\s*(?:[Zz]|[+-]\d\d(?::?\d\d)?"
    rf"|{'|'.join(ABBREVIATIONS)})[:\]]?$|^\s*\d+(?:\.\d*)?\s*$"
    r"|\d[Tt]\d{6}(?:[.,]\d+)?(?:[Zz]|[+-]\d\d(?::?\d\d)?)$"  # ISO 8601 basic: `...T050021Z`
)
_MICROS_PER_MINUTE = 60_000_000
_EPOCH = datetime(1970, 1, 1)


@dataclass
class ZoneUse:
    """Which zone names a chunk applied and which it could not (for notes and warnings)."""

    applied: set[str] = field(default_factory=set)
    unapplied: set[str] = field(default_factory=set)
    # local times in the hour a zone skips when its clocks go forward (`_regional_offsets`),
    # and the first one's text with its zone's name and its offset before the change (`+01:00`)
    skipped: int = 0
    skipped_example: tuple[str, str, str] | None = None


def zone_field(columns: dict[str, pa.Array], timestamp_fields: tuple[str, ...]) -> str | None:
    """The header field (outside the timestamp's own) that names the zone, if the format
    has one (`<Zone>`, `<TZ>`, ...) beside a timestamp field (`columns` in the format's
    order): a zone elsewhere belongs to another time (QA network logs: a device's `CET`
    after its own time was applied to the UTC syslog header time)."""
    found = _zone_field(list(columns), timestamp_fields)
    return found[0] if found is not None and found[1] else None


def stray_zone_field(fields: list[str], timestamp_fields: tuple[str, ...]) -> str | None:
    """A zone field of a format that `zone_field` never applies (not beside a time field)."""
    found = _zone_field(fields, timestamp_fields)
    return found[0] if found is not None and not found[1] else None


def _zone_field(names: list[str], timestamp_fields: tuple[str, ...]) -> tuple[str, bool] | None:
    """The first zone field among `names` (outside the timestamp's own), and whether it
    stands beside a timestamp field; None when there is none."""
    for i, name in enumerate(names):
        if bare_name(name) in ZONE_FIELDS and name not in timestamp_fields:
            beside = names[max(i - 1, 0) : i] + names[i + 1 : i + 2]
            return name, bool(set(beside) & set(timestamp_fields))
    return None


def apply_zone(timestamps: pa.Array, text: pa.Array, zones: pa.Array) -> tuple[pa.Array, ZoneUse]:
    """`timestamps` (read as UTC) moved to UTC by each line's zone name in `zones`; lines
    whose timestamp `text` holds an offset of its own, or whose zone is empty or unknown, are
    unchanged. Distinct zone names are looked up once; a tz database name is applied per
    distinct time (its offset depends on the date)."""
    use = ZoneUse()
    names = pc.utf8_trim_whitespace(zones)
    own = pc.fill_null(pc.match_substring_regex(text, OWN_OFFSET), False)
    names = pc.if_else(own, pa.scalar(None, pa.string()), names)
    enc = pc.dictionary_encode(names)
    fixed: list[int | None] = []
    regional: dict[int, ZoneInfo] = {}
    for i, name in enumerate(enc.dictionary.to_pylist()):
        minutes, region = _lookup(name)
        fixed.append(minutes)
        if region is not None:
            regional[i] = region
        if minutes is not None or region is not None:
            if name.upper() not in UTC_NAMES:
                use.applied.add(name)
        elif name:
            use.unapplied.add(name)
    if not use.applied:
        return timestamps, use
    offsets = pc.take(pa.array(fixed, pa.int64()), enc.indices)
    micros = pc.cast(timestamps, pa.int64())
    if regional:
        offsets = _regional_offsets(micros, enc.indices, regional, offsets, text, use)
    moved = pc.subtract(micros, pc.multiply(pc.fill_null(offsets, 0), _MICROS_PER_MINUTE))
    return pc.cast(moved, pa.timestamp("us")), use


# `--timezone` (`parse`, `train --logs`), said where the option is (as `RULES_HELP` is)
TIMEZONE_HELP = (
    "The time zone of timestamps written without a UTC offset (a tz database name such as "
    "Europe/Berlin, or +01:00): they are stored in UTC, so time windows are named in UTC as "
    "labels are. Default: such times are read as UTC. Times that carry their own offset keep it."
)


def check_timezone(name: str | None) -> None:
    """Refuse a `--timezone` that names no zone `apply_zone` knows (a typo would leave every
    time read as UTC)."""
    if name is None:
        return
    minutes, region = _lookup(name.strip())
    if minutes is None and region is None:
        raise LogbertError(
            f"--timezone {name!r} names no time zone: give a tz database name (Europe/Berlin, "
            "America/New_York), a UTC offset (+01:00, -0500) or an abbreviation with one meaning "
            "(CET, EST, UTC)"
        )


def local_year(utc_micros: int, name: str) -> int:
    """The year a UTC time (µs) falls in where `name` (a zone `check_timezone` takes) is the
    clock's zone."""
    minutes, region = _lookup(name.strip())
    zone = region or timezone(timedelta(minutes=minutes or 0))
    moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=int(utc_micros))
    return moment.astimezone(zone).year


def _lookup(name: str) -> tuple[int | None, ZoneInfo | None]:
    """(fixed offset in minutes, or a tz database zone, or neither) for one zone name."""
    if not name:
        return None, None
    upper = name.upper()
    if upper in ABBREVIATIONS:
        return ABBREVIATIONS[upper], None
    parts = re.fullmatch(_OFFSET, name)
    if parts is not None:
        minutes = int(parts["h"]) * 60 + int(parts["m"] or 0)
        return (-minutes if parts["s"] == "-" else minutes), None
    return None, _region(name)


@lru_cache(maxsize=64)
def _region(name: str) -> ZoneInfo | None:
    """A tz database zone by its name (`Europe/Paris`), None when there is none by that name
    (bare abbreviations like `CST` are refused: the database's `CST6CDT`-style keys are not
    what a log means by them)."""
    if "/" not in name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _regional_offsets(
    micros: pa.Array,
    codes: pa.Array,
    regional: dict[int, ZoneInfo],
    offsets: pa.Array,
    text: pa.Array,
    use: ZoneUse,
) -> pa.Array:
    """`offsets` with the rows of tz database zones filled in from each row's local time. The
    hour an autumn night repeats is read as its first pass until the lines' local time has
    gone past it, then as its second (QA ProFTPD, Icecast: the second pass was given summer
    time, an hour early, a session's end before its start); lines in time order across a
    chunk's edge are read as the chunk they are in shows them. A time in the hour a spring
    night skips is read with the offset before the change, and counted in `use` (with the
    first one's timestamp `text`): a
    clock that follows the zone never writes one, so the log's zone is likely another (a
    server kept on standard time all year)."""
    out = offsets.to_pylist()
    latest: dict[int, int] = {}  # per zone, the latest local time of the lines so far
    second: dict[int, int] = {}  # ... and whether they stepped back into a repeated hour
    for row, (code, local) in enumerate(zip(codes.to_pylist(), micros.to_pylist(), strict=True)):
        zone = regional.get(code)
        if zone is None or local is None:
            continue
        first, later = _minutes_east(local, zone)
        if first < later:  # the clocks went forward past this time: it never happened there
            use.skipped += 1
            if use.skipped_example is None:
                sign, minutes = "-" if first < 0 else "+", abs(first)
                offset = f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
                use.skipped_example = (text[row].as_py(), zone.key, offset)
        if first == later:
            second[code] = 0
        elif latest.get(code, local) > local:  # a repeated hour, stepped back into
            second[code] = 1
        out[row] = later if second.get(code) else first
        latest[code] = max(latest.get(code, local), local)
    return pa.array(out, pa.int64())


@lru_cache(maxsize=65536)
def _minutes_east(local_micros: int, zone: ZoneInfo) -> tuple[int, int]:
    """The zone's offsets (minutes) at a local time given as µs since the epoch: at the
    earlier and the later of the two times an autumn hour repeats (the same elsewhere)."""
    moment = _EPOCH + timedelta(microseconds=local_micros)
    offsets = [moment.replace(tzinfo=zone, fold=fold).utcoffset() for fold in (0, 1)]
    first, later = (int(o.total_seconds() // 60) if o is not None else 0 for o in offsets)
    return first, later
