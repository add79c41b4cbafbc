"""Session labels: a labels CSV joined by session id, and per-line event labels.

Two sources, one vocabulary (`normal`/`anomaly`/None, or an anomaly category's name):

- a labels file joins a label onto each session by its id. Public datasets spell the header
  differently (`BlockId,Label` in loghub HDFS, `InstanceId,Label` elsewhere, `id,label` in
  home-made files), so any two-column CSV with a header is accepted: the label column is the
  one named `label` (any case), else the second; the id column is the other one. A wider CSV
  must name its id column (BlockId, session_id, SessionId, id, InstanceId) and `Label`. Which
  columns were taken is returned by `read_labels_with_columns`, so the CLI can say so. A label
  cell may name a category (multi-class: `blk_1,KERNDTLB`): the map then holds that name, and
  `split_label` turns it into (anomaly, [name]). A labels file none of whose ids names a
  session (ids spelled otherwise, the wrong column or file) is an error once sessionizing ends
  (`require_some_match`): every session would stay unlabelled, and training would learn from
  the anomalies it was meant to leave out; most sessions unlabelled is a warning for the same
  reason (`mostly_unlabelled_warning`). For the same reason a file with no labelled row
  (only a header) is an error, and so is a label column of two values neither of which is a
  normal spelling (yes/no): each would be an anomaly category, every session anomalous;
- an events `label` column (BGL, Thunderbird) labels single lines: `-` is normal, any other
  value names an alert, so a session is anomalous if any of its lines is; `event_category`
  keeps the alert's name (e.g. KERNDTLB), which `sessionize` collects into the `labels` list.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path

from logbert.errors import LogbertError
from logbert.sessions.io import ANOMALY, LABEL_SPELLINGS, NORMAL, label_spellings, parse_label

ID_COLUMNS = ("blockid", "session_id", "sessionid", "id", "instanceid")
LABEL_COLUMN = "label"
_EVENT_NORMAL = {text for text, meaning in LABEL_SPELLINGS.items() if meaning == NORMAL}
_EVENT_UNKNOWN = {"", "none", "null", "nan"}
_LABEL_VALUES = set(LABEL_SPELLINGS)


class LabelMap(dict[str, str]):
    """Session id -> label, remembering the file it was read from (`source`), so that an error
    found while sessionizing (`require_some_match`) can name it."""

    source: str = ""


def read_labels(path: str | Path) -> dict[str, str]:
    """Map session id -> `normal`/`anomaly` or a category name from a labels CSV (see the
    module doc).

    Rows with an empty label are left out (those sessions stay unlabelled); a conflicting
    duplicate is an error.
    """
    return read_labels_with_columns(path)[0]


def read_labels_with_columns(path: str | Path) -> tuple[dict[str, str], str, str]:
    """`read_labels` plus the names (as written in the header) of the id and label columns."""
    path = Path(path)
    if not path.is_file():
        raise LogbertError(f"labels file not found: {path}")
    # utf-8-sig: spreadsheet exports start with a byte-order mark that would stick to the header
    with open(path, newline="", encoding="utf-8-sig", errors="replace") as handle:
        reader = csv.reader(handle)
        names = [h.strip() for h in next(reader, [])]
        id_col, label_col = _columns(path, names)
        labels = LabelMap()
        labels.source = str(path)
        rows = 0
        for line_no, row in enumerate(reader, start=2):
            if not row or not any(cell.strip() for cell in row):
                continue
            rows += 1
            if len(row) <= max(id_col, label_col):
                raise LogbertError(f"{path}:{line_no}: expected {len(names)} columns: {row}")
            session_id = row[id_col].strip()
            try:
                label, categories = parse_label(row[label_col])
            except LogbertError as exc:
                raise LogbertError(f"{path}:{line_no}: {exc}") from exc
            if label is None:
                continue
            label = categories[0] if categories else label
            if labels.setdefault(session_id, label) != label:
                raise LogbertError(f"{path}:{line_no}: {session_id} is labelled both ways")
    if not labels:
        what = (
            "no ids (only a header)"
            if not rows
            else f"no labels (every {names[label_col]} cell is empty)"
        )
        raise LogbertError(
            f"{path} holds {what}: every session would stay unlabelled (and `train` would keep "
            "the anomalies it should leave out); give the labels file with its rows, or leave "
            "out --labels"
        )
    _require_a_normal_spelling(path, labels, names[label_col])
    return labels, names[id_col], names[label_col]


def _require_a_normal_spelling(path: Path, labels: Mapping[str, str], column: str) -> None:
    """Refuse a binary labels column in words we do not know (yes/no, good/bad, ...): two
    distinct values and neither a normal spelling. Read as categories, both would be anomaly
    names and every session anomalous; which one means normal is a guess we will not make.
    A multi-class column (a normal spelling plus category names) passes."""
    values = set(labels.values())
    if len(values) != 2 or NORMAL in values:
        return
    raise LogbertError(
        f"{path}: column {column} holds only the values {', '.join(sorted(values))}, and "
        "neither is a normal label, so every session would be an anomaly (each value taken "
        f"as an anomaly category); write the labels as {label_spellings()}"
    )


def require_some_match(labels: Mapping[str, str], n_unused: int, session_id: str | None) -> None:
    """Refuse a labels map none of whose ids named a session (`n_unused` of them named none;
    `session_id`: one session's id, None when there was no session: that is another error).
    The message shows an id of each side, so a user sees how they differ."""
    if not labels or n_unused < len(labels) or session_id is None:
        return
    source = getattr(labels, "source", "") or "the labels"
    example = next(iter(labels))
    raise LogbertError(
        f"{source}: none of its {len(labels):,} ids names a session (the file has e.g. "
        f"{example!r}, the sessions have e.g. {session_id!r}), so every session would stay "
        "unlabelled; the ids must be the session ids exactly as --by-id or --by-field extracts "
        "them: check the file's id column (or the --by-id regex) and that the labels belong to "
        "these logs"
    )


def mostly_unlabelled_warning(
    labels: Mapping[str, str] | None,
    n_unlabelled: int,
    n_sessions: int,
    session_id: str | None,
    consequence: str,
) -> str | None:
    """`warning: ...` when a labels map was given and more than half of the `n_sessions`
    sessions have no label in it (`session_id`: one of them); None otherwise. Some ids
    matching is not an error (`require_some_match` catches none matching), but training reads
    an unlabelled session as normal, so a file covering another part of the logs, or a --by-id
    regex that cuts ids otherwise than the file writes them (`req-1a2b3c:` for `req-1a2b3c`),
    would teach the model the anomalies it was meant to leave out. `consequence` says what
    the unlabelled sessions become for the caller. The message shows an id of each side."""
    if not labels or session_id is None or n_unlabelled * 2 <= n_sessions:
        return None
    source = getattr(labels, "source", "") or "the labels"
    return (
        f"warning: {n_unlabelled:,} of {n_sessions:,} sessions ({n_unlabelled / n_sessions:.0%})"
        f" have no label in {source} (e.g. session {session_id!r}; the file has ids such as "
        f"{next(iter(labels))!r}): {consequence}; check that the labels cover these logs and "
        "that their ids are the session ids exactly as --by-id or --by-field extracts them"
    )


def _columns(path: Path, names: list[str]) -> tuple[int, int]:
    """Indexes of the id and label columns of a header (see the module doc)."""
    header = [n.lower() for n in names]
    if len(header) == 2 and all(header):
        label_col = header.index(LABEL_COLUMN) if LABEL_COLUMN in header else 1
        if header[label_col] in _LABEL_VALUES:
            raise LogbertError(
                f"{path}: the first row {','.join(names)} looks like data, not a header; add a "
                "header line such as 'BlockId,Label'"
            )
        return 1 - label_col, label_col
    id_col = next((header.index(c) for c in ID_COLUMNS if c in header), None)
    if id_col is None or LABEL_COLUMN not in header:
        raise LogbertError(
            f"{path}: expected a CSV header 'BlockId,Label' (any two named columns: id, then "
            "label; with more columns, an id column BlockId, session_id, SessionId, id or "
            f"InstanceId, plus Label); found {','.join(names) or 'an empty file'}"
        )
    return id_col, header.index(LABEL_COLUMN)


def event_label(value: object) -> str | None:
    """Label of one log line: None unknown, `-`/normal/0 normal, any other value an alert."""
    if value is None:
        return None
    text = str(value).strip().lower()
    if text in _EVENT_UNKNOWN:
        return None
    return NORMAL if text in _EVENT_NORMAL else ANOMALY


def split_label(value: str | None) -> tuple[str | None, list[str] | None]:
    """(binary label, categories) of a value of `read_labels`' map or `event_category`."""
    if value is None or value in (NORMAL, ANOMALY):
        return value, None
    return ANOMALY, [value]


def event_category(value: object) -> str | None:
    """As `event_label`, but an alert keeps its name (`KERNDTLB`); a generic anomaly spelling
    (`1`, `anomaly`, ...) stays `anomaly`."""
    label = event_label(value)
    if label != ANOMALY:
        return label
    text = str(value).strip()
    return ANOMALY if text.lower() in _LABEL_VALUES else text
