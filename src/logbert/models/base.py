"""The estimator contract every detector follows (LogBERT and the baselines alike).

Detectors are scikit-learn estimators (`sklearn.base.BaseEstimator`), so `get_params`,
`set_params`, `clone` and `repr` work as users expect:

- `__init__` only stores its arguments under the same names (no validation, nothing else):
  `get_params` reads them back by introspecting the constructor, and `clone` rebuilds an
  unfitted copy from them. Parameters are checked at the start of `fit` (`_check_params`).
- Fitted state lives in attributes ending in `_` (`threshold_`, `history_`, `training_info_`,
  `vocab_`, `model_`, ...) that exist only after `fit` or `load`; using a detector before
  that is a clear `LogbertError` (`checks.require_fitted`).
- Input: a `SessionBatch` (keys plus the open mask, see `sessions/batch.py`), a list of
  `Session` objects or a list of key sequences; all go through `checks.check_sessions` /
  `checks.check_training`. A session is a sequence of integer log keys; scores are a numpy
  array, higher meaning more anomalous. Keys unseen in training are evidence of anomaly.
- `fit(X, y=None, *, validation=None)`: every detector here learns what normal looks like, so
  sessions labelled anomalous (y == 1) are left out of training. `fit` ends by calibrating
  `threshold_` with the detector's `default_threshold_rule` (on `validation` when given, else
  in-sample on the training sessions), so a fitted detector can `predict` at once; callers
  recalibrate on proper validation data with `calibrate`.
- Supervised detectors (`supervised = True`, `models/supervised.py`) learn from both
  classes instead: `y` is required, anomalies are kept, and `threshold_` is calibrated with
  labels (see `SupervisedDetector.fit`).
- Scores: `score_names` declares every per-session score a detector computes,
  `decision_score` names the one `decision_function`, thresholds and `predict` use, and
  `score_sessions` returns them all in one pass.

Subclasses implement `_fit`, `decision_function`, `_save_state` and `_load_state` and declare
`_fitted_attributes`; this base class provides `fit`, `predict`, `calibrate`,
`score_sessions` and the model directory layout:

    MODEL_DIR/config.json       {"model": NAME, "params": {...}, "training": {...}}
    MODEL_DIR/threshold.json    logbert.scoring.thresholds.Threshold
    MODEL_DIR/history.json      training history (loss per step/epoch where the model has one)
    MODEL_DIR/...               model-specific state (model.safetensors, vocab.json, *.npz)
"""

from __future__ import annotations

import json
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, ClassVar, Self

import numpy as np
from sklearn.base import BaseEstimator

from logbert.errors import LogbertError
from logbert.models.checks import (
    check_sessions,
    check_training,
    corrupt_file,
    read_json,
    require_fitted,
    safe_load_message,
)
from logbert.scoring.thresholds import DEFAULT_RULE, Threshold, calibrate
from logbert.sessions.batch import SessionBatch

Keys = Sequence[int]
NOT_A_MODEL_DIRECTORY = "a file, not a model directory (the folder `logbert train -o` wrote)"


