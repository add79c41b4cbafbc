"""One generic set of masks: variables that look the same in every system.

Masks replace URLs, file paths and number-like words (decimal or hexadecimal, with at least one
digit, delimited by non-alphanumerics) by `<*>` before template mining. They never match
whitespace, so masked content has the same whitespace-separated tokens as the content (which is
how parameters are recovered). The patterns are RE2-compatible (no look-arounds) so pyarrow can
apply them to whole chunks at once; the same patterns run with Python's `re` for single strings.
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

WILDCARD = "<*>"

_DELIM = r"""\s,!;:=|"'\[\](){}"""
# (pattern, replacement, passes): a pass count of 2 catches matches that share a delimiter.
MASKS: list[tuple[str, str, int]] = [
    (r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s]+", WILDCARD, 1),  # URLs
    (rf"(^|[{_DELIM}])(/[^{_DELIM}/]+)+/?", r"\1" + WILDCARD, 1),  # absolute paths
    (r"(^|[\s_=:(\[,])[-+]([0-9])", r"\1\2", 1),  # a sign belongs to the number
    (r"(^|[^A-Za-z0-9])0[xX][0-9a-fA-F]+($|[^A-Za-z0-9])", r"\1" + WILDCARD + r"\2", 2),
    (  # numbers and hex words with a digit: 42, -7, 1f3a9c, DEADBEEF1
        r"(^|[^A-Za-z0-9])([0-9a-f]*[0-9][0-9a-f]*|[0-9A-F]*[0-9][0-9A-F]*)($|[^A-Za-z0-9])",
        r"\1" + WILDCARD + r"\3",
        2,
    ),
    (  # month and weekday names are parts of dates
        r"(^|\s)(Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
        r"($|\s)",
        r"\1" + WILDCARD + r"\3",
        2,
    ),
    (r"<\*>(\.<\*>)+", WILDCARD, 1),
    (r"\s+", " ", 1),  # words are separated by any run of whitespace
]

_COMPILED = [(re.compile(p), r, n) for p, r, n in MASKS]


def mask_array(content: pa.Array) -> pa.Array:
    """Apply the masks to a string array (vectorised)."""
    out = pc.utf8_trim_whitespace(content)
    for pattern, repl, passes in MASKS:
        for _ in range(passes):
            out = pc.replace_substring_regex(out, pattern, repl)
    return out


def mask_text(text: str) -> str:
    """Apply the masks to one string (same result as `mask_array`)."""
    text = text.strip()
    for pattern, repl, passes in _COMPILED:
        for _ in range(passes):
            text = pattern.sub(repl, text)
    return text
