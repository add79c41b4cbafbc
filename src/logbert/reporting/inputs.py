"""Read what a report is drawn from: the model directory, a scores file, evaluation results.

Every input is optional except the model directory itself; missing optional files or fields
become `None` so the report can say what it lacks instead of failing. Scores are streamed:
only the score, label and verdict columns are kept for every row, and the full rows (with
`top_events`) only for the `top` highest-scoring sessions.
"""

from __future__ import annotations

import heapq
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from logbert.errors import LogbertError
from logbert.scoring.score_files import iter_scores
from logbert.sessions.io import ANOMALY, normalize_label

_SCORE_COLUMNS = (
    "session_id",
    "score",
    "miss_ratio",
    "max_surprise",
    "is_anomaly",
    "label",
    "top_events",
)


@dataclass
class ModelInfo:
    """The parts of a model directory a report shows (each `None` when its file is absent)."""

    path: Path
    config: dict | None = None
    history: dict | None = None
    threshold: dict | None = None


@dataclass
class ScoreTable:
    """Per-session scores (in file order) plus the full rows of the top-scoring sessions."""

    path: Path
    column: str  # which score column `scores` holds
    scores: np.ndarray  # float, finite
    labels: np.ndarray | None  # 1 = anomaly, 0 = normal; None when no row has a label
    verdicts: np.ndarray | None  # the score file's is_anomaly (bool); None when absent
    top_rows: list[dict] = field(default_factory=list)  # highest score first
    n_rows: int = 0
    n_unscored: int = 0  # rows without a finite score (kept out of `scores`, reported)
    n_unlabelled: int = 0  # rows without a label when others have one (kept out of metrics)

    @property
    def labelled(self) -> np.ndarray:
        """Mask of the rows that carry a label (all of them when none is missing)."""
        if self.labels is None:
            return np.zeros(self.scores.size, dtype=bool)
        return self.labels >= 0


def load_model_dir(path: str | Path) -> ModelInfo:
    """Read config.json, history.json and threshold.json from a model directory."""
    path = Path(path)
    if not path.is_dir():
        raise LogbertError(
            f"model directory not found: {path}; pass the directory `logbert train` wrote"
        )
    return ModelInfo(
        path=path,
        config=_read_json(path / "config.json", required=False),
        history=_read_json(path / "history.json", required=False),
        threshold=_read_json(path / "threshold.json", required=False),
    )


def load_evaluation(path: str | Path) -> dict:
    """Read evaluation_results.json (written by `logbert evaluate`)."""
    data = _read_json(Path(path), required=True)
    assert data is not None
    return data


def load_scores(path: str | Path, column: str = "score", top: int = 10) -> ScoreTable:
    """Read a scores file (.jsonl or .parquet) written by `logbert score`.

    `column` names the score the threshold applies to (the threshold record's `score` field);
    when the file lacks it, `score` is used.
    """
    path = Path(path)
    if not path.is_file():
        raise LogbertError(f"scores file not found: {path}; write one with `logbert score`")
    rows = iter_scores(path, columns=_SCORE_COLUMNS)
    scores: list[float] = []
    labels: list[int] = []
    verdicts: list[int] = []
    heap: list[tuple[float, int, dict]] = []
    n_rows = n_unscored = 0
    used = None
    for n_rows, row in enumerate(rows, start=1):
        if used is None:
            used = column if row.get(column) is not None else "score"
        value = as_float(row.get(used))
        if value is None:
            n_unscored += 1
            continue
        scores.append(value)
        labels.append(_label_code(row.get("label"), path, n_rows))
        verdicts.append(-1 if row.get("is_anomaly") is None else int(bool(row["is_anomaly"])))
        item = (value, -n_rows, row)
        if len(heap) < top:
            heapq.heappush(heap, item)
        elif top > 0 and item[:2] > heap[0][:2]:
            heapq.heapreplace(heap, item)
    if not scores:
        raise LogbertError(f"{path}: no session has a numeric score; is it a scores file?")
    label_arr = np.asarray(labels, dtype=int)
    verdict_arr = np.asarray(verdicts, dtype=int)
    return ScoreTable(
        path=path,
        column=used or "score",
        scores=np.asarray(scores, dtype=float),
        labels=None if (label_arr < 0).all() else label_arr,
        verdicts=None if (verdict_arr < 0).any() else verdict_arr.astype(bool),
        top_rows=[row for _, _, row in sorted(heap, key=lambda item: item[:2], reverse=True)],
        n_rows=n_rows,
        n_unscored=n_unscored,
        n_unlabelled=0 if (label_arr < 0).all() else int((label_arr < 0).sum()),
    )


def _read_json(path: Path, required: bool) -> dict | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        if not required:
            return None
        raise LogbertError(f"file not found: {path}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise LogbertError(f"{path} is not valid JSON ({exc}); rewrite it with logbert") from exc
    if not isinstance(data, dict):
        raise LogbertError(f"{path}: expected a JSON object, found {type(data).__name__}")
    return data


def rows_of(record: dict | None, key: str) -> list[dict]:
    """`record[key]` as a list of objects; anything else there is ignored."""
    value = (record or {}).get(key)
    return [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []


def as_float(value: object) -> float | None:
    """A finite float, or None for missing, non-numeric and infinite values."""
    if isinstance(value, bool):
        return None
    try:
        result = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return result if math.isfinite(result) else None


def _label_code(value: object, path: Path, row: int) -> int:
    try:
        label = normalize_label(value)
    except LogbertError as exc:
        raise LogbertError(f"{path}: row {row}: {exc}") from exc
    return -1 if label is None else int(label == ANOMALY)
