"""Parameters of rows whose words do not line up with their template's.

`chunk._params_by_position` takes a message's words at its template's `<*>` positions: the
masked message has one word per word of the text it masks. A mask that takes several words
as one value (a duration written with spaces, `5m 12s`; a file size and its unit) breaks
that: every parameter after it was shifted onto the template's fixed words (QA UniFi: `(5m`,
`connected,` and `last` for a client's duration, bytes and access point). Those rows are
matched here word by word against their template instead: a `<*>` takes one word or more (a
word holding one, `(<*>`, is the parameter whole, `(5m 12s`, as a word at a `<*>` position
is), a fixed word must be there (an HTTP status class, `5xx`, also as the code it stands
for). A row the template does not match keeps its
positional parameters.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from logbert.parsing.mask_symbols import JOIN, WILDCARD

# a row is re-matched only within these bounds: a regex of many open `<*>` over many words
# backtracks a lot, and such rows are few
MAX_WORDS = 160
MAX_EXTRA_WORDS = 12
_STATUS_CLASS = re.compile(r"([1-5])xx")


def realigned(
    params: pa.Array, words: pa.ListArray, ids: np.ndarray, texts: dict[int, str]
) -> pa.Array:
    """`params` with the rows that have more words than their template re-matched (see the
    module doc)."""
    if len(ids) == 0:
        return params
    keys = np.array(sorted(texts), dtype=np.int64)
    sizes = np.array([texts[int(k)].count(" ") + 1 for k in keys], dtype=np.int64)
    expected = sizes[np.searchsorted(keys, ids)]
    lengths = pc.list_value_length(words).to_numpy(zero_copy_only=False)
    extra = lengths - expected
    rows = np.flatnonzero((extra > 0) & (extra <= MAX_EXTRA_WORDS) & (lengths <= MAX_WORDS))
    if len(rows) == 0:
        return params
    values = params.to_pylist()
    changed = False
    for row in rows.tolist():
        found = _matched(texts[int(ids[row])], words[row].as_py())
        if found is not None:
            values[row] = found
            changed = True
    return pa.array(values, params.type) if changed else params


def _matched(template: str, words: list[str]) -> list[str] | None:
    """The parameters of `words` under `template`, None where it does not match them."""
    found = _word_regex(template).fullmatch(" ".join(words))
    if found is None:
        return None
    return [value.replace(JOIN, " ") for value in found.groups()]


@functools.lru_cache(maxsize=4096)
def _word_regex(template: str) -> re.Pattern[str]:
    parts = []
    for token in template.split(" "):
        if token == WILDCARD:
            parts.append(r"(\S+(?: \S+)*?)")
        elif WILDCARD in token:
            parts.append("(" + ".*?".join(_fixed(p) for p in token.split(WILDCARD)) + ")")
        else:
            parts.append(_fixed(token))
    return re.compile(" ".join(parts))


def _fixed(text: str) -> str:
    """A template's fixed text as a regex: itself, a status class also as a code (`503`)."""
    return _STATUS_CLASS.sub(r"\1(?:xx|[0-9][0-9])", re.escape(text))
