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


# `apply_gated`'s block: ten patterns in one RE2 alternation are checked in about the time of
# one pass; thirty of the error-number patterns made RE2's automaton blow up (10x slower)
GATE_BLOCK = 10


def apply_gated(
    arr: pa.Array, patterns: list[tuple[str, str, int]], block: int = GATE_BLOCK
) -> pa.Array:
    """`apply_patterns`, each `block` of patterns run only on the rows one of them matches.

    The same result: a row none of a block's patterns matches is left as it was by the first,
    so by each after it. Why: the kept values' lists are hundreds of passes (a digit a pass,
    ten digits a round, `kept_values.ERRNO`), most of which match no row of a chunk; run on
    every row that named an error number or a request they made 389 Directory Server's access
    lines parse at ~3-7k lines/s (QA FreeIPA), where one check per block skips them."""
    for start in range(0, len(patterns), block):
        part = patterns[start : start + block]
        rows = pc.fill_null(
            pc.match_substring_regex(arr, "|".join(f"(?:{p})" for p, _, _ in part)), False
        )
        if not pc.any(rows).as_py():
            continue
        if pc.all(rows).as_py():
            arr = apply_patterns(arr, part)
        else:
            arr = pc.replace_with_mask(arr, rows, apply_patterns(arr.filter(rows), part))
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
