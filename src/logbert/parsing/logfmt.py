"""logfmt lines (`--format logfmt`): `time="2026-11-20T10:15:02.123456789Z" level=info
msg="Container 3f4e failed to exit within 10s" container=3f4e...`, as logrus's text formatter
(Docker, containerd), Go kit and Prometheus write them.

A line is `name=value` pairs and nothing else, a value bare or double-quoted with backslash
escapes. Such a line is an object with its keys in any order, as a JSON line is, so it is read
as one (`json_lines.record_fields`): the time, level and logger keys fill the header fields,
the content is the level and logger, the message, then the other pairs sorted by name. A
format string could read one key order only, and no built-in format read these lines (QA
Docker: `--format auto` refused dockerd's log). A line that is not all pairs (a Go panic's
stack, a banner) does not fit, and is counted and kept with the rejects.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pyarrow as pa

from logbert.parsing.json_lines import MESSAGE_KEYS, SYSLOG_HEADER, TIME_KEYS, split_records

LOGFMT = "logfmt"  # the built-in format's name
# (a key may have a few words: logrus writes a field's name as given, Traefik's `ACME
# CA="https://..."` on every certificate line; QA Traefik: each rejected, a rate-limited
# renewal's error lost)
_PAIR = re.compile(
    r'([A-Za-z_@][\w.@/-]*(?: [A-Za-z_@][\w.@/-]*){0,3})=("(?:[^"\\]|\\.)*"|[^\s"]*)(?:\s+|$)'
)
_KEYS = frozenset(MESSAGE_KEYS) | frozenset(TIME_KEYS)  # a line names one of these
_CRI = re.compile(r"(\S+) (?:stdout|stderr) [FP] ([A-Za-z_@].*)")  # the line after the wrapper
# ... and after `docker logs --timestamps`' time, `2026-12-08T05:00:00.123456789Z time="..."
# level=info msg="..."` (QA Authelia: `auto` read it as `iso`, the pairs left in every message)
# ... and after the process it came from in brackets, Longhorn's instance manager's
# `[pvc-6930...-r-fd4940cc] time="..." level=info msg="..."` (QA Longhorn: `auto` and `logfmt`
# refused every line, and the format string advised, `[<Component>] <Content>`, read no time)
_PROCESS_FIRST = re.compile(r"\[([^\]\s]+)\] ([A-Za-z_@][\w.@/-]*=.*)")
# ... and after syslog's header, as journald and rsyslog write containerd's and dockerd's lines
# (`Dec  5 08:00:13 node-a2 containerd[1203]: time="..." level=info msg="..."`; QA containerd:
# `auto` chose `linux`, the pairs left in every event, and `logfmt` refused every line): the
# host and the program fields, as `json` reads a JSON line there
_SYSLOG_WRAPPED = re.compile(SYSLOG_HEADER + r"([A-Za-z_@][\w.@/-]*=.*)")
# wrappers that name fields of the record they hold: (regex, the names of its groups before the
# line's)
_NAMING_WRAPPERS = ((_SYSLOG_WRAPPED, ("host", "program")), (_PROCESS_FIRST, ("process",)))
_DOCKER_TIME = re.compile(
    r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) ([A-Za-z_@][\w.@/-]*=.*)"
)


def logfmt_record(line: str) -> dict | None:
    """The pairs of a logfmt line as a dict (quoted values unescaped), or None when the line
    is not made of pairs only, has fewer than two, or names neither a message nor a time. A
    CRI line (`<time> stderr F <the line>`, Kubernetes' /var/log/pods) or a line after
    `docker logs --timestamps`' time is read as the line it holds, dated by its time where
    that has none (QA Argo CD: read by `iso`, `stderr F` and
    `time="<*>"` were in every event and the fields unsorted, a git fetch a helm render's)."""
    wrapped = _CRI.fullmatch(line) or _DOCKER_TIME.fullmatch(line)
    if wrapped is not None:
        record = logfmt_record(wrapped.group(2))
        if record is not None and not any(key in record for key in TIME_KEYS):
            record["time"] = wrapped.group(1)
        return record
    for wrapper, names in _NAMING_WRAPPERS:  # the fields the wrapper names, then the line
        named = wrapper.fullmatch(line)
        if named is not None:
            record = logfmt_record(named.group(len(names) + 1))
            if record is not None:
                for name, value in zip(names, named.groups(), strict=False):
                    record.setdefault(name, value)
            return record
    record: dict[str, str] = {}
    at = len(line) - len(line.lstrip())
    priority = _PRIORITY.match(line, at)  # syslog's `<189>` as a device sends it
    at = priority.end() if priority else at
    while at < len(line):
        pair = _PAIR.match(line, at)
        if pair is None:
            return None
        name, value = pair.groups()
        value = unquoted(value)
        # a key written twice keeps both values, as zap's nested loggers write them
        # (`service=storage-engine service=write`: QA InfluxDB, the first was lost, unsaid)
        record[name] = f"{record[name]}/{value}" if name in record else value
        at = pair.end()
    if len(record) < 2 or _KEYS.isdisjoint(record):
        return None
    _join_date_and_time(record)
    return record


# FortiGate and other firewalls write the date and the time apart (`date=2026-11-30
# time=10:00:00`) in the device's zone, named by `tz="-0500"`; read alone, `date` dated every
# line at midnight, and the zone was never applied (QA FortiGate: `auto` refused the lines for
# their `<189>`, and without it 441 day-long "10-minute" windows were trained)
_PRIORITY = re.compile(r"<\d{1,3}>")
_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_CLOCK = re.compile(r"\d\d:\d\d(?::\d\d(?:\.\d+)?)?")
_OFFSET = re.compile(r"[+-]\d\d:?\d\d")


def _join_date_and_time(record: dict[str, str]) -> None:
    """`date` and `time` as one `timestamp` (ISO 8601, with `tz`'s offset where it names one)."""
    date, time = record.get("date"), record.get("time")
    if "timestamp" in record or not (
        isinstance(date, str) and isinstance(time, str)
        and _DATE.fullmatch(date) and _CLOCK.fullmatch(time)
    ):  # fmt: skip
        return
    zone = record.get("tz", "")
    offset = zone if isinstance(zone, str) and _OFFSET.fullmatch(zone) else ""
    record["timestamp"] = f"{date}T{time}{offset}"
    del record["date"], record["time"]


def unquoted(value: str) -> str:
    """A bare or double-quoted value as text (a quoted one unescaped as JSON; `unified` too)."""
    if not value.startswith('"'):
        return value
    try:
        return json.loads(value)
    except ValueError:  # an escape JSON does not know (`\e`): the text between the quotes
        return value[1:-1]


def split_logfmt_lines(lines: pa.Array) -> tuple[np.ndarray, dict[str, pa.Array]]:
    """(matched mask, columns of the matched rows in line order), as `splitter.split_lines`."""
    return split_records(lines, logfmt_record)
