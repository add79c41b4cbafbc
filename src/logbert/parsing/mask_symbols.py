"""The symbols every mask shares: the wildcard, the joiner of multi-word values, HTTP's methods.

Kept apart from the masks so that `masks` and `kept_values` both read them without importing
each other.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

WILDCARD = "<*>"
# a byte order mark inside a line (RFC 5424 writes one before a UTF-8 message) says nothing
# about the event: dropped, or each message was two templates, with and without it
BOM = "\ufeff"
# syslog daemons write a message's control characters as `#` and three octal digits (rsyslog's
# `#012` a newline, `#011` a tab, `#015` a carriage return): a space each, or the words on both
# sides were one (QA Puppet: `'maintenance by alice');#012Use` one value)
SYSLOG_ESCAPES = ("#012", "#011", "#015")
JOIN = "\ue000"  # a private-use character: not whitespace for RE2 or Python
# HTTP's request methods (a request line: `kept_values.REQUEST`, its status forms)
HTTP_METHODS = ("GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS", "CONNECT", "TRACE",
                "PROPFIND",
                "PURGE", "BAN")  # caches' (Varnish; QA: a PURGE's endpoint was masked)  # fmt: skip


def plain_text(text: str) -> str:
    """`text` without a BOM, syslog's escaped control characters spaces, trimmed."""
    text = text.replace(BOM, "")
    for escape in SYSLOG_ESCAPES:
        text = text.replace(escape, " ")
    return text.strip()


def plain_array(content: pa.Array) -> pa.Array:
    """`plain_text` of each row, vectorised."""
    text = pc.replace_substring(content, BOM, "")
    for escape in SYSLOG_ESCAPES:
        text = pc.replace_substring(text, escape, " ")
    return pc.utf8_trim_whitespace(text)


def apply_patterns(arr: pa.Array, patterns: list[tuple[str, str, int]]) -> pa.Array:
    """`arr` with each (RE2 pattern, replacement, passes) applied in order, vectorised."""
    for pattern, repl, passes in patterns:
        for _ in range(passes):
            arr = pc.replace_substring_regex(arr, pattern, repl)
    return arr


def apply_matching(arr: pa.Array, patterns: list[tuple[str, str, int]]) -> pa.Array:
    """`apply_patterns`, each pass run only while its pattern still matches a row: for
    patterns that seldom match, or with many passes (a field list's `;` split)."""
    for pattern, repl, passes in patterns:
        for _ in range(passes):
            if not pc.any(pc.match_substring_regex(arr, pattern)).as_py():
                break
            arr = pc.replace_substring_regex(arr, pattern, repl)
    return arr
