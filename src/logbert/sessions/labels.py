"""Session labels: the loghub `anomaly_label.csv` file and per-line event labels.

Two sources, one vocabulary (`normal`/`anomaly`/None):

- a labels file `BlockId,Label` (loghub HDFS) joins a label onto each session by its id;
- an events `label` column (BGL, Thunderbird) labels single lines: `-` is normal, any other
  value names an alert, so a session is anomalous if any of its lines is.
"""

from __future__ import annotations

import csv
from pathlib import Path

from logbert.errors import LogbertError
from logbert.sessions.io import ANOMALY, NORMAL, normalize_label

ID_COLUMNS = ("blockid", "session_id", "sessionid", "id")
LABEL_COLUMN = "label"
_EVENT_NORMAL = {"-", "normal", "0", "false"}
_EVENT_UNKNOWN = {"", "none", "null", "nan"}


def read_labels(path: str | Path) -> dict[str, str]:
    """Map session id -> `normal`/`anomaly` from a CSV with header `BlockId,Label`.

    The id column may also be called `session_id`, `SessionId` or `id`. Rows with an empty
    label are left out (those sessions stay unlabelled); a conflicting duplicate is an error.
    """
    path = Path(path)
    if not path.is_file():
        raise LogbertError(f"labels file not found: {path}")
    with open(path, newline="", encoding="utf-8", errors="replace") as handle:
        reader = csv.reader(handle)
        header = [h.strip().lower() for h in next(reader, [])]
        id_col = next((header.index(c) for c in ID_COLUMNS if c in header), None)
        if id_col is None or LABEL_COLUMN not in header:
            raise LogbertError(
                f"{path}: expected a CSV header 'BlockId,Label' (id column BlockId, session_id "
                f"or id, plus Label); found {','.join(header) or 'an empty file'}"
            )
        label_col = header.index(LABEL_COLUMN)
        labels: dict[str, str] = {}
        for line_no, row in enumerate(reader, start=2):
            if not row or not any(cell.strip() for cell in row):
                continue
            if len(row) <= max(id_col, label_col):
                raise LogbertError(f"{path}:{line_no}: expected {len(header)} columns: {row}")
            session_id = row[id_col].strip()
            try:
                label = normalize_label(row[label_col])
            except LogbertError as exc:
                raise LogbertError(f"{path}:{line_no}: {exc}") from exc
            if label is None:
                continue
            if labels.setdefault(session_id, label) != label:
                raise LogbertError(f"{path}:{line_no}: {session_id} is labelled both ways")
    return labels


def event_label(value: object) -> str | None:
    """Label of one log line: None unknown, `-`/normal/0 normal, any other value an alert."""
    if value is None:
        return None
    text = str(value).strip().lower()
    if text in _EVENT_UNKNOWN:
        return None
    return NORMAL if text in _EVENT_NORMAL else ANOMALY
