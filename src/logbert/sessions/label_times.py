"""Window labels written in another time than the windows': a labels file whose window ids
(`2026-12-04T09:30:00`, `host@2026-12-04T09:30:00`) fit the sessions exactly once moved by a
whole clock offset (a quarter-hour multiple, up to 14 h) was written in local time.

Window ids are UTC. Labels in a local time whose offset is a multiple of the window length
land on real windows, only the wrong ones: the labels file's last hour names no session, the
log's first hour stays unlabelled, and `evaluate` scores the detector against labels an hour
off (QA FortiGate, `tz="+0100"`: F1 0.97 reported as 0.14, no word said). Evidence is strict:
some ids name no session and some sessions are unlabelled, and one offset makes both none.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

_ID = re.compile(r"(?P<field>.*@)?(?P<when>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)")
_STEP = timedelta(minutes=15)  # clock offsets are quarter-hour multiples (+05:45, +09:30)
_WIDEST = 14 * 4  # up to 14 h either way


@dataclass(frozen=True)
class ShiftedLabels:
    """Labels whose window ids fit the sessions moved by `shift`: `unused` ids name no
    session and `unlabelled` sessions have no label as written; `example` is one id."""

    shift: timedelta
    unused: int
    unlabelled: int
    example: str
    every_session: bool = True  # whether the labels moved label every session

    def warning(
        self,
        log_has_offsets: bool = False,
        labels_have_offsets: bool = False,
        log_timezone: str | None = None,
    ) -> str:
        """Both readings of the offset: labels in local time, or a log in local time without
        an offset, read as UTC (QA Kong: a gateway's error log at UTC+1; the warning blamed
        the labels, which were right, and advised writing them with a wrong offset); the
        labels' alone where every line of the log carries its own offset (`log_has_offsets`,
        QA RabbitMQ: `--timezone -01:00` was advised for lines written `+01:00`); the log's
        alone where every label id carries its own (`labels_have_offsets`, QA TrueNAS: ids
        written `+01:00` were said to be "local time (UTC-01:00)"); the labels' alone where
        the log's times were read in the zone --timezone named (`log_timezone`, QA
        systemd-networkd: `--timezone -01:00` was advised beside `--timezone Europe/Berlin`)."""
        minutes = int(self.shift.total_seconds() // 60)
        hhmm = f"{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        offset, log_zone = (f"+{hhmm}", f"-{hhmm}") if minutes < 0 else (f"-{hhmm}", f"+{hhmm}")
        moved = f"{'+' if minutes > 0 else '-'}{_span(abs(minutes))}"
        labels_local = (
            f"the labels are written in local time (UTC{offset}; e.g. {self.example!r}) while "
            f"window ids are UTC: write the ids in UTC, or with their offset "
            f"('2026-12-04T09:30:00{offset}')"
        )
        log_local = (
            f"the log writes local time without an offset, read as UTC unless --timezone named "
            f"its zone: name it (e.g. --timezone {log_zone}) when it is parsed, the model "
            "trained or the logs scored"
        )
        if log_has_offsets or log_timezone is not None:
            why = (
                "every line of the log carries its own UTC offset"
                if log_has_offsets
                else f"the log's times were read in {log_timezone} (--timezone)"
            )
            readings = (
                f"{labels_local[0].upper()}{labels_local[1:]} ({why}, so its windows are right)"
            )
        elif labels_have_offsets:
            readings = f"Every label id carries its UTC offset, so {log_local}"
        else:
            readings = f"Either {labels_local}; or {log_local}"
        whole = (
            "names a session and every session is labelled"
            if self.every_session
            else "names a session, the log's windows past the labels' ends aside"
        )
        return (
            f"warning: {self.unused:,} ids of the labels name no session and "
            f"{self.unlabelled:,} sessions are unlabelled, but every label id moved by {moved} "
            f"{whole}, so each label sits on the wrong window. {readings}. Figures against "
            "these labels judge each window by another's label"
        )


def shifted_labels(labels: Mapping[str, str], written: Collection[str]) -> ShiftedLabels | None:
    """The clock offset by which the window ids of `labels` fit the `written` session ids
    exactly once, and not as written; None otherwise (ids that are no windows, a join that
    is already whole on either side, or no offset that makes it whole)."""
    unused = sum(1 for i in labels if i not in written)
    unlabelled = sum(1 for i in written if i not in labels)
    if not unused or not unlabelled:
        return None
    parsed = []
    for session_id in labels:
        if (found := _parse(session_id)) is None:
            return None
        parsed.append(found)
    sessions = set(written)
    hits = len(labels) - unused
    for steps in sorted(range(-_WIDEST, _WIDEST + 1), key=abs):
        if not steps:
            continue
        shift = steps * _STEP
        moved = {f"{field}{(when + shift).isoformat()}" for field, when in parsed}
        # whole on one side at least (a labels file may cover a longer or a shorter period
        # than the log: QA lighttpd, 12 ids named no window and 11 windows none, and the
        # labels sat an hour off on the windows of `train` and `sessionize`, unsaid)
        found = len(moved & sessions)
        if found > hits and found in (len(sessions), len(moved)):
            every_session = found == len(sessions)
            if _cut_by_the_ends(sessions, set(labels), shift):
                return None
            if not every_session and _holes(sessions, [i for i in labels if i not in sessions]):
                return None
            return ShiftedLabels(shift, unused, unlabelled, next(iter(labels)), every_session)
    return None


def _streams(sessions: set[str]) -> dict[str, list[datetime]]:
    """Each stream's (the field before `@`'s) window starts, in time order."""
    streams: dict[str, list[datetime]] = {}
    for session_id in sessions:
        if (found := _parse(session_id)) is not None:
            streams.setdefault(found[0], []).append(found[1])
    return {field: sorted(times) for field, times in streams.items()}


def _holes(sessions: set[str], unused: list[str]) -> bool:
    """Whether an id that names no session lies between its stream's first and last windows:
    a window the stream wrote nothing in (a silent host), not a label past the log's period.
    Labels for one period of a longer log fit it moved by a whole offset wherever every moved
    id lands on a window (QA CFEngine: labels of the test day, three of a host's silent
    windows among them, read as "7 h off", `--timezone -07:00` advised for labels that were
    right); labels in another clock name no session only beyond the log's ends."""
    streams = _streams(sessions)
    for session_id in unused:
        found = _parse(session_id)
        times = streams.get(found[0]) if found is not None else None
        if times and times[0] < found[1] < times[-1]:
            return True
    return False


def _cut_by_the_ends(sessions: set[str], labelled: set[str], shift: timedelta) -> bool:
    """Whether the unlabelled sessions are each the first or the last window of its stream
    and `shift` is longer than a window: a log that runs one window past the labels' period
    (QA OpenTelemetry: each log's last window, 2-10 s of lines, unlabelled; "labels 15 min off,
    --timezone +00:15" was advised for labels that were right), not a clock offset."""
    streams = _streams(sessions)
    starts = list(streams.values())
    steps = [b - a for times in starts for a, b in zip(times, times[1:], strict=False) if b > a]
    if not steps or abs(shift) <= min(steps):
        return False
    edges = {
        f"{field}{when.isoformat()}"
        for field, times in zip(streams, starts, strict=True)
        for when in (times[0], times[-1])
    }  # fmt: skip
    return all(i in edges for i in sessions if i not in labelled)


def _parse(session_id: str) -> tuple[str, datetime] | None:
    found = _ID.fullmatch(session_id)
    if found is None:
        return None
    return found["field"] or "", datetime.fromisoformat(found["when"])


def _span(minutes: int) -> str:
    return f"{minutes // 60} h" + (f" {minutes % 60} min" if minutes % 60 else "")
