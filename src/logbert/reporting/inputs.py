"""Read what a report is drawn from: the model directory, a scores file, evaluation results.

Every input is optional except the model directory itself; missing optional files or fields
become `None` so the report can say what it lacks instead of failing. Scores are streamed:
only the score columns, labels and verdicts are kept for every row, and the full rows (with
`top_events`) only for the `top` highest-scoring sessions.

Which score decides is not guessed. A scores file may carry several scores (LogBERT writes the
mean surprise `score`, `miss_ratio` and `max_surprise`); the one the threshold applies to is
named by the threshold record's `score` field. When the file lacks that column, `ScoreTable`
says so (`has_deciding` is false) and holds no deciding scores at all, rather than quietly
putting another column in its place: a threshold calibrated on `max_surprise` means nothing on
the mean surprise, and F1 computed that way would be a wrong answer that looks right. Score
columns are read from the data (every numeric column that is not one of `NOT_SCORES`), so a
detector with new scores needs no change here.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from logbert.errors import LogbertError
from logbert.models.base import read_config
from logbert.models.checks import read_json
from logbert.models.registry import model_name
from logbert.pipeline.files import CALIBRATION_FILE, read_calibration_scores
from logbert.scoring.score_files import NOT_SCORES as SCORE_FILE_NOT_SCORES
from logbert.scoring.score_files import SILENCE, iter_scores
from logbert.scoring.thresholds import Threshold
from logbert.sessions.io import ANOMALY, normalize_label

# Columns of a scores file that are not scores, whatever their type.
NOT_SCORES = frozenset(SCORE_FILE_NOT_SCORES)
_FALLBACK_COLUMNS = ("session_id", "score", "is_anomaly", "label", "top_events")


@dataclass
class ModelInfo:
    """The parts of a model directory a report shows (each `None` when its file is absent)."""

    path: Path
    config: dict | None = None
    history: dict | None = None  # in the shape `loss_history` gives
    threshold: dict | None = None
    pipeline: dict | None = None  # pipeline.json: session settings, the training template set
    previous_threshold: dict | None = None  # threshold.previous.json, kept by `calibrate`
    # the normal calibration scores of the threshold's score (calibration_scores.npy): what
    # share of normal sessions the threshold flags (`scoring.flag_rate`)
    calibration_scores: np.ndarray | None = None

    @property
    def name(self) -> str | None:
        """The detector's registered name (config.json `model`), when recorded."""
        name = (self.config or {}).get("model")
        return name if isinstance(name, str) and name else None

    @property
    def reads_logs(self) -> bool:
        """Whether the model was trained from raw logs (`train --logs`): it parses them itself,
        so no sessions file holds its key ids."""
        return bool((self.pipeline or {}).get("log_format"))

    @property
    def template_set(self) -> dict[int, str]:
        """Template text by key of the data the model was trained on (pipeline.json's
        `template_set`); empty when unrecorded (a model trained on a DeepLog file)."""
        raw = (self.pipeline or {}).get("template_set")
        if not isinstance(raw, dict):
            return {}
        try:
            return {int(key): str(text) for key, text in raw.items()}
        except (TypeError, ValueError):
            return {}

    @property
    def score_names(self) -> list[str]:
        """The scores the model declares (config.json `score_names`); empty when it does not."""
        names = (self.config or {}).get("score_names")
        if not isinstance(names, list):
            return []
        return [name for name in names if isinstance(name, str) and name]


