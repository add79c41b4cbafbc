"""Cross-fitted calibration: an out-of-sample normal score for every normal training session.

A threshold rule from normal data (`max`, `quantile:Q`, `fpr:P`) is only as good as the normal
scores it sees. The validation split gives ~10% of the normal sessions (49 on a small system,
~490 on HDFS), so the threshold moves with one odd session, and `fpr:0.001` needs at least 999
scores. Cross-fitting gives the rule all of them: the normal sessions (training and validation
split together) are cut into k seeded folds; each fold is scored by a clone of the detector
trained on the other k - 1 folds, so every score comes from a model that never saw the
session, as a new session meets the final model.

The fold models are clones (`sklearn.base.clone`, same params, same seed, and the choices the
final model's `auto` settings made from its data, `Detector.fitted_choices`) trained for the
number of epochs the final model's early stopping chose (`training_info_["best_epoch"]`, when
the detector records one), without a validation set: early stopping on the fold being scored
would tune the fold model to exactly the sessions whose scores must be out of sample. A fold
session holding a key no session of the other folds holds is set aside like an unseen-key
validation session (`unseen.UnseenKeys`): its score is the detector's unseen-key evidence, not
a normal score, and it is counted and reported. The final model is the one `Pipeline.fit`
trained on the training split as before; only where its threshold comes from changes.

A combination (`new-event+length+ecvc`) is cross-fitted part by part: each fold trains the
whole combination (each part with the final part's choices and epochs) and keeps every part's
own out-of-fold scores, so each part's threshold rests on every normal session
(`CombinedDetector.calibrate_part_scores`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.base import clone

from logbert.errors import LogbertError
from logbert.models.base import Detector
from logbert.pipeline.unseen import training_keys, unseen_key_sessions
from logbert.sessions.batch import SessionBatch

CALIBRATIONS = ("auto", "split", "cross-fit")
# `auto` cross-fits when the validation split would hold fewer normal sessions than this: a
# split-based threshold then rests on a handful of scores, and k more trainings are cheap
# (results/crossfit_preregistration.md, rule D2)
AUTO_MIN_VALIDATION = 100
# fit options that belong to the final model only (its checkpoints, its resume state)
_FINAL_MODEL_ONLY = ("checkpoint_dir", "resume")


@dataclass
class CrossFit:
    """Out-of-fold scores of a normal pool; `unseen[i]`: session i holds a key its fold's
    model never saw (its score is unseen-key evidence, left out of the calibration). A
    combination's `scores` are nan: its combined score needs the parts' thresholds, which
    `part_scores` set (`calibration._calibrate_cross_fitted`)."""

    scores: np.ndarray
    unseen: np.ndarray
    folds: int
    epochs: int | dict[str, int] | None  # a combination's: by part, those that train in epochs
    seconds: float
    fold_seconds: list[float] = field(default_factory=list)
    # a combination's: each part's out-of-fold scores by part name (None otherwise)
    part_scores: dict[str, np.ndarray] | None = None

    @property
    def normal_part_scores(self) -> dict[str, np.ndarray] | None:
        """Each part's scores of the sessions a normal-data rule is applied to."""
        if self.part_scores is None:
            return None
        return {part: scores[~self.unseen] for part, scores in self.part_scores.items()}

    @property
    def normal_scores(self) -> np.ndarray:
        """The scores a normal-data rule is applied to."""
        return self.scores[~self.unseen]

    def to_dict(self) -> dict[str, Any]:
        return {
            "folds": self.folds,
            "n_sessions": int(self.scores.size),
            "n_unseen_key_sessions": int(self.unseen.sum()),
            "fold_epochs": self.epochs,
            "seconds": round(self.seconds, 3),
        }


def resolve_calibration(
    calibration: str, detector: Detector, n_normal: int, validation_split: float, folds: int
) -> str:
    """`split` or `cross-fit` for `calibration` (`auto`: cross-fit when the validation split of
    `n_normal` sessions would hold fewer than AUTO_MIN_VALIDATION and the detector can be
    cross-fitted on them; the validation split otherwise)."""
    if calibration not in CALIBRATIONS:
        raise LogbertError(f"unknown calibration {calibration!r}; valid: {', '.join(CALIBRATIONS)}")
    if calibration != "auto":
        return calibration
    small = round(n_normal * validation_split) < AUTO_MIN_VALIDATION
    fits = cross_fit_refusal(detector, folds, n_normal) is None
    return "cross-fit" if small and fits else "split"


def cross_fit_refusal(detector: Detector, folds: int, n_sessions: int | None = None) -> str | None:
    """Why `detector` cannot be cross-fitted on `n_sessions` normal sessions (None when the
    count is not known yet); None when it can."""
    if detector.supervised:
        return (
            f"cross-fit calibration is for detectors trained on normal data; {detector.name} "
            "is supervised and calibrates on labelled validation sessions (use --calibration split)"
        )
    if n_sessions is not None and n_sessions < 2 * folds:
        return (
            f"cross-fit with {folds} folds needs at least {2 * folds} normal sessions, got "
            f"{n_sessions}; use fewer folds or --calibration split"
        )
    return None


