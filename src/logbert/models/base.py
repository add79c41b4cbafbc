"""The estimator interface every detector follows (LogBERT and the baselines alike).

Plain data in, plain data out: a session is a sequence of integer log keys; scores are a numpy
array, higher meaning more anomalous. Keys unseen in training are evidence of anomaly.

Subclasses implement `fit`, `decision_function`, `_save_state` and `_load_state`; this base
class provides `predict`, `calibrate`, and the model directory layout:

    MODEL_DIR/config.json       {"model": NAME, "params": {...}, "training": {...}}
    MODEL_DIR/threshold.json    logbert.scoring.thresholds.Threshold
    MODEL_DIR/history.json      training history (loss per step/epoch where the model has one)
    MODEL_DIR/...               model-specific state (model.safetensors, vocab.json, *.npz)
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np

from logbert.errors import LogbertError
from logbert.scoring.thresholds import DEFAULT_RULE, Threshold, calibrate

Keys = Sequence[int]


class Detector(ABC):
    """Base for anomaly detectors over sessions of log keys."""

    name: ClassVar[str] = "detector"

    def __init__(self) -> None:
        self.threshold_: Threshold | None = None
        self.history_: dict[str, Any] = {}
        self.training_info_: dict[str, Any] = {}

    # --- to implement -----------------------------------------------------------------------

    @abstractmethod
    def fit(self, sessions: Sequence[Keys], validation: Sequence[Keys] | None = None) -> Self:
        """Learn what normal looks like from normal sessions.

        `validation` (normal sessions held out by the caller) is for models that stop early on
        validation loss; models without such a loop ignore it.
        """

    @abstractmethod
    def decision_function(self, sessions: Sequence[Keys]) -> np.ndarray:
        """Anomaly score per session; higher is more anomalous."""

    @abstractmethod
    def get_params(self) -> dict[str, Any]:
        """Constructor arguments, JSON-serialisable (saved in config.json)."""

    @abstractmethod
    def _save_state(self, directory: Path) -> None:
        """Write learned state into `directory` (no pickle)."""

    @abstractmethod
    def _load_state(self, directory: Path) -> None:
        """Read learned state written by `_save_state`."""

    # --- shared behaviour -------------------------------------------------------------------

    def predict(self, sessions: Sequence[Keys]) -> np.ndarray:
        """1 for anomalous sessions (score > threshold_), 0 otherwise."""
        if self.threshold_ is None:
            raise LogbertError(
                f"{self.name} has no calibrated threshold; run `logbert calibrate` first"
            )
        return (self.decision_function(sessions) > self.threshold_.value).astype(int)

    def calibrate(
        self,
        sessions: Sequence[Keys],
        labels: Sequence[int] | None = None,
        rule: str = DEFAULT_RULE,
        source: str = "",
    ) -> Threshold:
        """Set `threshold_` from validation sessions (never the data being evaluated)."""
        scores = self.decision_function(sessions)
        value = calibrate(scores, rule, labels)
        self.threshold_ = Threshold(
            value=value,
            rule=rule,
            source=source,
            n_sessions=len(scores),
            n_anomalies=int(np.sum(labels)) if labels is not None else 0,
        )
        return self.threshold_

    def save(self, directory: str | Path) -> Path:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self._save_state(directory)
        config = {"model": self.name, "params": self.get_params(), "training": self.training_info_}
        _write_json(directory / "config.json", config)
        _write_json(directory / "history.json", self.history_)
        if self.threshold_ is not None:
            self.threshold_.save(directory / "threshold.json")
        return directory

    @classmethod
    def load(cls, directory: str | Path) -> Self:
        directory = Path(directory)
        config = read_config(directory)
        if config.get("model") != cls.name:
            raise LogbertError(
                f"{directory} holds a {config.get('model')!r} model, not {cls.name!r}"
            )
        detector = cls(**config.get("params", {}))
        detector.training_info_ = config.get("training", {})
        detector._load_state(directory)
        history = directory / "history.json"
        if history.exists():
            detector.history_ = json.loads(history.read_text(encoding="utf-8"))
        if (directory / "threshold.json").exists():
            detector.threshold_ = Threshold.load(directory / "threshold.json")
        return detector


def read_config(directory: str | Path) -> dict[str, Any]:
    """The model directory's config.json, with a clear error when missing or corrupt."""
    path = Path(directory) / "config.json"
    if not Path(directory).is_dir():
        raise LogbertError(f"model directory not found: {directory}")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise LogbertError(f"{path} is missing: is {directory} a model directory?") from exc
    except json.JSONDecodeError as exc:
        raise LogbertError(f"{path} is corrupt ({exc}); retrain the model") from exc


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
    tmp.replace(path)