@dataclass
class ScoreTable:
    """Per-session scores (in file order) plus the full rows of the top-scoring sessions.

    `scores`, `labels` and `verdicts` are the rows with a finite value of the deciding column
    `column`; when the file lacks that column they are empty and `has_deciding` is false.
    `columns` holds every score column present (NaN where a row has no value), deciding first.
    """

    path: Path
    column: str  # the deciding score: the one the threshold applies to
    scores: np.ndarray  # float, finite; the deciding column's values
    labels: np.ndarray | None  # 1 = anomaly, 0 = normal, -1 = unlabelled; None when no labels
    verdicts: np.ndarray | None  # the score file's is_anomaly (bool); None when absent
    top_rows: list[dict] = field(default_factory=list)  # highest `ranked_by` first
    n_rows: int = 0
    n_unscored: int = 0  # rows without a finite deciding score (kept out of `scores`, reported)
    n_silent: int = 0  # ... of them, flagged silent windows (`pipeline.verdicts.silence_rows`)
    silent_labelled: tuple[int, int] = (0, 0)  # ... of those, labelled (anomalous, normal)
    n_unlabelled: int = 0  # rows without a label when others have one (kept out of metrics)
    columns: dict[str, np.ndarray] = field(default_factory=dict)  # every score column present
    all_labels: np.ndarray | None = None  # labels of every row (-1 unlabelled); None: no labels
    ranked_by: str | None = None  # the column `top_rows` are ranked by
    p_values: np.ndarray | None = None  # the rows' p_value, aligned with `scores` (NaN: none)
    n_foreign_ids: int = 0  # session ids that `session_id_fits` refused
    first_foreign_id: str | None = None
    model_ids: frozenset[str] = frozenset()  # the trained models the rows name (`model_id`)

    @property
    def has_deciding(self) -> bool:
        """Whether the file has the deciding column (with at least one numeric value)."""
        return self.column in self.columns

    @property
    def secondary(self) -> list[str]:
        """The score columns present besides the deciding one."""
        return [name for name in self.columns if name != self.column]

    @property
    def labelled(self) -> np.ndarray:
        """Mask of the rows that carry a label (all of them when none is missing)."""
        if self.labels is None:
            return np.zeros(self.scores.size, dtype=bool)
        return self.labels >= 0


def load_model_dir(path: str | Path) -> ModelInfo:
    """Read config.json, history.json, threshold.json and pipeline.json from a model directory.

    With the readers `score` loads the model with, so a report refuses what scoring refuses:
    a folder without config.json (not a model directory), a config.json or threshold.json
    that is corrupt, names no registered model or holds a threshold that is not a finite
    number. A page drawn from such a directory would present a broken model as a working one.
    """
    path = Path(path)
    config = read_config(path)
    model_name(config, path)
    threshold = path / "threshold.json"
    history = _model_json(path / "history.json")
    return ModelInfo(
        path=path,
        config=config,
        history=None if history is None else loss_history(history),
        threshold=Threshold.load(threshold).to_dict() if threshold.exists() else None,
        pipeline=_model_json(path / "pipeline.json"),
        previous_threshold=_model_json(path / "threshold.previous.json"),
        calibration_scores=read_calibration_scores(path / CALIBRATION_FILE),
    )


def _model_json(path: Path) -> dict | None:
    """An optional JSON object of the model directory (None when absent)."""
    return read_json(path, expect=dict) if path.exists() else None


def loss_history(history: dict) -> dict:
    """A history.json record in the one shape the report draws and reads: `steps` (loss per
    optimizer step) and `epochs` (`train_loss`, `val_loss` per epoch).

    Detectors write their own shapes: LogBERT `steps` and `epochs`, DeepLog `epochs`, the text
    classifier a bare list `epoch_loss` (its training loss per epoch). Converting them here
    lets every section read one shape, so no detector's curve is missed for its key names.
    """
    epoch_loss = history.get("epoch_loss")
    if "epochs" in history or not isinstance(epoch_loss, list):
        return history
    rest = {key: value for key, value in history.items() if key != "epoch_loss"}
    epochs = [{"epoch": i, "train_loss": loss} for i, loss in enumerate(epoch_loss, start=1)]
    return {**rest, "epochs": epochs}


def load_evaluation(path: str | Path) -> dict:
    """Read evaluation_results.json (written by `logbert evaluate`)."""
    path = Path(path)
    if not path.exists():
        raise LogbertError(f"file not found: {path}; write it with `logbert evaluate`")
    return read_json(path, "write it again with `logbert evaluate`", expect=dict)


def deciding_column(threshold: dict | None) -> str:
    """The score a threshold record applies to (its `score` field; `score` when unrecorded,
    as `Threshold` defaults)."""
    name = (threshold or {}).get("score")
    return name if isinstance(name, str) and name else "score"


