"""Score files: what `logbert score` writes and `logbert evaluate --scores` reads back.

Rows are made by `logbert.pipeline.verdicts.score_rows` (one per session, in input order:
`session_id`, the detector's declared scores, `is_anomaly`, `p_value`, `open`, `model_id` (the
trained model's name, `Pipeline.model_id_`), `label`, `top_events`; `decided_by` and `silence`
for a silent window's row, whose scores are null; and
`categories` (predicted) and `labels` (true) from a model trained on a category target).
This module only stores and reads them, so it depends on no detector: the Parquet schema is
built from the score names the model declares.
Formats: JSON Lines (`.jsonl`) or Parquet (`.parquet`), written in streaming chunks. The Parquet
schema gets the two category columns only when the first rows written have them (a model
predicts categories for every row or for none), so binary score files keep today's shape.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from logbert.errors import LogbertError
from logbert.sessions.io import create_output_folder, stream_parquet

SCORE_FORMATS = ("jsonl", "parquet")
SILENCE = "silence"  # `decided_by` of a silent window's row (`pipeline.verdicts.silence_rows`)
NOT_SCORES = (
    "session_id",
    "start",
    "end",
    "is_anomaly",
    "decided_by",  # the name of the deciding score (`pipeline.verdicts`)
    "p_value",
    "open",
    "model_id",
    "label",
    "top_events",
    "categories",
    "labels",
    "silence",  # a silent window's evidence (`pipeline.verdicts.silence_rows`)
    "parts_flagging",
)
CATEGORY_COLUMNS = ("categories", "labels")
_EXPECTED = pa.struct([("key", pa.int64()), ("template", pa.string()), ("prob", pa.float64())])
_EVENT = pa.struct(
    [
        ("position", pa.int64()),
        ("key", pa.int64()),
        ("template", pa.string()),
        ("surprise", pa.float64()),
        ("expected", pa.list_(_EXPECTED)),
        ("source", pa.string()),
        ("line_no", pa.int64()),
    ]
)

# a silent window's evidence (`pipeline.verdicts.silence_rows`)
_SILENCE = pa.struct(
    [
        ("value", pa.string()),
        ("windows", pa.int64()),
        ("longest_in_training", pa.int64()),
        ("at_end", pa.bool_()),
        ("last_event", pa.string()),
        ("source", pa.string()),
        ("line_no", pa.int64()),
    ]
)


def score_schema(score_names: Sequence[str] = ("score",), categories: bool = False) -> pa.Schema:
    """Parquet schema of score rows for a model that declares `score_names` (and, with
    `categories`, predicts categories)."""
    schema = pa.schema(
        [("session_id", pa.string()), ("start", pa.string()), ("end", pa.string())]
        + [(name, pa.float64()) for name in score_names]
        + [
            ("is_anomaly", pa.bool_()),
            ("decided_by", pa.string()),
            ("p_value", pa.float64()),
            ("open", pa.bool_()),
            ("model_id", pa.string()),
            ("label", pa.string()),
            ("top_events", pa.list_(_EVENT)),
            ("silence", _SILENCE),
        ]
    )
    # `labels`: the true categories, for any detector's sessions labelled by category (what
    # kind of anomaly a flagged session is); `categories` (predicted): category models only
    for name in CATEGORY_COLUMNS if categories else ("labels",):
        schema = schema.append(pa.field(name, pa.list_(pa.string())))
    return schema


def score_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in (".jsonl", ".parquet"):
        raise LogbertError(f"scores file {path}: use a .jsonl or .parquet name")
    return suffix[1:]


class ScoreWriter:
    """Append score rows to a .jsonl or .parquet file chunk by chunk."""

    def __init__(self, path: str | Path, score_names: Sequence[str] = ("score",)) -> None:
        self.path = Path(path)
        self.format = score_format(path)
        self.score_names = tuple(score_names)
        self.schema = score_schema(score_names)
        create_output_folder(self.path, "scores file")
        self.count = 0
        self._handle = None
        self._parquet: pq.ParquetWriter | None = None

    def __enter__(self) -> ScoreWriter:
        if self.format == "jsonl":
            self._handle = open(self.path, "w", encoding="utf-8")
        return self

    def write(self, rows: list[dict[str, Any]]) -> None:
        if self._handle is not None:
            self._handle.writelines(json.dumps(r) + "\n" for r in rows)
        elif rows:
            if self._parquet is None:  # the first rows say whether categories come
                self._open_parquet(any("categories" in r for r in rows))
            self._parquet.write_table(pa.Table.from_pylist(rows, schema=self.schema))
        self.count += len(rows)

    def _open_parquet(self, categories: bool) -> None:
        self.schema = score_schema(self.score_names, categories)
        self._parquet = pq.ParquetWriter(self.path, self.schema)

    def __exit__(self, *exc: object) -> None:
        if self._handle is not None:
            self._handle.close()
        if self.format == "parquet" and self._parquet is None:
            self._open_parquet(False)  # no rows: an empty file with the binary schema
        if self._parquet is not None:
            self._parquet.close()


def iter_scores(path: str | Path, columns: Sequence[str] | None = None) -> Iterator[dict[str, Any]]:
    """Rows of a scores file written by `logbert score`.

    Parquet reads only `columns` (default: every column but `top_events`, the bulky one).
    """
    fmt = score_format(path)
    if not Path(path).exists():
        raise LogbertError(f"scores file not found: {path}")
    if fmt == "parquet":
        try:
            parquet = stream_parquet(path)
        except (pa.ArrowInvalid, OSError) as exc:
            raise LogbertError(f"{path}: not a readable parquet scores file ({exc})") from exc
        names = parquet.schema_arrow.names
        wanted = [c for c in names if c != "top_events"] if columns is None else columns
        for batch in parquet.iter_batches(columns=[c for c in wanted if c in names]):
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
