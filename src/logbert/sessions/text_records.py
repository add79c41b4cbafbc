"""Plain labelled text as sessions: `{"input": text, "output": label}` records.

Many teams keep their labelled incidents as text with a label, not as parsed logs. A JSON file
holding a list of records, or a JSONL file with one record per line, trains and evaluates the
detectors that read text (`logbert train/evaluate/score --text`):

- `input`: the text (a non-empty string; surrounding whitespace is dropped);
- `output`: `normal`/`anomaly` (the spellings of `sessions.io.normalize_label`), one category
  name (an anomaly of that category), comma-separated categories or a list of them
  (multi-label; `normal` among them counts as no category, so "normal" alone is normal);
- `id` (optional): the session id; else the record's 1-based number in the file.

Each distinct input text becomes one "template" and each record a session of one key. The key
is derived from the text itself (the first 63 bits of its SHA-256), so the same text gets the
same key in every file and no mapping has to travel with the model: a text seen in training is
a known key at scoring time, a new text is a key unseen in training whose text reaches the
detector through the template set (`extend_templates`). Two texts with one key (a hash
collision; never expected) are refused rather than merged.

Every problem names the file and line: a line that is not JSON, a record that is not an object,
a record without `input` or with an empty one, an empty `output`, and a missing `output` when
labels are needed (train, evaluate).
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from logbert.errors import LogbertError
from logbert.sessions.io import Session, parse_label, session_labels

FIELDS_HELP = 'each record is {"input": text, "output": "normal" | "anomaly" | categories}'


@dataclass
class TextRecords:
    """The sessions of a text-records file and the text of each key (its template set)."""

    sessions: list[Session]
    templates: dict[int, str]

    def template_set(self) -> dict[str, str]:
        """The key -> text map as a pipeline's template set (string keys, as in JSON)."""
        return {str(key): text for key, text in self.templates.items()}


def text_key(text: str) -> int:
    """The log key of a text: the first 63 bits of its SHA-256 (stable across files)."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big") >> 1


def read_text_records(path: str | Path, need_labels: bool = True) -> TextRecords:
    """Sessions (one key each) and templates from a JSON list or JSONL file of records.

    `need_labels`: every record must have an `output` (train, evaluate); without it records
    may leave it out (score), but an empty one is still an error.
    """
    where = str(path)
    text = _read(path)
    stripped = text.lstrip()
    records = _json_list(text, where) if stripped.startswith("[") else _json_lines(text, where)
    if not records:
        raise LogbertError(f"{where} holds no records; {FIELDS_HELP}")
    sessions: list[Session] = []
    templates: dict[int, str] = {}
    for number, (line, record) in enumerate(records, start=1):
        at = f"{where}, line {line}"
        content = _input_text(record, at)
        key = text_key(content)
        if templates.setdefault(key, content) != content:
            raise LogbertError(f"{at}: two different input texts hash to key {key}; rename one")
        label, categories = _output(record, at, need_labels)
        session_id = str(record["id"]) if record.get("id") is not None else str(number)
        sessions.append(Session(session_id, [key], label, categories=categories))
    return TextRecords(sessions, templates)


def _read(path: str | Path) -> str:
    if str(path) == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise LogbertError(f"text records file not found: {path}") from exc
    except IsADirectoryError as exc:
        raise LogbertError(f"{path} is a folder: pass a .json or .jsonl records file") from exc
    except UnicodeDecodeError as exc:
        raise LogbertError(f"{path} is not UTF-8 text ({exc})") from exc


def _json_lines(text: str, where: str) -> list[tuple[int, Any]]:
    """(line number, record) per non-blank line."""
    records = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append((line_no, json.loads(line)))
        except json.JSONDecodeError as exc:
            raise LogbertError(
                f"{where}, line {line_no}: not valid JSON ({exc.msg}); a JSONL file holds one "
                f"record per line ({FIELDS_HELP}), a JSON file a list of them"
            ) from None
    return records


def _json_list(text: str, where: str) -> list[tuple[int, Any]]:
    """(line number of its start, record) per element of a JSON list, read element by element
    so that an error can name its line."""
    decoder = json.JSONDecoder()
    records: list[tuple[int, Any]] = []
    position = text.index("[") + 1

    def line_at(offset: int) -> int:
        return text.count("\n", 0, offset) + 1

    def skip_space(offset: int) -> int:
        while offset < len(text) and text[offset] in " \t\r\n":
            offset += 1
        return offset

    position = skip_space(position)
    if position < len(text) and text[position] == "]":
        return records
    while True:
        try:
            record, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            raise LogbertError(
                f"{where}, line {line_at(exc.pos)}: not valid JSON ({exc.msg}); {FIELDS_HELP}"
            ) from None
        records.append((line_at(position), record))
        position = skip_space(position)
        if position < len(text) and text[position] == ",":
            position = skip_space(position + 1)
            continue
        if position < len(text) and text[position] == "]":
            if skip_space(position + 1) < len(text):
                line = line_at(skip_space(position + 1))
                raise LogbertError(f"{where}, line {line}: text after the end of the JSON list")
            return records
        raise LogbertError(
            f"{where}, line {line_at(position)}: not valid JSON (expected ',' or ']' between "
            f"records); {FIELDS_HELP}"
        )


def _input_text(record: Any, at: str) -> str:
    if not isinstance(record, dict):
        raise LogbertError(f"{at}: expected a JSON object, got {type(record).__name__}; "
                           f"{FIELDS_HELP}")  # fmt: skip
    if "input" not in record:
        found = ", ".join(repr(k) for k in list(record)[:6]) or "none"
        raise LogbertError(f'{at}: record has no "input" (the text; fields found: {found}); '
                           f"{FIELDS_HELP}")  # fmt: skip
    content = record["input"]
    if not isinstance(content, str) or not content.strip():
        raise LogbertError(f'{at}: "input" must be a non-empty string, got {content!r}')
    return content.strip()


def _output(record: dict, at: str, need_labels: bool) -> tuple[str | None, list[str] | None]:
    """(binary label, categories) of a record's `output` (see the module doc)."""
    if "output" not in record:
        if need_labels:
            raise LogbertError(f'{at}: record has no "output" (its label); {FIELDS_HELP}')
        return None, None
    value = record["output"]
    if not isinstance(value, str | list | bool | int | None):
        raise LogbertError(f'{at}: "output" must be a label, a category name or a list of '
                           f"them, not {type(value).__name__} {value!r}")  # fmt: skip
    empty = value is None or (isinstance(value, str | list) and not _names(value))
    if empty:
        raise LogbertError(
            f'{at}: empty "output" ({value!r}): give normal, anomaly or category names'
        )
    try:
        if isinstance(value, list) or (isinstance(value, str) and "," in value):
            parts = value if isinstance(value, list) else value.split(",")
            if not all(isinstance(p, str) and p.strip() for p in parts):
                raise LogbertError(f"an empty or non-text category in {value!r}")
            return session_labels(None, [p.strip() for p in parts])
        return parse_label(value)
    except LogbertError as exc:
        raise LogbertError(f'{at}: bad "output": {exc}') from None


def _names(value: str | list) -> list:
    """The non-blank names in an output value (nothing: the output is empty)."""
    parts = value.split(",") if isinstance(value, str) else value
    return [p for p in parts if not isinstance(p, str) or p.strip()]