def load_scores(
    path: str | Path,
    column: str = "score",
    top: int = 10,
    declared: list[str] | tuple[str, ...] = (),
    session_id_fits: Callable[[str], bool] | None = None,
) -> ScoreTable:
    """Read a scores file (.jsonl or .parquet) written by `logbert score`.

    `column` names the score the threshold applies to (the threshold record's `score` field);
    no other column ever stands in for it. `declared` (the model's score names) orders the
    columns and picks which one ranks the top rows when the deciding column is absent.
    `session_id_fits` (when given) tells whether a session id is one the model's session
    settings make; the ids it refuses are counted (`n_foreign_ids`), not kept.
    """
    path = Path(path)
    if not path.is_file():
        raise LogbertError(f"scores file not found: {path}; write one with `logbert score`")
    rows = iter_scores(path, columns=_parquet_columns(path))
    values: dict[str, list[float]] = {}  # score column -> value per row (NaN when absent)
    labels: list[int] = []
    verdicts: list[int] = []
    p_values: list[float] = []
    n_foreign, first_foreign = 0, None  # ids session_id_fits refused, and the first of them
    model_ids: set[str] = set()
    heaps: dict[str, list[tuple[float, int, dict]]] = {}
    n_rows = n_silent = 0
    silent_labels: list[int] = []
    for n_rows, row in enumerate(rows, start=1):
        n_silent += row.get("decided_by") == SILENCE
        labels.append(_label_code(row.get("label"), path, n_rows))
        if row.get("decided_by") == SILENCE and row.get("is_anomaly"):
            silent_labels.append(labels[-1])
        verdicts.append(-1 if row.get("is_anomaly") is None else int(bool(row["is_anomaly"])))
        p_value = as_float(row.get("p_value"))
        p_values.append(math.nan if p_value is None else p_value)
        if row.get("model_id") is not None:
            model_ids.add(str(row["model_id"]))
        if session_id_fits is not None and not session_id_fits(str(row.get("session_id"))):
            n_foreign += 1
            first_foreign = first_foreign or str(row.get("session_id"))
        for name, raw in row.items():
            if name in NOT_SCORES:
                continue
            value = as_float(raw)
            if value is None and name not in values:
                continue  # not (yet) a score column
            if name not in values:
                values[name] = [math.nan] * (n_rows - 1)
                heaps[name] = []
            values[name].append(math.nan if value is None else value)
            if value is not None and top > 0:
                _keep_top(heaps[name], (value, -n_rows, row), top)
        for seen in values.values():
            if len(seen) < n_rows:  # the row lacks this column
                seen.append(math.nan)
    present = {name: seen for name, seen in values.items() if not np.isnan(seen).all()}
    if not present:
        raise LogbertError(f"{path}: no session has a numeric score; is it a scores file?")
    order = [column, *declared, "score", *present]
    columns = {
        name: np.asarray(present[name], dtype=float)
        for name in dict.fromkeys(order)
        if name in present
    }
    ranked_by = next(iter(columns))  # the deciding column when present
    label_arr = np.asarray(labels, dtype=int)
    verdict_arr = np.asarray(verdicts, dtype=int)
    has_column = column in columns
    scored = np.isfinite(columns[column]) if has_column else np.zeros(n_rows, dtype=bool)
    no_labels = bool((label_arr < 0).all())
    kept_labels = label_arr[scored]
    kept_verdicts = verdict_arr[scored]
    return ScoreTable(
        path=path,
        column=column,
        scores=columns[column][scored] if has_column else np.zeros(0, dtype=float),
        labels=None if (kept_labels < 0).all() else kept_labels,
        verdicts=None if (kept_verdicts < 0).any() else kept_verdicts.astype(bool),
        top_rows=[row for _, _, row in sorted(heaps[ranked_by], key=lambda i: i[:2], reverse=True)],
        n_rows=n_rows,
        n_unscored=int((~scored).sum()) if has_column else 0,
        n_silent=n_silent,
        silent_labelled=(silent_labels.count(1), silent_labels.count(0)),
        n_unlabelled=0 if (kept_labels < 0).all() else int((kept_labels < 0).sum()),
        columns=columns,
        all_labels=None if no_labels else label_arr,
        ranked_by=ranked_by,
        p_values=np.asarray(p_values, dtype=float)[scored],
        n_foreign_ids=n_foreign,
        first_foreign_id=first_foreign,
        model_ids=frozenset(model_ids),
    )


def _keep_top(heap: list[tuple[float, int, dict]], item: tuple[float, int, dict], top: int):
    if len(heap) < top:
        heapq.heappush(heap, item)
    elif item[:2] > heap[0][:2]:
        heapq.heapreplace(heap, item)


def _parquet_columns(path: Path) -> tuple[str, ...]:
    """Every column of a Parquet scores file (score columns are found in the data)."""
    if path.suffix.lower() != ".parquet":
        return _FALLBACK_COLUMNS  # JSON Lines rows are read whole anyway
    try:
        return tuple(pq.read_schema(path).names)
    except (OSError, ValueError):  # unreadable: iter_scores says so in its own words
        return _FALLBACK_COLUMNS


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