class Detector(BaseEstimator, ABC):
    """Base for anomaly detectors over sessions of log keys (see the module doc)."""

    name: ClassVar[str] = "detector"
    # every per-session score the detector computes; `decision_score` is one of them
    score_names: ClassVar[tuple[str, ...]] = ("score",)
    # the rule `fit` calibrates `threshold_` with (and `calibrate` uses when given none)
    default_threshold_rule: ClassVar[str] = DEFAULT_RULE
    # True for detectors that learn from labelled normal AND anomalous sessions (y required)
    supervised: ClassVar[bool] = False
    # True when a session still open at the log's end (`SessionBatch.is_open`) cannot be
    # flagged for where it ends: the detector reads the open mask and leaves the end unjudged
    # (logbert, deeplog, ngram, length, edit-distance), or never judges ends (new-event). False:
    # an open session is judged as if complete, so one cut short by the log's end may be
    # flagged; the CLI says which of the two (`Pipeline.open_sessions_note`)
    skips_open_ends: ClassVar[bool] = False
    # True when `fit` watches its validation sessions (early stopping: logbert, deeplog), so
    # they must stay out of training; False: a cross-fitted bundle fits every normal session
    # (`Pipeline.fit`), since its threshold comes from the folds
    stops_early: ClassVar[bool] = False
    # the largest decision score the detector can give (None: no bound): a threshold at or
    # above it flags nothing (`calibration.unreachable_threshold_warning`)
    score_max: ClassVar[float | None] = None
    # what every normal calibration session scoring 0 means, and what a threshold of 0 then
    # flags (`calibration.zero_threshold_note`; QA Grafana: `length` was told "nothing in
    # them was new to training", the wording of detectors of unseen keys)
    zero_scores_mean: ClassVar[tuple[str, str]] = (
        "nothing in them was new to training",
        "any session holding anything training lacked is flagged, however little",
    )
    # learned attributes that must exist before scoring or saving (besides threshold_)
    _fitted_attributes: ClassVar[tuple[str, ...]] = ("training_info_",)

    def unlearnt_warning(self, normal: SessionBatch, scores: np.ndarray) -> str | None:
        """`warning: ...` when the fitted model's `scores` of the `normal` calibration
        sessions show it did not learn them (`calibration.calibrate_fitted` says it); None:
        nothing to say (the default)."""
        return None

    # --- to implement -----------------------------------------------------------------------

    @abstractmethod
    def _fit(self, batch: SessionBatch, validation: SessionBatch | None, **fit_options) -> None:
        """Learn from checked normal training sessions (`validation`: None or non-empty).

        Sets the model's fitted attributes and fills `self.training_info_` (already an empty
        dict) and, where the model has one, `self.history_`.
        """

    @abstractmethod
    def decision_function(self, X: Any) -> np.ndarray:
        """Anomaly score (`decision_score`) per session; higher is more anomalous."""

    @abstractmethod
    def _save_state(self, directory: Path) -> None:
        """Write learned state into `directory` (no pickle)."""

    @abstractmethod
    def _load_state(self, directory: Path) -> None:
        """Read learned state written by `_save_state`."""

    def _check_params(self) -> None:
        """Validate the constructor parameters (called at the start of `fit` and by `load`)."""

    # --- shared behaviour -------------------------------------------------------------------

    @property
    def decision_score(self) -> str:
        """The score `decision_function`, thresholds and `predict` use."""
        return "score"

    def fitted_choices(self) -> dict[str, Any]:
        """Parameters whose `auto` value the fitted model resolved from its training data, as
        `set_params` takes them: a clone trained on part of the data (a cross-fit fold) gets
        them, so that it trains and scores as this model does. None by default."""
        return {}

    def fit(self, X: Any, y: Any = None, *, validation: Any = None, **fit_options: Any) -> Self:
        """Learn what normal looks like from the sessions `X`; returns self.

        `y` (optional, 1 = anomaly, 0 = normal, one per session): sessions with y == 1 are left
        out of training (counted in `training_info_["n_anomalies_left_out"]`). `validation`
        (normal sessions held out by the caller) is for models that stop early on validation
        loss, and is what `threshold_` is calibrated on (with `default_threshold_rule`); without
        it the threshold is calibrated in-sample on the training sessions.
        """
        self._check_params()
        batch = check_training(X, y, self.name)
        n_left_out = 0 if y is None else int(np.sum(np.asarray(y, dtype=np.int64) == 1))
        held_out = check_sessions(validation, "validation") if validation is not None else None
        if held_out is not None and not len(held_out):
            held_out = None
        self._reset()
        self.training_info_: dict[str, Any] = {}
        self.history_: dict[str, Any] = {}
        started = time.perf_counter()
        self._fit(batch, held_out, **fit_options)
        self.training_info_.setdefault("seconds", round(time.perf_counter() - started, 3))
        self.training_info_["n_anomalies_left_out"] = n_left_out
        if held_out is not None:
            self.calibrate(held_out, source=f"validation sessions given to fit ({len(held_out)})")
        else:
            self.calibrate(batch, source=f"training sessions (in-sample, {len(batch)})")
        return self

    def predict(self, X: Any) -> np.ndarray:
        """1 for anomalous sessions (score > threshold_), 0 otherwise.

        The score compared is the one the threshold was calibrated on (`threshold_.score`).
        """
        self._require_fitted()
        if getattr(self, "threshold_", None) is None:
            raise LogbertError(
                f"{self.name} has no calibrated threshold; run `logbert calibrate` first"
            )
        score = self.threshold_.score
        if score not in self.score_names:
            raise LogbertError(
                f"the threshold is for a {score!r} score, which {self.name} does not compute "
                f"({', '.join(self.score_names)}); recalibrate"
            )
        if score == self.decision_score:
            scores = self.decision_function(X)
        else:
            scores = self.score_sessions(X)[score]
        return (np.asarray(scores) > self.threshold_.value).astype(int)

    def extend_templates(self, templates: dict[int, str] | dict[str, str] | None) -> None:
        """Template text of the data about to be scored (key -> text), for detectors that read
        template text (`uses_templates`): they add the text of keys they have none for (keys
        unseen in training) and never change a known key's. The others ignore it."""

    def score_sessions(self, X: Any, top_events: int = 0) -> dict[str, Any]:
        """Every declared score (`score_names`) per session, in input order.

        `top_events` asks for explanations from detectors that have them (LogBERT); the
        others ignore it.
        """
        return {"score": self.decision_function(X)}

    def calibrate(
        self,
        X: Any,
        labels: Sequence[int] | np.ndarray | None = None,
        rule: str | None = None,
        source: str = "",
    ) -> Threshold:
        """Set `threshold_` from validation sessions (never the data being evaluated).

        `rule` defaults to the detector's `default_threshold_rule`; the threshold applies to
        `decision_score`.
        """
        return self.calibrate_scores(self.decision_function(X), labels, rule, source)

    def calibrate_scores(
        self,
        scores: np.ndarray,
        labels: Sequence[int] | np.ndarray | None = None,
        rule: str | None = None,
        source: str = "",
    ) -> Threshold:
        """Set `threshold_` from decision scores computed elsewhere (e.g. cross-fitted ones,
        each from a model that never saw the session; see `pipeline/crossfit.py`)."""
        rule = rule or self.default_threshold_rule
        value = calibrate(scores, rule, labels)
        if not np.isfinite(value):  # saved, it would make the model unusable (threshold.json)
            raise LogbertError(self._non_finite_threshold(value, rule, scores, source))
        self.threshold_ = Threshold(
            value=value,
            rule=rule,
            score=self.decision_score,
            source=source,
            n_sessions=len(scores),
            n_anomalies=int(np.sum(np.asarray(labels) == 1)) if labels is not None else 0,
        )
        return self.threshold_

    def _non_finite_threshold(
        self, value: float, rule: str, scores: np.ndarray, source: str
    ) -> str:
        """Why calibrating gave `value` (nan or ±inf), which no verdict can use."""
        scores = np.asarray(scores, dtype=float)
        bad = scores[~np.isfinite(scores)]
        why = f"the rule found no finite value in {scores.size} finite scores"
        if bad.size:
            why = f"{bad.size} of the {scores.size} scores are not finite (e.g. {bad[0]})"
        where = f" on {source}" if source else ""
        return (
            f"{self.name} cannot be calibrated{where}: the {rule} threshold is {value}, {why}; "
            "train on more (or other) normal sessions, or choose another threshold rule"
        )

    def save(self, directory: str | Path) -> Path:
        self._require_fitted()
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self._save_state(directory)
        config = {"model": self.name, "params": self.get_params(), "training": self.training_info_}
        _write_json(directory / "config.json", config)
        _write_json(directory / "history.json", getattr(self, "history_", {}))
        if getattr(self, "threshold_", None) is not None:
            self.threshold_.save(directory / "threshold.json")
        return directory

    @classmethod
    def load(
        cls,
        directory: str | Path,
        *,
        on_bad_threshold: Callable[[LogbertError], None] | None = None,
    ) -> Self:
        """The detector saved in `directory`, with every fitted attribute set.

        `threshold_` is set when the directory has a threshold.json (else `predict` asks for
        `logbert calibrate`). A threshold.json that does not load is an error, unless
        `on_bad_threshold` is given (by a caller about to replace it: `logbert calibrate`
        must be able to repair it): it then gets the error and `threshold_` stays unset.
        """
        directory = Path(directory)
        config = read_config(directory)
        if config.get("model") != cls.name:
            raise LogbertError(
                f"{directory} holds a {config.get('model')!r} model, not {cls.name!r}"
            )
        detector = _configured(cls, config, directory / "config.json")
        detector.training_info_ = config.get("training") or {}
        detector._load_state(directory)
        detector.history_ = {}
        detector.load_warnings_ = []  # files it could do without, unreadable: for the caller
        history = directory / "history.json"
        if history.exists():  # the training record only: scoring does not need it
            try:
                detector.history_ = read_json(history, "restore or delete it", expect=dict)
            except LogbertError as exc:
                detector.load_warnings_.append(
                    f"warning: {exc}; the training history is left out (scoring does not need "
                    "it; `logbert report` shows no training curves)"
                )
        if (directory / "threshold.json").exists():
            try:
                detector.threshold_ = Threshold.load(directory / "threshold.json")
            except LogbertError as exc:
                if on_bad_threshold is None:
                    raise
                on_bad_threshold(exc)
        return detector

    # --- helpers ----------------------------------------------------------------------------

    def _require_fitted(self) -> None:
        require_fitted(self, *self._fitted_attributes)

    def _reset(self) -> None:
        """Forget what an earlier fit learned (every public attribute ending in `_`)."""
        for attribute in [a for a in vars(self) if a.endswith("_") and not a.startswith("_")]:
            delattr(self, attribute)


