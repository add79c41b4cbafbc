"""Score rows: what `logbert score` writes and `logbert evaluate --scores` reads back.

One row per input session, in input order: `session_id`, `score`, `miss_ratio` and
`max_surprise` (detectors that have them), `is_anomaly`, `open` (when the model knows session
lifetimes: the session was still running when the log ended), `label` (when the input had one) and
`top_events` (detectors that can explain themselves: the most surprising positions with the
keys expected there).
Formats: JSON Lines (`.jsonl`) or Parquet (`.parquet`), written in streaming chunks.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from logbert.errors import LogbertError
from logbert.models.base import Detector
from logbert.sessions.io import Session, stream_parquet
from logbert.sessions.lifecycle import marked_keys

SCORE_FORMATS = ("jsonl", "parquet")
SCORE_COLUMNS = ("session_id", "score", "miss_ratio", "max_surprise", "label")
_EXPECTED = pa.struct([("key", pa.int64()), ("template", pa.string()), ("prob", pa.float64())])
_EVENT = pa.struct(
    [
        ("position", pa.int64()),
        ("key", pa.int64()),
        ("template", pa.string()),
        ("surprise", pa.float64()),
        ("expected", pa.list_(_EXPECTED)),
    ]
)
SCORE_SCHEMA = pa.schema(
    [
        ("session_id", pa.string()),
        ("score", pa.float64()),
        ("miss_ratio", pa.float64()),
        ("max_surprise", pa.float64()),
        ("is_anomaly", pa.bool_()),
        ("open", pa.bool_()),
        ("label", pa.string()),
        ("top_events", pa.list_(_EVENT)),
    ]
)


def score_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in (".jsonl", ".parquet"):
        raise LogbertError(f"scores file {path}: use a .jsonl or .parquet name")
    return suffix[1:]


def session_scores(
    detector: Detector, keys: Sequence[Sequence[int]], top_events: int = 0
) -> dict[str, Any]:
    """All per-session scores a detector has (`score`, and `miss_ratio` for LogBERT).

    Detectors with a `score_sessions(keys, top_events=N)` method also explain themselves.
    """
    scorer = getattr(detector, "score_sessions", None)
    if scorer is not None:
        return scorer(keys, top_events=top_events)
    return {"score": np.asarray(detector.decision_function(keys), dtype=float)}


def score_rows(
    detector: Detector,
    sessions: Sequence[Session],
    threshold: float,
    decision: str = "score",
    templates: dict[int, str] | None = None,
    top_events: int = 3,
    is_open: Sequence[bool] | None = None,
) -> list[dict[str, Any]]:
    """Score rows for one batch of sessions (`is_open`: still running when the log ended)."""
    keys = marked_keys(sessions, is_open)
    scores = session_scores(detector, keys, top_events)
    if decision not in scores:
        raise LogbertError(f"the model has no {decision!r} score; rerun `logbert calibrate`")
    flagged = scores[decision] > threshold
    events = scores.get("top_events")
    named: dict[int, list[dict]] = {}  # identical sequences share one events list: name it once
    rows = []
    for i, session in enumerate(sessions):
        row: dict[str, Any] = {"session_id": session.session_id, "score": float(scores["score"][i])}
        for extra in ("miss_ratio", "max_surprise"):
            if extra in scores:
                row[extra] = float(scores[extra][i])
        row["is_anomaly"] = bool(flagged[i])
        if is_open is not None:
            row["open"] = bool(is_open[i])
        if session.label is not None:
            row["label"] = session.label
        if events is not None:
            if id(events[i]) not in named:
                named[id(events[i])] = [_with_templates(e, templates or {}) for e in events[i]]
            row["top_events"] = named[id(events[i])]
        rows.append(row)
    return rows


def _with_templates(event: dict, templates: dict[int, str]) -> dict:
    out = dict(event)
    out["template"] = _template(event["key"], templates)
    out["expected"] = [{**e, "template": _template(e["key"], templates)} for e in event["expected"]]
    return {k: out[k] for k in ("position", "key", "template", "surprise", "expected")}


def _template(key: int | None, templates: dict[int, str]) -> str | None:
    return "<end of session>" if key is None else templates.get(key)


class ScoreWriter:
    """Append score rows to a .jsonl or .parquet file chunk by chunk."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.format = score_format(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.count = 0
        self._handle = None
        self._parquet: pq.ParquetWriter | None = None

    def __enter__(self) -> ScoreWriter:
        if self.format == "jsonl":
            self._handle = open(self.path, "w", encoding="utf-8")
        else:
            self._parquet = pq.ParquetWriter(self.path, SCORE_SCHEMA)
        return self

    def write(self, rows: list[dict[str, Any]]) -> None:
        if self._handle is not None:
            self._handle.writelines(json.dumps(r) + "\n" for r in rows)
        elif rows:
            self._parquet.write_table(pa.Table.from_pylist(rows, schema=SCORE_SCHEMA))
        self.count += len(rows)

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.close()
        if self._parquet is not None:
            self._parquet.close()


def iter_scores(
    path: str | Path, columns: tuple[str, ...] = SCORE_COLUMNS
) -> Iterator[dict[str, Any]]:
    """Rows of a scores file written by `logbert score` (parquet: only `columns` are read)."""
    fmt = score_format(path)
    if not Path(path).exists():
        raise LogbertError(f"scores file not found: {path}")
    if fmt == "parquet":
        try:
            parquet = stream_parquet(path)
        except (pa.ArrowInvalid, OSError) as exc:
            raise LogbertError(f"{path}: not a readable parquet scores file ({exc})") from exc
        for batch in parquet.iter_batches(
            columns=[c for c in columns if c in parquet.schema_arrow.names]
        ):
            yield from batch.to_pylist()
        return
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise LogbertError(f"{path}:{line_no}: not a JSON score row ({exc})") from exc
            if not isinstance(row, dict):
                raise LogbertError(f"{path}:{line_no}: expected a JSON object per line")
            yield row


def read_templates(path: str | Path | None) -> dict[int, str]:
    """template_id -> template text from a `templates.csv` written by `logbert parse`."""
    if path is None or not Path(path).exists():
        return {}
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return {int(r["template_id"]): r["template"] for r in csv.DictReader(handle)}
    except (KeyError, ValueError, csv.Error) as exc:
        raise LogbertError(
            f"{path}: expected a templates.csv with columns template_id,template ({exc})"
        ) from exc
