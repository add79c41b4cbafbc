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
JOIN = "\ue000"  # a private-use character: not whitespace for RE2 or Python
# HTTP's request methods (a request line: `kept_values.REQUEST`, its status forms)
HTTP_METHODS = ("GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS", "CONNECT", "TRACE",
                "PROPFIND",
                "PURGE", "BAN")  # caches' (Varnish; QA: a PURGE's endpoint was masked)  # fmt: skip


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