def check_cross_fit(detector: Detector, folds: int, n_sessions: int | None = None) -> None:
    """Refuse what cross-fitting cannot do, before any training (`n_sessions` None: the
    detector and the folds only, as the CLI checks before reading the data)."""
    if why := cross_fit_refusal(detector, folds):
        raise LogbertError(why)
    if folds < 2:
        raise LogbertError(f"cross-fit needs at least 2 folds, got {folds}")
    if why := cross_fit_refusal(detector, folds, n_sessions):
        raise LogbertError(why)


def cross_fitted_scores(
    detector: Detector,
    normal: SessionBatch,
    *,
    folds: int,
    seed: int,
    fit_options: dict[str, Any] | None = None,
    log: Callable[[str], None] | None = None,
) -> CrossFit:
    """Score every session of `normal` with a clone of the fitted `detector` trained on the
    other folds (see the module doc). `detector` must be fitted (its best epoch is reused)."""
    say = log or (lambda _line: None)
    check_cross_fit(detector, folds, len(normal))
    options = {k: v for k, v in (fit_options or {}).items() if k not in _FINAL_MODEL_ONLY}
    if "log" in options:  # the folds train on parts of the final model's sessions: its fit
        options["log"] = _quiet  # has said what theirs would (epochs, too-alike sessions)
    template = clone(detector).set_params(**fold_params(detector))
    fold_of = np.random.default_rng(seed).permutation(len(normal)) % folds
    scores = np.zeros(len(normal), dtype=float)
    unseen = np.zeros(len(normal), dtype=bool)
    parts = getattr(detector, "parts", None)
    part_scores = None if parts is None else {part: np.zeros(len(normal)) for part in parts}
    if part_scores is not None:  # a combined score needs the parts' final thresholds first
        scores[:] = np.nan
    started = time.perf_counter()
    fold_seconds = []
    for fold in range(folds):
        held = np.flatnonzero(fold_of == fold)
        fold_started = time.perf_counter()
        others, part = normal.take(np.flatnonzero(fold_of != fold)), normal.take(held)
        model = clone(template).fit(others, **options)
        if part_scores is None:
            scores[held] = model.decision_function(part)
        else:  # each part's own, against its own fold threshold (replaced by the caller)
            for name, own in model.part_scores(part).items():
                part_scores[name][held] = own
        unseen[held] = unseen_key_sessions(training_keys(others), part).mask
        fold_seconds.append(time.perf_counter() - fold_started)
        say(
            f"Cross-fit fold {fold + 1}/{folds}: trained on {len(others)} sessions, scored "
            f"{held.size} in {fold_seconds[-1]:.1f}s"
        )
    return CrossFit(
        scores=scores,
        unseen=unseen,
        folds=folds,
        epochs=_epochs(detector),
        seconds=time.perf_counter() - started,
        fold_seconds=fold_seconds,
        part_scores=part_scores,
    )


def fold_params(detector: Detector) -> dict[str, Any]:
    """The parameters a fold's clone of the fitted `detector` takes: the `auto` choices it
    made (`Detector.fitted_choices`) and the epochs its early stopping chose; a
    combination's parts get theirs as its `part_params`."""
    fitted_parts = getattr(detector, "parts_", None)
    if fitted_parts is not None:
        given = detector.part_params or {}
        return {
            "part_params": {
                name: {**given.get(name, {}), **fold_params(part)}
                for name, part in zip(detector.parts, fitted_parts, strict=True)
            }
        }
    params = detector.fitted_choices()
    epochs = _fold_epochs(detector)
    if epochs is not None:
        params["epochs"] = epochs
    return params


def _epochs(detector: Detector) -> int | dict[str, int] | None:
    """The folds' epochs, for the record: a combination's by part (those that have one)."""
    fitted_parts = getattr(detector, "parts_", None)
    if fitted_parts is None:
        return _fold_epochs(detector)
    named = zip(detector.parts, fitted_parts, strict=True)
    by_part = {name: epochs for name, part in named if (epochs := _fold_epochs(part)) is not None}
    return by_part or None


def _fold_epochs(detector: Detector) -> int | None:
    """The epochs the final model's early stopping settled on, for detectors that train in
    epochs and record it; None keeps the detector's own setting."""
    if "epochs" not in detector.get_params():
        return None
    best = (getattr(detector, "training_info_", None) or {}).get("best_epoch")
    return max(int(best), 1) if best else None


def _quiet(_line: str) -> None:
    """A fold's log: nothing (see `cross_fitted_scores`)."""
