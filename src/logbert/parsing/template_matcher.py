"""`--templates FILE`: map lines onto a known loghub template list instead of mining.

A loghub `_templates.csv` has `EventId,EventTemplate` columns; wildcards are `<*>` or `[*]` and
match any text (also none). A template `Ek` gets template id `k` (so HDFS `E5` is DeepLog key 5);
ids follow file order when the EventIds are not all of that form. When several templates match
a line, the one with the most literal text wins. Matching runs per template on whole chunks.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from logbert.errors import LogbertError
from logbert.parsing.masks import WILDCARD

_WILD = re.compile(r"<\*>|\[\*\]")
_SPECIAL = set("\\.^$|?*+()[]{}")

LONGEST_FIELD = 1 << 30  # bytes of one CSV field (a template as long as a line)


def allow_long_fields() -> None:
    """Let `csv` read a field as long as a log line (its default stops at 128 KiB, so a
    templates.csv that `parse` wrote for a 140 KB line could not be read back)."""
    csv.field_size_limit(max(csv.field_size_limit(), LONGEST_FIELD))


def _escape(text: str) -> str:
    """Escape for both RE2 and Python `re`; runs of spaces match any whitespace."""
    out = []
    for word in re.split(r"( +)", text):
        if word.startswith(" "):
            out.append(r"\s+")
        else:
            out.append("".join("\\" + c if c in _SPECIAL else c for c in word))
    return "".join(out)


def template_regex(template: str) -> str:
    """Anchored regex for a template; each wildcard is a named group p0, p1, ..."""
    parts = _WILD.split(template)
    body = "".join(
        _escape(part) + (f"(?P<p{i}>.*?)" if i < len(parts) - 1 else "")
        for i, part in enumerate(parts)
    )
    return "^" + body + "$"


@dataclass
class KnownTemplate:
    tid: int
    template: str  # wildcards written <*>
    regex: str
    literal: int  # characters of literal text
    anchor: str = ""  # its longest word: every matching line contains it


def known_template(tid: int, text: str) -> KnownTemplate:
    """A known template from its id and text (wildcards `<*>` or `[*]`)."""
    literal = len(_WILD.sub("", text))
    anchor = max(_WILD.sub(" ", text).split() or [""], key=len)
    return KnownTemplate(tid, _WILD.sub(WILDCARD, text), template_regex(text), literal, anchor)


def load_templates(path: Path) -> list[KnownTemplate]:
    """Read a loghub template list; errors name the file and what is wrong."""
    if not path.is_file():
        raise LogbertError(f"template file {path} does not exist: pass a loghub _templates.csv")
    with open(path, newline="", encoding="utf-8", errors="replace") as fh:
        allow_long_fields()
        reader = csv.DictReader(fh)
        cols = reader.fieldnames or []
        if "EventTemplate" not in cols:
            # logbert's own templates.csv: its state file keeps the ids (QA Discourse: refused
            # with no word of --state, the way to parse later logs with the same ids)
            own = (
                "; this is a parse run's own templates.csv: to give later logs the same "
                "template ids, parse the first logs with --state FILE (the miner's state, "
                "written after the run) and the later ones with the same --state FILE"
                if {"template_id", "template"} <= set(cols)
                else ""
            )
            raise LogbertError(
                f"template file {path} has columns {cols}: it needs EventTemplate "
                f"(and EventId), as in loghub's <System>_templates.csv{own}"
            )
        rows = [r for r in reader if (r.get("EventTemplate") or "").strip()]
    if not rows:
        raise LogbertError(f"template file {path} lists no templates")
    event_ids = [(r.get("EventId") or "").strip() for r in rows]
    numbered = all(re.fullmatch(r"E\d+", e) for e in event_ids)
    out = []
    for i, (row, eid) in enumerate(zip(rows, event_ids, strict=True)):
        tid = int(eid[1:]) if numbered else i + 1
        out.append(known_template(tid, row["EventTemplate"].strip()))
    if len({t.tid for t in out}) != len(out):
        raise LogbertError(f"template file {path} repeats an EventId: ids must be unique")
    return out


class TemplateMatcher:
    """Assign known template ids to a chunk of contents (null where nothing matches)."""

    name = "templates"

    def __init__(self, templates: list[KnownTemplate]) -> None:
        # most literal text first, so the first match wins
        self.templates = sorted(templates, key=lambda t: -t.literal)

    def match(self, content: pa.Array) -> tuple[np.ndarray, pa.Array]:
        """(template ids, -1 where none matched; params as list<string>). Contents are
        matched without surrounding whitespace, as loghub's template files are written (a
        line's trailing space left `ERROR IN CONTACTING RM. ` unmatched)."""
        content = pc.utf8_trim_whitespace(content)
        n = len(content)
        ids = np.full(n, -1, dtype=np.int64)
        pieces: list[tuple[np.ndarray, pa.Array]] = []
        for t in self.templates:
            free = ids < 0
            if not free.any():
                break
            if t.anchor:  # a cheap substring test first, the regex only on candidates
                near = pc.match_substring(content, t.anchor).to_numpy(zero_copy_only=False)
                rows = np.flatnonzero(near & free)
            else:
                rows = np.flatnonzero(free)
            if len(rows) == 0:
                continue
            hit = pc.match_substring_regex(content.take(pa.array(rows)), t.regex)
            rows = rows[hit.to_numpy(zero_copy_only=False)]
            if len(rows) == 0:
                continue
            ids[rows] = t.tid
            pieces.append((rows, extract_params(content.take(pa.array(rows)), t.regex)))
        return ids, scatter_rows(pieces, n)


def extract_params(content: pa.Array, regex: str) -> pa.Array:
    """list<string> of the wildcard groups of `regex` for each row."""
    parts = pc.extract_regex(content, regex)
    k = parts.type.num_fields
    m = len(content)
    if k == 0:
        return pa.ListArray.from_arrays(np.zeros(m + 1, np.int32), pa.array([], pa.string()))
    fields = pc.utf8_trim_whitespace(
        pa.concat_arrays([pc.struct_field(parts, i) for i in range(k)])
    )
    order = (np.arange(k)[None, :] * m + np.arange(m)[:, None]).ravel()
    offsets = np.arange(0, m * k + 1, k, dtype=np.int32)
    return pa.ListArray.from_arrays(offsets, fields.take(pa.array(order)))


def scatter_rows(pieces: list[tuple[np.ndarray, pa.Array]], n: int) -> pa.Array:
    """Put per-row list pieces back in row order; rows without a piece get null."""
    if not pieces:
        return pa.nulls(n, pa.list_(pa.string()))
    rows = np.concatenate([r for r, _ in pieces])
    values = pa.concat_arrays([p for _, p in pieces])
    missing = np.setdiff1d(np.arange(n), rows)
    if len(missing):
        rows = np.concatenate([rows, missing])
        values = pa.concat_arrays([values, pa.nulls(len(missing), pa.list_(pa.string()))])
    return values.take(pa.array(np.argsort(rows, kind="stable")))