def read_config(directory: str | Path) -> dict[str, Any]:
    """The model directory's config.json, with a clear error when missing or corrupt."""
    directory = Path(directory)
    if directory.is_file():
        raise LogbertError(f"{directory} is {NOT_A_MODEL_DIRECTORY}")
    if not directory.is_dir():
        raise LogbertError(f"model directory not found: {directory}")
    path = directory / "config.json"
    if not path.exists():
        stopped = ""
        if (directory / "checkpoints").is_dir():  # QA Ceph: a training killed by `timeout`
            stopped = (
                "; it holds the checkpoints of a training that did not finish: run the same "
                "`logbert train` command with --resume to continue it"
            )
        raise LogbertError(
            f"{directory} is not a model directory ({path.name} is missing): pass the folder "
            f"`logbert train -o` wrote{stopped}"
        )
    config = read_json(path, expect=dict)
    for field in ("params", "training"):  # absent (or null) is fine: defaults, no record
        value = config.get(field)
        if value is not None and not isinstance(value, dict):
            raise corrupt_file(path, f"{field!r} is a {type(value).__name__}, not an object")
    return config


def _configured(cls: type[Detector], config: dict[str, Any], path: Path) -> Detector:
    """The detector `config` describes, its parameters checked as `fit` checks them.

    A hand-edited config.json (a parameter of the wrong type or out of range, one the
    detector does not take) fails in the constructor or `_check_params` with whatever error
    the bad value provokes; any of them is the same clear error naming the file.
    """
    try:
        detector = cls(**(config.get("params") or {}))
        detector._check_params()
    except (LogbertError, TypeError, ValueError) as exc:
        raise LogbertError(
            f"{path}: the {cls.name} parameters are invalid ({safe_load_message(exc)}); "
            "retrain the model, or restore the config.json it was saved with"
        ) from exc
    return detector


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, default=str) + "\n", encoding="utf-8")
    tmp.replace(path)
