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
from datetime import datetime, timedelta

_ID = re.compile(r"(?P<field>.*@)?(?P<when>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)")
_STEP = timedelta(minutes=15)  # clock offsets are quarter-hour multiples (+05:45, +09:30)
_WIDEST = 14 * 4  # up to 14 h either way


def shifted_labels_warning(labels: Mapping[str, str], written: Collection[str]) -> str | None:
    """A warning when the window ids of `labels` fit the `written` session ids exactly once
    moved by one clock offset, and not as written; None otherwise (ids that are no windows,
    a join that is already whole on either side, or no offset that makes it whole)."""
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
            if _cut_by_the_ends(sessions, set(labels), shift):
                return None
            return _warning(shift, unused, unlabelled, next(iter(labels)))
    return None


def _cut_by_the_ends(sessions: set[str], labelled: set[str], shift: timedelta) -> bool:
    """Whether the unlabelled sessions are each the first or the last window of its stream
    and `shift` is longer than a window: a log that runs one window past the labels' period
    (QA OpenTelemetry: each log's last window, 2-10 s of lines, unlabelled; "labels 15 min off,
    --timezone +00:15" was advised for labels that were right), not a clock offset."""
    streams: dict[str, list[datetime]] = {}
    for session_id in sessions:
        if (found := _parse(session_id)) is not None:
            streams.setdefault(found[0], []).append(found[1])
    starts = [sorted(times) for times in streams.values()]
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


def _warning(shift: timedelta, unused: int, unlabelled: int, example: str) -> str:
    """Both readings of the offset: labels in local time, or a log in local time without an
    offset, read as UTC (QA Kong: a gateway's error log at UTC+1; the warning blamed the
    labels, which were right, and advised writing them with a wrong offset)."""
    minutes = int(shift.total_seconds() // 60)
    hhmm = f"{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    offset, log_zone = (f"+{hhmm}", f"-{hhmm}") if minutes < 0 else (f"-{hhmm}", f"+{hhmm}")
    moved = f"{'+' if minutes > 0 else '-'}{_span(abs(minutes))}"
    return (
        f"warning: {unused:,} ids of the labels name no session and {unlabelled:,} sessions are "
        f"unlabelled, but every label id moved by {moved} names a session and every session "
        f"is labelled, so each label sits on the wrong window. Either the labels are written "
        f"in local time (UTC{offset}; e.g. {example!r}) while window ids are UTC: write the "
        f"ids in UTC, or with their offset ('2026-12-04T09:30:00{offset}'); or the log writes "
        f"local time without an offset, read as UTC unless --timezone named its zone: name it "
        f"(e.g. --timezone {log_zone}) when it is parsed or the model trained. Figures against "
        "these labels judge each window by another's label"
    )


def _span(minutes: int) -> str:
    return f"{minutes // 60} h" + (f" {minutes % 60} min" if minutes % 60 else "")
