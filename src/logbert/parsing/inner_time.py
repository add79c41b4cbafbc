"""A header's time against the time a message writes itself.

A syslog header holds the receiving host's local time without a zone, read as UTC; the message
after it may write the exact instant with its zone, logrus' and Docker's `time="2026-12-02T06:
00:57.965Z"`. Where the two differ by one clock offset on nearly every line, the header is in
local time, and time windows, labels and lifetimes are off by it (QA dockerd: a Berlin host's
windows an hour off, unsaid, and the labels warning then blamed the user's correct UTC labels).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

# ... or an access log's zoned date inside the message, Jetty's request log in Kafka Connect's
# `[01/Dec/2026:13:00:45 +0000]` (QA Kafka Connect: a CET header, unsaid)
# ... or NetworkManager's epoch after its level, `<info>  [1795420072.7360]` (QA NetworkManager:
# a CET journal export, unsaid, and UTC labels blamed)
_INNER = (
    r"(?:^|\s)(?:(?:time|ts|timestamp)=\"?"
    r"(?P<time>[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+(?:Z|[+-][0-9:]{4,5}))"
    r"|\[(?P<ncsa>[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4})\])"
    r"|^<[a-z]+> +\[(?P<epoch>[0-9]{10}\.[0-9]+)\]"
    # ... and a CEF record's receipt time, `rt=Dec 01 2026 00:00:06 GMT` (QA CEF: a collector's
    # CET header, unsaid)
    r"|\brt=(?P<cef>[A-Z][a-z]{2} [0-9]{2} [0-9]{4} [0-9:]{8}) (?:GMT|UTC)"
    # ... and PostgreSQL's `%m` in UTC after its line prefix, `[1-1] 2026-12-04 00:00:20.401 UTC`,
    # or any message's own ISO time in UTC, `... 2026-12-04T00:00:00.001Z` (QA iptables: a CET
    # syslog header over postgres' UTC times, unsaid)
    r"|(?:^|[\s\]])(?P<utc>[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?)"
    r"(?: UTC|Z)(?:$|[\s\]])"
    # ... and a message's own time with its numeric offset, as Jenkins writes its lines under
    # journald's header, `jenkins[1187]: 2026-12-01 00:00:00.000+0100 [id=37] INFO ...` (QA
    # Jenkins: a CET header, unsaid, and UTC labels blamed), also after a space, as Rails'
    # `Started GET "/" for 10.0.3.30 at 2026-12-04 11:00:01 +0100` (QA Rails)
    r"|(?:^|[\s\]])(?P<zoned>[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}"
    r"(?:[.,][0-9]+)? ?[+-][0-9]{2}:?[0-9]{2})(?:$|[\s\]])"
)
SAMPLE = 200  # lines compared, the first with both times
_QUARTER_HOUR = 15 * 60
_AGREEING = 0.9  # the share of compared lines one offset must explain


_MAX_ZONE = 14 * 3600  # seconds: no zone is further from UTC (Kiribati's UTC+14)


def inner_time_warning(timestamps: pa.Array, content: pa.Array) -> str | None:
    """`warning: ...` when the header times (`timestamps`, read as UTC) differ from the zoned
    time the messages (`content`) write by one nonzero quarter-hour multiple on nearly every
    compared line; None otherwise (no such time, or they agree)."""
    found = pc.extract_regex(content, _INNER)
    written_as = [pc.struct_field(found, i) for i in range(6)]  # ISO, NCSA, epoch, CEF, UTC, +hh
    rows = np.flatnonzero(pc.fill_null(pc.is_valid(found), False).to_numpy(zero_copy_only=False))
    offsets: Counter[int] = Counter()
    example = None
    for row in rows[:SAMPLE]:
        header = timestamps[int(row)].as_py()
        text = next((t for f in written_as if (t := f[int(row)].as_py())), None)
        in_utc = written_as[4][int(row)].as_py()  # (its zone stood apart: `UTC`, `Z`)
        written = datetime.fromisoformat(in_utc.replace(" ", "T")) if in_utc else _utc(text)
        if header is None or written is None:
            continue
        seconds = (header - written).total_seconds()
        if abs(seconds) > _MAX_ZONE:  # another moment, no zone's offset: Syncthing's build
            continue  # date in its start line (QA: "UTC+16727:30", which --timezone refused)
        offsets[round(seconds / _QUARTER_HOUR) * _QUARTER_HOUR] += 1
        example = example or text
    if not offsets:
        return None
    offset, n = offsets.most_common(1)[0]
    if not offset or n < _AGREEING * sum(offsets.values()):
        return None
    minutes = offset // 60
    zone = f"UTC{'+' if minutes > 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return (
        f"warning: the header's times, read as UTC, are {_span(abs(minutes))} "
        f"{'after' if minutes > 0 else 'before'} the time each message writes with its zone "
        f"(e.g. {example!r}): the header is in local time ({zone}), so time windows, labels "
        "and session lifetimes are off by that much; write the header in UTC (rsyslog's "
        "RSYSLOG_FileFormat, journalctl -o short-iso --utc), give each line its offset, or "
        f"name the header's zone when parsing or training (--timezone {zone[3:]}, or its tz "
        "database name such as Europe/Berlin)"
    )


def _utc(text: str | None) -> datetime | None:
    """A zoned ISO 8601 time as a naive UTC datetime (None when unreadable)."""
    try:
        if text and text[:10].isdigit():  # epoch seconds, `1795420072.7360`
            return datetime.fromtimestamp(float(text), tz=UTC).replace(tzinfo=None)
        if text and text[:1].isalpha():  # CEF's `Dec 01 2026 00:00:06`, in UTC
            return datetime.strptime(text, "%b %d %Y %H:%M:%S")
        if text and "/" in text:  # `01/Dec/2026:13:00:45 +0000`
            moment = datetime.strptime(text, "%d/%b/%Y:%H:%M:%S %z")
        else:
            text = re.sub(r" (?=[+-]\d\d:?\d\d$)", "", text.replace(",", "."))  # `11:00 +0100`
            moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    offset = moment.utcoffset()
    return None if offset is None else (moment - offset).replace(tzinfo=None)


def _span(minutes: int) -> str:
    return f"{minutes // 60} h" + (f" {minutes % 60} min" if minutes % 60 else "")
