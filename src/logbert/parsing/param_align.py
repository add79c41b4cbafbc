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

# a row is re-matched only within these bounds (its cost grows with its words times the extra
# words squared; such rows are few, and a longer one keeps its positional parameters)
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
    """The parameters of `words` under `template`, None where it does not match them: an
    alignment over (template word, extra words taken so far), so a row that does not match
    costs its template's length times the extra words squared, never a regex's backtracking
    (a template of twenty `<*>` and a row of 33 words that did not fit ran for minutes)."""
    tokens = template.split(" ")
    extra = len(words) - len(tokens)
    # states[i]: extra words taken after i template words -> (previous extra, words taken)
    states: list[dict[int, tuple[int, int]]] = [{0: (0, 0)}]
    for i, token in enumerate(tokens):
        reached: dict[int, tuple[int, int]] = {}
        for taken in states[-1]:
            at = i + taken
            widest = extra - taken + 1 if WILDCARD in token else 1
            for span in range(1, widest + 1):
                if at + span > len(words):
                    break
                after = taken + span - 1
                if after not in reached and _fits(token, " ".join(words[at : at + span])):
                    reached[after] = (taken, span)
        if not reached:
            return None
        states.append(reached)
    if extra not in states[-1]:
        return None
    spans, taken = [], extra
    for reached in reversed(states[1:]):
        taken, span = reached[taken]
        spans.append(span)
    spans.reverse()
    params, at = [], 0
    for token, span in zip(tokens, spans, strict=True):
        if WILDCARD in token:
            params.append(" ".join(words[at : at + span]).replace(JOIN, " "))
        at += span
    return params


def _fits(token: str, text: str) -> bool:
    """Whether `text` (words joined by a space) is what template word `token` stands for."""
    if token == WILDCARD:
        return True
    if WILDCARD not in token and token == text:
        return True
    return _token_regex(token).fullmatch(text) is not None


@functools.lru_cache(maxsize=4096)
def _token_regex(token: str) -> re.Pattern[str]:
    """A template word as a regex: its `<*>` any text (one `.*?` each, between fixed text, so
    matching one word costs little), its fixed text itself (a status class also as a code)."""
    return re.compile(".*?".join(_fixed(part) for part in token.split(WILDCARD)))


def _fixed(text: str) -> str:
    """A template's fixed text as a regex: itself, a status class also as a code (`503`)."""
    return _STATUS_CLASS.sub(r"\1(?:xx|[0-9][0-9])", re.escape(text))
