"""An object written at the end of a text message, read as a JSON line's fields are.

Python services log a dict's repr after their message (Quay's `Ending request: urn:request:...
(/v2/...) {'endpoint': 'v2.download_blob', 'http_method': 'GET', 'path': ..., ...}`), others a
JSON object. As text, the masks saw quoted words: the endpoint, which names the request, was
`v2.<*>` (a manifest fetch and a blob download one event) while a path's namespace stayed a
word (a template per team, a new team's first push a new event: QA Quay). Read as fields
(`json_lines.object_words`: `endpoint=v2.download_blob ... path=/v2/<*>/blobs/<*>`), it gets
what a JSON line of the same record gets. Only an object that parses whole, as JSON or as a
Python literal (`ast.literal_eval`: literals only, nothing is run) of what JSON can hold, with
names as its keys, and that ends the message; anything else stays text.
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from itertools import islice

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from logbert.parsing.json_lines import object_words

# a message that may end in an object: `{`, a quoted name and `:`, ..., `}` at its end
_TAIL = r"\{\s*['\"][^'\"]{1,100}['\"]\s*:.*\}\s*$"
_OPENING = re.compile(r"\{\s*['\"]")
# longer objects stay text: a literal's parse grows with it, and such an object is a payload
MAX_OBJECT_CHARS = 20_000
_TRIES = 8  # opening braces tried per message, from the first


def objects_as_fields(content: pa.Array) -> pa.Array:
    """`content` with each message that ends in an object rewritten by `with_object_fields`
    (the rows that may are found first, vectorised: most chunks have none)."""
    may = pc.fill_null(pc.match_substring_regex(content, _TAIL), False)
    if not pc.any(may).as_py():
        return content
    rows = np.flatnonzero(may.to_numpy(zero_copy_only=False))
    rewritten = [with_object_fields(text) for text in content.take(pa.array(rows)).to_pylist()]
    return pc.replace_with_mask(content, may, pa.array(rewritten, pa.string()))


def with_object_fields(message: str) -> str:
    """`message` with the object that ends it (the outermost that parses) as `name=value`
    words; unchanged when none does."""
    end = message.rstrip()
    for opening in islice(_OPENING.finditer(end), _TRIES):
        record = _parsed(end[opening.start() :])
        if record is not None:
            words = object_words(record)
            head = end[: opening.start()].rstrip()
            return f"{head} {words}" if head else words
    return message


def _parsed(text: str) -> dict | None:
    """The object `text` writes, as JSON or as a Python literal, when its keys are names."""
    if len(text) > MAX_OBJECT_CHARS:
        return None
    try:
        record = json.loads(text)
    except ValueError:
        try:
            with warnings.catch_warnings():  # a repr's `\(` is an invalid escape to Python
                warnings.simplefilter("ignore")
                record = ast.literal_eval(text)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            return None
    if not isinstance(record, dict) or not record:
        return None
    if not all(isinstance(key, str) and key.strip() for key in record):
        return None
    try:  # a Python literal may hold what JSON has no word for (a set, bytes): stays text
        json.dumps(record)
    except (TypeError, ValueError):
        return None
    return record
