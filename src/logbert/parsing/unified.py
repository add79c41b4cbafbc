"""TiDB's unified log format (`--format tidb`): `[2026/12/05 10:00:01.456 +08:00] [INFO]
[server.go:570] ["new connection"] [conn=2097154] [remoteAddr=10.0.0.42:51234]`, as TiDB,
TiKV, PD, TiFlash and their tools write it.

A line is bracketed items: the time, the level, the source line, the message, then
`name=value` fields; a message or value holding spaces, quotes, brackets or `=` is quoted with
JSON's escapes. Such a line is a record of named fields, as a logfmt line is, so it is read as
one (`json_lines.record_fields`): the message is the event, each value is read by its name. Read
as text, every quoted message was one variable: `["connection closed"] [conn=1]` and `["server
is running MySQL protocol"] [addr=...]` were one `[<*>] [<*>]` event, and a PD server's log
passed as a TiDB server's (QA TiDB). A line that is not all items (a panic's stack) does not
fit, and is counted and kept with the rejects.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa

from logbert.parsing.json_lines import split_records
from logbert.parsing.logfmt import unquoted

TIDB = "tidb"  # the built-in format's name
# the time, level and source, then the message: quoted, or bare (no space, quote or bracket)
_HEAD = re.compile(
    r"\[(\d{4})/(\d\d)/(\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) ([+-]\d\d:?\d\d)\] \[([A-Za-z]+)\] "
    r'\[([^\]\s]*)\] \[("(?:[^"\\]|\\.)*"|[^\]"\s]*)\]'
)
# a field: its name and its value quoted or bare (a bare value holds no space, bracket, quote)
_FIELD = re.compile(r' \[([^\s="\[\]]+|"(?:[^"\\]|\\.)*")=("(?:[^"\\]|\\.)*"|[^\s"\[\]]*)\]')
# the keys a record's header is read from (`json_lines.HEADER`: each first in its list, so a
# field named `timestamp`, as TiDB's `[timestamp=445566778899001123]`, is not taken as the time)
_HEADER_KEYS = ("@timestamp", "level", "logger", "msg")


def unified_record(line: str) -> dict | None:
    """The items of a unified-format line as a dict (quoted values unescaped; a field named as
    a header key written `name_`), or None when the line is not made of such items."""
    line = line.rstrip()
    head = _HEAD.match(line)
    if head is None:
        return None
    year, month, day, clock, offset, level, source, message = head.groups()
    record = {
        "@timestamp": f"{year}-{month}-{day}T{clock}{offset}",
        "level": level,
        "logger": source,
        "msg": unquoted(message),
    }
    at = head.end()
    while at < len(line):
        field = _FIELD.match(line, at)
        if field is None:
            return None
        name, value = unquoted(field.group(1)), unquoted(field.group(2))
        name = f"{name}_" if name in _HEADER_KEYS else name
        record[name] = f"{record[name]}/{value}" if name in record else value
        at = field.end()
    return record


def split_unified_lines(lines: pa.Array) -> tuple[np.ndarray, dict[str, pa.Array]]:
    """(matched mask, columns of the matched rows in line order), as `splitter.split_lines`."""
    return split_records(lines, unified_record)
